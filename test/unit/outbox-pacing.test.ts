/**
 * The outbox's pacing: its token bucket on an injected clock (no wall-clock assertions), the
 * channels' default pacing against the platforms' documented limits, and its settings.
 */
import { describe, expect, it } from 'vitest';
import { teamsChannel } from '../../channels/teams/index.js';
import { zaloChannel } from '../../channels/zalo/index.js';
import { parseEnv, type AppConfig } from '../../config/env.js';
import { TokenBucket } from '../../jobs/outbox-worker.js';
import { TEAMS_RATE_LIMITS } from '../helpers/fake-bot-connector.js';
import { ZALO_RATE_LIMIT } from '../helpers/fake-zalo.js';

const config = (env: Record<string, string> = {}): AppConfig => {
  const r = parseEnv(env);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};
/** The default pacing is the channels' own with the default settings (core/channel.ts `ChannelDefinition.pacing`). */
const DEFAULT = { teams: teamsChannel.pacing(config()), zalo: zaloChannel.pacing(config()) };

describe('token bucket pacing', () => {
  const fakeTime = () => {
    const t = { now: 0 };
    return { t, now: () => t.now, sleep: async (ms: number) => void (t.now += ms) };
  };
  const maxInWindow = (times: number[], ms: number) => Math.max(...times.map((t) => times.filter((x) => x > t - ms && x <= t).length));

  it('the default Teams pacing never exceeds 40 sends in any second', async () => {
    const { t, now, sleep } = fakeTime();
    const bucket = new TokenBucket(DEFAULT.teams.rate, now, sleep);
    const times: number[] = [];
    for (let i = 0; i < 120; i++) {
      await bucket.take();
      times.push(t.now);
    }
    expect(times.slice(0, 4)).toEqual([0, 25, 50, 75]);
    expect(maxInWindow(times, 1000)).toBe(40);
    expect(t.now).toBe(119 * 25);
  });

  it('with a burst: at most burst + rate × T sends in any window of T', async () => {
    const { t, now, sleep } = fakeTime();
    const bucket = new TokenBucket({ perSecond: 5, burst: 5 }, now, sleep);
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      await bucket.take();
      times.push(t.now);
    }
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(times.slice(5)).toEqual([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(5 + 5);
    expect(maxInWindow(times, 2000)).toBeLessThanOrEqual(5 + 10);
  });

  it('refills while idle, up to the burst only', async () => {
    let now = 0;
    const bucket = new TokenBucket(
      { perSecond: 10, burst: 3 },
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    for (let i = 0; i < 3; i++) await bucket.take();
    now += 60_000; // a minute idle
    const start = now;
    for (let i = 0; i < 4; i++) await bucket.take();
    expect(now - start).toBe(100); // three from the refilled burst, the fourth waits 1/10 s
  });

  it('callers at once are served in the order they asked, one rate step apart', async () => {
    // Time moves when the wait ends (not when it starts), as it does for a real timer.
    const t = { now: 0 };
    const bucket = new TokenBucket(
      { perSecond: 10, burst: 1 },
      () => t.now,
      (ms) => Promise.resolve().then(() => void (t.now += ms)),
    );
    const served: Array<{ who: number; at: number }> = [];
    await Promise.all(Array.from({ length: 6 }, (_, who) => bucket.take().then(() => served.push({ who, at: t.now }))));
    expect(served).toEqual([0, 1, 2, 3, 4, 5].map((who) => ({ who, at: who * 100 })));
  });

  it('a process held up while callers wait gets at most the burst at once afterwards, not the backlog', async () => {
    // The sleep resolves only when the test says so: the event loop "was busy" meanwhile.
    const t = { now: 0 };
    let wake: (() => void) | undefined;
    const bucket = new TokenBucket(
      { perSecond: 10, burst: 2 },
      () => t.now,
      (ms) =>
        new Promise<void>((r) => {
          wake = () => {
            t.now += ms;
            r();
          };
        }),
    );
    const served: number[] = [];
    const all = Promise.all(Array.from({ length: 8 }, () => bucket.take().then(() => served.push(t.now))));
    await Promise.resolve();
    expect(served).toEqual([0, 0]); // the burst
    t.now += 5_000; // held up for 5 s: 50 tokens' worth of time, but the bucket holds 2
    (wake as () => void)();
    for (let i = 0; i < 20 && served.length < 8; i++) {
      await new Promise((r) => setImmediate(r));
      if (served.length < 8) (wake as () => void)();
    }
    await all;
    expect(served.filter((at) => at === served[2]).length).toBeLessThanOrEqual(2);
    const maxInWindow = (ms: number) => Math.max(...served.map((x) => served.filter((y) => y >= x && y < x + ms).length));
    expect(maxInWindow(1000)).toBeLessThanOrEqual(2 + 10);
    expect(maxInWindow(100)).toBeLessThanOrEqual(2 + 1);
  });
});

describe("default pacing under the platforms' documented limits", () => {
  it('Teams: all conversations under 50 requests a second, each conversation within every window (7/1 s, 8/2 s, 60/30 s, 1,800/h)', () => {
    const global = (TEAMS_RATE_LIMITS.global ?? [])[0];
    expect(DEFAULT.teams.rate.perSecond + DEFAULT.teams.rate.burst - 1).toBeLessThan(global.limit);
    const per = DEFAULT.teams.perRecipient;
    expect(per).toBeDefined();
    // A bucket lets through at most burst + rate × T in any window of T.
    for (const w of TEAMS_RATE_LIMITS.perConversation ?? []) expect(Math.floor((per?.burst ?? 0) + ((per?.perSecond ?? 0) * w.windowMs) / 1000), `${w.limit}/${w.windowMs} ms`).toBeLessThan(w.limit);
    expect(DEFAULT.teams.inFlight).toBeGreaterThan(1);
  });

  it('Zalo: under 4,000 calls a minute', () => {
    expect(DEFAULT.zalo.rate.perSecond * 60 + DEFAULT.zalo.rate.burst).toBeLessThan(ZALO_RATE_LIMIT.limit);
    expect(DEFAULT.zalo.inFlight).toBeGreaterThan(1);
  });
});

describe('OUTBOX_* settings', () => {
  it('set the pace and the sends in flight of each channel', () => {
    const c = config({ OUTBOX_TEAMS_RATE: '48', OUTBOX_ZALO_RATE: '12,5', OUTBOX_TEAMS_IN_FLIGHT: '8', OUTBOX_ZALO_IN_FLIGHT: '1' });
    expect(teamsChannel.pacing(c)).toMatchObject({ rate: { perSecond: 48 }, inFlight: 8 });
    expect(zaloChannel.pacing(c)).toMatchObject({ rate: { perSecond: 12.5 }, inFlight: 1 });
    expect(config().outbox).toEqual({ teams: { perSecond: 40, inFlight: 32 }, zalo: { perSecond: 55, inFlight: 32 } });
  });

  it('refuse, in Vietnamese and naming the variable, a pace above the platform limit or not a number, and in-flight counts outside 1–64', () => {
    const refused = (env: Record<string, string>) => {
      const r = parseEnv(env);
      expect(r.ok, JSON.stringify(env)).toBe(false);
      return r.ok ? '' : r.errors.join('\n');
    };
    expect(refused({ OUTBOX_TEAMS_RATE: '51' })).toBe('OUTBOX_TEAMS_RATE: cần một số tin mỗi giây, lớn hơn 0 và không quá 50 (giới hạn của Teams: 50 yêu cầu/giây cho mỗi bot), nhận được "51"');
    expect(refused({ OUTBOX_ZALO_RATE: '70' })).toContain('OUTBOX_ZALO_RATE: cần một số tin mỗi giây, lớn hơn 0 và không quá 66,6 (giới hạn của Zalo: 4.000 lần gọi API/phút)');
    for (const bad of ['0', '-5', 'bốn mươi', '1e3']) expect(refused({ OUTBOX_TEAMS_RATE: bad })).toContain('OUTBOX_TEAMS_RATE: ');
    for (const bad of ['0', '65', '2.5', 'nhiều']) expect(refused({ OUTBOX_ZALO_IN_FLIGHT: bad })).toBe(`OUTBOX_ZALO_IN_FLIGHT: cần một số nguyên từ 1 đến 64, nhận được "${bad}"`);
  });
});
