// Message lookup with `{param}` interpolation; French is the reference, English falls back to it.
import { en } from './en.ts';
import { fr, type MessageKey } from './fr.ts';

export type { MessageKey };
export const locales = ['fr', 'en'] as const;
export type Locale = (typeof locales)[number];
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogues: Record<Locale, Partial<Record<MessageKey, string>>> = { fr, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}

export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  return (key, params) => {
    const template = catalogue[key] ?? fr[key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}

export function pickLocale(value: string | null | undefined): Locale {
  return value === 'en' ? 'en' : 'fr';
}
