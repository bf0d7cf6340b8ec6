// Inviting a list of people from a CSV file, in two steps: the file is read and every row
// checked (preview: new / already a member / already invited / error, with its line number),
// then the coordinator confirms and all the invitations are written in one transaction — or
// none. Importing the same file twice invites nobody twice.
// The file: UTF-8, Windows-1252 or UTF-16 with BOM (csv-encoding.ts), `;`, `,` or tab separated
// (French spreadsheets use `;`, Excel's "Texte Unicode" tabs), columns `nom`, `email`, `osim` and
// optionally `role` (membre / formateur·rice). TEMPLATE_CSV is a file to start from.
import { parse } from 'csv-parse/sync';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { createInvitation, type InvitationLinks } from '../auth/invitations.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { invitationImports, invitations, type Role } from '../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';
import { spreadsheetCsv } from '../lib/csv.ts';
import { NotFoundError, RuleError } from '../lib/errors.ts';
import { hasControlCharacters, isEmail } from '../lib/forms.ts';
import { searchable } from '../lib/text.ts';
import type { Mailer } from '../mail/mailer.ts';
import { managementScope, organizationInScopeSql, type Scope } from '../organizations/scope.ts';
import type { CurrentUser } from '../people/users.ts';
import { normalizeEmail } from '../people/users.ts';
import { decodeCsv } from './csv-encoding.ts';

export const MAX_ROWS = 5000;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface CsvRow {
  line: number;
  name: string;
  email: string;
  osim: string;
  role: string;
}

export type RowStatus = 'new' | 'member' | 'invited' | 'error';

export interface PreviewRow extends CsvRow {
  status: RowStatus;
  /** Why the row is an error, or a note on its status. */
  message: { key: MessageKey; params?: Record<string, string | number> } | null;
  organizationId: number | null;
  organizationName: string | null;
  resolvedRole: Role | null;
}

const headerAliases: Record<string, keyof Omit<CsvRow, 'line'>> = {
  nom: 'name',
  name: 'name',
  'nom complet': 'name',
  'prenom nom': 'name',
  email: 'email',
  'e-mail': 'email',
  mail: 'email',
  courriel: 'email',
  'adresse e-mail': 'email',
  'adresse email': 'email',
  osim: 'osim',
  association: 'osim',
  role: 'role',
};

const roleAliases: Record<string, Role> = {
  '': 'member',
  membre: 'member',
  member: 'member',
  apprenant: 'member',
  apprenante: 'member',
  formateur: 'trainer',
  formatrice: 'trainer',
  formateur·rice: 'trainer',
  'formateur.rice': 'trainer',
  'formateur-rice': 'trainer',
  'formateur/formatrice': 'trainer',
  trainer: 'trainer',
};

/** Reads the file, or says in French why it cannot be read. */
export function parseInvitationCsv(file: Buffer): CsvRow[] {
  if (file.length > MAX_FILE_BYTES) throw new RuleError('import.error.tooBig');
  const text = decodeCsv(file).text;
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() === '') throw new RuleError('import.error.empty');
  const delimiter = delimiterOf(firstLine);
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter,
      columns: (header: string[]) => header.map((h) => headerAliases[searchable(h)] ?? `ignored:${h}`),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new RuleError('import.error.unreadable', { line: line ?? 1 });
  }
  const header = firstLine.split(delimiter).map((h) => headerAliases[searchable(h.replace(/^"|"$/g, ''))]);
  const missing = (['name', 'email', 'osim'] as const).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new RuleError('import.error.columns', {
      missing: missing.map((c) => ({ name: 'nom', email: 'email', osim: 'osim' })[c]).join(', '),
    });
  }
  if (records.length === 0) throw new RuleError('import.error.noRows');
  if (records.length > MAX_ROWS) throw new RuleError('import.error.tooManyRows', { max: MAX_ROWS });
  return records.map(({ record, info }) => ({
    line: info.lines,
    name: (record.name ?? '').slice(0, 500),
    email: (record.email ?? '').slice(0, 500),
    osim: (record.osim ?? '').slice(0, 500),
    role: (record.role ?? '').slice(0, 100),
  }));
}

/** The separator the header line uses most: `;` (French spreadsheets), tab, or `,`. */
function delimiterOf(header: string): ';' | '\t' | ',' {
  const counts = ([';', '\t', ','] as const).map((d) => [d, header.split(d).length - 1] as const);
  const [best, n] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return n > 0 ? best : ',';
}

/** A file to start from: the columns in French and two rows that are plainly examples (their
 * association does not exist, so if they are left in, they are errors in the preview, never invitations). */
