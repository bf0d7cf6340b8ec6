// The dashboards' project figures (issue 18, « Mon projet »): per collective, the projects its OSIMs
// started, shared with a cycle and marked « prêt à déposer », and their co-funding asked and
// obtained by kind of funder — what FORIM reports to its own funders. Figures only: no project's
// title nor content ever leaves this file.
//
// Definitions (said on the page, dashboard.projects.* messages):
// - started: every project of an OSIM of the collective (its COSIM, parent_id, or FOSIM,
//   federation_id; an OSIM in both counts in both lines, once in the total), archived OSIMs left out;
// - shared: shared with a cycle for review (cycle_id set); ready: marked « prêt à déposer »;
// - asked co-funding: the resource lines of a budget whose status is « demandé » (awaiting an
//   answer) or « obtenu » (a request answered yes was asked); « à demander » and « refusé » lines are
//   not counted, nor the public's participation and sales (account 70: not co-funding);
// - obtained co-funding: the lines « obtenu »;
// - projects (per kind of funder): those with at least one line of that kind asked or obtained.
// Amounts are whole cents summed by SQLite in integers: exact.
//
// Filters: the rows are the dashboard's collectives; « QPV » keeps the OSIMs acting in QPV; a cycle
// keeps the projects shared with it; a period keeps the projects started in it (their figures are
// today's). Computed with two queries over the budgets in scope, kept until a project changes.
import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, sqliteOf } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { databaseVersion, networkVersion } from '../db/network-version.ts';
import { FUNDER_KIND_KEYS, type FunderKind } from '../projects/budget.ts';
import { type DashboardFilters, periodBounds } from './figures.ts';

/** The kinds of funder of the co-funding table, in the budget form's order; not sales (account 70). */
export const COFUNDING_KINDS = FUNDER_KIND_KEYS.filter((k) => k !== 'sales') as Exclude<
  FunderKind,
  'sales'
>[];
export type CofundingKind = (typeof COFUNDING_KINDS)[number];

/** Statuses counted as asked; of them, `obtained` is also counted as obtained. */
const ASKED_STATUSES = ['asked', 'obtained'] as const;

export interface ProjectCounts {
  started: number;
  shared: number;
  ready: number;
  /** Co-funding asked (awaiting or obtained), in cents. */
  asked: number;
  /** Co-funding obtained, in cents. */
  obtained: number;
  /** Projects with co-funding asked. */
  cofunded: number;
}

export interface FunderLine {
  kind: CofundingKind;
  asked: number;
  obtained: number;
  projects: number;
}

export interface ProjectFigures {
  /** One line per collective of the dashboard, in its order. */
  rows: (ProjectCounts & { id: number; name: string })[];
  /** The collectives together, each project once (an OSIM may be in a COSIM and a FOSIM). */
  total: ProjectCounts;
  /** Every kind of funder, in order (zeros included), over the collectives together. */
  funders: FunderLine[];
  /** Per collective and kind (kinds with co-funding asked only): the CSV's lines. */
  byCollective: (FunderLine & { id: number })[];
  /** Several collectives: the page shows a line per collective. */
  perCollective: boolean;
  /** A short digest of all the above, for the key of the HTML that shows them. */
  digest: string;
}

const emptyCounts = (): ProjectCounts => ({
  started: 0,
  shared: 0,
  ready: 0,
  asked: 0,
  obtained: 0,
  cofunded: 0,
});

/** `scope(cid, pid, shared, ready)`: the projects in the filters, once per collective they count in. */
function scopeCte(ids: number[], f: DashboardFilters): SQL {
  const bounds = f.period ? periodBounds(f.period) : null;
  return sql`scope AS MATERIALIZED (
    SELECT c.id AS cid, p.id AS pid, p.cycle_id IS NOT NULL AS shared, p.ready_at IS NOT NULL AS ready
    FROM projects p
    JOIN organizations o ON o.id = p.organization_id AND o.kind = 'osim' AND o.archived_at IS NULL
      ${f.qpvOnly ? sql`AND o.acts_in_qpv = 1` : sql``}
    JOIN organizations c ON c.id IN (o.parent_id, o.federation_id)
    WHERE c.id IN (${idList(ids)})
      ${f.cycleId ? sql`AND p.cycle_id = ${f.cycleId}` : sql``}
      ${bounds ? sql`AND p.created_at >= ${bounds.start} AND p.created_at < ${bounds.end}` : sql``})`;
}

/**
 * `lines(pid, kind, cents, got)`: the co-funding lines asked of the projects in scope, well formed
 * as projects/budget.ts readBudget keeps them (a known kind, whole cents, 0 or more).
 */
