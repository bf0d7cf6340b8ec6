// `npm run keys:rotate [-- --withdraw-old]`: a new Open Badges signing key in place of the one in
// SIGNING_KEY_PATH (src/certificates/signing-key.ts). The old private key is replaced, so it signs no
// more; its public key stays published at /ob/jwks.json, so badges already handed out still verify —
// unless --withdraw-old, for a key that may have leaked: then they no longer verify, and their
// holders download them again. The running app takes the new key at its next signature. Exits 1
// when it cannot (message in French), 2 on bad arguments.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { rotateSigningKey, SigningKeyError } from '../certificates/signing-key.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';

const USAGE = 'Usage : npm run keys:rotate [-- --withdraw-old]';

function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}

let withdrawOld = false;
try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'withdraw-old': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length > 0) throw new Error(`Argument inattendu : ${positionals[0]}`);
  withdrawOld = values['withdraw-old'] ?? false;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) refuse(error.message);
  throw error;
}
const { databasePath, signingKeyPath } = config;
if (databasePath === ':memory:' || signingKeyPath === null)
  refuse('Une base en mémoire (:memory:) n’a pas de clé de signature à changer.');
if (!existsSync(databasePath)) {
  refuse(
    `Base introuvable : ${databasePath}. npm run keys:rotate change la clé de la base de l’application ` +
      '(DATABASE_PATH) : vérifiez le chemin, ou démarrez l’application une première fois.',
  );
}

// A Passerelle database, checked before anything is written next to it.
const probe = new Database(databasePath, { fileMustExist: true, readonly: true });
let passerelle = false;
try {
  passerelle =
    probe
      .prepare(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'",
      )
      .pluck()
      .get() === 1;
} catch {
  passerelle = false;
} finally {
  probe.close();
}
if (!passerelle) refuse(`${databasePath} n’est pas une base Passerelle (aucune table __drizzle_migrations).`);

const db = openDatabase(databasePath);
migrateDatabase(db);
let rotation: Awaited<ReturnType<typeof rotateSigningKey>>;
try {
  rotation = await rotateSigningKey(db, signingKeyPath, { withdrawOld });
} catch (error) {
  if (error instanceof SigningKeyError) refuse(error.message);
  throw error;
} finally {
  db.$client.close();
}

const list = (kids: string[]) => kids.join(', ');
const lines = [
  `Nouvelle clé de signature Open Badges : ${rotation.kid}`,
  `  écrite dans ${signingKeyPath} (mode 0600) ; elle signe désormais les badges numériques.`,
];
if (rotation.retired.length > 0 && !withdrawOld) {
  lines.push(
    `Clé remplacée : ${list(rotation.retired)}. Elle ne signe plus ; sa clé publique reste publiée ` +
      '(/ob/jwks.json) : les badges déjà délivrés restent vérifiables.',
  );
}
if (withdrawOld) {
  lines.push(
    rotation.withdrawn.length > 0
      ? `Clés retirées de la publication : ${list(rotation.withdrawn)}. Les badges qu’elles ont signés ne se ` +
          'vérifient plus : leurs titulaires les téléchargent à nouveau depuis la page de leur attestation.'
      : 'Aucune ancienne clé n’était publiée.',
  );
}
lines.push(
  `Clés publiées : ${rotation.published}. L’application en service prend la nouvelle clé dès le prochain badge, sans redémarrage.`,
  `Sauvegardez ${signingKeyPath} à part (il n’est pas dans les sauvegardes de la base) ; les copies de l’ancien fichier ne servent plus : détruisez-les.`,
);
console.log(lines.join('\n'));
