// The feuilles d'émargement of a séance, the documents a funder asks for as proof of attendance:
// - the sign-in sheet (`SignInSheet`), printed before the séance: the confirmed sign-ups in name
//   order with an empty signature column and blank rows for walk-ins, signed by hand on the day;
// - the attendance sheet of a closed roll call (`AttendanceSheet`): a PDF with each person's
//   status to print or attach to a report, and a CSV to filter in a spreadsheet.
// Both PDFs share one layout (letterhead, the séance's facts, one table drawer, page footers).
// Pure functions of the sheets: loading them from the database belongs to the caller.

import { spreadsheetCsv } from '../lib/csv.ts';
import {
  createPdfDocument,
  drawLetterhead,
  drawPageFooters,
  drawTable,
  fonts,
  loadPdfkit,
  type PdfColumn,
  pdfColors,
  pdfToBuffer,
} from '../lib/pdf.ts';
import { fileSlug } from '../lib/text.ts';
import {
  frenchNumericDate,
  frenchTime,
  isoDay,
  type LocalParts,
  localParts,
  nbsp,
  whenLabel,
} from './sheet-dates.ts';

export interface AttendanceSheet {
  gathering: {
    title: string;
    cycleName: string;
    collectiveName: string | null;
    /** UTC instants; shown in `timeZone`, the IANA zone where the séance takes place. */
    startsAt: Date;
    endsAt: Date;
    timeZone: string;
    mode: 'in_person' | 'online' | 'hybrid';
    placeName: string;
    address: string;
    town: string;
    placeInQpv: boolean;
    videoUrl: string;
  };
  trainer: { name: string };
  rows: Array<{
    name: string;
    organization: string;
    status: 'present' | 'absent' | 'excused';
    walkIn: boolean;
  }>;
  closedAt: Date;
  closedBy: string;
}

/** The sheet printed before the séance, to be signed by hand. */
export interface SignInSheet {
  gathering: AttendanceSheet['gathering'];
  trainer: { name: string };
  /** The confirmed sign-ups, in name order. */
  people: Array<{ name: string; organization: string }>;
  /** When it was made, printed in the footer (a sheet printed early may miss late sign-ups). */
  printedAt: Date;
}

/** Empty rows at the end of a sign-in sheet, for people who come without signing up. */
export const SIGN_IN_BLANK_ROWS = 5;

type Status = AttendanceSheet['rows'][number]['status'];

const statusLabel: Record<Status, string> = {
  present: 'Présent·e',
  absent: 'Absent·e',
  excused: 'Excusé·e',
};

const walkInLabel = 'venu·e sans inscription';

function printedLabel(sheet: SignInSheet): string {
  const p = localParts(sheet.printedAt, sheet.gathering.timeZone);
  return `Liste des inscrit·es au ${frenchNumericDate(p)} à ${frenchTime(p)} — éditée avec Passerelle`;
}

function closedLabel(sheet: AttendanceSheet): string {
  const p = localParts(sheet.closedAt, sheet.gathering.timeZone);
  return `Feuille close le ${frenchNumericDate(p)} à ${frenchTime(p)} par ${sheet.closedBy} — éditée avec Passerelle`;
}

// ---------------------------------------------------------------------------------------------
// Facts shared by both formats

function hasPlace(g: AttendanceSheet['gathering']): boolean {
  return g.mode !== 'online';
}

function placeLine(g: AttendanceSheet['gathering']): string {
  return [g.placeName, g.address, g.town].filter((s) => s.trim() !== '').join(', ');
}

function presenceLabel(row: AttendanceSheet['rows'][number]): string {
  return row.walkIn ? `${statusLabel[row.status]} — ${walkInLabel}` : statusLabel[row.status];
}

