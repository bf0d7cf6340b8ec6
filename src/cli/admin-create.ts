// `npm run admin:create -- --email <email> --name "<name>"`: the first real admin of a production
// database (demo data is never seeded there). Creates FORIM if missing, creates the account (or
// takes the existing one), makes it admin on FORIM, and prints a single-use link to choose the
// password — no password ever goes through the shell or its history.
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { RESET_TTL_MINUTES, requestPasswordReset } from '../auth/password-reset.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { organizations } from '../db/schema.ts';
import { appSecret } from '../lib/app-secret.ts';
import { fields } from '../lib/forms.ts';
import { createMailer } from '../mail/mailer.ts';
import { addMembership, createUser, findUserByEmail } from '../people/users.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const email = fields.email().safeParse(values.email ?? '');
if (!email.success)
  fail('Usage : npm run admin:create -- --email <adresse> --name "<nom>" (adresse e-mail valide requise)');
const name = fields.name().safeParse(values.name ?? '');
if (!name.success) fail('Usage : npm run admin:create -- --email <adresse> --name "<nom>" (nom requis)');

const config = loadConfig();
const db = openDatabase(config.databasePath);
migrateDatabase(db);

const forim = db.transaction((tx) => {
  const existing = tx.select().from(organizations).where(eq(organizations.kind, 'forim')).get();
  return (
    existing ??
    tx
      .insert(organizations)
      .values({ kind: 'forim', name: 'FORIM', searchName: 'forim', region: 'National' })
      .returning()
      .get()
  );
});
const forimId = forim.id;

const user = findUserByEmail(db, email.data);
if (user?.disabledAt) fail(`Le compte ${email.data} est désactivé : réactivez-le d’abord.`);
const userId = user?.id ?? createUser(db, { email: email.data, displayName: name.data, passwordHash: null });
addMembership(db, userId, forimId, 'admin');
recordAudit(db, {
  actorUserId: null,
  action: 'admin.create',
  subjectUserId: userId,
  organizationId: forimId,
});

const mailer = createMailer(db, {
  smtpUrl: config.smtpUrl,
  from: config.mailFrom,
  secret: appSecret(config.secretPath),
});
const { token } = requestPasswordReset(db, mailer, email.data, config.baseUrl);
await mailer.flush();
mailer.close();
console.log(
  `${user ? 'Compte existant' : 'Compte créé'} : ${email.data}, admin de ${forim.name}.\n` +
    `Pour choisir le mot de passe (lien valable ${RESET_TTL_MINUTES} minutes, une seule fois) :\n` +
    `${config.baseUrl}/password/reset/${token}`,
);
db.$client.close();
