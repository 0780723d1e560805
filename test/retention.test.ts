/**
 * Retention of what grows with every inbound message, on both store backends, driven by the
 * scheduler's own tick with the test clock: processed inbound events (inbox: done, ignored,
 * failed) and finished turns are deleted once older than INBOX_RETENTION_DAYS (default 30);
 * events still waiting or being processed are never deleted, however old. The regime files
 * coordinators upload on the web console and do not confirm expire (UPLOAD_TTL_MS) and are deleted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../config/env.js';
import { startScheduler, type RunningScheduler } from '../jobs/scheduler.js';
import { heldUpload, holdUpload, UPLOAD_TTL_MS } from '../services/regime-change.js';
import { startTestBot, type TestBot } from './helpers/bot.js';
import { BACKENDS } from './helpers/stores.js';

const DAY = 86_400_000;
const NOW = '2027-07-05T10:00:00+07:00';

describe('INBOX_RETENTION_DAYS', () => {
  it('defaults to 30 days and must be a whole number of days of at least 1', () => {
    const def = parseEnv({});
    expect(def.ok && def.config.inboxRetentionMs).toBe(30 * DAY);
    const seven = parseEnv({ INBOX_RETENTION_DAYS: '7' });
    expect(seven.ok && seven.config.inboxRetentionMs).toBe(7 * DAY);
    for (const bad of ['0', '-1', '1.5', 'ba mươi']) {
      const r = parseEnv({ INBOX_RETENTION_DAYS: bad });
      expect(r.ok, bad).toBe(false);
      expect(!r.ok && r.errors.join('\n')).toContain('INBOX_RETENTION_DAYS');
    }
  });
});

for (const b of BACKENDS)
  describe.skipIf(!b.available())(`retention of processed inbound events (${b.name})`, () => {
    let t: TestBot;
    let s: RunningScheduler | undefined;
    afterEach(async () => {
      await s?.stop();
      await t?.dispose();
    });

    /** An inbound event as a channel stores and settles it (webhook → inbox → processed). */
    const inbound = async (id: string, end: 'done' | 'ignored' | 'failed' | 'received' | 'processing') => {
      const st = t.ctx.store;
      const now = t.clock.now().getTime();
      await st.receiveInbox({ _id: id, channel: 'zalo', receivedAt: now, payload: { event_name: 'user_send_text' } });
      if (end === 'received') return;
      const ev = await st.claimInbox(id, now, 60_000);
      if (end === 'processing') return;
      await st.settleInbox(id, ev?.leaseUntil as number, { status: end, doneAt: now, leaseUntil: undefined });
    };
    const ids = async () => ({
      inbox: (await t.ctx.store.inbox.find({})).map((e) => e._id).sort(),
      turns: (await t.ctx.store.turns.find({})).map((e) => e.eventId).sort(),
    });

    it('the scheduler deletes processed events and turns past the retention, never an unprocessed one', async () => {
      t = await startTestBot({ now: NOW, store: await b.open() });
      // Day 0: events of every kind, and two turns of the core (a person writing twice).
      for (const end of ['done', 'ignored', 'failed', 'received', 'processing'] as const) await inbound(`old-${end}`, end);
      const p = { channel: 'console' as const, userId: 'lan' };
      await t.bot.handle({ ...p, text: 'trợ giúp', eventId: 'e1', receivedAt: t.clock.now() });
      await t.bot.handle({ ...p, text: 'xin chào', eventId: 'e2', receivedAt: t.clock.now() });
      // Day 10: more of both.
      t.clock.advance(10 * DAY);
      await inbound('new-done', 'done');
      await t.bot.handle({ ...p, text: 'trợ giúp', eventId: 'e3', receivedAt: t.clock.now() });

      s = startScheduler(t.ctx, { passCron: '0 0 1 1 *', drainCron: '0 0 1 1 *', id: 'retention' });
      // Day 29 plus 23 hours: everything is younger than 30 days.
      t.clock.set(Date.parse(NOW) + 30 * DAY - 60_000);
      expect((await s.tick()).housekeeping).toMatchObject({ inbox: 0, turns: 0 });
      const all = await ids();
      expect(all.inbox).toHaveLength(6);
      expect(all.turns).toEqual(['e1', 'e2', 'e3']);

      // Day 30 and a minute: the processed events and turns of day 0 go; the unprocessed ones stay.
      t.clock.set(Date.parse(NOW) + 30 * DAY + 60_000);
      expect((await s.tick()).housekeeping).toMatchObject({ inbox: 3, turns: 2 });
      expect(await ids()).toEqual({ inbox: ['new-done', 'old-processing', 'old-received'], turns: ['e3'] });

      // A year later: only the unprocessed ones remain, whatever their age.
      t.clock.advance(365 * DAY);
      expect((await s.tick()).housekeeping).toMatchObject({ inbox: 1, turns: 1 });
      expect(await ids()).toEqual({ inbox: ['old-processing', 'old-received'], turns: [] });
      expect(await t.ctx.store.inbox.find({})).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'received' }), expect.objectContaining({ status: 'processing' })]));
    });

    it('a regime upload left unconfirmed on the console expires, and the scheduler deletes it; a fresh one and other values stay', async () => {
      t = await startTestBot({ now: NOW, store: await b.open() });
      const kv = async () =>
        (await t.ctx.store.kv.find({}))
          .map((v) => v._id)
          .filter((id) => id.startsWith('regime.upload'))
          .sort();
      await t.ctx.store.setValue('regime.uploadz', { other: true }, t.clock.now().getTime());
      const left = await holdUpload(t.ctx, 'teams:dieu.phoi', t.ctx.regime, 'che-do-cu.xlsx');
      const dropped = await holdUpload(t.ctx, 'teams:pho.phong', t.ctx.regime, 'che-do-bo.xlsx');
      s = startScheduler(t.ctx, { passCron: '0 0 1 1 *', drainCron: '0 0 1 1 *', id: 'uploads' });
      // Within the hour: both still confirmable, nothing deleted.
      t.clock.advance(UPLOAD_TTL_MS - 60_000);
      expect((await s.tick()).housekeeping).toMatchObject({ regimeUploads: 0 });
      expect(await heldUpload(t.ctx, 'teams:dieu.phoi', left)).toMatchObject({ fileName: 'che-do-cu.xlsx' });
      const fresh = await holdUpload(t.ctx, 'teams:moi', t.ctx.regime, 'che-do-moi.xlsx');
      // Past it: refused on use (and deleted then); the scheduler deletes the other one, not the fresh one.
      t.clock.advance(2 * 60_000);
      expect(await heldUpload(t.ctx, 'teams:dieu.phoi', left)).toBeNull();
      expect(await kv()).toEqual(['regime.upload:teams:moi', 'regime.upload:teams:pho.phong', 'regime.uploadz']);
      expect((await s.tick()).housekeeping).toMatchObject({ regimeUploads: 1 });
      expect(await kv()).toEqual(['regime.upload:teams:moi', 'regime.uploadz']);
      expect(await heldUpload(t.ctx, 'teams:pho.phong', dropped)).toBeNull();
      expect(await heldUpload(t.ctx, 'teams:moi', fresh)).toMatchObject({ fileName: 'che-do-moi.xlsx' });
    });
  });
