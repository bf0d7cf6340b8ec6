// The dashboards' monthly trend as an inline SVG drawn on the server (no script, no chart library):
// enrolments as bars, completions as a dashed line with markers, French month labels, a title and a
// one-sentence description for screen readers, in the catalogue's words (trendLabels). Every piece
// of text is escaped: the SVG goes in raw.
import type { Translate } from '../i18n/index.ts';

export interface TrendPoint {
  /** `YYYY-MM`. */
  month: string;
  enrolments: number;
  completions: number;
}

/** Every word the chart says. */
export interface TrendLabels {
  title: string;
  enrolments: string;
  completions: string;
  /** Written across a chart without months. */
  noData: string;
  /** The description of a chart without months. */
  noDataDescription: string;
  /** A series summed up for screen readers: its total… */
  total(series: string, total: number): string;
  /** …and its best month, when it has one (`month` written out: « novembre 2025 »). */
  totalBest(series: string, total: number, month: string, best: number): string;
}

/** The chart's words, from the message catalogue, in the reader's language. */
export function trendLabels(t: Translate): TrendLabels {
  return {
    title: t('dashboard.trendTitle'),
    enrolments: t('dashboard.trend.enrolments'),
    completions: t('dashboard.trend.completions'),
    noData: t('dashboard.trend.noData'),
    noDataDescription: t('dashboard.trend.noDataDescription'),
    total: (series, total) => t('dashboard.trend.total', { series, total }),
    totalBest: (series, total, month, best) => t('dashboard.trend.totalBest', { series, total, month, best }),
  };
}

const WIDTH = 640;
const HEIGHT = 260;
const PLOT = { left: 48, right: 628, top: 40, bottom: 224 };
const COLOURS = { bars: '#1d4f91', line: '#b3401b', text: '#444', grid: '#ddd' };

const shortMonth = new Intl.DateTimeFormat('fr-FR', { month: 'short', timeZone: 'UTC' });
const longMonth = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const numbers = new Intl.NumberFormat('fr-FR');

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/** Coordinates rounded to one decimal, without a trailing `.0`. */
function r(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A count fit to draw: negative or non-finite values count as 0. */
function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function parseMonth(month: string): { year: number; index: number; date: Date } | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return null;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  if (index < 0 || index > 11) return null;
  return { year, index, date: new Date(Date.UTC(year, index, 1)) };
}

