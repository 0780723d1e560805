/**
 * The outbox's per-channel token bucket, on an injected clock (no wall-clock assertions).
 */
import { describe, expect, it } from 'vitest';
import { teamsChannel } from '../../channels/teams/index.js';
import { zaloChannel } from '../../channels/zalo/index.js';
import { TokenBucket } from '../../jobs/outbox-worker.js';

/** The default paces are the channels' own (core/channel.ts `ChannelDefinition.rate`). */
const DEFAULT_RATES = { teams: teamsChannel.rate, zalo: zaloChannel.rate };

describe('token bucket pacing', () => {
  const fakeTime = () => {
    const t = { now: 0 };
    return { t, now: () => t.now, sleep: async (ms: number) => void (t.now += ms) };
  };
  const maxInWindow = (times: number[], ms: number) => Math.max(...times.map((t) => times.filter((x) => x > t - ms && x <= t).length));

  it('the default Teams pacing never exceeds 5 sends in any second', async () => {
    const { t, now, sleep } = fakeTime();
    const bucket = new TokenBucket(DEFAULT_RATES.teams, now, sleep);
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      await bucket.take();
      times.push(t.now);
    }
    expect(times.slice(0, 6)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(maxInWindow(times, 1000)).toBe(5);
    expect(t.now).toBe(39 * 200);
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

  it("defaults stay under the platforms' documented limits", () => {
    // Teams: 7 sends/s per conversation, 50 RPS per app and tenant (docs/platforms/teams.md §3); Zalo: 4,000 requests/min per app.
    expect(DEFAULT_RATES.teams.perSecond).toBeLessThanOrEqual(7);
    expect(DEFAULT_RATES.zalo.perSecond * 60).toBeLessThan(4000);
  });
});
