// One person as a manager sees them: account, roles (within the manager's scope), and what can
// be done (grant, withdraw, disable) — the rules themselves live in roles.ts and accounts.ts.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type Role, users } from '../db/schema.ts';
import { organizationInScopeSql, requirePersonInScope, type Scope } from '../organizations/scope.ts';

export interface PersonRole {
  membershipId: number;
  organizationId: number;
  organizationName: string;
  organizationKind: string;
  parentId: number | null;
  federationId: number | null;
  role: Role;
}

export function getPersonView(db: Db, scope: Scope, userId: number) {
  requirePersonInScope(db, scope, userId);
  const user = db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      disabledAt: users.disabledAt,
      lastSeenAt: users.lastSeenAt,
      createdAt: users.createdAt,
      hasPassword: sql<number>`${users.passwordHash} IS NOT NULL`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get()!;
  const roles = db.all<PersonRole>(sql`
    SELECT m.id AS membershipId, o.id AS organizationId, o.name AS organizationName, o.kind AS organizationKind,
      o.parent_id AS parentId, o.federation_id AS federationId, m.role
    FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE m.user_id = ${userId} AND ${organizationInScopeSql(scope)}
    ORDER BY o.name, m.role`);
  return { user, roles };
}

/** Organizations where the manager may give a role: their collective(s) and its OSIMs, active ones. */
export function grantableOrganizations(db: Db, scope: Scope) {
  return db.all<{ id: number; name: string; kind: string }>(sql`
    SELECT o.id, o.name, o.kind FROM organizations o
    WHERE o.archived_at IS NULL AND ${organizationInScopeSql(scope)}
    ORDER BY CASE o.kind WHEN 'forim' THEN 0 WHEN 'cosim' THEN 1 WHEN 'fosim' THEN 2 ELSE 3 END, o.name`);
}
