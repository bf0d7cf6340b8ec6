// The dashboards' project figures (issue 18) against a small network built by hand, where the right
// answer is known: projects started / shared / ready per collective, and co-funding asked and
// obtained by kind of funder, to the cent — read on the pages as a coordinator and the national
// team see them, and in the CSV files. Figures only: no project's title nor funder's name.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCycle, enrol, getCycleFor } from '../../src/cycles/cycles.ts';
import { loadCurrentUser } from '../../src/people/users.ts';
import type { ResourceLine } from '../../src/projects/budget.ts';
import { saveSection } from '../../src/projects/project-sections.ts';
import { createProject, getProjectFor, shareProject } from '../../src/projects/projects.ts';
import {
  createOrganization,
  createTestApp,
  createUser,
  TestClient,
  type TestContext,
  text,
} from '../helpers.ts';

let ctx: TestContext;
let national: TestClient;
let coordinatorA: TestClient;
const ids: Record<string, number> = {};
const project = { p1: 0, p2: 0, p3: 0, p4: 0, p5: 0 };

const line = (kind: ResourceLine['kind'], label: string, cents: number, status: ResourceLine['status']) => ({
  kind,
  label,
  cents,
  status,
});

/** Writes a project's budget as its author does (from its current version). */
function saveBudget(authorId: number, projectId: number, resources: unknown[]) {
  const user = loadCurrentUser(ctx.db, authorId)!;
  const p = getProjectFor(ctx.db, user, projectId);
  const version = ctx.db.get<{ version: number }>(
    sql`SELECT version FROM project_sections WHERE project_id = ${projectId} AND section = 'budget'`,
  )!.version;
  saveSection(ctx.db, user, p, 'budget', { expenses: [], resources, inKind: [] }, version);
}

