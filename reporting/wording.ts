/**
 * The wording helpers of consolidation, review and exports (chat, CLI, HTTP, XLSX, DOCX, CSV):
 * the Vietnamese number and date formats they use, a unit's status, a target's milestone and an
 * answer as an official reads them. The words themselves are in the catalogue (i18n/vi.ts).
 */
import { vi } from '../i18n/vi.js';
import { formatNumber, formatPercent } from '../lib/number.js';
import { formatDay, formatInstant, formatInstantShort, formatIsoDay } from '../lib/datetime.js';
import type { Tone } from '../core/message.js';
import type { IndicatorMilestone, UnitStatusRow } from './consolidation.js';

// --- formats --------------------------------------------------------------------------------------

/** "1.234.567" or "1.234,56": every stored digit kept, as the dialog echoes answers. */
export const fmtNumber = formatNumber;

/** A computed rate, two decimals: "26,17%". */
export function fmtRate(v: number): string {
  const [i, f] = Math.abs(v).toFixed(2).split('.');
  return `${v < 0 ? '-' : ''}${formatNumber(Number(i))},${f}%`;
}
/** A target or a reported percentage as given: "2,5%", "60%". */
export const fmtPercent = formatPercent;
/** "+1,20 điểm %" / "−33,83 điểm %". */
export const fmtGap = (v: number): string => vi.consolidation.gapPoints(`${v >= 0 ? '+' : '−'}${fmtRate(Math.abs(v)).slice(0, -1)}`);

/** "09:00 ngày 16/6/2027" (lib/datetime.ts: the one instant format). */
export function fmtDateTime(ms: number, zone: string): string {
  return formatInstant(ms, zone);
}
/** "03/7 00:01" in a table of `year` (the year left out), "03/01/2028 00:01" otherwise. */
export function fmtDateTimeShort(ms: number, zone: string, year: number): string {
  return formatInstantShort(ms, zone, year);
}
/** "16/6/2027" */
export function fmtDate(ms: number, zone: string): string {
  return formatDay(ms, zone);
}
/** A stored ISO date answer ("2027-03-15") as "15/3/2027". */
export function fmtIsoDate(s: string): string {
  return formatIsoDay(s);
}

/** "Báo cáo 6 tháng đầu năm 2027" → "6 tháng đầu năm 2027"; "Báo cáo kết quả …" → "Kết quả …": a name inside a sentence. */
export function withoutReportWord(s: string, capitalise: boolean): string {
  const rest = s.replace(/^báo cáo\s+/i, '');
  return capitalise ? rest.charAt(0).toLocaleUpperCase('vi') + rest.slice(1) : rest;
}

// --- statuses ----------------------------------------------------------------------------------------

/** What the board, the CLI and every export say of a unit: the status, then on time/late (decided by the first submission). */
export function statusText(row: Pick<UnitStatusRow, 'status' | 'progress' | 'reopened' | 'overdue'> & Partial<Pick<UnitStatusRow, 'late' | 'resubmitted'>>): string {
  let s: string = vi.consolidation.statusLabel[row.status];
  if (row.status === 'in_progress' && row.progress) s += ` (${row.progress.percent}%)`;
  const suffix = vi.consolidation.statusSuffix;
  if (row.resubmitted) s += row.resubmitted === 'after_correction' ? suffix.afterCorrection : suffix.afterApproval;
  if (row.reopened) s += suffix.reopened;
  if (row.late && row.status !== 'submitted_late') s += suffix.late;
  if (row.overdue) s += suffix.overdue;
  return s;
}

type BoardRow = Pick<UnitStatusRow, 'status' | 'overdue'>;

/**
 * Where a unit stands on the coordinator's board, most pressing first: 0 overdue (nothing
 * submitted after the deadline), 1 submitted and awaiting review, 2 sent back for corrections,
 * 3 being entered, 4 not started (before the deadline), 5 approved.
 */
export function boardRank(row: BoardRow): number {
  if (row.overdue) return 0;
  switch (row.status) {
    case 'submitted_on_time':
    case 'submitted_late':
      return 1;
    case 'needs_correction':
      return 2;
    case 'in_progress':
      return 3;
    case 'not_started':
      return 4;
    default:
      return 5;
  }
}

/** The board's rows in `boardRank` order (the regime's order within a rank). */
export function boardOrder<T extends BoardRow>(rows: readonly T[]): T[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => boardRank(a.r) - boardRank(b.r) || a.i - b.i)
    .map((x) => x.r);
}

/** The colour of a unit's status: overdue or to correct attention; submitted late or being entered warning; submitted on time or approved good. */
export function statusTone(row: BoardRow): Tone | undefined {
  if (row.overdue || row.status === 'needs_correction') return 'attention';
  if (row.status === 'submitted_late' || row.status === 'in_progress') return 'warning';
  if (row.status === 'submitted_on_time' || row.status === 'approved') return 'good';
  return undefined;
}

/** Which target a period is compared with: the next milestone, or the Plan's last once every one has passed. */
export function milestoneText(m: IndicatorMilestone | null, periodYear: number): string {
  if (!m) return vi.consolidation.milestone.none;
  return m.basis === 'upcoming' ? vi.consolidation.milestone.upcoming(m.year, periodYear) : vi.consolidation.milestone.last(m.year, periodYear);
}

/** An answer as an official reads it: numbers in Vietnamese format with their unit, choice labels, dates as 05/7/2027. */
export function answerText(a: { type: string; value: unknown; unitLabel?: string; choiceLabels?: string[] }): string {
  const v = a.value;
  if (v === undefined) return '';
  if (v === null) return vi.document.skipped;
  if (a.choiceLabels) return a.choiceLabels.join('; ');
  if (typeof v === 'number') {
    if (a.type === 'percent') return fmtPercent(v);
    return a.unitLabel ? `${fmtNumber(v)} ${a.unitLabel}` : fmtNumber(v);
  }
  if (a.type === 'date' && typeof v === 'string') return fmtIsoDate(v);
  return Array.isArray(v) ? v.join('; ') : String(v);
}
