// Email over a real SMTP exchange: an smtp-server on loopback receives what Passerelle sends.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOutbox } from '../src/mail/outbox.ts';
import {
  createOrganization,
  createTestApp,
  createUser,
  loginAs,
  TestClient,
  type TestContext,
  text,
} from './helpers.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

let server: SMTPServer;
let port = 0;
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('email over SMTP', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  });
  afterAll(() => ctx.close());

  it('delivers the password-reset email to the SMTP server and marks it sent', async () => {
    const user = await createUser(ctx.db, {
      role: 'member',
      email: 'awa@exemple.test',
      displayName: 'Awa Diop',
    });
    await new TestClient(ctx.app).post('/password/forgot', { email: user.email });
    await ctx.mailer.flush();
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.to).toEqual(['awa@exemple.test']);
    expect(mail.from).toBe('passerelle@forim.test');
    expect(mail.raw).toMatch(
      /Subject: =\?UTF-8\?Q\?Passerelle=C2=A0=3A_choisir_un_nouveau_m\?=\s+=\?UTF-8\?Q\?ot_de_passe\?=/,
    );
    // Quoted-printable may fold lines: unfold before looking for the link.
    const body = mail.raw.replace(/=\r?\n/g, '');
    expect(body).toMatch(/http:\/\/passerelle\.test\/password\/reset\/[a-z2-7]{32}/);
    const sent = listOutbox(ctx.db)[0]!;
    expect(sent.sentAt).not.toBeNull();
    // Sent: the stored text never had the link, and its sealed copy is gone.
    expect(sent.textBody).not.toMatch(/\/password\/reset\/[a-z2-7]{32}/);
    expect(sent.sealedLink).toBeNull();
  });

  it('delivers an invitation, with its link, to the invited address', async () => {
    const { client } = await loginAs(ctx, 'admin');
    const osim = createOrganization(ctx.db, {
      kind: 'osim',
      name: 'Solidarité Test',
      parentId: createOrganization(ctx.db, { kind: 'cosim' }).id,
    });
    const res = await client.post('/invitations', {
      displayName: 'Awa Diop',
      email: 'awa.diop@exemple.fr',
      organizationId: String(osim.id),
      role: 'member',
    });
    expect(res.statusCode).toBe(303);
    const page = await client.get(res.headers.location as string);
    await ctx.mailer.flush();
    const mail = received.find((m) => m.to.includes('awa.diop@exemple.fr'))!;
    expect(mail).toBeDefined();
    const body = mail.raw.replace(/=\r?\n/g, '');
    const link = /http:\/\/passerelle\.test\/invitation\/[a-z2-7]{32}/.exec(body)![0];
    expect(page.body).toContain(link);
  });

  it('says on the outbox page that mails are sent', async () => {
    const { client } = await loginAs(ctx, 'admin');
    const res = await client.get('/admin/outbox');
    expect(text(res.body)).toContain('Les e-mails envoyés par Passerelle');
    expect(text(res.body)).toContain('Envoyé');
  });
});

describe('email without SMTP', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp({ smtp: false });
  });
  afterAll(() => ctx.close());

  it('keeps the email in the outbox, readable by the national team only', async () => {
    const user = await createUser(ctx.db, { role: 'member', email: 'karima@exemple.test' });
    await new TestClient(ctx.app).post('/password/forgot', { email: user.email });
    const { client } = await loginAs(ctx, 'admin');
    const res = await client.get('/admin/outbox');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('Aucun serveur d’envoi (SMTP) n’est configuré');
    expect(page).toContain('Passerelle : choisir un nouveau mot de passe');
    expect(page).toContain('À : karima@exemple.test');
    // A reset link is shown to nobody, not even the national team: without SMTP it cannot leave.
    expect(page).toContain('Ne part pas sans serveur d’envoi (lien personnel)');
    expect(page).toContain('[lien masqué]');
    expect(res.body).not.toMatch(/\/password\/reset\/[a-z2-7]{32}/);
    const { client: coordinator } = await loginAs(ctx, 'coordinator');
    expect((await coordinator.get('/admin/outbox')).statusCode).toBe(403);
  });
});
