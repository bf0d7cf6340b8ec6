// The real entry points as processes: `npm start`'s server and `npm run admin:create`.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'passerelle-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tsx = ['--import', 'tsx'];

/** The child's environment: only what a shell would give (vitest adds BASE_URL, MODE… of its own). */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timeout; output so far:\n${out}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

describe('npm start', () => {
  it('migrates a new database, seeds demo data, prints the accounts, serves, and stops cleanly', async () => {
    const child = spawn(process.execPath, [...tsx, 'src/server.ts'], {
      env: env({ PORT: '0', DATABASE_PATH: join(dir, 'start', 'passerelle.db'), LOG_LEVEL: 'warn' }),
    });
    const out = await waitForOutput(child, /écoute sur http:\/\/127\.0\.0\.1:(\d+)[\s\S]*boîte d'envoi/);
    expect(out).toContain('admin@forim.test');
    expect(out).toContain('membre@cosim-om.test');
    expect(out).toContain('passerelle-demo');
    const port = /127\.0\.0\.1:(\d+)/.exec(out)![1];
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(await login.text()).toContain('Se connecter');
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses to start with a clear message when the configuration is wrong', () => {
    const result = spawnSync(process.execPath, [...tsx, 'src/server.ts'], {
      env: env({ PORT: 'soixante', DATABASE_PATH: join(dir, 'bad.db') }),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Configuration invalide');
    expect(result.stderr).toContain('PORT');
  });
});

describe('npm run admin:create', () => {
  it('makes the first admin of a production database and prints a link to set the password', () => {
    const databasePath = join(dir, 'prod', 'passerelle.db');
    const result = spawnSync(
      process.execPath,
      [...tsx, 'src/cli/admin-create.ts', '--email', 'Coordination@FORIM.net', '--name', 'Équipe nationale'],
      {
        env: env({
          NODE_ENV: 'production',
          DATABASE_PATH: databasePath,
          BASE_URL: 'https://passerelle.forim.net',
        }),
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Compte créé : coordination@forim.net, admin de FORIM.');
    expect(result.stdout).toMatch(/https:\/\/passerelle\.forim\.net\/password\/reset\/[a-z2-7]{32}/);
    const db = new Database(databasePath, { readonly: true });
    const rows = db
      .prepare(
        `SELECT u.email, u.password_hash AS hash, m.role, o.kind FROM users u
         JOIN memberships m ON m.user_id = u.id JOIN organizations o ON o.id = m.organization_id`,
      )
      .all();
    db.close();
    expect(rows).toEqual([{ email: 'coordination@forim.net', hash: null, role: 'admin', kind: 'forim' }]);
  });

  it('explains its usage when the email is missing', () => {
    const result = spawnSync(process.execPath, [...tsx, 'src/cli/admin-create.ts', '--name', 'X'], {
      env: env({ DATABASE_PATH: join(dir, 'usage.db') }),
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage : npm run admin:create');
  });
});
