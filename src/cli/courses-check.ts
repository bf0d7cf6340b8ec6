// `npm run courses:check`: checks everything in courses/ and prints each problem as
// `file:line: message`; exits 1 when there is any, 0 otherwise.
import { loadContent } from '../content/load.ts';
import { coursesRoot } from '../content/paths.ts';

const root = process.argv[2] ?? coursesRoot;
const { content, problems } = loadContent(root);
for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
if (content) {
  const lessons = content.courses.reduce((n, c) => n + c.lessons.length, 0);
  const questions = content.courses.reduce((n, c) => n + (c.quiz?.questions.length ?? 0), 0);
  console.log(
    `courses/ : OK — ${content.courses.length} modules, ${lessons} leçons, ${questions} questions de quiz, ${content.skills.length} compétences.`,
  );
} else {
  console.log(`courses/ : ${problems.length} problème(s).`);
  process.exitCode = 1;
}
