/**
 * The reminder ladder and digest schedule of the default regime, computed for known calendars.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIME_FILE } from '../../lib/paths.js';
import { makePeriod, type ReportingPeriod } from '../../regime/periods.js';
import { loadRegimeFile, parseRegime } from '../../regime/regime.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { digestSchedule, dueSteps, isWorkingDay, reminderLadder } from '../../regime/reminder-ladder.js';

function defaultRegime(): ReportRegime {
  const r = loadRegimeFile(DEFAULT_REGIME_FILE);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.regime;
}

const fmt = (steps: Array<{ id: string; at: { toFormat(f: string): string } }>) => steps.map((s) => `${s.id} ${s.at.toFormat('ccc yyyy-MM-dd HH:mm ZZ')}`);
const period = (r: ReportRegime, id: string) => makePeriod(r, id) as ReportingPeriod;

describe('reminder ladder', () => {
  const r = defaultRegime();

  it('6-month report 2027: 14, 7, 3 and 1 days before 5 July at 08:00; the Sunday step moves to Friday and merges', () => {
    expect(fmt(reminderLadder(r, period(r, '2027-H1')))).toEqual([
      'T-14 Mon 2027-06-21 08:00 +07:00',
      'T-7 Mon 2027-06-28 08:00 +07:00',
      // 1 day before 5 July is Sunday 4 July (the last day to submit): moved to Friday 2 July, where T-3 already is.
      'T-3+T-1 Fri 2027-07-02 08:00 +07:00',
      // Overdue every 2 working days for up to 10 days (until 15 July).
      'Q+2 Wed 2027-07-07 08:00 +07:00',
      'Q+4 Fri 2027-07-09 08:00 +07:00',
      'Q+6 Tue 2027-07-13 08:00 +07:00',
      'Q+8 Thu 2027-07-15 08:00 +07:00',
    ]);
  });

  it('annual report 2026: deadline 20 Dec 2026 is a Sunday', () => {
    expect(fmt(reminderLadder(r, period(r, '2026-Y')))).toEqual([
      'T-14 Fri 2026-12-04 08:00 +07:00', // Sunday 6 Dec → Friday 4 Dec
      'T-7 Fri 2026-12-11 08:00 +07:00', // Sunday 13 Dec → Friday 11 Dec
      'T-3 Thu 2026-12-17 08:00 +07:00',
      'T-1 Fri 2026-12-18 08:00 +07:00', // Saturday 19 Dec → Friday 18 Dec
      'Q+2 Tue 2026-12-22 08:00 +07:00',
      'Q+4 Thu 2026-12-24 08:00 +07:00',
      'Q+6 Mon 2026-12-28 08:00 +07:00',
      'Q+8 Wed 2026-12-30 08:00 +07:00',
    ]);
  });

  it('monthly report: 3 and 1 days before the 20th, overdue for up to 6 days', () => {
    // 20 Feb 2027 is a Saturday; Tết 2027 (4–11 Feb) is over by then.
    expect(fmt(reminderLadder(r, period(r, '2027-02')))).toEqual([
      'T-3 Wed 2027-02-17 08:00 +07:00',
      'T-1 Fri 2027-02-19 08:00 +07:00',
      'Q+2 Tue 2027-02-23 08:00 +07:00',
      'Q+4 Thu 2027-02-25 08:00 +07:00',
    ]);
  });

  it('a step on a public holiday moves to the previous working day; holidays are configuration', () => {
    const raw = structuredClone(JSON.parse(JSON.stringify(r))) as Record<string, unknown> & { reportKinds: Array<Record<string, unknown>> };
    const m = raw.reportKinds.find((k) => k.id === 'M') as Record<string, unknown>;
    m.reminders = { daysBefore: [14, 3], at: '07:30', overdueForDays: 0 };
    const parsed = parseRegime(raw);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    // 14 days before 20 Feb 2027 is Saturday 6 Feb, in Tết (4–11 Feb): back to Wednesday 3 Feb.
    expect(fmt(reminderLadder(parsed.regime, period(parsed.regime, '2027-02')))).toEqual(['T-14 Wed 2027-02-03 07:30 +07:00', 'T-3 Wed 2027-02-17 07:30 +07:00']);
    // Without the holidays, only the weekend rule applies: Friday 5 Feb.
    const noHolidays = parseRegime({ ...raw, holidays: [] });
    if (!noHolidays.ok) throw new Error(noHolidays.errors.join('\n'));
    expect(fmt(reminderLadder(noHolidays.regime, period(noHolidays.regime, '2027-02')))[0]).toBe('T-14 Fri 2027-02-05 07:30 +07:00');
  });

  it('no step before the period opens or after it locks', () => {
    const raw = JSON.parse(JSON.stringify(r)) as { reportKinds: Array<Record<string, unknown>> };
    const m = raw.reportKinds.find((k) => k.id === 'M') as Record<string, unknown>;
    // The monthly window opens on the 15th of the previous month (36 days before the 20th) and locks 30 days after the deadline.
    m.reminders = { daysBefore: [60, 3], at: '08:00', overdueEveryWorkingDays: 5, overdueForDays: 60 };
    const parsed = parseRegime(raw);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const p = period(parsed.regime, '2027-03');
    const steps = reminderLadder(parsed.regime, p);
    expect(steps[0].id).toBe('T-3');
    expect(steps.every((s) => s.at >= p.opensAt && s.at < p.locksAt)).toBe(true);
    expect(steps.at(-1)?.kind).toBe('overdue');
  });

  it('every step of every period of 2026–2027 is on a working day, in order, at the ladder time', () => {
    for (const year of [2026, 2027])
      for (const id of [`${year}-H1`, `${year}-Y`, ...Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)]) {
        const p = period(r, id);
        const steps = reminderLadder(r, p);
        expect(steps.length).toBeGreaterThan(0);
        for (const s of steps) {
          expect(isWorkingDay(r, s.at)).toBe(true);
          expect(s.at.toFormat('HH:mm')).toBe('08:00');
          expect(s.kind === 'before' ? s.at < p.deadline : s.at > p.deadline).toBe(true);
        }
        const times = steps.map((s) => s.at.toMillis());
        expect([...times].sort((a, b) => a - b)).toEqual(times);
        expect(new Set(steps.map((s) => s.date)).size).toBe(steps.length);
      }
  });

  it('dueSteps returns the steps at or before an instant', () => {
    const steps = reminderLadder(r, period(r, '2027-H1'));
    expect(dueSteps(steps, new Date('2027-06-21T00:59:59Z')).map((s) => s.id)).toEqual([]);
    expect(dueSteps(steps, new Date('2027-06-21T01:00:00Z')).map((s) => s.id)).toEqual(['T-14']);
    expect(dueSteps(steps, new Date('2027-07-03T00:00:00Z')).map((s) => s.id)).toEqual(['T-14', 'T-7', 'T-3+T-1']);
  });
});

describe('digest schedule', () => {
  const r = defaultRegime();
  it('the day before the deadline, the first day after it, then weekly until the period locks', () => {
    expect(fmt(digestSchedule(r, period(r, '2027-H1')))).toEqual([
      'D-1 Fri 2027-07-02 08:00 +07:00', // the day before (Sunday 4 July) moved back to Friday
      'D0 Mon 2027-07-05 08:00 +07:00', // the first day after the deadline instant
      'W1 Mon 2027-07-12 08:00 +07:00',
      'W2 Mon 2027-07-19 08:00 +07:00',
      'W3 Mon 2027-07-26 08:00 +07:00',
      'W4 Mon 2027-08-02 08:00 +07:00', // the period locks 30 days after the deadline (4 August)
    ]);
  });
  it('moves a post-deadline digest forward to the next working day', () => {
    // The 2026 annual deadline is Sunday 20 Dec 2026.
    expect(fmt(digestSchedule(r, period(r, '2026-Y'))).slice(0, 2)).toEqual(['D-1 Fri 2026-12-18 08:00 +07:00', 'D0 Mon 2026-12-21 08:00 +07:00']);
  });
});
