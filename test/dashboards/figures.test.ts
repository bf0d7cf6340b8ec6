// Every dashboard figure against a small network built by hand, where the right answer is known.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAttendance, markAttendance } from '../../src/attendance/attendance.ts';
import { issueCertificate } from '../../src/certificates/certificates.ts';
import { createCycle, enrol, getCycleFor } from '../../src/cycles/cycles.ts';
import { type DashboardFilters, dashboardFigures } from '../../src/dashboards/figures.ts';
import { refreshLearnerStats } from '../../src/dashboards/learner-stats.ts';
import { histogramMedian, median } from '../../src/dashboards/median.ts';
import { computeOsims, memberProgressPage, osimFigures } from '../../src/dashboards/members.ts';
import { refreshAll } from '../../src/dashboards/summaries.ts';
import { invitations } from '../../src/db/schema.ts';
import { cancelGathering, createGathering, getGatheringFor } from '../../src/gatherings/gatherings.ts';
import { signUp } from '../../src/gatherings/signups.ts';
import { catalog } from '../../src/learning/catalog.ts';
import { completeLesson, getQuiz, recordAttempt, sampleAnswers } from '../../src/learning/progress.ts';
import { parisDay } from '../../src/lib/time.ts';
import { loadCurrentUser } from '../../src/people/users.ts';
import { createOrganization, createTestApp, createUser, type TestContext } from '../helpers.ts';

let ctx: TestContext;
const ids: Record<string, number> = {};
type Cycle = ReturnType<typeof getCycleFor>;
const refs: { cycleB?: Cycle; cycleA?: Cycle; b2?: number; trainerB?: number; A1?: number } = {};
const all: DashboardFilters = { collectiveIds: null, region: null, qpvOnly: false };
// The learners' path percents, from the content (set in beforeAll): a1 has module 1 and its quiz,
// a2 one lesson; a3 has 0 %, b1 100 %.
const percent = { a1: 0, a2: 0 };
/** How many of these percents fall in each column of the page: 0 %, 1–24, 25–49, 50–74, 75–99, 100 %. */
function distributionOf(...percents: number[]): number[] {
  const columns = [0, 0, 0, 0, 0, 0];
  for (const p of percents) columns[p === 0 ? 0 : p === 100 ? 5 : 1 + Math.floor(p / 25)]! += 1;
  return columns;
}

