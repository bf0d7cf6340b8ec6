// People's accounts: lookup by email, creation, and the signed-in user with their roles.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { memberships, type OrganizationKind, organizations, type Role, users } from '../db/schema.ts';
import type { Locale } from '../i18n/index.ts';

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

export function createUser(db: Db, input: NewUser): number {
  const row = db
    .insert(users)
    .values({ ...input, email: normalizeEmail(input.email) })
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
  parentId: number | null;
  role: Role;
}

export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  locale: Locale;
  memberships: MembershipView[];
  /** The widest role the person holds, which picks their home page. */
  primaryRole: Role | null;
}

const roleRank: Record<Role, number> = { member: 0, trainer: 1, coordinator: 2, admin: 3 };

export function widestRole(roles: Role[]): Role | null {
  let best: Role | null = null;
  for (const role of roles) if (best === null || roleRank[role] > roleRank[best]) best = role;
  return best;
}

/** The signed-in user, or null when the account does not exist or is disabled. */
export function loadCurrentUser(db: Db, userId: number): CurrentUser | null {
  const user = db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user || user.disabledAt) return null;
  const rows = db
    .select({
      organizationId: organizations.id,
      organizationName: organizations.name,
      organizationKind: organizations.kind,
      parentId: organizations.parentId,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.id)
    .all();
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    locale: user.locale,
    memberships: rows,
    primaryRole: widestRole(rows.map((r) => r.role)),
  };
}

export function hasRole(user: CurrentUser | null, roles: readonly Role[]): boolean {
  return user?.memberships.some((m) => roles.includes(m.role)) ?? false;
}
