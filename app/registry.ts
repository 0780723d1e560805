/**
 * The commands, flows and value handlers the router (router/router.ts) dispatches to. Each feature
 * module contributes its own list: add one import and one spread per feature, nothing else. Whoever
 * composes a router hands it `registry` (`createBot(ctx, registry)`): app/app.ts, `dondoc chat`.
 * Command names are folded (lowercase, no diacritics; see lib/text.ts `fold`).
 */
import { broadcastCommands, broadcastFlows } from '../dialogs/broadcast.js';
import { consolidationCommands } from '../dialogs/consolidation-commands.js';
import { delegationCommands } from '../dialogs/delegation.js';
import { reportAttachments, reportCommands, reportFlows, reportValueHandlers } from '../dialogs/report/index.js';
import { webConsoleCommands } from '../dialogs/web-console.js';
import type { ChatCommand, ChatFlow, Registry, ValueHandler } from '../core/commands.js';

export const commands: ChatCommand[] = [
  // First: its `trạng thái` shows a coordinator the board of a named period and hands every
  // other `trạng thái` to the report dialog's own command.
  ...consolidationCommands,
  ...reportCommands,
  ...broadcastCommands,
  ...webConsoleCommands,
  ...delegationCommands,
];

export const flows: ChatFlow[] = [...reportFlows, ...broadcastFlows];

export const valueHandlers: ValueHandler[] = [...reportValueHandlers];

export const registry: Registry = { commands, flows, valueHandlers, attachments: reportAttachments };
