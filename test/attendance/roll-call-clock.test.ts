// The roll call's windows on a clock the test sets (the domain takes `now`): presence from 30
// minutes before the start to 7 days after the end, « excusé·e » earlier; closing once started;
// reopening within 7 days of closing, and a reopened sheet correctable for 7 more days; and a
// presence marked before the start that starts counting for certificates and the learner's figures
// when the séance starts (the job that watches séances starting).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAttendance, markAttendance, reopenAttendance } from '../../src/attendance/attendance.ts';
import { awardStartedGatherings } from '../../src/attendance/held.ts';
import { evaluateRules } from '../../src/certificates/progress.ts';
import {
  attendance,
  type Cycle,
  certificates,
  cycles,
  gatherings,
  learnerStats,
} from '../../src/db/schema.ts';
import { signUp } from '../../src/gatherings/signups.ts';
import { RuleError } from '../../src/lib/errors.ts';
import { createWorld, type Person, type World } from '../gatherings/world.ts';

const _MINUTE = 60_000;
let world: World;
let trainer: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  cycle = world.openCycle(trainer);
  const certificateRules = { courseIds: [], passMark: null, minGatherings: 1, gatheringIds: [] };
  world.ctx.db.update(cycles).set({ certificateRules }).where(eq(cycles.id, cycle.id)).run();
  cycle = { ...cycle, certificateRules };
});
afterAll(() => world.close());

async function learner() {
  const p = await world.person('member', world.osim.id);
  world.enrol(cycle, p);
  return p;
}

/** The RuleError key a domain call throws, or null when it goes through. */
function refusal(call: () => unknown): string | null {
  try {
    call();
    return null;
  } catch (error) {
    if (error instanceof RuleError) return error.key;
    throw error;
  }
}

function markOf(gatheringId: number, userId: number) {
  return world.ctx.db
    .select()
    .from(attendance)
    .where(and(eq(attendance.gatheringId, gatheringId), eq(attendance.userId, userId)))
    .get();
}

const at = (iso: string) => new Date(iso);

describe('the windows, on a clock the test sets', () => {
  // The séance of the issue: 16 December 2026, 18:30–20:30 in Paris (17:30Z–19:30Z).
  const at = (iso: string) => new Date(iso);

  it('marks presence from 30 minutes before the start to 7 days after the end; « excusé·e » earlier', async () => {
    const seance = world.schedule(trainer, cycle, {
      title: 'Séance du 16 décembre',
      startsAt: at('2026-12-16T17:30:00Z'),
      endsAt: at('2026-12-16T19:30:00Z'),
    });
    const awa = await learner();
    signUp(world.ctx.db, seance, awa.id, at('2026-12-01T10:00:00Z'));
    const mark = (status: 'present' | 'absent' | 'excused', now: string) =>
      refusal(() => markAttendance(world.ctx.db, seance, { userId: awa.id }, status, trainer.id, at(now)));

    // 5 December: presence and absence refused, « excusé·e » taken.
    expect(mark('present', '2026-12-05T10:00:00Z')).toBe('attendance.error.tooEarly');
    expect(mark('absent', '2026-12-05T10:00:00Z')).toBe('attendance.error.tooEarly');
    expect(markOf(seance.id, awa.id)).toBeUndefined();
    expect(mark('excused', '2026-12-05T10:00:00Z')).toBeNull();
    expect(markOf(seance.id, awa.id)?.status).toBe('excused');
    // 31 minutes before: still too early; 30 minutes before: open.
    expect(mark('present', '2026-12-16T16:59:00Z')).toBe('attendance.error.tooEarly');
    expect(mark('present', '2026-12-16T17:00:00Z')).toBeNull();
    // Until 7 days after the end.
    expect(mark('absent', '2026-12-23T19:30:00Z')).toBeNull();
    expect(mark('present', '2026-12-23T19:31:00Z')).toBe('attendance.error.tooLate');
    expect(mark('excused', '2026-12-23T19:31:00Z')).toBe('attendance.error.tooLate');
    expect(markOf(seance.id, awa.id)?.status).toBe('absent');
  });

  it('closes only once started, reopens for 7 days after closing, and a reopened sheet can be corrected', async () => {
    const seance = world.schedule(trainer, cycle, {
      title: 'Séance à clore',
      startsAt: at('2026-12-16T17:30:00Z'),
      endsAt: at('2026-12-16T19:30:00Z'),
    });
    const binta = await learner();
    signUp(world.ctx.db, seance, binta.id, at('2026-12-01T10:00:00Z'));
    const db = world.ctx.db;
    expect(refusal(() => closeAttendance(db, seance, trainer.id, at('2026-12-05T10:00:00Z')))).toBe(
      'attendance.error.closeBeforeStart',
    );
    expect(refusal(() => closeAttendance(db, seance, trainer.id, at('2026-12-16T17:29:00Z')))).toBe(
      'attendance.error.closeBeforeStart',
    );
    expect(world.gathering(seance.id).attendanceClosedAt).toBeNull();
    expect(refusal(() => closeAttendance(db, seance, trainer.id, at('2026-12-22T19:00:00Z')))).toBeNull();
    const closed = world.gathering(seance.id);
    expect(closed.attendanceClosedAt).toEqual(at('2026-12-22T19:00:00Z'));
    expect(markOf(seance.id, binta.id)?.status).toBe('absent');

    const me = trainer.current();
    expect(refusal(() => reopenAttendance(db, me, cycle, closed, at('2026-12-29T19:01:00Z')))).toBe(
      'attendance.error.reopenTooLate',
    );
    expect(refusal(() => reopenAttendance(db, me, cycle, closed, at('2026-12-29T18:00:00Z')))).toBeNull();
    const reopened = world.gathering(seance.id);
    expect(reopened.attendanceClosedAt).toBeNull();
    expect(reopened.attendanceReopenedAt).toEqual(at('2026-12-29T18:00:00Z'));
    // Later than 7 days after the end, but within 7 days of the reopening: the correction goes in.
    expect(
      refusal(() =>
        markAttendance(db, reopened, { userId: binta.id }, 'present', trainer.id, at('2027-01-02T10:00:00Z')),
      ),
    ).toBeNull();
    expect(markOf(seance.id, binta.id)?.status).toBe('present');
    expect(
      refusal(() =>
        markAttendance(db, reopened, { userId: binta.id }, 'absent', trainer.id, at('2027-01-06T10:00:00Z')),
      ),
    ).toBe('attendance.error.tooLate');
    expect(refusal(() => reopenAttendance(db, me, cycle, reopened, at('2027-01-01T10:00:00Z')))).toBe(
      'attendance.error.notClosedYet',
    );
  });
});

