// Eta templates through @fastify/view, and `reply.render()`: the page, or only its fragment when
// htmx asks for a partial swap (see plugins/htmx.ts). Every template gets the same locals: `t`,
// `user`, `csrfToken`, `flash`, `asset()`, `currentPath`.
import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { databaseVersion, networkVersion } from '../db/network-version.ts';
import { formatNumber, type Locale, type MessageKey, type Translate, translator } from '../i18n/index.ts';
import { formatDate, formatDateTime } from '../lib/time.ts';
import type { CurrentUser } from '../people/users.ts';
import { isNational, managesPeople, mayReadAudit, mayStartProjects } from '../policy/policy.ts';
import { passesGate, rules } from '../policy/route-rules.ts';
import type { FragmentOf, Views } from '../views.ts';
import type { Flash } from './flash.ts';
import { createPageStore, TOKEN_PLACEHOLDER } from './kept-pages.ts';

export const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));

export interface RenderOptions<Page extends keyof Views = keyof Views> {
  /** Template rendered without layout when htmx asks for a partial swap, with the page's data. */
  fragment?: FragmentOf<Page>;
  /** Or the fragment's HTML, made already (the dashboards keep theirs in memory): sent as it is. */
  fragmentHtml?: string;
  status?: number;
}

declare module 'fastify' {
  interface FastifyReply {
    /** A template with its data, of the type src/views.ts gives that template. */
    render<Page extends keyof Views>(
      template: Page,
      data: Views[Page],
      options?: RenderOptions<Page>,
    ): Promise<FastifyReply>;
    /**
     * A page that may be kept as rendered (plugins/kept-pages.ts): `data` is only called when the
     * page is made afresh. For pages that show what the database holds for the signed-in person and
     * change nothing it cannot see (the home, the path, a course, a lesson, the sign-in page).
     */
    renderKept<Page extends keyof Views>(template: Page, data: () => Views[Page]): Promise<FastifyReply>;
    /** The locals every template receives (also used by the error pages). */
    viewLocals(): ViewLocals;
  }
}

/** What every template is given besides its own data (src/views.ts). */
export interface ViewLocals {
  t: Translate;
  lang: Locale;
  user: CurrentUser | null;
  csrfToken: string;
  flash: Flash | null;
  asset: (name: string) => string;
  formatDate: (date: Date | number) => string;
  formatDateTime: (date: Date | number) => string;
  num: (value: number) => string;
  nav: NavItem[];
  currentPath: string;
}

/**
 * Eta resolves a template's path (JSON key, path.join, path.relative) on every render and include;
 * with cached templates the answer never changes, so it is memoized — a third of a small page's
 * rendering time otherwise (measured in `npm run bench`).
 */
type NavItem = { href: string; label: MessageKey };
const noNavigation: NavItem[] = [];
/** Per signed-in person (the object lives as long as their cached session). */
const navigations = new WeakMap<CurrentUser, NavItem[]>();

/** The main menu, by what the person does (widest role first). */
function navigationFor(user: CurrentUser | null): NavItem[] {
  if (!user) return noNavigation;
  let items = navigations.get(user);
  if (!items) {
    items = buildNavigation(user);
    navigations.set(user, items);
  }
  return items;
}

