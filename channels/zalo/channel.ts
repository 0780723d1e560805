/**
 * The Zalo Official Account channel's adapter (core/channel.ts): token chain (tokens.ts), API
 * client (client.ts), webhook route (webhook.ts) → inbox → processor (processor.ts) → bot core,
 * the outbound sender for reminders and broadcasts (sender.ts), the /healthz probe (health.ts)
 * and the rendering (render.ts). Loaded lazily by the definition in ./index.ts.
 */
import type { ChannelAdapter, ChannelDeps } from '../../core/channel.js';
import { ZaloClient } from './client.js';
import { alertCoordinators, zaloHealthProbe } from './health.js';
import { vi } from '../../i18n/vi.js';
import { LEASE_MS, ZaloProcessor } from './processor.js';
import { renderOutMessage, type ZaloCsMessage } from './render.js';
import { ZaloSender } from './sender.js';
import { ZaloTokens } from './tokens.js';
import { WebhookCounters, zaloWebhookRoute } from './webhook.js';

/** How often waiting events are looked for (events of a process that died, failed tries). */
export const DRAIN_INTERVAL_MS = 30_000;
/** How often the token's expiry is checked (refresh happens one hour ahead). */
export const REFRESH_CHECK_MS = 5 * 60_000;

export interface ZaloChannel extends ChannelAdapter<ZaloCsMessage> {
  tokens: ZaloTokens;
  client: ZaloClient;
  processor: ZaloProcessor;
  sender: ZaloSender;
}

export function createZaloAdapter({ ctx, bot }: ChannelDeps): ZaloChannel {
  const cfg = ctx.config.zalo;
  if (!cfg) throw new Error('Zalo is not configured');
  const tokens = new ZaloTokens({
    repos: ctx.store,
    config: { appId: cfg.appId, appSecret: cfg.appSecret, oauthBase: cfg.oauthBase, refreshToken: cfg.refreshToken },
    clock: ctx.clock,
    log: ctx.log,
    onFailure: async (st) => {
      await alertCoordinators(ctx, st);
    },
  });
  const client = new ZaloClient(tokens, { apiBase: cfg.apiBase, znsBase: cfg.znsBase }, ctx.log);
  const processor = new ZaloProcessor(ctx, bot, client);
  const counters = new WebhookCounters();
  const webhook = zaloWebhookRoute({
    counters,
    appId: cfg.appId,
    oaSecretKey: cfg.oaSecretKey,
    repos: ctx.store,
    clock: ctx.clock,
    log: ctx.log,
    leaseMs: LEASE_MS,
    onStored: (id, person, event) => processor.schedule(id, person, event),
    // Zalo does not resend an event answered with an error: tell the person to send it again.
    onUnstored: (payload) => {
      const sender = (payload.sender as { id?: unknown } | undefined)?.id;
      if (payload.event_name !== 'user_send_text' || typeof sender !== 'string') return;
      client.sendCs(sender, { text: vi.zalo.notReceived }).catch((e) => ctx.log.warn({ err: (e as Error).message }, 'zalo: could not ask to send again'));
    },
  });
  const sender = new ZaloSender(ctx, client, cfg.znsTemplateId);
  const timers: NodeJS.Timeout[] = [];
  const drain = () => processor.drain().catch((e) => ctx.log.warn({ err: (e as Error).message }, 'zalo: inbox drain failed'));

  return {
    channel: 'zalo',
    tokens,
    client,
    processor,
    sender,
    routes: [webhook],
    health: zaloHealthProbe(tokens, Boolean(cfg.refreshToken), counters),
    warnings: [],
    render: (msg) => renderOutMessage(msg),
    async start() {
      await tokens.init();
      void drain(); // recovery pass: events a previous process stored but did not finish
      timers.push(setInterval(drain, DRAIN_INTERVAL_MS));
      if (ctx.config.scheduler) timers.push(setInterval(() => void tokens.refreshIfDue(), REFRESH_CHECK_MS));
      for (const t of timers) t.unref();
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      await processor.stop();
    },
    idle: () => processor.idle(),
  };
}
