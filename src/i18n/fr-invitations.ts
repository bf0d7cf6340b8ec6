// French messages of invitations: the pending links to copy, one invitation's page, an import's
// result, the CSV of links and the import template (merged into fr).
export const frInvitations = {
  // The coordinator types someone else's name and address: never « votre ».
  'invite.error.nameRequired': 'Saisissez le nom de la personne.',
  'invite.error.emailRequired': 'Saisissez l’adresse e-mail de la personne.',
  'invite.index.intro':
    'Chaque invitation en attente garde son lien : copiez-le pour l’envoyer par WhatsApp ou SMS, quand vous voulez. Un lien sert une seule fois.',
  'invite.index.download': 'Télécharger les liens en attente (CSV)',
  'invite.index.downloadHelp':
    'Un tableau nom ; email ; lien, pour un publipostage ou vos messages WhatsApp.',
  'invite.filter.pending': 'En attente',
  'invite.filter.accepted': 'Acceptées',
  'invite.filter.expired': 'Expirées',
  'invite.filter.revoked': 'Annulées',
  'invite.filter.all': 'Toutes',
  'invite.index.search': 'Rechercher une invitation',
  'invite.index.searchHint': 'Un nom ou une adresse e-mail, même en partie.',
  'invite.index.searchButton': 'Rechercher',
  'invite.index.noMatch': 'Aucune invitation ne correspond à « {query} ».',
  'invite.index.count': '{count} invitation|{count} invitations',
  'invite.index.pageOf': 'page {page} sur {pages}',
  'invite.index.pages': 'Pages des invitations',
  'invite.index.previous': 'Page précédente',
  'invite.index.next': 'Page suivante',
  'invite.index.imports': 'Vos dernières listes importées',
  'invite.index.importLine': '{count} invitation, le {date}|{count} invitations, le {date}',
  'invite.link.label': 'Lien d’invitation de {name}',
  'invite.link.toResend': 'Lien à renvoyer',
  'invite.link.toResendHelp':
    'Passerelle ne peut pas afficher ce lien : il date d’avant cette possibilité. « Renvoyer » en crée un nouveau, envoyé aussi par e-mail (l’ancien ne marchera plus).',
  'invite.link.csvToResend': 'lien à renvoyer depuis Passerelle',
  'invite.csv.name': 'nom',
  'invite.csv.email': 'email',
  'invite.csv.link': 'lien',
  'invite.show.title': 'Invitation de {name}',
  'invite.show.help':
    'Copiez le lien pour l’envoyer par WhatsApp ou SMS. Il sert une seule fois. Vous le retrouverez à tout moment dans « Invitations ».',
  'invite.show.back': 'Toutes les invitations',
  'invite.show.another': 'Inviter une autre personne',
  'invite.flash.sent': 'L’invitation est envoyée par e-mail à {email}.',
  'import.template': 'Télécharger le modèle (CSV)',
  'import.templateHelp':
    'Un fichier prêt à remplir dans Excel ou LibreOffice : remplacez les deux lignes d’exemple par les personnes à inviter.',
  'import.error.encoding':
    'Ce fichier n’est pas un tableau enregistré en texte (ni UTF-8, ni Windows-1252, ni UTF-16). Dans votre tableur, choisissez « Enregistrer sous », format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) ».',
  'import.result.file': 'Liste « {name} », importée le {date}.',
  'import.result.download': 'Télécharger nom ; email ; lien (CSV)',
  'import.result.none': 'Cette liste n’a donné aucune invitation.',
} as const;
