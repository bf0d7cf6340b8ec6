// The role rules as a coordinator of COSIM Bretagne meets them on a phone, JavaScript on and off:
// an account the national team disabled says so and offers no « Réactiver » (finding 12); the
// national team's coordinator invitation says it is theirs, with no « Renvoyer » (finding 2); the
// collective's cycle offers no « Je m'inscris » (finding 13). Each page passes axe (JavaScript on:
// axe runs in the page).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation, invitationLinks } from '../../src/auth/invitations.ts';
import { cycles, organizations } from '../../src/db/schema.ts';
import { disableAccount } from '../../src/people/accounts.ts';
import { findUserByEmail, loadCurrentUser } from '../../src/people/users.ts';
import { expectAccessible, type Harness, PHONE, screenshot, signIn, startHarness } from './harness.ts';

let h: Harness;
let personId: number;
let invitationId: number;
let cycleId: number;

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.ctx;
  const admin = findUserByEmail(db, 'admin@forim.test')!;
  const awa = findUserByEmail(db, 'awa.diop@cosim-bretagne.test')!;
  disableAccount(db, loadCurrentUser(db, admin.id)!, awa.id);
  personId = awa.id;
  const bretagne = db.select().from(organizations).where(eq(organizations.name, 'COSIM Bretagne')).get()!;
  invitationId = createInvitation(db, h.ctx.mailer, invitationLinks(h.ctx.config), {
    email: 'co-coordination@exemple.test',
    displayName: 'Fanta Camara',
    organizationId: bretagne.id,
    role: 'coordinator',
    invitedBy: admin.id,
  }).id;
  cycleId = db.select().from(cycles).where(eq(cycles.collectiveId, bretagne.id)).all()[0]!.id;
});
afterAll(() => h?.close());

describe('role rules on a phone', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`a coordinator sees what is theirs to do, and only that (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await h.browser.newContext({ ...PHONE, javaScriptEnabled });
      const page = await signIn(h, context, 'coordination@cosim-bretagne.test');
      const suffix = javaScriptEnabled ? '' : '-nojs';

      await page.goto(`${h.baseUrl}/people/${personId}`);
      expect(await page.locator('main').textContent()).toContain('Désactivé par l’équipe nationale');
      expect(await page.getByRole('button', { name: 'Réactiver le compte' }).count()).toBe(0);
      if (javaScriptEnabled) await expectAccessible(page, 'person disabled by the national team');
      await screenshot(page, `role-rules-person-360${suffix}`);

      await page.goto(`${h.baseUrl}/invitations/${invitationId}`);
      expect(await page.locator('main').textContent()).toContain('Invitation de l’équipe nationale');
      expect(await page.getByRole('button', { name: /Renvoyer|Annuler/ }).count()).toBe(0);
      if (javaScriptEnabled) await expectAccessible(page, 'national invitation');
      await screenshot(page, `role-rules-invitation-360${suffix}`);

      await page.goto(`${h.baseUrl}/cycles/${cycleId}`);
      expect(await page.getByRole('button', { name: /inscri/i }).count()).toBe(0);
      await context.close();
    });
  }
});
