/**
 * Vietnamese input parsing: numbers, percentages, dates, choices; canonical formatting
 * round-trips (property-based with fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatNumber,
  formatPercent,
  isKeep,
  isNo,
  isSkip,
  isYes,
  parseChoice,
  parseChoices,
  parseDate,
  parseNumber,
  parseQuantity,
  quantityUnit,
  shiftDecimal,
} from '../../forms/parse.js';

const num = (s: string) => {
  const r = parseNumber(s);
  return r.ok ? r.value.value : r.reason;
};

describe('parseNumber', () => {
  it.each([
    ['12', 12],
    ['1.234', 1234],
    ['1.234,5', 1234.5],
    ['1.234.567', 1234567],
    ['1.234.567,89', 1234567.89],
    ['2,5', 2.5],
    ['0,5', 0.5],
    ['12 người', 12],
    ['12người', 12],
    ['3 cuộc.', 3],
    ['1 234 567', 1234567],
    ['15 triệu', 15_000_000],
    ['15 triệu đồng', 15_000_000],
    ['1,5 tỷ', 1_500_000_000],
    ['200 nghìn', 200_000],
    ['200k', 200_000],
    ['1,1 triệu', 1_100_000],
    ['-3', -3],
    ['1,234.5', 1234.5],
    ['1,234,567', 1234567],
    ['1.5', 1.5],
    ['0.500', 0.5],
    ['12.75', 12.75],
  ])('%s → %d', (s, v) => {
    expect(num(s)).toBe(v);
  });

  it('reports a percent sign', () => {
    expect(parseNumber('2,5%')).toEqual({ ok: true, value: { value: 2.5, percent: true } });
    expect(parseNumber('45 %')).toEqual({ ok: true, value: { value: 45, percent: true } });
    expect(parseNumber('45')).toEqual({ ok: true, value: { value: 45, percent: false } });
  });

  it.each([
    ['', 'empty'],
    ['abc', 'not_a_number'],
    ['khoảng 12', 'not_a_number'],
    ['1.23.4', 'bad_grouping'],
    ['1.2345.678', 'bad_grouping'],
    ['12 13', 'too_many_numbers'],
    ['12 người 5', 'not_a_number'],
    ['1,2,3', 'bad_grouping'],
    ['2,5% triệu', 'percent_not_allowed'],
  ])('%j is refused (%s)', (s, reason) => {
    expect(num(s)).toBe(reason);
  });

  it('formats in Vietnamese style', () => {
    expect(formatNumber(1234)).toBe('1.234');
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(formatNumber(-1234567.25)).toBe('-1.234.567,25');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(999)).toBe('999');
    expect(formatPercent(2.5)).toBe('2,5%');
  });

  it('round-trips: parse(format(n)) = n for integers and decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        expect(num(formatNumber(n))).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 99 }), (i, f) => {
        const n = Number(`${i}.${String(f).padStart(2, '0')}`);
        expect(num(formatNumber(n))).toBe(n);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseNumber(s);
        if (r.ok) expect(Number.isFinite(r.value.value)).toBe(true);
      }),
    );
  });
});

describe('parseDate', () => {
  it.each([
    ['05/07/2027', '2027-07-05'],
    ['5/7/2027', '2027-07-05'],
    ['5-7-2027', '2027-07-05'],
    ['5.7.27', '2027-07-05'],
    ['ngày 5/7/2027', '2027-07-05'],
    ['ngày 5 tháng 7 năm 2027', '2027-07-05'],
    ['2027-07-05', '2027-07-05'],
    ['29/02/2028', '2028-02-29'],
  ])('%s → %s', (s, iso) => {
    expect(parseDate(s)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['31/02/2027', 'no_such_date'],
    ['29/02/2027', 'no_such_date'],
    ['32/1/2027', 'no_such_date'],
    ['hôm qua', 'not_a_date'],
    ['7/2027', 'not_a_date'],
    ['05/07-2027', 'not_a_date'],
  ])('%s is refused (%s)', (s, reason) => {
    expect(parseDate(s)).toEqual({ ok: false, reason });
  });

  it('round-trips formatDate', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01'), max: new Date('2150-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        expect(parseDate(formatDate(iso))).toEqual({ ok: true, value: iso });
      }),
    );
  });
});

describe('choices', () => {
  const status = [
    { name: 'chua_trien_khai', label: 'Chưa triển khai' },
    { name: 'dang_thuc_hien', label: 'Đang thực hiện' },
    { name: 'hoan_thanh', label: 'Đã hoàn thành' },
    { name: 'thuong_xuyen', label: 'Thực hiện thường xuyên' },
  ];
  const channels = [
    { name: 'bao_in', label: 'Báo in, tạp chí' },
    { name: 'bao_dien_tu', label: 'Báo điện tử, cổng/trang thông tin điện tử' },
    { name: 'phat_thanh_truyen_hinh', label: 'Phát thanh, truyền hình' },
    { name: 'mang_xa_hoi', label: 'Mạng xã hội' },
  ];
  it.each([
    ['2', 'dang_thuc_hien'],
    ['2.', 'dang_thuc_hien'],
    ['Đang thực hiện', 'dang_thuc_hien'],
    ['dang thuc hien', 'dang_thuc_hien'],
    ['ĐANG THỰC HIỆN', 'dang_thuc_hien'],
    ['hoan_thanh', 'hoan_thanh'],
    ['hoàn thành', 'hoan_thanh'],
    ['thuong xuyen', 'thuong_xuyen'],
  ])('select_one %s → %s', (s, v) => {
    expect(parseChoice(s, status)).toEqual({ ok: true, value: v });
  });
  it.each(['0', '5', 'có', 'th', ''])('select_one %j is refused', (s) => {
    expect(parseChoice(s, status).ok).toBe(false);
  });
  it.each([
    ['1, 3', ['bao_in', 'phat_thanh_truyen_hinh']],
    ['3 1', ['bao_in', 'phat_thanh_truyen_hinh']],
    ['1;3;3', ['bao_in', 'phat_thanh_truyen_hinh']],
    ['Báo in, tạp chí', ['bao_in']],
    ['Báo in, tạp chí; mạng xã hội', ['bao_in', 'mang_xa_hoi']],
    ['mang xa hoi, bao in, tap chi', ['bao_in', 'mang_xa_hoi']],
    ['phat thanh và mạng xã hội', ['phat_thanh_truyen_hinh', 'mang_xa_hoi']],
    ['bao_in,mang_xa_hoi', ['bao_in', 'mang_xa_hoi']],
  ])('select_multiple %s → %j', (s, v) => {
    expect(parseChoices(s, channels)).toEqual({ ok: true, value: v });
  });
  it.each(['1, 9', 'báo giấy', ''])('select_multiple %j is refused', (s) => {
    expect(parseChoices(s, channels).ok).toBe(false);
  });
});

describe('figures in the question’s own unit (parseQuantity)', () => {
  const TRIEU_DONG = quantityUnit('triệu đồng');
  const NGUOI = quantityUnit('người');
  const PERCENT = quantityUnit('%', true);
  const q = (s: string, u = TRIEU_DONG) => {
    const r = parseQuantity(s, u);
    return r.ok ? r.value.value : r.reason;
  };

  it('reads the unit of a question label', () => {
    expect(quantityUnit('triệu đồng')).toEqual({ exponent: 6, money: true, percent: false });
    expect(quantityUnit('nghìn đồng')).toEqual({ exponent: 3, money: true, percent: false });
    expect(quantityUnit('tỷ đồng')).toEqual({ exponent: 9, money: true, percent: false });
    expect(quantityUnit('đồng')).toEqual({ exponent: 0, money: true, percent: false });
    expect(quantityUnit('người')).toEqual({ exponent: 0, money: false, percent: false });
    expect(quantityUnit('nghìn người')).toEqual({ exponent: 3, money: false, percent: false });
    expect(quantityUnit('tin, bài')).toEqual({ exponent: 0, money: false, percent: false });
    expect(quantityUnit(undefined)).toEqual({ exponent: 0, money: false, percent: false });
    expect(quantityUnit('%', true).percent).toBe(true);
  });

  it.each([
    // the cases: BHXH 5.5 and 5.7 are in "triệu đồng"
    ['1,5 tỷ', TRIEU_DONG, 1500],
    ['85 triệu', TRIEU_DONG, 85],
    ['300 nghìn', TRIEU_DONG, 0.3],
    ['2 triệu', NGUOI, 2_000_000],
    // a bare number is taken in the question's unit, whatever follows it
    ['1.500', TRIEU_DONG, 1500],
    ['15', TRIEU_DONG, 15],
    ['12 người', NGUOI, 12],
    ['1.234,5', TRIEU_DONG, 1234.5],
    // "đồng" is a scale of its own
    ['1.500.000 đồng', TRIEU_DONG, 1.5],
    ['1.500.000.000đ', TRIEU_DONG, 1500],
    ['1,5 tỷ đồng', TRIEU_DONG, 1500],
    ['1,5 TỶ VNĐ', TRIEU_DONG, 1500],
    ['15 triệu đồng', TRIEU_DONG, 15],
    // spellings: without diacritics, southern, short
    ['1,5 ty', TRIEU_DONG, 1500],
    ['1,5 tỉ', TRIEU_DONG, 1500],
    ['300 ngàn', TRIEU_DONG, 0.3],
    ['300k', TRIEU_DONG, 0.3],
    ['15tr', TRIEU_DONG, 15],
    ['15 trieu', TRIEU_DONG, 15],
    ['1,2 nghìn tỷ', TRIEU_DONG, 1_200_000],
    ['8,5 nghìn', NGUOI, 8500],
    ['3,5k', NGUOI, 3500],
    ['0,04 triệu', NGUOI, 40_000],
    ['2 triệu người', NGUOI, 2_000_000],
    ['1,5 tỷ', quantityUnit('tỷ đồng'), 1.5],
    ['300 triệu', quantityUnit('tỷ đồng'), 0.3],
    ['1,5 triệu', quantityUnit('đồng'), 1_500_000],
  ])('%s in %j → %d', (s, u, v) => {
    expect(q(s, u)).toBe(v);
  });

  it.each([
    ['5 tỷ', PERCENT, 'scale_not_allowed'],
    ['45 nghìn', PERCENT, 'scale_not_allowed'],
    ['1.000 đồng', PERCENT, 'scale_not_allowed'],
    ['1.000 đồng', NGUOI, 'not_money'],
    ['2 triệu đồng', NGUOI, 'not_money'],
    ['2,5% triệu', TRIEU_DONG, 'percent_not_allowed'],
    ['1,5 tỷ 3', TRIEU_DONG, 'not_a_number'],
    ['abc', TRIEU_DONG, 'not_a_number'],
  ])('%s in %j is refused (%s)', (s, u, reason) => {
    expect(q(s, u)).toBe(reason);
  });

  it('names the words it refuses', () => {
    expect(parseQuantity('5 tỷ', PERCENT)).toEqual({ ok: false, reason: 'scale_not_allowed', words: 'tỷ' });
    expect(parseQuantity('2 triệu đồng', NGUOI)).toEqual({ ok: false, reason: 'not_money', words: 'triệu đồng' });
    expect(parseQuantity('45%', PERCENT)).toEqual({ ok: true, value: { value: 45, percent: true } });
  });

  const SCALES = [
    { words: ['k', 'nghìn', 'nghin', 'ngàn'], e: 3 },
    { words: ['tr', 'triệu', 'trieu'], e: 6 },
    { words: ['tỷ', 'tỉ', 'ty'], e: 9 },
  ];
  const MONEY_UNITS = [
    { label: 'đồng', e: 0 },
    { label: 'nghìn đồng', e: 3 },
    { label: 'triệu đồng', e: 6 },
    { label: 'tỷ đồng', e: 9 },
  ];
  /** A typed decimal: up to 9 digits before the comma and 3 after, as the exact decimal string. */
  const typed = fc.tuple(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 999 }), fc.boolean()).map(([i, f, hasFrac]) => ({
    text: hasFrac && f ? `${formatNumber(i)},${String(f).padStart(3, '0').replace(/0+$/, '')}` : formatNumber(i),
    decimal: hasFrac && f ? `${i}.${String(f).padStart(3, '0')}` : String(i),
  }));

  it('a scale word converts exactly into the question’s unit: the value is the typed decimal shifted by the difference of scales', () => {
    fc.assert(
      fc.property(typed, fc.constantFrom(...SCALES), fc.nat(), fc.constantFrom(...MONEY_UNITS), fc.boolean(), (x, scale, w, unit, dong) => {
        const word = scale.words[w % scale.words.length];
        const input = `${x.text} ${word}${dong ? ' đồng' : ''}`;
        const r = parseQuantity(input, quantityUnit(unit.label));
        // Number("1.5e3") is the double nearest to the exact decimal 1500: no binary noise.
        expect(r, input).toEqual({ ok: true, value: { value: Number(`${x.decimal}e${scale.e - unit.e}`), percent: false, typedUnit: expect.any(String) } });
      }),
      { numRuns: 3000 },
    );
  });

  it('converting is consistent: the same amount typed with different scale words gives the same figure', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom(...MONEY_UNITS), (n, unit) => {
        // n triệu = n×1000 nghìn = n/1000 tỷ (when that is a whole number of thousandths)
        const u = quantityUnit(unit.label);
        const a = parseQuantity(`${formatNumber(n)} triệu`, u);
        const b = parseQuantity(`${formatNumber(n * 1000)} nghìn`, u);
        const c = parseQuantity(`${formatNumber(n * 1_000_000)} đồng`, u);
        expect(a.ok && b.ok && c.ok).toBe(true);
        if (a.ok && b.ok && c.ok) {
          expect(b.value.value).toBe(a.value.value);
          expect(c.value.value).toBe(a.value.value);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a bare number is taken as is in every unit, and the stored figure echoes back to itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('triệu đồng', 'người', 'đồng', 'nghìn người', '%'), (i, f, label) => {
        const n = Number(`${i}.${String(f).padStart(2, '0')}`);
        const u = quantityUnit(label, label === '%');
        const r = parseQuantity(formatNumber(n), u);
        expect(r).toEqual({ ok: true, value: { value: n, percent: false } });
        // What the acknowledgement shows ("1.500 triệu đồng") reads back as the same figure.
        if (!u.percent) expect(parseQuantity(`${formatNumber(n)} ${label}`, u)).toMatchObject({ ok: true, value: { value: n } });
      }),
      { numRuns: 2000 },
    );
  });

  it('no scale word is accepted for a percentage, whatever the number', () => {
    fc.assert(
      fc.property(typed, fc.constantFrom(...SCALES.flatMap((s) => s.words), 'đồng', 'tỷ đồng'), (x, word) => {
        expect(parseQuantity(`${x.text} ${word}`, PERCENT)).toMatchObject({ ok: false, reason: 'scale_not_allowed' });
      }),
      { numRuns: 1000 },
    );
  });

  it('shiftDecimal moves the decimal point without binary noise', () => {
    expect(shiftDecimal(1.1, 6)).toBe(1_100_000);
    expect(shiftDecimal(300_000, -6)).toBe(0.3);
    expect(shiftDecimal(1.5, 3)).toBe(1500);
    expect(shiftDecimal(1e-7, 7)).toBe(1);
    expect(shiftDecimal(12, 0)).toBe(12);
    expect(shiftDecimal(-0.5, 1)).toBe(-5);
    expect(Object.is(shiftDecimal(-0, 3), 0)).toBe(true);
  });
});

