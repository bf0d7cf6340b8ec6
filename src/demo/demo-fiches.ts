// The actions of the annex of FORIM's note (« Exemples d'actions de cohésion sociale menées par les
// membres du FORIM ») as fiches d'expérience, each once (the note's table repeats some rows), in
// the note's own words, lightly edited for spelling. Nothing is added the note does not say: no
// figures (volunteers, participants), a period only where the note dates the action, partners only
// where it names them, no co-funders. The town is the annex's (CAPCOS), else the organization's
// when the note's « Région / Ville (quartier) » table lists it for its region (not Lyon: COSIM
// ARA's have none); « in a QPV » where the organization works in that table's QPV, named only
// where the demo places it in one neighbourhood of the table (AMF, La Mosson).
// Thirteen are published (asked for by their author, published by the national team), so the
// showcase is real on the first start; COSIM Bretagne's second one is only asked for, waiting in
// its coordinator's « Fiches à publier ». An OSIM's action is written by a member of the OSIM; a
// COSIM's own action by someone of the COSIM itself (never of one of its OSIMs: the showcase names
// the author's OSIM, else the cycle's collective).
import { eq } from 'drizzle-orm';
import { createCycle } from '../cycles/cycles.ts';
import type { Db } from '../db/client.ts';
import { cycles, experiences, organizations } from '../db/schema.ts';
import { getExperienceFor } from '../experiences/experiences.ts';
import type { ExperienceDomain, ExperiencePublic } from '../experiences/fiche-facts.ts';
import {
  publishExperience,
  REVIEWED_TEXTS,
  type ReviewedTexts,
  requestPublication,
} from '../experiences/publication.ts';
import { getPath } from '../learning/progress.ts';
import { findUserByEmail, loadCurrentUser } from '../people/users.ts';
import type { RegionCode } from '../showcase/regions.ts';

/** An action of the annex, and who wrote its fiche in which cycle. */
export interface AnnexFiche {
  /** The organization the annex names: the author's OSIM, or the COSIM whose own action it is. */
  organization: string;
  title: string;
  what: string;
  objectives: string;
  results: string;
  audience?: string;
  partners?: string;
  domain: ExperienceDomain;
  publics?: ExperiencePublic[];
  region: RegionCode;
  town?: string;
  inQpv?: boolean;
  qpvName?: string;
  /** The month the note dates it (`YYYY-MM`); none of its actions lasted months. */
  periodStart?: string;
  /** The author's e-mail (a demo account of the organization). */
  author: string;
  /** The cycle's name, in CYCLES or one of demo-cycles.ts. */
  cycle: string;
  /** When it was written, asked for and published (relative to now, or a day of 2025). */
  written: When;
  asked: When;
  /** Null: asked for, not yet published. */
  published: When | null;
}

/** Days ago, or a fixed date (`YYYY-MM-DD`). */
type When = number | string;

/** The past cycles of the collectives that had none, whose fiches the annex's actions are. */
const CYCLES = [
  {
    name: 'Cycle 2025 — COSIM Île-de-France',
    collective: 'COSIM Île-de-France',
    startsOn: '2025-02-03',
    endsOn: '2025-06-27',
  },
  {
    name: 'Cycle 2025 — COSIM Auvergne-Rhône-Alpes',
    collective: 'COSIM Auvergne-Rhône-Alpes',
    startsOn: '2025-09-15',
    endsOn: '2025-12-19',
  },
];

const BRETAGNE = 'Cycle 2026 — COSIM Bretagne';
const OM = 'Cycle 2026 — COSIM Occitanie Méditerranée';
const IDF = CYCLES[0]!.name;
const ARA = CYCLES[1]!.name;

/** COSIM-ARA wrote the same objectives and results for both its actions. */
const ARA_OBJECTIVES =
  'Il était question de déconstruire les idées reçues sur les migrations. De même, notre but était d’amener les personnes à changer de regard sur les migrations.';
const ARA_RESULTS = [
  'Changement de point de vue sur les migrations et les migrants.',
  'Volonté des sondés de mieux connaître les réalités des questions relatives aux migrations.',
  'Envie de certains migrants de s’engager dans des activités citoyennes ici, en France.',
].join('\n');

