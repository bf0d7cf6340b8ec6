// Shared pdfkit plumbing for the documents Passerelle issues (attendance sheets, certificates):
// an A4 page with the DejaVu fonts embedded, the document metadata, and the finished file as a Buffer.
// NOTE: pdfkit's built-in fonts (Helvetica…) are not embedded and only cover WinAnsi: French is
// fine, but names written in Wolof, Bambara, Turkish or Polish spelling (ŋ, ɛ, ɔ, ş, ğ, ł…) would
// come out wrong. Every document uses the DejaVu fonts registered here, embedded as subsets.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// pdfkit and its font parser weigh about 20 MB of memory: loaded on the first document, not at start.
let PDFDocument: typeof import('pdfkit') | undefined;

/** Loads pdfkit; every function that makes a document awaits it before createPdfDocument(). */
export async function loadPdfkit(): Promise<void> {
  PDFDocument ??= (await import('pdfkit')).default;
}

/** Names of the registered fonts, for `doc.font(fonts.bold)`. */
export const fonts = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold' } as const;

const author = 'FORIM — Passerelle';

let fontFiles: { regular: Buffer; bold: Buffer } | undefined;

/** The TTF files, read from the dejavu-fonts-ttf package once per process. */
function loadFonts(): { regular: Buffer; bold: Buffer } {
  if (!fontFiles) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontFiles = {
      regular: readFileSync(join(dir, 'DejaVuSans.ttf')),
      bold: readFileSync(join(dir, 'DejaVuSans-Bold.ttf')),
    };
  }
  return fontFiles;
}

export interface PdfDocumentOptions {
  /** Document title shown by PDF readers instead of the file name. */
  title: string;
  subject?: string;
  keywords?: string;
  /** Page margins in points (defaults to 50 on every side). */
  margins?: { top: number; bottom: number; left: number; right: number };
  /**
   * Keep every page in memory so that page footers ("Page 2 / 5") can be written once the page
   * count is known, with `doc.switchToPage(i)`.
   */
  bufferPages?: boolean;
}

/** A new A4 document in French, fonts registered and the regular one selected. */
export function createPdfDocument(options: PdfDocumentOptions): PDFKit.PDFDocument {
  if (!PDFDocument) throw new Error('loadPdfkit() must be awaited before createPdfDocument()');
  const files = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: options.margins ?? { top: 50, bottom: 50, left: 50, right: 50 },
    bufferPages: options.bufferPages ?? false,
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: options.title,
      Author: author,
      Creator: 'Passerelle',
      ...(options.subject ? { Subject: options.subject } : {}),
      ...(options.keywords ? { Keywords: options.keywords } : {}),
    },
  });
  doc.registerFont(fonts.regular, files.regular);
  doc.registerFont(fonts.bold, files.bold);
  doc.font(fonts.regular);
  return doc;
}

/**
 * Ends the document and resolves with the whole file. Call it once everything is drawn; the
 * stream buffers its output until then, so nothing is lost by listening this late.
 */
export function pdfToBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** The two greys of Passerelle's documents: text, and secondary text and rules. */
export const pdfColors = { ink: '#1a1a1a', muted: '#555555' } as const;

export const FORIM_NAME =
  'FORIM — Forum des Organisations de Solidarité Internationale issues des Migrations';

/** FORIM's name in small grey capitals with a rule under it; returns the rule's y. */
export function drawLetterhead(doc: PDFKit.PDFDocument, left: number, top: number, width: number): number {
  doc.fillColor(pdfColors.muted).font(fonts.bold).fontSize(8.5).text(FORIM_NAME, left, top, { width });
  const ruleY = doc.y + 6;
  doc
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .lineWidth(0.75)
    .strokeColor(pdfColors.ink)
    .stroke();
  return ruleY;
}
