// The « portrait » of the network's actions in the QPV: one or two printed pages for a funder or a
// press kit. Its figures are the analysis's (counted fiches, said in its source line); the actions
// it tells about are published ones only, since the page leaves the network.
import type { CountedFiche } from './analysis.ts';

export interface PortraitAction {
  id: number;
  title: string;
  osim: string | null;
  town: string;
  qpvName: string;
  summary: string;
}

/** How many actions a portrait tells about. */
export const PORTRAIT_ACTIONS = 6;
const SUMMARY_LENGTH = 160;

/** A fiche's action in one line: its first line, cut at a word before SUMMARY_LENGTH characters. */
export function oneLine(text: string): string {
  const first = (text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '').trim().replace(/\s+/g, ' ');
  if (first.length <= SUMMARY_LENGTH) return first;
  const cut = first.slice(0, SUMMARY_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUMMARY_LENGTH / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** The published actions in a QPV, most recently published first. */
export function portraitActions(fiches: CountedFiche[], limit = PORTRAIT_ACTIONS): PortraitAction[] {
  return fiches
    .filter((f) => f.publication === 'published' && f.inQpv)
    .sort((a, b) => (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0) || b.id - a.id)
    .slice(0, limit)
    .map((f) => ({
      id: f.id,
      title: f.title,
      osim: f.osim,
      town: f.town,
      qpvName: f.qpvName,
      summary: oneLine(f.what),
    }));
}