/** The annex's actions, in its order. */
export const ANNEX_FICHES: AnnexFiche[] = [
  {
    organization: 'AMF',
    title: 'Forum d’accès aux droits et de lutte contre les discriminations',
    what: 'Un forum d’accès aux droits et de lutte contre les discriminations.',
    objectives: 'L’accompagnement des personnes vulnérables, quelle que soit leur origine.',
    results: 'Un suivi permanent du public, un accompagnement qui aboutit à des résultats positifs.',
    audience: 'Les personnes vulnérables, quelle que soit leur origine.',
    domain: 'accessToRights',
    publics: ['everyone'],
    region: 'OCC',
    town: 'Montpellier',
    inQpv: true,
    qpvName: 'La Mosson',
    author: 'membre@cosim-om.test',
    cycle: OM,
    written: 8,
    asked: 6,
    published: 5,
  },
  {
    organization: 'AMF',
    title: 'Colloque euro-méditerranéen sur l’impact du Covid sur les femmes vulnérables des deux rives',
    what: 'Un colloque euro-méditerranéen sur l’impact du Covid sur les femmes vulnérables des deux rives de la Méditerranée.',
    objectives:
      'Un colloque euro-méditerranéen sur l’impact du Covid sur les femmes vulnérables, avec la participation de plusieurs organisations féministes et d’accès aux droits de tout le pourtour euro-méditerranéen.',
    results: 'Une alliance d’associations de femmes qui continuent à travailler ensemble.',
    audience: 'Des femmes vulnérables.',
    partners:
      'Plusieurs organisations féministes et d’accès aux droits de tout le pourtour euro-méditerranéen.',
    domain: 'solidarity',
    publics: ['women'],
    region: 'OCC',
    town: 'Montpellier',
    author: 'membre@cosim-om.test',
    cycle: OM,
    written: 7,
    asked: 6,
    published: 4,
  },
  {
    organization: 'CAPCOS',
    title: 'Animation culturelle à la 95e foire de la Saint-Matthieu à Houdan',
    what: 'Des activités d’animation culturelle à la 95e édition de la foire de la Saint-Matthieu, à Houdan, les 24 et 25 septembre 2022.',
    objectives: [
      '1. Participer à la vie de la ville en partenariat avec les autorités locales.',
      '2. Rassembler tous les publics pour favoriser le vivre-ensemble.',
      '3. Montrer la contribution des populations issues des migrations à la création des richesses culturelles, sociales et économiques du pays.',
    ].join('\n'),
    results: [
      'Des publics enthousiastes.',
      'Des autorités locales satisfaites.',
      'Les autorités locales demandent à nous associer aux éditions suivantes.',
    ].join('\n'),
    audience: 'Tous les publics.',
    partners: 'Les autorités locales.',
    domain: 'civicParticipation',
    publics: ['everyone'],
    region: 'IDF',
    town: 'Houdan',
    // Two days of one month: a start month, no end (« Fin, si l'action a duré »).
    periodStart: '2022-09',
    author: 'ibrahim.coulibaly@capcos.test',
    cycle: IDF,
    written: '2025-03-12',
    asked: '2025-03-20',
    published: '2025-03-24',
  },
  {
    organization: 'CAPCOS',
    title: 'Forum de la société civile africaine à Épinay-sur-Seine',
    what: 'Un forum de la société civile africaine à Épinay-sur-Seine, le 13 mai 2023.',
    objectives: [
      '1. Créer des synergies entre associations des diasporas africaines d’une part, et avec les autorités de la ville et le département, pour des actions ici et là-bas.',
      '2. Vivre un moment festif tous ensemble (tout public).',
    ].join('\n'),
    results: [
      'Publics et autorités satisfaits : présence du maire, du député, du sénateur, de la consule générale du Maroc et du maire d’une ville du Maroc qui va faire un jumelage avec Épinay-sur-Seine.',
      'Les associations qui ne se connaissaient pas ont commencé à participer aux actions organisées ensuite par les unes et les autres.',
    ].join('\n'),
    audience: 'Les associations des diasporas africaines, et tout public.',
    domain: 'culture',
    publics: ['everyone'],
    region: 'IDF',
    town: 'Épinay-sur-Seine',
    periodStart: '2023-05',
    author: 'ibrahim.coulibaly@capcos.test',
    cycle: IDF,
    written: '2025-04-02',
    asked: '2025-04-02',
    published: '2025-04-07',
  },
  {
    organization: 'COSIM Bretagne',
    title: 'Alphabétisation',
    what: 'Des cours d’alphabétisation.',
    objectives: [
      'Favoriser l’autonomie des personnes.',
      'Faciliter leur intégration culturelle, sociale ou professionnelle.',
    ].join('\n'),
    results: [
      'Les participants s’expriment aisément et comprennent leurs interlocuteurs.',
      'Les participants suivent des parcours mis en place pour mieux connaître la France, ses institutions, son histoire, ses cultures.',
      'Les habitants se forment pour réaliser des projets dans le cadre des budgets participatifs de quartiers ou communaux.',
      'Les participants témoignent de leurs parcours pour motiver des primo-arrivants.',
    ].join('\n'),
    domain: 'education',
    publics: ['newcomers'],
    region: 'BRE',
    town: 'Rennes',
    inQpv: true,
    author: 'formation@cosim-bretagne.test',
    cycle: BRETAGNE,
    written: 26,
    asked: 12,
    published: 11,
  },
  {
    organization: 'COSIM Bretagne',
    title: 'Accompagnement administratif pour l’accès aux droits',
    what: 'Un accompagnement administratif pour l’accès aux droits.',
    objectives: [
      'Faciliter l’accès des personnes à leurs droits fondamentaux.',
      'Sensibiliser les participants à l’illégalité et aux conséquences des violences, notamment faites aux femmes.',
      'Sensibiliser les populations aux préjugés et aux discriminations.',
    ].join('\n'),
    results: [
      'Les participants comprennent le caractère indiscutable de la loi : elle protège et elle punit.',
      'Les participants comprennent que chaque pays a son arsenal juridique, et qu’on ne transpose pas les pratiques d’un pays à l’autre sans s’assurer de leur légalité.',
      'Les participants comprennent la différence entre un préjugé et une certitude.',
    ].join('\n'),
    domain: 'solidarity',
    region: 'BRE',
    town: 'Rennes',
    inQpv: true,
    author: 'formation@cosim-bretagne.test',
    cycle: BRETAGNE,
    written: 9,
    asked: 3,
    published: null,
  },
  {
    organization: 'COSIM Occitanie Méditerranée',
    title: 'Lutte contre la fracture numérique',
    what: 'Un accompagnement pour lutter contre la fracture numérique.',
    objectives: 'Accompagner les personnes vers l’autonomie, pour une insertion durable.',
    results: 'Taux d’insertion sur un parcours professionnel cohérent.',
    // The note lists it under « Solidarité »: its domain is kept.
    domain: 'solidarity',
    region: 'OCC',
    town: 'Montpellier',
    inQpv: true,
    author: 'youssef.elamrani@cosim-om.test',
    cycle: OM,
    written: 9,
    asked: 5,
    published: 3,
  },
  {
    organization: 'COSIM Occitanie Méditerranée',
    title: 'Ateliers sociolinguistiques',
    what: 'Des ateliers sociolinguistiques.',
    objectives: 'Un accompagnement pour une insertion durable.',
    results: 'Insertion sociale.',
    domain: 'employment',
    region: 'OCC',
    town: 'Montpellier',
    inQpv: true,
    author: 'youssef.elamrani@cosim-om.test',
    cycle: OM,
    written: 8,
    asked: 5,
    published: 2,
  },
  {
    organization: 'COSIM Auvergne-Rhône-Alpes',
    title: 'Campagne des 10 mythes sur les migrations',
    what: 'La campagne des 10 mythes sur les migrations.',
    objectives: ARA_OBJECTIVES,
    results: ARA_RESULTS,
    domain: 'ecsi',
    region: 'ARA',
    author: 'clarisse.mbarga@cosim-ara.test',
    cycle: ARA,
    written: '2025-10-06',
    asked: '2025-10-14',
    published: '2025-10-20',
  },
  {
    organization: 'COSIM Auvergne-Rhône-Alpes',
    title: 'Accueil et accompagnement des étudiants étrangers',
    what: 'L’accueil et l’accompagnement des étudiants étrangers.',
    objectives: ARA_OBJECTIVES,
    results: ARA_RESULTS,
    audience: 'Des étudiants étrangers.',
    domain: 'ecsi',
    publics: ['students'],
    region: 'ARA',
    author: 'clarisse.mbarga@cosim-ara.test',
    cycle: ARA,
    written: '2025-10-08',
    asked: '2025-10-14',
    published: '2025-10-20',
  },
  {
    organization: 'PAFHA',
    title: 'Distribution de kits alimentaires',
    what: 'La distribution de kits alimentaires aux plus démunis.',
    objectives: 'Distribuer des kits alimentaires aux plus démunis.',
    results: 'Alimentation et serviettes hygiéniques.',
    audience: 'Les plus démunis.',
    domain: 'solidarity',
    region: 'IDF',
    town: 'Saint-Denis',
    inQpv: true,
    author: 'mariama.bah@pafha.test',
    cycle: IDF,
    written: '2025-05-14',
    asked: '2025-05-21',
    published: '2025-05-26',
  },
  {
    organization: 'PAFHA',
    title: 'Journée portes ouvertes des associations',
    what: 'Une journée portes ouvertes des associations.',
    objectives: 'Formation, informatique, informations et culture.',
    results: 'Solidarité ; éduquer et informer.',
    domain: 'solidarity',
    region: 'IDF',
    town: 'Saint-Denis',
    inQpv: true,
    author: 'mariama.bah@pafha.test',
    cycle: IDF,
    written: '2025-05-19',
    asked: '2025-05-21',
    published: '2025-05-26',
  },
  {
    organization: 'RAME',
    title: 'Accompagnement des personnes dans leur processus d’insertion',
    what: 'Un accompagnement des personnes dans leur processus d’insertion.',
    objectives: 'Aider les personnes à trouver une formation ou un emploi.',
    results:
      'Beaucoup trouvent, grâce à notre accompagnement, une formation ou un emploi. C’est quelque chose que nous faisons naturellement.',
    domain: 'employment',
    region: 'ARA',
    town: 'Vaulx-en-Velin',
    inQpv: true,
    author: 'aliou.sy@rame.test',
    cycle: ARA,
    written: '2025-11-03',
    asked: '2025-11-10',
    published: '2025-11-17',
  },
  {
    // The annex names no action here: its title is its objective.
    organization: 'RAME',
    title: 'Formations pour renforcer les capacités de nos OSIM',
    what: 'Des formations organisées pour renforcer les capacités de nos OSIM.',
    objectives: 'Organiser des formations pour renforcer les capacités de nos OSIM.',
    results: 'Les OSIM gagnent en compétences dans plusieurs domaines : montage de projet, vie associative.',
    domain: 'solidarity',
    region: 'ARA',
    town: 'Vaulx-en-Velin',
    inQpv: true,
    author: 'aliou.sy@rame.test',
    cycle: ARA,
    written: '2025-11-05',
    asked: '2025-11-10',
    published: '2025-11-17',
  },
];

