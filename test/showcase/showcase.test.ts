// The public showcase, signed out: /vitrine with its filters, figures and map counted against a
// hand-made set of fiches (fiches.ts), an action's page and its sharing tags, the Atom feed and the
// sitemap read with a real XML parser, a crawl of every public page reachable from /vitrine that
// finds nothing unpublished, no e-mail address and no person's name, a withdrawal that takes
// effect at once, and bad addresses that never give a 500.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, text } from '../helpers.ts';
import { createShowcaseWorld, EXPECTED, type ShowcaseWorld } from './fiches.ts';

let world: ShowcaseWorld;
beforeAll(async () => {
  world = await createShowcaseWorld();
});
afterAll(() => world.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  world.ctx.app.inject({ method: 'GET', url, headers });

/** The key figures of /vitrine, in their order: actions, QPV, people, volunteers. */
function figures(html: string) {
  const block = /<dl class="key-figures">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
  const [actions, qpv, participants, volunteers] = [...block.matchAll(/<dd>([^<]*)<\/dd>/g)].map((m) =>
    Number(m[1]!.replace(/\s/g, '')),
  );
  return { actions, qpv, participants, volunteers };
}

/** The map's regions as read out: « Bretagne : 2 actions ». */
function mapLabels(html: string): string[] {
  return [...html.matchAll(/aria-label="([^"]*)" class="france-map-region"/g)].map((m) => plain(m[1]!));
}

/** No-break spaces (French typography) as plain ones. */
const plain = (html: string) => html.replace(/[\u00a0\u202f]/g, ' ');

/** The titles of the list's actions. */
const listed = (html: string) =>
  [...html.matchAll(/<h3 class="cycle-card__title"><a href="\/vitrine\/actions\/\d+">([^<]*)<\/a>/g)].map(
    (m) => text(m[1]!),
  );

function meta(html: string, key: string): string | undefined {
  const m = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`).exec(html);
  return m ? text(m[1]!) : undefined;
}

interface FeedEntry {
  id: string;
  title: string;
  updated: string;
  author: { name: string };
  link: Array<Record<string, string>>;
  summary: { '#text': string };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'url', 'link'].includes(name),
});

describe('the showcase, signed out', () => {
  it('answers /vitrine, an action, the feed, the sitemap and robots.txt with 200', async () => {
    for (const url of [
      '/vitrine',
      `/vitrine/actions/${world.ids.aide}`,
      '/vitrine/feed.xml',
      '/sitemap.xml',
      '/robots.txt',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(String(response.headers['cache-control']), url).toMatch(/no-cache/);
    }
    expect((await get('/robots.txt')).body).toContain(`Sitemap: ${BASE_URL}/sitemap.xml`);
  });

  it('shows the network’s figures and the map from published fiches only', async () => {
    const html = (await get('/vitrine')).body;
    expect(figures(html)).toEqual(EXPECTED.all);
    const labels = mapLabels(html);
    expect(labels).toContain('Bretagne : 2 actions');
    expect(labels).toContain('Occitanie : 2 actions');
    expect(labels).toContain('Île-de-France : 1 action');
    expect(labels).toContain('Normandie : aucune action');
    expect(text(html)).toContain('1 action sans région précisée n’est pas sur la carte.');
    // Regions with actions are links keeping the other filters; the others are not links.
    expect(plain(html)).toContain('<a href="/vitrine?region=BRE#actions" aria-label="Bretagne : 2 actions"');
    expect(html).not.toMatch(/<a [^>]*aria-label="Normandie/);
    expect(listed(html)).toHaveLength(6);
    // Newest published first.
    expect(listed(html)[0]).toBe('Cuisines du monde en partage');
  });

  it('filters by region, domain, public and QPV, counting against the hand-made set', async () => {
    const cases: Array<[string, string[]]> = [
      ['?region=BRE', ['Maraude solidaire de l’hiver', 'Aide aux devoirs au Blosne']],
      ['?region=OCC', ['Fête de quartier des cultures', 'Forum emploi à la Mosson']],
      ['?region=IDF', ['Atelier numérique <seniors> & aidants']],
      ['?region=NOR', []],
      ['?domain=culture', ['Cuisines du monde en partage', 'Fête de quartier des cultures']],
      ['?public=youth', ['Aide aux devoirs au Blosne']],
      [
        '?qpv=oui',
        [
          'Maraude solidaire de l’hiver',
          'Fête de quartier des cultures',
          'Forum emploi à la Mosson',
          'Aide aux devoirs au Blosne',
        ],
      ],
      ['?qpv=non', ['Cuisines du monde en partage', 'Atelier numérique <seniors> & aidants']],
      ['?region=OCC&qpv=oui&domain=employment', ['Forum emploi à la Mosson']],
    ];
    for (const [qs, titles] of cases) {
      const html = (await get(`/vitrine${qs}`)).body;
      expect(listed(html), qs).toEqual(titles);
      expect(figures(html).actions, qs).toBe(titles.length);
    }
    const culture = (await get('/vitrine?domain=culture')).body;
    expect(figures(culture)).toEqual(EXPECTED.culture);
    expect(text(culture)).toContain('En chiffres, pour cette sélection');
    // The map counts the other filters' actions, and its links keep them.
    expect(mapLabels(culture)).toContain('Occitanie : 1 action');
    expect(mapLabels(culture)).toContain('Bretagne : aucune action');
    expect(culture).toContain('href="/vitrine?region=OCC&amp;domain=culture#actions"');
  });

  it('says which filters apply and how to clear them, and keeps them in the form', async () => {
    const html = plain((await get('/vitrine?region=OCC&qpv=oui')).body);
    const page = text(html);
    expect(page).toContain('Filtres appliqués');
    expect(page).toContain('Région : Occitanie');
    expect(page).toContain('Quartier prioritaire : Dans un QPV');
    expect(html).toContain('href="/vitrine?qpv=oui#actions" aria-label="Retirer le filtre « Région »"');
    expect(html).toContain('href="/vitrine#actions">Effacer tous les filtres</a>');
    expect(html).toMatch(/<option value="OCC" selected>/);
    expect(html).toMatch(/<option value="oui" selected>/);
    // A plain GET form with a label for each choice: it works without JavaScript, and none is loaded.
    expect(html).toContain('<form method="get" action="/vitrine#actions"');
    for (const name of ['region', 'domain', 'public', 'qpv'])
      expect(html).toContain(`<label for="f-${name}">`);
    expect(html).not.toContain('<script');
    expect(text((await get('/vitrine')).body)).not.toContain('Filtres appliqués');
  });

  it('shows an action’s texts as plain text, its facts in words, its OSIM and collective, never its author', async () => {
    const response = await get(`/vitrine/actions/${world.ids.aide}`);
    const html = response.body;
    const page = text(html);
    expect(page).toContain('Aide aux devoirs au Blosne');
    expect(html).toContain(
      '<p class="plain-text">Deux soirs par semaine, des bénévoles aident les collégiens.\nLe samedi',
    );
    for (const words of [
      'Une action de Solidarité Blosne',
      'Collectif : COSIM Bretagne',
      'Éducation',
      'Jeunes, Familles',
      'Rennes — QPV : Le Blosne',
      'septembre 2025 – juin 2026',
      'Commune, Caf',
      'Publiée le',
    ])
      expect(page).toContain(words);
    expect(page).not.toContain('Awa');
    // HTML typed in a fiche is shown as typed.
    const atelier = (await get(`/vitrine/actions/${world.ids.atelier}`)).body;
    expect(atelier).toContain('Atelier numérique &lt;seniors&gt; &amp; aidants');
    expect(atelier).toContain('« &lt;b&gt;pas à pas&lt;/b&gt; »');
    expect(atelier).not.toContain('<b>pas');
  });

  it('gives Open Graph and Twitter tags, and the feed, to the showcase’s pages', async () => {
    const html = (await get(`/vitrine/actions/${world.ids.aide}`)).body;
    expect(meta(html, 'og:title')).toBe('Aide aux devoirs au Blosne');
    expect(meta(html, 'og:type')).toBe('article');
    expect(meta(html, 'og:url')).toBe(`${BASE_URL}/vitrine/actions/${world.ids.aide}`);
    expect(meta(html, 'og:site_name')).toBe('Passerelle — FORIM');
    expect(meta(html, 'og:locale')).toBe('fr_FR');
    expect(meta(html, 'og:description')).toBe(
      'Deux soirs par semaine, des bénévoles aident les collégiens. Le samedi, les parents viennent aussi.',
    );
    expect(meta(html, 'twitter:card')).toBe('summary');
    expect(html).toContain('<link rel="alternate" href="/vitrine/feed.xml" type="application/atom+xml"');
    const index = (await get('/vitrine?domain=culture')).body;
    expect(meta(index, 'og:type')).toBe('website');
    expect(meta(index, 'og:url')).toBe(`${BASE_URL}/vitrine?domain=culture`);
    expect(meta(index, 'og:description')?.length).toBeGreaterThan(20);
    expect(index).toContain('type="application/atom+xml"');
    // A long text is cut near 200 characters, at a word.
    world.ctx.db.$client
      .prepare('UPDATE experiences SET what = ? WHERE id = ?')
      .run(`${'Un texte assez long pour être coupé. '.repeat(20)}Fin.`, world.ids.forum);
    const long = meta((await get(`/vitrine/actions/${world.ids.forum}`)).body, 'og:description')!;
    expect(long.length).toBeLessThanOrEqual(201);
    expect(long.endsWith('…')).toBe(true);
    // Other pages are as before: scripts, no sharing tags.
    const login = (await get('/login')).body;
    expect(login).toContain('js/htmx.min');
    expect(login).not.toContain('og:title');
  });

  it('publishes a valid Atom feed of the published actions, authored by their OSIM', async () => {
    const response = await get('/vitrine/feed.xml');
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);
    const feed = parser.parse(response.body).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toMatch(/^tag:passerelle\.test,2026:/);
    expect(feed.link.map((l: Record<string, string>) => l['@rel']).sort()).toEqual(['alternate', 'self']);
    const entries = feed.entry as FeedEntry[];
    expect(entries.map((e) => e.title)).toHaveLength(6);
    const atelier = entries.find((e) => e.title === 'Atelier numérique <seniors> & aidants')!;
    expect(atelier).toBeDefined();
    expect(atelier.id).toBe(`tag:passerelle.test,2026:passerelle/vitrine/actions/${world.ids.atelier}`);
    expect(atelier.author.name).toBe('Horizons Franciliens');
    expect(atelier.link[0]!['@href']).toBe(`${BASE_URL}/vitrine/actions/${world.ids.atelier}`);
    expect(atelier.link[0]!['@rel']).toBe('alternate');
    expect(atelier.summary['#text']).toContain('« <b>pas à pas</b> »');
    expect(new Date(atelier.updated).toISOString()).toBe(atelier.updated);
    expect(feed.updated).toBe(entries[0]!.updated);
    // An ETag: a feed reader asking again gets a 304 while nothing changed.
    const again = await get('/vitrine/feed.xml', { 'if-none-match': String(response.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('lists the public pages in a valid sitemap with their last change', async () => {
    const response = await get('/sitemap.xml');
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);
    const urls = parser.parse(response.body).urlset.url as Array<{ loc: string; lastmod?: string }>;
    const locs = urls.map((u) => u.loc);
    expect(locs).toContain(`${BASE_URL}/vitrine`);
    expect(locs).toContain(`${BASE_URL}/confidentialite`);
    expect(locs.filter((l) => l.includes('/vitrine/actions/'))).toHaveLength(6);
    const aide = urls.find((u) => u.loc.endsWith(`/vitrine/actions/${world.ids.aide}`))!;
    expect(aide.lastmod).toBe('2026-03-01');
  });
});

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

/** The app's own addresses a page links to (links, the sitemap's and feed's addresses). */
function linksOf(body: string): string[] {
  const found = [
    ...[...body.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]!),
    ...[...body.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]!),
    ...[...body.matchAll(/^Sitemap: (\S+)$/gm)].map((m) => m[1]!),
  ];
  return found
    .map((link) => link.replace(/&amp;/g, '&').replace(/#.*$/, ''))
    .map((link) => (link.startsWith(BASE_URL) ? link.slice(BASE_URL.length) || '/' : link))
    .filter((link) => link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/assets/'));
}

describe('a crawl of every public page reachable from /vitrine', () => {
  it('finds nothing unpublished, no e-mail address and no person’s name', async () => {
    const forbidden = [world.privateTitle, world.requestedTitle, ...world.authorNames];
    const seen = new Set<string>();
    const queue = ['/vitrine', '/vitrine/feed.xml', '/sitemap.xml', '/robots.txt'];
    while (queue.length > 0 && seen.size < 400) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await get(url);
      expect(response.statusCode, url).toBeLessThan(500);
      for (const body of [response.body, plain(text(response.body))]) {
        for (const words of forbidden) expect(body, `${url} shows « ${words} »`).not.toContain(words);
        expect(body, `${url} shows an e-mail address`).not.toMatch(EMAIL);
      }
      const location = response.headers.location;
      if (typeof location === 'string') queue.push(...linksOf(`href="${location}"`));
      queue.push(...linksOf(response.body));
    }
    expect(seen.size).toBeLessThan(400);
    expect(seen.size).toBeGreaterThan(20);
    for (const id of [
      world.ids.aide,
      world.ids.forum,
      world.ids.fete,
      world.ids.atelier,
      world.ids.maraude,
      world.ids.cuisine,
    ])
      expect(seen).toContain(`/vitrine/actions/${id}`);
    for (const url of ['/confidentialite', '/vitrine?region=OCC', '/vitrine?region=BRE', '/login'])
      expect(seen).toContain(url);
    expect(seen).not.toContain(`/vitrine/actions/${world.ids.secret}`);
    expect(seen).not.toContain(`/vitrine/actions/${world.ids.asked}`);
  });
});

describe('bad addresses', () => {
  it('ignore what they cannot read, or answer 404 — never a 500', async () => {
    const ignored = [
      '/vitrine?region=XXX',
      '/vitrine?region=bre',
      '/vitrine?region=BRE&region=OCC',
      '/vitrine?domain=__proto__',
      '/vitrine?public=constructor',
      '/vitrine?qpv=peut-etre',
      '/vitrine?domain=%00',
      `/vitrine?region=${'A'.repeat(5000)}`,
    ];
    for (const url of ignored) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(text(response.body), url).toMatch(/filtres? de l’adresse (n’a|n’ont) pas été/);
      expect(figures(response.body).actions, url).toBe(6);
    }
    for (const url of [
      '/vitrine?region[]=BRE',
      '/vitrine?page=abc',
      '/vitrine?page=0',
      '/vitrine?page=-1',
      '/vitrine?page=1e3',
      '/vitrine?page=99999999999',
    ])
      expect((await get(url)).statusCode, url).toBe(200);
    const notFound = [
      '/vitrine?page=2',
      '/vitrine/actions/abc',
      '/vitrine/actions/0',
      '/vitrine/actions/1.0',
      '/vitrine/actions/-1',
      '/vitrine/actions/99999999',
      `/vitrine/actions/${'9'.repeat(150)}`,
      `/vitrine/actions/${world.ids.secret}`,
      `/vitrine/actions/${world.ids.asked}`,
    ];
    for (const url of notFound) expect((await get(url)).statusCode, url).toBe(404);
    for (const url of [
      '/vitrine/actions/%ZZ',
      `/vitrine/actions/${'9'.repeat(300)}`,
      '/vitrine/feed.xml?x=<>',
      '/sitemap.xml?page=2',
    ])
      expect((await get(url)).statusCode, url).toBeLessThan(500);
  });
});

describe('a withdrawn action', () => {
  it('is gone from /vitrine, its page, the feed and the sitemap at once', async () => {
    const page = `/vitrine/actions/${world.ids.aide}`;
    expect((await get(page)).statusCode).toBe(200);
    for (const publication of ['private', 'requested'] as const) {
      world.setPublication(world.ids.aide, publication);
      const index = (await get('/vitrine')).body;
      expect(listed(index), publication).not.toContain('Aide aux devoirs au Blosne');
      expect(figures(index).actions).toBe(5);
      expect((await get('/vitrine?region=BRE')).body).not.toContain('Aide aux devoirs');
      expect((await get(page)).statusCode, publication).toBe(404);
      const feed = (await get('/vitrine/feed.xml')).body;
      expect(feed).not.toContain('Aide aux devoirs');
      expect(feed).not.toContain(`/vitrine/actions/${world.ids.aide}<`);
      expect(parser.parse(feed).feed.entry).toHaveLength(5);
      expect((await get('/sitemap.xml')).body).not.toContain(`${page}<`);
    }
    world.setPublication(world.ids.aide, 'published');
    expect((await get(page)).statusCode).toBe(200);
    expect(listed((await get('/vitrine')).body)[0]).toBe('Aide aux devoirs au Blosne');
  });
});
