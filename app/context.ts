/**
 * The shared context (configuration, regime, store, clock, logger) without a server: what
 * app/app.ts starts the server with, and what CLI commands that need no server open
 * (cli/open-context.ts). Nothing here loads restify or a channel SDK, so `dondoc status` and the
 * like start fast and print no deprecation warning from them.
 */
import type { AppConfig } from '../config/env.js';
import type { ChannelDefinition } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import { vi } from '../i18n/vi.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { createLogger, type Logger } from '../lib/log.js';
import { VERSION } from '../lib/version.js';
import { loadRegimeFile } from '../regime/regime.js';
import { adoptStoredRegime } from '../services/regime-change.js';
import { openStore } from '../store/open-store.js';
import { StoreCorruptError } from '../store/sqlite-store.js';
import { channelRegistry } from './channels.js';

/** Start-up refused: `exitCode` 2 for a bad configuration (regime) or a damaged store file, 1 for an unreachable dependency (store). */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/**
 * Builds the shared context (regime, store) without starting a server: also used by the CLI. The
 * regime is REGIME_FILE's until one is applied; then the one stored (services/regime-change.ts),
 * unless `storedRegime` is false (`dondoc regime apply`, which replaces it).
 */
export async function createContext(config: AppConfig, opts: { clock?: Clock; log?: Logger; channels?: readonly ChannelDefinition[]; storedRegime?: boolean } = {}): Promise<AppContext> {
  const log = opts.log ?? createLogger(config.env.LOG_LEVEL, undefined, config.env.LOG_FORMAT);
  const loaded = loadRegimeFile(config.regimeFile);
  if (!loaded.ok) throw new StartupError(vi.app.badRegime(config.regimeFile, loaded.errors), 2);
  let store;
  try {
    store = await openStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  } catch (e) {
    // A damaged file is not a passing outage: restarting will not help, so not exit 1.
    if (e instanceof StoreCorruptError) throw new StartupError(e.message, 2);
    throw new StartupError(vi.app.storeFailed((e as Error).message));
  }
  const ctx: AppContext = { config, regime: loaded.regime, store, clock: opts.clock ?? systemClock, log, channels: opts.channels ?? channelRegistry, senders: new Map(), version: VERSION };
  if (opts.storedRegime === false) return ctx;
  const stored = await adoptStoredRegime(ctx);
  if (stored.errors) {
    await store.db.close();
    throw new StartupError([vi.regimeChange.cli.storedInvalid(stored.errors.length), ...stored.errors.map((e) => `  ${e}`)].join('\n'), 2);
  }
  if (stored.fileDiffers) log.warn({ regime: ctx.regime.id, version: ctx.regime.version }, vi.regimeChange.cli.fileDiffers(config.regimeFile));
  return ctx;
}