beforeAll(async () => {
  ctx = await createTestApp({ content: true });
  const db = ctx.db;
  const A = createOrganization(db, { kind: 'cosim', name: 'COSIM Test Bretagne', region: 'Bretagne' });
  const B = createOrganization(db, { kind: 'cosim', name: 'COSIM Test Occitanie', region: 'Occitanie' });
  const F = createOrganization(db, { kind: 'fosim', name: 'FOSIM Test Mali' });
  const A1 = createOrganization(db, { name: 'OSIM A1', parentId: A.id, actsInQpv: true });
  const A2 = createOrganization(db, { name: 'OSIM A2', parentId: A.id, federationId: F.id });
  const B1 = createOrganization(db, { name: 'OSIM B1', parentId: B.id });
  Object.assign(ids, { A: A.id, B: B.id, F: F.id });
  const trainerA = await createUser(db, { role: 'trainer', organizationId: A.id });
  const trainerB = await createUser(db, { role: 'trainer', organizationId: B.id });
  const a1 = await createUser(db, { role: 'member', organizationId: A1.id });
  const a2 = await createUser(db, { role: 'member', organizationId: A1.id });
  const a3 = await createUser(db, { role: 'member', organizationId: A2.id });
  const b1 = await createUser(db, { role: 'member', organizationId: B1.id });
  const b2 = await createUser(db, { role: 'member', organizationId: B1.id }); // never enrolled
  for (const email of ['x@a.test', 'y@a.test']) {
    db.insert(invitations)
      .values({
        email,
        displayName: email,
        organizationId: A1.id,
        role: 'member',
        tokenHash: `hash-${email}`,
        invitedBy: trainerA.id,
        expiresAt: new Date(Date.now() + 86400_000),
      })
      .run();
  }
  const runnerA = loadCurrentUser(db, trainerA.id)!;
  const runnerB = loadCurrentUser(db, trainerB.id)!;
  const cycleA = getCycleFor(
    db,
    runnerA,
    createCycle(db, runnerA, {
      name: 'CA',
      collectiveId: A.id,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      enrolment: 'open',
    }),
  );
  const cycleB = getCycleFor(
    db,
    runnerB,
    createCycle(db, runnerB, {
      name: 'CB',
      collectiveId: B.id,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      enrolment: 'open',
    }),
  );
  for (const u of [a1, a2, a3]) enrol(db, cycleA, u.id, trainerA.id);
  enrol(db, cycleB, b1.id, trainerB.id);
  Object.assign(refs, { cycleA, cycleB, b2: b2.id, trainerB: trainerB.id, A1: A1.id });

  // a1: module 1 and its quiz; a2: one lesson and a failed quiz; a3: nothing; b1: the whole path
  // (100 %). A path's steps are its lessons and its quizzes (with the second edition, 40 lessons and
  // 3 quizzes: a1 has 11 of 43 steps, 26 %; a2 1 of 43, 2 %).
  const content = catalog(db);
  const pdv = content.courses[0]!;
  const steps = content.courses.reduce((n, c) => n + c.lessons.length + (c.quiz ? 1 : 0), 0);
  percent.a1 = Math.round(((pdv.lessons.length + 1) / steps) * 100);
  percent.a2 = Math.round((1 / steps) * 100);
  for (const l of pdv.lessons) completeLesson(db, a1.id, l.id);
  const quiz = getQuiz(db, pdv.quiz!.id).quiz;
  recordAttempt(db, a1.id, quiz.id, sampleAnswers(quiz.questions));
  completeLesson(db, a2.id, pdv.lessons[0]!.id);
  recordAttempt(db, a2.id, quiz.id, sampleAnswers(quiz.questions, 8));
  for (const course of content.courses) {
    for (const l of course.lessons) completeLesson(db, b1.id, l.id);
    const q = getQuiz(db, course.quiz!.id).quiz;
    recordAttempt(db, b1.id, q.id, sampleAnswers(q.questions));
  }

  // Cycle A: one séance held (a1 and a2 seated; a1 present, a2 absent), one cancelled, one to come.
  const base = {
    courseId: 'politique-de-la-ville',
    theme: '',
    facilitatorId: trainerA.id,
    timeZone: 'Europe/Paris',
    mode: 'in_person' as const,
    placeName: 'Salle',
    address: '',
    town: 'Rennes',
    placeInQpv: false,
    videoUrl: '',
    capacity: 10,
    agenda: '',
  };
  const day = 86400_000;
  const held = createGathering(db, runnerA, cycleA, {
    ...base,
    title: 'Tenue',
    startsAt: new Date(Date.now() - 3 * day),
    endsAt: new Date(Date.now() - 3 * day + 7200_000),
  });
  const heldG = getGatheringFor(db, runnerA, held).gathering;
  signUp(db, heldG, a1.id, new Date(Date.now() - 5 * day));
  signUp(db, heldG, a2.id, new Date(Date.now() - 5 * day));
  markAttendance(db, heldG, { userId: a1.id }, 'present', trainerA.id);
  closeAttendance(db, heldG, trainerA.id);
  const cancelled = createGathering(db, runnerA, cycleA, {
    ...base,
    title: 'Annulée',
    startsAt: new Date(Date.now() - 2 * day),
    endsAt: new Date(Date.now() - 2 * day + 7200_000),
  });
  cancelGathering(
    db,
    ctx.mailer,
    ctx.config.baseUrl,
    runnerA,
    cycleA,
    getGatheringFor(db, runnerA, cancelled).gathering,
    'Salle indisponible',
  );
  createGathering(db, runnerA, cycleA, {
    ...base,
    title: 'À venir',
    startsAt: new Date(Date.now() + 3 * day),
    endsAt: new Date(Date.now() + 3 * day + 7200_000),
  });

  issueCertificate(db, {
    cycle: cycleA,
    userId: a1.id,
    how: 'manual',
    by: runnerA,
    reason: 'Test',
    mailer: ctx.mailer,
    baseUrl: ctx.config.baseUrl,
  });
  for (const u of [a1, a2, a3, b1]) refreshLearnerStats(db, u.id);
});
afterAll(() => ctx.close());

function rows(filters: DashboardFilters) {
  return dashboardFigures(ctx.db, filters).rows;
}
function row(filters: DashboardFilters, id: number) {
  return rows(filters).find((r) => r.id === id)!;
}

