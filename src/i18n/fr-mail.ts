// French messages of the outbox page (merged into fr): what it shows of each mail, and why a link is hidden.
export const frMail = {
  'outbox.keep':
    'Les e-mails sont effacés {days} jours après leur envoi (ou après leur écriture s’ils ne partent pas).',
  'outbox.linksSmtp':
    'Les liens (invitation, nouveau mot de passe, changement d’adresse) ne sont jamais affichés ici : seule la personne les reçoit.',
  'outbox.linksNoSmtp':
    'Les liens d’invitation en attente sont affichés pour que vous les transmettiez. Les liens de nouveau mot de passe et de changement d’adresse ne sont montrés à personne : sans serveur d’envoi, ces e-mails ne partent pas.',
  'outbox.linkHidden': 'lien masqué',
  'outbox.held': 'Ne part pas sans serveur d’envoi (lien personnel)',
  'outbox.linkUnavailable': 'Pas envoyé : son lien a expiré avant l’envoi',
} as const;
