/**
 * The OA token chain end to end against the fake OAuth endpoint (single-use refresh tokens):
 * one refresh however many instances race for it, refresh ahead of expiry, and the alert state
 * (/healthz and the coordinators) when renewal fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutMessage } from '../core/message.js';
import { ZALO_REASONS } from '../channels/zalo/sender.js';
import { TOKEN_KEY } from '../channels/zalo/tokens.js';
import { ManualClock } from '../lib/clock.js';
import { createLogger } from '../lib/log.js';
import { coordinatorUnit } from '../regime/regime.js';
import type { Contact } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { mongoUri, uniqueDbName } from './helpers/stores.js';

const apps: TestApp[] = [];
const dirs: string[] = [];
let fake: FakeZalo | undefined;
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await fake?.close();
  fake = undefined;
});

async function start(env: Record<string, string>, clock?: ManualClock): Promise<TestApp> {
  const a = await startTestApp(env, { clock });
  apps.push(a);
  return a;
}

/** A Zalo contact inside the consultation window (they wrote a moment ago). */
async function contactInWindow(app: TestApp, userId = zaloId()): Promise<Contact> {
  const now = app.ctx.clock.now().getTime();
  return app.ctx.store.contacts.put({ _id: `zalo:${userId}`, channel: 'zalo', platformUserId: userId, reachable: true, followed: true, lastInteractionAt: now, updatedAt: now });
}

const send = (app: TestApp, c: Contact, msg: OutMessage) => app.ctx.senders.get('zalo')!.send(c, msg);

const backends: Array<{ name: string; env: () => Record<string, string>; available: () => boolean }> = [
  {
    name: 'embedded (SQLite file shared by both instances)',
    env: () => {
      const d = mkdtempSync(join(tmpdir(), 'dondoc-zalo-race-'));
      dirs.push(d);
      return { DATA_DIR: d };
    },
    available: () => true,
  },
  {
    name: 'MongoDB protocol (FerretDB)',
    env: () => {
      const u = new URL(mongoUri());
      u.pathname = `/${uniqueDbName('zalo')}`;
      return { MONGODB_URI: u.toString() };
    },
    available: () => Boolean(mongoUri()),
  },
];

