/**
 * The bot core's single entry point (being built in the dialogs issue): routing by enrolment and
 * role, commands, flows and the report dialog. Every channel hands its events to `handle`.
 */
import type { AppContext } from './context.js';
import type { BotCore } from './message.js';

export function createBot(_ctx: AppContext): BotCore {
  return {
    async handle() {
      return [{ text: 'Xin chào! dondoc đang được hoàn thiện.' }];
    },
  };
}
