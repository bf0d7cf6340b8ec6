// Throwaway copies of the real courses/ folder, to break or change one thing in (removed after
// the test), the edits that refuse to do nothing (a stale fixture would test nothing), and
// the real lessons the tests change.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { coursesRoot } from '../../src/content/paths.ts';

export const PDV = 'politique-de-la-ville';
export const LESSON_01 = `${PDV}/01-la-politique-de-la-ville.md`;
export const LESSON_02 = `${PDV}/02-qu-est-ce-qu-un-qpv.md`;
export const LESSON_03 = `${PDV}/03-verifier-une-adresse.md`;

/**
 * A copy of the real courses/ folder in a temporary directory, removed when the test ends (a hook
 * per test: this module is loaded once for all the files of a worker, see vitest.config.ts).
 */
export function copyCourses(): string {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-courses-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(coursesRoot, dir, { recursive: true });
  return dir;
}

/** Rewrites a file of the copy; fails loudly when the edit changed nothing (a stale fixture). */
export function edit(root: string, file: string, change: (source: string) => string) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`fixture edit changed nothing in ${file}`);
  writeFileSync(path, after);
}

/** Inserts `lines` so that the first of them becomes line `at` (1-based) of the file. */
export function insertLines(root: string, file: string, at: number, lines: string[]) {
  edit(root, file, (source) => {
    const all = source.split('\n');
    all.splice(at - 1, 0, ...lines);
    return all.join('\n');
  });
}
