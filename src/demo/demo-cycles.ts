// The demo's cycles and séances, made through the cycles' and séances' own functions: COSIM
// Bretagne's cycle with séances held (roll call, compte-rendu, a fiche d'expérience), under way
// and to come; COSIM Occitanie Méditerranée's with one online séance.
import { eq } from 'drizzle-orm';
import { addWalkIn, closeAttendance, markAttendance } from '../attendance/attendance.ts';
import { createCycle, enrol, getCycleFor } from '../cycles/cycles.ts';
import type { Db } from '../db/client.ts';
import { cycles } from '../db/schema.ts';
import { createExperience } from '../experiences/experiences.ts';
import { createGathering, getGatheringFor, saveReport } from '../gatherings/gatherings.ts';
import { signUp } from '../gatherings/signups.ts';
import { getPath } from '../learning/progress.ts';
import { today, wallTimeToInstant } from '../lib/time.ts';
import { findUserByEmail, loadCurrentUser } from '../people/users.ts';

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
export function seedCycles(tx: Db) {
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
  saveReport(
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
