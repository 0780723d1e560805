/**
 * The summary of a report (`xem lại`, the confirmation) on pages that fit a phone screen, and
 * where `tiếp` continues it.
 */
import { z } from 'zod';
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage, TableView } from '../../core/message.js';
import { lateIfSubmitted } from '../../store/report-lifecycle.js';
import { brokenRules, answerLines, completion, nextQuestion, refNumber, ruleLine, type BrokenRule } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { REPORT_FLOW, type ReportFlowState, type Report } from './state.js';
import { time } from './load.js';

/**
 * One phone screen, in characters: a summary longer than this is sent a few sections at a time,
 * each page ending with "Gõ "tiếp" để xem tiếp". Zalo shows one bubble at a time and cuts a
 * message at 2,000 characters (channels/zalo/render.ts); 1,500 characters — some twenty
 * answer lines, two or three swipes on a phone — keeps every page within one bubble together with
 * what surrounds it (the acknowledgement before it, the page line and the submit question after
 * it), so no section is ever cut by the channel and nothing scrolls out of sight unread.
 */
export const SCREEN_CHARS = 1500;

/** A summary page: its text (no page line) and its table rows (a form channel shows them as a grid). */
interface SummaryPage {
  text: string;
  rows: string[][];
}

/** Every answer, numbered mục.câu as the person sees them, on pages of at most SCREEN_CHARS (whole sections when they fit). */
export function summaryPages(c: CommandContext, r: Report): SummaryPage[] {
  const broken = brokenRules(r.form, r.answers);
  const numbered = answerLines(c.app.regime, r.form, r.answers, Object.fromEntries(ruleMarks(broken)));
  // answerLines gives each section's lines (its heading first) and the rows of all sections in order.
  let rowAt = 0;
  const blocks = numbered.sections.map((lines) => {
    const rows = numbered.rows.slice(rowAt, rowAt + lines.length - 1);
    rowAt += lines.length - 1;
    return { lines, rows };
  });
  const done = completion(r.form, r.answers);
  const tail = [vi.report.completion(done.answered, done.total, done.missingRequired)];
  if (broken.length) tail.push(vi.report.rulesBroken(broken.map((x) => ruleLine(c.app.regime, x))));
  if (r.latest) tail.push(vi.report.lastSubmitted(r.latest.revision, time(c, r.latest.submittedAt), lateIfSubmitted(r.state, r.latest.late)));
  const size = (ls: string[]) => ls.reduce((n, l) => n + l.length + 1, 0);
  const room = SCREEN_CHARS - vi.report.summaryPageTitle(r.title, 10, 10).length - 2;

  // Pack whole sections; a section longer than a page goes on by itself, split between its lines.
  const pages: Array<{ lines: string[]; rows: string[][] }> = [];
  let cur = { lines: [] as string[], rows: [] as string[][] };
  const flush = () => {
    if (cur.lines.length) pages.push(cur);
    cur = { lines: [], rows: [] };
  };
  for (const b of blocks) {
    if (cur.lines.length && size(cur.lines) + size(b.lines) + 1 > room) flush();
    let rowAt = 0;
    b.lines.forEach((line, k) => {
      if (k > 0 && cur.lines.length && size(cur.lines) + line.length + 1 > room) flush();
      if (cur.lines.length && k === 0) cur.lines.push('');
      cur.lines.push(line);
      if (k > 0) cur.rows.push(b.rows[rowAt++]);
    });
  }
  if (cur.lines.length && size(cur.lines) + size(tail) + 1 > room) flush();
  cur.lines.push(...(cur.lines.length ? [''] : []), ...tail);
  flush();
  return pages.map((p, i) => ({
    text: [i === 0 ? vi.report.summaryTitle(r.title) : vi.report.summaryPageTitle(r.title, i + 1, pages.length), '', ...p.lines].join('\n'),
    rows: p.rows,
  }));
}

/** One page of the summary as a message part: its text, its page line when more follow, and its table. */
export function summaryPage(r: Report, pages: SummaryPage[], page: number): { text: string; table: TableView; page: number; more: boolean } {
  const i = Math.min(page, pages.length - 1);
  const more = i + 1 < pages.length;
  return {
    text: more ? `${pages[i].text}\n\n${vi.report.summaryMore(i + 1, pages.length)}` : pages[i].text,
    table: { title: r.title, columns: vi.report.summaryColumns, rows: pages[i].rows },
    page: i,
    more,
  };
}

/**
 * Where `tiếp` continues a summary: the report, the page shown, and the dialog's position when it
 * was shown. `tiếp` shows the next page only while the dialog is still there (same flow, mode and
 * question, within SUMMARY_PAGER_MS); otherwise it is `tiếp tục`.
 */
export const SummaryPagerSchema = z.object({
  unitCode: z.string(),
  periodId: z.string(),
  page: z.number().int().nonnegative(),
  confirm: z.boolean(),
  flow: z.string(),
  at: z.number(),
});
export type SummaryPager = z.infer<typeof SummaryPagerSchema>;
export const SUMMARY_PAGER = 'summaryPager';
export const SUMMARY_PAGER_MS = 60 * 60_000;

export function flowMark(c: CommandContext, st?: ReportFlowState | null): string {
  const f = st !== undefined ? (st ? { id: REPORT_FLOW, state: st } : null) : c.flow;
  if (!f) return '';
  const s = f.state as Partial<ReportFlowState>;
  return `${f.id}|${s.unitCode ?? ''}|${s.periodId ?? ''}|${s.mode ?? ''}|${s.asking ?? ''}`;
}

/** Remembers the page shown while more follow; after the last page `tiếp` is `tiếp tục` again. */
export function rememberPage(c: CommandContext, r: Report, shown: { page: number; more: boolean }, confirm: boolean, st?: ReportFlowState | null): void {
  if (!shown.more) {
    delete c.memory[SUMMARY_PAGER];
    return;
  }
  const p: SummaryPager = { ...r.ids, page: shown.page, confirm, flow: flowMark(c, st), at: c.now.getTime() };
  c.memory[SUMMARY_PAGER] = p;
}

/** The ⚠ beside each question of a broken cross-field rule, naming the other question. */
function ruleMarks(broken: BrokenRule[]): Map<string, string> {
  const marks = new Map<string, string[]>();
  for (const b of broken) {
    marks.set(b.part.question.key, [...(marks.get(b.part.question.key) ?? []), refNumber(b.whole)]);
    marks.set(b.whole.question.key, [...(marks.get(b.whole.question.key) ?? []), refNumber(b.part)]);
  }
  return new Map([...marks].map(([k, nums]) => [k, vi.report.ruleMark(nums.join(', '))]));
}

/** A page of `xem lại`: the last one says what to do next. */
export function reviewPage(c: CommandContext, r: Report, page: number, before: string[] = [], st?: ReportFlowState | null): OutMessage[] {
  const s = summaryPage(r, summaryPages(c, r), page);
  rememberPage(c, r, s, false, st);
  const text = [...before, ...(before.length ? [''] : []), s.text].join('\n');
  if (s.more) return [{ text, table: s.table, choices: [{ value: vi.report.moreWord, label: vi.report.moreLabel }] }];
  const broken = brokenRules(r.form, r.answers);
  const next = r.closed
    ? r.closed
    : nextQuestion(r.form, r.answers)
      ? vi.report.afterReviewIncomplete
      : broken.length
        ? vi.report.afterReviewBroken(refNumber(broken[0].whole))
        : vi.report.afterReviewComplete;
  return [{ text: `${text}\n\n${next}`, table: s.table }];
}
