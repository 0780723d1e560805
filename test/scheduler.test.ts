/**
 * The node-cron scheduler inside the server: it ticks by itself (pass + drain), a confirmed
 * broadcast wakes the outbox at once, and it stops cleanly with the app.
 *
 * "Nothing runs after stop" is never shown by sleeping: the scheduler's cron tasks are gone from
 * node-cron's registry (nothing left to fire), a kick reaches no worker, and — where the ticks
 * are every second — a witness task on the same pattern has fired at two of the instants the
 * stopped scheduler would have ticked at.
 */
import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kickOutbox } from '../services/kick.js';
import { startScheduler, type RunningScheduler } from '../jobs/scheduler.js';
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

/** The node-cron tasks of scheduler `id` still registered (the scheduler names them after its id). */
const cronTasksOf = (id: string) => [...cron.getTasks().values()].filter((t) => t.name?.endsWith(`-${id}`)).map((t) => t.name);

/** Resolves once a fresh node-cron task on `pattern` has fired `n` times: `n` instants at which any task on that pattern was due. */
function cronInstants(pattern: string, n: number): Promise<void> {
  let fired = 0;
  return new Promise((done) => {
    const witness = cron.schedule(pattern, () => {
      if (++fired < n) return;
      void witness.destroy();
      done();
    });
  });
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
    expect(cronTasksOf('test-scheduler')).toHaveLength(2);
    await s.stop();
    s = undefined;
    expect(cronTasksOf('test-scheduler')).toEqual([]);
    // After stop: a new step comes due; two of the instants the scheduler ticked at pass, and
    // nobody claimed, queued or sent it.
    w.clock.set('2027-06-28T08:00:00+07:00');
    await cronInstants('* * * * * *', 2);
    expect(await w.app.ctx.store.claims.count({ kind: 'reminder' })).toBe(1);
    expect(await w.app.ctx.store.outbox.count({ purpose: 'reminder' })).toBe(1);
    expect(w.teamsTexts(a)).toHaveLength(1);
    // The same pass run by hand now does send it: the step was due, only the scheduler was gone.
    expect((await w.pass()).enqueued).toBe(1);
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

  it("runs inside the app when SCHEDULER=on: the app's own outbox tick sends what is queued; app.stop() ends its ticks and kicks", async () => {
    const world = await startWorld({ now: '2027-06-21T07:59:00+07:00', env: { SCHEDULER: 'on' } });
    let stopped = false;
    try {
      const a = await world.enrolTeams('BHXH');
      world.reset();
      const sched = world.app.scheduler;
      expect(sched, 'the app started a scheduler').toBeDefined();
      expect(cronTasksOf(sched!.id).sort()).toEqual([`dondoc-outbox-${sched!.id}`, `dondoc-reminders-${sched!.id}`]);
      const drains = vi.spyOn(sched!.worker, 'drainOnce');
      // The T-14 reminder is queued (a pass by hand, or the app's own pass if a minute turns
      // meanwhile) and never drained by the test: only the app's scheduler can send it, on its
      // own outbox tick (every 15 s).
      world.clock.set('2027-06-21T08:00:00+07:00');
      await world.pass();
      expect(await world.app.ctx.store.outbox.count({ purpose: 'reminder' })).toBe(1);
      await until(() => world.teamsTexts(a).length === 1, "the app's outbox tick", 40_000);
      expect(world.teamsTexts(a)[0]).toContain('còn 14 ngày');
      // The fake has the text before the worker records the send: wait for that record.
      await until(async () => (await world.app.ctx.store.outbox.count({ purpose: 'reminder', status: 'sent' })) === 1, 'the send recorded');
      expect(await world.app.ctx.store.outbox.find({ purpose: 'reminder' })).toMatchObject([{ status: 'sent', attempts: 1 }]);
      expect(drains).toHaveBeenCalled();
      // A kick (what a confirmed broadcast does) reaches the app's worker at once.
      drains.mockClear();
      kickOutbox(world.app.ctx);
      expect(drains).toHaveBeenCalledTimes(1);
      await drains.mock.results[0].value;

      await world.app.close();
      stopped = true;
      // Stopped: no cron task of the scheduler is left to fire, and a kick reaches no worker.
      expect(cronTasksOf(sched!.id)).toEqual([]);
      drains.mockClear();
      kickOutbox(world.app.ctx);
      expect(drains).not.toHaveBeenCalled();
    } finally {
      if (!stopped) await world.app.close();
      await world.teams.close();
    }
  }, 90_000);
});
