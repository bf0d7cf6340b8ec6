// The dashboard pages: the national team sees every collective, a coordinator only theirs — even
// with another region, cycle or collective in the URL; filters travel in the URL and bad ones are
// answered next to their field; htmx gets only the figures; every table exports as CSV.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { catalog } from '../../src/learning/catalog.ts';
import { createTestApp, createUser, loginAs, TestClient, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
let admin: TestClient;
let bretagne: TestClient;
const id = (name: string) =>
  ctx.db.get<{ id: number }>(sql`SELECT id FROM organizations WHERE name = ${name}`)!.id;
const cycleOf = (name: string) =>
  ctx.db.get<{ id: number }>(
    sql`SELECT c.id FROM cycles c JOIN organizations o ON o.id = c.collective_id WHERE o.name = ${name}`,
  )!.id;

/**
 * A demo learner's path as src/demo/seed-demo.ts seeds it: the given share of each module's lessons
 * (rounded), and the quizzes they passed. A path's steps are its lessons and its quizzes.
 */
function demoPath(shares: number[], quizzesPassed: number) {
  const { courses } = catalog(ctx.db);
  const steps = courses.reduce((n, c) => n + c.lessons.length + (c.quiz ? 1 : 0), 0);
  const lessons = shares.reduce((n, share, i) => n + Math.round(share * courses[i]!.lessons.length), 0);
  return { lessons, percent: Math.round(((lessons + quizzesPassed) / steps) * 100) };
}
/** COSIM Bretagne's three learners, all in its demo cycle. */
const bretagneLearners = () => ({
  // Module 1 and its quiz, a third of module 2.
  mamadou: demoPath([1, 1 / 3], 1),
  // Modules 1 and 2 and their quizzes, 15 % of module 3.
  awa: demoPath([1, 1, 0.15], 2),
  // Two thirds of module 1.
  jeanBaptiste: demoPath([2 / 3], 0),
});
/** Their median path percent, and how many fall in each column: 0 %, 1–24, 25–49, 50–74, 75–99, 100 %. */
function bretagneCompletion() {
  const percents = Object.values(bretagneLearners())
    .map((l) => l.percent)
    .sort((a, b) => a - b);
  const distribution = [0, 0, 0, 0, 0, 0];
  for (const p of percents) distribution[p === 0 ? 0 : p === 100 ? 5 : 1 + Math.floor(p / 25)]! += 1;
  return { median: percents[1]!, distribution };
}

beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
  admin = new TestClient(ctx.app);
  await admin.login('admin@forim.test', DEMO_PASSWORD);
  bretagne = new TestClient(ctx.app);
  await bretagne.login('coordination@cosim-bretagne.test', DEMO_PASSWORD);
});
afterAll(() => ctx.close());

