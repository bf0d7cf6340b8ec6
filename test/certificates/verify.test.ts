// The public verification page (no account: a funder, a town hall), forgiving with how a code is
// typed, never a 500 on junk, rate limited per IP; and the cycle's bulk downloads for its trainers
// (a ZIP of the live certificates' PDFs, the register as a CSV for a French spreadsheet).
import { eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeCertificate } from '../../src/certificates/certificates.ts';
import { type Cycle, certificates, users } from '../../src/db/schema.ts';
import { createWorld, type Person, type World } from '../gatherings/world.ts';
import { createOrganization, TestClient, text } from '../helpers.ts';
import { issue } from './setup.ts';

let world: World;
let trainer: Person;
let admin: Person;
let cycle: Cycle;
let owner: Person;

/** A code with a 0 and a 1, to type them as O, I or L. */
const CODE = 'K7QM-3XP0-9T2D-WE41';

let ipCounter = 0;
/** Someone without an account, from their own address (the rate limit is per IP). */
const anyone = () => new TestClient(world.ctx.app, `203.0.113.${++ipCounter}`);

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  admin = await world.person('admin', createOrganization(world.ctx.db, { kind: 'forim', name: 'FORIM' }).id);
  cycle = world.openCycle(trainer, { name: 'Cycle vérification — COSIM Bretagne' });
  owner = await world.person('member', world.osim.id);
  world.enrol(cycle, owner);
  const issued = issue(world, cycle, owner, trainer);
  world.ctx.db.update(certificates).set({ code: CODE }).where(eq(certificates.id, issued.id)).run();
});
afterAll(() => world.close());

