// French messages of privacy: the person's data, deleting an account, retention, the notice (merged into fr).
export const frPrivacy = {
  'layout.privacy': 'Confidentialité',
  'privacy.data.title': 'Mes données',
  'privacy.data.intro':
    'Voici tout ce que Passerelle garde à votre sujet, table par table. Vous pouvez aussi le télécharger en un seul fichier (JSON), lisible par un autre logiciel.',
  'privacy.data.download': 'Télécharger mes données (JSON)',
  'privacy.data.none': 'Rien.',
  'privacy.data.rows': '{count} ligne(s)',
  'privacy.data.delete': 'Supprimer mon compte',
  'privacy.data.notice': 'Ce que Passerelle garde, pourquoi et combien de temps',
  'privacy.delete.title': 'Supprimer mon compte',
  'privacy.delete.intro':
    'Votre compte sera supprimé tout de suite et ne pourra pas être rétabli. Votre nom, votre adresse e-mail, votre progression, vos réponses aux quiz et vos inscriptions seront effacés. Vos places aux séances à venir seront rendues à la liste d’attente. Vos attestations seront révoquées : qui les vérifiera lira « supprimée à la demande de la personne », sans votre nom.',
  'privacy.delete.kept':
    'Restent, sans votre nom : les feuilles d’émargement des séances passées (pour que leurs chiffres restent justes), les fiches d’expérience que vous aviez partagées avec le réseau, et la trace de la suppression dans le journal.',
  'privacy.delete.before': 'Avant de partir, vous pouvez télécharger vos données.',
  'privacy.delete.password': 'Votre mot de passe',
  'privacy.delete.understood': 'Je comprends que mon compte sera supprimé définitivement.',
  'privacy.delete.submit': 'Supprimer mon compte',
  'privacy.deleted.title': 'Votre compte a été supprimé',
  'privacy.deleted.text':
    'Vos données personnelles ont été effacées de Passerelle. Merci d’avoir participé au cycle de formation. Si vous voulez revenir, demandez une nouvelle invitation à votre collectif.',
  'privacy.erase.title': 'Supprimer le compte de {name} à sa demande',
  'privacy.erase.intro':
    'À faire seulement quand la personne l’a demandé (par écrit). Son compte sera anonymisé, ses données personnelles effacées, ses attestations révoquées avec le motif « supprimée à la demande de la personne ».',
  'privacy.erase.email': 'Recopiez son adresse e-mail pour confirmer : {email}',
  'privacy.erase.submit': 'Supprimer ce compte',
  'privacy.erase.link': 'Supprimer ce compte (à la demande de la personne)',
  'privacy.error.understood': 'Cochez cette case pour confirmer.',
  'privacy.error.password': 'Ce mot de passe n’est pas le bon.',
  'privacy.error.confirmEmail': 'Recopiez exactement l’adresse e-mail de la personne.',
  'privacy.flash.erased': 'Le compte a été supprimé.',
  'privacy.notice.title': 'Confidentialité : ce que Passerelle garde, pourquoi, combien de temps',
  'mail.retention.subject': 'Votre compte Passerelle va être supprimé',
  'mail.retention.body':
    'Bonjour {name},\n\nPersonne ne s’est connecté à votre compte Passerelle depuis deux ans. Sans connexion de votre part, il sera supprimé le {date} : vos données personnelles seront effacées.\n\nPour le garder, il suffit de vous connecter : {link}\n\nL’équipe du FORIM',
} as const;
