// The database client: pragmas, the statement cache, and the Node 24 abort it prevents.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';

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
