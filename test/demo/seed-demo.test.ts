import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { organizations, users } from '../../src/db/schema.ts';
import { demoAccounts, seedDemoData } from '../../src/demo/seed-demo.ts';
import { findUserByEmail, loadCurrentUser } from '../../src/people/users.ts';
import { createTestApp, type TestContext } from '../helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

describe('demo data', () => {
  it('has FORIM, the COSIMs of the note and the OSIMs of its annex', () => {
    const names = ctx.db
      .select({ name: organizations.name })
      .from(organizations)
      .all()
      .map((o) => o.name);
    for (const name of [
      'FORIM',
      'COSIM Bretagne',
      'COSIM Auvergne-Rhône-Alpes',
      'COSIM Occitanie Méditerranée',
      'COSIM Occitanie Pyrénées',
      'COSIM Nouvelle-Aquitaine',
      'COSIM PACA',
      'COSIM Hauts-de-France',
      'COSIM Île-de-France',
      'COSIM Pays de la Loire',
      'AMF',
      'CAPCOS',
      'PAFHA',
      'RAME',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('gives each demo account its role on its organization', () => {
    for (const account of demoAccounts) {
      const user = findUserByEmail(ctx.db, account.email)!;
      const current = loadCurrentUser(ctx.db, user.id)!;
      expect(current.primaryRole).toBe(account.role);
      expect(current.memberships[0]!.organizationName).toBe(account.organization);
    }
  });

  it('does nothing on a database that already has data', async () => {
    const before = ctx.db.select({ n: count() }).from(users).get()!.n;
    expect(await seedDemoData(ctx.db)).toBe(false);
    expect(ctx.db.select({ n: count() }).from(users).get()!.n).toBe(before);
  });
});
