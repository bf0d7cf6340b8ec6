// The séance form and a séance, both ways: what a new form proposes, a séance's values to edit it,
// and the form's fields read back into a séance — the day and wall-clock times typed in the
// séance's own zone become instants (a time skipped by a daylight-saving change is refused), and a
// facilitator who already leads a séance then is asked to confirm.
import type { Db } from '../db/client.ts';
import type { Gathering, GatheringMode } from '../db/schema.ts';
import type { Translate } from '../i18n/index.ts';
import { formatRange, instantToWallTime, wallTimeToInstant, zoneName } from '../lib/time.ts';
import type { CurrentUser } from '../people/users.ts';
import { type GatheringInput, overlappingGatherings } from './gatherings.ts';

/** The form's fields once their schema has checked them (routes.ts). */
export interface GatheringForm {
  title: string;
  courseId: string | null;
  theme: string;
  facilitatorId: number;
  date: string;
  startTime: string;
  endTime: string;
  timeZone: string;
  mode: GatheringMode;
  placeName: string;
  address: string;
  town: string;
  placeInQpv: boolean;
  videoUrl: string;
  capacity: number;
  agenda: string;
  confirmOverlap: boolean;
}

export type GatheringFormResult =
  | { input: GatheringInput }
  | { errors: Record<string, string>; overlaps?: Array<{ title: string; when: string }> };

/** A new séance's form: led by the person who schedules it, in their zone, an evening's two hours. */
export function newGatheringValues(user: CurrentUser): Record<string, string> {
  return {
    title: '',
    courseId: '',
    theme: '',
    facilitatorId: String(user.id),
    date: '',
    startTime: '18:30',
    endTime: '20:30',
    timeZone: user.timeZone,
    mode: 'in_person',
    placeName: '',
    address: '',
    town: '',
    placeInQpv: '',
    videoUrl: '',
    capacity: '20',
    agenda: '',
  };
}

/** A séance's values in the form, its instants shown as wall-clock times in its own zone. */
export function gatheringValues(g: Gathering): Record<string, string> {
  const start = instantToWallTime(g.startsAt, g.timeZone);
  const end = instantToWallTime(g.endsAt, g.timeZone);
  return {
    title: g.title,
    courseId: g.courseId ?? '',
    theme: g.theme,
    facilitatorId: String(g.facilitatorId),
    date: start.date,
    startTime: start.time,
    endTime: end.time,
    timeZone: g.timeZone,
    mode: g.mode,
    placeName: g.placeName,
    address: g.address,
    town: g.town,
    placeInQpv: g.placeInQpv ? 'on' : '',
    videoUrl: g.videoUrl,
    capacity: String(g.capacity),
    agenda: g.agenda,
  };
}

/**
 * The form's fields → a séance, or the errors to show next to the fields (with the overlapping
 * séances to name). `exceptId`: the séance being edited, which never overlaps itself.
 */
export function readGathering(
  db: Db,
  t: Translate,
  body: GatheringForm,
  exceptId?: number,
): GatheringFormResult {
  const startsAt = wallTimeToInstant(body.date, body.startTime, body.timeZone);
  const endsAt = wallTimeToInstant(body.date, body.endTime, body.timeZone);
  if (!startsAt) return { errors: { startTime: t('gathering.error.timeSkipped') } };
  if (!endsAt) return { errors: { endTime: t('gathering.error.timeSkipped') } };
  const input: GatheringInput = {
    title: body.title,
    courseId: body.courseId,
    theme: body.theme,
    facilitatorId: body.facilitatorId,
    startsAt,
    endsAt,
    timeZone: body.timeZone,
    mode: body.mode,
    placeName: body.placeName,
    address: body.address,
    town: body.town,
    placeInQpv: body.placeInQpv,
    videoUrl: body.videoUrl,
    capacity: body.capacity,
    agenda: body.agenda,
  };
  if (endsAt <= startsAt) return { errors: { endTime: t('gathering.error.endBeforeStart') } };
  if (!body.confirmOverlap) {
    const overlaps = overlappingGatherings(db, body.facilitatorId, startsAt, endsAt, exceptId);
    if (overlaps.length > 0) {
      return {
        errors: { confirmOverlap: t('gathering.error.overlap', { count: overlaps.length }) },
        overlaps: overlaps.map((o) => ({
          title: o.title,
          when: `${formatRange(o.startsAt, o.endsAt, o.timeZone)} (${t('time.zone', { name: zoneName(o.timeZone) })})`,
        })),
      };
    }
  }
  return { input };
}
