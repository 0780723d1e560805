/**
 * One scheduler pass: which reminder steps and coordinator digests are due at `now`, for whom,
 * and — in `runReminderPass` — claiming each (unit, period, step, recipient) in the store before
 * its message is enqueued in the outbox, so a restart, an overlapping pass or a second instance
 * never sends it twice.
 *
 * - A step goes to the reachable focal points of each unit that files the period and has not
 *   submitted it (no ReportState).
 * - After downtime only the latest due step per unit and period is sent; older unclaimed steps
 *   are claimed as skipped (`details.skipped`).
 * - A unit with nobody reachable for its latest step is reported to the coordinators (once per
 *   unit, period and step).
 * - Digests (day before the deadline, first day after it, weekly until the period locks) go to
 *   the coordinators while some unit has not submitted; latest-only like the ladder.
 * - The claim and the outbox entry share one id (`rem|UNIT|PERIOD|STEP|USERKEY`): a pass that
 *   finds a claim without its outbox entry (a crash between the two writes) enqueues it then.
 *
 * `planReminders` computes the same without writing anything (`dondoc reminders plan`).
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { AppContext } from '../core/context.js';
import type { OutMessage } from '../core/message.js';
import { draftGaps } from './draft-gaps.js';
import { deadlineWords, isoLocal, localDate, periodsOfYear, type ReportingPeriod } from '../regime/periods.js';
import { buildForm, coordinatorUnit, findUnit, kindsForUnit, reportingUnits } from '../regime/regime.js';
import { deadlineDate, digestSchedule, dueSteps, reminderLadder, type DigestStep, type LadderStep } from '../regime/reminder-ladder.js';
import type { Channel, Claim, Draft, OutboxEntry, ReportState } from '../store/records.js';
import { Directory, type Recipient } from '../services/directory.js';
import { kickOutbox } from '../services/kick.js';
import { vi } from '../i18n/vi.js';

export type PlanType = 'reminder' | 'digest';

export interface PlannedSend {
  type: PlanType;
  /** Reminder: the unit reminded; digest: the coordinator unit. */
  unitCode: string;
  periodId: string;
  step: string;
  /** The step's scheduled instant. */
  due: DateTime;
  /** The message key, `rem|UNIT|PERIOD|STEP` or `dig|PERIOD|STEP`; claim and outbox ids append `|USERKEY`. */
  key: string;
  /** Recipients not yet claimed for this step. Empty for a unit with nobody reachable. */
  recipients: Recipient[];
  /** Reminder with nobody reachable: why (for the coordinators' notice). */
  unreachable?: { enrolled: number };
  /** Digest: the units that have not submitted. */
  pendingUnits?: string[];
}

export interface PlannedSkip {
  claimId: string;
  type: PlanType;
  unitCode: string;
  periodId: string;
  step: string;
}

export interface ReminderPlan {
  at: Date;
  sends: PlannedSend[];
  skips: PlannedSkip[];
  /** Claimed sends whose outbox entry is missing (an interrupted pass): enqueued again. */
  repairs: Array<{ send: PlannedSend; recipient: Recipient }>;
}

export interface PassResult {
  at: string;
  enqueued: number;
  skipped: number;
  repaired: number;
  digests: number;
  /** Units reported to coordinators as having nobody reachable. */
  unreachableUnits: number;
}

const claimIdOf = (key: string, userKey: string) => `${key}|${userKey}`;
const reminderKey = (unit: string, period: string, step: string) => `rem|${unit}|${period}|${step}`;
const digestKey = (period: string, step: string) => `dig|${period}|${step}`;
const noFocalClaim = (unit: string, period: string, step: string) => `remnf|${unit}|${period}|${step}`;

/** Periods whose ladder or digests may be due at `now`: those of the year before, this year and the next, not yet locked. */
function livePeriods(ctx: AppContext, now: Date): ReportingPeriod[] {
  const year = DateTime.fromJSDate(now, { zone: ctx.regime.timezone }).year;
  const t = now.getTime();
  return [year - 1, year, year + 1].flatMap((y) => periodsOfYear(ctx.regime, y)).filter((p) => t < p.locksAt.toMillis());
}

async function findByIds<T extends { _id: string }>(find: (ids: string[]) => Promise<T[]>, ids: string[]): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 500) for (const d of await find(ids.slice(i, i + 500))) out.set(d._id, d);
  return out;
}

