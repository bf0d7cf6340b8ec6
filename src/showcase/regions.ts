// The regions of France since 2016: 13 in metropolitan France and the 5 overseas regions
// (départements et régions d'outre-mer). The codes are this app's own short codes (INSEE numbers
// them, but three letters read better in a URL: /vitrine?region=BRE).
import { searchWords } from '../lib/text.ts';

export const REGIONS = {
  ARA: 'Auvergne-Rhône-Alpes',
  BFC: 'Bourgogne-Franche-Comté',
  BRE: 'Bretagne',
  CVL: 'Centre-Val de Loire',
  COR: 'Corse',
  GES: 'Grand Est',
  HDF: 'Hauts-de-France',
  IDF: 'Île-de-France',
  NOR: 'Normandie',
  NAQ: 'Nouvelle-Aquitaine',
  OCC: 'Occitanie',
  PDL: 'Pays de la Loire',
  PAC: 'Provence-Alpes-Côte d’Azur',
  GUA: 'Guadeloupe',
  MTQ: 'Martinique',
  GUF: 'Guyane',
  REU: 'La Réunion',
  MAY: 'Mayotte',
} as const;

export type RegionCode = keyof typeof REGIONS;

export const REGION_CODES = Object.keys(REGIONS) as RegionCode[];

export const OVERSEAS: readonly RegionCode[] = ['GUA', 'MTQ', 'GUF', 'REU', 'MAY'];

export function isRegionCode(value: string): value is RegionCode {
  return Object.hasOwn(REGIONS, value);
}

// Other ways organisations write a region: the regions before 2016 (each lies whole in one of
// today's), the usual abbreviations, and the « Région Sud » brand. Written as `searchable` +
// `words` leave them. Abbreviations and the codes only match the whole text; the names also match
// inside a longer one (« COSIM Occitanie Méditerranée »).
const NAMES: Record<RegionCode, string[]> = {
  ARA: ['auvergne rhone alpes', 'auvergne', 'rhone alpes'],
  BFC: ['bourgogne franche comte', 'bourgogne', 'franche comte'],
  BRE: ['bretagne'],
  CVL: ['centre val de loire'],
  COR: ['corse'],
  GES: ['grand est', 'alsace champagne ardenne lorraine', 'alsace', 'lorraine', 'champagne ardenne'],
  HDF: ['hauts de france', 'nord pas de calais picardie', 'nord pas de calais', 'picardie'],
  IDF: ['ile de france'],
  NOR: ['normandie'],
  NAQ: [
    'nouvelle aquitaine',
    'aquitaine limousin poitou charentes',
    'aquitaine',
    'limousin',
    'poitou charentes',
  ],
  OCC: ['occitanie', 'languedoc roussillon midi pyrenees', 'languedoc roussillon', 'midi pyrenees'],
  PDL: ['pays de la loire'],
  PAC: ['provence alpes cote d azur', 'provence', 'cote d azur'],
  GUA: ['guadeloupe'],
  MTQ: ['martinique'],
  GUF: ['guyane'],
  REU: ['reunion'],
  MAY: ['mayotte'],
};

const WHOLE_ONLY: Record<string, RegionCode> = {
  aura: 'ARA',
  centre: 'CVL',
  paca: 'PAC',
  'region sud': 'PAC',
  paris: 'IDF',
  'region parisienne': 'IDF',
  nord: 'HDF',
};

const words = searchWords;

const wholeOnly = new Map<string, RegionCode>(Object.entries(WHOLE_ONLY));
for (const code of REGION_CODES) {
  wholeOnly.set(code.toLowerCase(), code);
  wholeOnly.set(words(REGIONS[code]), code);
}
const names = REGION_CODES.flatMap((code) => NAMES[code].map((name) => ({ name, code })));

/**
 * The region a free text names (« Bretagne », « ile-de-france », « COSIM Occitanie Méditerranée »,
 * « Midi-Pyrénées », « PACA », « BRE »), or null when it names none or several (« National »,
 * « Bretagne et Normandie »).
 */
export function regionOf(text: string): RegionCode | null {
  const plain = words(text);
  if (plain === '') return null;
  const whole = wholeOnly.get(plain) ?? wholeOnly.get(plain.replace(/^(region|la|le|l) /, ''));
  if (whole) return whole;
  const padded = ` ${plain} `;
  const found: { start: number; end: number; code: RegionCode }[] = [];
  for (const { name, code } of names) {
    let at = padded.indexOf(` ${name} `);
    while (at !== -1) {
      found.push({ start: at, end: at + name.length, code });
      at = padded.indexOf(` ${name} `, at + 1);
    }
  }
  // A name inside a longer one that was found too (« aquitaine » in « nouvelle aquitaine ») is
  // that longer one's.
  const kept = found.filter(
    (a) =>
      !found.some(
        (b) => b !== a && b.start <= a.start && b.end >= a.end && b.end - b.start > a.end - a.start,
      ),
  );
  const codes = new Set(kept.map((match) => match.code));
  return codes.size === 1 ? [...codes][0]! : null;
}

/** Where a fiche's region was read. */
export type RegionSource = 'fiche' | 'osim' | 'collective';

/**
 * A fiche's region, the one rule of the showcase and the analysis: the region its author chose,
 * else the one its author's OSIM writes in the network (« Bretagne », « COSIM Occitanie
 * Méditerranée »: read by regionOf), else its cycle's collective's; null when none names one.
 */
export function ficheRegion(values: {
  region: string | null;
  osimRegion: string | null;
  collectiveRegion: string | null;
}): { region: RegionCode | null; source: RegionSource | null } {
  if (values.region && isRegionCode(values.region)) return { region: values.region, source: 'fiche' };
  const osim = values.osimRegion ? regionOf(values.osimRegion) : null;
  if (osim) return { region: osim, source: 'osim' };
  const collective = values.collectiveRegion ? regionOf(values.collectiveRegion) : null;
  if (collective) return { region: collective, source: 'collective' };
  return { region: null, source: null };
}
