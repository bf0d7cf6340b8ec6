// `npm run data:national`'s generator at 1/100 of FORIM's size: counts in proportion, every
// foreign key and index in place, progress, quizzes, sign-ups, roll calls and certificates that
// follow the app's rules, and the same seed giving the same database.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRules, skillsProgress } from '../../src/certificates/progress.ts';
import { coursesRoot } from '../../src/content/paths.ts';
import { loadAndSync } from '../../src/content/sync.ts';
import { type Db, openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { type CertificateSnapshot, cycles } from '../../src/db/schema.ts';
import { generateNational, type NationalCounts } from '../../src/demo/generate-national.ts';
import { demoAccounts, seedDemoData } from '../../src/demo/seed-demo.ts';
import { catalog } from '../../src/learning/catalog.ts';
import { gradeQuiz } from '../../src/learning/progress.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { findUserByEmail, loadCurrentUser } from '../../src/people/users.ts';

const NOW = new Date('2026-03-15T09:00:00Z');
const NOW_MS = NOW.getTime();
const SCALE = 0.01;

/** Every table the generator writes, dumped in row order. */
const TABLES = [
  'organizations',
  'users',
  'memberships',
  'cycles',
  'cycle_members',
  'gatherings',
  'gathering_signups',
  'attendance',
  'lesson_progress',
  'quiz_attempts',
  'certificates',
];

function freshDb(): Db {
  const db = openDatabase(':memory:');
  migrateDatabase(db);
  const synced = loadAndSync(db, coursesRoot, NOW);
  if (!synced.ok) throw new Error(JSON.stringify(synced.problems));
  return db;
}

function rows<T>(db: Db, sql: string, ...params: unknown[]): T[] {
  return db.$client.prepare(sql).all(...params) as T[];
}

function one(db: Db, sql: string, ...params: unknown[]): number {
  return Object.values(db.$client.prepare(sql).get(...params) as Record<string, number>)[0]!;
}

function dumpHash(db: Db): string {
  const hash = createHash('sha256');
  for (const table of TABLES)
    hash.update(`${table}\n${JSON.stringify(rows(db, `SELECT * FROM ${table} ORDER BY rowid`))}`);
  return hash.digest('hex');
}

const snapshotKeys: Array<keyof CertificateSnapshot> = [
  'name',
  'cycleName',
  'collectiveName',
  'courses',
  'skills',
  'hours',
  'gatherings',
  'issuedOn',
  'issuer',
  'reason',
];

let db: Db;
let counts: NationalCounts;
const opened: Db[] = [];

beforeAll(() => {
  db = freshDb();
  counts = generateNational(db, { seed: 42, scale: SCALE, now: NOW });
});
afterAll(() => {
  db.$client.close();
  for (const other of opened) other.$client.close();
});

describe('generateNational', () => {
  it('writes a network in proportion to the scale, and the counts it reports', () => {
    expect(counts).toMatchObject({
      cosims: 15,
      fosims: 30,
      osims: 10,
      members: 300,
      cycles: 2,
      gatherings: 30,
    });
    expect(one(db, "SELECT count(*) FROM organizations WHERE kind = 'cosim'")).toBe(15);
    expect(one(db, "SELECT count(*) FROM organizations WHERE kind = 'fosim'")).toBe(30);
    expect(one(db, "SELECT count(*) FROM organizations WHERE kind = 'osim'")).toBe(10);
    expect(one(db, "SELECT count(*) FROM memberships WHERE role = 'member'")).toBe(300);
    expect(one(db, 'SELECT count(*) FROM users')).toBe(counts.members + counts.staff);
    expect(one(db, 'SELECT count(*) FROM memberships')).toBe(counts.memberships);
    expect(one(db, 'SELECT count(*) FROM invitations')).toBe(counts.invitations);
    // Most members accepted an invitation; the others wait, expired or were withdrawn.
    expect(one(db, 'SELECT count(*) FROM invitations WHERE accepted_user_id IS NOT NULL')).toBeGreaterThan(
      200,
    );
    expect(one(db, 'SELECT count(*) FROM invitations WHERE accepted_at IS NULL')).toBeGreaterThan(10);
    expect(one(db, 'SELECT count(*) FROM cycles')).toBe(2);
    expect(one(db, 'SELECT count(*) FROM cycle_members')).toBe(counts.cycleMembers);
    expect(one(db, 'SELECT count(*) FROM gatherings')).toBe(30);
    expect(one(db, 'SELECT count(*) FROM gathering_signups')).toBe(counts.signups);
    expect(one(db, 'SELECT count(*) FROM attendance')).toBe(counts.attendance);
    expect(one(db, 'SELECT count(*) FROM lesson_progress')).toBe(counts.lessonProgress);
    expect(one(db, 'SELECT count(*) FROM quiz_attempts')).toBe(counts.quizAttempts);
    expect(one(db, 'SELECT count(*) FROM certificates')).toBe(counts.certificates);
    expect(one(db, 'SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL')).toBe(
      counts.revokedCertificates,
    );
    // Each member somewhere on the path: on average a few lessons to most of it, as a share of
    // the path's lessons (rows per member were between 6 and 15 on the first edition's 18).
    const pathLessons = catalog(db).courses.reduce((n, c) => n + c.lessons.length, 0);
    expect(counts.lessonProgress / counts.members / pathLessons).toBeGreaterThan(6 / 18);
    expect(counts.lessonProgress / counts.members / pathLessons).toBeLessThan(15 / 18);
    expect(counts.signups).toBeGreaterThan(counts.gatherings * 5);
    expect(counts.attendance).toBeGreaterThan(0);
    expect(counts.certificates).toBeGreaterThan(0);
    expect(counts.steps.map((s) => s.step)).toContain('progression (leçons)');

    const double = freshDb();
    opened.push(double);
    const twice = generateNational(double, { seed: 42, scale: SCALE * 2, now: NOW });
    expect(twice).toMatchObject({ osims: 20, members: 600, cycles: 4, gatherings: 60 });
    expect(twice.lessonProgress / counts.lessonProgress).toBeGreaterThan(1.6);
    expect(twice.lessonProgress / counts.lessonProgress).toBeLessThan(2.4);
  });

  it('builds the network: COSIMs by region (overseas in their zone), FOSIMs by country, OSIMs under them', () => {
    const cosims = rows<{ name: string }>(db, "SELECT name FROM organizations WHERE kind = 'cosim'").map(
      (r) => r.name,
    );
    expect(new Set(cosims).size).toBe(15);
    for (const name of ['COSIM Bretagne', 'COSIM Île-de-France', 'COSIM La Réunion', 'COSIM Guadeloupe'])
      expect(cosims).toContain(name);
    expect(
      one(
        db,
        `SELECT count(*) FROM organizations o JOIN organizations p ON p.id = o.parent_id
         WHERE o.kind = 'osim' AND p.kind = 'cosim'`,
      ),
    ).toBe(10);
    expect(
      one(
        db,
        `SELECT count(*) FROM organizations o LEFT JOIN organizations f ON f.id = o.federation_id
         WHERE o.kind = 'osim' AND o.federation_id IS NOT NULL AND f.kind IS NOT 'fosim'`,
      ),
    ).toBe(0);
    expect(
      new Set(rows<{ name: string }>(db, 'SELECT name FROM organizations').map((r) => r.name)).size,
    ).toBe(one(db, 'SELECT count(*) FROM organizations'));
    // A séance is held in its collective's time zone; members read times in theirs.
    const zoneOf: Record<string, string> = {
      'COSIM La Réunion': 'Indian/Reunion',
      'COSIM Guadeloupe': 'America/Guadeloupe',
    };
    for (const g of rows<{ zone: string; collective: string }>(
      db,
      `SELECT g.time_zone AS zone, o.name AS collective FROM gatherings g
       JOIN cycles c ON c.id = g.cycle_id JOIN organizations o ON o.id = c.collective_id`,
    ))
      expect(g.zone).toBe(zoneOf[g.collective] ?? 'Europe/Paris');
    for (const u of rows<{ zone: string; collective: string }>(
      db,
      `SELECT u.time_zone AS zone, p.name AS collective FROM users u
       JOIN memberships m ON m.user_id = u.id AND m.role = 'member'
       JOIN organizations o ON o.id = m.organization_id JOIN organizations p ON p.id = o.parent_id`,
    ))
      expect(u.zone).toBe(zoneOf[u.collective] ?? 'Europe/Paris');
    // Cycles between 18 months ago and 6 months ahead, each with its collective's trainers.
    for (const c of rows<{ startsOn: string; endsOn: string }>(
      db,
      'SELECT starts_on AS startsOn, ends_on AS endsOn FROM cycles',
    )) {
      expect(c.startsOn >= '2024-09-01').toBe(true);
      expect(c.endsOn <= '2026-09-20').toBe(true);
      expect(c.startsOn < c.endsOn).toBe(true);
    }
    expect(
      one(
        db,
        `SELECT count(*) FROM gatherings g JOIN cycles c ON c.id = g.cycle_id
         WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = g.facilitator_id
           AND m.organization_id = c.collective_id AND m.role IN ('trainer', 'coordinator'))`,
      ),
    ).toBe(0);
    // Séances: capacity 10 to 30, an online one has a link, an in-person one a place.
    expect(one(db, 'SELECT count(*) FROM gatherings WHERE capacity < 10 OR capacity > 30')).toBe(0);
    expect(one(db, "SELECT count(*) FROM gatherings WHERE mode <> 'in_person' AND video_url = ''")).toBe(0);
    expect(one(db, "SELECT count(*) FROM gatherings WHERE mode <> 'online' AND place_name = ''")).toBe(0);
    expect(one(db, 'SELECT count(*) FROM gatherings WHERE ends_at <= starts_at')).toBe(0);
    expect(one(db, 'SELECT count(DISTINCT uid) FROM gatherings')).toBe(30);
  });

  it('keeps every foreign key, every index and the directory search', () => {
    expect(rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(rows(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const schemaOf = (d: Db) =>
      rows<{ name: string; sql: string }>(
        d,
        "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
      );
    const reference = freshDb();
    opened.push(reference);
    expect(schemaOf(db)).toEqual(schemaOf(reference));
    // The full-text index of the directory knows every generated person.
    const someone = rows<{ id: number; searchText: string }>(
      db,
      "SELECT u.id, u.search_text AS searchText FROM users u JOIN memberships m ON m.user_id = u.id AND m.role = 'member' ORDER BY u.id DESC LIMIT 1",
    )[0]!;
    const found = rows<{ rowid: number }>(
      db,
      'SELECT rowid FROM users_search WHERE users_search MATCH ?',
      `"${someone.searchText.split('@')[0]}"`,
    ).map((r) => r.rowid);
    expect(found).toContain(someone.id);
  });

  it('records lesson progress on active lessons, between enrolment and now', () => {
    expect(
      one(
        db,
        `SELECT count(*) FROM lesson_progress lp LEFT JOIN lessons l ON l.id = lp.lesson_id
         WHERE l.id IS NULL OR l.archived_at IS NOT NULL`,
      ),
    ).toBe(0);
    expect(
      one(
        db,
        `SELECT count(*) FROM lesson_progress WHERE first_opened_at > last_opened_at OR last_opened_at > ?
           OR (completed_at IS NOT NULL AND (completed_at < first_opened_at OR completed_at > last_opened_at))`,
        NOW_MS,
      ),
    ).toBe(0);
    expect(
      one(
        db,
        `SELECT count(*) FROM lesson_progress lp JOIN users u ON u.id = lp.user_id
         LEFT JOIN cycle_members cm ON cm.user_id = lp.user_id
         WHERE lp.first_opened_at < coalesce(cm.enrolled_at, u.created_at)
            OR (cm.withdrawn_at IS NOT NULL AND lp.first_opened_at > cm.withdrawn_at)`,
      ),
    ).toBe(0);
  });

  it('puts every member at a realistic point of the path: lessons done in order, give or take one', () => {
    const content = catalog(db);
    const order = content.courses.flatMap((c) => c.lessons.map((l) => l.id));
    const done = new Map<number, Set<string>>();
    for (const r of rows<{ userId: number; lessonId: string }>(
      db,
      'SELECT user_id AS userId, lesson_id AS lessonId FROM lesson_progress WHERE completed_at IS NOT NULL',
    )) {
      if (!done.has(r.userId)) done.set(r.userId, new Set());
      done.get(r.userId)!.add(r.lessonId);
    }
    const passed = new Set(
      rows<{ key: string }>(
        db,
        "SELECT DISTINCT user_id || ':' || quiz_id AS key FROM quiz_attempts WHERE passed",
      ).map((r) => r.key),
    );
    const members = rows<{ id: number }>(db, "SELECT user_id AS id FROM memberships WHERE role = 'member'");
    let prefixes = 0;
    let finished = 0;
    let never = 0;
    for (const { id } of members) {
      const mine = done.get(id) ?? new Set<string>();
      const last = order.reduce((at, lesson, i) => (mine.has(lesson) ? i : at), -1);
      const holes = order.slice(0, last + 1).filter((l) => !mine.has(l)).length;
      expect(holes).toBeLessThanOrEqual(1);
      if (holes === 0) prefixes++;
      if (mine.size === 0) never++;
      if (
        mine.size === order.length &&
        content.courses.every((c) => !c.quiz || passed.has(`${id}:${c.quiz.id}`))
      )
        finished++;
    }
    expect(prefixes / members.length).toBeGreaterThan(0.9);
    expect(finished).toBe(counts.finishedPath);
    expect(finished / members.length).toBeGreaterThan(0.1);
    expect(finished / members.length).toBeLessThan(0.35);
    expect(never / members.length).toBeGreaterThan(0.03);
    expect(never / members.length).toBeLessThan(0.35);
  });

  it('grades each quiz attempt from its answers: score, passed flag and pass mark agree', () => {
    const content = catalog(db);
    const attempts = rows<{
      id: number;
      userId: number;
      quizId: string;
      answers: string;
      score: number;
      passed: number;
      at: number;
    }>(
      db,
      'SELECT id, user_id AS userId, quiz_id AS quizId, answers, score, passed, created_at AS at FROM quiz_attempts ORDER BY id',
    );
    expect(attempts.length).toBeGreaterThan(0);
    const perQuiz = new Map<string, typeof attempts>();
    for (const a of attempts) {
      const quiz = content.quizzesById.get(a.quizId)!;
      expect(gradeQuiz(quiz.questions, JSON.parse(a.answers)).score).toBe(a.score);
      expect(Boolean(a.passed)).toBe(a.score >= quiz.passMark);
      expect(a.at).toBeLessThanOrEqual(NOW_MS);
      const key = `${a.userId}:${a.quizId}`;
      perQuiz.set(key, [...(perQuiz.get(key) ?? []), a]);
    }
    for (const [key, list] of perQuiz) {
      expect(list.length).toBeLessThanOrEqual(3);
      // Retaken until passed, then no more; ids follow time.
      expect(list.filter((a) => a.passed).length).toBeLessThanOrEqual(1);
      if (list.some((a) => a.passed)) expect(list.at(-1)!.passed).toBe(1);
      expect(list.map((a) => a.at)).toEqual([...list.map((a) => a.at)].sort((x, y) => x - y));
      // Only a quiz the person has reached: they opened lessons of its course first.
      const [userId, quizId] = key.split(':');
      const courseId = content.quizzesById.get(quizId!)!.courseId;
      const firstOpened = one(
        db,
        'SELECT min(first_opened_at) FROM lesson_progress lp JOIN lessons l ON l.id = lp.lesson_id WHERE lp.user_id = ? AND l.course_id = ?',
        Number(userId),
        courseId,
      );
      expect(firstOpened).not.toBeNull();
      expect(list[0]!.at).toBeGreaterThanOrEqual(firstOpened);
    }
  });

  it('gives seats in arrival order up to the capacity, then a waiting list', () => {
    const gatherings = rows<{
      id: number;
      capacity: number;
      cancelledAt: number | null;
      confirmed: number;
      waiting: number;
    }>(
      db,
      `SELECT g.id, g.capacity, g.cancelled_at AS cancelledAt,
         (SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = g.id AND s.status = 'confirmed') AS confirmed,
         (SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = g.id AND s.status = 'waiting') AS waiting
       FROM gatherings g`,
    );
    for (const g of gatherings) {
      expect(g.confirmed).toBeLessThanOrEqual(g.capacity);
      if (g.waiting > 0 && g.cancelledAt === null) expect(g.confirmed).toBe(g.capacity);
    }
    expect(gatherings.some((g) => g.waiting > 0)).toBe(true);
    // Sign-ups of people enrolled in the cycle, while enrolled, before the séance, and in id order.
    expect(
      one(
        db,
        `SELECT count(*) FROM gathering_signups s JOIN gatherings g ON g.id = s.gathering_id
         LEFT JOIN cycle_members cm ON cm.cycle_id = g.cycle_id AND cm.user_id = s.user_id
         WHERE cm.user_id IS NULL OR s.created_at < cm.enrolled_at OR s.created_at >= g.starts_at
           OR s.created_at > ? OR (cm.withdrawn_at IS NOT NULL AND s.created_at >= cm.withdrawn_at)
           OR (s.status = 'confirmed' AND (s.confirmed_at IS NULL OR s.confirmed_at < s.created_at))
           OR (s.status = 'cancelled' AND (s.cancelled_at IS NULL OR s.cancelled_at < s.created_at))`,
        NOW_MS,
      ),
    ).toBe(0);
    expect(
      one(
        db,
        `SELECT count(*) FROM gathering_signups a JOIN gathering_signups b ON b.gathering_id = a.gathering_id
         AND b.id > a.id AND b.created_at < a.created_at`,
      ),
    ).toBe(0);
    // Whoever left the cycle before a séance has had their seat given back.
    expect(
      one(
        db,
        `SELECT count(*) FROM gathering_signups s JOIN gatherings g ON g.id = s.gathering_id
         JOIN cycle_members cm ON cm.cycle_id = g.cycle_id AND cm.user_id = s.user_id
         WHERE cm.withdrawn_at < g.starts_at AND s.status <> 'cancelled'`,
      ),
    ).toBe(0);
  });

  it('takes the roll call only at séances held, of people signed up or walking in', () => {
    expect(
      one(
        db,
        `SELECT count(*) FROM attendance a JOIN gatherings g ON g.id = a.gathering_id
         WHERE g.starts_at >= ? OR g.cancelled_at IS NOT NULL OR a.marked_at > ? OR a.marked_at < g.starts_at`,
        NOW_MS,
        NOW_MS,
      ),
    ).toBe(0);
    expect(
      one(
        db,
        `SELECT count(*) FROM attendance a WHERE a.walk_in = 0 AND NOT EXISTS (
           SELECT 1 FROM gathering_signups s WHERE s.gathering_id = a.gathering_id AND s.user_id = a.user_id
           AND s.status = 'confirmed')`,
      ),
    ).toBe(0);
    expect(
      one(
        db,
        "SELECT count(*) FROM attendance WHERE user_id IS NULL AND (walk_in = 0 OR coalesce(guest_name, '') = '')",
      ),
    ).toBe(0);
    expect(
      one(
        db,
        `SELECT count(*) FROM attendance a JOIN gatherings g ON g.id = a.gathering_id
         WHERE a.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cycle_members cm
           WHERE cm.cycle_id = g.cycle_id AND cm.user_id = a.user_id)`,
      ),
    ).toBe(0);
    // A closed sheet has everyone seated on it (unmarked ones counted absent on closing).
    expect(
      one(
        db,
        `SELECT count(*) FROM gathering_signups s JOIN gatherings g ON g.id = s.gathering_id
         WHERE g.attendance_closed_at IS NOT NULL AND s.status = 'confirmed'
           AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.gathering_id = g.id AND a.user_id = s.user_id)`,
      ),
    ).toBe(0);
    const present = one(db, "SELECT avg(status = 'present') FROM attendance WHERE walk_in = 0");
    expect(present).toBeGreaterThan(0.7);
    expect(present).toBeLessThan(0.9);
  });

  it('issues certificates to those who meet their cycle’s rules, and to all of them', () => {
    const certificates = rows<{
      id: number;
      code: string;
      cycleId: number;
      userId: number;
      snapshot: string;
      issuedAt: number;
      revokedAt: number | null;
      revokedBy: number | null;
      revokedReason: string | null;
      name: string;
    }>(
      db,
      `SELECT c.id, c.code, c.cycle_id AS cycleId, c.user_id AS userId, c.snapshot, c.issued_at AS issuedAt,
         c.revoked_at AS revokedAt, c.revoked_by AS revokedBy, c.revoked_reason AS revokedReason, u.display_name AS name
       FROM certificates c JOIN users u ON u.id = c.user_id ORDER BY c.id`,
    );
    expect(certificates.length).toBeGreaterThan(0);
    const cycleOf = (id: number) => db.select().from(cycles).where(eq(cycles.id, id)).get()!;
    for (const c of certificates) {
      const cycle = cycleOf(c.cycleId);
      const rules = evaluateRules(db, cycle, c.userId);
      expect(rules.met, `${c.name}: ${rules.remaining.join(', ')}`).toBe(true);
      expect(c.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(c.issuedAt).toBeLessThanOrEqual(NOW_MS);
      const snapshot = JSON.parse(c.snapshot) as CertificateSnapshot;
      expect(Object.keys(snapshot)).toEqual(snapshotKeys);
      expect(snapshot.name).toBe(c.name);
      expect(snapshot.cycleName).toBe(cycle.name);
      expect(snapshot.courses.map((x) => x.id)).toEqual(cycle.certificateRules.courseIds);
      expect(snapshot.gatherings.length).toBeGreaterThanOrEqual(cycle.certificateRules.minGatherings);
      expect(snapshot.gatherings.length).toBeLessThanOrEqual(rules.attended.length);
      expect(snapshot.hours).toBeGreaterThan(0);
      const acquired = skillsProgress(db, c.userId)
        .filter((s) => s.state === 'acquired')
        .map((s) => s.code);
      for (const skill of snapshot.skills) expect(acquired).toContain(skill.code);
      if (c.revokedAt !== null) {
        expect(c.revokedAt).toBeGreaterThan(c.issuedAt);
        expect(c.revokedBy).not.toBeNull();
        expect(c.revokedReason).toBeTruthy();
      }
    }
    // Everyone enrolled in a running (not archived) cycle who meets its rules has theirs.
    const holders = new Set(certificates.map((c) => `${c.cycleId}:${c.userId}`));
    const enrolled = rows<{ cycleId: number; userId: number }>(
      db,
      `SELECT cm.cycle_id AS cycleId, cm.user_id AS userId FROM cycle_members cm JOIN cycles c ON c.id = cm.cycle_id
       WHERE cm.withdrawn_at IS NULL AND c.archived_at IS NULL`,
    );
    let met = 0;
    for (const e of enrolled) {
      if (!evaluateRules(db, cycleOf(e.cycleId), e.userId).met) continue;
      met++;
      expect(holders.has(`${e.cycleId}:${e.userId}`)).toBe(true);
    }
    expect(met).toBeGreaterThan(0);
  });

  it('gives the same database for the same seed, another one for another seed', () => {
    const same = freshDb();
    const other = freshDb();
    opened.push(same, other);
    generateNational(same, { seed: 42, scale: SCALE, now: NOW });
    generateNational(other, { seed: 43, scale: SCALE, now: NOW });
    expect(dumpHash(same)).toBe(dumpHash(db));
    expect(dumpHash(other)).not.toBe(dumpHash(db));
  });

  it('adds the network around the demo data, reusing its COSIMs', async () => {
    const demo = openDatabase(':memory:');
    opened.push(demo);
    migrateDatabase(demo);
    loadAndSync(demo, coursesRoot);
    const mailer = createMailer(demo, { smtpUrl: '', from: 'test@passerelle.test' });
    await seedDemoData(demo, mailer, 'http://passerelle.test');
    mailer.close();
    const before = one(demo, "SELECT count(*) FROM organizations WHERE kind = 'osim'");
    const result = generateNational(demo, { seed: 1, scale: SCALE, passwordHash: 'x' });
    expect(result.cosims).toBe(15);
    expect(one(demo, "SELECT count(*) FROM organizations WHERE kind = 'cosim'")).toBe(15);
    expect(one(demo, "SELECT count(*) FROM organizations WHERE kind = 'forim'")).toBe(1);
    expect(one(demo, "SELECT count(*) FROM organizations WHERE kind = 'osim'")).toBe(before + result.osims);
    expect(rows(demo, 'PRAGMA foreign_key_check')).toEqual([]);
    for (const account of demoAccounts) {
      const user = loadCurrentUser(demo, findUserByEmail(demo, account.email)!.id)!;
      expect(user.primaryRole).toBe(account.role);
    }
    // A certificate issued by the app (Awa's, in the demo) has the shape of the generated ones.
    const snapshots = rows<{ snapshot: string; how: string }>(
      demo,
      'SELECT snapshot, issued_how AS how FROM certificates ORDER BY id',
    ).map((r) => Object.keys(JSON.parse(r.snapshot)));
    expect(snapshots.length).toBeGreaterThan(1);
    for (const keys of snapshots) expect(keys).toEqual(snapshotKeys);
  });

  it('refuses a bad scale and a database without the path', () => {
    expect(() => generateNational(db, { seed: 1, scale: 0 })).toThrow(RangeError);
    const empty = openDatabase(':memory:');
    opened.push(empty);
    migrateDatabase(empty);
    expect(() => generateNational(empty, { seed: 1, scale: SCALE })).toThrow(/courses/);
  });
});

describe('npm run data:national', () => {
  it('creates the database with the demo accounts, and refuses to overwrite it without --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-national-'));
    const path = join(dir, 'national.db');
    // Vitest sets BASE_URL to "/" (Vite's convention), which the app's configuration refuses.
    const { BASE_URL: _, ...env } = process.env;
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/data-national.ts', '--db', path, '--scale', '0.005', ...args],
        { encoding: 'utf8', env: { ...env, DATABASE_PATH: join(dir, 'unused.db') } },
      );
    try {
      const first = run('--seed', '3');
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain('admin@forim.test');
      expect(first.stdout).toMatch(/membres\s+150/);
      expect(statSync(path).size).toBeGreaterThan(0);
      const again = run();
      expect(again.status).toBe(2);
      expect(again.stderr).toContain('--force');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