/** `days` ago at 10:00 UTC, or the day given at 10:00 UTC, plus `hours`. */
function at(when: When, hours = 0): Date {
  const date =
    typeof when === 'string'
      ? new Date(`${when}T10:00:00Z`)
      : new Date(new Date().setUTCHours(10, 0, 0, 0) - when * 86_400_000);
  return new Date(date.getTime() + hours * 3_600_000);
}

/**
 * The annex's fiches, after the demo cycles (demo-cycles.ts): the past cycles of COSIM
 * Île-de-France and Auvergne-Rhône-Alpes, then each fiche written (inserted as it stands: its
 * author's attendance is not the demo's story; nobody is enrolled in the past cycles, so the
 * dashboards' figures stay those of the 2026 cycles), asked for by its author and published by the
 * national team. Only when the courses are loaded (a cycle follows the path), like the demo cycles.
 */
export function seedFiches(tx: Db) {
  if (!getPath(tx)) return;
  const person = (email: string) => findUserByEmail(tx, email)!;
  const admin = loadCurrentUser(tx, person('admin@forim.test').id)!;
  const cycleIds = new Map(
    tx
      .select({ id: cycles.id, name: cycles.name })
      .from(cycles)
      .all()
      .map((c) => [c.name, c.id]),
  );
  for (const spec of CYCLES) {
    const collective = tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.name, spec.collective))
      .get()!;
    const id = createCycle(tx, admin, {
      name: spec.name,
      collectiveId: collective.id,
      startsOn: spec.startsOn,
      endsOn: spec.endsOn,
      enrolment: 'invitation',
    });
    cycleIds.set(spec.name, id);
  }
  for (const fiche of ANNEX_FICHES) {
    const author = loadCurrentUser(tx, person(fiche.author).id)!;
    const written = at(fiche.written);
    const id = tx
      .insert(experiences)
      .values({
        cycleId: cycleIds.get(fiche.cycle)!,
        authorId: author.id,
        title: fiche.title,
        what: fiche.what,
        objectives: fiche.objectives,
        results: fiche.results,
        audience: fiche.audience ?? '',
        partners: fiche.partners ?? '',
        domain: fiche.domain,
        publics: fiche.publics ?? [],
        region: fiche.region,
        town: fiche.town ?? '',
        inQpv: fiche.inQpv ?? false,
        qpvName: fiche.qpvName ?? '',
        periodStart: fiche.periodStart ?? null,
        sharedWithNetwork: true,
        createdAt: written,
        updatedAt: written,
      })
      .returning({ id: experiences.id })
      .get().id;
    requestPublication(tx, author, getExperienceFor(tx, author, id), at(fiche.asked, 1));
    if (fiche.published === null) continue;
    const asked = getExperienceFor(tx, admin, id);
    // Reviewed as written: the note names no private person.
    const texts = Object.fromEntries(REVIEWED_TEXTS.map((key) => [key, asked[key]])) as ReviewedTexts;
    publishExperience(tx, admin, asked, texts, at(fiche.published, 5));
  }
}
