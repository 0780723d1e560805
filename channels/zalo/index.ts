/**
 * The Zalo Official Account channel as the app registers it (core/channel.ts
 * `ChannelDefinition`). Light: the HTTP client (axios) is loaded only when the server creates
 * the adapter (./channel.ts).
 */
import type { ChannelDefinition } from '../../core/channel.js';
import { vi } from '../../i18n/vi.js';

export const zaloChannel: ChannelDefinition = {
  channel: 'zalo',
  // 600 a minute: far under the OA API's 4,000 requests a minute per app, leaving room for replies.
  rate: { perSecond: 10, burst: 1 },
  enabled: (config) => Boolean(config.zalo),
  disabledWarning: vi.zalo.disabled,
  async create(deps) {
    const { createZaloAdapter } = await import('./channel.js');
    return createZaloAdapter(deps);
  },
};
