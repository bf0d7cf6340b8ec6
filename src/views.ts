// What each template is given, by its name (views/<name>.eta): reply.render (plugins/view.ts)
// takes a template's data of this type only, so the compiler sees what a route passes to a view.
// Not in it: the locals every template gets (reply.viewLocals: t, lang, user, csrfToken, flash,
// asset, formatDate, formatDateTime, num, nav, currentPath). A partial included with
// `include('/x', it)` reads its parent's data, so what it reads is in the parent's type; a fragment
// sent in place of its page (`fragment`) is given the page's data. Where a route passes a domain
// function's answer, the type is that function's own. test/view-types.test.ts lists the paths each
// template reads (`it.lesson.taskHtml`) and fails the type check when its type here lacks one.
import type { Analysis } from './analysis/analysis.ts';
import type { PortraitAction } from './analysis/portrait.ts';
import type { rollCall, walkInChoices } from './attendance/attendance.ts';
import type { ROLL_CALL_WINDOWS, rollCallWindow } from './attendance/roll-call-rules.ts';
import type { auditLogPage } from './audit/audit.ts';
import type { InvitationLookup } from './auth/invitations.ts';
import type { rulesChoices } from './certificates/certificate-rules.ts';
import type {
  getCertificateFor,
  listCycleCertificates,
  revocationCauseLabel,
} from './certificates/certificates.ts';
import type { certificatesOverview } from './certificates/earning.ts';
import type { evaluateRules, skillsProgress } from './certificates/progress.ts';
import type {
  collectiveChoices,
  collectiveNameOf,
  describeRules,
  listCyclesFor,
  listEnrollable,
  listLearners,
} from './cycles/cycles.ts';
import type { FilterState } from './dashboards/filter-state.ts';
import type {
  collectiveDashboard,
  collectiveReport,
  dashboardHtml,
  networkDashboard,
} from './dashboards/pages.ts';
import type {
  Certificate,
  Cycle,
  Gathering,
  Organization,
  REVOCATION_CAUSES,
  rubricAnswers,
} from './db/schema.ts';
import type {
  getExperienceFor,
  listCycleExperiences,
  listSharedExperiences,
} from './experiences/experiences.ts';
import type { publicationHistory, publicationRequests } from './experiences/publication.ts';
import type { FICHE_CHOICES } from './experiences/routes.ts';
import type { listGatherings, signedUpPeople } from './gatherings/gatherings.ts';
import type { signupOf } from './gatherings/signups.ts';
import type { adminHome, coordinatorHome, memberHome, trainerHome } from './home/home-data.ts';
import type { Locale, MessageKey } from './i18n/index.ts';
import type { getImport, importOutcome, importPreview, recentImports } from './invitations/csv-import.ts';
import type { getInvitationCard, listInvitations, listStatuses } from './invitations/listing.ts';
import type { CatalogCourse, CatalogQuiz } from './learning/catalog.ts';
import type {
  CourseProgress,
  courseProgressOf,
  getAttempt,
  getQuiz,
  gradeQuiz,
  lessonView,
  openLesson,
  PathProgress,
} from './learning/progress.ts';
import type { FieldErrors } from './lib/forms.ts';
import type { formatCalendarDate, formatDay } from './lib/time.ts';
import type { OutboxPage } from './mail/outbox-page.ts';
import type { listActiveCollectives } from './organizations/manage.ts';
import type {
  listArchivedOrganizations,
  listCollectiveOsims,
  listCollectives,
} from './organizations/network.ts';
import type { accountFacts } from './people/accounts.ts';
import type { listPeopleOfOrganization, searchPeople } from './people/directory.ts';
import type { getPersonView, grantableOrganizations } from './people/person.ts';
import type { grantableRoles } from './policy/policy.ts';
import type { erasableAccount } from './privacy/erase.ts';
import type { readablePersonalData } from './privacy/readable.ts';
import type { retentionPolicy } from './privacy/retention.ts';
import type { BudgetContent, formatEuros } from './projects/budget.ts';
import type { projectPage, sectionPage } from './projects/project-page.ts';
import type { SectionVersion } from './projects/project-sections.ts';
import type { listProjectsFor, ProjectView, projectOsimChoices } from './projects/projects.ts';
import type { RUBRIC } from './projects/reviews.ts';
import type { SectionDefinition, SectionKey, TextContent } from './projects/sections.ts';
import type { HeadTags } from './showcase/feeds.ts';
import type { RegionCode } from './showcase/regions.ts';
import type {
  FILTER_CHOICES,
  FilterName,
  PublishedActionPage,
  ShowcaseFilters,
  ShowcasePage,
} from './showcase/showcase.ts';

