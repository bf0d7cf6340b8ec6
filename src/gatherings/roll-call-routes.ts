// The roll call (émargement) over HTTP: the sheet, one tap per person (htmx swaps the row and, out
// of band, the counters and the closing block; a plain form posts and comes back at the row), the
// people who came without signing up, closing after a confirmation page, reopening for a
// correction. Who: the séance's managers (getManagedGathering: 404 for anyone else). When: the
// windows of roll-call-rules.ts, which the pages state and the domain enforces.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AttendanceStatus, Cycle, Gathering } from '../db/schema.ts';
import { RuleError } from '../lib/errors.ts';
import {
  fieldErrors,
  fields,
  keptValues,
  msg,
  params,
  ruleErrors,
  type ZodTypeProvider,
} from '../lib/forms.ts';
import { formatMoment, formatRange, zoneName } from '../lib/time.ts';
import { rules } from '../policy/route-rules.ts';
import { recordProgress } from '../progress/record-progress.ts';
import {
  addWalkIn,
  certificatesCounting,
  closeAttendance,
  markAttendance,
  reopenAttendance,
  rollCall,
  rollCallError,
  walkInChoices,
} from './attendance.ts';
import { getManagedGathering } from './gatherings.ts';
import { closeRefusal, ROLL_CALL_WINDOWS, rollCallWindow } from './roll-call-rules.ts';

const attendanceBody = z.object({
  _csrf: fields.csrf(),
  status: z.enum(['present', 'absent', 'excused'], { error: msg('form.invalidChoice') }),
});
const walkInBody = z.object({
  _csrf: fields.csrf(),
  userId: fields.optionalId(),
  guestName: fields.optionalText(120),
  guestOrganization: fields.optionalText(120),
});
const closeBody = z.object({ _csrf: fields.csrf(), confirm: z.enum(['yes']).optional() });
const personParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  key: z.string().regex(/^[ug]\d{1,9}$/),
});

