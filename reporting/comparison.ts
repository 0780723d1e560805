/**
 * Comparison with earlier periods, as Vietnamese reports put it ("so với cùng kỳ năm trước",
 * "so với kỳ trước"): from a period's Consolidation and the Consolidations of the earlier periods
 * (regime/periods.ts comparisonPeriodIds), the change of every indicator and of every summed
 * figure. Pure: no I/O, no clock.
 *
 * The rules, in the order they apply:
 * - An earlier period with nothing stored (no submission at all) is not compared with: it is
 *   listed in `absent`, and the documents say so once, never per row.
 * - A rate (an indicator, in percent) changes by the difference in percentage points; it has no
 *   relative change. Both values must exist. An indicator is computed from fixed figures of fixed
 *   units, so two computed values always rest on the same inputs: they are like-for-like. A rate
 *   is compared as every document shows it, rounded to two decimals (wording.ts fmtRate, the
 *   XLSX's 0.00), so the change is the difference a reader gets from the two rates shown
 *   (16,31% against 16,41% is 0,10 points, not the 0,105 of the unrounded rates).
 * - A summed figure (the exact total of a duty question over the units that answered it) changes
 *   by the absolute difference, and relatively by that difference over the earlier total, in %
 *   (none when the earlier total is 0). Both totals must exist, AND they must be sums over the
 *   same units: when the units that answered differ between the two periods (one unit missing,
 *   or another added), the difference would mix a change in the figure with a change in who
 *   reported it, so no change is given; the row says which units differ and how many reported
 *   in each period (status 'units_differ').
 * - A percentage question is not additive: when one unit carries it, its value is compared like a
 *   rate (percentage points); when several do, it is not compared (status 'not_additive').
 * - A row with no value in any of the periods (nothing to show, e.g. the provincial rates of a
 *   monthly report, which only the districts file) is left out.
 *
 * Differences are exact decimal arithmetic (consolidation.ts exactSum with a negated term), so a
 * change reconciles digit for digit with the two stored totals.
 */
import type { ComparisonRole } from '../regime/periods.js';
import type { QuestionType } from '../regime/regime-schema.js';
import { exactSum, type Consolidation, type DutyQuestionTotal, type DutyTotals } from './consolidation.js';

export interface ComparedPeriod {
  role: ComparisonRole;
  id: string;
  /** "Báo cáo 6 tháng đầu năm 2026" */
  name: string;
}

/** An earlier period and its consolidation; null when nothing is stored for it. */
export interface EarlierPeriod extends ComparedPeriod {
  consolidation: Consolidation | null;
}

/**
 * - 'compared': both values exist (and, for a sum, over the same units): `change` is given.
 * - 'no_value': one of the two values is missing (not reported, or a rate not computed).
 * - 'units_differ': both sums exist but over different units: no change (see `onlyNow`, `onlyThen`).
 * - 'not_additive': a percentage several units report: no total to compare.
 */
export type ChangeStatus = 'compared' | 'no_value' | 'units_differ' | 'not_additive';

export interface Change {
  /** The value in the earlier period. */
  value: number | null;
  /** How many units answered it in the earlier period (summed figures). */
  reported?: number;
  status: ChangeStatus;
  /** Current − earlier, exact: percentage points for a rate or percentage, the figure's unit otherwise. */
  change: number | null;
  /** change ÷ earlier × 100 (summed figures; null when the earlier total is 0). */
  relative: number | null;
  /** 'units_differ': short names of the units that answered only in this period / only in the earlier one. */
  onlyNow?: string[];
  onlyThen?: string[];
}

export interface ComparisonRow {
  kind: 'indicator' | 'figure';
  /** Indicator id, or `OWNER|duty|question`. */
  key: string;
  label: string;
  /** 'points': a rate or percentage (changes in percentage points); 'amount': a summed figure. */
  measure: 'points' | 'amount';
  /** The question's type (figures), for number formats. */
  type?: QuestionType;
  unitLabel?: string;
  /** Indicator: the indicator it is part of ("trong đó"). */
  partOf?: string;
  /** Figure: the duty it belongs to and whose duty it is. */
  duty?: { ownerUnit: string; ownerName: string; dutyId: string; title: string };
  current: number | null;
  /** How many units answered it this period (summed figures). */
  reported?: number;
  /** One per `Comparison.bases`, in that order. */
  against: Change[];
}

export interface Comparison {
  period: { id: string; name: string };
  /** The earlier periods compared with, in the order of every row's `against`: the same period last year first. */
  bases: ComparedPeriod[];
  /** Earlier periods with nothing stored. */
  absent: ComparedPeriod[];
  rows: ComparisonRow[];
}

/** a − b, exactly as a decimal would subtract. */
export const difference = (a: number, b: number): number => exactSum([a, -b]);

/** A computed rate as the documents show it: two decimals (the same rounding as fmtRate). */
export const shownRate = (v: number | null): number | null => (v === null ? null : Number(v.toFixed(2)));

