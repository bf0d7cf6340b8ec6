// How the app's pages are compressed (@fastify/compress): gzip first, chosen by measurement on the
// pages themselves (issue 17): for a lesson of 10 KB, gzip at its default level gives 3.9 KB in
// 60 µs where brotli at the plugin's quality 4 gives the same size in 120 µs, and quality 2
// 4.1 KB in 60 µs; the home and the sign-in page alike. Brotli stays for a browser that would
// accept only it. Static files are another matter: compressed once at start-up at brotli's best
// (plugins/assets.ts).
//
// Compressing is a pure function of the page: a page sent again as the very same bytes (a kept
// page shown again to the same browser, plugins/kept-pages.ts) is not compressed twice. The result
// is tied to that Buffer and goes with it; nothing is looked up by content (hashing a page on every
// request cost more than it saved, measured).
import { type BrotliOptions, brotliCompressSync, gzipSync, type ZlibOptions } from 'node:zlib';

/** Bodies whose gzip is made another way than compressing them whole (lib/gzip-splice.ts). */
const gzipMakers = new WeakMap<Buffer, () => Buffer>();

/** Says how to make the gzip of `body` when it is asked for (kept-pages.ts, for the sign-in page). */
export function gzipMadeBy(body: Buffer, make: () => Buffer): void {
  gzipMakers.set(body, make);
}

function remembering<O>(compress: (input: Buffer, options?: O) => Buffer, makers?: typeof gzipMakers) {
  const results = new WeakMap<Buffer, Buffer>();
  return (input: Buffer, options?: O): Buffer => {
    let result = results.get(input);
    if (result === undefined) {
      const make = makers?.get(input);
      result = make ? make() : compress(input, options);
      results.set(input, result);
    }
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
    gzipSync: remembering<ZlibOptions>(gzipSync, gzipMakers),
    brotliCompressSync: remembering<BrotliOptions>(brotliCompressSync),
  },
};
