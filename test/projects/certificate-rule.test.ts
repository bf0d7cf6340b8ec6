// A project reviewed by peers counts: as evidence of the rubric's skills on « Mes compétences », and
// as a rule a cycle's certificate may ask for (« prêt à déposer »), issued the moment the trainer
// says it is ready.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cycle, certificates } from '../../src/db/schema.ts';
import { saveSection } from '../../src/projects/project-sections.ts';
import { createProject, getProjectFor, shareProject } from '../../src/projects/projects.ts';
import { SECTIONS, type TextSectionKey } from '../../src/projects/sections.ts';
import { createWorld, type Person, type World } from '../gatherings/world.ts';
import { text } from '../helpers.ts';

let world: World;
let author: Person;
let peer: Person;
let trainer: Person;
let cycle: Cycle;
let projectId: number;

beforeAll(async () => {
  world = await createWorld();
  author = await world.person('member', world.osim.id);
  peer = await world.person('member', world.osim.id);
  trainer = await world.person('trainer', world.bretagne.id);
  cycle = world.openCycle(trainer);
  world.enrol(cycle, author, peer);
  const { db } = world.ctx;
  projectId = createProject(db, author.current(), {
    title: 'Fête des voisins',
    organizationId: world.osim.id,
  });
  const project = () => getProjectFor(db, author.current(), projectId);
  for (const key of Object.keys(SECTIONS).filter((k) => k !== 'budget') as TextSectionKey[]) {
    const content = Object.fromEntries(
      SECTIONS[key].fields.map((f) => [f.name, f.kind === 'count' ? '40' : 'Écrit.']),
    );
    if (key === 'summary') content.title = 'Fête des voisins';
    saveSection(db, author.current(), project(), key, content, key === 'summary' ? 1 : 0);
  }
  saveSection(
    db,
    author.current(),
    project(),
    'budget',
    {
      expenses: [{ account: '60', label: 'Repas', cents: 50_000 }],
      resources: [{ kind: 'town', label: 'Ville de Rennes', cents: 50_000, status: 'asked' }],
      inKind: [],
    },
    0,
  );
  shareProject(db, author.current(), project(), { cycleId: cycle.id, national: false });
});
afterAll(() => world.close());

describe('a project as a certificate rule', () => {
  it('the trainer asks for it in the cycle’s rules, and the cycle says so', async () => {
    const res = await trainer.client.post(`/cycles/${cycle.id}/rules`, {
      passMark: '',
      minGatherings: '0',
      projectReady: 'on',
    });
    expect(res.statusCode, text(res.body).slice(0, 3000)).toBe(303);
    expect(text((await author.client.get(`/cycles/${cycle.id}`)).body)).toContain(
      'un projet partagé avec le cycle et marqué « prêt à déposer »',
    );
    expect((await trainer.client.get(`/cycles/${cycle.id}/rules`)).body).toMatch(
      /name="projectReady"[^>]*checked/,
    );
  });

  it('a review by a peer shows on the author’s skills, not yet ready', async () => {
    const answers = { objectives: 'yes', qpv: 'partly', calendar: 'yes', budget: 'yes', cofunding: 'partly' };
    expect((await peer.client.post(`/projects/${projectId}/review`, answers)).statusCode).toBe(303);
    const skills = text((await author.client.get('/skills')).body);
    expect(skills).toContain('Projet relu par les pairs : Fête des voisins (pas encore)');
  });

  it('« prêt à déposer » issues the author’s certificate at once', async () => {
    const { db } = world.ctx;
    const held = () => db.select().from(certificates).where(eq(certificates.userId, author.id)).all();
    expect(held()).toHaveLength(0);
    expect((await trainer.client.post(`/projects/${projectId}/ready`, { ready: '1' })).statusCode).toBe(303);
    expect(held()).toHaveLength(1);
    expect(held()[0]!.cycleId).toBe(cycle.id);
    const skills = text((await author.client.get('/skills')).body);
    expect(skills).toContain('Projet relu par les pairs : Fête des voisins');
    expect(skills).not.toContain('Fête des voisins (pas encore)');
    // The peer wrote no project: nothing for them.
    expect(db.select().from(certificates).where(eq(certificates.userId, peer.id)).all()).toHaveLength(0);
  });
});
