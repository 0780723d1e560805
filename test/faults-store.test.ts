/**
 * The store unreachable: at start-up (clear error, non-zero exit) and mid-run (health 503, chat
 * turns answered with a polite Vietnamese "please try again" — not a 500, not silence — then
 * recovery without a restart once the server is back).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { openPeriodsForUnit } from '../regime/periods.js';
import { buildForm } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { zaloSay, zaloTextEvent } from './helpers/chat-drivers.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { ensureFerretBinary, startFerret, type FerretProcess } from './helpers/ferret.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

const root = resolve(import.meta.dirname, '..');

describe('store unreachable at start-up', () => {
  it('exits non-zero with a clear Vietnamese message and no stack trace', () => {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'app', 'main.js')], {
      encoding: 'utf8',
      env: { ...process.env, PORT: '0', MONGODB_URI: 'mongodb://127.0.0.1:1/dondoc', SCHEDULER: 'off' },
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Không mở được kho dữ liệu');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(!ensureFerretBinary())('store lost mid-run (MongoDB protocol)', () => {
  let ferret: FerretProcess;
  let app: TestApp;
  let fake: FakeBotConnector;
  let zalo: FakeZalo;
  beforeAll(async () => {
    ferret = await startFerret();
    fake = await startFakeBotConnector();
    zalo = await startFakeZalo();
    app = await startTestApp({ MONGODB_URI: `${ferret.uri}faults`, ...zalo.env() });
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await fake?.close();
    await zalo?.close();
    await ferret?.dispose();
  });

  const waitHealthy = async () => {
    let status = 0;
    for (let i = 0; i < 60 && status !== 200; i++) {
      status = (await fetch(`${app.url}/healthz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
  };

  it('health turns 503 while the server is down and 200 again after it returns, without a restart', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    await ferret.stop('SIGKILL');
    const down = await fetch(`${app.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', store: { kind: 'mongodb', ok: false } });
    await ferret.start();
    let status = 0;
    for (let i = 0; i < 30 && status !== 200; i++) {
      status = (await fetch(`${app.url}/healthz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
  });

  it('a Teams chat turn during the outage gets a polite "try again" (HTTP 200, not a 500, not silence); chat works again after recovery', async () => {
    const u = teamsUser('Hoàng Văn Sự Cố');
    const say = async (text: string) => {
      fake.clear();
      const r = await postActivity(app.url, asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text }), u));
      return { status: r.status, text: fake.activities(u.conversationId).map(activityText).join('\n') };
    };
    // Enrolled while the store is up; the report period of the real clock's day is open.
    const code = await app.ctx.store.createEnrolmentCode({ unitCode: 'BA-BE', role: 'focal', createdBy: 'test', now: Date.now(), ttlMs: 86_400_000 });
    expect((await say(`đăng ký ${code}`)).text).toContain('Đăng ký thành công');

    await ferret.stop('SIGKILL');
    for (const text of ['trợ giúp', 'báo cáo', 'tiếp tục']) {
      const r = await say(text);
      expect(r.status, text).toBe(200);
      // One of the two polite texts: the core's (store failed inside the turn) or the channel's
      // (the delivery could not even be recorded). Both say to try again in a few minutes.
      expect([vi.router.internalError, vi.teams.failure], text).toContain(r.text);
      expect(r.text).toMatch(/thử lại/);
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(503);

    await ferret.start();
    await waitHealthy();
    // Same process, no restart: the turn works and its answer is stored.
    const help = await say('trợ giúp');
    expect(help.status).toBe(200);
    expect(help.text).toContain('UBND huyện Ba Bể');
    const unit = app.ctx.regime.units.find((x) => x.code === 'BA-BE')!;
    const period = openPeriodsForUnit(app.ctx.regime, unit, new Date()).find((p) => p.kind === 'M')!;
    const first = buildForm(app.ctx.regime, 'BA-BE', 'M')!.sections[0].questions.find((q) => q.type !== 'note')!;
    expect(first.type).toBe('select_one');
    expect((await say(`báo cáo BA-BE ${period.id}`)).text).toContain(first.label);
    expect((await say('1')).text).toMatch(/✓ Đã lưu/);
    expect((await app.ctx.store.getDraft('BA-BE', period.id))?.answers[first.key]).toBeDefined();
  });

  it('a Zalo message during the outage: Zalo gets a 503 (nothing acknowledged that was not kept) and the person is asked to send it again; after recovery it is handled', async () => {
    const user = zaloId();
    // Before the outage the person has talked to the bot (the OA token has been read).
    expect(await zaloSay(app.url, app.ctx.store, zalo, user, 'trợ giúp', Date.now())).toContain('đăng ký MÃ');

    await ferret.stop('SIGKILL');
    const before = zalo.cs.length;
    const r = await zalo.post(app.url, zaloTextEvent(zalo, user, 'báo cáo', Date.now()));
    expect(r.status).toBe(503);
    await zalo.waitFor(() => zalo.cs.slice(before).some((m) => m.userId === user), 'the request to send again');
    const told = zalo.cs.slice(before).filter((m) => m.userId === user);
    expect(told.map((m) => m.message.text)).toEqual([vi.zalo.notReceived]);

    await ferret.start();
    await waitHealthy();
    // Sent again: handled by the same process.
    expect(await zaloSay(app.url, app.ctx.store, zalo, user, 'trợ giúp', Date.now())).toContain('đăng ký MÃ');
  });
});
