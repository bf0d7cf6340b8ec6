// Tokens sent in links (password reset, invitation): 160 random bits, base32, stored as SHA-256.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

export function generateLinkToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashLinkToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** A token as it comes from a URL: anything else is rejected before touching the database. */
export function isWellFormedLinkToken(token: string): boolean {
  return /^[a-z2-7]{32}$/.test(token);
}