function buildNavigation(user: CurrentUser): NavItem[] {
  const items: NavItem[] = [
    { href: '/', label: 'layout.home' },
    { href: '/learn', label: 'layout.learn' },
    { href: '/cycles', label: 'layout.cycles' },
    { href: '/certificates', label: 'layout.certificates' },
  ];
  if (mayStartProjects(user) || passesGate(rules.projectReaders, user.memberships))
    items.splice(3, 0, { href: '/projects', label: 'layout.projects' });
  const national = isNational(user);
  if (managesPeople(user)) {
    items.push(
      { href: '/dashboard', label: 'layout.dashboard' },
      { href: '/organizations', label: national ? 'layout.network' : 'layout.collective' },
      { href: '/people', label: 'layout.people' },
      { href: '/invitations', label: 'layout.invitations' },
      { href: '/experiences/to-publish', label: 'layout.toPublish' },
    );
  }
  if (national) items.push({ href: '/analysis', label: 'layout.analysis' });
  if (mayReadAudit(user))
    items.push(
      { href: '/admin/audit', label: 'layout.audit' },
      { href: '/admin/outbox', label: 'layout.outbox' },
    );
  return items;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function memoizeResolvePath(eta: Eta): void {
  const original = eta.resolvePath;
  if (!original) return;
  const resolved = new Map<string, string>();
  eta.resolvePath = function (template, options) {
    if (!this.config.cache) return original.call(this, template, options);
    const key = `${options?.filepath ?? ''}\0${template}`;
    let path = resolved.get(key);
    if (path === undefined) {
      path = original.call(this, template, options);
      resolved.set(key, path);
    }
    return path;
  };
}

/**
 * Eta's compiled templates copy the data with object spreads (`{...it, ...data}`) for every include
 * and layout. On Node 20's V8, a spread followed by more properties gives the result a new hidden
 * class on every call once the code is warm: every `it.x` of the layout then misses its inline
 * cache and V8 builds maps at each render (half of a page's rendering time, measured). The same
 * copies made with Object.assign keep one shape. Eta is pinned: if its code changes, fail loudly.
 */
const INCLUDE_DATA = '{...it, ...(__eta_d ?? {})}';
const LAYOUT_DATA = '{...it, body: __eta.res, ...__eta.layoutData, __blocks: __eta.blocks}';
export const stableShapes = {
  processFnString(fn: string): string {
    if (!fn.includes(INCLUDE_DATA) || !fn.includes(LAYOUT_DATA)) {
      throw new Error('Eta compiles templates differently: review plugins/view.ts stableShapes');
    }
    return fn
      .replaceAll(INCLUDE_DATA, 'Object.assign({}, it, __eta_d)')
      .replace(
        LAYOUT_DATA,
        'Object.assign({}, it, {body: __eta.res}, __eta.layoutData, {__blocks: __eta.blocks})',
      );
  },
};

/**
 * Same reason, in Eta's own code: `configure` (which @fastify/view calls before every render)
 * and `render` copy their options with spreads. Both are redone here with Object.assign; `render`
 * only for cached templates (the uncached path, in development, stays Eta's).
 */
const SYNC = { async: false };
function stabilizeRender(eta: Eta): void {
  eta.configure = function (config) {
    this.config = Object.assign({}, this.config, config);
  };
  const render = eta.render;
  eta.render = function (this: Eta, template, data, meta) {
    if (typeof template !== 'string' || !this.config.cache || template.startsWith('@')) {
      return render.call(this, template, data, meta);
    }
    const options = Object.assign({}, meta, SYNC) as typeof meta & { filepath?: string };
    options.filepath = this.resolvePath!(template, options);
    const compiled = this.templatesSync.get(options.filepath);
    if (!compiled) return render.call(this, template, data, meta);
    return compiled.call(this, data, options);
  } as Eta['render'];
}

const PARIS = 'Europe/Paris';

export default fp(
  async (app, opts: { cache: boolean }) => {
    const { db } = app.deps;
    // rmWhitespace drops the templates' indentation (interpolated values keep theirs): smaller pages.
    const eta = new Eta({
      views: viewsDir,
      cache: opts.cache,
      autoEscape: true,
      autoTrim: [false, 'nl'],
      rmWhitespace: true,
      plugins: [stableShapes],
    });
    memoizeResolvePath(eta);
    stabilizeRender(eta);
    // @fastify/view otherwise gives every request a `reply.locals = {}` in a hook of its own; our
    // templates get their locals from viewLocals().
    app.decorateReply('locals', null);
    await app.register(fastifyView, { engine: { eta }, templates: viewsDir, production: opts.cache });

    const asset = (name: string) => app.assetUrl(name);
    function locals(reply: FastifyReply, csrfToken: string): ViewLocals {
      const request = reply.request;
      return {
        t: request.t ?? translator('fr'),
        lang: request.locale ?? 'fr',
        user: request.user,
        csrfToken,
        flash: reply.takeFlash(),
        asset,
        // One way to write dates (« 1er décembre 2026 à 18 h 30 »), in the person's own time zone.
        formatDate: (date: Date | number) => formatDate(date, request.user?.timeZone ?? PARIS),
        formatDateTime: (date: Date | number) => formatDateTime(date, request.user?.timeZone ?? PARIS),
        num: (value: number) => formatNumber(value, request.locale ?? 'fr'),
        nav: navigationFor(request.user),
        currentPath: pathOf(request.url),
      };
    }
    // A fresh salted token on every other page: they may show what the visitor typed (a search),
    // next to which a token kept for the browser could be guessed from compressed sizes (BREACH).
    app.decorateReply('viewLocals', function (this: FastifyReply): ViewLocals {
      return locals(this, this.generateCsrf());
    });

    app.decorateReply(
      'render',
      async function (
        this: FastifyReply,
        template: keyof Views,
        data: Views[keyof Views],
        options: RenderOptions = {},
      ) {
        if (options.fragmentHtml !== undefined && this.request.htmx.partial) {
          if (options.status) this.code(options.status);
          return this.type('text/html; charset=utf-8').send(Buffer.from(options.fragmentHtml));
        }
        const partial = options.fragment !== undefined && this.request.htmx.partial;
        const html = await this.viewAsync(partial ? options.fragment! : template, {
          ...this.viewLocals(),
          ...data,
        });
        if (options.status) this.code(options.status);
        // A Buffer: Fastify then neither scans the string for its length nor encodes it twice.
        return this.type('text/html; charset=utf-8').send(Buffer.from(html));
      },
    );

    const pages = createPageStore();
    app.decorateReply(
      'renderKept',
      async function (this: FastifyReply, template: keyof Views, data: () => Views[keyof Views]) {
        const request = this.request;
        // Only a plain visit: an htmx swap, a message to show once, or an address with a query
        // (anyone could fill the store with them) is made afresh.
        if (request.htmx.request || request.incomingFlash !== null || request.url.includes('?'))
          return this.render(template, data());
        const key = `${request.user?.id ?? '-'} ${request.locale} ${template} ${request.url}`;
        // Read before the page is made: a write meanwhile (a lesson marked opened) makes the next
        // visit make it again; with the network version the session was checked against.
        const version = `${databaseVersion(db)} ${networkVersion(db).current()}`;
        const token = this.csrfToken();
        // The gzip is put together around the token (lib/gzip-splice.ts), which is thus never
        // compressed with the page's text; a visitor's body is new each first visit, a member's kept.
        const visit = {
          spliceGzip: /\bgzip\b/.test(request.headers['accept-encoding'] ?? ''),
          sentAgain: request.user !== null,
        };
        let body = pages.find(key, version, token, Date.now(), visit);
        if (body === null) {
          const page = await this.viewAsync(template, { ...locals(this, TOKEN_PLACEHOLDER), ...data() });
          body = pages.keep(key, version, page, token, Date.now(), visit);
        }
        return this.type('text/html; charset=utf-8').send(body);
      },
    );
  },
  { name: 'view', dependencies: ['assets', 'flash', 'htmx', 'security'] },
);
