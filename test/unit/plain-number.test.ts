/**
 * lib/number.ts plainNumber, the CSV's form of a number: every double, however large or small,
 * is written with a dot decimal, no grouping and no exponent, and reads back as itself.
 */
import { describe, expect, it } from 'vitest';
import { plainNumber } from '../../lib/number.js';

describe('plainNumber', () => {
  it('writes a number as String does while it has no exponent', () => {
    for (const n of [0, 7, -3, 31250, 1234567.5, 2.5, -0.125, 0.000001, 123456789012345680000]) expect(plainNumber(n)).toBe(String(n));
  });

  it('spells out what String would write with an exponent', () => {
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(-2.5e22)).toBe('-25000000000000000000000');
    expect(plainNumber(1.2345e21)).toBe('1234500000000000000000');
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(-1.5e-7)).toBe('-0.00000015');
    expect(plainNumber(Number.MIN_VALUE)).toBe(`0.${'0'.repeat(323)}5`);
  });

  it('reads back exactly, with only digits, a sign and a dot, over doubles of every magnitude', () => {
    let seed = 20270705;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const n = (random() < 0.5 ? -1 : 1) * random() * 10 ** Math.floor(random() * 600 - 300);
      const s = plainNumber(n);
      expect(s, String(n)).toMatch(/^-?\d+(\.\d+)?$/);
      expect(Number(s), String(n)).toBe(n);
    }
    expect(Number(plainNumber(Number.MAX_VALUE))).toBe(Number.MAX_VALUE);
  });
});
