// The national network's certificates: issued the moment a member meets their cycle's rules
// (src/certificates/progress.ts), with a snapshot of the same shape as issueCertificate's, a few
// revoked since by the national team.
import type { CertificateSnapshot } from '../db/schema.ts';
import { ALPHABET } from './national-dice.ts';
import type { Network } from './national-network.ts';
import type { Progress } from './national-progress.ts';
import {
  type Attempt,
  type CyclePlan,
  DAY,
  type GatheringPlan,
  type Member,
  MINUTE,
  type Run,
} from './national-run.ts';
import { revokeReasons } from './national-words.ts';

export function writeCertificates(
  run: Run,
  network: Network,
  members: Member[],
  cyclePlans: CyclePlan[],
  gatherings: GatheringPlan[],
  progress: Progress,
  nationalTeam: number[],
): void {
  const { dice, now, content, counts, step, lessonIndex, quizIndex, pathQuizzes, scoreOf, L } = run;
  const { insertCertificate, existingCodes, frameworkSkills } = run.statements;
  const { collectives } = network;
  const { lpDone, attempts } = progress;
  // ——— Certificates: issued the moment the rules are met (as issueEarned does) ———
  const skills = (frameworkSkills.all() as Array<{ code: string; title: string }>).map((skill) => {
    const lessons: number[] = [];
    const quizzes: number[] = [];
    for (const course of content.courses) {
      const whole = course.skills.includes(skill.code);
      for (const lesson of course.lessons)
        if (whole || lesson.skills.includes(skill.code)) lessons.push(lessonIndex.get(lesson.id)!);
      if (whole && course.quiz) quizzes.push(quizIndex.get(course.quiz.id)!);
    }
    return { ...skill, lessons, quizzes };
  });
  const attemptsOf = new Map<number, Attempt[]>();
  for (const a of attempts) {
    const key = a.member * pathQuizzes.length + a.quiz;
    const list = attemptsOf.get(key);
    if (list) list.push(a);
    else attemptsOf.set(key, [a]);
  }
  /** When the person first scored at least `mark` on the quiz (0: never). */
  const passedAt = (member: number, quiz: number, mark: number, by = Number.POSITIVE_INFINITY) => {
    for (const a of attemptsOf.get(member * pathQuizzes.length + quiz) ?? [])
      if (a.at <= by && scoreOf(quiz, a.right) >= mark) return a.at;
    return 0;
  };
  const parisDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });
  const codes = new Set((existingCodes.all() as Array<{ code: string }>).map((r) => r.code));
  const issued: Array<{ code: string; cycle: CyclePlan; member: Member; snapshot: string; at: number }> = [];
  for (const [ci, cycle] of cyclePlans.entries()) {
    const rules = cycle.rules;
    const collectiveName = collectives[cycle.collective]!.name;
    for (const mi of cycle.members) {
      const m = members[mi]!;
      if (m.withdrawnAt) continue;
      let metAt = m.enrolledAt;
      let met = true;
      for (const courseId of rules.courseIds) {
        const course = content.coursesById.get(courseId);
        if (!course || !content.courses.includes(course)) continue;
        for (const lesson of course.lessons) {
          const done = lpDone[mi * L + lessonIndex.get(lesson.id)!]!;
          if (!done) met = false;
          metAt = Math.max(metAt, done);
        }
        if (course.quiz) {
          const at = passedAt(mi, quizIndex.get(course.quiz.id)!, rules.passMark ?? course.quiz.passMark);
          if (!at) met = false;
          metAt = Math.max(metAt, at);
        }
        if (!met) break;
      }
      if (!met) continue;
      const present = m.present
        .filter((p) => gatherings[p.gathering]!.cycle === ci)
        .sort((a, b) => a.at - b.at);
      if (present.length < rules.minGatherings) continue;
      if (rules.minGatherings > 0) metAt = Math.max(metAt, present[rules.minGatherings - 1]!.at);
      for (const id of rules.gatheringIds) {
        const p = present.find((x) => gatherings[x.gathering]!.id === id);
        if (!p) met = false;
        else metAt = Math.max(metAt, p.at);
      }
      if (!met) continue;
      const at = Math.round(Math.min(now, metAt + dice.between(1, 5) * 1000));
      if (cycle.archivedAt && cycle.archivedAt <= at) continue;
      const attended = present
        .filter((p) => p.at <= at)
        .map((p) => gatherings[p.gathering]!)
        .sort((a, b) => a.startsAt - b.startsAt);
      const minutes =
        rules.courseIds.reduce((n, id) => n + (content.coursesById.get(id)?.durationMinutes ?? 0), 0) +
        attended.reduce((n, g) => n + (g.endsAt - g.startsAt) / MINUTE, 0);
      const snapshot: CertificateSnapshot = {
        name: m.name,
        cycleName: cycle.name,
        collectiveName,
        courses: rules.courseIds.flatMap((id) => {
          const course = content.coursesById.get(id);
          return course ? [{ id, title: course.title }] : [];
        }),
        skills: skills
          .filter(
            (s) =>
              s.lessons.length + s.quizzes.length > 0 &&
              s.lessons.every((l) => {
                const done = lpDone[mi * L + l]!;
                return done > 0 && done <= at;
              }) &&
              s.quizzes.every((q) => passedAt(mi, q, pathQuizzes[q]!.passMark, at) > 0),
          )
          .map((s) => ({ code: s.code, title: s.title })),
        hours: Math.round(minutes / 30) / 2,
        gatherings: attended.map((g) => ({ title: g.title, date: parisDay.format(g.startsAt) })),
        issuedOn: parisDay.format(at),
        issuer: 'Passerelle (attribution automatique)',
        reason: null,
      };
      let code: string;
      do code = dice.chars(ALPHABET, 16).match(/.{4}/g)!.join('-');
      while (codes.has(code));
      codes.add(code);
      issued.push({ code, cycle, member: m, snapshot: JSON.stringify(snapshot), at });
    }
  }
  issued.sort((a, b) => a.at - b.at || a.member.userId - b.member.userId);
  for (const c of issued) {
    let revokedAt = 0;
    if (nationalTeam.length > 0 && dice.chance(0.015)) {
      revokedAt = Math.round(Math.min(now, c.at + dice.between(2, 90) * DAY));
      if (revokedAt <= c.at) revokedAt = 0;
    }
    insertCertificate.run(
      c.code,
      c.cycle.id,
      c.member.userId,
      c.snapshot,
      c.at,
      revokedAt || null,
      revokedAt ? dice.pick(nationalTeam) : null,
      revokedAt ? dice.pick(revokeReasons) : null,
    );
    if (revokedAt) counts.revokedCertificates++;
  }
  counts.certificates = issued.length;
  step('attestations', issued.length);
}