describe('national dashboard', () => {
  it('shows the national team every collective, with the demo cycle’s figures', async () => {
    const html = (await admin.get('/dashboard')).body;
    const page = text(html);
    expect(page).toContain('Tableau de bord national');
    expect(page).toContain('COSIM Occitanie Méditerranée');
    // Bretagne: 2 invitations, 3 members, all enrolled and active; completion as bretagneLearners
    // (with the second edition 16, 40 and 72 %), none finished; every quiz tried was passed; three
    // séances held (7 seats, 3 of them present: the launch, a workshop Mamadou missed, yesterday's
    // peer exchange whose sheet is still open); Awa's certificate.
    const { median } = bretagneCompletion();
    expect(page).toContain(`COSIM Bretagne 2 3 3 3 ${median} % 0 100 % 3 43 % 1`);
    expect(page).toContain('Total des COSIM');
    expect(page).toContain('Total des FOSIM');
    expect(page).toContain('Inscriptions et parcours terminés, par mois');
    expect(html).toMatch(/<svg[^>]+role="img"/);
  });

  it('filters by region through the URL, and htmx gets only the figures', async () => {
    const page = text((await admin.get('/dashboard?region=Occitanie')).body);
    expect(page).toContain('COSIM Occitanie Méditerranée');
    expect(page).not.toMatch(/COSIM Bretagne \d/);
    const fragment = await admin.get('/dashboard?region=Occitanie', {
      'hx-request': 'true',
      'hx-request-type': 'partial',
      'hx-target': '#figures',
    });
    expect(fragment.body.startsWith('<div id="figures">')).toBe(true);
    expect(fragment.body).not.toContain('<html');
  });

  it('narrows to a cycle and to a period, and says so', async () => {
    const cycle = cycleOf('COSIM Bretagne');
    const page = text((await admin.get(`/dashboard?cycle=${cycle}`)).body);
    expect(page).toContain('Cycle « Cycle 2026 — COSIM Bretagne » : seulement ses inscrit·es');
    const { median } = bretagneCompletion();
    expect(page).toContain(`COSIM Bretagne — 3 3 3 ${median} %`);
    // Occitanie's members are not in the Bretagne cycle.
    expect(page).toContain('COSIM Occitanie Méditerranée — 0 0 0 —');
    // A period long ago: nobody enrolled then, no séance, no certificate; today's figures stay.
    const old = text((await admin.get('/dashboard?from=2020-01&to=2020-02')).body);
    expect(old).toContain('Sur la période du janvier 2020 au février 2020');
    expect(old).toContain(`COSIM Bretagne 2 3 0 3 ${median} %`);
  });

  it('answers bad filters next to their field, keeps the rest, never fails', async () => {
    const reversed = await admin.get('/dashboard?from=2026-11&to=2026-10&region=Bretagne');
    expect(reversed.statusCode).toBe(200);
    expect(text(reversed.body)).toContain('Le mois de fin doit venir après le mois de début');
    expect(reversed.body).toMatch(/<option value="Bretagne" selected>/);
    expect(reversed.body).toMatch(/<option value="2026-11" selected>/);
    for (const url of [
      '/dashboard?cycle=abc',
      '/dashboard?cycle=99999999',
      '/dashboard?from=2026-13',
      '/dashboard?to=%3Cscript%3E',
      '/dashboard?qpv=2&region[]=x',
      '/dashboard?from=0000-01',
      '/dashboard?to=9999-12',
      '/dashboard?from=2020-01&to=2020-02',
      '/dashboard.csv?table=nope&cycle=-1',
    ]) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).not.toContain('<script>');
    }
    expect(text((await admin.get('/dashboard?cycle=abc')).body)).toContain('Ce cycle n’existe pas');
    expect(text((await admin.get('/dashboard?from=2026-13')).body)).toContain(
      'Choisissez un mois de la liste',
    );
  });

  it('follows a write at once, and says so when many collectives changed at the same time', async () => {
    const before = text((await admin.get('/dashboard')).body);
    expect(before).toContain('COSIM Île-de-France 0 2 0');
    // A member of Île-de-France is enrolled in a cycle: the next view counts them.
    const member = ctx.db.get<{ id: number }>(
      sql`SELECT id FROM users WHERE display_name = 'Ibrahim Coulibaly'`,
    )!.id;
    const cycle = cycleOf('COSIM Bretagne');
    ctx.db.run(
      sql`INSERT INTO cycle_members (cycle_id, user_id, enrolled_at) VALUES (${cycle}, ${member}, ${Date.now()})`,
    );
    expect(text((await admin.get('/dashboard')).body)).toContain('COSIM Île-de-France 0 2 1');
    // Every collective marked at once: the page answers with the last figures and a notice…
    ctx.db.run(
      sql`INSERT INTO dashboard_dirty (collective_id) SELECT id FROM organizations WHERE kind IN ('cosim', 'fosim')`,
    );
    const busy = text((await admin.get('/dashboard')).body);
    expect(busy).toMatch(/Des chiffres viennent de changer dans \d+ collectif/);
    // …and recomputes them right after, one at a time.
    for (let turn = 0; turn < 100; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(
      ctx.db.all(
        sql`SELECT d.collective_id, o.kind, o.name FROM dashboard_dirty d JOIN organizations o ON o.id = d.collective_id WHERE o.kind IN ('cosim', 'fosim')`,
      ),
    ).toEqual([]);
    expect(text((await admin.get('/dashboard')).body)).not.toContain('Des chiffres viennent de changer');
    ctx.db.run(sql`DELETE FROM cycle_members WHERE cycle_id = ${cycle} AND user_id = ${member}`);
  });

  it('exports each table as CSV for French spreadsheets', async () => {
    const res = await admin.get('/dashboard.csv');
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.startsWith('\uFEFFCollectif;Invité·es;Membres;')).toBe(true);
    const lines = res.body.trim().split('\r\n');
    const { median, distribution } = bretagneCompletion();
    expect(
      lines.find((l) =>
        l.startsWith(`COSIM Bretagne;2;3;3;3;${median};${distribution.join(';')};0;100;3;43;1`),
      ),
    ).toBeDefined();
    expect(lines.find((l) => l.startsWith('Total des COSIM;'))).toBeDefined();
    const skills = (await admin.get('/dashboard.csv?table=skills')).body.trim().split('\r\n');
    expect(skills[0]).toContain('Collectif;Inscrit·es;POL-1 (%)');
    expect(skills.find((l) => l.startsWith('COSIM Bretagne;3;67;'))).toBeDefined();
    const trend = (await admin.get('/dashboard.csv?table=trend')).body.trim().split('\r\n');
    expect(trend[0]).toBe('Mois;Nouvelles inscriptions;Parcours terminés');
    expect(trend).toHaveLength(13);
  });

  it('streams every member’s progress, only the coordinator’s own for a coordinator', async () => {
    const stream = await admin.get('/dashboard/members.csv');
    expect(stream.headers['content-disposition']).toContain('progression-des-membres.csv');
    expect(stream.body.startsWith('\uFEFFMembre;')).toBe(true);
    const all = stream.body.trim().split('\r\n');
    expect(all[0]).toBe(
      'Membre;OSIM;Collectifs;Cycles;Parcours (%);Leçons terminées;Quiz réussis;Séances suivies;Dernière activité;Attestations',
    );
    expect(all.some((l) => l.startsWith('Mamadou Sow;'))).toBe(true);
    const mamadou = all.find((l) => l.startsWith('Mamadou Sow;'))!.split(';');
    // One cycle, his path percent and lessons done, one quiz passed, one séance attended.
    const path = bretagneLearners().mamadou;
    expect(mamadou.slice(3, 8)).toEqual(['1', String(path.percent), String(path.lessons), '1', '1']);
    const own = (await bretagne.get('/dashboard/members.csv')).body.trim().split('\r\n');
    expect(own.length).toBe(1 + 3);
    expect(own.join('\n')).not.toContain('Occitanie');
  });
});