function linesCte(): SQL {
  const kinds = sql.join(
    COFUNDING_KINDS.map((k) => sql`${k}`),
    sql`, `,
  );
  const statuses = sql.join(
    ASKED_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  return sql`lines AS MATERIALIZED (
    SELECT s.project_id AS pid, r.value ->> '$.kind' AS kind, r.value ->> '$.cents' AS cents,
      r.value ->> '$.status' = 'obtained' AS got
    FROM project_sections s, json_each(s.content, '$.resources') r
    WHERE s.project_id IN (SELECT pid FROM scope) AND s.section = 'budget'
      AND json_valid(s.content) AND json_type(s.content, '$.resources') = 'array'
      AND r.type = 'object' AND json_type(r.value, '$.cents') = 'integer' AND r.value ->> '$.cents' >= 0
      AND r.value ->> '$.status' IN (${statuses}) AND r.value ->> '$.kind' IN (${kinds}))`;
}

function compute(db: Db, collectives: { id: number; name: string }[], f: DashboardFilters): ProjectFigures {
  const ids = collectives.map((c) => c.id);
  const scope = scopeCte(ids, f);
  const counts = db.all<{ cid: number | null; started: number; shared: number; ready: number }>(sql`
    WITH ${scope}
    SELECT cid, count(*) AS started, sum(shared) AS shared, sum(ready) AS ready FROM scope GROUP BY cid
    UNION ALL
    SELECT NULL, count(*), coalesce(sum(shared), 0), coalesce(sum(ready), 0)
    FROM (SELECT DISTINCT pid, shared, ready FROM scope)`);
  // Per collective and kind, per collective, per kind over the projects together, and over
  // everything: a project in two collectives' lines counts once in the last two.
  const money = db.all<{
    cid: number | null;
    kind: CofundingKind | null;
    asked: number;
    obtained: number;
    projects: number;
  }>(sql`
    WITH ${scope}, ${linesCte()}
    SELECT scope.cid, lines.kind, sum(lines.cents) AS asked, sum(lines.cents * lines.got) AS obtained,
      count(DISTINCT lines.pid) AS projects
    FROM scope JOIN lines ON lines.pid = scope.pid GROUP BY scope.cid, lines.kind
    UNION ALL
    SELECT scope.cid, NULL, sum(lines.cents), sum(lines.cents * lines.got), count(DISTINCT lines.pid)
    FROM scope JOIN lines ON lines.pid = scope.pid GROUP BY scope.cid
    UNION ALL
    SELECT NULL, kind, sum(cents), sum(cents * got), count(DISTINCT pid) FROM lines GROUP BY kind
    UNION ALL
    SELECT NULL, NULL, coalesce(sum(cents), 0), coalesce(sum(cents * got), 0), count(DISTINCT pid) FROM lines`);

  const rows = new Map(collectives.map((c) => [c.id, { ...emptyCounts(), id: c.id, name: c.name }]));
  const total = emptyCounts();
  for (const r of counts) {
    const line = r.cid === null ? total : rows.get(r.cid);
    if (!line) continue;
    line.started = r.started;
    line.shared = r.shared;
    line.ready = r.ready;
  }
  const kinds = new Map<CofundingKind, FunderLine>(
    COFUNDING_KINDS.map((kind) => [kind, { kind, asked: 0, obtained: 0, projects: 0 }]),
  );
  const byCollective: ProjectFigures['byCollective'] = [];
  for (const m of money) {
    const figures = { asked: m.asked, obtained: m.obtained, projects: m.projects };
    const own = { asked: m.asked, obtained: m.obtained, cofunded: m.projects };
    if (m.kind === null) Object.assign((m.cid === null ? total : rows.get(m.cid)) ?? {}, own);
    else if (m.cid === null) Object.assign(kinds.get(m.kind)!, figures);
    else byCollective.push({ id: m.cid, kind: m.kind, ...figures });
  }
  const order = new Map(COFUNDING_KINDS.map((k, i) => [k, i]));
  const at = new Map(ids.map((id, i) => [id, i]));
  byCollective.sort((a, b) => at.get(a.id)! - at.get(b.id)! || order.get(a.kind)! - order.get(b.kind)!);
  const figures = {
    rows: [...rows.values()],
    total,
    funders: [...kinds.values()],
    byCollective,
    perCollective: collectives.length > 1,
  };
  return { ...figures, digest: createHash('sha1').update(JSON.stringify(figures)).digest('base64url') };
}

/**
 * What the figures depend on, cheaply (one pass over the projects, not their budgets): the network
 * (organizations archived or moved: networkVersion), and each project's last change, sharing and
 * « prêt à déposer ». A budget saved moves its project's updated_at (project-sections.ts
 * saveSection), so a sum of them moves too, even when two are saved in the same millisecond.
 */
function projectsVersion(db: Db): string {
  const row = db.get<{ v: string }>(sql`
    SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(sum(updated_at), 0) || ':'
      || coalesce(sum(ready_at), 0) || ':' || coalesce(sum(cycle_id), 0) AS v
    FROM projects`);
  return `${networkVersion(db).current()}:${row?.v ?? ''}`;
}

interface Kept {
  /** The database as last looked at (nothing written since: the figures stand). */
  database: string;
  projects: string;
  value: ProjectFigures;
}
const KEPT_ENTRIES = 100;
const kept = new WeakMap<object, Map<string, Kept>>();

/**
 * The project figures of the dashboard's collectives (its rows) with its filters. Reading every
 * budget takes tens of milliseconds at FORIM's scale, so they are kept per filters and made again
 * only when a project (or the network) has changed: after a write anywhere, a pass over the
 * projects' dates says whether any did.
 */
export function projectFigures(
  db: Db,
  collectives: { id: number; name: string }[],
  f: DashboardFilters,
): ProjectFigures {
  const client = sqliteOf(db);
  const entries = kept.get(client) ?? new Map<string, Kept>();
  kept.set(client, entries);
  const key = JSON.stringify({ ids: collectives.map((c) => [c.id, c.name]), f });
  const database = databaseVersion(db);
  const hit = entries.get(key);
  if (hit?.database === database) return hit.value;
  const projects = projectsVersion(db);
  if (hit?.projects === projects) {
    hit.database = database;
    return hit.value;
  }
  const value = compute(db, collectives, f);
  entries.delete(key);
  entries.set(key, { database, projects, value });
  if (entries.size > KEPT_ENTRIES) entries.delete(entries.keys().next().value!);
  return value;
}
