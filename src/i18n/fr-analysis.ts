// French messages of FORIM's analysis of the fiches d'expérience and its printable portrait
// (issue 19; merged into fr).
export const frAnalysis = {
  'layout.analysis': 'Analyse des actions',
  'analysis.title': 'Analyse des actions',
  'analysis.intro':
    'Ce que racontent les fiches d’expérience du réseau : domaines, régions, publics, cofinanceurs, quartiers et dates des actions.',
  'analysis.filter.label': 'Fiches comptées',
  'analysis.filter.published': 'Fiches publiées sur la vitrine seulement',
  'analysis.filter.apply': 'Afficher',
  'analysis.counted.all':
    'Sont comptées les fiches publiées sur la vitrine ou partagées avec le réseau par leurs auteur·rices. Une fiche privée n’est jamais comptée.',
  'analysis.counted.published': 'Sont comptées les fiches publiées sur la vitrine seulement.',
  'analysis.none': 'Aucune fiche à compter pour le moment.',
  'analysis.downloads': 'Télécharger, imprimer',
  'analysis.csvLink': 'Les fiches comptées, une par ligne (tableur CSV)',
  'analysis.portraitLink': 'Le portrait imprimable des actions en QPV, pour un financeur ou la presse',

  'analysis.key.title': 'Chiffres clés',
  'analysis.key.fiches': 'Fiches comptées',
  'analysis.key.published': 'Publiées',
  'analysis.key.sharedOnly': 'Partagées, non publiées',
  'analysis.key.inQpv': 'Actions en QPV',
  'analysis.key.qpvs': 'Quartiers (QPV) nommés',
  'analysis.key.regions': 'Régions',
  'analysis.key.participants': 'Personnes touchées',
  'analysis.key.volunteers': 'Bénévoles',
  'analysis.key.given': 'selon {count} fiche|selon {count} fiches',
  'analysis.key.givenNone': 'aucune fiche ne donne ce nombre',

  'analysis.total': 'Total',
  'analysis.col.fiches': 'Fiches',
  'analysis.col.share': 'Part des fiches',
  'analysis.domainRegion.title': 'Domaines et régions',
  'analysis.domainRegion.caption': 'Fiches par domaine (en lignes) et par région (en colonnes)',
  'analysis.col.domain': 'Domaine',
  'analysis.domain.none': 'Domaine non renseigné',
  'analysis.region.none': 'Région non renseignée',

  'analysis.publics.title': 'Publics',
  'analysis.publics.caption': 'Fiches par public qui a bénéficié de l’action',
  'analysis.col.public': 'Public',
  'analysis.public.none': 'Public non renseigné',

  'analysis.cofunders.title': 'Cofinanceurs les plus cités',
  'analysis.cofunders.caption': 'Types de cofinanceurs, du plus cité au moins cité',
  'analysis.col.cofunder': 'Cofinanceur',
  'analysis.cofunders.empty': 'Aucune fiche comptée ne cite de cofinanceur.',
  'analysis.cofunders.none':
    '{count} fiche ne cite aucun type de cofinanceur.|{count} fiches ne citent aucun type de cofinanceur.',

  'analysis.qpvs.title': 'Actions par quartier prioritaire',
  'analysis.qpvs.caption': 'Fiches d’actions menées en QPV, par quartier',
  'analysis.col.qpv': 'Quartier (QPV)',
  'analysis.col.towns': 'Ville',
  'analysis.qpvs.empty': 'Aucune fiche comptée ne raconte une action en QPV.',
  'analysis.qpvs.unnamed':
    '{count} action en QPV ne nomme pas son quartier.|{count} actions en QPV ne nomment pas leur quartier.',

  'analysis.time.title': 'Dans le temps',
  'analysis.time.caption': 'Fiches par année et par trimestre du début de l’action',
  'analysis.col.year': 'Année',
  'analysis.col.q1': 'janv. – mars',
  'analysis.col.q2': 'avr. – juin',
  'analysis.col.q3': 'juil. – sept.',
  'analysis.col.q4': 'oct. – déc.',
  'analysis.time.byWriting':
    '{count} fiche sans période est datée par le jour où elle a été écrite.|{count} fiches sans période sont datées par le jour où elles ont été écrites.',

  'analysis.note.title': 'Ce qui est compté',
  'analysis.note.region':
    'La région d’une fiche est celle que son auteur·rice a choisie ; à défaut, celle de son OSIM, puis celle du collectif qui anime le cycle.',
  'analysis.note.publics':
    'Une fiche qui cite plusieurs publics compte une fois pour chacun : les lignes des publics ne s’additionnent pas ; de même pour les cofinanceurs.',
  'analysis.note.cofunders':
    'Les cofinanceurs sont les types cochés sur la fiche ; leurs noms restent dans son texte « Cofinancements obtenus ».',
  'analysis.note.qpvs':
    'Les noms de quartier sont rapprochés sans tenir compte des accents, des majuscules ni de la ponctuation, et affichés comme ils ont été écrits la première fois.',
  'analysis.note.time':
    'Une fiche est datée par le mois où l’action a commencé ou, si elle ne donne pas de période, par le jour où elle a été écrite.',
  'analysis.note.people':
    'Personnes touchées : la somme des participant·es que donnent les fiches qui indiquent ce nombre ; de même pour les bénévoles.',
  'analysis.note.privacy':
    'Le fichier CSV donne chaque fiche comptée avec son OSIM, son collectif et ses textes tels qu’ils ont été écrits, mais jamais le nom de son auteur·rice ni une adresse e-mail : ce sont des données personnelles, et le nom de l’OSIM suffit à l’étude.',

  'analysis.regionSource.fiche': 'la fiche',
  'analysis.regionSource.osim': 'l’OSIM',
  'analysis.regionSource.collective': 'le collectif du cycle',
  'analysis.publication.private': 'Privée',
  'analysis.publication.requested': 'Publication demandée',
  'analysis.publication.published': 'Publiée',

  'analysis.csv.id': 'N°',
  'analysis.csv.title': 'Titre',
  'analysis.csv.osim': 'OSIM',
  'analysis.csv.collective': 'Collectif',
  'analysis.csv.cycle': 'Cycle',
  'analysis.csv.region': 'Région',
  'analysis.csv.regionSource': 'Région d’après',
  'analysis.csv.domain': 'Domaine',
  'analysis.csv.publics': 'Publics',
  'analysis.csv.town': 'Ville',
  'analysis.csv.inQpv': 'En QPV',
  'analysis.csv.qpvName': 'Quartier (QPV)',
  'analysis.csv.period': 'Période',
  'analysis.csv.cofunders': 'Types de cofinanceurs',
  'analysis.csv.cofunding': 'Cofinancements obtenus',
  'analysis.csv.partners': 'Partenaires',
  'analysis.csv.volunteers': 'Bénévoles',
  'analysis.csv.participants': 'Participant·es',
  'analysis.csv.objectives': 'Objectifs',
  'analysis.csv.what': 'L’action',
  'analysis.csv.audience': 'Pour qui',
  'analysis.csv.results': 'Résultats',
  'analysis.csv.difficulties': 'Difficultés',
  'analysis.csv.advice': 'Conseils aux pairs',
  'analysis.csv.shared': 'Partagée avec le réseau',
  'analysis.csv.publication': 'Publication',
  'analysis.csv.publishedOn': 'Publiée le',
  'analysis.csv.writtenOn': 'Écrite le',
  'analysis.csv.yes': 'oui',
  'analysis.csv.no': 'non',

  'analysis.portrait.title': 'Les actions du réseau FORIM dans les quartiers prioritaires',
  'analysis.portrait.back': 'Retour à l’analyse',
  'analysis.portrait.lead':
    'Les associations issues des migrations du réseau FORIM (OSIM), regroupées en collectifs régionaux (COSIM) et en fédérations (FOSIM), agissent dans les quartiers prioritaires de la politique de la ville (QPV). Voici ce qu’elles y font, d’après les fiches d’expérience qu’elles ont écrites.',
  'analysis.portrait.figures': 'En chiffres',
  'analysis.portrait.fiches': 'Actions décrites',
  'analysis.portrait.domains': 'Domaines d’action',
  'analysis.portrait.publics': 'Qui en bénéficie',
  'analysis.portrait.regions': 'Dans {count} région|Dans {count} régions',
  'analysis.portrait.peopleNote':
    'Personnes touchées et bénévoles : la somme des nombres que donnent les fiches qui les indiquent.',
  'analysis.portrait.actions': 'Quelques actions en QPV',
  'analysis.portrait.actionsNone': 'Aucune action en QPV n’est encore publiée sur la vitrine.',
  'analysis.portrait.source.all':
    'Source : fiches d’expérience du réseau FORIM sur Passerelle, publiées ou partagées avec le réseau par leurs auteur·rices ({count} fiche), au {date}. Les actions présentées sont publiées sur la vitrine.|Source : fiches d’expérience du réseau FORIM sur Passerelle, publiées ou partagées avec le réseau par leurs auteur·rices ({count} fiches), au {date}. Les actions présentées sont publiées sur la vitrine.',
  'analysis.portrait.source.published':
    'Source : fiches d’expérience publiées par le réseau FORIM sur Passerelle ({count} fiche), au {date}.|Source : fiches d’expérience publiées par le réseau FORIM sur Passerelle ({count} fiches), au {date}.',
} as const;
