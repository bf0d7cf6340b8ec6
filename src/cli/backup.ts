// `npm run backup -- <fichier>`: a consistent copy of the database at DATABASE_PATH (the app's,
// data/passerelle.db by default), taken while the app keeps serving, checked, then renamed into
// place. Exits 1 when it cannot (message in French), 2 on bad arguments.
import { existsSync } from 'node:fs';
import { backupDatabase } from '../db/backup.ts';
import { backupCommand, orRefuse, refuse } from './backup-command.ts';
import { seconds } from './format.ts';

const {
  file: target,
  force,
  databasePath: source,
} = backupCommand('Usage : npm run backup -- <fichier de sauvegarde> [--force]');
if (existsSync(target) && !force) refuse(`${target} existe déjà : ajoutez --force pour le remplacer.`);

const mb = (bytes: number) =>
  (bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: bytes < 10 * 1024 * 1024 ? 1 : 0 });
const r = await orRefuse(() => backupDatabase(source, target));
console.log(
  `Sauvegarde de ${source} écrite dans ${r.path} : ${mb(r.bytes)} Mo, ${r.pages.toLocaleString('fr-FR')} pages ` +
    `copiées en ${seconds(r.copyMs)}, intégrité vérifiée (ok) en ${seconds(r.checkMs)}.`,
);
