// HTML the Nu checker (vnu) refuses, checked on the pages each demo account opens: an autocomplete
// token made for a <textarea> on an <input>, and aria-label or aria-labelledby on an element whose
// role cannot be named (a <pre>, <p>, <span>, <div> without a role: screen readers ignore the name).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.ts';
import { createTestApp, TestClient, type TestContext } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

/** Autofill tokens for several lines of text: allowed on <textarea> only. */
const MULTILINE_TOKENS = new Set(['street-address']);
/** Elements of the generic role (or none): naming them with aria-label is not allowed. */
const UNNAMEABLE = new Set(['pre', 'p', 'span', 'div', 'code', 'em', 'strong', 'b', 'i', 'small']);

function problems(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<([a-z][a-z0-9]*)(\s[^>]*)?>/g)) {
    const [tag, name = '', attributes = ''] = match;
    const autocomplete = /\sautocomplete="([^"]*)"/.exec(attributes)?.[1];
    if (name === 'input' && autocomplete && autocomplete.split(/\s+/).some((t) => MULTILINE_TOKENS.has(t)))
      found.push(`autocomplete="${autocomplete}" on <input>: ${tag}`);
    if (UNNAMEABLE.has(name) && !/\srole="/.test(attributes) && /\saria-label(ledby)?="/.test(attributes))
      found.push(`aria-label on <${name}>: ${tag}`);
  }
  return found;
}

async function signedIn(email: string) {
  const client = new TestClient(ctx.app);
  await client.login(email, DEMO_PASSWORD);
  return client;
}

async function pageProblems(client: TestClient, url: string) {
  const res = await client.get(url);
  expect(res.statusCode, url).toBe(200);
  return problems(res.body).map((p) => `${url}: ${p}`);
}

describe('HTML the Nu checker refuses', () => {
  it('finds nothing on the séance form, the CSV import and the pages around them', async () => {
    const trainer = await signedIn('formation@cosim-bretagne.test');
    const cycles = await trainer.get('/cycles');
    const cycleId = /href="\/cycles\/(\d+)"/.exec(cycles.body)?.[1];
    expect(cycleId).toBeDefined();
    const coordinator = await signedIn('coordination@cosim-bretagne.test');
    const found = [
      ...(await pageProblems(trainer, `/cycles/${cycleId}/gatherings/new`)),
      ...(await pageProblems(trainer, '/cycles')),
      ...(await pageProblems(trainer, '/calendar')),
      ...(await pageProblems(coordinator, '/invitations/import')),
      ...(await pageProblems(coordinator, '/invitations/new')),
      ...(await pageProblems(coordinator, '/')),
    ];
    expect(found).toEqual([]);
  });

  it('shows the CSV example with a visible caption', async () => {
    const coordinator = await signedIn('coordination@cosim-bretagne.test');
    const res = await coordinator.get('/invitations/import');
    expect(res.body).toMatch(/<figure[^>]*>\s*<figcaption>Exemple de fichier CSV<\/figcaption>\s*<pre/);
  });
});
