// `npm run restore -- <fichier>`: puts a backup in place of the database at DATABASE_PATH
// (data/passerelle.db by default). Refuses while the database is open in another process (the
// app: stop it first — --force does not get around that), when the backup is not a sound
// Passerelle database, and when the database exists, unless --force; the replaced file is kept
// as <base>.avant-restauration-<date>. Exits 1 on refusal, 2 on bad arguments.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { BackupError, restoreDatabase } from '../db/backup.ts';

const USAGE = 'Usage : npm run restore -- <fichier de sauvegarde> [--force]  (application arrêtée)';

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
const backup = parsed.positionals[0]!;

let target: string;
try {
  target = loadConfig().databasePath;
} catch (error) {
  if (error instanceof ConfigError) refuse(error.message);
  throw error;
}

try {
  const r = restoreDatabase(backup, target, { force: parsed.values.force ?? false });
  console.log(
    `Base ${r.path} restaurée depuis ${backup} (intégrité vérifiée).` +
      (r.previous
        ? ` L’ancienne base est conservée sous ${r.previous}.`
        : ' Aucune base n’existait à cet endroit.') +
      ' Vous pouvez redémarrer l’application.',
  );
} catch (error) {
  if (error instanceof BackupError) refuse(error.message);
  throw error;
}
