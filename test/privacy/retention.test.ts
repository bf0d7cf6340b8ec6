// Retention: two years without signing in brings a warning email, once; 30 days later the account
// is erased unless the person came back; running the job again changes nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '../../src/privacy/retention.ts';
import { createOrganization, createTestApp, createUser, type TestContext } from '../helpers.ts';

let ctx: TestContext;
const DAY = 86_400_000;
const now = new Date('2027-03-01T09:00:00Z');
beforeAll(async () => {
  ctx = await createTestApp({});
});
afterAll(() => ctx.close());

const run = (at: Date) => applyRetention(ctx.db, ctx.mailer, ctx.config.baseUrl, at);
const seen = (id: number, at: number) =>
  ctx.db.run(sql`UPDATE users SET last_seen_at = ${at} WHERE id = ${id}`);
const nameOf = (id: number) =>
  ctx.db.get<{ name: string }>(sql`SELECT display_name AS name FROM users WHERE id = ${id}`)!.name;

describe('retention', () => {
  it('warns once after two years, erases 30 days later unless the person signs in', async () => {
    const osim = createOrganization(ctx.db, { name: 'OSIM Rétention' });
    const gone = await createUser(ctx.db, {
      role: 'member',
      organizationId: osim.id,
      displayName: 'Fatou Partie',
    });
    const back = await createUser(ctx.db, {
      role: 'member',
      organizationId: osim.id,
      displayName: 'Omar Revenu',
    });
    const active = await createUser(ctx.db, {
      role: 'member',
      organizationId: osim.id,
      displayName: 'Lina Active',
    });
    seen(gone.id, now.getTime() - 731 * DAY);
    seen(back.id, now.getTime() - 800 * DAY);
    seen(active.id, now.getTime() - 600 * DAY);

    expect(run(now)).toEqual({ warned: 2, erased: 0, kept: 0, failed: 0 });
    const mails = ctx.db.all<{ to: string; subject: string; body: string }>(
      sql`SELECT to_address AS "to", subject, text_body AS body FROM outbox WHERE subject = 'Votre compte Passerelle va être supprimé'`,
    );
    expect(mails.map((m) => m.to).sort()).toEqual([back.email, gone.email].sort());
    expect(mails[0]!.body).toContain('31 mars 2027');
    // The same day again: nobody is warned twice, nobody erased yet.
    expect(run(new Date(now.getTime() + DAY))).toEqual({ warned: 0, erased: 0, kept: 0, failed: 0 });

    // Omar signs in during the 30 days: his warning is withdrawn.
    seen(back.id, now.getTime() + 10 * DAY);
    expect(run(new Date(now.getTime() + 31 * DAY))).toEqual({ warned: 0, erased: 1, kept: 1, failed: 0 });
    expect(nameOf(gone.id)).toBe('Compte supprimé');
    expect(nameOf(back.id)).toBe('Omar Revenu');
    expect(nameOf(active.id)).toBe('Lina Active');
    expect(run(new Date(now.getTime() + 32 * DAY))).toEqual({ warned: 0, erased: 0, kept: 0, failed: 0 });
    expect(
      ctx.db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM audit_log WHERE action = 'account.erase' AND subject_user_id = ${gone.id}`,
      )!.n,
    ).toBe(1);
  });
});
