/**
 * The summary of a report (`xem lại`, the confirmation) on pages that fit a phone screen, and
 * where `tiếp` continues it.
 */
import { z } from 'zod';
import type { CommandContext } from '../../core/commands.js';
import type { ChoiceView, OutMessage, TableView } from '../../core/message.js';
import { lateIfSubmitted } from '../../store/report-lifecycle.js';
import { brokenRules, answerLines, completion, nextQuestion, numberOf, questionNumber, refNumber, relevantAnswers, ruleLine, type BrokenRule } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { attachmentLabel, attachmentsOf } from '../../services/attachments.js';
import type { Attachment } from '../../store/records.js';
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

/** A summary page: its text (no page line), its table rows and the section headings among them (a form channel shows them as a grid). */
interface SummaryPage {
  text: string;
  rows: string[][];
  groups: Array<{ before: number; title: string }>;
}

/**
 * Every question, numbered mục.câu as the person sees them (those that do not apply said so), on
 * pages of at most SCREEN_CHARS (whole sections when they fit). The count leads the first page; a
 * section cut between pages has its heading again, marked continued.
 */
export function summaryPages(c: CommandContext, r: Report): SummaryPage[] {
  const broken = brokenRules(r.form, r.answers);
  const marks = ruleMarks(broken);
  // An answer still copied from the previous period: marked, so that nobody submits it unseen.
  for (const k of copiedAnswers(r)) marks.set(k, `${marks.get(k) ?? ''}${vi.report.copiedMark}`);
  const numbered = answerLines(c.app.regime, r.form, r.answers, Object.fromEntries(marks));
  // answerLines gives each section's lines (its heading first) and the rows of all sections in order.
  let rowAt = 0;
  const blocks = numbered.sections.map((lines) => {
    const rows = numbered.rows.slice(rowAt, rowAt + lines.length - 1);
    rowAt += lines.length - 1;
    return { lines, rows };
  });
  const done = completion(r.form, r.answers);
  const count = vi.report.completion(done.answered, done.total, done.missingRequired, done.notApplicable);
  const tail: string[] = [];
  if (broken.length) tail.push(vi.report.rulesBroken(broken.map((x) => ruleLine(c.app.regime, x))));
  if (r.latest) tail.push(vi.report.lastSubmitted(r.latest.revision, time(c, r.latest.submittedAt), lateIfSubmitted(r.state, r.latest.late)));
  const size = (ls: string[]) => ls.reduce((n, l) => n + l.length + 1, 0);
  const room = SCREEN_CHARS - vi.report.summaryPageTitle(r.title, 10, 10).length - 2;

  // Pack whole sections; a section longer than a page goes on by itself, split between its lines.
  // The first page also holds the count.
  type Page = { lines: string[]; rows: string[][]; groups: SummaryPage['groups'] };
  const pages: Page[] = [];
  let cur: Page = { lines: [], rows: [], groups: [] };
  const full = (more: number) => cur.lines.length > 0 && size(cur.lines) + more + (pages.length ? 0 : count.length + 2) > room;
  const flush = () => {
    if (cur.lines.length) pages.push(cur);
    cur = { lines: [], rows: [], groups: [] };
  };
  for (const b of blocks) {
    if (full(size(b.lines) + 1)) flush();
    let rowAt = 0;
    b.lines.forEach((line, k) => {
      if (k > 0 && full(line.length + 1)) {
        flush();
        // The rest of the section on the next page: its heading again.
        const again = vi.report.sectionContinued(b.lines[0]);
        cur.groups.push({ before: 0, title: again });
        cur.lines.push(again);
      }
      if (k === 0) {
        if (cur.lines.length) cur.lines.push('');
        cur.groups.push({ before: cur.rows.length, title: line });
      }
      cur.lines.push(line);
      if (k > 0) cur.rows.push(b.rows[rowAt++]);
    });
  }
  if (tail.length) {
    if (full(size(tail) + 1)) flush();
    cur.lines.push(...(cur.lines.length ? [''] : []), ...tail);
  }
  flush();
  return pages.map((p, i) => ({
    text: [i === 0 ? vi.report.summaryTitle(r.title) : vi.report.summaryPageTitle(r.title, i + 1, pages.length), ...(i === 0 ? [count] : []), '', ...p.lines].join('\n'),
    rows: p.rows,
    groups: p.groups,
  }));
}

