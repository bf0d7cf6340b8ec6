// A small network for the route tests of cycles and séances: COSIM Bretagne (a trainer, a
// coordinator, an OSIM with members) and COSIM Occitanie (a member who must never see Bretagne's
// cycles). Domain functions arrange the data; the behaviour under test goes through HTTP.
import { and, eq } from 'drizzle-orm';
import { type CycleInput, createCycle, enrol, getCycleFor } from '../../src/cycles/cycles.ts';
import { type Cycle, cycleMembers, type Gathering, gatherings, outbox } from '../../src/db/schema.ts';
import { createGathering, type GatheringInput } from '../../src/gatherings/gatherings.ts';
import { signUp } from '../../src/gatherings/signups.ts';
import { type CurrentUser, loadCurrentUser } from '../../src/people/users.ts';
import { createOrganization, createTestApp, createUser, TestClient, type TestContext } from '../helpers.ts';

export const DAY = 86_400_000;

/** htmx's headers for a swap of `target` (htmx 4 sends the request type). */
export const htmx = (target: string) => ({
  'hx-request': 'true',
  'hx-request-type': 'partial',
  'hx-target': target,
});

export interface Person {
  id: number;
  email: string;
  displayName: string;
  client: TestClient;
  current(): CurrentUser;
}

export interface World {
  ctx: TestContext;
  bretagne: { id: number; name: string };
  osim: { id: number; name: string };
  occitanie: { id: number; name: string };
  /** A new person with `role` on `organizationId`, signed in. */
  person(role: 'member' | 'trainer' | 'coordinator' | 'admin', organizationId: number): Promise<Person>;
  openCycle(by: Person, overrides?: Partial<CycleInput>): Cycle;
  enrol(cycle: Cycle, ...people: Person[]): void;
  schedule(by: Person, cycle: Cycle, overrides?: Partial<GatheringInput>): Gathering;
  /** Signs people up as they would have the day before the séance (it may have started since). */
  signUp(gathering: Gathering, ...people: Person[]): void;
  /** Time passes: the séance now started `minutesAgo` minutes ago (same length). */
  start(gathering: Gathering, minutesAgo?: number): Gathering;
  gathering(id: number): Gathering;
  mails(to?: string): Array<{ toAddress: string; subject: string; textBody: string }>;
  close(): Promise<void>;
}

export async function createWorld(): Promise<World> {
  const ctx = await createTestApp({ content: true });
  const { db } = ctx;
  const bretagne = createOrganization(db, { kind: 'cosim', name: 'COSIM Bretagne' });
  const osim = createOrganization(db, { kind: 'osim', name: 'Horizons Solidaires', parentId: bretagne.id });
  const occitanie = createOrganization(db, { kind: 'cosim', name: 'COSIM Occitanie' });

  const world: World = {
    ctx,
    bretagne,
    osim,
    occitanie,
    async person(role, organizationId) {
      const user = await createUser(db, { role, organizationId });
      const client = new TestClient(ctx.app);
      await client.login(user.email);
      return {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        client,
        current: () => loadCurrentUser(db, user.id)!,
      };
    },
    openCycle(by, overrides = {}) {
      const me = by.current();
      const id = createCycle(db, me, {
        name: 'Cycle 2026 — COSIM Bretagne',
        collectiveId: bretagne.id,
        startsOn: '2026-01-05',
        endsOn: '2027-06-30',
        enrolment: 'open',
        ...overrides,
      });
      return getCycleFor(db, me, id);
    },
    enrol(cycle, ...people) {
      for (const p of people) enrol(db, cycle, p.id, p.id);
    },
    schedule(by, cycle, overrides = {}) {
      const startsAt = overrides.startsAt ?? new Date(Date.now() + 7 * DAY);
      const id = createGathering(db, by.current(), cycle, {
        title: 'Atelier budget prévisionnel',
        courseId: null,
        theme: '',
        facilitatorId: by.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
        timeZone: 'Europe/Paris',
        mode: 'in_person',
        placeName: 'Maison de quartier du Blosne',
        address: '7 boulevard de Yougoslavie',
        town: 'Rennes',
        placeInQpv: true,
        videoUrl: '',
        capacity: 20,
        agenda: '',
        ...overrides,
      });
      return world.gathering(id);
    },
    signUp(gathering, ...people) {
      const dayBefore = new Date(gathering.startsAt.getTime() - DAY);
      for (const p of people) signUp(db, gathering, p.id, dayBefore);
    },
    start(gathering, minutesAgo = 5) {
      const startsAt = new Date(Date.now() - minutesAgo * 60_000);
      const endsAt = new Date(startsAt.getTime() + gathering.endsAt.getTime() - gathering.startsAt.getTime());
      db.update(gatherings).set({ startsAt, endsAt }).where(eq(gatherings.id, gathering.id)).run();
      return world.gathering(gathering.id);
    },
    gathering(id) {
      return db.select().from(gatherings).where(eq(gatherings.id, id)).get()!;
    },
    mails(to) {
      const rows = db.select().from(outbox).all();
      return to ? rows.filter((m) => m.toAddress === to) : rows;
    },
    close: () => ctx.close(),
  };
  return world;
}

export function isEnrolledRow(world: World, cycleId: number, userId: number) {
  const row = world.ctx.db
    .select()
    .from(cycleMembers)
    .where(and(eq(cycleMembers.cycleId, cycleId), eq(cycleMembers.userId, userId)))
    .get();
  return row !== undefined && row.withdrawnAt === null;
}
