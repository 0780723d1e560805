/**
 * The life of a unit's report for a period (ReportState), in one place. Nothing else writes a
 * report state.
 *
 *   submit       (none) | any state         → submitted          a new revision (1, 2, …)
 *   correction   submitted | needs_correction | approved → needs_correction   (`cần bổ sung`)
 *   approve      submitted                   → approved           names the revision approved
 *   reopen       (none) | any but reopened   → reopened           (`mở lại`, after the lock)
 *   lock         answers are accepted from the period's opening until it locks, except while a
 *                report is reopened or sent back; a reopened report locks again once resubmitted
 *                (it is `submitted` again).
 *
 * Whether a report is late is decided once, by its first submission: a report first submitted by
 * the deadline stays on time when it is amended, corrected or resubmitted after a reopening, and
 * one first submitted after the deadline stays late (`lateIfSubmitted`).
 *
 * The rules (`decide`, `closedFor`, `lateIfSubmitted`) are pure. Writes are conditional: a state
 * is written only over the very version it was decided from (`insert` when there is none,
 * `replaceIfVersion` otherwise), which is atomic on SQLite and on MongoDB/FerretDB (write
 * tickets, store/mongo-store.ts). So two people acting at the same moment never overwrite each
 * other:
 *  - a coordinator's action is decided on the state they acted on; if it moved meanwhile (another
 *    coordinator, a resubmission), the action is refused as `changed` with the current state;
 *  - a submission is always recorded (its revision number is a unique key) and its state write
 *    is retried on the newest state, so it is never lost and never lowers the revision.
 * Every applied transition leaves one audit entry.
 */
import type { AuditEntry, ReportReview, ReportState, Submission } from './records.js';
import type { Repositories } from './repositories.js';

export interface ReportIds {
  unitCode: string;
  periodId: string;
}

/** Who acts, for the audit log. */
export interface LifecycleActor {
  userKey: string;
  channel: AuditEntry['channel'];
}

export type ReportAction =
  /** `first`: the report's first submission, when the state does not know it yet (its own state write is late). */
  | { type: 'submit'; submission: Omit<Submission, '_id'>; first?: Pick<Submission, 'submittedAt' | 'late'> }
  | { type: 'request_correction'; by: string; at: number; comment: string; questions: string[] }
  | { type: 'approve'; by: string; at: number; comment?: string }
  | { type: 'reopen'; by: string; at: number };

/** Why a transition is not allowed from the current state. */
export type Refusal =
  /** Nothing submitted yet (approve, correction). */
  | 'not_submitted'
  /** This revision is approved already (approve). */
  | 'already_approved'
  /** Sent back for corrections and not resubmitted since (approve). */
  | 'awaiting_resubmission'
  /** Reopened and not resubmitted since (approve, correction). */
  | 'reopened'
  /** Reopened already (reopen). */
  | 'already_reopened'
  /** A later revision's state is recorded already (submit: nothing to write). */
  | 'superseded';

export type Decision = { ok: true; next: ReportState } | { ok: false; reason: Refusal };

export type Outcome =
  | { ok: true; state: ReportState; previous: ReportState | null }
  /** `changed`: the state moved after the actor read it; `current` is what it is now. */
  | { ok: false; reason: Refusal | 'changed'; current: ReportState | null };

export const stateId = (ids: ReportIds): string => `${ids.unitCode}|${ids.periodId}`;
/** A submission's id: one per unit, period and revision. */
export const submissionId = (ids: ReportIds, revision: number): string => `${stateId(ids)}|${String(revision).padStart(4, '0')}`;

/**
 * The state records a submitted revision. Every submission moves the state (appendRevision), so
 * without it there is no submission to read, except for the moment a submission's state write is
 * on its way (or was cut by a crash: the next submission's number still comes from the submissions).
 */
export const submitted = (s: ReportState | null): s is ReportState => s !== null && s.revision > 0;

// ---------------------------------------------------------------------------------------------
// Pure rules

/** Whether the report counts as late if submitted now: its first submission decides. */
export function lateIfSubmitted(state: ReportState | null, lateNow: boolean): boolean {
  return submitted(state) ? state.late : lateNow;
}

/** Why answers cannot be changed now (before the opening, after the lock), or null when they can. */
export function closedFor(state: ReportState | null, window: { opensAt: number; locksAt: number }, now: number): 'not_open' | 'locked' | null {
  if (state && (state.status === 'reopened' || state.status === 'needs_correction')) return null;
  if (now < window.opensAt) return 'not_open';
  if (now >= window.locksAt) return 'locked';
  return null;
}

