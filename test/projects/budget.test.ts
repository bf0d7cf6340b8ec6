// A project's budget (issue 18): amounts typed the French way, exact cents, the table balanced or not.
import { describe, expect, it } from 'vitest';
import {
  type BudgetLine,
  budgetTotals,
  formatEuros,
  MAX_LINE_CENTS,
  parseEuros,
} from '../../src/projects/budget.ts';

describe('amounts as people type them', () => {
  it('reads commas, points, spaces and the euro sign', () => {
    expect(parseEuros('1 234,56')).toEqual({ cents: 123_456 });
    expect(parseEuros('1\u202f234,5 €')).toEqual({ cents: 123_450 });
    expect(parseEuros('1234.05')).toEqual({ cents: 123_405 });
    expect(parseEuros('€ 12')).toEqual({ cents: 1200 });
    expect(parseEuros('0,10')).toEqual({ cents: 10 });
    expect(parseEuros('7,')).toEqual({ cents: 700 });
    expect(parseEuros(' 0 ')).toEqual({ cents: 0 });
  });

  it('names what is wrong, for the message next to the field', () => {
    expect(parseEuros('')).toEqual({ error: 'required' });
    expect(parseEuros('  € ')).toEqual({ error: 'required' });
    expect(parseEuros('-50')).toEqual({ error: 'negative' });
    expect(parseEuros('12,345')).toEqual({ error: 'tooManyDecimals' });
    expect(parseEuros('1.234,56')).toEqual({ error: 'notANumber' });
    expect(parseEuros('douze')).toEqual({ error: 'notANumber' });
    expect(parseEuros('1e6')).toEqual({ error: 'notANumber' });
    expect(parseEuros('10 000 000,01')).toEqual({ error: 'tooLarge' });
    expect(parseEuros('9'.repeat(400))).toEqual({ error: 'tooLarge' });
    expect(parseEuros('10 000 000')).toEqual({ cents: MAX_LINE_CENTS });
  });

  it('writes them back the French way', () => {
    expect(formatEuros(123_456)).toBe('1\u202f234,56\u00a0€');
    expect(formatEuros(5)).toBe('0,05\u00a0€');
    expect(formatEuros(MAX_LINE_CENTS)).toBe('10\u202f000\u202f000,00\u00a0€');
    expect(formatEuros(-1050)).toBe('−10,50\u00a0€');
  });
});

describe('the budget table', () => {
  it('adds to the cent where floating euros would drift', () => {
    // Ten lines of 0,10 € and 0,20 €: 0.1 + 0.2 !== 0.3 in floating point.
    const lines: BudgetLine[] = [
      ...Array.from({ length: 10 }, () => ({ account: '60' as const, cents: 10 })),
      ...Array.from({ length: 10 }, () => ({ account: '62' as const, cents: 20 })),
      { account: '74', cents: 300 },
    ];
    const totals = budgetTotals(lines);
    expect(totals.expenses).toBe(300);
    expect(totals.resources).toBe(300);
    expect(totals.byAccount).toEqual({ '60': 100, '62': 200, '74': 300 });
    expect(totals.balanced).toBe(true);
  });

  it('says by how much it does not balance, volunteer time apart', () => {
    const lines: BudgetLine[] = [
      { account: '60', cents: 80_000 },
      { account: '64', cents: 120_000 },
      { account: '74', cents: 150_000 },
      { account: '75', cents: 49_999 },
      { account: '86', cents: 36_000 },
      { account: '87', cents: 36_000 },
    ];
    const short = budgetTotals(lines);
    expect(short.gap).toBe(-1);
    expect(short.inKindGap).toBe(0);
    expect(short.balanced).toBe(false);
    const fixed = budgetTotals([...lines, { account: '70', cents: 1 }]);
    expect(fixed.balanced).toBe(true);
    const inKindOff = budgetTotals([...lines, { account: '70', cents: 1 }, { account: '86', cents: 500 }]);
    expect(inKindOff.inKindGap).toBe(-500);
    expect(inKindOff.balanced).toBe(false);
  });

  it('does not call an empty budget balanced, and refuses amounts that are not whole cents', () => {
    expect(budgetTotals([]).balanced).toBe(false);
    expect(() => budgetTotals([{ account: '60', cents: 1.5 }])).toThrow(RangeError);
    expect(() => budgetTotals([{ account: '60', cents: -1 }])).toThrow(RangeError);
  });
});
