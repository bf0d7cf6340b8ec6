// French messages of accounts and sign-in: throttles, password strength, e-mail change and its undo
// (merged into fr).
export const frAccounts = {
  'login.tooManyAccount':
    'Trop de tentatives de connexion sur ce compte. Réessayez dans {count} minute, ou choisissez un nouveau mot de passe avec « Mot de passe oublié ? ».|Trop de tentatives de connexion sur ce compte. Réessayez dans {count} minutes, ou choisissez un nouveau mot de passe avec « Mot de passe oublié ? ».',
  'password.tooManyChecks':
    'Trop d’essais de mot de passe. Réessayez dans {count} minute.|Trop d’essais de mot de passe. Réessayez dans {count} minutes.',

  'password.weak.common':
    'Ce mot de passe fait partie des plus utilisés : il serait deviné en quelques essais.',
  'password.weak.personal': 'Ce mot de passe contient votre nom, votre adresse ou le nom du site.',
  'password.weak.keyboard': 'Une suite de touches du clavier (azerty…) se devine facilement.',
  'password.weak.repeat': 'Les répétitions et les suites (aaa, abc, 123) se devinent facilement.',
  'password.weak.dates': 'Les dates et les années se devinent facilement.',
  'password.weak.word': 'Un mot ou un prénom, même suivi de chiffres, se devine facilement.',
  'password.weak.guessable': 'Ce mot de passe est trop facile à deviner.',
  'password.weak.advice':
    'Ajoutez des mots : une phrase de quatre mots que vous seul·e connaissez est facile à retenir et difficile à deviner.',

  'profile.emailPasswordHint': 'Pour vérifier que c’est bien vous.',
  'profile.flash.emailRequested':
    'Nous avons écrit à {email}. Ouvrez le lien reçu dans les 24 heures pour confirmer la nouvelle adresse ; d’ici là, votre adresse actuelle reste celle du compte.',
  'profile.flash.emailConfirmed':
    'Votre adresse e-mail est changée. Vos autres connexions ont été fermées et votre ancienne adresse a reçu un message.',
  'profile.error.tooManyEmailChanges':
    'Vous avez demandé plusieurs changements d’adresse en peu de temps. Réessayez dans une heure.',

  'email.taken.title': 'Adresse déjà utilisée',
  'email.taken.text':
    'L’adresse {email} est devenue, entre-temps, celle d’un autre compte Passerelle : l’adresse de votre compte n’a pas changé.',
  'email.taken.help':
    'Si cette adresse est à vous, connectez-vous avec elle (« Mot de passe oublié ? » au besoin), ou choisissez une autre adresse depuis votre profil.',

  'email.undo.title': 'Rétablir votre ancienne adresse',
  'email.undo.intro': 'L’adresse de votre compte Passerelle est passée de {previous} à {current} le {date}.',
  'email.undo.explain':
    'Si ce n’était pas vous, rétablissez votre adresse : toutes les connexions à votre compte seront fermées, puis vous choisirez un nouveau mot de passe.',
  'email.undo.submit': 'Rétablir mon adresse',
  'email.undo.done':
    'Votre adresse {email} est rétablie et toutes les connexions à votre compte sont fermées. Choisissez maintenant un nouveau mot de passe.',
  'email.undo.takenTitle': 'Adresse reprise par un autre compte',
  'email.undo.taken':
    'L’adresse {email} est maintenant celle d’un autre compte : nous ne pouvons pas la rétablir. Toutes les connexions à votre compte ont été fermées.',
  'email.undo.takenHelp': 'Écrivez à l’équipe nationale du FORIM pour retrouver l’accès à votre compte.',
  'link.askUndo':
    'Si quelqu’un d’autre a changé l’adresse de votre compte et que ce lien ne marche plus, écrivez à l’équipe nationale du FORIM.',

  'audit.action.profile.emailUndo': 'a rétabli son ancienne adresse e-mail (lien d’annulation)',

  'mail.emailChanged.subject': 'Passerelle : l’adresse de votre compte a changé',
  'mail.emailChanged.body':
    'Bonjour {name},\n\nL’adresse e-mail de votre compte Passerelle vient de passer de {previous} à {current}. Les messages de Passerelle iront désormais à la nouvelle adresse.\n\nSi c’est vous, vous n’avez rien à faire.\n\nSi ce n’est pas vous, quelqu’un a peut-être accès à votre compte. Ouvrez ce lien (valable {days} jours) pour rétablir votre adresse, fermer toutes les connexions à votre compte et choisir un nouveau mot de passe :\n{link}\n\nL’équipe Passerelle — FORIM',
  'mail.emailInUse.subject': 'Passerelle : votre adresse a été proposée pour un autre compte',
  'mail.emailInUse.body':
    'Bonjour,\n\nQuelqu’un a demandé à utiliser {email} comme adresse d’un autre compte Passerelle. Cette adresse est déjà celle de votre compte : rien n’a changé, et l’autre compte ne l’utilisera pas.\n\nSi c’était vous, connectez-vous avec cette adresse (« Mot de passe oublié ? » au besoin). Sinon, vous n’avez rien à faire.\n\nL’équipe Passerelle — FORIM',
} as const;
