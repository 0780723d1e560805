/**
 * The text forms of skip logic, constraints and report days in the regime workbook
 * (regime/workbook-text.ts): what is written reads back the same, and what a coordinator
 * mistypes is refused with a reason.
 */
import { describe, expect, it } from 'vitest';
import { vi } from '../../i18n/vi.js';
import type { Condition, DayRule } from '../../regime/regime-schema.js';
import { readCondition, readConstraint, readDayRule, writeCondition, writeConstraint, writeDayRule, type ConstraintRules } from '../../regime/workbook-text.js';

describe('relevant', () => {
  const cases: Array<[Condition, string]> = [
    [{ question: 'status', op: 'neq', value: 'chua_trien_khai' }, "${status} != 'chua_trien_khai'"],
    [{ question: 'q', op: 'answered' }, "${q} != ''"],
    [{ question: 'q', op: 'not_answered' }, "${q} = ''"],
    [{ question: 'n', op: 'eq', value: 3 }, '${n} = 3'],
    [{ question: 'n', op: 'eq', value: '3' }, "${n} = '3'"],
    [{ question: 'n', op: 'gte', value: -1.5 }, '${n} >= -1.5'],
    [{ question: 'c', op: 'in', value: ['a', 2] }, "${c} in ('a', 2)"],
    [{ question: 'c', op: 'not_in', value: ["it's"] }, "${c} not in ('it''s')"],
    [
      {
        all: [
          { question: 'a', op: 'gt', value: 0 },
          {
            any: [
              { question: 'b', op: 'lt', value: 5 },
              { question: 'c', op: 'answered' },
            ],
          },
        ],
      },
      "${a} > 0 and (${b} < 5 or ${c} != '')",
    ],
    [
      {
        all: [
          {
            all: [
              { question: 'a', op: 'answered' },
              { question: 'b', op: 'answered' },
            ],
          },
          { question: 'c', op: 'answered' },
        ],
      },
      "(${a} != '' and ${b} != '') and ${c} != ''",
    ],
  ];
  it.each(cases)('%j is written as %s and reads back the same', (c, text) => {
    expect(writeCondition(c)).toBe(text);
    expect(readCondition(text)).toStrictEqual({ ok: true, value: c });
  });

  it('reads what a coordinator types: spacing, <>, and/or in capitals, precedence of and over or', () => {
    expect(readCondition("${a}<>'x' OR ${b}=1 AND ${c}=2")).toStrictEqual({
      ok: true,
      value: {
        any: [
          { question: 'a', op: 'neq', value: 'x' },
          {
            all: [
              { question: 'b', op: 'eq', value: 1 },
              { question: 'c', op: 'eq', value: 2 },
            ],
          },
        ],
      },
    });
  });

  it.each([
    ["${status != 'x'", vi.workbook.exprUnclosedRef('${status != ')],
    ["${a} = 'x", vi.workbook.exprUnclosedString],
    ["status = 'x'", vi.workbook.exprExpectedRef('status')],
    ['${a} > ', vi.workbook.exprExpectedValue(vi.workbook.exprEnd)],
    ["${a} > 'x'", vi.workbook.exprNumberAfter('>', "'x'")],
    ['(${a} = 1', vi.workbook.exprExpectedClose(vi.workbook.exprEnd)],
    ['${a} = 1 ${b} = 2', vi.workbook.exprTrailing('${b}')],
    ['${a} & 1', vi.workbook.exprUnexpected('&')],
    ["${a} not ('x')", vi.workbook.exprExpectedIn('(')],
  ])('%s is refused: %s', (text, reason) => {
    expect(readCondition(text)).toStrictEqual({ ok: false, reason });
  });
});

describe('constraint', () => {
  const cases: Array<[ConstraintRules, string]> = [
    [{ min: 0 }, '. >= 0'],
    [{ min: 0, max: 100 }, '. >= 0 and . <= 100'],
    [{ maxLength: 4000 }, 'string-length(.) <= 4000'],
    [{ minLength: 2, maxLength: 10 }, 'string-length(.) >= 2 and string-length(.) <= 10'],
    [{ min: 0, lteQuestion: 'si_participants' }, '. >= 0 and . <= ${si_participants}'],
    [{ notAfterPeriodEnd: true }, '. <= period_end()'],
    [{ notAfterPeriodEnd: false }, 'not(. <= period_end())'],
  ];
  it.each(cases)('%j is written as %s and reads back the same', (c, text) => {
    expect(writeConstraint(c)).toBe(text);
    expect(readConstraint(text)).toStrictEqual({ ok: true, value: c });
  });

  it('refuses what it does not know, and a limit written twice', () => {
    expect(readConstraint('. >= 0 an . <= 10')).toStrictEqual({ ok: false, reason: vi.workbook.constraintTerm('. >= 0 an . <= 10') });
    expect(readConstraint('. >= 0 and . >= 1')).toStrictEqual({ ok: false, reason: vi.workbook.constraintTwice('. >= 1') });
    expect(readConstraint('. > 0')).toStrictEqual({ ok: false, reason: vi.workbook.constraintTerm('. > 0') });
  });
});

describe('days of a report kind', () => {
  const cases: Array<[DayRule, string]> = [
    [{ month: 7, day: 5, yearOffset: 0 }, '05/07/N'],
    [{ month: 12, day: 15, yearOffset: -1 }, '15/12/N-1'],
    [{ month: 1, day: 10, yearOffset: 1 }, '10/01/N+1'],
    [{ month: 2, day: 29, yearOffset: 0, nonLeapYears: 'feb28' }, '29/02/N; 28/02'],
    [{ month: 2, day: 29, yearOffset: 0, nonLeapYears: 'mar1' }, '29/02/N; 01/03'],
    [{ monthOffset: 0, day: 20 }, '20/T'],
    [{ monthOffset: -1, day: 15 }, '15/T-1'],
    [{ monthOffset: 2, day: 1 }, '01/T+2'],
  ];
  it.each(cases)('%j is written as %s and reads back the same', (d, text) => {
    expect(writeDayRule(d)).toBe(text);
    expect(readDayRule(text)).toStrictEqual({ ok: true, value: d });
  });

  it("a day of the period's own year may be written without /N; anything else is refused", () => {
    expect(readDayRule('5/7')).toStrictEqual({ ok: true, value: { month: 7, day: 5, yearOffset: 0 } });
    expect(readDayRule('ngày 5 tháng 7')).toStrictEqual({ ok: false, reason: vi.workbook.badDayRule('ngày 5 tháng 7') });
    expect(readDayRule('05/07/2027')).toStrictEqual({ ok: false, reason: vi.workbook.badDayRule('05/07/2027') });
  });
});
