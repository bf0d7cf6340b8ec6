// Secrets kept in files outside the database, so that a copy of the database alone (a backup, a
// stolen file) gives nothing usable. `keyFile` reads one, or creates it on first use — readable by
// the app's user only (0600), written whole before it appears under its name, so two processes
// starting together agree on one. `appSecret` is the app's 32 random bytes (invitation links are
// derived from it); a database in memory (tests) gets a random one that lives as long as the process.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export const APP_SECRET_BYTES = 32;

/** Where the secret of the database at `databasePath` lives unless told otherwise: next to it. */
export function defaultSecretPath(databasePath: string): string | null {
  return databasePath === ':memory:' ? null : join(dirname(databasePath), 'passerelle.secret');
}

/** Where the Open Badges signing key of the database at `databasePath` lives unless told otherwise. */
export function defaultSigningKeyPath(databasePath: string): string | null {
  return databasePath === ':memory:' ? null : join(dirname(databasePath), 'passerelle-signing-key.pem');
}

export class KeyFileError extends Error {}

/**
 * The content of the key file at `path`, made by `create` if the file does not exist yet.
 * `check` says whether a content read back is usable; a file that is not stops the start with a
 * message naming it (replacing it silently would break everything derived from the old key).
 */
export function keyFile(path: string, create: () => string, check: (content: string) => boolean): string {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    content = createKeyFile(path, create());
  }
  if (!check(content)) {
    throw new KeyFileError(
      `Le fichier de clé ${path} est illisible ou abîmé. Remettez-le depuis une sauvegarde ; ` +
        'sinon supprimez-le : un nouveau sera créé, et tout ce qui dépendait de l’ancien (liens d’invitation) sera à renvoyer.',
    );
  }
  return content;
}

/**
 * Writes `content` to a new temporary file beside `path`, mode 0600, flushed to disk; returns its
 * name, for the caller to put in place (link or rename) and remove.
 */
export function writePrivateTemporary(path: string, content: string): string {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temporary;
}

function createKeyFile(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = writePrivateTemporary(path, content);
  try {
    // NOTE: link() fails if the name exists, so a process that started at the same moment and
    // created its own keeps nothing of it: both read back the one that won.
    linkSync(temporary, path);
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(path, 'utf8');
  } finally {
    unlinkSync(temporary);
  }
}

const secrets = new Map<string, Uint8Array>();
let inMemory: Uint8Array | undefined;

/** The app secret kept at `path` (read once per process), or for null the process's own random one. */
export function appSecret(path: string | null): Uint8Array {
  if (path === null) {
    inMemory ??= new Uint8Array(randomBytes(APP_SECRET_BYTES));
    return inMemory;
  }
  let secret = secrets.get(path);
  if (!secret) {
    const content = keyFile(
      path,
      () => `${randomBytes(APP_SECRET_BYTES).toString('base64url')}\n`,
      (text) => /^[A-Za-z0-9_-]{43}\s*$/.test(text),
    );
    secret = new Uint8Array(Buffer.from(content.trim(), 'base64url'));
    secrets.set(path, secret);
  }
  return secret;
}
