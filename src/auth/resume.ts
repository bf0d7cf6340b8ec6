// What a person was sending when their session ended: kept for the round trip through the sign-in
// page, so a quiz's answers (or a fiche's text) come back on the page they were typed on.
//
// NOTE: the form is kept in this process's memory, behind a random token in an HttpOnly cookie, for
// an hour at most, and handed back once, to the page it came from, to whoever signs in on that
// browser. Passwords and the CSRF token are never kept. A restart forgets pending forms: the person
// then finds an empty form, as before. The alternative — re-posting the form after sign-in — would
// replay an action the person can no longer see; giving the form back lets them check it and send.
import { generateSecureRandomString } from './session-store.ts';

export const RESUME_COOKIE = 'passerelle_resume';
export const RESUME_TTL_MS = 60 * 60 * 1000;
/**
 * Enough for every person of a busy evening; the oldest go first beyond either bound. Anyone can
 * send a form without a session, so the memory it may take is bounded (4 MB of text at most).
 */
const MAX_KEPT = 5_000;
const MAX_CHARACTERS = 4_000_000;
const MAX_FIELD_LENGTH = 20_000;

export type FormFields = Record<string, string | string[]>;

interface KeptForm {
  /** The page (path and query) the form was sent from, where it is given back. */
  page: string;
  fields: FormFields;
  expiresAt: number;
  characters: number;
}

function sizeOf(page: string, fields: FormFields): number {
  let n = page.length;
  for (const [name, value] of Object.entries(fields))
    n += name.length + (Array.isArray(value) ? value.reduce((a, v) => a + v.length, 0) : value.length);
  return n;
}

/** Fields never kept: secrets, and the CSRF token (a new page has its own). */
const SECRET_FIELD = /^_csrf$|password|passe|confirm|current/i;

function keepable(body: unknown): FormFields {
  const fields: FormFields = {};
  if (typeof body !== 'object' || body === null) return fields;
  for (const [name, value] of Object.entries(body)) {
    if (SECRET_FIELD.test(name)) continue;
    if (typeof value === 'string') fields[name] = value.slice(0, MAX_FIELD_LENGTH);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      fields[name] = value.map((v) => v.slice(0, MAX_FIELD_LENGTH));
  }
  return fields;
}

export function createResumeStore(now: () => number = Date.now) {
  const kept = new Map<string, KeptForm>();
  let characters = 0;

  function forget(token: string) {
    const form = kept.get(token);
    if (!form) return;
    characters -= form.characters;
    kept.delete(token);
  }

  /** Drops what has expired, then the oldest until `room` more characters fit. */
  function sweep(room: number) {
    const time = now();
    for (const [token, form] of kept) if (form.expiresAt <= time) forget(token);
    while (kept.size > 0 && (kept.size >= MAX_KEPT || characters + room > MAX_CHARACTERS))
      forget(kept.keys().next().value as string);
  }

  return {
    /** Keeps the form sent from `page`; returns the token for the cookie. */
    keep(page: string, body: unknown): string {
      const fields = keepable(body);
      const size = sizeOf(page, fields);
      sweep(size);
      const token = generateSecureRandomString();
      kept.set(token, { page, fields, expiresAt: now() + RESUME_TTL_MS, characters: size });
      characters += size;
      return token;
    },
    /** The fields kept under `token` for `page`, once; null when there are none (or for another page). */
    take(token: string | undefined, page: string): FormFields | null {
      if (!token) return null;
      const form = kept.get(token);
      if (!form || form.page !== page) return null;
      forget(token);
      return form.expiresAt > now() ? form.fields : null;
    },
    get size() {
      return kept.size;
    },
    get characters() {
      return characters;
    },
  };
}

export type ResumeStore = ReturnType<typeof createResumeStore>;
