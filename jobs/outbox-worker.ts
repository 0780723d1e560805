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
 * Pacing (each registered channel's `ChannelDefinition.pacing`: its settings, OUTBOX_*_RATE and
 * OUTBOX_*_IN_FLIGHT, else its defaults; the options win over both):
 * - one token bucket per channel for all its recipients (Teams 40, Zalo 55 messages a second by
 *   default, under the platforms' 50 requests a second and 4,000 a minute);
 * - up to `inFlight` sends at once per channel: a platform round trip of 100–300 ms would
 *   otherwise cap a channel at 3–10 messages a second whatever its pace. Each entry is claimed
 *   once, under a lease, by one dispatcher per channel, and settled after its send;
 * - one lane per recipient: their messages are sent one after the other, in the order they were
 *   claimed, never two at once, and, where the platform limits a conversation (Teams), at the
 *   lane's own pace.
 * A channel that answers a retryable failure is paused (for Retry-After, or an exponential delay):
 * sends that had not left yet wait for the pause without counting an attempt, and after it one
 * message probes alone before the channel goes back to `inFlight` at once, so a platform outage
 * costs one probe per pause instead of one failed request per queued message. Domain time (next
 * attempt, leases) comes from ctx.clock; pacing waits use a monotonic timer.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { channelNames, type Pacing, type Rate } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import type { OutMessage, SendResult } from '../core/message.js';
import { coordinatorUnit, findUnit } from '../regime/regime.js';
import type { Channel, OutboxEntry } from '../store/records.js';
import { deliveryReport } from '../services/broadcasts.js';
import { Directory, type Recipient } from '../services/directory.js';
import { channelName, reasonWords } from '../services/delivery-words.js';
import { vi } from '../i18n/vi.js';

export type { Rate };

/**
 * A token bucket; `now` and `sleep` are injectable so it can be tested without waiting. Callers
 * at once are served first come, first served, by one timer; a token is only handed out when the
 * bucket holds it at that moment, so a process that was held up (a busy event loop) gets at most
 * `burst` at once afterwards, never the backlog of a schedule made in advance.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly waiting: Array<() => void> = [];
  private timer = false;
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
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.serve();
    });
  }
  private serve(): void {
    if (this.timer) return;
    this.refill();
    while (this.waiting.length && this.tokens >= 1) {
      this.tokens -= 1;
      (this.waiting.shift() as () => void)();
    }
    if (!this.waiting.length) return;
    this.timer = true;
    void this.sleep(Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000)).then(() => {
      this.timer = false;
      this.serve();
    });
  }
  /** Full again and nobody waiting: nothing it remembers limits the next sends. */
  full(): boolean {
    this.refill();
    return !this.waiting.length && this.tokens >= this.rate.burst;
  }
}

/** A recipient's lane: their sends one after the other (`tail`: the last one's end), at `bucket`'s pace when the channel has one. */
interface Lane {
  tail: Promise<void>;
  users: number;
  bucket?: TokenBucket;
}

/** A claimed entry's place in its recipient's lane. */
interface Turn {
  /** Resolves when the sends claimed before it to the same recipient have ended. */
  ready: Promise<void>;
  lane: Lane;
  done(): void;
}

