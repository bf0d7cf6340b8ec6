// The version of "who is who" in the database: accounts, roles, organizations, ended sessions.
// Triggers bump `auth_version` on every such change (migrations 0001 and 0003), whoever writes;
// this reader re-reads that integer only when this connection has written something since the
// last look (`total_changes()`, which takes no lock) or once a second for other processes.
// Caches of things derived from the network (the signed-in person, collective counts) are
// trusted only while it has not moved.
import { type Db, sqliteOf } from './client.ts';

export const CROSS_PROCESS_CHECK_MS = 1000;

export interface VersionReader {
  /** The current version; `now` (ms) is injectable for tests. */
  current(now?: number): number;
}

const readers = new WeakMap<object, VersionReader>();

export function networkVersion(db: Db): VersionReader {
  const client = db.$client;
  let reader = readers.get(client);
  if (reader) return reader;
  const versionStatement = client.prepare('SELECT version FROM auth_version WHERE id = 1');
  const changesStatement = client.prepare('SELECT total_changes() AS n');
  let known = -1;
  let seenChanges = -1;
  let checkedAt = 0;
  reader = {
    current(now = Date.now()) {
      const changes = (changesStatement.get() as { n: number }).n;
      if (changes !== seenChanges || now - checkedAt >= CROSS_PROCESS_CHECK_MS || now < checkedAt) {
        known = (versionStatement.get() as { version: number }).version;
        seenChanges = changes;
        checkedAt = now;
      }
      return known;
    },
  };
  readers.set(client, reader);
  return reader;
}

/** Remembers `compute()` until the network version changes. */
export function memoByNetworkVersion<T>(db: Db, compute: () => T): () => T {
  let version = -1;
  let value: T | undefined;
  return () => {
    const current = networkVersion(db).current();
    if (current !== version || value === undefined) {
      value = compute();
      version = current;
    }
    return value;
  };
}

/**
 * The version of the whole database as this process sees it: its own writes (`total_changes()`,
 * which takes no lock) at once, and the commits of other processes (`PRAGMA data_version`, which
 * does) within CROSS_PROCESS_CHECK_MS, as for the network version. What is kept while it does not
 * move (home/kept.ts, plugins/kept-pages.ts) is read afresh after any write.
 */
export function databaseVersion(db: Db, now = Date.now()): string {
  const client = sqliteOf(db);
  let reader = databaseReaders.get(client);
  if (!reader) {
    // The network version's own statement (one prepared statement for both).
    const changesStatement = client.prepare('SELECT total_changes() AS n');
    const dataStatement = client.prepare('SELECT data_version FROM pragma_data_version');
    let others = -1;
    let checkedAt = 0;
    reader = (at: number) => {
      if (at - checkedAt >= CROSS_PROCESS_CHECK_MS || at < checkedAt) {
        others = (dataStatement.get() as { data_version: number }).data_version;
        checkedAt = at;
      }
      return `${(changesStatement.get() as { n: number }).n}:${others}`;
    };
    databaseReaders.set(client, reader);
  }
  return reader(now);
}

const databaseReaders = new WeakMap<object, (now: number) => string>();
