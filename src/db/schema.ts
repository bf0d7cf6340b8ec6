// Every table of Passerelle. Timestamps are unix milliseconds (drizzle `timestamp_ms`), always UTC.
import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  blob,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

export const organizationKinds = ['forim', 'cosim', 'fosim', 'osim'] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

export const roles = ['member', 'trainer', 'coordinator', 'admin'] as const;
export type Role = (typeof roles)[number];

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date());

/**
 * The FORIM network: FORIM → COSIM (regional collective) / FOSIM (federation) → OSIM.
 * An OSIM has `parent_id` = its COSIM and may also have `federation_id` = its FOSIM.
 */
export const organizations = sqliteTable(
  'organizations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: organizationKinds }).notNull(),
    name: text('name').notNull(),
    region: text('region'),
    town: text('town'),
    parentId: integer('parent_id').references((): AnySQLiteColumn => organizations.id),
    federationId: integer('federation_id').references((): AnySQLiteColumn => organizations.id),
    actsInQpv: integer('acts_in_qpv', { mode: 'boolean' }).notNull().default(false),
    qpvNote: text('qpv_note'),
    /** Lower-case, accent-free name, for searches (people by OSIM, CSV import). */
    searchName: text('search_name').notNull().default(''),
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('organizations_parent_idx').on(t.parentId),
    index('organizations_federation_idx').on(t.federationId),
    index('organizations_kind_idx').on(t.kind),
  ],
);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Stored trimmed and lower-cased; unique case-insensitively. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** argon2id PHC string; null until the person sets a password. */
    passwordHash: text('password_hash'),
    locale: text('locale', { enum: ['fr', 'en'] })
      .notNull()
      .default('fr'),
    disabledAt: integer('disabled_at', { mode: 'timestamp_ms' }),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
    /** Lower-case, accent-free name: the directory's sort order. Written by people/users.ts only. */
    sortKey: text('sort_key').notNull().default(''),
    /** Lower-case, accent-free "name email": what the directory search matches. */
    searchText: text('search_text').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(sql`lower(${t.email})`),
    index('users_sort_idx').on(t.sortKey, t.id),
  ],
);

/** A change of email waiting for the person to open the link sent to the new address. */
export const emailChanges = sqliteTable(
  'email_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    newEmail: text('new_email').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('email_changes_token_unique').on(t.tokenHash),
    index('email_changes_user_idx').on(t.userId),
  ],
);

export const memberships = sqliteTable(
  'memberships',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    role: text('role', { enum: roles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_unique').on(t.userId, t.organizationId, t.role),
    index('memberships_organization_idx').on(t.organizationId, t.role),
  ],
);

/** Sign-in sessions, the Lucia way: the cookie holds `id.secret`, the table only a SHA-256 of the secret. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastVerifiedAt: integer('last_verified_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Single-use, expiring links sent by email; only a SHA-256 of the token is stored. */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('password_resets_token_unique').on(t.tokenHash),
    index('password_resets_user_idx').on(t.userId),
  ],
);

/** An invitation to join an organization with a role; accepting it creates the account. */
export const invitations = sqliteTable(
  'invitations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: integer('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }),
    acceptedUserId: integer('accepted_user_id').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    /** Each resend gives a new link (the old one stops working) and a new expiry. */
    lastSentAt: integer('last_sent_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invitations_token_unique').on(t.tokenHash),
    index('invitations_organization_idx').on(t.organizationId),
    index('invitations_email_idx').on(t.email),
  ],
);

/**
 * A CSV list of people to invite, parsed and checked, waiting for the coordinator to confirm the
 * preview. Confirming checks every row again and writes all the invitations or none.
 */
export const invitationImports = sqliteTable('invitation_imports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  createdBy: integer('created_by')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  fileName: text('file_name').notNull(),
  /** The rows as read from the file: `{ line, name, email, osim, role }`. */
  rows: text('rows', { mode: 'json' })
    .$type<Array<{ line: number; name: string; email: string; osim: string; role: string }>>()
    .notNull(),
  confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
  createdAt: createdAt(),
});

