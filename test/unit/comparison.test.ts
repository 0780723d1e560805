/**
 * The comparison core (reporting/comparison.ts) on consolidations of the default regime built by
 * `consolidate` from hand-written submissions: which earlier periods a period is compared with,
 * a rate's change in percentage points, a sum's exact change and its change in %, sums over
 * different units flagged instead of compared, a percentage several units report not summed,
 * a period with nothing stored named once, rows with nothing in any period left out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIME_FILE } from '../../lib/paths.js';
import { comparisonPeriodIds, makePeriod } from '../../regime/periods.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { loadRegimeFile, parseRegime } from '../../regime/regime.js';
import { compare, type Comparison, type EarlierPeriod } from '../../reporting/comparison.js';
import { consolidate, type Consolidation } from '../../reporting/consolidation.js';
import type { AnswerValue, Submission } from '../../store/records.js';

const loaded = loadRegimeFile(DEFAULT_REGIME_FILE);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const regime = loaded.regime;
const NOW = new Date('2027-08-01T00:00:00+07:00');

function consolidation(r: ReportRegime, periodId: string, answers: Record<string, Record<string, AnswerValue>>): Consolidation {
  const period = makePeriod(r, periodId)!;
  const submissions: Submission[] = Object.entries(answers).map(([unitCode, a]) => ({
    _id: `${unitCode}|${periodId}|1`,
    unitCode,
    periodId,
    revision: 1,
    formVersion: 'test',
    answers: a,
    submittedAt: period.deadline.toMillis() - 86_400_000,
    submittedBy: `teams:focal-${unitCode}`,
    channel: 'teams',
    late: false,
  }));
  return consolidate({ regime: r, period, submissions, drafts: [], states: [], now: NOW });
}

function against(current: Consolidation, earlier: Array<[EarlierPeriod['role'], Consolidation | null]>): Comparison {
  return compare(
    current,
    earlier.map(([role, c]) => ({ role, id: c?.period.id ?? 'x', name: c?.period.name ?? 'x', consolidation: c })),
  );
}

const row = (c: Comparison, key: string) => c.rows.find((r) => r.key === key);

describe('comparisonPeriodIds', () => {
  it('compares a 6-month or annual period once with the same period last year, a month with last year and with the month before', () => {
    expect(comparisonPeriodIds('2027-H1')).toEqual([{ role: 'sameLastYear', id: '2026-H1' }]);
    expect(comparisonPeriodIds('2027-Y')).toEqual([{ role: 'sameLastYear', id: '2026-Y' }]);
    expect(comparisonPeriodIds('2027-03')).toEqual([
      { role: 'sameLastYear', id: '2026-03' },
      { role: 'previous', id: '2027-02' },
    ]);
    expect(comparisonPeriodIds('2027-01')).toEqual([
      { role: 'sameLastYear', id: '2026-01' },
      { role: 'previous', id: '2026-12' },
    ]);
    expect(comparisonPeriodIds('bogus')).toEqual([]);
  });
});

describe('compare', () => {
  const now = consolidation(regime, '2027-H1', {
    BHXH: { 'd4/si_participants': 41230, 'd4/vsi_participants': 4120, 'd2/satisfaction_index': 86.5, 'd2/e_transaction_rate': 97.3, 'd5/arrears_amount': 1000.3 },
    CTK: { 'd1/labour_force_working_age': 187400 },
    STC: { 'd1/vsi_support_budget': 250 },
    'BA-BE': { 'd3/si_participants_district': 5000 },
    'CHO-DON': { 'd3/si_participants_district': 6000, 'd6/inspections': 3 },
  });
  const then = consolidation(regime, '2026-H1', {
    BHXH: { 'd4/si_participants': 40000, 'd4/vsi_participants': 4120, 'd2/satisfaction_index': 84, 'd2/e_transaction_rate': 96.1, 'd5/arrears_amount': 1000.1 },
    CTK: { 'd1/labour_force_working_age': 186200 },
    STC: { 'd1/vsi_support_budget': 0 },
    'BA-BE': { 'd3/si_participants_district': 4800 },
    'NA-RI': { 'd3/si_participants_district': 3000 },
    'CHO-DON': { 'd6/inspections': 3 },
  });
  const c = against(now, [['sameLastYear', then]]);

  it('gives a rate its change in percentage points: the exact difference of the two rates as shown (two decimals)', () => {
    expect(c.bases).toEqual([{ role: 'sameLastYear', id: '2026-H1', name: 'Báo cáo 6 tháng đầu năm 2026' }]);
    const si = row(c, 'si_coverage')!;
    expect(si.measure).toBe('points');
    // 22,0011% and 21,4823%, shown 22,00% and 21,48%: the change is 0,52 points.
    expect(si.current).toBe(22);
    expect(si.against[0]).toEqual({ status: 'compared', value: 21.48, change: 0.52, relative: null });
    expect(row(c, 'satisfaction')!.against[0]).toMatchObject({ status: 'compared', change: 2.5 });
  });

  it('gives a sum its exact change and its change in %; 0 stays "no change", an earlier 0 has no %', () => {
    expect(row(c, 'BHXH|d4|si_participants')!.against[0]).toMatchObject({ status: 'compared', value: 40000, change: 1230, relative: (1230 * 100) / 40000 });
    expect(row(c, 'BHXH|d4|vsi_participants')!.against[0]).toMatchObject({ status: 'compared', change: 0, relative: 0 });
    // 1000.3 − 1000.1 in binary floating point is 0.19999999999993; as decimals it is 0.2.
    expect(row(c, 'BHXH|d5|arrears_amount')!.against[0]).toMatchObject({ status: 'compared', change: 0.2 });
    expect(row(c, 'STC|d1|vsi_support_budget')!.against[0]).toMatchObject({ status: 'compared', value: 0, change: 250, relative: null });
  });

  it('compares a percentage one unit reports in percentage points', () => {
    const e = row(c, 'BHXH|d2|e_transaction_rate')!;
    expect(e.measure).toBe('points');
    expect(e.against[0]).toMatchObject({ status: 'compared', change: 1.2, relative: null });
  });

  it('does not compare sums over different units: it names the units that differ', () => {
    const d = row(c, 'UBND-HUYEN|d3|si_participants_district')!;
    expect(d.current).toBe(11000);
    expect(d.reported).toBe(2);
    expect(d.against[0]).toMatchObject({ status: 'units_differ', value: 7800, reported: 2, change: null, relative: null, onlyNow: ['UBND huyện Chợ Đồn'], onlyThen: ['UBND huyện Na Rì'] });
    // Same units in both periods: compared.
    expect(row(c, 'UBND-HUYEN|d6|inspections')!.against[0]).toMatchObject({ status: 'compared', change: 0 });
  });

  it('has no change where one of the values is missing, and leaves out rows with nothing in either period', () => {
    expect(row(c, 'pension_coverage')).toBeUndefined();
    expect(row(c, 'LDTBXH|d1|guidance_documents')).toBeUndefined();
    const ui = row(c, 'ui_coverage');
    expect(ui).toBeUndefined();
    const onlyNow = consolidation(regime, '2026-H1', { BHXH: { 'd4/si_participants': 40000 } });
    const c2 = against(now, [['sameLastYear', onlyNow]]);
    expect(row(c2, 'si_coverage')!.against[0]).toMatchObject({ status: 'no_value', value: null, change: null });
    expect(row(c2, 'CTK|d1|labour_force_working_age')!.against[0]).toMatchObject({ status: 'no_value', value: null, reported: 0 });
  });

  it('lists an earlier period with nothing stored as absent, once, with no rows against it', () => {
    const none = against(now, [['sameLastYear', null]]);
    expect(none.bases).toEqual([]);
    expect(none.absent).toHaveLength(1);
    expect(none.rows).toEqual([]);
    const month = consolidation(regime, '2027-03', { 'BA-BE': { 'd3/si_participants_district': 5000 } });
    const prev = consolidation(regime, '2027-02', { 'BA-BE': { 'd3/si_participants_district': 4990 } });
    const partial = against(month, [
      ['sameLastYear', null],
      ['previous', prev],
    ]);
    expect(partial.bases.map((b) => b.role)).toEqual(['previous']);
    expect(partial.absent.map((b) => b.role)).toEqual(['sameLastYear']);
    // A monthly report: the districts' figures only, no provincial rates (nothing computed in any period).
    expect(partial.rows.every((r) => r.kind === 'figure')).toBe(true);
    expect(row(partial, 'UBND-HUYEN|d3|si_participants_district')!.against).toEqual([expect.objectContaining({ status: 'compared', change: 10, relative: (10 * 100) / 4990 })]);
  });

  it('does not add a percentage several units report', () => {
    const raw = JSON.parse(readFileSync(DEFAULT_REGIME_FILE, 'utf8'));
    const group = raw.units.find((u: { code: string }) => u.code === 'UBND-HUYEN');
    group.duties.find((d: { id: string }) => d.id === 'd6').questions.push({ name: 'coverage_rate', type: 'percent', label: 'Tỷ lệ xã đã kiểm tra', required: false });
    const parsed = parseRegime(raw);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const r = parsed.regime;
    const a = consolidation(r, '2027-03', { 'BA-BE': { 'd6/coverage_rate': 50 }, 'NA-RI': { 'd6/coverage_rate': 70 } });
    const b = consolidation(r, '2027-02', { 'BA-BE': { 'd6/coverage_rate': 40 } });
    const rate = row(against(a, [['previous', b]]), 'UBND-HUYEN|d6|coverage_rate')!;
    expect(rate.current).toBeNull();
    expect(rate.against[0]).toMatchObject({ status: 'not_additive', change: null });
  });
});
