// When a séance's roll call may be taken, closed and reopened. One place for the windows, read by
// the domain (which refuses), the routes and the pages (which offer only what the domain accepts and
// say when the rest becomes possible). Instants are the séance's UTC instants; `now` is always a
// parameter, so tests set the clock.
import type { Gathering } from '../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Presence and absence can be marked from this long before the start (people arrive early)… */
export const MARKING_OPENS_BEFORE_START_MS = 30 * MINUTE;
/** …until this long after the end: the trainer may finish the sheet in the days that follow. */
export const MARKING_CLOSES_AFTER_END_MS = 7 * DAY;
/** A closed sheet can be reopened to correct a mistake this long after closing; once reopened, it can be corrected for as long. */
export const REOPEN_WITHIN_MS = 7 * DAY;

/** The same windows in words' numbers, for the messages. */
export const ROLL_CALL_WINDOWS = {
  opensMinutesBefore: MARKING_OPENS_BEFORE_START_MS / MINUTE,
  closesDaysAfter: MARKING_CLOSES_AFTER_END_MS / DAY,
  reopenDays: REOPEN_WITHIN_MS / DAY,
} as const;

export type SheetTimes = Pick<
  Gathering,
  'startsAt' | 'endsAt' | 'cancelledAt' | 'attendanceClosedAt' | 'attendanceReopenedAt'
>;

export type Mark = 'present' | 'absent' | 'excused';

/** From when presence and absence may be marked. */
export function markingOpensAt(g: SheetTimes): Date {
  return new Date(g.startsAt.getTime() - MARKING_OPENS_BEFORE_START_MS);
}

/** Until when the sheet may be changed: some days after the end, or after the last reopening. */
export function markingClosesAt(g: SheetTimes): Date {
  const afterEnd = g.endsAt.getTime() + MARKING_CLOSES_AFTER_END_MS;
  const afterReopening = g.attendanceReopenedAt ? g.attendanceReopenedAt.getTime() + REOPEN_WITHIN_MS : 0;
  return new Date(Math.max(afterEnd, afterReopening));
}

/** Until when a closed sheet may be reopened, or null if it is not closed. */
export function reopenableUntil(g: SheetTimes): Date | null {
  return g.attendanceClosedAt ? new Date(g.attendanceClosedAt.getTime() + REOPEN_WITHIN_MS) : null;
}

/** Why this mark may not be set now, or null. « Excusé·e » may be set any time before the séance. */
export function markRefusal(g: SheetTimes, mark: Mark, now: Date): MessageKey | null {
  if (g.cancelledAt) return 'attendance.error.cancelled';
  if (g.attendanceClosedAt) return 'attendance.error.closed';
  if (now > markingClosesAt(g)) return 'attendance.error.tooLate';
  if (mark !== 'excused' && now < markingOpensAt(g)) return 'attendance.error.tooEarly';
  return null;
}

/** Why the sheet may not be closed now, or null: only once the séance has started. */
export function closeRefusal(g: SheetTimes, now: Date): MessageKey | null {
  if (g.cancelledAt) return 'attendance.error.cancelled';
  if (g.attendanceClosedAt) return 'attendance.error.closed';
  if (now < g.startsAt) return 'attendance.error.closeBeforeStart';
  return null;
}

/** Why the sheet may not be reopened now, or null: a closed sheet, within the days after closing. */
export function reopenRefusal(g: SheetTimes, now: Date): MessageKey | null {
  if (g.cancelledAt) return 'attendance.error.cancelled';
  const until = reopenableUntil(g);
  if (!until) return 'attendance.error.notClosedYet';
  if (now > until) return 'attendance.error.reopenTooLate';
  return null;
}

/** What the roll-call page offers now, and the instants it names. */
export function rollCallWindow(g: SheetTimes, now: Date) {
  return {
    canMarkPresence: markRefusal(g, 'present', now) === null,
    canMarkExcused: markRefusal(g, 'excused', now) === null,
    /** Before the presence window: « excusé·e » only. */
    early: !g.cancelledAt && !g.attendanceClosedAt && now < markingOpensAt(g),
    /** After the last day to change the sheet, while it is still open. */
    late: !g.cancelledAt && !g.attendanceClosedAt && now > markingClosesAt(g),
    canClose: closeRefusal(g, now) === null,
    canReopen: reopenRefusal(g, now) === null,
    reopened: !g.attendanceClosedAt && g.attendanceReopenedAt !== null,
    opensAt: markingOpensAt(g),
    closesAt: markingClosesAt(g),
    reopenUntil: reopenableUntil(g),
  };
}

export type RollCallWindow = ReturnType<typeof rollCallWindow>;
