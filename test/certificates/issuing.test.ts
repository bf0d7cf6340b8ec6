// Automatic issuing through HTTP: whichever step completes a learner's cycle rules — the last
// lesson finished (htmx or plain form), the quiz passed, the trainer's roll call — issues exactly
// one certificate with one email, and doing the step again never issues a second one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../src/certificates/certificates.ts';
import type { Cycle } from '../../src/db/schema.ts';
import { cancelGathering } from '../../src/gatherings/gatherings.ts';
import { createWorld, htmx, type Person, type World } from '../gatherings/world.ts';
import { createOrganization, text } from '../helpers.ts';
import {
  attend,
  certificateMails,
  certificatesOf,
  courseOf,
  finishLessons,
  issue,
  PDV,
  passQuiz,
  quizAnswers,
  quizForm,
  seance,
  setRules,
} from './setup.ts';

let world: World;
let trainer: Person;
let admin: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  admin = await world.person('admin', createOrganization(world.ctx.db, { kind: 'forim', name: 'FORIM' }).id);
  // One course and one séance: small rules, so each test reaches them quickly.
  cycle = setRules(world, world.openCycle(trainer), { courseIds: [PDV], passMark: null, minGatherings: 1 });
});
afterAll(() => world.close());

async function learner() {
  const p = await world.person('member', world.osim.id);
  world.enrol(cycle, p);
  return p;
}

function expectOneCertificate(person: Person) {
  const issued = certificatesOf(world, person, cycle);
  expect(issued).toHaveLength(1);
  expect(issued[0]!.issuedHow).toBe('automatic');
  expect(issued[0]!.issuedBy).toBeNull();
  expect(issued[0]!.revokedAt).toBeNull();
  expect(certificateMails(world, person)).toHaveLength(1);
  return issued[0]!;
}

