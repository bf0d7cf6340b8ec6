// « Mon projet » as a PDF: a working draft to copy into the funder's form, in that form's order
// (Cerfa 12156: the project's description, part by part, then its budget table — charges by
// account 60–68, produits by account 70–75 with each co-funder, then the volunteer time and gifts
// in kind of accounts 86 and 87). Every page says it is a draft, not the form. The fonts are the
// ones certificates embed (parsed once per process and shared); long texts wrap and run over as
// many A4 pages as they need.

import { useSharedFonts } from '../certificates/certificate-fonts.ts';
import type { Db } from '../db/client.ts';
import type { Translate } from '../i18n/index.ts';
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
import { formatDate, formatDateTime } from '../lib/time.ts';
import {
  type BudgetContent,
  type BudgetTotals,
  budgetLines,
  budgetTotals,
  EXPENSE_ACCOUNTS,
  FUNDER_KINDS,
  formatEuros,
} from './budget.ts';
import { accountName, balanceMessages, RESOURCE_ACCOUNTS } from './budget-csv.ts';
import { budgetOf, sectionsOf, textOf } from './project-sections.ts';
import type { ProjectView } from './projects.ts';
import { SECTION_KEYS, SECTIONS, type TextSectionKey } from './sections.ts';

const nbsp = '\u00a0';

/** « projet-atelier-d-alphabetisation-au-blosne.pdf », « budget-….csv »: ASCII, header-safe. */
export function projectFileName(project: { title: string }, kind: 'projet' | 'budget', ext: 'pdf' | 'csv') {
  const slug = fileSlug(project.title);
  return `${kind}${slug ? `-${slug}` : ''}.${ext}`;
}

/** What people typed, as pdfkit draws it: line breaks kept, other control characters dropped. */
function plain(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
    .split('\n')
    .map((line) => line.trimEnd());
  // Many empty lines in a row are one: a text of line breaks does not fill pages.
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '')
    .trimEnd();
}

// ---------------------------------------------------------------------------------------------
// The budget table's rows

interface TableRow {
  account: string;
  label: string;
  funder?: string;
  amount: string;
  strong: boolean;
}

const group = (account: string, label: string, cents: number): TableRow => ({
  account,
  label,
  amount: formatEuros(cents),
  strong: true,
});
const line = (label: string, amount: string, funder = ''): TableRow => ({
  account: '',
  label: plain(label) || '—',
  funder,
  amount,
  strong: false,
});

function expenseRows(budget: BudgetContent, totals: BudgetTotals, t: Translate): TableRow[] {
  const rows: TableRow[] = [];
  for (const account of EXPENSE_ACCOUNTS) {
    const lines = budget.expenses.filter((l) => l.account === account);
    if (lines.length === 0) continue;
    rows.push(group(account, accountName(t, account), totals.byAccount[account] ?? 0));
    for (const l of lines) rows.push(line(l.label, formatEuros(l.cents)));
  }
  rows.push(group('', t('project.budget.totalExpenses'), totals.expenses));
  return rows;
}

function resourceRows(budget: BudgetContent, totals: BudgetTotals, t: Translate): TableRow[] {
  const rows: TableRow[] = [];
  for (const account of RESOURCE_ACCOUNTS) {
    const lines = budget.resources.filter((l) => FUNDER_KINDS[l.kind] === account);
    if (lines.length === 0) continue;
    rows.push(group(account, accountName(t, account), totals.byAccount[account] ?? 0));
    for (const l of lines) {
      const refused = l.status === 'refused';
      // The kind of funder, and on a line of its own where the request stands.
      const status = t(`project.status.${l.status}`);
      const funder = `${t(`project.funder.${l.kind}`)}\n${refused ? t('project.export.refusedStatus', { status }) : status}`;
      rows.push(line(l.label, refused ? `(${formatEuros(l.cents)})` : formatEuros(l.cents), funder));
    }
  }
  rows.push(group('', t('project.budget.totalResources'), totals.resources));
  return rows;
}

