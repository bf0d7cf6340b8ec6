// The budget section's form: rows of expenses (e0_…), co-funders and other resources (r0_…) and
// valued volunteer time and gifts in kind (k0_…), as flat fields a phone's form posts without
// JavaScript. A row left blank is ignored; every saved form comes back with two blank rows per
// list, so adding a line never needs a script. Amounts are read by parseEuros (whole cents).
import type { MessageKey } from '../i18n/index.ts';
import { hasControlCharacters } from '../lib/forms.ts';
import {
  type AmountError,
  type BudgetContent,
  EXPENSE_ACCOUNTS,
  type ExpenseAccount,
  FUNDER_KINDS,
  FUNDER_STATUSES,
  type FunderKind,
  type FunderStatus,
  formatEuros,
  parseEuros,
} from './budget.ts';

/** Rows each list may hold: a real project's budget fits; a script's flood does not. */
export const MAX_ROWS = 30;
export const BLANK_ROWS = 2;
const LABEL_MAX = 120;

export type BudgetList = 'expenses' | 'resources' | 'inKind';
const PREFIX: Record<BudgetList, string> = { expenses: 'e', resources: 'r', inKind: 'k' };

/** One row as the form shows it: the typed strings. */
export interface BudgetRow {
  index: number;
  /** The expense's account, the co-funder's kind or the in-kind line's account (86/87). */
  choice: string;
  label: string;
  amount: string;
  /** Co-funders only. */
  status: string;
}

export type BudgetRows = Record<BudgetList, BudgetRow[]>;

/** An error next to a field, by the field's name (e0_amount), as a catalogue key. */
export type BudgetErrors = Record<string, { key: MessageKey; params?: Record<string, string | number> }>;

const amountErrors: Record<AmountError, MessageKey> = {
  required: 'project.budget.error.amountRequired',
  notANumber: 'project.budget.error.notANumber',
  negative: 'project.budget.error.negative',
  tooManyDecimals: 'project.budget.error.tooManyDecimals',
  tooLarge: 'project.budget.error.tooLarge',
};

/** A stored amount as the form shows it: « 1234,50 » (no spaces, so it reads back the same). */
export function amountText(cents: number): string {
  return formatEuros(cents)
    .replace(/[\s\u00a0\u202f€]/g, '')
    .replace(/,00$/, '');
}

/** The rows of a stored budget, with blank rows to add lines. */
export function rowsOf(budget: BudgetContent): BudgetRows {
  return withBlankRows({
    expenses: budget.expenses.map((l, index) => ({
      index,
      choice: l.account,
      label: l.label,
      amount: amountText(l.cents),
      status: '',
    })),
    resources: budget.resources.map((l, index) => ({
      index,
      choice: l.kind,
      label: l.label,
      amount: amountText(l.cents),
      status: l.status,
    })),
    inKind: budget.inKind.map((l, index) => ({
      index,
      choice: l.account,
      label: l.label,
      amount: amountText(l.cents),
      status: '',
    })),
  });
}

function withBlankRows(rows: BudgetRows): BudgetRows {
  for (const list of Object.keys(rows) as BudgetList[]) {
    const kept = rows[list].filter((r) => !isBlank(r));
    const blanks = Math.max(0, Math.min(BLANK_ROWS, MAX_ROWS - kept.length));
    rows[list] = [...kept, ...Array.from({ length: blanks }, () => blankRow(list))].map((r, index) => ({
      ...r,
      index,
    }));
  }
  return rows;
}

function blankRow(list: BudgetList): BudgetRow {
  const choice = list === 'expenses' ? '60' : list === 'resources' ? '' : '86';
  return { index: 0, choice, label: '', amount: '', status: list === 'resources' ? 'toAsk' : '' };
}

function isBlank(row: BudgetRow): boolean {
  return row.label.trim() === '' && row.amount.trim() === '';
}

