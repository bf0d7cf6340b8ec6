// The roll call (émargement): around the séance its trainer marks each person signed up present,
// absent or excused, adds those who came without signing up, and closes the sheet once the séance
// has started. A closed sheet no longer changes and can be exported (PDF, CSV) for funders; its
// managers may reopen it for a while to correct a mistake (audited). When each step is allowed is
// said once, in roll-call-rules.ts; every write re-reads the séance in an IMMEDIATE transaction, so
// a tap racing the closing of the sheet cannot slip in after it.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import {
  type AttendanceStatus,
  attendance,
  type Cycle,
  cycles,
  type Gathering,
  gatherings,
  organizations,
  users,
} from '../db/schema.ts';
import { RuleError } from '../lib/errors.ts';
import { formatMoment, parisDay } from '../lib/time.ts';
import type { CurrentUser } from '../people/users.ts';
import type { AttendanceSheet } from './attendance-sheet.ts';
import {
  closeRefusal,
  markingClosesAt,
  markingOpensAt,
  markRefusal,
  ROLL_CALL_WINDOWS,
  reopenableUntil,
  reopenRefusal,
} from './roll-call-rules.ts';

export interface RollCallRow {
  /** `u<userId>` for a person with an account, `g<attendanceId>` for a guest. */
  key: string;
  userId: number | null;
  attendanceId: number | null;
  name: string;
  organization: string;
  status: AttendanceStatus | null;
  walkIn: boolean;
  waiting: boolean;
}

/** Everyone signed up (seat or waiting list) and everyone marked, in name order. */
export function rollCall(db: Db, gatheringId: number): RollCallRow[] {
  const rows = db.all<{
    userId: number | null;
    attendanceId: number | null;
    name: string;
    sortKey: string;
    organization: string | null;
    status: AttendanceStatus | null;
    walkIn: number | null;
    signup: string | null;
  }>(sql`
    SELECT u.id AS userId, a.id AS attendanceId, u.display_name AS name, u.sort_key AS sortKey,
      (SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = u.id AND o.kind = 'osim' ORDER BY m.id LIMIT 1) AS organization,
      a.status AS status, a.walk_in AS walkIn, s.status AS signup
    FROM users u
    LEFT JOIN gathering_signups s ON s.user_id = u.id AND s.gathering_id = ${gatheringId} AND s.status <> 'cancelled'
    LEFT JOIN attendance a ON a.user_id = u.id AND a.gathering_id = ${gatheringId}
    WHERE s.id IS NOT NULL OR a.id IS NOT NULL
    UNION ALL
    SELECT NULL, a.id, a.guest_name, lower(a.guest_name), a.guest_organization, a.status, a.walk_in, NULL
    FROM attendance a WHERE a.gathering_id = ${gatheringId} AND a.user_id IS NULL
    ORDER BY sortKey`);
  return rows.map((r) => ({
    key: r.userId !== null ? `u${r.userId}` : `g${r.attendanceId}`,
    userId: r.userId,
    attendanceId: r.attendanceId,
    name: r.name,
    organization: r.organization ?? '',
    status: r.status,
    walkIn: Boolean(r.walkIn),
    waiting: r.signup === 'waiting',
  }));
}

/** The séance as it is now, inside the caller's transaction (the page may be minutes old). */
function current(tx: Db, gathering: Gathering): Gathering {
  return tx.select().from(gatherings).where(eq(gatherings.id, gathering.id)).get()!;
}

/** A refusal of roll-call-rules.ts as a RuleError, with the instants and windows its message names. */
export function rollCallError(key: NonNullable<ReturnType<typeof markRefusal>>, g: Gathering): RuleError {
  const at = (d: Date | null) => (d ? formatMoment(d, g.timeZone) : '');
  return new RuleError(key, {
    minutes: ROLL_CALL_WINDOWS.opensMinutesBefore,
    days: ROLL_CALL_WINDOWS.reopenDays,
    opensAt: at(markingOpensAt(g)),
    closedAt: at(markingClosesAt(g)),
    startsAt: at(g.startsAt),
    reopenUntil: at(reopenableUntil(g)),
  });
}

function refuse(key: NonNullable<ReturnType<typeof markRefusal>>, g: Gathering): never {
  throw rollCallError(key, g);
}

function collectiveOf(tx: Db, g: Gathering): number | null {
  return (
    tx.select({ id: cycles.collectiveId }).from(cycles).where(eq(cycles.id, g.cycleId)).get()?.id ?? null
  );
}