describe('the reader’s language', () => {
  it('never serves an English reader the French HTML cached for someone else, nor the reverse', async () => {
    const forim = id('FORIM');
    const english = await createUser(ctx.db, { role: 'admin', organizationId: forim, locale: 'en' });
    const reader = new TestClient(ctx.app);
    await reader.login(english.email);
    const bretagneId = id('COSIM Bretagne');
    for (const url of ['/dashboard?region=Bretagne', `/dashboard/collectives/${bretagneId}`]) {
      // The French page first: its figures, filters and chart are now kept in memory.
      const french = text((await admin.get(url)).body);
      expect(french).toContain('Inscriptions et parcours terminés, par mois');

      const asPage = {};
      const asFragment = { 'hx-request': 'true', 'hx-request-type': 'partial', 'hx-target': '#figures' };
      for (const headers of [asPage, asFragment] as Array<Record<string, string>>) {
        const page = text((await reader.get(url, headers)).body);
        expect(page, url).toContain('Enrolments and completed paths, by month');
        expect(page, url).not.toContain('Inscriptions et parcours terminés, par mois');
      }
      const filters = text((await reader.get(url)).body);
      expect(filters).toContain('Show');
      expect(filters).not.toMatch(/\bAfficher\b/);
      // And the French reader still reads French.
      expect(text((await admin.get(url)).body)).toContain('Inscriptions et parcours terminés, par mois');
    }
  });
});

