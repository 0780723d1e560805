/**
 * The channel contract (core/channel.ts): the SAME cases run over every channel, through its real
 * edge — Teams activities posted to /api/messages (replies and proactive sends at the fake Bot
 * Connector), signed Zalo events posted to the webhook (replies at the fake Zalo API), console
 * lines typed into a console session (replies on its output) — against one running app and
 * store:
 *
 *   1. an inbound text reaches the core and gets a reply;
 *   2. a redelivered event (same platform id) is processed once: one membership, one audit
 *      entry, one record of the event in the store (the channel's inbox record for Teams and Zalo,
 *      which record and lease each event before its turn; else the core's turn record), and no
 *      second answer that differs from the first;
 *   3. the core's own de-duplication, for a channel that keeps no record of its events: the first
 *      turn's replies, nothing stored twice (not run for Teams and Zalo: their record is kept
 *      before the turn, so the core keeps none, InboundEvent.dedupedByChannel);
 *   4. the Contact is touched with the event's own time, and a late older event does not move
 *      it back;
 *   5. a proactive message through the adapter's sender arrives at the platform (fake);
 *   6. the adapter's health probe reports (and /healthz shows it for the channels the server runs).
 *
 * Each channel's outcome per case is printed at the end (the table the issue asks for).
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter, type ConsoleChannel } from '../channels/console/console-channel.js';
import type { ChannelAdapter } from '../core/channel.js';
import { ManualClock } from '../lib/clock.js';
import type { Channel, Contact } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { zaloTextEvent } from './helpers/chat-drivers.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';

const NOW = Date.parse('2027-06-16T09:00:00+07:00');
const MINUTE = 60_000;

interface InboundOpts {
  /** The platform's id of the event (generated when absent; the console has none for a typed line). */
  id?: string;
  /** The platform's time of the event (ignored by the console: a line's time is when it is read). */
  at?: number;
}

/** One channel as the contract drives it. */
interface Harness {
  channel: Channel;
  /** Whether the platform stamps its own time on an event (which may lie before its processing). */
  stampsTime: boolean;
  /** A new person on this channel; returns their user key. */
  person(): Promise<string>;
  /** An inbound text event from the person; resolves with the text of what the person got back. */
  say(key: string, text: string, o?: InboundOpts): Promise<string>;
  /** The platform delivers the same event again; resolves with what the person got back for it. */
  redeliver(key: string, text: string, o: Required<InboundOpts>): Promise<string>;
  /** The `_id` of the channel's own (inbox) record of an event, for a channel that keeps one before the turn. */
  inboxId?(key: string, id: string): string;
  /** What reached the person at the platform so far, as text (replies and proactive messages). */
  received(key: string): string[];
  adapter(key: string): ChannelAdapter;
  /** The server runs it (its probe is in /healthz). */
  served: boolean;
}

const results = new Map<Channel, Map<string, string>>();

