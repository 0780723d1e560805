/**
 * Start-up time and idle memory of `npm start`, the command an operator runs (issue 15): in a
 * fresh data folder (embedded store), no channel credentials, no MONGODB_URI, scheduler on.
 * `npm start` is npm (a Node process of its own) running package.json's start script, which runs
 * the server's own Node process (bin/start.js → dist/app/main.js, with the flags the script gives
 * it). Measured from the spawn of `npm start`: the time to the "listening" log line and to the
 * first /healthz 200 (ready; npm's own start-up included); the memory is the server process's
 * (found among npm's descendants by its command line), not npm's: its RSS after 5 s idle and its
 * peak RSS (VmHWM) by then. Several runs; medians. One more run, of the server's node command with
 * test/helpers/record-modules.mjs preloaded, counts the modules the server has loaded after as long idle.
 *
 * Environment: BENCH_STARTUP_RUNS (default 5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { projectRoot } from '../lib/paths.js';
import { fmt, mib, procMemory, startScript, startScriptFlags, table, type BenchSection } from './lib.js';

/** The goals of issue 15. */
const GOAL_IDLE_MIB = 120;
const GOAL_READY_MS = 1500;
const IDLE_MS = 5000;
/** Packages loaded when first needed (an export, MONGODB_URI, a YAML regime), not by an idle server. */
const LAZY = ['exceljs', 'docx', 'vega', '@resvg/resvg-js', 'mongodb', 'yaml'];

interface StartupRun {
  listenMs: number;
  readyMs: number;
  idleRss: number;
  peakRss: number;
  /** npm's own RSS at the same moment (not counted above). */
  npmRss: number;
}

/**
 * The environment of every run: only what npm and Node need, so that no credential, MONGODB_URI,
 * NODE_OPTIONS or npm_config_* of the shell running the benchmark reaches the server. The Node
 * running the benchmark is first on PATH, so it runs npm's script (and npm itself, through npm's
 * `#!/usr/bin/env node`).
 */
function cleanEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    PATH: [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter),
    HOME: process.env.HOME ?? tmpdir(),
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SCHEDULER: 'on',
    LOG_LEVEL: 'info',
  };
}

/** Parent pid of each process, from /proc (Linux). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      out.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** The server's process under `npm start` (npm → sh → node bin/start.js): the descendant whose command line runs bin/start.js. */
function serverPid(npmPid: number): number {
  const node = realpathSync(process.execPath);
  const ppid = parents();
  for (const [pid] of ppid) {
    let p: number | undefined = pid;
    while (p !== undefined && p !== npmPid && p > 1) p = ppid.get(p);
    if (p !== npmPid || pid === npmPid) continue;
    try {
      // A Node process (not the shell npm runs the script with) with bin/start.js among its arguments.
      if (realpathSync(`/proc/${pid}/exe`) !== node) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('bin/start.js')) return pid;
    } catch {
      /* gone meanwhile */
    }
  }
  throw new Error(`no bin/start.js process under npm (pid ${npmPid})`);
}

/** Resolves with the port once the "listening" line is on the child's standard output. */
function listening(child: ChildProcess): Promise<number> {
  return new Promise<number>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /127\.0\.0\.1:(\d+)/.exec(out);
      if (m) ok(Number(m[1]));
    });
    child.stderr?.on('data', (d) => (out += String(d)));
    child.once('exit', (c) => fail(new Error(`server exited ${c}: ${out}`)));
  });
}

