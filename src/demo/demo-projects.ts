// The demo's projects (« Mon projet »), made through the projects' own functions: Mamadou's
// literacy workshop at Le Blosne — the course's case (courses/monter-un-projet/16-cas-blosne-budget.md
// and ressources/budget-previsionnel.csv, fictitious amounts), itself drawn from COSIM Bretagne's
// « Alphabétisation » action in FORIM's note — half written over two weeks, shared with the
// Bretagne cycle (and the national team), commented by two peers and the trainer, one peer's rubric
// filled; and Karima's project for AMF, just started and kept to herself.
import type { Db } from '../db/client.ts';
import { findUserByEmail, loadCurrentUser } from '../people/users.ts';
import type { BudgetContent } from '../projects/budget.ts';
import { saveSection } from '../projects/project-sections.ts';
import {
  createProject,
  getProjectFor,
  projectOsimChoices,
  shareChoices,
  shareProject,
} from '../projects/projects.ts';
import { addComment, saveReview } from '../projects/reviews.ts';
import type { SectionKey } from '../projects/sections.ts';

export const BLOSNE_PROJECT_TITLE = 'Atelier d’alphabétisation au Blosne';
export const AMF_PROJECT_TITLE = 'Forum d’accès aux droits et de lutte contre les discriminations';

/** The sections Mamadou has written; the others (actions, partners, means, evaluation) are left to write. */
export const BLOSNE_WRITTEN: readonly SectionKey[] = ['summary', 'place', 'public', 'objectives', 'budget'];

const DAY = 86_400_000;
const euros = (n: number) => n * 100;

/** The workshop's budget: the lines of the course's CSV (amounts fictitious, as the course says). */
export function blosneBudget(withCaf = true): BudgetContent {
  return {
    expenses: [
      { account: '62', label: 'Formatrice (vacations, 120 h × 40 €)', cents: euros(4800) },
      { account: '60', label: 'Matériel pédagogique, photocopies', cents: euros(600) },
      { account: '61', label: 'Assurance (part de l’action)', cents: euros(150) },
      { account: '62', label: 'Transport des sorties (2 sorties)', cents: euros(450) },
    ],
    resources: [
      {
        kind: 'state',
        label: 'État : crédits politique de la ville (demande sur Dauphin)',
        cents: euros(3000),
        status: 'asked',
      },
      {
        kind: 'town',
        label: 'Ville de Rennes (appel à projets du contrat de ville)',
        cents: euros(1500),
        status: 'asked',
      },
      ...(withCaf
        ? [
            {
              kind: 'caf' as const,
              label: 'Caf d’Ille-et-Vilaine (si l’appel local le permet)',
              cents: euros(800),
              status: 'toAsk' as const,
            },
          ]
        : []),
      { kind: 'own', label: 'Cotisations et fête annuelle', cents: euros(700), status: 'obtained' },
    ],
    inKind: [
      { account: '86', label: 'Mise à disposition gratuite de la salle', cents: euros(1200) },
      { account: '86', label: 'Bénévolat (3 bénévoles, 360 h × 15 €)', cents: euros(5400) },
      { account: '87', label: 'Prestations en nature (salle)', cents: euros(1200) },
      { account: '87', label: 'Bénévolat', cents: euros(5400) },
    ],
  };
}

const summaryV2 = {
  title: BLOSNE_PROJECT_TITLE,
  summary:
    'Un atelier d’alphabétisation et de français à visée sociale pour 12 adultes du Blosne, à Rennes : 2 séances de 2 heures par semaine, d’octobre à juin.',
  needs: '',
};

const summaryV3 = {
  title: BLOSNE_PROJECT_TITLE,
  summary:
    'Un atelier d’alphabétisation et de français à visée sociale pour 12 adultes du Blosne, à Rennes : 2 séances de 2 heures par semaine, d’octobre à juin (30 semaines), animées par une formatrice payée à la vacation avec 3 bénévoles de l’association.',
  needs:
    'Des adultes du quartier veulent mieux parler, lire et écrire le français pour faire seuls leurs démarches. Le COSIM Bretagne mène déjà des cours d’alphabétisation : nous voulons en ouvrir un au Blosne, près de chez eux.',
};

const place = {
  town: 'Rennes',
  qpv: 'Le Blosne',
  why: 'Les personnes que nous voulons accueillir habitent le Blosne, un des quartiers de Rennes où agit le réseau du FORIM. Une salle nous est prêtée gratuitement dans le quartier.',
};

const publicSection = {
  who: 'Des adultes du Blosne, surtout des femmes, qui veulent parler, lire et écrire le français pour être plus autonomes au quotidien.',
  howMany: '12',
  reach: 'Par les membres de l’association et le bouche-à-oreille dans le quartier.',
};

