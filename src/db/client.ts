// Opens the SQLite file (or `:memory:` in tests) with the pragmas the app relies on. The file, and
// the -wal and -shm files SQLite makes next to it, are readable by the app's user only (0600).
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { type FastStatement, withFastRows } from './fast-rows.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

// NOTE: better-sqlite3 12 under Node 24 aborts the process ("Assertion failed: (env) !=
// nullptr" in RemoveEnvironmentCleanupHook, from Statement::~Statement) when V8 collects one
// of its objects during a garbage collection that runs outside a JavaScript context — Node 24's
// ObjectWrap looks the environment up from the current context. Seen in this project's tests and
// reported upstream (e.g. github.com/earendil-works/pi/issues/8492). So no Database or Statement
// object is ever left for the garbage collector: statements are prepared once per SQL text and
// kept (which also saves re-preparing each query), databases are kept after close, and pragmas
// go through exec(), which creates no Statement object.
const keptForever: unknown[] = [];

function keepStatements(sqlite: Database.Database): void {
  const statements = new Map<string, Database.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (statement === undefined) {
      statement = prepare(source);
      withFastRows(statement);
      statements.set(source, statement);
    } else if (statement.reader) {
      // A statement's result mode is sticky: give every caller the default shape back.
      (statement as FastStatement).resetMode();
    }
    return statement;
  }) as Database.Database['prepare'];
  keptForever.push(sqlite, statements);
}

/**
 * Runs `fn` in one transaction (nested calls become savepoints). The transaction is handed over
 * as a Db: domain functions take a Db and work the same inside or outside a transaction.
 */
export function withTransaction<T>(
  db: Db,
  fn: (tx: Db) => T,
  behavior: 'deferred' | 'immediate' = 'deferred',
): T {
  return db.transaction((tx) => fn(tx as unknown as Db), { behavior });
}

/** The better-sqlite3 connection behind a Db, also when the Db is a transaction. */
export function sqliteOf(db: Db): Database.Database {
  return db.$client ?? (db as unknown as { session: { client: Database.Database } }).session.client;
}

/** The files of a SQLite database at `path`: the database itself and those SQLite keeps beside it. */
export const databaseFiles = (path: string) =>
  ['', '-wal', '-shm', '-journal'].map((suffix) => `${path}${suffix}`);

/**
 * Mode 0600 for the database file at `path` and the files beside it: created so (a new database),
 * or brought to it (one made before, 0644 under the usual umask: anyone on the machine could read
 * every account and copy the database). SQLite gives the -wal and -shm files it creates the mode
 * of the database file, so they follow.
 */
export function restrictDatabaseFiles(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  for (const file of databaseFiles(path)) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch (error) {
      // Absent (no -wal yet), or another user's file: SQLite says what it can do with it.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw error;
    }
  }
}

export function openDatabase(path: string): Db {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    restrictDatabaseFiles(path);
  }
  const sqlite = new Database(path);
  keepStatements(sqlite);
  // NOTE: WAL lets readers go on while the one writer writes. synchronous=NORMAL in WAL mode
  // never corrupts the file and loses nothing on an app crash; a power cut may lose the last
  // transactions before the next checkpoint. We accept that for the speed it buys (README).
  // secure_delete=FAST overwrites deleted content in the pages it writes anyway (no extra I/O):
  // what is deleted or dropped — an erased person's data, the private key migration 0013 took out —
  // does not linger in the file's free space, hence in its backups.
  sqlite.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = FAST;',
  );
  return drizzle({ client: sqlite, schema }) as Db;
}