describe('certificates count only séances held', () => {
  it('a presence marked before the start counts once the séance has started', async () => {
    const seance = world.schedule(trainer, cycle, {
      title: 'Séance du 18 décembre au soir',
      startsAt: at('2026-12-18T17:30:00Z'),
      endsAt: at('2026-12-18T19:30:00Z'),
    });
    const awa = await learner();
    const db = world.ctx.db;
    signUp(db, seance, awa.id, at('2026-12-01T10:00:00Z'));
    markAttendance(db, seance, { userId: awa.id }, 'present', trainer.id, at('2026-12-18T17:10:00Z'));
    expect(evaluateRules(db, cycle, awa.id, at('2026-12-18T17:29:00Z')).attended).toEqual([]);
    expect(evaluateRules(db, cycle, awa.id, at('2026-12-18T17:30:00Z')).attended.map((g) => g.id)).toEqual([
      seance.id,
    ]);

    // The job, a minute after the start: the learner's figures and the certificate follow.
    const since = at('2026-12-18T17:29:00Z');
    const now = at('2026-12-18T17:31:00Z');
    expect(awardStartedGatherings(db, world.ctx.mailer, 'http://x', since, now)).toEqual([awa.id]);
    const issued = db.select().from(certificates).where(eq(certificates.userId, awa.id)).all();
    expect(issued).toHaveLength(1);
    expect(issued[0]!.snapshot.gatherings.map((g) => g.title)).toEqual(['Séance du 18 décembre au soir']);
    expect(
      db.select().from(learnerStats).where(eq(learnerStats.userId, awa.id)).get()?.gatheringsAttended,
    ).toBe(1);
    // Again (a restart looks back a day): nothing new.
    awardStartedGatherings(db, world.ctx.mailer, 'http://x', at('2026-12-17T17:31:00Z'), now);
    expect(db.select().from(certificates).where(eq(certificates.userId, awa.id)).all()).toHaveLength(1);
    // A séance that started before `since` is not looked at again.
    expect(awardStartedGatherings(db, world.ctx.mailer, 'http://x', now, at('2026-12-18T17:32:00Z'))).toEqual(
      [],
    );
  });

  it('a cancelled séance never counts, whatever its sheet says', async () => {
    const seance = world.schedule(trainer, cycle, {
      title: 'Séance annulée après coup',
      startsAt: at('2026-12-17T17:30:00Z'),
      endsAt: at('2026-12-17T19:30:00Z'),
    });
    const awa = await learner();
    signUp(world.ctx.db, seance, awa.id, at('2026-12-01T10:00:00Z'));
    markAttendance(
      world.ctx.db,
      seance,
      { userId: awa.id },
      'present',
      trainer.id,
      at('2026-12-17T17:40:00Z'),
    );
    world.ctx.db
      .update(gatherings)
      .set({ cancelledAt: at('2026-12-17T18:00:00Z') })
      .where(eq(gatherings.id, seance.id))
      .run();
    expect(evaluateRules(world.ctx.db, cycle, awa.id, at('2026-12-18T10:00:00Z')).attended).toEqual([]);
  });
});
