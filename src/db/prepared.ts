// Prepared statements for the queries every request runs (session, signed-in user): drizzle builds
// the SQL and better-sqlite3 compiles it once per database instead of once per request.
import type { Db } from './client.ts';

const caches = new WeakMap<Db, Map<string, unknown>>();

export function prepared<T>(db: Db, key: string, build: (db: Db) => T): T {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build(db);
    cache.set(key, statement);
  }
  return statement;
}