describe('a certificate is issued automatically, once', () => {
  it('when the last lesson is finished (htmx: the fragment says the certificate is ready)', async () => {
    const member = await learner();
    const lessons = courseOf(world).lessons;
    finishLessons(world, member, PDV, lessons.length - 1);
    passQuiz(world, member);
    attend(world, trainer, seance(world, trainer, cycle), member);
    expect(certificatesOf(world, member)).toEqual([]);

    const last = lessons.at(-1)!;
    const done = await member.client.post(
      `/learn/lessons/${last.id}/complete`,
      {},
      { headers: htmx('#progression') },
    );
    expect(done.statusCode).toBe(200);
    expect(text(done.body)).toContain('Votre attestation est prête');
    const certificate = expectOneCertificate(member);
    expect(done.body).toContain(`href="/certificates/${certificate.id}"`);
    const mail = certificateMails(world, member)[0]!;
    expect(mail.textBody).toContain(`/certificates/${certificate.id}`);
    expect(mail.textBody).toContain(`/verify/${certificate.code}`);

    const again = await member.client.post(
      `/learn/lessons/${last.id}/complete`,
      {},
      { headers: htmx('#progression') },
    );
    expect(again.statusCode).toBe(200);
    expect(text(again.body)).not.toContain('Votre attestation est prête');
    expectOneCertificate(member);
  });

  it('when the last lesson is finished with a plain form (the flash says so)', async () => {
    const member = await learner();
    const lessons = courseOf(world).lessons;
    finishLessons(world, member, PDV, lessons.length - 1);
    passQuiz(world, member);
    attend(world, trainer, seance(world, trainer, cycle), member);

    const done = await member.client.post(`/learn/lessons/${lessons.at(-1)!.id}/complete`);
    expect(done.statusCode).toBe(303);
    const next = text((await member.client.get(done.headers.location as string)).body);
    expect(next).toContain('Bravo : vous avez rempli les conditions du cycle, votre attestation est prête !');
    expectOneCertificate(member);
  });

  it('when the quiz is passed (the flash on the result says so), not when it is failed', async () => {
    const member = await learner();
    finishLessons(world, member);
    attend(world, trainer, seance(world, trainer, cycle), member);
    const { quiz, answers } = quizAnswers(world);
    const failing = quizAnswers(world, PDV, 4).answers;

    const failed = await member.client.post(`/learn/quizzes/${quiz.id}`, quizForm(failing));
    expect(failed.statusCode).toBe(303);
    expect(text((await member.client.get(failed.headers.location as string)).body)).not.toContain(
      'votre attestation est prête',
    );
    expect(certificatesOf(world, member)).toEqual([]);

    const passed = await member.client.post(`/learn/quizzes/${quiz.id}`, quizForm(answers));
    expect(passed.statusCode).toBe(303);
    const result = text((await member.client.get(passed.headers.location as string)).body);
    expect(result).toContain(
      'Bravo : vous avez rempli les conditions du cycle, votre attestation est prête !',
    );
    expectOneCertificate(member);

    const again = await member.client.post(`/learn/quizzes/${quiz.id}`, quizForm(answers));
    expect(again.statusCode).toBe(303);
    expect(text((await member.client.get(again.headers.location as string)).body)).not.toContain(
      'votre attestation est prête',
    );
    expectOneCertificate(member);
  });

  it('when the trainer marks the learner present at the roll call (htmx)', async () => {
    const member = await learner();
    finishLessons(world, member);
    passQuiz(world, member);
    const first = seance(world, trainer, cycle);
    const second = seance(world, trainer, cycle, { title: 'Atelier budget' });
    for (const s of [first, second]) {
      const signed = await member.client.post(`/gatherings/${s.id}/signup`);
      expect(signed.statusCode).toBe(303);
    }
    expect(certificatesOf(world, member)).toEqual([]);
    // The séances take place: a presence counts only at a séance that has started.
    world.start(first);
    world.start(second, 3);

    const absent = await trainer.client.post(
      `/gatherings/${first.id}/attendance/u${member.id}`,
      { status: 'absent' },
      { headers: htmx(`#p-u${member.id}`) },
    );
    expect(absent.statusCode).toBe(200);
    expect(certificatesOf(world, member)).toEqual([]);

    const present = await trainer.client.post(
      `/gatherings/${first.id}/attendance/u${member.id}`,
      { status: 'present' },
      { headers: htmx(`#p-u${member.id}`) },
    );
    expect(present.statusCode).toBe(200);
    expect(present.body).toContain(`id="p-u${member.id}"`);
    expectOneCertificate(member);

    // The same tap again, a change of mind and back, another séance: still one certificate.
    for (const [gathering, status] of [
      [first, 'present'],
      [first, 'excused'],
      [first, 'present'],
      [second, 'present'],
    ] as const) {
      const tap = await trainer.client.post(
        `/gatherings/${gathering.id}/attendance/u${member.id}`,
        { status },
        { headers: htmx(`#p-u${member.id}`) },
      );
      expect(tap.statusCode).toBe(200);
    }
    expectOneCertificate(member);
  });

  it('not when something is still missing', async () => {
    const member = await learner();
    finishLessons(world, member);
    passQuiz(world, member);
    const s = seance(world, trainer, cycle);
    await member.client.post(`/gatherings/${s.id}/signup`);
    // Marked absent, then the last lesson finished again: one séance is still missing.
    await trainer.client.post(`/gatherings/${s.id}/attendance/u${member.id}`, { status: 'absent' });
    const lesson = courseOf(world).lessons[0]!;
    const done = await member.client.post(
      `/learn/lessons/${lesson.id}/complete`,
      {},
      { headers: htmx('#progression') },
    );
    expect(text(done.body)).not.toContain('Votre attestation est prête');
    expect(certificatesOf(world, member)).toEqual([]);
    expect(certificateMails(world, member)).toEqual([]);
  });

  it('not again once the national team has revoked it', async () => {
    const member = await learner();
    finishLessons(world, member);
    passQuiz(world, member);
    const s = seance(world, trainer, cycle);
    attend(world, trainer, s, member);
    const first = issue(world, cycle, member, trainer);
    const revoked = await admin.client.post(`/certificates/${first.id}/revoke`, {
      cause: 'fraud',
      note: 'Quiz fait par un tiers',
    });
    expect(revoked.statusCode).toBe(303);

    // Any later step (a lesson, the quiz, a roll call) must not hand out a fresh certificate.
    const lesson = courseOf(world).lessons[0]!;
    await member.client.post(`/learn/lessons/${lesson.id}/complete`, {}, { headers: htmx('#progression') });
    const { quiz, answers } = quizAnswers(world);
    await member.client.post(`/learn/quizzes/${quiz.id}`, quizForm(answers));
    await trainer.client.post(`/gatherings/${s.id}/attendance/u${member.id}`, { status: 'present' });
    const all = certificatesOf(world, member);
    expect(all).toHaveLength(1);
    expect(all[0]!.revokedAt).not.toBeNull();

    // The cycle's trainer may still issue a new one by hand, with a reason.
    const manual = await trainer.client.post(`/cycles/${cycle.id}/certificates`, {
      userId: String(member.id),
      reason: 'Quiz repassé devant la formatrice',
    });
    expect(manual.statusCode).toBe(303);
    expect(certificatesOf(world, member).filter((c) => !c.revokedAt)).toHaveLength(1);
  });

  it('not held back by a required séance that was cancelled', async () => {
    const other = world.openCycle(trainer, { name: 'Cycle séance annulée' });
    const member = await world.person('member', world.osim.id);
    world.enrol(other, member);
    const required = seance(world, trainer, other, { title: 'Séance de clôture' });
    setRules(world, other, {
      courseIds: [PDV],
      passMark: null,
      minGatherings: 0,
      gatheringIds: [required.id],
    });
    const pending = text((await member.client.get(`/cycles/${other.id}`)).body);
    expect(pending).toContain('la séance « Séance de clôture »');

    cancelGathering(
      world.ctx.db,
      world.ctx.mailer,
      world.ctx.config.baseUrl,
      trainer.current(),
      other,
      required,
      'Salle indisponible',
    );
    expect(text((await member.client.get(`/cycles/${other.id}`)).body)).not.toContain(
      'la séance « Séance de clôture »',
    );
    const lessons = courseOf(world).lessons;
    finishLessons(world, member, PDV, lessons.length - 1);
    passQuiz(world, member);
    const done = await member.client.post(
      `/learn/lessons/${lessons.at(-1)!.id}/complete`,
      {},
      { headers: htmx('#progression') },
    );
    expect(text(done.body)).toContain('Votre attestation est prête');
    expect(certificatesOf(world, member, other)).toHaveLength(1);
  });
});

describe('the certificate’s snapshot', () => {
  it('is dated from the moment of issuing, in Paris', async () => {
    const member = await learner();
    // 23:30 UTC on 14 March is already 15 March in Paris.
    const { certificate } = issueCertificate(world.ctx.db, {
      cycle,
      userId: member.id,
      how: 'manual',
      by: trainer.current(),
      reason: 'Rattrapage',
      mailer: world.ctx.mailer,
      baseUrl: world.ctx.config.baseUrl,
      now: new Date('2026-03-14T23:30:00Z'),
    });
    expect(certificate.issuedAt.toISOString()).toBe('2026-03-14T23:30:00.000Z');
    expect(certificate.snapshot.issuedOn).toBe('2026-03-15');
  });
});
