// The export of a project (issue 18): the PDF a member prints to copy into the funder's form, and
// the budget as a CSV for French Excel. A project of the Blosne literacy workshop is written
// through the domain functions on a fresh database; what is checked is what a person reading the
// file would notice: the draft warning, the parts in the form's order, every amount to the cent,
// the fonts in the file, a CSV Excel opens with its accents, its columns and its numbers.
import { inflateSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { translator } from '../../src/i18n/index.ts';
import { loadCurrentUser } from '../../src/people/users.ts';
import type { BudgetContent } from '../../src/projects/budget.ts';
import { budgetCsv } from '../../src/projects/budget-csv.ts';
import { projectFileName, projectPdf } from '../../src/projects/project-pdf.ts';
import { saveSection } from '../../src/projects/project-sections.ts';
import { createProject, getProjectFor, type ProjectView } from '../../src/projects/projects.ts';
import { createOrganization, createTestApp, createUser, type TestContext } from '../helpers.ts';
import { A4, type PdfReading, readPdf } from '../pdf.ts';

const t = translator('fr');
/** Any run of spaces, no-break ones too, as one space: what a reader sees. */
const squash = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const notice = squash(t('project.export.draftNotice'));

const title = 'Atelier d’alphabétisation au Blosne';
// Long enough to run over a page break; no hyphen, so a wrapped line reads back word by word.
const needs = Array.from(
  { length: 24 },
  (_, i) =>
    `Constat ${i + 1} : des mères du quartier nous disent qu’elles ne peuvent pas lire les courriers de l’école ni remplir seules un dossier à la Caf, et les permanences existantes sont pleines.`,
).join(' ');
const actionsText = Array.from(
  { length: 22 },
  (_, i) =>
    `Séance ${i + 1} : lecture à voix haute, écriture de phrases utiles au quotidien, puis un temps d’échange en wolof et en français animé par la formatrice et deux bénévoles.`,
).join('\n');

const texts = {
  summary: {
    title,
    summary: 'Deux ateliers par semaine pour douze adultes, d’octobre à juin, à la maison de quartier.',
    needs,
  },
  place: {
    town: 'Rennes',
    qpv: 'Le Blosne',
    why: 'Nos adhérentes habitent le Blosne ; la maison de quartier nous prête une salle.',
  },
  public: {
    who: 'Des femmes adultes arrivées récemment, peu scolarisées.',
    howMany: '12',
    reach: 'Bouche-à-oreille.',
  },
  objectives: { objectives: 'Lire un courrier administratif seule au bout de six mois.' },
  actions: { actions: actionsText, calendar: 'Octobre : inscriptions. Juin : bilan avec les familles.' },
  partners: { partners: 'Maison de quartier du Blosne, Ville de Rennes, centre social Ŋoné Diop.' },
  means: {
    volunteers: 'Trois bénévoles, quatre heures par semaine.',
    premises: 'Salle prêtée.',
    equipment: '',
  },
  evaluation: { indicators: 'Nombre de participantes assidues ; courriers lus seules en juin.' },
};

const budget: BudgetContent = {
  expenses: [
    { account: '62', label: 'Formatrice (vacations)', cents: 480_000 },
    { account: '60', label: 'Matériel pédagogique, photocopies', cents: 60_045 },
    { account: '61', label: 'Assurance (part de l’action)', cents: 15_010 },
    { account: '62', label: '-Transport des sorties', cents: 44_945 },
  ],
  resources: [
    { kind: 'state', label: 'État : crédits politique de la ville', cents: 300_000, status: 'asked' },
    { kind: 'town', label: 'Ville de Rennes', cents: 150_000, status: 'asked' },
    { kind: 'caf', label: 'Caf d’Ille-et-Vilaine', cents: 80_000, status: 'toAsk' },
    {
      kind: 'foundation',
      label: '=HYPERLINK("https://exemple.test";"Fondation")',
      cents: 99_999,
      status: 'refused',
    },
    { kind: 'own', label: 'Cotisations et fête annuelle', cents: 70_000, status: 'obtained' },
  ],
  inKind: [
    { account: '86', label: 'Mise à disposition gratuite de la salle', cents: 120_000 },
    { account: '86', label: 'Bénévolat', cents: 540_000 },
    { account: '87', label: 'Prestations en nature (salle)', cents: 120_000 },
    { account: '87', label: 'Bénévolat', cents: 540_000 },
  ],
};

let ctx: TestContext;
let db: Db;
let project: ProjectView;
let empty: ProjectView;
let pdf: Buffer;
let reading: PdfReading;
const exportedAt = new Date('2026-12-03T13:05:00Z');

beforeAll(async () => {
  ctx = await createTestApp();
  db = ctx.db;
  const cosim = createOrganization(db, { kind: 'cosim', name: 'COSIM Bretagne' });
  const osim = createOrganization(db, { kind: 'osim', name: 'Solidarité Blosne', parentId: cosim.id });
  const author = await createUser(db, {
    role: 'member',
    organizationId: osim.id,
    displayName: 'Aïssatou Ndiaye-Lefèvre',
  });
  const me = loadCurrentUser(db, author.id)!;
  const id = createProject(db, me, { title, organizationId: osim.id });
  project = getProjectFor(db, me, id);
  for (const [key, content] of Object.entries(texts))
    saveSection(db, me, project, key as keyof typeof texts, content, key === 'summary' ? 1 : 0);
  saveSection(db, me, project, 'budget', budget as unknown as Record<string, unknown>, 0);
  project = getProjectFor(db, me, id);
  empty = getProjectFor(
    db,
    me,
    createProject(db, me, { title: 'Fête de quartier', organizationId: osim.id }),
  );
  pdf = await projectPdf(db, project, t, exportedAt);
  reading = await readPdf(pdf);
});

afterAll(() => ctx.close());

/**
 * The text in drawing order without what is printed on every page (the footer, the running head):
 * a text that runs over a page break reads on whole.
 */
function body(r: PdfReading): string {
  return squash(
    r.text
      .split(notice)
      .map((part) => part.replace(/^ Page \d+ \/ \d+/, ''))
      .join('')
      .replaceAll(`${title} — Solidarité Blosne (suite)`, ''),
  );
}

/** The PDF's compressed streams, inflated (pdfkit compresses pages and fonts' character maps). */
function streams(file: Buffer): string[] {
  const raw = file.toString('latin1');
  const out: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    try {
      out.push(inflateSync(file.subarray(start, raw.indexOf('endstream', start))).toString('latin1'));
    } catch {
      // A stream pdfkit did not deflate: not one of those.
    }
  }
  return out;
}

