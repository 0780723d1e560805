/**
 * A private FerretDB (MongoDB protocol, SQLite backend) process on 127.0.0.1, built from
 * tools/ferretdb. The global setup starts one for all MongoDB suites; fault tests start their own
 * so they can stop and restart it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
export const FERRET_BINARY = join(root, '.tools', 'ferretdb-test');

/** Builds the binary if missing; undefined when there is no Go toolchain. */
export function ensureFerretBinary(): string | undefined {
  if (existsSync(FERRET_BINARY)) return FERRET_BINARY;
  if (spawnSync('go', ['version']).status !== 0) return undefined;
  process.stderr.write('[test] building FerretDB test server (tools/ferretdb), first time only…\n');
  const r = spawnSync('go', ['build', '-o', FERRET_BINARY, '.'], { cwd: join(root, 'tools', 'ferretdb'), stdio: 'inherit' });
  return r.status === 0 ? FERRET_BINARY : undefined;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
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
