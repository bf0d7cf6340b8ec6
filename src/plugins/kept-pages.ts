// A member's most visited pages (home, path, course, lesson) and the sign-in page, kept as rendered
// while nothing they show can have changed: the database has not moved (this process's writes or
// another's commits, db/network-version.ts: databaseVersion), the person is the same (kept per
// account and language), and for a few seconds at most (what depends on the time: a séance under
// way, a roll call that opens). Finishing a lesson, signing up or anyone's change anywhere is a
// write: the next page is made afresh. The CSRF token is the only part that differs between two
// browsers of one person: pages are kept with a placeholder in its place, the token put in when sent.
// Measured in `npm run bench` (issue 17): a kept lesson page costs a third of a rendered one.
import { randomBytes } from 'node:crypto';
import { gzipMadeBy, rememberCompressed } from '../lib/compression.ts';
import { deflateParts, spliceGzip } from '../lib/gzip-splice.ts';

/** How long a kept page may be shown at most, whatever the database says. */
export const PAGE_KEPT_MS = 10_000;
/** Pages kept (about 10 KB each, outside the JavaScript heap): the oldest kept goes first. */
const PAGES_KEPT = 500;

/** Stands for the CSRF token in a kept page: random, so no page content can contain it. */
export const TOKEN_PLACEHOLDER = `csrf-${randomBytes(12).toString('hex')}`;
const PLACEHOLDER_BYTES = Buffer.from(TOKEN_PLACEHOLDER);

interface KeptPage {
  version: string;
  at: number;
  /** The page's bytes cut where the token goes (views of one Buffer). */
  parts: Buffer[];
  /** The bytes last sent, and for which token: the same Buffer again for the same browser. */
  last: { token: string; tokenBytes: Buffer; body: Buffer } | null;
  /** The parts compressed, by the token's length (always the same: one entry). */
  deflated: Map<number, Buffer[]>;
}

/** Options of a visit. */
export interface VisitOptions {
  /**
   * The browser asks for gzip: it is put together from the parts compressed once, the token in
   * between as it is (lib/gzip-splice.ts) — never compressed with the page's text (BREACH), and a
   * visitor's new token costs no new compression.
   */
  spliceGzip?: boolean;
  /** The same body will be sent again (a signed-in person's browser): its compressions are kept. */
  sentAgain?: boolean;
}

function bodyFor(page: KeptPage, token: string, options: VisitOptions): Buffer {
  if (page.last?.token !== token) {
    const tokenBytes = Buffer.from(token);
    const pieces = page.parts.flatMap((part, i) => (i === 0 ? [part] : [tokenBytes, part]));
    const body = Buffer.concat(pieces);
    page.last = { token, tokenBytes, body };
    if (options.sentAgain === true) rememberCompressed(body);
  }
  const { tokenBytes, body } = page.last;
  if (options.spliceGzip === true) {
    gzipMadeBy(body, () => {
      let deflated = page.deflated.get(tokenBytes.length);
      if (deflated === undefined) {
        deflated = deflateParts(page.parts, tokenBytes.length);
        page.deflated.set(tokenBytes.length, deflated);
      }
      return spliceGzip(deflated, tokenBytes, body);
    });
  }
  return body;
}

/** `bytes` cut at each placeholder. */
function cut(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(PLACEHOLDER_BYTES); at !== -1; at = bytes.indexOf(PLACEHOLDER_BYTES, from)) {
    parts.push(bytes.subarray(from, at));
    from = at + PLACEHOLDER_BYTES.length;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

export interface PageStore {
  /** The page with `token` in place, if kept for `key` at `version` and not older than PAGE_KEPT_MS. */
  find(key: string, version: string, token: string, now?: number, options?: VisitOptions): Buffer | null;
  /** Keeps `html` (rendered with TOKEN_PLACEHOLDER) and returns it with the token in place. */
  keep(
    key: string,
    version: string,
    html: string,
    token: string,
    now?: number,
    options?: VisitOptions,
  ): Buffer;
}

export function createPageStore(): PageStore {
  const pages = new Map<string, KeptPage>();
  return {
    find(key, version, token, now = Date.now(), options = {}) {
      const page = pages.get(key);
      if (page === undefined) return null;
      if (page.version !== version || now - page.at >= PAGE_KEPT_MS || now < page.at) {
        pages.delete(key);
        return null;
      }
      return bodyFor(page, token, options);
    },
    keep(key, version, html, token, now = Date.now(), options = {}) {
      const page: KeptPage = {
        version,
        at: now,
        parts: cut(Buffer.from(html)),
        last: null,
        deflated: new Map(),
      };
      pages.delete(key);
      if (pages.size >= PAGES_KEPT) pages.delete(pages.keys().next().value!);
      pages.set(key, page);
      return bodyFor(page, token, options);
    },
  };
}
