/**
 * Talking to the real app as a person would, on each channel, and reading the bot's replies where
 * the platform would receive them: Teams activities posted to /api/messages (replies at the fake
 * Bot Connector), signed Zalo `user_send_text` events posted to the webhook (replies at the fake
 * Zalo API, once the event is processed). Used by the hardening tests.
 */
import { expect } from 'vitest';
import type { InboundEvent } from '../../core/message.js';
import type { ManualClock } from '../../lib/clock.js';
import type { Repositories } from '../../store/repositories.js';
import type { TestApp } from './app.js';
import type { FakeBotConnector } from './fake-bot-connector.js';
import { zaloFixture, zaloId, type FakeZalo } from './fake-zalo.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, type TeamsUser } from './teams-fixtures.js';

/** Sends a Teams message as `u`; returns the text of every reply the connector received for it. */
export async function teamsSay(appUrl: string, connector: FakeBotConnector, u: TeamsUser, text: string, headers: Record<string, string> = {}): Promise<string> {
  const id = nextActivityId();
  const r = await postActivity(appUrl, asUser(teamsFixture('message-personal', connector.serviceUrl, { id, text }), u), headers);
  expect(r.status, `Teams "${text.slice(0, 80)}"`).toBe(200);
  return connector.requests
    .filter((q) => q.conversationId === u.conversationId && q.op === 'reply' && q.targetId === id && q.status < 300)
    .map((q) => activityText(q.body))
    .join('\n');
}

/** A signed-ready `user_send_text` event from `userId`. */
export function zaloTextEvent(zalo: FakeZalo, userId: string, text: string, timestamp: number, msgId = zaloId()) {
  return { ...zaloFixture('user-send-text'), app_id: zalo.appId, sender: { id: userId }, message: { text, msg_id: msgId }, timestamp: String(timestamp) };
}

/** Posts a signed text event as `userId`, waits until it is processed; returns the replies' text. */
export async function zaloSay(appUrl: string, repos: Repositories, zalo: FakeZalo, userId: string, text: string, timestamp: number): Promise<string> {
  const mark = zalo.cs.length;
  const ev = zaloTextEvent(zalo, userId, text, timestamp);
  const r = await zalo.post(appUrl, ev);
  expect(r.status, `Zalo "${text.slice(0, 80)}"`).toBe(200);
  await zalo.waitFor(
    async () => {
      const st = (await repos.inbox.get(`zalo:user_send_text:${ev.message.msg_id}`))?.status;
      return st === 'done' || st === 'failed' || st === 'ignored';
    },
    `Zalo replies to "${text.slice(0, 80)}"`,
  );
  return zalo.cs
    .slice(mark)
    .filter((m) => m.userId === userId)
    .map((m) => m.message.text)
    .join('\n');
}

/**
 * The chat of a running test app as its tests type it, each turn 30 s after the last: `say` as a
 * console user (through the bot core), `zsay` as the one Zalo focal point (through the webhook),
 * `code` an enrolment code to send as `đăng ký MÃ`. `app` and `zalo` are getters: a test starts
 * them in its beforeAll, and may restart its app.
 */
export function appChat(app: () => TestApp, clock: ManualClock, zalo: () => FakeZalo, focal: string) {
  return {
    say: async (userId: string, text: string, userName?: string): Promise<string> => {
      clock.advance(30_000);
      const ev: InboundEvent = { channel: 'console', userId, userName, receivedAt: clock.now(), text };
      return (await app().bot.handle(ev)).map((m) => m.text).join('\n---\n');
    },
    zsay: async (text: string): Promise<string> => {
      clock.advance(30_000);
      return zaloSay(app().url, app().ctx.store, zalo(), focal, text, clock.now().getTime());
    },
    code: (unitCode: string, role: 'focal' | 'coordinator') => app().ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 }),
  };
}
