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
    /** Who disabled the account, and with what authority: only as much authority re-enables it. */
    disabledBy: integer('disabled_by').references((): AnySQLiteColumn => users.id),
    disabledAuthority: text('disabled_authority', { enum: ['national', 'collective'] }),
    /** When the account was erased (src/privacy/erase.ts): what marks it, never its address. */
    erasedAt: integer('erased_at', { mode: 'timestamp_ms' }),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
    /** IANA time zone the person reads times in (séances are also shown in their own zone). */
    timeZone: text('time_zone').notNull().default('Europe/Paris'),
    /** Lower-case, accent-free name: the directory's sort order. Written by people/users.ts only. */
    sortKey: text('sort_key').notNull().default(''),
    /** Lower-case, accent-free "name email": what the directory search matches. */
    searchText: text('search_text').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(sql`lower(${t.email})`),
    index('users_sort_idx').on(t.sortKey, t.id),
    // Accounts never signed in to (few): the coordinator's home lists them.
    index('users_never_signed_in_idx')
      .on(t.sortKey, t.id)
      .where(sql`last_seen_at IS NULL AND disabled_at IS NULL`),
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
    /** Once confirmed: the address it replaced, and the undo link sent there (SHA-256 only). */
    previousEmail: text('previous_email'),
    undoTokenHash: text('undo_token_hash'),
    undoExpiresAt: integer('undo_expires_at', { mode: 'timestamp_ms' }),
    /** When the undo link was used, or made void by another undo of the account. */
    undoneAt: integer('undone_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('email_changes_token_unique').on(t.tokenHash),
    uniqueIndex('email_changes_undo_token_unique').on(t.undoTokenHash),
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
    /**
     * Random, per link: the link's token is an HMAC of the invitation's id and this nonce under the
     * app secret kept outside the database (src/auth/invitations.ts), so the link can be shown again
     * while the database holds no usable token. Null: the link cannot be shown (made before nonces,
     * or the invitation was accepted or revoked) — "Renvoyer" makes a new one.
     */
    linkNonce: text('link_nonce'),
    /** The CSV import that created it, if any (its result page lists these). */
    importId: integer('import_id').references(() => invitationImports.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invitations_token_unique').on(t.tokenHash),
    index('invitations_organization_idx').on(t.organizationId),
    index('invitations_email_idx').on(t.email),
    // The invitations still open (pending or expired without answer), which homes count.
    index('invitations_open_idx')
      .on(t.organizationId, t.expiresAt)
      .where(sql`accepted_at IS NULL AND revoked_at IS NULL`),
    index('invitations_import_idx').on(t.importId),
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
    /** The text as written, with LINK_PLACEHOLDER where its link goes: never a live token. */
    textBody: text('text_body').notNull(),
    /** What the mail's link opens (src/mail/links.ts says who may see it). */
    linkKind: text('link_kind', { enum: ['invitation', 'password-reset', 'email-change'] }),
    /** The link, encrypted under the app secret, until the mail is sent or the link expires. */
    sealedLink: text('sealed_link'),
    linkExpiresAt: integer('link_expires_at', { mode: 'timestamp_ms' }),
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
    /** The lesson's « À faire maintenant » task, rendered; null when it has none. */
    taskHtml: text('task_html'),
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
    /** When the person ticked the lesson's « À faire maintenant » task; null while not done. */
    taskDoneAt: integer('task_done_at', { mode: 'timestamp_ms' }),
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
    /** Question id → the answer ids in the order the person saw them (shuffled per attempt). */
    answerOrder: text('answer_order', { mode: 'json' }).$type<Record<string, string[]>>(),
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

// ——— Cycles, séances (gatherings), sign-ups, roll call, fiches d'expérience ———

/** What a member must do to get the cycle's certificate (see the certificates issue). */
export interface CertificateRules {
  /** Courses whose lessons must all be finished and whose quiz passed. */
  courseIds: string[];
  /** Pass mark (%) for those quizzes; null: each quiz's own. */
  passMark: number | null;
  /** At least this many séances attended… */
  minGatherings: number;
  /** …and these ones in particular. */
  gatheringIds: number[];
  /** A project of the learner's, shared with the cycle and marked « prêt à déposer » (absent: no). */
  projectReady?: boolean;
}

export const cycleEnrolments = ['open', 'invitation'] as const;
export type CycleEnrolment = (typeof cycleEnrolments)[number];

/** One run of the path for a group of members, for a COSIM/FOSIM (or national: no collective). */
export const cycles = sqliteTable(
  'cycles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** The COSIM or FOSIM; null for a national cycle. */
    collectiveId: integer('collective_id').references(() => organizations.id),
    pathId: text('path_id').notNull(),
    /** Calendar dates, `YYYY-MM-DD`. */
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    /** open: members of the collective enrol themselves; invitation: the coordinator enrols them. */
    enrolment: text('enrolment', { enum: cycleEnrolments }).notNull().default('open'),
    certificateRules: text('certificate_rules', { mode: 'json' }).$type<CertificateRules>().notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('cycles_collective_idx').on(t.collectiveId)],
);

/** A member enrolled in a cycle (withdrawn ones keep their row, with the date). */
export const cycleMembers = sqliteTable(
  'cycle_members',
  {
    cycleId: integer('cycle_id')
      .notNull()
      .references(() => cycles.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    enrolledAt: integer('enrolled_at', { mode: 'timestamp_ms' }).notNull(),
    enrolledBy: integer('enrolled_by').references(() => users.id),
    withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.cycleId, t.userId] }), index('cycle_members_user_idx').on(t.userId)],
);

