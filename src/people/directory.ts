// The people directory: who the viewer may see (everyone for the national team, their
// collective for a coordinator), searched by name, email or OSIM, a page at a time. Built to
// stay fast at FORIM's scale (30,000 people): the search runs on a precomputed accent-free
// column, scoping starts from the collective's memberships, and only one page is ever loaded.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import { searchable } from '../lib/text.ts';
import { organizationInScopeSql, type Scope } from '../organizations/scope.ts';

export const PAGE_SIZE = 50;

export interface DirectoryRow {
  id: number;
  displayName: string;
  email: string;
  disabled: boolean;
  roles: Array<{ organizationName: string; role: Role }>;
}

export interface DirectoryPage {
  rows: DirectoryRow[];
  total: number;
  page: number;
  pages: number;
  query: string;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function searchPeople(
  db: Db,
  scope: Scope,
  options: { query?: string; page?: number },
): DirectoryPage {
  const query = (options.query ?? '').trim().slice(0, 100);
  const needle = searchable(query);
  const conditions: SQL[] = [];
  if (!scope.all) {
    conditions.push(sql`u.id IN (SELECT m.user_id FROM memberships m JOIN organizations o ON o.id = m.organization_id
      WHERE ${organizationInScopeSql(scope)})`);
  }
  if (needle) {
    const osimIds = matchingOsims(db, needle);
    const byOsim =
      osimIds.length > 0
        ? sql` OR u.id IN (SELECT user_id FROM memberships WHERE organization_id IN (${sql.join(
            osimIds.map((id) => sql`${id}`),
            sql`, `,
          )}))`
        : sql``;
    conditions.push(sql`(u.search_text LIKE ${likePattern(needle)} ESCAPE '\\'${byOsim})`);
  }
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users u ${where}`)!.n;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(options.page ?? 1)), pages);
  const people = db.all<{ id: number; displayName: string; email: string; disabledAt: number | null }>(sql`
    SELECT u.id, u.display_name AS displayName, u.email, u.disabled_at AS disabledAt
    FROM users u ${where}
    ORDER BY u.sort_key, u.id
    LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`);
  const roles = rolesOf(
    db,
    scope,
    people.map((p) => p.id),
  );
  return {
    rows: people.map((p) => ({
      id: p.id,
      displayName: p.displayName,
      email: p.email,
      disabled: p.disabledAt !== null,
      roles: roles.get(p.id) ?? [],
    })),
    total,
    page,
    pages,
    query,
  };
}

/** OSIMs whose name contains the search: the organizations table is small (about 1,000 rows). */
function matchingOsims(db: Db, needle: string): number[] {
  return db
    .all<{ id: number; name: string }>(sql`SELECT id, name FROM organizations WHERE kind = 'osim'`)
    .filter((o) => searchable(o.name).includes(needle))
    .map((o) => o.id);
}

/** Each person's roles — only those inside the viewer's scope: other collectives are not theirs to see. */
export function rolesOf(db: Db, scope: Scope, userIds: number[]) {
  const out = new Map<number, DirectoryRow['roles']>();
  if (userIds.length === 0) return out;
  const rows = db.all<{ userId: number; organizationName: string; role: Role }>(sql`
    SELECT m.user_id AS userId, o.name AS organizationName, m.role
    FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE m.user_id IN (${sql.join(
      userIds.map((id) => sql`${id}`),
      sql`, `,
    )}) AND ${organizationInScopeSql(scope)}
    ORDER BY m.id`);
  for (const r of rows) {
    const list = out.get(r.userId) ?? [];
    list.push({ organizationName: r.organizationName, role: r.role });
    out.set(r.userId, list);
  }
  return out;
}

/** The people who hold a role on one organization (an OSIM's page), at most 500. */
export function listPeopleOfOrganization(db: Db, organizationId: number) {
  return db.all<{ id: number; displayName: string; email: string; role: Role; disabled: number }>(sql`
    SELECT u.id, u.display_name AS displayName, u.email, m.role, u.disabled_at IS NOT NULL AS disabled
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.organization_id = ${organizationId}
    ORDER BY u.sort_key, u.id
    LIMIT 500`);
}
