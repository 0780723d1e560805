/**
 * Asking: the next question, the confirmation, and the refusal to submit answers that break a
 * cross-field rule.
 */
import type { CommandContext, FlowResult } from '../../core/commands.js';
import { deadlineWords, isLate, localDate } from '../../regime/periods.js';
import { lateIfSubmitted } from '../../store/report-lifecycle.js';
import { brokenRules, nextQuestion, questionPrompt, refAt, refOf, relevantAnswers, relevantSet, ruleKeys, ruleLine, type QuestionRef } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { sameAnswers } from '../../services/drafts.js';
import { REPORT_FLOW, type ReportFlowState, type Report } from './state.js';
import { time } from './load.js';
import { summaryPages, summaryPage, rememberPage, reviewPage, copiedNumbers } from './summary.js';

/**
 * Nothing inconsistent is submitted: when the answers break a cross-field rule, says which (both
 * questions by number, both values) and asks those questions again, instead of offering to submit.
 */
export function refuseBrokenRules(c: CommandContext, r: Report, st: ReportFlowState, before: string[]): FlowResult | undefined {
  const broken = brokenRules(r.form, r.answers);
  if (!broken.length) return undefined;
  const keys = new Set(broken.flatMap(ruleKeys));
  const queue = r.form.sections.flatMap((s) => s.questions.filter((q) => keys.has(q.key)).map((q) => q.key));
  return promptNext(c, r, { ...st, mode: 'review', queue, asking: undefined }, [...before, vi.report.rulesBeforeSubmit(broken.map((b) => ruleLine(c.app.regime, b)))]);
}

interface AskOptions {
  /** Going back over an answer: show it and offer to keep it. */
  current?: boolean;
  /** Show the report's title and the section's duty text (default: when entering a section). */
  heading?: boolean;
  /** After a refused answer: the question's number and label only (see questionPrompt). */
  brief?: boolean;
  /** Lines after `before` for a chat only (see questionPrompt `chatOnly`). */
  chatOnly?: string[];
}

export function ask(c: CommandContext, r: Report, st: ReportFlowState, ref: QuestionRef, before: string[], opts: AskOptions = {}): FlowResult {
  const prev = st.asking ? refAt(r.form, st.asking) : undefined;
  const heading = opts.heading ?? (!prev || prev.sectionIndex !== ref.sectionIndex);
  const msg = questionPrompt(r.env, r.ids, ref, r.answers, {
    before,
    heading,
    // The report's name, unless the lines before have just said it ("Bắt đầu Báo cáo…").
    context: heading && !before.some((b) => b.includes(r.title)) ? r.title : undefined,
    current: opts.current && ref.question.key in r.answers ? r.answers[ref.question.key] : undefined,
    brief: opts.brief,
    chatOnly: opts.chatOnly,
  });
  return { messages: [msg], state: { ...st, asking: ref.question.key, pending: undefined } };
}

export function confirmPrompt(c: CommandContext, r: Report, st: ReportFlowState, before: string[], page = 0): FlowResult {
  const s = summaryPage(r, summaryPages(c, r), page);
  const late = lateIfSubmitted(r.state, isLate(r.period, c.now));
  // Answers still copied from the previous period are named right above the question to submit.
  const copied = copiedNumbers(r);
  const text = [
    ...before,
    ...(before.length ? [''] : []),
    s.text,
    '',
    ...(copied.length ? [vi.report.copiedBeforeSubmit(copied)] : []),
    late ? vi.report.confirmLate(deadlineWords(r.period)) : vi.report.confirm,
  ].join('\n');
  const next: FlowResult['state'] = { ...st, mode: 'confirm', asking: undefined, queue: undefined, returnTo: undefined, pending: undefined };
  rememberPage(c, r, s, true, next as ReportFlowState);
  const choices = [
    ...(s.more ? [{ value: vi.report.moreWord, label: vi.report.moreLabel }] : []),
    { value: vi.report.yesWord, label: vi.report.yesLabel },
    { value: vi.report.noWord, label: vi.report.noLabel },
  ];
  return { messages: [{ text, table: s.table, choices }], state: next };
}

/**
 * Asks whatever comes next for this state; when nothing is left, shows the summary and asks to
 * submit — or, after an edit that started at a summary the person had not confirmed, shows that
 * summary again without asking (see `returnTo`).
 */
export function promptNext(c: CommandContext, r: Report, st: ReportFlowState, before: string[], opts: Pick<AskOptions, 'heading' | 'chatOnly'> = {}): FlowResult {
  if (st.mode === 'review') {
    const queue = [...(st.queue ?? [])];
    while (queue.length) {
      const ref = refOf(r.form, queue[0]);
      if (ref && ref.question.type !== 'note' && relevantSet(ref.section, r.answers).has(ref.question.key)) return ask(c, r, { ...st, queue }, ref, before, { ...opts, current: true });
      queue.shift();
    }
    st = { ...st, mode: 'answer', queue: undefined };
  }
  const ref = nextQuestion(r.form, r.answers);
  if (ref) return ask(c, r, { ...st, mode: 'answer' }, ref, before, opts);
  const idle: ReportFlowState = { ...st, mode: 'answer', asking: undefined, queue: undefined, returnTo: undefined };
  if (st.returnTo === 'summary') return { messages: reviewPage(c, r, 0, before, idle), state: idle };
  const refusal = refuseBrokenRules(c, r, st, before);
  if (refusal) return refusal;
  const rel = relevantAnswers(r.form, r.answers);
  if (r.latest && sameAnswers(rel, r.latest.answers) && r.state?.status !== 'needs_correction' && r.state?.status !== 'reopened') {
    const text = [...before, ...(before.length ? [''] : []), vi.report.alreadySubmitted(r.title, r.latest.revision, time(c, r.latest.submittedAt), localDate(r.period.locksAt))].join('\n');
    return { messages: [{ text }], state: idle };
  }
  return confirmPrompt(c, r, st, st.returnTo ? before : [...before, vi.report.allAnswered]);
}

export function setFlow(c: CommandContext, res: FlowResult): void {
  if (res.state) void c.startFlow(REPORT_FLOW, res.state);
  else c.endFlow();
}

export function withoutQueued(st: ReportFlowState, key: string): ReportFlowState {
  return st.mode === 'review' ? { ...st, queue: (st.queue ?? []).filter((k) => k !== key) } : st;
}
