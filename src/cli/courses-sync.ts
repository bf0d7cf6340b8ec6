// `npm run courses:sync`: checks courses/ and puts it into the database (as at start-up).
import { loadConfig } from '../config.ts';
import { coursesRoot } from '../content/paths.ts';
import { loadAndSync } from '../content/sync.ts';
import { rebuildLearnerStats } from '../dashboards/learner-stats.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';

const config = loadConfig();
const db = openDatabase(config.databasePath);
migrateDatabase(db);
const result = loadAndSync(db, coursesRoot);
for (const p of result.problems) console.log(`${p.file}:${p.line}: ${p.message}`);
if (!result.ok) {
  console.log('Contenus refusés : rien n’a changé dans la base.');
  process.exitCode = 1;
} else {
  // New content changes every learner's percentages: their figures (and the dashboards') follow.
  if (result.changed) rebuildLearnerStats(db);
  console.log(result.changed ? 'Contenus synchronisés.' : 'Contenus déjà à jour.');
}
db.$client.close();
