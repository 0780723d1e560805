/**
 * Zalo's consultation window counts from the person's own message, not from when we processed
 * it. A message a crashed process left behind is processed hours later on recovery: the Contact's
 * last interaction stays at the message's time (Zalo's `timestamp`), so a reminder near the
 * window's edge is refused (undeliverable, nothing sent that Zalo would refuse or charge for) or
 * sent exactly as the real window says. Real app, webhook and recovery over the local fake Zalo.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CS_WINDOW_MARGIN_MS, CS_WINDOW_MS, ZALO_REASONS } from '../channels/zalo/sender.js';
import { OutboxWorker } from '../jobs/outbox-worker.js';
import { runReminderPass } from '../jobs/reminders.js';
import { ManualClock } from '../lib/clock.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { zaloSay, zaloTextEvent } from './helpers/chat-drivers.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { FAST } from './helpers/reminder-world.js';
import { embeddedStore } from './helpers/stores.js';

const HOUR = 3600_000;
/** A reminder step is due for the half-year report of every department here (test/reminders-e2e.test.ts). */
const STEP = Date.parse('2027-06-21T08:00:00+07:00');
/** The window our sender trusts: Zalo's 7 days, less the margin for a send in flight. */
const TRUSTED = CS_WINDOW_MS - CS_WINDOW_MARGIN_MS;

describe('the Zalo window counts from the event, however late it is processed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dondoc-zalo-window-'));
  const clock = new ManualClock(Date.parse('2027-06-01T09:00:00+07:00'));
  let zalo: FakeZalo;
  let app: TestApp;
  afterAll(async () => {
    await app?.close();
    await zalo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a message processed two hours late leaves lastInteractionAt at its own time; the reminder at the edge is refused or sent accordingly', async () => {
    zalo = await startFakeZalo();
    app = await startTestApp({ ...zalo.env(), DATA_DIR: dataDir }, { clock });
    // Two focal points enrol on 1 June (through the webhook, as officials do).
    const people = { edge: zaloId(), inside: zaloId() };
    const units = { edge: 'CTHUE', inside: 'KHDT' };
    for (const k of ['edge', 'inside'] as const) {
      const code = await app.ctx.store.createEnrolmentCode({ unitCode: units[k], role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 7 * 86_400_000 });
      expect(await zaloSay(app.url, app.ctx.store, zalo, people[k], `đăng ký ${code}`, clock.now().getTime())).toMatch(/Đăng ký thành công/);
    }
    await app.close();

    // A week before the reminder each writes once more. The webhook stored both messages (and
    // answered Zalo), then the process died before handling them: what it leaves behind.
    const sent = {
      edge: STEP - TRUSTED - 30 * 60_000, // 30 minutes too old for the reminder to go as a consultation message
      inside: STEP - TRUSTED + 30 * 60_000, // 30 minutes young enough
    };
    const s = await embeddedStore(dataDir);
    const msgIds = { edge: zaloId(), inside: zaloId() };
    for (const k of ['edge', 'inside'] as const) {
      const payload = zaloTextEvent(zalo, people[k], 'trợ giúp', sent[k], msgIds[k]);
      await s.repos.receiveInbox({ _id: `zalo:user_send_text:${msgIds[k]}`, channel: 'zalo', receivedAt: sent[k], payload });
    }
    await s.repos.db.close();

    // Two hours later a new process starts and its recovery pass handles them.
    const processedAt = sent.inside + 2 * HOUR;
    clock.set(processedAt);
    app = await startTestApp({ ...zalo.env({ ZALO_REFRESH_TOKEN: zalo.issueRefreshToken() }), DATA_DIR: dataDir }, { clock });
    await zalo.waitFor(async () => (await app.ctx.store.inbox.count({ status: 'done' })) === 4, 'the messages left behind are handled');
    await app.settled();
    for (const k of ['edge', 'inside'] as const) {
      expect(zalo.cs.filter((m) => m.userId === people[k]).at(-1)?.message.text, `${k}: answered on recovery`).toMatch(/đăng ký MÃ|Các lệnh/);
      const c = await app.ctx.store.contacts.get(`zalo:${people[k]}`);
      expect(c?.lastInteractionAt, `${k}: the message's own time, not the processing time`).toBe(sent[k]);
      // The inbox record is the event's one record (the core keeps no turn record for a Zalo event).
      expect(await app.ctx.store.inbox.get(`zalo:user_send_text:${msgIds[k]}`)).toMatchObject({ status: 'done' });
      expect(await app.ctx.store.turns.count({ userKey: `zalo:${people[k]}` })).toBe(0);
    }
    // Processing time would have put both inside the window.
    expect(STEP - processedAt).toBeLessThan(TRUSTED);

    // The reminder step.
    clock.set(STEP);
    zalo.cs.length = 0;
    const pass = await runReminderPass(app.ctx, clock.now(), { by: 'test' });
    expect(pass.enqueued).toBeGreaterThan(0);
    const worker = new OutboxWorker(app.ctx, FAST);
    for (let i = 0; i < 20; i++) {
      const r = await worker.drainOnce();
      if (!(r.sent + r.retried + r.failed + r.undeliverable + r.cancelled + r.fallbacks + r.notices + r.batchReports)) break;
    }
    const reminderTo = async (k: 'edge' | 'inside') => app.ctx.store.outbox.find({ recipient: `zalo:${people[k]}`, purpose: 'reminder' });
    const edge = await reminderTo('edge');
    const inside = await reminderTo('inside');
    expect(edge.length).toBeGreaterThan(0);
    for (const e of edge) expect(e).toMatchObject({ status: 'undeliverable', reason: ZALO_REASONS.outsideWindow });
    expect(zalo.cs.filter((m) => m.userId === people.edge)).toEqual([]);
    expect(inside.length).toBeGreaterThan(0);
    for (const e of inside) expect(e).toMatchObject({ status: 'sent' });
    expect(
      zalo.cs
        .filter((m) => m.userId === people.inside)
        .map((m) => m.message.text)
        .join('\n'),
    ).toMatch(/6 tháng đầu năm 2027/);
    const audit = await app.ctx.store.audit.find({ action: 'zalo.undeliverable', subject: `zalo:${people.edge}` });
    expect(audit).toHaveLength(edge.length);
    expect(audit[0]).toMatchObject({ details: { reason: ZALO_REASONS.outsideWindow, lastInteractionAt: sent.edge } });
  });
});
