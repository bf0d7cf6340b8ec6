// FORIM's analysis (issue 19) against the hand-made set of fiches of fiches.ts (F1–F7 counted, P1
// and P2 never), each figure counted by hand here. Every figure of the page is read from its HTML;
// the CSV as French Excel opens it; the portrait tells about published actions only; only the
// national team gets in.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ficheRegion } from '../../src/analysis/analysis.ts';
import { oneLine } from '../../src/analysis/portrait.ts';
import { parisDay } from '../../src/lib/time.ts';
import { figuresOf, publishedActions } from '../../src/showcase/showcase.ts';
import { createTestApp, loginAs, TestClient, type TestContext, text } from '../helpers.ts';
import { AUTHOR_NAMES, LONG_WHAT, writeFiche, writeFiches } from './fiches.ts';

let ctx: TestContext;
let national: TestClient;
beforeAll(async () => {
  ctx = await createTestApp();
  await writeFiches(ctx);
  national = (await loginAs(ctx, 'admin')).client;
});
afterAll(() => ctx.close());

/** The cells' text of each row of a table (`id`), header and footer rows included. */
function table(html: string, id: string): string[][] {
  const found = new RegExp(`<table[^>]*id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html);
  if (!found) throw new Error(`no table ${id}`);
  return [...found[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1]!)),
  );
}

/** The CSV's lines by their header's words. */
type CsvRow = Record<string, string> & { Titre: string };
const csvRows = (body: string): CsvRow[] => parse(body, { bom: true, delimiter: ';', columns: true });

const byId = (html: string, id: string) =>
  text(new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</(dd|p)>`).exec(html)![1]!);

