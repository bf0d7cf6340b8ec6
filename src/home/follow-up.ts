// What a coordinator follows up on their home: the people invited who have not come in yet, and
// the accounts of their collective never used. Always within the person's management scope
// (src/organizations/scope.ts): a coordinator sees their collective and its OSIMs only.
//
// Definitions, from the data:
// - pending invitation: not accepted, not revoked, not expired (the link still works);
// - expired without answer: not accepted, not revoked, expired, and the same person has no other
//   invitation to the same organization that was accepted or still works (a resend renews the
//   same row; a new invitation after expiry is a new row);
// - account never used: a person with a role in the scope who never signed in
//   (`users.last_seen_at` is written at every sign-in), account not disabled.
// Both read partial indexes (migration 0012) holding only open invitations and accounts never
// used, so they cost the same in a network of 30,000 people.
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { type Db, sqliteOf } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import { organizationInScopeSql, type Scope } from '../organizations/scope.ts';

const dialect = new SQLiteSyncDialect();
const conditions = new Map<string, { sql: string; params: unknown[] }>();

/**
 * scope.ts's condition on organization `o`, as SQL text and its parameters, made once per scope:
 * the statements below stay prepared (building them with drizzle on each call cost four times
 * the query).
 */
function inScope(scope: Scope): { sql: string; params: unknown[] } {
  const key = scope.all ? 'all' : scope.collectiveIds.join(',');
  let condition = conditions.get(key);
  if (!condition) {
    if (conditions.size >= 1000) conditions.clear();
    condition = dialect.sqlToQuery(organizationInScopeSql(scope));
    conditions.set(key, condition);
  }
  return condition;
}

export interface PendingInvitation {
  id: number;
  displayName: string;
  organizationName: string;
  role: Role;
  sentAt: number;
}

export interface PendingInvitations {
  total: number;
  /** The most recent ones. */
  recent: PendingInvitation[];
}

export function pendingInvitations(db: Db, scope: Scope, now: Date, limit = 3): PendingInvitations {
  const where = inScope(scope);
  const rows = sqliteOf(db)
    .prepare(
      `SELECT i.id, i.display_name AS displayName, o.name AS organizationName, i.role,
        coalesce(i.last_sent_at, i.created_at) AS sentAt, count(*) OVER () AS total
      FROM invitations i JOIN organizations o ON o.id = i.organization_id
      WHERE ${where.sql} AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?
      ORDER BY sentAt DESC, i.id DESC LIMIT ?`,
    )
    .all(...where.params, now.getTime(), limit) as Array<PendingInvitation & { total: number }>;
  return { total: rows[0]?.total ?? 0, recent: rows.map(({ total: _, ...row }) => row) };
}

/**
 * Invitations expired without answer. Each costs a look-up of the person's other invitations:
 * fine for a collective (a few hundred), not for the whole network's thousands.
 */
export function expiredUnanswered(db: Db, scope: Scope, now: Date): number {
  const where = inScope(scope);
  const t = now.getTime();
  const row = sqliteOf(db)
    .prepare(
      `SELECT count(*) AS n FROM invitations i JOIN organizations o ON o.id = i.organization_id
      WHERE ${where.sql} AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= ?
        AND NOT EXISTS (SELECT 1 FROM invitations j
          WHERE j.email = i.email AND j.organization_id = i.organization_id AND j.id <> i.id
            AND (j.accepted_at IS NOT NULL OR (j.revoked_at IS NULL AND j.expires_at > ?)))`,
    )
    .get(...where.params, t, t) as { n: number };
  return row.n;
}

export interface NeverSignedIn {
  total: number;
  /** The first ones, in name order. */
  people: Array<{ id: number; name: string }>;
}

export function neverSignedIn(db: Db, scope: Scope, limit = 5): NeverSignedIn {
  const where = inScope(scope);
  const rows = sqliteOf(db)
    .prepare(
      `SELECT u.id, u.display_name AS name, count(*) OVER () AS total FROM users u
      WHERE u.last_seen_at IS NULL AND u.disabled_at IS NULL
        AND EXISTS (SELECT 1 FROM memberships m JOIN organizations o ON o.id = m.organization_id
          WHERE m.user_id = u.id AND ${where.sql})
      ORDER BY u.sort_key, u.id LIMIT ?`,
    )
    .all(...where.params, limit) as Array<{ id: number; name: string; total: number }>;
  return { total: rows[0]?.total ?? 0, people: rows.map(({ id, name }) => ({ id, name })) };
}
