/**
 * The Zalo Official Account channel, wired into the app: token chain (tokens.ts), API client
 * (client.ts), webhook (webhook.ts) → inbox → processor (processor.ts) → bot core, the outbound
 * sender for reminders and broadcasts (sender.ts), and the /healthz probe (health.ts).
 */
import type { AppContext } from '../../core/context.js';
import type { BotCore } from '../../core/message.js';
import type { HealthProbe, Server } from '../../app/server.js';
import { ZaloClient } from './client.js';
import { alertCoordinators, zaloHealthProbe } from './health.js';
import { ZaloProcessor } from './processor.js';
import { ZaloSender } from './sender.js';
import { vi } from '../../i18n/vi.js';
import { ZaloTokens } from './tokens.js';
import { registerZaloWebhook } from './webhook.js';

/** How often waiting events are looked for (events of a process that died, failed tries). */
export const DRAIN_INTERVAL_MS = 30_000;
/** How often the token's expiry is checked (refresh happens one hour ahead). */
export const REFRESH_CHECK_MS = 5 * 60_000;

export interface ZaloChannel {
  tokens: ZaloTokens;
  client: ZaloClient;
  processor: ZaloProcessor;
  sender: ZaloSender;
  probe: HealthProbe;
  stop(): Promise<void>;
}

export async function startZalo(ctx: AppContext, server: Server, bot: BotCore): Promise<ZaloChannel> {
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
  await tokens.init();
  const client = new ZaloClient(tokens, { apiBase: cfg.apiBase, znsBase: cfg.znsBase }, ctx.log);
  const processor = new ZaloProcessor(ctx, bot, client);
  registerZaloWebhook(server, {
    appId: cfg.appId,
    oaSecretKey: cfg.oaSecretKey,
    repos: ctx.store,
    clock: ctx.clock,
    log: ctx.log,
    onStored: (id, person) => processor.schedule(id, person),
    // Zalo does not resend an event answered with an error: tell the person to send it again.
    onUnstored: (payload) => {
      const sender = (payload.sender as { id?: unknown } | undefined)?.id;
      if (payload.event_name !== 'user_send_text' || typeof sender !== 'string') return;
      client.sendCs(sender, { text: vi.zalo.notReceived }).catch((e) => ctx.log.warn({ err: (e as Error).message }, 'zalo: could not ask to send again'));
    },
  });
  const sender = new ZaloSender(ctx, client, cfg.znsTemplateId);
  ctx.senders.set('zalo', sender);

  const drain = () =>
    processor.drain().catch((e) => ctx.log.warn({ err: (e as Error).message }, 'zalo: inbox drain failed'));
  void drain(); // recovery pass: events a previous process stored but did not finish
  const timers = [setInterval(drain, DRAIN_INTERVAL_MS)];
  if (ctx.config.scheduler) timers.push(setInterval(() => void tokens.refreshIfDue(), REFRESH_CHECK_MS));
  for (const t of timers) t.unref();

  return {
    tokens,
    client,
    processor,
    sender,
    probe: zaloHealthProbe(tokens, Boolean(cfg.refreshToken)),
    async stop() {
      for (const t of timers) clearInterval(t);
      await processor.stop();
    },
  };
}