beforeAll(async () => {
  ctx = await createTestApp({ content: true });
  const db = ctx.db;
  const A = createOrganization(db, { kind: 'cosim', name: 'COSIM Test Bretagne', region: 'Bretagne' });
  const B = createOrganization(db, { kind: 'cosim', name: 'COSIM Test Occitanie', region: 'Occitanie' });
  const F = createOrganization(db, { kind: 'fosim', name: 'FOSIM Test Mali' });
  const A1 = createOrganization(db, { name: 'OSIM A1', parentId: A.id, actsInQpv: true });
  const A2 = createOrganization(db, { name: 'OSIM A2', parentId: A.id, federationId: F.id });
  const A3 = createOrganization(db, { name: 'OSIM A3 archivée', parentId: A.id });
  const B1 = createOrganization(db, { name: 'OSIM B1', parentId: B.id });
  Object.assign(ids, { A: A.id, B: B.id, F: F.id });
  const trainerA = await createUser(db, { role: 'trainer', organizationId: A.id });
  const trainerB = await createUser(db, { role: 'trainer', organizationId: B.id });
  const coordA = await createUser(db, { role: 'coordinator', organizationId: A.id });
  const admin = await createUser(db, { role: 'admin' });
  const a1 = await createUser(db, { role: 'member', organizationId: A1.id });
  const a2 = await createUser(db, { role: 'member', organizationId: A2.id });
  const a3 = await createUser(db, { role: 'member', organizationId: A3.id });
  const b1 = await createUser(db, { role: 'member', organizationId: B1.id });
  const cycle = (runnerId: number, name: string, collectiveId: number) => {
    const runner = loadCurrentUser(db, runnerId)!;
    const id = createCycle(db, runner, {
      name,
      collectiveId,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      enrolment: 'open',
    });
    return getCycleFor(db, runner, id);
  };
  const cycleA = cycle(trainerA.id, 'Cycle A', A.id);
  const cycleB = cycle(trainerB.id, 'Cycle B', B.id);
  enrol(db, cycleA, a1.id, trainerA.id);
  enrol(db, cycleB, b1.id, trainerB.id);
  ids.cycleA = cycleA.id;

  const start = (author: { id: number }, organizationId: number, title: string, now?: Date) =>
    createProject(db, loadCurrentUser(db, author.id)!, { title, organizationId }, now);
  const share = (author: { id: number }, projectId: number, cycleId: number) => {
    const user = loadCurrentUser(db, author.id)!;
    shareProject(db, user, getProjectFor(db, user, projectId), { cycleId, national: false });
  };

  // P1 (OSIM A1, in QPV): shared with cycle A and marked ready. Refused, to-ask and sales lines
  // count for nothing.
  project.p1 = start(a1, A1.id, 'Atelier secret de Rennes');
  saveBudget(a1.id, project.p1, [
    line('state', 'Politique de la ville', 123456, 'obtained'),
    line('town', 'Ville de Rennes', 50000, 'asked'),
    line('caf', 'Caf d’Ille-et-Vilaine', 30010, 'refused'),
    line('foundation', 'Fondation Lumière', 99999, 'toAsk'),
    line('own', 'Fonds propres', 20001, 'obtained'),
    line('sales', 'Participation des familles', 15000, 'obtained'),
  ]);
  share(a1, project.p1, cycleA.id);
  db.run(
    sql`UPDATE projects SET ready_at = ${Date.now()}, ready_by = ${trainerA.id} WHERE id = ${project.p1}`,
  );
  // P2 (OSIM A2, in COSIM A and FOSIM F): not shared; two lines a stored budget could hold but
  // readBudget drops (cents not whole, an unknown kind) are not counted either.
  project.p2 = start(a2, A2.id, 'Jardin partagé confidentiel');
  saveBudget(a2.id, project.p2, [
    line('town', 'Ville de Brest', 70005, 'obtained'),
    line('epci', 'Brest Métropole', 100000, 'asked'),
    line('praOsim', 'PRA/OSIM du FORIM', 250050, 'asked'),
    { kind: 'state', label: 'Mal formée', cents: 12.5, status: 'obtained' },
    { kind: 'lottery', label: 'Inconnue', cents: 777, status: 'obtained' },
  ]);
  // P3 (OSIM A1): started in March 2025, no co-funding: its resources stored as an object, not a
  // list of lines, are none (as readBudget reads them).
  project.p3 = start(a1, A1.id, 'Projet ancien', new Date('2025-03-15T10:00:00Z'));
  saveBudget(a1.id, project.p3, []);
  db.run(sql`UPDATE project_sections SET content = json_set(content, '$.resources', json(${JSON.stringify({ one: line('state', 'Objet', 100, 'obtained') })}))
    WHERE project_id = ${project.p3} AND section = 'budget'`);
  // P4 (OSIM B1): shared with cycle B.
  project.p4 = start(b1, B1.id, 'Festival de Toulouse');
  saveBudget(b1.id, project.p4, [
    line('region', 'Région Occitanie', 300000, 'obtained'),
    line('state', 'DRAJES', 1001, 'asked'),
    line('departement', 'Haute-Garonne', 4567, 'obtained'),
  ]);
  share(b1, project.p4, cycleB.id);
  // P5: an OSIM archived since; its project counts nowhere.
  project.p5 = start(a3, A3.id, 'Projet d’une OSIM archivée');
  saveBudget(a3.id, project.p5, [line('state', 'Préfecture', 100000000, 'obtained')]);
  db.run(sql`UPDATE organizations SET archived_at = ${Date.now()} WHERE id = ${A3.id}`);

  national = new TestClient(ctx.app);
  await national.login(admin.email);
  coordinatorA = new TestClient(ctx.app);
  await coordinatorA.login(coordA.email);
});
afterAll(() => ctx.close());

/** The text of the table whose caption has this id, up to its end. */
function table(html: string, captionId: string): string {
  const at = html.indexOf(`id="${captionId}"`);
  expect(at, captionId).toBeGreaterThan(-1);
  return text(html.slice(at, html.indexOf('</table>', at)));
}
/** The text of the projects' section of a dashboard page (its key figures, tables and notes). */
function section(html: string): string {
  const at = html.indexOf('id="h-projects"');
  expect(at).toBeGreaterThan(-1);
  return text(html.slice(at, html.indexOf('id="h-heat"', at)));
}
async function page(client: TestClient, url: string): Promise<string> {
  const res = await client.get(url);
  expect(res.statusCode, url).toBe(200);
  return res.body;
}
async function csv(client: TestClient, url: string): Promise<string[]> {
  const res = await client.get(url);
  expect(res.statusCode, url).toBe(200);
  expect(res.headers['content-type']).toContain('text/csv');
  return res.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
}

