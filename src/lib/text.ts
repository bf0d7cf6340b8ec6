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
