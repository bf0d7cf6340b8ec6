// « Mon projet »: an OSIM's project file, written by its members section by section, shared with
// their cycle for review, marked « prêt à déposer » by the cycle's trainer. Who may do what is
// decided by the predicates of policy/policy.ts over `ProjectFacts`; every function here that acts
// on a project takes the `ProjectView` getProjectFor gave (which holds the person's relation).
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { isEnrolled } from '../cycles/cycles.ts';
import { type Db, withTransaction } from '../db/client.ts';
import {
  cycleMembers,
  cycles,
  memberships,
  organizations,
  type Project,
  projectAuthors,
  projectSections,
  projectSectionVersions,
  projects,
  users,
} from '../db/schema.ts';
import { FieldRuleError, ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import type { CurrentUser } from '../people/users.ts';
import {
  collectivesWhere,
  FOLLOWER,
  isNational,
  managedCollectives,
  mayCommentProject,
  mayEditProject,
  mayMarkProjectReady,
  mayReviewProject,
  mayStartProjectFor,
  type ProjectFacts,
  type ProjectRelation,
  projectRelation,
} from '../policy/policy.ts';
import { type BudgetTotals, budgetLines, budgetTotals, readBudget } from './budget.ts';
import { emptyText, isTextWritten, SECTION_KEYS, type SectionKey, type TextContent } from './sections.ts';

export interface ProjectRights {
  edit: boolean;
  comment: boolean;
  review: boolean;
  markReady: boolean;
}

export interface ProjectView extends Project, ProjectFacts {
  osimName: string;
  osim: { id: number; name: string; parentId: number | null; federationId: number | null };
  authors: Array<{ id: number; name: string }>;
  cycle: { id: number; name: string; collectiveId: number | null } | null;
  relation: ProjectRelation;
  rights: ProjectRights;
}

function rightsOf(user: CurrentUser, relation: ProjectRelation, facts: ProjectFacts): ProjectRights {
  return {
    edit: mayEditProject(relation),
    comment: mayCommentProject(relation, facts),
    review: mayReviewProject(relation, facts),
    markReady: mayMarkProjectReady(user, facts),
  };
}

/** The project's authors, by name. */
function authorsOf(db: Db, projectId: number) {
  return db
    .select({ id: users.id, name: users.displayName })
    .from(projectAuthors)
    .innerJoin(users, eq(users.id, projectAuthors.userId))
    .where(eq(projectAuthors.projectId, projectId))
    .orderBy(asc(projectAuthors.addedAt), asc(users.id))
    .all();
}

/** A project the person may see, with their relation to it and what it lets them do; 404 otherwise. */
export function getProjectFor(db: Db, user: CurrentUser, id: number): ProjectView {
  const row = db
    .select({
      p: projects,
      osim: {
        id: organizations.id,
        name: organizations.name,
        parentId: organizations.parentId,
        federationId: organizations.federationId,
      },
      cycle: { id: cycles.id, name: cycles.name, collectiveId: cycles.collectiveId },
    })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.organizationId))
    .leftJoin(cycles, eq(cycles.id, projects.cycleId))
    .where(eq(projects.id, id))
    .get();
  if (!row) throw new NotFoundError();
  const authors = authorsOf(db, id);
  const facts: ProjectFacts = {
    authorIds: authors.map((a) => a.id),
    osim: row.osim,
    cycle: row.cycle && row.cycle.id !== null ? row.cycle : null,
    sharedWithNational: row.p.sharedWithNational,
  };
  const relation = projectRelation(user, facts, () =>
    facts.cycle ? isEnrolled(db, row.p.cycleId!, user.id) : false,
  );
  if (!relation) throw new NotFoundError();
  return {
    ...row.p,
    ...facts,
    osim: row.osim,
    osimName: row.osim.name,
    authors,
    cycle: facts.cycle as ProjectView['cycle'],
    relation,
    rights: rightsOf(user, relation, facts),
  };
}

/** A project its author is about to change: anyone else who may read it is refused (403). */
export function getEditableProject(db: Db, user: CurrentUser, id: number): ProjectView {
  const project = getProjectFor(db, user, id);
  if (!project.rights.edit) throw new ForbiddenError('project.error.notAuthor');
  return project;
}

/** The OSIMs the person may start a project for (their OSIMs as a member). */
export function projectOsimChoices(user: CurrentUser): Array<{ id: number; name: string }> {
  return user.memberships
    .filter((m) => m.role === FOLLOWER && m.organizationKind === 'osim')
    .map((m) => ({ id: m.organizationId, name: m.organizationName }));
}

