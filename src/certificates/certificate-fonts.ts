// The certificate's fonts, parsed once and shared by every certificate PDF (and the monospaced
// bold of its code, which pdf.ts does not register).
//
// NOTE: pdf.ts registers the TTF files as Buffers, so pdfkit parses each font again in every
// document (fontkit decodes the GSUB/GPOS tables of DejaVu to lay out the first line): about
// 30 ms per font and per document, the bulk of a certificate's cost. pdfkit also takes a font
// already parsed by fontkit, so the fonts are parsed once here and shared by every document.
// One catch: fontkit caches a glyph with the characters it was first asked for. Subsetting
// asks for the glyphs a glyph is made of (the dotless ı of "i") with no characters, and a later
// "Yılmaz" would then lose its ı when copied from the PDF. So subsetting goes through a view of
// the font with a glyph cache of its own, while layout keeps the font's. pdfkit lays out and
// subsets synchronously, so sharing is safe. Should pdfkit's internals change shape, documents
// are made the slow way.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createPdfDocument, fonts } from '../lib/pdf.ts';

export const monoFont = 'DejaVuSansMono-Bold';

let monoFile: Buffer | undefined;

function monoBuffer(): Buffer {
  if (!monoFile) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    monoFile = readFileSync(join(dir, 'DejaVuSansMono-Bold.ttf'));
  }
  return monoFile;
}

/** A font parsed by fontkit, as pdfkit keeps it in `doc._font.font`. */
interface FontkitFont {
  layout(text: string): unknown;
}

interface PdfkitFontInternals {
  _font?: { font?: unknown };
  _fontFamilies?: Record<string, unknown>;
}

interface SharedFonts {
  regular: FontkitFont;
  bold: FontkitFont;
  mono: FontkitFont;
}

/** undefined: not parsed yet; null: pdfkit does not look as expected, do without. */
let shared: SharedFonts | null | undefined;

function isFontkitFont(font: unknown): font is FontkitFont {
  return typeof (font as { layout?: unknown } | undefined)?.layout === 'function';
}

/** The fonts pdfkit parses from the files pdf.ts registers, taken from a document never finished. */
function parseFonts(): SharedFonts | null {
  const doc = createPdfDocument({ title: 'Attestation de formation' });
  doc.registerFont(monoFont, monoBuffer());
  const internals = doc as unknown as PdfkitFontInternals;
  const open = (name: string) => {
    doc.font(name);
    const font = internals._font?.font;
    return isFontkitFont(font) ? font : null;
  };
  const regular = open(fonts.regular);
  const bold = open(fonts.bold);
  const mono = open(monoFont);
  if (!regular || !bold || !mono || typeof internals._fontFamilies !== 'object') return null;
  return { regular: share(regular), bold: share(bold), mono: share(mono) };
}

/** The font as given to pdfkit: it lays out with the font, subsets with a glyph cache of its own. */
function share(font: FontkitFont): FontkitFont {
  // Lay out once, so that the layout engine is built, and kept, by the font itself.
  font.layout('a');
  const subsetter: unknown = Object.create(font, { _glyphs: { value: {}, writable: true } });
  const createSubset = (font as unknown as { createSubset: () => unknown }).createSubset;
  return Object.create(font, { createSubset: { value: () => createSubset.call(subsetter) } });
}

/** Registers the shared fonts on a new document (or, should pdfkit have changed, the mono font alone). */
export function useSharedFonts(doc: PDFKit.PDFDocument): void {
  if (shared === undefined) shared = parseFonts();
  if (!shared) {
    doc.registerFont(monoFont, monoBuffer());
    return;
  }
  // The types only know of files and buffers; pdfkit also takes a fontkit font.
  doc.registerFont(fonts.regular, shared.regular as unknown as Uint8Array);
  doc.registerFont(fonts.bold, shared.bold as unknown as Uint8Array);
  doc.registerFont(monoFont, shared.mono as unknown as Uint8Array);
  // Forget the fonts createPdfDocument opened from the buffers: unused, they are not embedded.
  (doc as unknown as PdfkitFontInternals)._fontFamilies = {};
  doc.font(fonts.regular);
}