/** A form shown again: what was typed (never a password) and each field's message (lib/forms.ts). */
interface Form<Values = Record<string, string>> {
  values: Values;
  errors: FieldErrors;
}

/** A choice of a `partials/select`. */
interface Choice {
  id: string | number;
  name: string;
}

type NoData = Record<string, never>;
/** The certificate a lesson just completed earned, if any. */
type Earned = { id: number } | null;
/**
 * What dashboards/_keyfigures reads that a collective's dashboard and report never give: the network
 * page's line of the collectives together (else the first row is shown), and whether to show the
 * distribution (unless false).
 */
interface KeyFigures {
  keyRow?: undefined;
  withDistribution?: boolean;
}
/** FORIM's analysis (analysis/routes.ts): its figures, and whether only published fiches are counted. */
interface AnalysisPage {
  analysis: Analysis;
  publishedOnly: boolean;
  /** The filter as a query string, for links (empty: every counted fiche). */
  qs: string;
}
type DashboardHtml = Awaited<ReturnType<typeof dashboardHtml>>;
type InvitationList = ReturnType<typeof listInvitations>;
type Import = ReturnType<typeof getImport>;

/** A cycle's page (cycles/routes.ts). */
interface CycleShow {
  cycle: Cycle;
  collectiveName: ReturnType<typeof collectiveNameOf>;
  manager: boolean;
  enrolled: boolean;
  canEnrolSelf: boolean;
  gatherings: Array<
    ReturnType<typeof listGatherings>[number] & { when: string; zone: string; past: boolean }
  >;
  learners: ReturnType<typeof listLearners>;
  enrollable: ReturnType<typeof listEnrollable>;
  experiences: ReturnType<typeof listCycleExperiences>;
  canWriteExperience: boolean;
  rules: ReturnType<typeof evaluateRules> | null;
  myRevoked: boolean;
  myCertificate: Certificate | null;
  certificates: ReturnType<typeof listCycleCertificates>;
  rulesText: ReturnType<typeof describeRules>;
  formatCalendarDate: typeof formatCalendarDate;
}

/** A séance's page, or its #seance block (gatherings/signup-routes.ts). */
interface Seance {
  gathering: Gathering;
  cycle: Cycle;
  manager: boolean;
  // The sign-up block: seats left, the person's state, what they may do now.
  confirmed: number;
  seatsLeft: number;
  status: NonNullable<ReturnType<typeof signupOf>>['status'] | null;
  position: number | null;
  enrolled: boolean;
  open: boolean;
  past: boolean;
  markedPresent: boolean;
  canCancel: boolean;
  seesVideo: boolean;
  rollCall: ReturnType<typeof rollCallWindow> | null;
  windows: typeof ROLL_CALL_WINDOWS;
  moment: (date: Date) => string;
  when: string;
  zone: string;
  viewerWhen: string | null;
  viewerZone: string;
  facilitator: string;
  course: string | null;
  people: ReturnType<typeof signedUpPeople>;
  notice: MessageKey | null;
  signupError: string | null;
}

