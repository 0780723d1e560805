/**
 * lib/number.ts formatNumber writes a whole number without Intl (issue 15: it runs for every
 * figure shown): the same text as the Intl way it keeps for fractions, checked on many numbers
 * against that way, kept here as the reference (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../lib/number.js';

const nf = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 6, useGrouping: true });
function reference(n: number): string {
  const [int, frac] = nf.format(Math.abs(n)).replace(/\./g, '').split(',');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

describe('formatNumber', () => {
  it('writes whole numbers as the Intl way does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, -0, 1, -1, 999, 1000, -1000, 1234567, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER)), (n) => {
        expect(formatNumber(n)).toBe(reference(n));
      }),
      { numRuns: 5000 },
    );
  });

  it('and every other number as before', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e15, max: 1e15 }), (n) => {
        expect(formatNumber(n)).toBe(reference(n));
      }),
      { numRuns: 5000 },
    );
    expect(formatNumber(1234)).toBe('1.234');
    expect(formatNumber(-1234567.5)).toBe('-1.234.567,5');
  });
});
