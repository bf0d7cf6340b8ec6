// The one way a single-use link is used (invitation, password reset, e-mail change and its undo):
// once, before it expires, only what `alsoRequires` allows, and unused again if the work it opens
// is rolled back.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuePasswordReset } from '../../src/auth/password-reset.ts';
import { consumeLinkToken, generateLinkToken, type SingleUseLink } from '../../src/auth/tokens.ts';
import { withTransaction } from '../../src/db/client.ts';
import { passwordResets } from '../../src/db/schema.ts';
import { createTestApp, createUser, type TestContext } from '../helpers.ts';

const resets: SingleUseLink<typeof passwordResets> = {
  table: passwordResets,
  tokenHash: passwordResets.tokenHash,
  usedAt: passwordResets.usedAt,
  expiresAt: passwordResets.expiresAt,
};

let ctx: TestContext;
let userId: number;
beforeAll(async () => {
  ctx = await createTestApp();
  userId = (await createUser(ctx.db)).id;
});
afterAll(() => ctx.close());

describe('consumeLinkToken', () => {
  it('uses a link once: the row the first time, expired after', () => {
    const now = new Date();
    const token = issuePasswordReset(ctx.db, userId, now);
    const first = consumeLinkToken(ctx.db, resets, token, now);
    expect(first).toMatchObject({ state: 'consumed', row: { userId, usedAt: now } });
    expect(consumeLinkToken(ctx.db, resets, token, now)).toEqual({ state: 'expired' });
  });

  it('says unknown for a malformed token or one the table does not hold', () => {
    expect(consumeLinkToken(ctx.db, resets, 'pas-un-jeton', new Date())).toEqual({ state: 'unknown' });
    expect(consumeLinkToken(ctx.db, resets, generateLinkToken(), new Date())).toEqual({ state: 'unknown' });
  });

  it('says expired once the link is past its time, and leaves it unused', () => {
    const issued = new Date(Date.now() - 2 * 3600_000);
    const token = issuePasswordReset(ctx.db, userId, issued);
    expect(consumeLinkToken(ctx.db, resets, token, new Date())).toEqual({ state: 'expired' });
    expect(consumeLinkToken(ctx.db, resets, token, issued)).toMatchObject({ state: 'consumed' });
  });

  it('opens nothing that `alsoRequires` refuses', () => {
    const token = issuePasswordReset(ctx.db, userId);
    const refused = { ...resets, alsoRequires: sql`${passwordResets.userId} <> ${userId}` };
    expect(consumeLinkToken(ctx.db, refused, token, new Date())).toEqual({ state: 'expired' });
    expect(consumeLinkToken(ctx.db, resets, token, new Date())).toMatchObject({ state: 'consumed' });
  });

  it('is unused again when the transaction that used it is rolled back', () => {
    const token = issuePasswordReset(ctx.db, userId);
    expect(() =>
      withTransaction(ctx.db, (tx) => {
        expect(consumeLinkToken(tx, resets, token, new Date()).state).toBe('consumed');
        throw new Error('the work the link opens failed');
      }),
    ).toThrow('failed');
    const rows = ctx.db.select().from(passwordResets).where(eq(passwordResets.userId, userId)).all();
    expect(rows.filter((r) => r.usedAt === null)).toHaveLength(1);
    expect(consumeLinkToken(ctx.db, resets, token, new Date())).toMatchObject({ state: 'consumed' });
  });
});
