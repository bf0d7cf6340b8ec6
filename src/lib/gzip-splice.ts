// A gzip member put together from pieces compressed beforehand: a kept page is the same for every
// browser but for its CSRF token (new on each first visit of the sign-in page), so the page's fixed
// parts are compressed once and the token is never compressed with their text (BREACH). The parts are
// compressed once, each ending on a byte boundary (a sync flush, RFC 1951 §3.2.3), the token goes
// in between as a stored block, and the member ends with the CRC-32 and size of the whole page
// (RFC 1952). Any gzip reader reads it as one stream.
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** The gzip header: no name, no time, deflate, unknown system. */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

/** The 32 KB a deflate stream may refer back to. */
const WINDOW = 32 * 1024;

/**
 * The fixed parts of a page compressed, for a token of `gap` bytes between each two (the last one
 * ends the stream). Each part may refer to the parts before it: it is compressed with them as a
 * preset dictionary, the token's place filled with zero bytes — which a page never holds, so no
 * reference can fall on them, and every other byte is where the reader will have it.
 */
export function deflateParts(parts: readonly Buffer[], gap: number): Buffer[] {
  const filler = Buffer.alloc(gap);
  const before: Buffer[] = [];
  // A part that holds a zero byte could match the filler: then each part is compressed alone.
  const referBack = !parts.some((part) => part.includes(0));
  return parts.map((part, i) => {
    const dictionary = referBack ? Buffer.concat(before) : Buffer.alloc(0);
    const options = {
      ...(dictionary.length > 0 ? { dictionary: dictionary.subarray(-WINDOW) } : {}),
      ...(i === parts.length - 1 ? {} : { finishFlush: constants.Z_SYNC_FLUSH }),
    };
    before.push(part, filler);
    return deflateRawSync(part, options);
  });
}

/** `bytes` as a stored (uncompressed) deflate block that does not end the stream. */
function storedBlock(bytes: Buffer): Buffer {
  const length = bytes.length;
  if (length > 0xffff) throw new RangeError('stored block over 64 KB');
  const head = Buffer.from([0x00, length & 0xff, length >> 8, ~length & 0xff, (~length >> 8) & 0xff]);
  return Buffer.concat([head, bytes]);
}

/**
 * The gzip member of `whole`, which is `parts` joined by `between`, from the parts deflated
 * beforehand for a token of that length (`deflateParts(parts, between.length)`).
 */
export function spliceGzip(deflated: readonly Buffer[], between: Buffer, whole: Buffer): Buffer {
  const token = storedBlock(between);
  const pieces: Buffer[] = [HEADER];
  for (const [i, part] of deflated.entries()) {
    if (i > 0) pieces.push(token);
    pieces.push(part);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(whole), 0);
  trailer.writeUInt32LE(whole.length % 0x1_0000_0000, 4);
  pieces.push(trailer);
  return Buffer.concat(pieces);
}
