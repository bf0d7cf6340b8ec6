// Every counted fiche as one line of a CSV for FORIM's study, in words (labels, region names,
// periods), for French Excel (lib/csv.ts: BOM, « ; », CRLF, formulas neutralised). Never an
// e-mail, never the author's name (personal data): the OSIM's name says who acted.
import { monthInWords } from '../experiences/fiche-facts.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { spreadsheetCsv } from '../lib/csv.ts';
import { parisDay } from '../lib/time.ts';
import { REGIONS } from '../showcase/regions.ts';
import type { CountedFiche } from './analysis.ts';

const COLUMNS = [
  'id',
  'title',
  'osim',
  'collective',
  'cycle',
  'region',
  'regionSource',
  'domain',
  'publics',
  'town',
  'inQpv',
  'qpvName',
  'period',
  'cofunders',
  'cofunding',
  'partners',
  'volunteers',
  'participants',
  'objectives',
  'what',
  'audience',
  'results',
  'difficulties',
  'advice',
  'shared',
  'publication',
  'publishedOn',
  'writtenOn',
] as const;

/** `JJ/MM/AAAA` in Paris: a date French Excel reads as a date. */
function day(instant: Date): string {
  const [year, month, date] = parisDay(instant.getTime()).split('-');
  return `${date}/${month}/${year}`;
}

/** « octobre 2025 », « de octobre 2025 à mars 2026 », or empty. */
export function periodInWords(t: Translate, f: Pick<CountedFiche, 'periodStart' | 'periodEnd'>): string {
  if (!f.periodStart) return '';
  if (!f.periodEnd || f.periodEnd === f.periodStart) return monthInWords(f.periodStart);
  return t('fiche.periodFromTo', { from: monthInWords(f.periodStart), to: monthInWords(f.periodEnd) });
}

function line(t: Translate, f: CountedFiche): Array<string | number> {
  const yes = (value: boolean) => t(value ? 'analysis.csv.yes' : 'analysis.csv.no');
  const cells: Record<(typeof COLUMNS)[number], string | number> = {
    id: f.id,
    title: f.title,
    osim: f.osim ?? '',
    collective: f.collective ?? '',
    cycle: f.cycle,
    region: f.region ? REGIONS[f.region] : '',
    regionSource: f.regionSource ? t(`analysis.regionSource.${f.regionSource}`) : '',
    domain: f.domain ? t(`fiche.domain.${f.domain}` as MessageKey) : '',
    publics: f.publics.map((p) => t(`fiche.public.${p}` as MessageKey)).join(', '),
    town: f.town,
    inQpv: yes(f.inQpv),
    qpvName: f.qpvName,
    period: periodInWords(t, f),
    cofunders: f.cofunders.map((k) => t(`project.funder.${k}` as MessageKey)).join(', '),
    cofunding: f.cofunding,
    partners: f.partners,
    volunteers: f.volunteers ?? '',
    participants: f.participants ?? '',
    objectives: f.objectives,
    what: f.what,
    audience: f.audience,
    results: f.results,
    difficulties: f.difficulties,
    advice: f.advice,
    shared: yes(f.sharedWithNetwork),
    publication: t(`analysis.publication.${f.publication}`),
    publishedOn: f.publication === 'published' && f.publishedAt ? day(f.publishedAt) : '',
    writtenOn: day(f.createdAt),
  };
  return COLUMNS.map((column) => cells[column]);
}

export function fichesCsv(t: Translate, fiches: CountedFiche[]): string {
  return spreadsheetCsv(
    COLUMNS.map((column) => t(`analysis.csv.${column}`)),
    fiches.map((f) => line(t, f)),
  );
}

/** analyse-fiches-AAAA-MM-JJ.csv (the day in Paris); « -publiees » when only published ones are in it. */
export function fichesCsvName(publishedOnly: boolean, now = new Date()): string {
  return `analyse-fiches${publishedOnly ? '-publiees' : ''}-${parisDay(now.getTime())}.csv`;
}
