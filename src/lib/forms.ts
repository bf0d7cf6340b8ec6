// Form validation with zod: route schemas whose messages are catalogue keys, a validator compiler
// that lets the handler re-render the form (422) with each error next to its field, and the
// values the person typed kept.
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import { z } from 'zod';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { FieldRuleError, RuleError } from './errors.ts';

/** Typed route schemas from zod (the same idea as fastify-type-provider-zod). */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

/** A catalogue key, with parameters, carried through zod's string messages. */
export function msg(key: MessageKey, params?: Record<string, string | number>): string {
  return params ? `${key}|${JSON.stringify(params)}` : key;
}

export class FormValidationError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_VALIDATION';
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super('form validation failed');
  }
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data ?? {});
    return result.success ? { value: result.data } : { error: new FormValidationError(result.error.issues) };
  };

/** For forms whose shape depends on state the route schema cannot know (validated in the handler). */
export function parseForm<T extends z.ZodType>(
  schema: T,
  body: unknown,
): { success: true; data: z.output<T> } | { success: false; error: FormValidationError } {
  const result = schema.safeParse(body ?? {});
  return result.success
    ? { success: true, data: result.data }
    : { success: false, error: new FormValidationError(result.error.issues) };
}

export type FieldErrors = Record<string, string>;

/** The first error of each field, translated. Unknown fields fall under `_form`. */
export function fieldErrors(error: unknown, t: Translate): FieldErrors {
  const out: FieldErrors = {};
  if (!(error instanceof FormValidationError)) return { _form: t('error.400.text') };
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (field in out) continue;
    out[field] = translateMessage(issue.message, t);
  }
  return out;
}

function translateMessage(message: string, t: Translate): string {
  const bar = message.indexOf('|');
  const key = (bar === -1 ? message : message.slice(0, bar)) as MessageKey;
  try {
    const params =
      bar === -1 ? undefined : (JSON.parse(message.slice(bar + 1)) as Record<string, string | number>);
    const text = t(key, params);
    return text === undefined ? t('error.400.text') : text;
  } catch {
    return t('error.400.text');
  }
}

/** What the person typed, as strings, to refill the form. Never passwords. */
export function keptValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  for (const field of fields) {
    const value = record[field];
    out[field] = typeof value === 'string' ? value.slice(0, 1000) : '';
  }
  return out;
}

/** Tabs, line breaks and other control characters: never wanted in a one-line field. */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_PATTERN.test(value) && !isReservedAddress(value);
}

const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/**
 * An address in `.invalid`, the top-level domain that can never exist (RFC 2606): no mail reaches
 * it, and erased accounts keep one (compte-supprime-<id>@passerelle.invalid, src/privacy/erase.ts).
 * Refused in every e-mail field, so nobody can take the address an erasure will give.
 */
export function isReservedAddress(value: string): boolean {
  return /\.invalid\.?$/i.test(value.trim());
}

/** Form fields arrive as strings; anything else (repeated field, missing) is a clear error. */
export const fields = {
  email: () =>
    z
      .string({ error: msg('form.emailRequired') })
      .trim()
      .min(1, { error: msg('form.emailRequired') })
      .max(254, { error: msg('form.emailInvalid') })
      .regex(EMAIL_PATTERN, { error: msg('form.emailInvalid') })
      .refine((v) => !isReservedAddress(v), { error: msg('form.emailInvalid') })
      .transform((v) => v.toLowerCase()),
  /** A password being typed to sign in: only "present" is checked. */
  passwordEntered: () =>
    z
      .string({ error: msg('form.passwordRequired') })
      .min(1, { error: msg('form.passwordRequired') })
      .max(1000, { error: msg('login.invalid') }),
  /** A new password: length rules. */
  newPassword: (min: number, max: number) =>
    z
      .string({ error: msg('form.passwordRequired') })
      .min(1, { error: msg('form.passwordRequired') })
      .min(min, { error: msg('form.passwordTooShort', { min }) })
      .max(max, { error: msg('form.passwordTooLong', { max }) }),
  name: (max = 120) =>
    z
      .string({ error: msg('form.nameRequired') })
      .trim()
      .min(1, { error: msg('form.nameRequired') })
      .max(max, { error: msg('form.nameTooLong', { max }) })
      .refine((v) => !hasControlCharacters(v), { error: msg('form.invalidCharacters') }),
  /** A required one-line text (an organization's name…), with its own "required" message. */
  requiredText: (max: number, required: MessageKey = 'form.required') =>
    z
      .string({ error: msg(required) })
      .trim()
      .min(1, { error: msg(required) })
      .max(max, { error: msg('form.tooLong', { max }) })
      .refine((v) => !hasControlCharacters(v), { error: msg('form.invalidCharacters') }),
  /** An optional one-line text: empty becomes null. */
  optionalText: (max: number) =>
    z
      .string({ error: msg('form.invalid') })
      .trim()
      .max(max, { error: msg('form.tooLong', { max }) })
      .refine((v) => !hasControlCharacters(v), { error: msg('form.invalidCharacters') })
      .optional()
      .transform((v) => (v ? v : null)),
  /** A choice from a list of ids (a select): empty becomes null. */
  optionalId: () =>
    z
      .string({ error: msg('form.invalidChoice') })
      .trim()
      .regex(/^\d{0,9}$/, { error: msg('form.invalidChoice') })
      .optional()
      .transform((v) => (v ? Number(v) : null)),
  requiredId: () =>
    z
      .string({ error: msg('form.chooseOne') })
      .trim()
      .regex(/^\d{1,9}$/, { error: msg('form.chooseOne') })
      .transform(Number),
  /** A checkbox: sent ("on") when ticked, absent otherwise. */
  checkbox: () =>
    z
      .union([z.string(), z.array(z.string())], { error: msg('form.invalid') })
      .optional()
      .transform((v) => [v ?? []].flat().some((x) => x === 'on' || x === 'true' || x === '1')),
  csrf: () => z.string().optional(),
};

/** Route parameters and query strings (a bad one is a 400/404, not a form error). */
export const params = {
  id: () =>
    z.object({
      id: z
        .string()
        .regex(/^\d{1,9}$/)
        .transform(Number),
    }),
  page: () =>
    z
      .string()
      .regex(/^\d{1,6}$/)
      .transform(Number)
      .optional()
      .catch(undefined),
};

/** A broken rule as form errors: next to its field, or at the top; null when it is not a rule. */
export function ruleErrors(error: unknown, t: Translate): FieldErrors | null {
  if (error instanceof FieldRuleError) return { [error.field]: t(error.key, error.params) };
  if (error instanceof RuleError) return { _form: t(error.key, error.params) };
  return null;
}