export const gatheringModes = ['in_person', 'online', 'hybrid'] as const;
export type GatheringMode = (typeof gatheringModes)[number];

/** A séance of a cycle. Times are UTC; `time_zone` is the zone it is held in. */
export const gatherings = sqliteTable(
  'gatherings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Stable across edits: the calendar UID. */
    uid: text('uid').notNull(),
    cycleId: integer('cycle_id')
      .notNull()
      .references(() => cycles.id),
    title: text('title').notNull(),
    /** The course it deepens, or null (then `theme` says what it is about). */
    courseId: text('course_id'),
    theme: text('theme').notNull().default(''),
    facilitatorId: integer('facilitator_id')
      .notNull()
      .references(() => users.id),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
    timeZone: text('time_zone').notNull().default('Europe/Paris'),
    mode: text('mode', { enum: gatheringModes }).notNull(),
    placeName: text('place_name').notNull().default(''),
    address: text('address').notNull().default(''),
    town: text('town').notNull().default(''),
    placeInQpv: integer('place_in_qpv', { mode: 'boolean' }).notNull().default(false),
    videoUrl: text('video_url').notNull().default(''),
    capacity: integer('capacity').notNull(),
    agenda: text('agenda').notNull().default(''),
    /** Bumped on every change people should see in their calendar (RFC 5545 SEQUENCE). */
    sequence: integer('sequence').notNull().default(0),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    cancelReason: text('cancel_reason'),
    /** The trainer's compte-rendu, plain text. */
    report: text('summary'),
    reportAt: integer('summary_at', { mode: 'timestamp_ms' }),
    attendanceClosedAt: integer('attendance_closed_at', { mode: 'timestamp_ms' }),
    attendanceClosedBy: integer('attendance_closed_by').references(() => users.id),
    /** When a closed sheet was last reopened to correct it (who: in the audit log). */
    attendanceReopenedAt: integer('attendance_reopened_at', { mode: 'timestamp_ms' }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('gatherings_uid_unique').on(t.uid),
    index('gatherings_cycle_idx').on(t.cycleId, t.startsAt),
    index('gatherings_facilitator_idx').on(t.facilitatorId, t.startsAt),
    index('gatherings_starts_idx').on(t.startsAt),
  ],
);

export const signupStatuses = ['confirmed', 'waiting', 'cancelled'] as const;
export type SignupStatus = (typeof signupStatuses)[number];

