// Delivers queued emails over SMTP (nodemailer) when SMTP_URL is set; otherwise leaves them in
// the outbox. Delivery runs after the request that queued the mail, never inside it. A mail's link
// is unsealed only here, at the moment it leaves (links.ts).
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/client.ts';
import { appSecret } from '../lib/app-secret.ts';
import { LINK_UNAVAILABLE, type LinkSealer, linkSealer, withLink } from './links.ts';
import {
  type MailMessage,
  markMailFailed,
  markMailSent,
  type OutboxRow,
  pendingMails,
  queueMail,
} from './outbox.ts';

const MAX_ATTEMPTS = 5;

export interface Mailer {
  /** Records the email in the outbox and, with SMTP, starts delivering it. */
  send(message: MailMessage): number;
  /** Delivers everything pending now; resolves when done (tests, shutdown), never rejects. */
  flush(): Promise<void>;
  readonly smtpEnabled: boolean;
  /** The link of an outbox row, unsealed; null once sent, expired or unreadable. */
  linkOf(mail: Pick<OutboxRow, 'sealedLink' | 'toAddress' | 'linkExpiresAt'>, now?: Date): string | null;
  /**
   * Told of each failed delivery (the mail stays in the outbox and is retried) and of anything else
   * that stops a flush; standard error until the app sets its logger (src/jobs.ts).
   */
  onError: (error: unknown) => void;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string;
  from: string;
  /**
   * The app secret (src/lib/app-secret.ts): links are sealed under a key derived from it. Without it,
   * the process's own random one (a database in memory): links sealed then open in this process only.
   */
  secret?: Uint8Array;
  /** Another way out than SMTP_URL (tests: a mailbox in memory). */
  transport?: Transporter;
}

export function createMailer(db: Db, options: MailerOptions): Mailer {
  const transport: Transporter | null =
    options.transport ?? (options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null);
  const sealer: LinkSealer = linkSealer(options.secret ?? appSecret(null));
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  function linkOf(mail: Pick<OutboxRow, 'sealedLink' | 'toAddress' | 'linkExpiresAt'>, now = new Date()) {
    if (!mail.sealedLink || (mail.linkExpiresAt && mail.linkExpiresAt <= now)) return null;
    return sealer.open(mail.sealedLink, mail.toAddress);
  }

  async function deliver(mail: OutboxRow): Promise<void> {
    let text = mail.textBody;
    if (mail.linkKind) {
      const link = linkOf(mail);
      // Expired before it could leave (SMTP down for long), or sealed under another secret.
      if (!link) {
        markMailFailed(db, mail.id, MAX_ATTEMPTS, LINK_UNAVAILABLE, MAX_ATTEMPTS);
        mailer.onError(new Error(`mail ${mail.id} not sent: its link expired or cannot be read`));
        return;
      }
      text = withLink(text, link);
    }
    try {
      await transport!.sendMail({ from: options.from, to: mail.toAddress, subject: mail.subject, text });
    } catch (error) {
      markMailFailed(
        db,
        mail.id,
        mail.attempts + 1,
        error instanceof Error ? error.message : String(error),
        MAX_ATTEMPTS,
      );
      mailer.onError(error);
      return;
    }
    markMailSent(db, mail.id);
  }

  async function deliverPending(): Promise<void> {
    if (!transport) return;
    // Page by id: each mail is tried once per round, however many are waiting.
    let after = 0;
    for (;;) {
      if (closed) return;
      const batch = pendingMails(db, MAX_ATTEMPTS, after);
      if (batch.length === 0) return;
      for (const mail of batch) {
        if (closed) return;
        await deliver(mail);
        after = mail.id;
      }
    }
  }

  function flush(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await deliverPending();
      } while (again && !closed);
    })()
      .catch((error: unknown) => mailer.onError(error))
      .finally(() => {
        running = null;
      });
    return running;
  }

  const mailer: Mailer = {
    smtpEnabled: transport !== null,
    onError: (error) => console.error('email delivery failed:', error),
    send(message) {
      const id = queueMail(db, message, sealer);
      // After the current (synchronous) transaction has committed or rolled back: an email
      // queued by a write that is then undone is never sent.
      if (transport) setImmediate(() => void flush());
      return id;
    },
    flush,
    linkOf,
    close() {
      closed = true;
      transport?.close();
    },
  };
  return mailer;
}
