// The attendance sheet (feuille d'émargement) of a closed séance, as the documents a funder asks for
// as proof of attendance: a PDF to print or attach to a report, and a CSV to filter in a spreadsheet.
// Pure functions of an `AttendanceSheet`: loading it from the database belongs to the caller.
import { spreadsheetCsv } from '../lib/csv.ts';
import { createPdfDocument, drawLetterhead, fonts, loadPdfkit, pdfColors, pdfToBuffer } from '../lib/pdf.ts';
import { searchable } from '../lib/text.ts';

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

type Status = AttendanceSheet['rows'][number]['status'];

const statusLabel: Record<Status, string> = {
  present: 'Présent·e',
  absent: 'Absent·e',
  excused: 'Excusé·e',
};

const walkInLabel = 'venu·e sans inscription';

// French typography: a no-break space inside "18 h 30" and before ":" keeps them on one line.
const nbsp = '\u00a0';

// ---------------------------------------------------------------------------------------------
// Dates, in the séance's own time zone

interface LocalParts {
  weekday: string;
  day: string;
  month: string;
  monthNumber: string;
  year: string;
  hour: string;
  minute: string;
}

const formatters = new Map<string, { long: Intl.DateTimeFormat; numeric: Intl.DateTimeFormat }>();

function localParts(date: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    const common = { timeZone, year: 'numeric', day: 'numeric' } as const;
    f = {
      long: new Intl.DateTimeFormat('fr-FR', { ...common, weekday: 'long', month: 'long' }),
      numeric: new Intl.DateTimeFormat('fr-FR', {
        ...common,
        month: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
    };
    formatters.set(timeZone, f);
  }
  const pick = (format: Intl.DateTimeFormat) => {
    const out: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const part of format.formatToParts(date)) out[part.type] = part.value;
    return out;
  };
  const long = pick(f.long);
  const numeric = pick(f.numeric);
  return {
    weekday: long.weekday ?? '',
    day: long.day ?? '',
    month: long.month ?? '',
    monthNumber: numeric.month ?? '',
    year: long.year ?? '',
    hour: numeric.hour ?? '',
    minute: numeric.minute ?? '',
  };
}

/** "jeudi 1er octobre 2026" */
function longDate(p: LocalParts): string {
  return [p.weekday, p.day === '1' ? '1er' : p.day, p.month, p.year].join(nbsp);
}

/** "18 h 30", "18 h" */
function frenchTime(p: LocalParts): string {
  return p.minute === '00' ? `${p.hour}${nbsp}h` : `${p.hour}${nbsp}h${nbsp}${p.minute}`;
}

/** "2026-03-26", the local calendar day */
function isoDay(p: LocalParts): string {
  return `${p.year}-${p.monthNumber}-${p.day.padStart(2, '0')}`;
}

/** "26/03/2026", which French spreadsheets read as a date */
function frenchNumericDate(p: LocalParts): string {
  return `${p.day.padStart(2, '0')}/${p.monthNumber}/${p.year}`;
}

// French names of the zones a séance is likely to be held in (metropolitan and overseas France,
// and a few cities of the diasporas); other zones fall back to the city of their IANA id.
const zoneNames: Record<string, string> = {
  'Europe/Paris': 'Paris',
  'America/Guadeloupe': 'la Guadeloupe',
  'America/Martinique': 'la Martinique',
  'America/Cayenne': 'la Guyane',
  'America/Miquelon': 'Saint-Pierre-et-Miquelon',
  'America/St_Barthelemy': 'Saint-Barthélemy',
  'America/Marigot': 'Saint-Martin',
  'Indian/Reunion': 'La Réunion',
  'Indian/Mayotte': 'Mayotte',
  'Pacific/Noumea': 'Nouméa',
  'Pacific/Tahiti': 'Tahiti',
  'Pacific/Wallis': 'Wallis-et-Futuna',
  'Europe/London': 'Londres',
  'Europe/Brussels': 'Bruxelles',
  'Africa/Algiers': 'Alger',
  'Africa/Casablanca': 'Casablanca',
  'Africa/Tunis': 'Tunis',
  'Africa/Dakar': 'Dakar',
  'Africa/Bamako': 'Bamako',
  'Africa/Abidjan': 'Abidjan',
  'Africa/Kinshasa': 'Kinshasa',
  'Africa/Douala': 'Douala',
  'Indian/Comoro': 'Moroni',
};

/** "heure de Paris", "heure d’Abidjan", "heure de la Guadeloupe" */
function zoneLabel(timeZone: string): string {
  const name = zoneNames[timeZone] ?? timeZone.split('/').pop()?.replaceAll('_', ' ') ?? timeZone;
  return /^[aeiouyàâéèêîïôûœ]/i.test(name) ? `heure d’${name}` : `heure de ${name}`;
}

/** "jeudi 26 mars 2026, de 18 h 30 à 20 h 30 (heure de Paris)" */
function whenLabel(g: AttendanceSheet['gathering']): string {
  const start = localParts(g.startsAt, g.timeZone);
  const end = localParts(g.endsAt, g.timeZone);
  const zone = `(${zoneLabel(g.timeZone)})`;
  if (isoDay(start) === isoDay(end)) {
    return `${longDate(start)}, de ${frenchTime(start)} à ${frenchTime(end)} ${zone}`;
  }
  return `du ${longDate(start)} à ${frenchTime(start)} au ${longDate(end)} à ${frenchTime(end)} ${zone}`;
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

/** "emargement-2026-03-26-atelier-budget.pdf": ASCII, safe in a Content-Disposition header. */
export function attendanceFileName(sheet: AttendanceSheet, ext: 'pdf' | 'csv'): string {
  const day = isoDay(localParts(sheet.gathering.startsAt, sheet.gathering.timeZone));
  let slug = searchable(sheet.gathering.title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > 50) slug = slug.slice(0, 50).replace(/-[^-]*$/, '');
  return `emargement-${day}${slug ? `-${slug}` : ''}.${ext}`;
}

// ---------------------------------------------------------------------------------------------
// PDF

const margin = { top: 48, bottom: 64, left: 50, right: 50 };
const { ink, muted } = pdfColors;
const rule = '#8c8c8c';
const headerFill = '#e3e3e3';
const zebraFill = '#f4f4f4';

const tableFontSize = 9;
const cellPadX = 5;
const cellPadY = 4;

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right' | 'center';
  value: (row: AttendanceSheet['rows'][number], index: number) => string;
}

