// Reminder emails: the day before a séance, and a few hours before (REMINDER_HOURS), to everyone
// with a seat. A job inside the app looks every minute; each reminder sent is recorded in
// gathering_reminders in the same transaction as the email's outbox row, so it goes once even
// across restarts, and a séance moved to another time is reminded again.
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { type Db, withTransaction } from '../db/client.ts';
import { type GatheringMode, gatheringReminders } from '../db/schema.ts';
import { translator } from '../i18n/index.ts';
import { repeat } from '../lib/jobs.ts';
import type { Mailer } from '../mail/mailer.ts';
import { describeGathering } from './gatherings.ts';

const HOUR = 3600_000;

interface Due {
  gatheringId: number;
  userId: number;
  email: string;
  name: string;
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  mode: GatheringMode;
  placeName: string;
  address: string;
  town: string;
  videoUrl: string;
}

/** "Demain", "Aujourd'hui" or "Bientôt", from the calendar days in the séance's zone. */
function subjectKey(kind: 'day_before' | 'hours_before', startsAt: Date, zone: string, now: number) {
  if (kind === 'hours_before') return 'mail.reminderHours.subject' as const;
  const day = (instant: Date | number) =>
    DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime(), { zone }).startOf('day');
  const days = day(startsAt).diff(day(now), 'days').days;
  return days >= 1 ? ('mail.reminderDay.subject' as const) : ('mail.reminderToday.subject' as const);
}

/** Sends the reminders due at `now`; returns how many were sent. */
export function sendDueReminders(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  options: { hoursBefore: number; now?: Date },
): number {
  const now = options.now?.getTime() ?? Date.now();
  const t = translator('fr');
  let sent = 0;
  const kinds = [
    { kind: 'hours_before', lead: options.hoursBefore * HOUR },
    { kind: 'day_before', lead: 24 * HOUR },
  ] as const;
  withTransaction(db, (tx) => {
    for (const { kind, lead } of kinds) {
      const due = tx.all<Due>(sql`
        SELECT g.id AS gatheringId, u.id AS userId, u.email, u.display_name AS name, g.title,
          g.starts_at AS startsAt, g.ends_at AS endsAt, g.time_zone AS timeZone, g.mode,
          g.place_name AS placeName, g.address, g.town, g.video_url AS videoUrl
        FROM gatherings g
        JOIN gathering_signups s ON s.gathering_id = g.id AND s.status = 'confirmed'
        JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL
        WHERE g.cancelled_at IS NULL AND g.starts_at > ${now} AND g.starts_at - ${lead} <= ${now}
          AND NOT EXISTS (SELECT 1 FROM gathering_reminders r WHERE r.gathering_id = g.id
            AND r.user_id = u.id AND r.starts_at = g.starts_at
            AND (r.kind = ${kind} OR r.kind = 'hours_before'))
        ORDER BY g.starts_at, s.id`);
      for (const d of due) {
        const startsAt = new Date(d.startsAt);
        const { when, where } = describeGathering({ ...d, startsAt, endsAt: new Date(d.endsAt) });
        mailer.send({
          to: d.email,
          subject: t(subjectKey(kind, startsAt, d.timeZone, now), { title: d.title }),
          text: t('mail.reminder.body', {
            name: d.name,
            title: d.title,
            when,
            where,
            url: `${baseUrl}/gatherings/${d.gatheringId}`,
          }),
        });
        tx.insert(gatheringReminders)
          .values({ gatheringId: d.gatheringId, userId: d.userId, kind, startsAt, sentAt: new Date(now) })
          .run();
        sent += 1;
      }
    }
  });
  return sent;
}

/** The job: every minute, inside the app. Returns a function that stops it. */
export function startReminderJob(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  hoursBefore: number,
  onError: (error: unknown) => void,
): () => void {
  return repeat(
    () => {
      sendDueReminders(db, mailer, baseUrl, { hoursBefore });
    },
    { firstAfterMs: 0, everyMs: 60_000 },
    onError,
  );
}
