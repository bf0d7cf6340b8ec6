// Inviting one person, resending (a new link: the old one stops working) and revoking. Who may
// invite whom: see people/roles.ts; the lists are in listing.ts.
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
import { invitations, memberships, organizations, type Role } from '../db/schema.ts';
import { ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { managementScope, organizationInScope } from '../organizations/scope.ts';
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
  links: InvitationLinks,
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
  return createInvitation(db, mailer, links, { ...input, email, invitedBy: actor.id }, now);
}

/** The invitation, if it is in the actor's scope; 404 otherwise. */
export function getScopedInvitation(db: Db, actor: CurrentUser, id: number) {
  const row = db.select().from(invitations).where(eq(invitations.id, id)).get();
  if (!row || !organizationInScope(db, managementScope(actor), row.organizationId)) throw new NotFoundError();
  return row;
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
  if (row.acceptedAt) throw new RuleError('invite.error.accepted');
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const organization = db.select().from(organizations).where(eq(organizations.id, row.organizationId)).get()!;
  const link = withTransaction(
    db,
    (tx) => {
      // Checked again inside the write lock: the person may have accepted meanwhile.
      if (getScopedInvitation(tx, actor, id).acceptedAt) throw new RuleError('invite.error.accepted');
      const link = renewLink(tx, links, id, { expiresAt, revokedAt: null, lastSentAt: now });
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
