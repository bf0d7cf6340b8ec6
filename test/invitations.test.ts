// Inviting people one by one and from a CSV list (preview, confirm, never twice, never half).
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invitations, organizations, outbox } from '../src/db/schema.ts';
import { DEMO_PASSWORD } from '../src/db/seed-demo.ts';
import { BASE_URL, createTestApp, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

const org = (name: string) => ctx.db.select().from(organizations).where(eq(organizations.name, name)).get()!;
const invitationCount = () => ctx.db.select({ n: count() }).from(invitations).get()!.n;
const outboxCount = () => ctx.db.select({ n: count() }).from(outbox).get()!.n;

async function as(email: string) {
  const client = new TestClient(ctx.app);
  await client.login(email, DEMO_PASSWORD);
  return client;
}

function linkIn(html: string): string {
  const m = /value="(http:\/\/passerelle\.test\/invitation\/[a-z2-7]{32})"/.exec(html);
  if (!m) throw new Error('no invitation link on the page');
  return m[1]!;
}

/** Posts a CSV file as the browser's multipart form does. */
async function upload(client: TestClient, csv: string | Buffer, fileName = 'membres.csv') {
  const token = await client.csrfToken();
  const boundary = '----passerelle-test';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.request({
    method: 'POST',
    url: '/invitations/import',
    payload: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: BASE_URL },
  });
}

describe('inviting one person', () => {
  it('emails the invitation and shows the link to copy; the link creates the account', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const before = outboxCount();
    const res = await coordinator.post('/invitations', {
      displayName: 'Fatoumata Sissoko',
      email: 'Fatoumata.Sissoko@Exemple.fr',
      organizationId: String(org('Villejean Ensemble').id),
      role: 'member',
    });
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Une invitation a été envoyée par e-mail.');
    const link = linkIn(res.body);
    expect(outboxCount()).toBe(before + 1);
    const newcomer = new TestClient(ctx.app);
    const path = new URL(link).pathname;
    expect(text((await newcomer.get(path)).body)).toContain(
      'Vous êtes invité·e à rejoindre Villejean Ensemble comme membre.',
    );
    const created = await newcomer.post(path, {
      displayName: 'Fatoumata Sissoko',
      password: 'une phrase longue',
      confirm: 'une phrase longue',
    });
    expect(created.statusCode).toBe(303);
    expect(text((await newcomer.get('/')).body)).toContain('Votre association : Villejean Ensemble');
  });

  it('refuses a second invitation to the same place, and someone who is already a member', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const again = await coordinator.post('/invitations', {
      displayName: 'Salimata Koné',
      email: 'salimata.kone@cosim-bretagne.test',
      organizationId: String(org('Cleunay Passerelles').id),
      role: 'member',
    });
    expect(again.statusCode).toBe(422);
    expect(text(again.body)).toContain('déjà une invitation en attente');
    const member = await coordinator.post('/invitations', {
      displayName: 'Mamadou Sow',
      email: 'membre@cosim-bretagne.test',
      organizationId: String(org('Solidarité Blosne').id),
      role: 'member',
    });
    expect(member.statusCode).toBe(422);
    expect(text(member.body)).toContain('a déjà ce rôle');
    expect(member.body).toContain('value="Mamadou Sow"');
  });

  it('validates the fields in French and keeps them', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const res = await coordinator.post('/invitations', {
      displayName: '',
      email: 'pas-une-adresse',
      organizationId: '',
      role: 'member',
    });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Saisissez votre nom.');
    expect(text(res.body)).toContain('Saisissez une adresse e-mail valide');
    expect(text(res.body)).toContain('Choisissez une option dans la liste.');
    expect(res.body).toContain('value="pas-une-adresse"');
  });

  it('does not let a coordinator invite into another collective or name a coordinator', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const elsewhere = await coordinator.post('/invitations', {
      displayName: 'X',
      email: 'x@exemple.fr',
      organizationId: String(org('AMF').id),
      role: 'member',
    });
    expect(elsewhere.statusCode).toBe(422);
    const boss = await coordinator.post('/invitations', {
      displayName: 'X',
      email: 'x@exemple.fr',
      organizationId: String(org('COSIM Bretagne').id),
      role: 'coordinator',
    });
    expect(boss.statusCode).toBe(403);
    expect(invitationCount()).toBe(2);
  });
});