/**
 * One page of the summary as a message part: its text, its page line when more follow, and its
 * table (no title: the text above it names the report; the number column fits its content).
 */
export function summaryPage(r: Report, pages: SummaryPage[], page: number): { text: string; table: TableView; page: number; more: boolean } {
  const i = Math.min(page, pages.length - 1);
  const more = i + 1 < pages.length;
  return {
    text: more ? `${pages[i].text}\n\n${vi.report.summaryMore(i + 1, pages.length)}` : pages[i].text,
    table: { columns: vi.report.summaryColumns, rows: pages[i].rows, widths: ['auto', 'stretch', 'stretch'], groups: pages[i].groups },
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

/** The keys of the answers (that apply) still copied unchanged from the previous period, in form order. */
export function copiedAnswers(r: Report): string[] {
  const copied = r.env.copied;
  if (!copied?.size) return [];
  const rel = relevantAnswers(r.form, r.answers);
  return r.form.sections.flatMap((s) => s.questions.filter((q) => copied.has(q.key) && q.key in rel).map((q) => q.key));
}

/** "1.2", "1.3": the numbers of those answers, as `sửa` takes them. */
export function copiedNumbers(r: Report): string[] {
  const keys = new Set(copiedAnswers(r));
  return r.form.sections.flatMap((s, i) => s.questions.filter((q) => keys.has(q.key)).map((q) => numberOf({ sectionIndex: i, number: questionNumber(s, q) })));
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

/**
 * What a person can do after the summary, as buttons that send the words they would type: submit
 * (or go on answering, or correct a figure that breaks a rule), then correct any section.
 */
export function reviewChoices(r: Report): ChoiceView[] {
  if (r.closed) return [];
  const broken = brokenRules(r.form, r.answers);
  const first: ChoiceView = nextQuestion(r.form, r.answers)
    ? { value: vi.report.continueWord, label: vi.report.continueLabel }
    : broken.length
      ? { value: vi.report.editWord(refNumber(broken[0].whole)), label: vi.report.editQuestionLabel(refNumber(broken[0].whole)) }
      : { value: vi.report.submitWord, label: vi.report.submitLabel };
  return [first, ...r.form.sections.map((_, i) => ({ value: vi.report.editWord(String(i + 1)), label: vi.report.editSectionLabel(i + 1) }))];
}

/**
 * A page of `xem lại`: the last one says what to do next, and offers it as buttons. `files`: the
 * files sent with the report (services/attachments.ts), listed on the last page after the answers.
 */
export function reviewPage(c: CommandContext, r: Report, page: number, before: string[] = [], st?: ReportFlowState | null, files: Attachment[] = []): OutMessage[] {
  const s = summaryPage(r, summaryPages(c, r), page);
  rememberPage(c, r, s, false, st);
  const text = [...before, ...(before.length ? [''] : []), s.text].join('\n');
  if (s.more) return [{ text, table: s.table, choices: [{ value: vi.report.moreWord, label: vi.report.moreLabel }] }];
  const sent = files.length ? [vi.attachment.sentTitle(files.length), ...files.map((a) => vi.attachment.sentLine(attachmentLabel(a), a.userName ?? a.userKey, time(c, a.at)))].join('\n') : '';
  const broken = brokenRules(r.form, r.answers);
  const next = r.closed
    ? r.closed
    : nextQuestion(r.form, r.answers)
      ? vi.report.afterReviewIncomplete
      : broken.length
        ? vi.report.afterReviewBroken(refNumber(broken[0].whole))
        : vi.report.afterReviewComplete;
  const choices = reviewChoices(r);
  return [{ text: `${text}${sent ? `\n\n${sent}` : ''}\n\n${next}`, table: s.table, ...(choices.length ? { choices } : {}) }];
}

/** `xem lại` (and `tiếp` through it): a page of the summary, with the files sent with the report on the last. */
export async function reviewPageWithFiles(c: CommandContext, r: Report, page: number): Promise<OutMessage[]> {
  return reviewPage(c, r, page, [], undefined, await attachmentsOf(c.app, r.unit.code, r.period.id));
}