/** Starts a project: its sections created empty (version 0), the summary holding its title. */
export function createProject(
  db: Db,
  user: CurrentUser,
  input: { title: string; organizationId: number },
  now = new Date(),
): number {
  if (!mayStartProjectFor(user, input.organizationId))
    throw new FieldRuleError('organizationId', 'form.invalidChoice');
  return withTransaction(db, (tx) => {
    const id = tx
      .insert(projects)
      .values({ organizationId: input.organizationId, title: input.title, createdAt: now, updatedAt: now })
      .returning({ id: projects.id })
      .get().id;
    tx.insert(projectAuthors).values({ projectId: id, userId: user.id, addedAt: now }).run();
    for (const key of SECTION_KEYS) {
      const content: Record<string, unknown> =
        key === 'budget' ? { expenses: [], resources: [], inKind: [] } : emptyText(key);
      if (key === 'summary') content.title = input.title;
      const version = key === 'summary' ? 1 : 0;
      tx.insert(projectSections)
        .values({
          projectId: id,
          section: key,
          content,
          version,
          updatedBy: version ? user.id : null,
          updatedAt: version ? now : null,
        })
        .run();
      if (version)
        tx.insert(projectSectionVersions)
          .values({ projectId: id, section: key, version, content, authorId: user.id, savedAt: now })
          .run();
    }
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'project.created',
      organizationId: input.organizationId,
      details: { projectId: id },
    });
    return id;
  });
}

/** The project's OSIM is still the person's (an author who left it is an author no more: policy.ts). */
function stillMemberSql(userId: number) {
  return sql`p.organization_id IN (SELECT organization_id FROM memberships WHERE user_id = ${userId} AND role = ${FOLLOWER})`;
}

export interface ProjectListItem {
  id: number;
  title: string;
  osimName: string;
  cycleName: string | null;
  sharedAt: Date | null;
  readyAt: Date | null;
  updatedAt: Date;
}

function listItems(db: Db, where: ReturnType<typeof sql>) {
  return db
    .all<{
      id: number;
      title: string;
      osimName: string;
      cycleName: string | null;
      sharedAt: number | null;
      readyAt: number | null;
      updatedAt: number;
    }>(sql`
    SELECT p.id, p.title, o.name AS osimName, c.name AS cycleName, p.shared_at AS sharedAt,
      p.ready_at AS readyAt, p.updated_at AS updatedAt
    FROM projects p JOIN organizations o ON o.id = p.organization_id
    LEFT JOIN cycles c ON c.id = p.cycle_id
    WHERE ${where}
    ORDER BY p.updated_at DESC, p.id DESC LIMIT 200`)
    .map(
      (r): ProjectListItem => ({
        ...r,
        sharedAt: r.sharedAt === null ? null : new Date(r.sharedAt),
        readyAt: r.readyAt === null ? null : new Date(r.readyAt),
        updatedAt: new Date(r.updatedAt),
      }),
    );
}

/**
 * The projects a person finds on « Mon projet »: theirs; those shared with a cycle they follow or
 * train; their collectives' projects (coordinators); those shared with the national team.
 */
export function listProjectsFor(db: Db, user: CurrentUser) {
  const mine = listItems(
    db,
    sql`p.id IN (SELECT project_id FROM project_authors WHERE user_id = ${user.id}) AND ${stillMemberSql(user.id)}`,
  );
  const mineIds = new Set(mine.map((p) => p.id));
  const trained = user.memberships.filter((m) => m.role === 'trainer' && m.collectiveId !== null);
  const trainedIds = trained.map((m) => m.collectiveId!);
  const toReview = listItems(
    db,
    sql`p.cycle_id IS NOT NULL AND (
      p.cycle_id IN (SELECT cycle_id FROM cycle_members WHERE user_id = ${user.id} AND withdrawn_at IS NULL)
      ${trainedIds.length ? sql`OR c.collective_id IN (${sql.join(trainedIds, sql`, `)})` : sql``}
      ${isNational(user) ? sql`OR c.collective_id IS NULL` : sql``})`,
  ).filter((p) => !mineIds.has(p.id));
  const seen = new Set([...mineIds, ...toReview.map((p) => p.id)]);
  const collectives = managedCollectives(user);
  const ofCollectives = collectives.length
    ? listItems(
        db,
        sql`(o.parent_id IN (${sql.join(collectives, sql`, `)}) OR o.federation_id IN (${sql.join(collectives, sql`, `)}))`,
      ).filter((p) => !seen.has(p.id))
    : [];
  for (const p of ofCollectives) seen.add(p.id);
  const sharedWithNational = isNational(user)
    ? listItems(db, sql`p.shared_with_national = 1`).filter((p) => !seen.has(p.id))
    : [];
  return { mine, toReview, ofCollectives, sharedWithNational };
}

