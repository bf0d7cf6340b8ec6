// `npm run courses:check` as an author runs it, in a process of its own: exit 0 and the figures on
// the real courses/, exit 1 and each problem as file:line: message on a broken copy.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copyCourses, edit, insertLines, LESSON_02, LESSON_03 } from '../content/fixtures.ts';

describe('npm run courses:check', () => {
  const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
  const check = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/courses-check.ts', ...args], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });

  it('exits 0 on the real courses/ and says what it checked', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /courses\/ : structure OK — 3 modules, \d+ leçons, \d+ questions de quiz, \d+ compétences/,
    );
    // The editorial bar (readability.ts) holds: every lesson's figures, and no point to rework.
    expect(result.stdout).toMatch(/\d+ mots · +\d+ phrases · \d+ longues/);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('courses/ : OK.');
  });

  it('exits 1 on a broken folder and prints each problem as file:line: message', () => {
    const root = copyCourses();
    edit(root, LESSON_03, (s) => s.replace('id: pdv-verifier-adresse', 'id: pdv-qpv-definition'));
    insertLines(root, LESSON_02, 12, ['![x](images/absent.png)']);
    const result = check(root);
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain(`courses/${LESSON_02}:12: image introuvable : images/absent.png`);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^courses/${LESSON_03.replace(/\./g, '\\.')}:2: identifiant de leçon pdv-qpv-definition`),
      ),
    );
    expect(lines.at(-1)).toBe('courses/ : 2 problème(s).');
  });
});
