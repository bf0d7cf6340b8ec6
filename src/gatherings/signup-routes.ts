// The séance page and signing up for it. A sign-up or a cancellation changes more than the
// sign-up block — the seats, the video link (given to people with a seat), the waiting list, the
// managers' list of people — so an htmx tap gets the whole #seance block back (the page's own
// fragment), and a plain form is redirected to the page: the same screen either way. A refusal
// (séance started, person already marked present, not enrolled) is shown in the sign-up block,
// 422, in the fragment or the page.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isMarkedPresent } from '../attendance/attendance.ts';
import { ROLL_CALL_WINDOWS, rollCallWindow } from '../attendance/roll-call-rules.ts';
import { isEnrolled } from '../cycles/cycles.ts';
import type { Cycle, Gathering } from '../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';
import { catalog } from '../learning/catalog.ts';
import { RuleError } from '../lib/errors.ts';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { formatMoment, formatRange, zoneName } from '../lib/time.ts';
import type { CurrentUser } from '../people/users.ts';
import { mayRunGathering } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import { facilitatorChoices, getGatheringFor, signedUpPeople } from './gatherings.ts';
import { cancelRefusal, cancelSignup, confirmedCount, signUp, signupOf, waitingPosition } from './signups.ts';

export default async function signupRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;

  /** What the sign-up block shows: seats left, the person's state, what they may do now. */
  function signupState(user: CurrentUser, gathering: Gathering, cycle: Cycle, now: Date) {
    const signup = signupOf(db, gathering.id, user.id);
    const confirmed = confirmedCount(db, gathering.id);
    const open = !gathering.cancelledAt && now < gathering.startsAt;
    return {
      confirmed,
      seatsLeft: Math.max(0, gathering.capacity - confirmed),
      status: signup?.status ?? null,
      position: signup?.status === 'waiting' ? waitingPosition(db, gathering.id, signup.id) : null,
      enrolled: isEnrolled(db, cycle.id, user.id),
      open,
      past: now >= gathering.endsAt,
      markedPresent: isMarkedPresent(db, gathering.id, user.id),
      canCancel: open && signup !== null && cancelRefusal(db, gathering, user.id, now) === null,
    };
  }

  /** The séance page; an htmx request gets its #seance block. `notice`/`error`: the sign-up block's message. */
  function renderSeance(
    reply: FastifyReply,
    gathering: Gathering,
    cycle: Cycle,
    message: { notice?: MessageKey; error?: string; status?: number } = {},
  ) {
    const user = reply.request.user!;
    const manager = mayRunGathering(user, cycle, gathering);
    const now = new Date();
    const state = signupState(user, gathering, cycle, now);
    return reply.render(
      'gatherings/show',
      {
        gathering,
        cycle,
        manager,
        ...state,
        // The video link goes to people with a seat, and to whoever runs the séance.
        seesVideo: manager || state.status === 'confirmed',
        rollCall: manager ? rollCallWindow(gathering, now) : null,
        windows: ROLL_CALL_WINDOWS,
        moment: (d: Date) => formatMoment(d, gathering.timeZone),
        when: formatRange(gathering.startsAt, gathering.endsAt, gathering.timeZone),
        zone: zoneName(gathering.timeZone),
        viewerWhen:
          user.timeZone !== gathering.timeZone
            ? formatRange(gathering.startsAt, gathering.endsAt, user.timeZone)
            : null,
        viewerZone: zoneName(user.timeZone),
        facilitator: facilitatorChoices(db, cycle).find((p) => p.id === gathering.facilitatorId)?.name ?? '',
        course: gathering.courseId ? (catalog(db).coursesById.get(gathering.courseId)?.title ?? null) : null,
        people: manager ? signedUpPeople(db, gathering.id) : [],
        notice: message.notice ?? null,
        signupError: message.error ?? null,
      },
      { fragment: 'gatherings/_seance', status: message.status },
    );
  }

  app.get(
    '/gatherings/:id',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const { gathering, cycle } = getGatheringFor(db, request.user!, request.params.id);
      return renderSeance(reply, gathering, cycle);
    },
  );

  /** After a sign-up or a cancellation: the #seance block for htmx, the page (with a message) otherwise. */
  async function answer(reply: FastifyReply, id: number, action: () => MessageKey): Promise<FastifyReply> {
    const request = reply.request;
    let notice: MessageKey;
    try {
      notice = action();
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      const { gathering, cycle } = getGatheringFor(db, request.user!, id);
      return renderSeance(reply, gathering, cycle, {
        error: request.t(error.key, error.params),
        status: 422,
      });
    }
    const { gathering, cycle } = getGatheringFor(db, request.user!, id);
    if (request.htmx.partial) return renderSeance(reply, gathering, cycle, { notice });
    reply.flash(notice);
    return reply.redirect(`/gatherings/${id}#inscription`, 303);
  }

  app.post(
    '/gatherings/:id/signup',
    { schema: { params: params.id() }, config: { access: rules.own } },
    async (request, reply) => {
      const { gathering } = getGatheringFor(db, request.user!, request.params.id);
      return answer(reply, gathering.id, () =>
        signUp(db, gathering, request.user!.id) === 'confirmed'
          ? 'signup.flash.confirmed'
          : 'signup.flash.waiting',
      );
    },
  );

  app.post(
    '/gatherings/:id/signup/cancel',
    { schema: { params: params.id() }, config: { access: rules.own } },
    async (request, reply) => {
      const { gathering } = getGatheringFor(db, request.user!, request.params.id);
      return answer(reply, gathering.id, () => {
        cancelSignup(db, mailer, config.baseUrl, gathering, request.user!.id);
        return 'signup.flash.cancelled';
      });
    },
  );
}