/**
 * Marks one person (idempotent: the last tap wins). On a sheet reopened for a correction, a change
 * is written to the audit log, with the certificate that already counts the séance if there is one.
 */
export function markAttendance(
  db: Db,
  gathering: Gathering,
  target: { userId: number } | { attendanceId: number },
  status: AttendanceStatus,
  by: number,
  now = new Date(),
): RollCallRow {
  const key = 'attendanceId' in target ? `g${target.attendanceId}` : `u${target.userId}`;
  withTransaction(
    db,
    (tx) => {
      const g = current(tx, gathering);
      const refusal = markRefusal(g, status, now);
      if (refusal) refuse(refusal, g);
      const before = rollCall(tx, g.id).find((r) => r.key === key);
      if (!before) throw new RuleError('attendance.error.unknown');
      if ('attendanceId' in target) {
        tx.update(attendance)
          .set({ status, markedAt: now, markedBy: by })
          .where(and(eq(attendance.id, target.attendanceId), eq(attendance.gatheringId, g.id)))
          .run();
      } else {
        tx.insert(attendance)
          .values({ gatheringId: g.id, userId: target.userId, status, markedAt: now, markedBy: by })
          .onConflictDoUpdate({
            target: [attendance.gatheringId, attendance.userId],
            targetWhere: sql`user_id IS NOT NULL`,
            set: { status, markedAt: now, markedBy: by },
          })
          .run();
      }
      if (g.attendanceReopenedAt && before.status !== status) {
        recordAudit(tx, {
          actorUserId: by,
          action: 'attendance.correct',
          subjectUserId: before.userId,
          organizationId: collectiveOf(tx, g),
          details: {
            gatheringId: g.id,
            title: g.title,
            name: before.userId === null ? before.name : undefined,
            from: before.status,
            to: status,
            certificate: before.userId === null ? undefined : certificatesCounting(tx, g).get(before.userId),
          },
        });
      }
    },
    'immediate',
  );
  return rollCall(db, gathering.id).find((r) => r.key === key)!;
}

/** Someone who came without signing up: a learner of the cycle, or a guest by name. */
export function addWalkIn(
  db: Db,
  gathering: Gathering,
  person: { userId: number } | { name: string; organization: string },
  by: number,
  now = new Date(),
): void {
  withTransaction(
    db,
    (tx) => {
      const g = current(tx, gathering);
      const refusal = markRefusal(g, 'present', now);
      if (refusal) refuse(refusal, g);
      const mark = {
        gatheringId: g.id,
        status: 'present' as const,
        walkIn: true,
        markedAt: now,
        markedBy: by,
      };
      if ('userId' in person) {
        tx.insert(attendance)
          .values({ ...mark, userId: person.userId })
          .onConflictDoUpdate({
            target: [attendance.gatheringId, attendance.userId],
            targetWhere: sql`user_id IS NOT NULL`,
            set: { status: 'present', markedAt: now, markedBy: by },
          })
          .run();
      } else {
        tx.insert(attendance)
          .values({ ...mark, guestName: person.name, guestOrganization: person.organization })
          .run();
      }
    },
    'immediate',
  );
}

/** Learners of the cycle who are not on the roll call yet (to add as walk-ins). */
export function walkInChoices(
  db: Db,
  cycle: Cycle,
  gatheringId: number,
): Array<{ id: number; name: string }> {
  const listed = new Set(rollCall(db, gatheringId).map((r) => r.userId));
  return db
    .all<{ id: number; name: string }>(sql`
      SELECT u.id, u.display_name AS name FROM cycle_members cm JOIN users u ON u.id = cm.user_id
      WHERE cm.cycle_id = ${cycle.id} AND cm.withdrawn_at IS NULL ORDER BY u.sort_key`)
    .filter((p) => !listed.has(p.id));
}

/** Closes the sheet, once the séance has started: whoever is not marked counts as absent. */
export function closeAttendance(db: Db, gathering: Gathering, by: number, now = new Date()): void {
  withTransaction(
    db,
    (tx) => {
      const g = current(tx, gathering);
      const refusal = closeRefusal(g, now);
      if (refusal) refuse(refusal, g);
      for (const row of rollCall(tx, g.id)) {
        if (row.status === null && row.userId !== null && !row.waiting) {
          tx.insert(attendance)
            .values({ gatheringId: g.id, userId: row.userId, status: 'absent', markedAt: now, markedBy: by })
            .run();
        }
      }
      tx.update(gatherings)
        .set({ attendanceClosedAt: now, attendanceClosedBy: by })
        .where(and(eq(gatherings.id, g.id), isNull(gatherings.attendanceClosedAt)))
        .run();
      recordAudit(tx, {
        actorUserId: by,
        action: 'attendance.close',
        organizationId: collectiveOf(tx, g),
        details: { gatheringId: g.id, title: g.title },
      });
    },
    'immediate',
  );
}

