// « Mes projets » on « Mes données » (readable.ts): the projects the person writes (each with its
// sharing and its texts, section by section, the budget line by line), the versions they saved,
// the comments they wrote on anyone's project and the rubrics they filled. Versions' texts are in
// the JSON file only: the page gives how many there are.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { isMessageKey } from '../i18n/index.ts';
import { budgetLines, budgetTotals, formatEuros, readBudget } from '../projects/budget.ts';
import { RUBRIC } from '../projects/reviews.ts';
import { isSectionKey, SECTION_KEYS, SECTIONS } from '../projects/sections.ts';
import type { Block, Fact, Line, Reader, Row } from './readable.ts';
import { num, str } from './readable-path.ts';

/** Titles of the projects, names of their OSIMs and cycles, for the rows that point at them. */
function projectNames(db: Db, projectIds: number[]) {
  const projects = new Map(
    db
      .all<{ id: number; title: string; osim: string; cycle: string | null }>(sql`
        SELECT p.id, p.title, o.name AS osim, c.name AS cycle FROM projects p
        JOIN organizations o ON o.id = p.organization_id LEFT JOIN cycles c ON c.id = p.cycle_id
        WHERE p.id IN (${idList(projectIds)})`)
      .map((p) => [p.id, p]),
  );
  return projects;
}

/** A section's name, in the words of the project pages. */
function sectionName(t: Reader['t'], section: unknown): string {
  const key = `project.section.${str(section)}`;
  return isMessageKey(key) ? t(key) : str(section);
}

/** A written section's texts as facts, labelled with its fields' names; the budget line by line. */
function sectionFacts(t: Reader['t'], section: string, content: Record<string, unknown>): Fact[] {
  if (!isSectionKey(section)) return [];
  const title = sectionName(t, section);
  if (section === 'budget') {
    const budget = readBudget(content);
    const facts: Fact[] = [
      ...budget.expenses.map((l) => ({
        label: t('privacy.mine.budget.expense'),
        value: t('privacy.mine.budget.line', { label: l.label, amount: formatEuros(l.cents) }),
      })),
      ...budget.resources.map((l) => ({
        label: t('privacy.mine.budget.resource'),
        value: t('privacy.mine.budget.funder', {
          label: l.label,
          amount: formatEuros(l.cents),
          status: t(`project.status.${l.status}` as 'project.status.asked'),
        }),
      })),
      ...budget.inKind.map((l) => ({
        label: t('privacy.mine.budget.inKind', { account: l.account }),
        value: t('privacy.mine.budget.line', { label: l.label, amount: formatEuros(l.cents) }),
      })),
    ];
    if (facts.length === 0) return [];
    const totals = budgetTotals(budgetLines(budget));
    facts.unshift({
      label: title,
      value: t(totals.balanced ? 'privacy.mine.budget.balanced' : 'privacy.mine.budget.unbalanced', {
        expenses: formatEuros(totals.expenses),
        resources: formatEuros(totals.resources),
      }),
    });
    return facts;
  }
  // A section of one field is named once (« Objectifs », not « Objectifs — Objectifs »).
  const fields = SECTIONS[section].fields;
  return fields
    .filter((f) => str(content[f.name]).trim() !== '')
    .map((f) => {
      const key = `project.field.${section}.${f.name}`;
      const label = isMessageKey(key) ? t(key) : f.name;
      return { label: fields.length === 1 ? title : `${title} — ${label}`, value: str(content[f.name]) };
    });
}

/** « Mes projets »: the person's projects with their texts, then their comments and rubrics. */
export function projectBlocks(db: Db, { t, day, rowsOf }: Reader): Block[] {
  const projects = rowsOf('projects');
  const authorships = new Map(rowsOf('project_authors').map((r) => [num(r.project_id), r]));
  const sections = rowsOf('project_sections');
  const versions = rowsOf('project_section_versions');
  const comments = rowsOf('project_comments');
  const reviews = rowsOf('project_reviews');
  const names = projectNames(db, [
    ...projects.map((p) => num(p.id)),
    ...comments.map((c) => num(c.project_id)),
    ...reviews.map((r) => num(r.project_id)),
  ]);
  const titleOf = (id: unknown) => names.get(num(id))?.title ?? t('privacy.mine.unknownProject');
  const versionsBy = new Map<number, number>();
  for (const v of versions) versionsBy.set(num(v.project_id), (versionsBy.get(num(v.project_id)) ?? 0) + 1);

  const projectLines: Line[] = projects.map((p) => {
    const id = num(p.id);
    const named = names.get(id);
    const details: string[] = [];
    const since = authorships.get(id)?.added_at;
    if (since) details.push(t('privacy.mine.project.author', { date: day(since) }));
    details.push(
      p.shared_at
        ? t('privacy.mine.project.shared', { cycle: named?.cycle ?? '—', date: day(p.shared_at) })
        : t('privacy.mine.project.notShared'),
    );
    if (p.shared_with_national === 1 || p.shared_with_national === true)
      details.push(t('privacy.mine.project.national'));
    if (p.ready_at) details.push(t('privacy.mine.project.ready', { date: day(p.ready_at) }));
    const saved = versionsBy.get(id) ?? 0;
    if (saved > 0) details.push(t('privacy.mine.project.versions', { count: saved }));
    const own = sections.filter((s) => num(s.project_id) === id);
    const folded = SECTION_KEYS.flatMap((key) => {
      const row = own.find((s) => s.section === key);
      return row ? sectionFacts(t, key, (row.content ?? {}) as Record<string, unknown>) : [];
    });
    return {
      text: t('privacy.mine.project', {
        title: str(p.title),
        organization: named?.osim ?? '—',
        date: day(p.created_at),
      }),
      details,
      folded,
      foldLabel: t('privacy.mine.project.read'),
    };
  });
  // Versions saved in a project the person no longer writes (its other authors removed them).
  const mine = new Set(projects.map((p) => num(p.id)));
  const elsewhere = versions.filter((v) => !mine.has(num(v.project_id))).length;

  const commentLines: Line[] = [...comments]
    .sort((a, b) => str(a.created_at).localeCompare(str(b.created_at)))
    .map((c) => ({
      text: t(c.section ? 'privacy.mine.comment' : 'privacy.mine.comment.general', {
        title: titleOf(c.project_id),
        section: sectionName(t, c.section),
        date: day(c.created_at),
      }),
      details: [str(c.body)],
    }));

  const reviewLines: Line[] = reviews.map((r) => {
    const answers = (r.answers ?? {}) as Row;
    return {
      text: t('privacy.mine.review', { title: titleOf(r.project_id), date: day(r.updated_at) }),
      details: RUBRIC.filter((c) => answers[c.key]).map((c) =>
        t('privacy.mine.rubric.answer', {
          criterion: t(`privacy.mine.rubric.${c.key}`),
          answer: t(`privacy.mine.rubric.${str(answers[c.key])}` as 'privacy.mine.rubric.yes'),
        }),
      ),
    };
  });

  const blocks: Block[] = [{ kind: 'lines', lines: projectLines }];
  if (elsewhere > 0)
    blocks.push({ kind: 'text', text: t('privacy.mine.project.versionsElsewhere', { count: elsewhere }) });
  blocks.push(
    { kind: 'lines', heading: t('privacy.mine.comments'), lines: commentLines },
    { kind: 'lines', heading: t('privacy.mine.reviews'), lines: reviewLines },
  );
  return blocks;
}
