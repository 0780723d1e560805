import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { registry } from '../app/registry.js';
import { vi } from '../i18n/vi.js';
import { createBot } from '../router/router.js';
import { createConsoleAdapter, type ConsoleOptions } from '../channels/console/console-channel.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { openCliContext } from './open-context.js';

const UserSchema = z
  .string()
  .trim()
  .min(1, vi.cli.chat.userEmpty)
  .max(128)
  .regex(/^[^\s:]+$/, vi.cli.chat.userChars);

/** A clock that starts at `at` and runs at the speed of real time (for demos and tests). */
function startingAt(at: number): Clock {
  const real0 = systemClock.now().getTime();
  return { now: () => new Date(at + (systemClock.now().getTime() - real0)) };
}

export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description(vi.cli.chat.description)
    .requiredOption('--user <ID>', vi.cli.chat.userOption)
    .option('--name <NAME>', vi.cli.chat.nameOption)
    .option('--now <ISO>', vi.cli.chat.nowOption)
    .option('--echo', vi.cli.chat.echoOption)
    .action(async (opts: { user: string; name?: string; now?: string; echo?: boolean }) => {
      const user = UserSchema.safeParse(opts.user);
      if (!user.success) {
        process.stderr.write(`${vi.cli.chat.badUser(user.error.issues[0].message)}\n`);
        process.exit(2);
      }
      let clock: Clock = systemClock;
      if (opts.now !== undefined) {
        const at = DateTime.fromISO(opts.now, { setZone: true });
        if (!at.isValid) {
          process.stderr.write(`${vi.cli.chat.badNow(opts.now)}\n`);
          process.exit(2);
        }
        clock = startingAt(at.toMillis());
      }
      const ctx = await openCliContext({ clock });
      try {
        // The console adapter reads the terminal and prints the replies; this process delivers no
        // proactive message (the server's outbox worker does), so its sender is not registered.
        const session = createConsoleAdapter({
          ctx,
          bot: createBot(ctx, registry),
          options: {
            userId: user.data,
            userName: opts.name?.trim() || undefined,
            input: process.stdin,
            output: process.stdout,
            interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
            echo: opts.echo,
          } satisfies ConsoleOptions,
        });
        await session.start();
        await session.closed;
      } finally {
        await ctx.store.db.close();
      }
    });
}
