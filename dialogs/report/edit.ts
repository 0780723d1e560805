/**
 * Editing (`sửa`): going back over a question or a section, then returning to where the person was
 * (`returnTo`).
 */
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import { fold } from '../../lib/text.js';
import { findTarget, relevantSet } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { REPORT_FLOW, type ReportFlowState, type Report } from './state.js';
import { refLabel, sectionList } from './load.js';
import { promptNext, setFlow } from './prompts.js';
import { currentReport } from './pick.js';

export async function cmdEdit(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  if (r.closed) return [{ text: r.closed }];
  return edit(c, r, c.args);
}

export function edit(c: CommandContext, r: Report, arg: string): OutMessage[] {
  if (!arg.trim()) return [{ text: vi.report.editHow(sectionList(r)) }];
  const target = findTarget(r.form, arg);
  if (!target) return [{ text: vi.report.editNotFound(arg, sectionList(r)) }];
  const s = r.form.sections[target.section];
  const rel = relevantSet(s, r.answers);
  const queue = target.key ? [target.key] : s.questions.filter((q) => q.type !== 'note' && rel.has(q.key)).map((q) => q.key);
  if (target.key && !rel.has(target.key)) return [{ text: vi.report.editNotRelevant(refLabel(r, target.key)) }];
  // One question: no section heading (the duty is for going over a section, or `nhiệm vụ`).
  const res = promptNext(
    c,
    r,
    editState(c, r, queue),
    [target.key ? vi.report.editQuestion(refLabel(r, target.key)) : vi.report.editSection(target.section + 1, s.title)],
    target.key ? { heading: false } : { chatOnly: [vi.report.editSectionChatHint] },
  );
  setFlow(c, res);
  return res.messages;
}

/**
 * An edit goes over `keys`, then returns to where the person was: the rest of the questions they
 * were going over (a section edit, a reviewer's list) or the question they were on; else the
 * confirmation, or the summary they had declined to submit, they came from. Outside the report's
 * flow (e.g. after submitting) it carries on: unanswered questions, then the confirmation.
 */
function editState(c: CommandContext, r: Report, keys: string[]): ReportFlowState {
  const prev = c.flow?.id === REPORT_FLOW ? (c.flow.state as ReportFlowState) : undefined;
  const here = prev && prev.unitCode === r.unit.code && prev.periodId === r.period.id ? prev : undefined;
  const after = here?.mode === 'review' ? (here.queue ?? []) : here?.mode === 'answer' && here.asking ? [here.asking] : [];
  const returnTo = here?.mode === 'confirm' ? 'confirm' : here?.mode === 'answer' && !here.asking ? 'summary' : here?.returnTo;
  return { ...r.ids, mode: 'review', queue: [...keys, ...after.filter((k) => !keys.includes(k))], returnTo };
}

/** "9", "2.99", "mục 3", "câu 2.1": what names an item of the report (found or not), not prose. */
export function namesAnItem(arg: string): boolean {
  return /^(?:(?:muc|phan|cau)\s*)?\d+(?:\s*[.,/]\s*(?:cau\s*)?\d+)?$/.test(fold(arg));
}
