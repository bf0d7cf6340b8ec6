// Rows as objects, made in JavaScript. better-sqlite3 builds each row object through V8's C++ API,
// one property at a time (about 0.25 µs a value): a home page's seven séances of nineteen columns
// cost 40 µs that way. Asking SQLite for arrays (`raw` mode) and naming the values here gives the
// same objects in half the time (measured in `npm run bench`, issue 17). The statement's modes keep
// better-sqlite3's rules (raw, pluck and expand exclude each other; turning one off goes back to
// objects), so drizzle, which sets `raw()` itself, and every other caller see no difference.
import type Database from 'better-sqlite3';

type Mode = 'objects' | 'raw' | 'pluck' | 'expand';

interface Modes {
  /** Back to rows as objects (what `prepare` hands out). */
  resetMode(): void;
}

export type FastStatement = Database.Statement & Modes;

/** Gives a reader statement rows-as-objects made in JavaScript; writers are left as they are. */
export function withFastRows(statement: Database.Statement): void {
  if (!statement.reader) return;
  const native = {
    raw: statement.raw.bind(statement),
    pluck: statement.pluck.bind(statement),
    expand: statement.expand.bind(statement),
    all: statement.all.bind(statement),
    get: statement.get.bind(statement),
    iterate: statement.iterate.bind(statement),
  };
  const fast = statement as FastStatement;
  let mode: Mode = 'objects';
  let names: string[] = statement.columns().map((c) => c.name);

  /** SQLite's side: arrays for objects and raw, else the mode asked for. */
  const apply = () => {
    if (mode === 'objects' || mode === 'raw') native.raw(true);
    else if (mode === 'pluck') native.pluck(true);
    else native.expand(true);
  };
  const toggle = (which: Exclude<Mode, 'objects'>, use: boolean | undefined): FastStatement => {
    const on = use ?? true;
    const next: Mode = on ? which : mode === which ? 'objects' : mode;
    if (next !== mode) {
      mode = next;
      apply();
    }
    return fast;
  };
  const toObject = (row: unknown[]) => {
    // A schema change recompiles the statement: `SELECT *` may then have other columns. (A column
    // renamed while the app runs would keep its old name here: migrations run at start only.)
    if (row.length !== names.length) names = statement.columns().map((c) => c.name);
    const object: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) object[names[i]!] = row[i];
    return object;
  };

  fast.raw = (use?: boolean) => toggle('raw', use);
  fast.pluck = (use?: boolean) => toggle('pluck', use);
  fast.expand = (use?: boolean) => toggle('expand', use);
  fast.resetMode = () => {
    if (mode !== 'objects') {
      mode = 'objects';
      apply();
    }
  };
  fast.all = ((...params: unknown[]) => {
    const rows = native.all(...params) as unknown[];
    return mode === 'objects' ? rows.map((row) => toObject(row as unknown[])) : rows;
  }) as Database.Statement['all'];
  fast.get = ((...params: unknown[]) => {
    const row = native.get(...params) as unknown[] | undefined;
    return mode === 'objects' && row !== undefined ? toObject(row) : row;
  }) as Database.Statement['get'];
  // Started at once, as better-sqlite3's own (parameters checked, connection busy), rows named as
  // they come.
  fast.iterate = ((...params: unknown[]) => {
    const rows = native.iterate(...params) as IterableIterator<unknown[]>;
    if (mode !== 'objects') return rows;
    const named: IterableIterator<unknown> = {
      next() {
        const step = rows.next();
        return step.done ? step : { done: false, value: toObject(step.value) };
      },
      return(value?: unknown) {
        return rows.return?.(value) ?? { done: true, value: undefined };
      },
      [Symbol.iterator]() {
        return named;
      },
    };
    return named;
  }) as Database.Statement['iterate'];
  apply();
}
