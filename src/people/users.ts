// People's accounts: lookup by email, creation, and the signed-in user with their roles.
import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';
import { prepared } from '../db/prepared.ts';
import { memberships, type OrganizationKind, organizations, type Role, users } from '../db/schema.ts';
import type { Locale } from '../i18n/index.ts';
import { searchable } from '../lib/text.ts';
import { ROLES_WIDEST_FIRST } from '../policy/policy.ts';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${normalizeEmail(email)}`)
    .get();
}

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string | null;
  locale?: Locale;
}

/** The derived columns the directory searches and sorts on; every write of a name or email sets them. */
export function searchColumns(displayName: string, email: string) {
  return { sortKey: searchable(displayName), searchText: searchable(`${displayName} ${email}`) };
}

export function createUser(db: Db, input: NewUser): number {
  const email = normalizeEmail(input.email);
  const row = db
    .insert(users)
    .values({ ...input, email, ...searchColumns(input.displayName, email) })
    .returning({ id: users.id })
    .get();
  return row.id;
}

export function addMembership(db: Db, userId: number, organizationId: number, role: Role): void {
  db.insert(memberships).values({ userId, organizationId, role }).onConflictDoNothing().run();
}

export interface MembershipView {
  organizationId: number;
  organizationName: string;
  organizationKind: OrganizationKind;
  /** The COSIM/FOSIM this membership belongs to: the organization itself, or an OSIM's COSIM. */
  collectiveId: number | null;
  collectiveName: string | null;
  role: Role;
}

export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  locale: Locale;
  /** IANA zone the person reads times in. */
  timeZone: string;
  memberships: MembershipView[];
  /** The widest role the person holds, which picks their home page. */
  primaryRole: Role | null;
}

const parent = alias(organizations, 'parent');

export function widestRole(roles: Role[]): Role | null {
  return ROLES_WIDEST_FIRST.find((r) => roles.includes(r)) ?? null;
}

/** The signed-in user, or null when the account does not exist or is disabled. */
export function loadCurrentUser(db: Db, userId: number): CurrentUser | null {
  const user = prepared(db, 'user.current', (d) =>
    d
      .select({
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        locale: users.locale,
        timeZone: users.timeZone,
        disabledAt: users.disabledAt,
      })
      .from(users)
      .where(eq(users.id, sql.placeholder('userId')))
      .prepare(),
  ).get({ userId });
  if (!user || user.disabledAt) return null;
  const rows = prepared(db, 'user.memberships', (d) =>
    d
      .select({
        organizationId: organizations.id,
        organizationName: organizations.name,
        organizationKind: organizations.kind,
        collectiveId: sql<
          number | null
        >`CASE WHEN ${organizations.kind} IN ('cosim', 'fosim') THEN ${organizations.id} ELSE ${parent.id} END`,
        collectiveName: sql<
          string | null
        >`CASE WHEN ${organizations.kind} IN ('cosim', 'fosim') THEN ${organizations.name} ELSE ${parent.name} END`,
        role: memberships.role,
      })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
      .leftJoin(parent, and(eq(parent.id, organizations.parentId), eq(organizations.kind, 'osim')))
      .where(eq(memberships.userId, sql.placeholder('userId')))
      .orderBy(memberships.id)
      .prepare(),
  ).all({ userId });
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    locale: user.locale,
    timeZone: user.timeZone,
    memberships: rows,
    primaryRole: widestRole(rows.map((r) => r.role)),
  };
}
