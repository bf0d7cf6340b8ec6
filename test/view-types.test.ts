// Templates checked by the compiler. Each view's data has a type (src/views.ts, used by
// reply.render), but a template is not TypeScript: what it reads is listed here from its text —
// every `it.a.b` path of a template and of the partials it hands its own data to
// (`include('/x', it)`), not the locals every page gets (viewLocals) nor what a partial receives in
// an object literal. That list is kept in test/view-reads.ts, and the type below makes
// `npm run typecheck` fail when a view's type lacks a path its template reads: a field renamed in a
// route's data or in a domain type breaks the build, not a page. When a template changes, this test
// fails until the list is written again: `npx vitest run test/view-types.test.ts -u`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ViewLocals } from '../src/plugins/view.ts';
import type { Views } from '../src/views.ts';
import type { ViewReads } from './view-reads.ts';

const viewsDir = join(import.meta.dirname, '..', 'views');

/** The locals of every template (reply.viewLocals, src/plugins/view.ts): never part of a view's data. */
const locals: Record<keyof ViewLocals, true> = {
  t: true,
  lang: true,
  user: true,
  csrfToken: true,
  flash: true,
  asset: true,
  formatDate: true,
  formatDateTime: true,
  num: true,
  nav: true,
  currentPath: true,
};
const LOCALS = new Set(Object.keys(locals));

function templatesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return templatesUnder(path);
    return path.endsWith('.eta') ? [relative(viewsDir, path).split(sep).join('/').slice(0, -4)] : [];
  });
}

/**
 * A template's JavaScript: what its `<% %>` tags hold, one tag a line, with comments and the text of
 * strings blanked (same length, so that a position in it is one in the code as written).
 */
function codeOf(text: string): { code: string; raw: string } {
  const raw = [...text.matchAll(/<%[=~_-]?([\s\S]*?)[-_]?%>/g)].map((m) => m[1]!).join('\n');
  let code = '';
  let i = 0;
  const templates: number[] = []; // brace depth inside each open `${`
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '/' && raw[i + 1] === '/') {
      const end = raw.indexOf('\n', i);
      const stop = end === -1 ? raw.length : end;
      code += blank(raw.slice(i, stop));
      i = stop;
    } else if (c === '/' && raw[i + 1] === '*') {
      const stop = raw.indexOf('*/', i + 2) + 2;
      code += blank(raw.slice(i, stop));
      i = stop;
    } else if (c === "'" || c === '"' || c === '`' || (c === '}' && templates.at(-1) === 0)) {
      // A string, or the text of a template literal up to its end or its next `${`.
      if (c === '}') templates.pop();
      const quote = c === '}' ? '`' : c;
      let j = i + 1;
      while (j < raw.length && raw[j] !== quote && !(quote === '`' && raw[j] === '$' && raw[j + 1] === '{'))
        j += raw[j] === '\\' ? 2 : 1;
      if (quote === '`' && raw[j] === '$') {
        templates.push(0);
        code += `${c}${blank(raw.slice(i + 1, j))}\${`;
        i = j + 2;
      } else {
        code += `${c}${blank(raw.slice(i + 1, j))}${raw[j] ?? ''}`;
        i = j + 1;
      }
    } else {
      if (templates.length > 0 && c === '{') templates[templates.length - 1]! += 1;
      if (templates.length > 0 && c === '}') templates[templates.length - 1]! -= 1;
      code += c;
      i++;
    }
  }
  return { code, raw };
}

/** Where the bracket group around `from` closes (or the code's end). */
function groupEnd(code: string, from: number): number {
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i]!;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth < 0) return i;
  }
  return code.length;
}

/** Where the bracket group opening at `open` closes. */
const closing = (code: string, open: number) => groupEnd(code, open + 1);

/** A name bound in the code: to a path of the data (`course.lessons[]`), or to something else (null). */
interface Binding {
  name: string;
  path: string | null;
  from: number;
  to: number;
}

