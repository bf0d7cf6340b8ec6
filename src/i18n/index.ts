// Message lookup with `{param}` interpolation; French is the reference, English falls back to it.
// Messages are parsed once into parts: a page calls `t` dozens of times.
import { en } from './en.ts';
import { fr, type MessageKey } from './fr.ts';

export type { MessageKey };
export const locales = ['fr', 'en'] as const;
export type Locale = (typeof locales)[number];
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}

/** Literal text at even indexes, parameter names at odd ones. */
type Parts = string[];
/** "one|other" messages pick their form from `count`. */
type Compiled = { one: Parts; other: Parts } | Parts;

function parse(template: string): Parts {
  return template.split(/\{(\w+)\}/);
}

function compile(template: string): Compiled {
  const bar = template.indexOf('|');
  if (bar === -1) return parse(template);
  return { one: parse(template.slice(0, bar)), other: parse(template.slice(bar + 1)) };
}

/**
 * French typography on a phone: a no-break space before « : ; ! ? % » and inside « », and after a
 * number followed by a word (« 8 leçons », « 5 décembre »), so a colon or a closing quote never
 * starts a line and a number stays with its word.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/ ([:;?!%»])/g, '\u00a0$1')
    .replace(/« /g, '«\u00a0')
    .replace(/(\d(?:er)?) (?=\p{L})/gu, '$1\u00a0');
}

/** French words written by the app or its courses (never what people type): spacing, and one apostrophe, ’. */
export function frenchTypography(message: string): string {
  return frenchSpacing(message).replace(/'/g, '’');
}

/** Numbers with the locale's grouping: « 1 000 » with a narrow no-break space, never split. */
const numberFormats: Record<Locale, Intl.NumberFormat> = {
  fr: new Intl.NumberFormat('fr-FR'),
  en: new Intl.NumberFormat('en-GB'),
};

export function formatNumber(value: number, locale: Locale = 'fr'): string {
  return numberFormats[locale].format(value);
}

function fill(parts: Parts, params: Params | undefined, locale: Locale): string {
  if (parts.length === 1) return parts[0]!;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const value = params && Object.hasOwn(params, name) ? params[name] : undefined;
    const after = parts[i + 1]!;
    if (typeof value === 'number') {
      // « 12 leçons »: a number stays on the line of the word that follows it.
      out += formatNumber(value, locale) + (after.startsWith(' ') ? `\u00a0${after.slice(1)}` : after);
      continue;
    }
    out += (value === undefined ? `{${name}}` : value) + after;
  }
  return out;
}

function build(locale: Locale): Translate {
  const source: Partial<Record<MessageKey, string>> = locale === 'en' ? en : fr;
  const compiled = new Map<MessageKey, Compiled>();
  for (const key of Object.keys(fr) as MessageKey[]) {
    const own = source[key];
    const message = own ?? fr[key];
    compiled.set(key, compile(own === undefined || locale === 'fr' ? frenchTypography(message) : message));
  }
  // French: 0 and 1 are singular; English: only 1.
  const singular = locale === 'fr' ? (n: number) => Math.abs(n) < 2 : (n: number) => n === 1;
  return (key, params) => {
    const message = compiled.get(key);
    if (message === undefined) return key;
    if (Array.isArray(message)) return fill(message, params, locale);
    const count = params?.count;
    return fill(typeof count === 'number' && singular(count) ? message.one : message.other, params, locale);
  };
}

const translators: Record<Locale, Translate> = { fr: build('fr'), en: build('en') };

/** How many French keys a language's catalogue lacks (0 for French). */
export function missingKeys(locale: Locale): number {
  const own: Partial<Record<MessageKey, string>> = locale === 'en' ? en : fr;
  return Object.keys(fr).filter((key) => !Object.hasOwn(own, key)).length;
}

/**
 * The languages a person may choose in their profile: only those whose catalogue is complete, so
 * nobody picks English and meets French on most pages. A language already stored on an account is
 * still honoured (pickLocale), and comes back to the choice once its catalogue is complete.
 */
export const offeredLocales: readonly Locale[] = locales.filter((locale) => missingKeys(locale) === 0);

export function translator(locale: Locale): Translate {
  return translators[locale];
}

export function pickLocale(value: string | null | undefined): Locale {
  return value === 'en' ? 'en' : 'fr';
}
