// Invitation links: a coordinator invites a person to an organization with a role; the person
// opens the link, sets their name and password, and the account exists. Links are single use
// and expire after INVITATION_TTL_DAYS.
import { and, eq, gt, isNull, TransactionRollbackError } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { invitations, organizations, type Role, users } from '../db/schema.ts';
import { translator } from '../i18n/index.ts';
import type { Mailer } from '../mail/mailer.ts';
import { addMembership, createUser, findUserByEmail, normalizeEmail } from '../people/users.ts';
import { generateLinkToken, hashLinkToken, isWellFormedLinkToken } from './tokens.ts';

export const INVITATION_TTL_DAYS = 14;

export interface NewInvitation {
  email: string;
  displayName: string;
  organizationId: number;
  role: Role;
  invitedBy: number | null;
}

export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl}/invitation/${token}`;
}

export function createInvitation(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  input: NewInvitation,
  now = new Date(),
): { id: number; token: string; link: string } {
  const token = generateLinkToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const email = normalizeEmail(input.email);
  const link = invitationLink(baseUrl, token);
  // The invitation, its audit entry and its email (outbox row) are written together or not at all.
  const id = withTransaction(db, (tx) => {
    const row = tx
      .insert(invitations)
      .values({ ...input, email, tokenHash: hashLinkToken(token), expiresAt, lastSentAt: now })
      .returning({ id: invitations.id })
      .get();
    recordAudit(tx, {
      actorUserId: input.invitedBy,
      action: 'invitation.create',
      organizationId: input.organizationId,
      details: { email, role: input.role },
    });
    const organization = tx
      .select()
      .from(organizations)
      .where(eq(organizations.id, input.organizationId))
      .get();
    const inviter = input.invitedBy
      ? tx.select({ name: users.displayName }).from(users).where(eq(users.id, input.invitedBy)).get()
      : undefined;
    sendInvitationEmail(mailer, {
      email,
      displayName: input.displayName,
      inviterName: inviter?.name ?? null,
      organizationName: organization?.name ?? '',
      role: input.role,
      expiresAt,
      link,
    });
    return row.id;
  });
  return { id, token, link };
}

/** The invitation email, in French (the person has no account, hence no language, yet). */
export function sendInvitationEmail(
  mailer: Mailer,
  invitation: {
    email: string;
    displayName: string;
    inviterName: string | null;
    organizationName: string;
    role: Role;
    expiresAt: Date;
    link: string;
  },
): void {
  const t = translator('fr');
  mailer.send({
    to: invitation.email,
    subject: t('mail.invitation.subject', { organization: invitation.organizationName }),
    text: t('mail.invitation.body', {
      name: invitation.displayName,
      inviter: invitation.inviterName ?? 'Le FORIM',
      organization: invitation.organizationName,
      role: t(`role.${invitation.role}`).toLowerCase(),
      expires: invitation.expiresAt.toLocaleDateString('fr-FR', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'Europe/Paris',
      }),
      link: invitation.link,
    }),
  });
}

export type InvitationLookup =
  | { state: 'unknown' | 'expired' }
  | {
      state: 'valid';
      id: number;
      email: string;
      displayName: string;
      organizationId: number;
      organizationName: string;
      role: Role;
      existingUserId: number | null;
    };

export function findInvitation(db: Db, token: string, now = new Date()): InvitationLookup {
  if (!isWellFormedLinkToken(token)) return { state: 'unknown' };
  const row = db
    .select({
      id: invitations.id,
      email: invitations.email,
      displayName: invitations.displayName,
      organizationId: invitations.organizationId,
      organizationName: organizations.name,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(eq(invitations.tokenHash, hashLinkToken(token)))
    .get();
  if (!row) return { state: 'unknown' };
  if (row.acceptedAt || row.revokedAt || row.expiresAt <= now) return { state: 'expired' };
  const existing = findUserByEmail(db, row.email);
  return {
    state: 'valid',
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    role: row.role,
    existingUserId: existing?.id ?? null,
  };
}

/**
 * Consumes the invitation and gives the role. `newAccount` creates the account (the person had
 * none); without it the role goes to `userId`, an account that already exists. Returns the user
 * id, or null when the link was used, revoked or expired meanwhile.
 */
export function acceptInvitation(
  db: Db,
  token: string,
  who: { newAccount: { displayName: string; passwordHash: string } } | { userId: number },
  now = new Date(),
): number | null {
  if (!isWellFormedLinkToken(token)) return null;
  try {
    return acceptInTransaction(db, token, who, now);
  } catch (error) {
    // The account was created meanwhile (by another tab): nothing was written.
    if (error instanceof TransactionRollbackError) return null;
    throw error;
  }
}

function acceptInTransaction(
  db: Db,
  token: string,
  who: { newAccount: { displayName: string; passwordHash: string } } | { userId: number },
  now: Date,
): number | null {
  return db.transaction((tx) => {
    const consumed = tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(
        and(
          eq(invitations.tokenHash, hashLinkToken(token)),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .returning()
      .get();
    if (!consumed) return null;
    const txDb = tx as unknown as Db;
    let userId: number;
    if ('userId' in who) {
      userId = who.userId;
    } else {
      if (findUserByEmail(txDb, consumed.email)) tx.rollback();
      userId = createUser(txDb, {
        email: consumed.email,
        displayName: who.newAccount.displayName,
        passwordHash: who.newAccount.passwordHash,
      });
    }
    addMembership(txDb, userId, consumed.organizationId, consumed.role);
    tx.update(invitations).set({ acceptedUserId: userId }).where(eq(invitations.id, consumed.id)).run();
    recordAudit(txDb, {
      actorUserId: userId,
      action: 'invitation.accept',
      subjectUserId: userId,
      organizationId: consumed.organizationId,
      details: { role: consumed.role },
    });
    return userId;
  });
}