const IDENT = '[A-Za-z_$][\\w$]*';
/** `a.b?.c[i].d` from `at`: its segments, `[…]` read as « an element » (`[]`). */
function chainAt(
  code: string,
  at: number,
  limit = code.length,
): { base: string; rest: string; end: number } | null {
  code = code.slice(0, limit);
  const base = new RegExp(`^${IDENT}`).exec(code.slice(at))?.[0];
  if (!base) return null;
  let rest = '';
  let i = at + base.length;
  for (;;) {
    const member = new RegExp(`^\\??\\.(${IDENT})`).exec(code.slice(i, i + 100));
    if (member) {
      rest += `.${member[1]}`;
      i += member[0].length;
    } else if (code[i] === '[') {
      rest += '[]';
      i = closing(code, i) + 1;
    } else return { base, rest, end: i };
  }
}

interface Template {
  /** The paths of its data the template reads itself, without `it.` (`lesson.taskHtml`). */
  reads: string[];
  /**
   * Its partials: given the whole data (`include('/x', it)`, `{ ...it, … }`), and names given in an
   * object literal, each with the path it stands for (`{ rules: it.rules }`), null for other values.
   */
  passes: Array<{ name: string; whole: boolean; names: Map<string, string | null> }>;
}

/** The paths of the data a template reads, `it.` left out, and what it gives its partials. */
function scan(text: string): Template {
  const { code, raw } = codeOf(text);
  const bindings: Binding[] = [];
  const pathOf = (at: number): string | null => {
    const chain = chainAt(code, at);
    return chain ? resolve(chain, at) : null;
  };
  function resolve(chain: { base: string; rest: string }, at: number): string | null {
    if (chain.base === 'it') return chain.rest.slice(1);
    const bound = bindings
      .filter((b) => b.name === chain.base && b.from <= at && at < b.to)
      .sort((a, b) => b.from - a.from)[0];
    return bound?.path ? bound.path + chain.rest : null;
  }
  /** The path of an expression that is only a chain (`it.a.b`, `row`), else null. */
  const exactPath = (at: number, end: number): string | null => {
    const start = at + (/^\s*/.exec(code.slice(at))?.[0].length ?? 0);
    const chain = chainAt(code, start, end);
    return chain && code.slice(chain.end, end).trim() === '' ? resolve(chain, start) : null;
  };
  // Names bound in order: `const x = <chain>;`, `for (const x of <chain>)`, `<chain>.map((x) =>`.
  const binders = new RegExp(
    [
      `\\b(?:const|let)\\s+(${IDENT})\\s*=`,
      `\\bfor\\s*\\(\\s*(?:const|let)\\s+(?:(${IDENT})|\\[\\s*${IDENT}\\s*,\\s*(${IDENT})\\s*\\])\\s+of\\s`,
      `\\(\\s*(${IDENT})\\s*(?:,\\s*${IDENT}\\s*)?\\)\\s*=>|\\b(${IDENT})\\s*=>`,
    ].join('|'),
    'g',
  );
  for (const m of code.matchAll(binders)) {
    const at = m.index;
    if (m[1]) {
      const valueAt = at + m[0].length;
      const end = /[;\n]|$/.exec(code.slice(valueAt))!.index + valueAt;
      bindings.push({ name: m[1], path: exactPath(valueAt, end), from: end, to: groupEnd(code, at) });
    } else if (m[2] || m[3]) {
      // `for (const x of a.b)` or `for (const [i, x] of a.b.entries())`: x is an element of a.b.
      const open = code.indexOf('(', at);
      const close = closing(code, open);
      const source = code.slice(at + m[0].length, close).replace(/\.entries\(\s*\)\s*$/, '');
      const path = exactPath(at + m[0].length, at + m[0].length + source.length);
      const body = code.slice(close + 1).search(/\S/) + close + 1;
      const to = code[body] === '{' ? closing(code, body) : groupEnd(code, close);
      bindings.push({ name: (m[2] ?? m[3])!, path: path === null ? null : `${path}[]`, from: at, to });
    } else {
      // A callback's parameter: an element when the callback is given to an array method of a chain.
      const call = /(\.(?:map|flatMap|filter|find|findIndex|some|every|forEach)\(\s*)$/.exec(
        code.slice(0, at),
      );
      let path: string | null = null;
      if (call) {
        const chainEnd = at - call[1]!.length;
        const start = [...code.slice(0, chainEnd).matchAll(/[\w$.\]?[]+$/g)][0]?.index;
        const owner = start === undefined ? null : exactPath(start, chainEnd);
        path = owner === null ? null : `${owner}[]`;
      }
      bindings.push({ name: (m[4] ?? m[5])!, path, from: at, to: groupEnd(code, at) });
    }
  }
  const reads: string[] = [];
  for (const m of code.matchAll(new RegExp(`(?<![\\w$.])${IDENT}`, 'g'))) {
    const path = pathOf(m.index);
    if (path) reads.push(path);
  }
  // Partials: `include('/x', it)`, or `{ ...it, a: <chain>, b }` (what each name of it stands for).
  const passes: Template['passes'] = [];
  for (const m of code.matchAll(/\binclude\(\s*'/g)) {
    const quote = m.index + m[0].length;
    const partial = raw.slice(quote, raw.indexOf("'", quote)).replace(/^\//, '');
    const argument = code.indexOf(',', quote) + 1;
    const start = argument + (/^\s*/.exec(code.slice(argument))?.[0].length ?? 0);
    if (code.startsWith('it', start) && !/[\w$.]/.test(code[start + 2]!)) {
      passes.push({ name: partial, whole: true, names: new Map() });
      continue;
    }
    if (code[start] !== '{') continue;
    const names = new Map<string, string | null>();
    let whole = false;
    const end = closing(code, start);
    let entry = start + 1;
    while (entry < end) {
      let next = entry;
      let depth = 0;
      for (; next < end; next++) {
        const c = code[next]!;
        if ('([{'.includes(c)) depth++;
        else if (')]}'.includes(c)) depth--;
        else if (c === ',' && depth === 0) break;
      }
      const text = code.slice(entry, next);
      const spread = /^\s*\.\.\.\s*it\s*$/.test(text);
      const keyed = new RegExp(`^\\s*(${IDENT})\\s*(:)?`).exec(text);
      if (spread) whole = true;
      else if (keyed?.[2]) names.set(keyed[1]!, exactPath(entry + keyed[0].length, next));
      else if (keyed) names.set(keyed[1]!, exactPath(entry, next));
      entry = next + 1;
    }
    passes.push({ name: partial, whole, names });
  }
  return { reads, passes };
}

const templates = new Map(
  templatesUnder(viewsDir).map((name) => [name, scan(readFileSync(join(viewsDir, `${name}.eta`), 'utf8'))]),
);

/** What a template reads of the data it is given: its own paths and its partials', locals left out. */
function readsOf(name: string, seen: Set<string> = new Set()): Set<string> {
  const template = templates.get(name);
  if (!template) throw new Error(`include of a template that does not exist: ${name}`);
  const paths = new Set(template.reads.filter((path) => !LOCALS.has(path.split(/[.[]/)[0]!)));
  if (seen.has(name)) return paths;
  seen.add(name);
  for (const partial of template.passes)
    for (const path of readsOf(partial.name, new Set(seen))) {
      const head = path.split(/[.[]/)[0]!;
      if (partial.names.has(head)) {
        const given = partial.names.get(head);
        if (given) paths.add(given + path.slice(head.length));
      } else if (partial.whole) paths.add(path);
    }
  return paths;
}

/** Only the longest paths: `lesson.id` says that `lesson` is read. */
function leaves(paths: Set<string>): string[] {
  return [...paths]
    .filter(
      (path) => ![...paths].some((other) => other.startsWith(`${path}.`) || other.startsWith(`${path}[`)),
    )
    .sort();
}

function viewReadsFile(): string {
  const lines = [...templates.keys()]
    .sort()
    .map((name) => `  '${name}': '${leaves(readsOf(name)).join(' ')}';`);
  return [
    '// Written by test/view-types.test.ts (`npx vitest run test/view-types.test.ts -u`), never by hand:',
    "// the `it.` paths each template reads, its partials' included (see that test).",
    'export interface ViewReads {',
    ...lines,
    '}',
    '',
  ].join('\n');
}

// The check itself, made by the compiler: every path a view reads exists in its type.

/** The paths of a list written `a.b c[].d`. */
type Paths<List extends string, Found = never> = List extends `${infer Path} ${infer Rest}`
  ? Paths<Rest, Found | Path>
  : List extends ''
    ? Found
    : Found | List;
/** What no type holds: a segment of a path that is not there. */
declare const absent: unique symbol;
type Absent = typeof absent;
/** The type one segment leads to (`name`, or `name[]` for one of its elements), or Absent. */
type Step<T, Segment extends string> = Segment extends `${infer Name}[]`
  ? ElementOf<Step<T, Name>>
  : Segment extends keyof T
    ? T[Segment]
    : Absent;
type ElementOf<T> = T extends Absent
  ? Absent
  : unknown extends T
    ? unknown
    : NonNullable<T> extends infer U
      ? U extends readonly (infer E)[]
        ? E
        : U extends Iterable<infer E>
          ? E
          : U extends Record<string, infer E>
            ? E
            : Absent
      : never;
/**
 * Whether `Path` can be read from T: in some member of a union, past null and undefined; `any` and
 * `unknown` say nothing, so they let every path through.
 */
type Has<T, Path extends string> = unknown extends T
  ? true
  : NonNullable<T> extends infer U
    ? U extends unknown
      ? Path extends `${infer Segment}.${infer Rest}`
        ? Then<Step<U, Segment>, Rest>
        : Step<U, Path> extends Absent
          ? false
          : true
      : never
    : never;
type Then<T, Rest extends string> = T extends Absent ? false : Has<T, Rest>;
type Unread<Name extends keyof Views & keyof ViewReads> =
  Paths<ViewReads[Name]> extends infer Path extends string
    ? Path extends unknown
      ? true extends Has<Views[Name], Path>
        ? never
        : `${Name} reads it.${Path}`
      : never
    : never;
type Undeclared = { [Name in keyof Views & keyof ViewReads]: Unread<Name> }[keyof Views & keyof ViewReads];
type NoTemplate = `${Exclude<keyof Views, keyof ViewReads>}: no such template`;
/** `true`, or — failing the type check, each named — the paths templates read that their types lack. */
const everyReadDeclared: [Undeclared | NoTemplate] extends [never]
  ? true
  : (Undeclared | NoTemplate) & string = true;

describe('typed templates', () => {
  it('follows a template through its local names, loops, callbacks and partials', () => {
    const sample = scan(`<% const c = it.course; %><h1><%= c.title %></h1>
<% for (const l of c.lessons) { %><%= l.title %><% } %>
<% for (const [i, q] of it.questions.entries()) { %><%= q.prompt %><% } %>
<%= it.rows.filter((r) => r.done).length %> <%= it.user.displayName %>
<% if (it.other) { const c = it.other; %><%= c.name /* it.not.read */ %><% } %><%= c.summary %>
<%~ include('/partials/select', { t: it.t, value: it.values.courseId, options: it.choices, error: 'x' }) %>
<%~ include('/learn/_part', it) %><%~ include('/learn/_other', { ...it, oob: true }) %>`);
    expect(new Set(sample.reads)).toEqual(
      new Set([
        'course',
        'course.title',
        'course.lessons',
        'course.lessons[]',
        'course.lessons[].title',
        'questions.entries',
        'questions[]',
        'questions[].prompt',
        'rows.filter',
        'rows[]',
        'rows[].done',
        'user.displayName',
        'other',
        'other.name',
        'course.summary',
        't',
        'values.courseId',
        'choices',
      ]),
    );
    expect(sample.passes).toEqual([
      {
        name: 'partials/select',
        whole: false,
        names: new Map([
          ['t', 't'],
          ['value', 'values.courseId'],
          ['options', 'choices'],
          ['error', null],
        ]),
      },
      { name: 'learn/_part', whole: true, names: new Map() },
      { name: 'learn/_other', whole: true, names: new Map([['oob', null]]) },
    ]);
  });

  it('lists what each template reads (test/view-reads.ts), for the type check', async () => {
    expect(everyReadDeclared).toBe(true);
    await expect(viewReadsFile()).toMatchFileSnapshot(
      './view-reads.ts',
      'a template changed: `npx vitest run test/view-types.test.ts -u` writes the list again, then `npm run typecheck` names what src/views.ts lacks',
    );
  });
});
