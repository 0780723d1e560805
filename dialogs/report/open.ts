/**
 * Opening (or resuming) a report: checks, regime change, corrections asked by a reviewer, first
 * prompt.
 */
import { coordinatorUnit } from '../../regime/regime.js';
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import { deadlineWords, isLate, localDate } from '../../regime/periods.js';
import { completion, currentAnswers } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { seedFromSubmission, updateDraft } from '../../services/drafts.js';
import type { Target, ReportFlowState } from './state.js';
import { loadReport, syncFormVersion, remember, refLabel } from './load.js';
import { promptNext, setFlow } from './prompts.js';

/** Opens (or resumes) a report: checks, regime change, corrections asked by a reviewer, first prompt. */
export async function openReport(c: CommandContext, t: Target, intro: string[] = []): Promise<OutMessage[]> {
  const r = await loadReport(c, t);
  if (Array.isArray(r)) return r;
  remember(c, r.ids);
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const before = [...intro];
  let st: ReportFlowState = { ...r.ids, mode: 'answer' };
  if (r.state?.status === 'needs_correction') {
    if (!r.draft && r.latest) {
      r.draft = await updateDraft(c.app.store, { ...r.ids, form: r.form, now: c.now.getTime(), by: c.actor.userKey }, seedFromSubmission(r.form, r.latest));
      r.answers = currentAnswers(r.form, r.draft.answers);
    }
    const keys = new Set(r.state.review?.questions ?? []);
    const queue = r.form.sections.flatMap((s) => s.questions.filter((q) => keys.has(q.key)).map((q) => q.key));
    before.push(
      vi.report.needsCorrection(
        coordinatorUnit(c.app.regime),
        r.title,
        r.state.review?.comment,
        queue.map((k) => refLabel(r, k)),
      ),
    );
    st = { ...st, mode: queue.length ? 'review' : 'answer', queue };
  } else if (!r.draft && r.latest) {
    // A submitted report whose draft is gone (e.g. created elsewhere): continue from the submission.
    r.draft = await updateDraft(c.app.store, { ...r.ids, form: r.form, now: c.now.getTime(), by: c.actor.userKey }, seedFromSubmission(r.form, r.latest));
    r.answers = currentAnswers(r.form, r.draft.answers);
  }
  before.push(...(await syncFormVersion(c, r)));
  const chatOnly: string[] = [];
  if (!r.draft) {
    before.push(vi.report.started(r.title, deadlineWords(r.period), isLate(r.period, c.now)));
    chatOnly.push(vi.report.startedChatHint);
  } else if (r.state?.status === 'reopened') before.push(vi.report.reopenedNotice(coordinatorUnit(c.app.regime), r.title, localDate(r.period.locksAt)));
  else if (r.latest) before.push(vi.report.amending(r.title, r.latest.revision, localDate(r.period.locksAt)));
  else {
    const done = completion(r.form, r.answers);
    before.push(vi.report.resumed(r.title, done.answered, done.total, deadlineWords(r.period)));
  }
  const res = promptNext(c, r, st, before, { heading: true, chatOnly });
  setFlow(c, res);
  return res.messages;
}
