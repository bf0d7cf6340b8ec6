// A project's budget as a CSV for French Excel, in the columns of the course's own example
// (courses/monter-un-projet/ressources/budget-previsionnel.csv): one row per line of the budget,
// by part and account of the Cerfa 12156 table, the totals, and whether it balances. Amounts are
// written « 1234,50 »: a decimal comma and no thousands separator, so Excel reads them as numbers.
// The words of both exports are in the catalogue (project.export.*); what they share (the balance)
// is here, and project-pdf.ts uses it.
import type { Translate } from '../i18n/index.ts';
import { spreadsheetCsv } from '../lib/csv.ts';
import {
  type Account,
  type BudgetContent,
  type BudgetTotals,
  budgetLines,
  budgetTotals,
  EXPENSE_ACCOUNTS,
  FUNDER_KINDS,
  formatEuros,
} from './budget.ts';
import type { ProjectView } from './projects.ts';

const nbsp = '\u00a0';

/** The accounts co-funders go to (FUNDER_KINDS), in the table's order; 73 is none of them. */
export const RESOURCE_ACCOUNTS = ['70', '74', '75'] as const;

/** « Achats » from « 60 – Achats »: the account's name without its number. */
export const accountName = (t: Translate, account: Exclude<Account, '73'>) =>
  t(`project.account.${account}`).replace(/^\d+\s*[–-]\s*/, '');

/** Whether charges and produits balance, and accounts 86 and 87, in the words of the budget form. */
export function balanceMessages(totals: BudgetTotals, t: Translate): { main: string; inKind: string } {
  const main =
    totals.expenses === 0
      ? t('project.budget.noExpenses')
      : totals.gap < 0
        ? t('project.budget.missingResources', { amount: formatEuros(-totals.gap) })
        : totals.gap > 0
          ? t('project.budget.excessResources', { amount: formatEuros(totals.gap) })
          : t('project.export.balancedMain');
  const inKind =
    totals.inKindGap === 0
      ? // The accounts as text: a number would be followed by a no-break space (« 86 est »).
        t('project.export.balancedInKind', { use: '86', given: '87' })
      : t('project.budget.inKindGap', { amount: formatEuros(Math.abs(totals.inKindGap)) });
  return { main, inKind };
}

/** « 1234,50 »: what French Excel reads as a number (no thousands separator, a decimal comma). */
export function csvAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** Messages of the app in a spreadsheet cell: the narrow no-break space (not in every font) made a no-break space. */
const cellText = (text: string) => text.replace(/\u202f/g, nbsp);

type Row = [part: string, account: string, label: string, funder: string, amount: string];

/**
 * The CSV of the budget: a first row naming the project and its association, the charges by
 * account (60–68), their total, the produits by account (70, 74, 75) with each co-funder's kind and
 * status (a refused one in a part of its own, left out of the total), their total, the balance;
 * then accounts 86 and 87, their totals and their balance; the draft warning last.
 */
export function budgetCsv(project: ProjectView, budget: BudgetContent, t: Translate): string {
  const totals = budgetTotals(budgetLines(budget));
  const balance = balanceMessages(totals, t);
  const compare = (a: number, b: number) => `${csvAmount(a)} ${a === b ? '=' : '≠'} ${csvAmount(b)}`;
  const rows: Row[] = [[t('project.export.csv.project'), '', project.title, project.osimName, '']];

  for (const account of EXPENSE_ACCOUNTS)
    for (const line of budget.expenses.filter((l) => l.account === account))
      rows.push([
        t('project.export.csv.expenses'),
        t(`project.account.${account}`),
        line.label,
        '',
        csvAmount(line.cents),
      ]);
  rows.push([t('project.budget.totalExpenses'), '', '', '', csvAmount(totals.expenses)]);

  for (const account of RESOURCE_ACCOUNTS)
    for (const line of budget.resources.filter((l) => FUNDER_KINDS[l.kind] === account))
      rows.push([
        t(line.status === 'refused' ? 'project.export.csv.refused' : 'project.export.csv.resources'),
        t(`project.account.${account}`),
        line.label,
        `${t(`project.funder.${line.kind}`)} — ${t(`project.status.${line.status}`)}`,
        csvAmount(line.cents),
      ]);
  rows.push([t('project.budget.totalResources'), '', '', '', csvAmount(totals.resources)]);
  rows.push([
    t('project.export.csv.balance'),
    '',
    cellText(balance.main),
    compare(totals.expenses, totals.resources),
    '',
  ]);

  if (budget.inKind.length > 0) {
    for (const account of ['86', '87'] as const) {
      const part = t(account === '86' ? 'project.export.csv.inKindUse' : 'project.export.csv.inKindGiven');
      for (const line of budget.inKind.filter((l) => l.account === account))
        rows.push([part, t(`project.account.${account}`), line.label, '', csvAmount(line.cents)]);
      const total = account === '86' ? totals.inKindUse : totals.inKindGiven;
      rows.push([t(`project.budget.total${account}`), '', '', '', csvAmount(total)]);
    }
    rows.push([
      t('project.export.csv.inKindBalance'),
      '',
      cellText(balance.inKind),
      compare(totals.inKindUse, totals.inKindGiven),
      '',
    ]);
  }
  rows.push([t('project.export.csv.note'), '', t('project.export.draftNotice'), '', '']);

  return spreadsheetCsv(
    [
      t('project.export.csv.part'),
      t('project.budget.account'),
      t('project.budget.label'),
      t('project.export.csv.funder'),
      t('project.budget.amount'),
    ],
    rows,
  );
}
