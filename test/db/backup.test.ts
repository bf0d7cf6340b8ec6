// Backups and restores on real SQLite files, with real other processes writing to the database
// or holding it open, and the two CLIs as processes.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src/db/backup.ts';
import { openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'passerelle-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BODY = 'Bonjour, voici le compte-rendu de la séance. '.repeat(24); // about 1 KB per row

/** The child's environment: only what a shell would give (vitest adds BASE_URL, MODE… of its own). */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

// A Passerelle database opened by another process, as the app opens it (openDatabase: WAL,
// busy_timeout; migrateDatabase). `hold`: writes one row, then stays idle between transactions.
// `write`: inserts outbox rows without pause, each in its own transaction, as fast as it can.
const CHILD = `
  import { openDatabase } from './src/db/client.ts';
  import { migrateDatabase } from './src/db/migrate.ts';
  const db = openDatabase(process.env.DB);
  migrateDatabase(db);
  const insert = db.$client.prepare(
    'INSERT INTO outbox (to_address, subject, text_body, created_at) VALUES (?, ?, ?, ?)');
  insert.run('processus@exemple.test', 'écrit par le processus', '', Date.now());
  if (process.env.MODE === 'write') {
    const body = ${JSON.stringify(BODY)};
    const batch = () => {
      for (let i = 0; i < 20; i++) insert.run('membre@exemple.test', 'Rappel', body, Date.now());
      setImmediate(batch);
    };
    batch();
  } else {
    setInterval(() => {}, 60_000);
  }
  console.log('prête');`;

interface Child {
  process: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

function startChild(path: string, mode: 'hold' | 'write'): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    env: env({ DB: path, MODE: mode }),
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const handle: Child = {
    process: child,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child not ready; output so far:\n${out}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('prête')) {
        clearTimeout(timer);
        resolve(handle);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`child exited with ${code}:\n${out}`)));
  });
}

// Short-lived connections of the test's own, closed before any restore (an open one would be
// seen as a running app). Kept after close, like src/db/client.ts does (Node 24).
const kept: unknown[] = [];
function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { fileMustExist: true });
  kept.push(db);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
function scalar(path: string, sql: string): unknown {
  return withDb(path, (db) => {
    const statement = db.prepare(sql);
    kept.push(statement);
    return statement.pluck().get();
  });
}
const integrity = (path: string) => scalar(path, 'PRAGMA integrity_check');
const subjects = (path: string) =>
  withDb(path, (db) => {
    const statement = db.prepare('SELECT subject FROM outbox ORDER BY id');
    kept.push(statement);
    return statement.pluck().all() as string[];
  });

/** A migrated Passerelle database with `rows` outbox rows, closed. */
function createDatabase(path: string, rows: number, subject = 'Rappel'): void {
  const db = openDatabase(path);
  migrateDatabase(db);
  const insert = db.$client.prepare(
    'INSERT INTO outbox (to_address, subject, text_body, created_at) VALUES (?, ?, ?, ?)',
  );
  db.$client.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run('membre@exemple.test', subject, BODY, Date.now());
  })();
  db.$client.close();
}

const leftovers = (folder: string) =>
  readdirSync(folder).filter((f) => f.endsWith('.tmp') || f.includes('.tmp-'));

/** A sound backup of a small database whose rows all have the subject « de la sauvegarde ». */
let reference: string;
beforeAll(async () => {
  const source = join(dir, 'reference-source.db');
  createDatabase(source, 2000, 'de la sauvegarde');
  reference = join(dir, 'reference.db');
  await backupDatabase(source, reference);
});

