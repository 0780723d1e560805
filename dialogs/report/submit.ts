/**
 * Submission (`nộp`, the confirmation's "có") and a coordinator's `mở lại`; the state changes go
 * through store/report-lifecycle.ts.
 */
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import { deadlineWords, isLate, localDate, makePeriod } from '../../regime/periods.js';
import { kindsForUnit } from '../../regime/regime.js';
import { submitReport } from '../../store/report-lifecycle.js';
import { reopenReport } from '../../services/review.js';
import { missingRequired, numberedLabel, relevantAnswers } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { formQuestions, sameAnswers } from '../../services/drafts.js';
import { forgetPrevious } from '../../services/previous.js';
import { copiedAnswers } from './summary.js';
import { REPORT_FLOW, type ReportFlowState, type Report } from './state.js';
import { time } from './load.js';
import { refuseBrokenRules, ask, confirmPrompt, setFlow } from './prompts.js';
import { currentReport } from './pick.js';
import { parseTargetArgs, unreadWords } from '../target-args.js';
import { principalWords, tellSubmitted } from '../../services/delegations.js';
import type { MemberDelegation } from '../../store/records.js';

/** Who a substitute's submission was made for, in words. */
async function onBehalfWords(c: CommandContext, d: MemberDelegation): Promise<string> {
  return principalWords((await c.app.store.delegations.get(d.id)) ?? { principal: d.principal });
}

export async function cmdSubmit(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const st = (c.flow?.id === REPORT_FLOW ? c.flow.state : { ...r.ids, mode: 'answer' }) as ReportFlowState;
  const sameReport = st.unitCode === r.unit.code && st.periodId === r.period.id;
  const missing = missingRequired(r.form, r.answers);
  if (missing.length) {
    const res = ask(c, r, { ...r.ids, mode: 'answer' }, missing[0], [vi.report.missingBeforeSubmit(missing.map(numberedLabel))]);
    setFlow(c, res);
    return res.messages;
  }
  const refusal = refuseBrokenRules(c, r, { ...r.ids, mode: 'answer' }, []);
  if (refusal) {
    setFlow(c, refusal);
    return refusal.messages;
  }
  if (sameReport && st.mode === 'confirm') return submit(c, r);
  const rel = relevantAnswers(r.form, r.answers);
  if (r.latest && sameAnswers(rel, r.latest.answers) && (r.state?.status === 'submitted' || r.state?.status === 'approved')) {
    return [{ text: vi.report.noChanges(r.latest.revision, time(c, r.latest.submittedAt)) }];
  }
  const res = confirmPrompt(c, r, { ...r.ids, mode: 'confirm' }, []);
  setFlow(c, res);
  return res.messages;
}

export async function submit(c: CommandContext, r: Report): Promise<OutMessage[]> {
  const now = c.now.getTime();
  const copied = copiedAnswers(r);
  // A substitute submits on behalf of the focal point they replace (services/delegations.ts).
  const delegation = c.actor.memberships.find((m) => m.unitCode === r.unit.code)?.delegation;
  const { submission, state } = await submitReport(c.app.store, {
    unitCode: r.unit.code,
    periodId: r.period.id,
    formVersion: r.form.version,
    // The questions' hashes: the next period offers again only the answers to questions unchanged since.
    formQuestions: formQuestions(r.form),
    ...(copied.length ? { copied } : {}),
    answers: relevantAnswers(r.form, r.answers),
    submittedAt: now,
    submittedBy: c.actor.userKey,
    channel: c.actor.event.channel,
    late: isLate(r.period, c.now),
    ...(delegation ? { onBehalfOf: delegation.principal, delegationId: delegation.id } : {}),
  });
  forgetPrevious(c.app.store, r.unit.code, r.period.id);
  c.endFlow();
  const timeliness = submission.revision === 1 ? (state.late ? 'late' : undefined) : submission.late ? (state.late ? 'stillLate' : 'stillOnTime') : undefined;
  const text = vi.report.submitted(r.title, submission.revision, time(c, now), timeliness, deadlineWords(r.period), localDate(r.period.locksAt));
  if (!delegation) return [{ text }];
  await tellSubmitted(c.app, { delegationId: delegation.id, title: r.title, revision: submission.revision, at: now });
  // A substitute reads, right under the confirmation's first line, for whom they submitted.
  const [head, ...rest] = text.split('\n');
  return [{ text: [head, vi.delegation.submittedOnBehalf(await onBehalfWords(c, delegation)), ...rest].join('\n') }];
}

export async function cmdReopen(c: CommandContext): Promise<OutMessage[]> {
  const a = parseTargetArgs(c.app.regime, c.args);
  if (!a.unit || !a.periodId || unreadWords(a).length) return [{ text: vi.report.reopenUsage }];
  const period = makePeriod(c.app.regime, a.periodId);
  if (!period || !kindsForUnit(c.app.regime, a.unit).some((k) => k.id === period.kind)) return [{ text: vi.report.noSuchReport(a.unit.name, a.periodId) }];
  const title = `${period.name} · ${a.unit.name}`;
  const r = await reopenReport(c.app, { unitCode: a.unit.code, periodId: period.id, by: { userKey: c.actor.userKey, channel: c.actor.event.channel }, now: c.now.getTime() });
  if (!r.ok) return [{ text: r.reason === 'already_reopened' ? vi.report.alreadyReopened(title) : vi.report.reopenChanged(title) }];
  return [{ text: vi.report.reopened(title, r.state.revision) }];
}