/**
 * Reopens a closed sheet to correct a mistake, within the days after closing (audited). A
 * certificate already issued with this séance is never taken back by a correction: it attests what
 * the sheet said when it was issued; only the national team revokes, with a reason.
 */
export function reopenAttendance(
  db: Db,
  user: CurrentUser,
  cycle: Cycle,
  gathering: Gathering,
  now = new Date(),
): void {
  withTransaction(
    db,
    (tx) => {
      const g = current(tx, gathering);
      const refusal = reopenRefusal(g, now);
      if (refusal) refuse(refusal, g);
      tx.update(gatherings)
        .set({ attendanceClosedAt: null, attendanceClosedBy: null, attendanceReopenedAt: now })
        .where(eq(gatherings.id, g.id))
        .run();
      recordAudit(tx, {
        actorUserId: user.id,
        action: 'attendance.reopen',
        organizationId: cycle.collectiveId,
        details: { gatheringId: g.id, title: g.title, closedAt: g.attendanceClosedAt!.getTime() },
      });
    },
    'immediate',
  );
}

/** Whether the person is marked present at the séance (then their sign-up stays). */
export function isMarkedPresent(db: Db, gatheringId: number, userId: number): boolean {
  return (
    db
      .select({ id: attendance.id })
      .from(attendance)
      .where(
        and(
          eq(attendance.gatheringId, gatheringId),
          eq(attendance.userId, userId),
          eq(attendance.status, 'present'),
        ),
      )
      .get() !== undefined
  );
}

/**
 * The live certificates that list this séance among those attended (person → code). A certificate's
 * snapshot names séances by title and day, as printed on it.
 */
export function certificatesCounting(db: Db, g: Gathering): Map<number, string> {
  const rows = db.all<{ userId: number; code: string }>(sql`
    SELECT DISTINCT c.user_id AS userId, c.code FROM certificates c, json_each(c.snapshot, '$.gatherings') j
    WHERE c.cycle_id = ${g.cycleId} AND c.revoked_at IS NULL
      AND json_extract(j.value, '$.title') = ${g.title} AND json_extract(j.value, '$.date') = ${parisDay(g.startsAt.getTime())}`);
  return new Map(rows.map((r) => [r.userId, r.code]));
}

/** The closed sheet, as the PDF and CSV exports read it. */
export function attendanceSheetOf(db: Db, gathering: Gathering, cycle: Cycle): AttendanceSheet {
  const name = (id: number | null) =>
    id === null
      ? ''
      : (db.select({ n: users.displayName }).from(users).where(eq(users.id, id)).get()?.n ?? '');
  const collective =
    cycle.collectiveId === null
      ? null
      : (db
          .select({ n: organizations.name })
          .from(organizations)
          .where(eq(organizations.id, cycle.collectiveId))
          .get()?.n ?? null);
  return {
    gathering: {
      title: gathering.title,
      cycleName: cycle.name,
      collectiveName: collective,
      startsAt: gathering.startsAt,
      endsAt: gathering.endsAt,
      timeZone: gathering.timeZone,
      mode: gathering.mode,
      placeName: gathering.placeName,
      address: gathering.address,
      town: gathering.town,
      placeInQpv: gathering.placeInQpv,
      videoUrl: gathering.videoUrl,
    },
    trainer: { name: name(gathering.facilitatorId) },
    rows: rollCall(db, gathering.id)
      .filter((r) => r.status !== null)
      .map((r) => ({ name: r.name, organization: r.organization, status: r.status!, walkIn: r.walkIn })),
    closedAt: gathering.attendanceClosedAt ?? new Date(),
    closedBy: name(gathering.attendanceClosedBy),
  };
}

/** The sheet the exports are made of: only a closed roll call has one. */
export function closedAttendanceSheetOf(db: Db, gathering: Gathering, cycle: Cycle): AttendanceSheet {
  if (!gathering.attendanceClosedAt) throw new RuleError('attendance.error.notClosed');
  return attendanceSheetOf(db, gathering, cycle);
}
