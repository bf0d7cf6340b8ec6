// « Mon projet » and the person's rights, on the demo data: « Mes données » gives the person their
// projects with their texts, the versions they saved, their comments and rubrics (and nobody else's
// comments); erasing a co-author leaves the project to the others, with the texts and history
// kept and the name gone everywhere; erasing a sole author deletes the project and every row that
// hangs on it, other people's comments and rubrics included.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOSNE_PROJECT_TITLE } from '../../src/demo/demo-projects.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { findUserByEmail, loadCurrentUser } from '../../src/people/users.ts';
import { eraseAccount } from '../../src/privacy/erase.ts';
import { saveSection, sectionHistory, sectionsOf } from '../../src/projects/project-sections.ts';
import { addCoAuthor, getProjectFor, shareChoices, shareProject } from '../../src/projects/projects.ts';
import { addComment, listComments, listReviews, saveReview } from '../../src/projects/reviews.ts';
import { SECTION_KEYS } from '../../src/projects/sections.ts';
import { createTestApp, TestClient, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

const user = (email: string) => loadCurrentUser(ctx.db, findUserByEmail(ctx.db, email)!.id)!;
const count = (query: ReturnType<typeof sql>) => ctx.db.get<{ n: number }>(query)!.n;
const blosneId = () =>
  ctx.db.get<{ id: number }>(sql`SELECT id FROM projects WHERE title = ${BLOSNE_PROJECT_TITLE}`)!.id;
const PROJECT_TABLES = [
  'project_authors',
  'project_sections',
  'project_section_versions',
  'project_comments',
  'project_reviews',
];
const rowsOf = (projectId: number) =>
  Object.fromEntries(
    PROJECT_TABLES.map((table) => [
      table,
      count(sql.raw(`SELECT count(*) AS n FROM ${table} WHERE project_id = ${projectId}`)),
    ]),
  );

/** Everything the project's pages read about it, as one text. */
function everything(projectId: number, reader = user('membre@cosim-bretagne.test')) {
  const project = getProjectFor(ctx.db, reader, projectId);
  return JSON.stringify({
    project,
    sections: sectionsOf(ctx.db, projectId),
    history: SECTION_KEYS.map((key) => sectionHistory(ctx.db, projectId, key)),
    comments: listComments(ctx.db, project),
    reviews: listReviews(ctx.db, projectId),
  });
}

describe('« Mes données » and projects', () => {
  it('gives the author their project’s texts and versions, and no one else’s comment', async () => {
    const mamadou = new TestClient(ctx.app);
    await mamadou.login('membre@cosim-bretagne.test', DEMO_PASSWORD);
    const data = JSON.parse((await mamadou.get('/me/data.json')).body) as {
      sections: { table: string; label: string; rows: Record<string, unknown>[] }[];
    };
    const rows = (table: string) => data.sections.find((s) => s.table === table)!.rows;
    expect(rows('projects').map((p) => p.title)).toEqual([BLOSNE_PROJECT_TITLE]);
    expect(data.sections.find((s) => s.table === 'projects')!.label).toMatch(
      /^Vos projets \(«\sMon projet\s»\)$/u,
    );
    expect(rows('project_authors')).toHaveLength(1);
    // Every section of the project, with its text (the budget's lines as they are stored).
    const sections = rows('project_sections');
    expect(sections.map((s) => s.section).sort()).toEqual([...SECTION_KEYS].sort());
    const place = sections.find((s) => s.section === 'place')!.content as Record<string, string>;
    expect(place).toMatchObject({ town: 'Rennes', qpv: 'Le Blosne' });
    const budget = sections.find((s) => s.section === 'budget')!.content as { resources: unknown[] };
    expect(budget.resources).toHaveLength(4);
    // Each version he saved: the summary three times, the budget twice…
    expect(rows('project_section_versions').filter((v) => v.section === 'summary')).toHaveLength(3);
    expect(rows('project_section_versions').filter((v) => v.section === 'budget')).toHaveLength(2);
    // Comments on his project are their writers' data, not his (he reads them on the project).
    expect(rows('project_comments')).toEqual([]);
    expect(rows('project_reviews')).toEqual([]);
    const body = JSON.stringify(data);
    expect(body).not.toContain('Jean-Baptiste');
    expect(body).not.toContain('Caf d’Ille-et-Vilaine, seulement');

    // The page: the project by its title and association, its sharing, its texts under « Lire le projet ».
    const page = text((await mamadou.get('/me/data')).body);
    expect(page).toContain('Mes projets');
    expect(page).toMatch(/« Atelier d’alphabétisation au Blosne » \(Solidarité Blosne\), commencé le \d/u);
    expect(page).toContain('Partagé avec Cycle 2026 — COSIM Bretagne le');
    expect(page).toContain('Lire le projet');
    expect(page).toContain('Un atelier d’alphabétisation et de français à visée sociale pour 12 adultes');
    expect(page).toMatch(
      /Budget prévisionnel et cofinancements\s+charges 6\s000,00\s€, produits 6\s000,00\s€\s: équilibré/u,
    );
    expect(page).toMatch(/Caf d’Ille-et-Vilaine \(si l’appel local le permet\)\s: 800,00\s€ \(À demander\)/u);
    expect(page).not.toMatch(/\d{4}-\d\d-\d\d/);
  });

  it('gives a reviewer their comments and their rubric, in words', async () => {
    const jeanBaptiste = new TestClient(ctx.app);
    await jeanBaptiste.login('jean-baptiste.kouame@cosim-bretagne.test', DEMO_PASSWORD);
    const data = JSON.parse((await jeanBaptiste.get('/me/data.json')).body) as {
      sections: { table: string; rows: Record<string, unknown>[] }[];
    };
    const rows = (table: string) => data.sections.find((s) => s.table === table)!.rows;
    expect(rows('projects')).toEqual([]);
    expect(rows('project_comments').map((c) => c.section)).toEqual(['place']);
    expect(String(rows('project_comments')[0]!.body)).toContain('sig.ville.gouv.fr');
    expect(rows('project_reviews')[0]!.answers).toMatchObject({ calendar: 'no', cofunding: 'partly' });
    const page = text((await jeanBaptiste.get('/me/data')).body);
    expect(page).toContain('Mes commentaires');
    expect(page).toMatch(
      /Sur « Atelier d’alphabétisation au Blosne », partie « Où : commune, quartier prioritaire », le \d/u,
    );
    expect(page).toContain('Le lien avec le Blosne est clair.');
    expect(page).toContain('Mes grilles de relecture');
    expect(page).toContain('Un calendrier réaliste : non');
    expect(page).toContain('Un plan de cofinancement crédible : en partie');
  });
});

describe('erasure and projects', () => {
  it('deletes a sole author’s project with its sections, versions, comments and rubrics', async () => {
    // Karima shares hers with her cycle; Nadia comments and fills the rubric.
    const karima = user('membre@cosim-om.test');
    const nadia = user('nadia.haddad@cosim-om.test');
    const id = ctx.db.get<{ id: number }>(
      sql`SELECT project_id AS id FROM project_authors WHERE user_id = ${karima.id}`,
    )!.id;
    const cycle = shareChoices(ctx.db, karima)[0]!;
    shareProject(ctx.db, karima, getProjectFor(ctx.db, karima, id), { cycleId: cycle.id, national: false });
    const asNadia = getProjectFor(ctx.db, nadia, id);
    addComment(ctx.db, nadia, asNadia, {
      section: 'summary',
      body: 'Qui organise le forum ?',
      replyTo: null,
    });
    saveReview(
      ctx.db,
      nadia,
      asNadia,
      { objectives: 'partly', qpv: 'no', calendar: 'no', budget: 'no', cofunding: 'no' },
      'À compléter, c’est un bon début.',
    );
    expect(rowsOf(id)).toEqual({
      project_authors: 1,
      project_sections: SECTION_KEYS.length,
      project_section_versions: 2,
      project_comments: 2,
      project_reviews: 1,
    });
    const nadiaComments = count(
      sql`SELECT count(*) AS n FROM project_comments WHERE author_id = ${nadia.id}`,
    );
    const blosneBefore = rowsOf(blosneId());

    const client = new TestClient(ctx.app);
    await client.login('membre@cosim-om.test', DEMO_PASSWORD);
    expect((await client.post('/me/delete', { password: DEMO_PASSWORD, understood: 'on' })).statusCode).toBe(
      303,
    );
    expect(count(sql`SELECT count(*) AS n FROM projects WHERE id = ${id}`)).toBe(0);
    expect(rowsOf(id)).toEqual(Object.fromEntries(PROJECT_TABLES.map((t) => [t, 0])));
    expect(count(sql`SELECT count(*) AS n FROM project_comments WHERE author_id = ${nadia.id}`)).toBe(
      nadiaComments - 2,
    );
    // Nobody else's project is touched.
    expect(rowsOf(blosneId())).toEqual(blosneBefore);
  });

  it('leaves a co-author’s project to the others: texts and history kept, the erased name nowhere', async () => {
    const mamadou = user('membre@cosim-bretagne.test');
    const awa = user('awa.diop@cosim-bretagne.test');
    const id = blosneId();
    addCoAuthor(ctx.db, mamadou, getProjectFor(ctx.db, mamadou, id), awa.id);
    // Awa writes the actions, answers Jean-Baptiste's comment as an author, fills nothing else.
    const asAwa = getProjectFor(ctx.db, awa, id);
    expect(asAwa.relation).toBe('author');
    const actions = {
      actions: 'Deux séances de deux heures par semaine, avec la formatrice et les bénévoles.',
      calendar: 'D’octobre à juin, 30 semaines.',
    };
    saveSection(ctx.db, awa, asAwa, 'actions', actions, 0);
    const question = listComments(ctx.db, asAwa).find((c) => c.authorName === 'Jean-Baptiste Kouamé')!;
    addComment(ctx.db, awa, asAwa, {
      section: null,
      body: 'Merci, je vérifie l’adresse.',
      replyTo: question.id,
    });
    expect(everything(id)).toContain('Awa Diop');
    const client = new TestClient(ctx.app);
    await client.login('membre@cosim-bretagne.test', DEMO_PASSWORD);
    expect((await client.get(`/projects/${id}`)).body).toContain('Awa Diop');

    eraseAccount(ctx.db, awa.id, { mailer: ctx.mailer, baseUrl: ctx.config.baseUrl, actorId: awa.id });

    const project = getProjectFor(ctx.db, mamadou, id);
    expect(project.authors.map((a) => a.name)).toEqual(['Mamadou Sow']);
    expect(project.rights.edit).toBe(true);
    // Her text stays for Mamadou, unsigned; so does its version in the history.
    const section = sectionsOf(ctx.db, id).find((s) => s.key === 'actions')!;
    expect(section.content).toEqual(actions);
    expect(section.updatedByName).toBeNull();
    expect(sectionHistory(ctx.db, id, 'actions')).toMatchObject([
      { version: 1, content: actions, authorName: null },
    ]);
    expect(
      count(sql`SELECT count(*) AS n FROM project_section_versions WHERE author_id = ${awa.id}`) +
        count(sql`SELECT count(*) AS n FROM project_sections WHERE updated_by = ${awa.id}`) +
        count(sql`SELECT count(*) AS n FROM project_authors WHERE user_id = ${awa.id}`),
    ).toBe(0);
    // Her comments stay (the question keeps its answer), signed by the erased account.
    const comments = listComments(ctx.db, project);
    expect(comments.map((c) => c.authorName)).toEqual([
      'Jean-Baptiste Kouamé',
      'Compte supprimé',
      'Compte supprimé',
      'Fatou Ndiaye',
    ]);
    expect(comments[1]!.replyTo).toBe(question.id);
    // Nowhere on what the project's pages read, for its author or its trainer.
    for (const reader of [mamadou, user('formation@cosim-bretagne.test')]) {
      const all = everything(id, reader);
      expect(all).not.toContain('Awa');
      expect(all).not.toContain('awa.diop');
    }
    // Nor on its pages: the project, each section's form and history, the rubric.
    const pages = [
      `/projects/${id}`,
      ...SECTION_KEYS.flatMap((key) => [
        `/projects/${id}/sections/${key}`,
        `/projects/${id}/sections/${key}/history`,
      ]),
    ];
    for (const url of pages) {
      const res = await client.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain('Awa');
    }
    expect(text((await client.get(`/projects/${id}/sections/actions/history`)).body)).toContain(
      'D’octobre à juin, 30 semaines.',
    );
  });
});
