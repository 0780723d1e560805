/**
 * The coordinator's actions on a unit's report, for every way in (chat: dialogs/review.ts and the
 * report dialog's `mở lại`; the web console: web/): approve it, send it back for corrections on
 * chosen questions, reopen it. The report's state moves only through store/report-lifecycle.ts
 * (conditional on the state the coordinator acted on, so a resubmission or another coordinator in
 * between is never overwritten; the audit entry, with the person and the channel, is written
 * there). Here also: the focal points' notices through the outbox (purpose 'review'); the report
 * dialog then takes them straight to the questions named (ReportState.review.questions).
 */
import { channelOf } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import type { OutMessage } from '../core/message.js';
import { vi } from '../i18n/vi.js';
import type { ReportingPeriod } from '../regime/periods.js';
import { coordinatorUnit, findUnit } from '../regime/regime.js';
import { currentMember, type AuditEntry, type ReportState } from '../store/records.js';
import { act, type Outcome, type Refusal } from '../store/report-lifecycle.js';

export interface Reviewer {
  userKey: string;
  channel: AuditEntry['channel'];
}

export type ReviewOutcome = { ok: true; state: ReportState; notified: number } | { ok: false; reason: Refusal | 'changed'; current: ReportState | null };

type Store = Pick<AppContext, 'store' | 'regime' | 'channels'>;

/** Enqueues one message per active focal point of the unit (on a registered channel); returns how many. */
async function notifyFocalPoints(app: Store, unitCode: string, key: string, msg: OutMessage, now: number): Promise<number> {
  const recipients = (await app.store.membersOfUnit(unitCode, 'focal'))
    .filter((m) => currentMember(m, now))
    .flatMap((m) => {
      const channel = channelOf(app, m.userKey);
      return channel ? [{ userKey: m.userKey, channel, unitCode }] : [];
    });
  await app.store.enqueueEach(recipients, { key, createdAt: now, message: msg, purpose: 'review' });
  return recipients.length;
}

/** The lifecycle's outcome, and when applied the focal points told. */
async function settle(app: Store, a: { unitCode: string; period: ReportingPeriod; now: number }, r: Outcome, notice: (unitName: string, state: ReportState) => OutMessage): Promise<ReviewOutcome> {
  if (!r.ok) return r;
  const unit = findUnit(app.regime, a.unitCode);
  const key = `review|${a.unitCode}|${a.period.id}|r${r.state.revision}|${r.state.status}|${a.now}`;
  const notified = await notifyFocalPoints(app, a.unitCode, key, notice(unit?.name ?? a.unitCode, r.state), a.now);
  return { ok: true, state: r.state, notified };
}

/** What a review acts on: `seen`, the state the coordinator's command read (default: read now); `revision`, the one they read with `xem`. */
interface Basis {
  seen?: ReportState | null;
  revision?: number;
}

/** Approves the current revision, only if the state is still the one acted on (see Basis). */
export async function approveReport(app: Store, a: { unitCode: string; period: ReportingPeriod; by: Reviewer; comment?: string; now: number } & Basis): Promise<ReviewOutcome> {
  const r = await act(app.store, { unitCode: a.unitCode, periodId: a.period.id }, { type: 'approve', by: a.by.userKey, at: a.now, comment: a.comment }, a.by, { seen: a.seen, revision: a.revision });
  return settle(app, a, r, (name, st) => ({ text: vi.review.notifyApproved(coordinatorUnit(app.regime), name, a.period.name, st.revision, a.comment) }));
}

/** Sends the current revision back for corrections on `questions` (answer keys); `labels` are what the focal point is told. */
export async function requestCorrection(
  app: Store,
  a: { unitCode: string; period: ReportingPeriod; by: Reviewer; questions: string[]; labels: string[]; comment: string; now: number } & Basis,
): Promise<ReviewOutcome> {
  const r = await act(app.store, { unitCode: a.unitCode, periodId: a.period.id }, { type: 'request_correction', by: a.by.userKey, at: a.now, comment: a.comment, questions: a.questions }, a.by, {
    seen: a.seen,
    revision: a.revision,
  });
  return settle(app, a, r, (name, st) => ({
    text: vi.review.notifyCorrection(coordinatorUnit(app.regime), name, a.period.name, st.revision, a.labels, a.comment),
    choices: [{ value: vi.review.notifyCorrectionChoice, label: vi.review.notifyCorrectionLabel }],
  }));
}

/** Reopens the report for amendment after the lock (the report dialog's `mở lại`, the web console). */
export async function reopenReport(app: Pick<AppContext, 'store'>, a: { unitCode: string; periodId: string; by: Reviewer; now: number; seen?: ReportState | null }): Promise<Outcome> {
  return act(app.store, { unitCode: a.unitCode, periodId: a.periodId }, { type: 'reopen', by: a.by.userKey, at: a.now }, a.by, a.seen !== undefined ? { seen: a.seen } : {});
}
