/**
 * The Teams channel as the app registers it (core/channel.ts `ChannelDefinition`). Light: the
 * Bot Framework SDK is loaded only when the server creates the adapter (./channel.ts).
 */
import type { ChannelDefinition } from '../../core/channel.js';

export const teamsChannel: ChannelDefinition = {
  channel: 'teams',
  // The settings (OUTBOX_TEAMS_RATE, OUTBOX_TEAMS_IN_FLIGHT; defaults under Teams' 50 requests a
  // second per bot, config/env.ts). Per conversation Teams allows 7/1 s, 8/2 s, 60/30 s, 1,800/h:
  // a bucket of 4 refilled at 0.45 a second stays within every window (4 + 0.45·T), with room
  // left for the replies of a conversation going on at the same time.
  pacing: (config) => ({ rate: { perSecond: config.outbox.teams.perSecond, burst: 1 }, inFlight: config.outbox.teams.inFlight, perRecipient: { perSecond: 0.45, burst: 4 } }),
  // Always on: its sender needs no credentials (authentication may be off in development).
  enabled: () => true,
  async create(deps) {
    const { createTeamsAdapter } = await import('./channel.js');
    return createTeamsAdapter(deps);
  },
};
