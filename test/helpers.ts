// Test harness: the real app on a fresh in-memory SQLite database with migrations applied,
// factories with overrides, and a cookie-keeping client that signs in through the real /login.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { coursesRoot } from '../src/content/paths.ts';
import { loadAndSync } from '../src/content/sync.ts';
import { type Db, openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { memberships, type OrganizationKind, organizations, type Role, users } from '../src/db/schema.ts';
import { seedDemoData } from '../src/demo/seed-demo.ts';
import { appSecret } from '../src/lib/app-secret.ts';
import { searchable } from '../src/lib/text.ts';
import { createMailer, type Mailer } from '../src/mail/mailer.ts';
import { searchColumns } from '../src/people/users.ts';
import { type DeliveredMail, mailboxTransport } from './mailbox.ts';

export { type DeliveredMail, lastLinkTo } from './mailbox.ts';

export const BASE_URL = 'http://passerelle.test';
export const TEST_PASSWORD = 'mot-de-passe-de-test';

export interface TestContext {
  app: FastifyInstance;
  db: Db;
  mailer: Mailer;
  /** What the mailer delivered, in order (empty with `smtp: false` or a real SMTP_URL). */
  mailbox: DeliveredMail[];
  config: Config;
  close(): Promise<void>;
}

/**
 * The app on a fresh database. Mail is delivered into `mailbox` as if SMTP_URL were set (read links
 * with `lastLinkTo`); `smtp: false` is the app without SMTP, whose mail stays in the outbox.
 */
export async function createTestApp(
  options: {
    demo?: boolean;
    content?: boolean;
    env?: Record<string, string>;
    databasePath?: string;
    smtp?: boolean;
  } = {},
): Promise<TestContext> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DATABASE_PATH: options.databasePath ?? ':memory:',
    BASE_URL,
    DEMO_DATA: options.demo ? 'true' : 'false',
    ...options.env,
  });
  const db = openDatabase(config.databasePath);
  migrateDatabase(db);
  const mailbox: DeliveredMail[] = [];
  const mailer = createMailer(db, {
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    secret: appSecret(config.secretPath),
    transport: config.smtpUrl || options.smtp === false ? undefined : mailboxTransport(mailbox),
  });
  if (options.content ?? options.demo) {
    const synced = loadAndSync(db, coursesRoot);
    if (!synced.ok) throw new Error(`courses/ does not load: ${JSON.stringify(synced.problems)}`);
  }
  if (options.demo) await seedDemoData(db, mailer, config.baseUrl);
  const app = await buildApp({ config, db, mailer });
  return {
    app,
    db,
    mailer,
    mailbox,
    config,
    async close() {
      await app.close();
      await mailer.flush();
      mailer.close();
      db.$client.close();
    },
  };
}

let orgCounter = 0;
export function createOrganization(
  db: Db,
  overrides: Partial<typeof organizations.$inferInsert> & { kind?: OrganizationKind } = {},
) {
  orgCounter += 1;
  const name = overrides.name ?? `Organisation ${orgCounter}`;
  return db
    .insert(organizations)
    .values({ kind: 'osim', ...overrides, name, searchName: searchable(name) })
    .returning()
    .get();
}

let userCounter = 0;
const passwordHash = hashPassword(TEST_PASSWORD);
export async function createUser(
  db: Db,
  overrides: Partial<typeof users.$inferInsert> & { role?: Role; organizationId?: number } = {},
) {
  userCounter += 1;
  const { role, organizationId, ...fields } = overrides;
  const email = fields.email ?? `personne${userCounter}@exemple.test`;
  const displayName = fields.displayName ?? `Personne ${userCounter}`;
  const user = db
    .insert(users)
    .values({
      passwordHash: await passwordHash,
      ...fields,
      email,
      displayName,
      ...searchColumns(displayName, email),
    })
    .returning()
    .get();
  if (role) {
    const orgId = organizationId ?? createOrganization(db, { kind: role === 'admin' ? 'forim' : 'cosim' }).id;
    db.insert(memberships).values({ userId: user.id, organizationId: orgId, role }).run();
  }
  return user;
}

/** A browser stand-in: keeps cookies, sends the app's Origin, fills the CSRF token in forms. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  private csrf: string | null = null;

  constructor(
    readonly app: FastifyInstance,
    readonly ip = '198.51.100.7',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: LightMyRequestResponse) {
    for (const c of response.cookies as Array<{
      name: string;
      value: string;
      maxAge?: number;
      expires?: Date;
    }>) {
      const gone = c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now()) || c.value === '';
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      remoteAddress: this.ip,
      ...options,
      headers: { cookie: this.cookieHeader(), ...(options.headers ?? {}) },
    } as InjectOptions);
    this.remember(response);
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (token) this.csrf = token[1]!;
    return response;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers });
  }

  /** The CSRF token of this client's cookie, fetched from a public form when not yet known. */
  async csrfToken(): Promise<string> {
    if (!this.csrf || !this.cookies.has('passerelle_csrf')) await this.get('/password/forgot');
    return this.csrf!;
  }

  async post(
    url: string,
    form: Record<string, string | string[]> = {},
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ) {
    const body = new URLSearchParams();
    if (options.csrf !== false) body.append('_csrf', await this.csrfToken());
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    return this.request({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE_URL, ...options.headers },
    });
  }

  async login(email: string, password = TEST_PASSWORD) {
    const response = await this.post('/login', { email, password });
    if (response.statusCode !== 303) throw new Error(`login failed for ${email}: ${response.statusCode}`);
    return response;
  }
}

/** A new person with `role` on a fresh organization (or the one given), signed in through /login. */
export async function loginAs(ctx: TestContext, role: Role, organizationId?: number) {
  const user = await createUser(ctx.db, { role, organizationId });
  const client = new TestClient(ctx.app);
  await client.login(user.email);
  return { client, user };
}

/** The visible text of an HTML page, tags stripped, entities of the catalogue decoded. */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
