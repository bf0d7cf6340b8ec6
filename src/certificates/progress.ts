// What counts towards skills and certificates. A skill of courses/skills.yaml is built by the
// lessons and courses that name it (course.yaml, lesson front matter) and by séances deepening
// those courses: it is acquired when every lesson building it is finished and every quiz of the
// courses building it passed; in progress as soon as there is any evidence. A cycle's certificate
// rules name the courses to complete (lessons and quiz, at the cycle's pass mark if it sets one)
// and the séances to attend (a number, and/or named ones). A séance counts as attended only once
// it is held — started and not cancelled — whatever its sheet says (`attendedSql`, the one rule).
import { asc, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { type Cycle, skills } from '../db/schema.ts';
import { catalog } from '../learning/catalog.ts';
import { pathProgress } from '../learning/progress.ts';
import { formatCalendarDate } from '../lib/time.ts';
import { readyProjectsOf, reviewedProjectsOf } from '../projects/projects.ts';
import { RUBRIC_SKILLS } from '../projects/reviews.ts';

export type SkillState = 'not_started' | 'in_progress' | 'acquired';

export interface SkillEvidence {
  kind: 'lesson' | 'quiz' | 'gathering' | 'project';
  title: string;
  done: boolean;
}

export interface SkillProgress {
  code: string;
  title: string;
  description: string;
  domainTitle: string;
  state: SkillState;
  evidence: SkillEvidence[];
}

export interface AttendedGathering {
  id: number;
  cycleId: number;
  title: string;
  courseId: string | null;
  startsAt: number;
  endsAt: number;
}

/**
 * What counts as attended, on `attendance a JOIN gatherings g`: marked present at a séance held —
 * started (a presence may be marked 30 minutes before the start) and not cancelled. Certificates,
 * skills, learner_stats and the dashboards' per-cycle count all use this one condition.
 */
export function attendedSql(now: Date): SQL {
  return sql`a.status = 'present' AND g.cancelled_at IS NULL AND g.starts_at <= ${now.getTime()}`;
}

/** Séances the person attended (see `attendedSql`), in date order. */
export function attendedGatherings(
  db: Db,
  userId: number,
  cycleId?: number,
  now = new Date(),
): AttendedGathering[] {
  return db.all<AttendedGathering>(sql`
    SELECT g.id, g.cycle_id AS cycleId, g.title, g.course_id AS courseId, g.starts_at AS startsAt, g.ends_at AS endsAt
    FROM attendance a JOIN gatherings g ON g.id = a.gathering_id
    WHERE a.user_id = ${userId} AND ${attendedSql(now)}
      ${cycleId === undefined ? sql`` : sql`AND g.cycle_id = ${cycleId}`}
    ORDER BY g.starts_at`);
}

/** Each skill with its state and the evidence behind it, in the framework's order. */
export function skillsProgress(db: Db, userId: number, now = new Date()): SkillProgress[] {
  const content = catalog(db);
  const path = pathProgress(db, userId);
  const lessonDone = new Set(
    path?.courses.flatMap((c) => c.lessons.filter((l) => l.done).map((l) => l.id)) ?? [],
  );
  const quizPassed = new Set(path?.courses.filter((c) => c.quiz?.passed).map((c) => c.quiz!.id) ?? []);
  const attended = attendedGatherings(db, userId, undefined, now);
  const reviewed = reviewedProjectsOf(db, userId);
  const framework = db
    .select()
    .from(skills)
    .where(isNull(skills.archivedAt))
    .orderBy(asc(skills.position))
    .all();
  return framework.map((skill) => {
    const evidence: SkillEvidence[] = [];
    let complete = true;
    let any = false;
    for (const course of content.courses) {
      const whole = course.skills.includes(skill.code);
      for (const lesson of course.lessons) {
        if (!whole && !lesson.skills.includes(skill.code)) continue;
        const done = lessonDone.has(lesson.id);
        evidence.push({ kind: 'lesson', title: lesson.title, done });
        complete &&= done;
        any ||= done;
      }
      if (whole && course.quiz) {
        const done = quizPassed.has(course.quiz.id);
        evidence.push({ kind: 'quiz', title: course.quiz.title, done });
        complete &&= done;
        any ||= done;
      }
      if (whole) {
        for (const g of attended.filter((a) => a.courseId === course.id)) {
          evidence.push({
            kind: 'gathering',
            title: `${g.title} (${formatCalendarDate(isoDay(g.startsAt))})`,
            done: true,
          });
          any = true;
        }
      }
    }
    // A project its author wrote, reviewed by peers, shows the skills of the rubric's criteria; it
    // adds to the lessons and quizzes, it does not replace them.
    if (RUBRIC_SKILLS.includes(skill.code)) {
      for (const p of reviewed) {
        evidence.push({ kind: 'project', title: p.title, done: p.ready });
        any = true;
      }
    }
    const state: SkillState =
      evidence.length > 0 && complete ? 'acquired' : any ? 'in_progress' : 'not_started';
    return {
      code: skill.code,
      title: skill.title,
      description: skill.description,
      domainTitle: skill.domainTitle,
      state,
      evidence,
    };
  });
}

function isoDay(ms: number): string {
  return new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
}

export interface RulesProgress {
  met: boolean;
  /** What is left, in words: "le quiz du module « … »", "1 séance"… */
  remaining: string[];
  courses: Array<{
    id: string;
    title: string;
    lessonsDone: number;
    lessonsTotal: number;
    quizPassed: boolean;
    done: boolean;
  }>;
  attended: AttendedGathering[];
  minGatherings: number;
  requiredGatherings: Array<{ id: number; title: string; attended: boolean }>;
}

/** Where the person stands against the cycle's certificate rules. */
export function evaluateRules(db: Db, cycle: Cycle, userId: number, now = new Date()): RulesProgress {
  const rules = cycle.certificateRules;
  const path = pathProgress(db, userId);
  const remaining: string[] = [];
  const courses = rules.courseIds.flatMap((id) => {
    const course = path?.courses.find((c) => c.id === id);
    if (!course) return [];
    const lessonsDone = course.lessonsDone;
    const lessonsTotal = course.lessons.length;
    const mark = rules.passMark ?? course.quiz?.passMark ?? 0;
    const quizPassed = course.quiz === null || (course.quiz.bestScore ?? -1) >= mark;
    if (lessonsDone < lessonsTotal) {
      const left = lessonsTotal - lessonsDone;
      remaining.push(`${left} leçon${left > 1 ? 's' : ''} du module « ${course.title} »`);
    }
    if (!quizPassed) remaining.push(`le quiz du module « ${course.title} » (${mark} % ou plus)`);
    return [
      {
        id,
        title: course.title,
        lessonsDone,
        lessonsTotal,
        quizPassed,
        done: lessonsDone === lessonsTotal && quizPassed,
      },
    ];
  });
  const attended = attendedGatherings(db, userId, cycle.id, now);
  const named = rules.gatheringIds.length
    ? db.all<{ id: number; title: string }>(
        sql`SELECT id, title FROM gatherings WHERE cycle_id = ${cycle.id} AND cancelled_at IS NULL AND id IN (${idList(rules.gatheringIds)}) ORDER BY starts_at`,
      )
    : [];
  const requiredGatherings = named.map((g) => ({ ...g, attended: attended.some((a) => a.id === g.id) }));
  for (const g of requiredGatherings) if (!g.attended) remaining.push(`la séance « ${g.title} »`);
  const missing = Math.max(0, rules.minGatherings - attended.length);
  if (missing > 0) remaining.push(`${missing} séance${missing > 1 ? 's' : ''}`);
  const projectReady = !rules.projectReady || readyProjectsOf(db, userId, cycle.id).length > 0;
  if (!projectReady) remaining.push('un projet partagé avec le cycle et marqué « prêt à déposer »');
  return {
    met: remaining.length === 0,
    remaining,
    courses,
    attended,
    minGatherings: rules.minGatherings,
    requiredGatherings,
  };
}

/** Hours of training for the certificate: the required courses' reading time and the séances attended. */
export function trainingHours(db: Db, cycle: Cycle, attended: AttendedGathering[]): number {
  const content = catalog(db);
  const minutes =
    cycle.certificateRules.courseIds.reduce(
      (n, id) => n + (content.coursesById.get(id)?.durationMinutes ?? 0),
      0,
    ) + attended.reduce((n, g) => n + (g.endsAt - g.startsAt) / 60_000, 0);
  return Math.round(minutes / 30) / 2;
}
