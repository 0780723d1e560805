/**
 * A private FerretDB (MongoDB protocol, SQLite backend) process on 127.0.0.1, built from
 * tools/ferretdb. The global setup starts one for all MongoDB suites; fault tests start their own
 * so they can stop and restart it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './ports.js';

const root = resolve(import.meta.dirname, '..', '..');
export const FERRET_BINARY = join(root, '.tools', 'ferretdb-test');

/**
 * Builds the binary if missing, or older than its source (tools/ferretdb/main.go, go.mod), at
 * `bin` under the project `base`; undefined when there is none and no Go toolchain. A stale binary
 * is kept when there is no Go toolchain.
 */
export function ensureFerretBinary(base = root, bin = join(base, '.tools', 'ferretdb-test')): string | undefined {
  const src = join(base, 'tools', 'ferretdb');
  const fresh = existsSync(bin) && ['main.go', 'go.mod'].every((f) => statSync(join(src, f)).mtimeMs <= statSync(bin).mtimeMs);
  if (fresh) return bin;
  if (spawnSync('go', ['version']).status !== 0) return existsSync(bin) ? bin : undefined;
  process.stderr.write('[test] building FerretDB test server (tools/ferretdb)…\n');
  const r = spawnSync('go', ['build', '-o', bin, '.'], { cwd: src, stdio: 'inherit' });
  return r.status === 0 ? bin : undefined;
}

export interface FerretProcess {
  uri: string;
  port: number;
  dir: string;
  /** The running server's process id (benchmarks read its CPU time). */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM, or SIGKILL). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startFerret(bin = ensureFerretBinary()): Promise<FerretProcess> {
  if (!bin) throw new Error('no FerretDB binary and no Go toolchain to build it');
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-ferret-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((ok, fail) => {
      const c = spawn(bin, ['--listen-addr', `127.0.0.1:${port}`, '--sqlite-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let err = '';
      const timer = setTimeout(() => fail(new Error(`FerretDB did not start: ${err}`)), 30_000);
      c.stderr?.on('data', (d) => (err += String(d)));
      c.stdout?.on('data', (d) => {
        if (/mongodb:\/\//.test(String(d))) {
          clearTimeout(timer);
          ok();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`FerretDB exited (${code}): ${err}`));
      });
    });
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((ok) => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return ok();
      c.once('exit', () => ok());
      c.kill(signal);
    });
  await start();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    dir,
    get pid() {
      return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
