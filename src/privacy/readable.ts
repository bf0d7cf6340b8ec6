// « Mes données » as a person reads it. The rows are those of the access export (export.ts) — the
// JSON download stays the complete record, in the database's words — turned into sections by
// theme: names and titles instead of ids, quiz answers counted in words, sign-ins summed up in one
// line, every date in French in the person's own time zone. Each section records the register's
// tables it was made from as it reads them; test/privacy/rights.test.ts checks that together they
// are every table of the export, so a table added to the register cannot be left off the page.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { isMessageKey, type Translate } from '../i18n/index.ts';
import { zoneName } from '../lib/time.ts';
import type { PersonalData } from './export.ts';

type Row = Record<string, unknown>;

export interface Fact {
  label: string;
  value: string;
}

export interface Line {
  text: string;
  /** Shown under the line. */
  details?: string[];
  /** Long text (a fiche's contents): shown folded, under « Lire ». */
  folded?: Fact[];
}

export type Block =
  | { kind: 'facts'; facts: Fact[] }
  | { kind: 'lines'; heading?: string; lines: Line[] }
  | { kind: 'text'; text: string };

export interface ReadableSection {
  id: string;
  title: string;
  /** The register's tables this section was made from, recorded as they were read. */
  tables: string[];
  blocks: Block[];
}

/** E-mails and journal entries listed on the page (all of them are in the JSON file). */
const LISTED = 10;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
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
  // The content is small (a few dozen lessons): read whole, archived ones included.
  const courses = db.all<{ id: string; title: string }>(sql`SELECT id, title FROM courses ORDER BY title`);
  const lessons = db.all<{ id: string; courseId: string; title: string; archived: number }>(
    sql`SELECT id, course_id AS courseId, title, archived_at IS NOT NULL AS archived FROM lessons ORDER BY position`,
  );
  const quizzes = new Map(
    db
      .all<{ id: string; courseId: string; title: string }>(
        sql`SELECT id, course_id AS courseId, title FROM quizzes`,
      )
      .map((q) => [q.id, q]),
  );
  const skills = new Map(
    db
      .all<{ code: string; title: string }>(sql`SELECT code, title FROM skills`)
      .map((s) => [s.code, s.title]),
  );
  const pathOrder = JSON.parse(
    db.get<{ ids: string }>(sql`SELECT course_ids AS ids FROM paths ORDER BY id LIMIT 1`)?.ids ?? '[]',
  ) as string[];
  return { organizations, cycles, gatherings, people, courses, lessons, quizzes, skills, pathOrder };
}

/**
 * French typography on a phone: no-break spaces before « : ; ? ! % », inside « » and after a number
 * (« 8 leçons », « 5 décembre »), so a colon or a closing quote never starts a line and a number
 * stays with its word.
 */
function frenchSpaces(text: string): string {
  return text
    .replace(/ ([:;?!%»])/g, '\u00a0$1')
    .replace(/« /g, '«\u00a0')
    .replace(/(\d(?:er)?) (?=\p{L})/gu, '$1\u00a0');
}

/** « 5 décembre 2026 », with « 1er » for the first of the month. */
function firstOfMonth(day: string): string {
  return day.replace(/^1 /, '1er ');
}

