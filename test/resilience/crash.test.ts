// Crash safety (issue 8): the real server, started as `npm start` starts it, on a SQLite file,
// takes a stream of writes over HTTP from many people at once — members marking lessons done and
// signing up for the séances to come, the trainer taking the roll call of yesterday's séance — and
// is killed with SIGKILL in the middle of it. Restarted on the same file, it starts (migrations,
// WAL recovery) and keeps serving, every write it had answered with its 303 is in the file, and
// the file passes SQLite's integrity and foreign-key checks. Requests in flight at the kill may or
// may not have landed: they prove nothing either way and are only counted.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { and, asc, eq, gt, isNotNull, isNull, ne } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { coursesRoot } from '../../src/content/paths.ts';
import { loadAndSync } from '../../src/content/sync.ts';
import { enrol } from '../../src/cycles/cycles.ts';
import { type Db, openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import {
  type AttendanceStatus,
  cycles,
  gatheringSignups,
  gatherings,
  lessonProgress,
  lessons,
  organizations,
} from '../../src/db/schema.ts';
import { DEMO_PASSWORD, seedDemoData } from '../../src/demo/seed-demo.ts';
import { createGathering } from '../../src/gatherings/gatherings.ts';
import { signUp } from '../../src/gatherings/signups.ts';
import { getPath } from '../../src/learning/progress.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { findUserByEmail, loadCurrentUser } from '../../src/people/users.ts';
import { createUser, TEST_PASSWORD } from '../helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** Members added to the demo's COSIM Bretagne, so that there are enough people writing at once. */
const EXTRA_MEMBERS = 16;
/** The trainer takes the roll call in this many tabs at once, each with its own people. */
const TRAINER_TABS = 2;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** The node flags of `npm start` (package.json). */
const SERVER_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=160'];
const ATTENDANCE_STATUSES: AttendanceStatus[] = ['present', 'absent', 'excused'];

type Write =
  | { kind: 'lesson'; userId: number; lessonId: string }
  | { kind: 'signup'; userId: number; gatheringId: number }
  | { kind: 'attendance'; userId: number; gatheringId: number; status: AttendanceStatus };

interface Attempt {
  write: Write;
  /** acked: answered 303 to the expected page; refused: any other answer; failed: no answer. */
  state: 'pending' | 'acked' | 'refused' | 'failed';
  status?: number;
  endedAt?: number;
}

/** What the writes go through: the form's path and fields, and where its 303 must lead. */
function formOf(write: Write): { path: string; form: Record<string, string>; location: string } {
  switch (write.kind) {
    case 'lesson':
      return {
        path: `/learn/lessons/${write.lessonId}/complete`,
        form: {},
        location: `/learn/lessons/${write.lessonId}#progression`,
      };
    case 'signup':
      return {
        path: `/gatherings/${write.gatheringId}/signup`,
        form: {},
        location: `/gatherings/${write.gatheringId}#inscription`,
      };
    case 'attendance':
      return {
        path: `/gatherings/${write.gatheringId}/attendance/u${write.userId}`,
        form: { status: write.status },
        location: `/gatherings/${write.gatheringId}/attendance#p-u${write.userId}`,
      };
  }
}

/** A browser stand-in over real HTTP: keeps its cookies, sends the app's Origin and the CSRF token. */
class Browser {
  private readonly jar = new Map<string, string>();
  private csrf = '';

  constructor(public base: string) {}

  private keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  private cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<{ status: number; html: string }> {
    const response = await fetch(`${this.base}${path}`, {
      redirect: 'manual',
      headers: { cookie: this.cookie() },
      signal: AbortSignal.timeout(15_000),
    });
    const html = await response.text();
    this.keep(response);
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) this.csrf = token[1]!;
    return { status: response.status, html };
  }

  async post(path: string, form: Record<string, string>): Promise<{ status: number; location: string }> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.base,
        cookie: this.cookie(),
      },
      body: new URLSearchParams({ _csrf: this.csrf, ...form }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    this.keep(response);
    return { status: response.status, location: response.headers.get('location') ?? '' };
  }

  /** Signs in through the real form, then opens the home page (which carries the CSRF token). */
  async signIn(email: string, password: string) {
    await this.get('/login');
    const answer = await this.post('/login', { email, password });
    if (answer.status !== 303) throw new Error(`sign-in failed for ${email}: ${answer.status}`);
    const home = await this.get('/');
    if (home.status !== 200) throw new Error(`home after sign-in for ${email}: ${home.status}`);
  }
}

