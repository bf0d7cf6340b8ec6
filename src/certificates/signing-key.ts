// The Open Badges signing key. The private key lives in its own file (SIGNING_KEY_PATH, by default
// `passerelle-signing-key.pem` next to the database): PKCS#8 PEM, mode 0600, made at the first start
// (src/lib/app-secret.ts `keyFile`), never in the database — a backup or a stolen copy of the
// database signs nothing. Every public key that has signed stays in `signing_keys` and is published
// (/ob/jwks.json, /ob/keys/<kid>), so a credential signed before a rotation still verifies.
//
// `npm run keys:rotate` (rotateSigningKey) publishes a new key, then puts it in place of the file
// (one rename: the old private key is gone, a retired key never signs again) and marks the others
// retired. A running app sees the new file at its next signature (the file's identity is checked
// each time), without a restart. `--withdraw-old` also takes the old public keys out of the
// published set, for a key that may have leaked: what they signed no longer verifies.
//
// A database in memory (tests) keeps its key in memory, per connection.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { type Db, sqliteOf, withTransaction } from '../db/client.ts';
import { signingKeys } from '../db/schema.ts';
import { KeyFileError, keyFile, writePrivateTemporary } from '../lib/app-secret.ts';

export const SIGNING_ALGORITHM = 'RS256';
const MODULUS_BITS = 2048;

export interface SigningKey {
  /** The public key's JWK thumbprint (RFC 7638, SHA-256): the `signing_keys` primary key. */
  kid: string;
  privateKey: KeyObject;
  /** The public key (kty, n, e). */
  publicJwk: JWK;
}

export class SigningKeyError extends Error {}

/** A new RSA private key, as the file holds it. */
function newPrivateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function isUsablePem(text: string): boolean {
  try {
    const key = createPrivateKey(text);
    return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MODULUS_BITS;
  } catch {
    return false;
  }
}

async function fromPem(pem: string): Promise<SigningKey> {
  const privateKey = createPrivateKey(pem);
  const { kty, n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicJwk: JWK = { kty, n, e };
  return { kid: await calculateJwkThumbprint(publicJwk), privateKey, publicJwk };
}

/** Publishes the key (if it is not yet) and retires every other; refuses a key that was withdrawn. */
function publish(db: Db, key: SigningKey, now: Date): void {
  withTransaction(
    db,
    (tx) => {
      tx.insert(signingKeys)
        .values({
          kid: key.kid,
          algorithm: SIGNING_ALGORITHM,
          publicJwk: { ...key.publicJwk },
          createdAt: now,
        })
        .onConflictDoNothing()
        .run();
      const row = tx.select().from(signingKeys).where(eq(signingKeys.kid, key.kid)).get()!;
      if (row.withdrawnAt) {
        throw new SigningKeyError(
          `La clé de signature ${key.kid} a été retirée (npm run keys:rotate -- --withdraw-old) : ` +
            'le fichier de clé est une ancienne copie. Lancez npm run keys:rotate pour en créer une nouvelle.',
        );
      }
      // Keys from before this one (a rotation, or the key the database held before migration 0013):
      // retired, still published.
      tx.update(signingKeys)
        .set({ retiredAt: now })
        .where(and(ne(signingKeys.kid, key.kid), isNull(signingKeys.retiredAt)))
        .run();
    },
    'immediate',
  );
}

// ——— Where the current key comes from ———

interface Loaded {
  /** The file's identity when read: a rotation replaces the file, hence changes it. */
  stamp: string;
  key: Promise<SigningKey>;
}
const fromFiles = new Map<string, Loaded>();
const inMemory = new WeakMap<object, Promise<SigningKey>>();

function fileStamp(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function loadFromFile(db: Db, path: string): Promise<SigningKey> {
  let pem: string;
  try {
    pem = keyFile(path, newPrivateKeyPem, isUsablePem);
  } catch (error) {
    if (error instanceof KeyFileError) {
      throw new SigningKeyError(
        `Le fichier de clé de signature ${path} est illisible ou abîmé. Remettez-le depuis sa sauvegarde, ` +
          'ou lancez npm run keys:rotate pour en créer un nouveau (les badges déjà délivrés restent vérifiables).',
      );
    }
    throw error;
  }
  const key = await fromPem(pem);
  publish(db, key, new Date());
  return key;
}

/**
 * The key that signs now: the file at `path` (made on first use), or for a database in memory (null)
 * the connection's own. Its public key is published before it is returned.
 */
export function currentSigningKey(db: Db, path: string | null): Promise<SigningKey> {
  if (path === null) {
    const connection = sqliteOf(db);
    let key = inMemory.get(connection);
    if (!key) {
      key = fromPem(newPrivateKeyPem()).then((k) => {
        publish(db, k, new Date());
        return k;
      });
      inMemory.set(connection, key);
      key.catch(() => inMemory.delete(connection));
    }
    return key;
  }
  const stamp = fileStamp(path);
  const known = fromFiles.get(path);
  if (known && stamp !== null && known.stamp === stamp) return known.key;
  const key = loadFromFile(db, path);
  // Stamped after reading (the file may have just been made): the next call checks it again.
  const entry = { stamp: '', key };
  fromFiles.set(path, entry);
  key.then(
    () => {
      entry.stamp = fileStamp(path) ?? '';
    },
    () => {
      if (fromFiles.get(path) === entry) fromFiles.delete(path);
    },
  );
  return key;
}

// ——— What is published ———

export interface PublishedKey {
  kid: string;
  publicJwk: Record<string, unknown>;
  createdAt: Date;
  retiredAt: Date | null;
}

/** What is published of a key. */
const publishedColumns = {
  kid: signingKeys.kid,
  publicJwk: signingKeys.publicJwk,
  createdAt: signingKeys.createdAt,
  retiredAt: signingKeys.retiredAt,
};

/** The published public keys, newest first (the current one among them). */
export async function publishedKeys(db: Db, path: string | null): Promise<PublishedKey[]> {
  await currentSigningKey(db, path);
  return db
    .select(publishedColumns)
    .from(signingKeys)
    .where(isNull(signingKeys.withdrawnAt))
    .orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid))
    .all();
}

