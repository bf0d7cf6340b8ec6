// `npm run bench`: starts Passerelle (its real server, in a child process, on a temporary
// database with demo data) and a bare Fastify "hello" route, then measures both with autocannon
// on this machine and prints requests/s, latency and the ratio to the bare route, with and
// without compression, plus the app's resident memory. Figures, not pass/fail: the targets are
// printed beside them. Then the dashboards on a national-scale database (issue 7).
// BENCH_ONLY=national runs only that part; BENCH_NATIONAL_DB reuses a database already made. Then a
// mixed load of 200 members and a trainer (issue 8; BENCH_ONLY=mixed, BENCH_MIXED_SECONDS).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { hashPassword } from '../auth/passwords.ts';
import { zipFiles } from '../certificates/bundle.ts';
import { certificatePdf } from '../certificates/certificate-pdf.ts';
import { childEnv, loadBenchConfig } from '../config.ts';
import { coursesRoot } from '../content/paths.ts';
import { loadAndSync } from '../content/sync.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import type { CertificateSnapshot } from '../db/schema.ts';
import { generateNetwork } from '../demo/generate-network.ts';
import { DEMO_PASSWORD, seedDemoData } from '../demo/seed-demo.ts';

const BENCH = loadBenchConfig();
const DURATION = BENCH.BENCH_SECONDS;
const NETWORK = { osims: 1000, people: BENCH.BENCH_PEOPLE };
/** Each line is measured this many times, interleaved, and the median kept: this VM is noisy. */
const ROUNDS = BENCH.BENCH_ROUNDS;
const CONNECTIONS = 50;
/** The node flags of `npm start` (package.json): a small young generation and a capped heap keep memory low. */
const SERVER_FLAGS = '--max-semi-space-size=4 --max-old-space-size=160';
/** The lesson the bench reads: one of the longest, with a table and boxes. */
const LESSON = '/learn/lessons/pdv-qpv-definition';

