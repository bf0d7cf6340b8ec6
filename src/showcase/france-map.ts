// The showcase's map of France by region: an inline SVG drawn on the server from the shapes in
// france-regions.json (made once by src/cli/map-geometry.ts; no tiles, nothing fetched). Each
// region is shaded by its count, in a few steps of one blue, and its name and count are written
// on it: the colour is never the only information. A region with a page is a link named
// « Bretagne : 3 actions »; one without is an image named the same way. Only presentation
// attributes, no style: the page's Content-Security-Policy forbids inline styles; the app's
// stylesheet can add hover and focus rules on `.france-map a`.
import { readFileSync } from 'node:fs';
import { OVERSEAS, REGION_CODES, REGIONS, type RegionCode } from './regions.ts';

export { isRegionCode, OVERSEAS, REGION_CODES, REGIONS, type RegionCode, regionOf } from './regions.ts';

interface RegionShape {
  d: string;
  label: [number, number];
  frame?: [number, number, number, number];
}

interface Geometry {
  source: string;
  licence: string;
  viewBox: [number, number, number, number];
  regions: Record<RegionCode, RegionShape>;
}

export const GEOMETRY_FILE = new URL('./france-regions.json', import.meta.url);
const geometry = JSON.parse(readFileSync(GEOMETRY_FILE, 'utf8')) as Geometry;

/** Where the shapes come from and under which licence (for a credits line). */
export const MAP_SOURCE = { source: geometry.source, licence: geometry.licence };

export interface FranceMapOptions {
  /** The map's accessible name (its <title>). */
  title: string;
  /** A sentence saying what the map shows (its <desc>). */
  description: string;
  /** The page of a region's actions, or null for none (the region is then not a link). */
  hrefFor?: (code: RegionCode) => string | null;
  /** The region's name as written on the map and read out (« Bretagne »). */
  label: (code: RegionCode) => string;
  /** A count in words (« 3 actions », « aucune action »). */
  countLabel: (n: number) => string;
}

// Sequential blues, from none to the most. The borders are dark (#1e293b): each fill has a
// contrast of 3:1 or more against them; the writing is dark with a white halo, readable on all.
export const SHADES = ['#f1f4f8', '#d3e4f4', '#a9cbea', '#78aadb', '#4a86c8'] as const;
const BORDER = '#1e293b';
const INK = '#0f172a';
const NAME_SIZE = 15;
const COUNT_SIZE = 24;

/** The shade step of a count: 0 for none, then 1 to 4 by its share of the largest. */
export function shadeStep(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.min(SHADES.length - 1, Math.max(1, Math.ceil(((SHADES.length - 1) * n) / max)));
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A name on one line, or on two cut after a hyphen (better) or at a space, the longer kept short. */
export function nameLines(name: string, maxOneLine = 12): string[] {
  if (name.length <= maxOneLine) return [name];
  let best: { lines: string[]; score: number } = { lines: [name], score: name.length };
  for (let i = 1; i < name.length - 1; i++) {
    const c = name[i]!;
    if (c !== '-' && c !== ' ') continue;
    const first = c === '-' ? name.slice(0, i + 1) : name.slice(0, i);
    const second = name.slice(i + 1);
    const score = Math.max(first.length, second.length) + (c === ' ' ? 3 : 0);
    if (score <= best.score) best = { lines: [first, second], score };
  }
  return best.lines;
}

const numberFormat = new Intl.NumberFormat('fr-FR');

function text(x: number, y: number, size: number, weight: number, content: string): string {
  return (
    `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" text-anchor="middle" fill="${INK}" ` +
    `stroke="#fff" stroke-width="${size >= 20 ? 4 : 3}" stroke-linejoin="round" paint-order="stroke">` +
    `${escapeXml(content)}</text>`
  );
}

function labelOf(shape: RegionShape, name: string, count: number): string {
  const [x, y] = shape.label;
  const figure = numberFormat.format(count);
  if (shape.frame) {
    // Overseas: the caption under the inset's shape.
    return (
      text(x, y + NAME_SIZE, NAME_SIZE, 600, name) +
      text(x, y + NAME_SIZE + COUNT_SIZE + 2, COUNT_SIZE, 700, figure)
    );
  }
  const lines = nameLines(name);
  const lineHeight = NAME_SIZE + 1;
  const height = lines.length * lineHeight + COUNT_SIZE;
  let top = y - height / 2;
  let out = '';
  for (const line of lines) {
    top += lineHeight;
    out += text(x, Math.round(top - 3), NAME_SIZE, 600, line);
  }
  return out + text(x, Math.round(top + COUNT_SIZE - 2), COUNT_SIZE, 700, figure);
}

// The small regions last, so that their labels lie over their neighbours' shapes.
const DRAWING_ORDER: RegionCode[] = [
  ...REGION_CODES.filter((code) => code !== 'IDF' && code !== 'COR' && !OVERSEAS.includes(code)),
  'COR',
  'IDF',
  ...OVERSEAS,
];

/**
 * The map as an SVG element to put inline in a page. Counts missing from `counts` are 0.
 * Every text (names, counts in words, title, description, links) is escaped.
 */
export function franceMapSvg(counts: Partial<Record<RegionCode, number>>, options: FranceMapOptions): string {
  const countOf = (code: RegionCode) => Math.max(0, Math.floor(counts[code] ?? 0));
  const max = Math.max(0, ...REGION_CODES.map(countOf));
  const [vx, vy, vw, vh] = geometry.viewBox;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${vx} ${vy} ${vw} ${vh}" class="france-map" role="group">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<desc>${escapeXml(options.description)}</desc>`,
  ];
  for (const code of DRAWING_ORDER) {
    const shape = geometry.regions[code];
    const count = countOf(code);
    const name = options.label(code) || REGIONS[code];
    const spoken = escapeXml(`${name} : ${options.countLabel(count)}`);
    const href = options.hrefFor?.(code) ?? null;
    const open = href
      ? `<a href="${escapeXml(href)}" aria-label="${spoken}" class="france-map-region" data-region="${code}">`
      : `<g role="img" aria-label="${spoken}" class="france-map-region" data-region="${code}">`;
    const frame = shape.frame
      ? `<rect x="${shape.frame[0]}" y="${shape.frame[1]}" width="${shape.frame[2]}" height="${shape.frame[3]}" ` +
        `rx="4" fill="#fff" stroke="#94a3b8"/>`
      : '';
    parts.push(
      open,
      frame,
      `<path d="${shape.d}" fill="${SHADES[shadeStep(count, max)]}" fill-rule="evenodd" stroke="${BORDER}" ` +
        `stroke-width=".8" stroke-linejoin="round"/>`,
      labelOf(shape, name, count),
      href ? '</a>' : '</g>',
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
