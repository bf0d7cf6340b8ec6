// French messages of the home pages and of the empty « Attestations » page (merged into fr).
export const frHome = {
  'home.seance.alsoOnline': 'et en ligne',
  'home.seance.seeIt': 'Voir la séance',

  'home.member.seatConfirmed': 'place confirmée',
  'home.member.waitingAt': 'liste d’attente, position {position}',
  'home.member.pastTitle': 'Vos séances passées',
  'home.member.past.present': 'présent·e',
  'home.member.past.absent': 'absent·e',
  'home.member.past.excused': 'excusé·e',
  'home.member.past.over': 'passée',
  'home.member.past.cancelled': 'annulée',
  'home.member.past.waiting': 'passée — vous étiez en liste d’attente',
  'home.member.pastOverHint': '«\u00a0passée\u00a0» : l’émargement n’est pas encore clôturé.',

  'home.runner.todayTitle': 'Aujourd’hui',
  'home.runner.rollCall': 'Faire l’émargement',
  'home.runner.opensSoon': 'L’émargement s’ouvre {minutes} minutes avant le début.',
  'home.runner.toCloseTitle': 'Émargements à clôturer',
  'home.runner.toCloseTag': 'Émargement à clôturer',
  'home.runner.toCloseHint':
    'Ces séances sont passées : vérifiez les présences puis clôturez la feuille, pour que les attestations et les chiffres soient à jour.',
  'home.runner.toCloseMore':
    'Et {count} autre séance dont l’émargement reste à clôturer.|Et {count} autres séances dont l’émargement reste à clôturer.',
  'home.runner.nextTitle': 'Prochaines séances',
  'home.runner.noNext': 'Aucune autre séance n’est programmée.',
  'home.runner.cyclesTitle': 'Vos cycles',
  'home.runner.nextSeance': 'Prochaine séance : {when}',
  'home.runner.noNextSeance': 'Aucune séance à venir.',
  'home.runner.allCycles': 'Tous les cycles et séances',

  'home.trainer.firstSteps':
    'Pour commencer, ouvrez un cycle pour votre collectif. Vous y programmerez ensuite les séances (date, lieu ou visio, nombre de places), et les membres pourront s’y inscrire.',
  'home.trainer.noRunner':
    'Vous n’animez pas encore de cycle. La coordination de votre COSIM peut vous rattacher à un collectif pour en ouvrir un.',

  'home.coordinator.invitationsTitle': 'Invitations',
  'home.coordinator.pending':
    '{count} invitation attend une réponse.|{count} invitations attendent une réponse.',
  'home.coordinator.noPending': 'Aucune invitation n’attend de réponse.',
  'home.coordinator.seePending': 'Voir les invitations en attente',
  'home.coordinator.expired':
    '{count} invitation a expiré sans réponse : vous pouvez la renvoyer.|{count} invitations ont expiré sans réponse : vous pouvez les renvoyer.',
  'home.coordinator.seeExpired': 'Voir les invitations expirées',
  'home.coordinator.invite': 'Inviter des personnes',
  'home.coordinator.neverTitle': 'Comptes jamais ouverts',
  'home.coordinator.never':
    '{count} personne du collectif ne s’est jamais connectée :|{count} personnes du collectif ne se sont jamais connectées :',
  'home.coordinator.neverMore': 'et {count} autre|et {count} autres',
  'home.coordinator.seePeople': 'Voir les personnes du collectif',
  'home.coordinator.dashboard': 'Tableau de bord du collectif',

  'home.admin.dashboard': 'Tableau de bord national',
  'home.admin.followTitle': 'À suivre dans le réseau',
  'home.admin.pending':
    '{count} invitation attend une réponse dans le réseau.|{count} invitations attendent une réponse dans le réseau.',
  'home.admin.toClose':
    '{count} séance passée dont l’émargement reste à clôturer.|{count} séances passées dont l’émargement reste à clôturer.',
  'home.admin.nextTitle': 'Les séances des sept prochains jours dans le réseau',
  'home.admin.noNext': 'Aucune séance n’est programmée dans les sept prochains jours.',

  'certificate.index.how':
    'Une attestation vous est délivrée automatiquement dès que vous remplissez les conditions de votre cycle : terminer ses modules (toutes les leçons, et le quiz réussi) et suivre ses séances collectives (votre présence est notée à l’émargement).',
  'certificate.index.asks': 'Ce que demande ce cycle :',
  'certificate.index.courses':
    'Terminer le module {titles} : toutes ses leçons, et son quiz réussi|Terminer les {count} modules {titles} : toutes leurs leçons, et chaque quiz réussi',
  'certificate.index.gatherings':
    'Suivre au moins {count} séance collective (vous en avez suivi {attended})|Suivre au moins {count} séances collectives (vous en avez suivi {attended})',
  'certificate.index.named': 'Suivre la séance «\u00a0{title}\u00a0»',
  'certificate.index.seeRules': 'Voir le cycle «\u00a0{cycle}\u00a0» et ses conditions',
  'certificate.index.notEnrolled':
    'Vous ne suivez aucun cycle pour le moment. Pour obtenir une attestation, inscrivez-vous à un cycle de votre collectif : ouvrez-le et touchez «\u00a0M’inscrire au cycle\u00a0». Quand l’inscription se fait par la coordination, demandez-lui de vous inscrire.',
  'certificate.index.cyclesTitle': 'Les cycles que vous pouvez rejoindre',
} as const;
