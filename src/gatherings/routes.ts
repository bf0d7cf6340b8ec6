// Cycles and their séances: opening a cycle, enrolling, scheduling séances, calendars (.ics), the
// attendance sheet's exports, the compte-rendu and the fiches d'expérience; the séance page with
// its sign-ups (signup-routes.ts) and the roll call (roll-call-routes.ts) are registered from here.
// Access: every route is for signed-in people; what each may see or do is checked against the
// cycle (cycles.ts) — outside it, 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { attendanceSheetOf } from '../attendance/attendance.ts';
import { attendanceCsv, attendanceFileName, attendancePdf } from '../attendance/attendance-sheet.ts';
import rollCallRoutes from '../attendance/routes.ts';
import { feedEvents, feedOwner, gatheringEvent, hasFeed, renewFeed, revokeFeed } from '../calendar/feeds.ts';
import { calendarIcs, organizerAddress } from '../calendar/ics.ts';
import { hasCertificate, listCycleCertificates, liveCertificate } from '../certificates/certificates.ts';
import { evaluateRules } from '../certificates/progress.ts';
import {
  type CycleInput,
  collectiveChoices,
  collectiveNameOf,
  createCycle,
  enrol,
  enrolSelf,
  getCycleFor,
  getManagedCycle,
  isEnrolled,
  listCyclesFor,
  listEnrollable,
  listLearners,
  updateCycle,
  withdraw,
} from '../cycles/cycles.ts';
import type { Cycle, Gathering } from '../db/schema.ts';
import {
  canWriteExperience,
  createExperience,
  type ExperienceInput,
  experienceFields,
  getExperienceFor,
  listCycleExperiences,
  listSharedExperiences,
  updateExperience,
} from '../experiences/experiences.ts';
import { catalog } from '../learning/catalog.ts';
import { asDownload } from '../lib/download.ts';
import { ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import {
  fieldErrors,
  fields,
  hasControlCharacters,
  keptValues,
  msg,
  params,
  ruleErrors,
  type ZodTypeProvider,
} from '../lib/forms.ts';
import {
  formatCalendarDate,
  formatRange,
  instantToWallTime,
  timeZoneIds,
  timeZones,
  wallTimeToInstant,
  zoneName,
} from '../lib/time.ts';
import type { CurrentUser } from '../people/users.ts';
import { cycleCreationScope, mayEnrolSelf, mayManageCycle, mayOpenCycles } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import {
  cancelGathering,
  createGathering,
  facilitatorChoices,
  type GatheringInput,
  getGatheringFor,
  getManagedGathering,
  listGatherings,
  overlappingGatherings,
  saveSummary,
  signedUpPeople,
  updateGathering,
} from './gatherings.ts';
import signupRoutes from './signup-routes.ts';
import { cancelUpcomingSignups } from './signups.ts';

/** Opening a cycle: trainers and coordinators (of their collectives), and the national team. */

/** `YYYY-MM-DD` naming a day of the calendar: Date.parse would roll 2026-02-30 over to 2 March. */
function isRealDate(v: string): boolean {
  const date = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === v;
}
const isoDate = (required: Parameters<typeof msg>[0]) =>
  z
    .string({ error: msg(required) })
    .trim()
    .min(1, { error: msg(required) })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: msg('form.dateInvalid') })
    .refine(isRealDate, { error: msg('form.dateInvalid') });
const wallTime = (required: Parameters<typeof msg>[0]) =>
  z
    .string({ error: msg(required) })
    .trim()
    .min(1, { error: msg(required) })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: msg('form.timeInvalid') });
/** A multi-line plain text (agenda, compte-rendu, fiche): line breaks allowed, other controls not. */
const longText = (max: number, required?: Parameters<typeof msg>[0]) => {
  const base = z
    .string({ error: msg(required ?? 'form.invalid') })
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .max(max, { error: msg('form.tooLong', { max }) })
        .refine((v) => !hasControlCharacters(v.replace(/[\n\t]/g, '')), {
          error: msg('form.invalidCharacters'),
        }),
    );
  return required
    ? base.pipe(z.string().min(1, { error: msg(required) }))
    : // Not a union with z.undefined(): zod then reports a missing field in English.
      base.optional().transform((v) => v ?? '');
};
const optionalLine = (max: number) => fields.optionalText(max).transform((v) => v ?? '');

