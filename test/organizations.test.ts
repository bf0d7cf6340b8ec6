// The network tree: who creates, edits, moves and archives which organizations.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, organizations } from '../src/db/schema.ts';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.ts';
import { createTestApp, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

function org(name: string) {
  return ctx.db.select().from(organizations).where(eq(organizations.name, name)).get()!;
}

async function as(email: string) {
  const client = new TestClient(ctx.app);
  await client.login(email, DEMO_PASSWORD);
  return client;
}

const osimForm = (overrides: Record<string, string> = {}) => ({
  kind: 'osim',
  name: 'Maison des Solidarités de Maurepas',
  region: 'Bretagne',
  town: 'Rennes',
  parentId: String(org('COSIM Bretagne').id),
  federationId: '',
  actsInQpv: 'on',
  qpvNote: 'Maurepas',
  ...overrides,
});

describe('the national team', () => {
  it('sees every collective and creates a COSIM, a FOSIM and an OSIM in both', async () => {
    const admin = await as('admin@forim.test');
    const index = await admin.get('/organizations');
    expect(index.statusCode).toBe(200);
    expect(text(index.body)).toContain('COSIM Occitanie Méditerranée');
    expect(text(index.body)).toContain('FOSIM Afrique de l’Ouest');

    const cosim = await admin.post('/organizations', {
      kind: 'cosim',
      name: 'COSIM Grand Est',
      region: 'Grand Est',
      town: 'Strasbourg',
    });
    expect(cosim.statusCode).toBe(303);
    const created = org('COSIM Grand Est');
    expect(created.kind).toBe('cosim');
    expect(created.parentId).toBe(org('FORIM').id);

    const osim = await admin.post(
      '/organizations',
      osimForm({ parentId: String(created.id), federationId: String(org('FOSIM Afrique de l’Ouest').id) }),
    );
    expect(osim.statusCode).toBe(303);
    const page = await admin.get(osim.headers.location as string);
    expect(text(page.body)).toContain('Maison des Solidarités de Maurepas');
    expect(text(page.body)).toContain('COSIM Grand Est');
    expect(text(page.body)).toContain('FOSIM Afrique de l’Ouest');
    expect(text(page.body)).toContain('« Maison des Solidarités de Maurepas » a été créée.');
    const actions = ctx.db
      .select()
      .from(auditLog)
      .all()
      .map((a) => a.action);
    expect(actions.filter((a) => a === 'organization.create')).toHaveLength(2);
  });

  it('moves an OSIM to another COSIM, and the move is in the audit log', async () => {
    const admin = await as('admin@forim.test');
    const rame = org('RAME');
    const res = await admin.post(`/organizations/${rame.id}`, {
      name: 'RAME',
      region: '',
      town: 'Vaulx-en-Velin',
      parentId: String(org('COSIM Occitanie Pyrénées').id),
      federationId: '',
      actsInQpv: 'on',
      qpvNote: '',
    });
    expect(res.statusCode).toBe(303);
    expect(org('RAME').parentId).toBe(org('COSIM Occitanie Pyrénées').id);
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.organizationId, rame.id)).get()!;
    expect(entry.action).toBe('organization.move');
  });

  it('refuses to archive a collective that still has OSIMs, and archives and restores an OSIM', async () => {
    const admin = await as('admin@forim.test');
    const bretagne = org('COSIM Bretagne');
    const refused = await admin.post(`/organizations/${bretagne.id}/archive`);
    expect(refused.statusCode).toBe(422);
    expect(text(refused.body)).toContain('Ce collectif a encore 3 OSIM actives');
    const cleunay = org('Cleunay Passerelles');
    expect((await admin.post(`/organizations/${cleunay.id}/archive`)).statusCode).toBe(303);
    expect(org('Cleunay Passerelles').archivedAt).not.toBeNull();
    const list = await admin.get(`/organizations/${bretagne.id}`);
    expect(text(list.body)).not.toContain('Cleunay Passerelles');
    expect((await admin.post(`/organizations/${cleunay.id}/restore`)).statusCode).toBe(303);
    expect(org('Cleunay Passerelles').archivedAt).toBeNull();
  });

  it('shows each form error next to its field, keeping what was typed', async () => {
    const admin = await as('admin@forim.test');
    const empty = await admin.post('/organizations', osimForm({ name: '  ', town: 'x'.repeat(200) }));
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('id="f-name-error"');
    expect(text(empty.body)).toContain('Saisissez le nom de l’organisation.');
    expect(text(empty.body)).toContain('Ce champ ne peut pas dépasser 80 caractères.');
    expect(empty.body).toContain('value="Maurepas"');

    const taken = await admin.post('/organizations', osimForm({ name: 'amf' }));
    expect(taken.statusCode).toBe(422);
    expect(text(taken.body)).toContain('Une organisation active de ce type porte déjà ce nom.');

    const orphan = await admin.post('/organizations', osimForm({ parentId: '', federationId: '' }));
    expect(orphan.statusCode).toBe(422);
    expect(text(orphan.body)).toContain('Choisissez le COSIM ou la FOSIM dont l’association fait partie.');

    const badChoice = await admin.post('/organizations', osimForm({ parentId: String(org('AMF').id) }));
    expect(badChoice.statusCode).toBe(422);
    expect(text(badChoice.body)).toContain('Ce collectif n’existe pas ou a été archivé.');

    const nonsense = await admin.post('/organizations', osimForm({ kind: 'forim', parentId: 'abc' }));
    expect(nonsense.statusCode).toBe(422);
  });
});

