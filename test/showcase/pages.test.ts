// The showcase's list in pages of 20, and the weight of a first visit of /vitrine: the page and
// everything it loads (stylesheet, icon; no script), compressed as a phone's browser asks
// (brotli), headers included — under 30 KB with a full page of actions and the map.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShowcaseWorld, type ShowcaseWorld } from './fiches.ts';

let world: ShowcaseWorld;
beforeAll(async () => {
  world = await createShowcaseWorld();
  world.addPublished(25);
});
afterAll(() => world.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  world.ctx.app.inject({ method: 'GET', url, headers });

const titles = (html: string) => [...html.matchAll(/<h3 class="cycle-card__title">/g)].length;

/** Bytes on the wire: the body as sent and the status line and headers. */
function wireBytes(response: LightMyRequestResponse): number {
  const headers = Object.entries(response.headers).reduce(
    (n, [name, value]) => n + name.length + String(value).length + 4,
    17,
  );
  return response.rawPayload.length + headers;
}

describe('the list of actions', () => {
  it('is paged by 20, the filters kept in the pages’ links, a 404 past the last page', async () => {
    const first = (await get('/vitrine')).body;
    expect(titles(first)).toBe(20);
    expect(first.replace(/\u00a0/g, ' ')).toContain('31 actions · Page 1 sur 2');
    expect(first).toContain('<a class="button" rel="next" href="/vitrine?page=2#actions">');
    const second = (await get('/vitrine?page=2')).body;
    expect(titles(second)).toBe(11);
    expect(second).toContain('rel="prev" href="/vitrine#actions"');
    expect((await get('/vitrine?page=3')).statusCode).toBe(404);
    const sport = (await get('/vitrine?domain=sport&page=2')).body;
    expect(titles(sport)).toBe(5);
    expect(sport).toContain('rel="prev" href="/vitrine?domain=sport#actions"');
    expect(sport).toMatch(
      /<meta property="og:url" content="http:\/\/passerelle\.test\/vitrine\?domain=sport&amp;page=2">/,
    );
  });

  it('weighs at most 30 KB on a first visit, compressed, with everything it loads', async () => {
    const page = await get('/vitrine', { 'accept-encoding': 'br, gzip' });
    expect(page.headers['content-encoding']).toMatch(/br|gzip/);
    const raw = page.rawPayload;
    const html = (
      page.headers['content-encoding'] === 'br' ? brotliDecompressSync(raw) : gunzipSync(raw)
    ).toString();
    expect(titles(html)).toBe(20);
    expect(html).not.toContain('<script');
    const assets = [...new Set([...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!))];
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    let total = wireBytes(page);
    for (const asset of assets) {
      const response = await get(asset, { 'accept-encoding': 'br, gzip' });
      expect(response.statusCode, asset).toBe(200);
      total += wireBytes(response);
    }
    expect(total, `first visit of /vitrine: ${total} bytes (page ${wireBytes(page)})`).toBeLessThanOrEqual(
      30 * 1024,
    );
  });
});