/** One published key by thumbprint, or null (unknown or withdrawn). */
export function publishedKey(db: Db, kid: string): PublishedKey | null {
  return (
    db
      .select(publishedColumns)
      .from(signingKeys)
      .where(and(eq(signingKeys.kid, kid), isNull(signingKeys.withdrawnAt)))
      .get() ?? null
  );
}

// ——— Rotation ———

export interface Rotation {
  /** The new key's thumbprint. */
  kid: string;
  /** The keys retired by this rotation (still published, unless withdrawn). */
  retired: string[];
  /** The keys taken out of the published set (withdrawOld). */
  withdrawn: string[];
  /** Published keys after the rotation, the new one included. */
  published: number;
}

/** Writes `content` under `path` in one rename, mode 0600: readers see the old file or the new one. */
function replaceFile(path: string, content: string): void {
  const temporary = writePrivateTemporary(path, content);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {}
}

/**
 * A new signing key in place of the current one: published first, then written to the file (the old
 * private key is replaced, so it signs no more), then every other key is marked retired — and, with
 * `withdrawOld`, withdrawn from the published set.
 */
export async function rotateSigningKey(
  db: Db,
  path: string | null,
  options: { withdrawOld?: boolean; now?: Date } = {},
): Promise<Rotation> {
  const now = options.now ?? new Date();
  const pem = newPrivateKeyPem();
  const key = await fromPem(pem);
  db.insert(signingKeys)
    .values({ kid: key.kid, algorithm: SIGNING_ALGORITHM, publicJwk: { ...key.publicJwk }, createdAt: now })
    .run();
  if (path === null) inMemory.set(sqliteOf(db), Promise.resolve(key));
  else {
    replaceFile(path, pem);
    fromFiles.delete(path);
  }
  return withTransaction(
    db,
    (tx) => {
      const others = tx
        .select({
          kid: signingKeys.kid,
          retiredAt: signingKeys.retiredAt,
          withdrawnAt: signingKeys.withdrawnAt,
        })
        .from(signingKeys)
        .where(ne(signingKeys.kid, key.kid))
        .all();
      const retired = others.filter((k) => k.retiredAt === null).map((k) => k.kid);
      const withdrawn = options.withdrawOld
        ? others.filter((k) => k.withdrawnAt === null).map((k) => k.kid)
        : [];
      tx.update(signingKeys)
        .set({ retiredAt: now })
        .where(and(ne(signingKeys.kid, key.kid), isNull(signingKeys.retiredAt)))
        .run();
      if (options.withdrawOld)
        tx.update(signingKeys)
          .set({ withdrawnAt: now })
          .where(and(ne(signingKeys.kid, key.kid), isNull(signingKeys.withdrawnAt)))
          .run();
      const published = tx
        .select({ kid: signingKeys.kid })
        .from(signingKeys)
        .where(isNull(signingKeys.withdrawnAt))
        .all().length;
      return { kid: key.kid, retired, withdrawn, published };
    },
    'immediate',
  );
}