export const TEMPLATE_CSV = spreadsheetCsv(
  ['nom', 'email', 'osim', 'role'],
  [
    ['Awa Exemple', 'awa.exemple@exemple.fr', 'Nom de votre association (exemple)', 'membre'],
    ['Jean Exemple', 'jean.exemple@exemple.fr', 'Nom de votre association (exemple)', 'formateur'],
  ],
);

/** OSIMs (active, in scope) by accent-free name; a name shared by several is ambiguous. */
function osimsByName(db: Db, scope: Scope): Map<string, Array<{ id: number; name: string }>> {
  const out = new Map<string, Array<{ id: number; name: string }>>();
  const rows = db.all<{ id: number; name: string; searchName: string }>(sql`
    SELECT o.id, o.name, o.search_name AS searchName FROM organizations o
    WHERE o.kind = 'osim' AND o.archived_at IS NULL AND ${organizationInScopeSql(scope)}`);
  for (const o of rows) out.set(o.searchName, [...(out.get(o.searchName) ?? []), o]);
  return out;
}

const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * For a file's addresses, in a few statements instead of three per row: who has an account, which
 * roles they hold where, and who is already invited (not accepted, not revoked, not expired).
 */
function whatExists(db: Db, emails: string[], now: Date) {
  const users = new Map<string, number>();
  const roles = new Set<string>();
  const invited = new Set<string>();
  const list = (values: Array<string | number>) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  for (const part of chunks([...new Set(emails)])) {
    for (const u of db.all<{ id: number; email: string }>(
      sql`SELECT id, lower(email) AS email FROM users WHERE lower(email) IN (${list(part)})`,
    ))
      users.set(u.email, u.id);
    for (const i of db.all<{ email: string; organizationId: number }>(sql`
      SELECT email, organization_id AS organizationId FROM invitations
      WHERE email IN (${list(part)}) AND accepted_at IS NULL AND revoked_at IS NULL
        AND expires_at > ${now.getTime()}`))
      invited.add(`${i.email}:${i.organizationId}`);
  }
  for (const part of chunks([...users.values()])) {
    for (const m of db.all<{ userId: number; organizationId: number; role: string }>(sql`
      SELECT user_id AS userId, organization_id AS organizationId, role FROM memberships
      WHERE user_id IN (${list(part)})`))
      roles.add(`${m.userId}:${m.organizationId}:${m.role}`);
  }
  return { users, roles, invited };
}

/** Checks every row against the database as it is now. Writes nothing. */
export function previewRows(db: Db, actor: CurrentUser, rows: CsvRow[], now = new Date()): PreviewRow[] {
  const scope = managementScope(actor);
  const osims = osimsByName(db, scope);
  const firstLineOfEmail = new Map<string, number>();
  const known = whatExists(
    db,
    rows.map((r) => normalizeEmail(r.email)).filter((e) => e !== ''),
    now,
  );

  return rows.map((row): PreviewRow => {
    const base = { ...row, organizationId: null, organizationName: null, resolvedRole: null };
    const error = (key: MessageKey, params?: Record<string, string | number>): PreviewRow => ({
      ...base,
      status: 'error',
      message: { key, params },
    });
    const name = row.name.trim();
    if (!name) return error('import.row.noName');
    if (name.length > 120 || hasControlCharacters(name)) return error('import.row.badName');
    const email = normalizeEmail(row.email);
    if (!email) return error('import.row.noEmail');
    if (!isEmail(email)) return error('import.row.badEmail', { email: row.email });
    const earlier = firstLineOfEmail.get(email);
    if (earlier !== undefined) return error('import.row.duplicate', { line: earlier });
    firstLineOfEmail.set(email, row.line);
    const role = roleAliases[searchable(row.role)];
    if (!role) return error('import.row.badRole', { role: row.role });
    if (!row.osim.trim()) return error('import.row.noOsim');
    const found = osims.get(searchable(row.osim)) ?? [];
    if (found.length === 0) return error('import.row.unknownOsim', { osim: row.osim });
    if (found.length > 1) return error('import.row.ambiguousOsim', { osim: row.osim });
    const osim = found[0]!;
    const resolved = { ...base, organizationId: osim.id, organizationName: osim.name, resolvedRole: role };
    const userId = known.users.get(email);
    if (userId !== undefined && known.roles.has(`${userId}:${osim.id}:${role}`))
      return { ...resolved, status: 'member', message: null };
    if (known.invited.has(`${email}:${osim.id}`)) return { ...resolved, status: 'invited', message: null };
    return { ...resolved, status: 'new', message: null };
  });
}

