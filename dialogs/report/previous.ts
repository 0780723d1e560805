/**
 * Last period's answers as a start (issue 18): `giữ như kỳ trước` answers the question asked with
 * the previous period's answer, `như kỳ trước` (a form's "Điền như kỳ trước") fills the section's
 * unanswered questions with them. Only questions unchanged since are offered (Report.env.previous).
 * What is copied is stored marked (AnswerRecord.copiedFrom), shown marked in the summary and listed
 * before submitting (prompts.ts confirmPrompt), until it is typed again.
 */
import type { CommandContext, FlowResult } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import type { AnswerValue } from '../../store/records.js';
import { copyableKeys, displayValue, inputValue, nextQuestion, numberOf, questionNumber, refOf, validate, type Answers, type QuestionRef } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { REPORT_FLOW, type ReportFlowState, type Report } from './state.js';
import { save, syncFormVersion } from './load.js';
import { ask, promptNext, setFlow, withoutQueued } from './prompts.js';
import { currentReport } from './pick.js';

/** A previous answer still valid as an answer now (a date outside this period's window is not). */
function stillValid(r: Report, ref: QuestionRef, v: AnswerValue, answers: Answers): boolean {
  const raw = inputValue(ref.question, v);
  if (raw === undefined) return false;
  const checked = validate(r.env, ref.section, ref.question, raw, answers);
  return checked.ok && JSON.stringify(checked.value) === JSON.stringify(v);
}

/** `giữ như kỳ trước` for the question asked: stored marked, then the next question. */
export async function keepPrevious(c: CommandContext, r: Report, st: ReportFlowState, ref: QuestionRef, notice: string[]): Promise<FlowResult> {
  const q = ref.question;
  const v = r.env.previous?.[q.key];
  if (v === undefined || v === null || !stillValid(r, ref, v, r.answers)) return ask(c, r, st, ref, [...notice, vi.report.noPrevious], { current: st.mode === 'review', brief: true });
  await save(c, r, { [q.key]: v }, r.previous?.periodId);
  return promptNext(c, r, withoutQueued(st, q.key), [...notice, vi.report.keptPrevious(q.label, displayValue(c.app.regime, q, v))]);
}

/** Longest shown value in the list of what `như kỳ trước` filled (a long text answer is cut). */
const SHOWN_CHARS = 80;

/**
 * `như kỳ trước`: the unanswered questions of the section being answered (that apply, also those
 * that come to apply through the copied answers) filled with the previous period's answers, stored
 * marked; the list of what was filled, then the next question.
 */
export async function copySection(c: CommandContext, r: Report, st: ReportFlowState, notice: string[]): Promise<FlowResult> {
  const at = (st.asking ? refOf(r.form, st.asking) : undefined) ?? nextQuestion(r.form, r.answers);
  if (!at) return { messages: [{ text: [...notice, vi.report.nothingAsked].join('\n') }], state: st };
  const working: Answers = { ...r.answers };
  const values: Record<string, AnswerValue> = {};
  const refused = new Set<string>();
  for (;;) {
    const keys = copyableKeys(r.env, at.sectionIndex, working).filter((k) => !refused.has(k));
    if (!keys.length) break;
    for (const k of keys) {
      const ref = refOf(r.form, k) as QuestionRef;
      const v = r.env.previous?.[k] as AnswerValue;
      if (stillValid(r, ref, v, working)) working[k] = values[k] = v;
      else refused.add(k);
    }
  }
  const keys = Object.keys(values);
  if (!keys.length) return ask(c, r, st, at, [...notice, vi.report.nothingToCopy(at.sectionIndex + 1)], { current: st.mode === 'review', brief: true });
  await save(c, r, values, r.previous?.periodId);
  const lines = at.section.questions
    .filter((q) => q.key in values)
    .map((q) => {
      const shown = displayValue(c.app.regime, q, values[q.key]);
      return `  ${numberOf({ sectionIndex: at.sectionIndex, number: questionNumber(at.section, q) })} ${q.label}: ${shown.length > SHOWN_CHARS ? `${shown.slice(0, SHOWN_CHARS - 1)}…` : shown}`;
    });
  const rest = st.mode === 'review' ? { ...st, queue: (st.queue ?? []).filter((k) => !(k in values)) } : st;
  // `asking` kept: the next question in the same section comes without the section's heading again.
  return promptNext(c, r, rest, [...notice, vi.report.sectionCopied(at.sectionIndex + 1, at.section.title, lines)]);
}

/**
 * The command `như kỳ trước` (a Teams card's "Điền như kỳ trước"): in the report being answered,
 * or else the one `tiếp tục` would take (the last one worked on, the only one open, or the menu),
 * fills the section of the question asked (or of the next one to answer).
 */
export async function cmdCopyPrevious(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const here = c.flow?.id === REPORT_FLOW ? (c.flow.state as ReportFlowState) : undefined;
  const st: ReportFlowState = here && here.unitCode === r.unit.code && here.periodId === r.period.id && here.mode !== 'confirm' ? here : { ...r.ids, mode: 'answer' };
  const res = await copySection(c, r, st, await syncFormVersion(c, r));
  setFlow(c, res);
  return res.messages;
}
