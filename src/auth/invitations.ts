// Invitation links: a coordinator invites a person to an organization with a role; the person
// opens the link, sets their name and password, and the account exists. Links are single use
// and expire after INVITATION_TTL_DAYS.
//
// NOTE: a link can be shown again to the coordinator (to copy into WhatsApp) without the database
// holding it: its token is HMAC-SHA256 under the app secret (a file outside the database,
// src/lib/app-secret.ts) of the invitation's id and a random nonce stored in the row, cut to 160
// bits in base32 like every link token of the app. The database keeps the nonce and the token's
// SHA-256 (the lookup key), so a copy of the database alone, or of a backup, opens nothing. A new
// nonce (resend) changes the link; no nonce (accepted, revoked, or made before nonces) means the
// link cannot be shown and must be sent again.
import { createHmac, randomBytes } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { eq, isNull, TransactionRollbackError } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { invitations, organizations, type Role, users } from '../db/schema.ts';
import { translator } from '../i18n/index.ts';
import { appSecret } from '../lib/app-secret.ts';
import { formatDate } from '../lib/time.ts';
import type { Mailer } from '../mail/mailer.ts';
import { addMembership, createUser, findUserByEmail, normalizeEmail } from '../people/users.ts';
import {
  consumeLinkToken,
  generateLinkToken,
  hashLinkToken,
  isWellFormedLinkToken,
  type SingleUseLink,
} from './tokens.ts';

export const INVITATION_TTL_DAYS = 14;

/** Accepting uses the link once; a revoked invitation opens nothing, and its nonce is forgotten. */
const acceptance: SingleUseLink<typeof invitations> = {
  table: invitations,
  tokenHash: invitations.tokenHash,
  usedAt: invitations.acceptedAt,
  expiresAt: invitations.expiresAt,
  alsoRequires: isNull(invitations.revokedAt),
  alsoSets: { linkNonce: null },
};

/** What it takes to write an invitation link: the public address and the app secret. */
export interface InvitationLinks {
  baseUrl: string;
  secret: Uint8Array;
}

export function invitationLinks(config: { baseUrl: string; secretPath: string | null }): InvitationLinks {
  return { baseUrl: config.baseUrl, secret: appSecret(config.secretPath) };
}

export interface NewInvitation {
  email: string;
  displayName: string;
  organizationId: number;
  role: Role;
  invitedBy: number | null;
  /** The CSV import that makes it. */
  importId?: number | null;
}

export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl}/invitation/${token}`;
}

function invitationToken(secret: Uint8Array, id: number, nonce: string): string {
  const mac = createHmac('sha256', secret).update(`invitation:${id}:${nonce}`).digest();
  return encodeBase32LowerCaseNoPadding(mac.subarray(0, 20));
}

/** The link of an invitation, if it can be shown: it has a nonce and the token it gives is the stored one. */
export function shownLink(
  links: InvitationLinks,
  row: { id: number; linkNonce: string | null; tokenHash: string },
): string | null {
  if (!row.linkNonce) return null;
  const token = invitationToken(links.secret, row.id, row.linkNonce);
  // A secret that changed (file lost and re-created) gives another token: never show a dead link.
  return hashLinkToken(token) === row.tokenHash ? invitationLink(links.baseUrl, token) : null;
}

/**
 * A new link for the invitation (the previous one stops working). The caller writes the rest of
 * the change (expiry, audit, email) in the same transaction.
 */
export function renewLink(
  db: Db,
  links: InvitationLinks,
  id: number,
  changes: Partial<Pick<typeof invitations.$inferInsert, 'expiresAt' | 'revokedAt' | 'lastSentAt'>> = {},
): string {
  const nonce = randomBytes(16).toString('base64url');
  const token = invitationToken(links.secret, id, nonce);
  db.update(invitations)
    .set({ ...changes, linkNonce: nonce, tokenHash: hashLinkToken(token) })
    .where(eq(invitations.id, id))
    .run();
  return invitationLink(links.baseUrl, token);
}

export function createInvitation(
  db: Db,
  mailer: Mailer,
  links: InvitationLinks,
  input: NewInvitation,
  now = new Date(),
): { id: number; link: string } {
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const email = normalizeEmail(input.email);
  // The invitation, its audit entry and its email (outbox row) are written together or not at all.
  return withTransaction(db, (tx) => {
    // The token needs the row's id: the row is written with a throwaway hash, then given its link.
    const row = tx
      .insert(invitations)
      .values({ ...input, email, tokenHash: hashLinkToken(generateLinkToken()), expiresAt, lastSentAt: now })
      .returning({ id: invitations.id })
      .get();
    const link = renewLink(tx, links, row.id);
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
    return { id: row.id, link };
  });
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
      expires: formatDate(invitation.expiresAt),
      link: invitation.link,
    }),
    // Kept out of the outbox's text (src/mail/links.ts).
    link: { url: invitation.link, kind: 'invitation', expiresAt: invitation.expiresAt },
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
    const txDb = tx as unknown as Db;
    const link = consumeLinkToken(txDb, acceptance, token, now);
    if (link.state !== 'consumed') return null;
    const consumed = link.row;
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