/** The rows a posted form holds, as typed (strings only, cut to a sane length). */
export function postedRows(body: unknown): BudgetRows {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const str = (name: string) => {
    const v = record[name];
    return typeof v === 'string' ? v.slice(0, 1000) : '';
  };
  const rows = { expenses: [], resources: [], inKind: [] } as BudgetRows;
  for (const list of Object.keys(PREFIX) as BudgetList[]) {
    const p = PREFIX[list];
    for (let i = 0; i < MAX_ROWS + BLANK_ROWS; i++) {
      if (![`${p}${i}_label`, `${p}${i}_amount`, `${p}${i}_choice`].some((n) => n in record)) continue;
      rows[list].push({
        index: i,
        choice: str(`${p}${i}_choice`),
        label: str(`${p}${i}_label`),
        amount: str(`${p}${i}_amount`),
        status: str(`${p}${i}_status`),
      });
    }
  }
  return rows;
}

/** The name of a row's field in the form. */
export const rowField = (list: BudgetList, index: number, field: 'choice' | 'label' | 'amount' | 'status') =>
  `${PREFIX[list]}${index}_${field}`;

/**
 * Reads the posted rows into a budget: blank rows dropped, each other row's label, amount and
 * choice checked. Errors are by field name; the rows come back as typed to refill the form.
 */
export function readBudgetForm(body: unknown): {
  budget: BudgetContent;
  errors: BudgetErrors;
  rows: BudgetRows;
} {
  const rows = postedRows(body);
  const errors: BudgetErrors = {};
  // A row field this form never sends (beyond its rows, or repeated): the post is refused whole,
  // rather than a budget saved without it.
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    const row = /^[erk](\d+)_(choice|label|amount|status)$/.exec(name);
    if (row && (Number(row[1]) >= MAX_ROWS + BLANK_ROWS || typeof value !== 'string'))
      errors._form = { key: 'error.400.text' };
  }
  const budget: BudgetContent = { expenses: [], resources: [], inKind: [] };
  for (const list of Object.keys(PREFIX) as BudgetList[]) {
    const filled = rows[list].filter((r) => !isBlank(r));
    if (filled.length > MAX_ROWS)
      errors[rowField(list, filled[MAX_ROWS]!.index, 'label')] = {
        key: 'project.budget.error.tooManyRows',
        params: { max: MAX_ROWS },
      };
    for (const row of filled.slice(0, MAX_ROWS)) {
      const label = row.label.trim();
      if (label === '')
        errors[rowField(list, row.index, 'label')] = { key: 'project.budget.error.labelRequired' };
      else if (label.length > LABEL_MAX)
        errors[rowField(list, row.index, 'label')] = { key: 'form.tooLong', params: { max: LABEL_MAX } };
      else if (hasControlCharacters(label))
        errors[rowField(list, row.index, 'label')] = { key: 'form.invalidCharacters' };
      const amount = parseEuros(row.amount);
      if ('error' in amount)
        errors[rowField(list, row.index, 'amount')] = { key: amountErrors[amount.error] };
      const cents = 'cents' in amount ? amount.cents : 0;
      if (list === 'expenses') {
        if (!(EXPENSE_ACCOUNTS as readonly string[]).includes(row.choice))
          errors[rowField(list, row.index, 'choice')] = { key: 'form.invalidChoice' };
        else budget.expenses.push({ account: row.choice as ExpenseAccount, label, cents });
      } else if (list === 'resources') {
        const kindOk = Object.hasOwn(FUNDER_KINDS, row.choice);
        const statusOk = (FUNDER_STATUSES as readonly string[]).includes(row.status);
        if (!kindOk)
          errors[rowField(list, row.index, 'choice')] = { key: 'project.budget.error.kindRequired' };
        if (!statusOk) errors[rowField(list, row.index, 'status')] = { key: 'form.invalidChoice' };
        if (kindOk && statusOk)
          budget.resources.push({
            kind: row.choice as FunderKind,
            label,
            cents,
            status: row.status as FunderStatus,
          });
      } else if (row.choice === '86' || row.choice === '87') {
        budget.inKind.push({ account: row.choice, label, cents });
      } else errors[rowField(list, row.index, 'choice')] = { key: 'form.invalidChoice' };
    }
  }
  return { budget, errors, rows: Object.keys(errors).length > 0 ? rows : withBlankRows(rows) };
}
