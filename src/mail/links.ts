// Links that open something (an invitation, a new password, an e-mail change) never sit in a mail's
// stored text. The sender gives the link apart (MailMessage.link); the outbox stores the text with
// LINK_PLACEHOLDER in its place, and the link itself sealed — AES-256-GCM under a key derived from
// the app secret, a file outside the database (src/lib/app-secret.ts) — only until the mail is sent
// or the link expires. A copy of the database (a backup) therefore holds no link anyone can open.
//
// NOTE: who sees a link on /admin/outbox is decided here (`shownInOutbox`) and nowhere else. Only an
// invitation link, only while its mail waits because there is no SMTP server: the outbox is then how
// invitations reach people, and the national team can copy the same link from « Invitations »
// anyway. A new-password or e-mail-change link is never shown, to anyone: a national-team member
// could otherwise ask a reset for someone else and open it first. Without SMTP those mails cannot
// leave; the outbox page says so.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const linkKinds = ['invitation', 'password-reset', 'email-change'] as const;
export type LinkKind = (typeof linkKinds)[number];

/** A link to keep out of the stored text: it must appear as is in the mail's text. */
export interface MailLink {
  url: string;
  kind: LinkKind;
  /** When the link stops working anyway: after that it is forgotten, sent or not. */
  expiresAt: Date;
}

/** What the stored text holds where the link goes (never typed by anyone: not a form character). */
export const LINK_PLACEHOLDER = '⟦lien⟧';

/** `last_error` of a mail whose link expired, or was lost, before it could leave. */
export const LINK_UNAVAILABLE = 'link-unavailable';

/**
 * A link of the app that opens something: its path and a token (auth/tokens.ts, 32 base32
 * characters). Only these paths: an address someone typed (a séance's video link) may end like a token.
 */
const LINK_TOKEN = /\/(?:invitation|password\/reset|profile\/email(?:\/undo)?)\/[a-z2-7]{32}(?![a-z2-7])/;

/** A mail whose text carries a link token not given as its `link`: a mistake, refused before it is stored. */
export function assertNoBareLink(text: string): void {
  if (LINK_TOKEN.test(text)) throw new Error('A mail’s link must be given as `link`, not only in its text.');
}

/** The text to store: every occurrence of the link replaced by the placeholder. */
export function withoutLink(text: string, link: MailLink): string {
  if (!text.includes(link.url)) throw new Error('The mail’s link does not appear in its text.');
  const stored = text.split(link.url).join(LINK_PLACEHOLDER);
  const token = link.url.slice(link.url.lastIndexOf('/') + 1);
  if (token.length >= 16 && stored.includes(token)) throw new Error('The mail’s text repeats its token.');
  return stored;
}

export function withLink(stored: string, url: string): string {
  return stored.split(LINK_PLACEHOLDER).join(url);
}

export interface LinkSealer {
  seal(url: string, recipient: string): string;
  /** The link, or null when it cannot be read (another app secret, a damaged value). */
  open(sealed: string, recipient: string): string | null;
}

/** Seals with a key derived from the app secret; the recipient is bound in, so a sealed link cannot move. */
export function linkSealer(appSecret: Uint8Array): LinkSealer {
  const key = Buffer.from(hkdfSync('sha256', appSecret, new Uint8Array(0), 'passerelle outbox links', 32));
  const aad = (recipient: string) => Buffer.from(recipient.toLowerCase(), 'utf8');
  return {
    seal(url, recipient) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(recipient));
      const sealed = Buffer.concat([cipher.update(url, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open(value, recipient) {
      try {
        const bytes = Buffer.from(value, 'base64url');
        if (bytes.length < 29) return null;
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(aad(recipient));
        decipher.setAuthTag(bytes.subarray(12, 28));
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        // Sealed under another app secret (a restored database without its secret file): unreadable.
        return null;
      }
    },
  };
}

/** Whether the national team may read this mail's link on the outbox page (see the NOTE above). */
export function shownInOutbox(
  mail: { linkKind: LinkKind | null; sentAt: Date | null; linkExpiresAt: Date | null },
  smtpEnabled: boolean,
  now: Date,
): boolean {
  return (
    mail.linkKind === 'invitation' &&
    !smtpEnabled &&
    mail.sentAt === null &&
    mail.linkExpiresAt !== null &&
    mail.linkExpiresAt > now
  );
}
