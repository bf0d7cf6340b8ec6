// Shared pdfkit plumbing for the documents Passerelle issues (attendance sheets, certificates):
// an A4 page with the DejaVu fonts embedded, the document metadata, FORIM's letterhead, a table that
// runs over as many pages as it needs, page footers, and the finished file as a Buffer.
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

/** The greys of Passerelle's documents: text, secondary text, and the rules of boxes and tables. */
export const pdfColors = { ink: '#1a1a1a', muted: '#555555', rule: '#8c8c8c' } as const;

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

/** The greys of tables: their rules, their header row, every other row. */
const tableColors = { rule: pdfColors.rule, header: '#e3e3e3', zebra: '#f4f4f4' } as const;

export interface PdfColumn<Row> {
  title: string;
  /** In points; the columns' widths add up to the table's. */
  width: number;
  align: 'left' | 'right' | 'center';
  value: (row: Row, index: number) => string;
}

export interface PdfTable<Row> {
  columns: PdfColumn<Row>[];
  rows: Row[];
  left: number;
  /** Where the table starts on the current page. */
  top: number;
  /** The lowest a row may reach on any page. */
  bottom: number;
  fontSize: number;
  /** Rows (not the header) are at least this tall (room to sign by hand); wrapped text makes them taller. */
  minRowHeight?: number;
  /** Rows set in bold on the header's grey: subtotals and totals. */
  strong?: (row: Row, index: number) => boolean;
  /** Opens a page for the rest of the table and returns where it starts; its header is drawn then. */
  newPage: () => number;
}

const cellPadX = 5;
const cellPadY = 4;

/**
 * A ruled table with a grey header row, repeated at the top of every page it runs onto; cells wrap.
 * The header never stands alone at the foot of a page: it goes with the first row. Returns the y
 * under the last row.
 */
export function drawTable<Row>(doc: PDFKit.PDFDocument, table: PdfTable<Row>): number {
  const { columns, left, bottom, fontSize } = table;
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  doc.fontSize(fontSize);
  const cellHeight = (texts: string[], font: string, min = 0) => {
    doc.font(font);
    let h = 0;
    texts.forEach((text, i) => {
      const w = (columns[i]?.width ?? 0) - 2 * cellPadX;
      h = Math.max(h, doc.heightOfString(text, { width: w }));
    });
    return Math.max(h + 2 * cellPadY, min);
  };
  const drawRow = (texts: string[], top: number, height: number, font: string, fill: string | null) => {
    if (fill) doc.rect(left, top, width, height).fill(fill);
    doc.font(font).fillColor(pdfColors.ink);
    let cx = left;
    texts.forEach((text, i) => {
      const col = columns[i];
      if (!col) return;
      doc.text(text, cx + cellPadX, top + cellPadY, { width: col.width - 2 * cellPadX, align: col.align });
      cx += col.width;
    });
    // Borders: the row's bottom line and the column separators
    doc.lineWidth(0.5).strokeColor(tableColors.rule);
    doc
      .moveTo(left, top + height)
      .lineTo(left + width, top + height)
      .stroke();
    cx = left;
    for (const col of [{ width: 0 }, ...columns]) {
      cx += col.width;
      doc
        .moveTo(cx, top)
        .lineTo(cx, top + height)
        .stroke();
    }
  };
  const headerTexts = columns.map((c) => c.title);
  const headerHeight = cellHeight(headerTexts, fonts.bold);
  const drawHeader = (top: number) => {
    doc.lineWidth(0.5).strokeColor(tableColors.rule);
    doc
      .moveTo(left, top)
      .lineTo(left + width, top)
      .stroke();
    drawRow(headerTexts, top, headerHeight, fonts.bold, tableColors.header);
    return top + headerHeight;
  };
  const nextPage = () => {
    const top = table.newPage();
    doc.fontSize(fontSize);
    return drawHeader(top);
  };

  const rows = table.rows.map((row, i) => columns.map((c) => c.value(row, i)));
  const strong = table.rows.map((row, i) => table.strong?.(row, i) ?? false);
  const fontOf = (i: number) => (strong[i] ? fonts.bold : fonts.regular);
  const heights = rows.map((texts, i) => cellHeight(texts, fontOf(i), table.minRowHeight));
  let y = table.top + headerHeight + (heights[0] ?? 0) > bottom ? nextPage() : drawHeader(table.top);
  rows.forEach((texts, i) => {
    const h = heights[i] ?? 0;
    if (y + h > bottom) y = nextPage();
    const fill = strong[i] ? tableColors.header : i % 2 === 1 ? tableColors.zebra : null;
    drawRow(texts, y, h, fontOf(i), fill);
    y += h;
  });
  return y;
}

/**
 * Writes `text` and "Page n / total" at the foot of every page, once the page count is known (the
 * document must have been made with `bufferPages`). `bottomMargin` is the pages' bottom margin:
 * the footer goes in it.
 */
export function drawPageFooters(
  doc: PDFKit.PDFDocument,
  text: string,
  layout: { left: number; width: number; bottomMargin: number },
): void {
  const { left, width, bottomMargin } = layout;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The bottom margin is lifted while writing, or pdfkit would take text below it as overflow
    // and open a new page.
    doc.page.margins.bottom = 0;
    const fy = doc.page.height - bottomMargin + 18;
    doc
      .moveTo(left, fy - 6)
      .lineTo(left + width, fy - 6)
      .lineWidth(0.5)
      .strokeColor(tableColors.rule)
      .stroke();
    doc.font(fonts.regular).fontSize(8).fillColor(pdfColors.muted);
    doc.text(text, left, fy, { width: width - 70 });
    doc.text(`Page ${i - range.start + 1} / ${range.count}`, left + width - 70, fy, {
      width: 70,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottomMargin;
  }
}