/** A séance's roll call, its closing page, and a tap's answer (attendance/routes.ts). */
interface RollCallSheet extends Form {
  gathering: Gathering;
  cycle: Cycle;
  rows: ReturnType<typeof rollCall>;
  when: string;
  zone: string;
  counts: Record<'present' | 'absent' | 'excused' | 'unmarked', number>;
  unmarkedNames: string[];
  window: ReturnType<typeof rollCallWindow>;
  windows: typeof ROLL_CALL_WINDOWS;
  moment: (date: Date) => string;
  /** By row key: a live certificate of the person lists this séance among those attended. */
  certified: Record<string, boolean>;
  rowErrors: Record<string, string>;
  choices: ReturnType<typeof walkInChoices>;
  /** Set by _attendance-tap only: its counters and closing block are swapped out of band. */
  oob?: boolean;
}

/** An error page (plugins/errors.ts): its words are catalogue keys. */
export interface ErrorPage {
  status: number;
  titleKey: MessageKey;
  headingKey: MessageKey;
  textKey: MessageKey;
  textParams: Record<string, string | number> | undefined;
}

export interface Views {
  'analysis/index': AnalysisPage;
  'analysis/portrait': AnalysisPage & { actions: PortraitAction[]; generatedOn: string };

  'audit/index': ReturnType<typeof auditLogPage>;

  'auth/login': Form & { next: string | null; formError: string | undefined };
  'auth/forgot': Form & { formError: string | undefined };
  'auth/forgot-sent': { email: string; minutes: number };
  'auth/link-invalid': {
    kind: 'reset' | 'invitation' | 'email' | 'email-undo';
    reason: 'unknown' | 'expired';
  };
  'auth/reset': { token: string; email: string; errors: FieldErrors; minLength: number };
  'auth/invitation': Form & {
    token: string;
    invitation: Extract<InvitationLookup, { state: 'valid' }>;
    minLength: number;
  };

  'calendar/index': { hasFeed: boolean; feedUrl: string | null };

  'certificates/index': ReturnType<typeof certificatesOverview> & {
    formatCalendarDate: typeof formatCalendarDate;
  };
  'certificates/show': ReturnType<typeof getCertificateFor> &
    Form & {
      verifyUrl: string;
      mine: boolean;
      canRevoke: boolean;
      causes: typeof REVOCATION_CAUSES;
      causeLabel: typeof revocationCauseLabel;
      formatCalendarDate: typeof formatCalendarDate;
      formatDay: typeof formatDay;
    };
  'certificates/skills': { skills: ReturnType<typeof skillsProgress>; who: string | null };
  'certificates/rules': ReturnType<typeof rulesChoices> &
    Form<Record<string, string | string[]>> & { cycle: Cycle };
  'certificates/learner': Form & {
    cycle: Cycle;
    learner: ReturnType<typeof listLearners>[number];
    skills: ReturnType<typeof skillsProgress>;
    rules: ReturnType<typeof evaluateRules>;
    certificate: Certificate | null;
    formatCalendarDate: typeof formatCalendarDate;
  };
  'certificates/verify-form': { value: string; error: boolean; tooMany?: boolean };
  'certificates/verify-unknown': { code: string };
  'certificates/verify': {
    certificate: Certificate;
    causeLabel: string;
    formatCalendarDate: typeof formatCalendarDate;
    statusUrl: string;
  };

  'cycles/index': {
    cycles: ReturnType<typeof listCyclesFor>;
    canCreate: boolean;
    formatCalendarDate: typeof formatCalendarDate;
  };
  'cycles/form': Form & {
    cycle: Cycle | null;
    collectives: ReturnType<typeof collectiveChoices>;
    national: boolean;
  };
  'cycles/show': CycleShow;

  // The figures of a dashboard are made apart (app.view, kept in memory: dashboards/pages.ts) and
  // put in their page, or sent alone to htmx.
  'dashboards/index': ReturnType<typeof networkDashboard>['locals'] & DashboardHtml;
  'dashboards/_figures': ReturnType<typeof networkDashboard>['locals'];
  'dashboards/collective': ReturnType<typeof collectiveDashboard>['locals'] & KeyFigures & DashboardHtml;
  'dashboards/_collective': ReturnType<typeof collectiveDashboard>['locals'] & KeyFigures;
  'dashboards/_filters': FilterState & { action: string };
  'dashboards/report': ReturnType<typeof collectiveReport> & KeyFigures;

