// Certificates in a real browser: the demo member completes what the demo cycle asks and sees
// their certificate appear; downloads the PDF (read with pdf.js, its QR code scanned, rendered to
// PNG and looked at); a signed-out
// browser opens the verification link and reads « authentique »; the national team revokes it (a
// cause from the list, JavaScript off) and the same page says « révoquée », naming nobody.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/learning/catalog.ts';
import { getQuiz, sampleAnswers } from '../../src/learning/progress.ts';
import { pdfImages, readPdf, readQrCode, renderPdfPage } from '../pdf.ts';
import {
  expectAccessible,
  type Harness,
  openMenu,
  PHONE,
  screenshot,
  screenshotsDir,
  signedIn,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('certificates', () => {
  it('earned, downloaded, verified by anyone, revoked', async () => {
    const member = await signedIn(h, 'membre@cosim-bretagne.test', { ...PHONE, acceptDownloads: true });
    const page = member.page;
    const problems = watchConsole(page);

    // What is left: the rest of module 2 and its quiz (a third of it is done: src/demo/seed-demo.ts).
    const prj = catalog(h.ctx.db).coursesById.get('monter-un-projet')!.lessons;
    const left = prj.slice(Math.round(prj.length / 3)).map((l) => l.id);
    await openMenu(page);
    await page.getByRole('link', { name: 'Attestations', exact: true }).click();
    expect(await page.textContent('main')).toContain('Il vous reste');
    expect(await page.textContent('main')).toContain(
      `${left.length} leçons du module « Monter et cofinancer un projet »`,
    );
    await expectAccessible(page, 'certificates pending');

    for (const lesson of left) {
      await page.goto(`${h.baseUrl}/learn/lessons/${lesson}`);
      await page.getByRole('button', { name: 'J’ai terminé cette leçon' }).click();
      await expect.poll(() => page.textContent('#progression')).toContain('Leçon terminée');
    }
    await page.goto(`${h.baseUrl}/learn/quizzes/prj-quiz`);
    const { quiz } = getQuiz(h.ctx.db, 'prj-quiz');
    for (const [questionId, ids] of Object.entries(sampleAnswers(quiz.questions))) {
      for (const id of ids) await page.locator(`#q-${questionId}-${id}`).check();
    }
    await page.getByRole('button', { name: 'Valider mes réponses' }).click();
    await page.waitForURL(/\/attempts\/\d+$/);
    expect(await page.textContent('main')).toContain('votre attestation est prête');

    // It appears on the home page and in « Attestations ».
    await page.goto(`${h.baseUrl}/`);
    expect(await page.textContent('main')).toContain(
      'Votre attestation du cycle « Cycle 2026 — COSIM Bretagne » est prête.',
    );
    await page.getByRole('link', { name: 'Voir mon attestation' }).click();
    expect(await page.textContent('main')).toContain('Mamadou Sow');
    await expectAccessible(page, 'certificate');
    await screenshot(page, 'certificate-page');
    const code = (await page.locator('code.code').first().textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    // The PDF: its text, its QR code read as a phone would, and a picture of it to look at.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Télécharger l’attestation (PDF)' }).click();
    const file = join(screenshotsDir, 'certificate-demo.pdf');
    await (await download).saveAs(file);
    const pdf = readFileSync(file);
    const { text } = await readPdf(pdf);
    expect(text).toContain('Mamadou Sow');
    expect(text).toContain(code);
    const [qr] = await pdfImages(pdf);
    expect(qr && readQrCode(qr)).toBe(`${h.ctx.config.baseUrl}/verify/${code}`);
    writeFileSync(join(screenshotsDir, 'certificate-demo.png'), await renderPdfPage(pdf, 1, 60 / 72));

    // Anyone, signed out, checks it from the QR code's link.
    const visitorContext = await h.browser.newContext({ locale: 'fr-FR' });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${h.baseUrl}/verify/${code.toLowerCase()}`);
    expect(await visitor.textContent('main')).toContain('Attestation authentique');
    expect(await visitor.textContent('main')).toContain('Mamadou Sow');
    await expectAccessible(visitor, 'verify genuine');
    await screenshot(visitor, 'verify-genuine');

    // The national team revokes it, on a phone with JavaScript off (a plain form): the cause from the
    // short list is required, the note kept when it is missing; then the same page says so at once.
    const small = { ...PHONE, viewport: { width: 360, height: 740 } };
    const certificatePath = new URL(page.url()).pathname;
    const note = 'Cycle à reprendre : séance de lancement comptée deux fois.';
    const admins = [];
    for (const javaScriptEnabled of [true, false]) {
      const admin = await signedIn(h, 'admin@forim.test', { ...small, javaScriptEnabled });
      admins.push(admin);
      await admin.page.goto(`${h.baseUrl}${certificatePath}`);
      if (javaScriptEnabled) await expectAccessible(admin.page, 'revoke form');
      await admin.page.getByLabel('Précision (facultative)').fill(note);
      await admin.page.getByRole('button', { name: 'Révoquer' }).click();
      expect(await admin.page.textContent('main')).toContain('Choisissez le motif de la révocation.');
      expect(await admin.page.getByLabel('Précision (facultative)').inputValue()).toBe(note);
      if (javaScriptEnabled) {
        await expectAccessible(admin.page, 'revoke form with an error');
        await admin.page.locator('#f-cause').scrollIntoViewIfNeeded();
        await screenshot(admin.page, 'certificate-revoke-error-360');
      }
    }
    const admin = admins[1]!;
    await admin.page.getByLabel('Délivrée par erreur').check();
    await admin.page.getByRole('button', { name: 'Révoquer' }).click();
    expect(await admin.page.textContent('main')).toContain('L’attestation est révoquée');
    expect(await admin.page.textContent('main')).toContain('Motif : Délivrée par erreur');
    expect(await admin.page.textContent('main')).toContain(`Précision : ${note}`);
    await screenshot(admin.page, 'certificate-revoked-360');

    await visitor.setViewportSize({ width: 360, height: 740 });
    await visitor.reload();
    const revoked = (await visitor.textContent('main'))!;
    expect(revoked).toContain('Attestation révoquée');
    expect(revoked).toContain('Motif : Délivrée par erreur.');
    expect(revoked).toContain(code);
    // Nobody named once revoked, and the national team's note stays internal.
    expect(revoked).not.toContain('Mamadou Sow');
    expect(revoked).not.toContain('séance de lancement comptée');
    await expectAccessible(visitor, 'verify revoked');
    await screenshot(visitor, 'verify-revoked-360');

    // An unknown code: a clear page, 404.
    const unknown = await visitor.goto(`${h.baseUrl}/verify/AAAA-BBBB-CCCC-DDDD`);
    expect(unknown?.status()).toBe(404);
    expect(await visitor.textContent('main')).toContain('Aucune attestation ne correspond');

    expect(problems).toEqual([]);
    for (const c of [member.context, ...admins.map((a) => a.context), visitorContext]) await c.close();
  });
});
