// Starts Passerelle: configuration, database and migrations, demo data on a new database, then
// listens; closes cleanly on SIGINT/SIGTERM.
import { buildApp } from './app.ts';
import { currentSigningKey, SigningKeyError } from './certificates/signing-key.ts';
import { ConfigError, loadConfig } from './config.ts';
import { coursesRoot } from './content/paths.ts';
import { loadAndSync } from './content/sync.ts';
import { rebuildLearnerStats } from './dashboards/learner-stats.ts';
import { openDatabase } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { DEMO_PASSWORD, demoAccounts, seedDemoData } from './demo/seed-demo.ts';
import { startJobs } from './jobs.ts';
import { appSecret } from './lib/app-secret.ts';
import { createMailer } from './mail/mailer.ts';

async function main() {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  migrateDatabase(db);
  // The app secret (invitation links, links kept in the outbox) is read, or created on the first
  // start, before anything uses it.
  const secret = appSecret(config.secretPath);
  const mailer = createMailer(db, { smtpUrl: config.smtpUrl, from: config.mailFrom, secret });
  // The training path from courses/; broken content is reported and the last good one kept.
  const content = loadAndSync(db, coursesRoot);
  for (const p of content.problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  // New content changes every learner's percentages: the dashboards' figures are recomputed.
  if (content.changed) rebuildLearnerStats(db);
  if (!content.ok)
    console.error('Contenus de courses/ refusés : les derniers contenus valides restent en service.');
  // The Open Badges signing key, in its own file (never in the database): read, or made on the first
  // start, before anything signs; a damaged file stops the start with a message naming it.
  await currentSigningKey(db, config.signingKeyPath);
  if (config.demoData) await seedDemoData(db, mailer, config.baseUrl, secret);
  const app = await buildApp({ config, db, mailer });
  // Background jobs, each reporting its failures to the app's logger.
  const stopJobs = startJobs({ db, mailer, config }, app.log);

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: arrêt en cours`);
    stopJobs();
    await app.close();
    // Last deliveries (a flush never rejects: failures go to the logger).
    await mailer.flush();
    mailer.close();
    db.$client.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const lines = [
    `Passerelle écoute sur http://${config.host}:${port} — adresse publique : ${config.baseUrl} (base : ${config.databasePath})`,
  ];
  if (config.demoData) {
    lines.push('', `Comptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :`);
    for (const a of demoAccounts)
      lines.push(`  ${a.email.padEnd(36)} ${a.role.padEnd(12)} ${a.organization}`);
  }
  if (!config.smtpUrl)
    lines.push(
      '',
      "Pas de SMTP_URL : les e-mails restent dans la boîte d'envoi (/admin/outbox) ; les liens de nouveau mot de passe et de changement d'adresse n'y sont montrés à personne.",
    );
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof SigningKeyError ? error.message : error);
  process.exit(1);
});
