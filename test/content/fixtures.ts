// Throwaway copies of the real courses/ folder, to break or change one thing in (removed after
// the test file), and the edit that refuses to do nothing (a stale fixture would test nothing).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { coursesRoot } from '../../src/content/paths.ts';

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the real courses/ folder in a temporary directory. */
export function copyCourses(): string {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-courses-'));
  copies.push(dir);
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
