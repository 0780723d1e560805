/**
 * A throwaway MongoDB-protocol server for the benchmark's MongoDB rows: FerretDB 1.24 (the test
 * suite's embedded build, tools/ferretdb → .tools/ferretdb-test) with its PostgreSQL backend, on
 * a private PostgreSQL cluster made for the run (initdb in a temporary folder, trust
 * authentication on 127.0.0.1 only, a free port), both stopped and deleted by `stop()`.
 *
 * PostgreSQL's programs come from PG_BIN, else Debian's postgresql package
 * (/usr/lib/postgresql/<version>/bin, the newest installed), else the PATH. PostgreSQL refuses
 * to run as root: as root the cluster runs as the `postgres` system user.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../lib/paths.js';
import { ensureFerretBinary } from '../test/helpers/ferret.js';
import { freePort } from '../test/helpers/ports.js';

export interface FerretPg {
  /** mongodb://127.0.0.1:port/ — append a database name. */
  uri: string;
  /** FerretDB's process id (the bench reads its CPU time). */
  readonly pid: number | undefined;
  /** PostgreSQL's postmaster process id (its backends are its children). */
  readonly pgPid: number | undefined;
  /** What this server is, for the results. */
  description: string;
  stop(): Promise<void>;
}

/** The folder with initdb, pg_ctl and postgres. */
export function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(debian, versions[0], 'bin');
  }
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (found) return join(found, '..');
  throw new Error('PostgreSQL not found: install it (Debian: apt-get install postgresql) or set PG_BIN');
}

/** As root, the uid and gid of the `postgres` user (PostgreSQL will not run as root). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start: ${out.slice(-2000)}`)), timeoutMs);
    const seen = (d: Buffer) => {
      out += String(d);
      if (pattern.test(out)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (${code}): ${out.slice(-2000)}`));
    });
  });
}

function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((ok) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill(signal);
  });
}

/** Starts PostgreSQL (a new cluster) and FerretDB on it; `stop()` stops both and deletes the cluster. */
export async function startFerretPg(): Promise<FerretPg> {
  // Built (again) when missing or older than tools/ferretdb, which gained the PostgreSQL handler's flags.
  const ferretBin = ensureFerretBinary(projectRoot);
  if (!ferretBin) throw new Error('no FerretDB binary and no Go toolchain to build it (cd tools/ferretdb && go build -o ../../.tools/ferretdb-test .)');
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-pg-'));
  const user = runAs();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  const env = { ...process.env, LC_ALL: 'C.UTF-8' };
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'], { ...as, env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const pgPort = await freePort();
  // Durable like the embedded store (fsync and synchronous_commit stay on); only on loopback, no Unix socket.
  const pg = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(pgPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'], {
    ...as,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ferret: ChildProcess | undefined;
  try {
    await waitForLine(pg, /ready to accept connections/, 'PostgreSQL');
    const port = await freePort();
    const pgUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
    ferret = spawn(ferretBin, ['--listen-addr', `127.0.0.1:${port}`, '--handler', 'postgresql', '--postgresql-url', pgUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForLine(ferret, /mongodb:\/\//, 'FerretDB (PostgreSQL backend)');
    const version = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
    const f = ferret;
    return {
      uri: `mongodb://127.0.0.1:${port}/`,
      get pid() {
        return f.exitCode === null && f.signalCode === null ? f.pid : undefined;
      },
      get pgPid() {
        return pg.exitCode === null && pg.signalCode === null ? pg.pid : undefined;
      },
      description: `FerretDB 1.24 (tools/ferretdb) with its PostgreSQL backend, on ${version} (a cluster made for the run on 127.0.0.1, fsync on)`,
      async stop() {
        await stopChild(f);
        // SIGINT: PostgreSQL's fast shutdown.
        await stopChild(pg, 'SIGINT');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stopChild(ferret);
    await stopChild(pg, 'SIGINT');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
