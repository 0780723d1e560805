/**
 * `dondoc reminders plan --at ISO_INSTANT`: the reminder steps and digests that would go out at
 * that instant, one JSON object per line ({type, unit, period, step, due, channel, recipients});
 * a unit with nobody reachable is listed with `channel: null, recipients: []`. Reads only.
 *
 * `dondoc reminders run-once [--at ISO_INSTANT]`: one scheduler pass (claims, enqueues) and an
 * outbox drain with the configured channels, then a one-line JSON summary. With --at the whole
 * run sees that instant as "now" (for operators replaying a missed tick, and for tests).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { parseEnv } from '../config/env.js';
import type { DrainReport } from '../jobs/outbox-worker.js';
import { vi } from '../i18n/vi.js';
import { planLines, planReminders, runReminderPass } from '../jobs/reminders.js';
import { Directory } from '../services/directory.js';
import { ManualClock, systemClock, type Clock } from '../lib/clock.js';
import { createLogger } from '../lib/log.js';
import { openCliContext } from './open-context.js';

const Instant = z.iso.datetime({ offset: true, error: vi.cli.isoInstant });

function parseAt(at: string | undefined): Date | undefined {
  if (at === undefined) return undefined;
  const r = Instant.safeParse(at.trim());
  if (!r.success) {
    process.stderr.write(`${vi.cli.badAt(r.error.issues[0].message, at)}\n`);
    process.exit(2);
  }
  return new Date(r.data);
}

export function registerRemindersCommand(program: Command): void {
  const reminders = program.command('reminders').description(vi.cli.reminders.description);

  reminders
    .command('plan')
    .description(vi.cli.reminders.plan)
    .requiredOption('--at <ISO_INSTANT>', vi.cli.reminders.planAt)
    .action(async (opts: { at: string }) => {
      const at = parseAt(opts.at) as Date;
      const ctx = await openCliContext({ clock: new ManualClock(at.getTime()) });
      try {
        // The directory reaches whom the server reaches (core/channel.ts deliveryChannels), though this process sends nothing.
        const plan = await planReminders(ctx, at, await Directory.load(ctx));
        for (const line of planLines(plan)) process.stdout.write(`${JSON.stringify(line)}\n`);
      } finally {
        await ctx.store.db.close();
      }
    });

  reminders
    .command('run-once')
    .description(vi.cli.reminders.runOnce)
    .option('--at <ISO_INSTANT>', vi.cli.reminders.runOnceAt)
    .action(async (opts: { at?: string }) => {
      const at = parseAt(opts.at);
      const clock: Clock = at ? new ManualClock(at.getTime()) : systemClock;
      const parsed = parseEnv(process.env);
      if (!parsed.ok) {
        process.stderr.write(`${vi.config.invalid(parsed.errors)}\n`);
        process.exit(2);
      }
      // The real app (channels and their senders) on a private port, without its own scheduler:
      // loaded here only, so `reminders plan` loads no HTTP server and no channel SDK.
      const { startApp, StartupError } = await import('../app/app.js');
      const { OutboxWorker } = await import('../jobs/outbox-worker.js');
      const config = { ...parsed.config, port: 0, host: '127.0.0.1', scheduler: false };
      let app;
      try {
        app = await startApp(config, { clock, log: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr, parsed.config.env.LOG_FORMAT) });
      } catch (e) {
        if (e instanceof StartupError) {
          process.stderr.write(`dondoc: ${e.message}\n`);
          process.exit(e.exitCode);
        }
        throw e;
      }
      try {
        const pass = await runReminderPass(app.ctx, clock.now(), { by: `cli-${process.pid}` });
        const worker = new OutboxWorker(app.ctx, { id: `cli-${process.pid}` });
        const total: DrainReport = { sent: 0, retried: 0, failed: 0, undeliverable: 0, cancelled: 0, fallbacks: 0, notices: 0, batchReports: 0 };
        // Drain until nothing more happens now (fallback copies and notices are enqueued by a drain).
        for (let i = 0; i < 10; i++) {
          const r = await worker.drainOnce();
          for (const k of Object.keys(total) as Array<keyof DrainReport>) total[k] += r[k];
          if (!Object.values(r).some((n) => n > 0)) break;
        }
        const pending = await app.ctx.store.outbox.count({ status: { $in: ['pending', 'sending'] } });
        process.stdout.write(`${JSON.stringify({ at: clock.now().toISOString(), pass, drain: total, pending })}\n`);
      } finally {
        await app.stop();
      }
    });
}
