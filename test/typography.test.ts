// French typography as a reader on a phone sees it: no line starts with « : » or « » », a number
// stays with its word, one apostrophe, « 1er décembre », one way to write a date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fr } from '../src/i18n/fr.ts';
import { frenchSpacing, type MessageKey, translator } from '../src/i18n/index.ts';
import { formatCalendarDate, formatDate, formatDateTime, formatDay } from '../src/lib/time.ts';
import { createTestApp, TestClient, type TestContext } from './helpers.ts';

const NBSP = '\u00a0';
const t = translator('fr');

describe('the French catalogue', () => {
  it('puts a no-break space before « : ; ! ? » and inside « », in every message', () => {
    for (const key of Object.keys(fr) as MessageKey[]) {
      const message = t(key);
      expect(message, key).not.toMatch(/ [:;!?»]/);
      expect(message, key).not.toMatch(/« /);
    }
    expect(t('profile.emailNow', { email: 'a@b.fr' })).toBe(`Adresse actuelle${NBSP}: a@b.fr`);
  });

  it('writes one apostrophe, the typographic one', () => {
    for (const key of Object.keys(fr) as MessageKey[]) expect(t(key), key).not.toContain("'");
  });

  it('groups thousands and keeps a number with its word, without touching what is put in', () => {
    expect(t('form.tooLong', { max: 2000 })).toBe(
      `Ce champ ne peut pas dépasser 2\u202f000${NBSP}caractères.`,
    );
    // A name or a title keeps its own spaces and apostrophes.
    expect(t('profile.emailNow', { email: "l'adresse : ici" })).toBe(
      `Adresse actuelle${NBSP}: l'adresse : ici`,
    );
    expect(frenchSpacing('« Bonjour » : 8 leçons ?')).toBe(
      `«${NBSP}Bonjour${NBSP}»${NBSP}: 8${NBSP}leçons${NBSP}?`,
    );
  });
});

describe('dates', () => {
  const first = new Date('2026-12-01T17:30:00Z');
  it('writes the first of the month « 1er », everywhere a date is written', () => {
    expect(formatDate(first)).toBe('1er décembre 2026');
    expect(formatDateTime(first)).toBe(`1er décembre 2026 à 18${NBSP}h${NBSP}30`);
    expect(formatDay(first, 'Europe/Paris')).toBe('mardi 1er décembre 2026');
    expect(formatCalendarDate('2026-12-01')).toBe('1er décembre 2026');
    expect(formatDate(new Date('2026-12-06T10:00:00Z'))).toBe('6 décembre 2026');
  });

  it('writes a moment in the zone it is given (a person overseas sees their own time)', () => {
    expect(formatDateTime(first, 'Indian/Reunion')).toBe(`1er décembre 2026 à 21${NBSP}h${NBSP}30`);
  });
});

describe('pages', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp({ demo: true });
  });
  afterAll(() => ctx.close());

  it('never shows a short numeric date next to a long one (the outbox, the audit log)', async () => {
    const admin = new TestClient(ctx.app);
    await admin.login('admin@forim.test', 'passerelle-demo');
    for (const url of ['/admin/outbox', '/admin/audit']) {
      const body = (await admin.get(url)).body;
      expect(body, url).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
      expect(body, url).toMatch(/\d{1,2}(er)? [a-zéû]+ \d{4} à \d{1,2}\u00a0h/);
    }
  });
});