/** What a pass at `now` would do; reads the store, writes nothing. */
export async function planReminders(ctx: AppContext, now: Date, dir?: Directory): Promise<ReminderPlan> {
  const directory = dir ?? (await Directory.load(ctx, undefined, now));
  const periods = livePeriods(ctx, now);
  const stateIds = periods.length ? await ctx.store.reportStates.find({ periodId: { $in: periods.map((p) => p.id) } }) : [];
  const submitted = new Set(stateIds.map((s: ReportState) => `${s.unitCode}|${s.periodId}`));
  const units = reportingUnits(ctx.regime);

  const sends: PlannedSend[] = [];
  const skips: PlannedSkip[] = [];
  const candidates: string[] = [];

  for (const p of periods) {
    const filers = units.filter((u) => kindsForUnit(ctx.regime, u).some((k) => k.id === p.kind));
    const pending = filers.filter((u) => !submitted.has(`${u.code}|${p.id}`));
    if (!pending.length) continue;

    const due: LadderStep[] = dueSteps(reminderLadder(ctx.regime, p), now);
    if (due.length) {
      const latest = due[due.length - 1];
      for (const u of pending) {
        const { enrolled, recipients } = directory.remindees(u.code, p.id);
        const key = reminderKey(u.code, p.id, latest.id);
        const send: PlannedSend = { type: 'reminder', unitCode: u.code, periodId: p.id, step: latest.id, due: latest.at, key, recipients };
        if (!recipients.length) {
          send.unreachable = { enrolled };
          candidates.push(noFocalClaim(u.code, p.id, latest.id));
        }
        sends.push(send);
        for (const r of recipients) {
          candidates.push(claimIdOf(key, r.userKey));
          for (const old of due.slice(0, -1)) {
            const id = claimIdOf(reminderKey(u.code, p.id, old.id), r.userKey);
            candidates.push(id);
            skips.push({ claimId: id, type: 'reminder', unitCode: u.code, periodId: p.id, step: old.id });
          }
        }
      }
    }

    const dueDigests: DigestStep[] = dueSteps(digestSchedule(ctx.regime, p), now);
    if (dueDigests.length) {
      const latest = dueDigests[dueDigests.length - 1];
      const coordinators = directory.coordinators();
      const key = digestKey(p.id, latest.id);
      const coordUnit = coordinatorUnit(ctx.regime).code;
      sends.push({
        type: 'digest',
        unitCode: coordUnit,
        periodId: p.id,
        step: latest.id,
        due: latest.at,
        key,
        recipients: coordinators,
        pendingUnits: pending.map((u) => u.code),
      });
      for (const r of coordinators) {
        candidates.push(claimIdOf(key, r.userKey));
        for (const old of dueDigests.slice(0, -1)) {
          const id = claimIdOf(digestKey(p.id, old.id), r.userKey);
          candidates.push(id);
          skips.push({ claimId: id, type: 'digest', unitCode: coordUnit, periodId: p.id, step: old.id });
        }
      }
    }
  }

  const claims = await findByIds<Claim>((ids) => ctx.store.claims.find({ _id: { $in: ids } }), candidates);
  const repairs: ReminderPlan['repairs'] = [];
  const claimedSends: Array<{ send: PlannedSend; recipient: Recipient; id: string }> = [];
  for (const s of sends) {
    const open: Recipient[] = [];
    for (const r of s.recipients) {
      const id = claimIdOf(s.key, r.userKey);
      const c = claims.get(id);
      if (!c) open.push(r);
      else if (!c.details?.skipped) claimedSends.push({ send: s, recipient: r, id });
    }
    s.recipients = open;
  }
  const outbox = await findByIds<OutboxEntry>(
    (ids) => ctx.store.outbox.find({ _id: { $in: ids } }),
    claimedSends.map((c) => c.id),
  );
  for (const c of claimedSends) if (!outbox.has(c.id)) repairs.push({ send: c.send, recipient: c.recipient });

  return {
    at: now,
    // A step is left in the plan while someone is still to get it, or a unit with nobody reachable is still to be reported.
    sends: sends.filter((s) => s.recipients.length || (s.unreachable && !claims.has(noFocalClaim(s.unitCode, s.periodId, s.step)))),
    skips: skips.filter((k) => !claims.has(k.claimId)),
    repairs,
  };
}

// ---------------------------------------------------------------------------------------------
// Messages