/** The sections of « Mes données », from the export of the person's data. */
export function readablePersonalData(db: Db, data: PersonalData, translate: Translate): ReadableSection[] {
  const t: Translate = (key, params) => frenchSpaces(translate(key, params));
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
  const dayFormat = new Intl.DateTimeFormat('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: zone,
  });
  const timeFormat = new Intl.DateTimeFormat('fr-FR', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  });
  const instant = (v: unknown) => (typeof v === 'number' ? new Date(v) : new Date(str(v)));
  /** « 5 décembre 2026 »: the one date format of the page. */
  const day = (v: unknown) =>
    v === null || v === undefined ? '' : firstOfMonth(dayFormat.format(instant(v)));
  /** « 5 décembre 2026 à 14:30 », where the time matters. */
  const dayTime = (v: unknown) =>
    t('privacy.mine.dayTime', { day: day(v), time: timeFormat.format(instant(v)) });
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

  section('parcours', t('privacy.mine.path'), () => pathBlocks());

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
        if (r.revoked_at)
          details.push(
            t('privacy.mine.certificate.revoked', {
              date: day(r.revoked_at),
              reason: str(r.revoked_reason) || '—',
            }),
          );
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
  ]);

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

  /** « Mon parcours »: where the person stands, then each module's lessons and quiz, then skills. */
  function pathBlocks(): Block[] {
    const blocks: Block[] = [];
    const stats = rowsOf('learner_stats')[0];
    if (stats) {
      blocks.push({
        kind: 'text',
        text: t('privacy.mine.stats', {
          percent: num(stats.percent),
          lessons: t('privacy.mine.lessonsCount', { count: num(stats.lessons_done) }),
          quizzes: t('privacy.mine.quizzesCount', { count: num(stats.quizzes_passed) }),
          gatherings: t('privacy.mine.gatheringsCount', { count: num(stats.gatherings_attended) }),
        }),
      });
      if (stats.completed_at)
        blocks.push({ kind: 'text', text: t('privacy.mine.pathDone', { date: day(stats.completed_at) }) });
    }
    const progress = new Map(rowsOf('lesson_progress').map((r) => [str(r.lesson_id), r]));
    const attempts = new Map<string, Row[]>();
    for (const a of rowsOf('quiz_attempts')) {
      const list = attempts.get(str(a.quiz_id)) ?? [];
      list.push(a);
      attempts.set(str(a.quiz_id), list);
    }
    const rank = (id: string) => {
      const i = names.pathOrder.indexOf(id);
      return i === -1 ? names.pathOrder.length : i;
    };
    const courses = [...names.courses].sort((a, b) => rank(a.id) - rank(b.id));
    const known = new Set<string>();
    for (const course of courses) {
      const lessons = names.lessons.filter((l) => l.courseId === course.id);
      const lines: Line[] = [];
      for (const lesson of lessons) {
        const p = progress.get(lesson.id);
        if (!p) continue;
        known.add(lesson.id);
        lines.push({
          text: p.completed_at
            ? t('privacy.mine.lesson.done', { title: lesson.title, date: day(p.completed_at) })
            : t('privacy.mine.lesson.opened', { title: lesson.title, date: day(p.first_opened_at) }),
        });
      }
      for (const [quizId, list] of attempts) {
        const quiz = names.quizzes.get(quizId);
        if (quiz?.courseId !== course.id) continue;
        known.add(quizId);
        lines.push(quizLine(quiz.title, list));
      }
      if (lines.length === 0) continue;
      const done = lessons.filter((l) => !l.archived && progress.get(l.id)?.completed_at).length;
      const total = lessons.filter((l) => !l.archived).length;
      lines.unshift({ text: t('privacy.mine.lessonsDone', { count: done, total }) });
      blocks.push({ kind: 'lines', heading: course.title, lines });
    }
    // Rows of content that no longer exists are still the person's: said, without their ids.
    const gone = [...progress.keys(), ...attempts.keys()].filter((id) => !known.has(id)).length;
    if (gone > 0) blocks.push({ kind: 'text', text: t('privacy.mine.removedContent', { count: gone }) });
    const skills = rowsOf('learner_skills').map(
      (s) => names.skills.get(str(s.skill_code)) ?? str(s.skill_code),
    );
    blocks.push({
      kind: 'lines',
      heading: t('privacy.mine.skills'),
      lines: skills.map((text) => ({ text })),
    });
    return blocks;
  }

  /** A quiz: best score, right answers in words, attempts, each attempt on its own line. */
  function quizLine(title: string, list: Row[]): Line {
    // Every question is answered before an attempt is recorded: the answers give the number of
    // questions, the score (the share answered right) the number of right ones.
    const right = (a: Row) => {
      const questions = Object.keys((a.answers ?? {}) as object).length;
      return { count: Math.round((num(a.score) * questions) / 100), questions };
    };
    const sorted = [...list].sort((a, b) => str(a.created_at).localeCompare(str(b.created_at)));
    const best = sorted.reduce((b, a) => (num(a.score) > num(b.score) ? a : b));
    const passed = sorted.some((a) => num(a.passed) === 1 || a.passed === true);
    return {
      text: t('privacy.mine.quiz', {
        title,
        score: num(best.score),
        count: right(best).count,
        questions: right(best).questions,
        passed: t(passed ? 'privacy.mine.quiz.passed' : 'privacy.mine.quiz.notPassed'),
        attempts: t('privacy.mine.attempts', { count: sorted.length }),
      }),
      details: sorted.map((a) =>
        t('privacy.mine.attempt', { date: day(a.created_at), score: num(a.score), ...right(a) }),
      ),
    };
  }

  return sections;
}
