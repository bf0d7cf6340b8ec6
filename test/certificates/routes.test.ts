// Skills and certificates through HTTP: the member's skills page and its evidence, a cycle's
// certificate rules (defaults, what is left, the trainer's form), manual issuing by the cycle's
// trainer, and who may open, download and revoke a certificate.
import { asc, eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, type Cycle, certificates, cycles, skills } from '../../src/db/schema.ts';
import { catalog } from '../../src/learning/catalog.ts';
import { formatCalendarDate, today } from '../../src/lib/time.ts';
import { createWorld, type Person, type World } from '../gatherings/world.ts';
import { createOrganization, TestClient, text } from '../helpers.ts';
import {
  attend,
  certificateMails,
  certificatesOf,
  courseOf,
  finishLessons,
  issue,
  PDV,
  passQuiz,
  seance,
  setRules,
} from './setup.ts';

let world: World;
let trainer: Person;
let coordinator: Person;
let admin: Person;
let foreignCoordinator: Person;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  coordinator = await world.person('coordinator', world.bretagne.id);
  admin = await world.person('admin', createOrganization(world.ctx.db, { kind: 'forim', name: 'FORIM' }).id);
  foreignCoordinator = await world.person('coordinator', world.occitanie.id);
});
afterAll(() => world.close());

async function learner(cycle?: Cycle) {
  const p = await world.person('member', world.osim.id);
  if (cycle) world.enrol(cycle, p);
  return p;
}

/** The audit log's entries about the cycle's certificate rules: who changed them. */
function rulesChanges(cycle: Cycle) {
  return world.ctx.db
    .select({ actor: auditLog.actorUserId, details: auditLog.details })
    .from(auditLog)
    .where(eq(auditLog.action, 'certificate.rules'))
    .all()
    .filter((e) => (e.details as { cycleId?: number } | null)?.cycleId === cycle.id);
}

function rulesOf(cycle: Cycle) {
  return world.ctx.db.select().from(cycles).where(eq(cycles.id, cycle.id)).get()!.certificateRules;
}

/** Each skill of the page, by code: its state (from its class) and its visible text, evidence included. */
function skillsOnPage(html: string) {
  const framework = world.ctx.db.select().from(skills).orderBy(asc(skills.position)).all();
  const blocks = html.split('<li class="skill skill--').slice(1);
  return new Map(
    blocks.map((block) => {
      const state = block.slice(0, block.indexOf('"'));
      const title = text(/<span class="skill__title">(.*?)<\/span>/.exec(block)![1]!);
      const words = text(
        `<li class="${block}`.split('</details>')[0]!.split('<li class="skill-list__domain')[0]!,
      );
      return [framework.find((s) => text(s.title) === title)!.code, { state, words }] as const;
    }),
  );
}

