// A lesson's « À faire maintenant » task: the callout that ends the lesson, one concrete thing to do
// for the learner's own association. It is taken out of the lesson's text at load and shown apart,
// as a task the learner can tick (src/learning/progress.ts `setTaskDone`).

export const TASK_LABEL = 'À faire maintenant';

const LABEL_LINE = /^>\s*\*\*\s*À faire maintenant\s*:?\s*\*\*\s*:?\s*(.*)$/i;

export interface SplitLesson {
  /** The lesson's text without its task. */
  body: string;
  /** The task's Markdown (the callout's text without its label), or null. */
  task: string | null;
  /** 0-based line (in the body) of a task callout that is not the lesson's last block, if any. */
  misplacedTaskLine: number | null;
}

/** Splits the trailing « À faire maintenant » callout from a lesson's Markdown. */
export function splitTask(markdown: string): SplitLesson {
  const lines = markdown.replace(/\s+$/, '').split('\n');
  let start = lines.length;
  while (start > 0 && /^>/.test(lines[start - 1]!)) start--;
  const label = start < lines.length ? LABEL_LINE.exec(lines[start]!) : null;
  if (label) {
    const text = [label[1] ?? '', ...lines.slice(start + 1).map((line) => line.replace(/^>\s?/, ''))]
      .join('\n')
      .trim();
    if (text !== '') {
      return { body: `${lines.slice(0, start).join('\n').trimEnd()}\n`, task: text, misplacedTaskLine: null };
    }
  }
  const misplaced = lines.findIndex((line) => LABEL_LINE.test(line));
  return { body: markdown, task: null, misplacedTaskLine: misplaced === -1 ? null : misplaced };
}
