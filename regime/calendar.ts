/**
 * Whether the regime's calendar (its `holidays`) covers the coming deadlines. Reminders move off
 * weekends and holidays, so a year whose holidays are not listed gets reminders on its public
 * holidays. A year is known to the calendar when at least one of its days is listed (Vietnam has
 * public holidays every year); the next 12 months of deadlines must fall in known years.
 * Shown by `dondoc regime check`, in /healthz (status "degraded") and to the coordinators once
 * (jobs/calendar-notice.ts). Pure.
 */
import { DateTime } from 'luxon';
import { vi } from '../i18n/vi.js';
import { localDate, periodsOfYear } from './periods.js';
import type { ReportRegime } from './regime-schema.js';

export interface CalendarGap {
  /** Years with a deadline in the next 12 months and no holiday listed. */
  missingYears: number[];
  /** The last year with a holiday listed, if any. */
  lastYear: number | null;
  /** The last deadline in the next 12 months. */
  lastDeadline: DateTime;
}

export const CALENDAR_HORIZON_MONTHS = 12;

/** What the calendar lacks for the deadlines from `now` to 12 months ahead; null when nothing. */
export function calendarGap(r: ReportRegime, now: Date): CalendarGap | null {
  const start = DateTime.fromJSDate(now, { zone: r.timezone });
  const end = start.plus({ months: CALENDAR_HORIZON_MONTHS });
  const deadlines = [start.year, start.year + 1]
    .flatMap((y) => periodsOfYear(r, y))
    .map((p) => p.deadline)
    .filter((d) => d > start && d <= end);
  if (!deadlines.length) return null;
  const known = new Set(r.holidays.map((h) => Number(h.slice(0, 4))));
  const missingYears = [...new Set(deadlines.map((d) => d.year))].filter((y) => !known.has(y)).sort((a, b) => a - b);
  if (!missingYears.length) return null;
  return {
    missingYears,
    lastYear: known.size ? Math.max(...known) : null,
    lastDeadline: deadlines.reduce((a, b) => (b > a ? b : a)),
  };
}

/** The warning, in Vietnamese, naming the years to add. */
export function calendarWarning(g: CalendarGap): string {
  return vi.regime.calendarWarning(g.lastYear, g.missingYears.join(', '), localDate(g.lastDeadline));
}