const columns: Column[] = [
  { title: 'N°', width: 32, align: 'right', value: (_row, i) => String(i + 1) },
  { title: 'Nom et prénom', width: 168, align: 'left', value: (row) => row.name },
  { title: 'Association (OSIM)', width: 168, align: 'left', value: (row) => row.organization },
  { title: 'Présence', width: 127, align: 'left', value: presenceLabel },
];

/** The PDF a funder files: one header, a table that runs over as many A4 pages as needed. */
export async function attendancePdf(sheet: AttendanceSheet): Promise<Buffer> {
  await loadPdfkit();
  const g = sheet.gathering;
  const start = localParts(g.startsAt, g.timeZone);
  const doc = createPdfDocument({
    title: `Feuille d’émargement — ${g.title} — ${frenchNumericDate(start)}`,
    subject: `Émargement de la séance «${nbsp}${g.title}${nbsp}» — ${g.cycleName}`,
    keywords: 'émargement, FORIM, Passerelle',
    margins: margin,
    bufferPages: true,
  });
  const left = margin.left;
  const width = doc.page.width - margin.left - margin.right;
  const bottom = () => doc.page.height - margin.bottom;

  // Letterhead
  const ruleY = drawLetterhead(doc, left, margin.top, width);

  doc
    .fillColor(ink)
    .font(fonts.bold)
    .fontSize(20)
    .text('Feuille d’émargement', left, ruleY + 14, { width });
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

  // Totals, in a boxed row of four figures, so that what a funder looks for is on the first page
  const t = totals(sheet);
  const figures: Array<[string, string, string]> = [
    ['Inscrit·es', String(t.registered), ''],
    ['Présent·es', String(t.present), t.walkIns ? `dont ${t.walkIns} sans inscription` : ''],
    ['Absent·es', String(t.absent), ''],
    ['Excusé·es', String(t.excused), ''],
  ];
  const boxY = doc.y + 8;
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
  let y = boxY + boxH + 18;

  // The table
  doc.fontSize(tableFontSize);
  const cellHeight = (texts: string[], font: string) => {
    doc.font(font);
    let h = 0;
    texts.forEach((text, i) => {
      const w = (columns[i]?.width ?? 0) - 2 * cellPadX;
      h = Math.max(h, doc.heightOfString(text, { width: w }));
    });
    return h + 2 * cellPadY;
  };
  const drawRow = (texts: string[], top: number, height: number, font: string, fill: string | null) => {
    if (fill) doc.rect(left, top, width, height).fill(fill);
    doc.font(font).fillColor(ink);
    let cx = left;
    texts.forEach((text, i) => {
      const col = columns[i];
      if (!col) return;
      doc.text(text, cx + cellPadX, top + cellPadY, { width: col.width - 2 * cellPadX, align: col.align });
      cx += col.width;
    });
    // Borders: the row's bottom line and the column separators
    doc.lineWidth(0.5).strokeColor(rule);
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
    doc.lineWidth(0.5).strokeColor(rule);
    doc
      .moveTo(left, top)
      .lineTo(left + width, top)
      .stroke();
    drawRow(headerTexts, top, headerHeight, fonts.bold, headerFill);
    return top + headerHeight;
  };
  const continuation = `Feuille d’émargement — ${g.title} — ${frenchNumericDate(start)} (suite)`;
  const newPage = () => {
    doc.addPage();
    doc
      .font(fonts.bold)
      .fontSize(9)
      .fillColor(muted)
      .text(continuation, left, margin.top, { width, lineBreak: false, ellipsis: true });
    doc.fontSize(tableFontSize);
    return drawHeader(margin.top + 20);
  };

  const rows = sheet.rows.map((row, i) => columns.map((c) => c.value(row, i)));
  const heights = rows.map((texts) => cellHeight(texts, fonts.regular));
  // The header never stands alone at the foot of a page: it goes with the first row.
  y = y + headerHeight + (heights[0] ?? 0) > bottom() ? newPage() : drawHeader(y);
  rows.forEach((texts, i) => {
    const h = heights[i] ?? 0;
    if (y + h > bottom()) y = newPage();
    drawRow(texts, y, h, fonts.regular, i % 2 === 1 ? zebraFill : null);
    y += h;
  });
  if (rows.length === 0) {
    doc
      .font(fonts.regular)
      .fillColor(muted)
      .text('Aucune personne inscrite.', left, y + 6, { width });
  }

  // Footers, once the page count is known. The bottom margin is lifted while writing them, or
  // pdfkit would take text below it as overflow and open a new page.
  const range = doc.bufferedPageRange();
  const footer = closedLabel(sheet);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    const fy = doc.page.height - margin.bottom + 18;
    doc
      .moveTo(left, fy - 6)
      .lineTo(left + width, fy - 6)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
    doc.font(fonts.regular).fontSize(8).fillColor(muted);
    doc.text(footer, left, fy, { width: width - 70 });
    doc.text(`Page ${i - range.start + 1} / ${range.count}`, left + width - 70, fy, {
      width: 70,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = margin.bottom;
  }
  return pdfToBuffer(doc);
}