describe('dashboard figures', () => {
  it('counts a COSIM’s members, enrolled, active, invited, completion and quizzes', () => {
    // The network tells its learners apart: a3 < a2 < a1 < b1.
    expect(0 < percent.a2 && percent.a2 < percent.a1 && percent.a1 < 100).toBe(true);
    const a = row(all, ids.A!);
    expect(a).toMatchObject({
      name: 'COSIM Test Bretagne',
      invited: 2,
      members: 3,
      enrolled: 3,
      active30: 2,
      // a3, a2, a1: the middle one.
      medianPercent: percent.a2,
      distribution: distributionOf(0, percent.a2, percent.a1),
      quizzesAttempted: 2,
      quizzesPassed: 1,
    });
  });

  it('counts séances held (not cancelled, not to come), seats, presence and certificates', () => {
    expect(row(all, ids.A!)).toMatchObject({
      gatheringsHeld: 1,
      seatsConfirmed: 2,
      present: 1,
      certificates: 1,
    });
    expect(row(all, ids.B!)).toMatchObject({
      gatheringsHeld: 0,
      certificates: 0,
      members: 2,
      enrolled: 1,
      medianPercent: 100,
      distribution: [0, 0, 0, 0, 0, 1],
    });
  });

  it('gives a FOSIM its federated OSIMs’ members', () => {
    expect(row(all, ids.F!)).toMatchObject({
      members: 1,
      enrolled: 1,
      medianPercent: 0,
      distribution: [1, 0, 0, 0, 0, 0],
    });
  });

  it('filters by region, by acting in QPV, and to a coordinator’s collectives', () => {
    expect(rows({ ...all, region: 'Occitanie' }).map((r) => r.id)).toEqual([ids.B]);
    expect(row({ ...all, qpvOnly: true }, ids.A!)).toMatchObject({
      members: 2,
      enrolled: 2,
      // a2 and a1 (A1 acts in QPV, A2 does not): halfway between.
      medianPercent: Math.round((percent.a2 + percent.a1) / 2),
    });
    expect(rows({ ...all, collectiveIds: [ids.A!] }).map((r) => r.id)).toEqual([ids.A]);
    expect(rows({ ...all, collectiveIds: [] })).toEqual([]);
  });

  it('maps skills: the share of enrolled members who acquired each one', () => {
    const cells = dashboardFigures(ctx.db, all).heat;
    const cell = (cid: number, code: string) => cells.find((c) => c.cid === cid && c.skillCode === code)!;
    expect(cell(ids.A!, 'POL-1')).toEqual({ cid: ids.A, skillCode: 'POL-1', acquired: 1, enrolled: 3 });
    expect(cell(ids.A!, 'PRJ-1')).toMatchObject({ acquired: 0, enrolled: 3 });
    expect(cell(ids.B!, 'PRJ-1')).toMatchObject({ acquired: 1, enrolled: 1 });
  });

  it('counts paths finished, and keeps totals per kind (an OSIM can be in a COSIM and a FOSIM)', () => {
    const d = dashboardFigures(ctx.db, all);
    expect(row(all, ids.B!).completions).toBe(1);
    expect(row(all, ids.A!).completions).toBe(0);
    const cosim = d.subtotals.find((s) => s.kind === 'cosim')!;
    expect(cosim).toMatchObject({
      members: 5,
      enrolled: 4,
      // a3, a2, a1, b1: halfway between a2 and a1.
      medianPercent: Math.round((percent.a2 + percent.a1) / 2),
      completions: 1,
      certificates: 1,
    });
    expect(d.subtotals.find((s) => s.kind === 'fosim')).toMatchObject({ members: 1, enrolled: 1 });
  });

  it('draws the monthly trend over the COSIMs: this month’s enrolments and finished paths', () => {
    const { trend } = dashboardFigures(ctx.db, all);
    expect(trend).toHaveLength(12);
    expect(trend.at(-1)).toMatchObject({ enrolments: 4, completions: 1 });
    expect(trend.slice(0, -1).every((p) => p.enrolments === 0 && p.completions === 0)).toBe(true);
  });

  it('counts in a period only what happened in it; the rest is today’s situation', () => {
    const month = parisDay(Date.now()).slice(0, 7);
    const now = { ...all, period: { from: month, to: month } };
    expect(row(now, ids.A!)).toMatchObject({ enrolled: 3, gatheringsHeld: 1, certificates: 1, members: 3 });
    const past = { ...all, period: { from: '2020-01', to: '2020-12' } };
    expect(row(past, ids.A!)).toMatchObject({
      members: 3,
      active30: 2,
      enrolled: 0,
      completions: 0,
      gatheringsHeld: 0,
      seatsConfirmed: 0,
      certificates: 0,
      medianPercent: percent.a2,
    });
    expect(dashboardFigures(ctx.db, past).trend).toHaveLength(12);
  });

  it('narrows to one cycle: its members and séances only, no invitations', () => {
    const a = { ...all, cycleId: refs.cycleA!.id };
    expect(row(a, ids.A!)).toMatchObject({
      invited: null,
      members: 3,
      enrolled: 3,
      gatheringsHeld: 1,
      certificates: 1,
    });
    expect(row(a, ids.B!)).toMatchObject({ members: 0, enrolled: 0, gatheringsHeld: 0 });
    expect(row({ ...all, cycleId: refs.cycleB!.id }, ids.B!)).toMatchObject({
      members: 1,
      medianPercent: 100,
    });
  });

  it('follows every write: triggers mark the collective and the next read recomputes it', () => {
    expect(ctx.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM dashboard_dirty`)!.n).toBe(0);
    enrol(ctx.db, refs.cycleB!, refs.b2!, refs.trainerB!);
    expect(ctx.db.all(sql`SELECT collective_id FROM dashboard_dirty`)).toEqual([{ collective_id: ids.B }]);
    expect(row(all, ids.B!)).toMatchObject({
      enrolled: 2,
      medianPercent: 50,
      distribution: [1, 0, 0, 0, 0, 1],
    });
    // An OSIM that stops acting in QPV takes its members out of the QPV figures (its COSIM is
    // marked, not the OSIM itself).
    ctx.db.run(sql`UPDATE organizations SET acts_in_qpv = 0 WHERE id = ${refs.A1!}`);
    expect(ctx.db.all(sql`SELECT collective_id FROM dashboard_dirty`)).toEqual([{ collective_id: ids.A }]);
    expect(row({ ...all, qpvOnly: true }, ids.A!)).toMatchObject({ members: 0, enrolled: 0 });
    ctx.db.run(sql`UPDATE organizations SET acts_in_qpv = 1 WHERE id = ${refs.A1!}`);
    expect(row({ ...all, qpvOnly: true }, ids.A!)).toMatchObject({ members: 2 });
    // A séance held, cancelled afterwards: its seats leave the attendance rate.
    expect(row(all, ids.A!)).toMatchObject({ seatsConfirmed: 2, present: 1 });
    ctx.db.run(sql`UPDATE gatherings SET cancelled_at = ${Date.now()} WHERE title = 'Tenue'`);
    expect(row(all, ids.A!)).toMatchObject({ gatheringsHeld: 0, seatsConfirmed: 0, present: 0 });
    ctx.db.run(sql`UPDATE gatherings SET cancelled_at = NULL WHERE title = 'Tenue'`);
    expect(row(all, ids.A!)).toMatchObject({ gatheringsHeld: 1, seatsConfirmed: 2, present: 1 });
    // The stored summary is what computing from scratch gives.
    const stored = rows(all);
    refreshAll(ctx.db);
    expect(rows(all)).toEqual(stored);
  });

  it('gives each OSIM its line and pages the members by name, from the stored summary as directly', () => {
    dashboardFigures(ctx.db, all);
    const none = { cycleId: null, qpvOnly: false };
    const osims = osimFigures(ctx.db, ids.A!, none);
    expect(
      osims.map((o) => [o.name, o.members, o.enrolled, o.active30, o.medianPercent, o.certificates]),
    ).toEqual([
      ['OSIM A1', 2, 2, 2, Math.round((percent.a2 + percent.a1) / 2), 1],
      ['OSIM A2', 1, 1, 0, 0, 0],
    ]);
    expect(osims).toEqual(computeOsims(ctx.db, ids.A!, none).figures);
    expect(osimFigures(ctx.db, ids.A!, { cycleId: null, qpvOnly: true }).map((o) => o.name)).toEqual([
      'OSIM A1',
    ]);
    const page = memberProgressPage(ctx.db, ids.A!, none, 1);
    expect(page.total).toBe(3);
    const direct = memberProgressPage(ctx.db, ids.A!, { cycleId: refs.cycleA!.id, qpvOnly: false }, 1);
    expect(direct.members.map((m) => m.id)).toEqual(page.members.map((m) => m.id));
    expect(page.members.map((m) => m.percent).sort((a, b) => a - b)).toEqual([0, percent.a2, percent.a1]);
    expect(memberProgressPage(ctx.db, ids.A!, { ...none, qpvOnly: true }, 1).total).toBe(2);
  });

  it('has a trigger on every table the summaries are made from', () => {
    const triggers = ctx.db
      .all<{ tbl_name: string }>(
        sql`SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dashboard_%'`,
      )
      .map((t) => t.tbl_name)
      .sort();
    expect(triggers).toEqual([
      'attendance',
      'certificates',
      'cycle_members',
      'gathering_signups',
      'gatherings',
      'invitations',
      'learner_stats',
      'memberships',
      'organizations',
      'users',
    ]);
  });

  it('takes the median the usual way', () => {
    expect(median([])).toBeNull();
    expect(median([40, 10, 30])).toBe(30);
    expect(median([0, 5, 33, 100])).toBe(19);
    for (const values of [[7], [0, 0, 100], [5, 5, 33, 33, 100, 100, 100], [1, 2, 3, 4]]) {
      const h = new Map<number, number>();
      for (const v of values) h.set(v, (h.get(v) ?? 0) + 1);
      expect(histogramMedian(h)).toBe(median(values));
    }
    expect(histogramMedian(new Map())).toBeNull();
  });
});
