// A project's budget (issue 18), in the shape of the budget table of the grant request form
// (Cerfa 12156): expenses by account (60–68), resources by account (70–75), volunteer time and
// gifts in kind valued apart (86 used = 87 given). Amounts are whole cents, never floating euros:
// totals are exact, and a budget balances or does not, to the cent.

/** Accounts of the budget table, each with its side. */
export const ACCOUNTS = {
  '60': 'expense',
  '61': 'expense',
  '62': 'expense',
  '63': 'expense',
  '64': 'expense',
  '65': 'expense',
  '66': 'expense',
  '67': 'expense',
  '68': 'expense',
  '70': 'resource',
  '73': 'resource',
  '74': 'resource',
  '75': 'resource',
  '86': 'inKindUse',
  '87': 'inKindGiven',
} as const;

export type Account = keyof typeof ACCOUNTS;

export interface BudgetLine {
  account: Account;
  /** Whole cents, 0 or more. */
  cents: number;
}

/** The most one line may hold: 10 million euros (a typo, beyond that). */
export const MAX_LINE_CENTS = 10_000_000_00;

export type AmountError = 'required' | 'notANumber' | 'negative' | 'tooManyDecimals' | 'tooLarge';

/**
 * An amount as people type it in France: « 1 234,56 », « 1234.5 », « 1 234 € », « 12 ». Spaces
 * (also non-breaking), a euro sign and one decimal separator (comma or point, two decimals at most)
 * are accepted; anything else is an error named for the message next to the field.
 */
export function parseEuros(input: string): { cents: number } | { error: AmountError } {
  const text = input
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/€$/, '')
    .replace(/^€/, '');
  if (text === '') return { error: 'required' };
  if (/^-/.test(text)) return { error: 'negative' };
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(text);
  if (!match) return { error: 'notANumber' };
  const [, whole, decimals = ''] = match;
  if (decimals.length > 2) return { error: 'tooManyDecimals' };
  // Long digit strings are refused before any arithmetic could lose precision.
  if (whole!.replace(/^0+/, '').length > 10) return { error: 'tooLarge' };
  const cents = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  if (cents > MAX_LINE_CENTS) return { error: 'tooLarge' };
  return { cents };
}

