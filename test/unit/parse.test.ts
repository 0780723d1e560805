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
} from '../../dialogs/parse.js';

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

describe('command words', () => {
  it('recognises skip, keep, yes and no with or without diacritics', () => {
    expect(['bỏ qua', 'Bo qua', 'skip', '-'].every(isSkip)).toBe(true);
    expect(isSkip('bỏ qua câu này')).toBe(false);
    expect(['giữ', 'giu nguyen', 'Giữ nguyên'].every(isKeep)).toBe(true);
    expect(['có', 'Co', 'đồng ý', 'xác nhận', 'nộp'].every(isYes)).toBe(true);
    expect(['không', 'khong', 'chưa'].every(isNo)).toBe(true);
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

