/**
 * Limits on abuse, per person (one platform user on one channel), counted in the store so they
 * hold across restarts and instances (store/repositories.ts `changeThrottle`, a versioned write):
 *
 * - `ENROL`: wrong enrolment codes. The fifth wrong code in ten minutes locks the person out for
 *   ten minutes: every code is refused meanwhile, the right one too (guessing must not pay).
 * - `STRANGER`: anything a person not enrolled sends (greetings, help, unknown commands, codes).
 *   Past the limit the first message gets the wait notice and the rest no answer at all, until
 *   the lock is over.
 *
 * While locked, an input writes nothing but the throttle's counter (no turn, contact, session or
 * audit row). The audit log gets ONE row per person and window (`enrolment.refused`,
 * `stranger.throttled`) carrying the counts, not one per input; the scheduler's housekeeping
 * (`sweepThrottles`) writes its final totals and deletes the counter once the window is over.
 */
import { DateTime } from 'luxon';
import type { AppContext } from '../core/context.js';
import type { AuditEntry, Channel, Throttle } from '../store/records.js';

export interface ThrottleRule {
  kind: string;
  /** Counted inputs in a window that lock the person out. */
  limit: number;
  windowMs: number;
  lockMs: number;
  /** The audit action of the window's row. */
  auditAction: string;
  /** Write the audit row from the first counted input (wrong codes), or only once locked out (strangers). */
  auditEach: boolean;
}

export const ENROL: ThrottleRule = { kind: 'enrol', limit: 5, windowMs: 10 * 60_000, lockMs: 10 * 60_000, auditAction: 'enrolment.refused', auditEach: true };
export const STRANGER: ThrottleRule = { kind: 'stranger', limit: 30, windowMs: 10 * 60_000, lockMs: 10 * 60_000, auditAction: 'stranger.throttled', auditEach: false };
const RULES = new Map([ENROL, STRANGER].map((r) => [r.kind, r]));

type Ctx = Pick<AppContext, 'store' | 'regime'>;

const throttleId = (rule: ThrottleRule, userKey: string) => `${rule.kind}|${userKey}`;

/** A lock in force: when it ends, and how it reads ("10 phút", "10:35" in the regime's time zone). */
export interface Lock {
  until: number;
  minutes: number;
  /** HH:mm local. */
  untilText: string;
  limit: number;
}

function lockOf(ctx: Ctx, rule: ThrottleRule, t: Throttle | null, now: number): Lock | null {
  if (!t?.lockedUntil || t.lockedUntil <= now) return null;
  return {
    until: t.lockedUntil,
    minutes: Math.max(1, Math.ceil((t.lockedUntil - now) / 60_000)),
    untilText: DateTime.fromMillis(t.lockedUntil, { zone: ctx.regime.timezone }).toFormat('HH:mm'),
    limit: rule.limit,
  };
}

/** The person's lock under `rule` now, if any (a read: nothing is written). */
export async function activeLock(ctx: Ctx, rule: ThrottleRule, userKey: string, now: number): Promise<Lock | null> {
  return lockOf(ctx, rule, await ctx.store.throttles.get(throttleId(rule, userKey)), now);
}

/**
 * An input refused under a lock: only the counter moves. Returns how many were refused in this
 * lock so far (1 for the first), or 0 if the lock ended meanwhile.
 */
export async function refuseLocked(ctx: Ctx, rule: ThrottleRule, userKey: string, now: number): Promise<number> {
  const { after } = await ctx.store.changeThrottle(throttleId(rule, userKey), (cur) => {
    if (!cur || (cur.lockedUntil ?? 0) <= now) return null;
    const { _id, _v, ...rest } = cur;
    return { ...rest, refused: cur.refused + 1, updatedAt: now };
  });
  return after && (after.lockedUntil ?? 0) > now ? after.refused : 0;
}

const windowOver = (rule: ThrottleRule, t: Throttle, now: number) => t.windowStart + rule.windowMs <= now && (t.lockedUntil ?? 0) <= now;

