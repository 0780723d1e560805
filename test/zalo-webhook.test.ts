/**
 * The Zalo webhook end to end: the real app on port 0, signed fixture events posted over HTTP,
 * replies checked at a local fake of Zalo's API.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { coordinatorUnit } from '../regime/regime.js';
import { LEASE_MS } from '../channels/zalo/processor.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeZalo, zaloFixture, zaloId, zaloSignature, type FakeZalo } from './helpers/fake-zalo.js';
import { embeddedStore } from './helpers/stores.js';

describe('Zalo webhook', () => {
  let fake: FakeZalo;
  let app: TestApp;
  beforeEach(async () => {
    fake = await startFakeZalo();
    app = await startTestApp(fake.env());
  });
  afterEach(async () => {
    await app?.close();
    await fake?.close();
  });

  const textEvent = (userId: string, text: string, msgId = zaloId()) => ({
    ...zaloFixture('user-send-text'),
    app_id: fake.appId,
    sender: { id: userId },
    message: { text, msg_id: msgId },
    timestamp: String(Date.now()),
  });
  const inbox = () => app.ctx.store.inbox.find({}, { sort: [['receivedAt', 1]] });
  const doneEvents = async (n: number) => fake.waitFor(async () => (await app.ctx.store.inbox.count({ status: { $in: ['done', 'ignored', 'failed'] } })) >= n, `${n} processed events`);

  it('refuses unsigned, wrongly signed and tampered events with 401 and stores nothing', async () => {
    const ev = textEvent(zaloId(), 'đăng ký ABCD2345');
    const raw = JSON.stringify(ev);
    expect((await fake.post(app.url, raw, { sign: false })).status).toBe(401);
    expect((await fake.post(app.url, raw, { sign: 'wrong' })).status).toBe(401);
    expect((await fake.post(app.url, raw, { secret: 'not-the-oa-secret' })).status).toBe(401);
    // signed over other bytes: the same event re-serialised with spaces
    const signedCompact = zaloSignature(fake.appId, raw, ev.timestamp, fake.oaSecretKey);
    expect((await fake.post(app.url, JSON.stringify(ev, null, 1), { sign: signedCompact })).status).toBe(401);
    // an HMAC-style or app-secret signature (wrong formulas seen in the wild) is refused too
    expect((await fake.post(app.url, raw, { secret: fake.appSecret })).status).toBe(401);
    // an event signed correctly but for another app
    const other = { ...ev, app_id: zaloId() };
    expect((await fake.post(app.url, other)).status).toBe(401);
    // too big
    const big = { ...ev, message: { text: 'x'.repeat(70_000), msg_id: zaloId() } };
    expect((await fake.post(app.url, big)).status).toBe(413);
    expect(await inbox()).toEqual([]);
    expect(await app.ctx.store.contacts.count()).toBe(0);
    expect(fake.cs).toEqual([]);
  });

  it('answers a signed text at once, hands it to the bot core and replies through /v3.0/oa/message/cs', async () => {
    const user = zaloId();
    const r = await fake.post(app.url, textEvent(user, 'xin chào'));
    expect(r).toMatchObject({ status: 200, body: { ok: true, duplicate: false } });
    await fake.waitFor(() => fake.cs.length >= 1, 'a reply');
    expect(fake.cs[0].userId).toBe(user);
    expect(fake.cs[0].message.text).toMatch(/chưa đăng ký/);
    await doneEvents(1);
    const [stored] = await inbox();
    expect(stored).toMatchObject({ channel: 'zalo', status: 'done', attempts: 1, handled: { sent: 1 } });
    const contact = await app.ctx.store.contacts.get(`zalo:${user}`);
    expect(contact).toMatchObject({ channel: 'zalo', platformUserId: user, reachable: true, conversationRef: { userId: user } });
    expect(typeof contact?.lastInteractionAt).toBe('number');
  });

  it('acknowledges before processing: the 200 comes back while Zalo is still slow to take the reply', async () => {
    fake.fail({ endpoint: 'cs', latencyMs: 1500 });
    const user = zaloId();
    const r = await fake.post(app.url, textEvent(user, 'trợ giúp'));
    expect(r.status).toBe(200);
    // stored before the answer, not yet replied to
    const [stored] = await inbox();
    expect(stored.status === 'received' || stored.status === 'processing').toBe(true);
    expect(fake.cs).toEqual([]);
    await fake.waitFor(() => fake.cs.length === 1, 'the reply');
    await doneEvents(1);
  });

  it('processes a retried (duplicated) event once', async () => {
    const user = zaloId();
    const raw = JSON.stringify(textEvent(user, 'trợ giúp'));
    const [a, b] = await Promise.all([fake.post(app.url, raw), fake.post(app.url, raw)]);
    const c = await fake.post(app.url, raw);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect([a.body.duplicate, b.body.duplicate, c.body.duplicate].filter((d) => d === false)).toHaveLength(1);
    await doneEvents(1);
    expect(await inbox()).toHaveLength(1);
    expect(fake.cs.filter((m) => m.userId === user)).toHaveLength(1);
  });

  it("ignores the OA's own oa_send_text echoes, including those of its replies", async () => {
    fake.echoTo(app.url);
    const user = zaloId();
    await fake.post(app.url, textEvent(user, 'trợ giúp'));
    // the reply is echoed back by the fake as a signed oa_send_text; it is stored and ignored
    await fake.waitFor(async () => (await app.ctx.store.inbox.count({ status: 'ignored' })) >= 1, 'the echo');
    const echo = (await inbox()).find((e) => e.payload.event_name === 'oa_send_text');
    expect(echo).toMatchObject({ status: 'ignored' });
    // a hand-made echo with an admin_id (a person typing in the OA chat tool) is ignored too
    const admin = {
      app_id: fake.appId,
      event_name: 'oa_send_text',
      timestamp: String(Date.now()),
      sender: { id: '579745863508352884', admin_id: zaloId() },
      recipient: { id: user },
      message: { msg_id: zaloId(), text: 'Chào anh' },
    };
    expect((await fake.post(app.url, admin)).status).toBe(200);
    await fake.waitFor(async () => (await app.ctx.store.inbox.count({ status: 'ignored' })) >= 2, 'the admin echo');
    expect(fake.cs).toHaveLength(1); // only the reply to "trợ giúp"
  });

  it("answers a stranger's picture or file with how to enrol, and a sticker with the polite note", async () => {
    // A report's file or photo goes to the core (issue 18: the signed report attached), which
    // first asks a person not enrolled to enrol; anything else (a sticker) gets the note.
    for (const name of ['user-send-image', 'user-send-file'] as const) {
      const ev = { ...zaloFixture(name), app_id: fake.appId };
      expect((await fake.post(app.url, ev)).status).toBe(200);
    }
    const sender = zaloFixture('user-send-image').sender.id as string;
    const sticker = {
      ...zaloFixture('user-send-image'),
      app_id: fake.appId,
      event_name: 'user_send_sticker',
      message: { msg_id: zaloId(), attachments: [{ type: 'sticker', payload: { id: 'abc', url: 'https://zalo-api.zadn.vn/sticker' } }] },
    };
    expect((await fake.post(app.url, sticker)).status).toBe(200);
    await fake.waitFor(() => fake.cs.length >= 3, 'three answers');
    expect(fake.cs.map((m) => [m.userId, m.message.text])).toEqual([
      [sender, vi.router.notEnrolled(coordinatorUnit(app.ctx.regime))],
      [sender, vi.router.notEnrolled(coordinatorUnit(app.ctx.regime))],
      [sender, vi.zalo.attachmentNote],
    ]);
    expect((await app.ctx.store.contacts.get(`zalo:${sender}`))?.lastInteractionAt).toBeTypeOf('number');
  });

  it('follow marks the contact followed and reachable and welcomes; unfollow marks it unreachable', async () => {
    const follow = { ...zaloFixture('follow'), app_id: fake.appId, timestamp: String(Date.now()) };
    const follower = follow.follower.id as string;
    expect((await fake.post(app.url, follow)).status).toBe(200);
    await fake.waitFor(() => fake.cs.length >= 1, 'the welcome');
    expect(fake.cs[0]).toMatchObject({ userId: follower, message: { text: vi.zalo.welcome(coordinatorUnit(app.ctx.regime)) } });
    expect(await app.ctx.store.contacts.get(`zalo:${follower}`)).toMatchObject({ followed: true, reachable: true });
    const unfollow = { ...follow, event_name: 'unfollow', timestamp: String(Date.now() + 1) };
    expect((await fake.post(app.url, unfollow)).status).toBe(200);
    await doneEvents(2);
    expect(await app.ctx.store.contacts.get(`zalo:${follower}`)).toMatchObject({ followed: false, reachable: false, unreachableReason: 'zalo_unfollowed' });
  });

  it('logs and ignores unknown and malformed events', async () => {
    const unknown = {
      app_id: fake.appId,
      event_name: 'user_reacted_message',
      timestamp: String(Date.now()),
      sender: { id: zaloId() },
      recipient: { id: zaloId() },
      message: { msg_id: zaloId(), react_icon: '/-heart' },
    };
    const malformed = {
      app_id: fake.appId,
      event_name: 'user_send_text',
      timestamp: String(Date.now()),
      sender: { id: 8381381219617247797 },
      recipient: { id: zaloId() },
      message: { msg_id: zaloId(), text: 'x' },
    };
    expect((await fake.post(app.url, unknown)).status).toBe(200);
    expect((await fake.post(app.url, malformed)).status).toBe(200);
    await doneEvents(2);
    expect((await inbox()).map((e) => e.status)).toEqual(['ignored', 'ignored']);
    expect(fake.cs).toEqual([]);
  });

  it('retries transient API failures (5xx, 429, -32) and still delivers the reply once', async () => {
    fake.fail({ endpoint: 'cs', http: 503 });
    fake.fail({ endpoint: 'cs', http: 429, retryAfter: 0 });
    fake.fail({ endpoint: 'cs', error: -32, message: 'Your application reached limit call api' });
    const user = zaloId();
    await fake.post(app.url, textEvent(user, 'trợ giúp'));
    await doneEvents(1);
    const csCalls = fake.calls.filter((c) => c.endpoint === 'cs');
    expect(csCalls.map((c) => (c.error !== undefined ? c.error : c.status))).toEqual([503, 429, -32, 0]);
    expect(fake.cs).toHaveLength(1);
  });

  it('renews a rejected access token once (-216) and retries the send', async () => {
    await fake.post(app.url, textEvent(zaloId(), 'trợ giúp'));
    await fake.waitFor(() => fake.cs.length === 1, 'first reply');
    expect(fake.refreshes).toHaveLength(1);
    fake.revokeAccessTokens();
    await fake.post(app.url, textEvent(zaloId(), 'trợ giúp'));
    await fake.waitFor(() => fake.cs.length === 2, 'second reply');
    expect(fake.refreshes).toHaveLength(2);
    expect(fake.refreshes[1].spent).not.toBe(fake.refreshes[0].spent);
    expect(fake.calls.filter((c) => c.endpoint === 'cs').map((c) => c.error)).toEqual([0, -216, 0]);
  });

  it('picks up events a crashed process left behind, without calling the core twice or re-sending sent parts', async () => {
    const dataDir = app.dataDir;
    await app.close();
    // What a process that died would have left: one event stored but never processed, and one
    // handled (replies checkpointed) with the first of its two parts sent, its lease expired.
    const s = await embeddedStore(dataDir);
    const u1 = zaloId();
    const u2 = zaloId();
    const now = Date.now();
    await s.repos.receiveInbox({ _id: 'zalo:user_send_text:left-1', channel: 'zalo', receivedAt: now, payload: textEvent(u1, 'trợ giúp', 'left-1') });
    await s.repos.receiveInbox({ _id: 'zalo:user_send_text:left-2', channel: 'zalo', receivedAt: now, payload: textEvent(u2, 'báo cáo', 'left-2') });
    const claimed = await s.repos.claimInbox('zalo:user_send_text:left-2', now - LEASE_MS - 1000, LEASE_MS);
    await s.repos.settleInbox('zalo:user_send_text:left-2', claimed!.leaseUntil!, { handled: { at: now, replies: [{ text: 'phần một' }, { text: 'phần hai' }], sent: 1 } });
    await s.repos.db.close();

    app = await startTestApp({ ...fake.env(), DATA_DIR: dataDir });
    await fake.waitFor(async () => (await app.ctx.store.inbox.count({ status: 'done' })) === 2, 'recovery');
    expect(fake.cs.filter((m) => m.userId === u1)).toHaveLength(1);
    expect(fake.cs.filter((m) => m.userId === u2).map((m) => m.message.text)).toEqual(['phần hai']);
    expect((await app.ctx.store.inbox.get('zalo:user_send_text:left-2'))?.attempts).toBe(2);
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
