/**
 * The app context (configuration from the environment, regime, store) for CLI commands that work
 * on the same data as the server. Logs go to stderr so stdout stays for the command's output.
 * It comes from app/context.ts, which loads no HTTP server and no channel SDK.
 */
import { parseEnv } from '../config/env.js';
import type { AppContext } from '../core/context.js';
import type { Clock } from '../lib/clock.js';
import { vi } from '../i18n/vi.js';
import { createLogger } from '../lib/log.js';
import { createContext, StartupError } from '../app/context.js';

export async function openCliContext(opts: { clock?: Clock; logLevel?: string; storedRegime?: boolean } = {}): Promise<AppContext> {
  const parsed = parseEnv(process.env);
  if (!parsed.ok) {
    process.stderr.write(`${vi.config.invalid(parsed.errors)}\n`);
    process.exit(2);
  }
  const level = process.env.LOG_LEVEL ?? opts.logLevel ?? 'warn';
  try {
    return await createContext(parsed.config, { clock: opts.clock, storedRegime: opts.storedRegime, log: createLogger(level, process.stderr, parsed.config.env.LOG_FORMAT) });
  } catch (e) {
    if (e instanceof StartupError) {
      process.stderr.write(`dondoc: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    throw e;
  }
}
