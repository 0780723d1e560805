/**
 * The outbox worker: leases due messages, sends each through its channel's ChannelSender, and
 * settles it as sent, rescheduled (retryable failure, with backoff or the platform's
 * Retry-After), failed (with reason, after `maxAttempts`), undeliverable (with reason) or
 * cancelled (a reminder whose unit submitted meanwhile). Nothing is dropped silently:
 *
 * - an undeliverable or finally failed message is copied to the unit's reachable focal points on
 *   another channel (copies share the message key, so nobody gets it twice), and
 * - undelivered reminders are reported to the coordinators in one notice per drain;
 * - a broadcast whose deliveries have all ended sends its delivery report to its author.
 *
 * Pacing: one token bucket per registered channel, at the channel's own pace (its definition's
 * `rate`: Teams ≈ 5 sends/s, below the documented per-app limits; Zalo 10/s, well under 4,000
 * requests/min), and a channel that answers a retryable failure is
 * paused (for Retry-After, or an exponential delay) so a platform outage costs one probe per
 * pause instead of one failed request per queued message. Domain time (next attempt, leases)
 * comes from ctx.clock; pacing waits use a monotonic timer.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { channelNames, type Rate } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import type { OutMessage, SendResult } from '../core/message.js';
import { coordinatorUnit, findUnit } from '../regime/regime.js';
import type { Channel, OutboxEntry } from '../store/records.js';
import { deliveryReport } from '../services/broadcasts.js';
import { Directory, type Recipient } from '../services/directory.js';
import { channelName, reasonWords } from '../services/delivery-words.js';
import { vi } from '../i18n/vi.js';

export type { Rate };

/** A token bucket; `now` and `sleep` are injectable so it can be tested without waiting. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = rate.burst;
    this.last = now();
  }
  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.rate.burst, this.tokens + ((t - this.last) / 1000) * this.rate.perSecond);
    this.last = t;
  }
  /** Waits until a token is available, then takes it. */
  async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000));
    }
  }
}

export interface OutboxWorkerOptions {
  /** How long a leased message is ours (must exceed a send's duration, retries inside the sender included). */
  leaseMs?: number;
  maxAttempts?: number;
  /** Backoff after the n-th failed attempt: min(maxMs, baseMs·2^(n−1)), ±20 % jitter. */
  backoff?: { baseMs: number; maxMs: number };
  rates?: Partial<Record<Channel, Rate>>;
  /** The pacing time source (default: monotonic time and setTimeout); tests inject their own. */
  pacingTime?: { now(): number; sleep(ms: number): Promise<void> };
  /** Identifies this worker in logs. */
  id?: string;
}

export interface DrainReport {
  sent: number;
  retried: number;
  failed: number;
  undeliverable: number;
  cancelled: number;
  fallbacks: number;
  notices: number;
  batchReports: number;
}

/** Messages to a unit's focal points whose non-delivery the coordinators are told of (broadcasts have their own report). */
const PURPOSES_NOTIFIED = new Set(['reminder', 'review']);
/** Messages addressed to the coordinators: a copy goes to the other coordinators on another channel. */
const TO_COORDINATORS = new Set(['digest', 'notice', 'alert']);

/** The message key of an entry: its `key`, or its id without the `|recipient` suffix every producer appends. */
export function messageKey(e: Pick<OutboxEntry, '_id' | 'key' | 'recipient'>): string | undefined {
  if (e.key) return e.key;
  const suffix = `|${e.recipient}`;
  return e._id.endsWith(suffix) ? e._id.slice(0, -suffix.length) : undefined;
}

export class OutboxWorker {
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly buckets = new Map<Channel, TokenBucket>();
  /** Channel → paused until (ctx.clock ms), after a retryable failure. */
  private readonly pausedUntil = new Map<Channel, number>();
  private readonly failures = new Map<Channel, number>();
  private running: Promise<DrainReport> | null = null;
  private rerun = false;

  constructor(
    private readonly ctx: AppContext,
    opts: OutboxWorkerOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.backoff = opts.backoff ?? { baseMs: 30_000, maxMs: 30 * 60_000 };
    const pt = opts.pacingTime;
    // Each registered channel's pace (core/channel.ts `ChannelDefinition.rate`, smooth: burst 1);
    // a sender's own `maxPerSecond` wins, and the options win over both.
    for (const def of ctx.channels) {
      const own = ctx.senders.get(def.channel)?.maxPerSecond;
      const rate = opts.rates?.[def.channel] ?? (own ? { perSecond: own, burst: 1 } : def.rate);
      this.buckets.set(def.channel, new TokenBucket(rate, pt && (() => pt.now()), pt && ((ms) => pt.sleep(ms))));
    }
  }

  private now(): number {
    return this.ctx.clock.now().getTime();
  }

