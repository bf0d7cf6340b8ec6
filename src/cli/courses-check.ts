// `npm run courses:check`: checks everything in courses/ and prints each problem as
// `file:line: message`, then each lesson's readability figures and each miss of the editorial bar
// (src/content/readability.ts) the same way; exits 1 when there is any problem or miss, 0 otherwise.
import { loadContent } from '../content/load.ts';
import { coursesRoot } from '../content/paths.ts';
import { editorialReview, LONG_SENTENCE_WORDS } from '../content/readability.ts';

const root = process.argv[2] ?? coursesRoot;
const { content, problems } = loadContent(root);
for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
if (content) {
  const lessons = content.courses.reduce((n, c) => n + c.lessons.length, 0);
  const questions = content.courses.reduce((n, c) => n + (c.quiz?.questions.length ?? 0), 0);
  console.log(
    `courses/ : structure OK — ${content.courses.length} modules, ${lessons} leçons, ${questions} questions de quiz, ${content.skills.length} compétences.`,
  );
  const { figures, warnings } = editorialReview(content);
  console.log(
    `\nLisibilité (mots · phrases · phrases de plus de ${LONG_SENTENCE_WORDS} mots · sigles non expliqués) :`,
  );
  for (const f of figures) {
    const acronyms = f.undefinedAcronyms.map((a) => a.acronym).join(', ') || '—';
    console.log(
      `  ${f.file.padEnd(62)} ${String(f.words).padStart(4)} mots · ${String(f.sentences).padStart(3)} phrases · ${f.longSentences} longues · sigles : ${acronyms}${f.hasTask ? '' : ' · sans « À faire maintenant »'}`,
    );
  }
  const words = figures.map((f) => f.words);
  console.log(
    `  ${figures.length} leçons : ${Math.min(...words)} à ${Math.max(...words)} mots (${Math.round(words.reduce((a, b) => a + b, 0) / Math.max(1, words.length))} en moyenne).\n`,
  );
  for (const w of warnings) console.log(`${w.file}:${w.line}: ${w.message}`);
  if (warnings.length > 0) {
    console.log(`courses/ : ${warnings.length} point(s) à reprendre.`);
    process.exitCode = 1;
  } else console.log('courses/ : OK.');
} else {
  console.log(`courses/ : ${problems.length} problème(s).`);
  process.exitCode = 1;
}
