// `npm run bench`, issue 8 (BENCH_ONLY=mixed alone): 200 members and a trainer at once on a demo
// database, then every write the app answered is looked for in the database.
import { join } from 'node:path';
import { coursesRoot } from '../content/paths.ts';
import { loadAndSync } from '../content/sync.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { seedDemoData } from '../demo/seed-demo.ts';
import { BENCH, call, rssMb, start } from './bench-client.ts';

/**
 * Issue 8: a mixed load for MIXED seconds — 200 members reading lessons, marking them done and
 * signing up for (or leaving) a séance, a trainer taking a roll call — then every write that was
 * answered is looked for in the database.
 */
export async function mixedLoad(dir: string) {
  const seconds = BENCH.BENCH_MIXED_SECONDS;
  const path = join(dir, 'mixed.db');
  const db = openDatabase(path);
  migrateDatabase(db);
  loadAndSync(db, coursesRoot);
  await seedDemoData(db);
  const { createSession } = await import('../auth/session-store.ts');
  const { createGathering } = await import('../gatherings/gatherings.ts');
  const { loadCurrentUser } = await import('../people/users.ts');
  const client = db.$client;
  const osim = (
    client.prepare("SELECT id FROM organizations WHERE name = 'Solidarité Blosne'").get() as { id: number }
  ).id;
  const cycle = client.prepare("SELECT * FROM cycles WHERE name LIKE '%COSIM Bretagne'").get() as {
    id: number;
  };
  const trainerId = (
    client.prepare("SELECT id FROM users WHERE email = 'formation@cosim-bretagne.test'").get() as {
      id: number;
    }
  ).id;
  const members: Array<{ id: number; cookie: string }> = [];
  const insertUser = client.prepare(
    "INSERT INTO users (email, display_name, sort_key, search_text, created_at) VALUES (?, ?, ?, '', ?)",
  );
  for (let i = 0; i < 200; i++) {
    const id = Number(
      insertUser.run(`charge.${i}@exemple.test`, `Membre Charge ${i}`, `membre charge ${i}`, Date.now())
        .lastInsertRowid,
    );
    client
      .prepare(
        "INSERT INTO memberships (user_id, organization_id, role, created_at) VALUES (?, ?, 'member', ?)",
      )
      .run(id, osim, Date.now());
    client
      .prepare('INSERT INTO cycle_members (cycle_id, user_id, enrolled_at) VALUES (?, ?, ?)')
      .run(cycle.id, id, Date.now());
    members.push({ id, cookie: `passerelle_session=${createSession(db, id).token}` });
  }
  const trainer = loadCurrentUser(db, trainerId)!;
  const { getCycleFor } = await import('../cycles/cycles.ts');
  const cycleRow = getCycleFor(db, trainer, cycle.id);
  const base = {
    courseId: 'politique-de-la-ville',
    theme: '',
    facilitatorId: trainerId,
    timeZone: 'Europe/Paris',
    mode: 'in_person' as const,
    placeName: 'Maison de quartier',
    address: '',
    town: 'Rennes',
    placeInQpv: true,
    videoUrl: '',
    agenda: '',
  };
  const hour = 3600_000;
  const upcoming = createGathering(db, trainer, cycleRow, {
    ...base,
    title: 'Atelier sous charge',
    capacity: 120,
    startsAt: new Date(Date.now() + 48 * hour),
    endsAt: new Date(Date.now() + 50 * hour),
  });
  const rollCall = createGathering(db, trainer, cycleRow, {
    ...base,
    title: 'Séance en cours',
    capacity: 250,
    startsAt: new Date(Date.now() - hour),
    endsAt: new Date(Date.now() + hour),
  });
  // Signed up before it began (signing up closes at the start).
  const seat = client.prepare(
    "INSERT INTO gathering_signups (gathering_id, user_id, status, created_at, confirmed_at) VALUES (?, ?, 'confirmed', ?, ?)",
  );
  for (const m of members) seat.run(rollCall, m.id, Date.now() - 2 * hour, Date.now() - 2 * hour);
  const trainerCookie = `passerelle_session=${createSession(db, trainerId).token}`;
  const lessons = (
    client.prepare('SELECT id FROM lessons WHERE archived_at IS NULL').all() as { id: string }[]
  ).map((l) => l.id);
  db.$client.close();

  const app = start(['src/server.ts'], {
    PORT: '0',
    DATABASE_PATH: path,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
  });
  const baseUrl = `http://127.0.0.1:${await app.port}`;
  // Each person's form token (and its cookie), from one page.
  const withCsrf = async (cookie: string) => {
    const page = await call(baseUrl, 'GET', '/learn', cookie);
    const csrfCookie = page.setCookie
      .map((c) => c.split(';')[0] ?? '')
      .find((c) => c.startsWith('passerelle_csrf='));
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text())?.[1] ?? '';
    return { cookie: csrfCookie ? `${cookie}; ${csrfCookie}` : cookie, token };
  };
  const people = await Promise.all(members.map(async (m) => ({ ...m, ...(await withCsrf(m.cookie)) })));
  const coach = await withCsrf(trainerCookie);

  const times = new Map<string, number[]>();
  let errors = 0;
  const acknowledged = {
    completions: new Set<string>(),
    signups: new Map<number, boolean>(),
    marks: new Map<number, string>(),
  };
  const note = (kind: string, r: { status: number; ms: number }) => {
    const list = times.get(kind) ?? [];
    list.push(r.ms);
    times.set(kind, list);
    const ok = r.status >= 200 && r.status < 400;
    if (!ok) errors += 1;
    return ok;
  };
  const until = performance.now() + seconds * 1000;
  let seed = 2026;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const member = async (p: (typeof people)[number]) => {
    let signedUp = false;
    while (performance.now() < until) {
      const dice = random();
      const lesson = lessons[Math.floor(random() * lessons.length)]!;
      if (dice < 0.6)
        note('lire une leçon', await call(baseUrl, 'GET', `/learn/lessons/${lesson}`, p.cookie));
      else if (dice < 0.85) {
        const r = await call(baseUrl, 'POST', `/learn/lessons/${lesson}/complete`, p.cookie, {
          form: { _csrf: p.token },
        });
        if (note('terminer une leçon', r)) acknowledged.completions.add(`${p.id}:${lesson}`);
      } else {
        const r = await call(
          baseUrl,
          'POST',
          `/gatherings/${upcoming}/signup${signedUp ? '/cancel' : ''}`,
          p.cookie,
          { form: { _csrf: p.token } },
        );
        if (note('s’inscrire / se désinscrire', r)) {
          signedUp = !signedUp;
          acknowledged.signups.set(p.id, signedUp);
        }
      }
    }
  };
  const rollCaller = async () => {
    const statuses = ['present', 'absent', 'excused'];
    while (performance.now() < until) {
      const m = people[Math.floor(random() * people.length)]!;
      const status = statuses[Math.floor(random() * 3)]!;
      const r = await call(baseUrl, 'POST', `/gatherings/${rollCall}/attendance/u${m.id}`, coach.cookie, {
        form: { _csrf: coach.token, status },
      });
      if (note('émargement (formateur)', r)) acknowledged.marks.set(m.id, status);
    }
  };
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(app.child.pid!));
  }, 500);
  await Promise.all([...people.map(member), rollCaller()]);
  clearInterval(sampler);
  app.child.kill('SIGTERM');
  await new Promise((resolve) => app.child.once('exit', resolve));

  const check = openDatabase(path);
  const c = check.$client;
  let missing = 0;
  for (const key of acknowledged.completions) {
    const [user, lesson] = key.split(':');
    const row = c
      .prepare('SELECT completed_at FROM lesson_progress WHERE user_id = ? AND lesson_id = ?')
      .get(Number(user), lesson) as { completed_at: number | null } | undefined;
    if (!row?.completed_at) missing += 1;
  }
  for (const [user, signedUp] of acknowledged.signups) {
    const live = c
      .prepare(
        "SELECT count(*) AS n FROM gathering_signups WHERE gathering_id = ? AND user_id = ? AND status <> 'cancelled'",
      )
      .get(upcoming, user) as { n: number };
    if (live.n > 0 !== signedUp) missing += 1;
  }
  for (const [user, status] of acknowledged.marks) {
    const row = c
      .prepare('SELECT status FROM attendance WHERE gathering_id = ? AND user_id = ?')
      .get(rollCall, user) as { status: string } | undefined;
    if (row?.status !== status) missing += 1;
  }
  const seats = c
    .prepare("SELECT count(*) AS n FROM gathering_signups WHERE gathering_id = ? AND status = 'confirmed'")
    .get(upcoming) as { n: number };
  const integrity = (c.prepare('PRAGMA integrity_check').get() as { integrity_check: string })
    .integrity_check;
  c.close();

  const all = [...times.values()].flat().sort((a, b) => a - b);
  const q = (list: number[], p: number) =>
    list[Math.min(list.length - 1, Math.floor(p * list.length))]!.toFixed(1);
  console.log(
    `\nMixed load (issue 8): 200 members reading, finishing lessons, signing up for a 120-seat séance and leaving it, and a trainer taking a roll call, for ${seconds} s`,
  );
  console.log(`${'request'.padEnd(34)}${'count'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
  for (const [kind, list] of times) {
    list.sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(34)}${String(list.length).padStart(8)}${q(list, 0.5).padStart(9)}${q(list, 0.99).padStart(9)}`,
    );
  }
  console.log(
    `${'all'.padEnd(34)}${String(all.length).padStart(8)}${q(all, 0.5).padStart(9)}${q(all, 0.99).padStart(9)}`,
  );
  console.log(
    `Errors: ${errors}. Writes answered and then found in the database: ${acknowledged.completions.size} lessons finished, ${acknowledged.signups.size} sign-up states, ${acknowledged.marks.size} roll-call marks — missing: ${missing}. Seats taken: ${seats.n} of 120. integrity_check: ${integrity}. App memory peak: ${peakRss} MB.`,
  );
}
