// Reading the PDFs the app makes (attestations, feuilles d'émargement) in tests, with npm packages
// only: pdf.js (pdfjs-dist, legacy build for Node) for the text, the pages and their size, and the
// images drawn on them; jsQR to read a QR code from an image's pixels, as a phone would. `npm test`
// needs nothing installed on the machine (no poppler).
// NOTE: pdf.js loads @napi-rs/canvas (its optional dependency, a prebuilt binary shipped in an npm
// package) when present. Reading text and images never needs it; only renderPdfPage() does, and
// only browser tests call it (to look at a PDF as a picture).
import jsQR from 'jsqr';
import { getDocument, OPS, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A4 in PostScript points (210 × 297 mm). */
export const A4 = { width: 595.28, height: 841.89 } as const;

export interface PdfPage {
  /** Size in points. */
  width: number;
  height: number;
  /**
   * The page's text line by line, top to bottom, as a reader sees it: what shares a baseline is
   * one line, left to right (table cells side by side), with two spaces where a column gap is.
   */
  lines: string[];
  /** `lines` joined with line breaks. */
  text: string;
}

export interface PdfReading {
  pages: PdfPage[];
  /**
   * Every page's text in drawing order (a wrapped paragraph or table cell stays whole), any run of
   * whitespace (line breaks, no-break spaces) as one space.
   */
  text: string;
}

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

async function open(pdf: Uint8Array): Promise<PDFDocumentProxy> {
  // A copy: pdf.js transfers (detaches) the buffer it is given.
  return getDocument({
    data: new Uint8Array(pdf),
    verbosity: 0,
    useSystemFonts: false,
    isEvalSupported: false,
    // Images as plain pixel arrays rather than bitmaps, which Node has not.
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
  }).promise;
}

async function withDocument<T>(pdf: Uint8Array, read: (doc: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const doc = await open(pdf);
  try {
    return await read(doc);
  } finally {
    await doc.destroy();
  }
}

async function pageItems(page: PDFPageProxy): Promise<Item[]> {
  const content = await page.getTextContent();
  const items: Item[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const [a = 0, b = 0, , , x = 0, y = 0] = item.transform as number[];
    items.push({ str: item.str, x, y, width: item.width, size: Math.hypot(a, b) || item.height });
  }
  return items;
}

/** '' when `next` starts where `prev` ends on the same baseline (one word cut in two), else a space. */
function separator(prev: Item, next: Item): string {
  const sameLine = Math.abs(prev.y - next.y) < prev.size * 0.3;
  const gap = next.x - (prev.x + prev.width);
  if (sameLine && gap > -prev.size * 0.2 && gap < prev.size * 0.1) return '';
  return sameLine && gap > prev.size ? '  ' : ' ';
}

function joinItems(items: Item[]): string {
  return items.map((item, i) => (i === 0 ? '' : separator(items[i - 1]!, item)) + item.str).join('');
}

function visualLines(items: Item[]): string[] {
  const lines: Item[][] = [];
  for (const item of [...items].sort((p, q) => q.y - p.y || p.x - q.x)) {
    const line = lines.at(-1);
    if (line && Math.abs(line[0]!.y - item.y) < Math.min(line[0]!.size, item.size) * 0.3) line.push(item);
    else lines.push([item]);
  }
  return lines.map((line) => joinItems(line.sort((p, q) => p.x - q.x)).replaceAll('\u00a0', ' '));
}

/** The text and size of every page of a PDF. */
export async function readPdf(pdf: Uint8Array): Promise<PdfReading> {
  return withDocument(pdf, async (doc) => {
    const pages: PdfPage[] = [];
    const flow: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
      const items = await pageItems(page);
      const lines = visualLines(items);
      pages.push({ width: x1 - x0, height: y1 - y0, lines, text: lines.join('\n') });
      flow.push(joinItems(items));
    }
    return { pages, text: flow.join(' ').replace(/\s+/g, ' ').trim() };
  });
}

export interface PdfImage {
  /** 1-based page number. */
  page: number;
  /** Pixels of the image as stored. */
  width: number;
  height: number;
  /** Its pixels, 4 bytes (RGBA) each, row by row. */
  rgba: Uint8ClampedArray;
  /** The size it is drawn at on the page, in points (1/72 inch). */
  drawnWidth: number;
  drawnHeight: number;
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

// pdf.js's ImageKind: 1 bit per pixel (1 = white), RGB, RGBA.
const GRAYSCALE_1BPP = 1;
const RGB_24BPP = 2;

interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

function toRgba(image: DecodedImage): Uint8ClampedArray {
  const { width, height, kind, data } = image;
  const out = new Uint8ClampedArray(width * height * 4);
  const rowBytes = Math.ceil(width / 8);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (kind === GRAYSCALE_1BPP) {
        const white = ((data[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
        out.fill(white ? 255 : 0, p * 4, p * 4 + 3);
      } else {
        const channels = kind === RGB_24BPP ? 3 : 4;
        for (let c = 0; c < 3; c++) out[p * 4 + c] = data[p * channels + c] ?? 0;
      }
      out[p * 4 + 3] = 255;
    }
  }
  return out;
}

/** The raster images drawn on every page, with their pixels and the size they are drawn at. */
export async function pdfImages(pdf: Uint8Array): Promise<PdfImage[]> {
  return withDocument(pdf, async (doc) => {
    const images: PdfImage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const ops = await page.getOperatorList();
      // The current transformation matrix, followed through save/restore, gives the drawn size:
      // an image is a 1 × 1 square in its own space.
      let ctm: Matrix = [1, 0, 0, 1, 0, 0];
      const saved: Matrix[] = [];
      for (let i = 0; i < ops.fnArray.length; i++) {
        const fn = ops.fnArray[i];
        const args = ops.argsArray[i] as unknown[];
        if (fn === OPS.save) saved.push(ctm);
        else if (fn === OPS.restore) ctm = saved.pop() ?? ctm;
        else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
        else if (fn === OPS.paintImageXObject) {
          const name = String(args[0]);
          const objs = name.startsWith('g_') ? page.commonObjs : page.objs;
          const decoded = objs.get(name) as DecodedImage;
          images.push({
            page: n,
            width: decoded.width,
            height: decoded.height,
            rgba: toRgba(decoded),
            drawnWidth: Math.hypot(ctm[0], ctm[1]),
            drawnHeight: Math.hypot(ctm[2], ctm[3]),
          });
        }
      }
    }
    return images;
  });
}

/** What a QR code scanner reads in the image, or null when it finds no code. */
export function readQrCode(image: Pick<PdfImage, 'rgba' | 'width' | 'height'>): string | null {
  return jsQR(image.rgba, image.width, image.height)?.data ?? null;
}

/** Points to centimetres. */
export const cm = (points: number): number => (points / 72) * 2.54;

/**
 * One page drawn to a PNG, to look at (browser tests' screenshots). Needs @napi-rs/canvas, which
 * npm installs with pdfjs-dist; `npm test` never calls it.
 */
export async function renderPdfPage(pdf: Uint8Array, pageNumber = 1, scale = 1): Promise<Buffer> {
  return withDocument(pdf, async (doc) => {
    const page = await doc.getPage(pageNumber);
    const viewport = page.getViewport({ scale });
    // pdf.js's Node canvas factory makes @napi-rs/canvas canvases; DOM types are not in this
    // project's lib, hence the narrow casts.
    const factory = doc.canvasFactory as {
      create(width: number, height: number): { canvas: { toBuffer(type: 'image/png'): Buffer } };
    };
    const { canvas } = factory.create(viewport.width, viewport.height);
    await page.render({ canvas: canvas as never, viewport }).promise;
    return canvas.toBuffer('image/png');
  });
}