/** The state after `action`, or why it is not allowed. */
export function decide(prev: ReportState | null, ids: ReportIds, action: ReportAction): Decision {
  const _id = stateId(ids);
  switch (action.type) {
    case 'submit': {
      const s = action.submission;
      if (prev && prev.revision >= s.revision) return { ok: false, reason: 'superseded' };
      const before = submitted(prev);
      const first = before ? { submittedAt: prev.firstSubmittedAt, late: prev.late } : (action.first ?? s);
      const answered = prev?.review && (prev.status === 'approved' || prev.status === 'needs_correction') ? { ...prev.review, status: prev.status } : undefined;
      return {
        ok: true,
        next: {
          _id,
          unitCode: ids.unitCode,
          periodId: ids.periodId,
          status: 'submitted',
          revision: s.revision,
          firstSubmittedAt: first.submittedAt,
          lastSubmittedAt: s.submittedAt,
          late: lateIfSubmitted(prev, first.late),
          ...(answered ? { previousReview: answered } : {}),
          updatedAt: s.submittedAt,
        },
      };
    }
    case 'request_correction': {
      if (!submitted(prev)) return { ok: false, reason: 'not_submitted' };
      if (prev.status === 'reopened') return { ok: false, reason: 'reopened' };
      const review: ReportReview = { by: action.by, at: action.at, comment: action.comment, questions: action.questions, revision: prev.revision };
      return { ok: true, next: { ...withoutVersion(prev), status: 'needs_correction', review, updatedAt: action.at } };
    }
    case 'approve': {
      if (!submitted(prev)) return { ok: false, reason: 'not_submitted' };
      if (prev.status === 'approved') return { ok: false, reason: 'already_approved' };
      if (prev.status === 'needs_correction') return { ok: false, reason: 'awaiting_resubmission' };
      if (prev.status === 'reopened') return { ok: false, reason: 'reopened' };
      const review: ReportReview = { by: action.by, at: action.at, ...(action.comment ? { comment: action.comment } : {}), revision: prev.revision };
      return { ok: true, next: { ...withoutVersion(prev), status: 'approved', review, updatedAt: action.at } };
    }
    case 'reopen': {
      if (prev?.status === 'reopened') return { ok: false, reason: 'already_reopened' };
      if (prev) return { ok: true, next: { ...withoutVersion(prev), status: 'reopened', updatedAt: action.at } };
      return {
        ok: true,
        next: { _id, unitCode: ids.unitCode, periodId: ids.periodId, status: 'reopened', revision: 0, firstSubmittedAt: 0, lastSubmittedAt: 0, late: false, updatedAt: action.at },
      };
    }
  }
}