// ——— Sharing, co-authors, « prêt à déposer » ———

/** The cycles an author may share the project with: those they follow now. */
export function shareChoices(db: Db, user: CurrentUser): Array<{ id: number; name: string }> {
  return db
    .select({ id: cycles.id, name: cycles.name })
    .from(cycleMembers)
    .innerJoin(cycles, eq(cycles.id, cycleMembers.cycleId))
    .where(and(eq(cycleMembers.userId, user.id), isNull(cycleMembers.withdrawnAt), isNull(cycles.archivedAt)))
    .orderBy(desc(cycles.startsOn))
    .all();
}

/** Shares the project with a cycle the author follows (or takes it back: null), and with the national team or not. */
export function shareProject(
  db: Db,
  user: CurrentUser,
  project: ProjectView,
  input: { cycleId: number | null; national: boolean },
  now = new Date(),
): void {
  if (!project.rights.edit) throw new ForbiddenError('project.error.notAuthor');
  // The cycle it is shared with stays a choice, even once archived or left by this co-author.
  const sameCycle = input.cycleId === project.cycleId;
  if (input.cycleId !== null && !sameCycle && !shareChoices(db, user).some((c) => c.id === input.cycleId))
    throw new FieldRuleError('cycleId', 'form.invalidChoice');
  db.update(projects)
    .set({
      cycleId: input.cycleId,
      sharedAt: input.cycleId === null ? null : sameCycle ? project.sharedAt : now,
      sharedWithNational: input.national,
      // Another cycle's trainer decides afresh.
      ...(sameCycle ? {} : { readyAt: null, readyBy: null }),
      updatedAt: now,
    })
    .where(eq(projects.id, project.id))
    .run();
}

/** The members of the project's OSIM who may be added as co-authors. */
export function coAuthorChoices(db: Db, project: ProjectView): Array<{ id: number; name: string }> {
  const authorIds = project.authorIds;
  return db
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.organizationId, project.organizationId),
        eq(memberships.role, FOLLOWER),
        isNull(users.disabledAt),
      ),
    )
    .orderBy(asc(users.displayName))
    .all()
    .filter((u) => !authorIds.includes(u.id));
}

export function addCoAuthor(
  db: Db,
  user: CurrentUser,
  project: ProjectView,
  userId: number,
  now = new Date(),
) {
  if (!project.rights.edit) throw new ForbiddenError('project.error.notAuthor');
  if (!coAuthorChoices(db, project).some((u) => u.id === userId))
    throw new FieldRuleError('userId', 'form.invalidChoice');
  withTransaction(db, (tx) => {
    tx.insert(projectAuthors)
      .values({ projectId: project.id, userId, addedAt: now })
      .onConflictDoNothing()
      .run();
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'project.coAuthorAdded',
      subjectUserId: userId,
      organizationId: project.organizationId,
      details: { projectId: project.id },
    });
  });
}

/** Why the project cannot be marked ready yet (sections left empty, a budget that does not balance), or null. */
export function readinessProblems(db: Db, projectId: number): { empty: SectionKey[]; budget: BudgetTotals } {
  const rows = db
    .select({ section: projectSections.section, content: projectSections.content })
    .from(projectSections)
    .where(eq(projectSections.projectId, projectId))
    .all();
  const empty: SectionKey[] = [];
  let budget = budgetTotals([]);
  for (const key of SECTION_KEYS) {
    const content = rows.find((r) => r.section === key)?.content ?? {};
    if (key === 'budget') {
      const b = readBudget(content);
      budget = budgetTotals(budgetLines(b));
      if (b.expenses.length + b.resources.length === 0) empty.push(key);
    } else if (!isTextWritten(content as TextContent)) empty.push(key);
  }
  return { empty, budget };
}

