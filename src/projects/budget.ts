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
