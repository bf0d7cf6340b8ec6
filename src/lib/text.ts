// Text normalisation for search and sorting: lower case, no accents, single spaces — so that
// "Traore" finds "Traoré" and "Île-de-France" sorts under I.
const ligatures: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };

export function searchable(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[œæß]/g, (c) => ligatures[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words only, for comparing names written differently (« Le Blosne », « LE BLÔSNE », « le-blosne »). */
export function searchWords(value: string): string {
  return searchable(value)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A file name's part from a title: ASCII, dashes, cut at a word within `max` characters. */
export function fileSlug(value: string, max = 50): string {
  let slug = searchable(value)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > max) slug = slug.slice(0, max).replace(/-[^-]*$/, '');
  return slug;
}