describe('project figures on the national dashboard', () => {
  it('gives each collective its projects started, shared and ready, and its co-funding', async () => {
    const rows = table(await page(national, '/dashboard'), 'cap-projects');
    // A: P1 (shared, ready), P2, P3. Asked: 1 234,56 + 500 + 200,01 (P1) + 700,05 + 1 000 + 2 500,50
    // (P2) = 6 135,12 €; obtained: 1 234,56 + 200,01 + 700,05 = 2 134,62 €.
    expect(rows).toContain('COSIM Test Bretagne 3 1 1 6 135,12 € 2 134,62 €');
    // B: P4. Asked 3 000 + 10,01 + 45,67 = 3 055,68 €; obtained 3 000 + 45,67 = 3 045,67 €.
    expect(rows).toContain('COSIM Test Occitanie 1 1 0 3 055,68 € 3 045,67 €');
    // F: P2 only (OSIM A2 is in both A and F). Asked 700,05 + 1 000 + 2 500,50; obtained 700,05.
    expect(rows).toContain('FOSIM Test Mali 1 0 0 4 200,55 € 700,05 €');
    // Together, each project once: P1–P4; 6 135,12 + 3 055,68 and 2 134,62 + 3 045,67.
    expect(rows).toContain('Ensemble (chaque projet une fois) 4 2 1 9 190,80 € 5 180,29 €');
  });

  it('sums co-funding by kind of funder over the collectives together, to the cent', async () => {
    const funders = table(await page(national, '/dashboard'), 'cap-funders');
    expect(funders).toContain('Cofinancements par type de financeur, collectifs du tableau ensemble');
    for (const expected of [
      // 1 234,56 obtained (P1) + 10,01 asked (P4).
      'État (dont crédits politique de la ville) 1 244,57 € 1 234,56 € 2',
      'Région 3 000,00 € 3 000,00 € 1',
      'Département 45,67 € 45,67 € 1',
      'Intercommunalité (EPCI) 1 000,00 € 0,00 € 1',
      // 500 asked (P1) + 700,05 obtained (P2).
      'Commune 1 200,05 € 700,05 € 2',
      // Refused (P1's Caf) and to ask (P1's foundation): nothing.
      'Caf 0,00 € 0,00 € 0',
      'Fondation 0,00 € 0,00 € 0',
      'PRA/OSIM du FORIM 2 500,50 € 0,00 € 1',
      'Autre financeur public 0,00 € 0,00 € 0',
      'Mécénat d’entreprise, dons 0,00 € 0,00 € 0',
      'Fonds propres de l’association 200,01 € 200,01 € 1',
      // Three projects with co-funding asked (P3 has none).
      'Tous financeurs 9 190,80 € 5 180,29 € 3',
    ])
      expect(funders).toContain(expected);
    // Sales are not co-funding: not a line of the table.
    expect(funders).not.toContain('Participation du public');
  });

  it('says what it counts, and never shows a project’s title or a funder’s name', async () => {
    const html = await page(national, '/dashboard');
    const projects = section(html);
    expect(projects).toContain('« demandé » (envoyée, en attente de réponse) ou « obtenu »');
    expect(projects).toContain('Les lignes « à demander » et « refusé » ne sont pas comptées');
    expect(projects).toContain('La participation du public et les ventes ne sont pas des cofinancements');
    for (const secret of [
      'Atelier secret de Rennes',
      'Jardin partagé confidentiel',
      'Festival de Toulouse',
      'Ville de Rennes',
      'Fondation Lumière',
      'Brest Métropole',
    ])
      expect(text(html)).not.toContain(secret);
    // Accessible tables: a caption, headers scoped.
    for (const id of ['cap-projects', 'cap-funders']) {
      const at = html.indexOf(`id="${id}"`);
      const markup = html.slice(html.lastIndexOf('<table', at), html.indexOf('</table>', at));
      expect(markup).toContain('<caption');
      expect(markup).toMatch(/<th scope="row">/);
      expect(markup).not.toMatch(/<th(?=[\s>])(?! scope=)/);
    }
  });

  it('keeps to the filters: QPV, a cycle, a period, a region', async () => {
    // QPV: only OSIM A1's projects (P1, P3).
    const qpv = await page(national, '/dashboard?qpv=1');
    expect(table(qpv, 'cap-projects')).toContain('COSIM Test Bretagne 2 1 1 1 934,57 € 1 434,57 €');
    expect(section(qpv)).toContain('Seulement les projets des OSIM qui agissent en QPV');
    // Cycle A: P1 alone.
    const cycle = await page(national, `/dashboard?cycle=${ids.cycleA}`);
    expect(table(cycle, 'cap-projects')).toContain('COSIM Test Bretagne 1 1 1 1 934,57 € 1 434,57 €');
    expect(table(cycle, 'cap-projects')).toContain('COSIM Test Occitanie 0 0 0 0,00 € 0,00 €');
    expect(section(cycle)).toContain('Seulement les projets partagés avec le cycle « Cycle A »');
    // Started in the first half of 2025: P3 alone, no co-funding.
    const period = await page(national, '/dashboard?from=2025-01&to=2025-06');
    expect(table(period, 'cap-projects')).toContain('COSIM Test Bretagne 1 0 0 0,00 € 0,00 €');
    expect(table(period, 'cap-funders')).toContain('Tous financeurs 0,00 € 0,00 € 0');
    // A region of one collective: its key figures, no line of the others.
    const region = section(await page(national, '/dashboard?region=Occitanie'));
    expect(region).toContain('Projets commencés 1');
    expect(region).toContain('Cofinancement demandé 3 055,68 €');
    expect(region).toContain('Cofinancement obtenu 3 045,67 €');
    expect(region).not.toContain('Bretagne');
    // Before any project: said in words.
    expect(section(await page(national, '/dashboard?from=2020-01&to=2020-02'))).toContain(
      'Aucun projet n’a encore été commencé',
    );
  });

  it('follows a change of a budget or of « prêt à déposer » at once', async () => {
    const before = table(await page(national, '/dashboard'), 'cap-funders');
    expect(before).toContain('Région 3 000,00 € 3 000,00 € 1');
    const author = ctx.db.get<{ id: number }>(
      sql`SELECT user_id AS id FROM project_authors WHERE project_id = ${project.p4}`,
    )!.id;
    saveBudget(author, project.p4, [
      line('region', 'Région Occitanie', 300000, 'refused'),
      line('state', 'DRAJES', 1001, 'obtained'),
      line('departement', 'Haute-Garonne', 4567, 'obtained'),
    ]);
    try {
      const after = await page(national, '/dashboard');
      expect(table(after, 'cap-funders')).toContain('Région 0,00 € 0,00 € 0');
      expect(table(after, 'cap-funders')).toContain(
        'État (dont crédits politique de la ville) 1 244,57 € 1 244,57 € 2',
      );
      expect(table(after, 'cap-projects')).toContain('COSIM Test Occitanie 1 1 0 55,68 € 55,68 €');
    } finally {
      saveBudget(author, project.p4, [
        line('region', 'Région Occitanie', 300000, 'obtained'),
        line('state', 'DRAJES', 1001, 'asked'),
        line('departement', 'Haute-Garonne', 4567, 'obtained'),
      ]);
    }
    expect(table(await page(national, '/dashboard'), 'cap-funders')).toContain(
      'Région 3 000,00 € 3 000,00 € 1',
    );
    // « Prêt à déposer » taken back (its date only changes): the next page says so too.
    const ready = ctx.db.get<{ at: number }>(
      sql`SELECT ready_at AS at FROM projects WHERE id = ${project.p1}`,
    )!.at;
    ctx.db.run(sql`UPDATE projects SET ready_at = NULL WHERE id = ${project.p1}`);
    try {
      expect(table(await page(national, '/dashboard'), 'cap-projects')).toContain(
        'COSIM Test Bretagne 3 1 0 6 135,12 € 2 134,62 €',
      );
    } finally {
      ctx.db.run(sql`UPDATE projects SET ready_at = ${ready} WHERE id = ${project.p1}`);
    }
    expect(table(await page(national, '/dashboard'), 'cap-projects')).toContain(
      'COSIM Test Bretagne 3 1 1 6 135,12 € 2 134,62 €',
    );
  });

  it('exports the projects and the co-funding as CSV for French spreadsheets', async () => {
    const projects = await csv(national, '/dashboard.csv?table=projects');
    expect(projects[0]).toBe(
      'Collectif;Projets commencés;Partagés avec un cycle;Prêts à déposer;Projets cofinancés;Cofinancement demandé (€);Cofinancement obtenu (€)',
    );
    expect(projects).toContain('COSIM Test Bretagne;3;1;1;2;6135,12;2134,62');
    expect(projects).toContain('COSIM Test Occitanie;1;1;0;1;3055,68;3045,67');
    expect(projects).toContain('FOSIM Test Mali;1;0;0;1;4200,55;700,05');
    expect(projects).toContain('Ensemble;4;2;1;3;9190,80;5180,29');
    const funders = await csv(national, '/dashboard.csv?table=cofunding');
    expect(funders[0]).toBe('Collectif;Type de financeur;Demandé (€);Obtenu (€);Projets');
    expect(funders).toContain('COSIM Test Bretagne;Commune;1200,05;700,05;2');
    expect(funders).toContain('COSIM Test Bretagne;Caf;0,00;0,00;0');
    expect(funders).toContain('FOSIM Test Mali;PRA/OSIM du FORIM;2500,50;0,00;1');
    expect(funders).toContain('Ensemble;État (dont crédits politique de la ville);1244,57;1234,56;2');
    // Every kind on every collective's line, and for the collectives together.
    expect(funders).toHaveLength(1 + (3 + 1) * 11);
    const names = await national.get('/dashboard.csv?table=cofunding');
    expect(names.headers['content-disposition']).toBe(
      'attachment; filename="tableau-de-bord-cofinancements.csv"',
    );
  });
});

