// The writers' bar of the courses: words, long sentences, acronyms spelled out at their first use,
// the closing « À faire maintenant » task, and quizzes whose right answers do not sit in one place.
import { describe, expect, it } from 'vitest';
import { splitTask } from '../../src/content/lesson-task.ts';
import type { Content, ContentQuiz } from '../../src/content/load.ts';
import { clustering, editorialReview, lessonFigures } from '../../src/content/readability.ts';

const lesson = (markdown: string) => {
  const { body, task } = splitTask(markdown);
  return lessonFigures({ file: 'x/01.md', markdown: body, task, bodyLine: 6 });
};

describe('lesson figures', () => {
  it('counts words as a reader would, French elisions and hyphens included', () => {
    expect(lesson("L'association d'à-côté a vingt-trois membres.").words).toBe(5);
  });

  it('counts sentences over 25 words', () => {
    const long = `Des ${'mots '.repeat(30).trim()}.`;
    const f = lesson(`Une phrase courte. ${long} Une autre courte.`);
    expect(f.sentences).toBe(3);
    expect(f.longSentences).toBe(1);
  });

  it('accepts an acronym spelled out either way at its first use, and names the others with their line', () => {
    const f = lesson(
      [
        '## Les QPV',
        '',
        'Un quartier prioritaire de la politique de la ville (QPV) est défini par la loi.',
        '',
        "L'EPCI (établissement public de coopération intercommunale) pilote. Le QPV compte.",
        '',
        'Le FDVA aide les associations, au titre II du texte.',
      ].join('\n'),
    );
    expect(f.undefinedAcronyms).toEqual([{ acronym: 'FDVA', line: 12 }]);
  });

  it('finds an acronym used first in a table without its meaning', () => {
    const f = lesson(['| Sigle | Sens |', '|---|---|', '| CER | à signer |'].join('\n'));
    expect(f.undefinedAcronyms.map((a) => a.acronym)).toEqual(['CER']);
  });

  it('takes the closing « À faire maintenant » callout out of the text as the lesson’s task', () => {
    const { body, task } = splitTask('Du texte.\n\n> **À faire maintenant**\n> Vérifiez votre adresse.\n');
    expect(task).toBe('Vérifiez votre adresse.');
    expect(body).not.toContain('À faire maintenant');
    expect(lesson('Du texte sans tâche.').hasTask).toBe(false);
    // A task callout in the middle is not the closing task: the checker says so (load.test.ts).
    expect(splitTask('> **À faire maintenant**\n> Ceci.\n\nPuis du texte.').misplacedTaskLine).toBe(0);
  });
});

describe('quiz clustering', () => {
  const single = (id: string, rightAt: number) => ({
    id,
    type: 'single' as const,
    prompt: id,
    answers: [0, 1, 2].map((i) => ({ id: `a${i}`, text: `${i}`, correct: i === rightAt, feedback: '.' })),
  });
  const multiple = (id: string, rights: number[]) => ({
    id,
    type: 'multiple' as const,
    prompt: id,
    answers: [0, 1, 2, 3].map((i) => ({
      id: `a${i}`,
      text: `${i}`,
      correct: rights.includes(i),
      feedback: '.',
    })),
  });
  const quiz = (questions: ContentQuiz['questions']): ContentQuiz => ({
    id: 'q',
    title: 'Q',
    passMark: 70,
    questions,
  });

  it('warns when the right answer of most single-choice questions is in the same place', () => {
    expect(clustering(quiz([single('1', 0), single('2', 0), single('3', 0), single('4', 1)]))).toMatch(
      /position 1 dans 3 questions/,
    );
    expect(clustering(quiz([single('1', 0), single('2', 1), single('3', 2), single('4', 1)]))).toBeNull();
  });

  it('warns when most multiple-choice questions list their right answers first', () => {
    expect(clustering(quiz([multiple('1', [0, 1]), multiple('2', [0, 1, 2])]))).toMatch(/en premier dans 2/);
    expect(clustering(quiz([multiple('1', [0, 2]), multiple('2', [1, 3])]))).toBeNull();
  });
});

describe('the same question in two quizzes', () => {
  it('is pointed out, whatever its punctuation or case', () => {
    const question = (prompt: string) => ({
      id: 'q1',
      type: 'single' as const,
      prompt,
      answers: [
        { id: 'a', text: 'Oui', correct: true, feedback: '.' },
        { id: 'b', text: 'Non', correct: false, feedback: '.' },
      ],
    });
    const course = (id: string, prompt: string) => ({
      id,
      title: id,
      summary: '',
      durationMinutes: 1,
      skills: [],
      folder: id,
      lessons: [],
      resources: [],
      quiz: { id: `${id}-quiz`, title: id, passMark: 70, questions: [question(prompt)] },
    });
    const content = {
      path: { id: 'p', title: 'p', summary: '', courseIds: ['a', 'b'] },
      skills: [],
      hash: '',
      courses: [
        course('a', 'La mairie doit-elle prêter une salle ?'),
        course('b', 'la mairie doit elle prêter une salle'),
      ],
    } satisfies Content;
    expect(editorialReview(content).warnings.map((w) => w.message)).toEqual([
      'question q1 : déjà posée (a-quiz q1)',
    ]);
  });
});
