/**
 * Duplicate and out-of-order deliveries on both channels, over HTTP through the real app.
 *
 * Teams redelivers an activity with the same id (and two deliveries may race); Zalo resends an
 * event with the same body and msg_id, up to ~2 h later, and such a retry may arrive after newer
 * events. Each delivery must be processed once — above all, a repeated answer must never be read
 * as the answer to the NEXT question — and the stored state must stay consistent: one stored
 * answer per typed answer, one reply per message, a contact's last interaction never moved back,
 * a follow older than an unfollow not making the person reachable again. Dedupe survives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { buildForm, coordinatorUnit, type FormDefinition } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloFixture, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { activityText, asUser, cardText, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

const NOW = Date.parse('2027-06-16T09:00:00+07:00');
const UNIT = 'BA-BE';
const PERIOD = '2027-06';

describe('duplicate and out-of-order deliveries', () => {
  let connector: FakeBotConnector;
  let zalo: FakeZalo;
  let app: TestApp;
  let form: FormDefinition;
  const clock = new ManualClock(NOW);
  const dataDir = mkdtempSync(join(tmpdir(), 'dondoc-deliveries-'));

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    zalo = await startFakeZalo();
    app = await startTestApp({ ...zalo.env(), DATA_DIR: dataDir }, { clock });
    form = buildForm(app.ctx.regime, UNIT, 'M') as FormDefinition;
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await zalo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const questions = () => form.sections.flatMap((s) => s.questions.filter((q) => q.type !== 'note'));
  const draftAnswers = async () => (await app.ctx.store.getDraft(UNIT, PERIOD))?.answers ?? {};
  /** Each test starts a fresh report for its own person: a clean draft. */
  const freshDraft = async () => {
    await app.ctx.store.drafts.deleteMany({ unitCode: UNIT });
  };

  describe('Teams', () => {
    const u = teamsUser('Lý Thị Trùng');
    const message = (text: string, over: Record<string, unknown> = {}) => asUser(teamsFixture('message-personal', connector.serviceUrl, { id: nextActivityId(), text, ...over }), u);
    const replies = () => connector.requests.filter((r) => r.conversationId === u.conversationId && r.op === 'reply' && r.status < 300);
    const post = async (a: Record<string, unknown>) => {
      const r = await postActivity(app.url, a);
      expect(r.status).toBe(200);
      return r;
    };

    beforeAll(async () => {
      const code = await app.ctx.store.createEnrolmentCode({ unitCode: UNIT, role: 'focal', createdBy: 'test', now: NOW, ttlMs: 86_400_000 });
      await post(message(`đăng ký ${code}`));
    });

    it('the same answer activity delivered twice is processed once: the next question is not answered with it', async () => {
      await freshDraft();
      await post(message(`báo cáo ${UNIT} ${PERIOD}`));
      const [q1, q2] = questions();
      const answer = message('2');
      await post(answer);
      const afterFirst = { replies: replies().length, draft: await draftAnswers(), session: await app.ctx.store.session(`teams:${u.userId}`) };
      expect(afterFirst.draft[q1.key]?.value).toBe('dang_thuc_hien');
      clock.advance(60_000);
      await post(answer);
      expect(replies().length, 'no second reply').toBe(afterFirst.replies);
      expect(await draftAnswers()).toEqual(afterFirst.draft);
      expect(afterFirst.draft[q2.key]).toBeUndefined();
      expect(await app.ctx.store.session(`teams:${u.userId}`)).toEqual(afterFirst.session);
      expect(await app.ctx.store.inbox.get(`teams|${u.conversationId}|${answer.id}`)).toMatchObject({ status: 'done' });
    });

    it('two deliveries of one activity racing each other: one turn, one reply, one stored answer', async () => {
      await freshDraft();
      await post(message(`báo cáo ${UNIT} ${PERIOD}`));
      const before = replies().length;
      const answer = message('2');
      await Promise.all(Array.from({ length: 5 }, () => post(answer)));
      const mine = replies().slice(before);
      expect(mine).toHaveLength(1);
      expect(mine[0].targetId).toBe(answer.id);
      const draft = await draftAnswers();
      expect(Object.keys(draft)).toEqual([questions()[0].key]);
    });

    it('a card submission (Action.Execute invoke) delivered twice: saved once, the same answer in the HTTP body both times', async () => {
      await freshDraft();
      await post(message(`báo cáo ${UNIT} ${PERIOD}`));
      const s = form.sections[0];
      const data = {
        dondoc: 'section',
        unitCode: UNIT,
        periodId: PERIOD,
        sectionId: s.id,
        [`t:${s.id}/status`]: 'dang_thuc_hien',
        [`t:${s.id}/results`]: 'Đã tổ chức 3 hội nghị',
        // The participant figures an II.2 indicator reads are required.
        [`n:${s.id}/si_participants_district`]: '12345',
        [`n:${s.id}/vsi_participants_district`]: '2104',
        [`n:${s.id}/ui_participants_district`]: '9870',
      };
      const invoke = asUser(
        teamsFixture('invoke-adaptive-card-action', connector.serviceUrl, {
          id: `f:${nextActivityId()}`,
          value: { action: { type: 'Action.Execute', verb: 'dondoc.section', data }, trigger: 'manual' },
        }),
        u,
      );
      const first = await post(invoke);
      const draft = await app.ctx.store.getDraft(UNIT, PERIOD);
      clock.advance(60_000);
      const second = await post(invoke);
      expect(cardText(second.body.value)).toBe(cardText(first.body.value));
      expect(cardText(first.body.value)).toContain('✓ Đã lưu mục 1');
      expect(await app.ctx.store.getDraft(UNIT, PERIOD)).toEqual(draft);
    });

    it('messages arriving in another order than their timestamps: each processed once, in arrival order, one reply each', async () => {
      await freshDraft();
      await post(message(`báo cáo ${UNIT} ${PERIOD}`));
      const [q1, q2] = questions();
      const before = replies().length;
      const newer = message('Đã tổ chức 4 hội nghị tuyên truyền', { timestamp: new Date(NOW + 120_000).toISOString() });
      const older = message('2', { timestamp: new Date(NOW + 60_000).toISOString() });
      // The newer one arrives first: it answers the question asked then (the status, a choice),
      // and is refused as not a choice; the older one, arriving next, answers it.
      await post(newer);
      await post(older);
      const mine = replies().slice(before);
      expect(mine.map((r) => r.targetId)).toEqual([newer.id, older.id]);
      expect(activityText(mine[0].body)).toMatch(/✗ Chưa lưu/);
      expect(activityText(mine[1].body)).toContain(`✓ Đã lưu — ${q1.label}`);
      const draft = await draftAnswers();
      expect(draft[q1.key]?.value).toBe('dang_thuc_hien');
      expect(draft[q2.key]).toBeUndefined();
      // Replayed (Teams redelivers both): nothing more happens.
      await post(newer);
      await post(older);
      expect(replies().length).toBe(before + 2);
      expect(await draftAnswers()).toEqual(draft);
    });
  });

  describe('Zalo', () => {
    const user = zaloId();
    const textEvent = (text: string, ts: number, msgId = zaloId()) => ({
      ...zaloFixture('user-send-text'),
      app_id: zalo.appId,
      sender: { id: user },
      message: { text, msg_id: msgId },
      timestamp: String(ts),
    });
    const repliesToUser = () => zalo.cs.filter((m) => m.userId === user);
    const settled = async (id: string) =>
      zalo.waitFor(async () => {
        const st = (await app.ctx.store.inbox.get(id))?.status;
        return st === 'done' || st === 'ignored' || st === 'failed';
      }, `event ${id} processed`);
    const send = async (ev: ReturnType<typeof textEvent>) => {
      const r = await zalo.post(app.url, ev);
      expect(r.status).toBe(200);
      await settled(`zalo:user_send_text:${ev.message.msg_id}`);
      return r;
    };

    beforeAll(async () => {
      const code = await app.ctx.store.createEnrolmentCode({ unitCode: UNIT, role: 'focal', createdBy: 'test', now: NOW, ttlMs: 86_400_000 });
      await send(textEvent(`đăng ký ${code}`, clock.now().getTime()));
    });

    it('the same msg_id delivered again (Zalo retry, identical body) is acknowledged as a duplicate and not processed again', async () => {
      await freshDraft();
      await send(textEvent(`báo cáo ${UNIT} ${PERIOD}`, clock.now().getTime()));
      const [q1, q2] = questions();
      const ev = textEvent('2', clock.now().getTime());
      expect((await send(ev)).body).toEqual({ ok: true, duplicate: false });
      const afterFirst = { replies: repliesToUser().length, draft: await draftAnswers() };
      expect(afterFirst.draft[q1.key]?.value).toBe('dang_thuc_hien');
      clock.advance(30 * 60_000);
      expect((await send(ev)).body).toEqual({ ok: true, duplicate: true });
      // The same msg_id in a re-serialised body (keys in another order) is the same message.
      const reordered = JSON.stringify({
        timestamp: ev.timestamp,
        message: ev.message,
        event_name: ev.event_name,
        recipient: ev.recipient,
        sender: ev.sender,
        user_id_by_app: ev.user_id_by_app,
        app_id: ev.app_id,
      });
      expect((await zalo.post(app.url, reordered)).body).toEqual({ ok: true, duplicate: true });
      // Whatever the app took on is processed: then count.
      await app.settled();
      expect(repliesToUser().length).toBe(afterFirst.replies);
      expect(await draftAnswers()).toEqual(afterFirst.draft);
      expect(afterFirst.draft[q2.key]).toBeUndefined();
    });

    it('five copies of one event at once: stored once, processed once, one reply', async () => {
      await freshDraft();
      await send(textEvent(`báo cáo ${UNIT} ${PERIOD}`, clock.now().getTime()));
      const before = repliesToUser().length;
      const ev = textEvent('2', clock.now().getTime());
      const results = await Promise.all(Array.from({ length: 5 }, () => zalo.post(app.url, ev)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
      await settled(`zalo:user_send_text:${ev.message.msg_id}`);
      await app.settled();
      expect(repliesToUser().length - before).toBe(1);
      expect(Object.keys(await draftAnswers())).toEqual([questions()[0].key]);
    });

    it('an older message arriving after a newer one: both processed once, in arrival order; the last interaction is not moved back', async () => {
      await freshDraft();
      await send(textEvent(`báo cáo ${UNIT} ${PERIOD}`, clock.now().getTime()));
      const before = repliesToUser().length;
      const t = clock.now().getTime();
      const newer = textEvent('2', t - 60_000);
      const older = textEvent('Đã tổ chức 4 hội nghị tuyên truyền', t - 30 * 60_000);
      await send(newer);
      await send(older);
      expect(repliesToUser().length - before).toBe(2);
      const [q1, q2] = questions();
      const draft = await draftAnswers();
      expect(draft[q1.key]?.value).toBe('dang_thuc_hien');
      expect(draft[q2.key]?.value).toBe('Đã tổ chức 4 hội nghị tuyên truyền');
      const contact = await app.ctx.store.contacts.get(`zalo:${user}`);
      expect(contact?.lastInteractionAt).toBeGreaterThanOrEqual(t - 60_000);
      // Both replayed later: nothing more.
      await send(newer);
      await send(older);
      expect(repliesToUser().length - before).toBe(2);
      expect(await draftAnswers()).toEqual(draft);
    });

    it('a follow older than an unfollow, arriving after it (a retried event), does not make the person reachable again', async () => {
      const follower = zaloId();
      const t = clock.now().getTime();
      const ev = (name: 'follow' | 'unfollow', ts: number) => ({ ...zaloFixture('follow'), app_id: zalo.appId, event_name: name, follower: { id: follower }, timestamp: String(ts) });
      const sentBefore = zalo.cs.filter((m) => m.userId === follower).length;
      const post = async (e: ReturnType<typeof ev>) => {
        expect((await zalo.post(app.url, e)).status).toBe(200);
        await zalo.waitFor(async () => (await app.ctx.store.inbox.find({ channel: 'zalo', status: { $in: ['received', 'processing'] } })).length === 0, 'inbox drained');
      };
      await post(ev('follow', t - 20 * 60_000));
      expect(await app.ctx.store.contacts.get(`zalo:${follower}`)).toMatchObject({ followed: true, reachable: true });
      await post(ev('unfollow', t - 5 * 60_000));
      expect(await app.ctx.store.contacts.get(`zalo:${follower}`)).toMatchObject({ followed: false, reachable: false });
      // A follow from between the two, delivered only now.
      await post(ev('follow', t - 10 * 60_000));
      expect(await app.ctx.store.contacts.get(`zalo:${follower}`)).toMatchObject({ followed: false, reachable: false, unreachableReason: 'zalo_unfollowed' });
      // Only the first follow was welcomed.
      expect(zalo.cs.filter((m) => m.userId === follower && m.message.text === vi.zalo.welcome(coordinatorUnit(app.ctx.regime))).length - sentBefore).toBe(1);
      // A real new follow (newer than the unfollow) does.
      await post(ev('follow', t));
      expect(await app.ctx.store.contacts.get(`zalo:${follower}`)).toMatchObject({ followed: true, reachable: true });
    });

    it('dedupe survives a restart: an event processed before the restart is a duplicate after it', async () => {
      const ev = textEvent('trợ giúp', clock.now().getTime());
      await send(ev);
      const before = repliesToUser().length;
      await app.close();
      app = await startTestApp({ ...zalo.env({ ZALO_REFRESH_TOKEN: zalo.issueRefreshToken() }), DATA_DIR: dataDir }, { clock });
      expect((await zalo.post(app.url, ev)).body).toEqual({ ok: true, duplicate: true });
      await app.settled();
      expect(repliesToUser().length).toBe(before);
    });
  });
});
