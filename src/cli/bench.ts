// `npm run bench`: starts Passerelle (its real server, in a child process, on a temporary
// database with demo data) and a bare Fastify "hello" route, then measures both with autocannon
// on this machine and prints requests/s, latency and the ratio to the bare route, with and
// without compression, plus the app's resident memory. Figures, not pass/fail: the targets are
// printed beside them. A CPU profile summary of each page under load follows (bench-profile.ts).
// Then the dashboards on a national-scale database (issue 7).
// BENCH_ONLY=national runs only that part; BENCH_NATIONAL_DB reuses a database already made. Then a
// mixed load of 200 members and a trainer (issue 8; BENCH_ONLY=mixed, BENCH_MIXED_SECONDS).
// The parts' shared client is bench-client.ts; the national dashboards bench-national.ts; the
// mixed load bench-mixed.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { hashPassword } from '../auth/passwords.ts';
import { zipFiles } from '../certificates/bundle.ts';
import { certificatePdf } from '../certificates/certificate-pdf.ts';
import { coursesRoot } from '../content/paths.ts';
import { loadAndSync } from '../content/sync.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import type { CertificateSnapshot } from '../db/schema.ts';
import { generateNetwork } from '../demo/generate-network.ts';
import { DEMO_PASSWORD, seedDemoData } from '../demo/seed-demo.ts';
import { BENCH, latency, rssMb, SERVER_FLAGS, signIn, start } from './bench-client.ts';
import { mixedLoad } from './bench-mixed.ts';
import { nationalDashboards } from './bench-national.ts';
import { monotonicMicros, summarizeProfile } from './bench-profile.ts';

const DURATION = BENCH.BENCH_SECONDS;
const NETWORK = { osims: 1000, people: BENCH.BENCH_PEOPLE };
/** Each line is measured this many times, interleaved, and the median kept: this VM is noisy. */
const ROUNDS = BENCH.BENCH_ROUNDS;
const CONNECTIONS = 50;
/** The lesson the bench reads: one of the longest, with a table and boxes. */
const LESSON = '/learn/lessons/pdv-qpv-definition';

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

/** The database the app serves: demo data plus a network of FORIM's size (30,000 people). */
async function prepareDatabase(path: string): Promise<string> {
  const started = performance.now();
  const db = openDatabase(path);
  migrateDatabase(db);
  loadAndSync(db, coursesRoot);
  await seedDemoData(db);
  generateNetwork(
    db,
    { osims: NETWORK.osims, people: NETWORK.people, seed: 2026 },
    await hashPassword(DEMO_PASSWORD),
  );
  db.$client.close();
  return `${NETWORK.people.toLocaleString('fr-FR')} personnes et ${NETWORK.osims} OSIM générées en ${Math.round(performance.now() - started)} ms`;
}

