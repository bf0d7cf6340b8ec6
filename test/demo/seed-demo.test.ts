import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coursesRoot } from '../../src/content/paths.ts';
import { organizations, projects, users } from '../../src/db/schema.ts';
import { AMF_PROJECT_TITLE, BLOSNE_PROJECT_TITLE, BLOSNE_WRITTEN } from '../../src/demo/demo-projects.ts';
import { demoAccounts, seedDemoData } from '../../src/demo/seed-demo.ts';
import { findUserByEmail, loadCurrentUser } from '../../src/people/users.ts';
import { budgetLines, budgetTotals, readBudget } from '../../src/projects/budget.ts';
import {
  budgetOf,
  sectionHistory,
  sectionsOf,
  textOf,
  versionCounts,
} from '../../src/projects/project-sections.ts';
import { getProjectFor, listProjectsFor, readinessProblems } from '../../src/projects/projects.ts';
import { listComments, listReviews, RUBRIC } from '../../src/projects/reviews.ts';
import { isTextWritten } from '../../src/projects/sections.ts';
import { createTestApp, type TestContext } from '../helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

describe('demo data', () => {
  it('has FORIM, the COSIMs of the note and the OSIMs of its annex', () => {
    const names = ctx.db
      .select({ name: organizations.name })
      .from(organizations)
      .all()
      .map((o) => o.name);
    for (const name of [
      'FORIM',
      'COSIM Bretagne',
      'COSIM Auvergne-Rhône-Alpes',
      'COSIM Occitanie Méditerranée',
      'COSIM Occitanie Pyrénées',
      'COSIM Nouvelle-Aquitaine',
      'COSIM PACA',
      'COSIM Hauts-de-France',
      'COSIM Île-de-France',
      'COSIM Pays de la Loire',
      'AMF',
      'CAPCOS',
      'PAFHA',
      'RAME',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('gives each demo account its role on its organization', () => {
    for (const account of demoAccounts) {
      const user = findUserByEmail(ctx.db, account.email)!;
      const current = loadCurrentUser(ctx.db, user.id)!;
      expect(current.primaryRole).toBe(account.role);
      expect(current.memberships[0]!.organizationName).toBe(account.organization);
    }
  });

  it('does nothing on a database that already has data', async () => {
    const before = ctx.db.select({ n: count() }).from(users).get()!.n;
    expect(await seedDemoData(ctx.db)).toBe(false);
    expect(ctx.db.select({ n: count() }).from(users).get()!.n).toBe(before);
  });
});

describe('demo projects (« Mon projet »)', () => {
  const userOf = (email: string) => loadCurrentUser(ctx.db, findUserByEmail(ctx.db, email)!.id)!;
  const blosne = () => ctx.db.select().from(projects).where(eq(projects.title, BLOSNE_PROJECT_TITLE)).get()!;

  it('gives the Bretagne member the Blosne workshop half written, its budget the course’s', () => {
    const mamadou = userOf('membre@cosim-bretagne.test');
    const project = getProjectFor(ctx.db, mamadou, blosne().id);
    expect(project.relation).toBe('author');
    expect(project.osimName).toBe('Solidarité Blosne');
    expect(project.authors.map((a) => a.name)).toEqual(['Mamadou Sow']);
    const sections = sectionsOf(ctx.db, project.id);
    const written = sections
      .filter((s) => (s.key === 'budget' ? budgetOf(s).expenses.length > 0 : isTextWritten(textOf(s, s.key))))
      .map((s) => s.key);
    expect(written).toEqual(['summary', 'place', 'public', 'objectives', 'budget']);
    expect(written).toEqual([...BLOSNE_WRITTEN]);
    const { empty, budget } = readinessProblems(ctx.db, project.id);
    expect(empty).toEqual(['actions', 'partners', 'means', 'evaluation']);
    const place = textOf(sections.find((s) => s.key === 'place')!, 'place');
    expect(place).toMatchObject({ town: 'Rennes', qpv: 'Le Blosne' });
    // Charges 6 000 € = produits 6 000 €; 86 = 87 = 1 200 + 5 400 €.
    expect(budget).toMatchObject({
      expenses: 600_000,
      resources: 600_000,
      inKindUse: 660_000,
      inKindGiven: 660_000,
      balanced: true,
    });
    const lines = budgetOf(sections.find((s) => s.key === 'budget')!);
    expect(lines.resources.map((r) => [r.kind, r.cents, r.status])).toEqual([
      ['state', 300_000, 'asked'],
      ['town', 150_000, 'asked'],
      ['caf', 80_000, 'toAsk'],
      ['own', 70_000, 'obtained'],
    ]);
    // Every amount of the course's spreadsheet, line for line (its totals left out).
    const csv = readFileSync(
      join(coursesRoot, 'monter-un-projet/ressources/budget-previsionnel.csv'),
      'utf8',
    );
    const amounts = csv
      .split(/\r?\n/)
      .map((line) => line.match(/^(Charges|Produits|Compte 8[67] \([a-z]+\));.*;(\d+);$/))
      .filter((m) => m !== null)
      .map((m) => Number(m[2]) * 100)
      .sort((a, b) => a - b);
    expect(amounts).toHaveLength(12);
    expect(
      [...lines.expenses, ...lines.resources, ...lines.inKind].map((l) => l.cents).sort((a, b) => a - b),
    ).toEqual(amounts);
    // Written in several sittings: the summary and the budget have a history.
    expect(versionCounts(ctx.db, project.id)).toMatchObject({ summary: 3, budget: 2 });
    expect(
      sectionHistory(ctx.db, project.id, 'budget').map(
        (v) => budgetTotals(budgetLines(readBudget(v.content))).balanced,
      ),
    ).toEqual([true, false]);
  });

  it('shares it with the cycle: two peers and the trainer comment on sections, a peer fills the rubric', () => {
    const mamadou = userOf('membre@cosim-bretagne.test');
    const project = getProjectFor(ctx.db, mamadou, blosne().id);
    expect(project.cycle?.name).toBe('Cycle 2026 — COSIM Bretagne');
    expect(project.sharedAt).not.toBeNull();
    expect(project.readyAt).toBeNull();
    const comments = listComments(ctx.db, project);
    expect(comments.map((c) => [c.authorName, c.section])).toEqual([
      ['Jean-Baptiste Kouamé', 'place'],
      ['Awa Diop', 'public'],
      ['Fatou Ndiaye', 'budget'],
    ]);
    expect(comments.every((c) => c.replyTo === null && !c.byAuthor)).toBe(true);
    const reviews = listReviews(ctx.db, project.id);
    expect(reviews.map((r) => r.reviewerName)).toEqual(['Jean-Baptiste Kouamé']);
    expect(Object.keys(reviews[0]!.answers).sort()).toEqual(RUBRIC.map((c) => c.key).sort());
    // The commenters may comment: peers of the cycle, its trainer.
    for (const email of [
      'awa.diop@cosim-bretagne.test',
      'jean-baptiste.kouame@cosim-bretagne.test',
      'formation@cosim-bretagne.test',
    ]) {
      const view = getProjectFor(ctx.db, userOf(email), project.id);
      expect(view.relation, email).toBe('reviewer');
      expect(view.rights.comment, email).toBe(true);
    }
  });

  it('gives every account something on « Mon projet »', () => {
    const lists = (email: string) => listProjectsFor(ctx.db, userOf(email));
    const titles = (items: { title: string }[]) => items.map((p) => p.title);
    expect(titles(lists('membre@cosim-bretagne.test').mine)).toEqual([BLOSNE_PROJECT_TITLE]);
    expect(titles(lists('formation@cosim-bretagne.test').toReview)).toEqual([BLOSNE_PROJECT_TITLE]);
    expect(titles(lists('awa.diop@cosim-bretagne.test').toReview)).toEqual([BLOSNE_PROJECT_TITLE]);
    // The coordinator reads their collective's projects (a reader, not a reviewer).
    expect(titles(lists('coordination@cosim-bretagne.test').ofCollectives)).toEqual([BLOSNE_PROJECT_TITLE]);
    const coordinatorView = getProjectFor(ctx.db, userOf('coordination@cosim-bretagne.test'), blosne().id);
    expect(coordinatorView.relation).toBe('reader');
    expect(coordinatorView.rights.comment).toBe(false);
    // Shared with the national team too; Karima's, just started, is hers alone.
    expect(titles(lists('admin@forim.test').sharedWithNational)).toEqual([BLOSNE_PROJECT_TITLE]);
    const karima = lists('membre@cosim-om.test');
    expect(titles(karima.mine)).toEqual([AMF_PROJECT_TITLE]);
    expect(karima.mine[0]!.sharedAt).toBeNull();
    const nadia = lists('nadia.haddad@cosim-om.test');
    expect([...nadia.mine, ...nadia.toReview, ...nadia.ofCollectives]).toEqual([]);
  });
});
