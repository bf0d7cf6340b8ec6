// The hand-made set of fiches the analysis is checked against (test/analysis/analysis.test.ts),
// each figure counted by hand there: seven counted fiches (published, or shared with the network)
// over four regions — one overseas, two found through the author's OSIM or the cycle's
// collective — QPV names written with other accents and case, and two fiches that must never
// count (private; asked to be published but not shared).
import { cycles, experiences } from '../../src/db/schema.ts';
import { createOrganization, createUser, type TestContext } from '../helpers.ts';

export const AUTHOR_NAMES = [
  'Aminata Secretnom',
  'Bakary Discretnom',
  'Chloé Confidentielnom',
  'Djibril Sansosim',
];
export const LONG_WHAT =
  'Des ateliers de lecture et d’écriture pour les familles du quartier, chaque samedi matin à la médiathèque, avec des bénévoles de l’association et des parents relais qui accueillent les nouveaux venus.\nDeuxième ligne.';

/** A cycle of a collective (or a national one), as the database holds it. */
export function createCycle(ctx: TestContext, name: string, collectiveId: number | null): number {
  const certificateRules = { courseIds: [], passMark: null, minGatherings: 0, gatheringIds: [] };
  return ctx.db
    .insert(cycles)
    .values({
      name,
      collectiveId,
      pathId: 'p',
      startsOn: '2024-01-01',
      endsOn: '2026-12-31',
      certificateRules,
    })
    .returning()
    .get().id;
}

type Fiche = Partial<typeof experiences.$inferInsert> & { title: string };

/** A fiche as the database holds it, written on 5 May 2025 unless said (in a new national cycle unless given). */
export function writeFiche(ctx: TestContext, authorId: number, f: Fiche, cycleId?: number): void {
  const written = new Date('2025-05-05T10:00:00Z');
  ctx.db
    .insert(experiences)
    .values({
      what: `L’action « ${f.title} ».`,
      createdAt: written,
      updatedAt: written,
      ...f,
      authorId,
      cycleId: cycleId ?? createCycle(ctx, 'Cycle national', null),
    })
    .run();
}

