// Who may read the database: its file, the -wal and -shm SQLite keeps beside it, every backup and
// every restored database are mode 0600 (the app's user only) — under the usual umask 022, which
// used to leave them 0644, readable by anyone on the machine. A database made before is brought to
// 0600 when the app opens it.
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src/db/backup.ts';
import { openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'passerelle-modes-'));
let umask: number;
beforeAll(() => {
  // What a server's shell usually has: files 0644 unless the app says otherwise.
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

/** A migrated database with one row written, left open (its -wal and -shm exist). */
function openWithWrites(path: string) {
  const db = openDatabase(path);
  migrateDatabase(db);
  db.$client
    .prepare('INSERT INTO outbox (to_address, subject, text_body, created_at) VALUES (?, ?, ?, ?)')
    .run('membre@exemple.test', 'Rappel', 'Bonjour', Date.now());
  return db;
}

describe('the database files', () => {
  it('are created 0600: the database, its -wal and its -shm', () => {
    const path = join(dir, 'new', 'passerelle.db');
    const db = openWithWrites(path);
    try {
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(file), file).toBe(true);
        expect(mode(file).toString(8), file).toBe('600');
      }
    } finally {
      db.$client.close();
    }
  });

  it('are brought to 0600 when a database made before (0644) is opened', () => {
    const path = join(dir, 'old', 'passerelle.db');
    openWithWrites(path).$client.close();
    writeFileSync(`${path}-wal`, '');
    for (const file of [path, `${path}-wal`]) chmodSync(file, 0o644);
    const db = openDatabase(path);
    try {
      for (const file of [path, `${path}-wal`, `${path}-shm`])
        expect(mode(file).toString(8), file).toBe('600');
    } finally {
      db.$client.close();
    }
  });
});

describe('backups and restores', () => {
  it('write the backup 0600, whatever the source', async () => {
    const source = join(dir, 'b', 'passerelle.db');
    openWithWrites(source).$client.close();
    chmodSync(source, 0o644);
    const target = join(dir, 'b', 'sauvegardes', 'passerelle-2026-05-04.db');
    await backupDatabase(source, target);
    expect(mode(target).toString(8)).toBe('600');
    // Replaced with --force: still 0600.
    await backupDatabase(source, target);
    expect(mode(target).toString(8)).toBe('600');
  });

  it('restore 0600, from a 0644 backup, and keep the replaced database 0600', async () => {
    const source = join(dir, 'r', 'source.db');
    openWithWrites(source).$client.close();
    const backup = join(dir, 'r', 'ancienne-sauvegarde.db');
    await backupDatabase(source, backup);
    // A backup made before 0600 was the rule.
    chmodSync(backup, 0o644);
    const target = join(dir, 'r', 'passerelle.db');
    openWithWrites(target).$client.close();
    chmodSync(target, 0o644);

    const { previous } = restoreDatabase(backup, target, { force: true });
    expect(mode(target).toString(8)).toBe('600');
    expect(previous).not.toBeNull();
    expect(mode(previous!).toString(8)).toBe('600');

    // The restored database opens as usual, its new -wal and -shm 0600 too.
    const db = openWithWrites(target);
    try {
      for (const file of [`${target}-wal`, `${target}-shm`]) expect(mode(file).toString(8), file).toBe('600');
    } finally {
      db.$client.close();
    }
  });
});
