/**
 * The node-cron scheduler inside the server: it ticks by itself (pass + drain), a confirmed
 * broadcast wakes the outbox at once, and it stops cleanly with the app.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startScheduler, type RunningScheduler } from '../jobs/scheduler.js';
import { startTestApp } from './helpers/app.js';
import { FAST, startWorld, type World } from './helpers/reminder-world.js';
import { asUser, nextActivityId, postActivity, teamsFixture } from './helpers/teams-fixtures.js';

let w: World | undefined;
let s: RunningScheduler | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
  await w?.close();
  w = undefined;
});

/** Polls (no timing assertion) until `pred` holds. */
async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await pred())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scheduler', () => {
  it('ticks on its own: a due step is claimed, enqueued and delivered without anyone calling it; stop() ends the ticks', async () => {
    w = await startWorld({ now: '2027-06-21T07:59:00+07:00' });
    const a = await w.enrolTeams('BHXH');
    w.reset();
    s = startScheduler(w.app.ctx, { passCron: '* * * * * *', drainCron: '* * * * * *', worker: FAST, id: 'test-scheduler' });
    w.clock.set('2027-06-21T08:00:00+07:00');
    await until(() => w!.teamsTexts(a).length === 1, 'the T-14 reminder');
    expect(w.teamsTexts(a)[0]).toContain('còn 14 ngày');
    const claim = await w.app.ctx.store.claims.find({ kind: 'reminder', 'details.unitCode': 'BHXH' });
    expect(claim.map((c) => c.by)).toEqual(['test-scheduler']);
    await s.stop();
    s = undefined;
    // After stop: a new step comes due, nobody sends it.
    w.clock.set('2027-06-28T08:00:00+07:00');
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.teamsTexts(a)).toHaveLength(1);
    expect(await w.app.ctx.store.outbox.count({ purpose: 'reminder' })).toBe(1);
  });

  it('a confirmed broadcast wakes the outbox at once instead of waiting for the next tick', async () => {
    w = await startWorld({ now: '2027-07-06T09:00:00+07:00' });
    const focal = await w.enrolTeams('STC');
    const coord = await w.enrolTeams('LDTBXH', 'coordinator');
    w.reset();
    // Ticks that never come during the test: only the kick can deliver.
    s = startScheduler(w.app.ctx, { passCron: '0 0 1 1 *', drainCron: '0 0 1 1 *', worker: FAST });
    const say = (text: string) => postActivity(w!.app.url, asUser(teamsFixture('message-personal', w!.teams.serviceUrl, { id: nextActivityId(), text }), coord));
    await say('thông báo tất cả');
    await say('Lịch họp giao ban tháng 7: 14:00 thứ Năm.');
    await say('gửi');
    await until(() => w!.teamsTexts(focal).some((t) => t.includes('Lịch họp giao ban')), 'the broadcast');
    await until(() => w!.teamsTexts(coord).some((t) => t.startsWith('Kết quả gửi thông báo')), 'the delivery report');
  });

  it('runs inside the app when SCHEDULER=on and stops with it', async () => {
    const app = await startTestApp({ SCHEDULER: 'on' });
    expect(app.ctx.config.scheduler).toBe(true);
    await app.close();
  });
});
