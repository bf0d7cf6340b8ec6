// A realistic FORIM network at national scale, reproducible from a seed: OSIMs spread over the
// COSIMs (and some FOSIMs), and people with plausible names, each a member of one OSIM. Used by
// `npm run bench` (and to grow into `npm run data:national`). Writes with raw prepared
// statements in one transaction: tens of thousands of rows in a few seconds.

import type { Db } from '../db/client.ts';
import { searchable } from '../lib/text.ts';
import { searchColumns } from '../people/users.ts';

/** A small, fast, seeded random generator (mulberry32): the same seed gives the same network. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const firstNames = [
  'Aminata',
  'Awa',
  'Fatou',
  'Mariama',
  'Aïssatou',
  'Kadiatou',
  'Salimata',
  'Khadija',
  'Nadia',
  'Karima',
  'Yasmina',
  'Leïla',
  'Fatoumata',
  'Rokia',
  'Binta',
  'Ndeye',
  'Sokhna',
  'Hawa',
  'Oumou',
  'Djeneba',
  'Mamadou',
  'Moussa',
  'Ibrahim',
  'Oumar',
  'Amadou',
  'Issa',
  'Abdoulaye',
  'Youssef',
  'Karim',
  'Samir',
  'Jean-Baptiste',
  'Serge',
  'Patrice',
  'Didier',
  'Thierry',
  'Lamine',
  'Cheikh',
  'Souleymane',
  'Boubacar',
  'Idrissa',
  'Nour',
  'Sara',
  'Inès',
  'Rachid',
  'Hamid',
  'Modibo',
  'Seydou',
  'Aly',
  'Mohamed',
  'Ousmane',
];
const lastNames = [
  'Diop',
  'Ndiaye',
  'Sow',
  'Diallo',
  'Traoré',
  'Koné',
  'Coulibaly',
  'Camara',
  'Keïta',
  'Touré',
  'Bah',
  'Barry',
  'Sylla',
  'Cissé',
  'Diarra',
  'Sissoko',
  'Konaté',
  'Sangaré',
  'Fofana',
  'Kouyaté',
  'Benali',
  'Haddad',
  'Mansouri',
  'El Amrani',
  'Bensaïd',
  'Chérif',
  'Boukhari',
  'Kaddour',
  'Belkacem',
  'Zeroual',
  'Kouamé',
  'Yao',
  'Konan',
  "N'Guessan",
  'Mensah',
  'Agbo',
  'Adjovi',
  'Houngbo',
  'Mbemba',
  'Nzinga',
  'Randrianarisoa',
  'Rakotomalala',
  'Nguyen',
  'Tran',
  'Pierre-Louis',
  'Jean-Baptiste',
  'Joseph',
  'Étienne',
  'Ba',
  'Gueye',
];
const osimWords = [
  [
    'Solidarité',
    'Entraide',
    'Avenir',
    'Horizons',
    'Passerelles',
    'Racines',
    'Ponts',
    'Maison',
    'Cercle',
    'Réseau',
  ],
  [
    'Femmes',
    'Jeunesse',
    'Familles',
    'Diaspora',
    'Citoyenne',
    'Interculturelle',
    'Sans Frontières',
    'du Sahel',
    'des Deux Rives',
    'Ensemble',
  ],
];

function ascii(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
}

export interface NetworkSize {
  osims: number;
  people: number;
  seed?: number;
}

/**
 * Adds OSIMs under the existing COSIMs (every fifth also in a FOSIM when there is one) and
 * people, each a member of one OSIM, all with the given password hash.
 */
export function generateNetwork(
  db: Db,
  size: NetworkSize,
  passwordHash: string,
): { osimIds: number[]; userIds: number[] } {
  const random = seededRandom(size.seed ?? 2026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sqlite = db.$client;
  const cosims = sqlite
    .prepare("SELECT id, name, town FROM organizations WHERE kind = 'cosim' ORDER BY id")
    .all() as Array<{
    id: number;
    name: string;
    town: string | null;
  }>;
  const fosims = sqlite
    .prepare("SELECT id FROM organizations WHERE kind = 'fosim' ORDER BY id")
    .all() as Array<{ id: number }>;
  const insertOrg = sqlite.prepare(
    `INSERT INTO organizations (kind, name, search_name, town, parent_id, federation_id, acts_in_qpv, created_at)
     VALUES ('osim', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertUser = sqlite.prepare(
    `INSERT INTO users (email, display_name, password_hash, locale, sort_key, search_text, created_at)
     VALUES (?, ?, ?, 'fr', ?, ?, ?)`,
  );
  const insertMembership = sqlite.prepare(
    `INSERT INTO memberships (user_id, organization_id, role, created_at) VALUES (?, ?, 'member', ?)`,
  );
  const osimIds: number[] = [];
  const userIds: number[] = [];
  const now = Date.now();
  sqlite.transaction(() => {
    for (let i = 0; i < size.osims; i++) {
      const cosim = cosims[i % cosims.length]!;
      const fosim = fosims.length > 0 && i % 5 === 0 ? fosims[i % fosims.length]!.id : null;
      const name = `${pick(osimWords[0]!)} ${pick(osimWords[1]!)} ${cosim.town ?? ''} ${i + 1}`.replace(
        /\s+/g,
        ' ',
      );
      osimIds.push(
        Number(
          insertOrg.run(name, searchable(name), cosim.town, cosim.id, fosim, random() < 0.5 ? 1 : 0, now)
            .lastInsertRowid,
        ),
      );
    }
    for (let i = 0; i < size.people; i++) {
      const name = `${pick(firstNames)} ${pick(lastNames)}`;
      const email = `${ascii(name)}.${i + 1}@reseau.test`;
      const { sortKey, searchText } = searchColumns(name, email);
      const id = Number(insertUser.run(email, name, passwordHash, sortKey, searchText, now).lastInsertRowid);
      insertMembership.run(id, osimIds[Math.floor(random() * osimIds.length)]!, now);
      userIds.push(id);
    }
  })();
  return { osimIds, userIds };
}
