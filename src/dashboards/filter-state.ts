// The dashboards' filters as they travel in the URL (region, QPV, cycle, period), checked the same
// way for a page, its CSV downloads and the members' CSV: an unknown value is reported next to its
// field and ignored, never an error; a coordinator's filters are always narrowed to their
// collectives, whatever the URL says; another collective is a 404.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import type { Translate } from '../i18n/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { params } from '../lib/forms.ts';
import { parisDay } from '../lib/time.ts';
import { managementScope, type Scope } from '../organizations/scope.ts';
import type { CurrentUser } from '../people/users.ts';
import { memo } from './cache.ts';
import { type DashboardFilters, monthsAgo, monthsBetween, type Period } from './figures.ts';

export const filterQuery = {
  region: z.string().max(80).optional().catch(undefined),
  qpv: z.enum(['1']).optional().catch(undefined),
  cycle: z.string().max(12).optional().catch(undefined),
  from: z.string().max(12).optional().catch(undefined),
  to: z.string().max(12).optional().catch(undefined),
};
export const query = z.object(filterQuery);
/** A download's filters, and one collective (its page's downloads). */
export const downloadQuery = z.object({
  ...filterQuery,
  collective: z.string().max(12).optional().catch(undefined),
});
/** Which table of the dashboard a CSV holds. */
export const tableQuery = downloadQuery.extend({
  table: z.enum(['collectives', 'skills', 'trend', 'projects', 'cofunding']).optional().catch(undefined),
});
/** A collective's page: its filters, an OSIM to list the members of, and the members' page. */
export const collectiveQuery = z.object({
  ...filterQuery,
  osim: z.string().max(12).optional().catch(undefined),
  page: params.page(),
});

export type FilterQuery = z.output<typeof query>;
export type CollectiveQuery = z.output<typeof collectiveQuery>;

/** The OSIM named by a collective's page URL, or null (any other value names none). */
export function osimParam(value: string | undefined): number | null {
  return value && /^\d{1,9}$/.test(value) ? Number(value) : null;
}
type FilterErrors = Partial<Record<'cycle' | 'from' | 'to', string>>;

export interface FilterState {
  filters: DashboardFilters;
  /** What the form shows (the input kept, valid or not). */
  form: { region: string; qpv: boolean; cycle: string; from: string; to: string };
  errors: FilterErrors;
  regions: string[];
  cycles: { id: number; name: string }[];
  months: { value: string; label: string }[];
  /** The filters as a query string, for links (CSV, a collective's page, pages). */
  qs: string;
}

const monthLabel = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** « janvier 2026 » for `2026-01`. */
export const monthName = (month: string) => monthLabel.format(new Date(`${month}-15T12:00:00Z`));

function cyclesFor(db: Db, scope: Scope) {
  if (!scope.all && scope.collectiveIds.length === 0) return [];
  return db.all<{ id: number; name: string }>(sql`
    SELECT id, name FROM cycles WHERE archived_at IS NULL
      ${
        scope.all
          ? sql``
          : sql`AND (collective_id IS NULL OR collective_id IN (${idList(scope.collectiveIds)}))`
      }
    ORDER BY starts_on DESC, name`);
}

/**
 * The filters of the URL, checked: unknown values are reported next to their field and ignored.
 * `only`: one collective's page (already checked with collectiveFor), where region does not apply.
 */
export function readFilters(
  db: Db,
  user: CurrentUser,
  q: FilterQuery,
  t: Translate,
  only?: number,
): FilterState {
  const scope = managementScope(user);
  const thisMonth = parisDay(Date.now()).slice(0, 7);
  const { regions, cycles, earliest, months } = memo(db, `options:${JSON.stringify(scope)}`, () => {
    // The months offered: from the first cycle (five years at most) to this one, newest first.
    const first = db.get<{ first: string | null }>(sql`SELECT min(starts_on) AS first FROM cycles`)?.first;
    const earliest = [first?.slice(0, 7) ?? thisMonth, monthsAgo(thisMonth, 59)].sort().at(-1)!;
    return {
      regions: scope.all
        ? db
            .all<{ region: string }>(
              sql`SELECT DISTINCT region FROM organizations WHERE kind IN ('cosim', 'fosim') AND region IS NOT NULL AND archived_at IS NULL ORDER BY region`,
            )
            .map((r) => r.region)
        : [],
      cycles: cyclesFor(db, scope),
      earliest,
      months: monthsBetween([earliest, thisMonth].sort()[0]!, thisMonth)
        .reverse()
        .map((value) => ({ value, label: monthName(value) })),
    };
  });
  const errors: FilterErrors = {};
  const region = only === undefined && q.region && regions.includes(q.region) ? q.region : null;
  let cycleId: number | null = null;
  if (q.cycle) {
    const id = /^\d{1,9}$/.test(q.cycle) ? Number(q.cycle) : Number.NaN;
    if (cycles.some((c) => c.id === id)) cycleId = id;
    else errors.cycle = t('dashboard.error.cycle');
  }
  const from = q.from ?? '';
  const to = q.to ?? '';
  // A month from 2000 to this one (the form offers those since the first cycle; a shared link
  // may name an earlier one).
  const valid = (m: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m) && m >= '2000-01' && m <= thisMonth;
  if (from && !valid(from)) errors.from = t('dashboard.error.month');
  if (to && !valid(to)) errors.to = t('dashboard.error.month');
  let period: Period | null = null;
  if ((from || to) && !errors.from && !errors.to) {
    const p = { from: from || earliest, to: to || thisMonth };
    if (p.from > p.to) errors.to = t('dashboard.error.order');
    else period = p;
  }
  const collectiveIds = only !== undefined ? [only] : scope.all ? null : scope.collectiveIds;
  const form = { region: region ?? '', qpv: q.qpv === '1', cycle: q.cycle ?? '', from, to };
  const qs = new URLSearchParams(
    Object.entries({
      region: form.region,
      qpv: form.qpv ? '1' : '',
      cycle: cycleId === null ? '' : String(cycleId),
      from: period ? form.from : '',
      to: period ? form.to : '',
    }).filter(([, v]) => v),
  ).toString();
  return {
    filters: { collectiveIds, region, qpvOnly: form.qpv, cycleId, period },
    form,
    errors,
    regions: only === undefined ? regions : [],
    cycles,
    months,
    qs,
  };
}

export interface Collective {
  id: number;
  name: string;
  kind: 'cosim' | 'fosim';
  region: string | null;
}

/** The collective a person may open: any for the national team, their own for a coordinator. */
export function collectiveFor(db: Db, user: CurrentUser, id: number): Collective {
  const scope = managementScope(user);
  if (!scope.all && !scope.collectiveIds.includes(id)) throw new NotFoundError();
  const c = db.get<Collective>(sql`
    SELECT id, name, kind, region FROM organizations
    WHERE id = ${id} AND kind IN ('cosim', 'fosim') AND archived_at IS NULL`);
  if (!c) throw new NotFoundError();
  return c;
}

/** The `collective` parameter of a CSV link: absent, or a collective the person may open. */
export function collectiveParam(
  db: Db,
  user: CurrentUser,
  value: string | undefined,
): Collective | undefined {
  if (value === undefined) return undefined;
  return collectiveFor(db, user, /^\d{1,9}$/.test(value) ? Number(value) : 0);
}