describe('the skills page', () => {
  it('shows every skill of the framework “pas commencée” to a member who has done nothing', async () => {
    const member = await learner();
    const page = await member.client.get('/skills');
    expect(page.statusCode).toBe(200);
    const shown = skillsOnPage(page.body);
    const framework = world.ctx.db.select().from(skills).all();
    expect(shown.size).toBe(framework.length);
    expect(framework.length).toBeGreaterThan(10);
    expect([...shown.values()].every((s) => s.state === 'not_started')).toBe(true);
    expect([...shown.values()].every((s) => s.words.includes('pas commencée'))).toBe(true);
  });

  it('says the course’s skills are “acquise” once all its lessons are finished and its quiz passed, with the evidence', async () => {
    const member = await learner();
    finishLessons(world, member, PDV, 3);
    let shown = skillsOnPage((await member.client.get('/skills')).body);
    expect(shown.get('POL-1')!.state).toBe('in_progress');
    expect(shown.get('POL-1')!.words).toContain('en cours');

    finishLessons(world, member);
    passQuiz(world, member);
    shown = skillsOnPage((await member.client.get('/skills')).body);
    const course = courseOf(world);
    for (const code of ['POL-1', 'POL-2', 'POL-3', 'POL-4']) {
      expect(shown.get(code)!.state, code).toBe('acquired');
      expect(shown.get(code)!.words).toContain('acquise');
      expect(shown.get(code)!.words).toContain(`Quiz : ${text(course.quiz!.title)}`);
    }
    const pol1 = shown.get('POL-1')!.words;
    for (const lesson of course.lessons.filter((l) => l.skills.includes('POL-1')))
      expect(pol1).toContain(`Leçon : ${text(lesson.title)}`);
    expect(pol1).not.toContain('pas encore');
    // RES-2 is built by two courses: half of it is not enough.
    expect(shown.get('RES-2')!.state).toBe('in_progress');
    expect(shown.get('RES-2')!.words).toContain('pas encore');
    expect(shown.get('PRJ-1')!.state).toBe('not_started');
  });

  it('adds a séance attended on the course as a “Séance” evidence', async () => {
    const cycle = world.openCycle(trainer);
    const member = await learner(cycle);
    const onCourse = seance(world, trainer, cycle, { title: 'Atelier contrat de ville', courseId: PDV });
    const offCourse = seance(world, trainer, cycle, { title: 'Atelier sans module' });
    attend(world, trainer, onCourse, member);
    attend(world, trainer, offCourse, member);
    const shown = skillsOnPage((await member.client.get('/skills')).body);
    expect(shown.get('POL-1')!.words).toMatch(/Séance : Atelier contrat de ville \(\d{1,2} \S+ \d{4}\)/);
    expect(shown.get('POL-1')!.state).toBe('in_progress');
    expect(text((await member.client.get('/skills')).body)).not.toContain('Atelier sans module');
    expect(shown.get('PRJ-1')!.words).not.toContain('Séance');
  });

  it('is for signed-in people only', async () => {
    const anonymous = await new TestClient(world.ctx.app, '203.0.113.50').get('/skills');
    expect(anonymous.statusCode).toBe(303);
  });
});

