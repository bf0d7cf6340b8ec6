// Each role lands on its own home page, with the figures of its part of the network only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/db/seed-demo.ts';
import { createTestApp, createUser, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

async function homeOf(email: string) {
  const client = new TestClient(ctx.app);
  await client.login(email, DEMO_PASSWORD);
  const res = await client.get('/');
  expect(res.statusCode).toBe(200);
  return text(res.body);
}

describe('home per role', () => {
  it('admin: every COSIM with its OSIM and people counts, and the network totals', async () => {
    const page = await homeOf('admin@forim.test');
    expect(page).toContain('Le réseau FORIM');
    // COSIM Bretagne: 3 OSIMs; people = coordinator + trainer + 3 members (2 at Blosne, 1 at Villejean).
    expect(page).toContain('COSIM Bretagne COSIM · Bretagne 3 5');
    expect(page).toContain('COSIM Occitanie Méditerranée COSIM · Occitanie 3 2');
    // French alphabetical order: Île-de-France between Hauts-de-France and Nouvelle-Aquitaine.
    expect(page.indexOf('COSIM Île-de-France')).toBeGreaterThan(page.indexOf('COSIM Hauts-de-France'));
    expect(page.indexOf('COSIM Île-de-France')).toBeLessThan(page.indexOf('COSIM Nouvelle-Aquitaine'));
    expect(page).toContain('Réseau : 11 OSIM, 10 personnes inscrites');
    expect(page).toContain("Boîte d'envoi");
  });

  it('coordinator: their collective and its OSIMs, not another collective’s', async () => {
    const page = await homeOf('coordination@cosim-bretagne.test');
    expect(page).toContain('Votre collectif : COSIM Bretagne');
    expect(page).toContain('3 OSIM dans le collectif · 3 personnes inscrites');
    expect(page).toContain('Solidarité Blosne Rennes · QPV : Le Blosne 2');
    expect(page).toContain('Villejean Ensemble');
    expect(page).not.toContain('Petit Bard');
    expect(page).not.toContain('AMF');
    expect(page).not.toContain("Boîte d'envoi");
  });

  it('trainer: the collective they train for', async () => {
    const page = await homeOf('formation@cosim-bretagne.test');
    expect(page).toContain('Espace formateur·rice');
    expect(page).toContain('Vous formez pour : COSIM Bretagne');
    expect(page).toContain('3 OSIM, 3 personnes inscrites.');
  });

  it('member in Bretagne: their OSIM, their COSIM, the path to come', async () => {
    const page = await homeOf('membre@cosim-bretagne.test');
    expect(page).toContain('Votre association : Solidarité Blosne');
    expect(page).toContain('Votre collectif : COSIM Bretagne');
    expect(page).toContain('Votre parcours de formation');
    expect(page).not.toContain('Villejean');
  });

  it('member in Occitanie Méditerranée: their own OSIM and COSIM', async () => {
    const page = await homeOf('membre@cosim-om.test');
    expect(page).toContain('Votre association : AMF');
    expect(page).toContain('Votre collectif : COSIM Occitanie Méditerranée');
    expect(page).not.toContain('Bretagne');
  });

  it('a person with no role is told whom to contact', async () => {
    const lonely = await createUser(ctx.db, { email: 'seule@exemple.test' });
    const client = new TestClient(ctx.app);
    await client.login(lonely.email);
    expect(text((await client.get('/')).body)).toContain('rattaché à aucune organisation');
  });
});

describe('healthz', () => {
  it('answers ok after touching the database', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});