  'errors/error': ErrorPage;
  'errors/_error': ErrorPage;

  'experiences/form': Form & { cycle: Cycle; id: number | null } & typeof FICHE_CHOICES;
  'experiences/index': { experiences: ReturnType<typeof listSharedExperiences> };
  'experiences/show': {
    experience: ReturnType<typeof getExperienceFor>;
    mine: boolean;
    regionName: string | null;
    month: (yearMonth: string) => string;
    mayPublish: boolean;
  };
  'experiences/to-publish': { requests: ReturnType<typeof publicationRequests> };
  'experiences/review': Form & {
    experience: ReturnType<typeof getExperienceFor>;
    history: ReturnType<typeof publicationHistory>;
    regionName: string | null;
    month: (yearMonth: string) => string;
  };

  'projects/index': ReturnType<typeof listProjectsFor> & { mayStart: boolean };
  'projects/new': Form & { osims: ReturnType<typeof projectOsimChoices> };
  'projects/show': ReturnType<typeof projectPage>;
  'projects/section': ReturnType<typeof sectionPage>;
  'projects/_section-form': ReturnType<typeof sectionPage>;
  'projects/history': {
    project: ProjectView;
    key: SectionKey;
    fields: SectionDefinition['fields'];
    versions: Array<SectionVersion & { text: TextContent | null; budget: BudgetContent | null }>;
    formatEuros: typeof formatEuros;
  };
  'projects/review': Form & {
    project: ProjectView;
    rubric: typeof RUBRIC;
    answers: typeof rubricAnswers;
  };

  'gatherings/form': Form & {
    cycle: Cycle;
    gathering: Gathering | null;
    overlaps: Array<{ title: string; when: string }>;
    facilitators: Choice[];
    courses: Choice[];
    timeZones: Choice[];
  };
  'gatherings/show': Seance;
  'gatherings/_seance': Seance;
  'gatherings/cancel': Form & { gathering: Gathering; cycle: Cycle; when: string; people: number };
  'gatherings/report': Form & { gathering: Gathering; cycle: Cycle };
  'gatherings/attendance': RollCallSheet;
  'gatherings/_attendance-tap': RollCallSheet & { row: RollCallSheet['rows'][number] | undefined };
  'gatherings/close': RollCallSheet;

  'home/admin': ReturnType<typeof adminHome>;
  'home/coordinator': ReturnType<typeof coordinatorHome>;
  'home/trainer': ReturnType<typeof trainerHome>;
  'home/member': ReturnType<typeof memberHome>;
  'home/no-role': NoData;

  'invitations/index': {
    result: InvitationList;
    pageUrl: string;
    statuses: typeof listStatuses;
    imports: ReturnType<typeof recentImports>;
  };
  'invitations/_results': { result: InvitationList; pageUrl: string };
  'invitations/new': Form & {
    organizations: ReturnType<typeof grantableOrganizations>;
    grantableRoles: ReturnType<typeof grantableRoles>;
  };
  'invitations/show': { invitation: ReturnType<typeof getInvitationCard> };
  'invitations/import': { error: string | null };
  'invitations/preview': { saved: Import; preview: ReturnType<typeof importPreview>; errorsOnly: boolean };
  'invitations/imported': {
    saved: Import;
    result: InvitationList;
    pageUrl: string;
    outcome: ReturnType<typeof importOutcome>;
  };

