// Review by peers: comments by section (and answers to them), and the rubric each reviewer fills.
// The rubric's criteria are the path's skills a grant file shows (projects count as evidence of
// them once marked ready: certificates/progress.ts).
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Db, withTransaction } from '../db/client.ts';
import { projectComments, projectReviews, type RubricAnswer, users } from '../db/schema.ts';
import { FieldRuleError, ForbiddenError } from '../lib/errors.ts';
import type { CurrentUser } from '../people/users.ts';
import type { ProjectView } from './projects.ts';
import type { SectionKey } from './sections.ts';

/** The rubric: each criterion, the section it reads first, and the skill of the path it shows. */
export const RUBRIC = [
  { key: 'objectives', section: 'objectives', skill: 'PRJ-2' },
  { key: 'qpv', section: 'place', skill: 'POL-2' },
  { key: 'calendar', section: 'actions', skill: 'EVT-1' },
  { key: 'budget', section: 'budget', skill: 'PRJ-3' },
  { key: 'cofunding', section: 'budget', skill: 'PRJ-4' },
] as const satisfies ReadonlyArray<{ key: string; section: SectionKey; skill: string }>;
export type RubricKey = (typeof RUBRIC)[number]['key'];
export const RUBRIC_SKILLS: readonly string[] = RUBRIC.map((c) => c.skill);

/** Comments a project may hold: far more than a cycle writes, few enough for one page. */
export const MAX_COMMENTS = 500;

export interface CommentView {
  id: number;
  section: string | null;
  authorId: number;
  authorName: string;
  replyTo: number | null;
  body: string;
  createdAt: Date;
  /** The comment's author is one of the project's authors (an answer). */
  byAuthor: boolean;
}

/** The project's comments, oldest first; answers follow the comment they answer. */
export function listComments(db: Db, project: ProjectView): CommentView[] {
  const rows = db
    .select({
      id: projectComments.id,
      section: projectComments.section,
      authorId: projectComments.authorId,
      authorName: users.displayName,
      replyTo: projectComments.replyTo,
      body: projectComments.body,
      createdAt: projectComments.createdAt,
    })
    .from(projectComments)
    .innerJoin(users, eq(users.id, projectComments.authorId))
    .where(eq(projectComments.projectId, project.id))
    .orderBy(asc(projectComments.createdAt), asc(projectComments.id))
    .all()
    .map((r) => ({ ...r, byAuthor: project.authorIds.includes(r.authorId) }));
  const threads: CommentView[] = [];
  for (const c of rows.filter((r) => r.replyTo === null)) {
    threads.push(c, ...rows.filter((r) => r.replyTo === c.id));
  }
  return threads;
}

/** The number of comments on each section (null: on the whole project), for the project page. */
export function commentCounts(db: Db, projectId: number): Record<string, number> {
  const rows = db.all<{ section: string | null; n: number }>(sql`
    SELECT section, count(*) AS n FROM project_comments WHERE project_id = ${projectId} GROUP BY section`);
  return Object.fromEntries(rows.map((r) => [r.section ?? '', r.n]));
}

/** A comment on a section (or an answer to a comment of the same project). */
export function addComment(
  db: Db,
  user: CurrentUser,
  project: ProjectView,
  input: { section: SectionKey | null; body: string; replyTo: number | null },
  now = new Date(),
): number {
  if (!project.rights.comment) throw new ForbiddenError('project.error.notReviewer');
  let section = input.section;
  if (input.replyTo !== null) {
    const parent = db
      .select({ section: projectComments.section, replyTo: projectComments.replyTo })
      .from(projectComments)
      .where(and(eq(projectComments.id, input.replyTo), eq(projectComments.projectId, project.id)))
      .get();
    if (!parent || parent.replyTo !== null) throw new FieldRuleError('body', 'project.error.replyInvalid');
    section = parent.section as SectionKey | null;
  }
  const count = db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM project_comments WHERE project_id = ${project.id}`,
  )!.n;
  if (count >= MAX_COMMENTS)
    throw new FieldRuleError('body', 'project.error.tooManyComments', { max: MAX_COMMENTS });
  return db
    .insert(projectComments)
    .values({
      projectId: project.id,
      section,
      authorId: user.id,
      replyTo: input.replyTo,
      body: input.body,
      createdAt: now,
    })
    .returning({ id: projectComments.id })
    .get().id;
}

export interface ReviewView {
  reviewerId: number;
  reviewerName: string;
  answers: Partial<Record<RubricKey, RubricAnswer>>;
  updatedAt: Date;
}

export function listReviews(db: Db, projectId: number): ReviewView[] {
  return db
    .select({
      reviewerId: projectReviews.reviewerId,
      reviewerName: users.displayName,
      answers: projectReviews.answers,
      updatedAt: projectReviews.updatedAt,
    })
    .from(projectReviews)
    .innerJoin(users, eq(users.id, projectReviews.reviewerId))
    .where(eq(projectReviews.projectId, projectId))
    .orderBy(asc(projectReviews.updatedAt))
    .all();
}

/** Per criterion, how many reviewers answered yes, partly, no. */
export function rubricSummary(reviews: readonly ReviewView[]) {
  return RUBRIC.map((c) => {
    const counts = { yes: 0, partly: 0, no: 0 };
    for (const r of reviews) {
      const a = r.answers[c.key];
      if (a) counts[a]++;
    }
    return { ...c, counts };
  });
}

/** A reviewer's rubric, saved again as often as they like (one per reviewer), with an optional comment. */
export function saveReview(
  db: Db,
  user: CurrentUser,
  project: ProjectView,
  answers: Record<RubricKey, RubricAnswer>,
  comment: string,
  now = new Date(),
): void {
  if (!project.rights.review) throw new ForbiddenError('project.error.notReviewer');
  withTransaction(db, (tx) => {
    tx.insert(projectReviews)
      .values({ projectId: project.id, reviewerId: user.id, answers, updatedAt: now })
      .onConflictDoUpdate({
        target: [projectReviews.projectId, projectReviews.reviewerId],
        set: { answers, updatedAt: now },
      })
      .run();
    if (comment !== '')
      tx.insert(projectComments)
        .values({
          projectId: project.id,
          section: null,
          authorId: user.id,
          replyTo: null,
          body: comment,
          createdAt: now,
        })
        .run();
  });
}