describe('the public verification page', () => {
  it('says a genuine certificate is genuine, with the name, to anyone', async () => {
    const page = await anyone().get(`/verify/${CODE}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['x-robots-tag']).toBe('noindex');
    const words = text(page.body);
    expect(words).toContain('Attestation authentique');
    expect(words).toContain(owner.displayName);
    expect(words).toContain('Cycle vérification — COSIM Bretagne');
    expect(words).toContain(CODE);
    // What a stranger needs, no more: no email address.
    expect(page.body).not.toContain(owner.email);
  });

  it('accepts the code in lower case, without dashes, with spaces, O for 0 and I or L for 1', async () => {
    const client = anyone();
    for (const typed of [
      'k7qm-3xp0-9t2d-we41',
      'K7QM3XP09T2DWE41',
      'k7qm3xpo9t2dwe4l',
      'K7QM%203XPO%209T2D%20WE4I',
    ]) {
      const page = await client.get(`/verify/${typed}`);
      expect(page.statusCode, typed).toBe(200);
      expect(text(page.body)).toContain('Attestation authentique');
      expect(text(page.body)).toContain(owner.displayName);
    }
  });

  it('says plainly when no certificate has the code (404)', async () => {
    const page = await anyone().get('/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(page.statusCode).toBe(404);
    expect(text(page.body)).toContain('Aucune attestation ne correspond au code « ZZZZ-ZZZZ-ZZZZ-ZZZZ ».');
    expect(text(page.body)).not.toContain(owner.displayName);
  });

  it('answers junk with 404, never 500, never echoing markup', async () => {
    const client = anyone();
    for (const junk of [
      '%00',
      'A'.repeat(200),
      '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '<script>alert(1)</script>',
      '..%2F..%2Fetc%2Fpasswd',
      "'%20OR%201=1--",
      'K7QM-3XP0-9T2D-WE4',
      'K7QM-3XP0-9T2D-WE411',
      '%F0%9F%8E%93%F0%9F%8E%93%F0%9F%8E%93%F0%9F%8E%93',
    ]) {
      const page = await client.get(`/verify/${junk}`);
      expect(page.statusCode, junk).toBe(404);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('\u0000');
    }
  });

  it('has a form: a well-formed code leads to its page, a bad one is 422 with the message', async () => {
    const client = anyone();
    const form = await client.get('/verify');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="code"');

    const good = await client.get('/verify?code=k7qm%203xpo%209t2d%20we4l');
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/verify/${CODE}`);

    const bad = await client.get('/verify?code=bad');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(
      /id="f-code-error">.*Ce code n’a pas la bonne forme\u00a0: 16\u00a0lettres et chiffres\./,
    );
    expect(bad.body).toContain('value="bad"');
    const nul = await client.get('/verify?code=ab%00cd');
    expect(nul.statusCode).toBe(422);
    expect(nul.body).not.toContain('\u0000');
    expect(nul.body).toContain('value="abcd"');

    const markup = await client.get('/verify?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(markup.statusCode).toBe(422);
    expect(markup.body).not.toContain('<script>alert');
    expect((await client.get(`/verify?code=${'X'.repeat(500)}`)).statusCode).not.toBe(500);
  });

  it('slows down a burst: the 31st check within a minute from one address is refused (429)', async () => {
    const client = anyone();
    for (let i = 0; i < 30; i++) {
      const page = await client.get(i % 2 === 0 ? `/verify/${CODE}` : '/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ');
      expect(page.statusCode, `request ${i + 1}`).not.toBe(429);
    }
    const refused = await client.get(`/verify/${CODE}`);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(text(refused.body)).toContain(
      'Trop de vérifications depuis votre connexion : réessayez dans une minute.',
    );
    expect(text(refused.body)).not.toContain(owner.displayName);
    // Another address is still answered.
    expect((await anyone().get(`/verify/${CODE}`)).statusCode).toBe(200);
  });
});

describe('a cycle’s bulk downloads', () => {
  let bulkCycle: Cycle;
  let revokedCode: string;
  const learners: Person[] = [];

  beforeAll(async () => {
    bulkCycle = world.openCycle(trainer, { name: 'Cycle registre' });
    for (let i = 0; i < 3; i++) {
      const p = await world.person('member', world.osim.id);
      world.enrol(bulkCycle, p);
      learners.push(p);
    }
    // Two learners with the same name: two files all the same.
    world.ctx.db.update(users).set({ displayName: 'Awa Diop' }).where(eq(users.id, learners[0]!.id)).run();
    world.ctx.db.update(users).set({ displayName: 'Awa Diop' }).where(eq(users.id, learners[1]!.id)).run();
    for (const p of learners) issue(world, bulkCycle, p, trainer);
    const third = world.ctx.db
      .select()
      .from(certificates)
      .where(eq(certificates.userId, learners[2]!.id))
      .get()!;
    // 23:30 UTC on 14 March: already 15 March in Paris, the date the register must give.
    revokeCertificate(
      world.ctx.db,
      admin.current(),
      third,
      { cause: 'issued_in_error', note: 'Doublon du registre papier' },
      new Date('2026-03-14T23:30:00Z'),
    );
    revokedCode = third.code;
  });

  it('give the cycle’s trainer a ZIP with one PDF per live certificate', async () => {
    const zip = await trainer.client.get(`/cycles/${bulkCycle.id}/certificates.zip`);
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toContain('.zip');
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    const names = Object.keys(files);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const name of names) {
      expect(name).toMatch(/^attestation-awa-diop-cycle-registre(-2)?\.pdf$/);
      expect(Buffer.from(files[name]!.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    }
  });

  it('give the register as a CSV: BOM, “;”, one line per certificate with its status', async () => {
    const csv = await trainer.client.get(`/cycles/${bulkCycle.id}/certificates.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const body = csv.rawPayload.toString('utf8');
    expect(body.startsWith('\uFEFF')).toBe(true);
    const lines = body.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + learners.length);
    expect(lines[0]!.split(';')).toContain('Statut');
    const rows = lines.slice(1).map((l) => l.split(';'));
    const statusColumn = lines[0]!.split(';').indexOf('Statut');
    expect(rows.map((r) => r[statusColumn]).sort()).toEqual(['révoquée', 'valide', 'valide']);
    const revoked = rows.find((r) => r[0] === revokedCode)!;
    expect(revoked[statusColumn]).toBe('révoquée');
    // The published cause, then the national team's note (the register is for the cycle's team).
    expect(revoked.at(-1)).toBe('Doublon du registre papier');
    expect(revoked.at(-2)).toBe('Délivrée par erreur');
    expect(revoked.at(-3)).toBe('15/03/2026');
    expect(rows.every((r) => r.includes('Cycle registre'))).toBe(true);
  });

  it('are for the cycle’s managers only: 404 for a member and another COSIM', async () => {
    const member = learners[0]!;
    const foreign = await world.person('coordinator', world.occitanie.id);
    // The member is refused by the route's rule (403), the other COSIM's coordinator by the cycle (404).
    for (const who of [member, foreign])
      for (const ext of ['zip', 'csv'])
        expect([403, 404]).toContain(
          (await who.client.get(`/cycles/${bulkCycle.id}/certificates.${ext}`)).statusCode,
        );
    expect((await admin.client.get(`/cycles/${bulkCycle.id}/certificates.csv`)).statusCode).toBe(200);
    expect((await anyone().get(`/cycles/${bulkCycle.id}/certificates.csv`)).statusCode).toBe(303);
  });

  it('are empty, not broken, for a cycle without certificates', async () => {
    const empty = world.openCycle(trainer, { name: 'Cycle vide' });
    const zip = await trainer.client.get(`/cycles/${empty.id}/certificates.zip`);
    expect(zip.statusCode).toBe(200);
    expect(Object.keys(unzipSync(new Uint8Array(zip.rawPayload)))).toEqual([]);
    const csv = await trainer.client.get(`/cycles/${empty.id}/certificates.csv`);
    expect(csv.rawPayload.toString('utf8').slice(1).trimEnd().split('\r\n')).toHaveLength(1);
  });
});
