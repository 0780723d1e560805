/**
 * The outbox worker with several sends in flight against platforms that answer after a realistic
 * round trip (100–200 ms, REALISTIC_LATENCY) and enforce Teams' documented limits (50 requests a
 * second per bot; per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h; 429 + Retry-After): the real
 * app, its real senders and the worker at its default settings. Outcomes are checked at the fake
 * (each message once, in order per person, no window exceeded: the fake counts its refusals) and
 * in the store (every entry `sent`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../jobs/outbox-worker.js';
import { ManualClock } from '../lib/clock.js';
import { startFakeBotConnector, TEAMS_RATE_LIMITS, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, ZALO_RATE_LIMIT, type FakeZalo } from './helpers/fake-zalo.js';
import { REALISTIC_LATENCY } from './helpers/latency.js';
import { FAST, startWorld, type World } from './helpers/reminder-world.js';
import type { TeamsUser } from './helpers/teams-fixtures.js';

let w: World | undefined;
let teams: FakeBotConnector | undefined;
let zalo: FakeZalo | undefined;
afterEach(async () => {
  await w?.close();
  await teams?.close();
  await zalo?.close();
  w = teams = zalo = undefined;
});

const UNITS = ['BHXH', 'KHDT', 'STC', 'STP', 'STTTT', 'CTHUE', 'CTK', 'LMHTX', 'LDLD', 'MTTQ'];
const NOW = '2027-07-06T09:00:00+07:00';

/** A world whose fakes enforce the documented limits on real time; enrolment runs without latency. */
async function world(): Promise<World> {
  const clock = new ManualClock(Date.parse(NOW));
  teams = await startFakeBotConnector({ rateLimits: TEAMS_RATE_LIMITS });
  zalo = await startFakeZalo({ rateLimit: ZALO_RATE_LIMIT });
  return startWorld({ now: NOW, shared: { teams, zalo, clock } });
}

/** `perPerson` numbered notices to each recipient, queued at once, person by person. */
async function queue(world: World, recipients: Array<{ key: string; unit: string }>, perPerson: number): Promise<string[]> {
  const ids: string[] = [];
  const at = world.clock.now().getTime();
  for (let i = 1; i <= perPerson; i++)
    for (const r of recipients) {
      const _id = `notice|flight|${r.key}|${i}`;
      await world.app.ctx.store.enqueue({
        _id,
        createdAt: at,
        channel: r.key.startsWith('teams:') ? 'teams' : 'zalo',
        recipient: r.key,
        unitCode: r.unit,
        message: { text: `Thông báo số ${i}` },
        purpose: 'notice',
      });
      ids.push(_id);
    }
  return ids;
}