interface Writer {
  email: string;
  password: string;
  /** The next write this person makes (they never run out). */
  next: () => Write;
}

interface World {
  writers: Writer[];
  rollCallId: number;
  /** A member who comes back after the restart: Mamadou, of the demo. */
  member: { email: string; userId: number; lastLessonId: string };
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The file the server will run on, made with the app's own functions: migrations, courses/, the
 * demo data (as `npm start` seeds it), 16 more members of COSIM Bretagne enrolled in its cycle,
 * and a séance held yesterday whose roll call the trainer has not taken yet (the demo's past
 * séance has its roll call closed). Then each person's writes: members sign up for the séances
 * of their cycle still to come and mark the lessons of the path done in order (starting over at
 * the end); the trainer marks everyone signed up to yesterday's séance, tab by tab, again and again.
 */
async function prepareDatabase(path: string): Promise<World> {
  const db: Db = openDatabase(path);
  try {
    migrateDatabase(db);
    const synced = loadAndSync(db, coursesRoot);
    if (!synced.ok) throw new Error(`courses/ does not load: ${JSON.stringify(synced.problems)}`);
    const mailer = createMailer(db, { smtpUrl: '', from: 'Passerelle FORIM <passerelle@forim.test>' });
    await seedDemoData(db, mailer);
    mailer.close();

    const orgId = (name: string) =>
      db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, name)).get()!.id;
    const cycleOf = (collective: string) =>
      db
        .select()
        .from(cycles)
        .where(eq(cycles.collectiveId, orgId(collective)))
        .get()!;
    const bretagne = cycleOf('COSIM Bretagne');
    const om = cycleOf('COSIM Occitanie Méditerranée');
    const trainer = findUserByEmail(db, 'formation@cosim-bretagne.test')!;
    const osims = ['Solidarité Blosne', 'Villejean Ensemble', 'Cleunay Passerelles'].map(orgId);

    const extra: Array<{ id: number; email: string }> = [];
    for (let i = 1; i <= EXTRA_MEMBERS; i += 1) {
      const user = await createUser(db, {
        email: `benevole${i}@cosim-bretagne.test`,
        displayName: `Bénévole ${i}`,
        role: 'member',
        organizationId: osims[i % osims.length]!,
      });
      enrol(db, bretagne, user.id, trainer.id, new Date(Date.now() - 20 * DAY));
      extra.push({ id: user.id, email: user.email });
    }

    const startsAt = new Date(Date.now() - DAY - 2 * HOUR);
    const rollCallId = createGathering(db, loadCurrentUser(db, trainer.id)!, bretagne, {
      title: 'Atelier : rédiger la fiche projet',
      courseId: 'monter-un-projet',
      theme: '',
      facilitatorId: trainer.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      timeZone: 'Europe/Paris',
      mode: 'in_person',
      placeName: 'Maison de quartier de Villejean',
      address: '',
      town: 'Rennes',
      placeInQpv: true,
      videoUrl: '',
      capacity: 40,
      agenda: '',
    });
    const rollCall = db.select().from(gatherings).where(eq(gatherings.id, rollCallId)).get()!;
    const demoLearners = [
      'membre@cosim-bretagne.test',
      'awa.diop@cosim-bretagne.test',
      'jean-baptiste.kouame@cosim-bretagne.test',
    ];
    const attendees = [...demoLearners.map((e) => findUserByEmail(db, e)!.id), ...extra.map((u) => u.id)];
    for (const id of attendees) signUp(db, rollCall, id, new Date(startsAt.getTime() - 3 * DAY));

    const path = getPath(db)!;
    const pathLessons = db
      .select({ id: lessons.id, courseId: lessons.courseId })
      .from(lessons)
      .where(isNull(lessons.archivedAt))
      .orderBy(asc(lessons.position))
      .all()
      .filter((l) => path.courseIds.includes(l.courseId))
      .sort((a, b) => path.courseIds.indexOf(a.courseId) - path.courseIds.indexOf(b.courseId))
      .map((l) => l.id);
    const upcoming = (cycleId: number) =>
      db
        .select({ id: gatherings.id })
        .from(gatherings)
        .where(and(eq(gatherings.cycleId, cycleId), gt(gatherings.startsAt, new Date())))
        .all()
        .map((g) => g.id);