const objectives = {
  objectives:
    'Objectif général : favoriser l’autonomie des personnes et faciliter leur intégration culturelle, sociale ou professionnelle.\nObjectif de l’atelier : que les participants parlent plus facilement et fassent seuls certaines démarches, d’ici juin.',
};

/**
 * The demo's projects; only when the Bretagne cycle exists (seedCycles, when the courses are
 * loaded). Dates are counted back from `now`: written in several sittings over the last two weeks.
 */
export function seedProjects(tx: Db, now = Date.now()) {
  const person = (email: string) => loadCurrentUser(tx, findUserByEmail(tx, email)!.id)!;
  const mamadou = person('membre@cosim-bretagne.test');
  const cycle = shareChoices(tx, mamadou).find((c) => c.name === 'Cycle 2026 — COSIM Bretagne');
  if (!cycle) return;
  const awa = person('awa.diop@cosim-bretagne.test');
  const jeanBaptiste = person('jean-baptiste.kouame@cosim-bretagne.test');
  const trainer = person('formation@cosim-bretagne.test');
  /** `days` ago, `minutes` later in that sitting. */
  const at = (days: number, minutes = 0) => new Date(now - days * DAY + minutes * 60_000);

  // First sitting, twelve days ago: the title, then a first summary.
  const id = createProject(
    tx,
    mamadou,
    { title: BLOSNE_PROJECT_TITLE, organizationId: projectOsimChoices(mamadou)[0]!.id },
    at(12),
  );
  const save = (key: SectionKey, content: object, from: number, when: Date) =>
    saveSection(tx, mamadou, getProjectFor(tx, mamadou, id), key, { ...content }, from, when);
  save('summary', summaryV2, 1, at(12, 20));
  // Second sitting: where, for whom, and a first budget that does not balance (no Caf line yet).
  save('place', place, 0, at(9));
  save('public', publicSection, 0, at(9, 15));
  save('budget', blosneBudget(false), 0, at(9, 40));
  // Third sitting, after the séance on the budget: the Caf line balances it; the summary says the
  // needs; the objectives come from the course's case.
  save('budget', blosneBudget(), 1, at(6));
  save('summary', summaryV3, 2, at(6, 20));
  save('objectives', objectives, 0, at(6, 35));
  shareProject(tx, mamadou, getProjectFor(tx, mamadou, id), { cycleId: cycle.id, national: true }, at(6, 40));

  // The cycle reads it: two peers and the trainer, each on a section.
  const comment = (who: typeof mamadou, section: SectionKey, body: string, when: Date) =>
    addComment(tx, who, getProjectFor(tx, who, id), { section, body, replyTo: null }, when);
  comment(
    jeanBaptiste,
    'place',
    'Le lien avec le Blosne est clair. Une idée pour « Pourquoi ce lieu » : écrire que l’adresse de la salle a été vérifiée sur sig.ville.gouv.fr, et combien de participants habitent le quartier. La part de public en QPV demandée est à lire dans l’appel de Rennes.',
    at(4),
  );
  saveReview(
    tx,
    jeanBaptiste,
    getProjectFor(tx, jeanBaptiste, id),
    { objectives: 'yes', qpv: 'yes', calendar: 'no', budget: 'yes', cofunding: 'partly' },
    '',
    at(4, 10),
  );
  comment(
    awa,
    'public',
    'Douze adultes, c’est clair et réaliste pour une salle. Dans « Comment vous les touchez », tu pourrais dire qui relaie l’atelier dans le quartier, et comment une personne s’inscrit : le financeur voudra savoir comment on arrive aux 12 inscrits.',
    at(3),
  );
  comment(
    trainer,
    'budget',
    'Beau travail : le budget est équilibré, 6 000 € de charges et 6 000 € de produits, et les comptes 86 et 87 sont égaux (6 600 €). Avant de déposer : la ligne Caf est à vérifier auprès de la Caf d’Ille-et-Vilaine, seulement si son appel local le permet ; la demande à l’État passe par Dauphin ; et préparez une phrase qui justifie le taux de 15 € de l’heure du bénévolat. Il reste les actions et le calendrier à écrire : c’est là que la grille regarde si le calendrier est réaliste.',
    at(2),
  );

  // Karima has just started hers, for AMF (an action of the note's annex), and keeps it to herself.
  const karima = person('membre@cosim-om.test');
  const amf = projectOsimChoices(karima)[0];
  if (amf) {
    const amfId = createProject(tx, karima, { title: AMF_PROJECT_TITLE, organizationId: amf.id }, at(5));
    saveSection(
      tx,
      karima,
      getProjectFor(tx, karima, amfId),
      'summary',
      {
        title: AMF_PROJECT_TITLE,
        summary:
          'Un forum pour accompagner les personnes vulnérables, quelle que soit leur origine, dans l’accès à leurs droits, et pour lutter contre les discriminations.',
        needs: '',
      },
      1,
      at(5, 25),
    );
  }
}
