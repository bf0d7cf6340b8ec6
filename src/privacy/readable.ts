// « Mes données » as a person reads it. The rows are those of the access export (export.ts) — the
// JSON download stays the complete record, in the database's words — turned into sections by
// theme: names and titles instead of ids, quiz answers counted in words, sign-ins summed up in one
// line, every date in French in the person's own time zone. Each section records the register's
// tables it was made from as it reads them; test/privacy/rights.test.ts checks that together they
// are every table of the export, so a table added to the register cannot be left off the page.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { frenchSpacing, isMessageKey, type Translate } from '../i18n/index.ts';
import { formatDate, hour, zoneName } from '../lib/time.ts';
import type { PersonalData } from './export.ts';
import { num, pathBlocks, str } from './readable-path.ts';
import { projectBlocks } from './readable-projects.ts';

export type Row = Record<string, unknown>;

export interface Fact {
  label: string;
  value: string;
}

export interface Line {
  text: string;
  /** Shown under the line. */
  details?: string[];
  /** Long text (a fiche's contents): shown folded, under « Lire la fiche » or `foldLabel`. */
  folded?: Fact[];
  foldLabel?: string;
}

export type Block =
  | { kind: 'facts'; facts: Fact[] }
  | { kind: 'lines'; heading?: string; lines: Line[] }
  | { kind: 'text'; text: string };

/** What a section's builder reads with: the messages, the page's date format, the export's rows. */
export interface Reader {
  t: Translate;
  /** « 5 décembre 2026 ». */
  day(value: unknown): string;
  /** The person's rows of a table of the register (recorded as read by the section). */
  rowsOf(table: string): Row[];
}

export interface ReadableSection {
  id: string;
  title: string;
  /** The register's tables this section was made from, recorded as they were read. */
  tables: string[];
  blocks: Block[];
}

/** E-mails and journal entries listed on the page (all of them are in the JSON file). */
const LISTED = 10;

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The names and titles the rows point at, read once for the page. */
function lookups(db: Db, rowsOf: (table: string) => Row[]) {
  const ids = (table: string, column: string) =>
    [...new Set(rowsOf(table).map((r) => r[column]))].filter((v): v is number => typeof v === 'number');
  const organizations = new Map(
    db
      .all<{ id: number; name: string; kind: string }>(
        sql`SELECT id, name, kind FROM organizations WHERE id IN (${idList([
          ...ids('memberships', 'organization_id'),
          ...ids('invitations', 'organization_id'),
          ...ids('audit_log', 'organization_id'),
        ])})`,
      )
      .map((o) => [o.id, o]),
  );
  const cycles = new Map(
    db
      .all<{ id: number; name: string }>(
        sql`SELECT id, name FROM cycles WHERE id IN (${idList([
          ...ids('cycle_members', 'cycle_id'),
          ...ids('certificates', 'cycle_id'),
        ])})`,
      )
      .map((c) => [c.id, c.name]),
  );
  const gatherings = new Map(
    db
      .all<{ id: number; title: string; startsAt: number; cancelledAt: number | null }>(sql`
        SELECT g.id, g.title, g.starts_at AS startsAt, g.cancelled_at AS cancelledAt FROM gatherings g
        WHERE g.id IN (${idList([
          ...ids('gathering_signups', 'gathering_id'),
          ...ids('attendance', 'gathering_id'),
          ...ids('gathering_reminders', 'gathering_id'),
        ])})`)
      .map((g) => [g.id, g]),
  );
  const people = new Map(
    db
      .all<{ id: number; name: string }>(
        sql`SELECT id, display_name AS name FROM users WHERE id IN (${idList(ids('audit_log', 'actor_user_id'))})`,
      )
      .map((u) => [u.id, u.name]),
  );
  return { organizations, cycles, gatherings, people };
}

