// What the national generator draws from: the 15 COSIMs with their towns and time zones, the
// priority neighbourhoods, the 30 countries of origin (one FOSIM each), people's names by origin,
// OSIM names, streets and places, séance themes by course, and the reasons séances are cancelled
// and certificates revoked. Words only: the choices are made in the national-*.ts steps.

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
export const cosimSeeds: CollectiveSeed[] = [
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
export const neighbourhoods: Record<string, string[]> = {
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

export type NameGroup = 'ouest' | 'centre' | 'maghreb' | 'ocean' | 'caraibes' | 'asie' | 'france';

export interface Origin {
  country: string;
  /** "Association des … de Lyon". */
  people: string;
  group: NameGroup;
  weight: number;
}

/** The 30 FOSIMs, one per country of origin, with how common OSIMs of that origin are. */
export const origins: Origin[] = [
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

export const names: Record<NameGroup, { first: string[]; last: string[] }> = {
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
export const groups = Object.keys(names) as NameGroup[];

export const osimHeads =
  list(`Solidarité, Entraide, Avenir, Horizons, Passerelles, Racines, Ponts, Maison, Cercle, Réseau,
  Espoir, Trait d’union, Unité, Lumière`);
export const osimTails =
  list(`Femmes, Jeunesse, Familles, Diaspora, Citoyenne, Interculturelle, Sans Frontières, du Sahel,
  des Deux Rives, Ensemble, Nord-Sud, et Développement, des Quartiers, Partage`);
export const mailDomains = ['courriel.test', 'messagerie.test', 'boite-mail.test', 'mail-asso.test'];
export const streets =
  list(`rue de la République, avenue Jean-Jaurès, rue Victor-Hugo, boulevard Pasteur, rue Jules-Ferry,
  place de la Mairie, rue du Général-Leclerc, avenue de la Libération, rue Émile-Zola,
  rue des Écoles, allée des Tilleuls, rue Jean-Moulin`);
export const places =
  list(`Maison de quartier, Centre social, Salle municipale, Maison des associations, Médiathèque,
  Maison pour tous, Espace associatif`);

/** Séance themes for each course of the path, in the path's order. */
export const courseThemes: string[][] = [
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
export const peerExchanges = [
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
export const cancelReasons = [
  'Salle indisponible : le prêt a été annulé par la mairie.',
  'Formatrice malade, la séance sera reprogrammée.',
  'Trop peu d’inscriptions à cette date.',
  'Grève des transports.',
  'Alerte météo : rassemblements déconseillés.',
];
export const summaries = [
  'Chaque association a présenté une action en cours ; nous avons noté les difficultés communes.',
  'Travail en petits groupes sur les projets apportés, puis mise en commun.',
  'Beaucoup de questions sur les cofinancements : nous y reviendrons à la prochaine séance.',
  'Un échange riche ; plusieurs associations vont monter une action ensemble.',
];
export const revokeReasons = [
  'Délivrée par erreur : une présence avait été enregistrée à tort.',
  'Doublon : la personne avait deux comptes.',
  'À la demande de la personne.',
];
