// What /admin/outbox shows of each mail: subject, recipient, date, state, and the text with its link
// either shown (shownInOutbox, links.ts: a pending invitation, without SMTP, whose link still opens
// it) or masked. Nothing else of a link ever reaches the page.
import { findInvitation } from '../auth/invitations.ts';
import type { Db } from '../db/client.ts';
import { LINK_PLACEHOLDER, LINK_UNAVAILABLE, shownInOutbox } from './links.ts';
import type { Mailer } from './mailer.ts';
import { listOutbox, OUTBOX_KEEP_DAYS, type OutboxRow } from './outbox.ts';

export type MailState = 'sent' | 'pending' | 'held' | 'failed' | 'link-unavailable';

/** A piece of the mail's text: plain text, or its link (null: masked). */
export type MailPart = { text: string } | { link: string | null };

export interface OutboxEntry {
  id: number;
  subject: string;
  toAddress: string;
  createdAt: Date;
  state: MailState;
  error: string | null;
  parts: MailPart[];
}

export interface OutboxPage {
  smtpEnabled: boolean;
  keepDays: number;
  mails: OutboxEntry[];
}

export function outboxPage(db: Db, mailer: Mailer, now = new Date()): OutboxPage {
  return {
    smtpEnabled: mailer.smtpEnabled,
    keepDays: OUTBOX_KEEP_DAYS,
    mails: listOutbox(db).map((mail) => entry(db, mailer, mail, now)),
  };
}

function entry(db: Db, mailer: Mailer, mail: OutboxRow, now: Date): OutboxEntry {
  const link = shownInOutbox(mail, mailer.smtpEnabled, now)
    ? openInvitationLink(db, mailer, mail, now)
    : null;
  const pieces = mail.textBody.split(LINK_PLACEHOLDER);
  const parts: MailPart[] = [];
  pieces.forEach((text, i) => {
    if (i > 0) parts.push({ link });
    if (text) parts.push({ text });
  });
  return {
    id: mail.id,
    subject: mail.subject,
    toAddress: mail.toAddress,
    createdAt: mail.createdAt,
    state: stateOf(mail, mailer.smtpEnabled),
    error: mail.lastError === LINK_UNAVAILABLE ? null : mail.lastError,
    parts,
  };
}

function stateOf(mail: OutboxRow, smtpEnabled: boolean): MailState {
  if (mail.sentAt) return 'sent';
  if (mail.lastError === LINK_UNAVAILABLE) return 'link-unavailable';
  if (mail.lastError) return 'failed';
  // Without SMTP a mail whose link is personal (not an invitation) has no way out.
  if (!smtpEnabled && mail.linkKind && mail.linkKind !== 'invitation') return 'held';
  return 'pending';
}

/** The invitation link, if it still opens a pending invitation (not resent, accepted or withdrawn since). */
function openInvitationLink(db: Db, mailer: Mailer, mail: OutboxRow, now: Date): string | null {
  const link = mailer.linkOf(mail, now);
  if (!link) return null;
  const token = link.slice(link.lastIndexOf('/') + 1);
  return findInvitation(db, token, now).state === 'valid' ? link : null;
}
