// Demo data for a new database (DEMO_DATA on, never in production): the FORIM network named in
// FORIM's note — its COSIMs, the OSIMs of its annex — and one account per role. Every demo
// account's password is DEMO_PASSWORD. Idempotent: does nothing when organizations exist.
import { asc, count, eq, isNull } from 'drizzle-orm';
import type { InvitationLinks } from '../auth/invitations.ts';
import { hashPassword } from '../auth/passwords.ts';
import { issueEarned } from '../certificates/certificates.ts';
import { rebuildLearnerStats } from '../dashboards/learner-stats.ts';
import { type Db, sqliteOf, withTransaction } from '../db/client.ts';
import {
  cycles,
  lessons,
  memberships,
  type OrganizationKind,
  organizations,
  quizzes,
  type Role,
  users,
} from '../db/schema.ts';
import { addWalkIn, closeAttendance, markAttendance } from '../gatherings/attendance.ts';
import { createCycle, enrol, getCycleFor } from '../gatherings/cycles.ts';
import { createExperience } from '../gatherings/experiences.ts';
import { createGathering, getGatheringFor, saveSummary } from '../gatherings/gatherings.ts';
import { signUp } from '../gatherings/signups.ts';
import { confirmImport, parseInvitationCsv, saveImport } from '../invitations/csv-import.ts';
import { answerOrder } from '../learning/answer-order.ts';
import {
  completeLesson,
  getPath,
  getQuiz,
  recordAttempt,
  sampleAnswers,
  setTaskDone,
} from '../learning/progress.ts';
import { appSecret, defaultSecretPath } from '../lib/app-secret.ts';
import { searchable } from '../lib/text.ts';
import { today, wallTimeToInstant } from '../lib/time.ts';
import type { Mailer } from '../mail/mailer.ts';
import { createUser, findUserByEmail, loadCurrentUser } from '../people/users.ts';

export const DEMO_PASSWORD = 'passerelle-demo';

export interface DemoAccount {
  email: string;
  displayName: string;
  role: Role;
  organization: string;
}

/** The accounts printed at start-up and listed in the README. */
export const demoAccounts: DemoAccount[] = [
  { email: 'admin@forim.test', displayName: 'Aminata Traoré', role: 'admin', organization: 'FORIM' },
  {
    email: 'coordination@cosim-bretagne.test',
    displayName: 'Yannick Mensah',
    role: 'coordinator',
    organization: 'COSIM Bretagne',
  },
  {
    email: 'formation@cosim-bretagne.test',
    displayName: 'Fatou Ndiaye',
    role: 'trainer',
    organization: 'COSIM Bretagne',
  },
  {
    email: 'membre@cosim-bretagne.test',
    displayName: 'Mamadou Sow',
    role: 'member',
    organization: 'Solidarité Blosne',
  },
  { email: 'membre@cosim-om.test', displayName: 'Karima Benali', role: 'member', organization: 'AMF' },
];

/** Other people, so that collectives have more than one member to count. */
const otherMembers: Array<{ email: string; displayName: string; organization: string }> = [
  { email: 'awa.diop@cosim-bretagne.test', displayName: 'Awa Diop', organization: 'Solidarité Blosne' },
  {
    email: 'jean-baptiste.kouame@cosim-bretagne.test',
    displayName: 'Jean-Baptiste Kouamé',
    organization: 'Villejean Ensemble',
  },
  {
    email: 'nadia.haddad@cosim-om.test',
    displayName: 'Nadia Haddad',
    organization: 'Petit Bard Solidarités',
  },
  { email: 'ibrahim.coulibaly@capcos.test', displayName: 'Ibrahim Coulibaly', organization: 'CAPCOS' },
  { email: 'mariama.bah@pafha.test', displayName: 'Mariama Bah', organization: 'PAFHA' },
];

interface OrgSeed {
  kind: OrganizationKind;
  name: string;
  region?: string;
  town?: string;
  parent?: string;
  federation?: string;
  actsInQpv?: boolean;
  qpvNote?: string;
}

