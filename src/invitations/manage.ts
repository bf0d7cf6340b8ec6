// Inviting one person, resending (a new link: the old one stops working), revoking, and inviting
// again after a revocation (a new invitation: a revoked one stays revoked). Each applies the same
// rule of who may give which role where (policy.ts: mayGrantRole); the lists are in listing.ts.
import { and, eq, gt, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import {
  createInvitation,
  INVITATION_TTL_DAYS,
  type InvitationLinks,
  renewLink,
  sendInvitationEmail,
} from '../auth/invitations.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { invitations, memberships, type Role } from '../db/schema.ts';
import { NotFoundError, RuleError } from '../lib/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { managementScope, organizationInScope } from '../organizations/scope.ts';
import { requireGrantAuthority, roleFits } from '../people/roles.ts';
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
  links: InvitationLinks,
  actor: CurrentUser,
  input: InviteInput,
  now = new Date(),
): { id: number; link: string } {
  const org = requireGrantAuthority(db, actor, input.organizationId, input.role);
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
  return createInvitation(db, mailer, links, { ...input, email, invitedBy: actor.id }, now);
}

/** The invitation, if it is in the actor's scope; 404 otherwise. */
export function getScopedInvitation(db: Db, actor: CurrentUser, id: number) {
  const row = db.select().from(invitations).where(eq(invitations.id, id)).get();
  if (!row || !organizationInScope(db, managementScope(actor), row.organizationId)) throw new NotFoundError();
  return row;
}

/** Only an invitation neither accepted nor revoked is sent again: a revoked one stays revoked. */
function checkStillOpen(row: { acceptedAt: Date | null; revokedAt: Date | null }) {
  if (row.acceptedAt) throw new RuleError('invite.error.accepted');
  if (row.revokedAt) throw new RuleError('invite.error.revoked');
}

/** A new link (the previous one stops working) valid another INVITATION_TTL_DAYS, emailed again. */
export function resendInvitation(
  db: Db,
  mailer: Mailer,
  links: InvitationLinks,
  actor: CurrentUser,
  id: number,
  now = new Date(),
): { link: string; email: string } {
  const row = getScopedInvitation(db, actor, id);
  checkStillOpen(row);
  const organization = requireGrantAuthority(
    db,
    actor,
    row.organizationId,
    row.role,
    'invite.error.notYours',
  );
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const link = withTransaction(
    db,
    (tx) => {
      // Checked again inside the write lock: it may have been accepted or revoked meanwhile.
      checkStillOpen(getScopedInvitation(tx, actor, id));
      const link = renewLink(tx, links, id, { expiresAt, lastSentAt: now });
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
      return link;
    },
    'immediate',
  );
  return { link, email: row.email };
}

export function revokeInvitation(db: Db, actor: CurrentUser, id: number): void {
  const row = getScopedInvitation(db, actor, id);
  if (row.acceptedAt) throw new RuleError('invite.error.accepted');
  requireGrantAuthority(db, actor, row.organizationId, row.role, 'invite.error.notYours');
  if (row.revokedAt) return;
  withTransaction(db, (tx) => {
    // Without its nonce the link can no longer be shown (nor would it work). Only a pending one:
    // the person may have accepted meanwhile.
    const revoked = tx
      .update(invitations)
      .set({ revokedAt: new Date(), linkNonce: null })
      .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id })
      .get();
    if (!revoked) return;
    recordAudit(tx, {
      actorUserId: actor.id,
      action: 'invitation.revoke',
      organizationId: row.organizationId,
      details: { email: row.email },
    });
  });
}

/**
 * « Inviter à nouveau » after a revocation (or an expiry): a new invitation of the same person, to
 * the same organization and role — a new row, audited and emailed, under the same rules as any
 * invitation. The old one stays as it was.
 */
export function reinvite(
  db: Db,
  mailer: Mailer,
  links: InvitationLinks,
  actor: CurrentUser,
  id: number,
  now = new Date(),
): { id: number; email: string } {
  const row = getScopedInvitation(db, actor, id);
  if (row.acceptedAt) throw new RuleError('invite.error.accepted');
  const created = invitePerson(
    db,
    mailer,
    links,
    actor,
    { displayName: row.displayName, email: row.email, organizationId: row.organizationId, role: row.role },
    now,
  );
  return { id: created.id, email: row.email };
}
