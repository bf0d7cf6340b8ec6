// The right of access: everything Passerelle holds about a person, read table by table from the
// register (registry.ts), as one JSON document and as the readable page made from it.
import { type Db, sqliteOf } from '../db/client.ts';
import type { Translate } from '../i18n/index.ts';
import { personalTables } from './registry.ts';

export interface PersonalDataSection {
  table: string;
  label: string;
  rows: Record<string, unknown>[];
}

export interface PersonalData {
  generatedAt: string;
  person: { id: number; email: string; displayName: string };
  sections: PersonalDataSection[];
}

/**
 * Every row of every table that is about the person, with the columns the register gives them;
 * each table named in the reader's words (`t`).
 */
export function personalData(db: Db, userId: number, t: Translate, now = new Date()): PersonalData | null {
  const client = sqliteOf(db);
  const person = client
    .prepare('SELECT id, email, display_name AS displayName FROM users WHERE id = ?')
    .get(userId) as PersonalData['person'] | undefined;
  if (!person) return null;
  const params = { id: userId, email: person.email.toLowerCase() };
  const sections: PersonalDataSection[] = [];
  for (const [table, entry] of personalTables()) {
    if (entry.rows === null) continue;
    const columns = entry.exported?.map((c) => `"${c}"`).join(', ') ?? '*';
    const rows = client
      .prepare(`SELECT ${columns} FROM "${table}" WHERE ${entry.rows}`)
      .all(params) as Record<string, unknown>[];
    sections.push({ table, label: t(entry.label), rows: rows.map(readable) });
  }
  return { generatedAt: now.toISOString(), person, sections };
}

/** Dates as ISO text, JSON columns as values: what a person can read. */
function readable(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'number' && /_at$/.test(key)) out[key] = new Date(value).toISOString();
    else if (typeof value === 'string' && /^[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
      } catch {
        out[key] = value;
      }
    } else out[key] = value;
  }
  return out;
}
