// Online backup and guarded restore of the SQLite file (`npm run backup`, `npm run restore`).
//
// Backup: SQLite's backup API (better-sqlite3's `db.backup`) from a connection of our own while
// the app keeps serving, into a temporary file next to the target, made self-contained
// (journal_mode DELETE), checked with `PRAGMA integrity_check`, then renamed into place.
//
// Every file these write — the backup, the restored database, the old one kept aside — is readable
// by the app's user only (0600): a backup holds every account, like the database.
//
// Restore: the backup is copied next to the target and checked there, and installed by one
// rename — but never over a database another connection holds open. The app's connection is in
// WAL mode and keeps a SHARED lock on the database file for as long as it is open, even idle
// between transactions; a connection in `locking_mode = EXCLUSIVE` with `busy_timeout = 0` must
// take an EXCLUSIVE lock to read a WAL database, so it fails at once with SQLITE_BUSY while any
// other connection (another process, or this one) has the file open. A plain `BEGIN EXCLUSIVE`
// would not do: in WAL mode it only excludes other writers, not idle readers.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** A refusal or failure worth telling the operator as is (French, names the file). */
export class BackupError extends Error {}

export interface BackupResult {
  path: string;
  bytes: number;
  pages: number;
  /** Time spent copying pages (the source's read transaction), then checking the copy. */
  copyMs: number;
  checkMs: number;
}

export interface RestoreResult {
  path: string;
  bytes: number;
  /** Where the database that was replaced was kept, or null when there was none. */
  previous: string | null;
}

const SQLITE_HEADER = 'SQLite format 3\0';
/** Pages per backup step: everything at once (see backupDatabase). */
const ALL_PAGES = 0x7fffffff;

// The Node 24 rule of src/db/client.ts: no Database, Statement or Backup object is left for the
// garbage collector. These tools open a few connections per run; they are kept after close.
const keptForever: unknown[] = [];

function open(path: string, options: Database.Options = {}): Database.Database {
  const db = new Database(path, { fileMustExist: true, ...options });
  keptForever.push(db);
  keepBackupObjects(db);
  return db;
}

/** Runs one statement and returns its first column for each row (the Statement is kept). */
function column(db: Database.Database, sql: string): unknown[] {
  const statement = db.prepare(sql);
  keptForever.push(statement);
  return statement.pluck().all();
}

/** `db.backup` creates a native Backup object internally: keep it too. */
function keepBackupObjects(db: Database.Database): void {
  const record = db as unknown as Record<symbol, { backup?: (...args: unknown[]) => unknown }>;
  for (const symbol of Object.getOwnPropertySymbols(db)) {
    const native = record[symbol];
    if (typeof native?.backup !== 'function') continue;
    const create = native.backup;
    native.backup = function (this: unknown, ...args: unknown[]) {
      const backup = create.apply(this, args);
      keptForever.push(backup);
      return backup;
    };
  }
}

function sqliteCode(error: unknown): string {
  return (error as { code?: unknown })?.code?.toString() ?? '';
}

function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function describe(error: unknown): string {
  const code = sqliteCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code} : ${message}` : message;
}

function hasSqliteHeader(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A new file name next to `path`, for writing before the atomic rename. */
function temporaryNextTo(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A new empty file at `path`, mode 0600, for SQLite to write a database into: the files SQLite
 * makes next to it (-journal) take its mode, and a rename keeps it.
 */
function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'wx', 0o600));
}

function removeWithSidecars(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable; some file systems refuse to open a folder: then there is nothing to do. */
function fsyncDirectory(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {}
}

/**
 * Makes the SQLite file at `path` self-contained (journal_mode DELETE: no -wal needed to read
 * it) and checks it. Throws a BackupError about `subject` (« La sauvegarde x.db ») when it is not a
 * sound Passerelle database.
 */
function settleAndCheck(path: string, subject: string): void {
  let db: Database.Database | undefined;
  try {
    db = open(path);
    db.exec('PRAGMA journal_mode = DELETE');
    const problems = column(db, 'PRAGMA integrity_check');
    if (problems.length !== 1 || problems[0] !== 'ok') {
      const shown = problems.slice(0, 3).join(' ; ');
      throw new BackupError(
        `${subject} est endommagée : PRAGMA integrity_check signale « ${shown} »` +
          (problems.length > 3 ? ` et ${problems.length - 3} autre(s) problème(s).` : '.'),
      );
    }
    const migrations = column(
      db,
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'",
    );
    if (migrations[0] !== 1) {
      throw new BackupError(
        `${subject} est une base SQLite mais pas une base Passerelle (aucune table __drizzle_migrations).`,
      );
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${subject} est endommagée ou illisible (${describe(error)}).`);
  } finally {
    db?.close();
  }
}

/**
 * A consistent copy of the database at `sourcePath`, taken while the app keeps using it, written
 * to `targetPath` (replaced atomically if it exists). The whole copy runs in one backup step,
 * hence in one read transaction of our own: in WAL mode the app goes on reading and writing
 * meanwhile, and the copy is the database as of the step's start. (Copying in several steps
 * would restart from the first page whenever another connection writes between two steps, and
 * never end on a busy database.)
 */