function periodOf(ctx: AppContext, id: string): ReportingPeriod {
  const p = periodsOfYear(ctx.regime, Number(id.slice(0, 4))).find((x) => x.id === id);
  if (!p) throw new Error(`unknown period ${id}`);
  return p;
}

function reminderMessage(ctx: AppContext, unitCode: string, p: ReportingPeriod, draft: Draft | null, now: Date): OutMessage {
  const unit = findUnit(ctx.regime, unitCode);
  const form = buildForm(ctx.regime, unitCode, p.kind);
  const gaps = form ? draftGaps(form, draft) : { started: false, answered: 0, total: 0, sectionsTotal: 0, incomplete: [] };
  const today = DateTime.fromJSDate(now, { zone: ctx.regime.timezone }).startOf('day');
  const due = deadlineDate(p);
  const overdue = now.getTime() >= p.deadline.toMillis();
  return vi.notice.reminder({
    unitName: unit?.name ?? unitCode,
    periodName: p.name,
    deadlineWords: deadlineWords(p),
    lastDay: localDate(due.minus({ days: 1 })),
    daysLeft: Math.round(due.diff(today, 'days').days),
    overdueDays: Math.round(today.diff(due, 'days').days),
    overdue,
    missing: gaps,
  });
}

function digestMessage(ctx: AppContext, p: ReportingPeriod, step: string, pendingUnits: string[], drafts: Map<string, Draft>): OutMessage {
  const filers = reportingUnits(ctx.regime).filter((u) => kindsForUnit(ctx.regime, u).some((k) => k.id === p.kind));
  const pending = pendingUnits.map((code) => {
    const u = findUnit(ctx.regime, code);
    const form = buildForm(ctx.regime, code, p.kind);
    const gaps = form ? draftGaps(form, drafts.get(code) ?? null) : null;
    const state = !gaps || !gaps.started ? vi.notice.stateNotStarted : gaps.incomplete.length ? vi.notice.stateInProgress(gaps.answered, gaps.total) : vi.notice.stateReadyNotSubmitted;
    return { name: u?.shortName ?? code, state };
  });
  const kind = step === 'D-1' ? 'before' : step === 'D0' ? 'after' : 'weekly';
  return vi.notice.digest({
    kind,
    periodName: p.name,
    deadlineWords: deadlineWords(p),
    submitted: filers.length - pendingUnits.length,
    expected: filers.length,
    pending,
    weeksOverdue: kind === 'weekly' ? Number(step.slice(1)) : 0,
  });
}

// ---------------------------------------------------------------------------------------------
// The pass

export interface PassOptions {
  /** Who claims (for the record): e.g. the instance id. */
  by?: string;
  /** Channels proactive sends can use (default: the deployment's, see Directory.load). */
  channels?: Iterable<Channel>;
}

