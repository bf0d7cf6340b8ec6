// Malformed ids in the URLs of cycles, séances, fiches and calendars: "not found", never a 500 —
// walked over every registered route of the feature, so a new route is covered the day it lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../src/gatherings/signups.ts';
import { reachOf } from '../../src/policy/route-rules.ts';
import { TestClient, text } from '../helpers.ts';
import { createWorld, type Person, type World } from './world.ts';

let world: World;
let trainer: Person;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  const member = await world.person('member', world.osim.id);
  // Something to find behind id 1, so that a lenient parse of "1.0" or "1e0" would show.
  const cycle = world.openCycle(trainer);
  world.enrol(cycle, member);
  const seance = world.schedule(trainer, cycle);
  signUp(world.ctx.db, seance, member.id);
});
afterAll(() => world.close());

const feature = /^\/(cycles|gatherings|experiences|calendar)\//;
const malformed = [
  'abc',
  '99999999999',
  '%00',
  '-1',
  '1.0',
  '1e0',
  '0x1',
  '%F0%9F%98%80',
  "1'",
  'x'.repeat(300),
];

describe('malformed ids', () => {
  it('answers the URLs named in the brief with 404', async () => {
    const { client } = { client: trainer.client };
    for (const url of [
      '/gatherings/abc',
      '/cycles/99999999999',
      '/gatherings/1/attendance/zz',
      '/experiences/abc',
    ]) {
      const res = await client.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(text(res.body)).toContain('Page introuvable');
    }
    const post = await client.post('/gatherings/1/attendance/zz', { status: 'present' });
    expect(post.statusCode).toBe(404);
    const feed = await new TestClient(world.ctx.app).get('/calendar/%00');
    expect(feed.statusCode).toBe(404);
    expect(feed.headers['content-type']).not.toContain('text/calendar');
  });

  it('never answers 500 on any route of the feature, for anyone', async () => {
    const routes = world.ctx.app.routeAccess.filter(
      (r) => feature.test(r.url) && r.url.includes(':') && (r.method === 'GET' || r.method === 'POST'),
    );
    expect(routes.length).toBeGreaterThan(20);
    const anonymous = new TestClient(world.ctx.app);
    for (const route of routes) {
      for (const bad of malformed) {
        const url = route.url.replace(/:\w+/g, bad);
        for (const client of [trainer.client, anonymous]) {
          const res =
            route.method === 'GET'
              ? await client.get(url)
              : await client.post(url, {
                  status: 'present',
                  reason: 'x',
                  report: 'x',
                  title: 'x',
                  what: 'x',
                });
          expect(res.statusCode, `${route.method} ${url}`).toBeLessThan(500);
          // A route whose rule does not name trainers (enrolling oneself) refuses them first: 403.
          const trainerMay = route.access !== undefined && reachOf(route.access, 'trainer') !== null;
          if (client === trainer.client)
            expect(trainerMay ? [400, 404, 414] : [403, 414], `${route.method} ${url}`).toContain(
              res.statusCode,
            );
        }
      }
    }
  });
});
