// French messages of the CSV import of invitations (src/invitations/csv-import.ts): the form, the
// file's errors, the preview and what each row will give (merged into fr). The import's result
// page, its template and the encoding error are with the invitations' (fr-invitations.ts).
export const frImport = {
  'import.title': 'Importer une liste',
  'import.intro':
    'Invitez d’un coup les membres de vos associations à partir d’un tableau. Rien n’est envoyé avant que vous ayez vérifié l’aperçu et confirmé.',
  'import.format':
    'Un fichier CSV avec une ligne d’en-tête et les colonnes nom, email, osim et, si vous voulez, role (membre ou formateur). Le séparateur peut être le point-virgule, la virgule ou la tabulation. Exemple :',
  'import.formatHelp':
    'Dans Excel ou LibreOffice : « Enregistrer sous », format « CSV » (avec point-virgule ou UTF-8 : les deux conviennent). Le nom de l’OSIM doit être celui inscrit dans Passerelle.',
  'import.file': 'Fichier CSV',
  'import.sampleLabel': 'Exemple de fichier CSV',
  'import.check': 'Vérifier le fichier',
  'import.error.noFile': 'Choisissez un fichier CSV à importer.',
  'import.error.tooBig': 'Le fichier est trop gros (2 Mo au plus).',
  'import.error.empty': 'Le fichier est vide.',
  'import.error.unreadable':
    'Le fichier ne peut pas être lu comme un CSV (problème vers la ligne {line} : guillemet non fermé ?).',
  'import.error.columns': 'Colonnes manquantes dans la ligne d’en-tête : {missing}.',
  'import.error.noRows': 'Le fichier n’a pas de ligne après l’en-tête.',
  'import.error.tooManyRows':
    'Le fichier a trop de lignes ({max} au plus) : découpez-le en plusieurs fichiers.',
  'import.preview.title': 'Vérifier avant d’inviter',
  'import.preview.file': 'Fichier « {name} » : {count} ligne lue.|Fichier « {name} » : {count} lignes lues.',
  'import.preview.caption': 'Chaque ligne du fichier et ce qu’elle donnera',
  'import.preview.showErrors':
    'Voir seulement la ligne à corriger|Voir seulement les {count} lignes à corriger',
  'import.preview.showAll': 'Voir toutes les lignes ({count})',
  'import.preview.page': 'Page {page} sur {pages}',
  'import.preview.pages': 'Pages de la vérification',
  'import.preview.confirmHelp':
    'Seules les lignes « Nouvelle » recevront une invitation. Les lignes en erreur sont ignorées : corrigez le fichier puis importez-le de nouveau, personne ne sera invité deux fois.',
  'import.preview.confirm': 'Inviter {count} personne|Inviter {count} personnes',
  'import.preview.another': 'Importer un autre fichier',
  'import.preview.nothing': 'Aucune ligne ne donnera d’invitation.',
  'import.col.line': 'Ligne',
  'import.col.person': 'Personne',
  'import.col.osim': 'Association',
  'import.col.status': 'Résultat',
  'import.status.new': 'Nouvelle',
  'import.status.member': 'Déjà membre',
  'import.status.invited': 'Déjà invitée',
  'import.status.error': 'Erreur',
  'import.row.noName': 'Le nom manque.',
  'import.row.badName': 'Le nom est trop long ou contient des caractères non autorisés.',
  'import.row.noEmail': 'L’adresse e-mail manque.',
  'import.row.badEmail': '« {email} » n’est pas une adresse e-mail valide.',
  'import.row.duplicate': 'Même adresse qu’à la ligne {line}.',
  'import.row.badRole': 'Rôle « {role} » inconnu : écrivez membre ou formateur.',
  'import.row.noOsim': 'L’association (colonne osim) manque.',
  'import.row.unknownOsim': 'Aucune association « {osim} » dans votre collectif.',
  'import.row.ambiguousOsim': 'Plusieurs associations s’appellent « {osim} » : contactez l’équipe nationale.',
} as const;
