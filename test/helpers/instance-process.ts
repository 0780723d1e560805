/**
 * One dondoc server instance in its own process, for tests that need several real processes on
 * one store (test/reminders-two-instances.test.ts). It is the real app (`startApp`, as
 * `node dist/app/main.js` runs it, with `SCHEDULER=on`) except that its clock is a ManualClock
 * the parent sets, so a season of reminders can be driven in seconds. Compiled to
 * dist/test/helpers/instance-process.js (tsconfig `files`) and started with child_process.fork:
 *
 *   parent → { type: 'tick', seq, at }   set the clock to `at` (ms), then do what the scheduler
 *                                        does every minute: one reminder pass, one outbox drain
 *   child  → { type: 'ticked', seq, pass, drain }
 *   parent → { type: 'stop' }            stop the app (scheduler, server, store) and exit 0
 *   child  → { type: 'ready', port, schedulerId } once listening
 *
 * Environment: the app's own variables (MONGODB_URI or DATA_DIR, …) plus DONDOC_TEST_NOW (ISO).
 */
import { parseEnv } from '../../config/env.js';
import { startApp } from '../../app/app.js';
import { ManualClock } from '../../lib/clock.js';

export type ToInstance = { type: 'tick'; seq: number; at: number } | { type: 'stop' };
export type FromInstance =
  | { type: 'ready'; port: number; schedulerId: string }
  | { type: 'ticked'; seq: number; pass: { enqueued: number; skipped: number; digests: number }; drain: { sent: number; retried: number; failed: number } }
  | { type: 'error'; seq?: number; message: string };

const send = (m: FromInstance) => process.send?.(m);

const parsed = parseEnv({ ...process.env, SCHEDULER: 'on', PORT: '0', HOST: '127.0.0.1' });
if (!parsed.ok) {
  process.stderr.write(`instance: ${parsed.errors.join('; ')}\n`);
  process.exit(2);
}
const clock = new ManualClock(Date.parse(process.env.DONDOC_TEST_NOW ?? new Date().toISOString()));
const app = await startApp(parsed.config, { clock });
const scheduler = app.scheduler;
if (!scheduler) throw new Error('the app started without its scheduler');
send({ type: 'ready', port: app.port, schedulerId: scheduler.id });

process.on('message', (m: ToInstance) => {
  if (m.type === 'tick') {
    clock.set(m.at);
    scheduler.tick().then(
      ({ pass, drain }) => send({ type: 'ticked', seq: m.seq, pass, drain }),
      (e: Error) => send({ type: 'error', seq: m.seq, message: e.stack ?? e.message }),
    );
  } else if (m.type === 'stop') {
    void app.stop().then(() => process.exit(0));
  }
});
