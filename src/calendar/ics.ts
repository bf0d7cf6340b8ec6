/**
 * iCalendar (RFC 5545) files for séances: the one-séance `.ics` download and a person's
 * private subscription feed. Both are the same VCALENDAR, with one VEVENT or many.
 *
 * Times are written as wall time in the séance's own zone (`DTSTART;TZID=Europe/Paris:…`)
 * with a VTIMEZONE for each zone used, so calendar apps show 18:30 on both sides of a DST
 * change and people in another zone see the séance converted correctly. ical-generator
 * writes the file (escaping, CRLF, folding at 75 octets); timezones-ical-library supplies
 * the VTIMEZONE blocks.
 *
 * NOTE: timezones-ical-library resolves IANA links to their canonical zone and returns
 * e.g. `TZID:Asia/Dubai` for `Indian/Reunion` or `TZID:America/Puerto_Rico` for
 * `America/Guadeloupe`. A DTSTART pointing at a TZID with no matching VTIMEZONE is
 * invalid, and showing "Dubai" for a séance in Réunion would puzzle people, so the block
 * is renamed to the zone asked for: a link has the same rules as its target.
 *
 * Cancelled séances stay in the feed with STATUS:CANCELLED (and a visible "ANNULÉE —"
 * summary): subscribers' calendars then mark or drop them instead of keeping a stale copy.
 *
 * NOTE: ORGANIZER names the facilitator (CN) but gives the app's sender address (MAIL_FROM), never
 * the facilitator's own e-mail: a séance's .ics goes to everyone in the cycle, and a facilitator
 * can be a peer learner whose personal address is theirs to give. RFC 5546 (iTIP) requires ORGANIZER
 * in a METHOD:PUBLISH VEVENT, and calendar apps show its CN as "Organizer"; the address is where a
 * reply would go, the platform's mailbox like every e-mail Passerelle sends.
 */
import { escape as escapeText, ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime, IANAZone } from 'luxon';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';

export interface IcsEvent {
  /** Stable across edits (e.g. "gathering-12-<random>@passerelle.forim"); written as is. */
  uid: string;
  /** RFC 5545 SEQUENCE, bumped by the app on each change. */
  sequence: number;
  title: string;
  /** Plain text; newlines, commas and semicolons are escaped here. */
  description: string;
  startsAt: Date;
  endsAt: Date;
  /** IANA zone the séance is held in, e.g. 'Europe/Paris', 'Indian/Reunion'. */
  timeZone: string;
  /** An address, or "En ligne". */
  location: string;
  /** Absolute URL of the séance page. */
  url: string;
  cancelled: boolean;
  /** Written as LAST-MODIFIED. */
  updatedAt: Date;
  /** Who leads the séance, by name only: the address written is the app's (calendarIcs). */
  organizer?: { name: string };
}

/** The bare address of a sender such as `Passerelle FORIM <passerelle@forim.test>`. */
export function organizerAddress(mailFrom: string): string {
  return /<([^<>]+)>\s*$/.exec(mailFrom)?.[1]?.trim() ?? mailFrom.trim();
}

const knownZones = new Set<string>(tzlib_get_timezones());

/** A zone both libraries know: tzlib for the VTIMEZONE, Luxon (ICU) for the wall time. */
function isUsableZone(zone: string): boolean {
  return knownZones.has(zone) && IANAZone.isValidZone(zone);
}

function vtimezone(zone: string): string | null {
  if (!isUsableZone(zone)) return null;
  const result = tzlib_get_ical_block(zone);
  const block = Array.isArray(result) ? result[0] : undefined;
  if (!block) return null;
  return block
    .replace(/^TZID:.*$/m, `TZID:${zone}`)
    .replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${zone}`);
}

export function calendarIcs(options: {
  name: string;
  events: IcsEvent[];
  /** The address ORGANIZER carries: the app's sender (`organizerAddress(config.mailFrom)`). */
  organizerEmail: string;
  now?: Date;
}): string {
  const now = options.now ?? new Date();
  const calendar = new ICalCalendar({
    // ical-generator writes NAME and X-WR-CALNAME unescaped.
    name: escapeText(options.name, false),
    prodId: { company: 'FORIM', product: 'Passerelle', language: 'FR' },
    method: ICalCalendarMethod.PUBLISH,
    // No calendar-wide zone (DTSTAMP and LAST-MODIFIED stay in UTC), only the generator.
    timezone: { name: null, generator: vtimezone },
  });

  for (const event of options.events) {
    // Unknown zone: fall back to UTC instants rather than failing the whole feed.
    const zone = isUsableZone(event.timeZone) ? event.timeZone : null;
    // Luxon dates, because ical-generator formats a native Date in the server's own zone.
    const inZone = (date: Date) => DateTime.fromJSDate(date, { zone: zone ?? 'utc' });
    calendar.createEvent({
      id: event.uid,
      sequence: event.sequence,
      stamp: now,
      lastModified: event.updatedAt,
      start: inZone(event.startsAt),
      end: inZone(event.endsAt),
      timezone: zone,
      summary: event.cancelled ? `ANNULÉE — ${event.title}` : event.title,
      description: event.description,
      location: event.location,
      url: event.url,
      status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      // A parameter value cannot hold a double quote, and ical-generator would backslash it.
      organizer: event.organizer
        ? { name: event.organizer.name.replaceAll('"', "'"), email: options.organizerEmail }
        : null,
    });
  }

  // RFC 5545 ends every content line, the last one included, with CRLF; ical-generator does not.
  return `${calendar.toString()}\r\n`;
}
