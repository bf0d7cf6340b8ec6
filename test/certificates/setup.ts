// Arranging certificates with domain functions on top of the gatherings' small network
// (test/gatherings/world.ts): lessons finished, quizzes passed, séances attended, a cycle's rules
// set, a certificate issued. The behaviour under test goes through HTTP in the *.test.ts files.
import { and, eq } from 'drizzle-orm';
import { markAttendance } from '../../src/attendance/attendance.ts';
import { issueCertificate } from '../../src/certificates/certificates.ts';
import {
  type Certificate,
  type CertificateRules,
  type Cycle,
  certificates,
  cycles,
  type Gathering,
} from '../../src/db/schema.ts';
import { catalog } from '../../src/learning/catalog.ts';
import { completeLesson, getQuiz, recordAttempt, sampleAnswers } from '../../src/learning/progress.ts';
import type { Person, World } from '../gatherings/world.ts';

export const PDV = 'politique-de-la-ville';
export const MAIL_SUBJECT = 'Votre attestation de formation est prête';

export function courseOf(world: World, courseId = PDV) {
  return catalog(world.ctx.db).coursesById.get(courseId)!;
}

/** Finishes the course's lessons (all, or the first `count`). */
export function finishLessons(world: World, person: Person, courseId = PDV, count?: number) {
  const lessons = courseOf(world, courseId).lessons;
  for (const lesson of lessons.slice(0, count ?? lessons.length))
    completeLesson(world.ctx.db, person.id, lesson.id);
}

/** The course's quiz answered (all right by default, or the first `wrong` questions wrong). */
export function quizAnswers(world: World, courseId = PDV, wrong = 0) {
  const quiz = courseOf(world, courseId).quiz!;
  return { quiz, answers: sampleAnswers(getQuiz(world.ctx.db, quiz.id).quiz.questions, wrong) };
}

export function passQuiz(world: World, person: Person, courseId = PDV) {
  const { quiz, answers } = quizAnswers(world, courseId);
  return recordAttempt(world.ctx.db, person.id, quiz.id, answers);
}

/** The quiz's answers as the form posts them (`q-<id>` fields). */
export function quizForm(answers: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(answers).map(([id, chosen]) => [`q-${id}`, chosen]));
}

/** A séance of the cycle starting in a minute (so sign-ups are open), optionally on a course. */
export function seance(
  world: World,
  trainer: Person,
  cycle: Cycle,
  overrides: Parameters<World['schedule']>[2] = {},
) {
  return world.schedule(trainer, cycle, {
    title: 'Atelier contrat de ville',
    startsAt: new Date(Date.now() + 60_000),
    ...overrides,
  });
}

/**
 * The person signed up for the séance, which then takes place (a presence counts only at a séance
 * that has started), and marked present by its trainer (no certificate check).
 */
export function attend(world: World, trainer: Person, gathering: Gathering, person: Person) {
  world.signUp(gathering, person);
  const held = world.start(gathering);
  markAttendance(world.ctx.db, held, { userId: person.id }, 'present', trainer.id);
}

export function setRules(world: World, cycle: Cycle, rules: Partial<CertificateRules>): Cycle {
  const certificateRules = { ...cycle.certificateRules, ...rules };
  world.ctx.db.update(cycles).set({ certificateRules }).where(eq(cycles.id, cycle.id)).run();
  return { ...cycle, certificateRules };
}

export function certificatesOf(world: World, person: Person, cycle?: Cycle): Certificate[] {
  return world.ctx.db
    .select()
    .from(certificates)
    .where(
      cycle
        ? and(eq(certificates.userId, person.id), eq(certificates.cycleId, cycle.id))
        : eq(certificates.userId, person.id),
    )
    .all();
}

export function certificateMails(world: World, person: Person) {
  return world.mails(person.email).filter((m) => m.subject === MAIL_SUBJECT);
}

/** A certificate issued by hand by `by` (domain function: arranging, not under test). */
export function issue(
  world: World,
  cycle: Cycle,
  person: Person,
  by: Person,
  reason = 'Suivi hors plateforme',
) {
  return issueCertificate(world.ctx.db, {
    cycle,
    userId: person.id,
    how: 'manual',
    by: by.current(),
    reason,
    mailer: world.ctx.mailer,
    baseUrl: world.ctx.config.baseUrl,
  }).certificate;
}