/** The page's lines as a reader sees them, narrow no-break spaces as spaces. */
const linesOf = (r: PdfReading) => r.pages.flatMap((p) => p.lines.map((l) => l.replace(/\u202f/g, ' ')));

describe('the project as a PDF', () => {
  it('says on its first page and at the foot of every page that it is a draft, not the form', () => {
    const first = squash(reading.pages[0]!.text);
    expect(first).toContain('BROUILLON DE TRAVAIL — CE N’EST PAS LE FORMULAIRE OFFICIEL');
    expect(notice).toBe(
      'Brouillon de travail Passerelle — à recopier dans le formulaire officiel (Cerfa n° 12156*06) ; ce document n’est pas le formulaire.',
    );
    // The banner once, then one footer per page.
    const pages = reading.pages.length;
    expect(reading.text.split(notice).length - 1).toBe(pages + 1);
    reading.pages.forEach((page, i) => {
      expect(page.text).toContain(`Page ${i + 1} / ${pages}`);
    });
  });

  it('is A4, names the project, its association, its authors, its state and the date of export', () => {
    for (const page of reading.pages) {
      expect(page.width).toBeCloseTo(A4.width, 1);
      expect(page.height).toBeCloseTo(A4.height, 1);
    }
    const first = squash(reading.pages[0]!.text);
    expect(first).toContain(title);
    expect(first).toContain('Association Solidarité Blosne');
    expect(first).toContain('Auteur·rice Aïssatou Ndiaye-Lefèvre');
    expect(first).toContain('Relu dans pas encore partagé avec un cycle');
    expect(first).toContain('État Pas encore « prêt à déposer » : brouillon en cours');
    expect(first).toContain('Exporté le 3 décembre 2026 à 14 h 05');
  });

  it('writes the parts in the order of the form, each field’s label then its text', () => {
    const flow = body(reading);
    const headings = [
      '1. Titre, résumé et besoins',
      '2. Où : commune, quartier prioritaire',
      '3. Pour qui : le public',
      '4. Objectifs',
      '5. Actions et calendrier',
      '6. Partenaires',
      '7. Moyens : bénévoles, locaux, matériel',
      '8. Évaluation : les indicateurs',
      '9. Budget prévisionnel et cofinancements',
    ];
    const inOrder = [
      headings[0]!,
      `Résumé en quelques lignes ${texts.summary.summary}`,
      `Les besoins auxquels le projet répond ${squash(needs)}`,
      headings[1]!,
      'Commune Rennes',
      'Quartier prioritaire (QPV) Le Blosne',
      `Pourquoi ce lieu ${texts.place.why}`,
      headings[2]!,
      'Combien de personnes 12',
      headings[3]!,
      headings[4]!,
      `Les actions ${squash(actionsText)}`,
      `Le calendrier ${texts.actions.calendar}`,
      headings[5]!,
      texts.partners.partners,
      headings[6]!,
      'Matériel Non renseigné.',
      headings[7]!,
      texts.evaluation.indicators,
      headings[8]!,
      'Charges (comptes 60 à 68)',
      'Produits : cofinanceurs et fonds propres (comptes 70 à 75)',
      'Bénévolat et aides en nature (comptes 86 et 87)',
    ];
    let from = 0;
    for (const part of inOrder) {
      const at = flow.indexOf(squash(part), from);
      expect(at, `« ${part.slice(0, 60)} » after what comes before it`).toBeGreaterThanOrEqual(from);
      from = at + 1;
    }
  });

  it('runs long texts over several pages, whole', () => {
    expect(reading.pages.length).toBeGreaterThanOrEqual(3);
    const pageOf = (snippet: string) => reading.pages.findIndex((p) => squash(p.text).includes(snippet));
    expect(pageOf('Constat 1 :')).toBe(0);
    expect(pageOf('Constat 24 :')).toBe(1);
    expect(body(reading)).toContain(`Les besoins auxquels le projet répond ${squash(needs)} 2. Où`);
    // The pages after the first say whose project they continue.
    expect(reading.pages[1]!.lines[0]).toBe(`${title} — Solidarité Blosne (suite)`);
  });

  it('prints the budget table by account, every amount to the cent, and says it balances', () => {
    const lines = linesOf(reading);
    // Each row as a reader sees it: the cells side by side; a long cell wraps onto the next line.
    expect(lines).toEqual(
      expect.arrayContaining([
        'Compte  Intitulé  Montant (€)',
        '60  Achats  600,45 €',
        'Matériel pédagogique, photocopies  600,45 €',
        '61  Services extérieurs (locations, assurance)  150,10 €',
        'Assurance (part de l’action)  150,10 €',
        '62  Autres services extérieurs (intervenants, communication,  5 249,45 €',
        'Formatrice (vacations)  4 800,00 €',
        '-Transport des sorties  449,45 €',
        'Total des charges  6 000,00 €',
        'Compte  Financeur  Type et état de la demande  Montant (€)',
        '74  Subventions  5 300,00 €',
        'Ville de Rennes  Commune  1 500,00 €',
        'Caf d’Ille-et-Vilaine  Caf  800,00 €',
        'À demander',
        'Cotisations et fête annuelle  Fonds propres de l’association  700,00 €',
        'Obtenu',
        'Total des produits  6 000,00 €',
        '86  Emplois des contributions volontaires en nature  6 600,00 €',
        'Mise à disposition gratuite de la salle  1 200,00 €',
        '87  Contributions volontaires en nature  6 600,00 €',
        'Prestations en nature (salle)  1 200,00 €',
        'Bénévolat  5 400,00 €',
        'Budget équilibré',
      ]),
    );
    // No account 70 in this budget: no row for it.
    expect(lines.some((l) => l.startsWith('70 '))).toBe(false);
    const flow = squash(reading.text);
    expect(flow).toContain(
      'État : crédits politique de la ville État (dont crédits politique de la ville) Demandé 3 000,00 €',
    );
    expect(flow).toContain('75 Autres produits (cotisations, dons, mécénat) 700,00 €');
    // A refused co-funder stays in the table, between brackets, out of the total.
    expect(flow).toContain('Fondation Refusé, non compté (999,99 €)');
    expect(flow).toContain(squash(t('project.budget.refusedNote')));
    expect(flow).toContain('Total des charges : 6 000,00 € — Total des produits : 6 000,00 €');
    expect(flow).toContain(
      'Total compte 86 (emplois) : 6 600,00 € — Total compte 87 (contributions) : 6 600,00 €',
    );
    expect(flow).toContain(squash(t('project.budget.balanced')));
    // The narrow no-break space of French amounts (« 6 000,00 € ») is a glyph of the embedded fonts:
    // both fonts' character maps hold it (pdf.js reads it back as a plain space).
    const cmaps = streams(pdf).filter((text) => text.includes('begincmap'));
    expect(cmaps).toHaveLength(2);
    for (const cmap of cmaps) expect(cmap.toLowerCase()).toContain('<202f>');
  });

  it('embeds its fonts (DejaVu, as subsets) and no other', () => {
    const raw = pdf.toString('latin1');
    const baseFonts = [...raw.matchAll(/\/BaseFont \/([A-Z]{6})\+([\w-]+)/g)].map((m) => m[2]);
    expect(new Set(baseFonts)).toEqual(new Set(['DejaVuSans', 'DejaVuSans-Bold']));
    // Each font names itself twice (the Type 0 font and its descendant), and has one file.
    expect(raw.match(/\/FontFile2 /g)?.length).toBe(new Set(baseFonts).size);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect(raw).not.toContain('DejaVuSansMono');
  });

  it('says when a trainer marked it « prêt à déposer »', async () => {
    const ready = { ...project, readyAt: new Date('2026-11-20T10:00:00Z') };
    const first = squash((await readPdf(await projectPdf(db, ready, t, exportedAt))).pages[0]!.text);
    expect(first).toContain(
      'État « Prêt à déposer », dit par la formatrice ou le formateur du cycle le 20 novembre 2026',
    );
  });

  it('shows what is left to write in a project just started', async () => {
    const r = await readPdf(await projectPdf(db, empty, t, exportedAt));
    const flow = squash(r.text);
    expect(flow).toContain('Fête de quartier');
    expect(flow.split('Non renseigné.').length - 1).toBe(16);
    expect(flow).toContain('Le budget n’a pas encore de charges.');
    expect(flow).toContain('Aucun produit saisi.');
    expect(flow).toContain('Budget pas encore équilibré');
    expect(r.text.split(notice).length - 1).toBe(r.pages.length + 1);
  });

  it('breaks a word longer than a line, and does not fill pages with empty lines', async () => {
    const me = loadCurrentUser(db, project.authorIds[0]!)!;
    const odd = getProjectFor(
      db,
      me,
      createProject(db, me, { title: 'Textes collés', organizationId: project.osim.id }),
    );
    const word = `début${'x'.repeat(1990)}fin`;
    saveSection(db, me, odd, 'place', { town: '', qpv: '', why: word }, 0);
    saveSection(db, me, odd, 'objectives', { objectives: `${'\r\n'.repeat(990)}Lire seule.\t\u0007` }, 0);
    const r = await readPdf(await projectPdf(db, odd, t, exportedAt));
    expect(r.pages.length).toBeLessThanOrEqual(3);
    const flow = body(r);
    expect(flow.replace(/ /g, '')).toContain(word);
    expect(flow).toContain('Objectifs Objectifs Lire seule. 5. Actions');
  });

  it('has an ASCII file name', () => {
    expect(projectFileName(project, 'projet', 'pdf')).toBe('projet-atelier-d-alphabetisation-au-blosne.pdf');
    expect(projectFileName(project, 'budget', 'csv')).toBe('budget-atelier-d-alphabetisation-au-blosne.csv');
    expect(projectFileName({ title: '—' }, 'budget', 'csv')).toBe('budget.csv');
  });
});

