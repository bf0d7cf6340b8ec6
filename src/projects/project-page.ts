// What a project's page and its sections' pages show, gathered for their templates: the sections
// with their state, the budget's totals, the review, and the forms the person's rights open.

import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { lessons } from '../db/schema.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import type { FieldErrors } from '../lib/forms.ts';
import type { CurrentUser } from '../people/users.ts';
import {
  budgetLines,
  budgetTotals,
  EXPENSE_ACCOUNTS,
  FUNDER_KIND_KEYS,
  FUNDER_STATUSES,
  formatEuros,
} from './budget.ts';
import { type BudgetErrors, type BudgetRows, rowsOf } from './budget-form.ts';
import {
  budgetOf,
  type SectionState,
  sectionOf,
  sectionsOf,
  textOf,
  versionCounts,
} from './project-sections.ts';
import { coAuthorChoices, type ProjectView, readinessProblems, shareChoices } from './projects.ts';
import { commentCounts, listComments, listReviews, rubricSummary } from './reviews.ts';
import { isTextWritten, SECTIONS, type SectionKey, type TextContent } from './sections.ts';

export function projectPage(
  db: Db,
  user: CurrentUser,
  project: ProjectView,
  form: { errors: FieldErrors; comment?: CommentFormState },
) {
  const states = sectionsOf(db, project.id);
  const versions = versionCounts(db, project.id);
  const comments = commentCounts(db, project.id);
  const budgetState = states.find((s) => s.key === 'budget')!;
  const budget = budgetOf(budgetState);
  const sections = states.map((s) => ({
    key: s.key,
    written:
      s.key === 'budget'
        ? budget.expenses.length + budget.resources.length > 0
        : isTextWritten(s.content as TextContent),
    version: s.version,
    versions: versions[s.key] ?? 0,
    updatedAt: s.updatedAt,
    updatedByName: s.updatedByName,
    comments: comments[s.key] ?? 0,
  }));
  const reviews = listReviews(db, project.id);
  return {
    project,
    sections,
    totals: budgetTotals(budgetLines(budget)),
    readiness: readinessProblems(db, project.id),
    generalComments: listComments(db, project).filter((c) => c.section === null),
    reviews,
    rubric: rubricSummary(reviews),
    myReview: reviews.find((r) => r.reviewerId === user.id) ?? null,
    shareChoices: project.rights.edit ? withCurrentCycle(shareChoices(db, user), project) : [],
    coAuthorChoices: project.rights.edit ? coAuthorChoices(db, project) : [],
    errors: form.errors,
    comment: form.comment ?? { values: { body: '', replyTo: '' }, errors: {} },
    formatEuros,
  };
}

/** The cycle the project is shared with stays in the sharing form's choices (archived, or not this co-author's). */
function withCurrentCycle(choices: Array<{ id: number; name: string }>, project: ProjectView) {
  const current = project.cycle;
  return current && !choices.some((c) => c.id === current.id)
    ? [{ id: current.id, name: current.name }, ...choices]
    : choices;
}

const LIST_OF_PREFIX: Record<string, MessageKey> = {
  e: 'project.budget.short.expenses',
  r: 'project.budget.short.resources',
  k: 'project.budget.short.inKind',
};

/** « Produits, ligne 3 : » for a budget field's name (r2_amount); nothing for the form's own errors. */
function lineName(t: Translate, field: string): string {
  const match = /^([erk])(\d+)_/.exec(field);
  if (!match) return '';
  return `${t('project.budget.lineOf', { list: t(LIST_OF_PREFIX[match[1]!]!), n: Number(match[2]) + 1 })} : `;
}

/** The lessons that teach a section, with their titles (those the course content still has). */
export function sectionLessons(db: Db, key: SectionKey): Array<{ id: string; title: string }> {
  const ids = SECTIONS[key].lessonIds;
  const rows = db
    .select({ id: lessons.id, title: lessons.title })
    .from(lessons)
    .where(inArray(lessons.id, ids))
    .all();
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

export interface CommentFormState {
  values: { body: string; replyTo: string };
  errors: FieldErrors;
}

/** What the section's form shows besides the stored section: what was typed, errors, a conflict, a save. */
export interface SectionFormState {
  values?: Record<string, string>;
  rows?: BudgetRows;
  errors?: FieldErrors;
  budgetErrors?: BudgetErrors;
  conflict?: SectionState | null;
  savedVersion?: number | null;
  /** What was typed when the session ended, given back after sign-in (auth/resume.ts). */
  resumed?: boolean;
  /** The save took « prêt à déposer » away (a section emptied, the budget no longer balanced). */
  readyLost?: boolean;
  version?: number;
  /** A comment that was not saved: what was typed, and why. */
  comment?: CommentFormState;
}

export function sectionPage(
  db: Db,
  t: Translate,
  project: ProjectView,
  key: SectionKey,
  state: SectionFormState,
) {
  const stored = sectionOf(db, project.id, key);
  const budget = key === 'budget' ? budgetOf(stored) : null;
  return {
    project,
    key,
    fields: SECTIONS[key].fields,
    stored,
    text: key === 'budget' ? {} : textOf(stored, key),
    values: state.values ?? (key === 'budget' ? {} : textOf(stored, key)),
    budget,
    rows: state.rows ?? (budget ? rowsOf(budget) : null),
    totals: budget ? budgetTotals(budgetLines(budget)) : null,
    version: state.version ?? stored.version,
    errors: state.errors ?? {},
    budgetErrors: Object.fromEntries(
      Object.entries(state.budgetErrors ?? {}).map(([k, e]) => [k, t(e.key, e.params)]),
    ),
    // The summary at the top names the line each error is on (« Produits, ligne 3 : … »).
    summaryErrors: Object.fromEntries(
      Object.entries(state.budgetErrors ?? {}).map(([k, e]) => [k, `${lineName(t, k)}${t(e.key, e.params)}`]),
    ),
    conflict: state.conflict ?? null,
    conflictText: state.conflict && key !== 'budget' ? textOf(state.conflict, key) : null,
    conflictBudget: state.conflict && key === 'budget' ? budgetOf(state.conflict) : null,
    savedVersion: state.savedVersion ?? null,
    readyLost: state.readyLost ?? false,
    resumed: state.resumed ?? false,
    lessons: sectionLessons(db, key),
    comments: listComments(db, project).filter((c) => c.section === key),
    comment: state.comment ?? { values: { body: '', replyTo: '' }, errors: {} },
    formatEuros,
    funderKinds: FUNDER_KIND_KEYS,
    funderStatuses: FUNDER_STATUSES,
    expenseAccounts: EXPENSE_ACCOUNTS,
  };
}
