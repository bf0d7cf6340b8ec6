// Erasure that nothing can block or fake (issue 14, findings 4 and 9): the address erasure gives an
// erased account (compte-supprime-<id>@passerelle.invalid) can be typed into no e-mail field; an
// account that already holds one (made before it was refused) neither makes the real erasure fail
// nor counts as erased; a failed erasure in the retention job reaches the log; and an erased
// person's address leaves the audit log, whoever wrote the entry.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { fields } from '../../src/lib/forms.ts';
import { erasedEmail } from '../../src/privacy/erase.ts';
import { applyRetention } from '../../src/privacy/retention.ts';
import { createTestApp, createUser, lastLinkTo, TestClient, type TestContext, text } from '../helpers.ts';
import { as, upload } from '../invitations/world.ts';

let ctx: TestContext;
const DAY = 86_400_000;
const idOf = (email: string) =>
  ctx.db.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`)!.id;
const count = (query: ReturnType<typeof sql>) => ctx.db.get<{ n: number }>(query)!.n;
const organizationId = (name: string) =>
  ctx.db.get<{ id: number }>(sql`SELECT id FROM organizations WHERE name = ${name}`)!.id;

beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

describe('the address of an erased account', () => {
  it('is refused in the invitation form, in French next to the field, the input kept', async () => {
    const victim = idOf('membre@cosim-bretagne.test');
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const res = await coordinator.post('/invitations', {
      displayName: 'Compte supprimé',
      email: erasedEmail(victim),
      organizationId: String(organizationId('Solidarité Blosne')),
      role: 'member',
    });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Saisissez une adresse e-mail valide');
    expect(res.body).toContain(`value="${erasedEmail(victim)}"`);
    expect(count(sql`SELECT count(*) AS n FROM invitations WHERE email LIKE '%.invalid'`)).toBe(0);
  });

  it('is refused in a CSV list, in any case', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const uploaded = await upload(
      coordinator,
      'nom;email;osim\r\nFaux Compte;Compte-Supprime-3@Passerelle.INVALID;Solidarité Blosne\r\n',
    );
    const page = text((await coordinator.get(uploaded.headers.location as string)).body);
    expect(page).toContain('« Compte-Supprime-3@Passerelle.INVALID » n’est pas une adresse e-mail valide.');
  });

  it('is refused as a new address on « Mon profil », and by admin:create', async () => {
    const member = await as(ctx, 'membre@cosim-om.test');
    const res = await member.post('/profile/email', {
      email: 'compte-supprime-2@passerelle.invalid',
      emailPassword: DEMO_PASSWORD,
    });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Saisissez une adresse e-mail valide');
    expect(count(sql`SELECT count(*) AS n FROM email_changes WHERE new_email LIKE '%.invalid'`)).toBe(0);
    // admin:create reads --email through the same field.
    expect(fields.email().safeParse('compte-supprime-2@passerelle.invalid').success).toBe(false);
    expect(fields.email().safeParse('personne@exemple.fr').success).toBe(true);
  });

  it('held by an account made before it was refused, blocks no erasure and fakes none', async () => {
    const victim = idOf('jean-baptiste.kouame@cosim-bretagne.test');
    // Made the old way: invited at the address erasure would give the victim, then accepted.
    const fake = await createUser(ctx.db, {
      role: 'member',
      organizationId: organizationId('Solidarité Blosne'),
      email: erasedEmail(victim),
      displayName: 'Compte supprimé',
    });
    const admin = await as(ctx, 'admin@forim.test');
    // The fake account is an account like any other: it can be erased.
    expect(text((await admin.get(`/people/${fake.id}`)).body)).toContain('Supprimer ce compte');
    expect((await admin.get(`/people/${fake.id}/erase`)).statusCode).toBe(200);
    // The real erasure of the victim goes through (it answered 500: unique constraint).
    const done = await admin.post(`/people/${victim}/erase`, {
      email: 'jean-baptiste.kouame@cosim-bretagne.test',
    });
    expect(done.statusCode).toBe(303);
    const row = ctx.db.get<{ name: string; erased: number | null; email: string }>(
      sql`SELECT display_name AS name, erased_at AS erased, email FROM users WHERE id = ${victim}`,
    )!;
    expect(row.name).toBe('Compte supprimé');
    expect(row.erased).not.toBeNull();
    expect(row.email).toMatch(/@passerelle\.invalid$/);
    expect(row.email).not.toBe(erasedEmail(victim));
    // Retention does not take the fake account for an erased one: it is warned, then erased.
    ctx.db.run(sql`UPDATE users SET last_seen_at = ${Date.now() - 800 * DAY} WHERE id = ${fake.id}`);
    const warned = applyRetention(ctx.db, ctx.mailer, ctx.config.baseUrl, new Date());
    expect(warned.warned).toBeGreaterThanOrEqual(1);
    applyRetention(ctx.db, ctx.mailer, ctx.config.baseUrl, new Date(Date.now() + 31 * DAY));
    expect(count(sql`SELECT count(*) AS n FROM users WHERE id = ${fake.id} AND erased_at IS NOT NULL`)).toBe(
      1,
    );
  });
});

describe('the retention job', () => {
  it('reports an erasure that fails, and erases the others', async () => {
    const stuck = await createUser(ctx.db, { role: 'member', displayName: 'Erreur Disque' });
    const other = await createUser(ctx.db, { role: 'member', displayName: 'Partie Ailleurs' });
    const long = Date.now() - 800 * DAY;
    ctx.db.run(sql`UPDATE users SET last_seen_at = ${long} WHERE id IN (${stuck.id}, ${other.id})`);
    applyRetention(ctx.db, ctx.mailer, ctx.config.baseUrl, new Date());
    // The database refuses to touch this one account (a real failure, not a mock).
    ctx.db.run(
      sql.raw(`CREATE TRIGGER test_stuck BEFORE UPDATE OF email ON users WHEN OLD.id = ${stuck.id}
        BEGIN SELECT RAISE(ABORT, 'disque plein'); END`),
    );
    const log = { error: vi.fn(), warn: vi.fn(), info: vi.fn() };
    try {
      const run = applyRetention(
        ctx.db,
        ctx.mailer,
        ctx.config.baseUrl,
        new Date(Date.now() + 31 * DAY),
        log,
      );
      expect(run.erased).toBeGreaterThanOrEqual(1);
      expect(run.failed).toBe(1);
    } finally {
      ctx.db.run(sql`DROP TRIGGER test_stuck`);
    }
    expect(log.error).toHaveBeenCalledTimes(1);
    const [details, message] = log.error.mock.calls[0]!;
    expect(details).toMatchObject({ userId: stuck.id });
    expect(String((details as { err: Error }).err.message)).toContain('disque plein');
    expect(message).toContain('retention');
    expect(count(sql`SELECT count(*) AS n FROM users WHERE id = ${other.id} AND erased_at IS NOT NULL`)).toBe(
      1,
    );
    expect(count(sql`SELECT count(*) AS n FROM users WHERE id = ${stuck.id} AND erased_at IS NULL`)).toBe(1);
  });
});

describe('the audit log after an erasure', () => {
  it('keeps who did what, without the erased person’s address or name', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const blosne = String(organizationId('Solidarité Blosne'));
    const email = 'ndeye.fall@exemple.fr';
    // Invited, sent again, withdrawn; invited again and accepted.
    const first = await coordinator.post('/invitations', {
      displayName: 'Ndeye Fall',
      email,
      organizationId: blosne,
      role: 'member',
    });
    const firstPage = first.headers.location as string;
    await coordinator.post(`${firstPage}/resend`);
    await coordinator.post(`${firstPage}/revoke`);
    await coordinator.post('/invitations', {
      displayName: 'Ndeye Fall',
      email,
      organizationId: blosne,
      role: 'member',
    });
    const link = await lastLinkTo(ctx, email, 'invitation');
    const ndeye = new TestClient(ctx.app);
    await ndeye.get(link);
    const accepted = await ndeye.post(link, {
      displayName: 'Ndeye Fall',
      password: 'ma phrase secrète',
      confirm: 'ma phrase secrète',
    });
    expect(accepted.statusCode).toBe(303);
    const admin = await as(ctx, 'admin@forim.test');
    expect(text((await admin.get('/admin/audit')).body)).toContain(email);
    const id = idOf(email);
    // She deletes her account.
    await ndeye.post('/me/delete', { password: 'ma phrase secrète', understood: 'on' });

    const entries = ctx.db.all<{ action: string; details: string | null }>(
      sql`SELECT action, details FROM audit_log WHERE action LIKE 'invitation.%' ORDER BY id`,
    );
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'invitation.create',
        'invitation.resend',
        'invitation.revoke',
        'invitation.accept',
      ]),
    );
    for (const e of entries) expect(e.details ?? '').not.toContain(email);
    expect(count(sql`SELECT count(*) AS n FROM audit_log WHERE instr(lower(details), 'ndeye') > 0`)).toBe(0);
    // Who did what stays: the coordinator's four invitation actions, her erasure.
    expect(
      count(
        sql`SELECT count(*) AS n FROM audit_log WHERE action = 'account.erase' AND subject_user_id = ${id}`,
      ),
    ).toBe(1);
    const page = text((await admin.get('/admin/audit')).body);
    expect(page).not.toContain(email);
    expect(page).not.toContain('Ndeye');
    expect(page).toContain('a invité');
    expect(page).toContain('a annulé une invitation');
  });
});
