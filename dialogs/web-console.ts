/**
 * `trang quản lý` (`quan ly`): a coordinator gets a one-time link to the web console
 * (services/web-access.ts). A focal point is refused politely by the router (the command is for
 * coordinators), like every coordinator command.
 */
import type { ChatCommand } from '../core/commands.js';
import { vi } from '../i18n/vi.js';
import { fmtDateTime } from '../reporting/wording.js';
import { createSignInLink, SIGN_IN_TTL_MS } from '../services/web-access.js';

export const webConsoleCommand: ChatCommand = {
  id: 'web.sign-in',
  names: ['trang quan ly', 'quan ly'],
  access: 'coordinator',
  help: vi.web.help,
  async run(c) {
    const link = await createSignInLink(c.app, { userKey: c.actor.userKey, channel: c.actor.event.channel, now: c.now.getTime() });
    return [{ text: vi.web.signInLink(link.url, SIGN_IN_TTL_MS / 60_000, fmtDateTime(link.expiresAt, c.app.regime.timezone)) }];
  },
};

export const webConsoleCommands: ChatCommand[] = [webConsoleCommand];
