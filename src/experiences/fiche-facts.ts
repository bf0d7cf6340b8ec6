// The structured facts of a fiche d'expérience (issue 19), after the annex of FORIM's note: its
// domain, who benefited, its region, period, co-funders and numbers. Fixed lists, so the showcase
// filters them and FORIM's analysis counts them; their words are in the catalogue (fr-showcase.ts).
import { z } from 'zod';
import { msg } from '../lib/forms.ts';
import { FUNDER_KIND_KEYS } from '../projects/budget.ts';

export const EXPERIENCE_DOMAINS = [
  'education',
  'solidarity',
  'employment',
  'accessToRights',
  'digitalInclusion',
  'culture',
  'health',
  'civicParticipation',
  'ecsi',
  'sport',
  'environment',
  'other',
] as const;
export type ExperienceDomain = (typeof EXPERIENCE_DOMAINS)[number];

export const EXPERIENCE_PUBLICS = [
  'youth',
  'women',
  'newcomers',
  'settledDiasporas',
  'secondGeneration',
  'families',
  'elderly',
  'students',
  'everyone',
] as const;
export type ExperiencePublic = (typeof EXPERIENCE_PUBLICS)[number];

/** A choice among fixed values; empty is null. */
const oneOf = <T extends readonly string[]>(values: T) =>
  z
    .string({ error: msg('form.invalidChoice') })
    .optional()
    .transform((v) => v ?? '')
    .refine((v) => v === '' || (values as readonly string[]).includes(v), {
      error: msg('form.invalidChoice'),
    })
    .transform((v) => (v === '' ? null : (v as T[number])));

/** Ticked boxes among fixed values (absent: none). */
const someOf = <T extends readonly string[]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())], { error: msg('form.invalidChoice') })
    .optional()
    .transform((v) => [v ?? []].flat())
    .refine((v) => v.every((x) => (values as readonly string[]).includes(x)), {
      error: msg('form.invalidChoice'),
    })
    .transform((v) => (values as readonly string[]).filter((x) => v.includes(x)) as Array<T[number]>);

/** `YYYY-MM` (a month), or empty. */
const month = () =>
  z
    .string({ error: msg('fiche.error.month') })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v === '' || /^(19|20)\d\d-(0[1-9]|1[0-2])$/.test(v), { error: msg('fiche.error.month') })
    .transform((v) => (v === '' ? null : v));

/** A number of people: empty, or whole digits up to a million. */
const count = () =>
  z
    .string({ error: msg('fiche.error.count') })
    .optional()
    .transform((v) => (v ?? '').replace(/[\s\u00a0\u202f]/g, ''))
    .refine((v) => v === '' || (/^\d{1,7}$/.test(v) && Number(v) <= 1_000_000), {
      error: msg('fiche.error.count'),
    })
    .transform((v) => (v === '' ? null : Number(v)));

/** The fields the annex adds to a fiche, as the form posts them. */
export const ficheFactsFields = (regionCodes: readonly string[]) => ({
  domain: oneOf(EXPERIENCE_DOMAINS),
  publics: someOf(EXPERIENCE_PUBLICS),
  region: oneOf(regionCodes),
  periodStart: month(),
  periodEnd: month(),
  cofunders: someOf(FUNDER_KIND_KEYS),
  volunteers: count(),
  participants: count(),
});

const monthFormat = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2025-10` → « octobre 2025 ». */
export function monthInWords(yearMonth: string): string {
  const [year, month] = yearMonth.split('-').map(Number);
  return monthFormat.format(new Date(Date.UTC(year!, month! - 1, 1)));
}