// The COSIMs named in the note; the OSIMs of its annex (AMF, CAPCOS, PAFHA, RAME) and a few
// local associations for the demo, in towns and QPV the note lists.
const network: OrgSeed[] = [
  { kind: 'forim', name: 'FORIM', region: 'National', town: 'Paris' },
  { kind: 'cosim', name: 'COSIM Bretagne', region: 'Bretagne', town: 'Rennes', parent: 'FORIM' },
  { kind: 'fosim', name: 'FOSIM Afrique de l’Ouest', region: 'National', town: 'Paris', parent: 'FORIM' },
  {
    kind: 'cosim',
    name: 'COSIM Auvergne-Rhône-Alpes',
    region: 'Auvergne-Rhône-Alpes',
    town: 'Lyon',
    parent: 'FORIM',
  },
  {
    kind: 'cosim',
    name: 'COSIM Occitanie Méditerranée',
    region: 'Occitanie',
    town: 'Montpellier',
    parent: 'FORIM',
  },
  { kind: 'cosim', name: 'COSIM Occitanie Pyrénées', region: 'Occitanie', town: 'Toulouse', parent: 'FORIM' },
  {
    kind: 'cosim',
    name: 'COSIM Nouvelle-Aquitaine',
    region: 'Nouvelle-Aquitaine',
    town: 'Bordeaux',
    parent: 'FORIM',
  },
  {
    kind: 'cosim',
    name: 'COSIM PACA',
    region: 'Provence-Alpes-Côte d’Azur',
    town: 'Marseille',
    parent: 'FORIM',
  },
  { kind: 'cosim', name: 'COSIM Hauts-de-France', region: 'Hauts-de-France', town: 'Lille', parent: 'FORIM' },
  { kind: 'cosim', name: 'COSIM Île-de-France', region: 'Île-de-France', town: 'Paris', parent: 'FORIM' },
  {
    kind: 'cosim',
    name: 'COSIM Pays de la Loire',
    region: 'Pays de la Loire',
    town: 'Nantes',
    parent: 'FORIM',
  },
  {
    kind: 'osim',
    name: 'Solidarité Blosne',
    town: 'Rennes',
    parent: 'COSIM Bretagne',
    federation: 'FOSIM Afrique de l’Ouest',
    actsInQpv: true,
    qpvNote: 'Le Blosne',
  },
  {
    kind: 'osim',
    name: 'Villejean Ensemble',
    town: 'Rennes',
    parent: 'COSIM Bretagne',
    actsInQpv: true,
    qpvNote: 'Villejean-Beauregard',
  },
  {
    kind: 'osim',
    name: 'Cleunay Passerelles',
    town: 'Rennes',
    parent: 'COSIM Bretagne',
    actsInQpv: true,
    qpvNote: 'Cleunay',
  },
  {
    kind: 'osim',
    name: 'AMF',
    town: 'Montpellier',
    parent: 'COSIM Occitanie Méditerranée',
    actsInQpv: true,
    qpvNote: 'La Mosson',
  },
  {
    kind: 'osim',
    name: 'Petit Bard Solidarités',
    federation: 'FOSIM Afrique de l’Ouest',
    town: 'Montpellier',
    parent: 'COSIM Occitanie Méditerranée',
    actsInQpv: true,
    qpvNote: 'Petit Bard',
  },
  {
    kind: 'osim',
    name: 'Valdegour Cultures',
    town: 'Nîmes',
    parent: 'COSIM Occitanie Méditerranée',
    actsInQpv: true,
    qpvNote: 'Valdegour',
  },
  { kind: 'osim', name: 'CAPCOS', town: 'Épinay-sur-Seine', parent: 'COSIM Île-de-France' },
  { kind: 'osim', name: 'PAFHA', town: 'Saint-Denis', parent: 'COSIM Île-de-France', actsInQpv: true },
  {
    kind: 'osim',
    name: 'RAME',
    town: 'Vaulx-en-Velin',
    parent: 'COSIM Auvergne-Rhône-Alpes',
    actsInQpv: true,
  },
  {
    kind: 'osim',
    name: 'Mosaïque Lilloise',
    town: 'Lille',
    parent: 'COSIM Hauts-de-France',
    actsInQpv: true,
  },
  {
    kind: 'osim',
    name: 'Horizons Nantais',
    town: 'Nantes',
    parent: 'COSIM Pays de la Loire',
    actsInQpv: false,
  },
];

export function isDatabaseEmpty(db: Db): boolean {
  return (db.select({ n: count() }).from(organizations).get()?.n ?? 0) === 0;
}

