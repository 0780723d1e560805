/**
 * The outbox's pacing against platforms that enforce their rate limits: the real app and its
 * outbox worker (default pacing, real senders) send through the fake Bot Connector enforcing
 * Teams' documented per-thread windows (TEAMS_RATE_LIMITS: 7/1 s, 8/2 s, …; 429 + Retry-After)
 * and through the fake Zalo OA API enforcing a window (-32, as Zalo documents). The fakes measure
 * their windows on the app's ManualClock and the worker's pacing waits advance that clock, so
 * nothing depends on how fast the machine is: one simulated timeline.
 *
 * What the product must do: keep within the documented windows by itself (per conversation too),
 * deliver every message exactly once, never lose one to a refusal, and when refused pause the
 * channel (the sends not yet on the wire wait; one message probes after the pause) until the
 * platform's Retry-After, or its own backoff, has passed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../jobs/outbox-worker.js';
import { ManualClock } from '../lib/clock.js';
import { startFakeBotConnector, TEAMS_RATE_LIMITS, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';
import { FAST, startWorld, type World } from './helpers/reminder-world.js';
import { activityText } from './helpers/teams-fixtures.js';

let w: World | undefined;
let teams: FakeBotConnector | undefined;
let zalo: FakeZalo | undefined;
afterEach(async () => {
  await w?.close();
  await teams?.close();
  await zalo?.close();
  w = teams = zalo = undefined;
});

/** The worker as the scheduler builds it (default pacing), its pacing waits moving `clock`. */
const pacedWorker = (world: World, clock: ManualClock) =>
  new OutboxWorker(world.app.ctx, { backoff: FAST.backoff, pacingTime: { now: () => clock.now().getTime(), sleep: async (ms) => clock.advance(ms) } });

