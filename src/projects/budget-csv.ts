// A project's budget as a CSV for French Excel, in the columns of the course's own example
// (courses/monter-un-projet/ressources/budget-previsionnel.csv): one row per line of the budget,
// by part and account of the Cerfa 12156 table, the totals, and whether it balances. Amounts are
// written « 1234,50 »: a decimal comma and no thousands separator, so Excel reads them as numbers.
// The words both exports share (the draft warning, the balance) are here; project-pdf.ts uses them.
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

/** The warning on the first page of the PDF, at the foot of each of its pages, and at the end of the CSV. */
export const DRAFT_NOTICE =
  `Brouillon de travail Passerelle — à recopier dans le formulaire officiel (Cerfa n°${nbsp}12156*06)${nbsp}; ` +
  'ce document n’est pas le formulaire.';

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
          : 'Le total des charges est égal au total des produits.';
  const inKind =
    totals.inKindGap === 0
      ? 'Le total du compte 86 est égal au total du compte 87.'
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
  const rows: Row[] = [['Projet', '', project.title, project.osimName, '']];

  for (const account of EXPENSE_ACCOUNTS)
    for (const line of budget.expenses.filter((l) => l.account === account))
      rows.push(['Charges', t(`project.account.${account}`), line.label, '', csvAmount(line.cents)]);
  rows.push([t('project.budget.totalExpenses'), '', '', '', csvAmount(totals.expenses)]);

  for (const account of RESOURCE_ACCOUNTS)
    for (const line of budget.resources.filter((l) => FUNDER_KINDS[l.kind] === account))
      rows.push([
        line.status === 'refused' ? 'Produits refusés (non comptés)' : 'Produits',
        t(`project.account.${account}`),
        line.label,
        `${t(`project.funder.${line.kind}`)} — ${t(`project.status.${line.status}`)}`,
        csvAmount(line.cents),
      ]);
  rows.push([t('project.budget.totalResources'), '', '', '', csvAmount(totals.resources)]);
  rows.push(['Équilibre', '', cellText(balance.main), compare(totals.expenses, totals.resources), '']);

  if (budget.inKind.length > 0) {
    for (const account of ['86', '87'] as const) {
      const part = account === '86' ? 'Compte 86 (charges)' : 'Compte 87 (produits)';
      for (const line of budget.inKind.filter((l) => l.account === account))
        rows.push([part, t(`project.account.${account}`), line.label, '', csvAmount(line.cents)]);
      const total = account === '86' ? totals.inKindUse : totals.inKindGiven;
      rows.push([t(`project.budget.total${account}`), '', '', '', csvAmount(total)]);
    }
    rows.push([
      'Équilibre 86 / 87',
      '',
      cellText(balance.inKind),
      compare(totals.inKindUse, totals.inKindGiven),
      '',
    ]);
  }
  rows.push(['Note', '', DRAFT_NOTICE, '', '']);

  return spreadsheetCsv(
    [
      'Partie',
      t('project.budget.account'),
      t('project.budget.label'),
      'Financeur / statut',
      t('project.budget.amount'),
    ],
    rows,
  );
}
