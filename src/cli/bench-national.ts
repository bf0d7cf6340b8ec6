// `npm run bench`, issue 7 (BENCH_ONLY=national alone): the dashboards on a database of FORIM's
// full size, under 10 simultaneous users, and the streamed CSV of every member's progress.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { BENCH, latency, rssMb, signIn, start } from './bench-client.ts';

/** Downloads a streamed CSV, sampling the app's memory meanwhile. */
async function streamedCsv(url: string, cookie: string, pid: number) {
  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 20);
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(pid));
  return { ms, bytes, lines, peak, status: res.status };
}

/**
 * Issue 7: the dashboards on a database of FORIM's full size (`npm run data:national`, or the one
 * in BENCH_NATIONAL_DB): national and COSIM dashboards under 10 simultaneous users, the CSV of
 * every member's progress, and the app's memory meanwhile.
 */
export async function nationalDashboards(dir: string) {
  let path = BENCH.BENCH_NATIONAL_DB ?? '';
  if (!path) {
    path = join(dir, 'national.db');
    const started = performance.now();
    const gen = spawn(process.execPath, ['--import', 'tsx', 'src/cli/data-national.ts', '--db', path], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const code = await new Promise<number | null>((resolve) => gen.on('exit', resolve));
    if (code !== 0) throw new Error(`data:national exited with ${code}`);
    console.log(
      `
National-scale database (npm run data:national) made in ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    );
  }
  const probe = openDatabase(path);
  const biggest = probe.$client
    .prepare(
      `SELECT s.collective_id AS id, o.name, sum(s.members) AS members,
        (SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.organization_id = s.collective_id AND m.role = 'coordinator' ORDER BY u.id LIMIT 1) AS coordinator
       FROM dashboard_summary s JOIN organizations o ON o.id = s.collective_id
       WHERE o.kind = 'cosim' GROUP BY s.collective_id ORDER BY members DESC LIMIT 1`,
    )
    .get() as { id: number; name: string; members: number; coordinator: string };
  const members = (probe.$client.prepare(`SELECT count(*) AS n FROM users`).get() as { n: number }).n;
  probe.$client.close();
  const app = start(['src/server.ts'], {
    PORT: '0',
    DATABASE_PATH: path,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
  });
  try {
    const base = `http://127.0.0.1:${await app.port}`;
    const admin = await signIn(base, 'admin@forim.test');
    const coordinator = await signIn(base, biggest.coordinator);
    const cosim = `/dashboard/collectives/${biggest.id}`;
    console.log(
      `
Dashboards at national scale (${members.toLocaleString('fr-FR')} accounts; biggest COSIM: ${biggest.name}, ${biggest.members.toLocaleString('fr-FR')} members) — answer time (ms)`,
    );
    console.log(
      `${'page'.padEnd(52)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'10u p50'.padStart(9)}${'10u p95'.padStart(9)}`,
    );
    let worst = 0;
    for (const [name, url, cookie, target] of [
      ['national dashboard (admin)', '/dashboard', admin, true],
      ['national, QPV + a period', '/dashboard?qpv=1&from=2026-01&to=2026-06', admin, false],
      ['national, htmx swap of the figures', '/dashboard?region=Bretagne', admin, false],
      [`COSIM dashboard (its coordinator)`, cosim, coordinator, true],
      ['COSIM dashboard, members page 20', `${cosim}?page=20`, coordinator, false],
      ['COSIM report (printable)', `${cosim}/report`, coordinator, false],
    ] as const) {
      await latency(`${base}${url}`, cookie, 20, 1);
      const one = await latency(`${base}${url}`, cookie, 100, 1);
      const ten = await latency(`${base}${url}`, cookie, 400, 10);
      if (target) worst = Math.max(worst, Number(ten.p95));
      const failures = one.failures + ten.failures > 0 ? `  ${one.failures + ten.failures} errors` : '';
      console.log(
        `${name.padEnd(52)}${one.p50.padStart(8)}${one.p95.padStart(8)}${ten.p50.padStart(9)}${ten.p95.padStart(9)}${failures}`,
      );
    }
    console.log(
      `Target (issue 7): national and COSIM dashboards p95 ≤ 100 ms with 10 users → worst ${worst} ms ${worst <= 100 ? '(met)' : '(NOT met)'}`,
    );
    const csv = await streamedCsv(`${base}/dashboard/members.csv`, admin, app.child.pid!);
    console.log(
      `Members' progress CSV (admin, everyone): ${(csv.lines - 1).toLocaleString('fr-FR')} rows, ${(csv.bytes / 1024 / 1024).toFixed(1)} MB in ${(csv.ms / 1000).toFixed(2)} s (target ≤ 5 s ${csv.ms <= 5000 ? 'met' : 'NOT met'}); app memory peak during it ${csv.peak} MB (target ≤ 250 MB ${csv.peak <= 250 ? 'met' : 'NOT met'})`,
    );
    console.log(`App resident memory after the dashboards: ${rssMb(app.child.pid!)} MB`);
  } finally {
    app.child.kill();
  }
}
