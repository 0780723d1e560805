/**
 * The report flow's input: each answer to the question last asked (text channels), and the
 * commands a text answer may carry.
 */
import { z } from 'zod';
import type { CommandContext, FlowResult } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import { fold } from '../../lib/text.js';
import { makePeriod } from '../../regime/periods.js';
import { buildForm } from '../../regime/regime.js';
import { displayValue, findTarget, missingRequired, nextQuestion, numberedLabel, refAt, refOf, relevantSet, validate } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { isKeep, isKeepPrevious, isNo, isYes } from '../../forms/parse.js';
import { TargetSchema, type ReportFlowState } from './state.js';
import { formChanged, loadReport, memberOf, save, syncFormVersion } from './load.js';
import { openReport } from './open.js';
import { refuseBrokenRules, ask, promptNext, withoutQueued } from './prompts.js';
import { currentTarget, startReport } from './pick.js';
import { parseTargetArgs, unreadWords } from '../target-args.js';
import { cmdDuty } from './navigate.js';
import { edit, namesAnItem } from './edit.js';
import { submit } from './submit.js';
import { holdUnusualFigure, answerHeldFigure } from './unusual.js';
import { reviewChoices } from './summary.js';
import { keepPrevious } from './previous.js';

/** The words after a command's name, e.g. "3.2" in "sửa 3.2" ("chỉnh sửa" has two words). */
function argsAfter(text: string, names: string[]): string | undefined {
  const f = fold(text);
  // The longest name followed by a space (the first of equal length), without a string made per name on every input.
  let name: string | undefined;
  for (const n of names) if ((name === undefined || n.length > name.length) && f.length > n.length && f.charCodeAt(n.length) === 32 && f.startsWith(n)) name = n;
  return name === undefined ? undefined : text.trim().split(/\s+/).slice(name.split(' ').length).join(' ');
}

/**
 * True while a text question is asked: its answer may begin with a command word ("Báo cáo kết
 * quả…", "Xem xét…"), so the router hands it here unless it is exactly a command's name. Any other
 * question (figures, dates, choices) and the confirmation let commands win (router/router.ts).
 */
export function asksFreeText(c: CommandContext, st: ReportFlowState): boolean {
  if (st.mode === 'confirm' || !st.asking) return false;
  const period = makePeriod(c.app.regime, st.periodId);
  const form = period ? buildForm(c.app.regime, st.unitCode, period.kind) : undefined;
  return form ? refAt(form, st.asking)?.question.type === 'text' : false;
}

/**
 * Input while a report is open. Commands reach it only as the answer to a text question (see
 * asksFreeText); there the flow still hands over (startFlow/endFlow) when the input is
 * "sửa <mục>" naming an item (an unknown one is refused with the list of sections) or
 * "báo cáo <đơn vị> <kỳ>" with an argument that makes sense; otherwise the input answers the
 * question last asked (a text answer may well begin with "báo cáo…" or "sửa chữa…").
 * "nhiệm vụ <số mục>" shows that section's duty and keeps the question.
 */
