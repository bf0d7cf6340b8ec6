// A coordinator of COSIM Bretagne gets 403/404 on every page and form that takes an id of COSIM
// Occitanie Méditerranée — walked over every registered route with a parameter, so a new route
// is covered the day it is added.

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markAttendance } from '../src/attendance/attendance.ts';
import { createInvitation, invitationLinks } from '../src/auth/invitations.ts';
import { issueCertificate } from '../src/certificates/certificates.ts';
import { createCycle, enrol, getCycleFor } from '../src/cycles/cycles.ts';
import { memberships, organizations } from '../src/db/schema.ts';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.ts';
import { createExperience } from '../src/experiences/experiences.ts';
import { createGathering, getGatheringFor } from '../src/gatherings/gatherings.ts';
import { signUp } from '../src/gatherings/signups.ts';
import { parseInvitationCsv, saveImport } from '../src/invitations/csv-import.ts';
import { recordAttempt } from '../src/learning/progress.ts';
import { findUserByEmail, loadCurrentUser } from '../src/people/users.ts';
import { createProject, getProjectFor, shareProject } from '../src/projects/projects.ts';
import { createTestApp, createUser, TestClient, type TestContext } from './helpers.ts';

let ctx: TestContext;
let bretagne: TestClient;
const others: Array<[string, TestClient]> = [];
const omIds: Record<string, Record<string, number | string>> = {};

beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
  const org = (name: string) =>
    ctx.db.select().from(organizations).where(eq(organizations.name, name)).get()!;
  const karima = findUserByEmail(ctx.db, 'membre@cosim-om.test')!;
  const karimaRole = ctx.db.select().from(memberships).where(eq(memberships.userId, karima.id)).get()!;
  const omCoordinator = await createUser(ctx.db, {
    role: 'coordinator',
    organizationId: org('COSIM Occitanie Méditerranée').id,
  });
  const invitation = createInvitation(ctx.db, ctx.mailer, invitationLinks(ctx.config), {
    email: 'invitee@om.test',
    displayName: 'Invitée OM',
    organizationId: org('AMF').id,
    role: 'member',
    invitedBy: omCoordinator.id,
  });
  const importId = saveImport(
    ctx.db,
    loadCurrentUser(ctx.db, omCoordinator.id)!,
    'om.csv',
    parseInvitationCsv(Buffer.from('nom;email;osim\nA;a@om.test;AMF\n')),
  );
  // For each URL pattern, the ids of things that belong to COSIM Occitanie Méditerranée.
  omIds['/organizations/'] = { id: org('AMF').id };
  omIds['/dashboard/collectives/'] = { id: org('COSIM Occitanie Méditerranée').id };
  omIds['/people/'] = { id: karima.id, membershipId: karimaRole.id };
  omIds['/invitations/import/'] = { id: importId };
  omIds['/invitations/'] = { id: invitation.id };
  // A quiz attempt is personal: Karima's (COSIM OM) is no one else's to see.
  const attempt = recordAttempt(ctx.db, karima.id, 'pdv-quiz', {});
  omIds['/learn/quizzes/'] = { quizId: 0, attemptId: attempt.id };
  // A cycle of COSIM OM with a séance Karima signed up to and attended, and her fiche.
  const omRunner = loadCurrentUser(ctx.db, omCoordinator.id)!;
  const cycleId = createCycle(ctx.db, omRunner, {
    name: 'Cycle OM',
    collectiveId: org('COSIM Occitanie Méditerranée').id,
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    enrolment: 'open',
  });
  const cycle = getCycleFor(ctx.db, omRunner, cycleId);
  enrol(ctx.db, cycle, karima.id, omCoordinator.id);
  const gatheringId = createGathering(ctx.db, omRunner, cycle, {
    title: 'Atelier OM',
    courseId: null,
    theme: '',
    facilitatorId: omCoordinator.id,
    // Held yesterday: only a séance that has taken place counts as attended.
    startsAt: new Date(Date.now() - 86400_000),
    endsAt: new Date(Date.now() - 82800_000),
    timeZone: 'Europe/Paris',
    mode: 'online',
    placeName: '',
    address: '',
    town: '',
    placeInQpv: false,
    videoUrl: 'https://visio.example/om',
    capacity: 10,
    agenda: '',
  });
  const { gathering } = getGatheringFor(ctx.db, omRunner, gatheringId);
  signUp(ctx.db, gathering, karima.id, new Date(Date.now() - 2 * 86400_000));
  markAttendance(ctx.db, gathering, { userId: karima.id }, 'present', omCoordinator.id);
  const experienceId = createExperience(ctx.db, loadCurrentUser(ctx.db, karima.id)!, cycle, {
    title: 'Fête de quartier',
    what: 'Une fête.',
    town: 'Montpellier',
    inQpv: true,
    qpvName: 'Petit Bard',
    audience: '',
    partners: '',
    cofunding: '',
    results: '',
    difficulties: '',
    advice: '',
    sharedWithNetwork: false,
  });
  const { certificate } = issueCertificate(ctx.db, {
    cycle,
    userId: karima.id,
    how: 'manual',
    by: omRunner,
    reason: 'Formation suivie hors plateforme',
    mailer: ctx.mailer,
    baseUrl: ctx.config.baseUrl,
  });
  omIds['/certificates/'] = { id: certificate.id };
  omIds['/cycles/'] = { id: cycleId };
  omIds['/gatherings/'] = { id: gatheringId, key: `u${karima.id}`, format: 'pdf' };
  omIds['/experiences/'] = { id: experienceId };
  // Karima's project, shared with the OM cycle (reviewed there, never by Bretagne).
  const karimaNow = loadCurrentUser(ctx.db, karima.id)!;
  const projectId = createProject(ctx.db, karimaNow, { title: 'Forum OM', organizationId: org('AMF').id });
  shareProject(ctx.db, karimaNow, getProjectFor(ctx.db, karimaNow, projectId), { cycleId, national: false });
  omIds['/projects/'] = { id: projectId, section: 'budget' };
  bretagne = new TestClient(ctx.app);
  await bretagne.login('coordination@cosim-bretagne.test', DEMO_PASSWORD);
  for (const email of ['formation@cosim-bretagne.test', 'membre@cosim-bretagne.test']) {
    const client = new TestClient(ctx.app);
    await client.login(email, DEMO_PASSWORD);
    others.push([email, client]);
  }
});
afterAll(() => ctx.close());