/** A sign-up to a séance; its id is the arrival order (the waiting list's order). */
export const gatheringSignups = sqliteTable(
  'gathering_signups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    gatheringId: integer('gathering_id')
      .notNull()
      .references(() => gatherings.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: signupStatuses }).notNull(),
    createdAt: createdAt(),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    // One live sign-up per person and séance.
    uniqueIndex('gathering_signups_live_unique')
      .on(t.gatheringId, t.userId)
      .where(sql`status <> 'cancelled'`),
    index('gathering_signups_gathering_idx').on(t.gatheringId, t.status, t.id),
    index('gathering_signups_user_idx').on(t.userId),
  ],
);

export const attendanceStatuses = ['present', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

/** The roll call: one row per person marked (a walk-in may be a guest without an account). */
export const attendance = sqliteTable(
  'attendance',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    gatheringId: integer('gathering_id')
      .notNull()
      .references(() => gatherings.id),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    guestName: text('guest_name'),
    guestOrganization: text('guest_organization'),
    status: text('status', { enum: attendanceStatuses }).notNull(),
    /** Came without signing up. */
    walkIn: integer('walk_in', { mode: 'boolean' }).notNull().default(false),
    markedAt: integer('marked_at', { mode: 'timestamp_ms' }).notNull(),
    markedBy: integer('marked_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('attendance_person_unique').on(t.gatheringId, t.userId).where(sql`user_id IS NOT NULL`),
    index('attendance_user_idx').on(t.userId),
  ],
);

/** Reminder emails sent, so that each goes once even across restarts. */
export const gatheringReminders = sqliteTable(
  'gathering_reminders',
  {
    gatheringId: integer('gathering_id')
      .notNull()
      .references(() => gatherings.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** 'day_before' or 'hours_before'. */
    kind: text('kind').notNull(),
    /** The séance's start the reminder was for (a moved séance is reminded again). */
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.gatheringId, t.userId, t.kind, t.startsAt] })],
);

/** A person's private calendar feed: only a hash of the URL's token is kept. */
export const calendarFeeds = sqliteTable(
  'calendar_feeds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('calendar_feeds_token_unique').on(t.tokenHash),
    index('calendar_feeds_user_idx').on(t.userId),
  ],
);

/** A fiche d'expérience: a member's account of an action they led. Plain text only. */
export const experiences = sqliteTable(
  'experiences',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cycleId: integer('cycle_id')
      .notNull()
      .references(() => cycles.id),
    gatheringId: integer('gathering_id').references(() => gatherings.id),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    what: text('what').notNull(),
    town: text('town').notNull().default(''),
    inQpv: integer('in_qpv', { mode: 'boolean' }).notNull().default(false),
    qpvName: text('qpv_name').notNull().default(''),
    audience: text('audience').notNull().default(''),
    partners: text('partners').notNull().default(''),
    cofunding: text('cofunding').notNull().default(''),
    results: text('results').notNull().default(''),
    difficulties: text('difficulties').notNull().default(''),
    advice: text('advice').notNull().default(''),
    /** The author lets the whole network read it. */
    sharedWithNetwork: integer('shared_with_network', { mode: 'boolean' }).notNull().default(false),
    // The note's annex structure (issue 19); null or empty on fiches written before it.
    /** One of EXPERIENCE_DOMAINS (showcase/fiche-facts.ts). */
    domain: text('domain'),
    objectives: text('objectives').notNull().default(''),
    /** Who benefited: codes of EXPERIENCE_PUBLICS. */
    publics: text('publics', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Region code of the map (showcase/france-map.ts). */
    region: text('region'),
    /** `YYYY-MM`: when it started, and ended (null: one day, or still going). */
    periodStart: text('period_start'),
    periodEnd: text('period_end'),
    /** Kinds of co-funders (projects/budget.ts FUNDER_KINDS); their names stay in `cofunding`. */
    cofunders: text('cofunders', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    volunteers: integer('volunteers'),
    participants: integer('participants'),
    /** private → requested (the author asks) → published (the national team or the coordinator); withdrawn: private again. */
    publication: text('publication', { enum: ['private', 'requested', 'published'] })
      .notNull()
      .default('private'),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('experiences_cycle_idx').on(t.cycleId),
    index('experiences_author_idx').on(t.authorId),
    index('experiences_publication_idx').on(t.publication, t.publishedAt),
  ],
);

/** Who asked for a fiche to be public, who published it, who withdrew it, and when. */
export const experiencePublications = sqliteTable(
  'experience_publications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    experienceId: integer('experience_id')
      .notNull()
      .references(() => experiences.id, { onDelete: 'cascade' }),
    action: text('action', { enum: ['requested', 'published', 'withdrawn', 'declined', 'edited'] }).notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('experience_publications_experience_idx').on(t.experienceId)],
);