  'learn/path': { learning: PathProgress | null };
  'learn/course': { course: CourseProgress };
  // The page includes _lesson-done, whose notice of a certificate just earned only its htmx answer has.
  'learn/lesson': ReturnType<typeof openLesson> & { earned?: Earned };
  'learn/_lesson-task': ReturnType<typeof lessonView>;
  'learn/_lesson-done': ReturnType<typeof lessonView> & { earned: Earned };
  'learn/quiz': ReturnType<typeof getQuiz> & {
    round: number;
    questions: CatalogQuiz['questions'];
    answers: Record<string, string[]>;
    missing: string[];
    resumed: boolean;
  };
  'learn/quiz-result': ReturnType<typeof getQuiz> &
    ReturnType<typeof getAttempt> &
    Pick<ReturnType<typeof gradeQuiz>, 'results'> & {
      questions: CatalogQuiz['questions'];
      progress: ReturnType<typeof courseProgressOf>;
    };
  'learn/resource': { course: CatalogCourse; resource: CatalogCourse['resources'][number]; html: string };

  'mail/outbox': OutboxPage;

  'organizations/index': {
    collectives: ReturnType<typeof listCollectives>;
    archived: ReturnType<typeof listArchivedOrganizations>;
    national: boolean;
  };
  'organizations/form': Form & {
    organization: Organization | null;
    kind: Organization['kind'];
    cosims: ReturnType<typeof listActiveCollectives>;
    fosims: ReturnType<typeof listActiveCollectives>;
  };
  'organizations/show': {
    organization: Organization;
    mayEdit: boolean;
    mayAddOsim: boolean;
    osims: ReturnType<typeof listCollectiveOsims>;
    people: ReturnType<typeof listPeopleOfOrganization>;
    links: { parent: Organization | null; federation: Organization | null };
  };

  'people/index': { result: ReturnType<typeof searchPeople> };
  'people/_results': { result: ReturnType<typeof searchPeople> };
  'people/show': {
    person: ReturnType<typeof getPersonView> & {
      roles: Array<ReturnType<typeof getPersonView>['roles'][number] & { withdrawable: boolean }>;
    };
    organizations: ReturnType<typeof grantableOrganizations>;
    grantableRoles: ReturnType<typeof grantableRoles>;
    grantError: string | null;
    isSelf: boolean;
    account: Pick<ReturnType<typeof accountFacts>, 'disabledAuthority'> & {
      mayDisable: boolean;
      mayEnable: boolean;
    };
    erasable: boolean;
  };

  'privacy/notice': { policy: typeof retentionPolicy; erasedReason: string };
  'privacy/data': { sections: ReturnType<typeof readablePersonalData> };
  'privacy/delete': { errors: FieldErrors; understood: boolean };
  'privacy/deleted': NoData;
  'privacy/erase': {
    person: NonNullable<ReturnType<typeof erasableAccount>>;
    errors: FieldErrors;
    email: string;
  };

  'profile/show': Form & {
    section: 'profile' | 'email' | 'password' | null;
    minLength: number;
    /** The languages offered (complete catalogues): the choice shows only when there are two or more. */
    locales: readonly Locale[];
  };
  'profile/email-taken': { email: string };
  'profile/email-undo': { token: string; previousEmail: string; newEmail: string; date: string };
  'profile/email-undo-taken': { email: string };

  'showcase/index': ShowcasePage & {
    ignored: FilterName[];
    mapSvg: string;
    link: (changes?: Partial<ShowcaseFilters>, page?: number) => string;
    regionName: (code: RegionCode) => string;
    month: (yearMonth: string) => string;
    choices: typeof FILTER_CHOICES;
    head: HeadTags;
  };
  'showcase/action': {
    action: PublishedActionPage;
    regionName: (code: RegionCode) => string;
    month: (yearMonth: string) => string;
    head: HeadTags;
  };
}

/** The fragments (`_name`) a page may answer htmx with: those whose data the page's data covers. */
export type FragmentOf<Page extends keyof Views> = {
  [Name in keyof Views]: Name extends `${string}/_${string}`
    ? Views[Page] extends Views[Name]
      ? Name
      : never
    : never;
}[keyof Views];
