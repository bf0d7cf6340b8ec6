// The register of personal data: every table of the database, what personal data it holds, what a
// person gets of it when they ask for their data, and what happens to it when their account is
// erased. It is the one place to read (and to change) for the GDPR; test/privacy/registry.test.ts
// fails when a table exists that it does not cover, or names a column that does not exist.
//
// SQL fragments use named parameters: @id (the person), @email (their address, lower-case),
// @now (ms), @placeholder (the address an erased account gets); erasure also gives @emails and
// @names, JSON arrays of every address and name the person has had (src/privacy/erase.ts).
// Erasing keeps the `users` row, anonymised: séances facilitated, sheets signed and certificates
// issued keep pointing at it, and nobody can be recognised from it any more.
import type { MessageKey } from '../i18n/index.ts';

export type Erase =
  /** Rows removed. */
  | { delete: string }
  /** Rows kept, these columns overwritten. */
  | { anonymise: string; set: string }
  /** Rows kept as they are, and why that is right. */
  | { keep: string }
  /** Done by a step of src/privacy/erase.ts, named here. */
  | { step: 'cancel-upcoming-signups' | 'revoke-certificates' };

export interface PersonalTable {
  personal: true;
  /** What it holds, in the words of the privacy page: its message in the catalogue (fr-privacy.ts). */
  label: MessageKey;
  /** Columns with personal data. */
  columns: string[];
  /** The person's rows (a WHERE clause), or null when there is nothing of theirs to give. */
  rows: string | null;
  /** The columns given to the person (secrets such as token and password hashes are not). */
  exported?: string[];
  erase: Erase;
}

export interface OtherTable {
  personal: false;
  /** Why there is no personal data in it (or where the one it points to is handled). */
  why: string;
}

export type TableEntry = PersonalTable | OtherTable;

