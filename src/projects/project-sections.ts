// A project's sections: read, saved from the version the writer started from (two co-authors
// saving the same section at once: the second gets a conflict, never a silent overwrite), and
// their history. A save is one conditional UPDATE … WHERE version = the form's version.
import { and, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { projectSections, projectSectionVersions, projects, users } from '../db/schema.ts';
import { ForbiddenError } from '../lib/errors.ts';
import type { CurrentUser } from '../people/users.ts';
import { type BudgetContent, readBudget } from './budget.ts';
import { type ProjectView, readinessProblems } from './projects.ts';
import {
  emptyText,
  SECTION_KEYS,
  type SectionKey,
  type TextContent,
  type TextSectionKey,
} from './sections.ts';

export interface SectionState {
  key: SectionKey;
  content: Record<string, unknown>;
  version: number;
  updatedAt: Date | null;
  updatedByName: string | null;
}

/** The section as stored, with who saved it last. */
export function sectionOf(db: Db, projectId: number, key: SectionKey): SectionState {
  return sectionsOf(db, projectId, key)[0]!;
}

/** Every section of the project, in the form's order (or only one). */
export function sectionsOf(db: Db, projectId: number, only?: SectionKey): SectionState[] {
  const rows = db
    .select({
      section: projectSections.section,
      content: projectSections.content,
      version: projectSections.version,
      updatedAt: projectSections.updatedAt,
      updatedByName: users.displayName,
    })
    .from(projectSections)
    .leftJoin(users, eq(users.id, projectSections.updatedBy))
    .where(
      and(eq(projectSections.projectId, projectId), only ? eq(projectSections.section, only) : undefined),
    )
    .all();
  return (only ? [only] : SECTION_KEYS).map((key) => {
    const row = rows.find((r) => r.section === key);
    return row
      ? {
          key,
          content: row.content,
          version: row.version,
          updatedAt: row.updatedAt,
          updatedByName: row.updatedByName,
        }
      : {
          key,
          content: key === 'budget' ? {} : emptyText(key),
          version: 0,
          updatedAt: null,
          updatedByName: null,
        };
  });
}

export const textOf = (state: Pick<SectionState, 'content'>, key: TextSectionKey): TextContent => ({
  ...emptyText(key),
  ...(state.content as TextContent),
});
export const budgetOf = (state: Pick<SectionState, 'content'>): BudgetContent => readBudget(state.content);

/** Someone saved the section since the writer opened it: what is there now. */
export class SectionConflict extends Error {
  constructor(readonly current: SectionState) {
    super('section conflict');
  }
}

/**
 * Saves a section from the version its writer started from, and returns the new version. When
 * another author saved it in between, nothing is written and SectionConflict carries their version.
 */
export function saveSection(
  db: Db,
  user: CurrentUser,
  project: ProjectView,
  key: SectionKey,
  content: Record<string, unknown>,
  fromVersion: number,
  now = new Date(),
): number {
  if (!project.rights.edit) throw new ForbiddenError('project.error.notAuthor');
  return withTransaction(
    db,
    (tx) => {
      const version = fromVersion + 1;
      const changed = tx
        .update(projectSections)
        .set({ content, version, updatedBy: user.id, updatedAt: now })
        .where(
          and(
            eq(projectSections.projectId, project.id),
            eq(projectSections.section, key),
            eq(projectSections.version, fromVersion),
          ),
        )
        .run().changes;
      if (changed === 0) throw new SectionConflict(sectionOf(tx, project.id, key));
      tx.insert(projectSectionVersions)
        .values({ projectId: project.id, section: key, version, content, authorId: user.id, savedAt: now })
        .run();
      const title = key === 'summary' && typeof content.title === 'string' ? content.title : undefined;
      tx.update(projects)
        .set({ updatedAt: now, ...(title ? { title } : {}) })
        .where(eq(projects.id, project.id))
        .run();
      // « Prêt à déposer » holds only while every section is written and the budget balances.
      if (project.readyAt) {
        const { empty, budget } = readinessProblems(tx, project.id);
        if (empty.length > 0 || !budget.balanced) {
          tx.update(projects).set({ readyAt: null, readyBy: null }).where(eq(projects.id, project.id)).run();
          recordAudit(tx, {
            actorUserId: user.id,
            action: 'project.notReady',
            organizationId: project.organizationId,
            details: { projectId: project.id, section: key },
          });
        }
      }
      return version;
    },
    'immediate',
  );
}

export interface SectionVersion {
  version: number;
  content: Record<string, unknown>;
  authorName: string | null;
  savedAt: Date;
}

/** The saved versions of a section, newest first. */
export function sectionHistory(db: Db, projectId: number, key: SectionKey): SectionVersion[] {
  return db
    .select({
      version: projectSectionVersions.version,
      content: projectSectionVersions.content,
      authorName: users.displayName,
      savedAt: projectSectionVersions.savedAt,
    })
    .from(projectSectionVersions)
    .leftJoin(users, eq(users.id, projectSectionVersions.authorId))
    .where(and(eq(projectSectionVersions.projectId, projectId), eq(projectSectionVersions.section, key)))
    .orderBy(desc(projectSectionVersions.version))
    .limit(100)
    .all();
}

/** How many versions each section has had (the project page's « N versions »). */
export function versionCounts(db: Db, projectId: number): Record<string, number> {
  const rows = db.all<{ section: string; n: number }>(sql`
    SELECT section, count(*) AS n FROM project_section_versions WHERE project_id = ${projectId} GROUP BY section`);
  return Object.fromEntries(rows.map((r) => [r.section, r.n]));
}

/** Whether the project is marked « prêt à déposer » now. */
export function isReady(db: Db, projectId: number): boolean {
  return (
    db.select({ readyAt: projects.readyAt }).from(projects).where(eq(projects.id, projectId)).get()
      ?.readyAt != null
  );
}
