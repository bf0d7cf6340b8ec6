// Opens the SQLite file (or `:memory:` in tests) with the pragmas the app relies on.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
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
      statements.set(source, statement);
    } else if (statement.reader) {
      // A statement's result mode is sticky: give every caller the default shape back.
      statement.raw(false).pluck(false).expand(false);
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

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  keepStatements(sqlite);
  // NOTE: WAL lets readers go on while the one writer writes. synchronous=NORMAL in WAL mode
  // never corrupts the file and loses nothing on an app crash; a power cut may lose the last
  // transactions before the next checkpoint. We accept that for the speed it buys (README).
  sqlite.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
  );
  return drizzle({ client: sqlite, schema }) as Db;
}