  private delay(attempt: number, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined && retryAfterMs > 0) return retryAfterMs;
    const d = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(d * (0.8 + Math.random() * 0.4));
  }

  /**
   * Sends everything due now, then reports undeliverables and finished broadcasts. A call while a
   * drain runs joins it and makes it go round once more (so a message enqueued meanwhile, e.g. a
   * broadcast, is not left for the next tick).
   */
  drainOnce(opts: { maxMessages?: number } = {}): Promise<DrainReport> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        const total = await this.drain(opts);
        while (this.rerun) {
          this.rerun = false;
          const more = await this.drain(opts);
          for (const k of Object.keys(total) as Array<keyof DrainReport>) total[k] += more[k];
        }
        return total;
      } finally {
        this.running = null;
        this.rerun = false;
      }
    })();
    return this.running;
  }

  private async drain(opts: { maxMessages?: number }): Promise<DrainReport> {
    const report: DrainReport = { sent: 0, retried: 0, failed: 0, undeliverable: 0, cancelled: 0, fallbacks: 0, notices: 0, batchReports: 0 };
    let budget = opts.maxMessages ?? Number.POSITIVE_INFINITY;
    const sendDue = () =>
      Promise.all(
        channelNames(this.ctx).map(async (channel) => {
          while (budget > 0) {
            const paused = this.pausedUntil.get(channel);
            if (paused !== undefined && this.now() < paused) return;
            const e = await this.ctx.store.claimOutbox(this.now(), this.leaseMs, channel);
            if (!e) return;
            budget--;
            await this.process(e, report);
          }
        }),
      );
    await sendDue();
    // Fallback copies, notices and delivery reports made by this drain go out with it.
    let copies = report.fallbacks;
    for (let round = 0; round < 3; round++) {
      const notices = await this.notifyUndelivered();
      const reports = await this.reportFinishedBroadcasts();
      report.notices += notices;
      report.batchReports += reports;
      if (!(copies + notices + reports)) break;
      const before = report.fallbacks;
      await sendDue();
      copies = report.fallbacks - before;
    }
    return report;
  }

  private async process(e: OutboxEntry, report: DrainReport): Promise<void> {
    const ctx = this.ctx;
    const lease = e.leaseUntil as number;
    const attempts = e.attempts + 1;
    const settle = async (set: Partial<OutboxEntry> & Record<string, unknown>) => {
      const ok = await ctx.store.settleOutbox(e._id, lease, { leaseUntil: undefined, ...set });
      if (!ok) ctx.log.warn({ outbox: e._id }, 'outbox lease lost before settling; another worker owns the message');
      return ok;
    };

    // A reminder to a unit that has submitted meanwhile is not sent.
    if (e.purpose === 'reminder' && e.unitCode && e.periodId && (await ctx.store.reportState(e.unitCode, e.periodId))) {
      if (await settle({ status: 'cancelled', reason: 'submitted', finishedAt: this.now() })) report.cancelled++;
      return;
    }

    const sender = ctx.senders.get(e.channel);
    const contact = await ctx.store.contacts.get(e.recipient);
    let result: SendResult;
    if (!sender) result = { status: 'undeliverable', reason: 'channel_disabled' };
    else if (!contact) result = { status: 'undeliverable', reason: 'no_contact' };
    else if (!contact.reachable) result = { status: 'undeliverable', reason: `unreachable${contact.unreachableReason ? `: ${contact.unreachableReason}` : ''}` };
    else {
      await (this.buckets.get(e.channel) as TokenBucket).take();
      try {
        result = await sender.send(contact, e.message as unknown as OutMessage);
      } catch (err) {
        result = { status: 'failed', reason: (err as Error).message || String(err), retryable: true };
      }
    }

    const now = this.now();
    if (result.status === 'sent') {
      this.failures.delete(e.channel);
      this.pausedUntil.delete(e.channel);
      if (await settle({ status: 'sent', attempts, sentAt: now, finishedAt: now, lastError: undefined })) report.sent++;
      return;
    }
    if (result.status === 'failed' && result.retryable) {
      const n = (this.failures.get(e.channel) ?? 0) + 1;
      this.failures.set(e.channel, n);
      this.pausedUntil.set(e.channel, now + this.delay(n, result.retryAfterMs));
      if (attempts < this.maxAttempts) {
        if (await settle({ status: 'pending', attempts, nextAttemptAt: now + this.delay(attempts, result.retryAfterMs), lastError: result.reason })) report.retried++;
        ctx.log.warn({ outbox: e._id, channel: e.channel, attempts, reason: result.reason }, 'send failed; will retry');
        return;
      }
    }
    const status = result.status === 'undeliverable' ? 'undeliverable' : 'failed';
    const reason = result.reason;
    if (!(await settle({ status, attempts, reason, lastError: reason, finishedAt: now }))) return;
    if (status === 'failed') report.failed++;
    else report.undeliverable++;
    ctx.log.warn({ outbox: e._id, channel: e.channel, purpose: e.purpose, status, reason }, 'message not delivered');
    report.fallbacks += (await this.fallback({ ...e, status, reason })).length;
  }

  /**
   * Copies an undelivered message to the people of the same unit (and role) who are reachable on
   * another channel. A copy's id is `${key}|${userKey}`, the id that person's own copy has, so a
   * person who already has the message is not sent it again.
   */
  private async fallback(e: OutboxEntry): Promise<Recipient[]> {
    const key = messageKey(e);
    if (!key) return [];
    const dir = await Directory.load(this.ctx);
    const coordinatorCode = coordinatorUnit(this.ctx.regime).code;
    const toCoordinators = TO_COORDINATORS.has(e.purpose);
    const candidates = toCoordinators ? dir.coordinators().filter((r) => r.channel !== e.channel) : e.unitCode ? dir.focalElsewhere(e.unitCode, e.channel) : [];
    const sent: Recipient[] = [];
    for (const r of candidates) {
      if (r.userKey === e.recipient) continue;
      const ok = await this.ctx.store.enqueue({
        _id: `${key}|${r.userKey}`,
        createdAt: this.now(),
        channel: r.channel,
        recipient: r.userKey,
        unitCode: toCoordinators ? coordinatorCode : e.unitCode,
        periodId: e.periodId,
        message: e.message,
        purpose: e.purpose,
        batch: e.batch,
        key,
        fallbackOf: e._id,
      });
      if (ok) sent.push(r);
    }
    return sent;
  }

  /** One notice per coordinator for the reminders that ended undelivered and were not reported yet. */
  private async notifyUndelivered(): Promise<number> {
    const ctx = this.ctx;
    const ended = await ctx.store.outbox.find({ purpose: { $in: [...PURPOSES_NOTIFIED] }, status: { $in: ['undeliverable', 'failed'] }, notifiedAt: null }, { sort: [['finishedAt', 1]], limit: 200 });
    if (!ended.length) return 0;
    const dir = await Directory.load(ctx);
    const coordinators = dir.coordinators();
    if (!coordinators.length) {
      ctx.log.error({ count: ended.length }, 'undelivered reminders and no reachable coordinator to tell; will tell one when reachable');
      return 0;
    }
    const items = await Promise.all(
      ended.map(async (e) => {
        const copies = await ctx.store.outbox.find({ fallbackOf: e._id });
        const others = e.unitCode ? dir.focal(e.unitCode).recipients.filter((r) => r.userKey !== e.recipient) : [];
        const fallback = copies.length
          ? vi.notice.fallbackSent(copies.map((c) => `${dir.displayName(c.recipient)} (${channelName(c.channel)})`))
          : others.length
            ? vi.notice.fallbackAlready
            : vi.notice.fallbackNone;
        return {
          unitName: e.unitCode ? (findUnit(ctx.regime, e.unitCode)?.shortName ?? e.unitCode) : '—',
          who: dir.displayName(e.recipient),
          channel: channelName(e.channel),
          what: vi.notice.purposeWords(e.purpose),
          outcome: e.status === 'failed' ? vi.notice.outcomeFailed(e.attempts, reasonWords(e.reason)) : vi.notice.outcomeUndeliverable(reasonWords(e.reason)),
          fallback,
        };
      }),
    );
    const message = vi.notice.undelivered({ items });
    const key = `notice|undelivered|${createHash('sha256')
      .update(ended.map((e) => e._id).join('\n'))
      .digest('hex')
      .slice(0, 16)}`;
    const now = this.now();
    const n = await ctx.store.enqueueEach(coordinators, { key, createdAt: now, message, purpose: 'notice' });
    await ctx.store.outbox.updateMany({ _id: { $in: ended.map((e) => e._id) }, notifiedAt: null }, { notifiedAt: now });
    return n;
  }

  /** Sends the delivery report of each broadcast whose deliveries have all ended, once. */
  private async reportFinishedBroadcasts(): Promise<number> {
    const ctx = this.ctx;
    let n = 0;
    for (const b of await ctx.store.broadcasts.find({ reportedAt: null }, { sort: [['createdAt', 1]], limit: 50 })) {
      const open = await ctx.store.outbox.count({ batch: b._id, status: { $in: ['pending', 'sending'] } });
      if (open) continue;
      const now = this.now();
      // Two workers finishing together build the same report under the same ids: the outbox keeps one.
      const message = await deliveryReport(ctx, b);
      const dir = await Directory.load(ctx);
      const author = dir.reachable(b.createdBy) ? [{ userKey: b.createdBy, channel: dir.contact(b.createdBy)?.channel as Channel, unitCode: coordinatorUnit(ctx.regime).code }] : dir.coordinators();
      await ctx.store.enqueueEach(author, { key: `bcreport|${b._id}`, createdAt: now, message, purpose: 'notice' });
      await ctx.store.broadcasts.updateOne({ _id: b._id }, { reportedAt: now });
      n++;
    }
    return n;
  }
}
