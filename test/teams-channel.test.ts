/**
 * The Teams channel end to end over HTTP: the fixture payloads posted to the real app's
 * /api/messages, replies and proactive messages arriving at a local fake Bot Connector.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/log.js';
import type { TeamsSender } from '../channels/teams/sender.js';
import type { Contact } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { activityText, asUser, cardOf, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';

const BOT_ID = '28:33333333-3333-3333-3333-333333333333';

describe('Teams channel (authentication off)', () => {
  let app: TestApp;
  let fake: FakeBotConnector;

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const contactOf = (u: TeamsUser) => app.ctx.store.contacts.get(`teams:${u.userId}`);
  const install = async (u: TeamsUser) => {
    const r = await postActivity(app.url, asUser(teamsFixture('conversation-update-install', fake.serviceUrl, { id: `f:${nextActivityId()}` }), u));
    expect(r.status).toBe(200);
  };
  const say = (u: TeamsUser, text: string, over: Record<string, unknown> = {}) =>
    postActivity(app.url, asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text, ...over }), u));

  it('starts with the Teams channel registered, saying loudly that authentication is off', async () => {
    expect(app.ctx.senders.get('teams')).toBeDefined();
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const other = await startTestApp({}, { log: createLogger('info', sink) });
    await other.close();
    const warn = lines.map((l) => JSON.parse(l)).find((l) => l.level === 40 && /Teams/.test(l.msg));
    expect(warn?.msg).toMatch(/CẢNH BÁO: Teams đang TẮT xác thực/);
    expect(lines.map((l) => JSON.parse(l)).find((l) => l.level === 30 && /đang lắng nghe/.test(l.msg))?.channels).toContain('teams');
  });

  it('an install (conversationUpdate adding the bot) stores the conversation reference and greets the user', async () => {
    const u = teamsUser();
    await install(u);
    const c = await contactOf(u);
    expect(c).toMatchObject({ channel: 'teams', platformUserId: u.userId, reachable: true });
    const ref = c!.conversationRef as any;
    expect(ref.serviceUrl).toBe(fake.serviceUrl);
    expect(ref.conversation).toMatchObject({ id: u.conversationId, tenantId: u.tenantId, conversationType: 'personal' });
    expect(ref.user).toMatchObject({ id: u.userId, aadObjectId: u.aadObjectId });
    expect(ref.bot.id).toBe(BOT_ID);
    expect(ref.channelId).toBe('msteams');

    // The greeting went to this conversation, its id (with ':' and ';') intact in the path (the
    // Agents SDK sends it as is, where botbuilder percent-encoded it: both are legal in a path).
    const posted = fake.requests.filter((r) => r.conversationId === u.conversationId && r.op === 'reply');
    expect(posted).toHaveLength(1);
    expect(decodeURIComponent(posted[0].rawPath)).toBe(`/amer/v3/conversations/${u.conversationId}/activities/${posted[0].targetId}`);
    expect(posted[0].prefix).toBe('/amer');
    expect(activityText(posted[0].body)).toContain('dondoc');
  });

  it('keeps the tenant from channelData when the conversation carries none', async () => {
    const u = teamsUser();
    const payload = asUser(teamsFixture('conversation-update-install', fake.serviceUrl, { id: `f:${nextActivityId()}` }), u);
    delete payload.conversation.tenantId;
    payload.channelData = { tenant: { id: '44444444-4444-4444-4444-444444444444' } };
    expect((await postActivity(app.url, payload)).status).toBe(200);
    expect(((await contactOf(u))!.conversationRef as any).conversation.tenantId).toBe('44444444-4444-4444-4444-444444444444');
  });

  it('installationUpdate remove retires the contact; add makes it reachable again', async () => {
    const u = teamsUser();
    await install(u);
    const base = teamsFixture('conversation-update-install', fake.serviceUrl);
    delete base.membersAdded;
    const remove = asUser({ ...base, type: 'installationUpdate', action: 'remove', id: `f:${nextActivityId()}` }, u);
    expect((await postActivity(app.url, remove)).status).toBe(200);
    expect(await contactOf(u)).toMatchObject({ reachable: false, unreachableReason: 'uninstalled' });
    const add = asUser({ ...base, type: 'installationUpdate', action: 'add', id: `f:${nextActivityId()}` }, u);
    expect((await postActivity(app.url, add)).status).toBe(200);
    const c = await contactOf(u);
    expect(c?.reachable).toBe(true);
    expect(c?.unreachableReason).toBeUndefined();
  });

  it('removing the bot from the chat (membersRemoved) retires the contact too', async () => {
    const u = teamsUser();
    await install(u);
    const base = teamsFixture('conversation-update-install', fake.serviceUrl, { id: `f:${nextActivityId()}` });
    const removed = asUser({ ...base, membersRemoved: [{ id: BOT_ID }] }, u);
    delete removed.membersAdded;
    expect((await postActivity(app.url, removed)).status).toBe(200);
    expect(await contactOf(u)).toMatchObject({ reachable: false, unreachableReason: 'uninstalled' });
  });

  it('outside a personal chat the bot only says where it works, and stores nothing', async () => {
    const u = teamsUser();
    const payload = asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text: 'báo cáo' }), u);
    payload.conversation = { ...payload.conversation, conversationType: 'groupChat', id: `19:${u.userId.slice(3)}@thread.v2` };
    expect((await postActivity(app.url, payload)).status).toBe(200);
    const replies = fake.activities(payload.conversation.id);
    expect(replies).toHaveLength(1);
    expect(activityText(replies[0])).toContain('trò chuyện riêng');
    expect(await contactOf(u)).toBeNull();
  });

  it('a message is handed to the core with the bot @mention stripped, and the reply goes back to its conversation', async () => {
    const u = teamsUser();
    const id = nextActivityId();
    const r = await say(u, '<at>Report Assistant</at> trợ giúp', {
      id,
      entities: [{ type: 'mention', text: '<at>Report Assistant</at>', mentioned: { id: BOT_ID, name: 'Report Assistant' } }],
    });
    expect(r.status).toBe(200);
    const replies = fake.requests.filter((q) => q.conversationId === u.conversationId && q.op === 'reply');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0].targetId).toBe(id);
    // The help list of the core: the mention did not reach it ("trợ giúp" was understood).
    expect(activityText(replies[0].body)).toContain('đăng ký MÃ');
    // The core recorded the contact from the message, with the conversation reference.
    const c = await contactOf(u);
    expect(c?.displayName).toBe(u.name);
    expect((c?.conversationRef as any)?.serviceUrl).toBe(fake.serviceUrl);
    expect(c?.lastInteractionAt).toBeTypeOf('number');
  });

  it('a duplicate delivery of the same activity id is processed once, even when both arrive together', async () => {
    const u = teamsUser();
    const payload = asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text: 'trợ giúp' }), u);
    const [a, b] = await Promise.all([postActivity(app.url, payload), postActivity(app.url, payload)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await postActivity(app.url, payload);
    expect(c.status).toBe(200);
    const replies = fake.requests.filter((q) => q.conversationId === u.conversationId && q.op === 'reply');
    expect(replies).toHaveLength(1);
    const inbox = await app.ctx.store.inbox.get(`teams|${u.conversationId}|${payload.id}`);
    expect(inbox).toMatchObject({ channel: 'teams', status: 'done', attempts: 1 });
  });

  it('an adaptiveCard/action invoke is answered in the HTTP body with a card, and a repeat gets the same answer', async () => {
    const u = teamsUser();
    // The fixture's own data is not a dondoc section: the card answer says so.
    const stale = asUser(teamsFixture('invoke-adaptive-card-action', fake.serviceUrl, { id: `f:${nextActivityId()}` }), u);
    const r1 = await postActivity(app.url, stale);
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(r1.body.value).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(activityText({ attachments: [{ content: r1.body.value }] })).toContain('Thẻ này đã cũ');

    // A section submit from someone not enrolled: the core's answer comes back in the body.
    const submit = asUser(
      teamsFixture('invoke-adaptive-card-action', fake.serviceUrl, {
        id: `f:${nextActivityId()}`,
        value: {
          action: { type: 'Action.Execute', id: 'submit', verb: 'dondoc.section', data: { dondoc: 'section', unitCode: 'BHXH', periodId: '2027-H1', sectionId: 'd1', 't:d1/status': 'hoan_thanh' } },
          trigger: 'manual',
        },
      }),
      u,
    );
    const r2 = await postActivity(app.url, submit);
    expect(r2.status).toBe(200);
    expect(r2.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const answer = activityText({ attachments: [{ content: r2.body.value }] });
    expect(answer.length).toBeGreaterThan(0);
    // Redelivered: same body, no second turn.
    const before = fake.requests.length;
    const r3 = await postActivity(app.url, submit);
    expect(r3.status).toBe(200);
    expect(r3.body).toEqual(r2.body);
    expect(fake.requests.length).toBe(before);
  });

  it("an Action.Execute of another type is refused with 400 NotSupported (botbuilder's answer)", async () => {
    const u = teamsUser();
    const p = asUser(teamsFixture('invoke-adaptive-card-action', fake.serviceUrl, { id: `f:${nextActivityId()}` }), u);
    p.value = { ...p.value, action: { ...p.value.action, type: 'Action.Submit' } };
    const r = await postActivity(app.url, p);
    expect(r.status).toBe(400);
    expect(r.body?.value?.code).toBe('NotSupported');
  });

  it('an Action.Submit message with unknown data gets an explanation, not a crash', async () => {
    const u = teamsUser();
    const p = asUser(teamsFixture('message-card-submit', fake.serviceUrl, { id: nextActivityId() }), u);
    expect((await postActivity(app.url, p)).status).toBe(200);
    const replies = fake.activities(u.conversationId);
    expect(replies).toHaveLength(1);
    expect(activityText(replies[0])).toContain('Thẻ này đã cũ');
  });

  it('rejects malformed and oversized bodies without processing them', async () => {
    const bad = await postActivity(app.url, { type: 'message', text: 'x' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('serviceUrl');
    const u = teamsUser();
    const huge = asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text: 'x'.repeat(300 * 1024) }), u);
    expect((await postActivity(app.url, huge)).status).toBe(413);
    expect(await contactOf(u)).toBeNull();
    const notJson = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(notJson.status).toBe(400);
    // Refused by the Agents SDK's own schema (an empty timestamp), which parses the body before the turn: 400, nothing stored.
    const v = teamsUser();
    const sdkRefused = await postActivity(app.url, asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), timestamp: '' }), v));
    expect(sdkRefused.status).toBe(400);
    expect(JSON.stringify(sdkRefused.body)).toContain('timestamp');
    expect(await contactOf(v)).toBeNull();
    expect(fake.activities(v.conversationId)).toHaveLength(0);
  });

  describe('proactive messages', () => {
    const sender = () => app.ctx.senders.get('teams') as TeamsSender;

    it('reach the fake connector through the stored conversation reference', async () => {
      const u = teamsUser();
      await install(u);
      fake.clear();
      const contact = (await contactOf(u)) as Contact;
      const r = await sender().send(contact, { text: 'Nhắc việc: báo cáo 6 tháng đầu năm 2027 của đơn vị cần nộp trước 00:00 ngày 05/7/2027.' });
      expect(r).toMatchObject({ status: 'sent' });
      const posts = fake.requests.filter((q) => q.op === 'reply' || q.op === 'send');
      expect(posts).toHaveLength(1);
      expect(posts[0].conversationId).toBe(u.conversationId);
      expect(posts[0].prefix).toBe('/amer');
      expect(activityText(posts[0].body)).toContain('trước 00:00 ngày 05/7/2027');
      expect(r.status === 'sent' && r.id).toBe(posts[0].answeredId);
    });

    it('render forms as cards proactively too', async () => {
      const u = teamsUser();
      await install(u);
      fake.clear();
      const contact = (await contactOf(u)) as Contact;
      const r = await sender().send(contact, {
        text: 'Mục 1/2 …',
        form: {
          unitCode: 'BHXH',
          periodId: '2027-H1',
          sectionId: 'd1',
          title: 'Tuyên truyền',
          progress: 'Mục 1/2',
          fields: [{ key: 'd1/so_cuoc', label: 'Số cuộc', type: 'integer', required: true }],
          submitLabel: 'Lưu và tiếp tục',
        },
      });
      expect(r.status).toBe('sent');
      const card = cardOf(fake.activities(u.conversationId)[0]);
      expect(card.body.some((e: any) => e.type === 'Input.Number' && e.id === 'n:d1/so_cuoc')).toBe(true);
    });

    it('a 403 (app blocked or uninstalled) marks the recipient unreachable and is not retried', async () => {
      const u = teamsUser();
      await install(u);
      fake.clear();
      const undo = fake.failWith({ status: 403, code: 'MessageWritesBlocked', conversationId: u.conversationId });
      try {
        const r = await sender().send((await contactOf(u)) as Contact, { text: 'Nhắc việc' });
        expect(r.status).toBe('undeliverable');
        expect(r.status === 'undeliverable' && r.reason).toContain('403');
        expect(fake.requests.filter((q) => q.conversationId === u.conversationId)).toHaveLength(1);
        const c = await contactOf(u);
        expect(c?.reachable).toBe(false);
        expect(c?.unreachableReason).toContain('MessageWritesBlocked');
        // An unreachable contact is not even tried.
        const again = await sender().send(c as Contact, { text: 'Nhắc việc' });
        expect(again.status).toBe('undeliverable');
        expect(fake.requests.filter((q) => q.conversationId === u.conversationId)).toHaveLength(1);
      } finally {
        undo();
      }
    });

    it('a 429 is one attempt, reported as retryable with the Retry-After Teams gave (the outbox retries, the SDK does not)', async () => {
      const u = teamsUser();
      await install(u);
      fake.clear();
      const undo = fake.failWith({ status: 429, times: 1, retryAfterSeconds: 7, code: 'TooManyRequests', conversationId: u.conversationId });
      try {
        const r = await sender().send((await contactOf(u)) as Contact, { text: 'Nhắc việc' });
        expect(r).toMatchObject({ status: 'failed', retryable: true, retryAfterMs: 7000, reason: 'teams 429 TooManyRequests' });
        expect(fake.requests.filter((q) => q.conversationId === u.conversationId).map((t) => t.status)).toEqual([429]);
        // The retry the outbox makes goes through.
        expect((await sender().send((await contactOf(u)) as Contact, { text: 'Nhắc việc' })).status).toBe('sent');
        expect(fake.requests.filter((q) => q.conversationId === u.conversationId).map((t) => t.status)).toEqual([429, 200]);
      } finally {
        undo();
      }
    });

    it('a 5xx is one attempt, reported as a retryable failure; the contact stays reachable', async () => {
      const u = teamsUser();
      await install(u);
      fake.clear();
      const undo = fake.failWith({ status: 503, code: 'ServiceUnavailable', conversationId: u.conversationId, retryAfterSeconds: 0 });
      try {
        const r = await sender().send((await contactOf(u)) as Contact, { text: 'Nhắc việc' });
        expect(r).toMatchObject({ status: 'failed', retryable: true, reason: 'teams 503 ServiceUnavailable' });
        expect(fake.requests.filter((q) => q.conversationId === u.conversationId)).toHaveLength(1);
        expect((await contactOf(u))?.reachable).toBe(true);
      } finally {
        undo();
      }
    });

    it('a 400 is a failure that is not worth retrying', async () => {
      const u = teamsUser();
      await install(u);
      const undo = fake.failWith({ status: 400, code: 'BadArgument', conversationId: u.conversationId });
      try {
        const r = await sender().send((await contactOf(u)) as Contact, { text: 'Nhắc việc' });
        expect(r).toMatchObject({ status: 'failed', retryable: false });
      } finally {
        undo();
      }
    });
  });
});

describe('Teams channel (authentication on)', () => {
  let app: TestApp;
  let fake: FakeBotConnector;

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    app = await startTestApp({
      MICROSOFT_APP_ID: '55555555-5555-5555-5555-555555555555',
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret-value',
      MICROSOFT_APP_TENANT_ID: '22222222-2222-2222-2222-222222222222',
      MICROSOFT_APP_TYPE: 'SingleTenant',
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('does not warn about authentication when it is on', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const other = await startTestApp({ MICROSOFT_APP_ID: '55555555-5555-5555-5555-555555555555', MICROSOFT_APP_PASSWORD: 'not-a-real-secret-value' }, { log: createLogger('info', sink) });
    await other.close();
    expect(lines.join('\n')).not.toMatch(/TẮT xác thực/);
    expect(lines.join('\n')).not.toContain('not-a-real-secret-value');
  });

  it('an unsigned request gets 401 and nothing is stored or sent', async () => {
    const u = teamsUser();
    for (const name of ['conversation-update-install', 'message-personal', 'invoke-adaptive-card-action'] as const) {
      const r = await postActivity(app.url, asUser(teamsFixture(name, fake.serviceUrl, { id: nextActivityId() }), u));
      expect(r.status).toBe(401);
    }
    // A token that is not a JWT is refused the same way.
    const forged = await postActivity(app.url, asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId() }), u), {
      authorization: 'Bearer not-a-jwt',
    });
    expect(forged.status).toBe(401);
    expect(await app.ctx.store.contacts.count()).toBe(0);
    expect(await app.ctx.store.inbox.count()).toBe(0);
    expect(await app.ctx.store.sessionCount()).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });
});