function start(args: string[], env: Record<string, string>): { child: ChildProcess; port: Promise<number> } {
  const child = spawn(
    process.execPath,
    [...(BENCH.BENCH_NODE_FLAGS ?? SERVER_FLAGS).split(' ').filter(Boolean), '--import', 'tsx', ...args],
    {
      env: childEnv(env),
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

const keepAlive = new Agent({ keepAlive: true, maxSockets: 512 });

/**
 * A GET or a form POST over keep-alive HTTP: status, time, cookies set, and the body as text on
 * demand (never decompressed: what a page costs the server, not the client).
 */
function call(
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
async function latency(url: string, cookie: string, requests = 400, concurrency = 10) {
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
async function nationalDashboards(dir: string) {
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

/**
 * Issue 8: a mixed load for MIXED seconds — 200 members reading lessons, marking them done and
 * signing up for (or leaving) a séance, a trainer taking a roll call — then every write that was
 * answered is looked for in the database.
 */
async function mixedLoad(dir: string) {
  const seconds = BENCH.BENCH_MIXED_SECONDS;
  const path = join(dir, 'mixed.db');
  const db = openDatabase(path);
  migrateDatabase(db);
  loadAndSync(db, coursesRoot);
  await seedDemoData(db);
  const { createSession } = await import('../auth/session-store.ts');
  const { createGathering } = await import('../gatherings/gatherings.ts');
  const { loadCurrentUser } = await import('../people/users.ts');
  const client = db.$client;
  const osim = (
    client.prepare("SELECT id FROM organizations WHERE name = 'Solidarité Blosne'").get() as { id: number }
  ).id;
  const cycle = client.prepare("SELECT * FROM cycles WHERE name LIKE '%COSIM Bretagne'").get() as {
    id: number;
  };
  const trainerId = (
    client.prepare("SELECT id FROM users WHERE email = 'formation@cosim-bretagne.test'").get() as {
      id: number;
    }
  ).id;
  const members: Array<{ id: number; cookie: string }> = [];
  const insertUser = client.prepare(
    "INSERT INTO users (email, display_name, sort_key, search_text, created_at) VALUES (?, ?, ?, '', ?)",
  );
  for (let i = 0; i < 200; i++) {
    const id = Number(
      insertUser.run(`charge.${i}@exemple.test`, `Membre Charge ${i}`, `membre charge ${i}`, Date.now())
        .lastInsertRowid,
    );
    client
      .prepare(
        "INSERT INTO memberships (user_id, organization_id, role, created_at) VALUES (?, ?, 'member', ?)",
      )
      .run(id, osim, Date.now());
    client
      .prepare('INSERT INTO cycle_members (cycle_id, user_id, enrolled_at) VALUES (?, ?, ?)')
      .run(cycle.id, id, Date.now());
    members.push({ id, cookie: `passerelle_session=${createSession(db, id).token}` });
  }
  const trainer = loadCurrentUser(db, trainerId)!;
  const { getCycleFor } = await import('../gatherings/cycles.ts');
  const cycleRow = getCycleFor(db, trainer, cycle.id);
  const base = {
    courseId: 'politique-de-la-ville',
    theme: '',
    facilitatorId: trainerId,
    timeZone: 'Europe/Paris',
    mode: 'in_person' as const,
    placeName: 'Maison de quartier',
    address: '',
    town: 'Rennes',
    placeInQpv: true,
    videoUrl: '',
    agenda: '',
  };
  const hour = 3600_000;
  const upcoming = createGathering(db, trainer, cycleRow, {
    ...base,
    title: 'Atelier sous charge',
    capacity: 120,
    startsAt: new Date(Date.now() + 48 * hour),
    endsAt: new Date(Date.now() + 50 * hour),
  });
  const rollCall = createGathering(db, trainer, cycleRow, {
    ...base,
    title: 'Séance en cours',
    capacity: 250,
    startsAt: new Date(Date.now() - hour),
    endsAt: new Date(Date.now() + hour),
  });
  // Signed up before it began (signing up closes at the start).
  const seat = client.prepare(
    "INSERT INTO gathering_signups (gathering_id, user_id, status, created_at, confirmed_at) VALUES (?, ?, 'confirmed', ?, ?)",
  );
  for (const m of members) seat.run(rollCall, m.id, Date.now() - 2 * hour, Date.now() - 2 * hour);
  const trainerCookie = `passerelle_session=${createSession(db, trainerId).token}`;
  const lessons = (
    client.prepare('SELECT id FROM lessons WHERE archived_at IS NULL').all() as { id: string }[]
  ).map((l) => l.id);
  db.$client.close();

  const app = start(['src/server.ts'], {
    PORT: '0',
    DATABASE_PATH: path,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
  });
  const baseUrl = `http://127.0.0.1:${await app.port}`;
  // Each person's form token (and its cookie), from one page.
  const withCsrf = async (cookie: string) => {
    const page = await call(baseUrl, 'GET', '/learn', cookie);
    const csrfCookie = page.setCookie
      .map((c) => c.split(';')[0] ?? '')
      .find((c) => c.startsWith('passerelle_csrf='));
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text())?.[1] ?? '';
    return { cookie: csrfCookie ? `${cookie}; ${csrfCookie}` : cookie, token };
  };
  const people = await Promise.all(members.map(async (m) => ({ ...m, ...(await withCsrf(m.cookie)) })));
  const coach = await withCsrf(trainerCookie);

  const times = new Map<string, number[]>();
  let errors = 0;
  const acknowledged = {
    completions: new Set<string>(),
    signups: new Map<number, boolean>(),
    marks: new Map<number, string>(),
  };
  const note = (kind: string, r: { status: number; ms: number }) => {
    const list = times.get(kind) ?? [];
    list.push(r.ms);
    times.set(kind, list);
    const ok = r.status >= 200 && r.status < 400;
    if (!ok) errors += 1;
    return ok;
  };
  const until = performance.now() + seconds * 1000;
  let seed = 2026;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const member = async (p: (typeof people)[number]) => {
    let signedUp = false;
    while (performance.now() < until) {
      const dice = random();
      const lesson = lessons[Math.floor(random() * lessons.length)]!;
      if (dice < 0.6)
        note('lire une leçon', await call(baseUrl, 'GET', `/learn/lessons/${lesson}`, p.cookie));
      else if (dice < 0.85) {
        const r = await call(baseUrl, 'POST', `/learn/lessons/${lesson}/complete`, p.cookie, {
          form: { _csrf: p.token },
        });
        if (note('terminer une leçon', r)) acknowledged.completions.add(`${p.id}:${lesson}`);
      } else {
        const r = await call(
          baseUrl,
          'POST',
          `/gatherings/${upcoming}/signup${signedUp ? '/cancel' : ''}`,
          p.cookie,
          { form: { _csrf: p.token } },
        );
        if (note('s’inscrire / se désinscrire', r)) {
          signedUp = !signedUp;
          acknowledged.signups.set(p.id, signedUp);
        }
      }
    }
  };
  const rollCaller = async () => {
    const statuses = ['present', 'absent', 'excused'];
    while (performance.now() < until) {
      const m = people[Math.floor(random() * people.length)]!;
      const status = statuses[Math.floor(random() * 3)]!;
      const r = await call(baseUrl, 'POST', `/gatherings/${rollCall}/attendance/u${m.id}`, coach.cookie, {
        form: { _csrf: coach.token, status },
      });
      if (note('émargement (formateur)', r)) acknowledged.marks.set(m.id, status);
    }
  };
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(app.child.pid!));
  }, 500);
  await Promise.all([...people.map(member), rollCaller()]);
  clearInterval(sampler);
  app.child.kill('SIGTERM');
  await new Promise((resolve) => app.child.once('exit', resolve));

  const check = openDatabase(path);
  const c = check.$client;
  let missing = 0;
  for (const key of acknowledged.completions) {
    const [user, lesson] = key.split(':');
    const row = c
      .prepare('SELECT completed_at FROM lesson_progress WHERE user_id = ? AND lesson_id = ?')
      .get(Number(user), lesson) as { completed_at: number | null } | undefined;
    if (!row?.completed_at) missing += 1;
  }
  for (const [user, signedUp] of acknowledged.signups) {
    const live = c
      .prepare(
        "SELECT count(*) AS n FROM gathering_signups WHERE gathering_id = ? AND user_id = ? AND status <> 'cancelled'",
      )
      .get(upcoming, user) as { n: number };
    if (live.n > 0 !== signedUp) missing += 1;
  }
  for (const [user, status] of acknowledged.marks) {
    const row = c
      .prepare('SELECT status FROM attendance WHERE gathering_id = ? AND user_id = ?')
      .get(rollCall, user) as { status: string } | undefined;
    if (row?.status !== status) missing += 1;
  }
  const seats = c
    .prepare("SELECT count(*) AS n FROM gathering_signups WHERE gathering_id = ? AND status = 'confirmed'")
    .get(upcoming) as { n: number };
  const integrity = (c.prepare('PRAGMA integrity_check').get() as { integrity_check: string })
    .integrity_check;
  c.close();

  const all = [...times.values()].flat().sort((a, b) => a - b);
  const q = (list: number[], p: number) =>
    list[Math.min(list.length - 1, Math.floor(p * list.length))]!.toFixed(1);
  console.log(
    `\nMixed load (issue 8): 200 members reading, finishing lessons, signing up for a 120-seat séance and leaving it, and a trainer taking a roll call, for ${seconds} s`,
  );
  console.log(`${'request'.padEnd(34)}${'count'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
  for (const [kind, list] of times) {
    list.sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(34)}${String(list.length).padStart(8)}${q(list, 0.5).padStart(9)}${q(list, 0.99).padStart(9)}`,
    );
  }
  console.log(
    `${'all'.padEnd(34)}${String(all.length).padStart(8)}${q(all, 0.5).padStart(9)}${q(all, 0.99).padStart(9)}`,
  );
  console.log(
    `Errors: ${errors}. Writes answered and then found in the database: ${acknowledged.completions.size} lessons finished, ${acknowledged.signups.size} sign-up states, ${acknowledged.marks.size} roll-call marks — missing: ${missing}. Seats taken: ${seats.n} of 120. integrity_check: ${integrity}. App memory peak: ${peakRss} MB.`,
  );
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
      ['GET /login, br', `${base}/login`, br],
      ['GET / member home (signed in)', `${base}/`, { cookie: memberCookie }],
      ['GET / member home, br', `${base}/`, { cookie: memberCookie, ...br }],
      ['GET / admin home (signed in)', `${base}/`, { cookie: adminCookie }],
      ['GET lesson page (member)', `${base}${LESSON}`, { cookie: memberCookie }],
      ['GET lesson page, br', `${base}${LESSON}`, { cookie: memberCookie, ...br }],
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
    const home = rows[3]!;
    const lesson = rows[6]!;
    console.log(`\nApp resident memory (highest seen between rounds): ${rss} MB`);
    console.log(
      `Target (issue 2): signed-in home ≥ 25 % of the bare route → ${Math.round((home.rps / bareRps) * 100)} % ${home.rps / bareRps >= 0.25 ? '(met)' : '(NOT met)'}`,
    );
    console.log(
      `Target (issue 4): lesson page (signed-in member) ≥ 15 % of the bare route → ${Math.round((lesson.rps / bareRps) * 100)} % ${lesson.rps / bareRps >= 0.15 ? '(met)' : '(NOT met)'}`,
    );
    const weight = await pageWeight(base, LESSON, memberCookie);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(
      `Lesson page weight, brotli, headers included: first visit ${kb(weight.first)} (HTML + ${weight.assets} assets; target ≤ 40 KB ${weight.first <= 40 * 1024 ? 'met' : 'NOT met'}), next visit ${kb(weight.warm)} (assets cached for a year; target ≤ 10 KB ${weight.warm <= 10 * 1024 ? 'met' : 'NOT met'})`,
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
    await nationalDashboards(dir);
    await mixedLoad(dir);
  } finally {
    bare.child.kill();
    app.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
