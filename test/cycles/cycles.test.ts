// Cycles through HTTP: who opens one (errors next to the fields, what was typed kept), who sees
// it, enrolling oneself or by the coordination, withdrawing, and the learners' progress that only
// the cycle's trainers and coordinators see.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycles } from '../../src/db/schema.ts';
import { catalog } from '../../src/learning/catalog.ts';
import { completeLesson } from '../../src/learning/progress.ts';
import { createWorld, isEnrolledRow, type Person, type World } from '../gatherings/world.ts';
import { createOrganization, text } from '../helpers.ts';

let world: World;
let trainer: Person;
let coordinator: Person;
let member: Person;
let otherMember: Person;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  coordinator = await world.person('coordinator', world.bretagne.id);
  member = await world.person('member', world.osim.id);
  otherMember = await world.person('member', world.occitanie.id);
});
afterAll(() => world.close());

const cycleForm = (overrides: Record<string, string> = {}) => ({
  name: 'Cycle printemps 2027',
  collectiveId: String(world.bretagne.id),
  startsOn: '2027-03-01',
  endsOn: '2027-06-30',
  enrolment: 'open',
  ...overrides,
});

/** The error message shown right under the field `name`. */
function fieldError(html: string, name: string): string | null {
  const match = new RegExp(`<p class="field__error" id="f-${name}-error">([\\s\\S]*?)</p>`).exec(html);
  return match ? text(match[1]!).replace(/^Erreur : /, '') : null;
}

describe('opening a cycle', () => {
  it('lets a trainer of the COSIM open one, and shows it with a confirmation', async () => {
    const form = await trainer.client.get('/cycles/new');
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain('Ouvrir un cycle');
    expect(form.body).toContain(`<option value="${world.bretagne.id}" selected>COSIM Bretagne</option>`);

    const res = await trainer.client.post('/cycles', cycleForm({ name: 'Cycle Rennes 2027' }));
    expect(res.statusCode).toBe(303);
    const row = world.ctx.db.select().from(cycles).where(eq(cycles.name, 'Cycle Rennes 2027')).get()!;
    expect(res.headers.location).toBe(`/cycles/${row.id}`);
    expect(row).toMatchObject({ collectiveId: world.bretagne.id, startsOn: '2027-03-01', enrolment: 'open' });

    const page = text((await trainer.client.get(`/cycles/${row.id}`)).body);
    expect(page).toContain('Le cycle « Cycle Rennes 2027 » est ouvert.');
    expect(page).toContain('COSIM Bretagne · du 1er mars 2027 au 30 juin 2027');
    expect(page).toContain('Programmer une séance');
  });

  it('lets a coordinator open one too', async () => {
    const res = await coordinator.client.post('/cycles', cycleForm({ name: 'Cycle de la coordination' }));
    expect(res.statusCode).toBe(303);
  });

  it('refuses an empty name, in French next to the field, keeping what was typed', async () => {
    const res = await trainer.client.post('/cycles', cycleForm({ name: '   ', startsOn: '2027-09-01' }));
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'name')).toBe('Donnez un nom au cycle.');
    expect(res.body).toContain('value="2027-09-01"');
    expect(res.body).toContain('value="2027-06-30"');
    expect(text(res.body)).toContain('Le formulaire contient une erreur');
  });

  it('refuses an end before the start, next to the end date', async () => {
    const res = await trainer.client.post(
      '/cycles',
      cycleForm({ name: 'Cycle à l’envers', startsOn: '2027-09-01', endsOn: '2027-08-01' }),
    );
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'endsOn')).toBe('La fin doit être après le début.');
    expect(res.body).toContain('value="Cycle à l’envers"');
    expect(
      world.ctx.db.select().from(cycles).where(eq(cycles.name, 'Cycle à l’envers')).get(),
    ).toBeUndefined();
  });

  it('refuses a date that does not exist', async () => {
    const res = await trainer.client.post(
      '/cycles',
      cycleForm({ name: 'Cycle du 30 février', endsOn: '2027-02-30' }),
    );
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'endsOn')).toBe('Saisissez une date au format jj/mm/aaaa.');
  });

  it('refuses a collective the trainer does not belong to', async () => {
    const res = await trainer.client.post(
      '/cycles',
      cycleForm({ name: 'Cycle d’ailleurs', collectiveId: String(world.occitanie.id) }),
    );
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'collectiveId')).toBe(
      'Choisissez un collectif dont vous êtes formateur·rice ou coordinateur·rice.',
    );
    expect(res.body).toContain('value="Cycle d’ailleurs"');
    // No national cycle for a trainer either.
    const national = await trainer.client.post(
      '/cycles',
      cycleForm({ name: 'Cycle national', collectiveId: '' }),
    );
    expect(national.statusCode).toBe(422);
  });

  it('is not for members: 403 on the form and on the post', async () => {
    expect((await member.client.get('/cycles/new')).statusCode).toBe(403);
    expect((await member.client.post('/cycles', cycleForm({ name: 'Cycle pirate' }))).statusCode).toBe(403);
    expect(text((await member.client.get('/cycles')).body)).not.toContain('Ouvrir un cycle');
  });
});

