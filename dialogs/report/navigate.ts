/**
 * Moving around a report: `tiếp tục`, `xem lại`, `tiếp` (next summary page), `nhiệm vụ`, `hủy`.
 */
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import { deadlineWords } from '../../regime/periods.js';
import { completion, findTarget, nextQuestion, refOf } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { REPORT_FLOW, PICK_FLOW, type ReportFlowState } from './state.js';
import { loadReport, syncFormVersion, sectionList } from './load.js';
import { SummaryPagerSchema, SUMMARY_PAGER, SUMMARY_PAGER_MS, flowMark, reviewPageWithFiles } from './summary.js';
import { ask, confirmPrompt, promptNext, setFlow } from './prompts.js';
import { openReport } from './open.js';
import { startReport, currentTarget, currentReport } from './pick.js';

export async function cmdContinue(c: CommandContext): Promise<OutMessage[]> {
  if (c.flow?.id === PICK_FLOW) return startReport(c, '');
  const t = await currentTarget(c);
  if (Array.isArray(t)) return t;
  if (c.flow?.id !== REPORT_FLOW) return openReport(c, t);
  const r = await loadReport(c, t);
  if (Array.isArray(r)) return r;
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const st = c.flow.state as ReportFlowState;
  const notice = await syncFormVersion(c, r);
  const done = completion(r.form, r.answers);
  const res =
    st.mode === 'confirm'
      ? confirmPrompt(c, r, st, notice)
      : promptNext(c, r, { ...st, asking: undefined }, [...notice, vi.report.resumed(r.title, done.answered, done.total, deadlineWords(r.period))], { heading: true });
  setFlow(c, res);
  return res.messages;
}

export async function cmdReview(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  return reviewPageWithFiles(c, r, 0);
}

/** `tiếp`: the next page of the summary just shown; otherwise the same as `tiếp tục`. */
export async function cmdMore(c: CommandContext): Promise<OutMessage[]> {
  const stored = SummaryPagerSchema.safeParse(c.memory[SUMMARY_PAGER]);
  const p = stored.success ? stored.data : undefined;
  const live = p && p.flow === flowMark(c) && c.now.getTime() - p.at < SUMMARY_PAGER_MS;
  if (!p || !live || c.args.trim()) return cmdContinue(c);
  const r = await loadReport(c, p);
  if (Array.isArray(r)) return r;
  if (!p.confirm) return reviewPageWithFiles(c, r, p.page + 1);
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const res = confirmPrompt(c, r, c.flow?.state as ReportFlowState, [], p.page + 1);
  setFlow(c, res);
  return res.messages;
}

/** `nhiệm vụ [mục]`: the duty of the section being answered (or of the section named), then the pending question again. */
export async function cmdDuty(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  const st = c.flow?.id === REPORT_FLOW ? (c.flow.state as ReportFlowState) : undefined;
  const mine = st && st.unitCode === r.unit.code && st.periodId === r.period.id ? st : undefined;
  const asking = mine?.asking ? refOf(r.form, mine.asking) : undefined;
  const arg = c.args.trim();
  const target = arg ? findTarget(r.form, arg) : undefined;
  if (arg && !target) return [{ text: vi.report.dutyNotFound(arg, sectionList(r)) }];
  const si = target?.section ?? asking?.sectionIndex ?? nextQuestion(r.form, r.answers)?.sectionIndex ?? 0;
  const s = r.form.sections[si];
  const duty = vi.report.duty(vi.answer.sectionProgress(si + 1, r.form.sections.length), s.title, vi.answer.dutyText(s.text));
  if (mine && asking) return ask(c, r, mine, asking, [duty], { brief: true, heading: false, current: mine.mode === 'review' }).messages;
  if (mine?.mode === 'confirm')
    return [
      {
        text: `${duty}\n\n${vi.report.confirmAgain}`,
        choices: [
          { value: vi.report.yesWord, label: vi.report.yesLabel },
          { value: vi.report.noWord, label: vi.report.noLabel },
        ],
      },
    ];
  return [{ text: `${duty}\n\n${r.closed ?? vi.report.dutyFooter}` }];
}

export async function cmdCancel(c: CommandContext): Promise<OutMessage[]> {
  if (!c.flow) return [{ text: vi.report.nothingToCancel }];
  const wasReport = c.flow.id === REPORT_FLOW;
  c.endFlow();
  return [{ text: wasReport ? vi.report.paused : vi.report.cancelledOther }];
}
