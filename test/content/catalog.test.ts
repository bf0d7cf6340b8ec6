// The content kept in memory follows the database: a sync in this process is seen at once, a sync
// by another process (`npm run courses:sync` while the app runs) within CATALOG_CHECK_MS.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { coursesRoot } from '../../src/content/paths.ts';
import { loadAndSync } from '../../src/content/sync.ts';
import { openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { frenchTypography } from '../../src/i18n/index.ts';
import { CATALOG_CHECK_MS, catalog } from '../../src/learning/catalog.ts';
import { completeLesson, pathProgress } from '../../src/learning/progress.ts';
import { createUser } from '../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'passerelle-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function retitledCopy(title: string): string {
  const root = join(dir, title.replace(/\W/g, ''));
  cpSync(coursesRoot, root, { recursive: true });
  const file = join(root, 'politique-de-la-ville/02-qu-est-ce-qu-un-qpv.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: "${title}"`));
  return root;
}

describe('content catalog', () => {
  it('sees a sync by another connection within a second, and its own at once', () => {
    const path = join(dir, 'app.db');
    const app = openDatabase(path);
    migrateDatabase(app);
    loadAndSync(app, coursesRoot);
    const t = Date.now();
    // Titles are stored with the courses' French typography (’, a no-break space before « ? »).
    const first = frenchTypography(
      loadContent(coursesRoot)
        .content!.courses.flatMap((c) => c.lessons)
        .find((l) => l.id === 'pdv-qpv-definition')!.title,
    );
    expect(catalog(app, t).lessonsById.get('pdv-qpv-definition')!.title).toBe(first);

    const cli = openDatabase(path);
    loadAndSync(cli, retitledCopy("Un QPV, c'est quoi ?"));
    expect(catalog(app, t + 10).lessonsById.get('pdv-qpv-definition')!.title).toBe(first);
    expect(catalog(app, t + CATALOG_CHECK_MS).lessonsById.get('pdv-qpv-definition')!.title).toBe(
      'Un QPV, c’est quoi\u00a0?',
    );

    loadAndSync(app, retitledCopy('Définir un QPV'));
    expect(catalog(app).lessonsById.get('pdv-qpv-definition')!.title).toBe('Définir un QPV');
  });

  it('gives a learner’s new progress at once after it is written', async () => {
    const db = openDatabase(':memory:');
    migrateDatabase(db);
    loadAndSync(db, coursesRoot);
    const user = await createUser(db, { role: 'member' });
    expect(pathProgress(db, user.id)!.percent).toBe(0);
    completeLesson(db, user.id, 'pdv-politique-de-la-ville');
    const progress = pathProgress(db, user.id)!;
    expect(progress.courses[0]!.lessonsDone).toBe(1);
    expect(progress.next!.id).toBe('pdv-qpv-definition');
  });
});