export const registry: Record<string, TableEntry> = {
  users: {
    personal: true,
    label: 'privacy.register.users',
    columns: [
      'email',
      'display_name',
      'password_hash',
      'last_seen_at',
      'sort_key',
      'search_text',
      'locale',
      'time_zone',
    ],
    rows: 'id = @id',
    exported: [
      'id',
      'email',
      'display_name',
      'locale',
      'time_zone',
      'created_at',
      'last_seen_at',
      'disabled_at',
    ],
    erase: {
      anonymise: 'id = @id',
      set: `email = @placeholder, display_name = 'Compte supprimé', password_hash = NULL, last_seen_at = NULL,
        sort_key = 'compte supprime', search_text = '', locale = 'fr', time_zone = 'Europe/Paris',
        disabled_at = coalesce(disabled_at, @now), erased_at = @now`,
    },
  },
  users_search: {
    personal: false,
    why: 'index de recherche du répertoire, tenu à jour par les déclencheurs de users',
  },
  users_search_config: { personal: false, why: 'réglages de l’index de recherche' },
  users_search_data: { personal: false, why: 'pages de l’index de recherche, réécrites avec users' },
  users_search_docsize: { personal: false, why: 'tailles des documents de l’index de recherche' },
  users_search_idx: { personal: false, why: 'arbre de l’index de recherche' },
  email_changes: {
    personal: true,
    label: 'privacy.register.email_changes',
    columns: ['new_email', 'previous_email'],
    rows: 'user_id = @id',
    exported: [
      'new_email',
      'previous_email',
      'created_at',
      'expires_at',
      'used_at',
      'undo_expires_at',
      'undone_at',
    ],
    erase: { delete: 'user_id = @id' },
  },
  memberships: {
    personal: true,
    label: 'privacy.register.memberships',
    columns: ['user_id', 'organization_id', 'role'],
    rows: 'user_id = @id',
    exported: ['organization_id', 'role', 'created_at'],
    erase: { delete: 'user_id = @id' },
  },
  sessions: {
    personal: true,
    label: 'privacy.register.sessions',
    columns: ['user_id', 'last_verified_at'],
    rows: 'user_id = @id',
    exported: ['created_at', 'last_verified_at'],
    erase: { delete: 'user_id = @id' },
  },
  password_resets: {
    personal: true,
    label: 'privacy.register.password_resets',
    columns: ['user_id'],
    rows: 'user_id = @id',
    exported: ['created_at', 'expires_at', 'used_at'],
    erase: { delete: 'user_id = @id' },
  },
  invitations: {
    personal: true,
    label: 'privacy.register.invitations',
    columns: ['email', 'display_name', 'accepted_user_id'],
    rows: 'accepted_user_id = @id OR lower(email) = @email',
    exported: ['email', 'display_name', 'organization_id', 'role', 'created_at', 'accepted_at', 'revoked_at'],
    // A pending one is withdrawn too: its link would make a new account at the erased address.
    erase: {
      anonymise: 'accepted_user_id = @id OR lower(email) = @email',
      set: `email = @placeholder, display_name = 'Compte supprimé', link_nonce = NULL,
        revoked_at = CASE WHEN accepted_at IS NULL THEN coalesce(revoked_at, @now) ELSE revoked_at END`,
    },
  },
  invitation_imports: {
    personal: true,
    label: 'privacy.register.invitation_imports',
    columns: ['rows', 'file_name'],
    rows: 'instr(lower(rows), @email) > 0',
    exported: ['file_name', 'created_at', 'confirmed_at'],
    erase: { delete: 'instr(lower(rows), @email) > 0' },
  },
  outbox: {
    personal: true,
    label: 'privacy.register.outbox',
    // The text holds no link; the sealed link (a secret, never exported) goes once the mail is sent
    // or the link expires, and the row OUTBOX_KEEP_DAYS after sending (src/mail/outbox.ts).
    columns: ['to_address', 'subject', 'text_body', 'sealed_link'],
    rows: 'lower(to_address) = @email',
    exported: ['subject', 'text_body', 'created_at', 'sent_at'],
    erase: { delete: 'lower(to_address) = @email' },
  },
  audit_log: {
    personal: true,
    label: 'privacy.register.audit_log',
    columns: ['actor_user_id', 'subject_user_id', 'details'],
    rows: 'subject_user_id = @id OR actor_user_id = @id',
    exported: ['action', 'actor_user_id', 'subject_user_id', 'organization_id', 'details', 'created_at'],
    // Who did what stays (accountability); the details about the person go: those of entries about
    // them, and those of anyone's entries that name one of their addresses or names (an invitation
    // sent, sent again or withdrawn keeps {"email": …} and no account).
    erase: {
      anonymise: `subject_user_id = @id OR (details IS NOT NULL AND EXISTS (
        SELECT 1 FROM json_tree(audit_log.details) AS j WHERE j.type = 'text'
          AND (lower(j.value) IN (SELECT value FROM json_each(@emails))
            OR j.value IN (SELECT value FROM json_each(@names)))))`,
      set: 'details = NULL',
    },
  },
  auth_version: { personal: false, why: 'un compteur qui invalide les sessions en mémoire' },
  organizations: { personal: false, why: 'les associations et collectifs, pas des personnes' },
  skills: { personal: false, why: 'le référentiel de compétences' },
  paths: { personal: false, why: 'le parcours de formation' },
  courses: { personal: false, why: 'les modules de formation' },
  lessons: { personal: false, why: 'les leçons' },
  quizzes: { personal: false, why: 'les quiz et leurs questions' },
  content_state: { personal: false, why: 'l’état de la synchronisation des contenus' },
  lesson_progress: {
    personal: true,
    label: 'privacy.register.lesson_progress',
    columns: ['user_id', 'first_opened_at', 'last_opened_at', 'completed_at', 'task_done_at'],
    rows: 'user_id = @id',
    erase: { delete: 'user_id = @id' },
  },
  quiz_attempts: {
    personal: true,
    label: 'privacy.register.quiz_attempts',
    columns: ['user_id', 'answers', 'score', 'passed'],
    rows: 'user_id = @id',
    erase: { delete: 'user_id = @id' },
  },
  cycles: { personal: false, why: 'les cycles ; created_by désigne un compte, anonymisé s’il est effacé' },
  cycle_members: {
    personal: true,
    label: 'privacy.register.cycle_members',
    columns: ['user_id', 'enrolled_at', 'withdrawn_at'],
    rows: 'user_id = @id',
    exported: ['cycle_id', 'enrolled_at', 'withdrawn_at'],
    erase: { delete: 'user_id = @id' },
  },
  gatherings: {
    personal: false,
    why: 'les séances ; facilitator_id et created_by désignent un compte, anonymisé s’il est effacé',
  },
  gathering_signups: {
    personal: true,
    label: 'privacy.register.gathering_signups',
    columns: ['user_id', 'status'],
    rows: 'user_id = @id',
    exported: ['gathering_id', 'status', 'created_at', 'confirmed_at', 'cancelled_at'],
    // Seats at séances to come are given back (the waiting list moves up); past ones stay, so
    // that a séance's attendance rate stays true — the account they point to is anonymised.
    erase: { step: 'cancel-upcoming-signups' },
  },
  attendance: {
    personal: true,
    label: 'privacy.register.attendance',
    columns: ['user_id', 'status', 'guest_name', 'guest_organization'],
    rows: 'user_id = @id',
    exported: ['gathering_id', 'status', 'walk_in', 'marked_at'],
    erase: {
      keep: 'les feuilles d’émargement des séances tenues restent justes ; elles désignent le compte anonymisé',
    },
  },
  gathering_reminders: {
    personal: true,
    label: 'privacy.register.gathering_reminders',
    columns: ['user_id'],
    rows: 'user_id = @id',
    exported: ['gathering_id', 'kind', 'sent_at'],
    erase: { delete: 'user_id = @id' },
  },
  calendar_feeds: {
    personal: true,
    label: 'privacy.register.calendar_feeds',
    columns: ['user_id', 'token_hash'],
    rows: 'user_id = @id',
    exported: ['created_at', 'revoked_at'],
    erase: { delete: 'user_id = @id' },
  },
  experiences: {
    personal: true,
    label: 'privacy.register.experiences',
    columns: [
      'author_id',
      'title',
      'what',
      'objectives',
      'town',
      'audience',
      'partners',
      'cofunding',
      'results',
      'difficulties',
      'advice',
    ],
    rows: 'author_id = @id',
    // Fiches kept to oneself go, and so do fiches public or asked to be (the showcase shows them
    // no more); fiches shared with the network only stay, without their author's name.
    erase: { delete: "author_id = @id AND (shared_with_network = 0 OR publication <> 'private')" },
  },
  experience_publications: {
    personal: true,
    label: 'privacy.register.experience_publications',
    columns: ['actor_id'],
    rows: 'actor_id = @id',
    // The record of consent (who asked, who published, who withdrew, when): kept, pointing at the
    // anonymised account; the rows of a fiche erased go with it (foreign key).
    erase: { keep: 'the record of who asked for and made a fiche public' },
  },
  // « Mon projet ». An erased co-author leaves the project to the others; a project the person wrote
  // alone goes, with everything that hangs on it (sections, versions, comments, rubrics: the
  // foreign keys cascade). ORDER MATTERS: `projects` is erased before `project_authors`, whose rows
  // tell which projects the person wrote alone (erase.ts runs the tables in this order).
  projects: {
    personal: true,
    label: 'privacy.register.projects',
    // The texts are in project_sections; ready_by names the trainer who said « prêt à déposer »:
    // kept, pointing at the anonymised account (as a séance's facilitator is).
    columns: ['title', 'ready_by'],
    rows: 'id IN (SELECT project_id FROM project_authors WHERE user_id = @id)',
    exported: [
      'id',
      'organization_id',
      'title',
      'cycle_id',
      'shared_at',
      'shared_with_national',
      'ready_at',
      'created_at',
      'updated_at',
    ],
    erase: {
      delete: `id IN (SELECT project_id FROM project_authors WHERE user_id = @id)
        AND NOT EXISTS (SELECT 1 FROM project_authors a WHERE a.project_id = projects.id AND a.user_id <> @id)`,
    },
  },
  project_authors: {
    personal: true,
    label: 'privacy.register.project_authors',
    columns: ['user_id', 'added_at'],
    rows: 'user_id = @id',
    exported: ['project_id', 'added_at'],
    erase: { delete: 'user_id = @id' },
  },
  project_sections: {
    personal: true,
    label: 'privacy.register.project_sections',
    // The texts of the person's projects (written with their co-authors), and who saved each last.
    columns: ['content', 'updated_by'],
    rows: 'project_id IN (SELECT project_id FROM project_authors WHERE user_id = @id)',
    exported: ['project_id', 'section', 'content', 'version', 'updated_at'],
    // The co-authors keep the texts; the name of who saved them goes.
    erase: { anonymise: 'updated_by = @id', set: 'updated_by = NULL' },
  },
  project_section_versions: {
    personal: true,
    label: 'privacy.register.project_section_versions',
    columns: ['content', 'author_id'],
    rows: 'author_id = @id',
    exported: ['project_id', 'section', 'version', 'content', 'saved_at'],
    // The history stays whole for the co-authors, without the name of who wrote each version.
    erase: { anonymise: 'author_id = @id', set: 'author_id = NULL' },
  },
  project_comments: {
    personal: true,
    label: 'privacy.register.project_comments',
    columns: ['author_id', 'body'],
    rows: 'author_id = @id',
    exported: ['id', 'project_id', 'section', 'reply_to', 'body', 'created_at'],
    // As fiches shared with the network: written for others (a shared project's authors and its
    // cycle), they stay without the name. Deleting one would also delete the authors' answers to it
    // (reply_to cascades). Those on a project the person wrote alone went with it.
    erase: {
      keep: 'écrits pour les auteurs d’un projet partagé, ils restent, signés du compte anonymisé ; les réponses des auteurs gardent leur question',
    },
  },
  project_reviews: {
    personal: true,
    label: 'privacy.register.project_reviews',
    columns: ['reviewer_id', 'answers'],
    rows: 'reviewer_id = @id',
    exported: ['project_id', 'answers', 'updated_at'],
    erase: {
      keep: 'la grille d’une relecture (oui, en partie, non) reste dans le bilan du projet, signée du compte anonymisé',
    },
  },
  certificates: {
    personal: true,
    label: 'privacy.register.certificates',
    columns: ['user_id', 'snapshot'],
    rows: 'user_id = @id',
    exported: [
      'code',
      'cycle_id',
      'snapshot',
      'issued_how',
      'issued_at',
      'revoked_at',
      'revoked_cause',
      'revoked_reason',
    ],
    // Revoked with the reason, the name taken out: the verification page says so without naming anyone.
    erase: { step: 'revoke-certificates' },
  },
  signing_keys: { personal: false, why: 'les clés publiques qui vérifient les badges Open Badges' },
  learner_stats: {
    personal: true,
    label: 'privacy.register.learner_stats',
    columns: ['user_id', 'percent', 'last_activity_at'],
    rows: 'user_id = @id',
    erase: { delete: 'user_id = @id' },
  },
  learner_skills: {
    personal: true,
    label: 'privacy.register.learner_skills',
    columns: ['user_id', 'skill_code'],
    rows: 'user_id = @id',
    erase: { delete: 'user_id = @id' },
  },
  dashboard_dirty: { personal: false, why: 'les collectifs dont les chiffres sont à recalculer' },
  dashboard_summary: { personal: false, why: 'des totaux par collectif' },
  dashboard_activity: { personal: false, why: 'des totaux par collectif et par jour' },
  dashboard_monthly: { personal: false, why: 'des totaux par collectif et par mois' },
  dashboard_seats: { personal: false, why: 'des totaux par collectif et par séance' },
  dashboard_osims: { personal: false, why: 'des totaux par association' },
  dashboard_osim_activity: { personal: false, why: 'des totaux par association et par jour' },
  dashboard_people: {
    personal: true,
    label: 'privacy.register.dashboard_people',
    columns: ['user_id', 'sort_key'],
    rows: null,
    // Recomputed without the person as soon as their roles are removed (the triggers mark it).
    erase: { keep: 'recalculé sans la personne dès que ses rôles sont retirés' },
  },
  retention_notices: {
    personal: true,
    label: 'privacy.register.retention_notices',
    columns: ['user_id', 'warned_at'],
    rows: 'user_id = @id',
    exported: ['warned_at'],
    erase: { delete: 'user_id = @id' },
  },
  sqlite_sequence: { personal: false, why: 'les compteurs d’identifiants de SQLite' },
  __drizzle_migrations: { personal: false, why: 'les migrations appliquées' },
};

export function personalTables(): Array<[string, PersonalTable]> {
  return Object.entries(registry).filter((e): e is [string, PersonalTable] => e[1].personal);
}