export async function onReportInput(c: CommandContext, st: ReportFlowState): Promise<FlowResult> {
  const text = c.args;
  const editArg = argsAfter(text, ['sua', 'chinh sua', 'edit']);
  if (editArg !== undefined) {
    const r0 = await loadReport(c, st);
    if (!Array.isArray(r0) && (findTarget(r0.form, editArg) || namesAnItem(editArg))) {
      if (r0.closed) {
        c.endFlow();
        return { messages: [{ text: r0.closed }], state: null };
      }
      // An edit that starts moves the flow itself; one refused (unknown or skipped item) leaves it as it was.
      return { messages: edit(c, r0, editArg), state: st };
    }
  }
  // "nhiệm vụ 3": another section's duty; the question asked stays the same.
  const dutyArg = argsAfter(text, ['nhiem vu', 'duty']);
  if (dutyArg !== undefined && /^\d+$/.test(dutyArg)) return { messages: await cmdDuty({ ...c, args: dutyArg }), state: st };
  const reportArg = argsAfter(text, ['bao cao', 'report']);
  if (reportArg !== undefined) {
    const a = parseTargetArgs(c.app.regime, reportArg);
    if ((a.unit || a.periodId) && !unreadWords(a).length) {
      c.endFlow();
      return { messages: await startReport(c, reportArg), state: null };
    }
  }

  const r = await loadReport(c, st);
  if (Array.isArray(r)) return { messages: r, state: null };
  if (r.closed) return { messages: [{ text: r.closed }], state: null };

  if (st.mode === 'confirm') {
    if (isYes(text)) {
      const missing = missingRequired(r.form, r.answers);
      if (missing.length) return ask(c, r, { ...st, mode: 'answer' }, missing[0], [vi.report.missingBeforeSubmit(missing.map(numberedLabel))]);
      const refusal = refuseBrokenRules(c, r, st, []);
      if (refusal) return refusal;
      return { messages: await submit(c, r), state: null };
    }
    if (isNo(text)) return { messages: [{ text: vi.report.notSubmittedYet, choices: reviewChoices(r) }], state: { ...st, mode: 'answer', asking: undefined } };
    return {
      messages: [
        {
          text: vi.report.confirmAgain,
          choices: [
            { value: vi.report.yesWord, label: vi.report.yesLabel },
            { value: vi.report.noWord, label: vi.report.noLabel },
          ],
        },
      ],
      state: st,
    };
  }

  // The regime may have changed since the last prompt: say so (answers are kept per question).
  // (An async call only when the draft's form version differs: not on every answer.)
  const notice = formChanged(r) ? await syncFormVersion(c, r) : [];
  const ref = st.asking ? refOf(r.form, st.asking) : undefined;
  if (!ref || !relevantSet(ref.section, r.answers).has(ref.question.key)) {
    if (!notice.length && !st.asking && st.mode === 'answer' && !nextQuestion(r.form, r.answers)) return { messages: [{ text: vi.report.nothingAsked }], state: st };
    return promptNext(c, r, { ...st, asking: undefined }, notice, { heading: true });
  }
  const q = ref.question;
  const dequeue = (x: ReportFlowState): ReportFlowState => withoutQueued(x, q.key);
  if (isKeepPrevious(text)) return keepPrevious(c, r, st, ref, notice);
  const held = await answerHeldFigure(c, r, st, ref, notice);
  if (held) return held;
  if (st.mode === 'review' && isKeep(text) && q.key in r.answers) return promptNext(c, r, dequeue(st), [...notice, vi.report.kept(q.label, displayValue(c.app.regime, q, r.answers[q.key]))]);
  const v = validate(r.env, ref.section, q, text, r.answers);
  if (!v.ok) return ask(c, r, st, ref, [...notice, vi.report.invalid(v.error)], { current: st.mode === 'review', brief: true });
  const unusual = holdUnusualFigure(c, r, st, ref, v.value, notice);
  if (unusual) return unusual;
  await save(c, r, { [q.key]: v.value });
  return promptNext(c, r, dequeue(st), [...notice, vi.report.accepted(q.label, displayValue(c.app.regime, q, v.value))]);
}

/**
 * The report flow after its stored state was found stale (a deploy changed its shape): the same
 * report opened again from its draft (kept in the store) when the stale state still names it,
 * else the report `tiếp tục` would take (the last one worked on, the only one open, or the
 * choice). The input that arrived is not taken as an answer: which question it answered is no
 * longer known.
 */
export async function restartReport(c: CommandContext, stale: unknown): Promise<OutMessage[]> {
  // The unit and period only, whatever else the stale state held.
  const named = z.object(TargetSchema.shape).safeParse(stale);
  const t = named.success && memberOf(c, named.data.unitCode) ? named.data : await currentTarget(c);
  if (Array.isArray(t)) return t;
  return openReport(c, t);
}
