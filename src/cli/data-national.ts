// `npm run data:national -- [--db path] [--seed n] [--scale x] [--force]`: a database with FORIM's
// whole network for the national dashboards — the demo accounts (src/demo/seed-demo.ts), then 15
// COSIMs, 30 FOSIMs, 1,000 OSIMs, 30,000 members with their progress, cycles, séances, sign-ups,
// roll calls and certificates around them (src/demo/generate-national.ts). Same seed, same network
// (dates are relative to today). Refuses to overwrite a non-empty file unless --force.
import { existsSync, rmSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hashPassword } from '../auth/passwords.ts';
import { loadConfig } from '../config.ts';
import { coursesRoot } from '../content/paths.ts';
import { loadAndSync } from '../content/sync.ts';
import { rebuildLearnerStats } from '../dashboards/learner-stats.ts';
import { refreshAll } from '../dashboards/summaries.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { generateNational, type NationalStep } from '../demo/generate-national.ts';
import { DEMO_PASSWORD, demoAccounts, seedDemoData } from '../demo/seed-demo.ts';
import { appSecret, defaultSecretPath } from '../lib/app-secret.ts';
import { createMailer } from '../mail/mailer.ts';
import { seconds } from './format.ts';

const USAGE = 'Usage : npm run data:national -- [--db chemin] [--seed n] [--scale x] [--force]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { db?: string; seed?: string; scale?: string; force?: boolean; help?: boolean };
try {
  values = parseArgs({
    options: {
      db: { type: 'string' },
      seed: { type: 'string' },
      scale: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const path = values.db ?? 'data/national.db';
const seed = Number(values.seed ?? 2026);
if (!Number.isSafeInteger(seed)) fail('--seed : un nombre entier est attendu.');
const scale = Number(values.scale ?? 1);
if (!(scale > 0) || scale > 20)
  fail('--scale : un nombre entre 0 (exclu) et 20 est attendu (1 = taille du FORIM).');
if (path === ':memory:') fail('--db : un fichier est attendu.');

if (existsSync(path) && statSync(path).size > 0) {
  if (!values.force) fail(`${path} existe déjà et n’est pas vide : ajoutez --force pour le remplacer.`);
}
for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });

const fmt = (n: number) => n.toLocaleString('fr-FR');
const started = performance.now();
const config = loadConfig();
const db = openDatabase(path);
migrateDatabase(db);
const synced = loadAndSync(db, coursesRoot);
if (!synced.ok) {
  for (const p of synced.problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  fail('Les contenus de courses/ ne se chargent pas : rien n’a été généré.');
}
// The secret next to this database: the app started on it opens the demo's links (invitations, outbox).
const secret = appSecret(defaultSecretPath(path));
const mailer = createMailer(db, { smtpUrl: '', from: config.mailFrom, secret });
await seedDemoData(db, mailer, config.baseUrl, secret);
const passwordHash = await hashPassword(DEMO_PASSWORD);
const prepared = performance.now() - started;
console.log(`Base ${path} : migrations, contenus et comptes de démonstration en ${seconds(prepared)}.`);

const counts = generateNational(db, {
  seed,
  scale,
  passwordHash,
  onStep: (s: NationalStep) =>
    console.log(
      `  ${s.step.padEnd(36, ' ')} ${fmt(s.rows).padStart(11, ' ')} lignes  ${seconds(s.ms).padStart(8, ' ')}`,
    ),
});
let t = performance.now();
// The dashboards read each learner's figures from learner_stats: computed once here.
const learners = rebuildLearnerStats(db);
console.log(
  `  ${'chiffres par apprenant·e (tableaux de bord)'.padEnd(36, ' ')} ${fmt(learners).padStart(11, ' ')} lignes  ${seconds(performance.now() - t).padStart(8, ' ')}`,
);
t = performance.now();
// …and each collective's summary from those (the triggers have marked them all).
const collectives = refreshAll(db);
console.log(
  `  ${'résumés par collectif (tableaux de bord)'.padEnd(36, ' ')} ${fmt(collectives).padStart(11, ' ')} lignes  ${seconds(performance.now() - t).padStart(8, ' ')}`,
);
t = performance.now();
db.$client.exec('ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);');
console.log(
  `  ${'statistiques (ANALYZE) et checkpoint'.padEnd(36, ' ')} ${''.padStart(17, ' ')} ${seconds(performance.now() - t).padStart(8, ' ')}`,
);
mailer.close();
db.$client.close();
t = performance.now();

const lines: Array<[string, number]> = [
  ['COSIM', counts.cosims],
  ['FOSIM', counts.fosims],
  ['OSIM générées', counts.osims],
  ['membres', counts.members],
  ['coordination, formation, équipe nationale', counts.staff],
  ['invitations (acceptées, en attente, expirées)', counts.invitations],
  ['cycles', counts.cycles],
  ['inscriptions aux cycles', counts.cycleMembers],
  ['séances', counts.gatherings],
  ['  dont annulées', counts.cancelledGatherings],
  ['inscriptions aux séances', counts.signups],
  ['lignes d’émargement', counts.attendance],
  ['leçons ouvertes ou terminées', counts.lessonProgress],
  ['tentatives de quiz', counts.quizAttempts],
  ['membres ayant fini le parcours', counts.finishedPath],
  ['attestations', counts.certificates],
  ['  dont révoquées', counts.revokedCertificates],
];
console.log(`\nRéseau national (graine ${seed}, échelle ${scale}) :`);
for (const [label, n] of lines) console.log(`  ${label.padEnd(44, ' ')} ${fmt(n).padStart(10, ' ')}`);
const size = statSync(path).size;
console.log(
  `\nTerminé en ${seconds(t - started)} — ${path}, ${fmt(Math.round(size / 1024 / 1024))} Mo.` +
    `\n\nComptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :`,
);
for (const a of demoAccounts) console.log(`  ${a.role.padEnd(12, ' ')} ${a.email}`);
console.log(
  `Les comptes générés ont le même mot de passe. Pour servir cette base : DATABASE_PATH=${path} npm start`,
);