describe('Zalo token refresh', () => {
  for (const b of backends) {
    it.skipIf(!b.available())(`two instances racing to refresh perform ONE refresh — ${b.name}`, async () => {
      fake = await startFakeZalo();
      // A slow OAuth endpoint widens the race window.
      fake.fail({ endpoint: 'token', latencyMs: 400, times: Infinity });
      const shared = b.env();
      const a = await start(fake.env(shared));
      const c = await start(fake.env(shared));
      const contacts = await Promise.all([1, 2, 3, 4, 5, 6].map(() => contactInWindow(a)));
      const results = await Promise.all(contacts.map((k, i) => send(i % 2 ? a : c, k, { text: `Nhắc việc ${i}` })));
      expect(results.map((r) => r.status)).toEqual(Array(6).fill('sent'));
      expect(fake.refreshes).toHaveLength(1);
      expect(fake.calls.filter((x) => x.endpoint === 'token')).toHaveLength(1);
      expect(new Set(fake.cs.map((m) => m.accessToken))).toEqual(new Set([fake.refreshes[0].issuedAccess]));
      // The new pair was stored before use, so a third instance (a restart) just uses it.
      const stored = await a.ctx.store.getValue<Record<string, unknown>>(TOKEN_KEY);
      expect(stored).toMatchObject({ accessToken: fake.refreshes[0].issuedAccess, generation: 2 });
      const d = await start(fake.env(shared));
      expect((await send(d, await contactInWindow(d), { text: 'Sau khởi động lại' })).status).toBe('sent');
      expect(fake.refreshes).toHaveLength(1);
    });
  }

  it('refreshes ahead of expiry (25 h tokens, one hour before), spending each refresh token once', async () => {
    fake = await startFakeZalo();
    const clock = new ManualClock(Date.now());
    const app = await start(fake.env(), clock);
    const k = await contactInWindow(app);
    expect((await send(app, k, { text: 'một' })).status).toBe('sent');
    expect(fake.refreshes).toHaveLength(1);
    clock.advance(23 * 3600_000);
    expect((await send(app, k, { text: 'hai' })).status).toBe('sent');
    expect(fake.refreshes).toHaveLength(1);
    clock.advance(61 * 60_000); // 59 minutes left
    expect((await send(app, k, { text: 'ba' })).status).toBe('sent');
    expect(fake.refreshes).toHaveLength(2);
    expect(fake.cs.map((m) => m.accessToken)).toEqual([fake.refreshes[0].issuedAccess, fake.refreshes[0].issuedAccess, fake.refreshes[1].issuedAccess]);
  });

  it('a refused refresh token raises the alert: /healthz degraded, coordinators told, no hammering; a new token from the environment recovers', async () => {
    fake = await startFakeZalo();
    fake.revokeRefreshTokens();
    const dir = mkdtempSync(join(tmpdir(), 'dondoc-zalo-alert-'));
    dirs.push(dir);
    const app = await start(fake.env({ DATA_DIR: dir }));
    const unit = coordinatorUnit(app.ctx.regime).code;
    const now = app.ctx.clock.now().getTime();
    await app.ctx.store.addMember({ userKey: 'teams:coord-1', unitCode: unit, role: 'coordinator', enrolledAt: now });
    await app.ctx.store.addMember({ userKey: 'zalo:7712345678901234567', unitCode: unit, role: 'coordinator', enrolledAt: now });

    const before = await (await fetch(`${app.url}/healthz`)).json();
    // (The regime's calendar check also counts, on the real clock: ok while its holidays cover the next 12 months.)
    expect(before).toMatchObject({ status: before.checks.calendar.ok ? 'ok' : 'degraded', checks: { zalo: { ok: true } } });

    const k = await contactInWindow(app);
    const r = await send(app, k, { text: 'Nhắc việc' });
    expect(r).toMatchObject({ status: 'failed', reason: ZALO_REASONS.tokenUnavailable, retryable: true });
    const res = await fetch(`${app.url}/healthz`);
    const health = await res.json();
    expect(res.status).toBe(200);
    expect(health.status).toBe('degraded');
    expect(health.checks.zalo.ok).toBe(false);
    expect(health.checks.zalo.detail).toMatch(/cần cấp quyền lại/);
    expect(JSON.stringify(health)).not.toContain(fake.firstRefreshToken);

    const alerts = await app.ctx.store.outbox.find({ purpose: 'alert' }, { sort: [['recipient', 1]] });
    expect(alerts.map((a) => [a.recipient, a.channel])).toEqual([
      ['teams:coord-1', 'teams'],
      ['zalo:7712345678901234567', 'zalo'],
    ]);
    expect(String(alerts[0].message.text)).toMatch(/không gia hạn được mã truy cập Zalo OA/);

    // the dead refresh token is not tried again, and the alert is not repeated the same day
    expect((await send(app, k, { text: 'Nhắc lại' })).status).toBe('failed');
    expect(fake.calls.filter((c) => c.endpoint === 'token')).toHaveLength(1);
    expect(await app.ctx.store.outbox.count({ purpose: 'alert' })).toBe(2);

    // an administrator re-authorises the app and restarts with the new refresh token
    const fresh = fake.issueRefreshToken();
    await apps.pop()!.close();
    const again = await start(fake.env({ DATA_DIR: dir, ZALO_REFRESH_TOKEN: fresh }));
    expect((await send(again, k, { text: 'Nhắc việc' })).status).toBe('sent');
    expect((await (await fetch(`${again.url}/healthz`)).json()).checks.zalo).toMatchObject({ ok: true });
  });

  it('never writes tokens or secrets to the logs, through refreshes, token errors and failures', async () => {
    fake = await startFakeZalo();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await startTestApp(fake.env(), { log: createLogger('trace', sink) });
    apps.push(app);
    const k = await contactInWindow(app);
    expect((await send(app, k, { text: 'một' })).status).toBe('sent');
    fake.revokeAccessTokens();
    expect((await send(app, k, { text: 'hai' })).status).toBe('sent');
    const r = await fake.post(app.url, {
      app_id: fake.appId,
      event_name: 'user_send_text',
      timestamp: String(Date.now()),
      sender: { id: k.platformUserId },
      recipient: { id: zaloId() },
      message: { msg_id: zaloId(), text: 'trợ giúp' },
    });
    expect(r.status).toBe(200);
    await fake.waitFor(() => fake.cs.length >= 3, 'the reply');
    fake.revokeRefreshTokens();
    fake.revokeAccessTokens();
    expect((await send(app, k, { text: 'ba' })).status).toBe('failed');
    const stored = await app.ctx.store.getValue<{ accessToken: string; refreshToken: string }>(TOKEN_KEY);
    const secrets = [fake.appSecret, fake.oaSecretKey, fake.firstRefreshToken, stored!.refreshToken, ...fake.refreshes.flatMap((x) => [x.spent, x.issuedAccess])];
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    expect(log).toMatch(/access token refreshed/);
    for (const s of secrets) expect(log).not.toContain(s);
  });

  it('an unreachable OAuth endpoint (5xx) shows as failing renewal in /healthz', async () => {
    fake = await startFakeZalo();
    fake.fail({ endpoint: 'token', http: 503, times: Infinity });
    const app = await start(fake.env());
    const r = await send(app, await contactInWindow(app), { text: 'x' });
    expect(r).toMatchObject({ status: 'failed', reason: ZALO_REASONS.tokenUnavailable });
    const health = await (await fetch(`${app.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'degraded', checks: { zalo: { ok: false } } });
    expect(health.checks.zalo.detail).toMatch(/đang lỗi: OAuth HTTP 503/);
  });
});
