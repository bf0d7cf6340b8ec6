// Dates and times of a séance's sheets, in the séance's own time zone and in French typography
// ("jeudi 1er octobre 2026, de 18 h à 20 h 15 (heure de La Réunion)"), with cached Intl formatters.

// French typography: a no-break space inside "18 h 30" and before ":" keeps them on one line.
export const nbsp = '\u00a0';

export interface LocalParts {
  weekday: string;
  day: string;
  month: string;
  monthNumber: string;
  year: string;
  hour: string;
  minute: string;
}

const formatters = new Map<string, { long: Intl.DateTimeFormat; numeric: Intl.DateTimeFormat }>();

export function localParts(date: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    const common = { timeZone, year: 'numeric', day: 'numeric' } as const;
    f = {
      long: new Intl.DateTimeFormat('fr-FR', { ...common, weekday: 'long', month: 'long' }),
      numeric: new Intl.DateTimeFormat('fr-FR', {
        ...common,
        month: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
    };
    formatters.set(timeZone, f);
  }
  const pick = (format: Intl.DateTimeFormat) => {
    const out: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const part of format.formatToParts(date)) out[part.type] = part.value;
    return out;
  };
  const long = pick(f.long);
  const numeric = pick(f.numeric);
  return {
    weekday: long.weekday ?? '',
    day: long.day ?? '',
    month: long.month ?? '',
    monthNumber: numeric.month ?? '',
    year: long.year ?? '',
    hour: numeric.hour ?? '',
    minute: numeric.minute ?? '',
  };
}

/** "jeudi 1er octobre 2026" */
export function longDate(p: LocalParts): string {
  return [p.weekday, p.day === '1' ? '1er' : p.day, p.month, p.year].join(nbsp);
}

/** "18 h 30", "18 h" */
export function frenchTime(p: LocalParts): string {
  return p.minute === '00' ? `${p.hour}${nbsp}h` : `${p.hour}${nbsp}h${nbsp}${p.minute}`;
}

/** "2026-03-26", the local calendar day */
export function isoDay(p: LocalParts): string {
  return `${p.year}-${p.monthNumber}-${p.day.padStart(2, '0')}`;
}

/** "26/03/2026", which French spreadsheets read as a date */
export function frenchNumericDate(p: LocalParts): string {
  return `${p.day.padStart(2, '0')}/${p.monthNumber}/${p.year}`;
}

// French names of the zones a séance is likely to be held in (metropolitan and overseas France,
// and a few cities of the diasporas); other zones fall back to the city of their IANA id.
const zoneNames: Record<string, string> = {
  'Europe/Paris': 'Paris',
  'America/Guadeloupe': 'la Guadeloupe',
  'America/Martinique': 'la Martinique',
  'America/Cayenne': 'la Guyane',
  'America/Miquelon': 'Saint-Pierre-et-Miquelon',
  'America/St_Barthelemy': 'Saint-Barthélemy',
  'America/Marigot': 'Saint-Martin',
  'Indian/Reunion': 'La Réunion',
  'Indian/Mayotte': 'Mayotte',
  'Pacific/Noumea': 'Nouméa',
  'Pacific/Tahiti': 'Tahiti',
  'Pacific/Wallis': 'Wallis-et-Futuna',
  'Europe/London': 'Londres',
  'Europe/Brussels': 'Bruxelles',
  'Africa/Algiers': 'Alger',
  'Africa/Casablanca': 'Casablanca',
  'Africa/Tunis': 'Tunis',
  'Africa/Dakar': 'Dakar',
  'Africa/Bamako': 'Bamako',
  'Africa/Abidjan': 'Abidjan',
  'Africa/Kinshasa': 'Kinshasa',
  'Africa/Douala': 'Douala',
  'Indian/Comoro': 'Moroni',
};

/** "heure de Paris", "heure d’Abidjan", "heure de la Guadeloupe" */
export function zoneLabel(timeZone: string): string {
  const name = zoneNames[timeZone] ?? timeZone.split('/').pop()?.replaceAll('_', ' ') ?? timeZone;
  return /^[aeiouyàâéèêîïôûœ]/i.test(name) ? `heure d’${name}` : `heure de ${name}`;
}

/** "jeudi 26 mars 2026, de 18 h 30 à 20 h 30 (heure de Paris)" */
export function whenLabel(g: { startsAt: Date; endsAt: Date; timeZone: string }): string {
  const start = localParts(g.startsAt, g.timeZone);
  const end = localParts(g.endsAt, g.timeZone);
  const zone = `(${zoneLabel(g.timeZone)})`;
  if (isoDay(start) === isoDay(end)) {
    return `${longDate(start)}, de ${frenchTime(start)} à ${frenchTime(end)} ${zone}`;
  }
  return `du ${longDate(start)} à ${frenchTime(start)} au ${longDate(end)} à ${frenchTime(end)} ${zone}`;
}
