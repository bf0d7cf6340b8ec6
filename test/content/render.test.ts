// Lesson Markdown → HTML: links between lessons become app URLs, whatever the file names.
import { describe, expect, it } from 'vitest';
import { renderLesson } from '../../src/content/render.ts';

const context = (lessonIds: Array<[string, string]>) => ({
  file: 'cours/01-debut.md',
  courseId: 'cours',
  lessonIds: new Map(lessonIds),
});

describe('renderLesson', () => {
  it('turns a link to a lesson file with accents or spaces into the lesson’s URL', () => {
    const html = renderLesson(
      '[la suite](02-sécurité.md#salle) et [la fin](<03-le bilan.md>)',
      context([
        ['cours/02-sécurité.md', 'l2'],
        ['cours/03-le bilan.md', 'l3'],
      ]),
    );
    expect(html).toContain('href="/learn/lessons/l2#salle"');
    expect(html).toContain('href="/learn/lessons/l3"');
  });

  it('gives the conventional boxes their class and leaves other quotes alone', () => {
    const html = renderLesson('> **À vérifier**\n> Le numéro du décret.\n\n> Une citation.', context([]));
    expect(html).toContain('<blockquote class="box box--check">');
    expect(html).toContain('<blockquote>\n<p>Une citation.');
  });

  it('never lets raw HTML through', () => {
    const html = renderLesson('<script>alert(1)</script> <img src=x onerror=alert(1)>', context([]));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
  });

  it('serves images from the course folder, lazily', () => {
    const html = renderLesson('![Plan](images/plan.png)', context([]));
    expect(html).toContain('src="/learn/media/cours/images/plan.png"');
    expect(html).toContain('loading="lazy"');
  });
});