describe('enrolling', () => {
  it('shows an open cycle to the collective’s members, who enrol themselves and withdraw', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle ouvert Bretagne' });
    const list = text((await member.client.get('/cycles')).body);
    expect(list).toContain('Cycle ouvert Bretagne');
    expect(list).toContain('inscription libre');

    const before = text((await member.client.get(`/cycles/${cycle.id}`)).body);
    expect(before).toContain('COSIM Bretagne');
    expect(before).not.toContain('Cycle national');
    expect(before).toContain('M’inscrire au cycle');

    const enrol = await member.client.post(`/cycles/${cycle.id}/enrol`);
    expect(enrol.statusCode).toBe(303);
    expect(enrol.headers.location).toBe(`/cycles/${cycle.id}`);
    expect(isEnrolledRow(world, cycle.id, member.id)).toBe(true);
    const after = text((await member.client.get(`/cycles/${cycle.id}`)).body);
    expect(after).toContain('Vous êtes inscrit·e au cycle « Cycle ouvert Bretagne ».');
    expect(after).toContain('Quitter le cycle');
    expect(text((await member.client.get('/cycles')).body)).toContain('Vous êtes inscrit·e');

    // Twice is the same as once.
    expect((await member.client.post(`/cycles/${cycle.id}/enrol`)).statusCode).toBe(303);

    const withdraw = await member.client.post(`/cycles/${cycle.id}/withdraw`);
    expect(withdraw.statusCode).toBe(303);
    expect(isEnrolledRow(world, cycle.id, member.id)).toBe(false);
    const gone = text((await member.client.get(`/cycles/${cycle.id}`)).body);
    expect(gone).toContain('Vous n’êtes plus inscrit·e au cycle « Cycle ouvert Bretagne ».');
    expect(gone).toContain('M’inscrire au cycle');
  });

  it('refuses self-enrolment in an invitation-only cycle; the coordination enrols the member', async () => {
    const cycle = world.openCycle(coordinator, { name: 'Cycle sur invitation', enrolment: 'invitation' });
    const page = text((await member.client.get(`/cycles/${cycle.id}`)).body);
    expect(page).not.toContain('M’inscrire au cycle');
    expect(page).toContain('inscription par la coordination');

    const refused = await member.client.post(`/cycles/${cycle.id}/enrol`);
    expect(refused.statusCode).toBe(422);
    expect(text(refused.body)).toContain(
      'Pour ce cycle, c’est la coordination du collectif qui inscrit les membres.',
    );
    expect(isEnrolledRow(world, cycle.id, member.id)).toBe(false);

    const manage = await coordinator.client.get(`/cycles/${cycle.id}`);
    expect(manage.body).toContain(`<option value="${member.id}">${member.displayName}</option>`);
    // Someone from another COSIM is not offered, and cannot be slipped in.
    expect(manage.body).not.toContain(`<option value="${otherMember.id}">`);
    const foreign = await coordinator.client.post(`/cycles/${cycle.id}/members`, {
      userId: String(otherMember.id),
    });
    expect(foreign.statusCode).toBe(422);
    expect(text(foreign.body)).toContain('Cette personne n’est pas membre d’une association du collectif.');

    const res = await coordinator.client.post(`/cycles/${cycle.id}/members`, { userId: String(member.id) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/cycles/${cycle.id}#apprenants`);
    expect(isEnrolledRow(world, cycle.id, member.id)).toBe(true);
    expect(text((await coordinator.client.get(`/cycles/${cycle.id}`)).body)).toContain(
      'La personne est inscrite au cycle.',
    );
    expect(text((await member.client.get(`/cycles/${cycle.id}`)).body)).toContain('Vous êtes inscrit·e');
  });

  it('lets a FOSIM’s coordination enrol a member of an OSIM of the federation', async () => {
    const fosim = createOrganization(world.ctx.db, { kind: 'fosim', name: 'FOSIM Afrique de l’Ouest' });
    const federated = createOrganization(world.ctx.db, {
      kind: 'osim',
      name: 'Association fédérée',
      parentId: world.bretagne.id,
      federationId: fosim.id,
    });
    const fosimCoordinator = await world.person('coordinator', fosim.id);
    const learner = await world.person('member', federated.id);
    const cycle = world.openCycle(fosimCoordinator, {
      name: 'Cycle de la fédération',
      collectiveId: fosim.id,
      enrolment: 'invitation',
    });
    const page = await fosimCoordinator.client.get(`/cycles/${cycle.id}`);
    expect(page.body).toContain(`<option value="${learner.id}">${learner.displayName}</option>`);
    const res = await fosimCoordinator.client.post(`/cycles/${cycle.id}/members`, {
      userId: String(learner.id),
    });
    expect(res.statusCode).toBe(303);
    expect(isEnrolledRow(world, cycle.id, learner.id)).toBe(true);
    expect(text((await learner.client.get(`/cycles/${cycle.id}`)).body)).toContain('Vous êtes inscrit·e');
  });

  it('does not let a member enrol someone else', async () => {
    const cycle = world.openCycle(coordinator, { name: 'Cycle fermé aux membres', enrolment: 'invitation' });
    const other = await world.person('member', world.osim.id);
    const res = await member.client.post(`/cycles/${cycle.id}/members`, { userId: String(other.id) });
    // Refused by the route's rule (policy/route-rules.ts: cycle runners), before any id is read.
    expect(res.statusCode).toBe(403);
    expect(isEnrolledRow(world, cycle.id, other.id)).toBe(false);
  });

  it('hides the cycle from a member of another COSIM: 404, and not in their list', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle privé Bretagne' });
    expect((await otherMember.client.get(`/cycles/${cycle.id}`)).statusCode).toBe(404);
    expect((await otherMember.client.post(`/cycles/${cycle.id}/enrol`)).statusCode).toBe(404);
    expect(text((await otherMember.client.get('/cycles')).body)).not.toContain('Cycle privé Bretagne');
    expect(isEnrolledRow(world, cycle.id, otherMember.id)).toBe(false);
  });
});

