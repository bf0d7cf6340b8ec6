// What /healthz checks: the database answers a query.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

/** Throws when the connection cannot run a query (closed, for one): /healthz then answers 500. */
export function checkDatabase(db: Db): void {
  db.get(sql`SELECT 1`);
}