describe('backupDatabase', () => {
  it('takes a consistent copy while another process writes continuously', async () => {
    const source = join(dir, 'busy', 'passerelle.db');
    createDatabase(source, 40_000);
    const writer = await startChild(source, 'write');
    try {
      // Let the writer run for a moment: some of its rows are only in the WAL.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = Number(scalar(source, 'SELECT count(*) FROM outbox'));
      const started = performance.now();
      const target = join(dir, 'busy', 'sauvegardes', 'passerelle-2026-05-04.db');
      const result = await backupDatabase(source, target);
      const ms = performance.now() - started;
      const after = Number(scalar(source, 'SELECT count(*) FROM outbox'));
      await writer.kill('SIGTERM');

      const copied = Number(scalar(target, 'SELECT count(*) FROM outbox'));
      console.log(
        `backup under writes: ${(result.bytes / 1024 / 1024).toFixed(1)} MB, ${result.pages} pages, ` +
          `copy ${result.copyMs.toFixed(0)} ms + check ${result.checkMs.toFixed(0)} ms (${ms.toFixed(0)} ms); ` +
          `rows before ${before}, in the backup ${copied}, after ${after} (${after - before} written meanwhile)`,
      );
      expect(after).toBeGreaterThan(before);
      expect(copied).toBeGreaterThanOrEqual(before);
      expect(copied).toBeLessThanOrEqual(after);
      // One snapshot: rows were inserted one by one with increasing ids, none deleted.
      expect(Number(scalar(target, 'SELECT max(id) FROM outbox'))).toBe(copied);
      expect(scalar(target, 'PRAGMA journal_mode')).toBe('delete');
      expect(existsSync(`${target}-wal`)).toBe(false);
      expect(leftovers(join(dir, 'busy', 'sauvegardes'))).toEqual([]);

      const restored = join(dir, 'busy', 'restauree', 'passerelle.db');
      expect(restoreDatabase(target, restored).previous).toBeNull();
      expect(integrity(restored)).toBe('ok');
      expect(Number(scalar(restored, 'SELECT count(*) FROM outbox'))).toBe(copied);
      const db = openDatabase(restored);
      migrateDatabase(db);
      db.$client
        .prepare('INSERT INTO outbox (to_address, subject, text_body, created_at) VALUES (?, ?, ?, ?)')
        .run('apres@exemple.test', 'après restauration', '', Date.now());
      db.$client.close();
      expect(Number(scalar(restored, 'SELECT count(*) FROM outbox'))).toBe(copied + 1);
    } finally {
      await writer.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses a missing source and writing over the source itself', async () => {
    await expect(backupDatabase(join(dir, 'absente.db'), join(dir, 'x.db'))).rejects.toThrow(
      /Base introuvable/,
    );
    await expect(backupDatabase(reference, reference)).rejects.toThrow(/sur la base elle-même/);
  });
});

describe('restoreDatabase', () => {
  it('refuses while another process holds the database open, and restores once it has exited', async () => {
    const target = join(dir, 'tenue', 'passerelle.db');
    const holder = await startChild(target, 'hold');
    try {
      // Also with force: it only allows replacing a file nobody uses.
      expect(() => restoreDatabase(reference, target, { force: true })).toThrow(
        /ouverte par un autre processus.*arrêtez-la avant de restaurer/,
      );
      expect(() => restoreDatabase(reference, target)).toThrow(/ouverte par un autre processus/);
      expect(subjects(target)).toEqual(['écrit par le processus']);
      expect(leftovers(join(dir, 'tenue'))).toEqual([]);
    } finally {
      // Like a crash: the child's row is still only in its -wal.
      await holder.kill('SIGKILL');
    }
    expect(existsSync(`${target}-wal`)).toBe(true);

    expect(() => restoreDatabase(reference, target)).toThrow(/existe déjà : ajoutez --force/);
    const now = new Date('2026-05-04T03:00:00Z');
    const result = restoreDatabase(reference, target, { force: true, now });
    expect(result.previous).toBe(`${target}.avant-restauration-20260504T030000Z`);
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(existsSync(`${target}-shm`)).toBe(false);
    expect(integrity(target)).toBe('ok');
    expect(new Set(subjects(target))).toEqual(new Set(['de la sauvegarde']));
    // The replaced database is kept whole, with what was only in its -wal.
    expect(subjects(result.previous!)).toEqual(['écrit par le processus']);
    expect(leftovers(join(dir, 'tenue'))).toEqual([]);
  }, 30_000);

  it('refuses while a connection of this very process holds the database open', () => {
    const target = join(dir, 'meme-processus.db');
    createDatabase(target, 1);
    const db = openDatabase(target);
    try {
      expect(() => restoreDatabase(reference, target, { force: true })).toThrow(
        /ouverte par un autre processus/,
      );
    } finally {
      db.$client.close();
    }
    expect(restoreDatabase(reference, target, { force: true }).previous).toMatch(/avant-restauration/);
  });

  it('refuses a missing file, a file that is not a database, a corrupted one and a foreign one', () => {
    const folder = mkdtempSync(join(dir, 'refus-'));
    const target = join(folder, 'passerelle.db');
    createDatabase(target, 3, 'en place');

    expect(() => restoreDatabase(join(folder, 'absente.db'), target, { force: true })).toThrow(
      /Sauvegarde introuvable/,
    );

    const text = join(folder, 'notes.db');
    writeFileSync(text, 'id;nom\n1;Solidarité Blosne\n'.repeat(200));
    expect(() => restoreDatabase(text, target, { force: true })).toThrow(/n’est pas une base SQLite/);

    // Garbage over 16 KB in the middle of a sound copy, page-aligned and not.
    for (const offset of [1024 * 1024, 1024 * 1024 + 1000]) {
      const corrupted = join(folder, `corrompue-${offset}.db`);
      copyFileSync(reference, corrupted);
      const fd = openSync(corrupted, 'r+');
      const garbage = Buffer.alloc(16 * 1024);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + offset) % 251;
      writeSync(fd, garbage, 0, garbage.length, offset);
      closeSync(fd);
      expect(() => restoreDatabase(corrupted, target, { force: true })).toThrow(/est endommagée/);
    }

    const foreign = join(folder, 'autre.db');
    const other = new Database(foreign);
    kept.push(other);
    other.exec('CREATE TABLE notes (texte TEXT)');
    other.close();
    expect(() => restoreDatabase(foreign, target, { force: true })).toThrow(/pas une base Passerelle/);

    // Nothing was touched: same rows, no file kept aside, no temporary file left.
    expect(subjects(target)).toEqual(['en place', 'en place', 'en place']);
    expect(readdirSync(folder).filter((f) => f.includes('avant-restauration'))).toEqual([]);
    expect(leftovers(folder)).toEqual([]);
  });
});

