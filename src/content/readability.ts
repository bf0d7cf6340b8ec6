// The editorial bar of the courses, measured: lessons short enough for a phone, sentences short
// enough for a reader whose French is a second language, every acronym spelled out at its first use
// in each lesson, a task to do at the end of each lesson, and quizzes whose right answers do not sit
// in one place. `npm run courses:check` prints the figures and a warning for each miss; the app still
// serves content that misses them (they are a writer's bar, not a structural error).
import MarkdownIt from 'markdown-it';
import { TASK_LABEL } from './lesson-task.ts';
import type { Content, ContentLesson, ContentQuiz, Problem } from './load.ts';

export const MAX_LESSON_WORDS = 800;
export const LONG_SENTENCE_WORDS = 25;
/** Share of a lesson's sentences that may be long (one long sentence is always allowed). */
export const MAX_LONG_SHARE = 0.1;

export interface LessonFigures {
  file: string;
  words: number;
  sentences: number;
  longSentences: number;
  /** Acronyms whose first use in the lesson does not spell them out, with that line. */
  undefinedAcronyms: Array<{ acronym: string; line: number }>;
  hasTask: boolean;
}

const md = new MarkdownIt({ html: false });
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
/** Two or more capitals, not part of a longer word (« QPV », « PRA/OSIM » gives two). */
const ACRONYM = /(?<![\p{L}\p{N}])\p{Lu}{2,}(?![\p{L}])/gu;
const ROMAN = /^[IVXLCDM]+$/;

interface Block {
  text: string;
  /** 0-based line in the Markdown. */
  line: number;
  heading: boolean;
}

/** The text of each paragraph, list item, table cell and heading, code left out. */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let heading = false;
  // Table cells carry no line of their own: their row's is used.
  let line = 0;
  for (const token of md.parse(markdown, {})) {
    if (token.map) line = token.map[0];
    if (token.type === 'heading_open') heading = true;
    if (token.type === 'heading_close') heading = false;
    if (token.type !== 'inline') continue;
    const text = (token.children ?? [])
      .map((c) =>
        c.type === 'text' ? c.content : c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : '',
      )
      .join('');
    out.push({ text, line, heading });
  }
  return out;
}

function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+(?=[«"(\p{Lu}\d])/u)
    .map((s) => s.trim())
    .filter((s) => countWords(s) > 0);
}

/** Whether the acronym at `index` of `text` is spelled out there: « nom (SIGLE) » or « SIGLE (nom) ». */
function spelledOut(text: string, index: number, acronym: string): boolean {
  const before = text.slice(0, index);
  const after = text.slice(index + acronym.length);
  return /\(\s*«?\s*$/.test(before) || /^\s*»?\s*\(/.test(after);
}

/** Figures of a lesson's text (its task included). */
export function lessonFigures(lesson: Pick<ContentLesson, 'file' | 'markdown' | 'task' | 'bodyLine'>) {
  const all = blocks(`${lesson.markdown}\n\n${lesson.task ?? ''}`);
  let words = 0;
  let sentences = 0;
  let longSentences = 0;
  const seen = new Set<string>();
  const undefinedAcronyms: LessonFigures['undefinedAcronyms'] = [];
  for (const block of all) {
    words += countWords(block.text);
    if (block.heading) continue;
    for (const sentence of sentencesOf(block.text)) {
      sentences++;
      if (countWords(sentence) > LONG_SENTENCE_WORDS) longSentences++;
    }
    for (const match of block.text.matchAll(ACRONYM)) {
      const acronym = match[0];
      if (ROMAN.test(acronym) || seen.has(acronym)) continue;
      seen.add(acronym);
      if (!spelledOut(block.text, match.index, acronym))
        undefinedAcronyms.push({ acronym, line: lesson.bodyLine + block.line });
    }
  }
  return {
    file: lesson.file,
    words,
    sentences,
    longSentences,
    undefinedAcronyms,
    hasTask: lesson.task !== null,
  } satisfies LessonFigures;
}

/** Why the quiz's right answers cluster in one place of the file, or null. */
export function clustering(quiz: ContentQuiz): string | null {
  const singles = quiz.questions.filter((q) => q.type === 'single');
  const positions = new Map<number, number>();
  for (const q of singles) {
    const at = q.answers.findIndex((a) => a.correct);
    positions.set(at, (positions.get(at) ?? 0) + 1);
  }
  const [top, topCount] = [...positions].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  if (singles.length >= 4 && topCount > singles.length / 2)
    return `la bonne réponse est en position ${top + 1} dans ${topCount} questions à choix unique sur ${singles.length} : répartissez-les`;
  const multiples = quiz.questions.filter((q) => q.type === 'multiple');
  const rightFirst = multiples.filter((q) => {
    const right = q.answers.filter((a) => a.correct).length;
    return q.answers.slice(0, right).every((a) => a.correct);
  }).length;
  if (multiples.length >= 2 && rightFirst > multiples.length / 2)
    return `les bonnes réponses viennent en premier dans ${rightFirst} questions à choix multiple sur ${multiples.length} : mêlez-les aux autres`;
  return null;
}

/** The figures of every lesson and a warning for each miss of the editorial bar. */
export function editorialReview(content: Content): { figures: LessonFigures[]; warnings: Problem[] } {
  const figures: LessonFigures[] = [];
  const warnings: Problem[] = [];
  const file = (path: string) => `courses/${path}`;
  for (const course of content.courses) {
    for (const lesson of course.lessons) {
      const f = lessonFigures(lesson);
      figures.push(f);
      const at = (line: number, message: string) => warnings.push({ file: file(lesson.file), line, message });
      if (f.words > MAX_LESSON_WORDS)
        at(
          lesson.bodyLine,
          `leçon trop longue : ${f.words} mots (${MAX_LESSON_WORDS} au plus) ; coupez-la en deux`,
        );
      if (f.longSentences > Math.max(1, Math.floor(f.sentences * MAX_LONG_SHARE)))
        at(
          lesson.bodyLine,
          `${f.longSentences} phrases de plus de ${LONG_SENTENCE_WORDS} mots sur ${f.sentences} : raccourcissez-en`,
        );
      for (const { acronym, line } of f.undefinedAcronyms)
        at(
          line,
          `sigle « ${acronym} » non expliqué à sa première apparition : écrivez « nom complet (${acronym}) »`,
        );
      if (!f.hasTask) at(lesson.bodyLine, `pas d’encadré « ${TASK_LABEL} » à la fin de la leçon`);
    }
    if (course.quiz) {
      const why = clustering(course.quiz);
      if (why) warnings.push({ file: file(`${course.folder}/quiz.yaml`), line: 1, message: why });
    }
  }
  // The same question in two quizzes: a learner meets it twice and learns nothing new.
  const asked = new Map<string, string>();
  for (const course of content.courses) {
    for (const q of course.quiz?.questions ?? []) {
      const key = q.prompt
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
      const where = `${course.quiz!.id} ${q.id}`;
      const other = asked.get(key);
      if (other)
        warnings.push({
          file: file(`${course.folder}/quiz.yaml`),
          line: 1,
          message: `question ${q.id} : déjà posée (${other})`,
        });
      else asked.set(key, where);
    }
  }
  return { figures, warnings };
}
