// French messages of the rules of who may do what (policy/policy.ts): refusals, and what a page
// says instead of a button the reader may not use (merged into fr).
export const frPolicy = {
  'cycle.error.followersOnly':
    'Seuls les membres des associations du collectif s’inscrivent eux-mêmes à un cycle : formateur·rices et coordinations l’animent.',
  'invite.error.revoked':
    'Cette invitation a été annulée et le reste : « Inviter à nouveau » crée une nouvelle invitation.',
  'invite.error.notYours':
    'Seule l’équipe nationale du FORIM invite, relance ou annule une invitation à ce rôle.',
  'invite.reinvite': 'Inviter à nouveau',
  'invite.flash.reinvited': 'Une nouvelle invitation est envoyée par e-mail à {email}.',
  'invite.nationalOnly': 'Invitation de l’équipe nationale : elle seule peut la relancer ou l’annuler.',
  'org.error.attachIsNational':
    'Vous ne pouvez rattacher une association qu’à un collectif que vous coordonnez ; pour un autre collectif, contactez l’équipe nationale.',
  'accounts.error.disabledByNational':
    'Ce compte a été désactivé par l’équipe nationale : elle seule peut le réactiver.',
  'people.disabledBy.national': 'Désactivé par l’équipe nationale : elle seule peut le réactiver.',
  'people.disabledBy.collective': 'Désactivé par la coordination du collectif.',
  'people.accountNationalOnly':
    'Ce compte relève de l’équipe nationale : seule elle peut le désactiver ou le réactiver.',
} as const;
