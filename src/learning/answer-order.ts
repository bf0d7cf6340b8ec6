// The order in which a person sees a quiz's answers: shuffled per attempt, so that a quiz cannot be
// passed by ticking the same place twice, and kept with the attempt, so that its result page shows
// the answers as they were seen.
//
// NOTE: the order is derived, not drawn: a hash of (quiz, person, round, question) drives a
// Fisher–Yates shuffle, the round being the attempt's number (1 for the first). The quiz page and
// its POST therefore agree without storing anything before the attempt exists (the round travels in
// a hidden field, and a form given back after sign-in or with a missing answer keeps its order);
// the attempt stores the order it was answered in (quiz_attempts.answer_order). A round whose order
// would repeat the previous round's for every question is rotated by one, so a second attempt
// always looks different.
import { createHash } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type QuizQuestion, quizAttempts } from '../db/schema.ts';

/** Question id → answer ids in the order shown. */
export type AnswerOrder = Record<string, string[]>;

/** Highest round a form may claim (a person does not take a quiz a thousand times). */
export const MAX_ROUND = 1000;

function shuffled(ids: string[], seed: string): string[] {
  const out = [...ids];
  const bytes = createHash('sha256').update(seed).digest();
  for (let i = out.length - 1; i > 0; i--) {
    const j = bytes[(out.length - 1 - i) % bytes.length]! % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function derive(questions: QuizQuestion[], quizId: string, userId: number, round: number): AnswerOrder {
  const order: AnswerOrder = {};
  for (const q of questions)
    order[q.id] = shuffled(
      q.answers.map((a) => a.id),
      `${quizId}\0${userId}\0${round}\0${q.id}`,
    );
  return order;
}

function sameOrder(a: AnswerOrder, b: AnswerOrder): boolean {
  return Object.keys(a).every((id) => a[id]!.join('\0') === b[id]?.join('\0'));
}

/** The order a person sees at their `round`-th attempt of the quiz. */
export function answerOrder(
  questions: QuizQuestion[],
  quizId: string,
  userId: number,
  round: number,
): AnswerOrder {
  const order = derive(questions, quizId, userId, round);
  if (round > 1 && sameOrder(order, derive(questions, quizId, userId, round - 1))) {
    const first = questions.find((q) => q.answers.length > 1);
    if (first) order[first.id] = [...order[first.id]!.slice(1), order[first.id]![0]!];
  }
  return order;
}

/** The round of the person's next attempt: their attempts so far, plus one. */
export function nextRound(db: Db, userId: number, quizId: string): number {
  const row = db
    .select({ n: count() })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.quizId, quizId)))
    .get();
  return Math.min((row?.n ?? 0) + 1, MAX_ROUND);
}

/**
 * The round a quiz form says it showed (its hidden field), or, when the field is missing or not a
 * round a person could have reached, the person's next one.
 */
export function roundOf(db: Db, userId: number, quizId: string, sent: unknown): number {
  const round = typeof sent === 'string' && /^\d{1,4}$/.test(sent) ? Number(sent) : 0;
  return round >= 1 && round <= MAX_ROUND ? round : nextRound(db, userId, quizId);
}

/**
 * The questions with their answers in `order`; answers the order does not know (content changed
 * since) come last, in the file's order. Without an order (attempts made before shuffling), the
 * file's order.
 */
export function inOrder(questions: QuizQuestion[], order: AnswerOrder | null | undefined): QuizQuestion[] {
  if (!order) return questions;
  return questions.map((q) => {
    const ids = order[q.id] ?? [];
    const rank = (id: string) => {
      const i = ids.indexOf(id);
      return i === -1 ? ids.length : i;
    };
    return { ...q, answers: [...q.answers].sort((a, b) => rank(a.id) - rank(b.id)) };
  });
}
