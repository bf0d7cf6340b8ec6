// `npm run data:national`: FORIM's whole network, reproducibly from a seed, for the national
// dashboards — 15 COSIMs by region (overseas ones in their time zone), 30 FOSIMs by country of
// origin, 1,000 OSIMs (each in a COSIM, a quarter also in a FOSIM, about half acting in QPV),
// 30,000 members spread unevenly over them, 200 cycles from 18 months ago to 6 months ahead,
// 3,000 séances with sign-ups (waiting lists included) and roll calls, every member somewhere on
// the path (lessons, quiz attempts), and the certificates of those who meet their cycle's rules.
//
// Everything is decided in memory first (one seeded random stream, so the same seed and `now`
// give the same rows), then written with raw prepared statements in one transaction, with the
// secondary indexes of the big tables dropped before and built once after. The rules are the
// app's: sign-ups in arrival order up to the capacity then a waiting list moved up on each
// cancellation, roll call only for séances held, a certificate as soon as the rules are met
// (src/certificates/progress.ts) with a snapshot of the same shape as issueCertificate's.
import { DateTime } from 'luxon';
import type { Db } from '../db/client.ts';
import type { CertificateRules, CertificateSnapshot, Role } from '../db/schema.ts';
import { type CatalogCourse, catalog } from '../learning/catalog.ts';
import { searchable } from '../lib/text.ts';
import { searchColumns } from '../people/users.ts';
import { seededRandom } from './generate-network.ts';

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
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ——— The network's skeleton ———

interface CollectiveSeed {
  name: string;
  region: string;
  zone: string;
  /** Share of the OSIMs (weights, summing to 100). */
  weight: number;
  /** Where its OSIMs are; the first is its seat. */
  towns: string[];
}

/** The 15 COSIMs; the first nine have the demo seed's names, so a demo database keeps its own. */
const cosimSeeds: CollectiveSeed[] = [
  {
    name: 'COSIM Bretagne',
    region: 'Bretagne',
    zone: 'Europe/Paris',
    weight: 4,
    towns: ['Rennes', 'Brest', 'Lorient', 'Saint-Brieuc', 'Quimper', 'Vannes'],
  },
  {
    name: 'COSIM Auvergne-Rhône-Alpes',
    region: 'Auvergne-Rhône-Alpes',
    zone: 'Europe/Paris',
    weight: 10,
    towns: [
      'Lyon',
      'Villeurbanne',
      'Vaulx-en-Velin',
      'Vénissieux',
      'Grenoble',
      'Saint-Étienne',
      'Clermont-Ferrand',
    ],
  },
  {
    name: 'COSIM Occitanie Méditerranée',
    region: 'Occitanie',
    zone: 'Europe/Paris',
    weight: 6,
    towns: ['Montpellier', 'Nîmes', 'Perpignan', 'Béziers', 'Sète'],
  },
  {
    name: 'COSIM Occitanie Pyrénées',
    region: 'Occitanie',
    zone: 'Europe/Paris',
    weight: 5,
    towns: ['Toulouse', 'Colomiers', 'Montauban', 'Tarbes', 'Albi'],
  },
  {
    name: 'COSIM Nouvelle-Aquitaine',
    region: 'Nouvelle-Aquitaine',
    zone: 'Europe/Paris',
    weight: 6,
    towns: ['Bordeaux', 'Mérignac', 'Poitiers', 'Limoges', 'Pau', 'La Rochelle'],
  },
  {
    name: 'COSIM PACA',
    region: 'Provence-Alpes-Côte d’Azur',
    zone: 'Europe/Paris',
    weight: 8,
    towns: ['Marseille', 'Nice', 'Toulon', 'Avignon', 'Aix-en-Provence'],
  },
  {
    name: 'COSIM Hauts-de-France',
    region: 'Hauts-de-France',
    zone: 'Europe/Paris',
    weight: 8,
    towns: ['Lille', 'Roubaix', 'Tourcoing', 'Amiens', 'Valenciennes', 'Calais'],
  },
  {
    name: 'COSIM Île-de-France',
    region: 'Île-de-France',
    zone: 'Europe/Paris',
    weight: 22,
    towns: [
      'Paris',
      'Saint-Denis',
      'Montreuil',
      'Aubervilliers',
      'Épinay-sur-Seine',
      'Sarcelles',
      'Évry-Courcouronnes',
      'Créteil',
      'Nanterre',
      'Argenteuil',
      'Bobigny',
      'Clichy-sous-Bois',
      'Mantes-la-Jolie',
    ],
  },
  {
    name: 'COSIM Pays de la Loire',
    region: 'Pays de la Loire',
    zone: 'Europe/Paris',
    weight: 4,
    towns: ['Nantes', 'Angers', 'Le Mans', 'Saint-Nazaire'],
  },
  {
    name: 'COSIM Grand Est',
    region: 'Grand Est',
    zone: 'Europe/Paris',
    weight: 7,
    towns: ['Strasbourg', 'Mulhouse', 'Metz', 'Nancy', 'Reims'],
  },
  {
    name: 'COSIM Normandie',
    region: 'Normandie',
    zone: 'Europe/Paris',
    weight: 4,
    towns: ['Rouen', 'Le Havre', 'Caen', 'Évreux'],
  },
  {
    name: 'COSIM Centre-Val de Loire',
    region: 'Centre-Val de Loire',
    zone: 'Europe/Paris',
    weight: 3,
    towns: ['Orléans', 'Tours', 'Bourges', 'Blois'],
  },
  {
    name: 'COSIM Bourgogne-Franche-Comté',
    region: 'Bourgogne-Franche-Comté',
    zone: 'Europe/Paris',
    weight: 3,
    towns: ['Dijon', 'Besançon', 'Belfort', 'Montbéliard'],
  },
  {
    name: 'COSIM La Réunion',
    region: 'La Réunion',
    zone: 'Indian/Reunion',
    weight: 5,
    towns: ['Saint-Denis', 'Saint-Pierre', 'Le Port', 'Saint-Paul'],
  },
  {
    name: 'COSIM Guadeloupe',
    region: 'Guadeloupe',
    zone: 'America/Guadeloupe',
    weight: 5,
    towns: ['Pointe-à-Pitre', 'Les Abymes', 'Baie-Mahault', 'Basse-Terre'],
  },
];

/** A few well-known priority neighbourhoods, for the OSIMs' QPV note. */
const neighbourhoods: Record<string, string[]> = {
  Rennes: ['Le Blosne', 'Villejean', 'Maurepas', 'Cleunay'],
  Montpellier: ['La Mosson', 'Petit Bard'],
  Nîmes: ['Valdegour', 'Pissevin'],
  Lyon: ['La Duchère'],
  Vénissieux: ['Les Minguettes'],
  Grenoble: ['Villeneuve'],
  Toulouse: ['Le Mirail', 'Bagatelle'],
  Bordeaux: ['Les Aubiers'],
  Lille: ['Lille-Sud'],
  Strasbourg: ['Neuhof', 'Hautepierre'],
  Nantes: ['Bellevue', 'Malakoff'],
  Orléans: ['La Source'],
  Dijon: ['Les Grésilles'],
  Besançon: ['Planoise'],
  Reims: ['Croix-Rouge'],
  Caen: ['La Grâce de Dieu'],
};

type NameGroup = 'ouest' | 'centre' | 'maghreb' | 'ocean' | 'caraibes' | 'asie' | 'france';

interface Origin {
  country: string;
  /** "Association des … de Lyon". */
  people: string;
  group: NameGroup;
  weight: number;
}

