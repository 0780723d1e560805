/**
 * The `dondoc` command line. Each sub-command lives in its own module and registers itself here.
 * Arguments are validated (commander + zod); errors are printed in Vietnamese with exit code 1/2.
 */
import { Command, CommanderError } from 'commander';
import { vi } from '../i18n/vi.js';
import { registerChatCommand } from './chat-command.js';
import { registerEnrollCommand } from './enroll-command.js';
import { registerPeriodsCommand } from './periods-command.js';
import { registerRegimeCommand } from './regime-command.js';
import { registerRemindersCommand } from './reminders-command.js';
import { registerStatusCommand } from './status-command.js';

const program = new Command()
  .name('dondoc')
  .description(vi.cli.program)
  .showHelpAfterError()
  .exitOverride();

registerRegimeCommand(program);
registerPeriodsCommand(program);
registerEnrollCommand(program);
registerChatCommand(program);
registerRemindersCommand(program);
registerStatusCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  throw e;
}
