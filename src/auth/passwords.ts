// Password hashing with argon2id and OWASP's parameters (m=19456 KiB, t=2, p=1).
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

const options = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// NOTE: verified against when the email is unknown, so that a wrong email and a wrong password
// cost the same time and the answer does not tell whether an account exists.
let dummyHash: Promise<string> | undefined;

function getDummyHash(): Promise<string> {
  if (!dummyHash) dummyHash = hashPassword('passerelle-dummy-password');
  return dummyHash;
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  const target = passwordHash ?? (await getDummyHash());
  try {
    const ok = await verify(target, password);
    return ok && passwordHash !== null;
  } catch {
    return false;
  }
}
