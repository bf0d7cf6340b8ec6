// Time zones of séances and people: FORIM's network spans the Hexagone and overseas territories.
// Times are stored as UTC instants; a séance is entered and shown in its own zone, and also in the
// viewer's when that differs. luxon does the zone arithmetic (daylight saving included).
import { DateTime } from 'luxon';

/** The zones offered in forms, with the French name used in "heure de …". */
export const timeZones = [
  { id: 'Europe/Paris', name: 'Paris' },
  { id: 'America/Guadeloupe', name: 'la Guadeloupe' },
  { id: 'America/Martinique', name: 'la Martinique' },
  { id: 'America/Cayenne', name: 'la Guyane' },
  { id: 'Indian/Reunion', name: 'La Réunion' },
  { id: 'Indian/Mayotte', name: 'Mayotte' },
  { id: 'America/Miquelon', name: 'Saint-Pierre-et-Miquelon' },
  { id: 'Pacific/Noumea', name: 'la Nouvelle-Calédonie' },
  { id: 'Pacific/Tahiti', name: 'Tahiti' },
  { id: 'Pacific/Wallis', name: 'Wallis-et-Futuna' },
] as const;

export const timeZoneIds: readonly string[] = timeZones.map((z) => z.id);

export function zoneName(zone: string): string {
  return timeZones.find((z) => z.id === zone)?.name ?? zone;
}

/** A wall-clock date and time in a zone → the UTC instant, or null if it does not exist. */
export function wallTimeToInstant(date: string, time: string, zone: string): Date | null {
  const local = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!local.isValid) return null;
  // A time skipped by the change to summer time (e.g. 02:30 on the last Sunday of March) is moved
  // forward by luxon; refuse it rather than store another time than the one typed.
  if (local.toFormat('HH:mm') !== time) return null;
  return local.toJSDate();
}

/** The instant as the date and time fields of a form, in `zone`. */
export function instantToWallTime(instant: Date, zone: string): { date: string; time: string } {
  const local = DateTime.fromJSDate(instant, { zone });
  return { date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm') };
}

// Intl formatters are costly to build (a luxon toFormat with a locale builds several each time:
// about 0.3 ms a range), so one of each is kept per time zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(zone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('fr-FR', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: zone,
    });
    dayFormats.set(zone, format);
  }
  return format;
}

/** "18 h 30" (or "18 h"), with no-break spaces so that a phone never splits it across lines. */
export function hour(instant: Date, zone: string): string {
  let format = timeFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('fr-FR', {
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: zone,
    });
    timeFormats.set(zone, format);
  }
  let h = '';
  let m = '';
  for (const part of format.formatToParts(instant)) {
    if (part.type === 'hour') h = String(Number(part.value));
    else if (part.type === 'minute') m = part.value;
  }
  return m === '00' ? `${h}\u00a0h` : `${h}\u00a0h\u00a0${m}`;
}

/** A formatted date with French typography: « 1er décembre », never « 1 décembre ». */
function french(format: Intl.DateTimeFormat, instant: Date | number): string {
  let out = '';
  for (const part of format.formatToParts(instant))
    out += part.type === 'day' && part.value === '1' ? '1er' : part.value;
  return out;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "1er décembre 2026" in `zone`: the one way the app writes a date. */
export function formatDate(instant: Date | number, zone = 'Europe/Paris'): string {
  let format = dateFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('fr-FR', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: zone,
    });
    dateFormats.set(zone, format);
  }
  return french(format, instant);
}

/** "1er décembre 2026 à 18 h 30" in `zone`: the one way the app writes a moment. */
export function formatDateTime(instant: Date | number, zone = 'Europe/Paris'): string {
  const date = typeof instant === 'number' ? new Date(instant) : instant;
  return `${formatDate(date, zone)} à ${hour(date, zone)}`;
}

/** "jeudi 26 mars 2026, de 18 h 30 à 20 h 30" in `zone`. */
export function formatRange(startsAt: Date, endsAt: Date, zone: string): string {
  const day = french(dayFormat(zone), startsAt);
  const endDay = french(dayFormat(zone), endsAt);
  if (day === endDay) return `${day}, de ${hour(startsAt, zone)} à ${hour(endsAt, zone)}`;
  return `${day}, ${hour(startsAt, zone)}, au ${endDay}, ${hour(endsAt, zone)}`;
}

/** "jeudi 26 mars 2026 à 18 h" in `zone`. */
export function formatMoment(instant: Date, zone: string): string {
  return `${french(dayFormat(zone), instant)} à ${hour(instant, zone)}`;
}

/** "jeudi 26 mars 2026" in `zone`. */
export function formatDay(instant: Date, zone: string): string {
  return french(dayFormat(zone), instant);
}

const calendarFormat = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "26 mars 2026" from a calendar date `YYYY-MM-DD`. */
export function formatCalendarDate(date: string): string {
  const instant = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(instant.getTime()) ? date : french(calendarFormat, instant);
}

/** Today's calendar date in `zone`, `YYYY-MM-DD`. */
export function today(zone = 'Europe/Paris', now = new Date()): string {
  return DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM-dd');
}

const parisDayFormat = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Europe/Paris',
});

/** The calendar day in Paris of an instant (ms), `YYYY-MM-DD`; its first 7 characters are the month. */
export function parisDay(ms: number): string {
  return parisDayFormat.format(ms);
}
