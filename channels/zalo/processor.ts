/**
 * Processing of persisted Zalo events, after the webhook has acknowledged them.
 *
 * Each event is leased from the inbox (store), handled, and settled under its lease. Text, and a
 * file or photo (the signed report, `user_send_file` / `user_send_image`), go to the bot core; its replies are checkpointed on the event before the first is sent, and each
 * sent part is counted, so a crash never hands a message to the core twice and a restart resumes
 * sending where it stopped. Events of one person run one after another in this process. Events
 * left behind by a dead process (received, or leased and expired) are picked up by `drain`, run
 * at start-up and periodically.
 */
import { coordinatorUnit } from '../../regime/regime.js';
import type { AppContext } from '../../core/context.js';
import { eventTime, type BotCore, type InboundEvent, type OutMessage } from '../../core/message.js';
import { touch } from '../../services/contacts.js';
import { strangerInput } from '../../services/throttle.js';
import { userKey, type InboxEvent } from '../../store/records.js';
import type { ZaloClient } from './client.js';
import { normalizePhone, setFollowed, setPhone } from './contacts.js';
import { ZaloAuthError, ZaloError } from './errors.js';
import { attachmentsOf, parseZaloEvent, personOf, type ZaloEvent } from './events.js';
import { vi } from '../../i18n/vi.js';
import { renderOutMessage } from './render.js';

export const LEASE_MS = 2 * 60_000;
/** After this many failed tries (e.g. Zalo unreachable for a long time) an event is marked failed. */
export const MAX_ATTEMPTS = 5;

type Outcome = { status: 'done' | 'ignored'; note?: string };
/** The current lease on the event being processed (renewed as replies go out). */
type Lease = { until: number };

class LeaseLost extends Error {
  constructor() {
    super('lease on the event lost to another worker');
    this.name = 'LeaseLost';
  }
}