/** The y axis: from 0 to a round maximum, in 2 to 4 steps of 1, 2 or 5 × 10^n (whole numbers). */
export function niceAxis(max: number): { top: number; step: number } {
  const raw = Math.max(max / 4, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const steps = Math.max(Math.ceil(max / step), 2);
  return { top: steps * step, step };
}

/** Which months get a label: all up to 12 points, then every 2nd or 3rd calendar month. */
function labelEvery(n: number): number {
  if (n <= 12) return 1;
  return n <= 24 ? 2 : 3;
}

/** The x-axis labels, `null` where a month is skipped; the year is added on January and on the first label. */
export function monthLabels(months: string[]): (string | null)[] {
  const every = labelEvery(months.length);
  let first = true;
  return months.map((month) => {
    const parsed = parseMonth(month);
    if (!parsed) return month;
    if (parsed.index % every !== 0) return null;
    const label = shortMonth.format(parsed.date);
    const withYear = first || parsed.index === 0;
    first = false;
    return withYear ? `${label} ${String(parsed.year % 100).padStart(2, '0')}` : label;
  });
}

function longMonthName(month: string): string {
  const parsed = parseMonth(month);
  return parsed ? longMonth.format(parsed.date) : month;
}

function summary(
  points: TrendPoint[],
  labels: TrendLabels,
  series: string,
  value: (p: TrendPoint) => number,
): string {
  const total = points.reduce((sum, p) => sum + value(p), 0);
  const best = points.reduce<TrendPoint | null>((b, p) => (b && value(b) >= value(p) ? b : p), null);
  if (!best || total === 0) return labels.total(series, total);
  return labels.totalBest(series, total, longMonthName(best.month), value(best));
}

function description(points: TrendPoint[], labels: TrendLabels): string {
  if (points.length === 0) return labels.noDataDescription;
  return [
    summary(points, labels, labels.enrolments, (p) => count(p.enrolments)),
    summary(points, labels, labels.completions, (p) => count(p.completions)),
  ].join(' ');
}

function open(labels: TrendLabels, id: string, desc: string): string {
  const i = esc(id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${i}-title ${i}-desc" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" font-size="12">` +
    `<title id="${i}-title">${esc(labels.title)}</title><desc id="${i}-desc">${esc(desc)}</desc>`
  );
}

function yAxis(top: number, step: number): string {
  const plotHeight = PLOT.bottom - PLOT.top;
  const lines: string[] = [];
  const texts: string[] = [];
  for (let v = step; v <= top; v += step) {
    const y = r(PLOT.bottom - (v / top) * plotHeight);
    lines.push(`M${PLOT.left} ${y}H${PLOT.right}`);
  }
  for (let v = 0; v <= top; v += step) {
    const y = r(PLOT.bottom - (v / top) * plotHeight + 4);
    texts.push(`<text x="${PLOT.left - 6}" y="${y}">${esc(numbers.format(v))}</text>`);
  }
  return (
    `<path d="${lines.join('')}" stroke="${COLOURS.grid}"/>` +
    `<path d="M${PLOT.left} ${PLOT.bottom}H${PLOT.right}" stroke="${COLOURS.text}"/>` +
    `<g fill="${COLOURS.text}" text-anchor="end">${texts.join('')}</g>`
  );
}

/** Rough width of a label at font-size 12, to place the second legend item. */
function textWidth(text: string): number {
  return text.length * 6.5;
}

function legend(labels: TrendLabels): string {
  const y = 16;
  const second = PLOT.left + 18 + textWidth(labels.enrolments) + 24;
  return (
    `<g fill="${COLOURS.text}">` +
    `<rect x="${PLOT.left}" y="${y - 10}" width="12" height="12" fill="${COLOURS.bars}"/>` +
    `<text x="${PLOT.left + 18}" y="${y}">${esc(labels.enrolments)}</text>` +
    `<path d="M${r(second)} ${y - 4}h24" stroke="${COLOURS.line}" stroke-width="2" stroke-dasharray="6 3"/>` +
    `<circle cx="${r(second + 12)}" cy="${y - 4}" r="3.5" fill="${COLOURS.line}" stroke="#fff"/>` +
    `<text x="${r(second + 30)}" y="${y}">${esc(labels.completions)}</text></g>`
  );
}

function bars(points: TrendPoint[], top: number, slot: number): string {
  const plotHeight = PLOT.bottom - PLOT.top;
  const width = Math.min(slot * 0.6, 40);
  const rects = points.map((p, i) => {
    const height = (count(p.enrolments) / top) * plotHeight;
    const x = PLOT.left + slot * (i + 0.5) - width / 2;
    return `<rect x="${r(x)}" y="${r(PLOT.bottom - height)}" width="${r(width)}" height="${r(height)}"/>`;
  });
  return `<g class="bars" fill="${COLOURS.bars}">${rects.join('')}</g>`;
}

function line(points: TrendPoint[], top: number, slot: number): string {
  const plotHeight = PLOT.bottom - PLOT.top;
  const xy = points.map((p, i) => [
    r(PLOT.left + slot * (i + 0.5)),
    r(PLOT.bottom - (count(p.completions) / top) * plotHeight),
  ]);
  const polyline =
    xy.length > 1
      ? `<polyline points="${xy.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" ` +
        `stroke="${COLOURS.line}" stroke-width="2" stroke-dasharray="6 3"/>`
      : '';
  const markers = xy.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="3.5"/>`).join('');
  return `${polyline}<g class="markers" fill="${COLOURS.line}" stroke="#fff">${markers}</g>`;
}

function xAxis(points: TrendPoint[], slot: number): string {
  const labels = monthLabels(points.map((p) => p.month));
  // The year goes on a second line, so that « déc. 25 » and « janv. 26 » side by side do not touch.
  const texts = labels.map((label, i) => {
    if (label === null) return '';
    const x = r(PLOT.left + slot * (i + 0.5));
    const [, month, year] = /^(.*) (\d{2})$/.exec(label) ?? [];
    return month === undefined
      ? `<text x="${x}" y="${PLOT.bottom + 18}">${esc(label)}</text>`
      : `<text x="${x}" y="${PLOT.bottom + 18}">${esc(month)}<tspan x="${x}" dy="13">20${year}</tspan></text>`;
  });
  return `<g fill="${COLOURS.text}" text-anchor="middle">${texts.join('')}</g>`;
}

/** An inline SVG chart of enrolments (bars) and completions (line with markers) per month. */
export function trendChartSvg(points: TrendPoint[], labels: TrendLabels, id: string): string {
  const head = open(labels, id, description(points, labels));
  if (points.length === 0) {
    return (
      `${head}<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="${COLOURS.text}">` +
      `${esc(labels.noData)}</text></svg>`
    );
  }
  const max = Math.max(...points.map((p) => Math.max(count(p.enrolments), count(p.completions))));
  const { top, step } = niceAxis(max);
  const slot = (PLOT.right - PLOT.left) / points.length;
  return (
    head +
    yAxis(top, step) +
    legend(labels) +
    bars(points, top, slot) +
    line(points, top, slot) +
    xAxis(points, slot) +
    '</svg>'
  );
}
