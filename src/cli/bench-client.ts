// What every part of `npm run bench` shares: its settings (BENCH_*, src/config.ts), the app
// started as a child process with `npm start`'s node flags, its resident memory, a signed-in
// session, and a small keep-alive HTTP client that times one request or a page under load.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { childEnv, loadBenchConfig } from '../config.ts';
import { DEMO_PASSWORD } from '../demo/seed-demo.ts';

export const BENCH = loadBenchConfig();
/** The node flags of `npm start` (package.json): a small young generation and a capped heap keep memory low. */
export const SERVER_FLAGS = '--max-semi-space-size=4 --max-old-space-size=160';

export function start(
  args: string[],
  env: Record<string, string>,
  flags = BENCH.BENCH_NODE_FLAGS ?? SERVER_FLAGS,
): { child: ChildProcess; port: Promise<number> } {
  const child = spawn(process.execPath, [...flags.split(' ').filter(Boolean), '--import', 'tsx', ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export async function signIn(base: string, email: string): Promise<string> {
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

const keepAlive = new Agent({ keepAlive: true, maxSockets: 512 });

/**
 * A GET or a form POST over keep-alive HTTP: status, time, cookies set, and the body as text on
 * demand (never decompressed: what a page costs the server, not the client).
 */
export function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  cookie: string,
  options: { form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<{ status: number; ms: number; setCookie: string[]; text: () => string }> {
  const started = performance.now();
  const payload = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const form = payload
    ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) }
    : {};
  return new Promise((resolve) => {
    const req = httpRequest(
      `${base}${path}`,
      { method, agent: keepAlive, headers: { cookie, origin: base, ...form, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            setCookie: ([] as string[]).concat(res.headers['set-cookie'] ?? []),
            text: () => Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', () =>
      resolve({ status: 0, ms: performance.now() - started, setCookie: [], text: () => '' }),
    );
    req.end(payload);
  });
}

/**
 * Latency of one page under `concurrency` simultaneous users (each waits for its answer). The
 * client is node:http without decompression, so that it takes as little as possible of the CPU it
 * shares with the server on this machine.
 */
export async function latency(url: string, cookie: string, requests = 400, concurrency = 10) {
  const times: number[] = [];
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const started = performance.now();
      const { status } = await call(url, 'GET', '', cookie, { headers: { 'accept-encoding': 'br, gzip' } });
      times.push(performance.now() - started);
      if (status !== 200) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  return { p50: at(0.5), p95: at(0.95), max: times[times.length - 1]!.toFixed(1), failures };
}
