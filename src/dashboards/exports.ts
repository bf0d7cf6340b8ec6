// The dashboards' downloads, for French spreadsheets: each table of a page (collectives, skills,
// the monthly trend, a collective's OSIMs) and every member's progress, streamed a thousand rows at
// a time (keyset pagination: memory stays flat whatever the network's size). The members' file
// keeps to the filters that apply to people — region or collective, cycle, QPV — and says so on
// the page; a period does not apply to it (it is today's situation). File names are French.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { spreadsheetCsv } from '../lib/csv.ts';
import { searchable } from '../lib/text.ts';
import { parisDay } from '../lib/time.ts';
import { organizationInScopeSql, type Scope } from '../organizations/scope.ts';
import { FOLLOWER_SQL } from '../policy/policy.ts';
import { BUCKETS, type Counts, type Dashboard, type DashboardFilters, type HeatRow } from './figures.ts';
import type { FilterState } from './filter-state.ts';
import { type MemberProgress, type OsimFigures, progressColumns } from './members.ts';
import type { ProjectCounts, ProjectFigures } from './project-figures.ts';

export type DashboardTable = 'collectives' | 'skills' | 'trend' | 'projects' | 'cofunding';

const TABLE_FILES: Record<DashboardTable, string> = {
  collectives: 'tableau-de-bord-collectifs',
  skills: 'tableau-de-bord-competences',
  trend: 'tableau-de-bord-tendance',
  projects: 'tableau-de-bord-projets',
  cofunding: 'tableau-de-bord-cofinancements',
};

/** `tableau-de-bord-competences-cosim-bretagne.csv`: plain ASCII, in French. */
export function csvFileName(base: string, collective?: { name: string }): string {
  const slug = collective
    ? searchable(collective.name)
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
    : '';
  return `${base}${slug ? `-${slug}` : ''}.csv`;
}

/** The file of a dashboard table: a collective's own line is its « tableau de bord ». */
export function tableFileName(table: DashboardTable, collective?: { name: string }): string {
  return csvFileName(
    table === 'collectives' && collective ? 'tableau-de-bord' : TABLE_FILES[table],
    collective,
  );
}

/** One table of a dashboard as CSV (every column of the page and the distribution). */
export function dashboardCsv(
  t: Translate,
  data: Dashboard & { heatRows: HeatRow[] },
  table: DashboardTable,
  projects: ProjectFigures,
): string {
  if (table === 'projects' || table === 'cofunding') return projectsCsv(t, projects, table);
  const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) : '');
  if (table === 'skills')
    return spreadsheetCsv(
      [
        t('dashboard.col.collective'),
        t('dashboard.col.enrolledNow'),
        ...data.skills.map((sk) => `${sk.code} (%)`),
      ],
      data.heatRows.map((r) => [r.name, r.enrolled, ...r.shares]),
    );
  if (table === 'trend')
    return spreadsheetCsv(
      [t('dashboard.col.month'), t('dashboard.trend.enrolments'), t('dashboard.trend.completions')],
      data.trend.map((p) => [p.month, p.enrolments, p.completions]),
    );
  const line = (name: string, r: Counts) => [
    name,
    r.invited ?? '',
    r.members,
    r.enrolled,
    r.active30,
    r.medianPercent ?? '',
    ...r.distribution,
    r.completions,
    pct(r.quizzesPassed, r.quizzesAttempted),
    r.gatheringsHeld,
    pct(r.present, r.seatsConfirmed),
    r.certificates,
  ];
  return spreadsheetCsv(
    [
      t('dashboard.col.collective'),
      t('dashboard.col.invited'),
      t('dashboard.col.members'),
      t('dashboard.col.enrolled'),
      t('dashboard.col.active'),
      `${t('dashboard.col.median')} (%)`,
      ...BUCKETS.map((b) => `${t('dashboard.col.distribution')} ${b}`),
      t('dashboard.col.completions'),
      `${t('dashboard.col.quizzes')} (%)`,
      t('dashboard.col.held'),
      `${t('dashboard.col.attendance')} (%)`,
      t('dashboard.col.certificates'),
    ],
    [
      ...data.rows.map((r) => line(r.name, r)),
      ...(data.rows.length > 1 ? data.subtotals.map((s) => line(t(`dashboard.total.${s.kind}`), s)) : []),
    ],
  );
}

