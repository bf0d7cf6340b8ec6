// Reads and checks the training path in courses/: path.yaml, skills.yaml, each course's
// course.yaml, lessons (Markdown with YAML front matter), quiz.yaml and resources. Every problem
// is reported with its file and line, so an author can fix them all at once; nothing is half
// loaded: with any problem, the content is refused as a whole (and the app keeps the last good one).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { splitTask, TASK_LABEL } from './lesson-task.ts';

export interface Problem {
  /** Relative to the courses folder's parent (e.g. `courses/x/quiz.yaml`). */
  file: string;
  line: number;
  message: string;
}

export interface ContentSkill {
  code: string;
  domain: string;
  domainTitle: string;
  title: string;
  description: string;
}

export interface ContentLesson {
  id: string;
  title: string;
  durationMinutes: number;
  skills: string[];
  /** Path relative to the courses folder, e.g. `politique-de-la-ville/01-….md`. */
  file: string;
  /** The lesson's text, without its task. */
  markdown: string;
  /** The « À faire maintenant » task's Markdown (lesson-task.ts), or null. */
  task: string | null;
  /** 1-based line of the file where the Markdown starts (after the front matter). */
  bodyLine: number;
}

export interface ContentQuiz {
  id: string;
  title: string;
  passMark: number;
  questions: Array<{
    id: string;
    type: 'single' | 'multiple';
    prompt: string;
    answers: Array<{ id: string; text: string; correct: boolean; feedback: string }>;
  }>;
}

export interface ContentCourse {
  id: string;
  title: string;
  summary: string;
  durationMinutes: number;
  skills: string[];
  folder: string;
  lessons: ContentLesson[];
  quiz: ContentQuiz | null;
  resources: Array<{ file: string; title: string; description: string }>;
}

export interface Content {
  path: { id: string; title: string; summary: string; courseIds: string[] };
  skills: ContentSkill[];
  courses: ContentCourse[];
  /** Hash of every file read: an unchanged hash means nothing to sync. */
  hash: string;
}

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,80}$/, 'identifiant attendu : minuscules, chiffres et tirets');
const text = (max: number) =>
  z.string().trim().min(1, 'texte attendu, non vide').max(max, `${max} caractères au plus`);
const minutes = z.number().int('nombre entier de minutes attendu').min(1).max(600);

const pathSchema = z.object({ id, title: text(200), summary: text(2000), courses: z.array(id).min(1) });
const skillsSchema = z.object({
  domains: z.array(z.object({ code: z.string().regex(/^[A-Z]{2,6}$/), title: text(200) })).min(1),
  skills: z
    .array(
      z.object({
        code: z.string().regex(/^[A-Z]{2,6}-\d{1,2}$/, 'code attendu comme POL-1'),
        domain: z.string(),
        title: text(200),
        description: text(500),
      }),
    )
    .min(1),
});
const courseSchema = z.object({
  id,
  title: text(200),
  summary: text(2000),
  duration_minutes: minutes,
  skills: z.array(z.string()).default([]),
  lessons: z.array(z.string().regex(/\.md$/, 'fichier .md attendu')).min(1),
  quiz: z.string().optional(),
  resources: z
    .array(z.object({ file: z.string().min(1), title: text(200), description: text(1000).optional() }))
    .default([]),
});
const lessonSchema = z.object({
  id,
  title: text(200),
  duration_minutes: z.number().int().min(1).max(60),
  skills: z.array(z.string()).default([]),
});
const quizSchema = z.object({
  id,
  title: text(200),
  pass_mark: z.number().int().min(1).max(100),
  questions: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]{1,40}$/),
        type: z.enum(['single', 'multiple']),
        prompt: text(2000),
        answers: z
          .array(
            z.object({
              id: z.string().regex(/^[a-z0-9-]{1,40}$/),
              text: text(1000),
              correct: z.boolean(),
              feedback: text(2000),
            }),
          )
          .min(2, 'au moins deux réponses'),
      }),
    )
    .min(1),
});

class Reader {
  readonly problems: Problem[] = [];
  readonly files = new Map<string, string>();
  constructor(readonly root: string) {}