/** The 30 FOSIMs, one per country of origin, with how common OSIMs of that origin are. */
const origins: Origin[] = [
  { country: 'Mali', people: 'Maliens', group: 'ouest', weight: 8 },
  { country: 'Sénégal', people: 'Sénégalais', group: 'ouest', weight: 8 },
  { country: 'Algérie', people: 'Algériens', group: 'maghreb', weight: 8 },
  { country: 'Maroc', people: 'Marocains', group: 'maghreb', weight: 8 },
  { country: 'Comores', people: 'Comoriens', group: 'ocean', weight: 6 },
  { country: 'Côte d’Ivoire', people: 'Ivoiriens', group: 'ouest', weight: 5 },
  { country: 'Cameroun', people: 'Camerounais', group: 'centre', weight: 5 },
  { country: 'Tunisie', people: 'Tunisiens', group: 'maghreb', weight: 4 },
  { country: 'Guinée', people: 'Guinéens', group: 'ouest', weight: 4 },
  { country: 'RD Congo', people: 'Congolais (RDC)', group: 'centre', weight: 4 },
  { country: 'Madagascar', people: 'Malgaches', group: 'ocean', weight: 4 },
  { country: 'Haïti', people: 'Haïtiens', group: 'caraibes', weight: 4 },
  { country: 'Mauritanie', people: 'Mauritaniens', group: 'ouest', weight: 3 },
  { country: 'Burkina Faso', people: 'Burkinabè', group: 'ouest', weight: 3 },
  { country: 'Congo', people: 'Congolais', group: 'centre', weight: 3 },
  { country: 'Bénin', people: 'Béninois', group: 'ouest', weight: 3 },
  { country: 'Togo', people: 'Togolais', group: 'ouest', weight: 3 },
  { country: 'Cap-Vert', people: 'Cap-Verdiens', group: 'ouest', weight: 2 },
  { country: 'Niger', people: 'Nigériens', group: 'ouest', weight: 2 },
  { country: 'Tchad', people: 'Tchadiens', group: 'centre', weight: 2 },
  { country: 'Centrafrique', people: 'Centrafricains', group: 'centre', weight: 2 },
  { country: 'Gabon', people: 'Gabonais', group: 'centre', weight: 2 },
  { country: 'Vietnam', people: 'Vietnamiens', group: 'asie', weight: 2 },
  { country: 'Djibouti', people: 'Djiboutiens', group: 'centre', weight: 1 },
  { country: 'Rwanda', people: 'Rwandais', group: 'centre', weight: 1 },
  { country: 'Burundi', people: 'Burundais', group: 'centre', weight: 1 },
  { country: 'Cambodge', people: 'Cambodgiens', group: 'asie', weight: 1 },
  { country: 'Laos', people: 'Laotiens', group: 'asie', weight: 1 },
  { country: 'Liban', people: 'Libanais', group: 'maghreb', weight: 1 },
  { country: 'Égypte', people: 'Égyptiens', group: 'maghreb', weight: 1 },
];

/** A list written as one comma-separated string (names contain spaces, never commas). */
const list = (text: string) => text.split(/,\s*/);

const names: Record<NameGroup, { first: string[]; last: string[] }> = {
  ouest: {
    first: list(`Aminata, Awa, Fatou, Mariama, Aïssatou, Kadiatou, Salimata, Fatoumata, Rokia, Binta, Ndeye,
      Sokhna, Hawa, Oumou, Djeneba, Aya, Akissi, Mamadou, Moussa, Ibrahima, Oumar, Amadou,
      Abdoulaye, Lamine, Cheikh, Souleymane, Boubacar, Idrissa, Modibo, Seydou, Ousmane, Adama,
      Koffi, Yao`),
    last: list(`Diop, Ndiaye, Sow, Diallo, Traoré, Koné, Coulibaly, Camara, Keïta, Touré, Bah, Barry, Sylla,
      Cissé, Diarra, Sissoko, Konaté, Sangaré, Fofana, Kouyaté, Ba, Gueye, Fall, Faye, Sarr,
      Kouamé, Konan, N’Guessan, Ouédraogo, Sawadogo, Zongo, Adjovi, Houngbo, Agbo, Mensah, Soumaré,
      Dembélé, Kanté, Tandia, Gomes, Tavares`),
  },
  centre: {
    first: list(`Patrice, Serge, Didier, Thierry, Jean-Baptiste, Blaise, Aimé, Emmanuel, Achille, Joël,
      Christelle, Nadège, Grâce, Merveille, Pascaline, Chantal, Josiane, Clarisse, Sandrine,
      Mahamat, Hawaou`),
    last: list(`Mbemba, Nzinga, Mbarga, Ngono, Atangana, Essomba, Mukendi, Kalala, Tshibanda, Ilunga, Mbuyi,
      Nsimba, Makaya, Moussavou, Ndong, Abakar, Habimana, Uwimana, Niyonzima, Nshimirimana,
      Houssein, Nkoulou`),
  },
  maghreb: {
    first: list(`Khadija, Nadia, Karima, Yasmina, Leïla, Samira, Fatima, Amina, Malika, Nour, Sara, Inès,
      Salma, Rania, Lina, Youssef, Karim, Samir, Rachid, Hamid, Mohamed, Ahmed, Mehdi, Bilal,
      Nabil, Farid, Sofiane, Walid, Mounir, Hichem`),
    last: list(`Benali, Haddad, Mansouri, El Amrani, Bensaïd, Chérif, Boukhari, Kaddour, Belkacem, Zeroual,
      Benmoussa, Bouzid, Hamdi, Saïdi, Trabelsi, Ben Ahmed, El Idrissi, Alaoui, Bennani, Tazi,
      Meziane, Amrouche, Khelifi, Brahimi, Gharbi, Jaziri, Rahmani, Naceri`),
  },
  ocean: {
    first: list(`Zaïnaba, Faïza, Halima, Nadjma, Anli, Saïd, Ali, Ibrahim, Hery, Fanja, Voahirana, Tiana,
      Rivo, Lalaina, Andry, Miora, Noro, Haja`),
    last: list(`Abdallah, Soilihi, Mmadi, Attoumani, Madi, Houmadi, Youssouf, Ahamada, Randrianarisoa,
      Rakotomalala, Rasoanaivo, Andriamanantena, Razafindrakoto, Rakotondrabe, Ravelojaona`),
  },
  caraibes: {
    first: list(`Jean-Robert, Marie-Carmel, Wilner, Roseline, Jocelyne, Fritz, Réginald, Guerline, Stéphanie,
      Ricardo, Ketly, Marie-Ange, Lucie, Frantz`),
    last: list(`Pierre-Louis, Jean-Baptiste, Joseph, Étienne, Charles, Louis-Jean, Désir, Saint-Fleur,
      Célestin, Augustin, Dorvil, Noël, Fleurant, Jean-Pierre, Toussaint`),
  },
  asie: {
    first: list(`Lan, Minh, Hoa, Tuan, Linh, Sophal, Sokha, Dara, Bounmy, Vanna, Mai, Thanh`),
    last: list(`Nguyen, Tran, Le, Pham, Hoang, Vo, Dang, Sok, Chea, Keo, Sayavong, Vongsa`),
  },
  france: {
    first: list(`Claire, Sophie, Julien, Nicolas, Isabelle, Marie, Camille, Thomas, Élodie, Pierre, Hélène,
      Mathieu, Anne, Laurent, Céline, Yannick`),
    last: list(`Martin, Bernard, Dubois, Lefèvre, Moreau, Simon, Michel, Garcia, Roux, Fournier, Girard,
      Bonnet, Lambert, Fontaine, Le Gall, Kerjean`),
  },
};
const groups = Object.keys(names) as NameGroup[];

const osimHeads =
  list(`Solidarité, Entraide, Avenir, Horizons, Passerelles, Racines, Ponts, Maison, Cercle, Réseau,
  Espoir, Trait d’union, Unité, Lumière`);
const osimTails =
  list(`Femmes, Jeunesse, Familles, Diaspora, Citoyenne, Interculturelle, Sans Frontières, du Sahel,
  des Deux Rives, Ensemble, Nord-Sud, et Développement, des Quartiers, Partage`);