const cycleBody = z.object({
  _csrf: fields.csrf(),
  name: fields.requiredText(120, 'cycle.field.nameRequired'),
  collectiveId: fields.optionalId(),
  startsOn: isoDate('cycle.field.startsOnRequired'),
  endsOn: isoDate('cycle.field.endsOnRequired'),
  enrolment: z.enum(['open', 'invitation'], { error: msg('form.invalidChoice') }),
});
const cycleFormFields = ['name', 'collectiveId', 'startsOn', 'endsOn', 'enrolment'] as const;

const gatheringBody = z.object({
  _csrf: fields.csrf(),
  title: fields.requiredText(120, 'gathering.field.titleRequired'),
  courseId: z
    .string({ error: msg('form.invalidChoice') })
    .trim()
    .max(80, { error: msg('form.invalidChoice') })
    .optional()
    .transform((v) => (v ? v : null)),
  theme: optionalLine(200),
  facilitatorId: fields.requiredId(),
  date: isoDate('gathering.field.dateRequired'),
  startTime: wallTime('gathering.field.startRequired'),
  endTime: wallTime('gathering.field.endRequired'),
  timeZone: z.enum(timeZoneIds as [string, ...string[]], { error: msg('form.invalidChoice') }),
  mode: z.enum(['in_person', 'online', 'hybrid'], { error: msg('form.chooseOne') }),
  placeName: optionalLine(120),
  address: optionalLine(200),
  town: optionalLine(80),
  placeInQpv: fields.checkbox(),
  videoUrl: z
    .string({ error: msg('gathering.field.videoUrlInvalid') })
    .trim()
    .max(500, { error: msg('form.tooLong', { max: 500 }) })
    .refine((v) => v === '' || /^https:\/\/[^\s<>"]+$/.test(v), {
      error: msg('gathering.field.videoUrlInvalid'),
    })
    .optional()
    .transform((v) => v ?? ''),
  capacity: z
    .string({ error: msg('gathering.field.capacityRequired') })
    .trim()
    .regex(/^\d{1,4}$/, { error: msg('gathering.field.capacityInvalid') })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, { error: msg('gathering.field.capacityInvalid') }),
  agenda: longText(2000),
  confirmOverlap: fields.checkbox(),
});
const gatheringFormFields = [
  'title',
  'courseId',
  'theme',
  'facilitatorId',
  'date',
  'startTime',
  'endTime',
  'timeZone',
  'mode',
  'placeName',
  'address',
  'town',
  'placeInQpv',
  'videoUrl',
  'capacity',
  'agenda',
] as const;

const experienceBody = z.object({
  _csrf: fields.csrf(),
  title: fields.requiredText(120, 'experience.field.titleRequired'),
  what: longText(4000, 'experience.field.whatRequired'),
  town: optionalLine(80),
  inQpv: fields.checkbox(),
  qpvName: optionalLine(120),
  audience: longText(2000),
  partners: longText(2000),
  cofunding: longText(2000),
  results: longText(4000),
  difficulties: longText(4000),
  advice: longText(4000),
  sharedWithNetwork: fields.checkbox(),
});

const cancelBody = z.object({
  _csrf: fields.csrf(),
  reason: fields.requiredText(300, 'gathering.field.reasonRequired'),
});
const summaryBody = z.object({
  _csrf: fields.csrf(),
  summary: longText(6000, 'gathering.field.summaryRequired'),
});
const enrolBody = z.object({ _csrf: fields.csrf(), userId: fields.requiredId() });
const feedParams = z.object({ token: z.string().max(100) });