/** Every email the app sends; without SMTP_URL it stays here for the national team to read. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [index('outbox_pending_idx').on(t.sentAt, t.id)],
);

/** Who did what to whom, when. Append-only. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    subjectUserId: integer('subject_user_id').references(() => users.id, { onDelete: 'set null' }),
    organizationId: integer('organization_id').references(() => organizations.id),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt), index('audit_log_subject_idx').on(t.subjectUserId)],
);

/**
 * One row whose `version` goes up, by triggers, on every change to who may do what: accounts,
 * roles, organization names, ended sessions. The signed-in person's identity is cached in memory
 * and trusted only while this number has not moved (src/auth/session-resolver.ts).
 */
export const authVersion = sqliteTable('auth_version', {
  id: integer('id').primaryKey(),
  version: integer('version').notNull(),
});

export type Organization = typeof organizations.$inferSelect;
export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;

// ---- The training path (synced from courses/ by src/content/sync.ts) ----------------------

/** The skills framework (courses/skills.yaml). Codes never change. */
export const skills = sqliteTable('skills', {
  code: text('code').primaryKey(),
  domain: text('domain').notNull(),
  domainTitle: text('domain_title').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  position: integer('position').notNull(),
  archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
});

/** A training path (courses/path.yaml): courses in order. */
export const paths = sqliteTable('paths', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  summary: text('summary').notNull(),
  courseIds: text('course_ids', { mode: 'json' }).$type<string[]>().notNull(),
});

export interface CourseResource {
  file: string;
  title: string;
  description: string;
}

export const courses = sqliteTable('courses', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  summary: text('summary').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  skills: text('skills', { mode: 'json' }).$type<string[]>().notNull(),
  resources: text('resources', { mode: 'json' }).$type<CourseResource[]>().notNull(),
  /** The folder under courses/ where its files are. */
  folder: text('folder').notNull(),
  archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** A lesson; `id` comes from its front matter and never changes, so progress survives edits. */
export const lessons = sqliteTable(
  'lessons',
  {
    id: text('id').primaryKey(),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    skills: text('skills', { mode: 'json' }).$type<string[]>().notNull(),
    /** Rendered once at sync (markdown-it), served as is. */
    html: text('html').notNull(),
    sourceFile: text('source_file').notNull(),
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('lessons_course_idx').on(t.courseId, t.position)],
);

export interface QuizQuestion {
  id: string;
  type: 'single' | 'multiple';
  prompt: string;
  answers: Array<{ id: string; text: string; correct: boolean; feedback: string }>;
}

export const quizzes = sqliteTable(
  'quizzes',
  {
    id: text('id').primaryKey(),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    title: text('title').notNull(),
    /** Percentage of right questions needed to pass. */
    passMark: integer('pass_mark').notNull(),
    questions: text('questions', { mode: 'json' }).$type<QuizQuestion[]>().notNull(),
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('quizzes_course_idx').on(t.courseId)],
);

/** One row per person and lesson: when they first and last opened it, and when they finished it. */
export const lessonProgress = sqliteTable(
  'lesson_progress',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lessonId: text('lesson_id')
      .notNull()
      .references(() => lessons.id),
    firstOpenedAt: integer('first_opened_at', { mode: 'timestamp_ms' }).notNull(),
    lastOpenedAt: integer('last_opened_at', { mode: 'timestamp_ms' }).notNull(),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.lessonId] }),
    index('lesson_progress_lesson_idx').on(t.lessonId),
  ],
);

/** Every quiz attempt is kept; the best one counts. */
export const quizAttempts = sqliteTable(
  'quiz_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    quizId: text('quiz_id')
      .notNull()
      .references(() => quizzes.id),
    /** Question id → the answer ids ticked. */
    answers: text('answers', { mode: 'json' }).$type<Record<string, string[]>>().notNull(),
    /** Percentage of questions answered right. */
    score: integer('score').notNull(),
    passed: integer('passed', { mode: 'boolean' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('quiz_attempts_user_idx').on(t.userId, t.quizId),
    index('quiz_attempts_quiz_idx').on(t.quizId),
  ],
);

/** The content last synced from courses/: its hash, and when; problems of a refused sync. */
export const contentState = sqliteTable('content_state', {
  id: integer('id').primaryKey(),
  hash: text('hash').notNull(),
  syncedAt: integer('synced_at', { mode: 'timestamp_ms' }).notNull(),
  lastProblems: text('last_problems', { mode: 'json' }).$type<
    Array<{ file: string; line: number; message: string }>
  >(),
  lastCheckedAt: integer('last_checked_at', { mode: 'timestamp_ms' }),
});
