/**
 * A reminder Zalo refuses with -230 (no interaction in 7 days), through the real outbox worker:
 * the Zalo copy ends undeliverable with the machine-readable reason and the Zalo code recorded,
 * the unit's focal point on Teams gets the reminder instead, and the coordinator is told why.
 * Zalo and Teams are both local fakes speaking their HTTP protocols; people enrol through them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ZALO_REASONS } from '../channels/zalo/sender.js';
import { OutboxWorker } from '../jobs/outbox-worker.js';
import { coordinatorUnit } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloFixture, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

let zalo: FakeZalo;
let teams: FakeBotConnector;
let app: TestApp;
afterEach(async () => {
  await app?.close();
  await zalo?.close();
  await teams?.close();
});

describe('Zalo window refusal in the outbox', () => {
  it('-230 → undeliverable "zalo_window_rejected" recorded, Teams focal point gets the copy, coordinator told', async () => {
    zalo = await startFakeZalo();
    teams = await startFakeBotConnector();
    app = await startTestApp(zalo.env());
    const store = app.ctx.store;
    const now = () => app.ctx.clock.now().getTime();
    const code = (unitCode: string, role: 'focal' | 'coordinator' = 'focal') => store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: now(), ttlMs: 86_400_000 });

    // A focal point of Ba Bể on Zalo enrols through a signed event.
    const zaloUser = zaloId();
    const msgId = zaloId();
    await zalo.post(app.url, {
      ...zaloFixture('user-send-text'),
      app_id: zalo.appId,
      sender: { id: zaloUser },
      message: { text: `đăng ký ${await code('BA-BE')}`, msg_id: msgId },
      timestamp: String(now()),
    });
    await zalo.waitFor(async () => (await store.inbox.get(`zalo:user_send_text:${msgId}`))?.status === 'done', 'Zalo enrolment');
    // Another focal point of Ba Bể, and a coordinator, on Teams.
    const t1 = teamsUser('Hoàng Văn Bình');
    const coord = teamsUser('Lê Thị Cúc');
    for (const [u, c] of [
      [t1, await code('BA-BE')],
      [coord, await code(coordinatorUnit(app.ctx.regime).code, 'coordinator')],
    ] as const) {
      expect((await postActivity(app.url, asUser(teamsFixture('message-personal', teams.serviceUrl, { id: nextActivityId(), text: `đăng ký ${c}` }), u))).status).toBe(200);
    }
    await zalo.waitFor(async () => (await store.members.count({ active: true })) === 3, 'three members');
    teams.clear();

    // Zalo says the Zalo focal point has not interacted for 7 days (our record says otherwise).
    zalo.fail({ endpoint: 'cs', target: zaloUser, error: -230, message: 'User has not interacted with the OA in the past 7 days', times: Infinity });
    const key = 'rem|BA-BE|2027-06|T-3';
    await store.enqueue({
      _id: `${key}|zalo:${zaloUser}`,
      key,
      createdAt: now(),
      channel: 'zalo',
      recipient: `zalo:${zaloUser}`,
      unitCode: 'BA-BE',
      periodId: '2027-06',
      message: { text: 'Nhắc việc: báo cáo tháng 06/2027 của huyện Ba Bể, hạn nộp trước 00:00 ngày 20/6/2027.' },
      purpose: 'reminder',
    });

    const worker = new OutboxWorker(app.ctx, { backoff: { baseMs: 10, maxMs: 10 } });
    for (let i = 0; i < 3; i++) await worker.drainOnce();

    const original = await store.outbox.get(`${key}|zalo:${zaloUser}`);
    expect(original).toMatchObject({ status: 'undeliverable', reason: ZALO_REASONS.windowRejected });
    const [why] = await store.audit.find({ action: 'zalo.undeliverable' });
    expect(why).toMatchObject({ subject: `zalo:${zaloUser}`, details: { reason: 'zalo_window_rejected', zaloCode: -230 } });
    expect(zalo.calls.filter((c) => c.endpoint === 'cs' && c.target === zaloUser && c.error === -230)).toHaveLength(1);

    const copy = await store.outbox.get(`${key}|teams:${t1.userId}`);
    expect(copy).toMatchObject({ status: 'sent', fallbackOf: original!._id });
    const toTeams = teams.requests.filter((r) => r.body && activityText(r.body).includes('Nhắc việc: báo cáo tháng 06/2027'));
    expect(toTeams.map((r) => r.conversationId)).toEqual([t1.conversationId]);

    const notice = (await store.outbox.find({ purpose: 'notice' }))[0];
    expect(notice).toMatchObject({ recipient: `teams:${coord.userId}`, status: 'sent' });
    const noticeText = teams.requests
      .filter((r) => r.conversationId === coord.conversationId)
      .map((r) => activityText(r.body))
      .join('\n');
    expect(noticeText).toMatch(/quá 7 ngày/);
    expect(noticeText).toContain('zalo_window_rejected');
  });
});