describe('outbox: several sends in flight, 100–200 ms round trips, documented limits', () => {
  it('Teams and Zalo: every message once, in order per person, several in flight, no window exceeded, every entry sent', async () => {
    w = await world();
    const people: Array<{ user?: TeamsUser; zaloId?: string; key: string; unit: string }> = [];
    for (const unit of UNITS) {
      const user = await w.enrolTeams(unit);
      people.push({ user, key: `teams:${user.userId}`, unit });
      const zaloId = await w.enrolZalo(unit);
      people.push({ zaloId, key: `zalo:${zaloId}`, unit });
    }
    w.reset();
    (teams as FakeBotConnector).clear();
    teams?.setLatency(REALISTIC_LATENCY);
    zalo?.setLatency(REALISTIC_LATENCY);
    const PER_PERSON = 3;
    const ids = await queue(w, people, PER_PERSON);

    // The worker as the app ships it (OUTBOX_* unset): its own pacing, in flight and lanes.
    const worker = new OutboxWorker(w.app.ctx, { backoff: FAST.backoff });
    const inFlight = worker.pacingOf('teams')?.inFlight ?? 1;
    expect(inFlight).toBeGreaterThan(1);
    const r = await worker.drainOnce();
    expect(r).toMatchObject({ sent: ids.length, retried: 0, failed: 0, undeliverable: 0 });

    // In the store: every entry sent, on its first attempt.
    expect(await w.app.ctx.store.outbox.count({ _id: { $in: ids }, status: 'sent', attempts: 1 })).toBe(ids.length);
    // At the fakes: each person got their messages once, in the order they were queued.
    const expected = Array.from({ length: PER_PERSON }, (_, i) => `Thông báo số ${i + 1}`);
    // (The reply to the last enrolment may still be on its way: only the notices count.)
    const notices = (texts: string[]) => texts.filter((t) => t.startsWith('Thông báo số'));
    for (const p of people) expect(notices(p.user ? w.teamsTexts(p.user) : w.zaloTexts(p.zaloId as string)), p.key).toEqual(expected);
    // No window of Teams' limits was exceeded (the fake would have answered 429) …
    expect(teams?.rateRefusals).toBe(0);
    expect(teams?.requests.filter((q) => q.status === 429)).toEqual([]);
    // … while several sends were on the wire at once (one at a time would be 1).
    expect(teams?.maxInFlight).toBeGreaterThan(1);
    expect(teams?.maxInFlight).toBeLessThanOrEqual(inFlight);
    expect(zalo?.maxInFlight).toBeGreaterThan(1);
  });

  it('a 429 with Retry-After while sends are in flight: the refused ones wait exactly that long, nothing goes out meanwhile, then each arrives once', async () => {
    w = await world();
    const people: Array<{ user: TeamsUser; key: string; unit: string }> = [];
    for (const unit of UNITS) {
      const user = await w.enrolTeams(unit);
      people.push({ user, key: `teams:${user.userId}`, unit });
    }
    w.reset();
    teams?.setLatency(REALISTIC_LATENCY);
    const ids = await queue(w, people, 2);
    // Teams refuses the next three requests: 429, Retry-After 2 s.
    teams?.failWith({ status: 429, code: 'TooManyRequests', retryAfterSeconds: 2, times: 3 });

    const worker = new OutboxWorker(w.app.ctx, { backoff: FAST.backoff });
    const refusedAt = w.clock.now().getTime(); // the world's clock stands still: domain time of the refusals
    const first = await worker.drainOnce();
    expect(first.retried).toBeGreaterThan(0);
    expect(first.failed + first.undeliverable).toBe(0);
    const refused = (teams as FakeBotConnector).requests.filter((q) => q.status === 429);
    expect(refused).toHaveLength(3);
    // The refused entries are due again exactly at Retry-After, with the refusal as their last error.
    const retried = await w.app.ctx.store.outbox.find({ _id: { $in: ids }, attempts: 1, status: 'pending', lastError: { $ne: null } });
    expect(retried.length).toBe(first.retried);
    for (const e of retried) expect(e).toMatchObject({ nextAttemptAt: refusedAt + 2000, lastError: expect.stringContaining('429') });
    // The channel is paused: a drain now sends nothing (every unsent entry waits for the pause).
    const sentBefore = teams?.activities().length;
    expect((await worker.drainOnce()).sent).toBe(0);
    expect(teams?.activities().length).toBe(sentBefore);
    expect(await w.app.ctx.store.outbox.count({ _id: { $in: ids }, status: 'pending', nextAttemptAt: { $lt: refusedAt + 2000 } })).toBe(0);

    // Once Retry-After has passed, everything goes, once.
    w.clock.advance(2000);
    await w.drain();
    expect(await w.app.ctx.store.outbox.count({ _id: { $in: ids }, status: 'sent' })).toBe(ids.length);
    for (const e of retried) expect((await w.app.ctx.store.outbox.get(e._id))?.attempts).toBe(2);
    for (const p of people)
      expect(
        w
          .teamsTexts(p.user)
          .filter((t) => t.startsWith('Thông báo số'))
          .sort(),
        p.key,
      ).toEqual(['Thông báo số 1', 'Thông báo số 2']);
    expect(teams?.rateRefusals).toBe(0);
  });
});
