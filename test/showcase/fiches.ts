// A hand-made set of fiches for the showcase's tests, written straight into the database: six
// published actions in Bretagne, Occitanie, Île-de-France and nowhere, a private one and one whose
// publication is only asked for. What the showcase must say of them is worked out by hand in
// EXPECTED (the regions come from the fiche, else its OSIM, else its cycle's collective).
import { eq } from 'drizzle-orm';
import { cycles, experiences } from '../../src/db/schema.ts';
import { createOrganization, createTestApp, createUser, type TestContext } from '../helpers.ts';

const RULES = { courseIds: [], passMark: null, minGatherings: 0, gatheringIds: [] };

export interface ShowcaseWorld {
  ctx: TestContext;
  ids: Record<'aide' | 'forum' | 'fete' | 'atelier' | 'maraude' | 'cuisine' | 'secret' | 'asked', number>;
  /** Every author's name: none may appear on a public page. */
  authorNames: string[];
  privateTitle: string;
  requestedTitle: string;
  /** Adds published fiches (for the pages of the list). */
  addPublished(count: number): number[];
  setPublication(id: number, publication: 'private' | 'requested' | 'published'): void;
  close(): Promise<void>;
}

export async function createShowcaseWorld(): Promise<ShowcaseWorld> {
  const ctx = await createTestApp();
  const { db } = ctx;
  const bretagne = createOrganization(db, { kind: 'cosim', name: 'COSIM Bretagne', region: 'Bretagne' });
  const occitanie = createOrganization(db, {
    kind: 'cosim',
    name: 'COSIM Occitanie Méditerranée',
    region: 'Occitanie',
  });
  const osim = (name: string, region: string | null, parentId: number | null) =>
    createOrganization(db, { kind: 'osim', name, region, parentId }).id;
  const blosne = osim('Solidarité Blosne', 'Bretagne', bretagne.id);
  const amf = osim('AMF Montpellier', 'Occitanie', occitanie.id);
  const horizons = osim('Horizons Franciliens', 'Île-de-France', null);
  const villejean = osim('Maraude Villejean', null, bretagne.id);
  const cuisines = osim('Cuisines du Monde', 'National', null);

  const authorNames = [
    'Awa Kertesz-Diallo',
    'Mamadou Quenneville',
    'Fatou Brisebarre',
    'Idrissa Montalembert',
    'Aminata Vasconcelos',
  ];
  const [awa, mamadou, fatou, idrissa, aminata] = await Promise.all(
    [blosne, amf, horizons, villejean, cuisines].map((organizationId, i) =>
      createUser(db, {
        displayName: authorNames[i]!,
        email: `auteur${i}@exemple.test`,
        role: 'member',
        organizationId,
      }),
    ),
  );
  const cycle = (name: string, collectiveId: number | null) =>
    db
      .insert(cycles)
      .values({
        name,
        collectiveId,
        pathId: 'parcours',
        startsOn: '2025-09-01',
        endsOn: '2026-06-30',
        certificateRules: RULES,
      })
      .returning()
      .get().id;
  const cycleBretagne = cycle('Cycle Bretagne', bretagne.id);
  const cycleOccitanie = cycle('Cycle Occitanie', occitanie.id);
  const cycleNational = cycle('Cycle national', null);

  let day = 0;
  const fiche = (values: Omit<typeof experiences.$inferInsert, 'updatedAt' | 'what'> & { what?: string }) => {
    day += 1;
    const publishedAt = new Date(Date.UTC(2026, 2, day, 10));
    return db
      .insert(experiences)
      .values({
        what: 'Ce que nous avons fait, pour qui et avec qui.',
        updatedAt: publishedAt,
        publishedAt: values.publication === 'published' ? publishedAt : null,
        ...values,
      })
      .returning()
      .get().id;
  };
  const published = 'published' as const;
  const ids = {
    aide: fiche({
      cycleId: cycleBretagne,
      authorId: awa!.id,
      title: 'Aide aux devoirs au Blosne',
      what: 'Deux soirs par semaine, des bénévoles aident les collégiens.\nLe samedi, les parents viennent aussi.',
      objectives: 'Faire réussir les collégiens du quartier.',
      town: 'Rennes',
      inQpv: true,
      qpvName: 'Le Blosne',
      region: 'BRE',
      domain: 'education',
      publics: ['youth', 'families'],
      periodStart: '2025-09',
      periodEnd: '2026-06',
      cofunders: ['town', 'caf'],
      participants: 40,
      volunteers: 6,
      publication: published,
    }),
    forum: fiche({
      cycleId: cycleOccitanie,
      authorId: mamadou!.id,
      title: 'Forum emploi à la Mosson',
      town: 'Montpellier',
      inQpv: true,
      qpvName: 'La Mosson',
      domain: 'employment',
      publics: ['women'],
      participants: 120,
      volunteers: 12,
      publication: published,
    }),
    fete: fiche({
      cycleId: cycleOccitanie,
      authorId: mamadou!.id,
      title: 'Fête de quartier des cultures',
      town: 'Montpellier',
      inQpv: true,
      qpvName: 'la  mosson',
      region: 'OCC',
      domain: 'culture',
      publics: ['everyone'],
      participants: 300,
      volunteers: 20,
      publication: published,
    }),
    atelier: fiche({
      cycleId: cycleNational,
      authorId: fatou!.id,
      title: 'Atelier numérique <seniors> & aidants',
      what: 'Des ateliers « <b>pas à pas</b> » & sans jargon pour les démarches en ligne.',
      town: 'Saint-Denis',
      domain: 'digitalInclusion',
      publics: ['elderly'],
      participants: 15,
      publication: published,
    }),
    maraude: fiche({
      cycleId: cycleBretagne,
      authorId: idrissa!.id,
      title: 'Maraude solidaire de l’hiver',
      town: 'Rennes',
      inQpv: true,
      domain: 'solidarity',
      publics: ['newcomers'],
      volunteers: 3,
      publication: published,
    }),
    cuisine: fiche({
      cycleId: cycleNational,
      authorId: aminata!.id,
      title: 'Cuisines du monde en partage',
      domain: 'culture',
      participants: 25,
      volunteers: 4,
      publication: published,
    }),
    secret: fiche({
      cycleId: cycleBretagne,
      authorId: awa!.id,
      title: 'Projet confidentiel jamais publié',
      region: 'BRE',
      domain: 'education',
      participants: 1000,
      publication: 'private',
    }),
    asked: fiche({
      cycleId: cycleOccitanie,
      authorId: mamadou!.id,
      title: 'Demande en attente de relecture',
      region: 'OCC',
      domain: 'culture',
      participants: 2000,
      publication: 'requested',
    }),
  };

  return {
    ctx,
    ids,
    authorNames,
    privateTitle: 'Projet confidentiel jamais publié',
    requestedTitle: 'Demande en attente de relecture',
    addPublished(count) {
      return Array.from({ length: count }, (_, i) =>
        fiche({
          cycleId: cycleBretagne,
          authorId: awa!.id,
          title: `Action de quartier numéro ${i + 1}`,
          what: 'Une action parmi d’autres, racontée en quelques lignes pour la liste.',
          town: 'Rennes',
          inQpv: true,
          qpvName: 'Maurepas',
          domain: 'sport',
          publics: ['youth'],
          periodStart: '2026-01',
          participants: 10,
          volunteers: 2,
          publication: published,
        }),
      );
    },
    setPublication(id, publication) {
      db.update(experiences)
        .set({ publication, publishedAt: publication === 'published' ? new Date() : null })
        .where(eq(experiences.id, id))
        .run();
    },
    close: () => ctx.close(),
  };
}

/** What the showcase must say of the published set, worked out by hand. */
export const EXPECTED = {
  all: { actions: 6, qpv: 2, participants: 500, volunteers: 45 },
  regions: { BRE: 2, OCC: 2, IDF: 1 },
  withoutRegion: 1,
  culture: { actions: 2, qpv: 1, participants: 325, volunteers: 24 },
};
