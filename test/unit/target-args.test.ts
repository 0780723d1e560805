/**
 * The one reader of "ĐƠN_VỊ KỲ" arguments (dialogs/target-args.ts), against the default regime:
 * units by code, short name or name with or without diacritics; periods as ids and as people type
 * them; the unit before or after the period; what is left over.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTargetArgs, periodIdOf, resolveUnit, unreadWords } from '../../dialogs/target-args.js';
import { DEFAULT_REGIME_FILE } from '../../lib/paths.js';
import { loadRegimeFile } from '../../regime/regime.js';

const loaded = loadRegimeFile(DEFAULT_REGIME_FILE);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const regime = loaded.regime;

const read = (args: string) => {
  const a = parseTargetArgs(regime, args);
  return { unit: a.unit?.code, unitText: a.unitText, periodId: a.periodId, period: a.period?.id, periodText: a.periodText, rest: a.rest };
};

describe('periodIdOf: the period forms', () => {
  it.each([
    ['2027-H1', '2027-H1'],
    ['2027-h1', '2027-H1'],
    ['2027-Y', '2027-Y'],
    ['2027-y', '2027-Y'],
    ['2026-12', '2026-12'],
    ['2027-6', '2027-06'],
    ['06/2027', '2027-06'],
    ['6/2027', '2027-06'],
    ['6-2027', '2027-06'],
    ['T6/2027', '2027-06'],
    ['t6 2027', '2027-06'],
    ['tháng 6/2027', '2027-06'],
    ['Tháng 12 2026', '2026-12'],
    ['tháng 6 năm 2027', '2027-06'],
    ['thang 06 nam 2027', '2027-06'],
    ['H1/2027', '2027-H1'],
    ['h1-2027', '2027-H1'],
    ['H1 2027', '2027-H1'],
    ['6 tháng 2027', '2027-H1'],
    ['6T/2027', '2027-H1'],
    ['6 tháng đầu năm 2027', '2027-H1'],
    ['6 thang dau nam 2027', '2027-H1'],
    ['năm 2027', '2027-Y'],
    ['Cả năm 2027', '2027-Y'],
    ['ca nam 2027', '2027-Y'],
    ['2027-H1,', '2027-H1'],
  ])('%s → %s', (text, id) => {
    expect(periodIdOf(text)).toBe(id);
  });

  it.each(['2027', '2027-13', '13/2027', '0/2027', '2027-00', '2027-X9', 'tháng 6', 'H2/2027', '2027-H2', 'năm', 'BHXH', '1.3', ''])('%s is not a period', (text) => {
    expect(periodIdOf(text)).toBeUndefined();
  });

  it('every canonical id of the regime reads as itself, and MM/YYYY as the month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom('H1', 'Y', 'M'), (year, month, kind) => {
        const id = kind === 'M' ? `${year}-${String(month).padStart(2, '0')}` : `${year}-${kind}`;
        expect(periodIdOf(id)).toBe(id);
        expect(periodIdOf(id.toLowerCase())).toBe(id);
        if (kind === 'M') expect(periodIdOf(`${month}/${year}`)).toBe(id);
      }),
    );
  });
});

describe('resolveUnit', () => {
  it('by code in any case, short name, name, with or without diacritics, or a part that fits one unit', () => {
    expect(resolveUnit(regime, 'bhxh')?.code).toBe('BHXH');
    expect(resolveUnit(regime, 'ba-be')?.code).toBe('BA-BE');
    expect(resolveUnit(regime, 'Cục Thống kê tỉnh')?.code).toBe('CTK');
    expect(resolveUnit(regime, 'cuc thong ke')?.code).toBe('CTK');
    expect(resolveUnit(regime, 'Bảo hiểm xã hội tỉnh')?.code).toBe('BHXH');
    expect(resolveUnit(regime, 'Pác Nặm')?.code).toBe('PAC-NAM');
    expect(resolveUnit(regime, 'BHXH,')?.code).toBe('BHXH');
  });

  it('refuses a part that fits several units, and a unit that does not report', () => {
    expect(resolveUnit(regime, 'UBND huyện')).toBeUndefined();
    expect(resolveUnit(regime, 'UBND-HUYEN')).toBeUndefined();
    expect(resolveUnit(regime, 'XYZ')).toBeUndefined();
    expect(resolveUnit(regime, '')).toBeUndefined();
  });
});

describe('parseTargetArgs: one grammar for every command', () => {
  it('UNIT PERIOD, the unit by code or name', () => {
    expect(read('BA-BE 2027-06')).toMatchObject({ unit: 'BA-BE', unitText: 'BA-BE', periodId: '2027-06', period: '2027-06', periodText: '2027-06', rest: [] });
    expect(read('ba-be 06/2027')).toMatchObject({ unit: 'BA-BE', periodId: '2027-06', periodText: '06/2027' });
    expect(read('Ba Bể tháng 6 năm 2027')).toMatchObject({ unit: 'BA-BE', unitText: 'Ba Bể', periodId: '2027-06', periodText: 'tháng 6 năm 2027', rest: [] });
    expect(read('Cục Thống kê tỉnh năm 2027')).toMatchObject({ unit: 'CTK', periodId: '2027-Y' });
    expect(read('bao hiem xa hoi 6 thang dau nam 2027')).toMatchObject({ unit: 'BHXH', periodId: '2027-H1', rest: [] });
  });

  it('PERIOD UNIT: the unit may follow the period', () => {
    expect(read('2027-06 BA-BE')).toMatchObject({ unit: 'BA-BE', unitText: 'BA-BE', periodId: '2027-06', rest: [] });
    expect(read('2027-H1 Bảo hiểm xã hội tỉnh 1.3')).toMatchObject({ unit: 'BHXH', unitText: 'Bảo hiểm xã hội tỉnh', periodId: '2027-H1', rest: ['1.3'] });
  });

  it('what follows is rest (question numbers of cần bổ sung), split on spaces and ";"', () => {
    expect(read('BHXH 2027-H1 1.3, 5.5')).toMatchObject({ unit: 'BHXH', periodId: '2027-H1', rest: ['1.3,', '5.5'] });
    expect(read('CTK 2027-H1 1.5;2.1')).toMatchObject({ unit: 'CTK', rest: ['1.5', '2.1'] });
    expect(read('BHXH 2027-H1 mục 2')).toMatchObject({ unit: 'BHXH', rest: ['mục', '2'] });
  });

  it('a period alone, a unit alone, nothing', () => {
    expect(read('2027-H1')).toEqual({ unit: undefined, unitText: '', periodId: '2027-H1', period: '2027-H1', periodText: '2027-H1', rest: [] });
    expect(read('BHXH')).toMatchObject({ unit: 'BHXH', unitText: 'BHXH', periodId: undefined, rest: [] });
    expect(read('BHXH 2027-X9')).toMatchObject({ unit: 'BHXH', periodText: undefined, rest: ['2027-X9'] });
    expect(read('  ')).toEqual({ unit: undefined, unitText: '', periodId: undefined, period: undefined, periodText: undefined, rest: [] });
  });

  it('words that name no unit stay as the unit text, unresolved; unreadWords lists what was not understood', () => {
    const a = parseTargetArgs(regime, 'XYZ 2027-H1');
    expect(a.unit).toBeUndefined();
    expect(a.unitText).toBe('XYZ');
    expect(unreadWords(a)).toEqual(['XYZ']);
    expect(unreadWords(parseTargetArgs(regime, 'BA-BE 2027-06'))).toEqual([]);
    expect(unreadWords(parseTargetArgs(regime, '2027-06 BA-BE thêm'))).toEqual(['thêm']);
    expect(unreadWords(parseTargetArgs(regime, 'kết quả quý II năm 2027'))).toEqual(['kết quả quý II']);
  });

  it('a period id of a kind the regime lacks keeps its id, without a period', () => {
    const other = { ...regime, reportKinds: regime.reportKinds.filter((k) => k.id !== 'M') };
    const a = parseTargetArgs(other, 'BA-BE 2027-06');
    expect(a.periodId).toBe('2027-06');
    expect(a.period).toBeUndefined();
    expect(a.unit?.code).toBe('BA-BE');
  });

  it('the first period wins; a later one is rest', () => {
    expect(read('BHXH 2027-H1 2027-Y')).toMatchObject({ periodId: '2027-H1', rest: ['2027-Y'] });
  });
});

describe('parseTargetArgs: "trang N" for a command that shows a list in pages', () => {
  it('reads the page as the last two words, the period and unit as ever', () => {
    expect(parseTargetArgs(regime, '2027-H1 trang 2', { pages: true })).toMatchObject({ periodId: '2027-H1', unitText: '', rest: [], page: 2 });
    expect(parseTargetArgs(regime, '6 thang dau nam 2027 Trang 12', { pages: true })).toMatchObject({ periodId: '2027-H1', page: 12 });
    expect(parseTargetArgs(regime, 'trang 3', { pages: true })).toEqual({ unitText: '', rest: [], page: 3 });
    expect(parseTargetArgs(regime, '2027-H1', { pages: true }).page).toBeUndefined();
  });

  it('is not a page without a number from 1, nor anywhere but at the end, nor for other commands', () => {
    const zero = parseTargetArgs(regime, '2027-H1 trang 0', { pages: true });
    expect([zero.page, zero.rest]).toEqual([undefined, ['trang', '0']]);
    expect(parseTargetArgs(regime, '2027-H1 trang hai', { pages: true }).page).toBeUndefined();
    const before = parseTargetArgs(regime, 'trang 2 2027-H1', { pages: true });
    expect([before.page, before.unitText, before.periodId]).toEqual([undefined, 'trang 2', '2027-H1']);
    // Without `pages` the words are what they always were: the rest.
    const other = parseTargetArgs(regime, 'BHXH 2027-H1 trang 2');
    expect([other.page, other.unit?.code, other.rest]).toEqual([undefined, 'BHXH', ['trang', '2']]);
  });
});

describe('parseTargetArgs on huge input', () => {
  it('reads 100,000 characters of words in well under a second (a unit is never longer than the longest unit name)', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => ['Ba', 'Bể', 'tháng', 'xã', '12,5'][i % 5]).join(' ');
    const t0 = performance.now();
    const a = parseTargetArgs(regime, `${words} 2027-H1`);
    const b = parseTargetArgs(regime, words);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(a.unit).toBeUndefined();
    expect(a.periodId).toBe('2027-H1');
    expect(b.unit?.code).toBe('BA-BE');
    expect(b.rest).toHaveLength(20_000 - 2);
  });
});