const mailDomains = ['courriel.test', 'messagerie.test', 'boite-mail.test', 'mail-asso.test'];
const streets =
  list(`rue de la République, avenue Jean-Jaurès, rue Victor-Hugo, boulevard Pasteur, rue Jules-Ferry,
  place de la Mairie, rue du Général-Leclerc, avenue de la Libération, rue Émile-Zola,
  rue des Écoles, allée des Tilleuls, rue Jean-Moulin`);
const places =
  list(`Maison de quartier, Centre social, Salle municipale, Maison des associations, Médiathèque,
  Maison pour tous, Espace associatif`);

/** Séance themes for each course of the path, in the path's order. */
const courseThemes: string[][] = [
  [
    'Les QPV de notre territoire : où agissons-nous ?',
    'Le contrat de ville : qui fait quoi ?',
    'Rencontre avec le délégué du préfet',
    'Les conseils citoyens : comment y prendre part',
    'Répondre à l’appel à projets du contrat de ville',
  ],
  [
    'Atelier : du diagnostic des besoins aux objectifs',
    'Atelier : construire le budget prévisionnel',
    'Trouver des cofinancements : collectivités, État, CAF, fondations',
    'Relire ensemble une demande de subvention',
    'Le bilan et l’évaluation d’un projet',
  ],
  [
    'Échange entre pairs : trouver et réserver une salle',
    'Assurance et sécurité d’un événement',
    'Mobiliser et fidéliser les bénévoles',
    'Communiquer pour toucher le public du quartier',
    'Le rétroplanning d’un événement',
  ],
];
const peerExchanges = [
  {
    title: 'Échange de pratiques entre associations',
    theme: 'Chacun présente une action menée et ce qu’il en retient',
  },
  {
    title: 'Visite d’une action dans un quartier',
    theme: 'Voir sur place comment une association du réseau s’y est prise',
  },
  { title: 'Café-rencontre des bénévoles', theme: 'Faire connaissance entre associations du collectif' },
];
const cancelReasons = [
  'Salle indisponible : le prêt a été annulé par la mairie.',
  'Formatrice malade, la séance sera reprogrammée.',
  'Trop peu d’inscriptions à cette date.',
  'Grève des transports.',
  'Alerte météo : rassemblements déconseillés.',
];
const summaries = [
  'Chaque association a présenté une action en cours ; nous avons noté les difficultés communes.',
  'Travail en petits groupes sur les projets apportés, puis mise en commun.',
  'Beaucoup de questions sur les cofinancements : nous y reviendrons à la prochaine séance.',
  'Un échange riche ; plusieurs associations vont monter une action ensemble.',
];
const revokeReasons = [
  'Délivrée par erreur : une présence avait été enregistrée à tort.',
  'Doublon : la personne avait deux comptes.',
  'À la demande de la personne.',
];

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function slug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** "de Lyon", "d’Évreux", "du Havre", "des Abymes". */
function ofTown(town: string): string {
  if (town.startsWith('Le ')) return `du ${town.slice(3)}`;
  if (town.startsWith('Les ')) return `des ${town.slice(4)}`;
  return /^[AEIOUYÉÈÎH]/.test(town) ? `d’${town}` : `de ${town}`;
}

/** Shares `total` out in proportion to `weights` (largest remainder). */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  const order = exact
    .map((e, i) => ({ frac: e - Math.floor(e), i }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  let left = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length]!.i]! += 1;
  return out;
}