describe('resending and revoking', () => {
  it('resend gives a new link and kills the old one; revoke kills it too', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const first = await coordinator.post('/invitations', {
      displayName: 'Awa Ndiaye',
      email: 'awa.ndiaye@exemple.fr',
      organizationId: String(org('Villejean Ensemble').id),
      role: 'member',
    });
    const oldLink = new URL(linkIn(first.body)).pathname;
    const id = ctx.db
      .select()
      .from(invitations)
      .where(eq(invitations.email, 'awa.ndiaye@exemple.fr'))
      .get()!.id;
    const resent = await coordinator.post(`/invitations/${id}/resend`);
    expect(resent.statusCode).toBe(200);
    const newLink = new URL(linkIn(resent.body)).pathname;
    expect(newLink).not.toBe(oldLink);
    expect((await new TestClient(ctx.app).get(oldLink)).statusCode).toBe(404);
    expect((await new TestClient(ctx.app).get(newLink)).statusCode).toBe(200);
    expect((await coordinator.post(`/invitations/${id}/revoke`)).statusCode).toBe(303);
    expect((await new TestClient(ctx.app).get(newLink)).statusCode).toBe(410);
    const list = text((await coordinator.get('/invitations?status=revoked')).body);
    expect(list).toContain('awa.ndiaye@exemple.fr');
  });

  it('is out of reach for another collective’s coordinator', async () => {
    const om = await createOmCoordinator();
    const id = ctx.db.select().from(invitations).get()!.id;
    expect((await om.post(`/invitations/${id}/resend`)).statusCode).toBe(404);
    expect((await om.post(`/invitations/${id}/revoke`)).statusCode).toBe(404);
    expect(text((await om.get('/invitations')).body)).not.toContain('salimata.kone');
  });
});

async function createOmCoordinator() {
  const { createUser } = await import('./helpers.ts');
  const user = await createUser(ctx.db, {
    role: 'coordinator',
    organizationId: org('COSIM Occitanie Méditerranée').id,
  });
  const client = new TestClient(ctx.app);
  await client.login(user.email);
  return client;
}