describe('project figures on a collective’s dashboard', () => {
  it('shows a coordinator their collective’s projects and co-funding only', async () => {
    const res = await coordinatorA.get('/dashboard');
    expect(res.statusCode).toBe(303);
    const html = await page(coordinatorA, `/dashboard/collectives/${ids.A}`);
    const projects = section(html);
    expect(projects).toContain('Projets commencés 3');
    expect(projects).toContain('Partagés avec un cycle 1');
    expect(projects).toContain('Prêts à déposer 1');
    expect(projects).toContain('Projets cofinancés 2');
    expect(projects).toContain('Cofinancement demandé 6 135,12 €');
    expect(projects).toContain('Cofinancement obtenu 2 134,62 €');
    const funders = table(html, 'cap-funders');
    for (const expected of [
      'État (dont crédits politique de la ville) 1 234,56 € 1 234,56 € 1',
      'Région 0,00 € 0,00 € 0',
      'Intercommunalité (EPCI) 1 000,00 € 0,00 € 1',
      'Commune 1 200,05 € 700,05 € 2',
      'Caf 0,00 € 0,00 € 0',
      'PRA/OSIM du FORIM 2 500,50 € 0,00 € 1',
      'Fonds propres de l’association 200,01 € 200,01 € 1',
      'Tous financeurs 6 135,12 € 2 134,62 € 2',
    ])
      expect(funders).toContain(expected);
    expect(text(html)).not.toContain('Occitanie');
    expect(text(html)).not.toContain('Atelier secret de Rennes');
    const csvLines = await csv(coordinatorA, `/dashboard.csv?table=cofunding&collective=${ids.A}`);
    expect(csvLines).toHaveLength(1 + 11);
    expect(csvLines).toContain(
      'COSIM Test Bretagne;État (dont crédits politique de la ville);1234,56;1234,56;1',
    );
  });

  it('never gives a coordinator another collective’s figures, whatever the URL asks', async () => {
    expect((await coordinatorA.get(`/dashboard/collectives/${ids.B}`)).statusCode).toBe(404);
    expect((await coordinatorA.get(`/dashboard.csv?table=projects&collective=${ids.B}`)).statusCode).toBe(
      404,
    );
    for (const url of ['/dashboard.csv?table=projects', '/dashboard.csv?table=cofunding&region=Occitanie']) {
      const lines = await csv(coordinatorA, url);
      expect(
        lines.slice(1).every((l) => l.startsWith('COSIM Test Bretagne;')),
        url,
      ).toBe(true);
    }
  });

  it('gives the national team a FOSIM’s page, and the printable report the same figures', async () => {
    const fosim = section(await page(national, `/dashboard/collectives/${ids.F}`));
    expect(fosim).toContain('Projets commencés 1');
    expect(fosim).toContain('Cofinancement demandé 4 200,55 €');
    const report = text(await page(coordinatorA, `/dashboard/collectives/${ids.A}/report`));
    expect(report).toContain('Projets commencés : 3 · Partagés avec un cycle : 1 · Prêts à déposer : 1');
    expect(report).toContain('Commune 1 200,05 € 700,05 € 2');
    expect(report).toContain('Tous financeurs 6 135,12 € 2 134,62 € 2');
    // Only the kinds asked of: no line of zeros in a one-page report.
    expect(report).not.toContain('Caf 0,00 €');
  });
});
