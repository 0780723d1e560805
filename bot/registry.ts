/**
 * The commands, flows and value handlers the router (bot/bot.ts) dispatches to. Each feature
 * module contributes its own list: add one import and one spread per feature, nothing else.
 * Command names are folded (lowercase, no diacritics; see lib/text.ts `fold`).
 */
import type { ChatCommand, ChatFlow, ValueHandler } from './commands.js';

export const commands: ChatCommand[] = [
];

export const flows: ChatFlow[] = [
];

export const valueHandlers: ValueHandler[] = [
];
