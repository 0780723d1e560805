/**
 * Wiring: configuration → regime → store → bot core → channels → HTTP server → scheduler.
 * Used by `npm start` (app/main.ts) and by tests, which start the real thing on port 0.
 */
import { vi } from '../i18n/vi.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/env.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { regimeSummary } from '../regime/regime.js';
import type { TeamsOptions } from '../channels/teams/channel.js';
import { calendarProbe } from '../jobs/calendar.js';
import { calendarGap, calendarWarning } from '../regime/calendar.js';
import { startScheduler, type RunningScheduler } from '../jobs/scheduler.js';
import { registerAdminRoutes } from './admin-routes.js';
import { appliedInfo, REGIME_CHECK_EVERY_MS, watchActiveRegime } from '../services/regime-change.js';
import { webRoutes } from '../web/routes.js';
import { createBot } from '../router/router.js';
import { registry } from './registry.js';
import type { ChannelAdapter } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import type { BotCore } from '../core/message.js';
import type { Channel } from '../store/records.js';
import { createContext, StartupError } from './context.js';
import { createServer, listen, mountRoutes, type HealthProbe, type Server } from './server.js';

export { createContext, StartupError } from './context.js';

/** Why the server could not listen, as one line naming HOST or PORT (exit code 2: a setting to change). */
function listenError(e: NodeJS.ErrnoException, config: AppConfig): StartupError {
  if (e.code === 'EADDRINUSE') return new StartupError(vi.app.portInUse(config.port), 2);
  if (e.code === 'EACCES') return new StartupError(vi.app.portDenied(config.port), 2);
  // getaddrinfo: ENOTFOUND (no such name), EAI_AGAIN (no answer from DNS), EAI_FAIL and the like.
  if (e.syscall === 'getaddrinfo' || e.code === 'ENOTFOUND') return new StartupError(vi.app.hostUnknown(config.host), 2);
  if (e.code === 'EADDRNOTAVAIL') return new StartupError(vi.app.hostNotLocal(config.host), 2);
  return new StartupError(vi.app.listenFailed(config.host, config.port, e.code ?? e.message), 2);
}

export interface RunningApp {
  ctx: AppContext;
  server: Server;
  port: number;
  /** The core the channels hand their events to. */
  bot: BotCore;
  /** The running channel adapters, by channel. */
  channels: Map<Channel, ChannelAdapter>;
  /** The in-process scheduler, when `SCHEDULER=on` (tests observe its worker and its id). */
  scheduler?: RunningScheduler;
  /**
   * Resolves once every inbound event accepted so far has been processed (Zalo events are
   * processed after their webhook has answered): what a test waits for before checking that a
   * duplicate delivery caused nothing.
   */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Teams channel settings beyond the environment (tests: a local OpenID metadata URL). */
  teams?: TeamsOptions;
  /** Other channels' settings beyond the environment, by channel (handed to `create`). */
  channelOptions?: Partial<Record<Channel, unknown>>;
}

export async function startApp(config: AppConfig, opts: StartOptions = {}): Promise<RunningApp> {
  const ctx = await createContext(config, opts);
  // The regime's holidays must cover the coming deadlines: /healthz says so while they do not.
  const probes: HealthProbe[] = [calendarProbe(ctx)];
  const server = createServer(ctx, probes);
  registerAdminRoutes(ctx, server);
  // The coordinators' web console: routes like a channel's, on the same server, store and services.
  mountRoutes(server, webRoutes(ctx));
  const stoppers: Array<() => Promise<void> | void> = [];

  // --- channels: every registered channel the configuration enables ------------------------------
  const channels = new Map<Channel, ChannelAdapter>();
  const warnings: string[] = [];
  const bot = createBot(ctx, registry);
  const options: Partial<Record<Channel, unknown>> = { ...opts.channelOptions, ...(opts.teams ? { teams: opts.teams } : {}) };
  for (const def of ctx.channels) {
    if (!def.enabled(ctx.config)) {
      if (def.disabledWarning) warnings.push(def.disabledWarning);
      continue;
    }
    const adapter = await def.create({ ctx, bot, options: options[def.channel] });
    mountRoutes(server, adapter.routes);
    ctx.senders.set(def.channel, adapter.sender);
    probes.push(adapter.health);
    warnings.push(...adapter.warnings);
    channels.set(def.channel, adapter);
  }
  for (const adapter of channels.values()) {
    await adapter.start();
    stoppers.push(() => adapter.stop());
  }
  const gap = calendarGap(ctx.regime, ctx.clock.now());
  if (gap) warnings.push(calendarWarning(gap));

  let port: number;
  try {
    ({ port } = await listen(server, config.port, config.host));
  } catch (e) {
    // Nothing was recorded yet: stop what started, close the store, and say which setting is at fault.
    for (const s of stoppers.reverse()) await s();
    await ctx.store.db.close();
    throw listenError(e as NodeJS.ErrnoException, config);
  }
  const summary = regimeSummary(ctx.regime);
  // The configuration this process runs with, in the audit log (no secrets: which features are
  // on, never their keys).
  await ctx.store.writeAudit({
    at: ctx.clock.now().getTime(),
    actor: 'system',
    channel: 'system',
    action: 'config.loaded',
    subject: ctx.regime.id,
    details: {
      version: ctx.version,
      regimeFile: config.regimeFile,
      regimeVersion: ctx.regime.version,
      regimeSha256: createHash('sha256').update(readFileSync(config.regimeFile)).digest('hex'),
      // The regime applied through the console or `dondoc regime apply` (stored) when there is one, else the file's.
      regimeApplied: Boolean(appliedInfo(ctx.regime)),
      reportingUnits: summary.reportingUnits,
      store: ctx.store.db.kind,
      channels: [...channels.keys()],
      ...Object.assign({}, ...[...channels.values()].map((a) => a.auditFacts ?? {})),
      adminApi: Boolean(config.adminToken),
      scheduler: config.scheduler,
    },
  });
  ctx.log.info(
    { port, store: ctx.store.db.kind, channels: [...channels.keys()], regime: ctx.regime.id },
    vi.app.listening({ version: ctx.version, host: config.host, port, store: ctx.store.db.description, channels: [...channels.keys()], regime: ctx.regime.id, units: summary.reportingUnits }),
  );
  for (const w of warnings) ctx.log.warn(w);

  // A regime applied by another instance (or `dondoc regime apply`) is swapped in within seconds.
  stoppers.push(watchActiveRegime(ctx, REGIME_CHECK_EVERY_MS));

  // --- jobs: reminders, digests and the outbox (jobs/scheduler.ts) ------------------------------
  const scheduler = config.scheduler ? startScheduler(ctx) : undefined;
  if (scheduler) stoppers.push(() => scheduler.stop());

  return {
    ctx,
    server,
    port,
    scheduler,
    bot,
    channels,
    async settled() {
      for (const adapter of channels.values()) await adapter.idle();
    },
    async stop() {
      for (const s of stoppers.reverse()) await s();
      await new Promise<void>((r) => server.close(() => r()));
      // What the last requests left to write (a Teams delivery's record) before the store closes.
      for (const adapter of channels.values()) await adapter.idle();
      await ctx.store.db.close();
    },
  };
}