export type Cycle = typeof cycles.$inferSelect;
export type Gathering = typeof gatherings.$inferSelect;

// ——— Certificates (attestations) ———

/** Why a certificate was revoked: the short list the revocation form offers (labels in the catalogue). */
export const REVOCATION_CAUSES = ['issued_in_error', 'holder_request', 'fraud', 'other'] as const;
export type RevocationCause = (typeof REVOCATION_CAUSES)[number];

/** What the certificate attests, frozen when it is issued. */
export interface CertificateSnapshot {
  name: string;
  cycleName: string;
  collectiveName: string | null;
  courses: Array<{ id: string; title: string }>;
  skills: Array<{ code: string; title: string }>;
  /** Estimated hours of training: courses' durations and séances attended. */
  hours: number;
  gatherings: Array<{ title: string; date: string }>;
  issuedOn: string;
  issuer: string;
  /** Why it was issued by hand, if it was. */
  reason: string | null;
}

export const certificates = sqliteTable(
  'certificates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The short human-typable code on the PDF, e.g. `K7QM-3XPA-9T2D-WE4H`. */
    code: text('code').notNull(),
    cycleId: integer('cycle_id')
      .notNull()
      .references(() => cycles.id),
    /** Null once the person's account is erased (the certificate stays, revoked). */
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    snapshot: text('snapshot', { mode: 'json' }).$type<CertificateSnapshot>().notNull(),
    /** 'automatic' when the rules were met, 'manual' when a trainer or admin issued it. */
    issuedHow: text('issued_how', { enum: ['automatic', 'manual'] }).notNull(),
    issuedBy: integer('issued_by').references(() => users.id, { onDelete: 'set null' }),
    issuedAt: integer('issued_at', { mode: 'timestamp_ms' }).notNull(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokedBy: integer('revoked_by').references(() => users.id, { onDelete: 'set null' }),
    /** Why, from a short list (REVOCATION_CAUSES): what the verification page and the status document say. */
    revokedCause: text('revoked_cause', { enum: REVOCATION_CAUSES }),
    /** The national team's own words on a revocation: internal, never published. */
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    uniqueIndex('certificates_code_unique').on(t.code),
    // One live certificate per person and cycle.
    uniqueIndex('certificates_live_unique').on(t.cycleId, t.userId).where(sql`revoked_at IS NULL`),
    index('certificates_user_idx').on(t.userId),
  ],
);

/**
 * Every public key that has signed Open Badges credentials (published at /ob/jwks.json). The private
 * key is never in the database: it lives in its own file (SIGNING_KEY_PATH, src/certificates/signing-key.ts).
 */
export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  algorithm: text('algorithm').notNull(),
  publicJwk: text('public_jwk', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
  /** Replaced by `npm run keys:rotate`: signs no more, still published so its credentials verify. */
  retiredAt: integer('retired_at', { mode: 'timestamp_ms' }),
  /** Taken out of the published keys (`keys:rotate --withdraw-old`): its credentials no longer verify. */
  withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' }),
});

export type Certificate = typeof certificates.$inferSelect;

// ——— Dashboards: per-learner figures kept up to date on write ———