describe('importing a CSV list', () => {
  const csv = [
    'nom;email;osim;role',
    'Awa Traoré;awa.traore@exemple.fr;Solidarité Blosne;membre',
    'Issa Diallo;issa.diallo@exemple.fr;villejean ensemble;formateur',
    'Mamadou Sow;membre@cosim-bretagne.test;Solidarité Blosne;',
    'Salimata Koné;salimata.kone@cosim-bretagne.test;Cleunay Passerelles;',
    'Sans Adresse;pas-une-adresse;Solidarité Blosne;',
    'Ailleurs;ailleurs@exemple.fr;AMF;',
    'Doublon;AWA.TRAORE@exemple.fr;Solidarité Blosne;',
    'Rôle Bizarre;bizarre@exemple.fr;Solidarité Blosne;président',
  ].join('\r\n');

  it('previews every row with its line and status, then invites the new ones only', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]);
    const uploaded = await upload(coordinator, bom);
    expect(uploaded.statusCode).toBe(303);
    const preview = await coordinator.get(uploaded.headers.location as string);
    const page = text(preview.body);
    expect(page).toContain('Fichier « membres.csv » : 8 lignes lues.');
    expect(page).toContain('Nouvelle Ligne 2 Awa Traoré awa.traore@exemple.fr Solidarité Blosne · Membre');
    expect(page).toContain(
      'Nouvelle Ligne 3 Issa Diallo issa.diallo@exemple.fr Villejean Ensemble · Formateur·rice',
    );
    expect(page).toContain('Déjà membre Ligne 4 Mamadou Sow');
    expect(page).toContain('Déjà invitée Ligne 5 Salimata Koné');
    expect(page).toContain('« pas-une-adresse » n’est pas une adresse e-mail valide.');
    expect(page).toContain('Aucune association « AMF » dans votre collectif.');
    expect(page).toContain('Même adresse qu’à la ligne 2.');
    expect(page).toContain('Rôle « président » inconnu');
    expect(invitationCount()).toBe(2); // nothing written yet

    const confirm = await coordinator.post(`${uploaded.headers.location}/confirm`);
    expect(confirm.statusCode).toBe(200);
    expect(text(confirm.body)).toContain('2 invitations ont été envoyées par e-mail.');
    expect(text(confirm.body)).toContain('6 lignes n’ont pas donné d’invitation');
    expect(invitationCount()).toBe(4);
    expect(confirm.body.match(/\/invitation\/[a-z2-7]{32}/g)).toHaveLength(2);

    // The same file again: nobody is invited twice.
    const second = await upload(coordinator, csv);
    const again = text((await coordinator.get(second.headers.location as string)).body);
    expect(again).toContain('Aucune ligne ne donnera d’invitation.');
    expect(again).toContain('Déjà invitée Ligne 2 Awa Traoré');
    // Confirming the first import twice does nothing either.
    expect((await coordinator.post(`${uploaded.headers.location}/confirm`)).statusCode).toBe(422);
    expect(invitationCount()).toBe(4);
  });

  it('reads comma-separated files with quoted fields and English headers', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const res = await upload(
      coordinator,
      'Name,E-mail,OSIM\n"Diop, Awa",awa.d@exemple.fr,Solidarité Blosne\n',
    );
    const page = text((await coordinator.get(res.headers.location as string)).body);
    expect(page).toContain('Nouvelle Ligne 2 Diop, Awa awa.d@exemple.fr Solidarité Blosne · Membre');
  });

  it('explains a file it cannot use', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const latin1 = Buffer.from('nom;email;osim\nAwa Traoré;a@b.fr;AMF\n', 'latin1');
    const notUtf8 = await upload(coordinator, latin1);
    expect(notUtf8.statusCode).toBe(422);
    expect(text(notUtf8.body)).toContain('n’est pas encodé en UTF-8');
    const columns = await upload(coordinator, 'prénom;téléphone\nAwa;0600000000\n');
    expect(text(columns.body)).toContain('Colonnes manquantes dans la ligne d’en-tête : nom, email, osim.');
    const empty = await upload(coordinator, '');
    expect(empty.statusCode).toBe(422);
    expect(text(empty.body)).toContain('Choisissez un fichier CSV à importer.');
    const quotes = await upload(coordinator, 'nom;email;osim\n"Awa;a@b.fr;Solidarité Blosne\n');
    expect(quotes.statusCode).toBe(422);
    expect(text(quotes.body)).toContain('ne peut pas être lu comme un CSV');
  });

  it('keeps an import private to the person who made it', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const res = await upload(coordinator, csv);
    const om = await createOmCoordinator();
    expect((await om.get(res.headers.location as string)).statusCode).toBe(404);
    expect((await om.post(`${res.headers.location}/confirm`)).statusCode).toBe(404);
  });

  it('handles 2,000 rows in one go, and a failure half-way leaves nothing behind', async () => {
    const rows = ['nom;email;osim'];
    for (let i = 0; i < 2000; i++)
      rows.push(
        `Personne ${i};personne${i}@exemple.fr;${i % 2 ? 'Solidarité Blosne' : 'Villejean Ensemble'}`,
      );
    const coordinator = await as('coordination@cosim-bretagne.test');
    const res = await upload(coordinator, rows.join('\n'));
    expect(res.statusCode).toBe(303);
    const preview = text((await coordinator.get(res.headers.location as string)).body);
    expect(preview).toContain('2000 lignes lues');
    // A fault on the 1,500th invitation: the whole import must roll back.
    ctx.db.$client.exec(`CREATE TRIGGER panne AFTER INSERT ON invitations
      WHEN (SELECT count(*) FROM invitations) >= 1500 BEGIN SELECT RAISE(ABORT, 'panne simulée'); END;`);
    const before = { invitations: invitationCount(), outbox: outboxCount() };
    const failed = await coordinator.post(`${res.headers.location}/confirm`);
    expect(failed.statusCode).toBe(500);
    expect({ invitations: invitationCount(), outbox: outboxCount() }).toEqual(before);
    ctx.db.$client.exec('DROP TRIGGER panne');
    const started = performance.now();
    const done = await coordinator.post(`${res.headers.location}/confirm`);
    const elapsed = performance.now() - started;
    expect(done.statusCode).toBe(200);
    expect(invitationCount()).toBe(before.invitations + 2000);
    expect(outboxCount()).toBe(before.outbox + 2000);
    expect(elapsed).toBeGreaterThan(0);
  });
});
