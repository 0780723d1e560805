/**
 * The in-process scheduler (node-cron): every minute one reminder pass (jobs/reminders.ts) and a
 * look at the regime's calendar (jobs/calendar.ts: the coordinators are told once when its
 * holidays fall short of the coming deadlines), and every 15 seconds an outbox drain
 * (jobs/outbox-worker.ts); each pass also does the housekeeping (jobs/housekeeping.ts: processed
 * inbound events and turns past their retention, expired abuse counters). Several instances may run against one
 * store: every send is claimed in the store first, and outbox messages are leased.
 * Started by app/app.ts when `SCHEDULER=on`; `stop()` waits for the running tick.
 */
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { AppContext } from '../core/context.js';
import { noticeCalendarGap } from './calendar.js';
import { runHousekeeping, type HousekeepingReport } from './housekeeping.js';
import { onOutboxKick } from '../services/kick.js';
import { OutboxWorker, type DrainReport, type OutboxWorkerOptions } from './outbox-worker.js';
import { runReminderPass, type PassResult } from './reminders.js';

export interface SchedulerOptions {
  /** node-cron expression of the reminder pass (default every minute). */
  passCron?: string;
  /** node-cron expression of the outbox drain (default every 15 s). */
  drainCron?: string;
  worker?: OutboxWorkerOptions;
  id?: string;
}

export interface RunningScheduler {
  readonly id: string;
  readonly worker: OutboxWorker;
  /** One pass, the calendar notice if due, one drain, then the housekeeping, now (what each minute does). */
  tick(): Promise<{ pass: PassResult; calendarNotices: number; drain: DrainReport; housekeeping: HousekeepingReport }>;
  stop(): Promise<void>;
}

export function startScheduler(ctx: AppContext, opts: SchedulerOptions = {}): RunningScheduler {
  const id = opts.id ?? `${hostname()}-${process.pid}`;
  const worker = new OutboxWorker(ctx, { id, ...opts.worker });
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const calendarNoticed = new Set<string>();
  const tick = async () => {
    const now = ctx.clock.now();
    const pass = await runReminderPass(ctx, now, { by: id });
    const calendarNotices = await noticeCalendarGap(ctx, now, calendarNoticed);
    const drain = await worker.drainOnce();
    const housekeeping = await runHousekeeping(ctx, now);
    return { pass, calendarNotices, drain, housekeeping };
  };
  const drain = () => {
    if (stopped) return;
    track(worker.drainOnce()).catch((e) => ctx.log.error({ err: e }, 'outbox drain failed'));
  };
  const logger = {
    info: (m: string) => ctx.log.debug(m),
    warn: (m: string) => ctx.log.warn(m),
    error: (m: string | Error) => ctx.log.error({ err: m }, 'scheduler'),
    debug: (m: string | Error) => ctx.log.debug({ msg: String(m) }, 'scheduler'),
  };
  const tasks: ScheduledTask[] = [
    cron.schedule(
      opts.passCron ?? '* * * * *',
      async () => {
        if (stopped) return;
        await track(tick()).catch((e) => ctx.log.error({ err: e }, 'reminder pass failed'));
      },
      { name: `dondoc-reminders-${id}`, noOverlap: true, logger, timezone: ctx.regime.timezone },
    ),
    cron.schedule(opts.drainCron ?? '*/15 * * * * *', drain, { name: `dondoc-outbox-${id}`, noOverlap: true, logger }),
  ];
  onOutboxKick(ctx, drain);
  ctx.log.info({ scheduler: id }, 'scheduler started: reminders every minute, outbox every 15 s');

  return {
    id,
    worker,
    tick: () => track(tick()),
    async stop() {
      stopped = true;
      onOutboxKick(ctx, null);
      for (const t of tasks) await t.destroy();
      await Promise.allSettled([...inFlight]);
    },
  };
}