    /** A member's writes: sign-ups among their first lessons, then the rest of the path, round and round. */
    const memberWriter = (email: string, password: string, cycleId: number): Writer => {
      const userId = findUserByEmail(db, email)!.id;
      const done = new Set(
        db
          .select({ lessonId: lessonProgress.lessonId })
          .from(lessonProgress)
          .where(and(eq(lessonProgress.userId, userId), isNotNull(lessonProgress.completedAt)))
          .all()
          .map((r) => r.lessonId),
      );
      const signedUp = new Set(
        db
          .select({ id: gatheringSignups.gatheringId })
          .from(gatheringSignups)
          .where(and(eq(gatheringSignups.userId, userId), ne(gatheringSignups.status, 'cancelled')))
          .all()
          .map((r) => r.id),
      );
      const lessonWrite = (lessonId: string): Write => ({ kind: 'lesson', userId, lessonId });
      const todo = pathLessons.filter((id) => !done.has(id)).map(lessonWrite);
      const signups = upcoming(cycleId)
        .filter((id) => !signedUp.has(id))
        .map((gatheringId): Write => ({ kind: 'signup', userId, gatheringId }));
      const once = [...shuffle([...signups, ...todo.splice(0, 3)]), ...todo];
      const rounds = pathLessons.map(lessonWrite);
      let i = 0;
      return {
        email,
        password,
        next: () => {
          const write = i < once.length ? once[i]! : rounds[(i - once.length) % rounds.length]!;
          i += 1;
          return write;
        },
      };
    };

    const tabWriter = (tab: number): Writer => {
      const mine = attendees.filter((_, i) => i % TRAINER_TABS === tab);
      let i = 0;
      return {
        email: 'formation@cosim-bretagne.test',
        password: DEMO_PASSWORD,
        next: () => {
          const userId = mine[i++ % mine.length]!;
          const status = ATTENDANCE_STATUSES[Math.floor(Math.random() * ATTENDANCE_STATUSES.length)]!;
          return { kind: 'attendance', userId, gatheringId: rollCallId, status };
        },
      };
    };

    return {
      writers: [
        memberWriter('membre@cosim-bretagne.test', DEMO_PASSWORD, bretagne.id),
        memberWriter('membre@cosim-om.test', DEMO_PASSWORD, om.id),
        ...extra.map((u) => memberWriter(u.email, TEST_PASSWORD, bretagne.id)),
        ...Array.from({ length: TRAINER_TABS }, (_, tab) => tabWriter(tab)),
      ],
      rollCallId,
      member: {
        email: 'membre@cosim-bretagne.test',
        userId: findUserByEmail(db, 'membre@cosim-bretagne.test')!.id,
        lastLessonId: pathLessons.at(-1)!,
      },
    };
  } finally {
    db.$client.close();
  }
}

/** The child's environment: only what a shell would give (vitest adds BASE_URL, MODE… of its own). */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

