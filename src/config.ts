// The only reader of process.env: one schema, typed, with defaults that make `npm start` work on a
// fresh clone, and a clear message at boot when something is wrong.
import { isIP } from 'node:net';
import { z } from 'zod';
import { defaultSecretPath, defaultSigningKeyPath } from './lib/app-secret.ts';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'attendu : true/false, 1/0, on/off ou yes/no',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** What TRUST_PROXY may be: Fastify's `trustProxy` as a hop count or the proxies' addresses. */
export type TrustProxy = false | number | string[];

const TRUST_PROXY_FORMS =
  'attendu : le nombre de proxys devant Passerelle (par exemple 1), ou leurs adresses séparées par des virgules (par exemple 127.0.0.1 ou 10.0.0.0/8, ou loopback), ou off';

/** An address or a CIDR block (`10.0.0.0/8`, `::1/128`), or one of proxy-addr's names. */
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

// NOTE: `on`/`true` used to mean "trust every proxy", which makes Fastify take the left-most
// X-Forwarded-For entry — written by the client, so every rate limit trusted the client. It is
// refused rather than mapped to 1 hop: behind two proxies (a CDN and nginx) one hop would silently
// count everyone as the CDN's address; the person deploying must say what stands in front.
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    const v = value.toLowerCase();
    if (['', 'off', 'false', 'no', '0'].includes(v)) return false;
    if (['on', 'true', 'yes'].includes(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `« ${value} » ne dit pas combien de proxys croire (il croyait l’adresse écrite par le client) ; ${TRUST_PROXY_FORMS}`,
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      if (hops <= 10) return hops === 0 ? false : hops;
    } else {
      const entries = v.split(',').map((entry) => entry.trim());
      if (entries.every(isProxyAddress)) return entries;
    }
    ctx.addIssue({ code: 'custom', message: TRUST_PROXY_FORMS });
    return z.NEVER;
  });

const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'attendu : development, production ou test' })
    .optional(),
  PORT: z.coerce
    .number({ error: 'attendu : un numéro de port entre 0 et 65535' })
    .int({ error: 'attendu : un numéro de port entre 0 et 65535' })
    .min(0, { error: 'attendu : un numéro de port entre 0 et 65535' })
    .max(65535, { error: 'attendu : un numéro de port entre 0 et 65535' })
    .default(3000),
  HOST: z.string().min(1, { error: 'ne peut pas être vide' }).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1, { error: 'ne peut pas être vide' }).default('data/passerelle.db'),
  SECRET_PATH: z.string().min(1, { error: 'ne peut pas être vide' }).optional(),
  SIGNING_KEY_PATH: z.string().min(1, { error: 'ne peut pas être vide' }).optional(),
  BASE_URL: z
    .url({
      protocol: /^https?$/,
      error: 'attendu : une adresse complète, par exemple https://passerelle.forim.net',
    })
    .optional(),
  DEMO_DATA: booleanFlag.optional(),
  SMTP_URL: z
    .string()
    .default('')
    .refine((v) => v === '' || /^smtps?:\/\//.test(v), 'doit commencer par smtp:// ou smtps://'),
  MAIL_FROM: z
    .string()
    .min(3, { error: 'attendu : une adresse d’expéditeur' })
    .default('Passerelle FORIM <passerelle@forim.test>'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'attendu : fatal, error, warn, info, debug, trace ou silent',
    })
    .default('info'),
  TRUST_PROXY: trustProxy.default(false),
  REMINDER_HOURS: z.coerce
    .number({ error: 'attendu : un nombre d’heures entre 1 et 23' })
    .int({ error: 'attendu : un nombre d’heures entre 1 et 23' })
    .min(1, { error: 'attendu : un nombre d’heures entre 1 et 23' })
    .max(23, { error: 'attendu : un nombre d’heures entre 1 et 23' })
    .default(2),
  DEV_RELOAD: booleanFlag.default(false),
});

export interface Config {
  port: number;
  host: string;
  /** A file path, or `:memory:` (tests). */
  databasePath: string;
  /**
   * The app secret's file (invitation links are derived from it), kept out of the database and its
   * backups: SECRET_PATH, or `passerelle.secret` next to the database; null for `:memory:` (a random
   * secret for the life of the process).
   */
  secretPath: string | null;
  /**
   * The Open Badges private signing key's file (PEM, mode 0600), kept out of the database and its
   * backups: SIGNING_KEY_PATH, or `passerelle-signing-key.pem` next to the database; null for
   * `:memory:` (a key for the life of the process).
   */
  signingKeyPath: string | null;
  /** Public origin of the app, without a trailing slash: links in emails, QR codes, Origin check. */
  baseUrl: string;
  /** Seed demo data on a new database. Never on in production. */
  demoData: boolean;
  /** Empty: emails stay in the outbox table, readable by the national team. */
  smtpUrl: string;
  mailFrom: string;
  /** `Secure` on cookies: on when BASE_URL is https. */
  secureCookies: boolean;
  logLevel: string;
  /**
   * Which proxies to believe about the client's address (rate limits): false (none, the socket's
   * address), a number of hops, or the proxies' addresses and CIDR blocks.
   */
  trustProxy: TrustProxy;
  /** Séance reminders go the day before and this many hours before. */
  reminderHours: number;
  /** Re-read templates on every request (npm run dev). */
  devReload: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && e.DEMO_DATA === true) {
    throw new ConfigError('Configuration invalide :\n  - DEMO_DATA: interdit quand NODE_ENV=production');
  }
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    secretPath: e.SECRET_PATH ?? defaultSecretPath(e.DATABASE_PATH),
    signingKeyPath: e.SIGNING_KEY_PATH ?? defaultSigningKeyPath(e.DATABASE_PATH),
    baseUrl,
    demoData: e.DEMO_DATA ?? !production,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    secureCookies: baseUrl.startsWith('https:'),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    reminderHours: e.REMINDER_HOURS,
    devReload: e.DEV_RELOAD,
  };
}

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const benchSchema = z.object({
  BENCH_SECONDS: count(5),
  BENCH_PEOPLE: count(30_000),
  BENCH_ROUNDS: count(3),
  BENCH_MIXED_SECONDS: count(60),
  BENCH_NODE_FLAGS: z.string().optional(),
  BENCH_ONLY: z.enum(['national', 'mixed']).optional(),
  BENCH_NATIONAL_DB: z.string().optional(),
});

/** `npm run bench`'s own settings (README, "Scripts"); not the app's. */
export function loadBenchConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = benchSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Configuration du bench invalide :\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The environment for a process we start (the server in the bench and in tests): ours, plus `extra`. */
export function childEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...extra };
}