/** « 1 234,56 € », with French spaces (narrow no-break between thousands, no-break before €). */
export function formatEuros(cents: number): string {
  const negative = cents < 0;
  const absolute = Math.abs(cents);
  const whole = Math.floor(absolute / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  const decimals = String(absolute % 100).padStart(2, '0');
  return `${negative ? '−' : ''}${whole},${decimals}\u00a0€`;
}

export interface BudgetTotals {
  /** Total by account present in the lines. */
  byAccount: Partial<Record<Account, number>>;
  expenses: number;
  resources: number;
  inKindUse: number;
  inKindGiven: number;
  /** Resources minus expenses: 0 when balanced. */
  gap: number;
  /** Valued volunteer time and gifts in kind: given (87) minus used (86). */
  inKindGap: number;
  balanced: boolean;
}

/** The totals of the budget table and whether it balances (charges = produits, 86 = 87), to the cent. */
export function budgetTotals(lines: readonly BudgetLine[]): BudgetTotals {
  const byAccount: Partial<Record<Account, number>> = {};
  const sides = { expense: 0, resource: 0, inKindUse: 0, inKindGiven: 0 };
  for (const line of lines) {
    if (!Number.isSafeInteger(line.cents) || line.cents < 0)
      throw new RangeError('cents must be whole and positive');
    byAccount[line.account] = (byAccount[line.account] ?? 0) + line.cents;
    sides[ACCOUNTS[line.account]] += line.cents;
  }
  const gap = sides.resource - sides.expense;
  const inKindGap = sides.inKindGiven - sides.inKindUse;
  return {
    byAccount,
    expenses: sides.expense,
    resources: sides.resource,
    inKindUse: sides.inKindUse,
    inKindGiven: sides.inKindGiven,
    gap,
    inKindGap,
    balanced: gap === 0 && inKindGap === 0 && sides.expense > 0,
  };
}

// ——— The lines of a project's budget, as its section stores them ———

/** Expense accounts of the table (60–68), in its order. */
export const EXPENSE_ACCOUNTS = ['60', '61', '62', '63', '64', '65', '66', '67', '68'] as const;
export type ExpenseAccount = (typeof EXPENSE_ACCOUNTS)[number];

/**
 * Who pays a resource line, as FORIM reports co-funding: the public funders one by one, the CAF,
 * foundations, FORIM's PRA/OSIM, other public funders (European funds, public bodies), sponsors,
 * the association's own funds, and what the public pays. Each goes to its account of the table.
 */
export const FUNDER_KINDS = {
  state: '74',
  region: '74',
  departement: '74',
  epci: '74',
  town: '74',
  caf: '74',
  foundation: '74',
  praOsim: '74',
  otherPublic: '74',
  sponsor: '75',
  own: '75',
  sales: '70',
} as const satisfies Record<string, Account>;
export type FunderKind = keyof typeof FUNDER_KINDS;
export const FUNDER_KIND_KEYS = Object.keys(FUNDER_KINDS) as FunderKind[];

/** Where a co-funder's answer stands. A refused line stays in the file but counts for nothing. */
export const FUNDER_STATUSES = ['toAsk', 'asked', 'obtained', 'refused'] as const;
export type FunderStatus = (typeof FUNDER_STATUSES)[number];

export interface ExpenseLine {
  account: ExpenseAccount;
  label: string;
  cents: number;
}

export interface ResourceLine {
  kind: FunderKind;
  /** The funder's name (« Ville de Rennes ») or what the line is. */
  label: string;
  cents: number;
  status: FunderStatus;
}

/** Volunteer time and gifts in kind: used (86, a charge) and given (87, a resource). */
export interface InKindLine {
  account: '86' | '87';
  label: string;
  cents: number;
}

export interface BudgetContent {
  expenses: ExpenseLine[];
  resources: ResourceLine[];
  inKind: InKindLine[];
}

export const emptyBudget = (): BudgetContent => ({ expenses: [], resources: [], inKind: [] });

/** The budget's lines as the table counts them: refused co-funding left out. */
export function budgetLines(budget: BudgetContent): BudgetLine[] {
  return [
    ...budget.expenses.map((l) => ({ account: l.account, cents: l.cents })),
    ...budget.resources
      .filter((l) => l.status !== 'refused')
      .map((l) => ({ account: FUNDER_KINDS[l.kind] as Account, cents: l.cents })),
    ...budget.inKind.map((l) => ({ account: l.account, cents: l.cents })),
  ];
}

/** Reads a stored budget (JSON), keeping only well-formed lines. */
export function readBudget(content: Record<string, unknown> | null | undefined): BudgetContent {
  const budget = emptyBudget();
  if (!content) return budget;
  const cents = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : null);
  const label = (v: unknown) => (typeof v === 'string' ? v : '');
  for (const l of asArray(content.expenses)) {
    const c = cents(l.cents);
    if (c !== null && (EXPENSE_ACCOUNTS as readonly unknown[]).includes(l.account))
      budget.expenses.push({ account: l.account as ExpenseAccount, label: label(l.label), cents: c });
  }
  for (const l of asArray(content.resources)) {
    const c = cents(l.cents);
    if (
      c !== null &&
      typeof l.kind === 'string' &&
      Object.hasOwn(FUNDER_KINDS, l.kind) &&
      (FUNDER_STATUSES as readonly unknown[]).includes(l.status)
    )
      budget.resources.push({
        kind: l.kind as FunderKind,
        label: label(l.label),
        cents: c,
        status: l.status as FunderStatus,
      });
  }
  for (const l of asArray(content.inKind)) {
    const c = cents(l.cents);
    if (c !== null && (l.account === '86' || l.account === '87'))
      budget.inKind.push({ account: l.account, label: label(l.label), cents: c });
  }
  return budget;
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : [];
}
