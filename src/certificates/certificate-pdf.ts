// The attestation de formation as a PDF: one A4 page in French that a member hands to a funder, an
// employer or a town hall, who checks it with the QR code or the code printed at the bottom.
// A pure function of the certificate's snapshot (what was true when it was issued), its code and
// its verification link: loading them belongs to the caller.
import QRCode from 'qrcode';
import type { CertificateSnapshot } from '../db/schema.ts';
import { createPdfDocument, drawLetterhead, fonts, loadPdfkit, pdfColors, pdfToBuffer } from '../lib/pdf.ts';
import { fileSlug, searchable } from '../lib/text.ts';
import { monoFont, useSharedFonts } from './certificate-fonts.ts';

export interface CertificatePdfInput {
  snapshot: CertificateSnapshot;
  /** The short human-typable code, e.g. `K7QM-3XPA-9T2D-WE4H`. */
  code: string;
  /** The public verification page, e.g. `https://passerelle.forim.net/verify/K7QM-3XPA-9T2D-WE4H`. */
  verifyUrl: string;
}

// French typography: a no-break space inside « » and before ":" and in "13 novembre 2026".
const nbsp = '\u00a0';

// ---------------------------------------------------------------------------------------------
// Words and numbers

const months = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** "13 novembre 2026", "1er mars 2027" from `YYYY-MM-DD` (a time after it is ignored). */
function frenchDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  const month = m ? months[Number(m[2]) - 1] : undefined;
  if (!m || !month) return iso;
  const day = Number(m[3]);
  return [day === 1 ? '1er' : String(day), month, m[1]].join(nbsp);
}

const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** "24 heures de formation", "1,5 heure de formation" */
function hoursLabel(hours: number): string {
  return `${decimal.format(hours)}${nbsp}${Math.abs(hours) < 2 ? 'heure' : 'heures'} de formation`;
}

function more(hidden: number): string {
  return hidden === 1 ? '… et 1 autre' : `… et ${hidden} autres`;
}

/** The cycle, and its collective unless the cycle's name already says it. */
function cycleLabel(s: CertificateSnapshot): string {
  // A short name is kept on one line rather than broken after "Cycle 2026 —".
  const name = s.cycleName.length <= 48 ? s.cycleName.replace(/ /g, nbsp) : s.cycleName;
  const cycle = `«${nbsp}${name}${nbsp}»`;
  const collective = s.collectiveName?.trim();
  if (!collective || searchable(s.cycleName).includes(searchable(collective))) return cycle;
  return `${cycle} (${collective})`;
}

// ---------------------------------------------------------------------------------------------
// File name

const slug = (value: string) => fileSlug(value, 40);

/** "attestation-aissatou-ndiaye-lefevre-cycle-2026-cosim-bretagne.pdf": ASCII, header-safe. */
export function certificateFileName(snapshot: CertificateSnapshot): string {
  return `${['attestation', slug(snapshot.name), slug(snapshot.cycleName)].filter(Boolean).join('-')}.pdf`;
}

// ---------------------------------------------------------------------------------------------
// QR code

// Grayscale without alpha, so that pdfkit copies the PNG's data as is instead of splitting an
// alpha channel; the "up" filter suits a scaled QR code, whose rows repeat. 5 pixels per module.
const qrOptions = {
  type: 'png',
  errorCorrectionLevel: 'M',
  margin: 0,
  scale: 5,
  rendererOpts: { colorType: 0, filterType: 2, deflateLevel: 6 },
} as const;

const qrCache = new Map<string, Buffer>();
const qrCacheSize = 256;

/** The PNG of the QR code of `url`; the last ones are kept, a certificate being downloaded again. */
async function qrPng(url: string): Promise<Buffer> {
  const hit = qrCache.get(url);
  if (hit) return hit;
  const { rendererOpts, ...options } = qrOptions;
  const png = await QRCode.toBuffer(url, { ...options, rendererOpts: { ...rendererOpts } });
  qrCache.set(url, png);
  if (qrCache.size > qrCacheSize) {
    const oldest = qrCache.keys().next().value;
    if (oldest !== undefined) qrCache.delete(oldest);
  }
  return png;
}

// ---------------------------------------------------------------------------------------------
// PDF