export default async function gatheringRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  const baseUrl = config.baseUrl;

  // Forms use attachValidation to re-render themselves, which also lets a handler run with ids
  // that failed their schema ("1.0" would then find séance 1): such a URL names no page.
  app.addHook('preHandler', async (request) => {
    if (request.validationError?.validationContext === 'params') throw new NotFoundError();
  });
  // The séance page and sign-ups, and the roll call, live in their own files (under this hook).
  await app.register(signupRoutes);
  await app.register(rollCallRoutes);

  // ——— Cycles ———

  app.get('/cycles', { config: { access: rules.signedIn } }, async (request, reply) => {
    const user = request.user!;
    return reply.render('cycles/index', {
      cycles: listCyclesFor(db, user),
      canCreate: mayOpenCycles(user),
      formatCalendarDate,
    });
  });

  function renderCycleForm(
    reply: FastifyReply,
    state: {
      cycle?: Cycle;
      values: Record<string, string>;
      errors?: Record<string, string>;
      status?: number;
    },
  ) {
    const user = reply.request.user!;
    return reply.render(
      'cycles/form',
      {
        cycle: state.cycle ?? null,
        values: state.values,
        errors: state.errors ?? {},
        collectives: collectiveChoices(db, user),
        national: cycleCreationScope(user) === null,
      },
      { status: state.status },
    );
  }

  function requireCreator(user: CurrentUser) {
    if (!mayOpenCycles(user)) throw new ForbiddenError('cycle.error.notRunner');
  }

  app.get('/cycles/new', { config: { access: rules.cycleRunners } }, async (request, reply) => {
    const user = request.user!;
    requireCreator(user);
    const choices = collectiveChoices(db, user);
    const year = new Date().getFullYear();
    return renderCycleForm(reply, {
      values: {
        name: '',
        collectiveId: cycleCreationScope(user) === null ? '' : String(choices[0]?.id ?? ''),
        startsOn: '',
        endsOn: '',
        enrolment: 'open',
        yearHint: String(year),
      },
    });
  });

  app.post(
    '/cycles',
    { schema: { body: cycleBody }, attachValidation: true, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const user = request.user!;
      requireCreator(user);
      const values = keptValues(request.body, cycleFormFields);
      if (request.validationError)
        return renderCycleForm(reply, {
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      try {
        const id = createCycle(db, user, request.body as CycleInput);
        reply.flash('cycle.flash.created', { name: request.body.name });
        return reply.redirect(`/cycles/${id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderCycleForm(reply, { values, errors, status: 422 });
      }
    },
  );

  app.get(
    '/cycles/:id',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getCycleFor(db, user, request.params.id);
      const manager = mayManageCycle(user, cycle);
      const enrolled = isEnrolled(db, cycle.id, user.id);
      const gatheringsList = listGatherings(db, cycle.id, user.id);
      return reply.render('cycles/show', {
        cycle,
        collectiveName: collectiveNameOf(db, cycle),
        manager,
        enrolled,
        // The rule POST /cycles/:id/enrol applies (policy.ts).
        canEnrolSelf: !enrolled && mayEnrolSelf(user, cycle),
        gatherings: gatheringsList.map((g) => ({
          ...g,
          when: formatRange(g.startsAt, g.endsAt, g.timeZone),
          zone: zoneName(g.timeZone),
          past: g.endsAt < new Date(),
        })),
        learners: manager ? listLearners(db, cycle) : [],
        enrollable: manager ? listEnrollable(db, cycle) : [],
        experiences: manager || enrolled ? listCycleExperiences(db, cycle.id) : [],
        canWriteExperience: canWriteExperience(db, user, cycle),
        rules: enrolled && !hasCertificate(db, cycle.id, user.id) ? evaluateRules(db, cycle, user.id) : null,
        myRevoked:
          enrolled && !liveCertificate(db, cycle.id, user.id) && hasCertificate(db, cycle.id, user.id),
        myCertificate: enrolled ? liveCertificate(db, cycle.id, user.id) : null,
        certificates: manager ? listCycleCertificates(db, cycle.id) : [],
        rulesText: describeRules(cycle),
        formatCalendarDate,
      });
    },
  );

  app.get(
    '/cycles/:id/edit',
    { schema: { params: params.id() }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const cycle = getManagedCycle(db, request.user!, request.params.id);
      return renderCycleForm(reply, {
        cycle,
        values: {
          name: cycle.name,
          collectiveId: String(cycle.collectiveId ?? ''),
          startsOn: cycle.startsOn,
          endsOn: cycle.endsOn,
          enrolment: cycle.enrolment,
        },
      });
    },
  );

  app.post(
    '/cycles/:id',
    {
      schema: { params: params.id(), body: cycleBody },
      attachValidation: true,
      config: { access: rules.cycleRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { id } = request.params as { id: number };
      const cycle = getManagedCycle(db, user, id);
      const values = keptValues(request.body, cycleFormFields);
      if (request.validationError)
        return renderCycleForm(reply, {
          cycle,
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      try {
        updateCycle(db, user, cycle, request.body as CycleInput);
        reply.flash('cycle.flash.updated');
        return reply.redirect(`/cycles/${cycle.id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderCycleForm(reply, { cycle, values, errors, status: 422 });
      }
    },
  );

  app.post(
    '/cycles/:id/enrol',
    { schema: { params: params.id() }, config: { access: rules.cycleFollowers } },
    async (request, reply) => {
      const cycle = getCycleFor(db, request.user!, request.params.id);
      enrolSelf(db, request.user!, cycle);
      reply.flash('cycle.flash.enrolled', { name: cycle.name });
      return reply.redirect(`/cycles/${cycle.id}`, 303);
    },
  );

  app.post(
    '/cycles/:id/withdraw',
    { schema: { params: params.id() }, config: { access: rules.own } },
    async (request, reply) => {
      const cycle = getCycleFor(db, request.user!, request.params.id);
      withdraw(db, cycle, request.user!.id);
      cancelUpcomingSignups(db, mailer, baseUrl, cycle.id, request.user!.id);
      void mailer.flush();
      reply.flash('cycle.flash.withdrawn', { name: cycle.name });
      return reply.redirect(`/cycles/${cycle.id}`, 303);
    },
  );

  app.post(
    '/cycles/:id/members',
    { schema: { params: params.id(), body: enrolBody }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getManagedCycle(db, user, request.params.id);
      if (!listEnrollable(db, cycle).some((p) => p.id === request.body.userId))
        throw new RuleError('cycle.error.notEligible');
      enrol(db, cycle, request.body.userId, user.id);
      reply.flash('cycle.flash.memberEnrolled');
      return reply.redirect(`/cycles/${cycle.id}#apprenants`, 303);
    },
  );

  /** The cycle's certificate rules in words. */
  function describeRules(cycle: Cycle): string {
    const r = cycle.certificateRules;
    const content = catalog(db);
    const parts = [];
    const courses = r.courseIds.flatMap((id) => content.coursesById.get(id)?.title ?? []);
    if (courses.length > 0)
      parts.push(
        `terminer ${courses.map((c) => `« ${c} »`).join(', ')}${r.passMark ? ` (quiz à ${r.passMark} %)` : ''}`,
      );
    if (r.minGatherings > 0) parts.push(`suivre ${r.minGatherings} séance${r.minGatherings > 1 ? 's' : ''}`);
    if (r.gatheringIds.length > 0) parts.push(`dont ${r.gatheringIds.length} séance(s) obligatoire(s)`);
    return parts.join(' et ');
  }

  // ——— Séances ———

  function gatheringValues(g: Gathering): Record<string, string> {
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

  function renderGatheringForm(
    reply: FastifyReply,
    cycle: Cycle,
    state: {
      gathering?: Gathering;
      values: Record<string, string>;
      errors?: Record<string, string>;
      overlaps?: Array<{ title: string; when: string }>;
      status?: number;
    },
  ) {
    return reply.render(
      'gatherings/form',
      {
        cycle,
        gathering: state.gathering ?? null,
        values: state.values,
        errors: state.errors ?? {},
        overlaps: state.overlaps ?? [],
        facilitators: facilitatorChoices(db, cycle),
        courses: catalog(db).courses.map((c) => ({ id: c.id, name: c.title })),
        timeZones: timeZones.map((z) => ({
          id: z.id,
          name: reply.request.t('time.zoneOption', { name: z.name }),
        })),
      },
      { status: state.status },
    );
  }

  /** The form's fields → a séance, or the errors to show next to the fields. */
  function readGathering(
    reply: FastifyReply,
    body: z.output<typeof gatheringBody>,
    exceptId?: number,
  ):
    | { input: GatheringInput }
    | { errors: Record<string, string>; overlaps?: Array<{ title: string; when: string }> } {
    const t = reply.request.t;
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
            when: `${formatRange(o.startsAt, o.endsAt, o.timeZone)} (heure de ${zoneName(o.timeZone)})`,
          })),
        };
      }
    }
    return { input };
  }

  app.get(
    '/cycles/:id/gatherings/new',
    { schema: { params: params.id() }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const cycle = getManagedCycle(db, request.user!, request.params.id);
      return renderGatheringForm(reply, cycle, {
        values: {
          title: '',
          courseId: '',
          theme: '',
          facilitatorId: String(request.user!.id),
          date: '',
          startTime: '18:30',
          endTime: '20:30',
          timeZone: request.user!.timeZone,
          mode: 'in_person',
          placeName: '',
          address: '',
          town: '',
          placeInQpv: '',
          videoUrl: '',
          capacity: '20',
          agenda: '',
        },
      });
    },
  );

  app.post(
    '/cycles/:id/gatherings',
    {
      schema: { params: params.id(), body: gatheringBody },
      attachValidation: true,
      config: { access: rules.cycleRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getManagedCycle(db, user, (request.params as { id: number }).id);
      const values = keptValues(request.body, gatheringFormFields);
      if (request.validationError)
        return renderGatheringForm(reply, cycle, {
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      const read = readGathering(reply, request.body);
      if ('errors' in read) return renderGatheringForm(reply, cycle, { values, ...read, status: 422 });
      try {
        const id = createGathering(db, user, cycle, read.input);
        reply.flash('gathering.flash.created', { title: read.input.title });
        return reply.redirect(`/gatherings/${id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderGatheringForm(reply, cycle, { values, errors, status: 422 });
      }
    },
  );

  app.get(
    '/gatherings/:id/edit',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      if (gathering.cancelledAt) throw new RuleError('gathering.error.cancelled');
      return renderGatheringForm(reply, cycle, { gathering, values: gatheringValues(gathering) });
    },
  );

  app.post(
    '/gatherings/:id',
    {
      schema: { params: params.id(), body: gatheringBody },
      attachValidation: true,
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, (request.params as { id: number }).id);
      const values = keptValues(request.body, gatheringFormFields);
      if (request.validationError)
        return renderGatheringForm(reply, cycle, {
          gathering,
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      const read = readGathering(reply, request.body, gathering.id);
      if ('errors' in read)
        return renderGatheringForm(reply, cycle, { gathering, values, ...read, status: 422 });
      try {
        updateGathering(db, mailer, baseUrl, user, cycle, gathering, read.input);
        void mailer.flush();
        reply.flash('gathering.flash.updated');
        return reply.redirect(`/gatherings/${gathering.id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderGatheringForm(reply, cycle, { gathering, values, errors, status: 422 });
      }
    },
  );

  app.get(
    '/gatherings/:id/cancel',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      return reply.render('gatherings/cancel', {
        gathering,
        cycle,
        when: formatRange(gathering.startsAt, gathering.endsAt, gathering.timeZone),
        people: signedUpPeople(db, gathering.id).length,
        values: { reason: '' },
        errors: {},
      });
    },
  );

  app.post(
    '/gatherings/:id/cancel',
    {
      schema: { params: params.id(), body: cancelBody },
      attachValidation: true,
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, (request.params as { id: number }).id);
      if (request.validationError) {
        return reply.render(
          'gatherings/cancel',
          {
            gathering,
            cycle,
            when: formatRange(gathering.startsAt, gathering.endsAt, gathering.timeZone),
            people: signedUpPeople(db, gathering.id).length,
            values: keptValues(request.body, ['reason']),
            errors: fieldErrors(request.validationError, request.t),
          },
          { status: 422 },
        );
      }
      cancelGathering(db, mailer, baseUrl, user, cycle, gathering, request.body.reason);
      void mailer.flush();
      reply.flash('gathering.flash.cancelled');
      return reply.redirect(`/gatherings/${gathering.id}`, 303);
    },
  );

  app.get(
    '/gatherings/:id/calendar.ics',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const { gathering } = getGatheringFor(db, request.user!, request.params.id);
      const ics = calendarIcs({
        name: gathering.title,
        events: [gatheringEvent(db, gathering.id, baseUrl)],
        organizerEmail: organizerAddress(config.mailFrom),
      });
      return asDownload(
        reply,
        'text/calendar; charset=utf-8',
        `seance-${gathering.id}.ics`,
        'private, no-cache',
      ).send(ics);
    },
  );

  // ——— Attendance sheet exports and compte-rendu ———

  app.get(
    '/gatherings/:id/attendance.:format',
    {
      schema: { params: params.id().extend({ format: z.enum(['pdf', 'csv']) }) },
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      if (!gathering.attendanceClosedAt) throw new RuleError('attendance.error.notClosed');
      const sheet = attendanceSheetOf(db, gathering, cycle);
      const format = request.params.format;
      const name = attendanceFileName(sheet, format);
      if (format === 'csv')
        return asDownload(reply, 'text/csv; charset=utf-8', name).send(attendanceCsv(sheet));
      return asDownload(reply, 'application/pdf', name).send(await attendancePdf(sheet));
    },
  );

  app.post(
    '/gatherings/:id/summary',
    {
      schema: { params: params.id(), body: summaryBody },
      attachValidation: true,
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, (request.params as { id: number }).id);
      if (request.validationError) {
        reply.code(422);
        const errors = fieldErrors(request.validationError, request.t);
        return reply.render(
          'gatherings/summary',
          { gathering, cycle, values: keptValues(request.body, ['summary']), errors },
          { status: 422 },
        );
      }
      saveSummary(db, gathering, request.body.summary);
      reply.flash('gathering.flash.summary');
      return reply.redirect(`/gatherings/${gathering.id}#compte-rendu`, 303);
    },
  );

  app.get(
    '/gatherings/:id/summary',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      return reply.render('gatherings/summary', {
        gathering,
        cycle,
        values: { summary: gathering.summary ?? '' },
        errors: {},
      });
    },
  );

  // ——— Fiches d'expérience ———

  const experienceKept = [...experienceFields, 'inQpv', 'sharedWithNetwork'] as const;

  function renderExperienceForm(
    reply: FastifyReply,
    cycle: Cycle,
    state: { id?: number; values: Record<string, string>; errors?: Record<string, string>; status?: number },
  ) {
    return reply.render(
      'experiences/form',
      { cycle, id: state.id ?? null, values: state.values, errors: state.errors ?? {} },
      { status: state.status },
    );
  }

  app.get(
    '/cycles/:id/experiences/new',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const cycle = getCycleFor(db, request.user!, request.params.id);
      if (!canWriteExperience(db, request.user!, cycle))
        throw new ForbiddenError('experience.error.notAttended');
      const values = Object.fromEntries(experienceKept.map((f) => [f, ''])) as Record<string, string>;
      return renderExperienceForm(reply, cycle, { values });
    },
  );

  app.post(
    '/cycles/:id/experiences',
    {
      schema: { params: params.id(), body: experienceBody },
      attachValidation: true,
      config: { access: rules.cycleReaders },
    },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getCycleFor(db, user, (request.params as { id: number }).id);
      if (!canWriteExperience(db, user, cycle)) throw new ForbiddenError('experience.error.notAttended');
      const values = keptValues(request.body, experienceKept);
      if (request.validationError)
        return renderExperienceForm(reply, cycle, {
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      const id = createExperience(db, user, cycle, request.body as ExperienceInput);
      reply.flash('experience.flash.created');
      return reply.redirect(`/experiences/${id}`, 303);
    },
  );

  app.get('/experiences', { config: { access: rules.signedIn } }, async (request, reply) => {
    return reply.render('experiences/index', { experiences: listSharedExperiences(db, request.user!.id) });
  });

  app.get(
    '/experiences/:id',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const fiche = getExperienceFor(db, request.user!, request.params.id);
      return reply.render('experiences/show', { fiche, mine: fiche.authorId === request.user!.id });
    },
  );

  app.get(
    '/experiences/:id/edit',
    { schema: { params: params.id() }, config: { access: rules.own } },
    async (request, reply) => {
      const fiche = getExperienceFor(db, request.user!, request.params.id);
      if (fiche.authorId !== request.user!.id) throw new ForbiddenError('experience.error.notAuthor');
      const cycle = getCycleFor(db, request.user!, fiche.cycleId);
      const values: Record<string, string> = {};
      for (const f of experienceFields) values[f] = fiche[f];
      values.inQpv = fiche.inQpv ? 'on' : '';
      values.sharedWithNetwork = fiche.sharedWithNetwork ? 'on' : '';
      return renderExperienceForm(reply, cycle, { id: fiche.id, values });
    },
  );

  app.post(
    '/experiences/:id',
    {
      schema: { params: params.id(), body: experienceBody },
      attachValidation: true,
      config: { access: rules.own },
    },
    async (request, reply) => {
      const user = request.user!;
      const fiche = getExperienceFor(db, user, (request.params as { id: number }).id);
      if (fiche.authorId !== user.id) throw new ForbiddenError('experience.error.notAuthor');
      const cycle = getCycleFor(db, user, fiche.cycleId);
      const values = keptValues(request.body, experienceKept);
      if (request.validationError)
        return renderExperienceForm(reply, cycle, {
          id: fiche.id,
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      updateExperience(db, fiche.id, request.body as ExperienceInput);
      reply.flash('experience.flash.updated');
      return reply.redirect(`/experiences/${fiche.id}`, 303);
    },
  );

  // ——— Calendar ———

  app.get('/calendar', { config: { access: rules.own } }, async (request, reply) => {
    return reply.render('calendar/index', { hasFeed: hasFeed(db, request.user!.id), feedUrl: null });
  });

  app.post('/calendar/feed', { config: { access: rules.own } }, async (request, reply) => {
    const token = renewFeed(db, request.user!.id);
    // Shown once: only its hash is kept.
    return reply.render('calendar/index', { hasFeed: true, feedUrl: `${baseUrl}/calendar/${token}.ics` });
  });

  app.post('/calendar/feed/revoke', { config: { access: rules.own } }, async (request, reply) => {
    revokeFeed(db, request.user!.id);
    reply.flash('calendar.flash.revoked');
    return reply.redirect('/calendar', 303);
  });

  // The subscription itself: public (a calendar app has no session), the secret token is the key.
  app.get(
    '/calendar/:token',
    { schema: { params: feedParams }, config: { access: 'public' } },
    async (request, reply) => {
      const token = request.params.token.replace(/\.ics$/, '');
      const owner = feedOwner(db, token);
      if (!owner)
        return reply.code(404).type('text/plain; charset=utf-8').send('Calendrier introuvable ou révoqué.');
      const ics = calendarIcs({
        name: `Passerelle — ${owner.name}`,
        events: feedEvents(db, owner.id, baseUrl),
        organizerEmail: organizerAddress(config.mailFrom),
      });
      return reply
        .header('Content-Type', 'text/calendar; charset=utf-8')
        .header('Cache-Control', 'private, no-cache')
        .header('X-Robots-Tag', 'noindex')
        .send(ics);
    },
  );
}