describe('npm run backup and npm run restore', () => {
  const run = (script: string, args: string[], databasePath: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
      env: env({ DATABASE_PATH: databasePath }),
      encoding: 'utf8',
    });

  it('backs up the database at DATABASE_PATH, in French, with exit codes', () => {
    const folder = mkdtempSync(join(dir, 'cli-backup-'));
    const source = join(folder, 'passerelle.db');
    createDatabase(source, 10);
    const target = join(folder, 'sauvegardes', 'passerelle-2026-05-04.db');

    const ok = run('src/cli/backup.ts', [target], source);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^Sauvegarde de .*passerelle\.db écrite dans .*passerelle-2026-05-04\.db : /);
    expect(ok.stdout).toContain('intégrité vérifiée (ok)');
    expect(ok.status).toBe(0);
    expect(integrity(target)).toBe('ok');
    expect(scalar(target, 'SELECT count(*) FROM outbox')).toBe(10);

    const again = run('src/cli/backup.ts', [target], source);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('existe déjà : ajoutez --force pour le remplacer');
    expect(run('src/cli/backup.ts', [target, '--force'], source).status).toBe(0);

    const missing = run('src/cli/backup.ts', [join(folder, 'b.db')], join(folder, 'absente.db'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Base introuvable');

    for (const args of [[], ['--inconnue', 'a.db']]) {
      const bad = run('src/cli/backup.ts', args, source);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('Usage : npm run backup -- <fichier de sauvegarde>');
    }
  }, 60_000);

  it('restores only once the app has stopped, in French, with exit codes', async () => {
    const folder = mkdtempSync(join(dir, 'cli-restore-'));
    const target = join(folder, 'passerelle.db');
    const app = await startChild(target, 'hold');
    try {
      const refused = run('src/cli/restore.ts', [reference, '--force'], target);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('est ouverte par un autre processus (l’application tourne-t-elle ?)');
    } finally {
      await app.kill('SIGTERM');
    }
    const exists = run('src/cli/restore.ts', [reference], target);
    expect(exists.status).toBe(1);
    expect(exists.stderr).toContain('existe déjà : ajoutez --force');

    const ok = run('src/cli/restore.ts', [reference, '--force'], target);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('restaurée depuis');
    expect(ok.stdout).toContain('L’ancienne base est conservée sous');
    expect(ok.status).toBe(0);
    expect(new Set(subjects(target))).toEqual(new Set(['de la sauvegarde']));

    const notDb = join(folder, 'notes.txt');
    writeFileSync(notDb, 'pas une base');
    const refusedFile = run('src/cli/restore.ts', [notDb, '--force'], target);
    expect(refusedFile.status).toBe(1);
    expect(refusedFile.stderr).toContain('n’est pas une base SQLite');

    const bad = run('src/cli/restore.ts', [], target);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Usage : npm run restore -- <fichier de sauvegarde>');
  }, 60_000);
});