describe('a cycle’s certificate rules', () => {
  it('are, for a new cycle, every course of the path with their own pass marks and two séances', async () => {
    const cycle = world.openCycle(trainer);
    expect(rulesOf(cycle)).toEqual({
      courseIds: catalog(world.ctx.db).courses.map((c) => c.id),
      passMark: null,
      minGatherings: 2,
      gatheringIds: [],
    });
    const form = await trainer.client.get(`/cycles/${cycle.id}/rules`);
    expect(form.statusCode).toBe(200);
    for (const c of catalog(world.ctx.db).courses)
      expect(form.body).toMatch(new RegExp(`id="f-course-${c.id}" name="courseIds" value="${c.id}" checked`));
    expect(form.body).toContain('id="f-minGatherings" name="minGatherings" type="text" value="2"');
    expect(form.body).toContain('id="f-passMark" name="passMark" type="text" value=""');
  });

  it('tell the enrolled learner what is left on the cycle page', async () => {
    const cycle = world.openCycle(trainer);
    const member = await learner(cycle);
    finishLessons(world, member, PDV, 4);
    attend(world, trainer, seance(world, trainer, cycle), member);
    const page = await member.client.get(`/cycles/${cycle.id}`);
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain('Il vous reste :');
    const course = courseOf(world);
    const pdv = course.title;
    const projet = courseOf(world, 'monter-un-projet');
    const left = [...page.body.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => text(m[1]!));
    // At least two left, so the count reads « N leçons ».
    expect(course.lessons.length).toBeGreaterThan(5);
    expect(left).toEqual(
      expect.arrayContaining([
        // Four of the course's lessons finished above.
        `${course.lessons.length - 4} leçons du module « ${pdv} »`,
        `le quiz du module « ${pdv} » (${course.quiz!.passMark} % ou plus)`,
        `${projet.lessons.length} leçons du module « ${projet.title} »`,
        `le quiz du module « ${projet.title} » (${projet.quiz!.passMark} % ou plus)`,
        '1 séance',
      ]),
    );
    expect(left).not.toContain('2 séances');
  });

  it('are changed by the cycle’s trainer, and the learner sees the new ones', async () => {
    const cycle = world.openCycle(trainer);
    const member = await learner(cycle);
    const named = seance(world, trainer, cycle, { title: 'Séance de clôture' });
    const saved = await trainer.client.post(`/cycles/${cycle.id}/rules`, {
      courseIds: [PDV],
      passMark: '80',
      minGatherings: '0',
      gatheringIds: [String(named.id)],
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/cycles/${cycle.id}#attestations`);
    expect(rulesOf(cycle)).toEqual({
      courseIds: [PDV],
      passMark: 80,
      minGatherings: 0,
      gatheringIds: [named.id],
      projectReady: false,
    });
    const page = text((await member.client.get(`/cycles/${cycle.id}`)).body);
    const pdv = courseOf(world).title;
    expect(page).toContain(`le quiz du module « ${pdv} » (80 % ou plus)`);
    expect(page).toContain('la séance « Séance de clôture »');
    expect(page).not.toContain('module « Monter');

    // The coordinator of the collective runs the cycle too.
    const again = await coordinator.client.post(`/cycles/${cycle.id}/rules`, {
      courseIds: [PDV],
      passMark: '',
      minGatherings: '1',
    });
    expect(again.statusCode).toBe(303);
    expect(rulesOf(cycle)).toEqual({
      courseIds: [PDV],
      passMark: null,
      minGatherings: 1,
      gatheringIds: [],
      projectReady: false,
    });
    // Each change is in the audit log, like every other change to a cycle.
    expect(rulesChanges(cycle).map((e) => e.actor)).toEqual([trainer.id, coordinator.id]);
  });

  it('refuse a pass mark that is not a percentage, next to the field, keeping what was typed', async () => {
    const cycle = world.openCycle(trainer);
    const before = rulesOf(cycle);
    for (const passMark of ['0', '150', 'abc', '-5', '12.5']) {
      const page = await trainer.client.post(`/cycles/${cycle.id}/rules`, {
        courseIds: [PDV],
        passMark,
        minGatherings: '2',
      });
      expect(page.statusCode, passMark).toBe(422);
      expect(page.body).toMatch(
        /id="f-passMark-error">.*Le seuil est un pourcentage entre 1\u00a0et 100, ou vide\.<\/p>/,
      );
      expect(page.body).toContain(`name="passMark" type="text" value="${passMark}"`);
      expect(page.body).toMatch(new RegExp(`value="${PDV}" checked`));
    }
    const noCount = await trainer.client.post(`/cycles/${cycle.id}/rules`, {
      courseIds: [PDV],
      passMark: '',
      minGatherings: 'deux',
    });
    expect(noCount.statusCode).toBe(422);
    expect(noCount.body).toContain('Indiquez un nombre de séances, de 0\u00a0à 99.');
    expect(rulesOf(cycle)).toEqual(before);
  });

  it('refuse empty rules and unknown courses or séances', async () => {
    const cycle = world.openCycle(trainer);
    const before = rulesOf(cycle);
    const empty = await trainer.client.post(`/cycles/${cycle.id}/rules`, {
      passMark: '',
      minGatherings: '0',
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toMatch(
      /id="f-courseIds">\s*<legend>[^<]*<\/legend>\s*<p class="field__error">Choisissez au moins un module, un nombre de séances ou le projet\.<\/p>/,
    );

    const unknown = await trainer.client.post(`/cycles/${cycle.id}/rules`, {
      courseIds: [PDV, 'cours-inconnu'],
      passMark: '',
      minGatherings: '1',
    });
    expect(unknown.statusCode).toBe(422);
    expect(text(unknown.body)).toContain('Ce choix n’existe pas dans la liste.');

    const otherCycle = world.openCycle(trainer);
    const elsewhere = seance(world, trainer, otherCycle);
    const foreignSeance = await trainer.client.post(`/cycles/${cycle.id}/rules`, {
      courseIds: [PDV],
      passMark: '',
      minGatherings: '1',
      gatheringIds: [String(elsewhere.id)],
    });
    expect(foreignSeance.statusCode).toBe(422);
    expect(rulesOf(cycle)).toEqual(before);
    expect(rulesChanges(cycle)).toEqual([]);
  });

  it('are not for members, nor for another collective: 404', async () => {
    const cycle = world.openCycle(trainer);
    const member = await learner(cycle);
    for (const who of [member, foreignCoordinator]) {
      // A member is refused by the route's rule (403), another collective's coordinator by the cycle (404).
      expect([403, 404]).toContain((await who.client.get(`/cycles/${cycle.id}/rules`)).statusCode);
      const post = await who.client.post(`/cycles/${cycle.id}/rules`, {
        courseIds: [PDV],
        passMark: '',
        minGatherings: '0',
      });
      expect([403, 404]).toContain(post.statusCode);
    }
    expect(rulesOf(cycle).minGatherings).toBe(2);
    expect((await trainer.client.get('/cycles/999999/rules')).statusCode).toBe(404);
    expect((await trainer.client.get('/cycles/abc/rules')).statusCode).toBe(404);
  });
});

describe('manual issuing', () => {
  it('is done by the cycle’s trainer with a reason, recorded with the issuer', async () => {
    const cycle = world.openCycle(trainer);
    const member = await learner(cycle);
    const learnerPage = await trainer.client.get(`/cycles/${cycle.id}/learners/${member.id}`);
    expect(learnerPage.statusCode).toBe(200);
    expect(text(learnerPage.body)).toContain('Délivrer l’attestation à la main');

    const reason = 'A suivi la formation en présentiel, hors plateforme';
    const done = await trainer.client.post(`/cycles/${cycle.id}/certificates`, {
      userId: String(member.id),
      reason,
    });
    expect(done.statusCode).toBe(303);
    const [certificate, ...more] = certificatesOf(world, member, cycle);
    expect(more).toEqual([]);
    expect(done.headers.location).toBe(`/certificates/${certificate!.id}`);
    expect(certificate!.issuedHow).toBe('manual');
    expect(certificate!.issuedBy).toBe(trainer.id);
    expect(certificate!.snapshot.reason).toBe(reason);
    expect(certificate!.snapshot.issuer).toBe(trainer.displayName);
    expect(certificate!.snapshot.name).toBe(member.displayName);
    expect(certificateMails(world, member)).toHaveLength(1);

    const shown = text((await trainer.client.get(done.headers.location as string)).body);
    expect(shown).toContain('L’attestation est délivrée ; la personne est prévenue par e-mail.');
    expect(shown).toContain(`Délivrée manuellement ${reason}`);
    expect(shown).toContain(trainer.displayName);
    const learnerNow = text((await trainer.client.get(`/cycles/${cycle.id}/learners/${member.id}`)).body);
    expect(learnerNow).toContain(`délivrée le ${formatCalendarDate(certificate!.snapshot.issuedOn)}`);
    expect(learnerNow).not.toContain('Délivrer l’attestation à la main');

    // Once more: the same certificate, no second one, no second email.
    const again = await trainer.client.post(`/cycles/${cycle.id}/certificates`, {
      userId: String(member.id),
      reason: 'Doublon',
    });
    expect(again.headers.location).toBe(`/certificates/${certificate!.id}`);
    expect(certificatesOf(world, member, cycle)).toHaveLength(1);
    expect(certificateMails(world, member)).toHaveLength(1);
  });

  it('requires a reason (422 on the learner’s page, what was typed kept)', async () => {
    const cycle = world.openCycle(trainer);
    const member = await learner(cycle);
    const blank = await trainer.client.post(`/cycles/${cycle.id}/certificates`, {
      userId: String(member.id),
      reason: '   ',
    });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toMatch(
      /id="f-reason-error">.*Indiquez pourquoi vous délivrez l’attestation à la main\./,
    );
    expect(blank.body).toContain(`name="userId" value="${member.id}"`);
    expect(text(blank.body)).toContain(member.displayName);

    const long = 'Raison <b>très</b> longue '.repeat(20);
    const tooLong = await trainer.client.post(`/cycles/${cycle.id}/certificates`, {
      userId: String(member.id),
      reason: long,
    });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain('Ce champ ne peut pas dépasser 300\u00a0caractères.');
    expect(tooLong.body).toContain('value="Raison &lt;b&gt;très&lt;/b&gt; longue');
    expect(certificatesOf(world, member)).toEqual([]);
  });

  it('is refused to members (404) and, clearly, for someone not enrolled (422)', async () => {
    const cycle = world.openCycle(trainer);
    const member = await learner(cycle);
    const byMember = await member.client.post(`/cycles/${cycle.id}/certificates`, {
      userId: String(member.id),
      reason: 'Je me la donne',
    });
    expect([403, 404]).toContain(byMember.statusCode);
    expect((await member.client.get(`/cycles/${cycle.id}/learners/${member.id}`)).statusCode).toBe(403);
    const byForeign = await foreignCoordinator.client.post(`/cycles/${cycle.id}/certificates`, {
      userId: String(member.id),
      reason: 'Hors collectif',
    });
    expect(byForeign.statusCode).toBe(404);

    const outsider = await learner();
    const notEnrolled = await trainer.client.post(`/cycles/${cycle.id}/certificates`, {
      userId: String(outsider.id),
      reason: 'Présent à toutes les séances',
    });
    expect(notEnrolled.statusCode).toBe(422);
    expect(text(notEnrolled.body)).toContain('Cette personne n’est pas inscrite au cycle.');
    expect((await trainer.client.get(`/cycles/${cycle.id}/learners/${outsider.id}`)).statusCode).toBe(404);
    expect(certificatesOf(world, member)).toEqual([]);
    expect(certificatesOf(world, outsider)).toEqual([]);
  });
});

describe('a certificate’s pages', () => {
  let cycle: Cycle;
  let owner: Person;
  let certificateId: number;
  let code: string;

  beforeAll(async () => {
    cycle = setRules(world, world.openCycle(trainer), { courseIds: [PDV], minGatherings: 1 });
    owner = await learner(cycle);
    finishLessons(world, owner);
    passQuiz(world, owner);
    attend(world, trainer, seance(world, trainer, cycle), owner);
    const certificate = issue(world, cycle, owner, trainer);
    certificateId = certificate.id;
    code = certificate.code;
  });

  const page = () => `/certificates/${certificateId}`;

  it('are open to their owner: the page, the PDF and the signed badge', async () => {
    const shown = await owner.client.get(page());
    expect(shown.statusCode).toBe(200);
    expect(text(shown.body)).toContain('Bravo : votre attestation est prête.');
    expect(text(shown.body)).toContain(code);

    const list = text((await owner.client.get('/certificates')).body);
    expect(list).toContain(`Attestation — ${cycle.name}`);

    const pdf = await owner.client.get(`${page()}/attestation.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const jwt = await owner.client.get(`${page()}/credential.jwt`);
    expect(jwt.statusCode).toBe(200);
    expect(jwt.headers['content-type']).toContain('application/jwt');
    expect(jwt.body.trim().split('.')).toHaveLength(3);

    // One definition of the achievement: the badge carries what /ob/achievements serves, criteria
    // and image included (a wallet shows the image; without one it draws a blank badge).
    const claims = decodeJwt(jwt.body.trim()) as {
      credentialSubject: { achievement: Record<string, unknown> };
    };
    const achievement = claims.credentialSubject.achievement;
    const served = (await owner.client.get(new URL(String(achievement.id)).pathname)).json();
    const { '@context': _context, ...definition } = served;
    expect(achievement).toEqual(definition);
    expect(achievement.image).toEqual({
      id: `${world.ctx.config.baseUrl}/ob/badge.png`,
      type: 'Image',
      caption: expect.any(String),
    });
    expect((await owner.client.get('/ob/badge.png')).headers['content-type']).toBe('image/png');
  });

  it('are open to the cycle’s trainer and coordinator and to the national team', async () => {
    for (const who of [trainer, coordinator, admin]) {
      expect((await who.client.get(page())).statusCode, who.email).toBe(200);
      expect((await who.client.get(`${page()}/attestation.pdf`)).statusCode).toBe(200);
    }
  });

  it('are 404 for another member and for the coordinator of another COSIM', async () => {
    const neighbour = await learner(cycle);
    for (const who of [neighbour, foreignCoordinator]) {
      for (const url of [page(), `${page()}/attestation.pdf`, `${page()}/credential.jwt`])
        expect((await who.client.get(url)).statusCode, url).toBe(404);
    }
    expect((await owner.client.get('/certificates/99999999')).statusCode).toBe(404);
    expect((await owner.client.get('/certificates/abc')).statusCode).toBe(404);
  });

  it('are revoked by the national team only, with a cause from the list, and then say so everywhere', async () => {
    // A trainer may open the certificate but not revoke it: the route is declared for admins.
    for (const who of [trainer, owner, coordinator]) {
      const refused = await who.client.post(`${page()}/revoke`, { cause: 'fraud' });
      expect(refused.statusCode, who.email).toBe(403);
    }
    expect(text((await trainer.client.get(page())).body)).not.toContain('Révoquer cette attestation');

    // The form offers the short list; the cause is checked on the server, next to its field.
    const form = (await admin.client.get(page())).body;
    for (const label of ['Délivrée par erreur', 'À la demande de la personne', 'Fraude', 'Autre motif'])
      expect(text(form)).toContain(label);
    const row = () =>
      world.ctx.db.select().from(certificates).where(eq(certificates.id, certificateId)).get()!;
    const note = 'Le quiz a été fait par une autre personne (signalé par la formatrice)';
    for (const cause of [undefined, '', 'Délivrée par erreur', 'expired']) {
      const refused = await admin.client.post(`${page()}/revoke`, {
        ...(cause === undefined ? {} : { cause }),
        note,
      });
      expect(refused.statusCode, String(cause)).toBe(422);
      expect(refused.body).toMatch(/id="f-cause-error">.*Choisissez le motif de la révocation\./);
      // What was typed is kept.
      expect(refused.body).toContain(`>${note}</textarea>`);
    }
    const tooLong = await admin.client.post(`${page()}/revoke`, { cause: 'fraud', note: 'x'.repeat(301) });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toMatch(/id="f-note-error">/);
    expect(tooLong.body).toMatch(/id="f-cause-fraud" name="cause" value="fraud" required checked>/);
    expect(row().revokedAt).toBeNull();

    const revoked = await admin.client.post(`${page()}/revoke`, { cause: 'issued_in_error', note });
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe(page());
    expect(row()).toMatchObject({
      revokedCause: 'issued_in_error',
      revokedReason: note,
      revokedBy: admin.id,
    });
    expect(row().revokedAt).toBeInstanceOf(Date);

    // The public page: revoked, when and why from the list — and nobody named, no internal note.
    const anyone = new TestClient(world.ctx.app, '203.0.113.21');
    const verify = await anyone.get(`/verify/${code}`);
    expect(verify.statusCode).toBe(200);
    const words = text(verify.body);
    expect(words).toContain('Attestation révoquée');
    expect(words).toContain(
      `Révoquée le ${formatCalendarDate(today('Europe/Paris', row().revokedAt!))}. Motif : Délivrée par erreur.`,
    );
    expect(words).toContain(cycle.name);
    expect(words).toContain(code);
    expect(words).not.toContain('Attestation authentique');
    expect(verify.body).not.toContain(owner.displayName);
    expect(verify.body).not.toContain('Le quiz a été fait');

    // The status document: the reason inside the entry verifiers read, from the list; no name.
    const status = await anyone.get(`/ob/status/${code}`);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      revoked: true,
      revokedCredentials: [
        {
          id: `${world.ctx.config.baseUrl}/verify/${code}`,
          revoked: true,
          revocationReason: 'Délivrée par erreur',
        },
      ],
    });
    expect(status.json()).not.toHaveProperty('reason');
    expect(status.body).not.toContain('Le quiz a été fait');
    expect(status.body).not.toContain(owner.displayName);

    const badge = await owner.client.get(`${page()}/credential.jwt`);
    expect(badge.statusCode).toBe(422);
    expect(text(badge.body)).toContain('Cette attestation est révoquée');

    // The person sees why, with the national team's note.
    const ownerPage = text((await owner.client.get(page())).body);
    expect(ownerPage).toContain('Attestation révoquée le');
    expect(ownerPage).toContain('Motif : Délivrée par erreur');
    expect(ownerPage).toContain(`Précision : ${note}`);
    expect(ownerPage).not.toContain('Télécharger le badge numérique');
    // The list says it is revoked, and does not promise a new one.
    const list = text((await owner.client.get('/certificates')).body);
    expect(list).toContain(`Attestation — ${cycle.name}`);
    expect(list).toContain('révoquée');
    expect(list).not.toContain('l’attestation arrive');

    // Revoking twice changes nothing.
    const first = row().revokedAt!.getTime();
    await admin.client.post(`${page()}/revoke`, { cause: 'fraud', note: 'Autre raison' });
    expect(row().revokedAt!.getTime()).toBe(first);
    expect(row()).toMatchObject({ revokedCause: 'issued_in_error', revokedReason: note });
  });
});
