// How the app's pages are compressed (@fastify/compress): gzip first, chosen by measurement on the
// pages themselves (issue 17): for a lesson of 10 KB, gzip at its default level gives 3.9 KB in
// 60 µs where brotli at the plugin's quality 4 gives the same size in 120 µs, and quality 2
// 4.1 KB in 60 µs; the home and the sign-in page alike. Brotli stays for a browser that would
// accept only it. Static files are another matter: compressed once at start-up at brotli's best
// (plugins/assets.ts).
//
// Compressing is a pure function of the page: a kept page sent again to the same browser as the
// very same Buffer (plugins/kept-pages.ts) is not compressed twice — its compressed forms are
// remembered with it. Nothing is looked up by content (hashing a page on every request cost more
// than it saved, measured), and other pages leave nothing behind.
import { type BrotliOptions, brotliCompressSync, gzipSync, type ZlibOptions } from 'node:zlib';

/** Kept bodies, with their compressed forms by encoding. */
const remembered = new WeakMap<Buffer, Map<string, Buffer>>();

/** `body` will be sent again as it is: remember what it compresses to. */
export function rememberCompressed(body: Buffer): void {
  remembered.set(body, new Map());
}

/**
 * The body about to be sent whose gzip is made another way than compressing it whole
 * (lib/gzip-splice.ts). Handed over in one slot: the compression hook runs in the same turn as the
 * `reply.send` that follows, and only the very same Buffer takes it.
 */
let handoff: { body: Buffer; make: () => Buffer } | null = null;

/** Says how to make the gzip of `body`, about to be sent (kept-pages.ts: spliced around the token). */
export function gzipMadeBy(body: Buffer, make: () => Buffer): void {
  handoff = { body, make };
}

function remembering<O>(encoding: 'gzip' | 'br', compress: (input: Buffer, options?: O) => Buffer) {
  return (input: Buffer, options?: O): Buffer => {
    const results = remembered.get(input);
    let result = results?.get(encoding);
    if (result !== undefined) return result;
    if (encoding === 'gzip' && handoff !== null && handoff.body === input) {
      result = handoff.make();
      handoff = null;
    } else result = compress(input, options);
    results?.set(encoding, result);
    return result;
  };
}

/** The options given to @fastify/compress in app.ts. */
export const compressOptions = {
  threshold: 1024,
  encodings: ['gzip', 'br'] as Array<'gzip' | 'br'>,
  // Pages up to 256 KB (a national dashboard is about 70 KB, a COSIM's 110 KB) are compressed in one
  // synchronous call, no zlib stream per response: no threadpool hop. Streams (CSV) stay streams.
  syncThreshold: 256 * 1024,
  zlib: {
    gzipSync: remembering<ZlibOptions>('gzip', gzipSync),
    brotliCompressSync: remembering<BrotliOptions>('br', brotliCompressSync),
  },
};
