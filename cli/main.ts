/**
 * The `dondoc` command line. Each sub-command lives in its own module and registers itself here.
 * Arguments are validated (commander + zod); errors are printed in Vietnamese with exit code 1/2,
 * commander's and zod's own included (cli/commander-vi.ts, config/zod-vi.ts).
 *
 * Only the module of the command asked for is loaded (`dondoc periods` does not load the bot,
 * the HTTP server or a channel SDK); help, no command or an unknown one loads them all, so the
 * full list and commander's suggestions stay.
 */
import '../config/zod-vi.js';
import { vi } from '../i18n/vi.js';
import { CommanderError, type Command } from 'commander';
import { ViCommand } from './commander-vi.js';

type Register = (program: Command) => void;

/** Command name → its module's register function, in the order `dondoc --help` lists them. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  regime: async () => (await import('./regime-command.js')).registerRegimeCommand,
  periods: async () => (await import('./periods-command.js')).registerPeriodsCommand,
  enroll: async () => (await import('./enroll-command.js')).registerEnrollCommand,
  chat: async () => (await import('./chat-command.js')).registerChatCommand,
  reminders: async () => (await import('./reminders-command.js')).registerRemindersCommand,
  // One module registers both.
  status: async () => (await import('./status-command.js')).registerStatusCommand,
  export: async () => (await import('./status-command.js')).registerStatusCommand,
};

const program = new ViCommand().name('dondoc').description(vi.cli.program).showHelpAfterError().exitOverride();

const asked = process.argv[2];
const loaders = asked !== undefined && Object.hasOwn(COMMANDS, asked) ? [COMMANDS[asked]] : Object.values(COMMANDS);
const registered = new Set<Register>();
for (const load of loaders) {
  const register = await load();
  if (registered.has(register)) continue;
  registered.add(register);
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  throw e;
}