function totals(sheet: AttendanceSheet) {
  const count = (status: Status) => sheet.rows.filter((r) => r.status === status).length;
  return {
    registered: sheet.rows.filter((r) => !r.walkIn).length,
    present: count('present'),
    walkIns: sheet.rows.filter((r) => r.walkIn && r.status === 'present').length,
    absent: count('absent'),
    excused: count('excused'),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

const csvColumns = [
  'Séance',
  'Date',
  'Début',
  'Fin',
  'Fuseau',
  'Lieu',
  'Ville',
  'QPV',
  'Formateur·rice',
  'Nom',
  'Association',
  'Présence',
  'Sans inscription',
];

/** One line per person, the séance's facts repeated so the file can be filtered and merged. */
export function attendanceCsv(sheet: AttendanceSheet): string {
  const g = sheet.gathering;
  const start = localParts(g.startsAt, g.timeZone);
  const end = localParts(g.endsAt, g.timeZone);
  const place =
    g.mode === 'online'
      ? 'En ligne'
      : [g.placeName, g.address].filter((s) => s.trim() !== '').join(', ') +
        (g.mode === 'hybrid' ? ' (et en ligne)' : '');
  const hhmm = (p: LocalParts) => `${p.hour}:${p.minute}`;
  const facts = [
    g.title,
    frenchNumericDate(start),
    hhmm(start),
    hhmm(end),
    g.timeZone,
    place,
    hasPlace(g) ? g.town : '',
    hasPlace(g) && g.placeInQpv ? 'oui' : 'non',
    sheet.trainer.name,
  ];
  return spreadsheetCsv(
    csvColumns,
    sheet.rows.map((row) => [
      ...facts,
      row.name,
      row.organization,
      statusLabel[row.status],
      row.walkIn ? 'oui' : 'non',
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// File name

function fileName(prefix: string, g: AttendanceSheet['gathering'], ext: string): string {
  const day = isoDay(localParts(g.startsAt, g.timeZone));
  const slug = fileSlug(g.title);
  return `${prefix}-${day}${slug ? `-${slug}` : ''}.${ext}`;
}

/** "emargement-2026-03-26-atelier-budget.pdf": ASCII, safe in a Content-Disposition header. */
export function attendanceFileName(sheet: AttendanceSheet, ext: 'pdf' | 'csv'): string {
  return fileName('emargement', sheet.gathering, ext);
}

/** "emargement-a-signer-2026-03-26-atelier-budget.pdf" */
export function signInSheetFileName(sheet: SignInSheet): string {
  return fileName('emargement-a-signer', sheet.gathering, 'pdf');
}

// ---------------------------------------------------------------------------------------------
// PDF

const margin = { top: 48, bottom: 64, left: 50, right: 50 };
const { ink, muted, rule } = pdfColors;
const tableFontSize = 9;

type Row = AttendanceSheet['rows'][number];

const attendanceColumns: PdfColumn<Row>[] = [
  { title: 'N°', width: 32, align: 'right', value: (_row, i) => String(i + 1) },
  { title: 'Nom et prénom', width: 168, align: 'left', value: (row) => row.name },
  { title: 'Association (OSIM)', width: 168, align: 'left', value: (row) => row.organization },
  { title: 'Présence', width: 127, align: 'left', value: presenceLabel },
];

// The signature column takes what the others leave (about 6.5 cm), and every row is at least
// 30 pt (about 1 cm) high: room for a signature.
type SignInRow = SignInSheet['people'][number] | null;
const signInColumns: PdfColumn<SignInRow>[] = [
  { title: 'N°', width: 28, align: 'right', value: (_row, i) => String(i + 1) },
  { title: 'Nom et prénom', width: 150, align: 'left', value: (row) => row?.name ?? '' },
  { title: 'Association (OSIM)', width: 132, align: 'left', value: (row) => row?.organization ?? '' },
  { title: 'Signature', width: 185, align: 'left', value: () => '' },
];
const signInRowHeight = 30;

/**
 * A new document with FORIM's letterhead, the sheet's heading and the séance's facts (cycle,
 * collective, date in the séance's zone, place or visio, facilitator). Returns the document, the
 * content width, the y under the facts, and how to open a continuation page.
 */
function sheetDocument(
  sheet: { gathering: AttendanceSheet['gathering']; trainer: { name: string } },
  heading: string,
) {
  const g = sheet.gathering;
  const date = frenchNumericDate(localParts(g.startsAt, g.timeZone));
  const doc = createPdfDocument({
    title: `${heading} — ${g.title} — ${date}`,
    subject: `Émargement de la séance «${nbsp}${g.title}${nbsp}» — ${g.cycleName}`,
    keywords: 'émargement, FORIM, Passerelle',
    margins: margin,
    bufferPages: true,
  });
  const left = margin.left;
  const width = doc.page.width - margin.left - margin.right;

  const ruleY = drawLetterhead(doc, left, margin.top, width);
  doc
    .fillColor(ink)
    .font(fonts.bold)
    .fontSize(20)
    .text(heading, left, ruleY + 14, { width });
  doc.moveDown(0.15).fontSize(13).text(g.title, { width });
  doc.moveDown(0.8);

  // The séance's facts, as label / value lines
  const facts: Array<[string, string]> = [['Cycle', g.cycleName]];
  if (g.collectiveName) facts.push(['Collectif', g.collectiveName]);
  facts.push(['Date', whenLabel(g)]);
  const place = placeLine(g) + (g.placeInQpv ? '\nLieu situé en quartier prioritaire (QPV)' : '');
  if (g.mode === 'in_person') facts.push(['Lieu', place]);
  if (g.mode === 'online') facts.push(['Lieu', g.videoUrl ? `En ligne${nbsp}: ${g.videoUrl}` : 'En ligne']);
  if (g.mode === 'hybrid') facts.push(['Sur place', place], ['En ligne', g.videoUrl || 'oui']);
  facts.push(['Formateur·rice', sheet.trainer.name]);

  const labelWidth = 104;
  doc.fontSize(10);
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font(fonts.bold).fillColor(muted).text(label, left, y, { width: labelWidth, lineBreak: false });
    doc
      .font(fonts.regular)
      .fillColor(ink)
      .text(value, left + labelWidth, y, { width: width - labelWidth });
    doc.moveDown(0.35);
  }

  const continuation = `${heading} — ${g.title} — ${date} (suite)`;
  const newPage = () => {
    doc.addPage();
    doc
      .font(fonts.bold)
      .fontSize(9)
      .fillColor(muted)
      .text(continuation, left, margin.top, { width, lineBreak: false, ellipsis: true });
    return margin.top + 20;
  };
  return { doc, left, width, y: doc.y, bottom: doc.page.height - margin.bottom, newPage };
}

/** The PDF a funder files: one header, a table that runs over as many A4 pages as needed. */
export async function attendancePdf(sheet: AttendanceSheet): Promise<Buffer> {
  await loadPdfkit();
  const { doc, left, width, y: factsEnd, bottom, newPage } = sheetDocument(sheet, 'Feuille d’émargement');

  // Totals, in a boxed row of four figures, so that what a funder looks for is on the first page
  const t = totals(sheet);
  const figures: Array<[string, string, string]> = [
    ['Inscrit·es', String(t.registered), ''],
    ['Présent·es', String(t.present), t.walkIns ? `dont ${t.walkIns} sans inscription` : ''],
    ['Absent·es', String(t.absent), ''],
    ['Excusé·es', String(t.excused), ''],
  ];
  const boxY = factsEnd + 8;
  const boxH = 52;
  const cellW = width / figures.length;
  doc.rect(left, boxY, width, boxH).lineWidth(0.75).strokeColor(rule).stroke();
  figures.forEach(([label, n, note], i) => {
    const cx = left + i * cellW;
    if (i > 0) {
      doc
        .moveTo(cx, boxY + 8)
        .lineTo(cx, boxY + boxH - 8)
        .lineWidth(0.5)
        .stroke();
    }
    const opts = { width: cellW, align: 'center', lineBreak: false } as const;
    doc
      .font(fonts.regular)
      .fontSize(9)
      .fillColor(muted)
      .text(label, cx, boxY + 7, opts);
    doc
      .font(fonts.bold)
      .fontSize(15)
      .fillColor(ink)
      .text(n, cx, boxY + 19, opts);
    if (note)
      doc
        .font(fonts.regular)
        .fontSize(7.5)
        .fillColor(muted)
        .text(note, cx, boxY + 38, opts);
  });

  const y = drawTable(doc, {
    columns: attendanceColumns,
    rows: sheet.rows,
    left,
    top: boxY + boxH + 18,
    bottom,
    fontSize: tableFontSize,
    newPage,
  });
  if (sheet.rows.length === 0) {
    doc
      .font(fonts.regular)
      .fillColor(muted)
      .text('Aucune personne inscrite.', left, y + 6, { width });
  }

  drawPageFooters(doc, closedLabel(sheet), { left, width, bottomMargin: margin.bottom });
  return pdfToBuffer(doc);
}

/**
 * The sheet printed before the séance and signed by hand: the confirmed sign-ups in name order,
 * an empty signature column, blank rows for walk-ins, and the facilitator's attestation.
 */
export async function signInSheetPdf(sheet: SignInSheet): Promise<Buffer> {
  await loadPdfkit();
  const { doc, left, width, y: factsEnd, bottom, newPage } = sheetDocument(sheet, 'Feuille d’émargement');

  const n = sheet.people.length;
  doc
    .font(fonts.regular)
    .fontSize(9.5)
    .fillColor(ink)
    .text(
      `${n === 0 ? 'Aucune personne inscrite' : n === 1 ? '1 personne inscrite' : `${n} personnes inscrites`}. ` +
        'Chaque personne présente signe en face de son nom. Une personne venue sans inscription écrit ' +
        'son nom et son association sur une ligne vide, en fin de liste, et signe.',
      left,
      factsEnd + 8,
      { width },
    );

  const rows: SignInRow[] = [...sheet.people, ...Array.from({ length: SIGN_IN_BLANK_ROWS }, () => null)];
  let y = drawTable(doc, {
    columns: signInColumns,
    rows,
    left,
    top: doc.y + 12,
    bottom,
    fontSize: tableFontSize,
    minRowHeight: signInRowHeight,
    newPage,
  });

  // The facilitator's attestation, kept whole on one page.
  const blockHeight = 70;
  if (y + 16 + blockHeight > bottom) y = newPage();
  else y += 16;
  const half = (width - 20) / 2;
  doc.font(fonts.regular).fontSize(9.5).fillColor(ink);
  doc.text('Nombre de personnes présentes :', left, y, { width: half });
  const countEnd = doc.y;
  doc.text(`Signature de ${sheet.trainer.name || 'la formatrice ou du formateur'} :`, left + half + 20, y, {
    width: half,
  });
  const boxTop = Math.max(countEnd, doc.y) + 4;
  doc.lineWidth(0.5).strokeColor(rule);
  doc.rect(left, boxTop, 60, 26).stroke();
  doc.rect(left + half + 20, boxTop, half, blockHeight - 24).stroke();

  drawPageFooters(doc, printedLabel(sheet), { left, width, bottomMargin: margin.bottom });
  return pdfToBuffer(doc);
}