describe('the analysis page', () => {
  let html: string;
  beforeAll(async () => {
    const res = await national.get('/analysis');
    expect(res.statusCode).toBe(200);
    html = res.body;
  });

  it('counts the fiches published or shared with the network, and their people', () => {
    expect(byId(html, 'k-fiches')).toBe('7');
    expect(byId(html, 'k-published')).toBe('4');
    expect(byId(html, 'k-shared')).toBe('3');
    expect(byId(html, 'k-inqpv')).toBe('6');
    expect(byId(html, 'k-qpvs')).toBe('3');
    expect(byId(html, 'k-regions')).toBe('4');
    // 40 + 25 + 60 + 120 + 10 + 30; 6 + 10 + 15 + 4 + 2 + 5.
    expect(byId(html, 'k-participants')).toBe('285 selon 6 fiches');
    expect(byId(html, 'k-volunteers')).toBe('42 selon 6 fiches');
  });

  it('crosses domains and regions, overseas included, regions found through the OSIM or the collective', () => {
    const rows = table(html, 't-domains');
    expect(rows[0]).toEqual([
      'Domaine',
      'Bretagne',
      'Occitanie',
      'Provence-Alpes-Côte d’Azur',
      'La Réunion',
      'Total',
    ]);
    const line = (label: string) => rows.find((r) => r[0] === label)!.slice(1);
    expect(line('Éducation')).toEqual(['2', '0', '0', '1', '3']);
    expect(line('Santé')).toEqual(['0', '2', '0', '0', '2']);
    expect(line('Culture')).toEqual(['0', '0', '0', '1', '1']);
    expect(line('Domaine non renseigné')).toEqual(['0', '0', '1', '0', '1']);
    expect(line('Sport')).toEqual(['0', '0', '0', '0', '0']);
    expect(line('Total')).toEqual(['2', '2', '1', '2', '7']);
    // Every domain of the list is a row, then « not given », then the total.
    expect(rows).toHaveLength(1 + 12 + 1 + 1);
    expect(html).not.toContain('Île-de-France');
    expect(html).not.toContain('Guadeloupe');
  });

  it('counts a fiche once for each of its publics', () => {
    const rows = table(html, 't-publics').slice(1);
    expect(rows).toEqual([
      ['Jeunes', '3', '43 %'],
      ['Femmes', '2', '29 %'],
      ['Personnes nouvellement arrivées', '1', '14 %'],
      ['Diasporas installées de longue date', '0', '0 %'],
      ['Deuxième génération', '0', '0 %'],
      ['Familles', '1', '14 %'],
      ['Personnes âgées', '1', '14 %'],
      ['Étudiant·es', '0', '0 %'],
      ['Tout public', '1', '14 %'],
      ['Public non renseigné', '1', '14 %'],
    ]);
  });

  it('sorts the co-funders by fiches citing them (ties in the list’s order)', () => {
    expect(table(html, 't-cofunders').slice(1)).toEqual([
      ['Commune', '4', '57 %'],
      ['État (dont crédits politique de la ville)', '2', '29 %'],
      ['Caf', '2', '29 %'],
      ['Région', '1', '14 %'],
      ['Fondation', '1', '14 %'],
    ]);
    expect(byId(html, 'p-nocofunder')).toBe('1 fiche ne cite aucun type de cofinanceur.');
    expect(html).not.toContain('Mécénat');
  });

  it('counts actions per QPV, names compared without accents, case nor punctuation, shown as first written', () => {
    expect(table(html, 't-qpvs').slice(1)).toEqual([
      ['Le Blosne', 'Rennes', '3'],
      ['Le Chaudron', 'Saint-Denis', '1'],
      ['Le Mirail', 'Toulouse', '1'],
    ]);
    expect(byId(html, 'p-unnamed')).toBe('1 action en QPV ne nomme pas son quartier.');
    expect(html).not.toContain('Quartier secret');
  });

  it('dates fiches by the start of the action, or by the day written (in Paris) when they give none', () => {
    expect(table(html, 't-time')).toEqual([
      ['Année', 'janv. – mars', 'avr. – juin', 'juil. – sept.', 'oct. – déc.', 'Total'],
      ['2023', '0', '0', '0', '1', '1'],
      ['2024', '1', '0', '0', '1', '2'],
      ['2025', '3', '0', '1', '0', '4'],
    ]);
    expect(byId(html, 'p-bywriting')).toBe(
      '2 fiches sans période sont datées par le jour où elles ont été écrites.',
    );
  });

  it('names no private fiche, no author and no e-mail, and says why in its note', () => {
    const page = text(html);
    for (const secret of ['P1 Fiche privée', 'P2 Demande', '999', ...AUTHOR_NAMES, '@exemple.test'])
      expect(page).not.toContain(secret);
    expect(page).toContain('jamais le nom de son auteur·rice ni une adresse e-mail');
    expect(page).toContain('Une fiche privée n’est jamais comptée');
  });

  it('counts, with published fiches only, the figures the public showcase shows', async () => {
    const showcase = figuresOf(publishedActions(ctx.db));
    const res = await national.get('/analysis?published=1');
    expect(byId(res.body, 'k-fiches')).toBe(String(showcase.actions));
    expect(byId(res.body, 'k-qpvs')).toBe(String(showcase.qpvReached));
    expect(byId(res.body, 'k-participants')).toMatch(new RegExp(`^${showcase.participants} `));
    expect(byId(res.body, 'k-volunteers')).toMatch(new RegExp(`^${showcase.volunteers} `));
  });

  it('counts published fiches only when asked in the URL, and links its downloads with the filter', async () => {
    const res = await national.get('/analysis?published=1');
    expect(res.statusCode).toBe(200);
    expect(byId(res.body, 'k-fiches')).toBe('4');
    expect(byId(res.body, 'k-shared')).toBe('0');
    expect(byId(res.body, 'k-participants')).toBe('130 selon 3 fiches');
    expect(byId(res.body, 'k-volunteers')).toBe('25 selon 4 fiches');
    expect(byId(res.body, 'k-regions')).toBe('3');
    expect(res.body).toContain('checked');
    expect(res.body).toContain('href="/analysis/fiches.csv?published=1"');
    expect(res.body).toContain('href="/analysis/portrait?published=1"');
  });

  it('takes a bad filter value as none, never an error', async () => {
    for (const url of [
      '/analysis?published=oui',
      '/analysis?published=1&published=1',
      '/analysis?published[]=x',
    ])
      expect(byId((await national.get(url)).body, 'k-fiches'), url).toBe('7');
    for (const url of ['/analysis/fiches.csv?published=%00', '/analysis/portrait?published=2'])
      expect((await national.get(url)).statusCode, url).toBe(200);
  });

  it('says so when there is nothing to count, or no number of people', async () => {
    const empty = await createTestApp();
    const { client, user } = await loginAs(empty, 'admin');
    const res = await client.get('/analysis');
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Aucune fiche à compter pour le moment.');
    expect((await client.get('/analysis/portrait')).statusCode).toBe(200);
    const csv = await client.get('/analysis/fiches.csv');
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(1);

    // One shared fiche that gives no number: no « 0 people », on the page or in the portrait.
    await writeFiche(empty, user.id, { title: 'Sans chiffres', sharedWithNetwork: true });
    const page = await client.get('/analysis');
    expect(byId(page.body, 'k-participants')).toBe('— aucune fiche ne donne ce nombre');
    expect(byId(page.body, 'k-volunteers')).toBe('— aucune fiche ne donne ce nombre');
    const portrait = await client.get('/analysis/portrait');
    // A shared fiche is not public: the portrait has none to count.
    expect(byId(portrait.body, 'k-fiches')).toBe('0');
    expect(portrait.body).not.toContain('k-participants');
    expect(text(portrait.body)).toContain('Aucune action en QPV n’est encore publiée sur la vitrine.');
    await empty.close();
  });
});

