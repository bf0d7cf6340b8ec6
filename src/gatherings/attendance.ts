// The roll call (émargement): during the séance its trainer marks each person signed up present,
// absent or excused, adds those who came without signing up, and closes the sheet. A closed sheet
// no longer changes and can be exported (PDF, CSV) for funders.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { type Db, withTransaction } from '../db/client.ts';
import {
  type AttendanceStatus,
  attendance,
  type Cycle,
  type Gathering,
  gatherings,
  organizations,
  users,
} from '../db/schema.ts';
import { RuleError } from '../lib/errors.ts';
import type { AttendanceSheet } from './attendance-sheet.ts';

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

function requireOpen(gathering: Gathering) {
  if (gathering.cancelledAt) throw new RuleError('attendance.error.cancelled');
  if (gathering.attendanceClosedAt) throw new RuleError('attendance.error.closed');
}

/** Marks one person (idempotent: the last tap wins). */
export function markAttendance(
  db: Db,
  gathering: Gathering,
  target: { userId: number } | { attendanceId: number },
  status: AttendanceStatus,
  by: number,
  now = new Date(),
): RollCallRow {
  requireOpen(gathering);
  withTransaction(db, (tx) => {
    if ('attendanceId' in target) {
      const changed = tx
        .update(attendance)
        .set({ status, markedAt: now, markedBy: by })
        .where(and(eq(attendance.id, target.attendanceId), eq(attendance.gatheringId, gathering.id)))
        .run().changes;
      if (changed === 0) throw new RuleError('attendance.error.unknown');
      return;
    }
    const known = rollCall(tx, gathering.id).some((r) => r.userId === target.userId);
    if (!known) throw new RuleError('attendance.error.unknown');
    tx.insert(attendance)
      .values({ gatheringId: gathering.id, userId: target.userId, status, markedAt: now, markedBy: by })
      .onConflictDoUpdate({
        target: [attendance.gatheringId, attendance.userId],
        targetWhere: sql`user_id IS NOT NULL`,
        set: { status, markedAt: now, markedBy: by },
      })
      .run();
  });
  const key = 'attendanceId' in target ? `g${target.attendanceId}` : `u${target.userId}`;
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
  requireOpen(gathering);
  if ('userId' in person) {
    db.insert(attendance)
      .values({
        gatheringId: gathering.id,
        userId: person.userId,
        status: 'present',
        walkIn: true,
        markedAt: now,
        markedBy: by,
      })
      .onConflictDoUpdate({
        target: [attendance.gatheringId, attendance.userId],
        targetWhere: sql`user_id IS NOT NULL`,
        set: { status: 'present', markedAt: now, markedBy: by },
      })
      .run();
    return;
  }
  db.insert(attendance)
    .values({
      gatheringId: gathering.id,
      guestName: person.name,
      guestOrganization: person.organization,
      status: 'present',
      walkIn: true,
      markedAt: now,
      markedBy: by,
    })
    .run();
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

/** Closes the sheet: whoever is not marked counts as absent. */
export function closeAttendance(db: Db, gathering: Gathering, by: number, now = new Date()): void {
  requireOpen(gathering);
  withTransaction(db, (tx) => {
    for (const row of rollCall(tx, gathering.id)) {
      if (row.status === null && row.userId !== null && !row.waiting) {
        tx.insert(attendance)
          .values({
            gatheringId: gathering.id,
            userId: row.userId,
            status: 'absent',
            markedAt: now,
            markedBy: by,
          })
          .run();
      }
    }
    tx.update(gatherings)
      .set({ attendanceClosedAt: now, attendanceClosedBy: by })
      .where(and(eq(gatherings.id, gathering.id), isNull(gatherings.attendanceClosedAt)))
      .run();
  });
}

/** Whether the person was marked present at the séance. */
export function attended(db: Db, gatheringId: number, userId: number): boolean {
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
