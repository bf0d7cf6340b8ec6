// What the homes of trainers, coordinators and the national team read (their séances, invitations,
// cycles, figures) kept per person while the database does not change, and `ttlMs` at most (which
// séances are over depends on the time). A change is any write of this process
// (`total_changes()`) or a commit by another one (`PRAGMA data_version`, within a second): after a
// roll call, an invitation or a sign-up the next page reads afresh. The pages themselves, members'
// homes included, are kept as rendered by plugins/kept-pages.ts, under the same rule.
import { type Db, sqliteOf } from '../db/client.ts';
import { databaseVersion } from '../db/network-version.ts';

interface Entry {
  version: string;
  at: number;
  value: unknown;
}

const stores = new WeakMap<object, Map<string, Entry>>();
const ENTRIES = 1000;

export function kept<T>(db: Db, key: string, ttlMs: number, compute: () => T, now = Date.now()): T {
  const client = sqliteOf(db);
  let store = stores.get(client);
  if (!store) {
    store = new Map();
    stores.set(client, store);
  }
  const version = databaseVersion(db, now);
  const entry = store.get(key);
  if (entry && entry.version === version && now - entry.at < ttlMs && now >= entry.at)
    return entry.value as T;
  const value = compute();
  if (store.size >= ENTRIES) store.clear();
  // The version read before computing: a write meanwhile makes the next read compute again.
  store.set(key, { version, at: now, value });
  return value;
}
