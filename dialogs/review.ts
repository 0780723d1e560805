/**
 * Review of a submitted report by the coordinator: approve it, or ask for corrections on named
 * questions ("cần bổ sung"). The report state changes only if it is still the one read (a
 * conditional update, safe on both store backends), so a resubmission in between is never
 * overwritten. Nothing is deleted; every change goes to the audit log; the unit's focal points
 * are told through the outbox (purpose 'review'), and the report dialog takes them straight to
 * the questions named (ReportState.review.questions).
 */
import type { AppContext } from '../bot/context.js';
import type { OutMessage } from '../bot/message.js';
import { C } from '../reporting/consolidation-messages.js';
import type { ReportingPeriod } from '../reporting/periods.js';
import { findUnit, type FormDefinition } from '../reporting/regime.js';
import type { AuditEntry, Channel, ReportState, Submission } from '../store/records.js';
import { relevantSet } from './form-engine.js';

export interface Reviewer {
  userKey: string;
  channel: AuditEntry['channel'];
}

export type ReviewOutcome =
  | { ok: true; state: ReportState; notified: number }
  | { ok: false; reason: 'not_submitted' | 'already_approved' | 'reopened' | 'changed' };

type Store = Pick<AppContext, 'store' | 'regime'>;

const CHANNELS: readonly Channel[] = ['teams', 'zalo', 'console'];

/** Enqueues one message per active focal point of the unit; returns how many. */
async function notifyFocalPoints(app: Store, unitCode: string, idBase: string, msg: OutMessage, now: number): Promise<number> {
  const focal = await app.store.membersOfUnit(unitCode, 'focal');
  let n = 0;
  for (const m of focal) {
    const channel = m.userKey.slice(0, m.userKey.indexOf(':')) as Channel;
    if (!CHANNELS.includes(channel)) continue;
    await app.store.enqueue({
      _id: `${idBase}|${m.userKey}`,
      createdAt: now,
      channel,
      recipient: m.userKey,
      unitCode,
      message: msg as unknown as Record<string, unknown>,
      purpose: 'review',
    });
    n++;
  }
  return n;
}

async function currentState(app: Store, unitCode: string, periodId: string): Promise<ReportState | null> {
  return app.store.reportState(unitCode, periodId);
}

/**
 * One review step: moves the report state from the version just read to `status` (only if nobody
 * resubmitted or reviewed in between), writes the audit entry, and tells the unit's focal points.
 */
async function review(
  app: Store,
  a: { unitCode: string; period: ReportingPeriod; by: Reviewer; now: number },
  st: ReportState,
  status: 'approved' | 'needs_correction',
  record: { comment?: string; questions?: string[] },
  notice: (unitName: string) => OutMessage,
): Promise<ReviewOutcome> {
  const updated = await app.store.reportStates.updateOne(
    { _id: st._id, revision: st.revision, status: st.status },
    { status, review: { by: a.by.userKey, at: a.now, ...record }, updatedAt: a.now },
  );
  if (!updated) return { ok: false, reason: 'changed' };
  await app.store.writeAudit({
    at: a.now,
    actor: a.by.userKey,
    channel: a.by.channel,
    action: `review.${status}`,
    subject: `${a.unitCode}|${a.period.id}`,
    details: { revision: st.revision, previousStatus: st.status, ...record },
  });
  const unit = findUnit(app.regime, a.unitCode);
  const notified = await notifyFocalPoints(
    app,
    a.unitCode,
    `review|${a.unitCode}|${a.period.id}|r${st.revision}|${status}|${a.now}`,
    notice(unit?.name ?? a.unitCode),
    a.now,
  );
  return { ok: true, state: updated, notified };
}

export async function approveReport(
  app: Store,
  a: { unitCode: string; period: ReportingPeriod; by: Reviewer; comment?: string; now: number },
): Promise<ReviewOutcome> {
  const st = await currentState(app, a.unitCode, a.period.id);
  if (!st) return { ok: false, reason: 'not_submitted' };
  if (st.status === 'approved') return { ok: false, reason: 'already_approved' };
  if (st.status === 'reopened') return { ok: false, reason: 'reopened' };
  return review(app, a, st, 'approved', a.comment ? { comment: a.comment } : {}, (name) => ({
    text: C.notifyApproved(name, a.period.name, st.revision, a.comment),
  }));
}

export async function requestCorrection(
  app: Store,
  a: { unitCode: string; period: ReportingPeriod; by: Reviewer; questions: string[]; labels: string[]; comment: string; now: number },
): Promise<ReviewOutcome> {
  const st = await currentState(app, a.unitCode, a.period.id);
  if (!st) return { ok: false, reason: 'not_submitted' };
  if (st.status === 'reopened') return { ok: false, reason: 'reopened' };
  return review(app, a, st, 'needs_correction', { comment: a.comment, questions: a.questions }, (name) => ({
    text: C.notifyCorrection(name, a.period.name, a.labels, a.comment),
    choices: [{ value: C.notifyCorrectionChoice, label: 'Sửa báo cáo' }],
  }));
}

/**
 * Turns the reviewer's tokens (answer keys like `d4/si_participants`, or section ids like `d2`)
 * into answer keys of the form. A section stands for its questions that are relevant in the
 * submitted answers. Unknown tokens are returned so the reviewer can be told.
 */
export function resolveQuestions(form: FormDefinition, latest: Submission | null, tokens: string[]): { keys: string[]; labels: string[]; unknown: string[] } {
  const keys: string[] = [];
  const labels: string[] = [];
  const unknown: string[] = [];
  const answers = latest?.answers ?? {};
  const add = (key: string, label: string) => {
    if (keys.includes(key)) return;
    keys.push(key);
    labels.push(label);
  };
  for (const raw of tokens) {
    const t = raw.trim().toLowerCase();
    if (!t) continue;
    let found = false;
    form.sections.forEach((s, i) => {
      if (s.id.toLowerCase() === t) {
        const rel = relevantSet(s, answers);
        for (const q of s.questions) if (q.type !== 'note' && rel.has(q.key)) add(q.key, `${q.key} — ${q.label}`);
        found = true;
      } else
        for (const q of s.questions)
          if (q.type !== 'note' && q.key.toLowerCase() === t) {
            add(q.key, `${q.key} — ${q.label} (mục ${i + 1})`);
            found = true;
          }
    });
    if (!found) unknown.push(raw.trim());
  }
  return { keys, labels, unknown };
}
