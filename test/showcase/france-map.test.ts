// The showcase's map of France: every region drawn, where it should be, as well-formed SVG with
// its counts written, links named for screen readers, every text escaped; and regionOf reading
// the region names organisations carry.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { network } from '../../src/demo/demo-network.ts';
import { cosimSeeds } from '../../src/demo/national-words.ts';
import {
  franceMapSvg,
  GEOMETRY_FILE,
  MAP_SOURCE,
  nameLines,
  OVERSEAS,
  REGION_CODES,
  REGIONS,
  type RegionCode,
  regionOf,
  SHADES,
  shadeStep,
} from '../../src/showcase/france-map.ts';

const plural = (n: number) => (n === 0 ? 'aucune action' : n === 1 ? '1 action' : `${n} actions`);
const base = {
  title: 'Les actions par région',
  description: 'Nombre d’actions publiées dans chaque région.',
  label: (code: RegionCode) => REGIONS[code],
  countLabel: plural,
};

/**
 * A strict XML well-formedness check (no parser in the dependencies): names, quoted attributes,
 * no raw « < » or stray « & » in text or values, every element closed in order.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const entity = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi;
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of xml.matchAll(token)) {
    const [, closing, name, attributes, selfClosing, text, stray] = m;
    if (stray) {
      problems.push(`stray < at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
      continue;
    }
    const raw = text ?? attributes ?? '';
    if (raw.replace(entity, '').includes('&')) problems.push(`raw & in ${raw.slice(0, 60)}`);
    if (text !== undefined) continue;
    const names = [...(attributes ?? '').matchAll(/\s([\w:.-]+)=/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) problems.push(`attribute twice in <${name}>`);
    if (closing) {
      if (open.pop() !== name) problems.push(`</${name}> closes another element`);
    } else if (!selfClosing) open.push(name!);
  }
  if (open.length > 0) problems.push(`not closed: ${open.join(', ')}`);
  return problems;
}

/** The bounding box of an `M x y l dx dy … z` path (the generator writes only these commands). */
function boxOf(d: string): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const sub of d.split('z').filter(Boolean)) {
    const [head, tail = ''] = sub.slice(1).split('l');
    const nums = (s: string) => (s.match(/-?(\d+\.?\d*|\.\d+)/g) ?? []).map(Number);
    let [x, y] = nums(head!) as [number, number];
    const deltas = nums(tail);
    for (let i = -2; i < deltas.length; i += 2) {
      if (i >= 0) [x, y] = [x + deltas[i]!, y + deltas[i + 1]!];
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return [x0, y0, x1, y1];
}

function regionsIn(svg: string): Map<string, { open: string; d: string; body: string }> {
  const found = new Map<string, { open: string; d: string; body: string }>();
  for (const m of svg.matchAll(/(<(a|g) [^>]*data-region="([A-Z]+)"[^>]*>)(.*?)<\/\2>/g)) {
    found.set(m[3]!, { open: m[1]!, body: m[4]!, d: /<path d="([^"]+)"/.exec(m[4]!)?.[1] ?? '' });
  }
  return found;
}

describe('franceMapSvg', () => {
  const counts = { BRE: 3, OCC: 7, IDF: 12, GUA: 1, REU: 2 };
  const svg = franceMapSvg(counts, { ...base, hrefFor: (code) => `/vitrine?region=${code}` });

  it('draws the 18 regions, each with a path, in the viewBox, where France has them', () => {
    const regions = regionsIn(svg);
    expect([...regions.keys()].sort()).toEqual([...REGION_CODES].sort());
    const [, , width, height] = /viewBox="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number) as number[];
    const centre = new Map<string, [number, number]>();
    for (const [code, { d }] of regions) {
      expect(d, code).toMatch(/^M[-\d. ]+l[-\d. ]+z/);
      const [x0, y0, x1, y1] = boxOf(d);
      expect(x0, code).toBeGreaterThanOrEqual(0);
      expect(y0, code).toBeGreaterThanOrEqual(0);
      expect(x1, code).toBeLessThanOrEqual(width!);
      expect(y1, code).toBeLessThanOrEqual(height!);
      expect((x1 - x0) * (y1 - y0), code).toBeGreaterThan(400); // not a speck
      centre.set(code, [(x0 + x1) / 2, (y0 + y1) / 2]);
    }
    const [x, y] = [(c: string) => centre.get(c)![0], (c: string) => centre.get(c)![1]];
    expect(x('BRE')).toBeLessThan(x('IDF'));
    expect(x('GES')).toBeGreaterThan(x('IDF'));
    expect(y('HDF')).toBeLessThan(y('IDF'));
    expect(y('OCC')).toBeGreaterThan(y('CVL'));
    expect(x('COR')).toBeGreaterThan(x('PAC'));
    expect(y('COR')).toBeGreaterThan(y('PAC'));
    // The overseas regions, in their insets below metropolitan France.
    for (const code of OVERSEAS) expect(y(code), code).toBeGreaterThan(y('COR'));
  });

  it('is well-formed XML, an SVG with a title and a description', () => {
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('<title>Les actions par région</title>');
    expect(svg).toContain('<desc>Nombre d’actions publiées dans chaque région.</desc>');
  });

  it('writes the counts and names, and links each region named with its count', () => {
    const regions = regionsIn(svg);
    const written = (code: string) =>
      [...regions.get(code)!.body.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(written('BRE')).toEqual(['Bretagne', '3']);
    expect(written('IDF')).toEqual(['Île-de-', 'France', '12']);
    expect(written('COR')).toEqual(['Corse', '0']);
    expect(written('REU')).toEqual(['La Réunion', '2']);
    expect(regions.get('BRE')!.open).toContain(
      '<a href="/vitrine?region=BRE" aria-label="Bretagne : 3 actions"',
    );
    expect(regions.get('MAY')!.open).toContain('aria-label="Mayotte : aucune action"');
  });

  it('shades by count, the most in the darkest step, none in the lightest', () => {
    const fill = (code: string) => /fill="(#[0-9a-f]{6})" fill-rule/.exec(regionsIn(svg).get(code)!.body)![1];
    expect(fill('IDF')).toBe(SHADES[4]);
    expect(fill('COR')).toBe(SHADES[0]);
    expect(fill('GUA')).toBe(SHADES[1]);
    expect([0, 1, 3, 6, 12].map((n) => shadeStep(n, 12))).toEqual([0, 1, 1, 2, 4]);
    expect(shadeStep(0, 0)).toBe(0);
  });

  it('makes a region without a page an image named with its count, not a link', () => {
    const some = franceMapSvg(counts, { ...base, hrefFor: (code) => (code in counts ? `/r/${code}` : null) });
    const regions = regionsIn(some);
    expect(regions.get('BRE')!.open).toMatch(/^<a href="\/r\/BRE"/);
    expect(regions.get('NOR')!.open).toMatch(/^<g role="img" aria-label="Normandie : aucune action"/);
    const none = franceMapSvg(counts, base);
    expect(none).not.toContain('<a ');
    expect(xmlProblems(none)).toEqual([]);
  });

  it('escapes every text it is given', () => {
    const evil = '<script>alert("x")</script> & Cie';
    const out = franceMapSvg(
      { BRE: 1 },
      {
        title: evil,
        description: evil,
        label: (code) => (code === 'BRE' ? evil : REGIONS[code]),
        countLabel: (n) => `${n} <b>action</b>`,
        hrefFor: (code) => `/vitrine?region=${code}&q="<x>"`,
      },
    );
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<b>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie');
    expect(out).toContain('href="/vitrine?region=BRE&amp;q=&quot;&lt;x&gt;&quot;"');
    expect(xmlProblems(out)).toEqual([]);
  });

  it('cuts long names in two after a hyphen, or at a space', () => {
    expect(nameLines('Bretagne')).toEqual(['Bretagne']);
    expect(nameLines('Auvergne-Rhône-Alpes')).toEqual(['Auvergne-', 'Rhône-Alpes']);
    expect(nameLines('Provence-Alpes-Côte d’Azur')).toEqual(['Provence-Alpes-', 'Côte d’Azur']);
    expect(nameLines('Centre-Val de Loire')).toEqual(['Centre-', 'Val de Loire']);
    expect(nameLines('Pays de la Loire')).toEqual(['Pays de', 'la Loire']);
  });
});

describe('the geometry file', () => {
  it('is small, and says where its shapes come from and under which licence', () => {
    expect(statSync(GEOMETRY_FILE).size).toBeLessThan(40_000);
    expect(MAP_SOURCE.source).toMatch(/Natural Earth/);
    expect(MAP_SOURCE.licence).toMatch(/public domain/i);
  });
});

describe('regionOf', () => {
  it('reads the region of every organisation of the demo', () => {
    const written = [...network.map((org) => org.region), ...cosimSeeds.map((c) => c.region)];
    for (const text of written) {
      if (!text || text === 'National') continue;
      expect(regionOf(text), text).not.toBeNull();
    }
    expect(regionOf('National')).toBeNull();
  });

  it('knows each region by its name, whatever the accents, case and hyphens', () => {
    for (const code of REGION_CODES) {
      const name = REGIONS[code];
      expect(regionOf(name), name).toBe(code);
      const plain = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/-/g, ' ');
      expect(regionOf(plain), plain).toBe(code);
      expect(regionOf(name.toUpperCase()), name).toBe(code);
      expect(regionOf(code), code).toBe(code);
    }
    expect(regionOf('ile-de-france')).toBe('IDF');
    expect(regionOf("  Provence-Alpes-Côte d'Azur ")).toBe('PAC');
    expect(regionOf('Réunion')).toBe('REU');
    expect(regionOf('Guyane française')).toBe('GUF');
  });

  it('reads longer texts, the regions before 2016 and the usual abbreviations', () => {
    expect(regionOf('COSIM Occitanie Méditerranée')).toBe('OCC');
    expect(regionOf('Région Bretagne')).toBe('BRE');
    expect(regionOf('Midi-Pyrénées')).toBe('OCC');
    expect(regionOf('Rhône-Alpes')).toBe('ARA');
    expect(regionOf('Nord-Pas-de-Calais')).toBe('HDF');
    expect(regionOf('Alsace')).toBe('GES');
    expect(regionOf('Poitou-Charentes')).toBe('NAQ');
    expect(regionOf('Nouvelle Aquitaine')).toBe('NAQ');
    expect(regionOf('Centre')).toBe('CVL');
    expect(regionOf('PACA')).toBe('PAC');
    expect(regionOf('Région Sud')).toBe('PAC');
    expect(regionOf('idf')).toBe('IDF');
  });

  it('answers null for no region or for several', () => {
    expect(regionOf('')).toBeNull();
    expect(regionOf('Sénégal')).toBeNull();
    expect(regionOf('Bretagne et Normandie')).toBeNull();
    expect(regionOf('Centre social des Minguettes')).toBeNull();
  });
});