/** Routes whose ids name the training content, the same for every signed-in person. */
const sharedContent = /^\/learn\/(lessons|courses|resources|media)\/|^\/learn\/quizzes\/:quizId$/;

function idsFor(url: string): Record<string, number | string> | undefined {
  const prefix = Object.keys(omIds)
    .filter((p) => url.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? omIds[prefix] : undefined;
}

describe('collective isolation', () => {
  it('refuses every id-taking route of another collective to a coordinator, a trainer and a member', async () => {
    const routes = ctx.app.routeAccess.filter(
      (r) =>
        r.url.includes(':') && r.access !== 'public' && r.method !== 'HEAD' && !sharedContent.test(r.url),
    );
    expect(routes.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const route of routes) {
      const ids = idsFor(route.url);
      if (!ids) {
        leaks.push(`${route.method} ${route.url}: no test id — add it to omIds`);
        continue;
      }
      const url = route.url.replace(/:(\w+)/g, (_, name: string) =>
        name === 'quizId' ? 'pdv-quiz' : String(ids[name] ?? 'missing'),
      );
      for (const [who, client] of [['coordination@cosim-bretagne.test', bretagne] as const, ...others]) {
        const res =
          route.method === 'GET'
            ? await client.get(url)
            : await client.post(url, {
                name: 'Piraté',
                role: 'member',
                organizationId: '1',
                userId: '1',
                status: 'present',
              });
        if (res.statusCode !== 403 && res.statusCode !== 404)
          leaks.push(`${who} ${route.method} ${url}: ${res.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
