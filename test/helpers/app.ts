/**
 * Starts the real application (HTTP server, store, jobs) in-process on port 0 for tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../../config/env.js';
import { startApp, type RunningApp } from '../../app/app.js';
import type { TeamsOptions } from '../../channels/teams/channel.js';
import type { Clock } from '../../lib/clock.js';
import { silentLogger, type Logger } from '../../lib/log.js';

export interface TestApp extends RunningApp {
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}, opts: { clock?: Clock; log?: Logger; keepData?: boolean; teams?: TeamsOptions } = {}): Promise<TestApp> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'dondoc-app-'));
  const parsed = parseEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SCHEDULER: 'off', ...env });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const app = await startApp(parsed.config, { clock: opts.clock, log: opts.log ?? silentLogger, teams: opts.teams });
  return {
    ...app,
    url: `http://127.0.0.1:${app.port}`,
    dataDir,
    async close() {
      await app.stop();
      if (!opts.keepData && !env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
