// The outbox as the demo runs it (no SMTP), in Chromium on a small phone, JavaScript on and off:
// the national team reads a pending invitation's link to pass it on, and a new-password link that
// someone asked for Karima is masked — nobody but Karima may open it. Axe on every page; screenshots
// in test/browser/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  type Harness,
  openMenu,
  PHONE,
  screenshot,
  signedIn,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ smtp: false });
});
afterAll(() => h?.close());

const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 } };

describe('the outbox without SMTP', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`shows an invitation link to pass on, never a new-password link (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      // Someone (perhaps not Karima) asks a new password for her account.
      const visitor = await h.browser.newContext({ ...SMALL_PHONE, javaScriptEnabled });
      const forgot = await visitor.newPage();
      await forgot.goto(`${h.baseUrl}/password/forgot`);
      await forgot.getByLabel('Adresse e-mail').fill('membre@cosim-om.test');
      await forgot.getByRole('button', { name: 'Recevoir un lien' }).click();
      await expect.poll(() => forgot.textContent('main')).toContain('Vérifiez votre messagerie');
      await visitor.close();

      const { context, page } = await signedIn(h, 'admin@forim.test', { ...SMALL_PHONE, javaScriptEnabled });
      const problems = watchConsole(page);
      await openMenu(page);
      await page.getByRole('link', { name: 'Boîte d’envoi' }).click();
      await page.waitForURL(`${h.baseUrl}/admin/outbox`);
      expect(await page.textContent('main')).toContain(
        'Les liens de nouveau mot de passe et de changement d’adresse ne sont montrés à personne',
      );

      // Karima's mail: its text is there, its link is not, and it says why it does not leave.
      const reset = page.locator('li.mail', { hasText: 'membre@cosim-om.test' }).first();
      await reset.locator('summary').click();
      expect(await reset.textContent()).toContain('Ne part pas sans serveur d’envoi (lien personnel)');
      expect(await reset.locator('.mail__body').textContent()).toMatch(
        /ouvrez ce lien \(valable 60 minutes, une seule fois\) :\s+\[lien masqué\]/,
      );
      expect(await reset.locator('a').count()).toBe(0);
      if (javaScriptEnabled) await expectAccessible(page, 'outbox-reset-open');
      await screenshot(page, `outbox-reset-masked-js-${javaScriptEnabled ? 'on' : 'off'}`);

      // The demo's pending invitation to Salimata: its link is shown, and it opens her invitation.
      const invitation = page.locator('li.mail', { hasText: 'salimata.kone@cosim-bretagne.test' });
      await invitation.locator('summary').click();
      const link = invitation.locator('.mail__body a');
      const href = await link.getAttribute('href');
      expect(href).toMatch(/\/invitation\/[a-z2-7]{32}$/);
      await screenshot(page, `outbox-invitation-js-${javaScriptEnabled ? 'on' : 'off'}`);
      expect(problems).toEqual([]);
      await context.close();

      const newcomer = await h.browser.newContext(SMALL_PHONE);
      const opened = await newcomer.newPage();
      await opened.goto(`${h.baseUrl}${new URL(href!).pathname}`);
      expect(await opened.textContent('main')).toContain(
        'Vous êtes invité·e à rejoindre Cleunay Passerelles',
      );
      await newcomer.close();
    });
  }
});
