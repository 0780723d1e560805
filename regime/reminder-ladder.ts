/**
 * The reminder ladder and the coordinators' digest schedule of a reporting period, as local
 * instants in the regime's zone. Pure: no I/O, no clock (callers pass `now`).
 *
 * - "N days before the deadline" counts from the deadline date, the day whose start is the
 *   deadline instant: for "trước ngày 05 tháng 7" (2027-07-05T00:00+07) one day before is 4 July,
 *   the last day to submit.
 * - A step on a weekend or on one of `regime.holidays` moves to the previous working day.
 * - Overdue steps fall every `overdueEveryWorkingDays` working days after the deadline date, for
 *   at most `overdueForDays` calendar days after it.
 * - Steps landing on the same day go out as one message: they merge into one step whose id joins
 *   theirs ("T-3+T-1").
 * - No step before the period opens or after it locks (nothing can be submitted then).
 */
import { DateTime } from 'luxon';
import type { ReportingPeriod } from './periods.js';
import type { ReportRegime } from './regime-schema.js';
import { reportKind } from './regime.js';

export interface LadderStep {
  /** Stable id within the period: "T-14", "T-3+T-1" (merged), "Q+2" (2 working days overdue). */
  id: string;
  kind: 'before' | 'overdue';
  /** Days before the deadline date of the nearest merged step (before steps); 0 for overdue. */
  daysBefore: number;
  /** Working days after the deadline date (overdue steps); 0 for before steps. */
  overdueWorkingDays: number;
  /** Local date, yyyy-MM-dd. */
  date: string;
  /** The instant, in the regime's zone. */
  at: DateTime;
}

export type DigestKind = 'before' | 'after' | 'weekly';

export interface DigestStep {
  /** "D-1" (day before the deadline), "D0" (first day after it), "W1", "W2", … (weekly overdue). */
  id: string;
  kind: DigestKind;
  date: string;
  at: DateTime;
}

/** True on Monday–Friday when the local date is not one of the regime's public holidays. */
export function isWorkingDay(regime: ReportRegime, d: DateTime): boolean {
  if (d.weekday > 5) return false;
  return !holidaySet(regime).has(d.toISODate() as string);
}

const holidayCache = new WeakMap<ReportRegime, Set<string>>();
function holidaySet(regime: ReportRegime): Set<string> {
  let s = holidayCache.get(regime);
  if (!s) {
    s = new Set(regime.holidays);
    holidayCache.set(regime, s);
  }
  return s;
}

/** The day itself if it is a working day, else the nearest working day before (or after) it. */
export function shiftToWorkingDay(regime: ReportRegime, d: DateTime, direction: 'previous' | 'next'): DateTime {
  let day = d;
  // A year of non-working days cannot happen; the bound only guards against a broken regime.
  for (let i = 0; i < 366 && !isWorkingDay(regime, day); i++) day = direction === 'previous' ? day.minus({ days: 1 }) : day.plus({ days: 1 });
  return day;
}

function atTime(day: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.startOf('day').set({ hour, minute, second: 0, millisecond: 0 });
}

/** The deadline date (the local day whose start is the deadline instant). */
export function deadlineDate(p: ReportingPeriod): DateTime {
  return p.deadline.startOf('day');
}

/** Every reminder step of a period, merged by day, in time order. */
export function reminderLadder(regime: ReportRegime, p: ReportingPeriod): LadderStep[] {
  const kind = reportKind(regime, p.kind);
  if (!kind) return [];
  const ladder = kind.reminders;
  const due = deadlineDate(p);
  const raw: LadderStep[] = [];
  for (const n of [...new Set(ladder.daysBefore)].sort((a, b) => b - a)) {
    const day = shiftToWorkingDay(regime, due.minus({ days: n }), 'previous');
    raw.push({ id: `T-${n}`, kind: 'before', daysBefore: n, overdueWorkingDays: 0, date: day.toISODate() as string, at: atTime(day, ladder.at) });
  }
  const every = ladder.overdueEveryWorkingDays;
  if (every && ladder.overdueForDays > 0) {
    const last = due.plus({ days: ladder.overdueForDays });
    let working = 0;
    for (let day = due.plus({ days: 1 }); day <= last; day = day.plus({ days: 1 })) {
      if (!isWorkingDay(regime, day)) continue;
      working++;
      if (working % every === 0) raw.push({ id: `Q+${working}`, kind: 'overdue', daysBefore: 0, overdueWorkingDays: working, date: day.toISODate() as string, at: atTime(day, ladder.at) });
    }
  }
  const merged = new Map<string, LadderStep>();
  for (const s of raw) {
    const prev = merged.get(s.date);
    if (!prev) merged.set(s.date, s);
    else merged.set(s.date, { ...prev, id: `${prev.id}+${s.id}`, daysBefore: Math.min(prev.daysBefore, s.daysBefore) });
  }
  const opens = p.opensAt.toMillis();
  const locks = p.locksAt.toMillis();
  return [...merged.values()].filter((s) => s.at.toMillis() >= opens && s.at.toMillis() < locks).sort((a, b) => a.at.toMillis() - b.at.toMillis());
}

/**
 * When coordinators get a digest of the units that have not submitted: the day before the
 * deadline (moved back to a working day), the first day after it (moved forward to a working day),
 * then weekly until the period locks. Sent at the ladder's time of day.
 */
export function digestSchedule(regime: ReportRegime, p: ReportingPeriod): DigestStep[] {
  const kind = reportKind(regime, p.kind);
  if (!kind) return [];
  const hhmm = kind.reminders.at;
  const due = deadlineDate(p);
  const steps: DigestStep[] = [];
  const push = (id: string, k: DigestKind, day: DateTime) => {
    const date = day.toISODate() as string;
    if (steps.some((s) => s.date === date)) return;
    steps.push({ id, kind: k, date, at: atTime(day, hhmm) });
  };
  push('D-1', 'before', shiftToWorkingDay(regime, due.minus({ days: 1 }), 'previous'));
  push('D0', 'after', shiftToWorkingDay(regime, due, 'next'));
  const locks = p.locksAt.toMillis();
  for (let w = 1; ; w++) {
    const day = shiftToWorkingDay(regime, due.plus({ weeks: w }), 'next');
    if (atTime(day, hhmm).toMillis() >= locks) break;
    push(`W${w}`, 'weekly', day);
  }
  const opens = p.opensAt.toMillis();
  return steps.filter((s) => s.at.toMillis() >= opens && s.at.toMillis() < locks).sort((a, b) => a.at.toMillis() - b.at.toMillis());
}

/** The steps due at `now` (at or before it), latest last. */
export function dueSteps<T extends { at: DateTime }>(steps: T[], now: Date): T[] {
  const t = now.getTime();
  return steps.filter((s) => s.at.toMillis() <= t);
}