/** Seeds the demo network and accounts on an empty database; returns false when it did nothing. */
/** A list the Bretagne coordinator has imported: its invitations are still waiting, their links work. */
const invitationList = [
  'nom;email;osim',
  'Salimata Koné;salimata.kone@cosim-bretagne.test;Cleunay Passerelles',
  'Moussa Camara;moussa.camara@cosim-bretagne.test;Cleunay Passerelles',
].join('\r\n');

/**
 * `secret` is the app secret invitation links are derived from: the app's (server.ts passes it);
 * by default the one next to the database file, or the in-memory one of a database in memory.
 */
export async function seedDemoData(
  db: Db,
  mailer?: Mailer,
  baseUrl = 'http://localhost:3000',
  secret = appSecret(defaultSecretPath(sqliteOf(db).name)),
): Promise<boolean> {
  if (!isDatabaseEmpty(db)) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  withTransaction(db, (tx) => {
    const ids = new Map<string, number>();
    for (const org of network) {
      const row = tx
        .insert(organizations)
        .values({
          kind: org.kind,
          name: org.name,
          searchName: searchable(org.name),
          region: org.region ?? null,
          town: org.town ?? null,
          parentId: org.parent ? ids.get(org.parent)! : null,
          federationId: org.federation ? ids.get(org.federation)! : null,
          actsInQpv: org.actsInQpv ?? false,
          qpvNote: org.qpvNote ?? null,
        })
        .returning({ id: organizations.id })
        .get();
      ids.set(org.name, row.id);
    }
    const people = [...demoAccounts, ...otherMembers.map((m) => ({ ...m, role: 'member' as const }))];
    for (const person of people) {
      const userId = createUser(tx, {
        email: person.email,
        displayName: person.displayName,
        passwordHash,
      });
      tx.insert(memberships)
        .values({ userId, organizationId: ids.get(person.organization)!, role: person.role })
        .run();
    }
    seedProgress(tx);
    seedCycles(tx);
    // Every demo account has been used: last seen yesterday.
    tx.update(users)
      .set({ lastSeenAt: new Date(Date.now() - 86_400_000) })
      .run();
    rebuildLearnerStats(tx);
    if (mailer) {
      // Whoever already meets their cycle's rules has their certificate (Awa, in Bretagne).
      for (const person of people) {
        const user = findUserByEmail(tx, person.email);
        if (user) issueEarned(tx, mailer, baseUrl, user.id);
      }
    }
    if (mailer) {
      const links: InvitationLinks = { baseUrl, secret };
      const coordinator = loadCurrentUser(tx, findUserByEmail(tx, 'coordination@cosim-bretagne.test')!.id)!;
      const rows = parseInvitationCsv(Buffer.from(invitationList));
      confirmImport(tx, mailer, links, coordinator, saveImport(tx, coordinator, 'membres-cleunay.csv', rows));
    }
  });
  return true;
}

/**
 * Where each demo learner stands in the path (when the courses are loaded): the share of each
 * module's lessons finished, in path order (so the stories hold whatever the lessons' number), the
 * « À faire maintenant » tasks ticked among the lessons finished, then quiz attempts as [wrong
 * questions] per attempt. Mamadou has finished module 1 (failed its quiz once, then passed) and is a
 * third of the way through module 2; Karima has just started.
 */
const demoProgress: Array<{
  email: string;
  modules: number[];
  tasks: number;
  attempts: Record<string, number[]>;
}> = [
  { email: 'membre@cosim-bretagne.test', modules: [1, 1 / 3], tasks: 4, attempts: { 'pdv-quiz': [4, 0] } },
  { email: 'membre@cosim-om.test', modules: [0.25], tasks: 1, attempts: {} },
  {
    email: 'awa.diop@cosim-bretagne.test',
    modules: [1, 1, 0.15],
    tasks: 9,
    attempts: { 'pdv-quiz': [1], 'prj-quiz': [2, 1] },
  },
  { email: 'jean-baptiste.kouame@cosim-bretagne.test', modules: [2 / 3], tasks: 0, attempts: {} },
  { email: 'nadia.haddad@cosim-om.test', modules: [1], tasks: 2, attempts: { 'pdv-quiz': [5] } },
];

