/**
 * The Teams channel as the app registers it (core/channel.ts `ChannelDefinition`). Light: the
 * Bot Framework SDK is loaded only when the server creates the adapter (./channel.ts).
 */
import type { ChannelDefinition } from '../../core/channel.js';

export const teamsChannel: ChannelDefinition = {
  channel: 'teams',
  // Well under Teams' per-app, per-tenant limit of 30–50 requests a second and its
  // per-conversation limit of 7 a second (the sender recommends the same: sender.ts).
  rate: { perSecond: 5, burst: 1 },
  // Always on: its sender needs no credentials (authentication may be off in development).
  enabled: () => true,
  async create(deps) {
    const { createTeamsAdapter } = await import('./channel.js');
    return createTeamsAdapter(deps);
  },
};