function withoutVersion(s: ReportState): ReportState {
  const { _v, ...rest } = s;
  void _v;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Conditional writes

type Store = Pick<Repositories, 'reportStates' | 'submissions' | 'writeAudit' | 'reportState' | 'latestSubmission'>;

/** Writes `next` only over `prev` as read (or only if there is still no state); null if it moved. */
async function writeOver(store: Store, prev: ReportState | null, next: ReportState): Promise<ReportState | null> {
  if (!prev) return (await store.reportStates.insert(next)) ? { ...next, _v: 1 } : null;
  return store.reportStates.replaceIfVersion({ ...next, _v: prev._v }, prev._v ?? 0);
}

function auditOf(action: ReportAction, prev: ReportState | null, state: ReportState): { action: string; details: Record<string, unknown> } {
  const previousStatus = prev?.status ?? null;
  switch (action.type) {
    case 'submit': {
      const s = action.submission;
      // copied: answers submitted as the previous period's, confirmed as such (issue 18); a substitute's submission names whom for.
      return {
        action: s.revision === 1 ? 'report.submitted' : 'report.amended',
        details: {
          revision: s.revision,
          late: s.late,
          reportLate: state.late,
          formVersion: s.formVersion,
          previousStatus,
          ...(s.copied?.length ? { copied: s.copied } : {}),
          ...(s.delegationId ? { onBehalfOf: s.onBehalfOf ?? null, delegationId: s.delegationId } : {}),
        },
      };
    }
    case 'request_correction':
      return { action: 'review.needs_correction', details: { revision: state.revision, previousStatus, comment: action.comment, questions: action.questions } };
    case 'approve':
      return { action: 'review.approved', details: { revision: state.revision, previousStatus, ...(action.comment ? { comment: action.comment } : {}) } };
    case 'reopen':
      return { action: 'report.reopened', details: { previousStatus, revision: prev?.revision ?? 0 } };
  }
}

async function audit(store: Store, ids: ReportIds, who: LifecycleActor, at: number, action: ReportAction, prev: ReportState | null, state: ReportState): Promise<void> {
  const a = auditOf(action, prev, state);
  await store.writeAudit({ at, actor: who.userKey, channel: who.channel, action: a.action, subject: stateId(ids), details: a.details });
}

/**
 * A coordinator's action (approve, cần bổ sung, reopen), decided on the state they acted on:
 * `seen` when given (what they were shown), else the state read now; with `revision`, only if
 * that is still the revision they looked at. Written only if the state has not moved since.
 */
export async function act(
  store: Store,
  ids: ReportIds,
  action: Exclude<ReportAction, { type: 'submit' }>,
  who: LifecycleActor,
  opts: { seen?: ReportState | null; revision?: number } = {},
): Promise<Outcome> {
  const prev = opts.seen !== undefined ? opts.seen : await store.reportState(ids.unitCode, ids.periodId);
  if (opts.revision !== undefined && prev && prev.revision !== opts.revision) return { ok: false, reason: 'changed', current: prev };
  const d = decide(prev, ids, action);
  if (!d.ok) return { ok: false, reason: d.reason, current: prev };
  const state = await writeOver(store, prev, d.next);
  if (!state) return { ok: false, reason: 'changed', current: await movedOn(store, ids, prev) };
  await audit(store, ids, who, action.at, action, prev, state);
  return { ok: true, state, previous: prev };
}

/**
 * The state that won over `prev`. On MongoDB the winner holds the version's ticket a moment before
 * its write lands: wait for it (briefly) so that the loser is told what actually happened.
 */
async function movedOn(store: Store, ids: ReportIds, prev: ReportState | null): Promise<ReportState | null> {
  let cur = await store.reportStates.get(stateId(ids));
  for (let i = 0; i < 40 && (cur?._v ?? 0) === (prev?._v ?? 0); i++) {
    await new Promise((r) => setTimeout(r, 25));
    cur = await store.reportStates.get(stateId(ids));
  }
  return cur;
}

/** How often a submission's state write is retried on a newer state before giving up. */
const SUBMIT_ATTEMPTS = 100;

/**
 * Records revision `s.revision` (null if that revision exists: a concurrent submission took the
 * number), then moves the report's state to it and audits the submission.
 */
export async function appendRevision(store: Store, s: Omit<Submission, '_id'>, who?: LifecycleActor): Promise<{ submission: Submission; state: ReportState; previous: ReportState | null } | null> {
  const doc: Submission = { ...s, _id: submissionId(s, s.revision) };
  if (!(await store.submissions.insert(doc))) return null;
  let first: Submission | null = null;
  for (let i = 0; i < SUBMIT_ATTEMPTS; i++) {
    const prev = await store.reportState(s.unitCode, s.periodId);
    // Revision 1 may be stored while its state write is still on its way: it decides on-time.
    if (s.revision > 1 && !(prev && prev.revision > 0) && !first) first = await store.submissions.get(submissionId(s, 1));
    const action: ReportAction = { type: 'submit', submission: s, ...(first ? { first } : {}) };
    const d = decide(prev, s, action);
    let state: ReportState | null;
    if (!d.ok)
      state = prev; // a later revision's state is there already
    else state = await writeOver(store, prev, d.next);
    if (state) {
      await audit(store, s, who ?? { userKey: s.submittedBy, channel: s.channel }, s.submittedAt, action, prev, state);
      return { submission: { ...doc, _v: 1 }, state, previous: prev };
    }
    if (i > 3) await new Promise((r) => setTimeout(r, Math.min(50, i)));
  }
  throw new Error(`report state of ${stateId(s)} kept changing: revision ${s.revision} is stored, its state is not`);
}

/** Submits the next revision (retrying with the next number if a concurrent submission took one). */
export async function submitReport(store: Store, s: Omit<Submission, '_id' | 'revision'>, who?: LifecycleActor): Promise<{ submission: Submission; state: ReportState; previous: ReportState | null }> {
  let revision = ((await store.latestSubmission(s.unitCode, s.periodId))?.revision ?? 0) + 1;
  for (let i = 0; i < 20; i++) {
    const r = await appendRevision(store, { ...s, revision }, who);
    if (r) return r;
    revision = Math.max(revision, (await store.latestSubmission(s.unitCode, s.periodId))?.revision ?? 0) + 1;
  }
  throw new Error(`could not append a submission for ${stateId(s)}`);
}