function seedProgress(tx: Db) {
  const path = getPath(tx);
  if (!path) return;
  const pathLessons = tx
    .select({ id: lessons.id, courseId: lessons.courseId, taskHtml: lessons.taskHtml })
    .from(lessons)
    .where(isNull(lessons.archivedAt))
    .orderBy(asc(lessons.position))
    .all()
    .filter((l) => path.courseIds.includes(l.courseId))
    .sort((a, b) => path.courseIds.indexOf(a.courseId) - path.courseIds.indexOf(b.courseId));
  if (pathLessons.length === 0) return;
  const activeQuizzes = new Set(
    tx
      .select({ id: quizzes.id })
      .from(quizzes)
      .where(isNull(quizzes.archivedAt))
      .all()
      .map((q) => q.id),
  );
  const day = 24 * 3600 * 1000;
  for (const learner of demoProgress) {
    const user = findUserByEmail(tx, learner.email);
    if (!user) continue;
    const finished = learner.modules.flatMap((share, i) => {
      const inModule = pathLessons.filter((l) => l.courseId === path.courseIds[i]);
      return inModule.slice(0, Math.round(share * inModule.length));
    });
    // One lesson every other day, ending yesterday; the first tasks ticked the day after.
    let at = Date.now() - (finished.length * 2 + 1) * day;
    let ticks = learner.tasks;
    for (const lesson of finished) {
      completeLesson(tx, user.id, lesson.id, new Date(at));
      if (ticks > 0 && lesson.taskHtml !== null) {
        setTaskDone(tx, user.id, lesson.id, true, new Date(at + day));
        ticks--;
      }
      at += 2 * day;
    }
    for (const [quizId, attempts] of Object.entries(learner.attempts)) {
      if (!activeQuizzes.has(quizId)) continue;
      const { quiz } = getQuiz(tx, quizId);
      for (const [round, wrong] of attempts.entries()) {
        const order = answerOrder(quiz.questions, quizId, user.id, round + 1);
        recordAttempt(tx, user.id, quizId, sampleAnswers(quiz.questions, wrong), new Date(at - day), order);
      }
    }
  }
}

