// The sections of a project, in the order of the project part of the grant request form (Cerfa
// 12156: description of the project, then its budget), in plain words. Each section is its own
// form with its own version; each names the lesson of the path that teaches it. The budget
// section's fields are its lines (budget-form.ts); the others are plain texts.
import { z } from 'zod';
import { longText, optionalLine } from '../lib/form-fields.ts';
import { fields, msg } from '../lib/forms.ts';

export const SECTION_KEYS = [
  'summary',
  'place',
  'public',
  'objectives',
  'actions',
  'partners',
  'means',
  'evaluation',
  'budget',
] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];
export type TextSectionKey = Exclude<SectionKey, 'budget'>;

export function isSectionKey(value: string): value is SectionKey {
  return (SECTION_KEYS as readonly string[]).includes(value);
}

/** A text field of a section: one line or several, its length limit, required or not. */
export interface TextField {
  name: string;
  kind: 'line' | 'text' | 'count';
  max: number;
  required?: boolean;
}

export interface SectionDefinition {
  key: SectionKey;
  /** The lessons that teach it (ids of the course content), shown next to the form. */
  lessonIds: string[];
  fields: TextField[];
}

/** The limits of the texts: long enough for a real answer, short enough for a funder's box. */
const SHORT = 2000;
const LONG = 4000;

export const SECTIONS: Record<SectionKey, SectionDefinition> = {
  summary: {
    key: 'summary',
    lessonIds: ['prj-diagnostic-besoins'],
    fields: [
      { name: 'title', kind: 'line', max: 120, required: true },
      { name: 'summary', kind: 'text', max: SHORT },
      { name: 'needs', kind: 'text', max: LONG },
    ],
  },
  place: {
    key: 'place',
    lessonIds: ['pdv-verifier-adresse', 'pdv-public-qpv'],
    fields: [
      { name: 'town', kind: 'line', max: 80 },
      { name: 'qpv', kind: 'line', max: 120 },
      { name: 'why', kind: 'text', max: SHORT },
    ],
  },
  public: {
    key: 'public',
    lessonIds: ['prj-decrire-public'],
    fields: [
      { name: 'who', kind: 'text', max: SHORT },
      { name: 'howMany', kind: 'count', max: 7 },
      { name: 'reach', kind: 'text', max: SHORT },
    ],
  },
  objectives: {
    key: 'objectives',
    lessonIds: ['prj-objectifs-indicateurs'],
    fields: [{ name: 'objectives', kind: 'text', max: SHORT }],
  },
  actions: {
    key: 'actions',
    lessonIds: ['evt-planifier-a-rebours'],
    fields: [
      { name: 'actions', kind: 'text', max: LONG },
      { name: 'calendar', kind: 'text', max: SHORT },
    ],
  },
  partners: {
    key: 'partners',
    lessonIds: ['prj-partenaires', 'prj-relation-partenaires'],
    fields: [{ name: 'partners', kind: 'text', max: SHORT }],
  },
  means: {
    key: 'means',
    lessonIds: ['prj-contributions-nature'],
    fields: [
      { name: 'volunteers', kind: 'text', max: SHORT },
      { name: 'premises', kind: 'text', max: SHORT },
      { name: 'equipment', kind: 'text', max: SHORT },
    ],
  },
  evaluation: {
    key: 'evaluation',
    lessonIds: ['prj-objectifs-indicateurs', 'prj-mesurer-evaluer'],
    fields: [{ name: 'indicators', kind: 'text', max: SHORT }],
  },
  budget: {
    key: 'budget',
    lessonIds: ['prj-budget-previsionnel', 'prj-contributions-nature', 'prj-cofinancements'],
    fields: [],
  },
};

/** A text section's content: each field's text (a count is kept as its digits). */
export type TextContent = Record<string, string>;

/** The zod schema of a text section's form: every field a string, limits named in French. */
export function textSectionSchema(key: TextSectionKey) {
  const shape: Record<string, z.ZodType<string>> = {};
  for (const field of SECTIONS[key].fields) {
    if (field.kind === 'count') shape[field.name] = countField();
    else if (field.kind === 'line')
      shape[field.name] = field.required
        ? fields.requiredText(field.max, 'project.error.titleRequired')
        : optionalLine(field.max);
    else shape[field.name] = longText(field.max);
  }
  return z.object({ ...shape, _csrf: fields.csrf() });
}

/** A number of people: empty, or whole digits up to a million. */
function countField() {
  return z
    .string({ error: msg('form.invalid') })
    .optional()
    .transform((v) => (v ?? '').replace(/[\s\u00a0\u202f]/g, ''))
    .pipe(
      z
        .string()
        .regex(/^\d{0,7}$/, { error: msg('project.error.countInvalid') })
        .refine((v) => v === '' || Number(v) <= 1_000_000, { error: msg('project.error.countInvalid') }),
    )
    .transform((v) => (v === '' ? '' : String(Number(v))));
}

/** The version the writer started from (the form's hidden field), or null when it is not one. */
export function versionOf(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/** An empty content for a text section. */
export function emptyText(key: TextSectionKey): TextContent {
  return Object.fromEntries(SECTIONS[key].fields.map((f) => [f.name, '']));
}

/** Whether a text section says something (any field filled). */
export function isTextWritten(content: TextContent): boolean {
  return Object.values(content).some((v) => typeof v === 'string' && v.trim() !== '');
}