describe('the budget as a CSV for French Excel', () => {
  const read = (csv: string) =>
    parse(csv, { delimiter: ';', bom: true, relax_column_count: false }) as string[][];

  it('opens in French Excel: a BOM, semicolons, CRLF lines, the course’s columns', () => {
    const csv = budgetCsv(project, budget, t);
    expect(csv.startsWith('\ufeffPartie;Compte;Intitulé;Financeur / statut;Montant (€)\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(read(csv).every((row) => row.length === 5)).toBe(true);
  });

  it('has every line with its account, its amount to the cent, the totals and the balance', () => {
    const rows = read(budgetCsv(project, budget, t)).slice(1);
    expect(rows).toEqual([
      ['Projet', '', title, 'Solidarité Blosne', ''],
      ['Charges', '60 – Achats', 'Matériel pédagogique, photocopies', '', '600,45'],
      [
        'Charges',
        '61 – Services extérieurs (locations, assurance)',
        'Assurance (part de l’action)',
        '',
        '150,10',
      ],
      [
        'Charges',
        '62 – Autres services extérieurs (intervenants, communication, déplacements)',
        'Formatrice (vacations)',
        '',
        '4800,00',
      ],
      [
        'Charges',
        '62 – Autres services extérieurs (intervenants, communication, déplacements)',
        "'-Transport des sorties",
        '',
        '449,45',
      ],
      ['Total des charges', '', '', '', '6000,00'],
      [
        'Produits',
        '74 – Subventions',
        'État : crédits politique de la ville',
        'État (dont crédits politique de la ville) — Demandé',
        '3000,00',
      ],
      ['Produits', '74 – Subventions', 'Ville de Rennes', 'Commune — Demandé', '1500,00'],
      ['Produits', '74 – Subventions', 'Caf d’Ille-et-Vilaine', 'Caf — À demander', '800,00'],
      [
        'Produits refusés (non comptés)',
        '74 – Subventions',
        '\'=HYPERLINK("https://exemple.test";"Fondation")',
        'Fondation — Refusé',
        '999,99',
      ],
      [
        'Produits',
        '75 – Autres produits (cotisations, dons, mécénat)',
        'Cotisations et fête annuelle',
        'Fonds propres de l’association — Obtenu',
        '700,00',
      ],
      ['Total des produits', '', '', '', '6000,00'],
      ['Équilibre', '', 'Le total des charges est égal au total des produits.', '6000,00 = 6000,00', ''],
      [
        'Compte 86 (charges)',
        t('project.account.86'),
        'Mise à disposition gratuite de la salle',
        '',
        '1200,00',
      ],
      ['Compte 86 (charges)', t('project.account.86'), 'Bénévolat', '', '5400,00'],
      ['Total compte 86 (emplois)', '', '', '', '6600,00'],
      ['Compte 87 (produits)', t('project.account.87'), 'Prestations en nature (salle)', '', '1200,00'],
      ['Compte 87 (produits)', t('project.account.87'), 'Bénévolat', '', '5400,00'],
      ['Total compte 87 (contributions)', '', '', '', '6600,00'],
      [
        'Équilibre 86 / 87',
        '',
        'Le total du compte 86 est égal au total du compte 87.',
        '6600,00 = 6600,00',
        '',
      ],
      ['Note', '', t('project.export.draftNotice'), '', ''],
    ]);
  });

  it('writes amounts Excel reads as numbers, adding up to the totals to the cent', () => {
    const rows = read(budgetCsv(project, budget, t)).slice(1);
    const cents = (amount: string) => {
      expect(amount).toMatch(/^\d+,\d{2}$/);
      return Number(amount.replace(',', ''));
    };
    const sum = (part: string) => rows.filter((r) => r[0] === part).reduce((s, r) => s + cents(r[4]!), 0);
    const total = (part: string) => cents(rows.find((r) => r[0] === part)![4]!);
    expect(sum('Charges')).toBe(600_000);
    expect(total('Total des charges')).toBe(600_000);
    expect(sum('Produits')).toBe(total('Total des produits'));
    expect(sum('Compte 86 (charges)')).toBe(total('Total compte 86 (emplois)'));
  });

  it('never lets a spreadsheet run a cell as a formula', () => {
    const hostile: BudgetContent = {
      expenses: [
        { account: '60', label: '=1+1', cents: 100 },
        { account: '60', label: '+33 6 00 00 00 00', cents: 100 },
        { account: '60', label: '@SUM(A1:A9)', cents: 100 },
        { account: '60', label: '\t=cmd', cents: 100 },
      ],
      resources: [{ kind: 'own', label: '-2+3', cents: 400, status: 'obtained' }],
      inKind: [],
    };
    const rows = read(budgetCsv({ ...project, title: '=IMPORTXML("https://exemple.test")' }, hostile, t));
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows.map((r) => r[2])).toEqual(
      expect.arrayContaining(["'=1+1", "'+33 6 00 00 00 00", "'@SUM(A1:A9)", "'\t=cmd", "'-2+3"]),
    );
    expect(rows[1]![2]).toBe('\'=IMPORTXML("https://exemple.test")');
  });

  it('says by how much a budget does not balance', () => {
    const short = { ...budget, resources: budget.resources.slice(0, 2), inKind: budget.inKind.slice(0, 3) };
    const rows = read(budgetCsv(project, short, t));
    const balance = rows.find((r) => r[0] === 'Équilibre')!;
    expect(squash(balance[2]!)).toBe(
      'Le budget n’est pas équilibré : il manque 1 500,00 € de produits pour couvrir les charges.',
    );
    expect(balance[2]).not.toContain('\u202f');
    expect(balance[3]).toBe('6000,00 ≠ 4500,00');
    const inKind = rows.find((r) => r[0] === 'Équilibre 86 / 87')!;
    expect(squash(inKind[2]!)).toContain('écart de 5 400,00 €');
    expect(inKind[3]).toBe('6600,00 ≠ 1200,00');
  });

  it('leaves out the 86 / 87 part when there is no contribution in kind', () => {
    const rows = read(budgetCsv(project, { ...budget, inKind: [] }, t));
    expect(rows.some((r) => r[0]!.startsWith('Compte 8') || r[0] === 'Équilibre 86 / 87')).toBe(false);
  });
});