/** Bytes on the wire for one response, asking for brotli as a phone's browser does (headers included). */
function wireBytes(url: string, cookie = ''): Promise<{ bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { cookie, 'accept-encoding': 'br, gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const headerBytes = res.rawHeaders.reduce((n, h) => n + h.length + 2, 20);
        const encoding = res.headers['content-encoding'];
        const body =
          encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
        resolve({ bytes: raw.length + headerBytes, body: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A page's weight on a first visit (HTML, stylesheet, script) and on the next (HTML only, assets cached). */
async function pageWeight(base: string, path: string, cookie: string) {
  const html = await wireBytes(`${base}${path}`, cookie);
  const assets = [...html.body.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]!);
  let first = html.bytes;
  for (const asset of new Set(assets)) first += (await wireBytes(`${base}${asset}`)).bytes;
  return { first, warm: html.bytes, assets: new Set(assets).size };
}

/** Uploads a CSV of `rows` people as a coordinator, then confirms: both steps timed. */
async function csvImport(base: string, cookie: string, rows: number) {
  const page = await fetch(`${base}/invitations/import`, { headers: { cookie } });
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const lines = ['nom;email;osim'];
  const osims = ['Solidarité Blosne', 'Villejean Ensemble', 'Cleunay Passerelles'];
  for (let i = 0; i < rows; i++) lines.push(`Personne Importée ${i};import.${i}@exemple.fr;${osims[i % 3]}`);
  const form = new FormData();
  form.set('_csrf', token);
  form.set('file', new Blob([lines.join('\n')], { type: 'text/csv' }), 'bench.csv');
  let started = performance.now();
  const upload = await fetch(`${base}/invitations/import`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie, origin: base },
  });
  const location = upload.headers.get('location') ?? '';
  const preview = await fetch(`${base}${location}`, { headers: { cookie } });
  const previewText = await preview.text();
  const previewMs = performance.now() - started;
  const confirmToken = /name="_csrf" value="([^"]+)"/.exec(previewText)?.[1] ?? '';
  started = performance.now();
  const confirm = await fetch(`${base}${location}/confirm`, {
    method: 'POST',
    body: new URLSearchParams({ _csrf: confirmToken }),
    headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
  });
  await confirm.text();
  const confirmMs = performance.now() - started;
  // The result page shows 50 links a page: the import's CSV has them all.
  const csv = await fetch(`${base}${location}/links.csv`, { headers: { cookie } });
  const created = (await csv.text()).match(/\/invitation\/[a-z2-7]{32}/g)?.length ?? 0;
  return {
    previewMs: Math.round(previewMs),
    confirmMs: Math.round(confirmMs),
    created,
    status: confirm.status,
  };
}

/** Certificate PDFs (target: ≤ 50 ms each) and the ZIP of a cycle's 500 certificates. */
async function certificateFigures() {
  const snapshot: CertificateSnapshot = {
    name: 'Aïssatou Ndiaye-Lefèvre',
    cycleName: 'Cycle 2026 — COSIM Bretagne',
    collectiveName: 'COSIM Bretagne',
    courses: [
      { id: 'politique-de-la-ville', title: 'Politique de la ville et QPV' },
      { id: 'monter-un-projet', title: 'Monter et cofinancer un projet' },
      { id: 'organiser-un-evenement', title: 'Organiser un événement' },
    ],
    skills: Array.from({ length: 12 }, (_, i) => ({
      code: `SK-${i + 1}`,
      title: `Compétence numéro ${i + 1} du référentiel`,
    })),
    hours: 7.5,
    gatherings: [
      { title: 'Lancement du cycle : la politique de la ville à Rennes', date: '2026-11-13' },
      { title: 'Atelier : construire le budget prévisionnel', date: '2026-12-07' },
    ],
    issuedOn: '2026-12-15',
    issuer: 'Passerelle (attribution automatique)',
    reason: null,
  };
  const make = (i: number) =>
    certificatePdf({
      snapshot,
      code: `AB${String(i).padStart(2, '0').slice(-2)}-CDEF-GHJK-MNPQ`,
      verifyUrl: `https://passerelle.forim.net/verify/AB00-CDEF-GHJK-MNPQ`,
    });
  for (let i = 0; i < 10; i++) await make(i);
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const started = performance.now();
    await make(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `\nCertificate PDF (one A4 page, QR code, embedded font): mean ${mean.toFixed(1)} ms, p95 ${times[94]!.toFixed(1)} ms over 100 — target ≤ 50 ms ${mean <= 50 ? '(met)' : '(NOT met)'}`,
  );
  const started = performance.now();
  const files = [];
  for (let i = 0; i < 500; i++) files.push({ name: `attestation-${i}.pdf`, data: await make(i) });
  const zip = zipFiles(files);
  console.log(
    `ZIP of a cycle's 500 certificates (PDFs made and zipped): ${((performance.now() - started) / 1000).toFixed(1)} s, ${(zip.length / 1024 / 1024).toFixed(1)} MB`,
  );
}

/**
 * Where each page's time goes: the app started again with `--cpu-prof`, each page loaded for a few
 * seconds in turn, then the profile's samples of each load added up by function (bench-profile.ts).
 */
