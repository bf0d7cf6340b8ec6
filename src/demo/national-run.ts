// What every step of the national generator shares: its options and the counts it reports, the
// plans it decides in memory before writing (collectives, OSIMs, members, cycles, séances…), the
// prepared statements it writes with, and one run's state — the seeded dice, the present, the path
// as a sequence of steps, the sizes at this scale, and the helpers that name and write people.
import type Database from 'better-sqlite3';
import type { Db } from '../db/client.ts';
import type { CertificateRules } from '../db/schema.ts';
import { catalog } from '../learning/catalog.ts';
import { searchColumns } from '../people/users.ts';
import { seededRandom } from './generate-network.ts';
import { Dice, slug } from './national-dice.ts';
import { groups, mailDomains, type NameGroup, names, type Origin } from './national-words.ts';

export interface NationalOptions {
  seed: number;
  /** 1: FORIM's full size (1,000 OSIMs, 30,000 members, 200 cycles, 3,000 séances); 0.01 in tests. */
  scale?: number;
  /** The present the dates are built around (default: now); fixed, the output is identical. */
  now?: Date;
  /** Given to every generated account (default null: no password chosen yet). */
  passwordHash?: string | null;
  /** Told of each step as it is written: its name, rows written and milliseconds taken. */
  onStep?: (step: NationalStep) => void;
}

export interface NationalStep {
  step: string;
  rows: number;
  ms: number;
}

/** What was written (COSIMs and FOSIMs: how many the network has, created or already there). */
export interface NationalCounts {
  cosims: number;
  fosims: number;
  osims: number;
  members: number;
  /** Coordinators and trainers of the collectives, and the national team. */
  staff: number;
  memberships: number;
  /** Invitations to an OSIM: accepted by members, still pending, expired or withdrawn. */
  invitations: number;
  cycles: number;
  cycleMembers: number;
  gatherings: number;
  cancelledGatherings: number;
  signups: number;
  attendance: number;
  lessonProgress: number;
  quizAttempts: number;
  /** Members who have finished every lesson and passed every quiz of the path. */
  finishedPath: number;
  certificates: number;
  revokedCertificates: number;
  steps: NationalStep[];
}

const FULL = { osims: 1000, members: 30_000, cycles: 200, gatherings: 3000 };
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Collective {
  id: number;
  kind: 'cosim' | 'fosim';
  name: string;
  zone: string;
  towns: string[];
  coordinators: number[];
  trainers: number[];
  cycles: number[];
}

export interface Osim {
  id: number;
  name: string;
  cosim: number;
  fosim: number;
  town: string;
  origin: Origin;
}

export interface Member {
  osim: number;
  name: string;
  email: string;
  zone: string;
  locale: 'fr' | 'en';
  createdAt: number;
  cycle: number;
  enrolledAt: number;
  selfEnrolled: boolean;
  withdrawnAt: number;
  userId: number;
  /** Share of the path's steps done, 0–1: how keen they are on séances too. */
  engagement: number;
  lastActivity: number;
  present: Array<{ gathering: number; at: number }>;
}

export interface CyclePlan {
  id: number;
  name: string;
  collective: number;
  startsOn: string;
  endsOn: string;
  startsAt: number;
  endsAt: number;
  createdAt: number;
  createdBy: number;
  enrolment: 'open' | 'invitation';
  rules: CertificateRules;
  namesLaunch: boolean;
  archivedAt: number;
  trainer: number;
  members: number[];
  gatherings: number[];
}

