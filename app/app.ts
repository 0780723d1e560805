/**
 * Wiring: configuration → regime → store → bot core → channels → HTTP server → scheduler.
 * Used by `npm start` (app/main.ts) and by tests, which start the real thing on port 0.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/env.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { createLogger, type Logger } from '../lib/log.js';
import { VERSION } from '../lib/version.js';
import { loadRegimeFile, regimeSummary } from '../regime/regime.js';
import { openStore } from '../store/open-store.js';
import { registerTeams, type TeamsOptions } from '../channels/teams/channel.js';
import { vi } from '../i18n/vi.js';
import { startZalo } from '../channels/zalo/index.js';
import { calendarProbe } from '../jobs/calendar.js';
import { calendarGap, calendarWarning } from '../regime/calendar.js';
import { startScheduler, type RunningScheduler } from '../jobs/scheduler.js';
import { registerAdminRoutes } from './admin-routes.js';
import { createBot } from '../router/router.js';
import type { AppContext } from '../core/context.js';
import { createServer, listen, type HealthProbe, type Server } from './server.js';

export interface RunningApp {
  ctx: AppContext;
  server: Server;
  port: number;
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

/** Start-up refused: `exitCode` 2 for a bad configuration (regime), 1 for an unreachable dependency (store). */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** Builds the shared context (regime, store) without starting a server: also used by the CLI. */
export async function createContext(config: AppConfig, opts: { clock?: Clock; log?: Logger } = {}): Promise<AppContext> {
  const log = opts.log ?? createLogger(config.env.LOG_LEVEL);
  const loaded = loadRegimeFile(config.regimeFile);
  if (!loaded.ok) throw new StartupError(vi.app.badRegime(config.regimeFile, loaded.errors), 2);
  let store;
  try {
    store = await openStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  } catch (e) {
    throw new StartupError(vi.app.storeFailed((e as Error).message));
  }
  return { config, regime: loaded.regime, store, clock: opts.clock ?? systemClock, log, senders: new Map(), version: VERSION };
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Teams channel settings beyond the environment (tests: a local OpenID metadata URL). */
  teams?: TeamsOptions;
}

export async function startApp(config: AppConfig, opts: StartOptions = {}): Promise<RunningApp> {
  const ctx = await createContext(config, opts);
  // The regime's holidays must cover the coming deadlines: /healthz says so while they do not.
  const probes: HealthProbe[] = [calendarProbe(ctx)];
  const server = createServer(ctx, probes);
  registerAdminRoutes(ctx, server);
  const stoppers: Array<() => Promise<void> | void> = [];
  /** Waits for inbound work a channel does after answering its webhook (see `settled`). */
  const idlers: Array<() => Promise<void>> = [];

  // --- channels ----------------------------------------------------------------------------------
  const channels: string[] = [];
  const warnings: string[] = [];
  const bot = createBot(ctx);
  // (channel modules register their routes, senders and probes here, handing events to `bot`)
  const teams = registerTeams(ctx, server, bot, opts.teams);
  ctx.senders.set('teams', teams.sender);
  channels.push('teams');
  if (!teams.authEnabled) warnings.push(vi.teams.authOff);
  if (ctx.config.zalo) {
    const zalo = await startZalo(ctx, server, bot);
    probes.push(zalo.probe);
    stoppers.push(() => zalo.stop());
    idlers.push(() => zalo.processor.idle());
    channels.push('zalo');
  } else warnings.push(vi.zalo.disabled);
  const gap = calendarGap(ctx.regime, ctx.clock.now());
  if (gap) warnings.push(calendarWarning(gap));

  const { port } = await listen(server, config.port, config.host);
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
      reportingUnits: summary.reportingUnits,
      store: ctx.store.db.kind,
      channels,
      teamsAuth: teams.authEnabled,
      adminApi: Boolean(config.adminToken),
      scheduler: config.scheduler,
    },
  });
  ctx.log.info(
    { port, store: ctx.store.db.kind, channels, regime: ctx.regime.id },
    vi.app.listening({ version: ctx.version, host: config.host, port, store: ctx.store.db.description, channels, regime: ctx.regime.id, units: summary.reportingUnits }),
  );
  for (const w of warnings) ctx.log.warn(w);

  // --- jobs: reminders, digests and the outbox (jobs/scheduler.ts) ------------------------------
  const scheduler = config.scheduler ? startScheduler(ctx) : undefined;
  if (scheduler) stoppers.push(() => scheduler.stop());

  return {
    ctx,
    server,
    port,
    scheduler,
    async settled() {
      for (const idle of idlers) await idle();
    },
    async stop() {
      for (const s of stoppers.reverse()) await s();
      await new Promise<void>((r) => server.close(() => r()));
      await ctx.store.db.close();
    },
  };
}