async function cpuProfiles(dir: string) {
  const profiles = join(dir, 'profiles');
  const flags = `${BENCH.BENCH_NODE_FLAGS ?? SERVER_FLAGS} --cpu-prof --cpu-prof-dir=${profiles}`;
  const app = start(
    ['src/server.ts'],
    {
      PORT: '0',
      DATABASE_PATH: join(dir, 'bench.db'),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
    },
    flags,
  );
  const base = `http://127.0.0.1:${await app.port}`;
  const memberCookie = await signIn(base, 'membre@cosim-bretagne.test');
  const pages: Array<[string, string, Record<string, string>]> = [
    ['GET / member home', `${base}/`, { cookie: memberCookie }],
    ['GET lesson page', `${base}${LESSON}`, { cookie: memberCookie }],
    ['GET lesson page, br+gzip', `${base}${LESSON}`, { cookie: memberCookie, 'accept-encoding': 'br, gzip' }],
    ['GET /login (anonymous)', `${base}/login`, {}],
  ];
  const windows: Array<[string, number, number]> = [];
  for (const [name, url, headers] of pages) {
    await autocannon({ url, connections: CONNECTIONS, duration: 1, headers });
    const from = monotonicMicros();
    await autocannon({ url, connections: CONNECTIONS, duration: Math.min(DURATION, 3), headers });
    windows.push([name, from, monotonicMicros()]);
  }
  const exited = new Promise((resolve) => app.child.on('exit', resolve));
  app.child.kill('SIGTERM');
  await exited;
  console.log(
    '\nCPU profile under load (the app alone, --cpu-prof): the functions that take the most time of their own',
  );
  for (const [name, from, to] of windows) {
    const summary = summarizeProfile(profiles, from, to);
    console.log(`\n${name} — busy ${summary.busy} % of the time`);
    console.log(`  ${summary.families.map((f) => `${f.name} ${f.share} %`).join(' · ')}`);
    for (const f of summary.top) console.log(`  ${String(f.share).padStart(5)} %  ${f.name}`);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-'));
  // One part only (BENCH_ONLY): the dashboards at national scale, or the mixed load.
  const only =
    BENCH.BENCH_ONLY === 'national' ? nationalDashboards : BENCH.BENCH_ONLY === 'mixed' ? mixedLoad : null;
  if (only) {
    try {
      await only(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const prepared = await prepareDatabase(join(dir, 'bench.db'));
  const bare = start(['src/cli/bench-hello.ts', '0'], {});
  const app = start(['src/server.ts'], {
    PORT: '0',
    DATABASE_PATH: join(dir, 'bench.db'),
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
  });
  try {
    const barePort = await bare.port;
    const appPort = await app.port;
    const base = `http://127.0.0.1:${appPort}`;
    const memberCookie = await signIn(base, 'membre@cosim-bretagne.test');
    const adminCookie = await signIn(base, 'admin@forim.test');
    const coordinatorCookie = await signIn(base, 'coordination@cosim-bretagne.test');
    const br = { 'accept-encoding': 'br, gzip' };

    // Warm-up: JIT, template cache, SQLite page cache.
    await autocannon({ url: `${base}/`, connections: 10, duration: 2, headers: { cookie: memberCookie } });

    const lines: Array<[string, string, Record<string, string>]> = [
      ['bare Fastify "hello"', `http://127.0.0.1:${barePort}/`, {}],
      ['GET /login (anonymous)', `${base}/login`, {}],
      ['GET /login, br+gzip', `${base}/login`, br],
      ['GET / member home (signed in)', `${base}/`, { cookie: memberCookie }],
      ['GET / member home, br+gzip', `${base}/`, { cookie: memberCookie, ...br }],
      ['GET / admin home (signed in)', `${base}/`, { cookie: adminCookie }],
      ['GET lesson page (member)', `${base}${LESSON}`, { cookie: memberCookie }],
      ['GET lesson page, br+gzip', `${base}${LESSON}`, { cookie: memberCookie, ...br }],
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
    console.log(`\nBase : ${prepared}.`);
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
    console.log(`\nApp resident memory (highest seen between rounds): ${rss} MB`);
    // Issue 17: share of the bare route, without and with compression, and p99 under 30 ms.
    for (const [name, plain, compressed, target] of [
      ['signed-in home', rows[3]!, rows[4]!, [25, 15]],
      ['lesson page', rows[6]!, rows[7]!, [25, 15]],
      ['/login', rows[1]!, rows[2]!, [30, 20]],
    ] as const) {
      const share = (r: Row) => Math.round((r.rps / bareRps) * 100);
      const met =
        share(plain) >= target[0] &&
        share(compressed) >= target[1] &&
        Math.max(plain.p99, compressed.p99) < 30;
      console.log(
        `Target (issue 17): ${name} ≥ ${target[0]} % of the bare route uncompressed, ≥ ${target[1]} % with br/gzip, p99 < 30 ms → ${share(plain)} % / ${share(compressed)} %, p99 ${plain.p99} / ${compressed.p99} ms ${met ? '(met)' : '(NOT met)'}`,
      );
    }
    const weight = await pageWeight(base, LESSON, memberCookie);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(
      `Lesson page weight, compressed, headers included: first visit ${kb(weight.first)} (HTML + ${weight.assets} assets; target ≤ 25 KB ${weight.first <= 25 * 1024 ? 'met' : 'NOT met'}), next visit ${kb(weight.warm)} (assets cached for a year; target ≤ 5 KB ${weight.warm <= 5 * 1024 ? 'met' : 'NOT met'})`,
    );

    console.log(
      `\nDirectory at ${NETWORK.people.toLocaleString('fr-FR')} people — answer time (ms): one user at a time, then 10 users at once with no pause`,
    );
    console.log(
      `${'page'.padEnd(44)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}${'10u p50'.padStart(9)}${'10u p95'.padStart(9)}`,
    );
    let worstP95 = 0;
    for (const [name, path, cookie] of [
      ['admin: /people (everyone, page 1)', '/people', adminCookie],
      ['admin: /people?page=300 (deep page)', '/people?page=300', adminCookie],
      ['admin: /people?q=diallo (name)', '/people?q=diallo', adminCookie],
      ['admin: /people?q=solidarite (OSIM name)', '/people?q=solidarite', adminCookie],
      ['coordinator Bretagne: /people', '/people', coordinatorCookie],
      ['coordinator Bretagne: /people?q=traore', '/people?q=traore', coordinatorCookie],
    ] as const) {
      const one = await latency(`${base}${path}`, cookie, 200, 1);
      const ten = await latency(`${base}${path}`, cookie, 400, 10);
      worstP95 = Math.max(worstP95, Number(one.p95));
      const failures = one.failures + ten.failures > 0 ? `  ${one.failures + ten.failures} errors` : '';
      console.log(
        `${name.padEnd(44)}${one.p50.padStart(8)}${one.p95.padStart(8)}${one.max.padStart(8)}${ten.p50.padStart(9)}${ten.p95.padStart(9)}${failures}`,
      );
    }
    console.log(
      `Target (issue 3): directory p95 < 50 ms (one user) → worst p95 ${worstP95} ms ${worstP95 < 50 ? '(met)' : '(NOT met)'}`,
    );

    await certificateFigures();

    const imported = await csvImport(base, coordinatorCookie, 2000);
    console.log(
      `\nCSV import of 2,000 rows (coordinator): upload and preview ${imported.previewMs} ms, confirm ${imported.confirmMs} ms, ${imported.created} invitations created (status ${imported.status})`,
    );
    bare.child.kill();
    app.child.kill();
    await cpuProfiles(dir);
    await nationalDashboards(dir);
    await mixedLoad(dir);
  } finally {
    bare.child.kill();
    app.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
