// The members' progress on the path: how far each has gone (paced, squeezed into the time they
// have had), lessons opened and finished, quiz attempts failed then passed — decided before the
// accounts are written (it sets last_seen_at), then the lessons' progress and the attempts written.
import { type Attempt, DAY, type Member, MINUTE, type Run } from './national-run.ts';

export interface Progress {
  /** Per member and lesson of the path (member × lessons + lesson): first opened, last opened, done (0: never). */
  lpFirst: Float64Array;
  lpLast: Float64Array;
  lpDone: Float64Array;
  attempts: Attempt[];
}

export function planProgress(run: Run, members: Member[]): Progress {
  const { dice, now, counts, pathSteps, pathQuizzes, quizNeeds, L, S } = run;
  // ——— Progress on the path, decided before writing (it sets last_seen_at) ———
  const lpFirst = new Float64Array(members.length * L);
  const lpLast = new Float64Array(members.length * L);
  const lpDone = new Float64Array(members.length * L);
  const attempts: Attempt[] = [];
  members.forEach((m, i) => {
    const start = m.cycle >= 0 ? m.enrolledAt : m.createdAt;
    const end = m.withdrawnAt || now;
    const window = end - start;
    const ripe = Math.min(1, Math.max(0, window / (150 * DAY)));
    const r = dice.next();
    const never = 0.06 + 0.2 * (1 - ripe);
    const depth =
      window <= MINUTE || r < never
        ? 0
        : r < never + 0.3 * ripe
          ? S
          : 1 + Math.floor((S - 1) * dice.next() ** (1 + 0.8 * (1 - ripe)));
    // Times of each step done (and of the step reached next), paced, squeezed into the window.
    const pace = 2 * DAY * Math.exp(dice.normal() * 0.8);
    const gaps: number[] = [dice.between(0, 5) * DAY];
    for (let k = 1; k <= Math.min(depth, S - 1); k++)
      gaps.push(pace * dice.exponential() * ('quiz' in pathSteps[k]! ? 0.3 : 1) + 10 * MINUTE);
    const total = gaps.reduce((a, b) => a + b, 0);
    const squeeze = total > window * 0.97 ? (window * dice.between(0.6, 0.97)) / total : 1;
    const at: number[] = [];
    let t = start;
    for (const g of gaps) {
      t += g * squeeze;
      at.push(t);
    }
    const skipLesson = depth >= 3 && dice.chance(0.05) ? dice.int(0, depth - 2) : -1;
    let lastActivity = 0;
    let passedAll = depth === S;
    for (let k = 0; k <= Math.min(depth, S - 1); k++) {
      const s = pathSteps[k]!;
      const done = k < depth;
      const time = Math.round(at[k]!);
      const previous = k > 0 ? at[k - 1]! : start;
      if ('lesson' in s) {
        const cell = i * L + s.lesson;
        const opened = Math.round(Math.max(previous, time - dice.between(3, 30) * MINUTE));
        if (done && k === skipLesson) {
          passedAll = false;
          if (dice.chance(0.5)) {
            lpFirst[cell] = opened;
            lpLast[cell] = opened;
            lastActivity = Math.max(lastActivity, opened);
          }
        } else if (done) {
          lpFirst[cell] = opened;
          lpDone[cell] = time;
          lpLast[cell] = dice.chance(0.12) ? Math.round(dice.between(time, end)) : time;
          lastActivity = Math.max(lastActivity, lpLast[cell]!);
        } else if (dice.chance(0.55)) {
          lpFirst[cell] = opened;
          lpLast[cell] = opened;
          lastActivity = Math.max(lastActivity, opened);
        }
      } else {
        const need = quizNeeds[s.quiz]!;
        const n = pathQuizzes[s.quiz]!.questions.length;
        const failing = () => dice.int(Math.min(need - 1, Math.ceil(n * 0.3)), need - 1);
        let tries: number[];
        if (done && dice.chance(0.95)) {
          const fails = dice.chance(0.6) ? 0 : dice.chance(0.7) ? 1 : 2;
          tries = [...Array.from({ length: fails }, failing), dice.int(need, n)];
        } else {
          if (done) passedAll = false;
          tries = dice.chance(done ? 0.5 : 0.4)
            ? []
            : Array.from({ length: dice.int(1, done ? 1 : 3) }, failing);
        }
        const from = previous;
        const to = done ? time : Math.round(dice.between(previous, end));
        tries.forEach((right, j) => {
          const when = Math.round(from + ((to - from) * (j + 1)) / tries.length);
          attempts.push({ member: i, quiz: s.quiz, at: when, right });
          lastActivity = Math.max(lastActivity, when);
        });
      }
    }
    if (passedAll) counts.finishedPath++;
    m.engagement = Math.min(1, depth / S + 0.25 * dice.next());
    m.lastActivity = lastActivity;
  });
  return { lpFirst, lpLast, lpDone, attempts };
}

export function writeLessonProgress(run: Run, members: Member[], order: number[], progress: Progress): void {
  const { counts, step, pathLessons, L } = run;
  const { insertProgress } = run.statements;
  const { lpFirst, lpLast, lpDone } = progress;
  for (const i of order) {
    const userId = members[i]!.userId;
    for (let l = 0; l < L; l++) {
      const cell = i * L + l;
      if (lpFirst[cell] === 0) continue;
      insertProgress.run(userId, pathLessons[l]!.id, lpFirst[cell], lpLast[cell], lpDone[cell] || null);
      counts.lessonProgress++;
    }
  }
  step('progression (leçons)', counts.lessonProgress);
}

export function writeQuizAttempts(run: Run, members: Member[], attempts: Attempt[]): void {
  const { dice, counts, step, pathQuizzes, scoreOf } = run;
  const { insertAttempt } = run.statements;
  // Quiz answers: for each number of right questions, a few ways of getting there.
  const answerVariants = new Map<string, string>();
  const answersFor = (quiz: number, right: number) => {
    const variant = dice.int(0, 5);
    const key = `${quiz}:${right}:${variant}`;
    let json = answerVariants.get(key);
    if (json === undefined) {
      const questions = pathQuizzes[quiz]!.questions;
      const wrong = new Set<number>();
      while (wrong.size < questions.length - right) wrong.add(dice.int(0, questions.length - 1));
      const answers: Record<string, string[]> = {};
      questions.forEach((q, qi) => {
        const good = q.answers.filter((a) => a.correct).map((a) => a.id);
        const bad = q.answers.filter((a) => !a.correct).map((a) => a.id);
        answers[q.id] = wrong.has(qi) ? (bad.length > 0 ? [bad[0]!] : []) : good;
      });
      json = JSON.stringify(answers);
      answerVariants.set(key, json);
    }
    return json;
  };
  attempts.sort((a, b) => a.at - b.at || a.member - b.member);
  for (const a of attempts) {
    const score = scoreOf(a.quiz, a.right);
    const passed = score >= pathQuizzes[a.quiz]!.passMark;
    insertAttempt.run(
      members[a.member]!.userId,
      pathQuizzes[a.quiz]!.id,
      answersFor(a.quiz, a.right),
      score,
      passed ? 1 : 0,
      a.at,
    );
  }
  counts.quizAttempts = attempts.length;
  step('tentatives de quiz', attempts.length);
}