/** Writes the set into a fresh app's database. */
export async function writeFiches(ctx: TestContext): Promise<void> {
  const { db } = ctx;
  const bretagne = createOrganization(db, { kind: 'cosim', name: 'COSIM Test Bretagne', region: 'Bretagne' });
  const sud = createOrganization(db, { kind: 'cosim', name: 'COSIM Test Sud', region: 'PACA' });
  const blosne = createOrganization(db, { name: 'OSIM Blosne', parentId: bretagne.id });
  const mirail = createOrganization(db, { name: 'OSIM Mirail', parentId: sud.id, region: 'Midi-Pyrénées' });
  const chaudron = createOrganization(db, { name: 'OSIM Chaudron', parentId: sud.id, region: 'La Réunion' });
  const a1 = await createUser(db, {
    role: 'member',
    organizationId: blosne.id,
    displayName: AUTHOR_NAMES[0],
    email: 'aminata@exemple.test',
  });
  const a2 = await createUser(db, {
    role: 'member',
    organizationId: mirail.id,
    displayName: AUTHOR_NAMES[1],
    email: 'bakary@exemple.test',
  });
  const a3 = await createUser(db, {
    role: 'member',
    organizationId: chaudron.id,
    displayName: AUTHOR_NAMES[2],
    email: 'chloe@exemple.test',
  });
  // No OSIM: a trainer of the collective who wrote a fiche.
  const a4 = await createUser(db, {
    role: 'trainer',
    organizationId: sud.id,
    displayName: AUTHOR_NAMES[3],
    email: 'djibril@exemple.test',
  });
  const c1 = createCycle(ctx, 'Cycle Bretagne', bretagne.id);
  const c2 = createCycle(ctx, 'Cycle Sud', sud.id);
  const at = (iso: string) => new Date(iso);
  const write = (authorId: number, cycleId: number, f: Fiche) => writeFiche(ctx, authorId, f, cycleId);

  // F1: published, region chosen (Bretagne), in QPV « Le Blôsne » (an accent too many).
  write(a1.id, c1, {
    title: 'F1 Soutien scolaire au Blosne',
    publication: 'published',
    publishedAt: at('2025-01-10T09:00:00Z'),
    domain: 'education',
    region: 'BRE',
    publics: ['youth', 'women'],
    cofunders: ['town', 'caf'],
    inQpv: true,
    qpvName: 'Le Blôsne',
    town: 'Rennes',
    periodStart: '2024-02',
    periodEnd: '2024-06',
    participants: 40,
    volunteers: 6,
    cofunding: 'Ville de Rennes',
  });
  // F2: shared only; no region, nor has its OSIM: the cycle's collective's (Bretagne). « LE-BLOSNE ».
  write(a1.id, c1, {
    title: 'F2 Devoirs faits ensemble',
    sharedWithNetwork: true,
    domain: 'education',
    publics: ['youth'],
    cofunders: ['town'],
    inQpv: true,
    qpvName: ' LE-BLOSNE ',
    town: 'RENNES',
    periodStart: '2024-11',
    participants: 25,
  });
  // F3: published; no region: its OSIM's « Midi-Pyrénées » is Occitanie. A line break in a text.
  write(a2.id, c2, {
    title: 'F3 Santé des femmes au Mirail',
    what: 'Permanences santé.\nAvec le centre social.',
    publication: 'published',
    publishedAt: at('2025-06-01T09:00:00Z'),
    domain: 'health',
    publics: ['women', 'elderly'],
    cofunders: ['state', 'town'],
    inQpv: true,
    qpvName: 'Le Mirail',
    town: 'Toulouse',
    periodStart: '2025-03',
    participants: 60,
    volunteers: 10,
  });
  // F4: asked to be published and shared: counted as shared; overseas (La Réunion); no period.
  write(a3.id, c2, {
    title: 'F4 Maloya au Chaudron',
    publication: 'requested',
    sharedWithNetwork: true,
    domain: 'culture',
    region: 'REU',
    publics: ['everyone'],
    inQpv: true,
    qpvName: 'Le Chaudron',
    town: 'Saint-Denis',
    createdAt: at('2025-08-15T10:00:00Z'),
    participants: 120,
    volunteers: 15,
  });
  // F5: published, not in a QPV, no public, no participants given.
  write(a2.id, c2, {
    title: 'F5 Prévention à Montpellier',
    publication: 'published',
    publishedAt: at('2025-03-01T09:00:00Z'),
    domain: 'health',
    region: 'OCC',
    cofunders: ['caf', 'foundation'],
    town: 'Montpellier',
    periodStart: '2025-01',
    volunteers: 4,
  });
  // F6: shared, author without an OSIM: the collective's « PACA »; no domain; « Le Blosne », the
  // first fiche written of the three in that QPV (its spelling is shown); written on New Year's
  // Eve at 23:30 UTC, already 2025 in Paris.
  write(a4.id, c2, {
    title: 'F6 Accueil des nouveaux arrivants',
    sharedWithNetwork: true,
    publics: ['newcomers', 'youth'],
    cofunders: ['state'],
    inQpv: true,
    qpvName: 'Le Blosne',
    town: 'Rennes',
    createdAt: at('2024-12-31T23:30:00Z'),
    participants: 10,
    volunteers: 2,
  });
  // F7: published, in a QPV it does not name; its OSIM's « La Réunion »; a formula in a text.
  write(a3.id, c2, {
    title: 'F7 Lecture en famille',
    what: LONG_WHAT,
    publication: 'published',
    publishedAt: at('2025-09-01T09:00:00Z'),
    domain: 'education',
    publics: ['families'],
    cofunders: ['town', 'region'],
    inQpv: true,
    town: 'Saint-Denis',
    periodStart: '2023-10',
    participants: 30,
    volunteers: 5,
    results: '=SOMME(A1:A2)',
  });
  // Never counted: a private fiche, and one asked to be published but neither published nor shared.
  write(a1.id, c1, {
    title: 'P1 Fiche privée',
    domain: 'sport',
    region: 'IDF',
    publics: ['students'],
    cofunders: ['sponsor'],
    inQpv: true,
    qpvName: 'Quartier secret',
    participants: 999,
    volunteers: 99,
  });
  write(a2.id, c2, {
    title: 'P2 Demande non partagée',
    publication: 'requested',
    domain: 'environment',
    region: 'GUA',
    participants: 500,
  });
}