/** One row per learner: where they stand on the path, refreshed whenever their progress changes. */
export const learnerStats = sqliteTable('learner_stats', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  lessonsDone: integer('lessons_done').notNull(),
  quizzesAttempted: integer('quizzes_attempted').notNull(),
  quizzesPassed: integer('quizzes_passed').notNull(),
  /** Lessons finished and quizzes passed over all steps of the path, 0–100. */
  percent: integer('percent').notNull(),
  gatheringsAttended: integer('gatherings_attended').notNull(),
  lastActivityAt: integer('last_activity_at', { mode: 'timestamp_ms' }),
  /** When the whole path was finished (the last step done), null until then. */
  completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Skills each learner has acquired (the heat map counts these rows). */
export const learnerSkills = sqliteTable(
  'learner_skills',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    skillCode: text('skill_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.skillCode] }), index('learner_skills_code_idx').on(t.skillCode)],
);

// The dashboards' summary of each collective (COSIM / FOSIM), split by `qpv` (1: the person belongs
// to an OSIM of the collective acting in QPV). Rewritten for one collective at a time by
// src/dashboards/summaries.ts when SQL triggers (migration 0008) have marked it in
// dashboard_dirty, so a national dashboard reads a few hundred small rows.

/** Collectives whose summary must be recomputed (marked by triggers on every source table). */
export const dashboardDirty = sqliteTable('dashboard_dirty', {
  collectiveId: integer('collective_id').primaryKey(),
});

export const dashboardSummary = sqliteTable(
  'dashboard_summary',
  {
    collectiveId: integer('collective_id').notNull(),
    qpv: integer('qpv').notNull(),
    members: integer('members').notNull(),
    invited: integer('invited').notNull(),
    enrolled: integer('enrolled').notNull(),
    quizzesAttempted: integer('quizzes_attempted').notNull(),
    quizzesPassed: integer('quizzes_passed').notNull(),
    /** Enrolled members by path completion, JSON `{"percent": n}`: the exact median and distribution. */
    completion: text('completion', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    /** Enrolled members who acquired each skill, JSON `{"code": n}`. */
    skills: text('skills', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    refreshedAt: integer('refreshed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectiveId, t.qpv] })],
);

/** Members by the day (Paris, `YYYY-MM-DD`) of their last activity, the last 30 days only. */
export const dashboardActivity = sqliteTable(
  'dashboard_activity',
  {
    collectiveId: integer('collective_id').notNull(),
    qpv: integer('qpv').notNull(),
    day: text('day').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectiveId, t.qpv, t.day] })],
);

/** Per month (Paris, `YYYY-MM`): people newly enrolled, paths finished, certificates issued. */
export const dashboardMonthly = sqliteTable(
  'dashboard_monthly',
  {
    collectiveId: integer('collective_id').notNull(),
    qpv: integer('qpv').notNull(),
    month: text('month').notNull(),
    enrolments: integer('enrolments').notNull(),
    completions: integer('completions').notNull(),
    certificates: integer('certificates').notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectiveId, t.qpv, t.month] })],
);

/**
 * The collective's members' confirmed seats and presences at séances not cancelled: one row per
 * month for those already over when the summary was made (`gathering_id` and `ends_at` 0), one
 * per séance for the others, whose end is compared with the time of reading.
 */
export const dashboardSeats = sqliteTable(
  'dashboard_seats',
  {
    collectiveId: integer('collective_id').notNull(),
    qpv: integer('qpv').notNull(),
    month: text('month').notNull(),
    gatheringId: integer('gathering_id').notNull(),
    endsAt: integer('ends_at').notNull(),
    confirmed: integer('confirmed').notNull(),
    present: integer('present').notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectiveId, t.qpv, t.month, t.gatheringId] })],
);

/** Each OSIM of the collective: its members' figures (a person counts in each of their OSIMs). */
export const dashboardOsims = sqliteTable(
  'dashboard_osims',
  {
    collectiveId: integer('collective_id').notNull(),
    osimId: integer('osim_id').notNull(),
    members: integer('members').notNull(),
    enrolled: integer('enrolled').notNull(),
    medianPercent: integer('median_percent'),
    completions: integer('completions').notNull(),
    quizzesPassed: integer('quizzes_passed').notNull(),
    attended: integer('attended').notNull(),
    certificates: integer('certificates').notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectiveId, t.osimId] })],
);

