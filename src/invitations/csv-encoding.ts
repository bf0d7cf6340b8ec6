// The text of an uploaded CSV, whatever the spreadsheet saved it as: UTF-8 (with or without BOM),
// Windows-1252 (Excel's "CSV (séparateur : point-virgule)" on a French Windows), UTF-16 with a BOM
// (Excel's "Texte Unicode"). Anything else — a binary file, UTF-16 without its BOM — is refused
// with a message saying how to save the file.
import { RuleError } from '../lib/errors.ts';

export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

function decode(bytes: Uint8Array, encoding: CsvEncoding): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Control characters other than tab and line breaks (NUL marks UTF-16 read as bytes, or a binary file). */
function hasStrayControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

// Windows-1252 is Latin-1 except for 0x80–0x9F, where it has typographic characters (’ “ ” – — € œ
// Œ …) and five undefined bytes. NOTE: Node 20's TextDecoder('windows-1252') decodes those bytes
// as Latin-1 control characters (’ became U+0092), hence this table.
// (\0 marks the undefined ones.)
const WINDOWS_1252_HIGH = '€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ';

/** Every byte read as Windows-1252; null when the bytes cannot be text in it. */
function decodeWindows1252(bytes: Uint8Array): string | null {
  let undefinedByte = false;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => {
      const mapped = WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!;
      if (mapped === '\0') undefinedByte = true;
      return mapped;
    });
  return undefinedByte || hasStrayControl(text) ? null : text;
}

export function decodeCsv(file: Uint8Array): { text: string; encoding: CsvEncoding } {
  const [a, b, c] = file;
  let text: string | null;
  let encoding: CsvEncoding;
  if (a === 0xef && b === 0xbb && c === 0xbf) {
    encoding = 'utf-8';
    text = decode(file.subarray(3), encoding);
  } else if (a === 0xff && b === 0xfe) {
    encoding = 'utf-16le';
    text = decode(file.subarray(2), encoding);
  } else if (a === 0xfe && b === 0xff) {
    encoding = 'utf-16be';
    text = decode(file.subarray(2), encoding);
  } else {
    encoding = 'utf-8';
    text = decode(file, encoding);
    if (text === null) {
      encoding = 'windows-1252';
      text = decodeWindows1252(file);
    }
  }
  if (text === null || text.includes('\0')) throw new RuleError('import.error.encoding');
  return { text, encoding };
}
