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

function fill(parts: Parts, params: Params | undefined): string {
  if (parts.length === 1) return parts[0]!;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    out += params && Object.hasOwn(params, name) ? String(params[name]) : `{${name}}`;
    out += parts[i + 1]!;
  }
  return out;
}

function build(locale: Locale): Translate {
  const source: Partial<Record<MessageKey, string>> = locale === 'en' ? en : fr;
  const compiled = new Map<MessageKey, Compiled>();
  for (const key of Object.keys(fr) as MessageKey[]) compiled.set(key, compile(source[key] ?? fr[key]));
  // French: 0 and 1 are singular; English: only 1.
  const singular = locale === 'fr' ? (n: number) => Math.abs(n) < 2 : (n: number) => n === 1;
  return (key, params) => {
    const message = compiled.get(key);
    if (message === undefined) return key;
    if (Array.isArray(message)) return fill(message, params);
    const count = params?.count;
    return fill(typeof count === 'number' && singular(count) ? message.one : message.other, params);
  };
}

const translators: Record<Locale, Translate> = { fr: build('fr'), en: build('en') };

export function translator(locale: Locale): Translate {
  return translators[locale];
}

export function pickLocale(value: string | null | undefined): Locale {
  return value === 'en' ? 'en' : 'fr';
}
