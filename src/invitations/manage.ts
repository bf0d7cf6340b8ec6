// Inviting one person, resending (a new link: the old one stops working) and revoking, and the
// list of a collective's invitations. Who may invite whom: see people/roles.ts.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import {
  createInvitation,
  INVITATION_TTL_DAYS,
  invitationLink,
  sendInvitationEmail,
} from '../auth/invitations.ts';
import { generateLinkToken, hashLinkToken } from '../auth/tokens.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { invitations, memberships, organizations, type Role } from '../db/schema.ts';
import { ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { managementScope, organizationInScope, organizationInScopeSql } from '../organizations/scope.ts';
import { roleFits, rolesGrantableBy } from '../people/roles.ts';
import { type CurrentUser, findUserByEmail, normalizeEmail } from '../people/users.ts';

export interface InviteInput {
  displayName: string;
  email: string;
  organizationId: number;
  role: Role;
}

export function invitePerson(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  actor: CurrentUser,
  input: InviteInput,
  now = new Date(),
): { id: number; link: string } {
  const scope = managementScope(actor);
  if (!organizationInScope(db, scope, input.organizationId)) throw new NotFoundError();
  if (!rolesGrantableBy(actor).includes(input.role)) throw new ForbiddenError('roles.error.onlyNational');
  const org = db.select().from(organizations).where(eq(organizations.id, input.organizationId)).get()!;
  if (org.archivedAt) throw new RuleError('roles.error.archived');
  if (!roleFits[input.role].includes(org.kind)) throw new RuleError('roles.error.wrongKind');
  const email = normalizeEmail(input.email);
  const existing = findUserByEmail(db, email);
  if (existing) {
    const already = db
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        and(
          eq(memberships.userId, existing.id),
          eq(memberships.organizationId, org.id),
          eq(memberships.role, input.role),
        ),
      )
      .get();
    if (already) throw new RuleError('invite.error.alreadyMember');
  }
  const pending = db
    .select({ id: invitations.id })
    .from(invitations)
    .where(
      and(
        eq(invitations.email, email),
        eq(invitations.organizationId, org.id),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .get();
  if (pending) throw new RuleError('invite.error.alreadyInvited');
  const { id, link } = createInvitation(db, mailer, baseUrl, { ...input, email, invitedBy: actor.id }, now);
  return { id, link };
}

export type InvitationStatus = 'pending' | 'accepted' | 'expired' | 'revoked';

export interface InvitationRow {
  id: number;
  email: string;
  displayName: string;
  organizationName: string;
  role: Role;
  status: InvitationStatus;
  expiresAt: Date;
  sentAt: Date;
  invitedByName: string | null;
}

function statusOf(
  row: { acceptedAt: number | null; revokedAt: number | null; expiresAt: number },
  now: Date,
): InvitationStatus {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt <= now.getTime() ? 'expired' : 'pending';
}

/** The invitations of the actor's scope, most recent first (at most `limit`). */
export function listInvitations(
  db: Db,
  actor: CurrentUser,
  options: { status?: InvitationStatus; limit?: number } = {},
  now = new Date(),
) {
  const scope = managementScope(actor);
  const rows = db.all<{
    id: number;
    email: string;
    displayName: string;
    organizationName: string;
    role: Role;
    acceptedAt: number | null;
    revokedAt: number | null;
    expiresAt: number;
    createdAt: number;
    lastSentAt: number | null;
    invitedByName: string | null;
  }>(sql`
    SELECT i.id, i.email, i.display_name AS displayName, o.name AS organizationName, i.role,
      i.accepted_at AS acceptedAt, i.revoked_at AS revokedAt, i.expires_at AS expiresAt,
      i.created_at AS createdAt, i.last_sent_at AS lastSentAt, u.display_name AS invitedByName
    FROM invitations i
    JOIN organizations o ON o.id = i.organization_id
    LEFT JOIN users u ON u.id = i.invited_by
    WHERE ${organizationInScopeSql(scope)}
    ORDER BY i.id DESC
    LIMIT ${options.limit ?? 500}`);
  return rows
    .map(
      (r): InvitationRow => ({
        id: r.id,
        email: r.email,
        displayName: r.displayName,
        organizationName: r.organizationName,
        role: r.role,
        status: statusOf(r, now),
        expiresAt: new Date(r.expiresAt),
        sentAt: new Date(r.lastSentAt ?? r.createdAt),
        invitedByName: r.invitedByName,
      }),
    )
    .filter((r) => !options.status || r.status === options.status);
}

function getScopedInvitation(db: Db, actor: CurrentUser, id: number) {
  const row = db.select().from(invitations).where(eq(invitations.id, id)).get();
  if (!row || !organizationInScope(db, managementScope(actor), row.organizationId)) throw new NotFoundError();
  return row;
}

/** A new link (the previous one stops working) valid another INVITATION_TTL_DAYS, emailed again. */
export function resendInvitation(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  actor: CurrentUser,
  id: number,
  now = new Date(),
): { link: string; email: string } {
  const row = getScopedInvitation(db, actor, id);
  if (row.acceptedAt) throw new RuleError('invite.error.accepted');
  const token = generateLinkToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const organization = db.select().from(organizations).where(eq(organizations.id, row.organizationId)).get()!;
  const link = invitationLink(baseUrl, token);
  withTransaction(db, (tx) => {
    tx.update(invitations)
      .set({ tokenHash: hashLinkToken(token), expiresAt, revokedAt: null, lastSentAt: now })
      .where(eq(invitations.id, id))
      .run();
    recordAudit(tx, {
      actorUserId: actor.id,
      action: 'invitation.resend',
      organizationId: row.organizationId,
      details: { email: row.email },
    });
    sendInvitationEmail(mailer, {
      email: row.email,
      displayName: row.displayName,
      inviterName: actor.displayName,
      organizationName: organization.name,
      role: row.role,
      expiresAt,
      link,
    });
  });
  return { link, email: row.email };
}

export function revokeInvitation(db: Db, actor: CurrentUser, id: number): void {
  const row = getScopedInvitation(db, actor, id);
  if (row.acceptedAt) throw new RuleError('invite.error.accepted');
  if (row.revokedAt) return;
  withTransaction(db, (tx) => {
    tx.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, id)).run();
    recordAudit(tx, {
      actorUserId: actor.id,
      action: 'invitation.revoke',
      organizationId: row.organizationId,
      details: { email: row.email },
    });
  });
}
