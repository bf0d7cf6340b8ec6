// The database client: pragmas, the statement cache, and the Node 24 abort it prevents.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';

const keptForever: unknown[] = [];

describe('openDatabase', () => {
  it('opens a file in WAL mode with foreign keys on, creating its folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-db-'));
    const db = openDatabase(join(dir, 'sous-dossier', 'test.db'));
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prepares each SQL text once and hands it back in the default result shape', () => {
    const db = openDatabase(':memory:');
    const first = db.$client.prepare('SELECT 1 AS one');
    expect(first.raw().get()).toEqual([1]);
    const second = db.$client.prepare('SELECT 1 AS one');
    expect(second).toBe(first);
    expect(second.get()).toEqual({ one: 1 });
    db.$client.close();
  });

  it("makes rows as objects in JavaScript, with better-sqlite3's modes and shapes", () => {
    const db = openDatabase(':memory:');
    const plain = new Database(':memory:');
    const setup =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n REAL); INSERT INTO t VALUES (1, 'Awa', 1.5), (2, 'Binta', NULL)";
    db.$client.exec(setup);
    plain.exec(setup);
    const sql = 'SELECT id, name, n, id + 1 AS next, id AS id FROM t ORDER BY id';
    const ours = db.$client.prepare(sql);
    const theirs = plain.prepare(sql);
    // Each call in turn, on both: the same answers, the modes excluding each other as in better-sqlite3.
    const steps: Array<(s: Database.Statement) => unknown> = [
      (s) => s.all(),
      (s) => s.get(),
      (s) => [...s.iterate()],
      (s) => {
        // Started at once: bad parameters throw at the call, not at the first row.
        const rows = s.iterate(1, 2);
        return [...rows];
      },
      (s) => s.raw().all(),
      (s) => s.pluck().all(),
      (s) => s.raw(false).all(),
      (s) => s.pluck(false).get(),
      (s) => s.expand().all(),
      (s) => s.raw(true).raw(false).get(),
      (s) => s.all(5),
    ];
    const outcome = (step: (s: Database.Statement) => unknown, s: Database.Statement) => {
      try {
        return step(s);
      } catch (error) {
        return (error as Error).message;
      }
    };
    for (const step of steps) expect(outcome(step, ours)).toEqual(outcome(step, theirs));
    expect(Object.keys(ours.raw(false).get() as object)).toEqual(['id', 'name', 'n', 'next']);
    expect(db.$client.prepare('SELECT id FROM t WHERE id = ?').get(3)).toBeUndefined();
    // prepare() hands it back in the default shape.
    ours.pluck();
    expect(db.$client.prepare(sql).get()).toEqual({ id: 1, name: 'Awa', n: 1.5, next: 2 });
    // SELECT * follows a change of the table.
    const star = db.$client.prepare('SELECT * FROM t WHERE id = 1');
    expect(star.get()).toEqual({ id: 1, name: 'Awa', n: 1.5 });
    db.$client.exec("ALTER TABLE t ADD COLUMN town TEXT DEFAULT 'Rennes'");
    expect(star.get()).toEqual({ id: 1, name: 'Awa', n: 1.5, town: 'Rennes' });
    // Writers are left as they are.
    expect(db.$client.prepare("UPDATE t SET name = 'Aïcha' WHERE id = 1").run().changes).toBe(1);
    db.$client.close();
    plain.close();
    // Never left to the garbage collector (Node 24 aborts in better-sqlite3's destructors, db/client.ts).
    keptForever.push(plain, theirs);
  });

  it('survives building and closing many apps in one process (better-sqlite3 + Node 24 abort)', () => {
    const script = `
      import { createTestApp } from './test/helpers.ts';
      for (let i = 0; i < 60; i++) {
        const ctx = await createTestApp();
        await ctx.app.inject({ method: 'GET', url: '/login' });
        await ctx.close();
      }
      console.log('vivant');`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    expect(result.stderr).not.toContain('Assertion failed');
    expect(result.stdout.trim()).toBe('vivant');
    expect(result.status).toBe(0);
  }, 60_000);
});
