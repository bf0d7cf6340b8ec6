// The showcase for machines: an Atom 1.0 feed of the last actions published, the sitemap of the
// public pages, robots.txt, and the sharing tags (Open Graph, Twitter) of the showcase's pages. Every
// text is XML-escaped, and characters XML 1.0 cannot hold are dropped. Authors are organizations
// (the action's OSIM), never a person.
import type { Translate } from '../i18n/index.ts';
import { actionSummary, type PublishedAction, type PublishedActionPage } from './showcase.ts';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Whether XML 1.0 may hold this code point (tab, line feed, carriage return, and no other control). */
function isXmlChar(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    c >= 0x10000
  );
}

/** Text as XML character data or attribute value: escaped, without what XML 1.0 cannot hold. */
export function xmlText(text: string): string {
  let out = '';
  for (const ch of text) {
    if (isXmlChar(ch.codePointAt(0)!)) out += ENTITIES[ch] ?? ch;
  }
  return out;
}

/** An action's public address. */
export const actionPath = (id: number) => `/vitrine/actions/${id}`;

/**
 * A stable id for the feed's entries (RFC 4151 tag URI): the site's host name, the year the
 * showcase opened, the action's number — the same whatever its title or publication date.
 */
export function entryId(baseUrl: string, id: number): string {
  return `tag:${new URL(baseUrl).hostname},2026:passerelle/vitrine/actions/${id}`;
}

/** The Atom feed of `actions` (newest first), as the site at `baseUrl` serves it. */
export function atomFeed(baseUrl: string, actions: readonly PublishedActionPage[], t: Translate): string {
  const updated = (actions[0]?.publishedAt ?? new Date(0)).toISOString();
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
    `<id>tag:${xmlText(new URL(baseUrl).hostname)},2026:passerelle/vitrine</id>`,
    `<title>${xmlText(t('showcase.feed.title'))}</title>`,
    `<subtitle>${xmlText(t('showcase.feed.subtitle'))}</subtitle>`,
    `<updated>${updated}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(`${baseUrl}/vitrine/feed.xml`)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(`${baseUrl}/vitrine`)}"/>`,
    `<author><name>${xmlText(t('showcase.siteName'))}</name></author>`,
    `<generator>${xmlText(t('app.name'))}</generator>`,
  ];
  for (const action of actions) {
    const when = action.publishedAt.toISOString();
    const author = action.osim ?? action.collective ?? t('showcase.siteName');
    lines.push(
      '<entry>',
      `<id>${xmlText(entryId(baseUrl, action.id))}</id>`,
      `<title>${xmlText(action.title)}</title>`,
      `<updated>${when}</updated>`,
      `<published>${when}</published>`,
      `<link rel="alternate" type="text/html" href="${xmlText(baseUrl + actionPath(action.id))}"/>`,
      `<author><name>${xmlText(author)}</name></author>`,
      ...(action.domain
        ? [`<category term="${action.domain}" label="${xmlText(t(`fiche.domain.${action.domain}`))}"/>`]
        : []),
      `<summary type="text">${xmlText(actionSummary(action))}</summary>`,
      '</entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** The sitemap of the public pages: the showcase, each published action, the privacy notice. */
export function sitemap(baseUrl: string, actions: readonly PublishedAction[]): string {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const url = (path: string, lastmod: Date | null) =>
    `<url><loc>${xmlText(baseUrl + path)}</loc>${lastmod ? `<lastmod>${day(lastmod)}</lastmod>` : ''}</url>`;
  const latest = actions.reduce<Date | null>(
    (max, a) => (max === null || a.publishedAt > max ? a.publishedAt : max),
    null,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    url('/vitrine', latest),
    ...actions.map((action) => url(actionPath(action.id), action.publishedAt)),
    url('/confidentialite', null),
    '</urlset>',
    '',
  ].join('\n');
}

/** robots.txt: everything may be read (signed-in pages answer a sign-in page); where the sitemap is. */
export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${baseUrl}/sitemap.xml\n`;
}

/** Tags of the page's head (base.eta's `head`): sharing tags, links, and whether scripts load. */
export interface HeadTags {
  meta: Array<{ name?: string; property?: string; content: string }>;
  links: Array<{ rel: string; href: string; type?: string; title?: string }>;
  /** false: no script at all (the page works without; htmx is 17 KB of a 30 KB first visit). */
  scripts: boolean;
}

/**
 * What a link shared on WhatsApp, Facebook or elsewhere shows (Open Graph, Twitter's card), the
 * page's description and canonical address, and the showcase's feed. No script: the showcase's
 * pages work without, and stay small.
 */
export function showcaseHead(
  t: Translate,
  page: { title: string; description: string; url: string; type: 'website' | 'article'; published?: Date },
): HeadTags {
  return {
    meta: [
      { name: 'description', content: page.description },
      { property: 'og:title', content: page.title },
      { property: 'og:description', content: page.description },
      { property: 'og:type', content: page.type },
      { property: 'og:url', content: page.url },
      { property: 'og:site_name', content: t('showcase.siteName') },
      { property: 'og:locale', content: 'fr_FR' },
      ...(page.published
        ? [{ property: 'article:published_time', content: page.published.toISOString() }]
        : []),
      { name: 'twitter:card', content: 'summary' },
      { name: 'twitter:title', content: page.title },
      { name: 'twitter:description', content: page.description },
    ],
    links: [
      { rel: 'canonical', href: page.url },
      {
        rel: 'alternate',
        type: 'application/atom+xml',
        href: '/vitrine/feed.xml',
        title: t('showcase.feed.title'),
      },
    ],
    scripts: false,
  };
}