describe('the national page at a glance', () => {
  it('puts the key figures on top, like a collective’s page', async () => {
    const html = (await admin.get('/dashboard')).body;
    const keys = html.indexOf('class="key-figures"');
    expect(keys).toBeGreaterThan(-1);
    expect(keys).toBeLessThan(html.indexOf('id="cap-figures"'));
    // The COSIMs of the table together (as the trend chart): 8 members (RAME's author of the annex's
    // fiches among them), 1 certificate.
    const figures = text(html.slice(keys, html.indexOf('</dl>', keys)));
    expect(figures).toContain('Membres 8');
    expect(figures).toContain('Attestations 1');
    expect(text(html)).toContain('Ensemble des COSIM du tableau');
  });

  it('keeps the main table to the figures that matter, the distribution in a table of its own', async () => {
    const html = (await admin.get('/dashboard')).body;
    const main = html.slice(
      html.indexOf('id="cap-figures"'),
      html.indexOf('</table>', html.indexOf('id="cap-figures"')),
    );
    expect(main.match(/<th scope="col"/g)).toHaveLength(11);
    const completion = bretagneCompletion();
    expect(text(main)).toContain(`COSIM Bretagne 2 3 3 3 ${completion.median} % 0 100 % 3 43 % 1`);
    // « Répartition » heads a real group of columns: a <colgroup> of six under it.
    const distribution = html.slice(
      html.indexOf('id="cap-distribution-by"'),
      html.indexOf('</table>', html.indexOf('id="cap-distribution-by"')),
    );
    expect(distribution).toMatch(/<th scope="colgroup" colspan="6"[^>]*>Répartition/);
    expect(distribution).toContain('<colgroup span="6"></colgroup>');
    expect(text(distribution)).toContain(`COSIM Bretagne 3 ${completion.distribution.join(' ')}`);
    for (const page of [html, (await admin.get(`/dashboard/collectives/${id('COSIM Bretagne')}`)).body]) {
      const groups = page.match(/scope="colgroup"/g)?.length ?? 0;
      expect(page.match(/<colgroup span=/g)?.length ?? 0).toBeGreaterThanOrEqual(groups);
    }
  });

  it('names every skill of the heat map in words, without a hover', async () => {
    const html = (await admin.get('/dashboard')).body;
    const heat = html.slice(html.indexOf('id="h-heat"'), html.indexOf('id="h-trend"'));
    expect(heat).not.toMatch(/<abbr|title="/);
    expect(heat).not.toContain('<details');
    const skills = ctx.db.all<{ code: string; title: string }>(
      sql`SELECT code, title FROM skills WHERE archived_at IS NULL`,
    );
    expect(skills.length).toBeGreaterThan(10);
    for (const s of skills) expect(text(heat)).toContain(`${s.code} ${s.title}`);
  });

  it('labels its filters alike, each in the singular', async () => {
    const html = (await admin.get('/dashboard')).body;
    const start = html.indexOf('<form method="get"');
    const form = html.slice(start, html.indexOf('</form>', start));
    const labels = [...form.matchAll(/<label for="f-[a-z]+">([^<]+)<\/label>/g)].map((m) => m[1]);
    expect(labels).toEqual([
      'Région',
      'Cycle',
      'Mois de début',
      'Mois de fin',
      'OSIM agissant en QPV seulement',
    ]);
  });

  it('names every download in French', async () => {
    const cid = id('COSIM Bretagne');
    const names: Record<string, string> = {
      '/dashboard.csv': 'tableau-de-bord-collectifs.csv',
      '/dashboard.csv?table=skills': 'tableau-de-bord-competences.csv',
      '/dashboard.csv?table=trend': 'tableau-de-bord-tendance.csv',
      [`/dashboard.csv?collective=${cid}`]: 'tableau-de-bord-cosim-bretagne.csv',
      [`/dashboard.csv?collective=${cid}&table=skills`]: 'tableau-de-bord-competences-cosim-bretagne.csv',
      [`/dashboard/collectives/${cid}/osims.csv`]: 'osim-cosim-bretagne.csv',
      '/dashboard/members.csv': 'progression-des-membres.csv',
      [`/dashboard/members.csv?collective=${cid}`]: 'progression-des-membres-cosim-bretagne.csv',
    };
    for (const [url, name] of Object.entries(names))
      expect((await admin.get(url)).headers['content-disposition'], url).toBe(
        `attachment; filename="${name}"`,
      );
  });
});

describe('the members’ progress as CSV', () => {
  const names = async (client: TestClient, url: string) => {
    const res = await client.get(url);
    expect(res.statusCode, url).toBe(200);
    return res.body
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(';')[0])
      .sort();
  };

  it('keeps to the filters of the page, whose link carries them and says which apply', async () => {
    const html = (await admin.get('/dashboard?region=Occitanie&qpv=1&from=2026-01')).body;
    expect(html).toContain('href="/dashboard/members.csv?region=Occitanie&amp;qpv=1"');
    expect(text(html)).toContain(
      'Seulement les membres de la région Occitanie, des OSIM agissant en QPV, à ce jour. La période choisie ne s’y applique pas',
    );
    expect(await names(admin, '/dashboard/members.csv?region=Occitanie')).toEqual([
      'Karima Benali',
      'Nadia Haddad',
    ]);
    expect(await names(admin, '/dashboard/members.csv?qpv=1')).not.toContain('Ibrahim Coulibaly');
    expect((await names(admin, '/dashboard/members.csv?qpv=1')).length).toBe(7);
    expect(await names(admin, `/dashboard/members.csv?cycle=${cycleOf('COSIM Bretagne')}`)).toEqual([
      'Awa Diop',
      'Jean-Baptiste Kouamé',
      'Mamadou Sow',
    ]);
    // A collective's page downloads its own members, with its filters.
    const cid = id('COSIM Occitanie Méditerranée');
    expect((await admin.get(`/dashboard/collectives/${cid}?qpv=1`)).body).toContain(
      `href="/dashboard/members.csv?qpv=1&amp;collective=${cid}"`,
    );
    expect(await names(admin, `/dashboard/members.csv?collective=${cid}`)).toEqual([
      'Karima Benali',
      'Nadia Haddad',
    ]);
  });

  it('checks the filters like the page: a coordinator stays in their collective, bad values change nothing', async () => {
    const own = await names(bretagne, '/dashboard/members.csv');
    expect(own).toEqual(['Awa Diop', 'Jean-Baptiste Kouamé', 'Mamadou Sow']);
    expect(await names(bretagne, '/dashboard/members.csv?region=Occitanie')).toEqual(own);
    expect(
      await names(bretagne, `/dashboard/members.csv?cycle=${cycleOf('COSIM Occitanie Méditerranée')}`),
    ).toEqual(own);
    const other = id('COSIM Occitanie Méditerranée');
    expect((await bretagne.get(`/dashboard/members.csv?collective=${other}`)).statusCode).toBe(404);
    expect((await admin.get('/dashboard/members.csv?collective=abc')).statusCode).toBe(404);
    const all = await names(admin, '/dashboard/members.csv');
    for (const q of ['cycle=abc', 'cycle=99999', 'region=Nulle-part', 'qpv=2', 'from=2026-13', 'region[]=x'])
      expect(await names(admin, `/dashboard/members.csv?${q}`), q).toEqual(all);
  });
});