/** An OSIM's members by the day of their last activity (the last 30 days only). */
export const dashboardOsimActivity = sqliteTable(
  'dashboard_osim_activity',
  {
    collectiveId: integer('collective_id').notNull(),
    osimId: integer('osim_id').notNull(),
    day: text('day').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectiveId, t.osimId, t.day] })],
);

/** The collective's members in name order: a page of the members' table is a range of this index. */
export const dashboardPeople = sqliteTable(
  'dashboard_people',
  {
    collectiveId: integer('collective_id').notNull(),
    userId: integer('user_id').notNull(),
    qpv: integer('qpv').notNull(),
    sortKey: text('sort_key').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.collectiveId, t.userId] }),
    index('dashboard_people_order_idx').on(t.collectiveId, t.sortKey, t.userId),
    index('dashboard_people_qpv_idx').on(t.collectiveId, t.qpv, t.sortKey, t.userId),
  ],
);

/** Retention: the warning sent to an account inactive for two years (erased 30 days later). */
export const retentionNotices = sqliteTable('retention_notices', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  warnedAt: integer('warned_at', { mode: 'timestamp_ms' }).notNull(),
});

// ——— « Mon projet »: an OSIM's project file, written by its members, reviewed by its cycle ———

/** A project of an OSIM: its sections (project_sections), authors, comments and reviews. */
export const projects = sqliteTable(
  'projects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** The summary section's title, kept here for lists and dashboards. */
    title: text('title').notNull(),
    /** The cycle the authors shared it with (its learners and runners review it); null: not shared. */
    cycleId: integer('cycle_id').references(() => cycles.id),
    sharedAt: integer('shared_at', { mode: 'timestamp_ms' }),
    /** The authors let the national team read it. */
    sharedWithNational: integer('shared_with_national', { mode: 'boolean' }).notNull().default(false),
    /** Marked « prêt à déposer » by a runner of the cycle. */
    readyAt: integer('ready_at', { mode: 'timestamp_ms' }),
    readyBy: integer('ready_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('projects_organization_idx').on(t.organizationId), index('projects_cycle_idx').on(t.cycleId)],
);

export const projectAuthors = sqliteTable(
  'project_authors',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    addedAt: integer('added_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_authors_user_idx').on(t.userId)],
);

/** A section's current text: its fields as JSON (the budget's lines for the budget), and its version. */
export const projectSections = sqliteTable(
  'project_sections',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    section: text('section').notNull(),
    content: text('content', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** 0 until first saved; each save adds one, only from the version the writer started from. */
    version: integer('version').notNull().default(0),
    updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.section] })],
);

/** Every saved version of a section (its history). */
export const projectSectionVersions = sqliteTable(
  'project_section_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    section: text('section').notNull(),
    version: integer('version').notNull(),
    content: text('content', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    savedAt: integer('saved_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('project_section_versions_unique').on(t.projectId, t.section, t.version)],
);

/** A comment on a section (or on the whole project: section null), or an answer to one. */
export const projectComments = sqliteTable(
  'project_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    section: text('section'),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The comment this one answers. */
    replyTo: integer('reply_to').references((): AnySQLiteColumn => projectComments.id, {
      onDelete: 'cascade',
    }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('project_comments_project_idx').on(t.projectId),
    index('project_comments_author_idx').on(t.authorId),
  ],
);

export const rubricAnswers = ['yes', 'partly', 'no'] as const;
export type RubricAnswer = (typeof rubricAnswers)[number];

/** A reviewer's rubric for a project: one answer per criterion (projects/rubric.ts), one row per reviewer. */
export const projectReviews = sqliteTable(
  'project_reviews',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    answers: text('answers', { mode: 'json' }).$type<Record<string, RubricAnswer>>().notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.reviewerId] }),
    index('project_reviews_reviewer_idx').on(t.reviewerId),
  ],
);

export type Project = typeof projects.$inferSelect;