export default async function rollCallRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;

  /** Marks change figures and may complete a cycle's rules: refresh, issue, send. */
  function award(userIds: Array<number | null>) {
    const ids = userIds.filter((id): id is number => id !== null);
    recordProgress(db, mailer, config.baseUrl, { kind: 'attendance', userIds: ids });
  }

  /** Everything the sheet shows; `rowErrors` puts a refused tap's message in its row. */
  function sheetData(gathering: Gathering, cycle: Cycle, rowErrors: Record<string, string> = {}) {
    const now = new Date();
    const rows = rollCall(db, gathering.id);
    const certified = certificatesCounting(db, gathering);
    return {
      gathering,
      cycle,
      rows,
      when: formatRange(gathering.startsAt, gathering.endsAt, gathering.timeZone),
      zone: zoneName(gathering.timeZone),
      counts: {
        present: rows.filter((r) => r.status === 'present').length,
        absent: rows.filter((r) => r.status === 'absent').length,
        excused: rows.filter((r) => r.status === 'excused').length,
        unmarked: rows.filter((r) => r.status === null && !r.waiting).length,
      },
      unmarkedNames: rows.filter((r) => r.status === null && !r.waiting).map((r) => r.name),
      window: rollCallWindow(gathering, now),
      windows: ROLL_CALL_WINDOWS,
      moment: (d: Date) => formatMoment(d, gathering.timeZone),
      certified: Object.fromEntries(
        rows.flatMap((r) => (r.userId && certified.has(r.userId) ? [[r.key, true]] : [])),
      ),
      rowErrors,
      choices: gathering.attendanceClosedAt ? [] : walkInChoices(db, cycle, gathering.id),
      values: { userId: '', guestName: '', guestOrganization: '' },
      errors: {} as Record<string, string>,
    };
  }

  app.get(
    '/gatherings/:id/attendance',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      return reply.render('gatherings/attendance', sheetData(gathering, cycle));
    },
  );

  app.post(
    '/gatherings/:id/attendance/:key',
    { schema: { params: personParams, body: attendanceBody }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, request.params.id);
      const { key } = request.params;
      const id = Number(key.slice(1));
      const target = key.startsWith('u') ? { userId: id } : { attendanceId: id };
      let refused: string | null = null;
      try {
        const row = markAttendance(db, gathering, target, request.body.status as AttendanceStatus, user.id);
        award([row.userId]);
      } catch (error) {
        // Someone not on the list is a broken request, not a tap to show in a row.
        if (!(error instanceof RuleError) || error.key === 'attendance.error.unknown') throw error;
        refused = request.t(error.key, error.params);
      }
      if (!refused && !request.htmx.partial)
        return reply.redirect(`/gatherings/${gathering.id}/attendance#p-${key}`, 303);
      const fresh = getManagedGathering(db, user, gathering.id).gathering;
      const data = sheetData(fresh, cycle, refused ? { [key]: refused } : {});
      const status = refused ? 422 : 200;
      if (!request.htmx.partial) return reply.render('gatherings/attendance', data, { status });
      // The row, and out of band what the tap changes elsewhere: the counters and the closing block.
      return reply.render(
        'gatherings/_attendance-tap',
        { ...data, row: data.rows.find((r) => r.key === key) },
        { status },
      );
    },
  );

  app.post(
    '/gatherings/:id/attendance/walk-in',
    {
      schema: { params: params.id(), body: walkInBody },
      attachValidation: true,
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, (request.params as { id: number }).id);
      const body = request.validationError ? null : request.body;
      let errors: Record<string, string> = {};
      if (!body) errors = fieldErrors(request.validationError, request.t);
      else if (body.userId === null && !body.guestName) errors.userId = request.t('attendance.error.whoCame');
      else if (
        body.userId !== null &&
        !walkInChoices(db, cycle, gathering.id).some((p) => p.id === body.userId)
      )
        errors.userId = request.t('form.invalidChoice');
      if (body && Object.keys(errors).length === 0) {
        try {
          addWalkIn(
            db,
            gathering,
            body.userId !== null
              ? { userId: body.userId }
              : { name: body.guestName!, organization: body.guestOrganization ?? '' },
            user.id,
          );
          award([body.userId]);
          reply.flash('attendance.flash.walkIn');
          return reply.redirect(`/gatherings/${gathering.id}/attendance`, 303);
        } catch (error) {
          errors = ruleErrors(error, request.t) ?? {};
          if (Object.keys(errors).length === 0) throw error;
        }
      }
      return reply.render(
        'gatherings/attendance',
        {
          ...sheetData(gathering, cycle),
          values: keptValues(request.body, ['userId', 'guestName', 'guestOrganization']),
          errors,
        },
        { status: 422 },
      );
    },
  );

  app.get(
    '/gatherings/:id/attendance/close',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      if (gathering.attendanceClosedAt) return reply.redirect(`/gatherings/${gathering.id}/attendance`, 303);
      const refusal = closeRefusal(gathering, new Date());
      if (refusal) throw rollCallError(refusal, gathering);
      const data = sheetData(gathering, cycle);
      return reply.render('gatherings/close', data);
    },
  );

  app.post(
    '/gatherings/:id/attendance/close',
    { schema: { params: params.id(), body: closeBody }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const user = request.user!;
      const { gathering } = getManagedGathering(db, user, request.params.id);
      // Closing is a step of its own: without the confirmation page's answer, it is that page.
      if (request.body.confirm !== 'yes') {
        const refusal = closeRefusal(gathering, new Date());
        if (refusal) throw rollCallError(refusal, gathering);
        return reply.redirect(`/gatherings/${gathering.id}/attendance/close`, 303);
      }
      closeAttendance(db, gathering, user.id);
      award(rollCall(db, gathering.id).map((r) => r.userId));
      reply.flash('attendance.flash.closed');
      return reply.redirect(`/gatherings/${gathering.id}/attendance`, 303);
    },
  );

  app.post(
    '/gatherings/:id/attendance/reopen',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, request.params.id);
      reopenAttendance(db, user, cycle, gathering);
      reply.flash('attendance.flash.reopened');
      return reply.redirect(`/gatherings/${gathering.id}/attendance`, 303);
    },
  );
}
