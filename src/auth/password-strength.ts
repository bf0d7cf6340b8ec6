// Refuses new passwords that are common, leaked or easy to guess, with zxcvbn-ts (the maintained
// TypeScript port of Dropbox's zxcvbn): its common list (passwords from public breaches) and its
// French dictionaries (common words, first names, last names, Wikipedia), keyboard rows (azerty,
// qwerty), repeats, sequences and dates, plus what the app knows of the person (name, address) and
// the site's own words. No network: the lists ship in the npm packages.
//
// NOTE: loaded on first use (about 0.6 s, 13 MB of heap with these two language packs; the English
// one alone would add 55 MB, so it is left out — the common list already holds the English
// passwords people pick). Only the first 64 characters are judged and l33t substitutions are capped
// at 8: past that the library's time grows without bound (1.7 s for 200 chosen characters), within
// them a check takes 50 ms at worst and a few milliseconds usually.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { MessageKey } from '../i18n/index.ts';

/**
 * zxcvbn's score: 3 means about 10^8 guesses or more — out of reach online behind the sign-in
 * throttles, and hours of hardware per account for a stolen database under argon2id. 2 still let
 * « jetaime01 » and « Soleil123! » through.
 */
export const MIN_PASSWORD_SCORE = 3;

const SITE_WORDS = ['passerelle', 'forim', 'cosim', 'fosim', 'osim', 'formation'];

let estimator: Promise<ZxcvbnFactory> | undefined;

async function load(): Promise<ZxcvbnFactory> {
  const [core, common, fr] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-fr'),
  ]);
  return new core.ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...fr.dictionary },
    graphs: common.adjacencyGraphs,
    maxLength: 64,
    l33tMaxSubstitutions: 8,
  });
}

/** Starts loading the dictionaries (a page with a new-password form), so the post does not wait. */
export function preloadPasswordStrength(): void {
  estimator ??= load();
  estimator.catch(() => {
    estimator = undefined;
  });
}

/** The words of what the app knows about the person: name, address (its parts), the site's names. */
function personalWords(personal: ReadonlyArray<string | null | undefined>): string[] {
  const words = new Set(SITE_WORDS);
  for (const value of personal) {
    if (!value) continue;
    const lower = value.toLowerCase();
    words.add(lower);
    for (const part of lower.split(/[\s@.+_-]+/)) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

const REASONS: Record<string, MessageKey> = {
  topTen: 'password.weak.common',
  topHundred: 'password.weak.common',
  common: 'password.weak.common',
  similarToCommon: 'password.weak.common',
  userInputs: 'password.weak.personal',
  straightRow: 'password.weak.keyboard',
  keyPattern: 'password.weak.keyboard',
  simpleRepeat: 'password.weak.repeat',
  extendedRepeat: 'password.weak.repeat',
  sequences: 'password.weak.repeat',
  recentYears: 'password.weak.dates',
  dates: 'password.weak.dates',
  wordByItself: 'password.weak.word',
  namesByThemselves: 'password.weak.word',
  commonNames: 'password.weak.word',
};

/**
 * Null when the password is strong enough; otherwise the catalogue key of the reason to show next
 * to the field (each ends with the same advice: a few words make a strong password).
 */
export async function passwordWeakness(
  password: string,
  personal: ReadonlyArray<string | null | undefined> = [],
): Promise<MessageKey | null> {
  preloadPasswordStrength();
  const zxcvbn = await estimator!;
  const words = personalWords(personal);
  const result = zxcvbn.check(password, words);
  const personalParts = result.sequence.filter(
    (m) => m.pattern === 'dictionary' && m.dictionaryName === 'userInputs',
  );
  if (result.score >= MIN_PASSWORD_SCORE) {
    // zxcvbn scores « awadiop2026 » 3: a name and a year. What is left without the person's own
    // words must be strong enough by itself.
    if (personalParts.length === 0) return null;
    let rest = password;
    for (const part of personalParts) rest = rest.replace(part.token, '');
    return zxcvbn.check(rest, words).score >= MIN_PASSWORD_SCORE ? null : 'password.weak.personal';
  }
  const reason = REASONS[result.feedback.warning ?? ''];
  if (reason) return reason;
  if (result.sequence.some((m) => m.pattern === 'dictionary' && m.dictionaryName === 'passwords-common'))
    return 'password.weak.common';
  if (personalParts.length > 0) return 'password.weak.personal';
  return 'password.weak.guessable';
}
