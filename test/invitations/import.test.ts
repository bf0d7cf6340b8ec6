// Inviting a CSV list: preview, confirm, a result page that can be reloaded (and a second confirm
// that is no error), never twice, never half; the encodings spreadsheets write; the template.
import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invitations, outbox } from '../../src/db/schema.ts';
import { createTestApp, TestClient, type TestContext, text } from '../helpers.ts';
import { as, linksIn, omCoordinator, upload } from './world.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

const invitationCount = () => ctx.db.select({ n: count() }).from(invitations).get()!.n;
const outboxCount = () => ctx.db.select({ n: count() }).from(outbox).get()!.n;

/** Bytes as Excel writes them on a French Windows: Windows-1252 (Latin-1, ’ is 0x92, œ 0x9C). */
function windows1252(text: string): Buffer {
  const high: Record<string, number> = { '’': 0x92, œ: 0x9c, '€': 0x80 };
  return Buffer.from([...text].map((c) => high[c] ?? c.charCodeAt(0)));
}

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

describe('importing a CSV list', () => {
  it('previews every row with its line and status, then invites the new ones only', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]);
    const uploaded = await upload(coordinator, bom);
    expect(uploaded.statusCode).toBe(303);
    const importPage = uploaded.headers.location as string;
    const page = text((await coordinator.get(importPage)).body);
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
    const before = invitationCount();
    expect(before).toBeGreaterThan(0); // the demo's (nothing of this file written yet)

    const confirm = await coordinator.post(`${importPage}/confirm`);
    expect(confirm.statusCode).toBe(303);
    expect(confirm.headers.location).toBe(importPage);
    expect(invitationCount()).toBe(before + 2);
    const result = await coordinator.get(importPage);
    expect(text(result.body)).toContain('Invitations envoyées');
    expect(text(result.body)).toContain('2 invitations ont été envoyées par e-mail.');
    expect(text(result.body)).toContain('6 lignes n’ont pas donné d’invitation');
    const links = linksIn(result.body);
    expect(links).toHaveLength(2);

    // Reloading the result, or confirming again (a double click, the back button): the same page,
    // the same links, nobody invited twice, no error.
    const reload = await coordinator.get(importPage);
    expect(reload.statusCode).toBe(200);
    expect(linksIn(reload.body)).toEqual(links);
    const twice = await coordinator.post(`${importPage}/confirm`);
    expect(twice.statusCode).toBe(303);
    expect(twice.headers.location).toBe(importPage);
    expect(invitationCount()).toBe(before + 2);
    expect(linksIn((await coordinator.get(importPage)).body)).toEqual(links);

    // The links of this import as a CSV for a mail merge.
    const download = await coordinator.get(`${importPage}/links.csv`);
    expect(download.headers['content-disposition']).toMatch(/filename="invitations-liste-\d+\.csv"/);
    const lines = download.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('\uFEFFnom;email;lien');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^Awa Traoré;awa\.traore@exemple\.fr;http:\/\/passerelle\.test\/invitation\//);
    expect(lines[2]).toMatch(/^Issa Diallo;issa\.diallo@exemple\.fr;http:\/\/passerelle\.test\/invitation\//);
    expect(linksIn(download.body).sort()).toEqual([...links].sort());
    // Every link works.
    for (const link of links) {
      expect((await new TestClient(ctx.app).get(new URL(link).pathname)).statusCode).toBe(200);
    }
    // The list of invitations points back to the import.
    const list = await coordinator.get('/invitations');
    expect(list.body).toContain(`href="${importPage}"`);

    // The same file again: nobody is invited twice.
    const second = await upload(coordinator, csv);
    const again = text((await coordinator.get(second.headers.location as string)).body);
    expect(again).toContain('Aucune ligne ne donnera d’invitation.');
    expect(again).toContain('Déjà invitée Ligne 2 Awa Traoré');
  });

  it('invites each person once when two confirmations arrive together (two tabs)', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const uploaded = await upload(coordinator, csv);
    const before = { invitations: invitationCount(), outbox: outboxCount() };
    const answers = await Promise.all(
      [1, 2, 3].map(() => coordinator.post(`${uploaded.headers.location}/confirm`)),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([303, 303, 303]);
    expect({ invitations: invitationCount(), outbox: outboxCount() }).toEqual({
      invitations: before.invitations + 2,
      outbox: before.outbox + 2,
    });
  });

  it('reads comma-separated files with quoted fields and English headers', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const res = await upload(
      coordinator,
      'Name,E-mail,OSIM\n"Diop, Awa",awa.d@exemple.fr,Solidarité Blosne\n',
    );
    const page = text((await coordinator.get(res.headers.location as string)).body);
    expect(page).toContain('Nouvelle Ligne 2 Diop, Awa awa.d@exemple.fr Solidarité Blosne · Membre');
  });

  it('keeps an import, its result and its links private to the person who made it', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const res = await upload(coordinator, csv);
    const before = invitationCount();
    const om = await omCoordinator(ctx);
    expect((await om.get(res.headers.location as string)).statusCode).toBe(404);
    expect((await om.post(`${res.headers.location}/confirm`)).statusCode).toBe(404);
    expect(invitationCount()).toBe(before);
    await coordinator.post(`${res.headers.location}/confirm`);
    expect((await om.get(res.headers.location as string)).statusCode).toBe(404);
    expect((await om.get(`${res.headers.location}/links.csv`)).statusCode).toBe(404);
    const member = await as(ctx, 'membre@cosim-bretagne.test');
    expect((await member.get(`${res.headers.location}/links.csv`)).statusCode).toBe(403);
  });

  it('handles 2,000 rows in one go, and a failure half-way leaves nothing behind', async () => {
    const rows = ['nom;email;osim'];
    for (let i = 0; i < 2000; i++)
      rows.push(
        `Personne ${i};personne${i}@exemple.fr;${i % 2 ? 'Solidarité Blosne' : 'Villejean Ensemble'}`,
      );
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const res = await upload(coordinator, rows.join('\n'));
    expect(res.statusCode).toBe(303);
    const preview = text((await coordinator.get(res.headers.location as string)).body);
    expect(preview).toContain('2 000 lignes lues');
    // A fault on the 1,500th invitation: the whole import must roll back, and stay confirmable.
    ctx.db.$client.exec(`CREATE TRIGGER panne AFTER INSERT ON invitations
      WHEN (SELECT count(*) FROM invitations) >= 1500 BEGIN SELECT RAISE(ABORT, 'panne simulée'); END;`);
    const before = { invitations: invitationCount(), outbox: outboxCount() };
    const failed = await coordinator.post(`${res.headers.location}/confirm`);
    expect(failed.statusCode).toBe(500);
    expect({ invitations: invitationCount(), outbox: outboxCount() }).toEqual(before);
    ctx.db.$client.exec('DROP TRIGGER panne');
    const done = await coordinator.post(`${res.headers.location}/confirm`);
    expect(done.statusCode).toBe(303);
    expect(invitationCount()).toBe(before.invitations + 2000);
    expect(outboxCount()).toBe(before.outbox + 2000);
    // The result page shows them a page at a time; the CSV has them all.
    const result = await coordinator.get(res.headers.location as string);
    expect(text(result.body)).toContain('2 000 invitations ont été envoyées par e-mail.');
    expect(linksIn(result.body)).toHaveLength(50);
    expect(text(result.body)).toContain('page 1 sur 40');
    const all = await coordinator.get(`${res.headers.location}/links.csv`);
    expect(linksIn(all.body)).toHaveLength(2000);
  }, 60_000); // Two imports of 2,000 rows (about 7 s each here), more when the machine is busy.
});

