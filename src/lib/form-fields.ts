// Fields of the cycle, séance and fiche d'expérience forms that forms.ts's `fields` does not have
// (calendar days, wall-clock times, multi-line texts), and the hook those forms' routes need.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from './errors.ts';
import { fields, hasControlCharacters, msg } from './forms.ts';

/** `YYYY-MM-DD` naming a day of the calendar: Date.parse would roll 2026-02-30 over to 2 March. */
function isRealDate(v: string): boolean {
  const date = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === v;
}

export const isoDate = (required: Parameters<typeof msg>[0]) =>
  z
    .string({ error: msg(required) })
    .trim()
    .min(1, { error: msg(required) })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: msg('form.dateInvalid') })
    .refine(isRealDate, { error: msg('form.dateInvalid') });

export const wallTime = (required: Parameters<typeof msg>[0]) =>
  z
    .string({ error: msg(required) })
    .trim()
    .min(1, { error: msg(required) })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: msg('form.timeInvalid') });

/** A multi-line plain text (agenda, compte-rendu, fiche): line breaks allowed, other controls not. */
export const longText = (max: number, required?: Parameters<typeof msg>[0]) => {
  const base = z
    .string({ error: msg(required ?? 'form.invalid') })
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .max(max, { error: msg('form.tooLong', { max }) })
        .refine((v) => !hasControlCharacters(v.replace(/[\n\t]/g, '')), {
          error: msg('form.invalidCharacters'),
        }),
    );
  return required
    ? base.pipe(z.string().min(1, { error: msg(required) }))
    : // Not a union with z.undefined(): zod then reports a missing field in English.
      base.optional().transform((v) => v ?? '');
};

export const optionalLine = (max: number) => fields.optionalText(max).transform((v) => v ?? '');

/**
 * A preHandler hook for route files whose forms use attachValidation to re-render themselves: that
 * also lets a handler run with ids that failed their schema ("1.0" would then find séance 1), so
 * such a URL names no page.
 */
export async function notFoundOnBadParams(request: FastifyRequest): Promise<void> {
  if (request.validationError?.validationContext === 'params') throw new NotFoundError();
}