function pointsChange(now: number | null, then: number | null): Change {
  if (now === null || then === null) return { value: then, status: 'no_value', change: null, relative: null };
  return { value: then, status: 'compared', change: difference(now, then), relative: null };
}

interface FigureView {
  value: number | null;
  /** Units whose answers make the value. */
  units: string[];
  notAdditive: boolean;
}

function figureView(d: DutyTotals | undefined, q: DutyQuestionTotal | undefined): FigureView {
  if (!d || !q) return { value: null, units: [], notAdditive: false };
  const units = q.perUnit.filter((p) => p.value !== null).map((p) => p.unitCode);
  if (q.type !== 'percent') return { value: q.total, units, notAdditive: false };
  if (d.units.length === 1) return { value: q.perUnit[0]?.value ?? null, units, notAdditive: false };
  return { value: null, units, notAdditive: true };
}

const figureKey = (d: DutyTotals, q: DutyQuestionTotal) => `${d.ownerUnit}|${d.dutyId}|${q.name}`;

function figureIndex(c: Consolidation): Map<string, { d: DutyTotals; q: DutyQuestionTotal }> {
  const out = new Map<string, { d: DutyTotals; q: DutyQuestionTotal }>();
  for (const d of c.duties) for (const q of d.questions) out.set(figureKey(d, q), { d, q });
  return out;
}

function unitNames(cs: Consolidation[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of cs) for (const b of c.board) if (!out.has(b.unitCode)) out.set(b.unitCode, b.shortName);
  return out;
}

export function compare(current: Consolidation, earlier: EarlierPeriod[]): Comparison {
  const present = earlier.filter((e): e is EarlierPeriod & { consolidation: Consolidation } => e.consolidation !== null);
  const bases: ComparedPeriod[] = present.map(({ role, id, name }) => ({ role, id, name }));
  const absent: ComparedPeriod[] = earlier.filter((e) => e.consolidation === null).map(({ role, id, name }) => ({ role, id, name }));
  const out: Comparison = { period: { id: current.period.id, name: current.period.name }, bases, absent, rows: [] };
  if (!present.length) return out;
  const names = unitNames([current, ...present.map((e) => e.consolidation)]);
  const nameOf = (code: string) => names.get(code) ?? code;

  // --- rates --------------------------------------------------------------------------------------
  for (const ind of current.indicators) {
    const now = shownRate(ind.value);
    const then = present.map((e) => shownRate(e.consolidation.indicators.find((x) => x.id === ind.id)?.value ?? null));
    if (now === null && then.every((v) => v === null)) continue;
    out.rows.push({
      kind: 'indicator',
      key: ind.id,
      label: ind.name,
      measure: 'points',
      unitLabel: '%',
      ...(ind.partOf ? { partOf: ind.partOf } : {}),
      current: now,
      against: then.map((v) => pointsChange(now, v)),
    });
  }

  // --- summed figures -------------------------------------------------------------------------------
  const indexes = present.map((e) => figureIndex(e.consolidation));
  for (const d of current.duties)
    for (const q of d.questions) {
      const now = figureView(d, q);
      const thens = indexes.map((ix) => {
        const hit = ix.get(figureKey(d, q));
        return figureView(hit?.d, hit?.q);
      });
      const anyValue = now.value !== null || thens.some((t) => t.value !== null);
      const anyAnswer = now.units.length > 0 || thens.some((t) => t.units.length > 0);
      if (!anyValue && !(now.notAdditive && anyAnswer)) continue;
      const points = q.type === 'percent';
      const against = thens.map((then): Change => {
        if (now.notAdditive || then.notAdditive) return { value: null, reported: then.units.length, status: 'not_additive', change: null, relative: null };
        if (points) return pointsChange(now.value, then.value);
        const base = { value: then.value, reported: then.units.length };
        if (now.value === null || then.value === null) return { ...base, status: 'no_value', change: null, relative: null };
        const onlyNow = now.units.filter((u) => !then.units.includes(u));
        const onlyThen = then.units.filter((u) => !now.units.includes(u));
        if (onlyNow.length || onlyThen.length) return { ...base, status: 'units_differ', change: null, relative: null, onlyNow: onlyNow.map(nameOf), onlyThen: onlyThen.map(nameOf) };
        const change = difference(now.value, then.value);
        return { ...base, status: 'compared', change, relative: then.value === 0 ? null : (change * 100) / then.value };
      });
      out.rows.push({
        kind: 'figure',
        key: figureKey(d, q),
        label: q.label,
        measure: points ? 'points' : 'amount',
        type: q.type,
        unitLabel: q.unitLabel ?? (points ? '%' : undefined),
        duty: { ownerUnit: d.ownerUnit, ownerName: d.ownerName, dutyId: d.dutyId, title: d.title },
        current: now.value,
        ...(points ? {} : { reported: now.units.length }),
        against,
      });
    }
  return out;
}
