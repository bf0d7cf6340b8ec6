// Delivers queued emails over SMTP (nodemailer) when SMTP_URL is set; otherwise leaves them in
// the outbox. Delivery runs after the request that queued the mail, never inside it.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/client.ts';
import { type MailMessage, markMailFailed, markMailSent, pendingMails, queueMail } from './outbox.ts';

const MAX_ATTEMPTS = 5;

export interface Mailer {
  /** Records the email in the outbox and, with SMTP, starts delivering it. */
  send(message: MailMessage): number;
  /** Delivers everything pending now; resolves when done (tests, shutdown). */
  flush(): Promise<void>;
  readonly smtpEnabled: boolean;
  /** Told of each failed delivery (the mail stays in the outbox and is retried). */
  onError: ((error: unknown) => void) | undefined;
  close(): void;
}

export function createMailer(db: Db, options: { smtpUrl: string; from: string }): Mailer {
  const transport: Transporter | null = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  let running: Promise<void> | null = null;
  let again = false;

  async function deliverPending(): Promise<void> {
    if (!transport) return;
    for (const mail of pendingMails(db, MAX_ATTEMPTS)) {
      try {
        await transport.sendMail({
          from: options.from,
          to: mail.toAddress,
          subject: mail.subject,
          text: mail.textBody,
        });
        markMailSent(db, mail.id);
      } catch (error) {
        markMailFailed(
          db,
          mail.id,
          mail.attempts + 1,
          error instanceof Error ? error.message : String(error),
        );
        mailer.onError?.(error);
      }
    }
  }

  function flush(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await deliverPending();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const mailer: Mailer = {
    smtpEnabled: transport !== null,
    onError: undefined,
    send(message) {
      const id = queueMail(db, message);
      // After the current (synchronous) transaction has committed or rolled back: an email
      // queued by a write that is then undone is never sent.
      if (transport) setImmediate(() => void flush());
      return id;
    },
    flush,
    close() {
      transport?.close();
    },
  };
  return mailer;
}
