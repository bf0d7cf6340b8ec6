// A person's private calendar feed: an address with a secret token that a calendar app
// subscribes to (read-only). Only a SHA-256 of the token is stored, so the address is shown once,
// when made; making a new one revokes the old.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { type Db, withTransaction } from '../db/client.ts';
import { calendarFeeds, gatheringSignups, gatherings, users } from '../db/schema.ts';
import { gatheringUrl } from '../gatherings/gatherings.ts';
import type { IcsEvent } from './ics.ts';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export function hasFeed(db: Db, userId: number): boolean {
  return (
    db
      .select({ id: calendarFeeds.id })
      .from(calendarFeeds)
      .where(and(eq(calendarFeeds.userId, userId), isNull(calendarFeeds.revokedAt)))
      .get() !== undefined
  );
}

/** A new feed token (the old one stops working). */
export function renewFeed(db: Db, userId: number, now = new Date()): string {
  const token = randomBytes(24).toString('base64url');
  withTransaction(db, (tx) => {
    revokeFeed(tx, userId, now);
    tx.insert(calendarFeeds)
      .values({ userId, tokenHash: hash(token), createdAt: now })
      .run();
  });
  return token;
}

export function revokeFeed(db: Db, userId: number, now = new Date()): void {
  db.update(calendarFeeds)
    .set({ revokedAt: now })
    .where(and(eq(calendarFeeds.userId, userId), isNull(calendarFeeds.revokedAt)))
    .run();
}

/** The person a live token belongs to, or null. */
export function feedOwner(db: Db, token: string): { id: number; name: string } | null {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  return (
    db
      .select({ id: users.id, name: users.displayName })
      .from(calendarFeeds)
      .innerJoin(users, eq(users.id, calendarFeeds.userId))
      .where(
        and(
          eq(calendarFeeds.tokenHash, hash(token)),
          isNull(calendarFeeds.revokedAt),
          isNull(users.disabledAt),
        ),
      )
      .get() ?? null
  );
}

type Row = typeof gatherings.$inferSelect & { facilitatorName: string };

export function toIcsEvent(g: Row, baseUrl: string): IcsEvent {
  const place = [g.placeName, g.address, g.town].filter(Boolean).join(', ');
  const location = g.mode === 'online' ? 'En ligne' : place;
  const url = gatheringUrl(baseUrl, g.id);
  const description = [
    g.agenda,
    g.mode !== 'in_person' && g.videoUrl ? `Lien de la visio : ${g.videoUrl}` : '',
    g.cancelledAt ? `Séance annulée${g.cancelReason ? ` : ${g.cancelReason}` : ''}` : '',
    `Animée par ${g.facilitatorName}`,
    url,
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    uid: g.uid,
    sequence: g.sequence,
    title: g.title,
    description,
    startsAt: g.startsAt,
    endsAt: g.endsAt,
    timeZone: g.timeZone,
    location,
    url,
    cancelled: g.cancelledAt !== null,
    updatedAt: g.updatedAt,
    // The facilitator by name only: their e-mail is theirs to give (ics.ts).
    organizer: { name: g.facilitatorName },
  };
}

const selectRows = (db: Db) =>
  db
    .select({ g: gatherings, facilitatorName: users.displayName })
    .from(gatherings)
    .innerJoin(users, eq(users.id, gatherings.facilitatorId));

export function gatheringEvent(db: Db, gatheringId: number, baseUrl: string): IcsEvent {
  const r = selectRows(db).where(eq(gatherings.id, gatheringId)).get()!;
  return toIcsEvent({ ...r.g, facilitatorName: r.facilitatorName }, baseUrl);
}

/** The séances of the person's calendar: those they signed up for (cancelled ones included, marked) and those they lead. */
export function feedEvents(db: Db, userId: number, baseUrl: string): IcsEvent[] {
  return selectRows(db)
    .where(
      or(
        eq(gatherings.facilitatorId, userId),
        sql`${gatherings.id} IN (SELECT ${gatheringSignups.gatheringId} FROM ${gatheringSignups} WHERE ${gatheringSignups.userId} = ${userId} AND ${gatheringSignups.status} <> 'cancelled')`,
      ),
    )
    .orderBy(asc(gatherings.startsAt))
    .all()
    .map((r) => toIcsEvent({ ...r.g, facilitatorName: r.facilitatorName }, baseUrl));
}
