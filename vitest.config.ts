import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Two projects, both run by `npm test`: « slow » holds the test files that start other processes
// or threads (the server, the CLI, a crash, a backup under load, 200 sign-ups from workers, the
// national generator); « fast » everything that runs in this process, what a developer runs while
// working (`npm run test:fast`). A file goes to « slow » by what it imports, so a new one lands
// there by itself.
const startsProcesses = /from 'node:(child_process|worker_threads)'/;
const testDir = new URL('test/', import.meta.url);
const slow = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts') && !file.startsWith('browser/'))
  .filter((file) => startsProcesses.test(readFileSync(new URL(file, testDir), 'utf8')))
  .map((file) => `test/${file}`);

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', ...slow],
          // NOTE: the fast files share their worker's modules instead of importing the app afresh
          // each (that was 70 s of a run). They can: every file builds its own app on its own
          // database, and module state is kept per database connection (WeakMaps) or is harmless
          // (factories' counters). A test that changes module state for good must undo it.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'slow', include: slow } },
    ],
  },
});