class Dice {
  constructor(readonly next: () => number) {}
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  exponential(): number {
    return -Math.log(1 - this.next());
  }
  /** An index drawn with the given weights. */
  weighted(weights: readonly number[]): () => number {
    const cumulative: number[] = [];
    let sum = 0;
    for (const w of weights) {
      sum += w;
      cumulative.push(sum);
    }
    return () => {
      const x = this.next() * sum;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

// ——— What is decided in memory before writing ———

interface Collective {
  id: number;
  kind: 'cosim' | 'fosim';
  name: string;
  zone: string;
  towns: string[];
  coordinators: number[];
  trainers: number[];
  cycles: number[];
}

interface Osim {
  id: number;
  name: string;
  cosim: number;
  fosim: number;
  town: string;
  origin: Origin;
}

interface Member {
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

interface CyclePlan {
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

interface GatheringPlan {
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

interface Signup {
  gathering: number;
  member: number;
  createdAt: number;
  status: 'confirmed' | 'waiting' | 'cancelled';
  confirmedAt: number;
  cancelledAt: number;
}

interface AttendanceRow {
  gathering: number;
  member: number;
  guestName: string | null;
  guestOrganization: string | null;
  status: 'present' | 'absent' | 'excused';
  walkIn: boolean;
  markedAt: number;
  markedBy: number;
}

interface Attempt {
  member: number;
  quiz: number;
  at: number;
  right: number;
}

/** The secondary (non-unique) indexes of these tables are dropped while writing, built once after. */
const BULK_TABLES = [
  'users',
  'memberships',
  'cycle_members',
  'lesson_progress',
  'quiz_attempts',
  'gathering_signups',
  'attendance',
  'certificates',
];

/**
 * Fills the database (migrated, courses synced; demo data or not) with FORIM's national network.
 * Collectives already there under the same name are reused; everything else is added.
 */
export function generateNational(db: Db, options: NationalOptions): NationalCounts {
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

  // Statements: each SQL text prepared once (src/db/client.ts keeps them).
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
  const bulkIndexes = sqlite.prepare(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
     AND tbl_name IN (${BULK_TABLES.map(() => '?').join(', ')}) ORDER BY name`,
  );
  // The directory's full-text index is fed row by row by a trigger; rebuilt once it is 3× faster.
  const searchTrigger = sqlite.prepare(
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'users_search_insert'",
  );
  const existingCodes = sqlite.prepare('SELECT code FROM certificates');
  const frameworkSkills = sqlite.prepare(
    'SELECT code, title FROM skills WHERE archived_at IS NULL ORDER BY position',
  );
  const pragma = (name: string) =>
    Object.values(sqlite.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[0];

  const previous = {
    synchronous: pragma('synchronous'),
    cache_size: pragma('cache_size'),
    temp_store: pragma('temp_store'),
  };
  sqlite.exec('PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;');

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

  try {
    sqlite.transaction(() => {
      const deferred = bulkIndexes.all(...BULK_TABLES) as Array<{ name: string; sql: string }>;
      for (const index of deferred) sqlite.exec(`DROP INDEX "${index.name}"`);
      const trigger = searchTrigger.get() as { sql: string } | undefined;
      if (trigger) sqlite.exec('DROP TRIGGER users_search_insert');

      // ——— Organizations ———
      const forimId =
        (findOrg.get('forim', 'FORIM') as { id: number } | undefined)?.id ??
        Number(
          insertOrg.run('forim', 'FORIM', 'National', 'Paris', null, null, 0, null, 'forim', platformStart)
            .lastInsertRowid,
        );
      const collectives: Collective[] = [];
      const addCollective = (
        kind: 'cosim' | 'fosim',
        name: string,
        region: string,
        town: string,
        zone: string,
        towns: string[],
      ) => {
        const existing = findOrg.get(kind, name) as { id: number } | undefined;
        const id =
          existing?.id ??
          Number(
            insertOrg.run(kind, name, region, town, forimId, null, 0, null, searchable(name), platformStart)
              .lastInsertRowid,
          );
        collectives.push({ id, kind, name, zone, towns, coordinators: [], trainers: [], cycles: [] });
        return collectives.length - 1;
      };
      for (const c of cosimSeeds) addCollective('cosim', c.name, c.region, c.towns[0]!, c.zone, c.towns);
      const fosimOf = new Map<Origin, number>();
      for (const o of origins) {
        const seat =
          o.group === 'ocean' && dice.chance(0.5) ? 'Marseille' : dice.chance(0.8) ? 'Paris' : 'Lyon';
        fosimOf.set(
          o,
          addCollective('fosim', `FOSIM ${o.country}`, 'National', seat, 'Europe/Paris', [seat]),
        );
      }
      counts.cosims = cosimSeeds.length;
      counts.fosims = origins.length;

      const pickOrigin = dice.weighted(origins.map((o) => o.weight));
      const osims: Osim[] = [];
      const osimNames = new Set<string>();
      const perCosim = allocate(
        sizes.osims,
        cosimSeeds.map((c) => c.weight),
      );
      const osimWeights: number[] = [];
      perCosim.forEach((n, cosim) => {
        const seed = cosimSeeds[cosim]!;
        const pickTown = dice.weighted(seed.towns.map((_, i) => (i === 0 ? 4 : 1)));
        for (let k = 0; k < n; k++) {
          const town = seed.towns[pickTown()]!;
          const origin = origins[pickOrigin()]!;
          const inFosim = dice.chance(0.25);
          const style = dice.next();
          let name =
            style < 0.3
              ? `Association des ${origin.people} ${ofTown(town)}`
              : style < 0.55
                ? `${dice.pick(osimHeads)} ${origin.country}`
                : style < 0.85
                  ? `${dice.pick(osimHeads)} ${dice.pick(osimTails)}`
                  : `${dice.chars('ABCDEFGHIJKLMNOPRSTUV', dice.int(3, 5))}`;
          if (osimNames.has(name)) name = `${name} ${town}`;
          for (let n2 = 2; osimNames.has(name); n2++) name = `${name.replace(/ \(\d+\)$/, '')} (${n2})`;
          osimNames.add(name);
          const acts = dice.chance(0.52);
          const qpv = acts && neighbourhoods[town] ? dice.pick(neighbourhoods[town]) : null;
          const fosim = inFosim ? fosimOf.get(origin)! : -1;
          const id = Number(
            insertOrg.run(
              'osim',
              name,
              null,
              town,
              collectives[cosim]!.id,
              fosim >= 0 ? collectives[fosim]!.id : null,
              acts ? 1 : 0,
              qpv,
              searchable(name),
              platformStart + dice.between(0, 10) * DAY,
            ).lastInsertRowid,
          );
          osims.push({ id, name, cosim, fosim, town, origin });
          // Members spread unevenly: a few big associations, many small ones.
          osimWeights.push(Math.exp(dice.normal() * 0.75));
        }
      });
      counts.osims = osims.length;
      step('organisations', osims.length + collectives.length);

      // ——— Staff: the collectives' coordinators and trainers, the national team ———
      const staffRole = (collective: number, role: Role, group: NameGroup) => {
        const c = collectives[collective]!;
        const { name, email } = person(group, `${slug(c.name)}.test`);
        const createdAt = platformStart + dice.between(1, 30) * DAY;
        const userId = writeUser(name, email, 'fr', c.zone, now - dice.between(0, 20) * DAY, createdAt);
        insertMembership.run(userId, c.id, role, createdAt);
        (role === 'coordinator' ? c.coordinators : c.trainers).push(userId);
        counts.staff++;
        counts.memberships++;
      };
      collectives.forEach((c, i) => {
        const group = c.kind === 'fosim' ? origins[i - cosimSeeds.length]!.group : randomGroup(null);
        staffRole(i, 'coordinator', group);
        const trainers = c.kind === 'fosim' ? 1 : c.name === 'COSIM Île-de-France' ? 5 : dice.int(2, 4);
        for (let k = 0; k < trainers; k++)
          staffRole(i, 'trainer', c.kind === 'fosim' ? group : randomGroup(null));
      });
      const nationalTeam: number[] = [];
      for (let k = 0; k < 2; k++) {
        const { name, email } = person(randomGroup(null), 'forim.test');
        const createdAt = platformStart;
        const userId = writeUser(
          name,
          email,
          'fr',
          'Europe/Paris',
          now - dice.between(0, 3) * DAY,
          createdAt,
        );
        insertMembership.run(userId, forimId, 'admin', createdAt);
        nationalTeam.push(userId);
        counts.staff++;
        counts.memberships++;
      }

      // ——— Members: which OSIM (uneven), who they are ———
      const pickOsim = dice.weighted(osimWeights);
      const members: Member[] = [];
      for (let i = 0; i < sizes.members; i++) {
        const o = pickOsim();
        const osim = osims[o]!;
        const { name, email } = person(randomGroup(osim.origin), null);
        members.push({
          osim: o,
          name,
          email,
          zone: collectives[osim.cosim]!.zone,
          locale: dice.chance(0.02) ? 'en' : 'fr',
          createdAt: 0,
          cycle: -1,
          enrolledAt: 0,
          selfEnrolled: false,
          withdrawnAt: 0,
          userId: 0,
          engagement: 0,
          lastActivity: 0,
          present: [],
        });
      }

      // ——— Cycles: per collective, in proportion to its members; dates from −18 to +6 months ———
      const membersOf = collectives.map(() => 0);
      for (const m of members) {
        const osim = osims[m.osim]!;
        membersOf[osim.cosim]!++;
        if (osim.fosim >= 0) membersOf[osim.fosim]!++;
      }
      const fosimCycles = sizes.cycles >= 10 ? Math.round(sizes.cycles * 0.1) : 0;
      const cycleCounts = [
        ...allocate(sizes.cycles - fosimCycles, membersOf.slice(0, cosimSeeds.length)),
        ...allocate(fosimCycles, membersOf.slice(cosimSeeds.length)),
      ];
      const cyclePlans: CyclePlan[] = [];
      const windowStart = now - 548 * DAY;
      const windowEnd = now + 183 * DAY;
      const cycleNames = new Set<string>();
      const ruleVariants: Array<{ weight: number; rules: () => CertificateRules; namesLaunch: boolean }> = [
        {
          weight: 70,
          namesLaunch: false,
          rules: () => ({
            courseIds: content.courses.map((c) => c.id),
            passMark: null,
            minGatherings: 2,
            gatheringIds: [],
          }),
        },
        {
          weight: 12,
          namesLaunch: false,
          rules: () => ({
            courseIds: content.courses.map((c) => c.id),
            passMark: null,
            minGatherings: 3,
            gatheringIds: [],
          }),
        },
        {
          weight: 12,
          namesLaunch: false,
          rules: () => ({
            courseIds: content.courses.slice(0, 2).map((c) => c.id),
            passMark: null,
            minGatherings: 1,
            gatheringIds: [],
          }),
        },
        {
          weight: 6,
          namesLaunch: true,
          rules: () => ({
            courseIds: content.courses.map((c) => c.id),
            passMark: 80,
            minGatherings: 2,
            gatheringIds: [],
          }),
        },
      ];
      const pickRules = dice.weighted(ruleVariants.map((v) => v.weight));
      cycleCounts.forEach((k, ci) => {
        const c = collectives[ci]!;
        const today = DateTime.fromMillis(now, { zone: c.zone }).startOf('day');
        for (let j = 0; j < k; j++) {
          const length = Math.round(dice.between(120, 240));
          const latest = windowEnd - length * DAY;
          const start = windowStart + ((j + dice.between(0.1, 0.9)) * (latest - windowStart)) / k;
          const first = today.plus({ days: Math.round((start - now) / DAY) });
          const last = first.plus({ days: length });
          let name = `Cycle ${first.setLocale('fr').toFormat('LLLL yyyy')} — ${c.name}`;
          if (cycleNames.has(name)) name = `${name} (bis)`;
          cycleNames.add(name);
          const startsAt = first.toMillis();
          const endsAt = last.endOf('day').toMillis();
          const createdAt = Math.min(startsAt - dice.between(15, 60) * DAY, now - dice.between(1, 48) * HOUR);
          const variant = ruleVariants[pickRules()]!;
          const archivedAt =
            endsAt < now - 120 * DAY && dice.chance(0.5)
              ? Math.min(now - HOUR, endsAt + dice.between(60, 120) * DAY)
              : 0;
          c.cycles.push(cyclePlans.length);
          cyclePlans.push({
            id: 0,
            name,
            collective: ci,
            startsOn: first.toISODate()!,
            endsOn: last.toISODate()!,
            startsAt,
            endsAt,
            createdAt,
            createdBy: dice.chance(0.6) ? dice.pick(c.coordinators) : dice.pick(c.trainers),
            enrolment: dice.chance(0.75) ? 'open' : 'invitation',
            rules: variant.rules(),
            namesLaunch: variant.namesLaunch,
            archivedAt,
            trainer: dice.pick(c.trainers),
            members: [],
            gatherings: [],
          });
        }
      });

      // ——— Enrolments and accounts' dates ———
      members.forEach((m, i) => {
        const osim = osims[m.osim]!;
        const own = collectives[osim.cosim]!.cycles;
        const federation = osim.fosim >= 0 ? collectives[osim.fosim]!.cycles : [];
        const choices = federation.length > 0 && dice.chance(0.3) ? federation : own;
        if (choices.length > 0 && dice.chance(0.9)) {
          const pickCycle = dice.weighted(choices.map((c) => (cyclePlans[c]!.startsAt > now ? 0.6 : 1)));
          const ci = choices[pickCycle()]!;
          const cycle = cyclePlans[ci]!;
          const lo = Math.min(cycle.createdAt + HOUR, now - 2 * MINUTE);
          const hi = Math.max(lo, Math.min(now - MINUTE, cycle.startsAt + 45 * DAY));
          m.cycle = ci;
          m.enrolledAt = Math.round(dice.between(lo, hi));
          m.selfEnrolled = cycle.enrolment === 'open' && dice.chance(0.8);
          const withdrawFrom = m.enrolledAt + 3 * DAY;
          const withdrawTo = Math.min(now - MINUTE, cycle.endsAt);
          if (withdrawTo > withdrawFrom && dice.chance(0.05))
            m.withdrawnAt = Math.round(dice.between(withdrawFrom, withdrawTo));
          m.createdAt = Math.round(
            Math.max(platformStart + 15 * DAY, m.enrolledAt - dice.between(10 * MINUTE, 45 * DAY)),
          );
          if (m.createdAt > m.enrolledAt) m.createdAt = m.enrolledAt;
          cycle.members.push(i);
        } else {
          m.createdAt = Math.round(dice.between(platformStart + 15 * DAY, now - HOUR));
        }
      });

      // ——— Progress on the path, decided before writing (it sets last_seen_at) ———
      const lpFirst = new Float64Array(members.length * L);
      const lpLast = new Float64Array(members.length * L);
      const lpDone = new Float64Array(members.length * L);
      const attempts: Attempt[] = [];
      members.forEach((m, i) => {
        const start = m.cycle >= 0 ? m.enrolledAt : m.createdAt;
        const end = m.withdrawnAt || now;
        const window = end - start;
        const ripe = Math.min(1, Math.max(0, window / (150 * DAY)));
        const r = dice.next();
        const never = 0.06 + 0.2 * (1 - ripe);
        const depth =
          window <= MINUTE || r < never
            ? 0
            : r < never + 0.3 * ripe
              ? S
              : 1 + Math.floor((S - 1) * dice.next() ** (1 + 0.8 * (1 - ripe)));
        // Times of each step done (and of the step reached next), paced, squeezed into the window.
        const pace = 2 * DAY * Math.exp(dice.normal() * 0.8);
        const gaps: number[] = [dice.between(0, 5) * DAY];
        for (let k = 1; k <= Math.min(depth, S - 1); k++)
          gaps.push(pace * dice.exponential() * ('quiz' in pathSteps[k]! ? 0.3 : 1) + 10 * MINUTE);
        const total = gaps.reduce((a, b) => a + b, 0);
        const squeeze = total > window * 0.97 ? (window * dice.between(0.6, 0.97)) / total : 1;
        const at: number[] = [];
        let t = start;
        for (const g of gaps) {
          t += g * squeeze;
          at.push(t);
        }
        const skipLesson = depth >= 3 && dice.chance(0.05) ? dice.int(0, depth - 2) : -1;
        let lastActivity = 0;
        let passedAll = depth === S;
        for (let k = 0; k <= Math.min(depth, S - 1); k++) {
          const s = pathSteps[k]!;
          const done = k < depth;
          const time = Math.round(at[k]!);
          const previous = k > 0 ? at[k - 1]! : start;
          if ('lesson' in s) {
            const cell = i * L + s.lesson;
            const opened = Math.round(Math.max(previous, time - dice.between(3, 30) * MINUTE));
            if (done && k === skipLesson) {
              passedAll = false;
              if (dice.chance(0.5)) {
                lpFirst[cell] = opened;
                lpLast[cell] = opened;
                lastActivity = Math.max(lastActivity, opened);
              }
            } else if (done) {
              lpFirst[cell] = opened;
              lpDone[cell] = time;
              lpLast[cell] = dice.chance(0.12) ? Math.round(dice.between(time, end)) : time;
              lastActivity = Math.max(lastActivity, lpLast[cell]!);
            } else if (dice.chance(0.55)) {
              lpFirst[cell] = opened;
              lpLast[cell] = opened;
              lastActivity = Math.max(lastActivity, opened);
            }
          } else {
            const need = quizNeeds[s.quiz]!;
            const n = pathQuizzes[s.quiz]!.questions.length;
            const failing = () => dice.int(Math.min(need - 1, Math.ceil(n * 0.3)), need - 1);
            let tries: number[];
            if (done && dice.chance(0.95)) {
              const fails = dice.chance(0.6) ? 0 : dice.chance(0.7) ? 1 : 2;
              tries = [...Array.from({ length: fails }, failing), dice.int(need, n)];
            } else {
              if (done) passedAll = false;
              tries = dice.chance(done ? 0.5 : 0.4)
                ? []
                : Array.from({ length: dice.int(1, done ? 1 : 3) }, failing);
            }
            const from = previous;
            const to = done ? time : Math.round(dice.between(previous, end));
            tries.forEach((right, j) => {
              const when = Math.round(from + ((to - from) * (j + 1)) / tries.length);
              attempts.push({ member: i, quiz: s.quiz, at: when, right });
              lastActivity = Math.max(lastActivity, when);
            });
          }
        }
        if (passedAll) counts.finishedPath++;
        m.engagement = Math.min(1, depth / S + 0.25 * dice.next());
        m.lastActivity = lastActivity;
      });

      // ——— Accounts and memberships, in the order they were created ———
      const order = members
        .map((_, i) => i)
        .sort((a, b) => members[a]!.createdAt - members[b]!.createdAt || a - b);
      for (const i of order) {
        const m = members[i]!;
        const lastSeen = m.lastActivity
          ? Math.min(now, m.lastActivity + dice.between(0, 3) * DAY)
          : m.createdAt + dice.between(1, 20) * MINUTE;
        m.userId = writeUser(m.name, m.email, m.locale, m.zone, Math.round(lastSeen), m.createdAt);
        insertMembership.run(m.userId, osims[m.osim]!.id, 'member', m.createdAt);
        counts.memberships++;
      }
      counts.members = members.length;

      // ——— Invitations: most members came in by one; others are pending, expired or withdrawn.
      // Their own random stream, so that adding them left the rest of the network unchanged.
      const invite = new Dice(seededRandom(options.seed + 1));
      let invitationSeq = 0;
      const inviter = (osim: number) => {
        const staff = collectives[osims[osim]!.cosim]!.coordinators;
        return staff.length > 0 ? invite.pick(staff) : null;
      };
      for (const i of order) {
        const m = members[i]!;
        if (!invite.chance(0.85)) continue;
        const sent = m.createdAt - Math.round(invite.between(0.1, 6) * DAY);
        insertInvitation.run(
          m.email,
          m.name,
          osims[m.osim]!.id,
          `national-${options.seed}-${++invitationSeq}`,
          inviter(m.osim),
          sent + 14 * DAY,
          m.createdAt,
          m.userId,
          null,
          sent,
          sent,
        );
      }
      for (let k = Math.round(members.length * 0.12); k > 0; k--) {
        const a = members[invite.int(0, members.length - 1)]!;
        const b = members[invite.int(0, members.length - 1)]!;
        const name = `${a.name.split(' ')[0]} ${b.name.split(' ').slice(1).join(' ')}`;
        const sent = Math.round(invite.between(now - 120 * DAY, now - HOUR));
        insertInvitation.run(
          `${slug(name).replace(/-/g, '.')}.i${k}@${invite.pick(mailDomains)}`,
          name,
          osims[a.osim]!.id,
          `national-${options.seed}-${++invitationSeq}`,
          inviter(a.osim),
          sent + 14 * DAY,
          null,
          null,
          invite.chance(0.1) ? sent + DAY : null,
          sent,
          sent,
        );
      }
      counts.invitations = invitationSeq;
      if (trigger) {
        sqlite.exec("INSERT INTO users_search (users_search) VALUES ('rebuild')");
        sqlite.exec(trigger.sql);
      }
      step('comptes et adhésions', members.length + counts.staff);

      for (const c of cyclePlans) {
        c.id = Number(
          insertCycle.run(
            c.name,
            collectives[c.collective]!.id,
            content.path!.id,
            c.startsOn,
            c.endsOn,
            c.enrolment,
            JSON.stringify(c.rules),
            c.createdBy,
            c.createdAt,
            c.archivedAt || null,
          ).lastInsertRowid,
        );
      }
      counts.cycles = cyclePlans.length;
      for (const c of cyclePlans) {
        const collective = collectives[c.collective]!;
        for (const i of c.members) {
          const m = members[i]!;
          const by = m.selfEnrolled
            ? m.userId
            : dice.pick([...collective.coordinators, ...collective.trainers]);
          insertCycleMember.run(c.id, m.userId, m.enrolledAt, by, m.withdrawnAt || null);
          counts.cycleMembers++;
        }
      }
      step('cycles et inscriptions aux cycles', counts.cycles + counts.cycleMembers);

      for (const i of order) {
        const userId = members[i]!.userId;
        for (let l = 0; l < L; l++) {
          const cell = i * L + l;
          if (lpFirst[cell] === 0) continue;
          insertProgress.run(userId, pathLessons[l]!.id, lpFirst[cell], lpLast[cell], lpDone[cell] || null);
          counts.lessonProgress++;
        }
      }
      step('progression (leçons)', counts.lessonProgress);

      // Quiz answers: for each number of right questions, a few ways of getting there.
      const answerVariants = new Map<string, string>();
      const answersFor = (quiz: number, right: number) => {
        const variant = dice.int(0, 5);
        const key = `${quiz}:${right}:${variant}`;
        let json = answerVariants.get(key);
        if (json === undefined) {
          const questions = pathQuizzes[quiz]!.questions;
          const wrong = new Set<number>();
          while (wrong.size < questions.length - right) wrong.add(dice.int(0, questions.length - 1));
          const answers: Record<string, string[]> = {};
          questions.forEach((q, qi) => {
            const good = q.answers.filter((a) => a.correct).map((a) => a.id);
            const bad = q.answers.filter((a) => !a.correct).map((a) => a.id);
            answers[q.id] = wrong.has(qi) ? (bad.length > 0 ? [bad[0]!] : []) : good;
          });
          json = JSON.stringify(answers);
          answerVariants.set(key, json);
        }
        return json;
      };
      attempts.sort((a, b) => a.at - b.at || a.member - b.member);
      for (const a of attempts) {
        const score = scoreOf(a.quiz, a.right);
        const passed = score >= pathQuizzes[a.quiz]!.passMark;
        insertAttempt.run(
          members[a.member]!.userId,
          pathQuizzes[a.quiz]!.id,
          answersFor(a.quiz, a.right),
          score,
          passed ? 1 : 0,
          a.at,
        );
      }
      counts.quizAttempts = attempts.length;
      step('tentatives de quiz', attempts.length);

      // ——— Séances: ~15 per cycle, spread over it, in the collective's zone ———
      const gatherings: GatheringPlan[] = [];
      const signups: Signup[] = [];
      const roll: AttendanceRow[] = [];
      const uids = new Set<string>();
      const perCycle = allocate(
        Math.max(sizes.gatherings, cyclePlans.length),
        cyclePlans.map(() => dice.between(0.8, 1.2)),
      );
      cyclePlans.forEach((cycle, ci) => {
        const collective = collectives[cycle.collective]!;
        const zone = collective.zone;
        const n = Math.max(1, perCycle[ci]!);
        const first = DateTime.fromISO(cycle.startsOn, { zone });
        const lastDay = DateTime.fromISO(cycle.endsOn, { zone });
        const span = Math.max(1, lastDay.diff(first, 'days').days);
        const used = new Set<string>();
        for (let j = 0; j < n; j++) {
          let day = first.plus({ days: Math.round(((j + dice.between(0.15, 0.85)) * span) / n) });
          const mode =
            j === 0 ? 'in_person' : dice.pick(['in_person', 'in_person', 'hybrid', 'online'] as const);
          let time: string;
          let minutes: number;
          if (mode === 'online' && dice.chance(0.4)) {
            time = '12:30';
            minutes = 60;
          } else if (mode !== 'online' && dice.chance(0.35)) {
            const morning = dice.chance(0.5);
            time = morning ? '10:00' : '14:00';
            minutes = morning ? 180 : 150;
            day = day.plus({ days: day.weekday === 7 ? -1 : 6 - day.weekday });
          } else {
            time = dice.pick(['18:00', '18:30']);
            minutes = mode === 'online' ? 90 : 120;
            if (day.weekday === 6) day = day.minus({ days: 1 });
            if (day.weekday === 7) day = day.plus({ days: 1 });
          }
          if (day > lastDay) day = day.minus({ days: 7 });
          if (day < first) day = day.plus({ days: 7 });
          const [hour, minute] = time.split(':').map(Number) as [number, number];
          const startsAt = day.set({ hour, minute }).toMillis();
          const endsAt = startsAt + minutes * MINUTE;
          // What it is about: the launch, the courses in path order, peer exchanges, the review.
          let title: string;
          let courseId: string | null = null;
          let theme = '';
          if (j === 0) {
            title = 'Lancement du cycle';
            theme = 'Se présenter, dire ce qu’on attend du cycle';
          } else if (j === n - 1 && n > 2) {
            title = 'Bilan du cycle';
            theme = 'Ce que le cycle a changé pour nos associations';
          } else if (dice.chance(0.2)) {
            const exchange = dice.pick(peerExchanges);
            title = exchange.title;
            theme = exchange.theme;
          } else {
            const ci2 = Math.min(content.courses.length - 1, Math.floor((j / n) * content.courses.length));
            const course: CatalogCourse = content.courses[ci2]!;
            const themes = courseThemes[ci2] ?? [course.title];
            title = themes[(j + ci) % themes.length]!;
            courseId = course.id;
          }
          if (used.has(title)) title = `${title} (suite)`;
          used.add(title);
          const town = dice.pick(collective.towns);
          const inPlace = mode !== 'online';
          const placeInQpv = inPlace && dice.chance(0.6);
          const capacity = mode === 'online' ? dice.int(15, 30) : dice.int(10, 25);
          const lo = cycle.createdAt + Math.min(HOUR, (now - cycle.createdAt) / 2);
          const createdAt = Math.round(
            Math.max(lo, Math.min(startsAt - dice.between(10, 45) * DAY, now - dice.between(0.5, 20) * DAY)),
          );
          let cancelledAt = 0;
          let cancelReason: string | null = null;
          if (j > 0 && dice.chance(0.03)) {
            cancelledAt = Math.round(startsAt - dice.between(1 / 24, 10) * DAY);
            if (cancelledAt > now || cancelledAt <= createdAt)
              cancelledAt = Math.round(
                dice.between(createdAt, Math.min(now, Math.max(createdAt, startsAt - MINUTE))),
              );
            cancelReason = dice.pick(cancelReasons);
          }
          let uid: string;
          do uid = `seance-${dice.chars(URL_SAFE, 12)}@passerelle.forim.net`;
          while (uids.has(uid));
          uids.add(uid);
          const g: GatheringPlan = {
            id: 0,
            uid,
            cycle: ci,
            title,
            courseId,
            theme,
            facilitator: dice.chance(0.75)
              ? cycle.trainer
              : dice.pick([...collective.trainers, ...collective.coordinators]),
            startsAt,
            endsAt,
            zone,
            mode,
            placeName: inPlace ? `${dice.pick(places)} ${ofTown(town)}` : '',
            address: inPlace ? `${dice.int(1, 120)} ${dice.pick(streets)}` : '',
            town: inPlace ? town : '',
            placeInQpv,
            videoUrl:
              mode === 'in_person'
                ? ''
                : `https://meet.jit.si/passerelle-${slug(collective.name)}-${dice.chars(URL_SAFE.slice(26, 62), 8)}`,
            capacity,
            agenda: `Tour de table.\n${theme || title}.\nQuestions et suites à donner.`,
            sequence: dice.chance(0.2) ? dice.int(1, 2) : 0,
            cancelledAt,
            cancelReason,
            summary: null,
            summaryAt: 0,
            closedAt: 0,
            createdAt,
            updatedAt: createdAt,
          };
          if (cancelledAt) g.sequence++;
          const gi = gatherings.length;
          gatherings.push(g);
          cycle.gatherings.push(gi);

          // Sign-ups: arrivals weighted by keenness, seats in arrival order, then a waiting list
          // moved up in order when someone cancels (or leaves the cycle).
          const openFrom = Math.max(createdAt, startsAt - 30 * DAY);
          const openTo = Math.min(startsAt, now, cancelledAt || Number.POSITIVE_INFINITY);
          const candidates = cycle.members.filter((mi) => {
            const m = members[mi]!;
            return m.enrolledAt < startsAt - HOUR && (!m.withdrawnAt || m.withdrawnAt > openFrom);
          });
          const demand = Math.min(candidates.length, Math.round(capacity * dice.between(0.5, 1.4)));
          const keyed = candidates
            .map((mi) => ({ mi, key: Math.log(1 - dice.next()) / (0.15 + members[mi]!.engagement) }))
            .sort((a, b) => b.key - a.key || a.mi - b.mi)
            .slice(0, demand);
          const arrivals: Signup[] = [];
          const cancels = new Map<Signup, number>();
          for (const { mi } of keyed) {
            const m = members[mi]!;
            const at = Math.round(
              Math.max(dice.between(openFrom, startsAt - 30 * MINUTE), m.enrolledAt + MINUTE),
            );
            if (at >= openTo || (m.withdrawnAt && at >= m.withdrawnAt)) continue;
            const s: Signup = {
              gathering: gi,
              member: mi,
              createdAt: at,
              status: 'waiting',
              confirmedAt: 0,
              cancelledAt: 0,
            };
            arrivals.push(s);
            if (m.withdrawnAt && m.withdrawnAt < startsAt && m.withdrawnAt <= now)
              cancels.set(s, m.withdrawnAt);
            else if (dice.chance(0.08)) {
              const until = Math.min(startsAt - MINUTE, now);
              if (until > at) cancels.set(s, Math.round(dice.between(at, until)));
            }
          }
          arrivals.sort((a, b) => a.createdAt - b.createdAt || a.member - b.member);
          const events = [
            ...arrivals.map((s) => ({ at: s.createdAt, s, cancel: false })),
            ...[...cancels].map(([s, at]) => ({ at, s, cancel: true })),
          ].sort((a, b) => a.at - b.at || Number(a.cancel) - Number(b.cancel));
          let seated = 0;
          for (const e of events) {
            if (!e.cancel) {
              if (seated < capacity) {
                e.s.status = 'confirmed';
                e.s.confirmedAt = e.at;
                seated++;
              }
              continue;
            }
            const was = e.s.status;
            e.s.status = 'cancelled';
            e.s.cancelledAt = e.at;
            if (was !== 'confirmed') continue;
            seated--;
            if (cancelledAt && e.at >= cancelledAt) continue;
            const next = arrivals.find((x) => x.status === 'waiting' && x.createdAt <= e.at);
            if (next) {
              next.status = 'confirmed';
              next.confirmedAt = e.at;
              seated++;
            }
          }
          signups.push(...arrivals);

          // Roll call of the séances held: the seated people marked, a few walk-ins; most sheets
          // closed after the séance (whoever is left unmarked then counts as absent).
          if (cancelledAt || endsAt > now) continue;
          const closed = dice.chance(endsAt < now - 2 * DAY ? 0.93 : 0.4);
          const closedAt = closed ? Math.round(Math.min(now, endsAt + dice.between(0, 3) * HOUR)) : 0;
          let presentCount = 0;
          const mark = (member: number, status: AttendanceRow['status'], walkIn: boolean, at: number) => {
            roll.push({
              gathering: gi,
              member,
              guestName: null,
              guestOrganization: null,
              status,
              walkIn,
              markedAt: at,
              markedBy: g.facilitator,
            });
            if (status === 'present') {
              members[member]!.present.push({ gathering: gi, at });
              presentCount++;
            }
          };
          const seatedPeople = arrivals.filter((s) => s.status === 'confirmed');
          const unmarked: number[] = [];
          for (const s of seatedPeople) {
            const r = dice.next();
            const status = r < 0.8 ? 'present' : r < 0.92 ? 'absent' : 'excused';
            const at = Math.round(startsAt + dice.between(0, 25) * MINUTE);
            if ((status === 'absent' && closed && dice.chance(0.5)) || (!closed && dice.chance(0.25)))
              unmarked.push(s.member);
            else mark(s.member, status, false, at);
          }
          const listed = new Set(seatedPeople.map((s) => s.member));
          const walkIns = dice.weighted([45, 30, 15, 10])();
          for (let w = 0; w < walkIns; w++) {
            const at = Math.round(startsAt + dice.between(5, 40) * MINUTE);
            const others = cycle.members.filter((mi) => {
              const m = members[mi]!;
              return (
                !listed.has(mi) && m.enrolledAt < startsAt && (!m.withdrawnAt || m.withdrawnAt > startsAt)
              );
            });
            if (others.length > 0 && dice.chance(0.55)) {
              const mi = dice.pick(others);
              listed.add(mi);
              mark(mi, 'present', true, at);
            } else {
              const guest = person(randomGroup(null), null);
              const from = dice.next();
              presentCount++;
              roll.push({
                gathering: gi,
                member: -1,
                guestName: guest.name,
                guestOrganization:
                  from < 0.5
                    ? dice.pick(osims).name
                    : from < 0.75
                      ? `Mairie ${ofTown(town)} — politique de la ville`
                      : `Centre social ${ofTown(town)}`,
                status: 'present',
                walkIn: true,
                markedAt: at,
                markedBy: g.facilitator,
              });
            }
          }
          if (closed) {
            for (const mi of unmarked) mark(mi, 'absent', false, closedAt);
            g.closedAt = closedAt;
            if (dice.chance(0.7)) {
              g.summary = `${presentCount} personnes présentes.\n\n${dice.pick(summaries)}`;
              g.summaryAt = Math.round(Math.min(now, closedAt + dice.between(1, 72) * HOUR));
            }
          }
          g.updatedAt = Math.max(g.createdAt, g.cancelledAt, g.summaryAt);
        }
      });
      for (const g of gatherings) {
        if (g.cancelledAt) g.updatedAt = Math.max(g.updatedAt, g.cancelledAt);
        const cycle = cyclePlans[g.cycle]!;
        g.id = Number(
          insertGathering.run(
            g.uid,
            cycle.id,
            g.title,
            g.courseId,
            g.theme,
            g.facilitator,
            g.startsAt,
            g.endsAt,
            g.zone,
            g.mode,
            g.placeName,
            g.address,
            g.town,
            g.placeInQpv ? 1 : 0,
            g.videoUrl,
            g.capacity,
            g.agenda,
            g.sequence,
            g.cancelledAt || null,
            g.cancelReason,
            g.summary,
            g.summaryAt || null,
            g.closedAt || null,
            g.closedAt ? g.facilitator : null,
            cycle.createdBy,
            g.createdAt,
            g.updatedAt,
          ).lastInsertRowid,
        );
        if (g.cancelledAt) counts.cancelledGatherings++;
      }
      counts.gatherings = gatherings.length;
      // Cycles that name their launch séance among the rules (when it was not cancelled).
      for (const c of cyclePlans) {
        const launch = gatherings[c.gatherings[0] ?? -1];
        if (!c.namesLaunch || !launch || launch.cancelledAt) continue;
        c.rules.gatheringIds = [launch.id];
        updateRules.run(JSON.stringify(c.rules), c.id);
      }
      step('séances', gatherings.length);

      signups.sort((a, b) => a.createdAt - b.createdAt || a.gathering - b.gathering || a.member - b.member);
      for (const s of signups) {
        insertSignup.run(
          gatherings[s.gathering]!.id,
          members[s.member]!.userId,
          s.status,
          s.createdAt,
          s.confirmedAt || null,
          s.cancelledAt || null,
        );
      }
      counts.signups = signups.length;
      step('inscriptions aux séances', signups.length);

      roll.sort((a, b) => a.markedAt - b.markedAt || a.gathering - b.gathering || a.member - b.member);
      for (const a of roll) {
        insertAttendance.run(
          gatherings[a.gathering]!.id,
          a.member >= 0 ? members[a.member]!.userId : null,
          a.guestName,
          a.guestOrganization,
          a.status,
          a.walkIn ? 1 : 0,
          a.markedAt,
          a.markedBy,
        );
      }
      counts.attendance = roll.length;
      step('émargement', roll.length);

      // ——— Certificates: issued the moment the rules are met (as issueEarned does) ———
      const skills = (frameworkSkills.all() as Array<{ code: string; title: string }>).map((skill) => {
        const lessons: number[] = [];
        const quizzes: number[] = [];
        for (const course of content.courses) {
          const whole = course.skills.includes(skill.code);
          for (const lesson of course.lessons)
            if (whole || lesson.skills.includes(skill.code)) lessons.push(lessonIndex.get(lesson.id)!);
          if (whole && course.quiz) quizzes.push(quizIndex.get(course.quiz.id)!);
        }
        return { ...skill, lessons, quizzes };
      });
      const attemptsOf = new Map<number, Attempt[]>();
      for (const a of attempts) {
        const key = a.member * pathQuizzes.length + a.quiz;
        const list = attemptsOf.get(key);
        if (list) list.push(a);
        else attemptsOf.set(key, [a]);
      }
      /** When the person first scored at least `mark` on the quiz (0: never). */
      const passedAt = (member: number, quiz: number, mark: number, by = Number.POSITIVE_INFINITY) => {
        for (const a of attemptsOf.get(member * pathQuizzes.length + quiz) ?? [])
          if (a.at <= by && scoreOf(quiz, a.right) >= mark) return a.at;
        return 0;
      };
      const parisDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });
      const codes = new Set((existingCodes.all() as Array<{ code: string }>).map((r) => r.code));
      const issued: Array<{ code: string; cycle: CyclePlan; member: Member; snapshot: string; at: number }> =
        [];
      for (const [ci, cycle] of cyclePlans.entries()) {
        const rules = cycle.rules;
        const collectiveName = collectives[cycle.collective]!.name;
        for (const mi of cycle.members) {
          const m = members[mi]!;
          if (m.withdrawnAt) continue;
          let metAt = m.enrolledAt;
          let met = true;
          for (const courseId of rules.courseIds) {
            const course = content.coursesById.get(courseId);
            if (!course || !content.courses.includes(course)) continue;
            for (const lesson of course.lessons) {
              const done = lpDone[mi * L + lessonIndex.get(lesson.id)!]!;
              if (!done) met = false;
              metAt = Math.max(metAt, done);
            }
            if (course.quiz) {
              const at = passedAt(mi, quizIndex.get(course.quiz.id)!, rules.passMark ?? course.quiz.passMark);
              if (!at) met = false;
              metAt = Math.max(metAt, at);
            }
            if (!met) break;
          }
          if (!met) continue;
          const present = m.present
            .filter((p) => gatherings[p.gathering]!.cycle === ci)
            .sort((a, b) => a.at - b.at);
          if (present.length < rules.minGatherings) continue;
          if (rules.minGatherings > 0) metAt = Math.max(metAt, present[rules.minGatherings - 1]!.at);
          for (const id of rules.gatheringIds) {
            const p = present.find((x) => gatherings[x.gathering]!.id === id);
            if (!p) met = false;
            else metAt = Math.max(metAt, p.at);
          }
          if (!met) continue;
          const at = Math.round(Math.min(now, metAt + dice.between(1, 5) * 1000));
          if (cycle.archivedAt && cycle.archivedAt <= at) continue;
          const attended = present
            .filter((p) => p.at <= at)
            .map((p) => gatherings[p.gathering]!)
            .sort((a, b) => a.startsAt - b.startsAt);
          const minutes =
            rules.courseIds.reduce((n, id) => n + (content.coursesById.get(id)?.durationMinutes ?? 0), 0) +
            attended.reduce((n, g) => n + (g.endsAt - g.startsAt) / MINUTE, 0);
          const snapshot: CertificateSnapshot = {
            name: m.name,
            cycleName: cycle.name,
            collectiveName,
            courses: rules.courseIds.flatMap((id) => {
              const course = content.coursesById.get(id);
              return course ? [{ id, title: course.title }] : [];
            }),
            skills: skills
              .filter(
                (s) =>
                  s.lessons.length + s.quizzes.length > 0 &&
                  s.lessons.every((l) => {
                    const done = lpDone[mi * L + l]!;
                    return done > 0 && done <= at;
                  }) &&
                  s.quizzes.every((q) => passedAt(mi, q, pathQuizzes[q]!.passMark, at) > 0),
              )
              .map((s) => ({ code: s.code, title: s.title })),
            hours: Math.round(minutes / 30) / 2,
            gatherings: attended.map((g) => ({ title: g.title, date: parisDay.format(g.startsAt) })),
            issuedOn: parisDay.format(at),
            issuer: 'Passerelle (attribution automatique)',
            reason: null,
          };
          let code: string;
          do code = dice.chars(ALPHABET, 16).match(/.{4}/g)!.join('-');
          while (codes.has(code));
          codes.add(code);
          issued.push({ code, cycle, member: m, snapshot: JSON.stringify(snapshot), at });
        }
      }
      issued.sort((a, b) => a.at - b.at || a.member.userId - b.member.userId);
      for (const c of issued) {
        let revokedAt = 0;
        if (nationalTeam.length > 0 && dice.chance(0.015)) {
          revokedAt = Math.round(Math.min(now, c.at + dice.between(2, 90) * DAY));
          if (revokedAt <= c.at) revokedAt = 0;
        }
        insertCertificate.run(
          c.code,
          c.cycle.id,
          c.member.userId,
          c.snapshot,
          c.at,
          revokedAt || null,
          revokedAt ? dice.pick(nationalTeam) : null,
          revokedAt ? dice.pick(revokeReasons) : null,
        );
        if (revokedAt) counts.revokedCertificates++;
      }
      counts.certificates = issued.length;
      step('attestations', issued.length);

      for (const index of deferred) sqlite.exec(index.sql);
      step('index', deferred.length);
    })();
  } finally {
    sqlite.exec(
      `PRAGMA synchronous = ${previous.synchronous}; PRAGMA cache_size = ${previous.cache_size}; PRAGMA temp_store = ${previous.temp_store};`,
    );
  }
  return counts;
}
