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
          // NOTE: each file imports the app afresh (vitest's default isolation). Sharing modules
          // between files (`isolate: false`) saved about 70 s of a run, but under Node 24 a worker
          // that ends with better-sqlite3 objects still alive aborts in their destructors
          // (« Assertion failed: (env) != nullptr »): isolation is kept until that is fixed.
        },
      },
      { extends: true, test: { name: 'slow', include: slow } },
    ],
  },
});
