/**
 * The Zalo Official Account channel as the app registers it (core/channel.ts
 * `ChannelDefinition`). Light: the HTTP client (axios) is loaded only when the server creates
 * the adapter (./channel.ts).
 */
import type { ChannelDefinition } from '../../core/channel.js';
import { vi } from '../../i18n/vi.js';

export const zaloChannel: ChannelDefinition = {
  channel: 'zalo',
  // The settings (OUTBOX_ZALO_RATE, OUTBOX_ZALO_IN_FLIGHT; defaults under the OA API's 4,000
  // requests a minute per app, leaving room for replies: config/env.ts).
  pacing: (config) => ({ rate: { perSecond: config.outbox.zalo.perSecond, burst: 1 }, inFlight: config.outbox.zalo.inFlight }),
  enabled: (config) => Boolean(config.zalo),
  disabledWarning: vi.zalo.disabled,
  async create(deps) {
    const { createZaloAdapter } = await import('./channel.js');
    return createZaloAdapter(deps);
  },
};
