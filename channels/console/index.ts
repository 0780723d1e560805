/**
 * The console channel as the app registers it (core/channel.ts `ChannelDefinition`). `dondoc
 * chat` runs it on a terminal; the server never does, so proactive messages are not delivered
 * on it (its outbox entries end as "channel_disabled", as before).
 */
import type { ChannelDefinition } from '../../core/channel.js';

export const consoleChannel: ChannelDefinition = {
  channel: 'console',
  // Never sends proactively (see above): its entries end at once, one at a time.
  pacing: () => ({ rate: { perSecond: 50, burst: 1 }, inFlight: 1 }),
  enabled: () => false,
  async create(deps) {
    const { createConsoleAdapter } = await import('./console-channel.js');
    return createConsoleAdapter(deps);
  },
};