describe('outbox pacing against enforced rate limits', () => {
  /** Twelve notices to one enrolled person, queued at once. */
  const burstToOne = async (world: World, clock: ManualClock, n: number) => {
    const person = await world.enrolTeams('BHXH');
    clock.advance(3_600_000); // the enrolment replies leave every window
    const t0 = clock.now().getTime();
    for (let i = 1; i <= n; i++)
      await world.app.ctx.store.enqueue({
        _id: `notice|burst|${String(i).padStart(2, '0')}`,
        createdAt: t0,
        channel: 'teams',
        recipient: `teams:${person.userId}`,
        unitCode: 'BHXH',
        message: { text: `Thông báo số ${i}` },
        purpose: 'notice',
      });
    return person;
  };
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `notice|burst|${String(i + 1).padStart(2, '0')}`);

  it("Teams: a burst to one person is paced within the thread's windows (7/1 s, 8/2 s, …): no refusal, each message once and in order", async () => {
    const clock = new ManualClock(Date.parse('2027-07-06T09:00:00+07:00'));
    const log: Array<{ at: number; status: number; text: string }> = [];
    teams = await startFakeBotConnector({
      rateLimits: TEAMS_RATE_LIMITS,
      now: () => clock.now().getTime(),
      onRequest: (r) => {
        if (r.op === 'send' || r.op === 'reply') log.push({ at: clock.now().getTime(), status: r.status, text: activityText(r.body) });
      },
    });
    w = await startWorld({ now: '2027-07-06T09:00:00+07:00', shared: { teams, clock } });
    const BURST = 12;
    const person = await burstToOne(w, clock, BURST);
    log.length = 0;
    teams.clear();

    const r = await pacedWorker(w, clock).drainOnce();
    expect(r).toMatchObject({ sent: BURST, retried: 0, failed: 0, undeliverable: 0 });
    // Nothing went over a window at the fake (it would have answered 429), and each arrived once, in the order queued.
    expect(teams.rateRefusals).toBe(0);
    expect(log.map((l) => l.status)).toEqual(Array(BURST).fill(200));
    expect(w.teamsTexts(person)).toEqual(Array.from({ length: BURST }, (_, i) => `Thông báo số ${i + 1}`));
    expect(await w.app.ctx.store.outbox.count({ _id: { $in: ids(BURST) }, status: 'sent', attempts: 1 })).toBe(BURST);
    for (const win of TEAMS_RATE_LIMITS.perConversation ?? []) {
      const most = Math.max(...log.map((l) => log.filter((x) => x.at >= l.at && x.at < l.at + win.windowMs).length));
      expect(most, `${win.limit} in ${win.windowMs} ms`).toBeLessThanOrEqual(win.limit);
    }
  });

  it('Teams: a thread limit tighter than the pace — the refused send waits for Retry-After, nothing is lost or doubled', async () => {
    const clock = new ManualClock(Date.parse('2027-07-06T09:00:00+07:00'));
    const log: Array<{ at: number; status: number; text: string; retryAfter?: number }> = [];
    // Stricter than Teams' documented windows, so that the worker's own pacing (4 at once) is refused.
    teams = await startFakeBotConnector({
      rateLimits: { perConversation: [{ limit: 3, windowMs: 1000 }] },
      now: () => clock.now().getTime(),
      onRequest: (r) => {
        if (r.op === 'send' || r.op === 'reply') log.push({ at: clock.now().getTime(), status: r.status, text: activityText(r.body) });
      },
    });
    w = await startWorld({ now: '2027-07-06T09:00:00+07:00', shared: { teams, clock } });
    const BURST = 12;
    const person = await burstToOne(w, clock, BURST);
    log.length = 0;

    const worker = pacedWorker(w, clock);
    const drains: Array<{ sent: number; retried: number }> = [];
    for (let round = 0; round < 10 && (await w.app.ctx.store.outbox.count({ status: 'pending' })); round++) {
      const r = await worker.drainOnce();
      drains.push({ sent: r.sent, retried: r.retried });
      expect(r.failed + r.undeliverable + r.fallbacks).toBe(0);
      // Until the retry the worker scheduled (the Retry-After it was given; its channel pause ends
      // then too): past it, the next drain may go on.
      const last = (await w.app.ctx.store.outbox.find({ status: 'pending' }, { sort: [['nextAttemptAt', -1]], limit: 1 }))[0];
      if (last) clock.set(Math.max(clock.now().getTime(), last.nextAttemptAt));
    }

    // Every message once, on the wire and in the store.
    const accepted = log.filter((l) => l.status === 200).map((l) => l.text);
    expect(accepted.sort()).toEqual(Array.from({ length: BURST }, (_, i) => `Thông báo số ${i + 1}`).sort());
    expect(w.teamsTexts(person).filter((t) => t.startsWith('Thông báo số'))).toHaveLength(BURST);
    expect(await w.app.ctx.store.outbox.count({ _id: { $in: ids(BURST) }, status: 'sent' })).toBe(BURST);
    const refused = log.filter((l) => l.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(drains.some((d) => d.retried > 0)).toBe(true);
    // After a refusal at t, nothing went out before t + Retry-After (1 s here), not even the
    // refused activity again (the SDK's client does not retry it: the outbox does, later).
    for (const r of refused) {
      const meanwhile = log.filter((l) => l !== r && l.at >= r.at && l.at < r.at + 1000);
      expect(meanwhile, `sent while paused after "${r.text}" was refused`).toEqual([]);
    }
    console.log(`[rate limits] Teams: ${BURST} messages to one person, ${refused.length} refused requests (${new Set(refused.map((r) => r.text)).size} messages), ${drains.length} drains`);
  });

  it('Zalo: more reminders than the window allows — the channel pauses on -32 until its delay has passed, and every reminder arrives once', async () => {
    const clock = new ManualClock(Date.parse('2027-06-21T06:00:00+07:00'));
    const WINDOW = { limit: 3, windowMs: 60_000 };
    zalo = await startFakeZalo({ rateLimit: { ...WINDOW, now: () => clock.now().getTime() } });
    teams = await startFakeBotConnector();
    w = await startWorld({ now: '2027-06-21T06:00:00+07:00', shared: { teams, zalo, clock } });
    const units = ['BHXH', 'KHDT', 'STC', 'STP', 'STTTT', 'CTHUE', 'CTK'];
    const people = new Map<string, string>();
    for (const u of units) {
      people.set(u, await w.enrolZalo(u));
      clock.advance(WINDOW.windowMs); // the enrolment replies leave the window
    }
    w.reset();
    // The T-14 reminder of 2027-H1 to each of them.
    clock.set('2027-06-21T08:00:00+07:00');
    expect((await w.pass()).enqueued).toBe(units.length);
    const mark = zalo.calls.length;

    const worker = pacedWorker(w, clock);
    const rounds: Array<{ accepted: number; refusedFor: string[] }> = [];
    for (let round = 0; round < 10 && (await w.app.ctx.store.outbox.count({ purpose: 'reminder', status: 'pending' })); round++) {
      const from = zalo.calls.length;
      const r = await worker.drainOnce();
      expect(r.failed + r.undeliverable).toBe(0);
      const calls = zalo.calls.slice(from).filter((c) => c.endpoint === 'cs');
      const refusedFor = [...new Set(calls.filter((c) => c.error === -32).map((c) => c.target as string))];
      rounds.push({ accepted: calls.filter((c) => c.error === 0).length, refusedFor });
      if (refusedFor.length) {
        // Paused: a drain now tries nothing (the refused and the held-back reminders wait for the pause).
        const before = zalo.calls.length;
        expect((await worker.drainOnce()).sent).toBe(0);
        expect(zalo.calls.length).toBe(before);
      }
      clock.advance(2 * WINDOW.windowMs); // past the window and the worker's pause (60 s ± 20 %)
    }

    // Each round: at most the window's worth accepted; refused, at most the sends that were
    // already in flight when the first refusal came back (the worker's in-flight limit).
    const inFlight = pacedWorker(w, clock).pacingOf('zalo')?.inFlight ?? 1;
    for (const r of rounds) {
      expect(r.accepted).toBeLessThanOrEqual(WINDOW.limit);
      expect(r.refusedFor.length).toBeLessThanOrEqual(inFlight);
    }
    expect(rounds.filter((r) => r.refusedFor.length).length, 'the window was hit').toBeGreaterThan(0);
    // Every reminder once, to its person, in the store and on the wire.
    const reminders = await w.app.ctx.store.outbox.find({ purpose: 'reminder' });
    expect(reminders.map((e) => e.status)).toEqual(units.map(() => 'sent'));
    for (const [u, id] of people) expect(w.zaloTexts(id), u).toHaveLength(1);
    expect(zalo.calls.slice(mark).filter((c) => c.endpoint === 'cs' && c.error === 0)).toHaveLength(units.length);
    console.log(
      `[rate limits] Zalo: ${units.length} reminders, window ${WINDOW.limit}/min, rounds ${rounds.map((r) => `${r.accepted} sent${r.refusedFor.length ? ` + ${r.refusedFor.length} refused` : ''}`).join(', ')}`,
    );
  });
});