  /** `courses/…` as authors see it. */
  label(path: string): string {
    return join('courses', path).split('\\').join('/');
  }

  problem(path: string, line: number, message: string) {
    this.problems.push({ file: this.label(path), line, message });
  }

  read(path: string): string | null {
    const full = join(this.root, path);
    if (!existsSync(full) || !statSync(full).isFile()) return null;
    const content = readFileSync(full, 'utf8');
    this.files.set(path, content);
    return content;
  }

  /** Parses YAML (starting at `firstLine` of the file) and validates it, with lines for every problem. */
  yaml<T extends z.ZodType>(path: string, source: string, schema: T, firstLine = 1): z.output<T> | null {
    const lineCounter = new LineCounter();
    const doc = parseDocument(source, { lineCounter, prettyErrors: false });
    const lineOf = (offset: number | undefined) =>
      (offset === undefined ? 1 : lineCounter.linePos(offset).line) + firstLine - 1;
    if (doc.errors.length > 0) {
      const lines = source.split('\n');
      for (const error of doc.errors) {
        let line = lineCounter.linePos(error.pos[0]).line;
        // An unclosed [ or { is noticed on a later line: point at the line that opened it.
        const closer = /end with an? ([\]}])/.exec(error.message)?.[1];
        if (closer) {
          const opener = closer === ']' ? '[' : '{';
          for (let i = line - 1; i >= 1; i--) {
            const text = lines[i - 1] ?? '';
            if (text.lastIndexOf(opener) > text.lastIndexOf(closer)) {
              line = i;
              break;
            }
          }
        }
        this.problem(path, line + firstLine - 1, `YAML illisible : ${error.message.split('\n')[0]}`);
      }
      return null;
    }
    const result = schema.safeParse(doc.toJS());
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      // The closest node that exists along the issue's path gives the line.
      let node: unknown;
      for (let n = issue.path.length; n >= 0 && !node; n--) {
        node = n === 0 ? doc.contents : doc.getIn(issue.path.slice(0, n) as Array<string | number>, true);
      }
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      const where = issue.path.length > 0 ? `${issue.path.join('.')} : ` : '';
      this.problem(path, lineOf(range?.[0]), `${where}${issue.message}`);
    }
    return null;
  }
}

/** Splits `---\n<yaml>\n---\n<markdown>`; the markdown's first line number is returned too. */
function splitFrontMatter(source: string): { yaml: string; body: string; bodyLine: number } | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  if (!match) return null;
  return { yaml: match[1]!, body: source.slice(match[0].length), bodyLine: match[0].split('\n').length };
}

const linkPattern = /(!?)\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