function inKindRows(budget: BudgetContent, totals: BudgetTotals, t: Translate): TableRow[] {
  const rows: TableRow[] = [];
  for (const account of ['86', '87'] as const) {
    rows.push(group(account, accountName(t, account), totals.byAccount[account] ?? 0));
    for (const l of budget.inKind.filter((k) => k.account === account))
      rows.push(line(l.label, formatEuros(l.cents)));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// PDF

const margin = { top: 62, bottom: 70, left: 50, right: 50 };
const { ink, muted, rule } = pdfColors;
const bodySize = 10.5;
const amountWidth = 104;
const accountWidth = 54;
const funderWidth = 170;

/** The document being drawn, with its measures and how to keep a block whole on a page. */
interface Page {
  doc: PDFKit.PDFDocument;
  left: number;
  width: number;
  bottom: number;
  /** Opens a new page when less than `height` is left on this one; the next y. */
  room(height: number): number;
  lineHeight(font: string, size: number): number;
}

/** A muted sentence where a list is empty, or under a table. */
function note(page: Page, text: string, size = bodySize) {
  page.doc
    .font(fonts.regular)
    .fontSize(size)
    .fillColor(muted)
    .text(text, page.left, page.doc.y, { width: page.width });
}

/** Letterhead, title, the draft warning in a box, and the project's facts. */
function drawFirstPage(page: Page, project: ProjectView, now: Date, t: Translate) {
  const { doc, left, width } = page;
  const ruleY = drawLetterhead(doc, left, 40, width);
  doc.font(fonts.regular).fontSize(10).fillColor(muted);
  doc.text(t('project.export.kicker'), left, ruleY + 14, { width });
  doc.moveDown(0.2).font(fonts.bold).fontSize(20).fillColor(ink);
  doc.text(plain(project.title), left, doc.y, { width });

  const pad = 10;
  const inner = { width: width - 2 * pad, lineGap: 1 };
  const bannerTitle = t('project.export.bannerTitle');
  const notice = t('project.export.draftNotice');
  const bannerHeight =
    doc.font(fonts.bold).fontSize(11).heightOfString(bannerTitle, inner) +
    4 +
    doc.font(fonts.regular).fontSize(10).heightOfString(notice, inner) +
    2 * pad;
  const bannerY = doc.y + 14;
  doc.rect(left, bannerY, width, bannerHeight).fill('#f1f1f1');
  doc.rect(left, bannerY, width, bannerHeight).lineWidth(2).strokeColor(ink).stroke();
  doc
    .font(fonts.bold)
    .fontSize(11)
    .fillColor(ink)
    .text(bannerTitle, left + pad, bannerY + pad, inner);
  doc
    .moveDown(0.2)
    .font(fonts.regular)
    .fontSize(10)
    .text(notice, left + pad, doc.y, inner);
  doc.y = bannerY + bannerHeight + 16;

  const facts: Array<[string, string]> = [
    [t('project.export.osim'), project.osimName],
    [
      t('project.export.authors', { count: project.authors.length }),
      project.authors.map((a) => a.name).join(', '),
    ],
    [t('project.export.cycle'), project.cycle ? project.cycle.name : t('project.export.notShared')],
    [
      t('project.export.state'),
      project.readyAt
        ? t('project.export.ready', { date: formatDate(project.readyAt) })
        : t('project.export.notReady'),
    ],
    [t('project.export.exportedAt'), formatDateTime(now)],
  ];
  const labelWidth = 96;
  for (const [label, value] of facts) {
    const y = doc.y;
    doc
      .font(fonts.bold)
      .fontSize(10)
      .fillColor(muted)
      .text(label, left, y, { width: labelWidth, lineBreak: false });
    doc.font(fonts.regular).fillColor(ink);
    doc.text(plain(value) || '—', left + labelWidth, y, { width: width - labelWidth });
    doc.moveDown(0.3);
  }
}

/** A part's numbered title with a rule under it, kept on the page of what follows it. */
function drawHeading(page: Page, title: string) {
  const { doc, left, width } = page;
  const keep = page.lineHeight(fonts.bold, 13) + 8 + 2 * page.lineHeight(fonts.regular, bodySize);
  const y = page.room(keep + 20) + 18;
  doc.font(fonts.bold).fontSize(13).fillColor(ink).text(title, left, y, { width });
  const ruleY = doc.y + 2;
  doc
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .lineWidth(0.75)
    .strokeColor(ink)
    .stroke();
  doc.y = ruleY + 8;
}

/** Each field of a text part: its label, then what was written (over as many pages as it takes). */
function drawTextPart(page: Page, key: TextSectionKey, content: Record<string, string>, t: Translate) {
  const { doc, left, width } = page;
  for (const field of SECTIONS[key].fields) {
    const y = page.room(page.lineHeight(fonts.bold, 9.5) + 2 * page.lineHeight(fonts.regular, bodySize) + 6);
    doc.font(fonts.bold).fontSize(9.5).fillColor(muted);
    doc.text(t(`project.field.${key}.${field.name}` as Parameters<Translate>[0]), left, y, { width });
    doc.moveDown(0.15);
    const text = plain(content[field.name] ?? '');
    if (text.trim() === '') note(page, t('project.export.notFilled'));
    else
      doc
        .font(fonts.regular)
        .fontSize(bodySize)
        .fillColor(ink)
        .text(text, left, doc.y, { width, lineGap: 1.5 });
    doc.moveDown(0.6);
  }
}

/** The budget table: charges, produits, 86 and 87, each under its title; then whether it balances. */
function drawBudget(page: Page, budget: BudgetContent, t: Translate) {
  const { doc, left, width, bottom } = page;
  const totals = budgetTotals(budgetLines(budget));
  const column = (title: string, w: number, value: (r: TableRow) => string): PdfColumn<TableRow> => ({
    title,
    width: w,
    align: 'left',
    value,
  });
  const account = column(t('project.budget.account'), accountWidth, (r) => r.account);
  const amount: PdfColumn<TableRow> = {
    ...column(t('project.budget.amount'), amountWidth, (r) => r.amount),
    align: 'right',
  };
  const labelWidth = (others: number) => width - accountWidth - amountWidth - others;
  const label = column(t('project.budget.label'), labelWidth(0), (r) => r.label);
  const part = (title: string, empty: string, columns: PdfColumn<TableRow>[], rows: TableRow[] | null) => {
    const y = page.room(page.lineHeight(fonts.bold, 11) + 60);
    doc.font(fonts.bold).fontSize(11).fillColor(ink).text(title, left, y, { width });
    doc.y += 4;
    if (!rows) {
      note(page, empty);
      doc.moveDown(1);
      return;
    }
    const newPage = () => {
      doc.addPage();
      return margin.top;
    };
    const strong = (r: TableRow) => r.strong;
    doc.y = drawTable(doc, { columns, rows, left, top: doc.y, bottom, fontSize: 9, strong, newPage }) + 14;
    doc.x = left;
  };

  part(
    t('project.budget.expenses'),
    t('project.budget.noExpenses'),
    [account, label, amount],
    budget.expenses.length ? expenseRows(budget, totals, t) : null,
  );
  part(
    t('project.budget.resources'),
    t('project.export.noResources'),
    [
      account,
      column(t('project.budget.funder'), labelWidth(funderWidth), (r) => r.label),
      column(t('project.export.funderStatus'), funderWidth, (r) => r.funder ?? ''),
      amount,
    ],
    budget.resources.length ? resourceRows(budget, totals, t) : null,
  );
  if (budget.resources.some((l) => l.status === 'refused')) {
    doc.y -= 8;
    note(page, t('project.budget.refusedNote'), 9);
    doc.y += 10;
  }
  part(
    t('project.budget.inKind'),
    t('project.export.noInKind'),
    [account, label, amount],
    budget.inKind.length ? inKindRows(budget, totals, t) : null,
  );
  drawBalance(page, totals, t);
}

/** Whether the budget balances, boxed (a heavier frame when it does not): what a funder checks first. */
function drawBalance(page: Page, totals: BudgetTotals, t: Translate) {
  const { doc, left, width } = page;
  const balance = balanceMessages(totals, t);
  const lines = [
    t('project.export.totalsLine', {
      first: t('project.budget.totalExpenses'),
      firstAmount: formatEuros(totals.expenses),
      second: t('project.budget.totalResources'),
      secondAmount: formatEuros(totals.resources),
    }),
    t('project.export.totalsLine', {
      first: t('project.budget.total86'),
      firstAmount: formatEuros(totals.inKindUse),
      second: t('project.budget.total87'),
      secondAmount: formatEuros(totals.inKindGiven),
    }),
    ...(totals.balanced
      ? [t('project.budget.balanced')]
      : [balance.main, ...(totals.inKindGap === 0 ? [] : [balance.inKind])]),
  ].map((s) => s.replace(/ :/g, `${nbsp}:`));
  const inner = { width: width - 24 };
  doc.font(fonts.regular).fontSize(10);
  const textHeight = lines.reduce((h, s) => h + doc.heightOfString(s, inner) + 3, 0);
  const boxHeight = page.lineHeight(fonts.bold, 11) + 6 + textHeight + 20;
  const boxY = page.room(boxHeight + 12) + 6;
  doc.rect(left, boxY, width, boxHeight);
  doc
    .lineWidth(totals.balanced ? 0.75 : 2)
    .strokeColor(totals.balanced ? rule : ink)
    .stroke();
  doc.font(fonts.bold).fontSize(11).fillColor(ink);
  doc.text(
    t(totals.balanced ? 'project.export.balancedTitle' : 'project.export.unbalancedTitle'),
    left + 12,
    boxY + 10,
    inner,
  );
  doc.moveDown(0.3);
  lines.forEach((s, i) => {
    doc
      .font(i < 2 ? fonts.regular : fonts.bold)
      .fontSize(10)
      .text(s, left + 12, doc.y, inner);
    doc.y += 3;
  });
}

/**
 * The project as a PDF: a first page with the draft warning, the project's facts (OSIM, authors,
 * cycle, « prêt à déposer » or not, date of export), then each part in the form's order, then the
 * budget table and whether it balances. `now` is the date of export (Paris time).
 */
export async function projectPdf(
  db: Db,
  project: ProjectView,
  t: Translate,
  now = new Date(),
): Promise<Buffer> {
  await loadPdfkit();
  const sections = sectionsOf(db, project.id);
  const doc = createPdfDocument({
    title: t('project.export.pdfTitle', { title: project.title }),
    subject: t('project.export.pdfSubject', { osim: project.osimName }),
    keywords: t('project.export.pdfKeywords'),
    margins: margin,
    bufferPages: true,
  });
  useSharedFonts(doc);
  const page: Page = {
    doc,
    left: margin.left,
    width: doc.page.width - margin.left - margin.right,
    bottom: doc.page.height - margin.bottom,
    room(height) {
      if (doc.y + height > this.bottom) doc.addPage();
      return doc.y;
    },
    lineHeight: (font, size) => doc.font(font).fontSize(size).currentLineHeight(true),
  };

  drawFirstPage(page, project, now, t);
  SECTION_KEYS.forEach((key, i) => {
    drawHeading(page, `${i + 1}. ${t(`project.section.${key}`)}`);
    // sectionsOf gives every section, an empty one for a section never saved.
    const state = sections.find((s) => s.key === key)!;
    if (key === 'budget') drawBudget(page, budgetOf(state), t);
    else drawTextPart(page, key, textOf(state, key), t);
  });

  // Running heads from the second page on, and the draft warning at the foot of every page.
  const { left, width } = page;
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.font(fonts.bold).fontSize(8.5).fillColor(muted);
    doc.text(
      t('project.export.runningHead', { title: plain(project.title), osim: project.osimName }),
      left,
      36,
      {
        width,
        lineBreak: false,
        ellipsis: true,
      },
    );
  }
  drawPageFooters(doc, t('project.export.draftNotice'), { left, width, bottomMargin: margin.bottom });
  return pdfToBuffer(doc);
}
