// The one entry point for progress: a step, the learner's figures and the certificate it completes
// are written together or not at all, and the certificate's email leaves without anyone asking.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Cycle, learnerStats, lessonProgress } from '../../src/db/schema.ts';
import { pathProgress } from '../../src/learning/progress.ts';
import { recordProgress } from '../../src/progress/record-progress.ts';
import {
  attend,
  certificatesOf,
  courseOf,
  finishLessons,
  PDV,
  passQuiz,
  seance,
  setRules,
} from '../certificates/setup.ts';
import { createWorld, type Person, type World } from '../gatherings/world.ts';

let world: World;
let trainer: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  cycle = setRules(world, world.openCycle(trainer), { courseIds: [PDV], passMark: null, minGatherings: 1 });
});
afterAll(() => world.close());

/** An enrolled learner one lesson away from the cycle's certificate; returns that lesson's id. */
async function oneLessonAway() {
  const member = await world.person('member', world.osim.id);
  world.enrol(cycle, member);
  const lessons = courseOf(world).lessons;
  finishLessons(world, member, PDV, lessons.length - 1);
  passQuiz(world, member);
  attend(world, trainer, seance(world, trainer, cycle), member);
  return { member, lastLesson: lessons.at(-1)!.id };
}

const record = (member: Person, lessonId: string) =>
  recordProgress(world.ctx.db, world.ctx.mailer, world.ctx.config.baseUrl, {
    kind: 'lesson',
    userId: member.id,
    lessonId,
  });

describe('recordProgress', () => {
  it('records the lesson, refreshes the figures, issues the certificate; its mail leaves by itself', async () => {
    const { member, lastLesson } = await oneLessonAway();
    const before = world.ctx.mailbox.length;

    const { earned, attempt } = record(member, lastLesson);

    expect(attempt).toBeNull();
    expect(earned.map((c) => c.id)).toEqual(certificatesOf(world, member, cycle).map((c) => c.id));
    expect(earned).toHaveLength(1);
    const stats = world.ctx.db.select().from(learnerStats).where(eq(learnerStats.userId, member.id)).get();
    expect(stats?.lessonsDone).toBe(courseOf(world).lessons.length);
    // Nobody calls mailer.flush(): the mailer delivers after the transaction by itself.
    await vi.waitFor(() => expect(world.ctx.mailbox.slice(before).map((m) => m.to)).toContain(member.email));
  });

  it('writes nothing when a later part fails, and forgets what it read meanwhile', async () => {
    const { member, lastLesson } = await oneLessonAway();
    const { db } = world.ctx;
    db.$client.exec(
      `CREATE TEMP TRIGGER refuse_certificates BEFORE INSERT ON certificates BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
    try {
      expect(() => record(member, lastLesson)).toThrow('refused');
    } finally {
      db.$client.exec('DROP TRIGGER refuse_certificates');
    }

    const row = db.select().from(lessonProgress).where(eq(lessonProgress.lessonId, lastLesson)).all();
    expect(row.filter((r) => r.userId === member.id)).toEqual([]);
    expect(db.select().from(learnerStats).where(eq(learnerStats.userId, member.id)).get()).toBeUndefined();
    expect(certificatesOf(world, member)).toEqual([]);
    const lesson = pathProgress(db, member.id)!
      .courses.flatMap((c) => c.lessons)
      .find((l) => l.id === lastLesson)!;
    expect(lesson.done).toBe(false);
  });

  it('gives the attempt of a quiz step; a failed one issues nothing', async () => {
    const member = await world.person('member', world.osim.id);
    world.enrol(cycle, member);
    finishLessons(world, member);
    attend(world, trainer, seance(world, trainer, cycle), member);
    const quiz = courseOf(world).quiz!;

    const failed = recordProgress(world.ctx.db, world.ctx.mailer, world.ctx.config.baseUrl, {
      kind: 'quiz',
      userId: member.id,
      quizId: quiz.id,
      answers: {},
      answerOrder: null,
    });

    expect(failed.attempt).toMatchObject({ score: 0, passed: false });
    expect(failed.earned).toEqual([]);
    expect(certificatesOf(world, member)).toEqual([]);
  });
});