const margin = { top: 48, bottom: 48, left: 56, right: 56 };
const { ink, muted } = pdfColors;
const rule = '#8c8c8c';

/** About 3 cm: a phone reads it from arm's length, the print keeps it sharp. */
const qrSize = 85;
const columnGap = 26;

const listFontSize = 9.5;
const itemGap = 2.5;
const headingFontSize = 10.5;
const headingHeight = 21;
const listGap = 16;
/** A longer title is cut with an ellipsis. */
const maxItemLines = 3;

interface Item {
  /** A short first column: a skill's code, a séance's date. */
  lead?: string;
  text: string;
}

interface List {
  heading: string;
  items: Item[];
  empty: string;
  /** Whether the lead is a code (bold, muted) or a date. */
  leadStyle: 'code' | 'date';
  column: 0 | 1;
  leadWidth: number;
  heights: number[];
  /** How many lines it shows, the "… et N autres" line included. */
  cap: number;
}

/** The PDF given to the member: always exactly one A4 page. */
export async function certificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  const { snapshot: s, code, verifyUrl } = input;
  await loadPdfkit();
  const qr = await qrPng(verifyUrl);

  const doc = createPdfDocument({
    title: `Attestation de formation — ${s.name} — ${s.cycleName}`,
    subject: `Attestation de formation délivrée par le FORIM, code ${code}`,
    keywords: 'attestation, formation, FORIM, Passerelle',
    margins: margin,
  });
  useSharedFonts(doc);
  const pageHeight = doc.page.height;
  const left = margin.left;
  const width = doc.page.width - margin.left - margin.right;
  // Everything is placed by hand to fit on the page: nothing may make pdfkit open another one.
  doc.page.margins.bottom = 0;
  const bottom = pageHeight - margin.bottom;

  // Letterhead
  const ruleY = drawLetterhead(doc, left, margin.top, width);

  // Title and the attestation itself, centred
  doc
    .fillColor(ink)
    .font(fonts.bold)
    .fontSize(24)
    .text('Attestation de formation', left, ruleY + 34, { width, align: 'center' });
  const flourishY = doc.y + 8;
  doc
    .moveTo(left + width / 2 - 28, flourishY)
    .lineTo(left + width / 2 + 28, flourishY)
    .lineWidth(1.5)
    .strokeColor(ink)
    .stroke();

  doc
    .font(fonts.regular)
    .fontSize(11.5)
    .text('Le FORIM atteste que', left, flourishY + 22, { width, align: 'center' });
  doc.font(fonts.bold).fontSize(20);
  const oneLine = doc.currentLineHeight(true);
  if (doc.heightOfString(s.name, { width }) > 2 * oneLine) doc.fontSize(16);
  doc.text(s.name, left, doc.y + 8, {
    width,
    align: 'center',
    height: 3 * doc.currentLineHeight(true),
    ellipsis: true,
  });
  doc.font(fonts.regular).fontSize(11.5);
  const statement =
    `a suivi le cycle de formation et d’échange entre pairs ${cycleLabel(s)}, ` +
    `soit ${hoursLabel(s.hours)}.`;
  doc.text(statement, left, doc.y + 8, {
    width,
    align: 'center',
    lineGap: 2,
    height: 4 * (doc.currentLineHeight(true) + 2),
    ellipsis: true,
  });
  const listsTop = doc.y + 26;

  // From the bottom up: the verification box, then who issued the attestation and when.
  const boxPad = 12;
  const boxHeight = qrSize + 2 * boxPad;
  const boxTop = bottom - boxHeight;

  const issue: Array<{ text: string; font: string; lines: number }> = [
    { text: `Fait le ${frenchDate(s.issuedOn)}.`, font: fonts.regular, lines: 1 },
    { text: `Délivrée par ${s.issuer} pour le FORIM.`, font: fonts.regular, lines: 2 },
  ];
  if (s.reason?.trim()) {
    issue.push({ text: `Délivrée manuellement${nbsp}: ${s.reason.trim()}`, font: fonts.regular, lines: 3 });
  }
  doc.fontSize(10);
  const issueLine = doc.currentLineHeight(true) + 1;
  const issueHeights = issue.map((part) => {
    doc.font(part.font);
    return Math.min(doc.heightOfString(part.text, { width, lineGap: 1 }), part.lines * issueLine);
  });
  const issueHeight = issueHeights.reduce((sum, h) => sum + h + 3, 0);
  const lowestIssueTop = boxTop - 18 - issueHeight;

  // The lists, in two columns: modules and séances on the left, skills on the right.
  const columnWidth = (width - columnGap) / 2;
  const gatherings = [...s.gatherings].sort((a, b) => a.date.localeCompare(b.date));
  const lists: List[] = [
    {
      heading: `Modules suivis (${s.courses.length})`,
      items: s.courses.map((c) => ({ text: c.title })),
      empty: 'Aucun module en ligne.',
      leadStyle: 'code',
      column: 0,
      leadWidth: 0,
      heights: [],
      cap: 0,
    },
    {
      heading: `Séances collectives suivies (${gatherings.length})`,
      items: gatherings.map((g) => ({ lead: frenchDate(g.date), text: g.title })),
      empty: 'Aucune séance collective.',
      leadStyle: 'date',
      column: 0,
      leadWidth: 0,
      heights: [],
      cap: 0,
    },
    {
      heading: `Compétences acquises (${s.skills.length})`,
      items: s.skills.map((k) => ({ lead: k.code, text: k.title })),
      empty: 'Aucune compétence.',
      leadStyle: 'code',
      column: 1,
      leadWidth: 0,
      heights: [],
      cap: 0,
    },
  ];

  const leadFont = (list: List) => (list.leadStyle === 'code' ? fonts.bold : fonts.regular);
  const leadSize = (list: List) => (list.leadStyle === 'code' ? 8.5 : listFontSize);
  doc.fontSize(listFontSize);
  const listLine = doc.font(fonts.regular).currentLineHeight(true);
  for (const list of lists) {
    if (list.items.some((item) => item.lead)) {
      doc.font(leadFont(list)).fontSize(leadSize(list));
      const widest = Math.max(...list.items.map((item) => doc.widthOfString(item.lead ?? '')));
      list.leadWidth = Math.min(widest + 8, columnWidth / 2);
    } else {
      list.leadWidth = 10; // the bullet
    }
    doc.font(fonts.regular).fontSize(listFontSize);
    const textWidth = columnWidth - list.leadWidth;
    list.heights = list.items.map(
      (item) =>
        Math.min(doc.heightOfString(item.text, { width: textWidth }), maxItemLines * listLine) + itemGap,
    );
    list.cap = Math.max(list.items.length, 1);
  }

  // Shorten the longest lists of the taller column until both columns fit.
  const shown = (list: List) => (list.items.length <= list.cap ? list.items.length : list.cap - 1);
  const listHeight = (list: List) => {
    if (list.items.length === 0) return headingHeight + listLine;
    let h = headingHeight;
    for (let i = 0; i < shown(list); i++) h += list.heights[i] ?? 0;
    return list.items.length > list.cap ? h + listLine + itemGap : h;
  };
  const columnHeight = (column: 0 | 1) => {
    const parts = lists.filter((l) => l.column === column);
    return parts.reduce((sum, l) => sum + listHeight(l), 0) + listGap * (parts.length - 1);
  };
  const available = lowestIssueTop - 16 - listsTop;
  for (;;) {
    const heights = [columnHeight(0), columnHeight(1)] as const;
    const taller = heights[0] >= heights[1] ? 0 : 1;
    if (heights[taller] <= available) break;
    const candidates = lists.filter((l) => l.column === taller && l.cap > 1);
    if (candidates.length === 0) break;
    const longest = candidates.reduce((a, b) => (shown(b) > shown(a) ? b : a));
    longest.cap -= 1;
  }

  let listsBottom = listsTop;
  for (const column of [0, 1] as const) {
    const x = left + column * (columnWidth + columnGap);
    let y = listsTop;
    for (const list of lists.filter((l) => l.column === column)) {
      doc
        .font(fonts.bold)
        .fontSize(headingFontSize)
        .fillColor(ink)
        .text(list.heading, x, y, { width: columnWidth, lineBreak: false, ellipsis: true });
      doc
        .moveTo(x, y + headingHeight - 7)
        .lineTo(x + columnWidth, y + headingHeight - 7)
        .lineWidth(0.5)
        .strokeColor(rule)
        .stroke();
      y += headingHeight;
      const textWidth = columnWidth - list.leadWidth;
      if (list.items.length === 0) {
        doc.font(fonts.regular).fontSize(listFontSize).fillColor(muted).text(list.empty, x, y, {
          width: columnWidth,
          lineBreak: false,
        });
        y += listLine;
      }
      for (let i = 0; i < shown(list); i++) {
        const item = list.items[i];
        if (!item) continue;
        if (item.lead) {
          // Set on the first line's baseline whatever the lead's size.
          const lift = list.leadStyle === 'code' ? 0.9 : 0;
          doc
            .font(leadFont(list))
            .fontSize(leadSize(list))
            .fillColor(list.leadStyle === 'code' ? muted : ink)
            .text(item.lead, x, y + lift, { width: list.leadWidth - 4, lineBreak: false, ellipsis: true });
        } else {
          doc
            .font(fonts.regular)
            .fontSize(listFontSize)
            .fillColor(muted)
            .text('•', x + 1, y, {
              lineBreak: false,
            });
        }
        doc
          .font(fonts.regular)
          .fontSize(listFontSize)
          .fillColor(ink)
          .text(item.text, x + list.leadWidth, y, {
            width: textWidth,
            height: maxItemLines * listLine,
            ellipsis: true,
          });
        y += list.heights[i] ?? 0;
      }
      if (list.items.length > list.cap) {
        doc
          .font(fonts.regular)
          .fontSize(listFontSize)
          .fillColor(muted)
          .text(more(list.items.length - shown(list)), x + list.leadWidth, y, {
            width: textWidth,
            lineBreak: false,
          });
        y += listLine + itemGap;
      }
      listsBottom = Math.max(listsBottom, y);
      y += listGap;
    }
  }

  // Issued when, by whom, and why by hand: after the lists, the free space above the box.
  let y = Math.min(listsBottom + 24, lowestIssueTop);
  doc.fontSize(10).fillColor(ink);
  issue.forEach((part, i) => {
    doc.font(part.font).text(part.text, left, y, {
      width,
      lineGap: 1,
      height: part.lines * issueLine,
      ellipsis: true,
    });
    y += (issueHeights[i] ?? 0) + 3;
  });

  // Verification: the QR code, the code, and where to check it
  doc.rect(left, boxTop, width, boxHeight).lineWidth(0.75).strokeColor(rule).stroke();
  const qrX = left + boxPad;
  const qrY = boxTop + boxPad;
  doc.image(qr, qrX, qrY, { width: qrSize, height: qrSize });
  doc.link(qrX, qrY, qrSize, qrSize, verifyUrl);

  const textX = qrX + qrSize + 20;
  const textWidth = left + width - boxPad - textX;
  // The link on a line of its own, so that it is never broken at a "/" and copies whole.
  doc.font(fonts.regular).fontSize(9);
  const urlSize = Math.max(6, Math.min(9, (9 * textWidth) / doc.widthOfString(verifyUrl)));
  const lineHeight = doc.currentLineHeight(true) + 1.5;
  const blockHeight = 12 + 29 + 3 * lineHeight;
  let ty = boxTop + (boxHeight - blockHeight) / 2;
  doc
    .font(fonts.bold)
    .fontSize(8.5)
    .fillColor(muted)
    .text('Code de vérification', textX, ty, { width: textWidth, lineBreak: false });
  ty += 12;
  doc
    .font(monoFont)
    .fontSize(19)
    .fillColor(ink)
    .text(code, textX, ty, { width: textWidth, lineBreak: false, characterSpacing: 0.5 });
  ty += 29;
  doc.font(fonts.regular).fontSize(9).text('Vérifiez cette attestation sur', textX, ty, { lineBreak: false });
  ty += lineHeight;
  doc.fontSize(urlSize).text(verifyUrl, textX, ty + (9 - urlSize) / 2, { lineBreak: false, link: verifyUrl });
  ty += lineHeight;
  doc.fontSize(9).text('ou en scannant le code QR.', textX, ty, { lineBreak: false });

  return pdfToBuffer(doc);
}
