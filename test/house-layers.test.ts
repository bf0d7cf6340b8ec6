// The house's shape, checked: the ground floor (src/db: schema, connection, migrations, backups)
// depends on nothing above it, and no source file grows past what a newcomer reads in one sitting.
// Demo data and the national generators use the features, so they live above, in src/demo.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder } from './source-files.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const groundFloor = join(src, 'db');

/**
 * Modules outside src/db that src/db may import, each with the reason. None today: the database
 * layer needs nothing of the app. Should it ever need a helper, only a module that itself imports
 * no feature may be listed here (src/config.ts, or a feature-free file of src/lib such as
 * time.ts or text.ts) — never a feature folder, which would make the ground floor depend on the
 * house built on it.
 */
const LOW_MODULES: Record<string, string> = {};

/** The one file allowed past the limit: every table in one place reads better than split. */
const LONG_FILES = new Set(['src/db/schema.ts']);
const MAX_LINES = 500;

/**
 * Files over the limit whose split is under way (none today). Each must still be over the limit:
 * once its split lands, this test fails until the entry is removed.
 */
const PENDING = new Set<string>();

const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

const repoPath = (path: string) => relative(root, path).split(sep).join('/');

/** Every module a file names: static imports and re-exports (types too), bare imports, import(). */
function importsOf(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s+(?:type\s+)?[\w*\s{},$]+?\s+from\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!));
}

/** Why `specifier`, imported by `file` in src/db, is allowed; null when it leaves the ground floor. */
function allowed(file: string, specifier: string): string | null {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return 'node';
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    if (target.startsWith(groundFloor + sep)) return 'src/db';
    return LOW_MODULES[repoPath(target)] ?? null;
  }
  // A package the app ships with (not a dev tool): its name, with its scope if it has one.
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return name in dependencies ? 'npm' : null;
}

function lineCount(path: string): number {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('the ground floor (src/db)', () => {
  it('reads every kind of import statement', () => {
    const sample = [
      "import { a } from './a.ts';",
      "import type {\n  B,\n  C,\n} from '../people/users.ts';",
      "export { d } from '../demo/seed-demo.ts';",
      "import * as e from 'drizzle-orm';",
      "import './side-effect.ts';",
      "const f = await import('../learning/catalog.ts');",
      "const g = 'not an import from here';",
    ].join('\n');
    expect(importsOf(sample)).toEqual([
      './a.ts',
      '../people/users.ts',
      '../demo/seed-demo.ts',
      'drizzle-orm',
      './side-effect.ts',
      '../learning/catalog.ts',
    ]);
    const client = readFileSync(join(groundFloor, 'client.ts'), 'utf8');
    expect(importsOf(client)).toContain('better-sqlite3');
  });

  it('imports nothing from above it: only node, its own files, npm packages and the low modules listed', () => {
    const leaving = filesUnder(groundFloor).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((specifier) => allowed(file, specifier) === null)
        .map((specifier) => `${repoPath(file)} imports ${specifier}`),
    );
    expect(leaving).toEqual([]);
  });
});

describe('source files', () => {
  it(`stay under ${MAX_LINES} lines, the schema apart`, () => {
    const long = filesUnder(src)
      .map((file) => ({ file: repoPath(file), lines: lineCount(file) }))
      .filter(({ file, lines }) => lines > MAX_LINES && !LONG_FILES.has(file) && !PENDING.has(file))
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it('list as pending only files still over the limit', () => {
    const done = [...PENDING].filter((file) => lineCount(join(root, file)) <= MAX_LINES);
    expect(done, 'split already: remove from PENDING').toEqual([]);
  });
});