async function firstHealthy(port: number): Promise<void> {
  for (;;) {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (r?.status === 200) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** SIGTERM to the child's process group (npm and the server under it), then waits for the child. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-(child.pid as number), 'SIGTERM');
  await exited;
}

async function once(): Promise<StartupRun> {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-start-'));
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: projectRoot, env: cleanEnv(dir), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  try {
    const port = await listening(child);
    const listenMs = performance.now() - t0;
    await firstHealthy(port);
    const readyMs = performance.now() - t0;
    const pid = serverPid(child.pid as number);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const mem = procMemory(pid);
    return { listenMs, readyMs, idleRss: mem.rss, peakRss: mem.peak, npmRss: procMemory(child.pid as number).rss };
  } finally {
    await stopGroup(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ModuleCount {
  total: number;
  packages: number;
  /** Files per package (node_modules), largest first. */
  byPackage: Array<[string, number]>;
}

/** The modules a server has loaded after IDLE_MS idle (ESM imports and CommonJS requires), recorded at its exit by test/helpers/record-modules.mjs. */
async function countModules(): Promise<ModuleCount> {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-modules-'));
  const record = join(dir, 'modules.txt');
  const child = spawn(process.execPath, [...startScriptFlags(), '--import', join(projectRoot, 'test', 'helpers', 'record-modules.mjs'), join(projectRoot, 'bin', 'start.js')], {
    cwd: projectRoot,
    env: { ...cleanEnv(dir), RECORD_MODULES: record },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    await firstHealthy(await listening(child));
    // Idle as long as the measured runs: what loads after listening (the Teams SDK's warm-up) counts too.
    await new Promise((r) => setTimeout(r, IDLE_MS));
  } finally {
    await stopGroup(child);
  }
  const files = existsSync(record)
    ? [
        ...new Set(
          readFileSync(record, 'utf8')
            .split('\n')
            .map((l) => l.replace(/^file:\/\//, ''))
            .filter((l) => l.startsWith('/')),
        ),
      ]
    : [];
  rmSync(dir, { recursive: true, force: true });
  const byPackage = new Map<string, number>();
  for (const f of files) {
    const m = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
    if (m) byPackage.set(m[1], (byPackage.get(m[1]) ?? 0) + 1);
  }
  return {
    total: files.length,
    packages: [...byPackage.values()].reduce((a, b) => a + b, 0),
    byPackage: [...byPackage].sort((a, b) => b[1] - a[1]),
  };
}

export async function run(runs = Number(process.env.BENCH_STARTUP_RUNS ?? 5)): Promise<BenchSection> {
  const results: StartupRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  const modules = await countModules();
  const med = (f: (x: StartupRun) => number) => {
    const s = results.map(f).sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  const range = (f: (x: StartupRun) => number, show: (n: number) => string) => {
    const s = results.map(f).sort((a, b) => a - b);
    return `${show(med(f))} (${show(s[0])}–${show(s[s.length - 1])})`;
  };
  const ms = (n: number) => `${fmt(n, 0)} ms`;
  const mb = (n: number) => `${mib(n)} MiB`;
  const ratio = (value: number, goal: number) => `${fmt(value / goal, 2)}×${value <= goal ? ' (met)' : ' (not met)'}`;
  const script = startScript();
  return {
    title: 'Start-up time and idle memory',
    body: [
      `\`npm start\` (\`${script}\`) started ${runs} times, each in a fresh data folder: embedded store, no channel credentials, no MONGODB_URI, scheduler on, Node ${process.version}. ` +
        'Times from the spawn of `npm start`, npm’s own start-up included. Memory is the server’s Node process (the one running bin/start.js under npm), not npm’s. ' +
        'Medians, with the range over the runs; the ratio is the median to the goal (issue 15).',
      '',
      table(
        ['measure', 'median (range)', 'goal', 'ratio to the goal'],
        [
          ['spawn → "listening" log line', range((r) => r.listenMs, ms), '—', '—'],
          [
            'spawn → first /healthz 200 (ready)',
            range((r) => r.readyMs, ms),
            `≤ ${fmt(GOAL_READY_MS, 0)} ms`,
            ratio(
              med((r) => r.readyMs),
              GOAL_READY_MS,
            ),
          ],
          [`server RSS after ${IDLE_MS / 1000} s idle`, range((r) => r.idleRss, mb), `≤ ${GOAL_IDLE_MIB} MiB`, ratio(med((r) => r.idleRss) / 2 ** 20, GOAL_IDLE_MIB)],
          ['server peak RSS (VmHWM) by then', range((r) => r.peakRss, mb), '—', '—'],
          ['npm’s own RSS (not counted)', range((r) => r.npmRss, mb), '—', '—'],
        ],
      ),
      '',
      `Modules the server has loaded after ${IDLE_MS / 1000} s idle, the Teams SDK included (loaded after listening; one more run of the same node command with test/helpers/record-modules.mjs preloaded, ESM imports and CommonJS requires): ` +
        `${modules.total} files, ${modules.packages} of them from node_modules; the largest packages by files: ${modules.byPackage
          .slice(0, 8)
          .map(([p, n]) => `${p} ${n}`)
          .join(', ')}. Of the packages only some requests need (the export renderers exceljs, docx, vega and @resvg/resvg-js, the MongoDB driver, the YAML parser), loaded at idle: ${
          LAZY.filter((p) => modules.byPackage.some(([q]) => q === p)).join(', ') || 'none'
        }.`,
    ].join('\n'),
  };
}