describe('command words', () => {
  it('recognises skip, keep, yes and no with or without diacritics', () => {
    expect(['bỏ qua', 'Bo qua', 'skip', '-'].every(isSkip)).toBe(true);
    expect(isSkip('bỏ qua câu này')).toBe(false);
    expect(['giữ', 'giu nguyen', 'Giữ nguyên'].every(isKeep)).toBe(true);
    expect(['có', 'Co', 'đồng ý', 'xác nhận', 'nộp', 'đúng', 'Đúng rồi'].every(isYes)).toBe(true);
    expect(['không', 'khong', 'chưa', 'sai', 'không đúng'].every(isNo)).toBe(true);
  });
});

describe('robustness', () => {
  it('no parser throws on arbitrary text, and results are well-formed', () => {
    const opts = [
      { name: 'a', label: 'Báo in, tạp chí' },
      { name: 'b', label: 'Mạng xã hội' },
    ];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[\d.,% -]{0,20}$/)), (s) => {
        const d = parseDate(s);
        if (d.ok) expect(d.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        const c = parseChoice(s, opts);
        if (c.ok) expect(['a', 'b']).toContain(c.value);
        const cs = parseChoices(s, opts);
        if (cs.ok) expect(cs.value.length).toBeGreaterThan(0);
        isSkip(s);
        isYes(s);
      }),
      { numRuns: 2000 },
    );
  });
});
