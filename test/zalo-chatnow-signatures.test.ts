/**
 * Zalo, through the webhook of the real app and the fake Zalo API: the "Nhắn tin" tap
 * (`user_click_chatnow`) opens the consultation window (the Contact's last interaction is the
 * event's time) and gets the welcome; events refused for their signature are counted in
 * /healthz (`checks.zalo.signatureFailures`) so a wrong OA secret shows on the first live day.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { coordinatorUnit } from '../regime/regime.js';
import { STRANGER } from '../services/throttle.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeZalo, zaloFixture, zaloId, type FakeZalo } from './helpers/fake-zalo.js';

describe('Zalo: "Nhắn tin" and signature failures', () => {
  let fake: FakeZalo;
  let app: TestApp;
  // A moment when the regime's calendar is complete (/healthz is otherwise degraded by it).
  const clock = new ManualClock(Date.parse('2026-11-30T09:00:00+07:00'));
  beforeEach(async () => {
    fake = await startFakeZalo();
    app = await startTestApp(fake.env(), { clock });
  });
  afterEach(async () => {
    await app?.close();
    await fake?.close();
  });

  const chatnow = (userId: string, at: number) => ({ ...zaloFixture('user-click-chatnow'), app_id: fake.appId, user_id: userId, timestamp: String(at) });
  const health = async () => (await (await fetch(`${app.url}/healthz`)).json()) as Record<string, any>;

  it('the "Nhắn tin" tap opens the window and welcomes a person not enrolled; an enrolled official is not welcomed again', async () => {
    const user = zaloId();
    const at = clock.now().getTime() - 2_000;
    expect((await fake.post(app.url, chatnow(user, at))).status).toBe(200);
    await fake.waitFor(() => fake.cs.length >= 1, 'the welcome');
    expect(fake.cs).toEqual([expect.objectContaining({ userId: user, message: { text: vi.zalo.welcome(coordinatorUnit(app.ctx.regime)) } })]);
    expect(await app.ctx.store.contacts.get(`zalo:${user}`)).toMatchObject({ channel: 'zalo', platformUserId: user, reachable: true, lastInteractionAt: at, conversationRef: { userId: user } });
    await app.settled();
    expect(await app.ctx.store.inbox.find({})).toMatchObject([{ status: 'done', handled: { sent: 1 } }]);

    // Enrolled, the official taps again later: the window moves on, no second welcome.
    await app.ctx.store.addMember({ userKey: `zalo:${user}`, unitCode: 'BHXH', role: 'focal', enrolledAt: clock.now().getTime() });
    clock.advance(3 * 86_400_000);
    const later = clock.now().getTime();
    expect((await fake.post(app.url, chatnow(user, later))).status).toBe(200);
    await app.settled();
    expect(fake.cs).toHaveLength(1);
    expect((await app.ctx.store.contacts.get(`zalo:${user}`))?.lastInteractionAt).toBe(later);
  });

  it('a stranger tapping again and again is welcomed up to the limit, told once to wait, then not answered', async () => {
    const user = zaloId();
    for (let i = 0; i < STRANGER.limit + 5; i++) {
      clock.advance(1000);
      expect((await fake.post(app.url, chatnow(user, clock.now().getTime()))).status).toBe(200);
      await app.settled();
    }
    const welcome = vi.zalo.welcome(coordinatorUnit(app.ctx.regime));
    const texts = fake.cs.map((c) => c.message.text);
    expect(texts.filter((t) => t === welcome)).toHaveLength(STRANGER.limit);
    expect(texts.slice(STRANGER.limit)).toEqual([expect.stringContaining('Bạn đã gửi quá nhiều tin nhắn')]);
    expect(await app.ctx.store.inbox.count({ status: 'ignored' })).toBe(5);
  });

  it('bad signatures: 401, nothing stored, counted in /healthz with the last time; accepted events counted beside them', async () => {
    expect((await health()).checks.zalo).toMatchObject({ signatureFailures: { count: 0, lastAt: null }, acceptedEvents: { count: 0 } });
    const ev = chatnow(zaloId(), clock.now().getTime());
    expect((await fake.post(app.url, ev, { sign: false })).status).toBe(401);
    clock.advance(1000);
    expect((await fake.post(app.url, ev, { sign: 'wrong' })).status).toBe(401);
    clock.advance(1000);
    expect((await fake.post(app.url, ev, { secret: fake.appSecret })).status).toBe(401); // signed with the App Secret: a wrong secret
    clock.advance(1000);
    expect((await fake.post(app.url, ev, { sign: 'sha256=abc' })).status).toBe(401); // a form we do not expect
    expect(await app.ctx.store.inbox.count()).toBe(0);
    const h = await health();
    expect(h.checks.zalo.signatureFailures).toEqual({
      count: 4,
      lastAt: clock.now().toISOString(),
      lastReason: 'malformed',
      lastEventName: 'user_click_chatnow',
      byReason: { missing: 1, mismatch: 2, malformed: 1 },
    });
    expect(h.checks.zalo.acceptedEvents).toEqual({ count: 0, lastAt: null });
    // A good one is accepted and counted apart.
    expect((await fake.post(app.url, ev)).status).toBe(200);
    expect((await health()).checks.zalo).toMatchObject({ signatureFailures: { count: 4 }, acceptedEvents: { count: 1, lastAt: clock.now().toISOString() } });
  });
});