describe('a large list, checked once', () => {
  const rows = (n: number, bad = 0) =>
    [
      'nom;email;osim',
      ...Array.from({ length: n }, (_, i) =>
        i < bad
          ? `Personne ${i};pas-une-adresse-${i};Solidarité Blosne`
          : `Personne ${i};personne.${i}@exemple.fr;Solidarité Blosne`,
      ),
    ].join('\n');

  it('shows 5,000 rows a hundred at a time, and the rows to correct on their own', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const uploaded = await upload(coordinator, rows(5000, 130));
    const importPage = uploaded.headers.location as string;
    const first = await coordinator.get(importPage);
    expect(first.body.length).toBeLessThan(150_000);
    const page = text(first.body);
    expect(page).toContain('5 000 lignes lues');
    expect(page).toContain('Page 1 sur 50');
    expect(page).toContain('Voir seulement les 130 lignes à corriger');
    expect(first.body.match(/class="import-row /g)).toHaveLength(100);
    const errors = await coordinator.get(`${importPage}?show=errors&page=2`);
    expect(errors.body.match(/class="import-row import-row--error"/g)).toHaveLength(30);
    expect(errors.body.match(/class="import-row import-row--new"/g)).toBeNull();
    expect(text((await coordinator.get(`${importPage}?page=999`)).body)).toContain('Page 50 sur 50');
  }, 60_000);

  it('shows what was found at upload; confirming checks every row again', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const importPage = (await upload(coordinator, rows(3))).headers.location as string;
    // Someone else invites the first person between the upload and the confirmation.
    const other = await upload(coordinator, rows(1), 'autre.csv');
    await coordinator.post(`${other.headers.location as string}/confirm`);
    const page = text((await coordinator.get(importPage)).body);
    expect(page).toContain('Nouvelle Ligne 2 Personne 0');
    const before = invitationCount();
    await coordinator.post(`${importPage}/confirm`);
    expect(invitationCount()).toBe(before + 2);
  });

  it('takes ten uploads a minute from one account, then asks to wait, in French', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await upload(coordinator, rows(1))).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 303)).toBe(true);
    const refused = await upload(coordinator, rows(1));
    expect(refused.statusCode).toBe(429);
    expect(text(refused.body)).toContain('Trop de demandes');
  });
});