describe('a coordinator', () => {
  it('lands on their own collective and adds an OSIM to it', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const index = await coordinator.get('/organizations');
    expect(index.statusCode).toBe(303);
    expect(index.headers.location).toBe(`/organizations/${org('COSIM Bretagne').id}`);
    const created = await coordinator.post('/organizations', osimForm());
    expect(created.statusCode).toBe(303);
    expect(org('Maison des Solidarités de Maurepas').parentId).toBe(org('COSIM Bretagne').id);
  });

  it('cannot create a COSIM, attach an OSIM elsewhere, or move one out of the collective', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const cosim = await coordinator.post('/organizations', { kind: 'cosim', name: 'COSIM Pirate' });
    expect(cosim.statusCode).toBe(403);
    const elsewhere = await coordinator.post(
      '/organizations',
      osimForm({ parentId: String(org('COSIM Occitanie Méditerranée').id) }),
    );
    expect(elsewhere.statusCode).toBe(422);
    expect(text(elsewhere.body)).toContain('qu’à un collectif que vous coordonnez');
    const blosne = org('Solidarité Blosne');
    const move = await coordinator.post(`/organizations/${blosne.id}`, {
      name: 'Solidarité Blosne',
      parentId: String(org('COSIM PACA').id),
      federationId: String(blosne.federationId),
    });
    expect(move.statusCode).toBe(422);
    expect(text(move.body)).toContain('contactez l’équipe nationale');
    expect(org('Solidarité Blosne').parentId).toBe(org('COSIM Bretagne').id);
  });

  it('gets 404 on every page and form of another collective', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    for (const name of ['COSIM Occitanie Méditerranée', 'AMF', 'FORIM']) {
      const id = org(name).id;
      expect((await coordinator.get(`/organizations/${id}`)).statusCode).toBe(404);
      expect((await coordinator.get(`/organizations/${id}/edit`)).statusCode).toBe(404);
      expect((await coordinator.post(`/organizations/${id}`, { name: 'Piraté' })).statusCode).toBe(404);
      expect((await coordinator.post(`/organizations/${id}/archive`)).statusCode).toBe(404);
      expect((await coordinator.post(`/organizations/${id}/restore`)).statusCode).toBe(404);
    }
    expect(org('AMF').name).toBe('AMF');
  });

  it('cannot archive their own COSIM', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const res = await coordinator.post(`/organizations/${org('COSIM Bretagne').id}/archive`);
    expect(res.statusCode).toBe(403);
  });
});

describe('members and trainers', () => {
  it('are refused the network pages', async () => {
    for (const email of ['membre@cosim-bretagne.test', 'formation@cosim-bretagne.test']) {
      const client = await as(email);
      expect((await client.get('/organizations')).statusCode).toBe(403);
      expect((await client.get(`/organizations/${org('Solidarité Blosne').id}`)).statusCode).toBe(403);
      expect((await client.post('/organizations', osimForm())).statusCode).toBe(403);
    }
  });
});