export class ZaloProcessor {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly bot: BotCore,
    private readonly client: ZaloClient,
  ) {}

  private now(): number {
    return this.ctx.clock.now().getTime();
  }

  /**
   * Queues an event behind the same person's earlier ones (in this process). `leased`: the event
   * as the webhook stored it, already leased to this process (no claim needed while that lease lasts).
   */
  schedule(id: string, person: string | undefined, leased?: InboxEvent): void {
    if (this.stopping) return;
    const key = person ?? id;
    const prev = this.chains.get(key) ?? Promise.resolve();
    const run = prev.then(() => this.process(id, leased)).catch((e) => this.ctx.log.error({ err: (e as Error).message, event: id }, 'zalo: event processing crashed'));
    this.chains.set(key, run);
    this.running.add(run);
    void run.finally(() => {
      this.running.delete(run);
      if (this.chains.get(key) === run) this.chains.delete(key);
    });
  }

  /** Recovery: schedules every event left unprocessed (including by a process that died). */
  async drain(): Promise<number> {
    if (this.stopping) return 0;
    const due = await this.ctx.store.dueInbox('zalo', this.now(), 200);
    for (const e of due) this.schedule(e._id, personOf(e.payload));
    return due.length;
  }

  /** Waits for work in progress (bounded), then refuses new work. */
  async stop(maxWaitMs = 10_000): Promise<void> {
    this.stopping = true;
    const all = Promise.allSettled([...this.running]);
    await Promise.race([all, new Promise((r) => setTimeout(r, maxWaitMs).unref())]);
  }

  /** Settled when everything scheduled so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  async process(id: string, leased?: InboxEvent): Promise<void> {
    // Leased at receipt (store.receiveClaimed); claimed here when it waited past that lease, or came from the drain.
    const ev = leased?.leaseUntil !== undefined && leased.leaseUntil > this.now() ? leased : await this.ctx.store.claimInbox(id, this.now(), LEASE_MS);
    if (!ev) return;
    const lease: Lease = { until: ev.leaseUntil as number };
    try {
      const outcome = await this.handle(ev, lease);
      await this.ctx.store.settleInbox(id, lease.until, { status: outcome.status, doneAt: this.now(), leaseUntil: undefined, error: outcome.note });
    } catch (e) {
      if (e instanceof LeaseLost) {
        this.ctx.log.warn({ event: id }, 'zalo: another worker took over the event; stopping here');
        return;
      }
      const err = e as Error;
      const tag = e instanceof ZaloError ? e.tag : e instanceof ZaloAuthError ? 'oauth' : err.name;
      const final = ev.attempts >= MAX_ATTEMPTS || (e instanceof ZaloError && !e.retryable && e.kind !== 'token');
      this.ctx.log.warn({ event: id, attempt: ev.attempts, final, tag }, 'zalo: event not processed');
      await this.ctx.store.settleInbox(
        id,
        lease.until,
        final
          ? { status: 'failed', error: `${tag}: ${err.message}`.slice(0, 500), leaseUntil: undefined, doneAt: this.now() }
          : { status: 'received', error: `${tag}: ${err.message}`.slice(0, 500), leaseUntil: undefined },
      );
    }
  }

  /**
   * The person's event as the core sees it. Its time is the event's own (Zalo's `timestamp`,
   * which a retried event carries unchanged), checked against when the webhook received it —
   * never when it is processed, however late that is.
   */
  private inbound(ev: InboxEvent, userId: string, extra: Partial<InboundEvent> = {}): InboundEvent {
    return {
      channel: 'zalo',
      userId,
      conversationId: userId,
      conversationRef: { userId },
      // Every event is leased from the inbox, and its replies are kept there before they are sent (handled).
      dedupedByChannel: true,
      receivedAt: eventTime(ev.payload.timestamp as string | number | undefined, ev.receivedAt),
      raw: ev.payload,
      ...extra,
    };
  }

  private async handle(ev: InboxEvent, lease: Lease): Promise<Outcome> {
    const parsed = parseZaloEvent(ev.payload);
    if (parsed.kind === 'unknown') {
      this.ctx.log.info({ event: ev._id, eventName: parsed.eventName }, 'zalo: unknown event ignored');
      return { status: 'ignored', note: `unknown event ${parsed.eventName}` };
    }
    if (parsed.kind === 'invalid') {
      this.ctx.log.warn({ event: ev._id, eventName: parsed.eventName, issues: parsed.issues }, 'zalo: malformed event ignored');
      return { status: 'ignored', note: `invalid: ${parsed.issues.join('; ')}`.slice(0, 500) };
    }
    const e: ZaloEvent = parsed.event;
    const now = this.now();
    const store = this.ctx.store;
    switch (e.event_name) {
      case 'user_send_text': {
        const userId = e.sender.id;
        // The core records the interaction (services/contacts.ts touch) and takes one turn per msg_id.
        const replies = ev.handled?.replies ?? (await this.bot.handle(this.inbound(ev, userId, { text: e.message.text, eventId: e.message.msg_id })));
        await this.reply(ev, lease, userId, replies as OutMessage[]);
        return { status: 'done' };
      }
      case 'user_send_file':
      case 'user_send_image': {
        // A file or photo (the signed report): the core fetches it from the URL in the event.
        const files = attachmentsOf(e.event_name, e.message.attachments ?? []);
        if (!files.length) return this.note(ev, lease, e.sender.id);
        const userId = e.sender.id;
        const replies = ev.handled?.replies ?? (await this.bot.handle(this.inbound(ev, userId, { attachments: files, eventId: e.message.msg_id })));
        await this.reply(ev, lease, userId, replies as OutMessage[]);
        return { status: 'done' };
      }
      case 'user_send_gif':
      case 'user_send_link':
      case 'user_send_audio':
      case 'user_send_video':
      case 'user_send_sticker':
      case 'user_send_location':
      case 'user_send_business_card':
        return this.note(ev, lease, e.sender.id);
      case 'user_click_chatnow': {
        // "Nhắn tin" tapped: an interaction (it opens the consultation window, like a message);
        // someone not enrolled gets the welcome (an official already enrolled just goes on).
        const userId = e.user_id;
        const gate = await this.strangerGate(ev, lease, userId);
        if (gate) return gate;
        await touch(this.ctx, this.inbound(ev, userId));
        if ((await store.membershipsOf(userKey('zalo', userId))).length === 0) await this.reply(ev, lease, userId, [{ text: vi.zalo.welcome(coordinatorUnit(this.ctx.regime)) }]);
        return { status: 'done' };
      }
      case 'follow': {
        const applied = await setFollowed(store, e.follower.id, true, this.inbound(ev, e.follower.id).receivedAt.getTime(), now);
        await store.writeAudit({ at: now, actor: `zalo:${e.follower.id}`, channel: 'zalo', action: 'zalo.follow', details: { source: e.source ?? null, ...(applied ? {} : { stale: true }) } });
        // A late retry of a follow the person has since undone: no welcome, nothing changed.
        if (!applied) return { status: 'ignored', note: 'older than the follow/unfollow already recorded' };
        await this.reply(ev, lease, e.follower.id, [{ text: vi.zalo.welcome(coordinatorUnit(this.ctx.regime)) }]);
        return { status: 'done' };
      }
      case 'unfollow': {
        const applied = await setFollowed(store, e.follower.id, false, this.inbound(ev, e.follower.id).receivedAt.getTime(), now);
        await store.writeAudit({ at: now, actor: `zalo:${e.follower.id}`, channel: 'zalo', action: 'zalo.unfollow', ...(applied ? {} : { details: { stale: true } }) });
        return applied ? { status: 'done' } : { status: 'ignored', note: 'older than the follow/unfollow already recorded' };
      }
      case 'user_submit_info': {
        await touch(this.ctx, this.inbound(ev, e.sender.id));
        const phone = e.info.phone ? normalizePhone(e.info.phone) : undefined;
        if (phone) await setPhone(store, e.sender.id, phone, now);
        return { status: 'done', note: phone ? undefined : 'no usable phone' };
      }
      case 'oa_send_text':
      case 'oa_send_image':
      case 'oa_send_gif':
      case 'oa_send_list':
      case 'oa_send_file':
      case 'oa_send_sticker':
        // The OA's own sends (ours included) echoed back. A person typing in the OA chat tool is
        // worth a log line; nothing else happens.
        if (e.sender.admin_id) this.ctx.log.info({ event: ev._id }, 'zalo: an OA administrator wrote to a user from the OA chat tool');
        return { status: 'ignored', note: 'oa echo' };
      case 'user_received_message':
      case 'user_seen_message':
        return { status: 'ignored', note: 'receipt' };
    }
  }

  /** A sticker, voice note, link…: only text (and a report's file or photo) is read; the person is told so. */
  private async note(ev: InboxEvent, lease: Lease, userId: string): Promise<Outcome> {
    const gate = await this.strangerGate(ev, lease, userId);
    if (gate) return gate;
    await touch(this.ctx, this.inbound(ev, userId));
    await this.reply(ev, lease, userId, [{ text: vi.zalo.attachmentNote }]);
    return { status: 'done' };
  }

  /**
   * What a person not enrolled sends outside the core (attachments, "Nhắn tin" taps) counts
   * against the same limit as their messages (services/throttle.ts): past it, the event is
   * ignored (told once when to come back) and nothing about the person is written.
   */
  private async strangerGate(ev: InboxEvent, lease: Lease, userId: string): Promise<Outcome | null> {
    if (ev.handled) return null;
    const key = userKey('zalo', userId);
    if ((await this.ctx.store.membershipsOf(key)).length > 0) return null;
    const gate = await strangerInput(this.ctx, { userKey: key, channel: 'zalo' }, this.now());
    if (!gate.refused) return null;
    if (gate.tell) await this.reply(ev, lease, userId, [{ text: vi.limits.strangerLocked({ minutes: gate.tell.minutes, until: gate.tell.untilText }, coordinatorUnit(this.ctx.regime)) }]);
    return { status: 'ignored', note: 'throttled: too many inputs from a person not enrolled' };
  }

  /**
   * Sends replies: checkpointed first, then each consultation message part counted as it goes,
   * so a restart neither calls the core again nor re-sends what already went out.
   */
  private async reply(ev: InboxEvent, lease: Lease, userId: string, replies: OutMessage[]): Promise<void> {
    const store = this.ctx.store;
    let sent = ev.handled?.sent ?? 0;
    if (!ev.handled) {
      const until = this.now() + LEASE_MS;
      // Only what Zalo shows (render.ts: the text and the buttons) is checkpointed: a table's rows
      // are nested arrays, which FerretDB refuses to store (a `trạng thái` was never answered there).
      const kept = replies.map((m) => ({ ...(m.text !== undefined ? { text: m.text } : {}), ...(m.choices ? { choices: m.choices } : {}) }));
      const ok = await store.settleInbox(ev._id, lease.until, { handled: { at: this.now(), replies: kept as unknown as Record<string, unknown>[], sent: 0 }, leaseUntil: until });
      if (!ok) throw new LeaseLost();
      lease.until = until;
    }
    const parts = replies.flatMap((m) => renderOutMessage(m));
    for (let i = sent; i < parts.length; i++) {
      await this.client.sendCs(userId, parts[i]);
      sent = i + 1;
      // Count the part and renew the lease, so a slow Zalo never lets another worker re-send.
      const until = this.now() + LEASE_MS;
      if (!(await store.settleInbox(ev._id, lease.until, { 'handled.sent': sent, leaseUntil: until }))) throw new LeaseLost();
      lease.until = until;
    }
  }
}
