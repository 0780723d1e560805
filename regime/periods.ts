/**
 * Reporting periods and their instants. Every instant is computed in the regime's zone
 * (Asia/Ho_Chi_Minh) with luxon; no hand-written offset arithmetic.
 * Period ids: `YYYY-H1` (6-month), `YYYY-Y` (annual), `YYYY-MM` (monthly).
 */
import { DateTime } from 'luxon';
import { vi } from '../i18n/vi.js';
import { formatDay, formatInstant } from '../lib/datetime.js';
import type { ReportKind, ReportRegime, Unit } from './regime-schema.js';
import { kindsForUnit, referenceMonth, regimeCache, reportKind, resolveDay } from './regime.js';

export interface ReportingPeriod {
  id: string;
  kind: ReportKind['id'];
  year: number;
  month?: number;
  /** Vietnamese name, e.g. "Báo cáo 6 tháng đầu năm 2027". */
  name: string;
  /** Start of the data window (00:00 local of its first day). */
  dataFrom: DateTime;
  /** End of the data window (last moment of its last day). */
  dataTo: DateTime;
  /** "Trước ngày 05 tháng 7": the start of that day. */
  deadline: DateTime;
  /** From when answers are accepted. */
  opensAt: DateTime;
  /** After this only a coordinator can reopen a submission. */
  locksAt: DateTime;
}

const PERIOD_ID = /^(\d{4})-(H1|Y|0[1-9]|1[0-2])$/;

export function parsePeriodId(id: string): { year: number; kind: ReportKind['id']; month?: number } | undefined {
  const m = PERIOD_ID.exec(id.trim().toUpperCase());
  if (!m) return undefined;
  const year = Number(m[1]);
  if (m[2] === 'H1' || m[2] === 'Y') return { year, kind: m[2] };
  return { year, kind: 'M', month: Number(m[2]) };
}

const periods = regimeCache<ReportingPeriod | undefined>();

/** A period of the regime by id (computed once per regime and id, with luxon; frozen). */
export function makePeriod(r: ReportRegime, id: string): ReportingPeriod | undefined {
  return periods(r, id, frozenPeriod);
}

function frozenPeriod(r: ReportRegime, id: string): ReportingPeriod | undefined {
  const p = computePeriod(r, id);
  return p && Object.freeze(p);
}

function computePeriod(r: ReportRegime, id: string): ReportingPeriod | undefined {
  const p = parsePeriodId(id);
  if (!p) return undefined;
  const kind = reportKind(r, p.kind);
  if (!kind) return undefined;
  const zone = r.timezone;
  const ref = referenceMonth(p.kind, p.month);
  const deadline = resolveDay(kind.deadline, zone, p.year, ref).startOf('day');
  const dataFrom = resolveDay(kind.dataCutoff.from, zone, p.year, ref).startOf('day');
  const dataTo = resolveDay(kind.dataCutoff.to, zone, p.year, ref).endOf('day');
  const opensAt = kind.opensDaysBeforeDeadline ? deadline.minus({ days: kind.opensDaysBeforeDeadline }) : dataFrom;
  const locksAt = deadline.plus({ days: kind.locksDaysAfterDeadline });
  const name = p.kind === 'H1' ? vi.period.firstHalf(kind.name, p.year) : p.kind === 'Y' ? vi.period.year(kind.name, p.year) : vi.period.month(kind.name, p.month as number, p.year);
  const canonical = p.kind === 'M' ? `${p.year}-${String(p.month).padStart(2, '0')}` : `${p.year}-${p.kind}`;
  return { id: canonical, kind: p.kind, year: p.year, month: p.month, name, dataFrom, dataTo, deadline, opensAt, locksAt };
}

/** The period of the same kind just before this one: 2027-H1 → 2026-H1, 2027-Y → 2026-Y, 2027-01 → 2026-12. */
export function previousPeriodId(id: string): string | undefined {
  // Every answer turn asks (services/previous.ts): worked out once per id, in a map emptied when full.
  if (previousIds.has(id)) return previousIds.get(id);
  if (previousIds.size >= 1000) previousIds.clear();
  const prev = computePreviousPeriodId(id);
  previousIds.set(id, prev);
  return prev;
}
const previousIds = new Map<string, string | undefined>();

