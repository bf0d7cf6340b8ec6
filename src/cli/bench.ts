// `npm run bench`: starts Passerelle (its real server, in a child process, on a temporary
// database with demo data) and a bare Fastify "hello" route, then measures both with autocannon
// on this machine and prints requests/s, latency and the ratio to the bare route, with and
// without compression, plus the app's resident memory. Figures, not pass/fail: the targets are
// printed beside them.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../db/seed-demo.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
/** Each line is measured this many times, interleaved, and the median kept: this VM is noisy. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;

function start(args: string[], env: Record<string, string>): { child: ChildProcess; port: Promise<number> } {
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /écoute sur http:\/\/[^:]+:(\d+)|^(\d+)$/m.exec(out);
      if (m) resolve(Number(m[1] ?? m[2]));
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { child, port };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function signIn(base: string, email: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const csrfCookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie, origin: base },
    body: new URLSearchParams({ _csrf: token, email, password: DEMO_PASSWORD }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('passerelle_session='));
  return `${csrfCookie}; ${session!.split(';')[0]}`;
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  non2xx: number;
}

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: Math.round(result.throughput.average / Math.max(result.requests.average, 1)),
    non2xx: result.non2xx,
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-'));
  const bare = start(['src/cli/bench-hello.ts', '0'], {});
  const app = start(['src/server.ts'], {
    PORT: '0',
    DATABASE_PATH: join(dir, 'bench.db'),
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
  });
  try {
    const barePort = await bare.port;
    const appPort = await app.port;
    const base = `http://127.0.0.1:${appPort}`;
    const memberCookie = await signIn(base, 'membre@cosim-bretagne.test');
    const adminCookie = await signIn(base, 'admin@forim.test');
    const br = { 'accept-encoding': 'br, gzip' };

    // Warm-up: JIT, template cache, SQLite page cache.
    await autocannon({ url: `${base}/`, connections: 10, duration: 2, headers: { cookie: memberCookie } });

    const lines: Array<[string, string, Record<string, string>]> = [
      ['bare Fastify "hello"', `http://127.0.0.1:${barePort}/`, {}],
      ['GET /login (anonymous)', `${base}/login`, {}],
      ['GET /login, br', `${base}/login`, br],
      ['GET / member home (signed in)', `${base}/`, { cookie: memberCookie }],
      ['GET / member home, br', `${base}/`, { cookie: memberCookie, ...br }],
      ['GET / admin home (signed in)', `${base}/`, { cookie: adminCookie }],
    ];
    const runs: Row[][] = lines.map(() => []);
    let rss = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [name, url, headers]] of lines.entries())
        runs[i]!.push(await measure(name, url, headers));
      rss = Math.max(rss, rssMb(app.child.pid!));
    }
    const rows = runs.map((r) => r.sort((a, b) => a.rps - b.rps)[Math.floor(r.length / 2)]!);

    const bareRps = rows[0]!.rps;
    console.log(
      `\nPasserelle bench — median of ${ROUNDS} rounds of ${DURATION} s per line, ${CONNECTIONS} connections, Node ${process.version}\n`,
    );
    console.log(
      `${'route'.padEnd(34)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'bytes'.padStart(9)}${'vs bare'.padStart(9)}${'non-2xx'.padStart(9)}`,
    );
    for (const r of rows) {
      const ratio = `${Math.round((r.rps / bareRps) * 100)} %`;
      console.log(
        `${r.name.padEnd(34)}${String(r.rps).padStart(9)}${String(r.p50).padStart(9)}${String(r.p99).padStart(9)}${String(r.bytes).padStart(9)}${ratio.padStart(9)}${String(r.non2xx).padStart(9)}`,
      );
    }
    const home = rows[3]!;
    console.log(`\nApp resident memory (highest seen between rounds): ${rss} MB`);
    console.log(
      `Target (issue 2): signed-in home ≥ 25 % of the bare route → ${Math.round((home.rps / bareRps) * 100)} % ${home.rps / bareRps >= 0.25 ? '(met)' : '(NOT met)'}`,
    );
  } finally {
    bare.child.kill();
    app.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
