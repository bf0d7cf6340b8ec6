// The demo's fiches d'expérience: the actions of the annex of FORIM's note, published with their
// authors' consent, one left for COSIM Bretagne's coordinator to publish.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectiveNameOf } from '../../src/cycles/cycles.ts';
import { cycleMembers, cycles, experiencePublications, experiences, users } from '../../src/db/schema.ts';
import { ANNEX_FICHES } from '../../src/demo/demo-fiches.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { getExperienceFor } from '../../src/experiences/experiences.ts';
import { EXPERIENCE_DOMAINS } from '../../src/experiences/fiche-facts.ts';
import { publicationRequests } from '../../src/experiences/publication.ts';
import { findUserByEmail, loadCurrentUser } from '../../src/people/users.ts';
import { isRegionCode } from '../../src/showcase/regions.ts';
import { createTestApp, TestClient, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

const userOf = (email: string) => loadCurrentUser(ctx.db, findUserByEmail(ctx.db, email)!.id)!;
const annexTitles = new Set(ANNEX_FICHES.map((f) => f.title));
const annexRows = () =>
  ctx.db
    .select()
    .from(experiences)
    .all()
    .filter((e) => annexTitles.has(e.title));
const ASKED_ONLY = 'Accompagnement administratif pour l’accès aux droits';

describe('the fiches of the note’s annex', () => {
  it('has each action of the annex once: fourteen, of its seven organizations', () => {
    expect(ANNEX_FICHES).toHaveLength(14);
    expect(annexTitles.size).toBe(14);
    expect(annexRows()).toHaveLength(14);
    expect([...new Set(ANNEX_FICHES.map((f) => f.organization))]).toEqual([
      'AMF',
      'CAPCOS',
      'COSIM Bretagne',
      'COSIM Occitanie Méditerranée',
      'COSIM Auvergne-Rhône-Alpes',
      'PAFHA',
      'RAME',
    ]);
  });

  it('publishes thirteen, each with its organization, domain and region, asked by its author and published by the national team', () => {
    const admin = userOf('admin@forim.test');
    const published = annexRows().filter((e) => e.publication === 'published');
    expect(published.map((e) => e.title).sort()).toEqual(
      ANNEX_FICHES.filter((f) => f.title !== ASKED_ONLY)
        .map((f) => f.title)
        .sort(),
    );
    for (const row of published) {
      const fiche = ANNEX_FICHES.find((f) => f.title === row.title)!;
      const view = getExperienceFor(ctx.db, admin, row.id);
      const cycle = ctx.db.select().from(cycles).where(eq(cycles.id, row.cycleId)).get()!;
      // What the showcase names: the author's OSIM, else the cycle's collective (a COSIM's own action).
      expect(view.osim ?? collectiveNameOf(ctx.db, cycle), row.title).toBe(fiche.organization);
      expect(cycle.name, row.title).toBe(fiche.cycle);
      expect(row.domain, row.title).toBe(fiche.domain);
      expect(EXPERIENCE_DOMAINS).toContain(row.domain);
      expect(row.region, row.title).toBe(fiche.region);
      expect(isRegionCode(row.region!)).toBe(true);
      expect(row.publishedAt, row.title).not.toBeNull();
      expect(row.createdAt.getTime()).toBeLessThan(row.publishedAt!.getTime());
      const history = ctx.db
        .select()
        .from(experiencePublications)
        .where(eq(experiencePublications.experienceId, row.id))
        .orderBy(experiencePublications.id)
        .all();
      expect(history.map((h) => [h.action, h.actorId])).toEqual([
        ['requested', row.authorId],
        ['published', admin.id],
      ]);
    }
    // The regions of the note: Bretagne, Occitanie, Auvergne-Rhône-Alpes, Île-de-France.
    expect([...new Set(published.map((e) => e.region))].sort()).toEqual(['ARA', 'BRE', 'IDF', 'OCC']);
  });

  it('maps the note’s domains to the fixed list, keeping « Solidarité » for the fracture numérique', () => {
    const domainOf = (title: string) => annexRows().find((e) => e.title === title)!.domain;
    expect(domainOf('Forum d’accès aux droits et de lutte contre les discriminations')).toBe(
      'accessToRights',
    );
    expect(domainOf('Animation culturelle à la 95e foire de la Saint-Matthieu à Houdan')).toBe(
      'civicParticipation',
    );
    expect(domainOf('Forum de la société civile africaine à Épinay-sur-Seine')).toBe('culture');
    expect(domainOf('Alphabétisation')).toBe('education');
    expect(domainOf('Lutte contre la fracture numérique')).toBe('solidarity');
    expect(domainOf('Ateliers sociolinguistiques')).toBe('employment');
    expect(domainOf('Campagne des 10 mythes sur les migrations')).toBe('ecsi');
  });

  it('says only what the note says: no figures, a period only for CAPCOS’s dated actions, no co-funder', () => {
    for (const row of annexRows()) {
      expect(row.volunteers, row.title).toBeNull();
      expect(row.participants, row.title).toBeNull();
      expect(row.cofunders, row.title).toEqual([]);
      expect(row.cofunding, row.title).toBe('');
    }
    const periods = annexRows()
      .filter((e) => e.periodStart !== null || e.periodEnd !== null)
      .map((e) => [e.title, e.periodStart, e.periodEnd]);
    expect(periods).toEqual([
      ['Animation culturelle à la 95e foire de la Saint-Matthieu à Houdan', '2022-09', null],
      ['Forum de la société civile africaine à Épinay-sur-Seine', '2023-05', null],
    ]);
    // A QPV named only where the note names the neighbourhood (Montpellier, La Mosson).
    expect(
      annexRows()
        .filter((e) => e.qpvName !== '')
        .map((e) => e.qpvName),
    ).toEqual(['La Mosson']);
    const publicsOf = (title: string) => annexRows().find((e) => e.title === title)!.publics;
    expect(
      publicsOf(
        'Colloque euro-méditerranéen sur l’impact du Covid sur les femmes vulnérables des deux rives',
      ),
    ).toEqual(['women']);
    expect(publicsOf('Accueil et accompagnement des étudiants étrangers')).toEqual(['students']);
    expect(publicsOf('Alphabétisation')).toEqual(['newcomers']);
  });

  it('contains no e-mail address in any text', () => {
    const texts = [
      'title',
      'what',
      'objectives',
      'town',
      'qpvName',
      'audience',
      'partners',
      'cofunding',
      'results',
      'difficulties',
      'advice',
    ] as const;
    for (const row of ctx.db.select().from(experiences).all()) {
      for (const key of texts) expect(row[key], `${row.title} ${key}`).not.toMatch(/@|\.test\b/);
    }
  });

  it('leaves COSIM Bretagne’s second action asked for, in its coordinator’s « Fiches à publier »', async () => {
    const asked = annexRows().filter((e) => e.publication === 'requested');
    expect(asked.map((e) => e.title)).toEqual([ASKED_ONLY]);
    expect(asked[0]!.publishedAt).toBeNull();
    const coordinator = userOf('coordination@cosim-bretagne.test');
    expect(publicationRequests(ctx.db, coordinator).map((r) => r.title)).toEqual([ASKED_ONLY]);
    expect(publicationRequests(ctx.db, userOf('admin@forim.test')).map((r) => r.title)).toEqual([ASKED_ONLY]);
    const client = new TestClient(ctx.app);
    await client.login('coordination@cosim-bretagne.test', DEMO_PASSWORD);
    const page = await client.get('/experiences/to-publish');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain(ASKED_ONLY);
    expect(text(page.body)).toContain('Fatou Ndiaye');
  });

  it('keeps the demo’s own fiche (Aide aux devoirs au Blosne) private, by its author, as it was', () => {
    const blosne = ctx.db
      .select()
      .from(experiences)
      .where(eq(experiences.title, 'Aide aux devoirs au Blosne'))
      .get()!;
    expect(blosne.publication).toBe('private');
    const author = ctx.db.select().from(users).where(eq(users.id, blosne.authorId)).get()!;
    expect(author.email).toBe('membre@cosim-bretagne.test');
    expect(
      ctx.db
        .select()
        .from(experiencePublications)
        .where(eq(experiencePublications.experienceId, blosne.id))
        .all(),
    ).toEqual([]);
  });

  it('files the fiches of Île-de-France and Auvergne-Rhône-Alpes in a past cycle of their COSIM', () => {
    for (const [email, cycle] of [
      ['ibrahim.coulibaly@capcos.test', 'Cycle 2025 — COSIM Île-de-France'],
      ['mariama.bah@pafha.test', 'Cycle 2025 — COSIM Île-de-France'],
      ['aliou.sy@rame.test', 'Cycle 2025 — COSIM Auvergne-Rhône-Alpes'],
      ['clarisse.mbarga@cosim-ara.test', 'Cycle 2025 — COSIM Auvergne-Rhône-Alpes'],
    ] as const) {
      const row = ctx.db.select().from(cycles).where(eq(cycles.name, cycle)).get()!;
      expect(row.endsOn < new Date().toISOString().slice(0, 10)).toBe(true);
      // Nobody enrolled: the dashboards count the 2026 cycles' learners only.
      expect(ctx.db.select().from(cycleMembers).where(eq(cycleMembers.cycleId, row.id)).all()).toEqual([]);
      const fiches = annexRows().filter((e) => e.authorId === userOf(email).id);
      expect(fiches.length, email).toBe(2);
      expect(fiches.every((e) => e.cycleId === row.id)).toBe(true);
    }
  });
});
