// Where in the network tree a manager reaches, as ids and SQL: the national team everything, a
// coordinator their COSIM/FOSIM and its OSIMs, and the people who belong to them (who is which:
// policy/policy.ts). Every route that takes an organization or a person id checks it here; out of
// scope is 404.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { CurrentUser } from '../people/users.ts';
import { isNational, managedCollectives } from '../policy/policy.ts';

export type Scope = { all: true } | { all: false; collectiveIds: number[] };

/** The part of the network the person manages: all of it, their collectives, or nothing. */
export function managementScope(user: CurrentUser): Scope {
  if (isNational(user)) return { all: true };
  return { all: false, collectiveIds: managedCollectives(user) };
}

export function managesAnything(scope: Scope): boolean {
  return scope.all || scope.collectiveIds.length > 0;
}

/** SQL condition: organization `o` is in the scope (a collective of it, or one of their OSIMs). */
export function organizationInScopeSql(scope: Scope, alias = 'o') {
  if (scope.all) return sql`1 = 1`;
  if (scope.collectiveIds.length === 0) return sql`0 = 1`;
  const ids = idList(scope.collectiveIds);
  const o = sql.raw(alias);
  return sql`(${o}.id IN (${ids}) OR ${o}.parent_id IN (${ids}) OR ${o}.federation_id IN (${ids}))`;
}

export function organizationInScope(db: Db, scope: Scope, organizationId: number): boolean {
  const row = db.get<{ ok: number }>(
    sql`SELECT count(*) AS ok FROM organizations o WHERE o.id = ${organizationId} AND ${organizationInScopeSql(scope)}`,
  );
  return (row?.ok ?? 0) > 0;
}

/** A person is in scope when one of their roles is on an organization of the scope. */
export function personInScope(db: Db, scope: Scope, userId: number): boolean {
  if (scope.all) {
    return (db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users WHERE id = ${userId}`)?.n ?? 0) > 0;
  }
  const row = db.get<{ ok: number }>(sql`
    SELECT count(*) AS ok FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE m.user_id = ${userId} AND ${organizationInScopeSql(scope)}`);
  return (row?.ok ?? 0) > 0;
}

export function requireOrganizationInScope(db: Db, scope: Scope, organizationId: number): void {
  if (!organizationInScope(db, scope, organizationId)) throw new NotFoundError();
}

export function requirePersonInScope(db: Db, scope: Scope, userId: number): void {
  if (!personInScope(db, scope, userId)) throw new NotFoundError();
}