describe('the cycle page', () => {
  it('shows the learners and their progress to the trainer, not to members', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle avec avancement' });
    const learner = await world.person('member', world.osim.id);
    world.enrol(cycle, member, learner);
    const firstLesson = catalog(world.ctx.db).courses[0]!.lessons[0]!.id;
    completeLesson(world.ctx.db, learner.id, firstLesson);

    const managed = await trainer.client.get(`/cycles/${cycle.id}`);
    const page = text(managed.body);
    expect(page).toContain('Apprenant·es (2)');
    expect(page).toContain('Avancement des apprenant·es sur le parcours');
    expect(page).toContain(learner.displayName);
    expect(page).toContain(member.displayName);
    expect(page).toMatch(new RegExp(`${learner.displayName} Horizons Solidaires [1-9]\\d* % 1 0`));

    for (const viewer of [member, learner]) {
      const seen = text((await viewer.client.get(`/cycles/${cycle.id}`)).body);
      expect(seen).not.toContain('Avancement des apprenant·es');
      expect(seen).not.toContain('Apprenant·es (');
      expect(seen).not.toContain('Programmer une séance');
    }
    const other = text((await learner.client.get(`/cycles/${cycle.id}`)).body);
    expect(other).not.toContain(member.displayName);
  });

  it('lets only the cycle’s runners edit it', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle à renommer' });
    expect((await member.client.get(`/cycles/${cycle.id}/edit`)).statusCode).toBe(403);
    const edit = await coordinator.client.get(`/cycles/${cycle.id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Cycle à renommer"');
    const res = await coordinator.client.post(`/cycles/${cycle.id}`, cycleForm({ name: 'Cycle renommé' }));
    expect(res.statusCode).toBe(303);
    const row = world.ctx.db
      .select()
      .from(cycles)
      .where(and(eq(cycles.id, cycle.id)))
      .get()!;
    expect(row.name).toBe('Cycle renommé');
    const bad = await coordinator.client.post(`/cycles/${cycle.id}`, cycleForm({ name: '' }));
    expect(bad.statusCode).toBe(422);
    expect(fieldError(bad.body, 'name')).toBe('Donnez un nom au cycle.');
  });
});
