// What the invitation tests share: the demo network, signed-in clients, the link on a page, and a
// CSV file posted as the browser's multipart form posts it.
import { eq } from 'drizzle-orm';
import { organizations } from '../../src/db/schema.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { BASE_URL, createUser, TestClient, type TestContext } from '../helpers.ts';

export const LINK = /http:\/\/passerelle\.test\/invitation\/[a-z2-7]{32}/g;

export function org(ctx: TestContext, name: string) {
  return ctx.db.select().from(organizations).where(eq(organizations.name, name)).get()!;
}

/** A client signed in with a demo account. */
export async function as(ctx: TestContext, email: string) {
  const client = new TestClient(ctx.app);
  await client.login(email, DEMO_PASSWORD);
  return client;
}

/** A coordinator of COSIM Occitanie Méditerranée, signed in. */
export async function omCoordinator(ctx: TestContext) {
  const user = await createUser(ctx.db, {
    role: 'coordinator',
    organizationId: org(ctx, 'COSIM Occitanie Méditerranée').id,
  });
  const client = new TestClient(ctx.app);
  await client.login(user.email);
  return client;
}

/** Every invitation link on a page, in order. */
export function linksIn(html: string): string[] {
  return html.match(LINK) ?? [];
}

export function linkIn(html: string): string {
  const link = linksIn(html)[0];
  if (!link) throw new Error('no invitation link on the page');
  return link;
}

/** Posts a CSV file as the browser's multipart form does. */
export async function upload(client: TestClient, csv: string | Buffer, fileName = 'membres.csv') {
  const token = await client.csrfToken();
  const boundary = '----passerelle-test';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.request({
    method: 'POST',
    url: '/invitations/import',
    payload: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: BASE_URL },
  });
}