/** Reads and checks courses/ (the folder at `root`). */
export function loadContent(root: string): { content: Content | null; problems: Problem[] } {
  const r = new Reader(root);
  if (!existsSync(root)) {
    r.problem('', 1, 'dossier courses/ introuvable');
    return { content: null, problems: r.problems };
  }

  const pathSource = r.read('path.yaml');
  if (pathSource === null) r.problem('path.yaml', 1, 'fichier manquant');
  const path = pathSource === null ? null : r.yaml('path.yaml', pathSource, pathSchema);

  const skillsSource = r.read('skills.yaml');
  if (skillsSource === null) r.problem('skills.yaml', 1, 'fichier manquant');
  const skillsData = skillsSource === null ? null : r.yaml('skills.yaml', skillsSource, skillsSchema);
  const skills: ContentSkill[] = [];
  if (skillsData) {
    const domains = new Map(skillsData.domains.map((d) => [d.code, d.title]));
    const seen = new Set<string>();
    skillsData.skills.forEach((s, i) => {
      const line = lineOfKey(skillsSource!, `code: ${s.code}`) ?? i + 1;
      if (seen.has(s.code)) r.problem('skills.yaml', line, `compétence ${s.code} en double`);
      seen.add(s.code);
      const domainTitle = domains.get(s.domain);
      if (!domainTitle) r.problem('skills.yaml', line, `domaine inconnu : ${s.domain}`);
      skills.push({ ...s, domainTitle: domainTitle ?? s.domain });
    });
  }
  const skillCodes = new Set(skills.map((s) => s.code));

  const courses: ContentCourse[] = [];
  const quizPaths: Array<{ id: string; path: string; line: number }> = [];
  const failedFolders = new Set<string>();
  const lessonIds = new Map<string, string>();
  const lessonFiles = new Map<string, string>();
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'course.yaml')))
    .map((e) => e.name)
    .sort();

  for (const folder of folders) {
    const coursePath = `${folder}/course.yaml`;
    const source = r.read(coursePath)!;
    const data = r.yaml(coursePath, source, courseSchema);
    if (!data) {
      failedFolders.add(folder);
      continue;
    }
    for (const code of data.skills) {
      if (!skillCodes.has(code))
        r.problem(coursePath, lineOfKey(source, code) ?? 1, `compétence inconnue : ${code}`);
    }
    const lessons: ContentLesson[] = [];
    for (const file of data.lessons) {
      const lessonPath = `${folder}/${file}`;
      const lessonSource = r.read(lessonPath);
      if (lessonSource === null) {
        r.problem(coursePath, lineOfKey(source, file) ?? 1, `leçon introuvable : ${file}`);
        continue;
      }
      const parts = splitFrontMatter(lessonSource);
      if (!parts) {
        r.problem(lessonPath, 1, 'en-tête YAML attendu entre deux lignes ---');
        continue;
      }
      const meta = r.yaml(lessonPath, parts.yaml, lessonSchema, 2);
      if (!meta) continue;
      const previous = lessonIds.get(meta.id);
      if (previous) {
        r.problem(
          lessonPath,
          1 + (lineOfKey(parts.yaml, 'id:') ?? 1),
          `identifiant de leçon ${meta.id} déjà pris par ${previous}`,
        );
      }
      lessonIds.set(meta.id, r.label(lessonPath));
      lessonFiles.set(normalize(lessonPath), meta.id);
      for (const code of meta.skills) {
        if (!skillCodes.has(code))
          r.problem(lessonPath, 1 + (lineOfKey(parts.yaml, code) ?? 1), `compétence inconnue : ${code}`);
      }
      parts.body.split('\n').forEach((line, i) => {
        if (/^#\s/.test(line))
          r.problem(lessonPath, parts.bodyLine + i, 'titre # réservé au titre de la leçon : utilisez ##');
      });
      const { body, task, misplacedTaskLine } = splitTask(parts.body);
      if (misplacedTaskLine !== null)
        r.problem(
          lessonPath,
          parts.bodyLine + misplacedTaskLine,
          `l’encadré « ${TASK_LABEL} » doit être le dernier bloc de la leçon`,
        );
      lessons.push({
        id: meta.id,
        title: meta.title,
        durationMinutes: meta.duration_minutes,
        skills: meta.skills,
        file: lessonPath,
        markdown: body,
        task,
        bodyLine: parts.bodyLine,
      });
    }
    let quiz: ContentQuiz | null = null;
    if (data.quiz) {
      const quizPath = `${folder}/${data.quiz}`;
      const quizSource = r.read(quizPath);
      if (quizSource === null)
        r.problem(coursePath, lineOfKey(source, 'quiz:') ?? 1, `quiz introuvable : ${data.quiz}`);
      else {
        const q = r.yaml(quizPath, quizSource, quizSchema);
        if (q) {
          quiz = { id: q.id, title: q.title, passMark: q.pass_mark, questions: q.questions };
          checkQuiz(r, quizPath, quizSource, quiz);
          quizPaths.push({ id: q.id, path: quizPath, line: lineOfKey(quizSource, 'id:') ?? 1 });
        }
      }
    }
    for (const resource of data.resources) {
      const resourcePath = normalize(`${folder}/${resource.file}`);
      if (!resourcePath.startsWith(`${folder}/`) || r.read(resourcePath) === null) {
        r.problem(
          coursePath,
          lineOfKey(source, resource.file) ?? 1,
          `ressource introuvable : ${resource.file}`,
        );
      }
    }
    courses.push({
      id: data.id,
      title: data.title,
      summary: data.summary,
      durationMinutes: data.duration_minutes,
      skills: data.skills,
      folder,
      lessons,
      quiz,
      resources: data.resources.map((x) => ({
        file: x.file,
        title: x.title,
        description: x.description ?? '',
      })),
    });
  }

  // Quiz ids, once every lesson and quiz is known: unique among quizzes and lessons.
  const quizSeen = new Map<string, string>();
  for (const q of quizPaths) {
    const other = quizSeen.get(q.id) ?? lessonIds.get(q.id);
    if (other) r.problem(q.path, q.line, `identifiant de quiz ${q.id} déjà pris par ${other}`);
    quizSeen.set(q.id, r.label(q.path));
  }

  // Links between lessons, and images, once every lesson is known.
  for (const course of courses) {
    for (const lesson of course.lessons) {
      // Read as a whole, so a link whose text wraps over two lines is checked too; the task's lines
      // follow the body's (its callout's label line taken out: close enough).
      const text = `${lesson.markdown}${lesson.task ?? ''}`;
      for (const match of text.matchAll(linkPattern)) {
        const [, bang, target] = match as unknown as [string, string, string];
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
        const line = lesson.bodyLine + text.slice(0, match.index).split('\n').length - 1;
        const resolved = normalize(join(dirname(lesson.file), target.split('#')[0]!));
        if (bang) {
          if (!existsSync(join(root, resolved)) || !resolved.startsWith(`${course.folder}/`)) {
            r.problem(lesson.file, line, `image introuvable : ${target}`);
          }
        } else if (target.endsWith('.md') || target.includes('.md#')) {
          if (!lessonFiles.has(resolved))
            r.problem(lesson.file, line, `lien vers une leçon inconnue : ${target}`);
        }
      }
    }
  }

  const courseIds = new Set(courses.map((c) => c.id));
  if (courseIds.size !== courses.length) r.problem('path.yaml', 1, 'deux modules ont le même identifiant');
  if (path) {
    for (const courseId of path.courses) {
      // A course whose course.yaml is unreadable is already reported there.
      if (!courseIds.has(courseId) && !failedFolders.has(courseId))
        r.problem('path.yaml', lineOfKey(pathSource!, courseId) ?? 1, `module inconnu : ${courseId}`);
    }
  }

  if (r.problems.length > 0 || !path) return { content: null, problems: r.problems };
  const hash = createHash('sha256');
  for (const [file, content] of [...r.files].sort(([a], [b]) => a.localeCompare(b)))
    hash.update(file).update('\0').update(content);
  return {
    content: {
      path: { id: path.id, title: path.title, summary: path.summary, courseIds: path.courses },
      skills,
      courses,
      hash: hash.digest('hex'),
    },
    problems: [],
  };
}

function checkQuiz(r: Reader, quizPath: string, source: string, quiz: ContentQuiz) {
  const questionIds = new Set<string>();
  for (const q of quiz.questions) {
    const line = lineOfKey(source, `id: ${q.id}`) ?? 1;
    if (questionIds.has(q.id)) r.problem(quizPath, line, `question ${q.id} en double`);
    questionIds.add(q.id);
    const answerIds = new Set(q.answers.map((a) => a.id));
    if (answerIds.size !== q.answers.length)
      r.problem(quizPath, line, `question ${q.id} : deux réponses ont le même identifiant`);
    const right = q.answers.filter((a) => a.correct).length;
    if (q.type === 'single' && right !== 1)
      r.problem(quizPath, line, `question ${q.id} : une seule bonne réponse attendue (${right} trouvées)`);
    if (q.type === 'multiple' && right < 2)
      r.problem(
        quizPath,
        line,
        `question ${q.id} : au moins deux bonnes réponses attendues pour « multiple »`,
      );
  }
}

/** The 1-based line where `needle` first appears, if it does. */
function lineOfKey(source: string, needle: string): number | undefined {
  const index = source.indexOf(needle);
  return index === -1 ? undefined : source.slice(0, index).split('\n').length;
}
