// `npm run backup -- <fichier>`: a consistent copy of the database at DATABASE_PATH (the app's,
// data/passerelle.db by default), taken while the app keeps serving, checked, then renamed into
// place. Exits 1 when it cannot (message in French), 2 on bad arguments.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { BackupError, backupDatabase } from '../db/backup.ts';

const USAGE = 'Usage : npm run backup -- <fichier de sauvegarde> [--force]';

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}

let parsed: { values: { force?: boolean; help?: boolean }; positionals: string[] };
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (parsed.positionals.length !== 1) usage('Un fichier de sauvegarde, et un seul, est attendu.');
const target = parsed.positionals[0]!;

let source: string;
try {
  source = loadConfig().databasePath;
} catch (error) {
  if (error instanceof ConfigError) refuse(error.message);
  throw error;
}
if (existsSync(target) && !parsed.values.force) {
  refuse(`${target} existe déjà : ajoutez --force pour le remplacer.`);
}

const mb = (bytes: number) =>
  (bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: bytes < 10 * 1024 * 1024 ? 1 : 0 });
const seconds = (ms: number) =>
  ms < 1000
    ? `${Math.round(ms)} ms`
    : `${(ms / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`;
try {
  const r = await backupDatabase(source, target);
  console.log(
    `Sauvegarde de ${source} écrite dans ${r.path} : ${mb(r.bytes)} Mo, ${r.pages.toLocaleString('fr-FR')} pages ` +
      `copiées en ${seconds(r.copyMs)}, intégrité vérifiée (ok) en ${seconds(r.checkMs)}.`,
  );
} catch (error) {
  if (error instanceof BackupError) refuse(error.message);
  throw error;
}
