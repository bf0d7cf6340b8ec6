// French messages of the dashboards' project figures (issue 18, merged into fr): what each figure
// counts is said on the page, in plain words.
export const frDashboardsProjects = {
  'dashboard.projects.title': 'Projets des OSIM et cofinancements',
  'dashboard.projects.intro':
    'Des chiffres seulement : ni le titre ni le contenu d’un projet n’apparaissent sur le tableau de bord.',
  'dashboard.projects.none': 'Aucun projet n’a encore été commencé par les OSIM de ce périmètre.',
  'dashboard.projects.cycle': 'Seulement les projets partagés avec le cycle « {cycle} ».',
  'dashboard.projects.period':
    'Seulement les projets commencés du {from} au {to} ; leurs chiffres sont ceux d’aujourd’hui.',
  'dashboard.projects.qpv': 'Seulement les projets des OSIM qui agissent en QPV.',
  'dashboard.projects.caption': 'Projets par collectif',
  'dashboard.projects.started': 'Projets commencés',
  'dashboard.projects.shared': 'Partagés avec un cycle',
  'dashboard.projects.ready': 'Prêts à déposer',
  'dashboard.projects.cofunded': 'Projets cofinancés',
  'dashboard.projects.asked': 'Cofinancement demandé',
  'dashboard.projects.obtained': 'Cofinancement obtenu',
  'dashboard.projects.total': 'Ensemble (chaque projet une fois)',
  'dashboard.projects.totalNote':
    'Une OSIM peut être à la fois dans un COSIM et dans une FOSIM : ses projets comptent dans les deux lignes, et une seule fois dans l’ensemble.',
  'dashboard.projects.funders': 'Cofinancements par type de financeur',
  'dashboard.projects.fundersAll': 'Cofinancements par type de financeur, collectifs du tableau ensemble',
  'dashboard.projects.col.funder': 'Type de financeur',
  'dashboard.projects.col.asked': 'Demandé',
  'dashboard.projects.col.obtained': 'Obtenu',
  'dashboard.projects.col.projects': 'Projets',
  'dashboard.projects.funderTotal': 'Tous financeurs',
  'dashboard.projects.definitions': 'Ce qui est compté',
  'dashboard.projects.def.started':
    'Projets commencés : tous les projets des OSIM du collectif, partagés ou non ; partagés : ceux que leurs auteurs ont partagés avec un cycle pour la relecture ; prêts à déposer : ceux qu’un·e formateur·rice du cycle a marqués prêts.',
  'dashboard.projects.def.asked':
    'Demandé : les montants des lignes de cofinancement du budget dont la demande est « demandé » (envoyée, en attente de réponse) ou « obtenu » (une demande acceptée a bien été demandée). Les lignes « à demander » et « refusé » ne sont pas comptées.',
  'dashboard.projects.def.obtained': 'Obtenu : les montants des lignes « obtenu ».',
  'dashboard.projects.def.projects':
    'Projets : ceux qui ont au moins une ligne demandée ou obtenue de ce type de financeur. Un projet peut avoir plusieurs financeurs : la ligne « Tous financeurs » compte chaque projet une fois.',
  'dashboard.projects.def.sales':
    'La participation du public et les ventes ne sont pas des cofinancements : elles ne sont pas comptées.',
  'dashboard.projects.exportProjects': 'Télécharger les projets par collectif (CSV)',
  'dashboard.projects.exportFunders': 'Télécharger les cofinancements (CSV)',
  'dashboard.projects.csv.together': 'Ensemble',
  'dashboard.projects.csv.askedEuros': 'Cofinancement demandé (€)',
  'dashboard.projects.csv.obtainedEuros': 'Cofinancement obtenu (€)',
  'dashboard.projects.csv.askedShort': 'Demandé (€)',
  'dashboard.projects.csv.obtainedShort': 'Obtenu (€)',
} as const;