/**
 * Keeps the file until the coordinator confirms (or not), each row with the status found now: the
 * preview is computed once, at upload, not on every look at its page (5,000 rows took a second).
 * Confirming checks every row again.
 */
export function saveImport(db: Db, actor: CurrentUser, fileName: string, rows: CsvRow[]): number {
  const checked: CsvRow[] = previewRows(db, actor, rows);
  return db
    .insert(invitationImports)
    .values({ createdBy: actor.id, fileName: fileName.slice(0, 200) || 'liste.csv', rows: checked })
    .returning({ id: invitationImports.id })
    .get().id;
}

export const PREVIEW_PAGE_SIZE = 100;

/**
 * The preview of a saved import, a page at a time (errors only when asked), with the counts of the
 * whole file. Imports saved before previews were kept are checked once and kept.
 */
export function importPreview(
  db: Db,
  actor: CurrentUser,
  saved: { id: number; rows: CsvRow[] },
  options: { page: number; errorsOnly: boolean },
) {
  let rows = saved.rows as PreviewRow[];
  if (rows.some((r) => r.status === undefined)) {
    rows = previewRows(db, actor, saved.rows);
    db.update(invitationImports).set({ rows }).where(eq(invitationImports.id, saved.id)).run();
  }
  const counts = summarize(rows);
  const shown = options.errorsOnly ? rows.filter((r) => r.status === 'error') : rows;
  const pages = Math.max(1, Math.ceil(shown.length / PREVIEW_PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page), pages);
  return {
    counts,
    total: rows.length,
    shown: shown.length,
    rows: shown.slice((page - 1) * PREVIEW_PAGE_SIZE, page * PREVIEW_PAGE_SIZE),
    page,
    pages,
  };
}

/** The import, for the person who made it only. */
export function getImport(db: Db, actor: CurrentUser, id: number) {
  const row = db.select().from(invitationImports).where(eq(invitationImports.id, id)).get();
  if (!row || row.createdBy !== actor.id) throw new NotFoundError();
  return row;
}

/**
 * Writes an invitation for every row that is still new, in one transaction: either all of them
 * (and their emails in the outbox) or nothing. The import is marked confirmed in the same
 * transaction, only if it was not yet: confirming twice (a double click, a reload) creates
 * nothing the second time. Returns how many were created now.
 */
export function confirmImport(
  db: Db,
  mailer: Mailer,
  links: InvitationLinks,
  actor: CurrentUser,
  id: number,
): { created: number } {
  const saved = getImport(db, actor, id);
  if (saved.confirmedAt) return { created: 0 };
  return withTransaction(
    db,
    (tx) => {
      const claimed = tx
        .update(invitationImports)
        .set({ confirmedAt: new Date() })
        .where(and(eq(invitationImports.id, id), isNull(invitationImports.confirmedAt)))
        .returning({ id: invitationImports.id })
        .get();
      if (!claimed) return { created: 0 };
      let created = 0;
      for (const row of previewRows(tx, actor, saved.rows)) {
        if (row.status !== 'new') continue;
        createInvitation(tx, mailer, links, {
          email: row.email,
          displayName: row.name.trim(),
          organizationId: row.organizationId!,
          role: row.resolvedRole!,
          invitedBy: actor.id,
          importId: id,
        });
        created += 1;
      }
      return { created };
    },
    'immediate',
  );
}

/** A confirmed import: how many invitations it made, and how many rows made none. */
export function importOutcome(db: Db, id: number, rowCount: number): { invited: number; skipped: number } {
  const invited = db.select({ n: count() }).from(invitations).where(eq(invitations.importId, id)).get()!.n;
  return { invited, skipped: Math.max(0, rowCount - invited) };
}

/** The actor's latest confirmed imports, to come back to their links. */
export function recentImports(db: Db, actor: CurrentUser, limit = 5) {
  return db.all<{ id: number; fileName: string; confirmedAt: number; invited: number }>(sql`
    SELECT m.id, m.file_name AS fileName, m.confirmed_at AS confirmedAt,
      (SELECT count(*) FROM invitations i WHERE i.import_id = m.id) AS invited
    FROM invitation_imports m
    WHERE m.created_by = ${actor.id} AND m.confirmed_at IS NOT NULL
    ORDER BY m.id DESC LIMIT ${limit}`);
}

export function summarize(rows: PreviewRow[]): Record<RowStatus, number> {
  const out: Record<RowStatus, number> = { new: 0, member: 0, invited: 0, error: 0 };
  for (const r of rows) out[r.status] += 1;
  return out;
}