export interface OutboxWorkerOptions {
  /** How long a leased message is ours (must exceed a send's duration, retries inside the sender included). */
  leaseMs?: number;
  maxAttempts?: number;
  /** Backoff after the n-th failed attempt: min(maxMs, baseMs·2^(n−1)), ±20 % jitter. */
  backoff?: { baseMs: number; maxMs: number };
  /** A channel's pace for all recipients (default: its pacing). */
  rates?: Partial<Record<Channel, Rate>>;
  /** A channel's sends in flight at once (default: its pacing). */
  inFlight?: Partial<Record<Channel, number>>;
  /** A channel's pace per recipient (default: its pacing; null: none). */
  perRecipient?: Partial<Record<Channel, Rate | null>>;
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
  private readonly pacing = new Map<Channel, Pacing>();
  /** Recipient (user key) → lane; a lane nobody uses whose bucket is full again is forgotten at the next drain. */
  private readonly lanes = new Map<string, Lane>();
  private readonly pacingTime?: { now(): number; sleep(ms: number): Promise<void> };
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
    this.pacingTime = opts.pacingTime;
    // Each registered channel's pacing (core/channel.ts `ChannelDefinition.pacing`); the options win.
    for (const def of ctx.channels) {
      const own = def.pacing(ctx.config);
      const c = def.channel;
      const perRecipient = opts.perRecipient && c in opts.perRecipient ? (opts.perRecipient[c] ?? undefined) : own.perRecipient;
      const pacing: Pacing = { rate: opts.rates?.[c] ?? own.rate, inFlight: Math.max(1, opts.inFlight?.[c] ?? own.inFlight), ...(perRecipient ? { perRecipient } : {}) };
      this.pacing.set(c, pacing);
      this.buckets.set(c, this.bucket(pacing.rate));
    }
  }

  /** The pacing this worker uses on a channel (bench and operators' logs). */
  pacingOf(channel: Channel): Pacing | undefined {
    return this.pacing.get(channel);
  }

  private bucket(rate: Rate): TokenBucket {
    const pt = this.pacingTime;
    return new TokenBucket(rate, pt && (() => pt.now()), pt && ((ms) => pt.sleep(ms)));
  }

  /** Puts a just-claimed entry in its recipient's lane (synchronously: lanes keep the claim order). */
  private enter(e: OutboxEntry): Turn {
    let lane = this.lanes.get(e.recipient);
    if (!lane) {
      const per = this.pacing.get(e.channel)?.perRecipient;
      lane = { tail: Promise.resolve(), users: 0, ...(per ? { bucket: this.bucket(per) } : {}) };
      this.lanes.set(e.recipient, lane);
    }
    const ready = lane.tail;
    let done!: () => void;
    lane.tail = new Promise<void>((r) => (done = r));
    lane.users++;
    const l = lane;
    return {
      ready,
      lane,
      done: () => {
        l.users--;
        done();
      },
    };
  }

  private forgetIdleLanes(): void {
    for (const [k, l] of this.lanes) if (!l.users && (!l.bucket || l.bucket.full())) this.lanes.delete(k);
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
    const budget = { left: opts.maxMessages ?? Number.POSITIVE_INFINITY };
    this.forgetIdleLanes();
    const sendDue = () => Promise.all(channelNames(this.ctx).map((channel) => this.sendChannel(channel, report, budget)));
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

  /**
   * One channel's dispatcher: claims due entries one at a time (so lanes see them in claim order)
   * while fewer than `inFlight` are being sent — one while the channel is probing after a
   * retryable failure — and stops at a pause or when nothing is due; returns once every send it
   * started has settled.
   */
  private async sendChannel(channel: Channel, report: DrainReport, budget: { left: number }): Promise<void> {
    const inFlight = this.pacing.get(channel)?.inFlight ?? 1;
    const running = new Set<Promise<void>>();
    let failure: { err: unknown } | undefined;
    try {
      while (budget.left > 0 && !failure) {
        const limit = this.failures.get(channel) ? 1 : inFlight;
        while (running.size >= limit) await Promise.race(running);
        if (failure) break;
        const paused = this.pausedUntil.get(channel);
        if (paused !== undefined && this.now() < paused) break;
        // The claim and the settlement need no commit of their own (see claimLazily).
        const e = await this.claimLazily(channel);
        if (!e) break;
        budget.left--;
        const turn = this.enter(e);
        const p: Promise<void> = this.process(e, report, turn)
          .catch((err: unknown) => void (failure ??= { err }))
          .finally(() => running.delete(p));
        running.add(p);
      }
    } finally {
      await Promise.all(running);
    }
    if (failure) throw failure.err;
  }

  /**
   * Claims the channel's next due entry in a unit of work that does not wait for its commit (the
   * settlement after the send likewise): on the embedded store the claims and settlements of a
   * drain then share commits (at most 50 ms apart) instead of an fsync each, which
   * blocked the event loop for most of a 10,000-message fan-out. Delivery stays at least once:
   * a crash before that commit leaves the entry due again, as a crash between a send and its
   * settlement always did; another process's claim waits on the open transaction's write lock,
   * so an entry is never claimed twice.
   */
  private claimLazily(channel: Channel): Promise<OutboxEntry | null> {
    return this.ctx.store.db.unitOfWork(() => this.ctx.store.claimOutbox(this.now(), this.leaseMs, channel), { durable: false });
  }

  private async process(e: OutboxEntry, report: DrainReport, turn: Turn): Promise<void> {
    try {
      await this.sendAndSettle(e, report, turn);
    } finally {
      turn.done();
    }
  }

  private async sendAndSettle(e: OutboxEntry, report: DrainReport, turn: Turn): Promise<void> {
    const ctx = this.ctx;
    const lease = e.leaseUntil as number;
    const attempts = e.attempts + 1;
    const settle = async (set: Partial<OutboxEntry> & Record<string, unknown>) => {
      const ok = await ctx.store.db.unitOfWork(() => ctx.store.settleOutbox(e._id, lease, { leaseUntil: undefined, ...set }), { durable: false });
      if (!ok) ctx.log.warn({ outbox: e._id }, 'outbox lease lost before settling; another worker owns the message');
      return ok;
    };

    // A reminder to a unit that has submitted meanwhile is not sent.
    if (e.purpose === 'reminder' && e.unitCode && e.periodId && (await ctx.store.reportState(e.unitCode, e.periodId))) {
      if (await settle({ status: 'cancelled', reason: 'submitted', finishedAt: this.now() })) report.cancelled++;
      return;
    }
    // A reminder to a substitute whose delegation has ended meanwhile (services/delegations.ts) is not sent.
    if (e.delegationId) {
      const d = await ctx.store.delegations.get(e.delegationId);
      if (!d || d.status !== 'active' || d.endsAt <= this.now()) {
        if (await settle({ status: 'cancelled', reason: 'delegation_ended', finishedAt: this.now() })) report.cancelled++;
        return;
      }
    }

    const sender = ctx.senders.get(e.channel);
    const contact = await ctx.store.contacts.get(e.recipient);
    let result: SendResult;
    if (!sender) result = { status: 'undeliverable', reason: 'channel_disabled' };
    else if (!contact) result = { status: 'undeliverable', reason: 'no_contact' };
    else if (!contact.reachable) result = { status: 'undeliverable', reason: `unreachable${contact.unreachableReason ? `: ${contact.unreachableReason}` : ''}` };
    else {
      await turn.ready;
      await turn.lane.bucket?.take();
      await (this.buckets.get(e.channel) as TokenBucket).take();
      // Refused meanwhile (another send): this one waits for the pause too, without counting an attempt.
      const paused = this.pausedUntil.get(e.channel);
      if (paused !== undefined && this.now() < paused) {
        await settle({ status: 'pending', nextAttemptAt: paused });
        return;
      }
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
      // One pause per refusal of the platform: sends that were in flight with this one and fail
      // too do not lengthen the backoff (only a failed probe after a pause does), but a longer
      // Retry-After is kept.
      const paused = this.pausedUntil.get(e.channel);
      if (paused === undefined || now >= paused) {
        const n = (this.failures.get(e.channel) ?? 0) + 1;
        this.failures.set(e.channel, n);
        this.pausedUntil.set(e.channel, now + this.delay(n, result.retryAfterMs));
      } else if (result.retryAfterMs) this.pausedUntil.set(e.channel, Math.max(paused, now + result.retryAfterMs));
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
