// A person's rights on the demo data: they read and download everything held about them (and
// nothing about anyone else); they delete their account after confirming with their password —
// their data goes, their certificate is revoked without their name, their session ends, past
// séances keep their sheets and the collective's counts follow; the national team does the same on
// request, coordinators cannot.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardFigures } from '../../src/dashboards/figures.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { translator } from '../../src/i18n/index.ts';
import { catalog } from '../../src/learning/catalog.ts';
import { personalData } from '../../src/privacy/export.ts';
import { readablePersonalData } from '../../src/privacy/readable.ts';
import { personalTables } from '../../src/privacy/registry.ts';
import { createTestApp, loginAs, TestClient, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
const userId = (email: string) =>
  ctx.db.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`)!.id;
const count = (query: ReturnType<typeof sql>) => ctx.db.get<{ n: number }>(query)!.n;
const literally = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const bretagne = () =>
  dashboardFigures(ctx.db, { collectiveIds: null, region: null, qpvOnly: false }).rows.find(
    (r) => r.name === 'COSIM Bretagne',
  )!;

beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

describe('right of access', () => {
  it('downloads everything about the person, nothing about others, no secrets', async () => {
    const mamadou = new TestClient(ctx.app);
    await mamadou.login('membre@cosim-bretagne.test', DEMO_PASSWORD);
    const res = await mamadou.get('/me/data.json');
    expect(res.headers['content-disposition']).toContain('mes-donnees-passerelle.json');
    const data = JSON.parse(res.body) as {
      person: { email: string };
      sections: { table: string; label: string; rows: Record<string, unknown>[] }[];
    };
    expect(data.person.email).toBe('membre@cosim-bretagne.test');
    // Each table named in the person's words, from the message catalogue.
    expect(data.sections[0]).toMatchObject({ table: 'users', label: 'Votre compte' });
    expect(data.sections.find((s) => s.table === 'email_changes')?.label).toBe(
      'Vos changements d’adresse e-mail',
    );
    // Every table of the register that holds rows about a person, with every one of their rows,
    // in the database's own words (ids, column names).
    expect(data.sections.map((s) => s.table)).toEqual(
      personalTables()
        .filter(([, e]) => e.rows !== null)
        .map(([table]) => table),
    );
    const id = userId('membre@cosim-bretagne.test');
    for (const [table, entry] of personalTables()) {
      if (entry.rows === null) continue;
      const rows = data.sections.find((s) => s.table === table)!.rows;
      const inDb = ctx.db.$client
        .prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${entry.rows}`)
        .get({ id, email: 'membre@cosim-bretagne.test' }) as { n: number };
      expect(rows.length, table).toBe(inDb.n);
    }
    const rows = (table: string) => data.sections.find((s) => s.table === table)!.rows;
    expect(rows('lesson_progress')[0]).toHaveProperty('lesson_id');
    expect(rows('memberships')[0]).toHaveProperty('organization_id');
    expect(rows('quiz_attempts')[0]!.answers).toBeTypeOf('object');
    expect(rows('cycle_members').length).toBe(1);
    expect(res.body).not.toMatch(/password_hash|token_hash|secret_hash|\$argon2/);
    expect(res.body).not.toContain('awa.diop@cosim-bretagne.test');
    expect((await new TestClient(ctx.app).get('/me/data.json')).statusCode).toBe(303);
  });

  it('shows the data as a person reads it: titles and names, answers in words, sign-ins in one line', async () => {
    const id = userId('membre@cosim-bretagne.test');
    // Nineteen sign-ins (phone, computer, again…) are nineteen open sessions.
    const mamadou = new TestClient(ctx.app);
    await mamadou.login('membre@cosim-bretagne.test', DEMO_PASSWORD);
    for (let i = 0; i < 18; i++)
      await new TestClient(ctx.app, `198.51.100.${20 + i}`).login(
        'membre@cosim-bretagne.test',
        DEMO_PASSWORD,
      );
    const sessions = count(sql`SELECT count(*) AS n FROM sessions WHERE user_id = ${id}`);
    expect(sessions).toBeGreaterThanOrEqual(19);
    const html = (await mamadou.get('/me/data')).body;
    const page = text(html);
    expect(page).toContain('Mes données');
    for (const heading of [
      'Mon compte',
      'Mes organisations et rôles',
      'Mon parcours',
      'Mes cycles et séances',
      'Mes connexions',
    ])
      expect(page).toContain(heading);
    expect(page).toContain('Adresse e-mail membre@cosim-bretagne.test');
    // Organisations and roles by name, not by number.
    expect(page).toContain('Solidarité Blosne (OSIM) : membre');
    expect(page).not.toMatch(/numéro|\(compte\)/i);
    // Lessons by title with the day they were finished; no lesson id anywhere.
    const lessons = ctx.db.all<{ id: string; title: string }>(
      sql`SELECT l.id, l.title FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id WHERE p.user_id = ${id}`,
    );
    // Mamadou (seed-demo.ts) has finished the path's first module and a third of the second.
    const [first, second] = catalog(ctx.db).courses;
    expect(lessons.length).toBe(first!.lessons.length + Math.round(second!.lessons.length / 3));
    for (const lesson of lessons) {
      // `text` folds the titles' no-break spaces (« QPV ? ») as it folds the page's.
      expect(page).toMatch(
        new RegExp(`${literally(text(lesson.title))} : terminée le \\d{1,2}(er)? \\p{L}+ 20\\d\\d`, 'u'),
      );
      expect(html).not.toContain(lesson.id);
    }
    // The quiz: title, best score, attempts, answers in words — not JSON. Mamadou's two attempts
    // (seed-demo.ts): four questions wrong, then none; a score is the share right, rounded.
    const quiz = catalog(ctx.db).quizzesById.get('pdv-quiz')!;
    const n = quiz.questions.length;
    expect(page).toContain(
      `${text(quiz.title)} : meilleur score 100 % (${n} bonnes réponses sur ${n}), réussi ; 2 tentatives`,
    );
    expect(page).toContain(`${n - 4} bonnes réponses sur ${n} (${Math.round(((n - 4) / n) * 100)} %)`);
    expect(page).not.toMatch(/[{[]"|"q1"|pdv-quiz/);
    // Skills by title, the cycle and séances by name, with their status.
    const pol1 = ctx.db.get<{ title: string }>(sql`SELECT title FROM skills WHERE code = 'POL-1'`)!.title;
    expect(page).toContain(text(pol1));
    expect(page).toContain('Cycle 2026 — COSIM Bretagne : inscrit·e le');
    expect(page).toContain('Émargement : présent·e');
    // The sign-ins in one line, however many there are.
    expect(page).toMatch(
      new RegExp(
        `${sessions} connexions ouvertes, la dernière utilisée le \\d{1,2}(er)? \\p{L}+ 20\\d\\d à \\d{1,2} h( \\d\\d)?`,
        'u',
      ),
    );
    expect(page.match(/connexions? ouvertes?/g)).toHaveLength(1);
    // One date format: « 5 décembre 2026 », never ISO.
    expect(page).not.toMatch(/\d{4}-\d\d-\d\d/);
    expect(html.length).toBeLessThan(40_000);
  });

  it('makes every table of the register part of the page', async () => {
    const id = userId('awa.diop@cosim-bretagne.test');
    const data = personalData(ctx.db, id, translator('fr'))!;
    const sections = readablePersonalData(ctx.db, data, translator('fr'));
    // Each section says which tables it was made from, as it read them: together, all of them.
    expect(sections.flatMap((s) => s.tables).sort()).toEqual(data.sections.map((s) => s.table).sort());
    // A table with rows about the person gives its section something to show.
    for (const s of data.sections) {
      if (s.rows.length === 0) continue;
      const section = sections.find((r) => r.tables.includes(s.table))!;
      expect(section.blocks.length, s.table).toBeGreaterThan(0);
    }
    // Awa's certificate is there, by its cycle's name, with its code.
    const certificates = sections.find((s) => s.tables.includes('certificates'))!;
    expect(JSON.stringify(certificates.blocks).replace(/\s/g, ' ')).toMatch(
      /Cycle 2026 — COSIM Bretagne : délivrée le/,
    );
  });
});

describe('right to erasure', () => {
  it('asks for the password and the confirmation, in French next to each field', async () => {
    const karima = new TestClient(ctx.app);
    await karima.login('membre@cosim-om.test', DEMO_PASSWORD);
    expect(text((await karima.get('/me/delete')).body)).toContain('Supprimer mon compte');
    const wrong = await karima.post('/me/delete', { password: 'pas-le-bon', understood: 'on' });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('Ce mot de passe n’est pas le bon.');
    expect(wrong.body).toMatch(/<input type="checkbox" id="f-understood" name="understood" checked/);
    const unticked = await karima.post('/me/delete', { password: DEMO_PASSWORD });
    expect(text(unticked.body)).toContain('Cochez cette case pour confirmer.');
    expect(count(sql`SELECT count(*) AS n FROM users WHERE email = 'membre@cosim-om.test'`)).toBe(1);
  });

  it('erases a member who asks: data gone, certificate revoked without the name, sheets and counts right', async () => {
    const awaId = userId('awa.diop@cosim-bretagne.test');
    const code = ctx.db.get<{ code: string }>(
      sql`SELECT code FROM certificates WHERE user_id = ${awaId}`,
    )!.code;
    const presentBefore = count(sql`SELECT count(*) AS n FROM attendance WHERE user_id = ${awaId}`);
    expect(presentBefore).toBeGreaterThan(0);
    expect(bretagne().members).toBe(3);
    const awa = new TestClient(ctx.app);
    await awa.login('awa.diop@cosim-bretagne.test', DEMO_PASSWORD);
    const done = await awa.post('/me/delete', { password: DEMO_PASSWORD, understood: 'on' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/me/deleted');
    expect(text((await awa.get('/me/deleted')).body)).toContain('Votre compte a été supprimé');
    // The session is over; the account cannot sign in again.
    expect((await awa.get('/me/data')).statusCode).toBe(303);
    expect(
      (
        await new TestClient(ctx.app).post('/login', {
          email: 'awa.diop@cosim-bretagne.test',
          password: DEMO_PASSWORD,
        })
      ).statusCode,
    ).toBe(401);

    const user = ctx.db.get<{ email: string; name: string; hash: string | null }>(
      sql`SELECT email, display_name AS name, password_hash AS hash FROM users WHERE id = ${awaId}`,
    )!;
    expect(user).toEqual({
      email: `compte-supprime-${awaId}@passerelle.invalid`,
      name: 'Compte supprimé',
      hash: null,
    });
    for (const table of [
      'lesson_progress',
      'quiz_attempts',
      'memberships',
      'cycle_members',
      'sessions',
      'learner_stats',
    ])
      expect(count(sql.raw(`SELECT count(*) AS n FROM ${table} WHERE user_id = ${awaId}`)), table).toBe(0);
    expect(
      count(sql`SELECT count(*) AS n FROM outbox WHERE to_address = 'awa.diop@cosim-bretagne.test'`),
    ).toBe(0);
    expect(count(sql`SELECT count(*) AS n FROM users_search WHERE users_search MATCH 'awa'`)).toBe(0);
    // The sheet of the séance held keeps its line (anonymised); the seats to come are given back.
    expect(count(sql`SELECT count(*) AS n FROM attendance WHERE user_id = ${awaId}`)).toBe(presentBefore);
    expect(
      count(sql`SELECT count(*) AS n FROM gathering_signups s JOIN gatherings g ON g.id = s.gathering_id
        WHERE s.user_id = ${awaId} AND s.status <> 'cancelled' AND g.starts_at > ${Date.now()}`),
    ).toBe(0);
    // The certificate says why it was revoked, and names nobody.
    const verify = text((await new TestClient(ctx.app).get(`/verify/${code}`)).body);
    expect(verify).toContain('Motif : À la demande de la personne.');
    expect(verify).not.toContain('Awa');
    // The collective counts one member less, and the audit log says what happened.
    expect(bretagne().members).toBe(2);
    expect(
      count(
        sql`SELECT count(*) AS n FROM audit_log WHERE action = 'account.erase' AND subject_user_id = ${awaId}`,
      ),
    ).toBe(1);
  });

  it('lets the national team erase an account on request, not a coordinator', async () => {
    const target = userId('jean-baptiste.kouame@cosim-bretagne.test');
    const coordinator = new TestClient(ctx.app);
    await coordinator.login('coordination@cosim-bretagne.test', DEMO_PASSWORD);
    expect((await coordinator.get(`/people/${target}/erase`)).statusCode).toBe(403);
    expect(
      (
        await coordinator.post(`/people/${target}/erase`, {
          email: 'jean-baptiste.kouame@cosim-bretagne.test',
        })
      ).statusCode,
    ).toBe(403);
    const { client: member } = await loginAs(ctx, 'member');
    expect((await member.get(`/people/${target}/erase`)).statusCode).toBe(403);

    const admin = new TestClient(ctx.app);
    await admin.login('admin@forim.test', DEMO_PASSWORD);
    expect(text((await admin.get(`/people/${target}`)).body)).toContain('Supprimer ce compte');
    const typo = await admin.post(`/people/${target}/erase`, { email: 'jean-baptiste@cosim-bretagne.test' });
    expect(typo.statusCode).toBe(422);
    expect(text(typo.body)).toContain('Recopiez exactement l’adresse e-mail de la personne.');
    expect(typo.body).toContain('value="jean-baptiste@cosim-bretagne.test"');
    const done = await admin.post(`/people/${target}/erase`, {
      email: 'Jean-Baptiste.Kouame@cosim-bretagne.test ',
    });
    expect(done.statusCode).toBe(303);
    expect(
      ctx.db.get<{ name: string }>(sql`SELECT display_name AS name FROM users WHERE id = ${target}`)!.name,
    ).toBe('Compte supprimé');
    // Once erased, there is nothing left to erase.
    expect((await admin.get(`/people/${target}/erase`)).statusCode).toBe(404);
    expect((await admin.get('/people/abc/erase')).statusCode).toBe(404);
    // The last active admin cannot be erased, even at their own request.
    const last = await admin.post('/me/delete', { password: DEMO_PASSWORD, understood: 'on' });
    expect(last.statusCode).toBe(422);
  });

  it('shows the privacy notice to anyone, linked from every page', async () => {
    const anyone = new TestClient(ctx.app);
    const page = text((await anyone.get('/confidentialite')).body);
    expect(page).toContain('Confidentialité : ce que Passerelle garde, pourquoi, combien de temps');
    expect(page).toContain('Sans connexion pendant deux ans');
    expect((await anyone.get('/login')).body).toContain('href="/confidentialite"');
  });
});