const children = new Set<ChildProcessWithoutNullStreams>();
let dir = '';

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Server {
  child: ChildProcessWithoutNullStreams;
  base: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start`'s server on the file, port chosen by the system, read from what it prints. */
async function startServer(databasePath: string): Promise<Server> {
  const child = spawn(process.execPath, [...SERVER_FLAGS, '--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: env({ PORT: '0', DATABASE_PATH: databasePath, DEMO_DATA: 'true', LOG_LEVEL: 'warn' }),
  });
  children.add(child);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${out}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /écoute sur http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
  return { child, base: `http://127.0.0.1:${port}`, exited };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a crash in the middle of writes', () => {
  it('keeps every acknowledged write and an intact file after kill -9 and a restart', async () => {
    const testStarted = performance.now();
    dir = mkdtempSync(join(tmpdir(), 'passerelle-crash-'));
    const databasePath = join(dir, 'passerelle.db');
    const world = await prepareDatabase(databasePath);

    const first = await startServer(databasePath);
    const browsers = await Promise.all(
      world.writers.map(async (w) => {
        const browser = new Browser(first.base);
        await browser.signIn(w.email, w.password);
        return browser;
      }),
    );

    // The stream of writes: every person writes as fast as the server answers, one request at a
    // time each, all of them at once; a request without an answer ends that person's stream.
    const attempts: Attempt[] = [];
    let stopped = false;
    let inFlight = 0;
    const run = async (writer: Writer, browser: Browser) => {
      while (!stopped) {
        const write = writer.next();
        const { path, form, location } = formOf(write);
        const attempt: Attempt = { write, state: 'pending' };
        attempts.push(attempt);
        inFlight += 1;
        try {
          const answer = await browser.post(path, form);
          attempt.status = answer.status;
          attempt.state = answer.status === 303 && answer.location === location ? 'acked' : 'refused';
        } catch {
          attempt.state = 'failed';
          return;
        } finally {
          attempt.endedAt = performance.now();
          inFlight -= 1;
        }
      }
    };
    const acked = (kind: Write['kind']) => attempts.some((a) => a.state === 'acked' && a.write.kind === kind);
    const stormStarted = performance.now();
    const running = world.writers.map((w, i) => run(w, browsers[i]!));

    // A random moment 300–800 ms into the stream (once each kind of write has been answered at
    // least once, so that the check has something of each to look for): kill -9.
    let inFlightAtKill = 0;
    let killedAt = 0;
    try {
      await sleep(300 + Math.random() * 500);
      while (!(acked('lesson') && acked('signup') && acked('attendance'))) {
        if (performance.now() - stormStarted > 20_000) throw new Error('no write of some kind was answered');
        await sleep(10);
      }
    } finally {
      stopped = true;
      inFlightAtKill = inFlight;
      killedAt = performance.now();
      first.child.kill('SIGKILL');
    }
    expect((await first.exited).signal).toBe('SIGKILL');
    await Promise.all(running);
    const stormMs = killedAt - stormStarted;
    const wal = `${databasePath}-wal`;
    const walBytes = existsSync(wal) ? statSync(wal).size : 0;

    // Before the kill every write was answered 303 to its page. Of the requests in flight at the
    // kill, none was answered, but for answers already sent and read just after (when this process
    // lags behind the server, all of them may be: the server then died with nothing to answer).
    expect(attempts.filter((a) => a.state === 'refused').map((a) => [a.write, a.status])).toEqual([]);
    expect(attempts.filter((a) => a.state === 'failed' && a.endedAt! < killedAt)).toEqual([]);
    const failed = attempts.filter((a) => a.state === 'failed');
    const readAfterKill = attempts.filter((a) => a.state === 'acked' && a.endedAt! >= killedAt).length;
    expect(failed.length + readAfterKill).toBe(inFlightAtKill);
    expect(inFlightAtKill).toBeGreaterThan(0);

    // Restart on the same file: it starts, and keeps serving and writing. The member's session,
    // opened before the crash, is still good.
    const restartStarted = performance.now();
    const second = await startServer(databasePath);
    const restartMs = performance.now() - restartStarted;
    expect(await (await fetch(`${second.base}/healthz`)).json()).toEqual({ status: 'ok' });
    const memberIndex = world.writers.findIndex((w) => w.email === world.member.email);
    const member = browsers[memberIndex]!;
    member.base = second.base;
    const home = await member.get('/');
    expect(home.status).toBe(200);
    const afterRestart: Write = {
      kind: 'lesson',
      userId: world.member.userId,
      lessonId: world.member.lastLessonId,
    };
    const again = await member.post(formOf(afterRestart).path, {});
    expect(again).toEqual({ status: 303, location: formOf(afterRestart).location });
    const trainer = new Browser(second.base);
    await trainer.signIn('formation@cosim-bretagne.test', DEMO_PASSWORD);
    const sheet = await trainer.get(`/gatherings/${world.rollCallId}/attendance`);
    expect(sheet.status).toBe(200);
    expect(sheet.html).toContain('Atelier : rédiger la fiche projet');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    // The file, read after the second server closed it.
    const file = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(file.pragma('foreign_key_check')).toEqual([]);
      const progress = new Map(
        (
          file.prepare('SELECT user_id, lesson_id, completed_at FROM lesson_progress').all() as Array<{
            user_id: number;
            lesson_id: string;
            completed_at: number | null;
          }>
        ).map((r) => [`${r.user_id}:${r.lesson_id}`, r.completed_at]),
      );
      const signups = new Map(
        (
          file
            .prepare(
              "SELECT gathering_id, user_id, status FROM gathering_signups WHERE status <> 'cancelled'",
            )
            .all() as Array<{ gathering_id: number; user_id: number; status: string }>
        ).map((r) => [`${r.gathering_id}:${r.user_id}`, r.status]),
      );
      const marks = new Map(
        (
          file
            .prepare('SELECT user_id, status FROM attendance WHERE gathering_id = ? AND user_id IS NOT NULL')
            .all(world.rollCallId) as Array<{ user_id: number; status: string }>
        ).map((r) => [r.user_id, r.status]),
      );

      // What the file must show for the acknowledged writes, and what it may show for a person
      // whose mark was in flight at the kill: the last answered mark, or the one in flight.
      const ackedWrites = [...attempts.filter((a) => a.state === 'acked').map((a) => a.write), afterRestart];
      const allowedMarks = new Map<number, Set<string>>();
      for (const a of attempts) {
        if (a.write.kind !== 'attendance') continue;
        if (a.state === 'acked') allowedMarks.set(a.write.userId, new Set([a.write.status]));
        else allowedMarks.get(a.write.userId)?.add(a.write.status);
      }
      const missing: Write[] = [];
      for (const write of ackedWrites) {
        if (write.kind === 'lesson' && !progress.get(`${write.userId}:${write.lessonId}`))
          missing.push(write);
        if (write.kind === 'signup' && !signups.has(`${write.gatheringId}:${write.userId}`))
          missing.push(write);
      }
      expect(missing).toEqual([]);
      const wrongMarks = [...allowedMarks]
        .filter(([userId, allowed]) => !allowed.has(marks.get(userId) ?? 'none'))
        .map(([userId, allowed]) => ({ userId, inFile: marks.get(userId) ?? null, allowed: [...allowed] }));
      expect(wrongMarks).toEqual([]);

      // Figures, to quote.
      const count = (kind: Write['kind']) => ackedWrites.filter((w) => w.kind === kind).length;
      // In-flight writes that show in the file although no answer said so (not counting those an
      // answered write explains: the same lesson, séance, or the mark of the last answer).
      const keyOf = (w: Write) =>
        w.kind === 'lesson'
          ? `l${w.userId}:${w.lessonId}`
          : w.kind === 'signup'
            ? `s${w.gatheringId}:${w.userId}`
            : `a${w.userId}`;
      const lastAcked = new Map(ackedWrites.map((w) => [keyOf(w), w]));
      const landed = failed.filter(({ write }) => {
        const twin = lastAcked.get(keyOf(write));
        if (write.kind === 'lesson')
          return !twin && progress.get(`${write.userId}:${write.lessonId}`) != null;
        if (write.kind === 'signup') return !twin && signups.has(`${write.gatheringId}:${write.userId}`);
        const shown = marks.get(write.userId) === write.status;
        return shown && !(twin?.kind === 'attendance' && twin.status === write.status);
      }).length;
      console.log(
        `crash test: ${world.writers.length} writers (${world.writers.length - TRAINER_TABS} members, ` +
          `the trainer in ${TRAINER_TABS} tabs); SIGKILL after ${Math.round(stormMs)} ms of writes, ` +
          `WAL ${(walBytes / 1024).toFixed(0)} KB at the kill\n` +
          `  acknowledged (303): ${count('lesson')} lessons done, ${count('signup')} sign-ups, ` +
          `${count('attendance')} roll-call marks (${allowedMarks.size} people marked) — all in the file\n` +
          `  in flight at the kill: ${inFlightAtKill}; ${failed.length} got no answer (${landed} of them ` +
          `show in the file anyway), ${readAfterKill} answered before it and read after it\n` +
          `  restart on the same file: listening after ${Math.round(restartMs)} ms; ` +
          `integrity_check ok, foreign_key_check empty; whole test ${((performance.now() - testStarted) / 1000).toFixed(1)} s`,
      );
    } finally {
      file.close();
    }
  }, 60_000);
});
