// Static assets (static/ and htmx from node_modules), served by the app itself: fingerprinted
// URLs (`/assets/css/app.3f2a91c0.css`) cached for a year, compressed once at start-up with
// brotli and gzip at their best levels and served from memory — never compressed per request.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

interface Asset {
  body: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  type: string;
  etag: string;
}

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.pdf': 'application/pdf',
  '.ico': 'image/x-icon',
};
const compressible = new Set(['.css', '.js', '.svg', '.ttf', '.ico']);
const DOCUMENT_ONLY_HEADERS = ['content-security-policy', 'cross-origin-opener-policy', 'x-frame-options'];

const staticRoot = fileURLToPath(new URL('../../static', import.meta.url));
const require = createRequire(import.meta.url);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function sources(): Array<{ name: string; file: string }> {
  const own = listFiles(staticRoot).map((file) => ({
    name: relative(staticRoot, file).split('\\').join('/'),
    file,
  }));
  const htmx = require.resolve('htmx.org/dist/htmx.min.js');
  return [...own, { name: 'js/htmx.min.js', file: htmx }];
}

/**
 * The stylesheet as sent: its comments (a tenth of it, for its readers here) and indentation left
 * out. Its only strings are empty (`content: ""`), so a comment is never inside one.
 */
export function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Built once per process: tests build many apps, and brotli at level 11 is slow. */
let built: { urls: Map<string, string>; files: Map<string, Asset> } | undefined;

function build() {
  const urls = new Map<string, string>();
  const files = new Map<string, Asset>();
  for (const { name, file } of sources()) {
    const ext = extname(name);
    const body = ext === '.css' ? Buffer.from(minifyCss(readFileSync(file, 'utf8'))) : readFileSync(file);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const url = `/assets/${name.slice(0, -ext.length)}.${hash}${ext}`;
    const worth = compressible.has(ext) && body.length > 512;
    files.set(url, {
      body,
      br: worth
        ? brotliCompressSync(body, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
          })
        : null,
      gzip: worth ? gzipSync(body, { level: 9 }) : null,
      type: types[ext] ?? 'application/octet-stream',
      etag: `"${hash}"`,
    });
    urls.set(name, url);
  }
  return { urls, files };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The fingerprinted URL of a file of static/ (e.g. `css/app.css`), or of `js/htmx.min.js`. */
    assetUrl(name: string): string;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    built ??= build();
    const { urls, files } = built;
    app.decorate('assetUrl', (name: string) => {
      const url = urls.get(name);
      if (!url) throw new Error(`Unknown asset: ${name}`);
      return url;
    });

    app.get(
      '/assets/*',
      { config: { access: 'public' }, compress: false, logLevel: 'warn' },
      async (request, reply) => {
        const asset = files.get(request.url.split('?')[0] ?? '');
        if (!asset) return reply.callNotFound();
        // Headers only a page reads (its scripts' rules, who may frame it): a stylesheet, a script or
        // a font never uses them, and a phone's first visit downloads them with each (issue 17). An
        // SVG may be opened as a page: it keeps them.
        if (asset.type !== 'image/svg+xml')
          for (const name of DOCUMENT_ONLY_HEADERS) reply.removeHeader(name);
        reply
          .header('Content-Type', asset.type)
          .header('Cache-Control', 'public, max-age=31536000, immutable')
          .header('ETag', asset.etag)
          .header('Vary', 'Accept-Encoding');
        if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
        const accept = String(request.headers['accept-encoding'] ?? '');
        if (asset.br && /\bbr\b/.test(accept)) return reply.header('Content-Encoding', 'br').send(asset.br);
        if (asset.gzip && /\bgzip\b/.test(accept))
          return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
        return reply.send(asset.body);
      },
    );
  },
  { name: 'assets' },
);
