// Tokens sent in links (password reset, invitation, e-mail change): 160 bits, base32, stored as
// SHA-256 only; and the one way such a link is used (`consumeLinkToken`).
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, getTableColumns, gt, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';

export function generateLinkToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashLinkToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** A token as it comes from a URL: anything else is rejected before touching the database. */
export function isWellFormedLinkToken(token: string): boolean {
  return /^[a-z2-7]{32}$/.test(token);
}

/** Where a kind of single-use link is kept: its table, and the columns that say whether it still opens. */
export interface SingleUseLink<T extends SQLiteTable> {
  table: T;
  /** The token's SHA-256. */
  tokenHash: SQLiteColumn;
  /** Empty while the link may be used; the moment it was used (or made void) after. */
  usedAt: SQLiteColumn;
  expiresAt: SQLiteColumn;
  /** What else must hold for the link to open anything (an invitation not revoked). */
  alsoRequires?: SQL;
  /** What else using it writes (an invitation forgets its link's nonce). */
  alsoSets?: SQLiteUpdateSetSource<T>;
}

/** A link used now (its row, as written), or why it opens nothing. */
export type ConsumedLink<Row> = { state: 'consumed'; row: Row } | { state: 'expired' | 'unknown' };

/**
 * Uses a single-use link: the row whose hash the token gives, not used yet, not expired, is marked
 * used by one conditional UPDATE — so two clicks (two tabs, two processes) cannot both win. Call it
 * inside the transaction that does what the link is for: rolled back, the link is unused again.
 * A link that opens nothing is `unknown` (malformed, or no such link) or `expired` (used, expired,
 * or refused by `alsoRequires`); each flow says it in its own words.
 */
export function consumeLinkToken<T extends SQLiteTable>(
  db: Db,
  link: SingleUseLink<T>,
  token: string,
  now: Date,
): ConsumedLink<T['$inferSelect']> {
  if (!isWellFormedLinkToken(token)) return { state: 'unknown' };
  const hash = hashLinkToken(token);
  const usedKey = Object.entries(getTableColumns(link.table)).find(
    ([, column]) => column === link.usedAt,
  )![0];
  const row = db
    .update(link.table)
    .set({ ...link.alsoSets, [usedKey]: now } as SQLiteUpdateSetSource<T>)
    .where(and(eq(link.tokenHash, hash), isNull(link.usedAt), gt(link.expiresAt, now), link.alsoRequires))
    .returning()
    .get() as T['$inferSelect'] | undefined;
  if (row) return { state: 'consumed', row };
  const known = db.select({ one: sql`1` }).from(link.table).where(eq(link.tokenHash, hash)).get();
  return { state: known ? 'expired' : 'unknown' };
}
