// The trend chart's SVG: accessible names, one bar and one marker per month, proportional bars,
// escaped text, French month labels, words from the catalogue, and no NaN whatever the data.
import { describe, expect, it } from 'vitest';
import {
  monthLabels,
  niceAxis,
  type TrendPoint,
  trendChartSvg,
  trendLabels,
} from '../../src/dashboards/chart.ts';
import { translator } from '../../src/i18n/index.ts';

const NBSP = '\u00a0';
const labels = {
  ...trendLabels(translator('fr')),
  title: 'Tendance mensuelle',
  enrolments: 'Inscriptions',
  completions: 'Parcours terminés',
};

function months(from: string, n: number): string[] {
  const [year, month] = from.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const index = month - 1 + i;
    return `${year + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

function points(enrolments: number[], completions: number[], from = '2025-09'): TrendPoint[] {
  return months(from, enrolments.length).map((month, i) => ({
    month,
    enrolments: enrolments[i] ?? 0,
    completions: completions[i] ?? 0,
  }));
}

/** The content of the `<g class="NAME" …>…</g>` group. */
function group(svg: string, name: string): string {
  const match = new RegExp(`<g class="${name}"[^>]*>(.*?)</g>`).exec(svg);
  return match?.[1] ?? '';
}

function barHeights(svg: string): number[] {
  return [...group(svg, 'bars').matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
}

/** The x axis' labels as read: the month, and the year (on its own line) as two digits. */
function xLabels(svg: string): string[] {
  const axis = /<g fill="#444" text-anchor="middle">(.*?)<\/g>/.exec(svg)?.[1] ?? '';
  return [...axis.matchAll(/<text [^>]*>([^<]*)(?:<tspan [^>]*>20(\d{2})<\/tspan>)?<\/text>/g)].map((m) =>
    m[2] ? `${m[1]} ${m[2]}` : (m[1] ?? ''),
  );
}

const year = points([18, 25, 40, 32, 28, 22, 9, 4, 35, 30, 26, 20], [0, 2, 5, 8, 12, 10, 6, 3, 7, 11, 14, 9]);

describe('trendChartSvg', () => {
  it('names the chart with its title and a French summary', () => {
    const svg = trendChartSvg(year, labels, 'trend');
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('aria-labelledby="trend-title trend-desc"');
    expect(svg).toContain('viewBox="0 0 640 260"');
    expect(svg).toContain('width="100%"');
    expect(svg).toContain('<title id="trend-title">Tendance mensuelle</title>');
    expect(svg).toContain(
      `<desc id="trend-desc">Inscriptions${NBSP}: 289${NBSP}en tout, le plus en novembre 2025 (40). ` +
        `Parcours terminés${NBSP}: 87${NBSP}en tout, le plus en juillet 2026 (14).</desc>`,
    );
    expect(svg).not.toContain('<table');
  });

  it('draws one bar per month, its height proportional to the enrolments', () => {
    const enrolments = [18, 25, 40, 32, 28, 22, 9, 4, 35, 30, 26, 20];
    const heights = barHeights(trendChartSvg(year, labels, 'trend'));
    expect(heights).toHaveLength(12);
    const unit = heights[2]! / 40;
    heights.forEach((height, i) => {
      expect(height).toBeCloseTo(enrolments[i]! * unit, 0);
    });
  });

  it('draws the completions as a dashed line with one marker per month', () => {
    const svg = trendChartSvg(year, labels, 'trend');
    const polyline = /<polyline points="([^"]*)"[^>]*stroke-dasharray/.exec(svg);
    expect(polyline?.[1]?.split(' ')).toHaveLength(12);
    expect(group(svg, 'markers').match(/<circle /g)).toHaveLength(12);
  });

  it('shows both series in the legend, with their colours', () => {
    const svg = trendChartSvg(year, labels, 'trend');
    expect(svg).toContain('>Inscriptions</text>');
    expect(svg).toContain('>Parcours terminés</text>');
    expect(svg).toContain('fill="#1d4f91"');
    expect(svg).toContain('stroke="#b3401b"');
  });

  it('labels the months in French, with the year on the first point and on January', () => {
    const svg = trendChartSvg(year, labels, 'trend');
    expect(xLabels(svg)).toEqual([
      'sept. 25',
      'oct.',
      'nov.',
      'déc.',
      'janv. 26',
      'févr.',
      'mars',
      'avr.',
      'mai',
      'juin',
      'juil.',
      'août',
    ]);
  });

  it('labels every 2nd month beyond 12 points and every 3rd beyond 24', () => {
    expect(monthLabels(months('2025-01', 18)).filter((l) => l !== null)).toEqual([
      'janv. 25',
      'mars',
      'mai',
      'juil.',
      'sept.',
      'nov.',
      'janv. 26',
      'mars',
      'mai',
    ]);
    const quarterly = monthLabels(months('2024-05', 36)).filter((l) => l !== null);
    expect(quarterly).toHaveLength(12);
    expect(quarterly.slice(0, 3)).toEqual(['juil. 24', 'oct.', 'janv. 25']);
  });

  it('escapes every text it writes', () => {
    const nasty = { ...labels, title: 'A <script>&"\'', enrolments: '<b>', completions: 'x & y' };
    const svg = trendChartSvg(year, nasty, 'a"b');
    expect(svg).toContain('A &lt;script&gt;&amp;&quot;&#39;</title>');
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).toContain('x &amp; y');
    expect(svg).toContain('aria-labelledby="a&quot;b-title a&quot;b-desc"');
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
  });

  it('formats the numbers in French', () => {
    const svg = trendChartSvg(points([12_345], [0]), labels, 'big');
    expect(svg).toContain('12\u202f345');
  });

  it.each([
    ['no points', []],
    ['one point', points([7], [3])],
    ['all zeros', points(Array(12).fill(0), Array(12).fill(0))],
    ['36 points', points(Array(36).fill(5), Array(36).fill(1))],
  ])('never writes NaN or undefined (%s)', (_, data) => {
    const svg = trendChartSvg(data, labels, 'edge');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(svg).toMatch(/^<svg [^>]*>.*<\/svg>$/);
  });

  it('says there is no data when there are no points', () => {
    const svg = trendChartSvg([], labels, 'empty');
    expect(svg).toContain('<title id="empty-title">Tendance mensuelle</title>');
    expect(svg).toContain('Pas de données</text>');
    expect(svg).toContain('<desc id="empty-desc">Pas de données pour cette période.</desc>');
    expect(svg).not.toContain('<rect');
  });

  it('still draws an axis when everything is 0', () => {
    const svg = trendChartSvg(points([0, 0, 0], [0, 0, 0]), labels, 'zero');
    expect(barHeights(svg)).toEqual([0, 0, 0]);
    expect(svg).toContain('>1</text>');
    expect(svg).toContain(`Inscriptions${NBSP}: 0${NBSP}en tout.`);
  });

  it('draws a single point as a bar and a marker', () => {
    const svg = trendChartSvg(points([7], [3]), labels, 'one');
    expect(barHeights(svg)).toHaveLength(1);
    expect(group(svg, 'markers').match(/<circle /g)).toHaveLength(1);
    expect(xLabels(svg)).toEqual(['sept. 25']);
  });

  it('stays small', () => {
    expect(trendChartSvg(year, labels, 'trend').length).toBeLessThan(6000);
  });
});

describe('niceAxis', () => {
  it.each([
    [0, 2, 1],
    [1, 2, 1],
    [3, 3, 1],
    [7, 8, 2],
    [40, 40, 10],
    [41, 60, 20],
    [6100, 8000, 2000],
  ])('%i → 0..%i by %i', (max, top, step) => {
    expect(niceAxis(max)).toEqual({ top, step });
  });

  it('keeps 2 to 4 steps above the largest value', () => {
    for (let max = 0; max <= 5000; max += 7) {
      const { top, step } = niceAxis(max);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(top / step).toBeGreaterThanOrEqual(2);
      expect(top / step).toBeLessThanOrEqual(4);
    }
  });
});
