// A session that ends in the middle of a form: the person is sent to sign in, comes back to the
// page they were on, and a quiz comes back with the answers they had given.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResumeStore } from '../../src/auth/resume.ts';
import { quizAttempts, sessions } from '../../src/db/schema.ts';
import { getQuiz, sampleAnswers } from '../../src/learning/progress.ts';
import { BASE_URL, createTestApp, loginAs, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

function endSessions(userId: number) {
  ctx.db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

describe('a session that ends in the middle of a form', () => {
  it('sends a quiz to the sign-in page and back to the quiz with the answers given', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    const { quiz } = getQuiz(ctx.db, 'prj-quiz');
    const answers = sampleAnswers(quiz.questions);
    const form = Object.fromEntries(Object.entries(answers).map(([q, a]) => [`q-${q}`, a]));
    await client.get('/learn/quizzes/prj-quiz');
    endSessions(user.id);

    const sent = await client.post('/learn/quizzes/prj-quiz', form, {
      headers: { referer: `${BASE_URL}/learn/quizzes/prj-quiz` },
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/login?next=${encodeURIComponent('/learn/quizzes/prj-quiz')}`);
    expect(ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id)).all()).toEqual([]);

    const login = await client.get(sent.headers.location as string);
    expect(text(login.body)).toContain('Votre session avait pris fin');
    const back = await client.post(`/login?next=${encodeURIComponent('/learn/quizzes/prj-quiz')}`, {
      email: user.email,
      password: 'mot-de-passe-de-test',
    });
    expect(back.headers.location).toBe('/learn/quizzes/prj-quiz');

    const page = await client.get('/learn/quizzes/prj-quiz');
    expect(text(page.body)).toContain('Vos réponses ont été gardées');
    const checked = [...page.body.matchAll(/id="q-([^"]+?)-([^"]+)" name="q-[^"]+" value="[^"]+" checked/g)];
    expect(checked.length).toBe(Object.values(answers).flat().length);
    for (const [q, ids] of Object.entries(answers))
      for (const a of ids) expect(page.body).toMatch(new RegExp(`id="q-${q}-${a}"[^>]* checked`));

    // Given back once: the next visit starts afresh.
    const again = await client.get('/learn/quizzes/prj-quiz');
    expect(again.body).not.toContain(' checked');
    expect(text(again.body)).not.toContain('Vos réponses ont été gardées');
  });

  it('finds the page without a Referer when the form is sent to the address it is shown at', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    endSessions(user.id);
    const sent = await client.post('/learn/quizzes/pdv-quiz', {});
    expect(sent.headers.location).toBe(`/login?next=${encodeURIComponent('/learn/quizzes/pdv-quiz')}`);
  });

  it('answers htmx with a full-page redirect to sign in, never an error fragment', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    endSessions(user.id);
    const res = await client.post(
      '/learn/lessons/pdv-qpv-definition/complete',
      {},
      {
        headers: {
          'hx-request': 'true',
          'hx-request-type': 'partial',
          'hx-current-url': `${BASE_URL}/learn/lessons/pdv-qpv-definition`,
        },
      },
    );
    expect(res.statusCode).toBe(401);
    expect(res.headers['hx-redirect']).toBe(
      `/login?next=${encodeURIComponent('/learn/lessons/pdv-qpv-definition')}`,
    );
    expect(res.body).toBe('');
  });

  it('keeps no password and no CSRF token, and ignores a Referer from another site', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    endSessions(user.id);
    const res = await client.post(
      '/profile/password',
      { current: 'secret-actuel', password: 'nouveau-secret-123', confirm: 'nouveau-secret-123' },
      { headers: { referer: 'https://evil.example/profile' } },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2F');
  });

  it('still refuses a post from another site before anything else', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    endSessions(user.id);
    const res = await client.post(
      '/learn/quizzes/pdv-quiz',
      {},
      { headers: { origin: 'https://evil.example' } },
    );
    expect(res.statusCode).toBe(403);
    expect(res.headers['set-cookie'] ?? '').not.toContain('passerelle_resume');
  });
});

describe('the kept form', () => {
  it('keeps no secret, gives the form back once, to its own page, within the hour', () => {
    let now = 1_000_000;
    const store = createResumeStore(() => now);
    const token = store.keep('/learn/quizzes/q', {
      _csrf: 'jeton',
      password: 'x',
      confirm: 'x',
      current: 'x',
      'q-1': ['a', 'b'],
      story: 'Notre repas de quartier',
    });
    expect(store.take(token, '/ailleurs')).toBeNull();
    expect(store.take(token, '/learn/quizzes/q')).toEqual({
      'q-1': ['a', 'b'],
      story: 'Notre repas de quartier',
    });
    expect(store.take(token, '/learn/quizzes/q')).toBeNull();
    const late = store.keep('/p', { a: '1' });
    now += 60 * 60 * 1000;
    expect(store.take(late, '/p')).toBeNull();
    expect(store.take(undefined, '/p')).toBeNull();
  });
});

describe('the memory kept forms may take', () => {
  it('stays bounded whoever sends forms without a session, the oldest forgotten first', () => {
    const store = createResumeStore();
    const big = { story: 'x'.repeat(20_000) };
    const first = store.keep('/p', big);
    for (let i = 0; i < 400; i++) store.keep('/p', big);
    expect(store.characters).toBeLessThanOrEqual(4_000_000);
    expect(store.take(first, '/p')).toBeNull();
    const last = store.keep('/p', { story: 'gardé' });
    expect(store.take(last, '/p')).toEqual({ story: 'gardé' });
  });
});
