// Lesson Markdown → HTML, once at sync (markdown-it, raw HTML off). Links to other lessons become
// app URLs, images are served from the course's folder, the conventional boxes ("À retenir",
// "Exemple dans le réseau", "À vérifier") get their class, tables scroll on a phone, and the text
// gets French typography (no-break spaces before « : ; ! ? » and inside « », one apostrophe).
import { dirname, join, normalize } from 'node:path';
import MarkdownIt from 'markdown-it';
import { frenchTypography } from '../i18n/index.ts';

export interface RenderContext {
  /** The lesson's file, relative to courses/. */
  file: string;
  courseId: string;
  /** Lesson file (relative to courses/) → lesson id. */
  lessonIds: Map<string, string>;
}

const boxes: Record<string, string> = {
  'à retenir': 'box--remember',
  'exemple dans le réseau': 'box--example',
  'à vérifier': 'box--check',
};

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

md.core.ruler.push('passerelle', (state) => {
  const env = state.env as unknown as RenderContext;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'blockquote_open') {
      // markdown-it may put empty text tokens around the bold label.
      const children = (tokens[i + 2]?.children ?? []).filter((c) => c.type !== 'text' || c.content !== '');
      const first = children[0];
      const label = children[1];
      if (first?.type === 'strong_open' && label) {
        const box = boxes[label.content.trim().toLowerCase()];
        if (box) token.attrJoin('class', `box ${box}`);
      }
    }
    if (token.type !== 'inline' || !token.children) continue;
    for (const child of token.children) {
      // The app's typography for French text (never inside code): no-break spaces, one apostrophe.
      if (child.type === 'text') child.content = frenchTypography(child.content);
      if (child.type === 'link_open') {
        const href = String(child.attrGet('href') ?? '');
        if (/^[a-z]+:/i.test(href)) {
          child.attrSet('rel', 'noopener');
          continue;
        }
        const [target, anchor] = href.split('#') as [string, string | undefined];
        // markdown-it has percent-encoded the link (accents, spaces): the files have real names.
        const lessonId = env.lessonIds.get(normalize(join(dirname(env.file), safeDecode(target))));
        if (lessonId) child.attrSet('href', `/learn/lessons/${lessonId}${anchor ? `#${anchor}` : ''}`);
      } else if (child.type === 'image') {
        const src = String(child.attrGet('src') ?? '');
        if (!/^[a-z]+:/i.test(src)) {
          const path = normalize(join(dirname(env.file), src));
          child.attrSet('src', `/learn/media/${path.split('/').map(encodeURIComponent).join('/')}`);
        }
        child.attrSet('loading', 'lazy');
      }
    }
  }
});

md.renderer.rules.table_open = () =>
  '<div class="table-scroll" role="region" tabindex="0"><table class="table">\n';
md.renderer.rules.table_close = () => '</table></div>\n';

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function renderLesson(markdown: string, context: RenderContext): string {
  return md.render(markdown, { ...context });
}

/** A resource written in Markdown (a checklist, a glossary), rendered as a page. */
export function renderResource(markdown: string): string {
  const context: RenderContext = { file: '', courseId: '', lessonIds: new Map() };
  return md.render(markdown, { ...context });
}
