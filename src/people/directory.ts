// The people directory: who the viewer may see (everyone for the national team, their
// collective for a coordinator), searched by name, email or OSIM, a page at a time. Built to
// stay fast at FORIM's scale (30,000 people): the search runs on a precomputed accent-free
// column, scoping starts from the collective's memberships, and only one page is ever loaded.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
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

/**
 * `%`, `_` and `\` mean nothing in a name or an address: they are dropped rather than escaped,
 * because an ESCAPE clause stops SQLite's trigram index from serving the LIKE.
 */
function likePattern(text: string): string {
  return `%${text}%`;
}

export function searchPeople(
  db: Db,
  scope: Scope,
  options: { query?: string; page?: number },
): DirectoryPage {
  const query = (options.query ?? '').trim().slice(0, 100);
  const needle = searchable(query.replace(/[%_\\]/g, ' '));
  const requested = Math.max(1, Math.trunc(options.page ?? 1));
  let total: number;
  let pageIds: number[];
  let page: number;
  if (scope.all && !needle) {
    // Everyone, no search: the sort index pages through directly.
    total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`)!.n;
    page = Math.min(requested, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    pageIds = db
      .all<{ id: number }>(
        sql`SELECT id FROM users ORDER BY sort_key, id LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`,
      )
      .map((r) => r.id);
  } else {
    // A search or a collective: the matching people (a few thousand at most), sorted once.
    const conditions: SQL[] = [];
    if (!scope.all) {
      conditions.push(sql`u.id IN (SELECT m.user_id FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE ${organizationInScopeSql(scope)})`);
    }
    if (needle) {
      // users_search: trigram full-text index over users.search_text (migration 0003), which
      // serves "contains" searches from 3 characters without reading every account.
      const pattern = likePattern(needle);
      conditions.push(sql`u.id IN (
        SELECT rowid FROM users_search WHERE search_text LIKE ${pattern}
        UNION SELECT m.user_id FROM memberships m JOIN organizations so ON so.id = m.organization_id
          WHERE so.kind = 'osim' AND so.search_name LIKE ${pattern})`);
    }
    const ids = db
      .all<{ id: number }>(
        sql`SELECT u.id FROM users u WHERE ${sql.join(conditions, sql` AND `)} ORDER BY u.sort_key, u.id`,
      )
      .map((r) => r.id);
    total = ids.length;
    page = Math.min(requested, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    pageIds = ids.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  }
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const people =
    pageIds.length === 0
      ? []
      : db.all<{ id: number; displayName: string; email: string; disabledAt: number | null }>(sql`
    SELECT u.id, u.display_name AS displayName, u.email, u.disabled_at AS disabledAt
    FROM users u WHERE u.id IN (${idList(pageIds)})`);
  const byId = new Map(people.map((p) => [p.id, p]));
  const roles = rolesOf(db, scope, pageIds);
  return {
    rows: pageIds.map((id) => {
      const p = byId.get(id)!;
      return {
        id,
        displayName: p.displayName,
        email: p.email,
        disabled: p.disabledAt !== null,
        roles: roles.get(id) ?? [],
      };
    }),
    total,
    page,
    pages,
    query,
  };
}

/** Each person's roles — only those inside the viewer's scope: other collectives are not theirs to see. */
export function rolesOf(db: Db, scope: Scope, userIds: number[]) {
  const out = new Map<number, DirectoryRow['roles']>();
  if (userIds.length === 0) return out;
  const rows = db.all<{ userId: number; organizationName: string; role: Role }>(sql`
    SELECT m.user_id AS userId, o.name AS organizationName, m.role
    FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE m.user_id IN (${idList(userIds)}) AND ${organizationInScopeSql(scope)}
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
