// The dashboards' figures, kept in memory per set of filters. An entry is good until a collective's
// summary is recomputed (any write that changes people's figures marks one, and every dashboard
// read recomputes the marked ones first) and for a minute at most, for what changes with time or
// without touching people (a séance ending, a collective renamed). Per database connection.
// Rendered HTML (memoView) is kept per language too: the same figures read differently in French
// and in English (words, plurals, number grouping).
import type Database from 'better-sqlite3';
import { type Db, sqliteOf } from '../db/client.ts';

const TTL_MS = 60_000;
const MAX_ENTRIES = 200;

interface Entry {
  version: number;
  at: number;
  value: unknown;
}
interface State {
  version: number;
  entries: Map<string, Entry>;
}
const states = new WeakMap<Database.Database, State>();

function stateOf(db: Db): State {
  const client = sqliteOf(db);
  let state = states.get(client);
  if (!state) {
    state = { version: 0, entries: new Map() };
    states.set(client, state);
  }
  return state;
}

/** Every cached figure of this database is out of date (a summary was recomputed). */
export function invalidateDashboards(db: Db): void {
  stateOf(db).version += 1;
}

/** The value for `key`, computed again when a summary changed since or a minute has passed. */
export function memo<T>(db: Db, key: string, compute: () => T, now = Date.now()): T {
  const state = stateOf(db);
  const hit = state.entries.get(key);
  if (hit && hit.version === state.version && now - hit.at < TTL_MS) return hit.value as T;
  const value = compute();
  state.entries.delete(key);
  state.entries.set(key, { version: state.version, at: now, value });
  // A promise that fails (a template error) is not kept: the next request tries again.
  if (value instanceof Promise)
    value.catch(() => {
      if (state.entries.get(key)?.value === value) state.entries.delete(key);
    });
  if (state.entries.size > MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
  return value;
}

/**
 * HTML made from cached figures, kept like them and per reader's language: `key` must name
 * everything else the HTML shows (filters, scope, page).
 */
export function memoView<T>(db: Db, locale: string, key: string, render: () => T, now = Date.now()): T {
  return memo(db, `view:${locale}:${key}`, render, now);
}
