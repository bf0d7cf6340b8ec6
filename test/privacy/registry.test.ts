// The register of personal data covers the whole database: a new table that it does not name
// fails here (as Moodle's privacy provider tests do), and so does a column it names that no longer
// exists, or SQL of it that no longer runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../src/privacy/registry.ts';
import { createTestApp, type TestContext } from '../helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({});
});
afterAll(() => ctx.close());

const params = {
  id: 1,
  email: 'x@example.org',
  now: 0,
  placeholder: 'p@passerelle.invalid',
  emails: '["x@example.org"]',
  names: '["X"]',
};

describe('personal data register', () => {
  it('names every table of the database, and only tables that exist', () => {
    const tables = (
      ctx.db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    expect(tables.filter((t) => !(t in registry))).toEqual([]);
    expect(Object.keys(registry).filter((t) => !tables.includes(t))).toEqual([]);
  });

  it('names real columns, and its SQL runs', () => {
    for (const [table, entry] of Object.entries(registry)) {
      if (!entry.personal) {
        expect(entry.why.length, table).toBeGreaterThan(5);
        continue;
      }
      const columns = (
        ctx.db.$client.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]
      ).map((c) => c.name);
      for (const c of [...entry.columns, ...(entry.exported ?? [])])
        expect(columns, `${table}.${c}`).toContain(c);
      if (entry.rows) ctx.db.$client.prepare(`SELECT * FROM "${table}" WHERE ${entry.rows}`).all(params);
      const e = entry.erase;
      if ('delete' in e) ctx.db.$client.prepare(`SELECT 1 FROM "${table}" WHERE ${e.delete}`).all(params);
      if ('anonymise' in e)
        ctx.db.$client.prepare(`SELECT 1 FROM "${table}" WHERE ${e.anonymise}`).all(params);
    }
  });

  it('says what happens on erasure to every table that points at a person', () => {
    for (const [table, entry] of Object.entries(registry)) {
      const pointsAtUsers = (
        ctx.db.$client.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string }[]
      ).some((fk) => fk.table === 'users');
      if (!pointsAtUsers) continue;
      // Either the person's rows are handled, or the reason is given (a pointer to an account that
      // erasure keeps, anonymised).
      if (entry.personal) expect(entry.erase, table).toBeDefined();
      else expect(entry.why, table).toMatch(/compte|anonymis/);
    }
  });
});
