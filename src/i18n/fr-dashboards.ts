// French messages of the dashboards (merged into fr).
export const frDashboards = {
  'layout.dashboard': 'Tableau de bord',
  'dashboard.title': 'Tableau de bord de votre collectif',
  'dashboard.titleNational': 'Tableau de bord national',
  'dashboard.intro':
    'Qui est inscrit, où en est le parcours, qui vient aux séances, qui a son attestation, et quelles compétences le réseau construit.',
  'dashboard.filter.region': 'Région',
  'dashboard.filter.allRegions': 'Toutes les régions',
  'dashboard.filter.qpv': 'Seulement les OSIM qui agissent en QPV',
  'dashboard.filter.apply': 'Afficher',
  'dashboard.caption': 'Chiffres par collectif',
  'dashboard.col.collective': 'Collectif',
  'dashboard.col.invited': 'Invité·es',
  'dashboard.col.members': 'Membres',
  'dashboard.col.enrolled': 'Inscrit·es à un cycle',
  'dashboard.col.active': 'Actifs (30 j)',
  'dashboard.col.median': 'Parcours (médiane)',
  'dashboard.col.distribution': 'Répartition',
  'dashboard.col.quizzes': 'Quiz réussis',
  'dashboard.col.held': 'Séances tenues',
  'dashboard.col.attendance': 'Présence',
  'dashboard.col.certificates': 'Attestations',
  'dashboard.total': 'Total',
  'dashboard.distributionNote': 'Répartition des inscrit·es selon l’avancement du parcours : {buckets}.',
  'dashboard.heatTitle': 'Compétences acquises',
  'dashboard.heatNote':
    'Part des inscrit·es de chaque collectif qui ont acquis chaque compétence (le nombre est dans chaque case ; survolez un code pour son intitulé).',
} as const;