/** Resolves once `pred` holds (polled), or fails after `timeoutMs`. */
async function until(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('channel contract', () => {
  const clock = new ManualClock(NOW);
  let app: TestApp;
  let connector: FakeBotConnector;
  let zalo: FakeZalo;
  const consoles = new Map<string, { adapter: ConsoleChannel; input: PassThrough; out: string[] }>();

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    zalo = await startFakeZalo();
    app = await startTestApp(zalo.env(), { clock });
  });
  afterAll(async () => {
    for (const c of consoles.values()) await c.adapter.stop();
    await app?.close();
    await connector?.close();
    await zalo?.close();
    const cases = [...new Set([...results.values()].flatMap((m) => [...m.keys()]))];
    const lines = ['channel contract — results per channel', ['case', ...results.keys()].join(' | ')];
    for (const c of cases) lines.push([c, ...[...results.values()].map((m) => m.get(c) ?? 'not run')].join(' | '));
    process.stdout.write(`\n${lines.join('\n')}\n\n`);
  });

  // --- Teams: /api/messages → fake Bot Connector ----------------------------------------------
  const teamsUsers = new Map<string, TeamsUser>();
  const teamsActivity = (key: string, text: string, o: InboundOpts) =>
    asUser(teamsFixture('message-personal', connector.serviceUrl, { id: o.id ?? nextActivityId(), text, timestamp: new Date(o.at ?? clock.now().getTime()).toISOString() }), teamsUsers.get(key)!);
  const teamsPost = async (key: string, activity: Record<string, any>) => {
    const u = teamsUsers.get(key)!;
    const mark = connector.requests.length;
    expect((await postActivity(app.url, activity)).status).toBe(200);
    return connector.requests
      .slice(mark)
      .filter((q) => q.conversationId === u.conversationId && q.op === 'reply' && q.status < 300)
      .map((q) => activityText(q.body))
      .join('\n');
  };
  const teams: Harness = {
    channel: 'teams',
    stampsTime: true,
    served: true,
    async person() {
      const u = teamsUser('Cán bộ Teams');
      teamsUsers.set(`teams:${u.userId}`, u);
      return `teams:${u.userId}`;
    },
    say: (key, text, o = {}) => teamsPost(key, teamsActivity(key, text, o)),
    redeliver: (key, text, o) => teamsPost(key, teamsActivity(key, text, o)),
    inboxId: (key, id) => `teams|${teamsUsers.get(key)!.conversationId}|${id}`,
    received: (key) => connector.activities(teamsUsers.get(key)!.conversationId).map(activityText),
    adapter: () => app.channels.get('teams')!,
  };

  // --- Zalo: signed webhook → inbox → core → fake Zalo API -------------------------------------
  const zaloPost = async (key: string, event: ReturnType<typeof zaloTextEvent>) => {
    const userId = key.slice('zalo:'.length);
    const mark = zalo.cs.length;
    expect((await zalo.post(app.url, event)).status).toBe(200);
    await zalo.waitFor(async () => {
      const st = (await app.ctx.store.inbox.get(`zalo:user_send_text:${event.message.msg_id}`))?.status;
      return st === 'done' || st === 'failed' || st === 'ignored';
    }, 'the event is processed');
    await app.settled();
    return zalo.cs
      .slice(mark)
      .filter((m) => m.userId === userId)
      .map((m) => m.message.text)
      .join('\n');
  };
  const zaloEvent = (key: string, text: string, o: InboundOpts) => zaloTextEvent(zalo, key.slice('zalo:'.length), text, o.at ?? clock.now().getTime(), o.id ?? zaloId());
  const zaloHarness: Harness = {
    channel: 'zalo',
    stampsTime: true,
    served: true,
    person: async () => `zalo:${zaloId()}`,
    say: (key, text, o = {}) => zaloPost(key, zaloEvent(key, text, o)),
    redeliver: (key, text, o) => zaloPost(key, zaloEvent(key, text, o)),
    inboxId: (_key, id) => `zalo:user_send_text:${id}`,
    received: (key) => zalo.cs.filter((m) => m.userId === key.slice('zalo:'.length)).map((m) => m.message.text),
    adapter: () => app.channels.get('zalo')!,
  };

  // --- console: a console session per person (the adapter `dondoc chat` runs) ------------------
  const consoleHarness: Harness = {
    channel: 'console',
    stampsTime: false,
    served: false,
    async person() {
      const userId = `can.bo.${consoles.size + 1}`;
      const input = new PassThrough();
      const output = new PassThrough();
      const out: string[] = [];
      output.on('data', (d: Buffer) => out.push(String(d)));
      const adapter = createConsoleAdapter({ ctx: app.ctx, bot: app.bot, options: { userId, input, output, interactive: false } });
      await adapter.start();
      consoles.set(`console:${userId}`, { adapter, input, out });
      return `console:${userId}`;
    },
    async say(key, text, o = {}) {
      const c = consoles.get(key)!;
      const mark = c.out.length;
      if (o.id) {
        // A driver handing over an identified line (the console's inbound edge, as its reader uses it).
        await c.adapter.receive(text, { eventId: o.id });
      } else {
        // A typed line: through the session's input, answered on its output.
        c.input.write(`${text}\n`);
        await until(() => c.out.length > mark, `the console answers "${text}"`);
      }
      await c.adapter.idle();
      return c.out.slice(mark).join('').trim();
    },
    redeliver: (key, text, o) => consoleHarness.say(key, text, o),
    // The console keeps no record of its own: the core's is the only one.
    received: (key) => consoles.get(key)!.out.map((s) => s.trim()),
    adapter: (key) => consoles.get(key)!.adapter,
  };

  describe.each([teams, zaloHarness, consoleHarness])('$channel', (h) => {
    const check = (name: string, fn: () => Promise<void>) =>
      it(name, async () => {
        const row = results.get(h.channel) ?? new Map<string, string>();
        results.set(h.channel, row);
        try {
          await fn();
          row.set(name, 'pass');
        } catch (e) {
          row.set(name, `FAIL: ${(e as Error).message.split('\n')[0].slice(0, 120)}`);
          throw e;
        }
      });
    let person = '';
    const contact = async (key = person) => (await app.ctx.store.contacts.get(key)) as Contact;

    check('1 an inbound text reaches the core and gets a reply', async () => {
      person = await h.person();
      const reply = await h.say(person, 'trợ giúp');
      expect(reply).toContain('đăng ký MÃ');
      expect(await contact()).toMatchObject({ channel: h.channel, reachable: true });
    });

    check('2 a redelivered event is processed once (store: one membership, one audit entry, one turn)', async () => {
      const code = await app.ctx.store.createEnrolmentCode({ unitCode: 'BA-BE', role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
      const ev = { id: `ev-${h.channel}-${nextActivityId()}`, at: clock.now().getTime() };
      const first = await h.say(person, `đăng ký ${code}`, ev);
      expect(first).toMatch(/Đăng ký thành công/);
      clock.advance(MINUTE);
      const again = await h.redeliver(person, `đăng ký ${code}`, ev);
      // Nothing, or the same answer again — never a second turn's ("mã đã được sử dụng").
      if (again) expect(again).toBe(first);
      expect(await app.ctx.store.membershipsOf(person)).toMatchObject([{ unitCode: 'BA-BE', role: 'focal' }]);
      expect(await app.ctx.store.audit.count({ action: 'enrolment.redeemed', actor: person })).toBe(1);
      if (h.inboxId) {
        // The channel's record, kept before the turn, is the one record; the core adds none.
        expect(await app.ctx.store.inbox.get(h.inboxId(person, ev.id))).toMatchObject({ status: 'done' });
        expect(await app.ctx.store.turns.count({ userKey: person, eventId: ev.id })).toBe(0);
      } else expect(await app.ctx.store.turns.find({ userKey: person, eventId: ev.id })).toMatchObject([{ status: 'done' }]);
    });

    if (!h.inboxId)
      check("3 the core's own de-duplication holds for a channel that keeps no record of the event", async () => {
        const code = await app.ctx.store.createEnrolmentCode({ unitCode: 'CTK', role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
        const ev = { id: `ev-${h.channel}-${nextActivityId()}`, at: clock.now().getTime() };
        const other = await h.person();
        const first = await h.say(other, `đăng ký ${code}`, ev);
        expect(first).toMatch(/Đăng ký thành công/);
        clock.advance(MINUTE);
        // The channel hands it to the core as a new event: the first turn's replies come back.
        expect(await h.redeliver(other, `đăng ký ${code}`, ev)).toBe(first);
        expect(await app.ctx.store.membershipsOf(other)).toHaveLength(1);
        expect(await app.ctx.store.audit.count({ action: 'enrolment.redeemed', actor: other })).toBe(1);
        expect(await app.ctx.store.turns.count({ userKey: other, eventId: ev.id })).toBe(1);
      });

    check("4 the contact is touched with the event's own time, never moved back", async () => {
      clock.advance(30 * MINUTE);
      const at = h.stampsTime ? clock.now().getTime() - 10 * MINUTE : clock.now().getTime();
      await h.say(person, 'trợ giúp', { id: `ev-${h.channel}-${nextActivityId()}`, at });
      expect((await contact()).lastInteractionAt).toBe(at);
      if (!h.inboxId) expect(await app.ctx.store.turns.find({ userKey: person }, { sort: [['startedAt', -1]], limit: 1 })).toMatchObject([{ eventAt: at }]);
      if (h.stampsTime) {
        // An older event (a late retry) handled now: the last interaction stays.
        await h.say(person, 'trợ giúp', { id: `ev-${h.channel}-${nextActivityId()}`, at: at - 30 * MINUTE });
        expect((await contact()).lastInteractionAt).toBe(at);
      }
    });

    check("5 a proactive message through the adapter's sender arrives at the platform", async () => {
      const text = `Nhắc việc (${h.channel}): báo cáo tháng 06/2027 của huyện Ba Bể cần nộp trước ngày 05/7/2027.`;
      const before = h.received(person).length;
      const r = await h.adapter(person).sender.send(await contact(), { text });
      expect(r.status).toBe('sent');
      expect(h.received(person).slice(before).join('\n')).toContain(text);
      // It is the adapter the app registered for the channel (when the server runs it).
      if (h.served) expect(app.ctx.senders.get(h.channel)).toBe(h.adapter(person).sender);
    });

    check('6 the health probe reports', async () => {
      const adapter = h.adapter(person);
      const own = await adapter.health.check();
      expect(own).toMatchObject({ ok: true, detail: expect.any(String) });
      if (h.served) {
        const health = (await (await fetch(`${app.url}/healthz`)).json()) as { checks: Record<string, unknown> };
        expect(health.checks[adapter.health.name]).toEqual(own);
      } else {
        // The console session's probe follows the session.
        await adapter.stop();
        expect(await adapter.health.check()).toMatchObject({ ok: false });
        expect((await adapter.sender.send(await contact(), { text: 'x' })).status).toBe('undeliverable');
      }
    });
  });
});
