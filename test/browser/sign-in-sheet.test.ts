// The feuille d'émargement to print, in a real browser on a 360-px phone: the demo trainer opens
// the coming workshop of COSIM Bretagne, downloads the sheet from the séance page and again from the
// roll call; the PDF lists the two people signed up with a signature column and blank rows, and is
// rendered to PNG to be looked at. The demo member sees no such link.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherings } from '../../src/db/schema.ts';
import { readPdf, renderPdfPage } from '../pdf.ts';
import {
  expectAccessible,
  type Harness,
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

const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 }, acceptDownloads: true };

/** Clicks the link and returns the downloaded file's bytes, kept in the screenshots folder. */
async function download(page: Page, name: string, file: string): Promise<Buffer> {
  const done = page.waitForEvent('download');
  await page.getByRole('link', { name }).click();
  const saved = join(screenshotsDir, file);
  await (await done).saveAs(saved);
  return readFileSync(saved);
}

describe('the sign-in sheet to print', () => {
  it('is downloaded by the trainer from the séance and the roll call, not offered to a member', async () => {
    const workshop = h.ctx.db
      .select()
      .from(gatherings)
      .where(eq(gatherings.title, 'Atelier : construire le budget prévisionnel'))
      .get()!;
    const seanceUrl = `${h.baseUrl}/gatherings/${workshop.id}`;

    const trainer = await signedIn(h, 'formation@cosim-bretagne.test', SMALL_PHONE);
    const t = trainer.page;
    const problems = watchConsole(t);
    await t.goto(seanceUrl);
    await expectAccessible(t, 'séance with the sign-in sheet link');
    await screenshot(t, 'sign-in-sheet-seance-360');

    const pdf = await download(t, 'Feuille à signer (PDF)', 'sign-in-sheet.pdf');
    const { pages, text } = await readPdf(pdf);
    expect(pages).toHaveLength(1);
    expect(text).toContain('Feuille d’émargement');
    expect(text).toContain('Atelier : construire le budget prévisionnel');
    expect(text).toContain('2 personnes inscrites.');
    const lines = pages[0]!.lines.map((line) => line.replace(/\s+/g, ' '));
    expect(lines).toContain('N° Nom et prénom Association (OSIM) Signature');
    // The two people with a seat, in name order, then five blank rows.
    const first = lines.findIndex((line) => /^1 /.test(line));
    expect(lines.slice(first, first + 7)).toEqual([
      '1 Awa Diop Solidarité Blosne',
      '2 Mamadou Sow Solidarité Blosne',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
    writeFileSync(join(screenshotsDir, 'sign-in-sheet.png'), await renderPdfPage(pdf, 1, 1.2));

    // The same sheet from the roll call.
    await t.getByRole('link', { name: 'Émargement', exact: true }).click();
    await expectAccessible(t, 'roll call with the sign-in sheet link');
    await screenshot(t, 'sign-in-sheet-roll-call-360');
    const again = await download(t, 'Feuille à signer (PDF)', 'sign-in-sheet-from-roll-call.pdf');
    expect((await readPdf(again)).text).toContain('2 Mamadou Sow');

    // The demo member, who has a seat, is offered nothing of the kind; the URL answers 404.
    const member = await signedIn(h, 'membre@cosim-bretagne.test', SMALL_PHONE);
    await member.page.goto(seanceUrl);
    expect(await member.page.getByRole('link', { name: 'Feuille à signer (PDF)' }).count()).toBe(0);
    const refused = await member.page.request.get(`${seanceUrl}/sign-in-sheet.pdf`);
    expect(refused.status()).toBe(404);

    expect(problems).toEqual([]);
    for (const c of [trainer.context, member.context]) await c.close();
  });
});