/** Cents as French spreadsheets read a number: « 1234,56 » (no spaces, no euro sign). */
export function csvEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The projects' figures as CSV: a line per collective (and the collectives together, each project
 * once), or the co-funding per collective and kind of funder, every kind on every line's collective.
 */
function projectsCsv(t: Translate, p: ProjectFigures, table: 'projects' | 'cofunding'): string {
  const together = t('dashboard.projects.csv.together');
  if (table === 'projects') {
    const line = (name: string, c: ProjectCounts) => [
      name,
      c.started,
      c.shared,
      c.ready,
      c.cofunded,
      csvEuros(c.asked),
      csvEuros(c.obtained),
    ];
    return spreadsheetCsv(
      [
        t('dashboard.col.collective'),
        t('dashboard.projects.started'),
        t('dashboard.projects.shared'),
        t('dashboard.projects.ready'),
        t('dashboard.projects.cofunded'),
        t('dashboard.projects.csv.askedEuros'),
        t('dashboard.projects.csv.obtainedEuros'),
      ],
      [...p.rows.map((r) => line(r.name, r)), ...(p.perCollective ? [line(together, p.total)] : [])],
    );
  }
  const funder = (kind: string) => t(`project.funder.${kind}` as MessageKey);
  const kept = new Map(p.byCollective.map((b) => [`${b.id}:${b.kind}`, b]));
  const lines = p.rows.flatMap((r) =>
    p.funders.map(({ kind }) => {
      const b = kept.get(`${r.id}:${kind}`);
      return [r.name, funder(kind), csvEuros(b?.asked ?? 0), csvEuros(b?.obtained ?? 0), b?.projects ?? 0];
    }),
  );
  if (p.perCollective)
    for (const f of p.funders)
      lines.push([together, funder(f.kind), csvEuros(f.asked), csvEuros(f.obtained), f.projects]);
  return spreadsheetCsv(
    [
      t('dashboard.col.collective'),
      t('dashboard.projects.col.funder'),
      t('dashboard.projects.csv.askedShort'),
      t('dashboard.projects.csv.obtainedShort'),
      t('dashboard.projects.col.projects'),
    ],
    lines,
  );
}

/** A collective's OSIMs as CSV. */
export function osimsCsv(t: Translate, osims: OsimFigures[]): string {
  return spreadsheetCsv(
    [
      t('dashboard.col.osim'),
      t('dashboard.col.town'),
      t('dashboard.col.qpv'),
      t('dashboard.col.members'),
      t('dashboard.col.enrolled'),
      t('dashboard.col.active'),
      `${t('dashboard.col.median')} (%)`,
      t('dashboard.col.completions'),
      t('dashboard.col.quizzesPassed'),
      t('dashboard.col.attended'),
      t('dashboard.col.certificates'),
    ],
    osims.map((o) => [
      o.name,
      o.town ?? '',
      o.actsInQpv ? t('dashboard.yes') : t('dashboard.no'),
      o.members,
      o.enrolled,
      o.active30,
      o.medianPercent ?? '',
      o.completions,
      o.quizzesPassed,
      o.attended,
      o.certificates,
    ]),
  );
}

/** Which members the members' file holds, in words, for the note under its link. */
export function membersNote(t: Translate, state: FilterState, collective?: { name: string }): string {
  const { filters } = state;
  const parts = [
    collective ? t('dashboard.members.collective', { collective: collective.name }) : '',
    filters.region ? t('dashboard.members.region', { region: filters.region }) : '',
    filters.cycleId
      ? t('dashboard.members.cycle', {
          cycle: state.cycles.find((c) => c.id === filters.cycleId)?.name ?? '',
        })
      : '',
    filters.qpvOnly ? t('dashboard.members.qpv') : '',
  ].filter(Boolean);
  const who =
    parts.length === 0 ? t('dashboard.members.all') : t('dashboard.members.only', { who: parts.join(', ') });
  return filters.period ? `${who} ${t('dashboard.members.period')}` : who;
}

const MEMBER_CHUNK = 1000;