export interface GatheringPlan {
  id: number;
  uid: string;
  cycle: number;
  title: string;
  courseId: string | null;
  theme: string;
  facilitator: number;
  startsAt: number;
  endsAt: number;
  zone: string;
  mode: 'in_person' | 'online' | 'hybrid';
  placeName: string;
  address: string;
  town: string;
  placeInQpv: boolean;
  videoUrl: string;
  capacity: number;
  agenda: string;
  sequence: number;
  cancelledAt: number;
  cancelReason: string | null;
  summary: string | null;
  summaryAt: number;
  closedAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface Signup {
  gathering: number;
  member: number;
  createdAt: number;
  status: 'confirmed' | 'waiting' | 'cancelled';
  confirmedAt: number;
  cancelledAt: number;
}

export interface AttendanceRow {
  gathering: number;
  member: number;
  guestName: string | null;
  guestOrganization: string | null;
  status: 'present' | 'absent' | 'excused';
  walkIn: boolean;
  markedAt: number;
  markedBy: number;
}

export interface Attempt {
  member: number;
  quiz: number;
  at: number;
  right: number;
}

/** Each SQL text prepared once (src/db/client.ts keeps them). */
function prepareStatements(sqlite: Database.Database) {
  const findOrg = sqlite.prepare(
    'SELECT id FROM organizations WHERE kind = ? AND name = ? ORDER BY id LIMIT 1',
  );
  const insertOrg = sqlite.prepare(
    `INSERT INTO organizations (kind, name, region, town, parent_id, federation_id, acts_in_qpv, qpv_note, search_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertUser = sqlite.prepare(
    `INSERT INTO users (email, display_name, password_hash, locale, time_zone, sort_key, search_text, last_seen_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMembership = sqlite.prepare(
    'INSERT INTO memberships (user_id, organization_id, role, created_at) VALUES (?, ?, ?, ?)',
  );
  const insertInvitation = sqlite.prepare(
    `INSERT INTO invitations (email, display_name, organization_id, role, token_hash, invited_by, expires_at, accepted_at, accepted_user_id, revoked_at, last_sent_at, created_at)
     VALUES (?, ?, ?, 'member', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCycle = sqlite.prepare(
    `INSERT INTO cycles (name, collective_id, path_id, starts_on, ends_on, enrolment, certificate_rules, created_by, created_at, archived_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateRules = sqlite.prepare('UPDATE cycles SET certificate_rules = ? WHERE id = ?');
  const insertCycleMember = sqlite.prepare(
    'INSERT INTO cycle_members (cycle_id, user_id, enrolled_at, enrolled_by, withdrawn_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertProgress = sqlite.prepare(
    'INSERT INTO lesson_progress (user_id, lesson_id, first_opened_at, last_opened_at, completed_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertAttempt = sqlite.prepare(
    'INSERT INTO quiz_attempts (user_id, quiz_id, answers, score, passed, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertGathering = sqlite.prepare(
    `INSERT INTO gatherings (uid, cycle_id, title, course_id, theme, facilitator_id, starts_at, ends_at, time_zone, mode,
       place_name, address, town, place_in_qpv, video_url, capacity, agenda, sequence, cancelled_at, cancel_reason,
       summary, summary_at, attendance_closed_at, attendance_closed_by, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSignup = sqlite.prepare(
    `INSERT INTO gathering_signups (gathering_id, user_id, status, created_at, confirmed_at, cancelled_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertAttendance = sqlite.prepare(
    `INSERT INTO attendance (gathering_id, user_id, guest_name, guest_organization, status, walk_in, marked_at, marked_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCertificate = sqlite.prepare(
    `INSERT INTO certificates (code, cycle_id, user_id, snapshot, issued_how, issued_by, issued_at, revoked_at, revoked_by, revoked_reason)
     VALUES (?, ?, ?, ?, 'automatic', NULL, ?, ?, ?, ?)`,
  );
  const existingCodes = sqlite.prepare('SELECT code FROM certificates');
  const frameworkSkills = sqlite.prepare(
    'SELECT code, title FROM skills WHERE archived_at IS NULL ORDER BY position',
  );
  return {
    findOrg,
    insertOrg,
    insertUser,
    insertMembership,
    insertInvitation,
    insertCycle,
    updateRules,
    insertCycleMember,
    insertProgress,
    insertAttempt,
    insertGathering,
    insertSignup,
    insertAttendance,
    insertCertificate,
    existingCodes,
    frameworkSkills,
  };
}

export type Run = ReturnType<typeof startRun>;

/** One run's shared state; throws before anything is written on a bad scale or without the path. */
export function startRun(db: Db, options: NationalOptions) {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('scale doit être un nombre positif');
  const now = (options.now ?? new Date()).getTime();
  const dice = new Dice(seededRandom(options.seed));
  const content = catalog(db);
  if (!content.path || content.courses.length === 0)
    throw new Error('Aucun parcours : synchronisez courses/ avant de générer (loadAndSync).');
  const sqlite = db.$client;
  const passwordHash = options.passwordHash ?? null;
  const steps: NationalStep[] = [];
  let clock = performance.now();
  const step = (name: string, rows: number) => {
    const t = performance.now();
    const entry = { step: name, rows, ms: Math.round(t - clock) };
    clock = t;
    steps.push(entry);
    options.onStep?.(entry);
  };

  // The path as a sequence of steps: each course's lessons, then its quiz.
  const pathLessons = content.courses.flatMap((c) => c.lessons);
  const lessonIndex = new Map(pathLessons.map((l, i) => [l.id, i]));
  const pathQuizzes = content.courses.flatMap((c) => (c.quiz ? [c.quiz] : []));
  const quizIndex = new Map(pathQuizzes.map((q, i) => [q.id, i]));
  const pathSteps: Array<{ lesson: number } | { quiz: number }> = [];
  for (const course of content.courses) {
    for (const lesson of course.lessons) pathSteps.push({ lesson: lessonIndex.get(lesson.id)! });
    if (course.quiz) pathSteps.push({ quiz: quizIndex.get(course.quiz.id)! });
  }
  const L = pathLessons.length;
  const S = pathSteps.length;
  const quizNeeds = pathQuizzes.map((q) => {
    const n = q.questions.length;
    let right = 0;
    while (right < n && Math.round((right / n) * 100) < q.passMark) right++;
    return right;
  });
  const scoreOf = (quiz: number, right: number) => {
    const n = pathQuizzes[quiz]!.questions.length;
    return n === 0 ? 0 : Math.round((right / n) * 100);
  };

  const sizes = {
    osims: Math.max(1, Math.round(FULL.osims * scale)),
    members: Math.max(1, Math.round(FULL.members * scale)),
    cycles: Math.max(1, Math.round(FULL.cycles * scale)),
    gatherings: Math.max(1, Math.round(FULL.gatherings * scale)),
  };
  const platformStart = now - 640 * DAY;
  const statements = prepareStatements(sqlite);
  const { insertUser } = statements;

  const counts: NationalCounts = {
    cosims: 0,
    fosims: 0,
    osims: 0,
    members: 0,
    staff: 0,
    memberships: 0,
    invitations: 0,
    cycles: 0,
    cycleMembers: 0,
    gatherings: 0,
    cancelledGatherings: 0,
    signups: 0,
    attendance: 0,
    lessonProgress: 0,
    quizAttempts: 0,
    finishedPath: 0,
    certificates: 0,
    revokedCertificates: 0,
    steps,
  };

  let personSeq = 0;
  const person = (group: NameGroup, domain: string | null) => {
    const pool = names[group];
    const name = `${dice.pick(pool.first)} ${dice.pick(pool.last)}`;
    personSeq++;
    const email = `${slug(name).replace(/-/g, '.')}.${personSeq}@${domain ?? dice.pick(mailDomains)}`;
    return { name, email };
  };
  const randomGroup = (origin: Origin | null): NameGroup => {
    const r = dice.next();
    if (origin && r < 0.75) return origin.group;
    if (r < 0.85) return 'france';
    return dice.pick(groups);
  };
  const writeUser = (
    name: string,
    email: string,
    locale: string,
    zone: string,
    lastSeenAt: number | null,
    createdAt: number,
  ) => {
    const { sortKey, searchText } = searchColumns(name, email);
    return Number(
      insertUser.run(email, name, passwordHash, locale, zone, sortKey, searchText, lastSeenAt, createdAt)
        .lastInsertRowid,
    );
  };

  return {
    options,
    dice,
    now,
    content,
    sqlite,
    step,
    counts,
    statements,
    pathLessons,
    lessonIndex,
    pathQuizzes,
    quizIndex,
    pathSteps,
    L,
    S,
    quizNeeds,
    scoreOf,
    sizes,
    platformStart,
    person,
    randomGroup,
    writeUser,
  };
}
