/**
 * The fakes' rate-limit enforcement the fan-out benchmark relies on: the Bot Connector fake refuses
 * sends over a per-conversation or per-bot window with 429 + Retry-After (Teams' shape) and does
 * not count the refused ones; the Zalo fake refuses OA messages over its window with -32 (or 429).
 * Windows here are long (a minute) so nothing depends on how fast the machine is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('fake Bot Connector rate limits', () => {
  let fake: FakeBotConnector | undefined;
  afterEach(async () => fake?.close());

  const send = (conv: string) => post(`${fake!.serviceUrl}v3/conversations/${encodeURIComponent(conv)}/activities`, { type: 'message', text: 'x' });

  it('refuses a conversation past its window with 429 and Retry-After; other conversations go on', async () => {
    const seen: number[] = [];
    fake = await startFakeBotConnector({ rateLimits: { perConversation: [{ limit: 3, windowMs: 60_000 }] }, onRequest: (r) => seen.push(r.status) });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send('a:1one')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await send('a:1one');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as any).error.code).toBe('TooManyRequests');
    expect((await send('a:1two')).status).toBe(200);
    expect(seen).toEqual([200, 200, 200, 429, 429, 429, 200]);
    expect(fake.activities()).toHaveLength(4);
  });

  it('applies the bot-wide window across conversations, and refused requests do not count', async () => {
    fake = await startFakeBotConnector({ rateLimits: { global: [{ limit: 2, windowMs: 60_000 }], perConversation: [{ limit: 1, windowMs: 60_000 }] } });
    expect((await send('a:1a')).status).toBe(200);
    expect((await send('a:1a')).status).toBe(429); // the conversation's window
    expect((await send('a:1b')).status).toBe(200); // the refusal above did not use the bot's window
    expect((await send('a:1c')).status).toBe(429); // the bot's window
    // GETs are not limited by default.
    expect((await fetch(`${fake.serviceUrl}v3/conversations/a%3A1c/members/29%3A1x`)).status).toBe(404);
  });
});

describe('fake Zalo rate limit', () => {
  let zalo: FakeZalo | undefined;
  afterEach(async () => zalo?.close());

  async function token(z: FakeZalo): Promise<string> {
    const r = await fetch(`${z.url}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: z.appSecret },
      body: new URLSearchParams({ app_id: z.appId, grant_type: 'refresh_token', refresh_token: z.firstRefreshToken }),
    });
    return ((await r.json()) as any).access_token;
  }
  const cs = (z: FakeZalo, t: string, userId: string) =>
    post(`${z.url}/v3.0/oa/message/cs`, { recipient: { user_id: userId }, message: { text: 'Nhắc nộp báo cáo' } }, { access_token: t });

  it('answers -32 (HTTP 200) past the window, as Zalo documents', async () => {
    zalo = await startFakeZalo({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const t = await token(zalo);
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await cs(zalo, t, '2468458835296197922')).json());
    expect(bodies.map((b: any) => b.error)).toEqual([0, 0, -32]);
    const r = await cs(zalo, t, '2468458835296197923');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-ratelimit-remain')).toBe('0');
    expect(zalo.cs).toHaveLength(2);
    expect(zalo.calls.filter((c) => c.error === -32)).toHaveLength(2);
  });

  it('answers 429 with Retry-After when told to', async () => {
    zalo = await startFakeZalo({ rateLimit: { limit: 1, windowMs: 60_000, answer: 'http429' } });
    const t = await token(zalo);
    expect((await cs(zalo, t, '2468458835296197922')).status).toBe(200);
    const r = await cs(zalo, t, '2468458835296197922');
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(zalo.cs).toHaveLength(1);
  });
});