describe('the files spreadsheets write', () => {
  it('reads Excel’s Windows-1252 CSV (accents, ’ and œ)', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const res = await upload(
      coordinator,
      windows1252(
        'nom;email;osim\r\nAïssatou N’Diaye;a.ndiaye@exemple.fr;Solidarité Blosne\r\nCœur Léa;lea@exemple.fr;Villejean Ensemble\r\n',
      ),
    );
    expect(res.statusCode).toBe(303);
    const page = text((await coordinator.get(res.headers.location as string)).body);
    expect(page).toContain('Nouvelle Ligne 2 Aïssatou N’Diaye a.ndiaye@exemple.fr Solidarité Blosne');
    expect(page).toContain('Nouvelle Ligne 3 Cœur Léa lea@exemple.fr Villejean Ensemble');
  });

  it('reads Excel’s « Texte Unicode » (UTF-16 with its BOM, tab-separated)', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('nom\temail\tosim\r\nAwa Traoré\tawa.t@exemple.fr\tSolidarité Blosne\r\n', 'utf16le'),
    ]);
    const res = await upload(coordinator, utf16);
    expect(res.statusCode).toBe(303);
    const page = text((await coordinator.get(res.headers.location as string)).body);
    expect(page).toContain('Nouvelle Ligne 2 Awa Traoré awa.t@exemple.fr Solidarité Blosne');
  });

  it('refuses what is not a text table, and says how to save the file', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const refusals = {
      'UTF-16 without its BOM': Buffer.from('nom;email;osim\r\nAwa;a@b.fr;AMF\r\n', 'utf16le'),
      'an Excel workbook (zip)': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]),
      'an image': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
      'UTF-8 announced but broken': Buffer.from([0xef, 0xbb, 0xbf, 0x6e, 0x6f, 0x6d, 0xc3, 0x28]),
    };
    for (const [what, bytes] of Object.entries(refusals)) {
      const res = await upload(coordinator, bytes);
      expect(res.statusCode, what).toBe(422);
      expect(text(res.body), what).toContain('Ce fichier n’est pas un tableau enregistré en texte');
      expect(text(res.body), what).toContain('« CSV UTF-8 » ou « CSV (séparateur : point-virgule) »');
    }
    const columns = await upload(coordinator, 'prénom;téléphone\nAwa;0600000000\n');
    expect(text(columns.body)).toContain('Colonnes manquantes dans la ligne d’en-tête : nom, email, osim.');
    const empty = await upload(coordinator, '');
    expect(empty.statusCode).toBe(422);
    expect(text(empty.body)).toContain('Choisissez un fichier CSV à importer.');
    const quotes = await upload(coordinator, 'nom;email;osim\n"Awa;a@b.fr;Solidarité Blosne\n');
    expect(quotes.statusCode).toBe(422);
    expect(text(quotes.body)).toContain('ne peut pas être lu comme un CSV');
  });

  it('offers a template whose example rows can never invite anyone', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const form = await coordinator.get('/invitations/import');
    expect(form.body).toContain('href="/invitations/import/template.csv"');
    expect(text(form.body)).toContain('Télécharger le modèle (CSV)');
    const res = await coordinator.get('/invitations/import/template.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="modele-invitations.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFnom;email;osim;role');
    expect(lines[1]).toContain('Exemple');
    expect(lines[2]).toContain('Exemple');
    // Imported as it is, both rows are errors: nothing to invite.
    const uploaded = await upload(coordinator, res.rawPayload, 'modele-invitations.csv');
    const preview = text((await coordinator.get(uploaded.headers.location as string)).body);
    expect(preview).toContain(
      'Aucune association « Nom de votre association (exemple) » dans votre collectif.',
    );
    expect(preview).toContain('Aucune ligne ne donnera d’invitation.');
    expect(
      (await (await as(ctx, 'membre@cosim-bretagne.test')).get('/invitations/import/template.csv'))
        .statusCode,
    ).toBe(403);
  });
});