/** A date `days` from today (Paris), at `time` Paris time. */
function parisAt(days: number, time: string): Date {
  const date = new Date(`${today('Europe/Paris')}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return wallTimeToInstant(date.toISOString().slice(0, 10), time, 'Europe/Paris')!;
}

function isoDay(days: number): string {
  const date = new Date(`${today('Europe/Paris')}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The demo cycles: COSIM Bretagne's, run by its trainer, with a séance held two weeks ago (roll
 * call closed, compte-rendu, a fiche d'expérience) and two to come; COSIM OM's, with one online
 * séance. Only when the courses are loaded (a cycle follows the path).
 */
function seedCycles(tx: Db) {
  if (!getPath(tx)) return;
  const person = (email: string) => findUserByEmail(tx, email)!;
  const trainer = loadCurrentUser(tx, person('formation@cosim-bretagne.test').id)!;
  const admin = loadCurrentUser(tx, person('admin@forim.test').id)!;
  const mamadou = person('membre@cosim-bretagne.test');
  const awa = person('awa.diop@cosim-bretagne.test');
  const jeanBaptiste = person('jean-baptiste.kouame@cosim-bretagne.test');
  const karima = person('membre@cosim-om.test');
  const nadia = person('nadia.haddad@cosim-om.test');
  const bretagneId = trainer.memberships.find((m) => m.role === 'trainer')!.collectiveId!;
  const omId = loadCurrentUser(tx, karima.id)!.memberships[0]!.collectiveId!;

  const bretagne = getCycleFor(
    tx,
    trainer,
    createCycle(tx, trainer, {
      name: 'Cycle 2026 — COSIM Bretagne',
      collectiveId: bretagneId,
      startsOn: isoDay(-30),
      endsOn: isoDay(150),
      enrolment: 'open',
    }),
  );
  const longAgo = new Date(Date.now() - 40 * 86400_000);
  for (const learner of [mamadou, awa, jeanBaptiste]) enrol(tx, bretagne, learner.id, trainer.id, longAgo);
  // The certificate asks for the first two modules and one séance: Mamadou has module 1 and the
  // launch; module 2 is what he has left.
  tx.update(cycles)
    .set({
      certificateRules: {
        courseIds: ['politique-de-la-ville', 'monter-un-projet'],
        passMark: null,
        minGatherings: 1,
        gatheringIds: [],
      },
    })
    .where(eq(cycles.id, bretagne.id))
    .run();
  bretagne.certificateRules = {
    courseIds: ['politique-de-la-ville', 'monter-un-projet'],
    passMark: null,
    minGatherings: 1,
    gatheringIds: [],
  };

  const base = {
    courseId: null,
    theme: '',
    facilitatorId: trainer.id,
    timeZone: 'Europe/Paris',
    placeName: '',
    address: '',
    town: '',
    placeInQpv: false,
    videoUrl: '',
    agenda: '',
  };
  // Two weeks ago: the launch, held, roll call closed, compte-rendu written.
  const launchId = createGathering(tx, trainer, bretagne, {
    ...base,
    title: 'Lancement du cycle : la politique de la ville à Rennes',
    courseId: 'politique-de-la-ville',
    startsAt: parisAt(-14, '18:30'),
    endsAt: parisAt(-14, '20:30'),
    mode: 'in_person',
    placeName: 'Salle associative du Blosne',
    town: 'Rennes',
    placeInQpv: true,
    capacity: 15,
    agenda:
      'Tour de table : nos associations et nos quartiers.\nCe qu’est un QPV, comment vérifier une adresse.\nLes séances à venir.',
  });
  const launch = getGatheringFor(tx, trainer, launchId).gathering;
  const before = new Date(launch.startsAt.getTime() - 5 * 86400_000);
  for (const learner of [mamadou, awa, jeanBaptiste]) signUp(tx, launch, learner.id, before);
  const during = new Date(launch.startsAt.getTime() + 15 * 60_000);
  markAttendance(tx, launch, { userId: mamadou.id }, 'present', trainer.id, during);
  markAttendance(tx, launch, { userId: awa.id }, 'present', trainer.id, during);
  markAttendance(tx, launch, { userId: jeanBaptiste.id }, 'excused', trainer.id, during);
  addWalkIn(tx, launch, { name: 'Fanta Keïta', organization: 'Cleunay Passerelles' }, trainer.id, during);
  closeAttendance(tx, launch, trainer.id, launch.endsAt);
  saveSummary(
    tx,
    launch,
    'Quatre associations présentes. Chacune a présenté ses actions et son quartier.\n\nNous avons vérifié ensemble, sur le site officiel, que nos lieux d’activité sont bien en QPV.\n\nProchaine séance : le budget prévisionnel. Apportez un projet en cours, même au début.',
    launch.endsAt,
  );
  createExperience(
    tx,
    loadCurrentUser(tx, mamadou.id)!,
    bretagne,
    {
      title: 'Aide aux devoirs au Blosne',
      what: 'Deux soirs par semaine, des bénévoles de l’association accompagnent des collégiens pour leurs devoirs, dans une salle prêtée par la mairie de quartier.',
      town: 'Rennes',
      inQpv: true,
      qpvName: 'Le Blosne',
      audience: 'Une quinzaine de collégiens du quartier et leurs parents.',
      partners: 'La mairie de quartier (prêt de salle), le collège du secteur.',
      cofunding: 'Cotisations des membres ; une demande de subvention est en préparation.',
      results: 'Les parents viennent plus souvent aux réunions du collège.',
      difficulties: 'Trouver des bénévoles disponibles en soirée toute l’année.',
      advice: 'Commencez petit, avec une salle sûre, et faites un bilan à chaque fin de trimestre.',
      sharedWithNetwork: true,
    },
    launch.endsAt,
  );

  const minute = 60_000;
  // A week ago: a workshop Mamadou had signed up for and missed (Awa came); sheet closed, so he
  // counts as absent.
  const diagnosisId = createGathering(tx, trainer, bretagne, {
    ...base,
    title: 'Atelier : le diagnostic des besoins du quartier',
    courseId: 'monter-un-projet',
    startsAt: parisAt(-7, '18:30'),
    endsAt: parisAt(-7, '20:30'),
    mode: 'in_person',
    placeName: 'Maison de quartier de Villejean',
    town: 'Rennes',
    placeInQpv: true,
    capacity: 12,
    agenda:
      'Ce que chacun observe dans son quartier : qui y vit, ce qui manque.\nComment l’écrire dans un dossier de subvention.',
  });
  const diagnosis = getGatheringFor(tx, trainer, diagnosisId).gathering;
  for (const learner of [mamadou, awa]) signUp(tx, diagnosis, learner.id, before);
  const diagnosisDuring = new Date(diagnosis.startsAt.getTime() + 15 * minute);
  markAttendance(tx, diagnosis, { userId: awa.id }, 'present', trainer.id, diagnosisDuring);
  // Closed the next morning: still within the days when the trainer may reopen it to correct it.
  closeAttendance(tx, diagnosis, trainer.id, new Date(diagnosis.endsAt.getTime() + 14 * 60 * minute));

  // Yesterday: an online peer exchange; the trainer has not closed its sheet yet.
  const volunteersId = createGathering(tx, trainer, bretagne, {
    ...base,
    title: 'Échange entre pairs : mobiliser des bénévoles',
    courseId: 'organiser-un-evenement',
    startsAt: parisAt(-1, '12:30'),
    endsAt: parisAt(-1, '13:30'),
    mode: 'online',
    videoUrl: 'https://meet.jit.si/passerelle-cosim-bretagne-benevoles',
    capacity: 30,
    agenda: 'Chacun raconte comment il trouve des bénévoles, et comment il les garde.',
  });
  const volunteers = getGatheringFor(tx, trainer, volunteersId).gathering;
  for (const learner of [mamadou, awa]) signUp(tx, volunteers, learner.id, before);

  // Under way since this quarter of an hour: the trainer's permanence, its roll call open.
  const quarter = 15 * minute;
  const permanenceStart = new Date(Math.floor(Date.now() / quarter) * quarter);
  const permanenceId = createGathering(tx, trainer, bretagne, {
    ...base,
    title: 'Permanence : vos questions sur le budget prévisionnel',
    courseId: 'monter-un-projet',
    startsAt: permanenceStart,
    endsAt: new Date(permanenceStart.getTime() + 6 * quarter),
    mode: 'hybrid',
    placeName: 'Salle associative du Blosne',
    town: 'Rennes',
    placeInQpv: true,
    videoUrl: 'https://meet.jit.si/passerelle-cosim-bretagne-permanence',
    capacity: 10,
    agenda: 'Venez avec votre budget, même commencé : on le relit ensemble.',
  });
  const permanence = getGatheringFor(tx, trainer, permanenceId).gathering;
  for (const learner of [mamadou, jeanBaptiste]) signUp(tx, permanence, learner.id, before);

  // To come: a workshop in person (Mamadou and Awa have a seat) and an online peer exchange.
  const workshopId = createGathering(tx, trainer, bretagne, {
    ...base,
    title: 'Atelier : construire le budget prévisionnel',
    courseId: 'monter-un-projet',
    startsAt: parisAt(10, '18:30'),
    endsAt: parisAt(10, '20:30'),
    mode: 'in_person',
    placeName: 'Salle associative du Blosne',
    town: 'Rennes',
    placeInQpv: true,
    capacity: 12,
    agenda: 'Chacun apporte son projet.\nOn remplit ensemble le modèle de budget du module 2.',
  });
  const workshop = getGatheringFor(tx, trainer, workshopId).gathering;
  signUp(tx, workshop, mamadou.id);
  signUp(tx, workshop, awa.id);
  createGathering(tx, trainer, bretagne, {
    ...base,
    title: 'Échange entre pairs : trouver et réserver une salle',
    courseId: 'organiser-un-evenement',
    startsAt: parisAt(24, '12:30'),
    endsAt: parisAt(24, '13:30'),
    mode: 'online',
    videoUrl: 'https://meet.jit.si/passerelle-cosim-bretagne-salles',
    capacity: 30,
    agenda: 'Chacun raconte comment il a obtenu (ou pas) une salle, et avec qui.',
  });

  const om = getCycleFor(
    tx,
    admin,
    createCycle(tx, admin, {
      name: 'Cycle 2026 — COSIM Occitanie Méditerranée',
      collectiveId: omId,
      startsOn: isoDay(-10),
      endsOn: isoDay(170),
      enrolment: 'open',
    }),
  );
  enrol(tx, om, karima.id, admin.id, longAgo);
  enrol(tx, om, nadia.id, admin.id, longAgo);
  const omVisio = createGathering(tx, admin, om, {
    ...base,
    facilitatorId: admin.id,
    title: 'Visio de rentrée : présenter son association',
    startsAt: parisAt(7, '18:00'),
    endsAt: parisAt(7, '19:30'),
    mode: 'online',
    videoUrl: 'https://meet.jit.si/passerelle-cosim-om-rentree',
    capacity: 25,
    theme: 'Se présenter, dire ce qu’on attend du cycle',
  });
  signUp(tx, getGatheringFor(tx, admin, omVisio).gathering, nadia.id);
}