/** One scheduler pass at `now`: claims, then enqueues. Safe to run concurrently and repeatedly. */
export async function runReminderPass(ctx: AppContext, now: Date, opts: PassOptions = {}): Promise<PassResult> {
  const by = opts.by ?? 'scheduler';
  const at = now.getTime();
  const dir = await Directory.load(ctx, opts.channels, now);
  const plan = await planReminders(ctx, now, dir);
  const result: PassResult = { at: now.toISOString(), enqueued: 0, skipped: 0, repaired: 0, digests: 0, unreachableUnits: 0 };

  for (const k of plan.skips) {
    if (await ctx.store.claim(k.claimId, { at, by, kind: k.type, details: { skipped: true, reason: 'superseded', step: k.step, periodId: k.periodId } })) result.skipped++;
  }

  const draftCache = new Map<string, Map<string, Draft>>();
  const draftsOf = async (periodId: string): Promise<Map<string, Draft>> => {
    let m = draftCache.get(periodId);
    if (!m) {
      m = new Map((await ctx.store.drafts.find({ periodId })).map((d) => [d.unitCode, d]));
      draftCache.set(periodId, m);
    }
    return m;
  };
  const messageFor = async (s: PlannedSend): Promise<OutMessage> => {
    const p = periodOf(ctx, s.periodId);
    const drafts = await draftsOf(s.periodId);
    return s.type === 'reminder' ? reminderMessage(ctx, s.unitCode, p, drafts.get(s.unitCode) ?? null, now) : digestMessage(ctx, p, s.step, s.pendingUnits ?? [], drafts);
  };
  const enqueue = async (s: PlannedSend, r: Recipient, message: OutMessage): Promise<boolean> =>
    ctx.store.enqueue({
      _id: claimIdOf(s.key, r.userKey),
      createdAt: at,
      channel: r.channel,
      recipient: r.userKey,
      unitCode: s.type === 'reminder' ? s.unitCode : r.unitCode,
      periodId: s.periodId,
      // A substitute's reminder says why they get it; the replaced focal point's copy says so (services/directory.ts remindees).
      message: (r.note ? { ...message, text: `${r.note}\n\n${message.text}` } : message) as unknown as Record<string, unknown>,
      purpose: s.type,
      key: s.key,
      ...(r.delegation ? { delegationId: r.delegation.id } : {}),
    });

  const noFocal: PlannedSend[] = [];
  for (const s of plan.sends) {
    if (s.unreachable) {
      noFocal.push(s);
      continue;
    }
    let message: OutMessage | undefined;
    const before = result.enqueued;
    for (const r of s.recipients) {
      const id = claimIdOf(s.key, r.userKey);
      if (!(await ctx.store.claim(id, { at, by, kind: s.type, details: { step: s.step, periodId: s.periodId, unitCode: s.unitCode, recipient: r.userKey } }))) continue;
      message ??= await messageFor(s);
      if (await enqueue(s, r, message)) {
        result.enqueued++;
        if (s.type === 'digest') result.digests++;
      }
    }
    // The server's outbox worker starts sending while the rest of the pass is enqueued (a drain
    // already running goes round once more); without a scheduler this does nothing.
    if (result.enqueued > before) kickOutbox(ctx);
  }
  for (const { send, recipient } of plan.repairs) {
    if (await enqueue(send, recipient, await messageFor(send))) {
      result.repaired++;
      ctx.log.warn({ key: send.key, recipient: recipient.userKey }, 'reminder claimed earlier but never enqueued: enqueued now');
    }
  }

  if (noFocal.length) result.unreachableUnits = await reportUnreachable(ctx, dir, noFocal, at, by);
  if (result.enqueued || result.skipped || result.repaired || result.unreachableUnits) ctx.log.info({ ...result }, 'reminder pass');
  return result;
}

/**
 * Tells the coordinators which units had nobody reachable for a step. The notice is enqueued
 * first under an id derived from the units it names, then the units are claimed: a crash in
 * between repeats the same id next pass, which the outbox ignores.
 */
async function reportUnreachable(ctx: AppContext, dir: Directory, sends: PlannedSend[], at: number, by: string): Promise<number> {
  const coordinators = dir.coordinators();
  const ids = sends.map((s) => noFocalClaim(s.unitCode, s.periodId, s.step)).sort();
  const items = sends.map((s) => ({
    unitName: findUnit(ctx.regime, s.unitCode)?.shortName ?? s.unitCode,
    periodName: periodOf(ctx, s.periodId).name,
    why: s.unreachable?.enrolled ? vi.notice.whyNoContact(s.unreachable.enrolled) : vi.notice.whyNoMembers,
  }));
  if (!coordinators.length) ctx.log.error({ units: sends.map((s) => s.unitCode) }, 'units with no reachable focal point, and no reachable coordinator to tell');
  const message = vi.notice.noFocal({ items });
  const digest = createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16);
  const key = `notice|nofocal|${digest}`;
  await ctx.store.enqueueEach(coordinators, { key, createdAt: at, message, purpose: 'notice' });
  let n = 0;
  for (const s of sends)
    if (await ctx.store.claim(noFocalClaim(s.unitCode, s.periodId, s.step), { at, by, kind: 'reminder-unreachable', details: { notice: key, coordinators: coordinators.length } })) n++;
  return n;
}

/** For `dondoc reminders plan`: one line per (unit, period, step, channel); a unit with nobody reachable has one line with no recipients. */
export function planLines(plan: ReminderPlan): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const s of plan.sends) {
    const base = { type: s.type, unit: s.unitCode, period: s.periodId, step: s.step, due: isoLocal(s.due) };
    if (!s.recipients.length) {
      out.push({ ...base, channel: null, recipients: [] });
      continue;
    }
    const byChannel = new Map<Channel, string[]>();
    for (const r of s.recipients) byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), r.userKey]);
    for (const [channel, recipients] of byChannel) out.push({ ...base, channel, recipients });
  }
  return out;
}