/** The sections of « Mes données », from the export of the person's data. */
export function readablePersonalData(db: Db, data: PersonalData, translate: Translate): ReadableSection[] {
  const t: Translate = (key, params) => frenchSpacing(translate(key, params));
  const byTable = new Map(data.sections.map((s) => [s.table, s.rows]));
  /** Rows read to look names up or set the page up (not recorded: a section still has to show them). */
  const raw = (table: string): Row[] => byTable.get(table) ?? [];
  let reading = new Set<string>();
  const rowsOf = (table: string): Row[] => {
    const rows = byTable.get(table);
    if (!rows) throw new Error(`${table} is not in the export`);
    reading.add(table);
    return rows;
  };
  const sections: ReadableSection[] = [];
  const section = (id: string, title: string, build: () => Block[]) => {
    reading = new Set();
    const blocks = build().filter((b) => b.kind !== 'lines' || b.lines.length > 0);
    sections.push({ id, title, blocks, tables: [...reading] });
  };

  const zone = str(raw('users')[0]?.time_zone) || 'Europe/Paris';
  const instant = (v: unknown) => (typeof v === 'number' ? new Date(v) : new Date(str(v)));
  /** « 5 décembre 2026 »: the one date format of the page. */
  const day = (v: unknown) => (v === null || v === undefined ? '' : formatDate(instant(v), zone));
  /** « 5 décembre 2026 à 14 h 30 », where the time matters. */
  const dayTime = (v: unknown) => t('privacy.mine.dayTime', { day: day(v), time: hour(instant(v), zone) });
  const now = Date.parse(data.generatedAt);
  const roleWord = (role: unknown) => {
    const key = `privacy.mine.role.${str(role)}`;
    return isMessageKey(key) ? t(key) : str(role);
  };
  const names = lookups(db, raw);
  const organization = (id: unknown) => {
    const o = names.organizations.get(num(id));
    return o
      ? t('privacy.mine.organization', { name: o.name, kind: t(`kind.${o.kind}` as 'kind.osim') })
      : '—';
  };
  const cycleName = (id: unknown) => names.cycles.get(num(id)) ?? t('privacy.mine.unknownCycle');

  section('compte', t('privacy.mine.account'), () => {
    const account = rowsOf('users')[0] ?? {};
    const facts: Fact[] = [
      { label: t('privacy.mine.name'), value: str(account.display_name) },
      { label: t('privacy.mine.email'), value: str(account.email) },
      {
        label: t('privacy.mine.locale'),
        value: t(account.locale === 'en' ? 'privacy.mine.locale.en' : 'privacy.mine.locale.fr'),
      },
      { label: t('privacy.mine.timeZone'), value: upperFirst(zoneName(zone)) },
      { label: t('privacy.mine.created'), value: day(account.created_at) },
      {
        label: t('privacy.mine.lastSeen'),
        value: account.last_seen_at ? dayTime(account.last_seen_at) : t('privacy.mine.never'),
      },
    ];
    if (account.disabled_at)
      facts.push({ label: t('privacy.mine.disabled'), value: day(account.disabled_at) });
    const blocks: Block[] = [{ kind: 'facts', facts }];
    blocks.push({
      kind: 'lines',
      heading: t('privacy.mine.emailChanges'),
      lines: rowsOf('email_changes').map((r) => ({
        text: t(
          r.used_at
            ? 'privacy.mine.emailChange.done'
            : Date.parse(str(r.expires_at)) < now
              ? 'privacy.mine.emailChange.expired'
              : 'privacy.mine.emailChange.waiting',
          {
            email: str(r.new_email),
            asked: day(r.created_at),
            done: day(r.used_at),
            expires: day(r.expires_at),
          },
        ),
      })),
    });
    const resets = rowsOf('password_resets');
    if (resets.length > 0)
      blocks.push({
        kind: 'text',
        text: t('privacy.mine.passwordResets', {
          count: resets.length,
          last: day(
            resets
              .map((r) => str(r.created_at))
              .sort()
              .at(-1),
          ),
        }),
      });
    for (const r of rowsOf('retention_notices'))
      blocks.push({ kind: 'text', text: t('privacy.mine.retention', { date: day(r.warned_at) }) });
    return blocks;
  });

  section('organisations', t('privacy.mine.organizations'), () => [
    {
      kind: 'lines',
      lines: rowsOf('memberships').map((r) => ({
        text: t('privacy.mine.membership', {
          organization: organization(r.organization_id),
          role: roleWord(r.role),
          date: day(r.created_at),
        }),
      })),
    },
    {
      kind: 'lines',
      heading: t('privacy.mine.invitations'),
      lines: rowsOf('invitations').map((r) => ({
        text: t(
          r.accepted_at
            ? 'privacy.mine.invitation.accepted'
            : r.revoked_at
              ? 'privacy.mine.invitation.revoked'
              : 'privacy.mine.invitation.open',
          {
            organization: organization(r.organization_id),
            role: roleWord(r.role),
            date: day(r.created_at),
            done: day(r.accepted_at ?? r.revoked_at),
          },
        ),
      })),
    },
    {
      kind: 'lines',
      heading: t('privacy.mine.imports'),
      lines: rowsOf('invitation_imports').map((r) => ({
        text: t('privacy.mine.import', { file: str(r.file_name), date: day(r.created_at) }),
      })),
    },
  ]);

  section('parcours', t('privacy.mine.path'), () => pathBlocks(db, { t, day, rowsOf }));

  section('seances', t('privacy.mine.gatherings'), () => {
    const enrolments: Line[] = rowsOf('cycle_members').map((r) => ({
      text: t(r.withdrawn_at ? 'privacy.mine.cycle.withdrawn' : 'privacy.mine.cycle', {
        cycle: cycleName(r.cycle_id),
        date: day(r.enrolled_at),
        withdrawn: day(r.withdrawn_at),
      }),
    }));
    const byGathering = new Map<number, string[]>();
    const add = (id: unknown, detail: string) => {
      const list = byGathering.get(num(id)) ?? [];
      list.push(detail);
      byGathering.set(num(id), list);
    };
    for (const r of rowsOf('gathering_signups'))
      add(
        r.gathering_id,
        r.status === 'cancelled'
          ? t('privacy.mine.signup.cancelled', { date: day(r.cancelled_at ?? r.created_at) })
          : r.status === 'waiting'
            ? t('privacy.mine.signup.waiting', { date: day(r.created_at) })
            : t('privacy.mine.signup.confirmed', { date: day(r.confirmed_at ?? r.created_at) }),
      );
    for (const r of rowsOf('attendance'))
      add(
        r.gathering_id,
        t(r.walk_in ? 'privacy.mine.attendance.walkIn' : 'privacy.mine.attendance', {
          status: t(`privacy.mine.status.${str(r.status)}` as 'privacy.mine.status.present'),
        }),
      );
    const reminders = new Map<number, number>();
    for (const r of rowsOf('gathering_reminders'))
      reminders.set(num(r.gathering_id), (reminders.get(num(r.gathering_id)) ?? 0) + 1);
    for (const [id, n] of reminders) add(id, t('privacy.mine.reminders', { count: n }));
    const gatherings: Line[] = [...byGathering.keys()]
      .map((id) => ({ id, g: names.gatherings.get(id) }))
      .sort((a, b) => (b.g?.startsAt ?? 0) - (a.g?.startsAt ?? 0))
      .map(({ id, g }) => ({
        text: g
          ? t(g.cancelledAt ? 'privacy.mine.gathering.cancelled' : 'privacy.mine.gathering', {
              title: g.title,
              date: dayTime(g.startsAt),
            })
          : t('privacy.mine.unknownGathering'),
        details: byGathering.get(id),
      }));
    return [
      { kind: 'lines', heading: t('privacy.mine.cycles'), lines: enrolments },
      { kind: 'lines', heading: t('privacy.mine.gatheringList'), lines: gatherings },
    ];
  });

  section('attestations', t('privacy.mine.certificates'), () => [
    {
      kind: 'lines',
      lines: rowsOf('certificates').map((r) => {
        const snapshot = (r.snapshot ?? {}) as {
          cycleName?: string;
          courses?: { title: string }[];
          skills?: { title: string }[];
          hours?: number;
          reason?: string | null;
        };
        const details = [
          r.issued_how === 'manual'
            ? t('privacy.mine.certificate.manual', { reason: str(snapshot.reason) || '—' })
            : t('privacy.mine.certificate.automatic'),
        ];
        if (snapshot.courses?.length)
          details.push(
            t('privacy.mine.certificate.courses', { list: snapshot.courses.map((c) => c.title).join(', ') }),
          );
        if (snapshot.skills?.length)
          details.push(t('privacy.mine.certificate.skills', { count: snapshot.skills.length }));
        if (r.revoked_at) {
          // The published cause (« Autre motif » before there was a list), then the national team's note.
          const cause = `certificate.cause.${str(r.revoked_cause) || 'other'}`;
          details.push(
            t('privacy.mine.certificate.revoked', {
              date: day(r.revoked_at),
              reason: [isMessageKey(cause) ? t(cause) : str(r.revoked_cause), str(r.revoked_reason)]
                .filter(Boolean)
                .join(' — '),
            }),
          );
        }
        return {
          text: t('privacy.mine.certificate', {
            cycle: snapshot.cycleName ?? cycleName(r.cycle_id),
            date: day(r.issued_at),
            code: str(r.code),
          }),
          details,
        };
      }),
    },
  ]);

  section('fiches', t('privacy.mine.experiences'), () => [
    {
      kind: 'lines',
      lines: rowsOf('experiences').map((r) => ({
        text: t(r.shared_with_network ? 'privacy.mine.experience.shared' : 'privacy.mine.experience', {
          title: str(r.title),
          date: day(r.created_at),
          cycle: cycleName(r.cycle_id),
        }),
        folded: (
          [
            ['what', r.what],
            ['objectives', r.objectives],
            ['town', r.town],
            ['qpvName', r.in_qpv ? r.qpv_name || t('dashboard.yes') : ''],
            ['audience', r.audience],
            ['partners', r.partners],
            ['cofunding', r.cofunding],
            ['results', r.results],
            ['difficulties', r.difficulties],
            ['advice', r.advice],
          ] as const
        )
          .filter(([, value]) => str(value).trim() !== '')
          .map(([field, value]) => ({
            label: t(`experience.field.${field}`),
            value: str(value),
          })),
      })),
    },
    {
      kind: 'lines',
      heading: t('privacy.mine.publications'),
      lines: rowsOf('experience_publications').map((r) => ({
        text: t(`privacy.mine.publication.${str(r.action)}` as 'privacy.mine.publication.requested', {
          date: day(r.at),
        }),
      })),
    },
  ]);

  section('projets', t('privacy.mine.projects'), () => projectBlocks(db, { t, day, rowsOf }));

  section('connexions', t('privacy.mine.sessions'), () => {
    const sessions = rowsOf('sessions');
    if (sessions.length === 0) return [];
    const used = sessions.map((s) => str(s.last_verified_at)).sort();
    const opened = sessions.map((s) => str(s.created_at)).sort();
    return [
      {
        kind: 'text',
        text: t('privacy.mine.sessionsSummary', {
          count: sessions.length,
          last: dayTime(used.at(-1)),
          first: day(opened[0]),
        }),
      },
      { kind: 'text', text: t('privacy.mine.sessionsNote') },
    ];
  });

  section('agenda', t('privacy.mine.calendar'), () => [
    {
      kind: 'lines',
      lines: rowsOf('calendar_feeds').map((r) => ({
        text: t(r.revoked_at ? 'privacy.mine.feed.revoked' : 'privacy.mine.feed', {
          date: day(r.created_at),
          revoked: day(r.revoked_at),
        }),
      })),
    },
  ]);

  section('e-mails', t('privacy.mine.emails'), () => {
    const mails = [...rowsOf('outbox')].sort((a, b) => str(b.created_at).localeCompare(str(a.created_at)));
    if (mails.length === 0) return [];
    const blocks: Block[] = [
      {
        kind: 'text',
        text: t('privacy.mine.emailsSummary', { count: mails.length, last: day(mails[0]!.created_at) }),
      },
      {
        kind: 'lines',
        lines: mails.slice(0, LISTED).map((m) => ({
          text: t(m.sent_at ? 'privacy.mine.mail' : 'privacy.mine.mail.waiting', {
            subject: str(m.subject),
            date: day(m.created_at),
          }),
        })),
      },
    ];
    if (mails.length > LISTED)
      blocks.push({ kind: 'text', text: t('privacy.mine.more', { count: mails.length - LISTED }) });
    return blocks;
  });

  section('journal', t('privacy.mine.journal'), () => {
    const entries = [...rowsOf('audit_log')].sort((a, b) =>
      str(b.created_at).localeCompare(str(a.created_at)),
    );
    const blocks: Block[] = [
      {
        kind: 'lines',
        lines: entries.slice(0, LISTED).map((e) => {
          const key = `audit.action.${str(e.action)}`;
          return {
            text: t('privacy.mine.journalEntry', {
              date: day(e.created_at),
              actor:
                e.actor_user_id === null
                  ? t('audit.system')
                  : (names.people.get(num(e.actor_user_id)) ?? '—'),
              action: isMessageKey(key) ? t(key) : t('privacy.mine.journalOther'),
            }),
          };
        }),
      },
    ];
    if (entries.length > LISTED)
      blocks.push({ kind: 'text', text: t('privacy.mine.more', { count: entries.length - LISTED }) });
    return blocks;
  });

  return sections;
}