function computePreviousPeriodId(id: string): string | undefined {
  const p = parsePeriodId(id);
  if (!p) return undefined;
  if (p.kind !== 'M') return `${p.year - 1}-${p.kind}`;
  const m = p.month as number;
  return m === 1 ? `${p.year - 1}-12` : `${p.year}-${String(m - 1).padStart(2, '0')}`;
}

/** How an earlier period relates to the one compared: the same period a year earlier, or the period of the same kind just before it. */
export type ComparisonRole = 'sameLastYear' | 'previous';

/**
 * The earlier periods a period is compared with, as Vietnamese reports do: "cùng kỳ năm trước"
 * (same kind, a year earlier: 2027-03 → 2026-03) and "kỳ trước" (previousPeriodId: 2027-03 →
 * 2027-02). For a 6-month or annual period the two are the same period (2027-H1 → 2026-H1): it is
 * listed once, as the same period last year.
 */
export function comparisonPeriodIds(id: string): Array<{ role: ComparisonRole; id: string }> {
  const p = parsePeriodId(id);
  if (!p) return [];
  const sameLastYear = p.kind === 'M' ? `${p.year - 1}-${String(p.month).padStart(2, '0')}` : `${p.year - 1}-${p.kind}`;
  const previous = previousPeriodId(id) as string;
  return previous === sameLastYear
    ? [{ role: 'sameLastYear', id: sameLastYear }]
    : [
        { role: 'sameLastYear', id: sameLastYear },
        { role: 'previous', id: previous },
      ];
}

/** Every period of a year for the regime's report kinds, ordered by deadline. */
export function periodsOfYear(r: ReportRegime, year: number): ReportingPeriod[] {
  return [...years(r, String(year), frozenYear)];
}

const frozenYear = (r: ReportRegime, year: string): readonly ReportingPeriod[] => Object.freeze(yearPeriods(r, Number(year)));

const years = regimeCache<readonly ReportingPeriod[]>();

function yearPeriods(r: ReportRegime, year: number): ReportingPeriod[] {
  const ids: string[] = [];
  for (const k of r.reportKinds) {
    if (k.id === 'M') for (let m = 1; m <= 12; m++) ids.push(`${year}-${String(m).padStart(2, '0')}`);
    else ids.push(`${year}-${k.id}`);
  }
  return ids.map((id) => makePeriod(r, id) as ReportingPeriod).sort((a, b) => a.deadline.toMillis() - b.deadline.toMillis() || a.id.localeCompare(b.id));
}

/** Periods this unit can answer at `now`: opened and not locked, earliest deadline first. */
export function openPeriodsForUnit(r: ReportRegime, u: Unit, now: Date): ReportingPeriod[] {
  const kinds = new Set(kindsForUnit(r, u).map((k) => k.id));
  const t = now.getTime();
  const year = DateTime.fromJSDate(now, { zone: r.timezone }).year;
  return [year - 1, year, year + 1]
    .flatMap((y) => periodsOfYear(r, y))
    .filter((p) => kinds.has(p.kind) && p.opensAt.toMillis() <= t && t < p.locksAt.toMillis())
    .sort((a, b) => a.deadline.toMillis() - b.deadline.toMillis());
}

export function isLate(p: ReportingPeriod, at: Date): boolean {
  return at.getTime() >= p.deadline.toMillis();
}

/** ISO instant with the local offset and no milliseconds: `2027-07-05T00:00:00+07:00`. */
export function isoLocal(d: DateTime): string {
  return d.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** "trước 00:00 ngày 05/7/2027": the deadline in words, as every message states it. */
export function deadlineWords(p: ReportingPeriod): string {
  // Written once per period (periods are kept and frozen: makePeriod), not with luxon on every message that states it.
  let words = deadlines.get(p);
  if (words === undefined || words.deadline !== p.deadline) deadlines.set(p, (words = { deadline: p.deadline, text: vi.period.deadline(formatInstant(p.deadline)) }));
  return words.text;
}
const deadlines = new WeakMap<ReportingPeriod, { deadline: DateTime; text: string }>();

/** "14/6/2027" (lib/datetime.ts) */
export function localDate(d: DateTime): string {
  return formatDay(d);
}

export function periodJson(p: ReportingPeriod): { id: string; kind: string; dataFrom: string; dataTo: string; deadline: string } {
  return { id: p.id, kind: p.kind, dataFrom: isoLocal(p.dataFrom), dataTo: isoLocal(p.dataTo), deadline: isoLocal(p.deadline) };
}
