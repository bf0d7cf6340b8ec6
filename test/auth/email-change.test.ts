// Changing the e-mail address (issue 14, findings 1 and 10): the current password is asked; the
// answer is the same whether or not the address is taken; the old address is told, with a link that
// undoes the change; a change of password or address ends every other session and pending link.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { findUserByEmail } from '../../src/people/users.ts';
import { createTestApp, createUser, lastLinkTo, TestClient, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

const MEMBER = 'membre@cosim-bretagne.test';
const NEW = 'mamadou.sow@exemple.fr';

async function as(email: string, password = DEMO_PASSWORD) {
  const client = new TestClient(ctx.app);
  await client.login(email, password);
  return client;
}

async function mailsTo(email: string) {
  await ctx.mailer.flush();
  return ctx.mailbox.filter((m) => m.to === email);
}

/** The page the person lands on after the redirect, as text, with `email` replaced. */
async function landing(client: TestClient, response: { headers: Record<string, unknown> }, email: string) {
  const page = await client.get(String(response.headers.location));
  return text(page.body).replaceAll(email, '<adresse>');
}

describe('asking to change the address', () => {
  it('asks for the current password, next to its field, and keeps the address typed', async () => {
    const member = await as(MEMBER);
    const missing = await member.post('/profile/email', { email: NEW });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('id="f-emailPassword-error"');
    expect(text(missing.body)).toContain('Saisissez votre mot de passe.');
    expect(missing.body).toContain(`value="${NEW}"`);
    const wrong = await member.post('/profile/email', { email: NEW, emailPassword: 'pas le bon' });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('Le mot de passe actuel n’est pas le bon.');
    expect(wrong.body).not.toContain('pas le bon"');
    expect(await mailsTo(NEW)).toHaveLength(0);
  });

  it('answers the same whether or not another account uses the address; only a free one gets a link', async () => {
    const member = await as(MEMBER);
    const taken = await member.post('/profile/email', {
      email: 'Admin@forim.test',
      emailPassword: DEMO_PASSWORD,
    });
    const afterTaken = await landing(member, taken, 'admin@forim.test');
    const free = await member.post('/profile/email', { email: NEW, emailPassword: DEMO_PASSWORD });
    const afterFree = await landing(member, free, NEW);
    expect(taken.statusCode).toBe(303);
    expect(free.statusCode).toBe(303);
    expect(taken.headers.location).toBe(free.headers.location);
    expect(afterTaken).toBe(afterFree);
    expect(afterFree).toContain('Nous avons écrit à <adresse>. Ouvrez le lien reçu dans les 24 heures');

    // The address already in use hears that someone proposed it — not who, and with no link.
    const [notice] = await mailsTo('admin@forim.test');
    expect(notice!.subject).toBe('Passerelle\u00a0: votre adresse a été proposée pour un autre compte');
    expect(notice!.text).toContain('rien n’a changé');
    expect(notice!.text).not.toMatch(/https?:\/\//);
    expect(notice!.text).not.toContain('Mamadou');
    expect(await lastLinkTo(ctx, NEW, 'email-change')).toMatch(/^\/profile\/email\/[a-z2-7]{32}$/);
    expect(findUserByEmail(ctx.db, MEMBER)).toBeDefined();
  });

  it('is limited to five requests an hour per account', async () => {
    const member = await as(MEMBER);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await member.post('/profile/email', {
        email: `essai${i}@exemple.fr`,
        emailPassword: DEMO_PASSWORD,
      });
      statuses.push(res.statusCode);
      if (i === 5) expect(text(res.body)).toContain('plusieurs changements d’adresse en peu de temps');
    }
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
    expect(await mailsTo('essai5@exemple.fr')).toHaveLength(0);
  });
});

describe('confirming the new address', () => {
  it('changes it, tells the old address with an undo link, ends every other session and pending link', async () => {
    const laptop = await as(MEMBER);
    const phone = await as(MEMBER);
    // A forgotten-password link and an earlier request, both pending.
    await new TestClient(ctx.app, '192.0.2.20').post('/password/forgot', { email: MEMBER });
    const resetLink = await lastLinkTo(ctx, MEMBER, 'password-reset');
    await laptop.post('/profile/email', {
      email: 'ancienne.demande@exemple.fr',
      emailPassword: DEMO_PASSWORD,
    });
    const earlier = await lastLinkTo(ctx, 'ancienne.demande@exemple.fr', 'email-change');
    await laptop.post('/profile/email', { email: NEW, emailPassword: DEMO_PASSWORD });
    const link = await lastLinkTo(ctx, NEW, 'email-change');

    const confirmed = await laptop.get(link);
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe('/profile');
    const profile = await laptop.get('/profile');
    expect(text(profile.body)).toContain(`Adresse actuelle : ${NEW}`);
    expect(text(profile.body)).toContain('Vos autres connexions ont été fermées');
    expect((await phone.get('/profile')).statusCode).toBe(303);
    expect((await new TestClient(ctx.app).get(resetLink)).statusCode).toBe(410);
    expect((await new TestClient(ctx.app).get(earlier)).statusCode).toBe(410);
    expect((await new TestClient(ctx.app).get(link)).statusCode).toBe(410);

    const notice = (await mailsTo(MEMBER)).at(-1)!;
    expect(notice.subject).toBe('Passerelle\u00a0: l’adresse de votre compte a changé');
    expect(notice.text).toContain(`vient de passer de ${MEMBER} à ${NEW}`);
    expect(notice.text).toContain('valable 7\u00a0jours');
    expect(await lastLinkTo(ctx, MEMBER, 'email-change-undo')).toMatch(
      /^\/profile\/email\/undo\/[a-z2-7]{32}$/,
    );
    expect(
      (await new TestClient(ctx.app).post('/login', { email: NEW, password: DEMO_PASSWORD })).statusCode,
    ).toBe(303);
  });

  it('says so, and changes nothing, when the address became another account’s meanwhile', async () => {
    const member = await as(MEMBER);
    await member.post('/profile/email', { email: NEW, emailPassword: DEMO_PASSWORD });
    const link = await lastLinkTo(ctx, NEW, 'email-change');
    await createUser(ctx.db, { email: NEW });
    const res = await new TestClient(ctx.app).get(link);
    expect(res.statusCode).toBe(409);
    expect(text(res.body)).toContain(
      `L’adresse ${NEW} est devenue, entre-temps, celle d’un autre compte Passerelle`,
    );
    expect(findUserByEmail(ctx.db, MEMBER)).toBeDefined();
    expect((await member.get('/profile')).statusCode).toBe(200);
  });
});

describe('the takeover of issue 14 and its way back', () => {
  it('cannot start from a borrowed session: the password is asked', async () => {
    const victim = await as(MEMBER);
    const attacker = new TestClient(ctx.app, '203.0.113.66');
    attacker.cookies.set('passerelle_session', victim.cookies.get('passerelle_session')!);
    const res = await attacker.post('/profile/email', { email: 'pirate@exemple.net' });
    expect(res.statusCode).toBe(422);
    expect(await mailsTo('pirate@exemple.net')).toHaveLength(0);
  });

  it('a password reset ends a pending e-mail change: its link no longer works', async () => {
    const member = await as(MEMBER);
    await member.post('/profile/email', { email: 'pirate@exemple.net', emailPassword: DEMO_PASSWORD });
    const pending = await lastLinkTo(ctx, 'pirate@exemple.net', 'email-change');
    // The owner resets their password.
    const owner = new TestClient(ctx.app, '192.0.2.10');
    await owner.post('/password/forgot', { email: MEMBER });
    const reset = await lastLinkTo(ctx, MEMBER, 'password-reset');
    const fresh = 'trois baobabs sous la pluie';
    expect((await owner.post(reset, { password: fresh, confirm: fresh })).statusCode).toBe(303);
    const late = await new TestClient(ctx.app).get(pending);
    expect(late.statusCode).toBe(410);
    expect(findUserByEmail(ctx.db, MEMBER)).toBeDefined();
    expect(findUserByEmail(ctx.db, 'pirate@exemple.net')).toBeUndefined();
  });

  it('the old address undoes a change: address back, every session ended, a new password chosen', async () => {
    // Someone who knows the password moves the account to their address, then changes the password.
    const attacker = await as(MEMBER);
    await attacker.post('/profile/email', { email: 'pirate@exemple.net', emailPassword: DEMO_PASSWORD });
    await attacker.get(await lastLinkTo(ctx, 'pirate@exemple.net', 'email-change'));
    const stolen = 'le compte est a moi maintenant';
    await attacker.post('/profile/password', { current: DEMO_PASSWORD, password: stolen, confirm: stolen });
    expect((await attacker.get('/profile')).statusCode).toBe(200);
    // The change of password did not end the way back.
    const undo = await lastLinkTo(ctx, MEMBER, 'email-change-undo');

    const owner = new TestClient(ctx.app, '192.0.2.10');
    const page = await owner.get(undo);
    expect(page.statusCode).toBe(200);
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(text(page.body)).toContain(`est passée de ${MEMBER} à pirate@exemple.net`);
    const restored = await owner.post(undo);
    expect(restored.statusCode).toBe(303);
    expect(restored.headers.location).toMatch(/^\/password\/reset\/[a-z2-7]{32}$/);
    expect(findUserByEmail(ctx.db, MEMBER)).toBeDefined();
    expect((await attacker.get('/profile')).statusCode).toBe(303);

    const form = await owner.get(String(restored.headers.location));
    expect(text(form.body)).toContain(`Votre adresse ${MEMBER} est rétablie`);
    const fresh = 'trois baobabs sous la pluie';
    const chosen = await owner.post(String(restored.headers.location), { password: fresh, confirm: fresh });
    expect(chosen.statusCode).toBe(303);
    expect((await owner.get('/')).statusCode).toBe(200);
    expect(
      (await new TestClient(ctx.app).post('/login', { email: MEMBER, password: stolen })).statusCode,
    ).toBe(401);
    expect((await new TestClient(ctx.app).get(undo)).statusCode).toBe(410);
    const actions = ctx.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.action, 'profile.emailUndo'));
    expect(actions.all()).toHaveLength(1);
  });

  it('after an undo, the undo link of a later change to another address of the attacker is void', async () => {
    const attacker = await as(MEMBER);
    await attacker.post('/profile/email', { email: 'pirate@exemple.net', emailPassword: DEMO_PASSWORD });
    await attacker.get(await lastLinkTo(ctx, 'pirate@exemple.net', 'email-change'));
    await attacker.post('/profile/email', { email: 'pirate2@exemple.net', emailPassword: DEMO_PASSWORD });
    await attacker.get(await lastLinkTo(ctx, 'pirate2@exemple.net', 'email-change'));
    const ownerUndo = await lastLinkTo(ctx, MEMBER, 'email-change-undo');
    const attackerUndo = await lastLinkTo(ctx, 'pirate@exemple.net', 'email-change-undo');
    expect((await new TestClient(ctx.app).post(ownerUndo)).statusCode).toBe(303);
    const late = await new TestClient(ctx.app).post(attackerUndo);
    expect(late.statusCode).toBe(410);
    expect(findUserByEmail(ctx.db, MEMBER)).toBeDefined();
  });

  it('an unknown or malformed undo link is a French 404', async () => {
    const res = await new TestClient(ctx.app).get(`/profile/email/undo/${'a'.repeat(32)}`);
    expect(res.statusCode).toBe(404);
    expect(text(res.body)).toContain('Ce lien est incomplet ou inconnu');
    expect((await new TestClient(ctx.app).post('/profile/email/undo/pas-un-jeton')).statusCode).toBe(404);
  });
});