export async function backupDatabase(sourcePath: string, targetPath: string): Promise<BackupResult> {
  if (sourcePath === ':memory:')
    throw new BackupError('Une base en mémoire (:memory:) ne se sauvegarde pas.');
  if (!isFile(sourcePath)) throw new BackupError(`Base introuvable : ${sourcePath}`);
  if (!hasSqliteHeader(sourcePath)) throw new BackupError(`${sourcePath} n’est pas une base SQLite.`);
  const target = resolve(targetPath);
  const source = resolve(sourcePath);
  if (target === source || target.startsWith(`${source}-`)) {
    throw new BackupError(`La sauvegarde ne peut pas s’écrire sur la base elle-même (${targetPath}).`);
  }
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const temporary = temporaryNextTo(target);
  try {
    createPrivateFile(temporary);
    let started = performance.now();
    const db = open(sourcePath);
    let pages: number;
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      const progress = await db.backup(temporary, { progress: () => ALL_PAGES });
      pages = progress.totalPages;
    } catch (error) {
      throw new BackupError(`La sauvegarde de ${sourcePath} a échoué (${describe(error)}).`);
    } finally {
      db.close();
    }
    const copyMs = performance.now() - started;
    started = performance.now();
    settleAndCheck(temporary, `La copie de ${sourcePath}`);
    fsyncFile(temporary);
    const checkMs = performance.now() - started;
    renameSync(temporary, target);
    fsyncDirectory(dirname(target));
    return { path: targetPath, bytes: statSync(target).size, pages, copyMs, checkMs };
  } finally {
    removeWithSidecars(temporary);
  }
}

/**
 * Opens the database at `path` and takes an EXCLUSIVE lock on it, which fails at once if any
 * other connection has it open (see the top of this file). Holding the lock, it folds any WAL
 * left by a crash into the file (journal_mode DELETE), so the file is complete on its own.
 * Returns the connection (close it to release the lock), or null when `path` is not a SQLite
 * database or a corrupt one (no app can be serving it); refuses anything else it cannot check.
 */
function lockIdleDatabase(path: string): Database.Database | null {
  let db: Database.Database;
  try {
    db = open(path, { timeout: 0 });
  } catch (error) {
    if (isBusy(error)) throw runningError(path);
    throw new BackupError(
      `Impossible d’ouvrir la base ${path} (${describe(error)}) : rien n’a été restauré.`,
    );
  }
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;');
    const [mode] = column(db, 'PRAGMA journal_mode = DELETE');
    if (mode !== 'delete') throw runningError(path);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof BackupError) throw error;
    if (isBusy(error)) throw runningError(path);
    const code = sqliteCode(error);
    if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return null;
    throw new BackupError(
      `Impossible de vérifier que la base ${path} n’est pas utilisée (${describe(error)}) : rien n’a été restauré.`,
    );
  }
}

function runningError(path: string): BackupError {
  return new BackupError(
    `La base ${path} est ouverte par un autre processus (l’application tourne-t-elle ?) : ` +
      'arrêtez-la avant de restaurer. --force ne contourne pas cette vérification.',
  );
}

function stamp(date: Date): string {
  // ISO 8601 basic format, UTC: 20260504T030000Z — sorts by date, no colon in file names.
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function asideName(targetPath: string, date: Date): string {
  const base = `${targetPath}.avant-restauration-${stamp(date)}`;
  let name = base;
  for (let n = 2; existsSync(name); n++) name = `${base}-${n}`;
  return name;
}

/**
 * Puts the backup at `backupPath` in place of the database at `targetPath`. Refuses when the
 * backup is missing, is not a SQLite database, fails `integrity_check` or is not a Passerelle
 * database; when the target is open in another process (always, `force` or not); and when the
 * target exists, unless `force`. The replaced file is kept as
 * `<target>.avant-restauration-<UTC timestamp>`.
 */
export function restoreDatabase(
  backupPath: string,
  targetPath: string,
  options: { force?: boolean; now?: Date } = {},
): RestoreResult {
  if (targetPath === ':memory:') throw new BackupError('Impossible de restaurer dans une base en mémoire.');
  if (!isFile(backupPath)) throw new BackupError(`Sauvegarde introuvable : ${backupPath}`);
  if (!hasSqliteHeader(backupPath)) throw new BackupError(`${backupPath} n’est pas une base SQLite.`);
  if (resolve(backupPath) === resolve(targetPath)) {
    throw new BackupError(`La sauvegarde et la base à remplacer sont le même fichier (${targetPath}).`);
  }
  const exists = isFile(targetPath);
  const lock = exists ? lockIdleDatabase(targetPath) : null;
  let temporary: string | null = null;
  try {
    if (exists && !options.force) {
      throw new BackupError(
        `${targetPath} existe déjà : ajoutez --force pour la remplacer ` +
          '(elle sera conservée sous le nom <base>.avant-restauration-<date>).',
      );
    }
    mkdirSync(dirname(resolve(targetPath)), { recursive: true, mode: 0o700 });
    temporary = temporaryNextTo(targetPath);
    // copyFile gives the copy the backup's mode (0644 for one made before 0600 was the rule).
    createPrivateFile(temporary);
    copyFileSync(backupPath, temporary);
    chmodSync(temporary, 0o600);
    settleAndCheck(temporary, `La sauvegarde ${backupPath}`);
    fsyncFile(temporary);
    let previous: string | null = null;
    if (exists) {
      previous = asideName(targetPath, options.now ?? new Date());
      // A second name for the current file: the target never stops existing.
      try {
        linkSync(targetPath, previous);
      } catch {
        copyFileSync(targetPath, previous);
      }
      chmodSync(previous, 0o600);
    }
    // Left by a crash (the lock has folded them into the file) or by nobody: either way they
    // belong to the old file and would be read with the new one.
    for (const suffix of ['-journal', '-wal', '-shm']) rmSync(`${targetPath}${suffix}`, { force: true });
    renameSync(temporary, targetPath);
    temporary = null;
    fsyncDirectory(dirname(resolve(targetPath)));
    return { path: targetPath, bytes: statSync(targetPath).size, previous };
  } finally {
    if (temporary) removeWithSidecars(temporary);
    lock?.close();
  }
}