describe('a collective’s dashboard', () => {
  it('takes a coordinator of one collective straight to it, with its OSIMs and members', async () => {
    const res = await bretagne.get('/dashboard?qpv=1');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/dashboard/collectives/${id('COSIM Bretagne')}?qpv=1`);
    // Whoever asks for the page (htmx swapping the whole body too); figures asked by htmx stay figures.
    const full = await bretagne.get('/dashboard', { 'hx-request': 'true', 'hx-request-type': 'full' });
    expect(full.statusCode).toBe(303);
    const figures = await bretagne.get('/dashboard', {
      'hx-request': 'true',
      'hx-request-type': 'partial',
      'hx-target': '#figures',
    });
    expect(figures.statusCode).toBe(200);
    expect(figures.body.startsWith('<div id="figures">')).toBe(true);
    const page = text((await bretagne.get(`/dashboard/collectives/${id('COSIM Bretagne')}`)).body);
    expect(page).toContain('Tableau de bord — COSIM Bretagne');
    expect(page).toContain('Par OSIM');
    expect(page).toContain('Progression de chaque membre');
    expect(page).toContain('Mamadou Sow');
    expect(page).toContain('3 membres, page 1 sur 1');
  });

  it('lists an OSIM’s members when it is chosen, and pages never fail', async () => {
    const cid = id('COSIM Bretagne');
    const osim = ctx.db.get<{ id: number; name: string }>(
      sql`SELECT o.id, o.name FROM organizations o JOIN memberships m ON m.organization_id = o.id
          JOIN users u ON u.id = m.user_id WHERE u.email = 'membre@cosim-bretagne.test' AND o.kind = 'osim'`,
    )!;
    const page = text((await bretagne.get(`/dashboard/collectives/${cid}?osim=${osim.id}`)).body);
    expect(page).toContain(`Membres de ${osim.name}`);
    expect(page).toContain('Mamadou Sow');
    for (const q of ['page=999', 'page=-1', 'page=abc', 'osim=abc', 'osim=1', 'cycle=1%27']) {
      expect((await bretagne.get(`/dashboard/collectives/${cid}?${q}`)).statusCode, q).toBe(200);
    }
  });

  it('exports the OSIM table and prints a one-page report', async () => {
    const cid = id('COSIM Bretagne');
    // The page's own export: its line only, also for the national team.
    const own = (await admin.get(`/dashboard.csv?collective=${cid}`)).body.trim().split('\r\n');
    expect(own.map((l) => l.split(';')[0])).toEqual(['Collectif', 'COSIM Bretagne']);
    const csv = (await bretagne.get(`/dashboard/collectives/${cid}/osims.csv`)).body.trim().split('\r\n');
    expect(csv[0]).toContain('OSIM;Ville;Agit en QPV;Membres;');
    expect(csv.length).toBeGreaterThan(1);
    const report = await bretagne.get(`/dashboard/collectives/${cid}/report`);
    expect(report.statusCode).toBe(200);
    const page = text(report.body);
    expect(page).toContain('Rapport de formation — COSIM Bretagne');
    expect(page).toContain('Compétences acquises (part des inscrit·es)');
    // POL-1 under its title as synced (French typography), acquired by 2 of the 3 enrolled.
    const pol1 = ctx.db.get<{ title: string }>(sql`SELECT title FROM skills WHERE code = 'POL-1'`)!.title;
    expect(page).toContain(`${pol1} 67 %`);
  });

  it('never shows a coordinator another collective, whatever the URL asks', async () => {
    const other = id('COSIM Occitanie Méditerranée');
    for (const url of [
      `/dashboard/collectives/${other}`,
      `/dashboard/collectives/${other}/osims.csv`,
      `/dashboard/collectives/${other}/report`,
      '/dashboard/collectives/999999',
    ]) {
      expect((await bretagne.get(url)).statusCode, url).toBe(404);
    }
    const own = `/dashboard/collectives/${id('COSIM Bretagne')}`;
    for (const q of ['?region=Occitanie', `?cycle=${cycleOf('COSIM Occitanie Méditerranée')}`, '?qpv=1']) {
      const res = await bretagne.get(own + q);
      expect(res.statusCode).toBe(200);
      const page = text(res.body);
      expect(page).not.toContain('Occitanie Méditerranée');
      expect(page).not.toContain('Île-de-France');
    }
    const csv = (await bretagne.get('/dashboard.csv?region=Occitanie')).body;
    expect(csv).not.toContain('Occitanie');
    expect((await bretagne.get(`/dashboard.csv?collective=${other}`)).statusCode).toBe(404);
    // The national team may open any collective.
    expect((await admin.get(`/dashboard/collectives/${other}`)).statusCode).toBe(200);
    expect((await admin.get('/dashboard/collectives/abc')).statusCode).toBe(404);
  });

  it('is for the national team and coordinators only', async () => {
    const { client: member } = await loginAs(ctx, 'member');
    const { client: trainer } = await loginAs(ctx, 'trainer');
    const cid = id('COSIM Bretagne');
    for (const url of [
      '/dashboard',
      '/dashboard.csv',
      '/dashboard/members.csv',
      `/dashboard/collectives/${cid}`,
      `/dashboard/collectives/${cid}/osims.csv`,
      `/dashboard/collectives/${cid}/report`,
    ]) {
      expect((await member.get(url)).statusCode, url).toBe(403);
      expect((await trainer.get(url)).statusCode, url).toBe(403);
    }
  });
});