/** The OSIMs kept by the filters, as SQL on alias `o` (the scope is checked apart). */
function osimFilter(f: DashboardFilters): SQL {
  const byCollective = f.collectiveIds !== null || f.region !== null;
  const collectives = sql`SELECT c.id FROM organizations c WHERE c.kind IN ('cosim', 'fosim') AND c.archived_at IS NULL
    ${f.collectiveIds === null ? sql`` : sql`AND c.id IN (${idList(f.collectiveIds)})`}
    ${f.region === null ? sql`` : sql`AND c.region = ${f.region}`}`;
  return sql`${f.qpvOnly ? sql`AND o.acts_in_qpv = 1` : sql``}
    ${byCollective ? sql`AND (o.parent_id IN (${collectives}) OR o.federation_id IN (${collectives}))` : sql``}`;
}

/** Members of the scope and filters with id > afterId, by id: one chunk of the members' file. */
export function memberCsvChunk(
  db: Db,
  scope: Scope,
  f: DashboardFilters,
  afterId: number,
  limit = MEMBER_CHUNK,
): (MemberProgress & { collectives: string | null })[] {
  // The collectives named are only those of the scope and the filters (c is a collective).
  const collectiveInScope = sql`${scope.all ? sql`` : sql`AND c.id IN (${idList(scope.collectiveIds)})`}
    ${f.collectiveIds === null ? sql`` : sql`AND c.id IN (${idList(f.collectiveIds)})`}
    ${f.region === null ? sql`` : sql`AND c.region = ${f.region}`}`;
  const cycle =
    f.cycleId === null || f.cycleId === undefined
      ? sql``
      : sql`AND EXISTS (SELECT 1 FROM cycle_members cm WHERE cm.user_id = u.id AND cm.cycle_id = ${f.cycleId} AND cm.withdrawn_at IS NULL)`;
  return db.all(sql`
    SELECT ${progressColumns},
      group_concat(o.name, ', ') AS osims,
      (SELECT group_concat(DISTINCT c.name) FROM memberships m2
        JOIN organizations o2 ON o2.id = m2.organization_id AND o2.kind = 'osim'
        JOIN organizations c ON c.id IN (o2.parent_id, o2.federation_id)
        WHERE m2.user_id = u.id AND m2.role = ${FOLLOWER_SQL} ${collectiveInScope}) AS collectives
    FROM users u
    JOIN memberships m ON m.user_id = u.id AND m.role = ${FOLLOWER_SQL}
    JOIN organizations o ON o.id = m.organization_id AND o.kind = 'osim' AND o.archived_at IS NULL ${osimFilter(f)}
    LEFT JOIN learner_stats ls ON ls.user_id = u.id
    WHERE u.id > ${afterId} AND u.disabled_at IS NULL AND ${organizationInScopeSql(scope)} ${cycle}
    GROUP BY u.id ORDER BY u.id LIMIT ${limit}`);
}

/** Every member's progress as CSV, a chunk at a time, letting other requests in between. */
export async function* membersCsv(db: Db, t: Translate, scope: Scope, f: DashboardFilters) {
  const headers = [
    t('dashboard.col.person'),
    t('dashboard.col.osims'),
    t('dashboard.col.collectives'),
    t('dashboard.col.cycles'),
    `${t('dashboard.col.progress')} (%)`,
    t('dashboard.col.lessons'),
    t('dashboard.col.quizzesPassed'),
    t('dashboard.col.attended'),
    t('dashboard.col.lastActivity'),
    t('dashboard.col.certificates'),
  ];
  let after = 0;
  for (;;) {
    const chunk = memberCsvChunk(db, scope, f, after);
    yield spreadsheetCsv(
      headers,
      chunk.map((m) => [
        m.name,
        m.osims,
        m.collectives ?? '',
        m.cycles,
        m.percent,
        m.lessonsDone,
        m.quizzesPassed,
        m.attended,
        m.lastActivityAt === null ? '' : parisDay(m.lastActivityAt),
        m.certificates,
      ]),
      { continued: after > 0 },
    );
    if (chunk.length < MEMBER_CHUNK) return;
    after = chunk.at(-1)!.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
