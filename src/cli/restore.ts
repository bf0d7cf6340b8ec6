// `npm run restore -- <fichier>`: puts a backup in place of the database at DATABASE_PATH
// (data/passerelle.db by default). Refuses while the database is open in another process (the
// app: stop it first — --force does not get around that), when the backup is not a sound
// Passerelle database, and when the database exists, unless --force; the replaced file is kept
// as <base>.avant-restauration-<date>. Exits 1 on refusal, 2 on bad arguments.
import { restoreDatabase } from '../db/backup.ts';
import { backupCommand, orRefuse } from './backup-command.ts';

const {
  file: backup,
  force,
  databasePath: target,
} = backupCommand('Usage : npm run restore -- <fichier de sauvegarde> [--force]  (application arrêtée)');
const r = await orRefuse(() => restoreDatabase(backup, target, { force }));
console.log(
  `Base ${r.path} restaurée depuis ${backup} (intégrité vérifiée).` +
    (r.previous
      ? ` L’ancienne base est conservée sous ${r.previous}.`
      : ' Aucune base n’existait à cet endroit.') +
    ' Vous pouvez redémarrer l’application.',
);
