// Mail as people receive it: the test app's mailer delivers through nodemailer into this mailbox (as
// it would through SMTP_URL), and `lastLinkTo` reads a link from the last mail a person received —
// never from the outbox table, whose stored text holds no link (src/mail/links.ts).
import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer } from '../src/mail/mailer.ts';

export interface DeliveredMail {
  to: string;
  subject: string;
  text: string;
}

/** A nodemailer transport that keeps what it is given, in order. */
export function mailboxTransport(mailbox: DeliveredMail[]): Transporter {
  return nodemailer.createTransport({
    name: 'test-mailbox',
    version: '1',
    send(mail, callback) {
      mailbox.push({
        to: String(mail.data.to),
        subject: String(mail.data.subject),
        text: String(mail.data.text),
      });
      callback(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId() });
    },
  });
}

const linkPaths = {
  invitation: '/invitation/',
  'password-reset': '/password/reset/',
  'email-change': '/profile/email/',
  'email-change-undo': '/profile/email/undo/',
} as const;

export type LinkKindInMail = keyof typeof linkPaths;

/**
 * The path of the `kind` link in the last mail delivered to `email` (e.g. `/password/reset/abc…`):
 * open it with a TestClient, or after a browser's base URL. Delivers what is pending first.
 */
export async function lastLinkTo(
  ctx: { mailer: Mailer; mailbox: DeliveredMail[] },
  email: string,
  kind: LinkKindInMail,
): Promise<string> {
  if (!ctx.mailer.smtpEnabled)
    throw new Error('This test app delivers no mail: create it without `smtp: false`.');
  await ctx.mailer.flush();
  const pattern = new RegExp(
    `https?://[^\\s/]+(${linkPaths[kind].replace(/\//g, '\\/')}[a-z2-7]{32})(?![a-z2-7/])`,
  );
  for (let i = ctx.mailbox.length - 1; i >= 0; i--) {
    const mail = ctx.mailbox[i]!;
    if (mail.to.toLowerCase() !== email.toLowerCase()) continue;
    const found = pattern.exec(mail.text);
    if (found) return found[1]!;
  }
  throw new Error(`No ${kind} link in the mails delivered to ${email}.`);
}
