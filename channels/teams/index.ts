/**
 * The Teams channel as the app registers it (core/channel.ts `ChannelDefinition`). Light: the
 * Microsoft 365 Agents SDK (@microsoft/agents-hosting and agents-activity, with their own zod,
 * JWT and HTTP packages: about 300 modules, a fifth of the server's start-up) is not loaded
 * before the server listens (issue 15). `create` returns an adapter whose route, sender and
 * rendering hand over to the real one (./channel.ts `createTeamsAdapter`), loaded by whichever
 * comes first: the first Teams request or proactive send (which waits for it), or a warm-up
 * WARM_UP_MS after the channel starts, so that the first official to write rarely pays for it.
 * Until then /healthz reports the channel from what needs no SDK (./route.ts `teamsFacts`); an
 * SDK that fails to load makes the channel's check fail, with the reason, and is tried again
 * on the next request.
 */
import type { ChannelAdapter, ChannelDefinition, ChannelDeps } from '../../core/channel.js';
import type { ChannelSender } from '../../core/message.js';
import { vi } from '../../i18n/vi.js';
import { MAX_BODY_BYTES, MESSAGES_PATH, teamsFacts } from './route.js';

/** How long after the channel starts the SDK is loaded in the background: after the server listens and answers. */
export const WARM_UP_MS = 1_000;

/** The Teams adapter before and after the SDK is loaded (see the module comment). */
export function lazyTeamsAdapter(deps: ChannelDeps): ChannelAdapter & { loaded(): Promise<ChannelAdapter> } {
  const facts = teamsFacts(deps.ctx);
  let real: ChannelAdapter | undefined;
  let loading: Promise<ChannelAdapter> | undefined;
  let failure: string | undefined;
  let warmUp: NodeJS.Timeout | undefined;
  const loaded = (): Promise<ChannelAdapter> =>
    (loading ??= import('./channel.js').then(
      ({ createTeamsAdapter }) => {
        real = createTeamsAdapter(deps);
        failure = undefined;
        return real;
      },
      (e: unknown) => {
        failure = ((e as Error).message || String(e)).slice(0, 300);
        loading = undefined;
        deps.ctx.log.error({ err: { message: failure } }, 'teams: could not load the Agents SDK');
        throw e;
      },
    ));
  const sender: ChannelSender = {
    channel: 'teams',
    send: async (contact, msg) => (await loaded()).sender.send(contact, msg),
  };
  return {
    channel: 'teams',
    routes: [
      {
        method: 'POST',
        path: MESSAGES_PATH,
        body: { kind: 'json', maxBytes: MAX_BODY_BYTES },
        // Once loaded, straight to the real route (no promise of the loading to wait for on every request).
        handler: (req, res) => (real ? real.routes[0]!.handler(req, res) : loaded().then((a) => a.routes[0]!.handler(req, res))),
      },
    ],
    sender,
    health: {
      name: facts.health.name,
      check: async () => (failure === undefined ? facts.health.check() : { ok: false, detail: vi.teams.health.sdkFailed(failure) }),
    },
    warnings: facts.warnings,
    auditFacts: facts.auditFacts,
    render(msg) {
      // Rendering builds the SDK's activities: only after it is loaded (`loaded()`).
      if (!real) throw new Error('teams: render() before the Agents SDK is loaded; await loaded() first');
      return real.render(msg);
    },
    loaded,
    async start() {
      warmUp = setTimeout(() => void loaded().catch(() => undefined), WARM_UP_MS);
      warmUp.unref();
    },
    async stop() {
      clearTimeout(warmUp);
      // A load under way finishes before the store closes (the real adapter's stop is then a no-op).
      if (loading)
        await loading.then(
          (a) => a.stop(),
          () => undefined,
        );
    },
    // A turn runs inside its request; its delivery's record is written just after the answer (the real adapter's idle).
    idle: async () => {
      if (real) await real.idle();
    },
  };
}

export const teamsChannel: ChannelDefinition = {
  channel: 'teams',
  // The settings (OUTBOX_TEAMS_RATE, OUTBOX_TEAMS_IN_FLIGHT; defaults under Teams' 50 requests a
  // second per bot, config/env.ts). Per conversation Teams allows 7/1 s, 8/2 s, 60/30 s, 1,800/h:
  // a bucket of 4 refilled at 0.45 a second stays within every window (4 + 0.45·T), with room
  // left for the replies of a conversation going on at the same time.
  pacing: (config) => ({ rate: { perSecond: config.outbox.teams.perSecond, burst: 1 }, inFlight: config.outbox.teams.inFlight, perRecipient: { perSecond: 0.45, burst: 4 } }),
  // Always on: its sender needs no credentials (authentication may be off in development).
  enabled: () => true,
  create: async (deps) => lazyTeamsAdapter(deps),
};