describe('the CSV of every counted fiche', () => {
  let body: string;
  let headers: Record<string, unknown>;
  beforeAll(async () => {
    const res = await national.get('/analysis/fiches.csv');
    expect(res.statusCode).toBe(200);
    body = res.body;
    headers = res.headers;
  });

  it('opens in French Excel: BOM, « ; », CRLF, a dated file name', () => {
    expect(headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(headers['content-disposition']).toBe(
      `attachment; filename="analyse-fiches-${parisDay(Date.now())}.csv"`,
    );
    expect(body.startsWith('\uFEFF')).toBe(true);
    expect(body.split('\r\n')[0]).toBe(
      '\uFEFFN°;Titre;OSIM;Collectif;Cycle;Région;Région d’après;Domaine;Publics;Ville;En QPV;Quartier (QPV);Période;Types de cofinanceurs;Cofinancements obtenus;Partenaires;Bénévoles;Participant·es;Objectifs;L’action;Pour qui;Résultats;Difficultés;Conseils aux pairs;Partagée avec le réseau;Publication;Publiée le;Écrite le',
    );
    expect(body.endsWith('\r\n')).toBe(true);
  });

  it('has one row per counted fiche, in words, never a private one', () => {
    const rows = csvRows(body);
    expect(rows.map((r) => r.Titre)).toEqual([
      'F6 Accueil des nouveaux arrivants',
      'F1 Soutien scolaire au Blosne',
      'F2 Devoirs faits ensemble',
      'F3 Santé des femmes au Mirail',
      'F5 Prévention à Montpellier',
      'F7 Lecture en famille',
      'F4 Maloya au Chaudron',
    ]);
    const f1 = rows.find((r) => r.Titre.startsWith('F1'))!;
    expect(f1).toMatchObject({
      OSIM: 'OSIM Blosne',
      Collectif: 'COSIM Test Bretagne',
      Région: 'Bretagne',
      'Région d’après': 'la fiche',
      Domaine: 'Éducation',
      Publics: 'Jeunes, Femmes',
      Ville: 'Rennes',
      'En QPV': 'oui',
      'Quartier (QPV)': 'Le Blôsne',
      Période: 'février 2024 – juin 2024',
      'Types de cofinanceurs': 'Commune, Caf',
      'Cofinancements obtenus': 'Ville de Rennes',
      Bénévoles: '6',
      Participant·es: '40',
      'Partagée avec le réseau': 'non',
      Publication: 'Publiée',
      'Publiée le': '10/01/2025',
      'Écrite le': '05/05/2025',
    });
    const region = (prefix: string) => {
      const r = rows.find((row) => row.Titre.startsWith(prefix))!;
      return `${r.Région} (${r['Région d’après']})`;
    };
    expect(region('F2')).toBe('Bretagne (le collectif du cycle)');
    expect(region('F3')).toBe('Occitanie (l’OSIM)');
    expect(region('F6')).toBe('Provence-Alpes-Côte d’Azur (le collectif du cycle)');
    expect(region('F7')).toBe('La Réunion (l’OSIM)');
    const f4 = rows.find((r) => r.Titre.startsWith('F4'))!;
    expect(f4).toMatchObject({
      Publication: 'Publication demandée',
      'Partagée avec le réseau': 'oui',
      'Publiée le': '',
      Période: '',
    });
    const f3 = rows.find((r) => r.Titre.startsWith('F3'))!;
    expect(f3['L’action']).toBe('Permanences santé.\nAvec le centre social.');
    expect(rows.find((r) => r.Titre.startsWith('F5'))).toMatchObject({ Participant·es: '' });
    expect(rows.find((r) => r.Titre.startsWith('F6'))!.OSIM).toBe('');
  });

  it('neutralises a formula, and holds no e-mail, no author’s name, no private fiche', () => {
    expect(body).toContain(";'=SOMME(A1:A2);");
    expect(body).not.toContain('@');
    for (const secret of [...AUTHOR_NAMES, 'P1 Fiche privée', 'P2 Demande', 'Quartier secret'])
      expect(body).not.toContain(secret);
  });

  it('holds the published fiches only with the filter', async () => {
    const res = await national.get('/analysis/fiches.csv?published=1');
    expect(res.headers['content-disposition']).toContain('analyse-fiches-publiees-');
    const rows = csvRows(res.body);
    expect(rows.map((r) => r.Titre.slice(0, 2))).toEqual(['F1', 'F3', 'F5', 'F7']);
  });
});

describe('the printable portrait', () => {
  let html: string;
  beforeAll(async () => {
    const res = await national.get('/analysis/portrait');
    expect(res.statusCode).toBe(200);
    html = res.body;
  });

  it('counts published fiches only — it leaves the network —, as the analysis does with « publiées »', async () => {
    const analysis = (await national.get('/analysis?published=1')).body;
    for (const id of ['k-fiches', 'k-inqpv', 'k-qpvs', 'k-participants', 'k-volunteers'])
      expect(byId(analysis, id), id).toMatch(new RegExp(`^${byId(html, id)}\\b`));
    // Asking for everything changes nothing.
    const all = (await national.get('/analysis/portrait?published=0')).body;
    expect(byId(all, 'k-fiches')).toBe(byId(html, 'k-fiches'));
    expect(Number(byId(html, 'k-fiches'))).toBeLessThan(7);
  });

  it('tells about published actions in QPV only, most recently published first', () => {
    const page = text(html);
    const shown = ['F7 Lecture en famille', 'F3 Santé des femmes au Mirail', 'F1 Soutien scolaire au Blosne'];
    expect(shown.map((title) => page.indexOf(title))).toEqual(
      [...shown.map((title) => page.indexOf(title))].sort((a, b) => a - b),
    );
    for (const title of shown) expect(page).toContain(title);
    for (const hidden of ['F2 ', 'F4 ', 'F5 ', 'F6 ', 'P1 ', 'P2 ', ...AUTHOR_NAMES, '@exemple.test'])
      expect(page).not.toContain(hidden);
    expect(page).toContain('F1 Soutien scolaire au Blosne — OSIM Blosne — Rennes, QPV : Le Blôsne');
    expect(page).toContain(oneLine(LONG_WHAT));
    expect(page).not.toContain('Deuxième ligne');
  });

  it('says its source and date, and prints like the dashboards’ report', () => {
    expect(byId(html, 'p-source')).toMatch(/^Source : fiches d’expérience publiées/);
    expect(byId(html, 'p-source')).not.toContain('partagées');
    expect(html).toContain('<article class="report portrait">');
    expect(html).toContain('class="no-print breadcrumb"');
  });
});

describe('who reaches the analysis', () => {
  const urls = ['/analysis', '/analysis/fiches.csv', '/analysis/portrait'];

  it('is the national team only: others are refused, anonymous people sent to sign in', async () => {
    for (const role of ['member', 'trainer', 'coordinator'] as const) {
      const { client } = await loginAs(ctx, role);
      for (const url of urls) {
        const res = await client.get(url);
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(res.body).not.toContain('F1 Soutien');
      }
      expect((await client.get('/')).body).not.toContain('href="/analysis"');
    }
    const anonymous = new TestClient(ctx.app);
    for (const url of urls) {
      const res = await anonymous.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    expect((await national.get('/')).body).toContain('<a href="/analysis">Analyse des actions</a>');
  });
});

describe('a fiche’s region', () => {
  it('is the fiche’s own, else the OSIM’s, else the collective’s, as the network writes them', () => {
    expect(ficheRegion({ region: 'MAY', osimRegion: 'Bretagne', collectiveRegion: 'Occitanie' })).toEqual({
      region: 'MAY',
      source: 'fiche',
    });
    expect(ficheRegion({ region: 'XX', osimRegion: 'ile-de-france', collectiveRegion: null })).toEqual({
      region: 'IDF',
      source: 'osim',
    });
    expect(
      ficheRegion({ region: null, osimRegion: 'National', collectiveRegion: 'COSIM Occitanie Méditerranée' }),
    ).toEqual({ region: 'OCC', source: 'collective' });
    expect(ficheRegion({ region: null, osimRegion: null, collectiveRegion: 'National' })).toEqual({
      region: null,
      source: null,
    });
  });
});