/** « Prêt à déposer » (or not any more), said by a trainer of the cycle: only when every section is written and the budget balances. */
export function markReady(db: Db, user: CurrentUser, project: ProjectView, ready: boolean, now = new Date()) {
  if (!project.rights.markReady) throw new ForbiddenError('project.error.notTrainer');
  if (ready) {
    const { empty, budget } = readinessProblems(db, project.id);
    if (empty.length > 0) throw new RuleError('project.error.sectionsEmpty', { count: empty.length });
    if (!budget.balanced) throw new RuleError('project.error.budgetUnbalanced');
  }
  // Called inside recordProgress's transaction (progress/record-progress.ts): the authors'
  // certificates whose rules it completes are issued with it.
  withTransaction(db, (tx) => {
    tx.update(projects)
      .set({ readyAt: ready ? now : null, readyBy: ready ? user.id : null })
      .where(eq(projects.id, project.id))
      .run();
    recordAudit(tx, {
      actorUserId: user.id,
      action: ready ? 'project.ready' : 'project.notReady',
      organizationId: project.organizationId,
      details: { projectId: project.id },
    });
  });
}

/** A person's projects marked « prêt à déposer » (those shared with `cycleId` only, when given): a certificate rule. */
export function readyProjectsOf(db: Db, userId: number, cycleId?: number) {
  return db
    .select({ id: projects.id, title: projects.title, cycleId: projects.cycleId, readyAt: projects.readyAt })
    .from(projectAuthors)
    .innerJoin(projects, eq(projects.id, projectAuthors.projectId))
    .where(
      and(
        eq(projectAuthors.userId, userId),
        sql`${projects.readyAt} IS NOT NULL`,
        // A co-author added after the trainer's word gets no credit for it.
        sql`${projectAuthors.addedAt} <= ${projects.readyAt}`,
        cycleId === undefined ? undefined : eq(projects.cycleId, cycleId),
      ),
    )
    .all();
}

/** A person's projects reviewed by at least one peer or trainer, and whether each is ready: evidence of skills. */
export function reviewedProjectsOf(
  db: Db,
  userId: number,
): Array<{ id: number; title: string; ready: boolean }> {
  return db
    .all<{ id: number; title: string; readyAt: number | null }>(sql`
      SELECT p.id, p.title, p.ready_at AS readyAt FROM project_authors a JOIN projects p ON p.id = a.project_id
      WHERE a.user_id = ${userId} AND EXISTS (SELECT 1 FROM project_reviews r WHERE r.project_id = p.id)
      ORDER BY p.id`)
    .map((r) => ({ id: r.id, title: r.title, ready: r.readyAt !== null }));
}

export interface ProjectBrief {
  id: number;
  title: string;
  osimName: string;
  /** Sections saved at least once, of SECTION_KEYS.length. */
  saved: number;
  comments: number;
  shared: boolean;
  ready: boolean;
}

const briefSelect = sql`
  SELECT p.id, p.title, o.name AS osimName, p.cycle_id IS NOT NULL AS shared, p.ready_at IS NOT NULL AS ready,
    (SELECT count(*) FROM project_sections s WHERE s.project_id = p.id AND s.version > 0) AS saved,
    (SELECT count(*) FROM project_comments c WHERE c.project_id = p.id) AS comments
  FROM projects p JOIN organizations o ON o.id = p.organization_id`;

function briefs(rows: Array<Omit<ProjectBrief, 'shared' | 'ready'> & { shared: number; ready: number }>) {
  return rows.map((r): ProjectBrief => ({ ...r, shared: r.shared === 1, ready: r.ready === 1 }));
}

/** A member's projects, for their home (the latest three). */
export function projectsOfAuthor(db: Db, userId: number): ProjectBrief[] {
  return briefs(
    db.all(sql`${briefSelect}
      WHERE p.id IN (SELECT project_id FROM project_authors WHERE user_id = ${userId}) AND ${stillMemberSql(userId)}
      ORDER BY p.updated_at DESC LIMIT 3`),
  );
}

/** Projects shared with the cycles a trainer trains and not yet ready, for their home (the latest five). */
export function projectsToReview(db: Db, user: CurrentUser): ProjectBrief[] {
  const trained = collectivesWhere(user, ['trainer']);
  if (trained.length === 0) return [];
  return briefs(
    db.all(sql`${briefSelect} JOIN cycles c ON c.id = p.cycle_id
      WHERE c.collective_id IN (${sql.join(trained, sql`, `)}) AND p.ready_at IS NULL
      ORDER BY p.updated_at DESC LIMIT 5`),
  );
}