/** The audit row of a window (one per person, kind and window), with its counts so far. */
function auditRow(rule: ThrottleRule, t: Throttle): AuditEntry {
  return {
    _id: `throttle|${rule.kind}|${t.userKey}|${t.windowStart}`,
    at: t.windowStart,
    actor: t.userKey,
    channel: t.channel,
    action: rule.auditAction,
    details: {
      count: t.count,
      ...(t.lastReason ? { reason: t.lastReason } : {}),
      ...(t.lockedUntil ? { lockedUntil: t.lockedUntil, refusedWhileLocked: t.refused } : {}),
    },
  };
}

async function writeAudit(ctx: Ctx, rule: ThrottleRule, t: Throttle): Promise<void> {
  await ctx.store.audit.put(auditRow(rule, t));
}

/** Whether a finished window's row needs its final counts (inputs were refused after it was last written). */
const needsFinalAudit = (rule: ThrottleRule, t: Throttle) => t.refused > 0 && (rule.auditEach || t.lockedUntil !== undefined);

/**
 * Counts one input under `rule` (a new window when the last one is over) and locks the person
 * out when it reaches the limit. Returns the lock it started, if any.
 */
export async function countInput(ctx: Ctx, rule: ThrottleRule, who: { userKey: string; channel: Channel }, now: number, reason?: string): Promise<Lock | null> {
  const { before, after } = await ctx.store.changeThrottle(throttleId(rule, who.userKey), (cur) => {
    const base = !cur || windowOver(rule, cur, now) ? { kind: rule.kind, userKey: who.userKey, channel: who.channel, windowStart: now, count: 0, refused: 0 } : cur;
    const { _id, _v, lockedUntil, lastReason, ...rest } = base as Throttle;
    const count = base.count + 1;
    const lock = lockedUntil ?? (count >= rule.limit ? now + rule.lockMs : undefined);
    return { ...rest, count, ...(lock !== undefined ? { lockedUntil: lock } : {}), ...((reason ?? lastReason) ? { lastReason: reason ?? lastReason } : {}), updatedAt: now };
  });
  const t = after as Throttle;
  if (before && before.windowStart !== t.windowStart && needsFinalAudit(rule, before)) await writeAudit(ctx, rule, before);
  const started = t.lockedUntil !== undefined && before?.lockedUntil !== t.lockedUntil;
  if (rule.auditEach || started) await writeAudit(ctx, rule, t);
  return started ? lockOf(ctx, rule, t, now) : null;
}

/**
 * Housekeeping (jobs/scheduler.ts): counters whose window and lock are over get their window's
 * final audit counts, then are deleted (only if nobody counted meanwhile). Returns how many.
 */
export async function sweepThrottles(ctx: Ctx, now: number): Promise<number> {
  const longest = Math.max(...[...RULES.values()].map((r) => Math.max(r.windowMs, r.lockMs)));
  let n = 0;
  for (const t of await ctx.store.throttles.find({ updatedAt: { $lte: now - longest } }, { limit: 1000 })) {
    const rule = RULES.get(t.kind);
    if (rule && !windowOver(rule, t, now)) continue;
    if (rule && needsFinalAudit(rule, t)) await writeAudit(ctx, rule, t);
    n += await ctx.store.throttles.deleteMany({ _id: t._id, _v: t._v ?? 0 });
  }
  return n;
}

/**
 * Something from a person not enrolled (any channel, any kind of input): counted under
 * `STRANGER`; refused while locked out, with `tell` set on the first refusal of the lock (say
 * once when to come back; after that, no answer).
 */
export async function strangerInput(ctx: Ctx, who: { userKey: string; channel: Channel }, now: number): Promise<{ refused: false } | { refused: true; tell: Lock | null }> {
  const lock = await activeLock(ctx, STRANGER, who.userKey, now);
  if (!lock) {
    await countInput(ctx, STRANGER, who, now);
    return { refused: false };
  }
  const nth = await refuseLocked(ctx, STRANGER, who.userKey, now);
  return { refused: true, tell: nth === 1 ? lock : null };
}
