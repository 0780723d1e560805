/**
 * Benchmark: consolidation and each export for a synthetic period of 1,000 reporting units.
 *
 *   npm run bench -- export                      (through bench/run.ts, section "export")
 *   npx tsc -p . && node dist/bench/export.js [--units 1000] [--out FILE]   (standalone:
 *                                                replaces only its section of bench/results.md)
 *
 * The parent builds a regime variant with N reporting units (the default regime's 19 plus
 * clones: district clones share group m's duties, department clones carry copies of their
 * duties), seeds a SQLite store (90 % submitted, 5 % late among them, 5 % drafts, 5 % nothing)
 * with valid answers through Repositories, then runs each phase in a fresh child process so its
 * peak memory is its own: load from the store + consolidate, then render XLSX / DOCX / CSV.
 * Each child reports wall time per step, its CPU time, and its peak RSS
 * (process.resourceUsage().maxRSS), plus RSS sampled every 20 ms. Then the same XLSX and DOCX
 * inside the running server: for each format a fresh `node bin/start.js` (what `npm start` runs)
 * on the same data and regime, SCHEDULER off, its idle RSS read from /proc once /healthz answers,
 * then the export requested through the admin API (GET /api/admin/export/<period>.<format>) while
 * its RSS is sampled every 20 ms; its peak (VmHWM) and CPU time are read from /proc.
 * Never run by `npm test`.
 */
import { execSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadExport, renderExport, type ExportFormat } from '../services/consolidation.js';
import { DEFAULT_REGIME_FILE, projectRoot } from '../lib/paths.js';
import { makePeriod } from '../regime/periods.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { loadRegimeFile, parseRegime } from '../regime/regime.js';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { filingUnits, rng, seedDraft, seedSubmissions } from '../test/helpers/seed-submissions.js';
import { machine, procCpuMs, procMemory, startScriptFlags, type BenchSection, splitUnits } from './lib.js';
import { freePort } from '../test/helpers/ports.js';

/** The node options package.json's start script gives the server (e.g. --max-semi-space-size=8). */
const START_NODE_OPTIONS = startScriptFlags();

const PERIOD = '2027-H1';
/** Issue 15's goals for one export of a 1,000-unit period. */
const GOAL_MS = 3000;
const GOAL_MIB = 300;
const NOW = new Date('2027-07-08T03:00:00Z');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

/** The default regime with clones of its reporting units until there are `n`. */
export function regimeWithUnits(n: number): ReportRegime {
  const base = loadRegimeFile(DEFAULT_REGIME_FILE);
  if (!base.ok) throw new Error(base.errors.join('\n'));
  const data = structuredClone(base.regime) as ReportRegime;
  const templates = data.units.filter((u) => u.reports);
  let k = 0;
  while (data.units.filter((u) => u.reports).length < n) {
    const t = templates[k % templates.length];
    const seq = String(++k).padStart(4, '0');
    data.units.push({
      ...structuredClone(t),
      code: `${t.code}-${seq}`,
      name: `${t.name} (đơn vị mô phỏng ${seq})`,
      shortName: `${t.shortName} ${seq}`,
      coordinator: false,
      letter: undefined,
    });
  }
  const parsed = parseRegime(data);
  if (!parsed.ok) throw new Error(parsed.errors.slice(0, 5).join('\n'));
  return parsed.regime;
}

interface PhaseResult {
  phase: string;
  steps: Record<string, number>;
  cpuMs: number;
  bytes?: number;
  baselineRssMb: number;
  peakRssMb: number;
  sampledPeakRssMb: number;
}

async function child(phase: string, dir: string, regimeFile: string): Promise<void> {
  const loaded = loadRegimeFile(regimeFile);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const regime = loaded.regime;
  const store = new Repositories(new SqliteStore(join(dir, 'dondoc.sqlite')));
  await store.init();
  const period = makePeriod(regime, PERIOD)!;
  let sampled = process.memoryUsage().rss;
  const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 20);
  const baseline = process.memoryUsage().rss;
  const steps: Record<string, number> = {};
  const cpu0 = process.cpuUsage();
  let t = performance.now();
  // The export's load: the period's consolidation and its comparison (no earlier period is seeded here).
  const input = await loadExport({ regime, store }, period, NOW);
  steps['load + consolidate'] = performance.now() - t;
  let bytes: number | undefined;
  if (phase !== 'consolidate') {
    t = performance.now();
    const buf = await renderExport(input, regime, phase as ExportFormat);
    steps[`render ${phase}`] = performance.now() - t;
    bytes = buf.length;
    writeFileSync(join(dir, `out.${phase}`), buf);
  }
  sampled = Math.max(sampled, process.memoryUsage().rss);
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  await store.db.close();
  const result: PhaseResult = {
    phase,
    steps,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bytes,
    baselineRssMb: mib(baseline),
    peakRssMb: mib(process.resourceUsage().maxRSS * 1024),
    sampledPeakRssMb: mib(sampled),
  };
  process.stdout.write(`${JSON.stringify({ result, units: input.consolidation.board.length, submitted: input.consolidation.submittedCount })}\n`);
}

interface ServerResult {
  format: string;
  idleRssMb: number;
  peakRssMb: number;
  sampledPeakRssMb: number;
  wallMs: number;
  cpuMs: number;
  bytes: number;
}

const mib = (b: number) => Math.round((b / 1048576) * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One export inside the running server: a fresh `node bin/start.js` (`npm start`) on the bench's
 * data and regime; its RSS once /healthz answers and two seconds have passed (idle), then the
 * export through the admin API with its RSS sampled every 20 ms, its peak (VmHWM: the process's
 * highest, which the export sets since it is above idle) and the CPU time the request took.
 */
async function inServer(format: 'xlsx' | 'docx', dir: string, regimeFile: string): Promise<ServerResult> {
  const port = await freePort();
  const token = 'bench-export-admin-token';
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    REGIME_FILE: regimeFile,
    ADMIN_TOKEN: token,
    SCHEDULER: 'off',
    MONGODB_URI: '',
    MICROSOFT_APP_ID: '',
    MICROSOFT_APP_PASSWORD: '',
  };
  // The node options of `npm start` (package.json's start script), so the server is the one npm starts.
  const child = spawn(process.execPath, [...START_NODE_OPTIONS, join(projectRoot, 'bin', 'start.js')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((ok) => child.once('exit', ok));
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
      if (i > 1200) throw new Error(`server not ready after 120 s: ${stderr}`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await sleep(2000);
    const pid = child.pid!;
    const idle = procMemory(pid).rss;
    const cpu0 = procCpuMs(pid);
    let sampled = idle;
    const timer = setInterval(() => (sampled = Math.max(sampled, procMemory(pid).rss)), 20);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/admin/export/${PERIOD}.${format}`, { headers: { authorization: `Bearer ${token}` } });
    const body = Buffer.from(await res.arrayBuffer());
    const wallMs = performance.now() - t0;
    clearInterval(timer);
    if (res.status !== 200) throw new Error(`export ${format}: HTTP ${res.status} ${body.toString('utf8').slice(0, 300)}`);
    const m = procMemory(pid);
    return { format, idleRssMb: mib(idle), peakRssMb: mib(m.peak), sampledPeakRssMb: mib(Math.max(sampled, m.rss)), wallMs, cpuMs: procCpuMs(pid) - cpu0, bytes: body.length };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Runs the benchmark; the section for bench/results.md. */
export async function run(opts: { units?: number } = {}): Promise<BenchSection> {
  const n = opts.units ?? 1000;
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-'));
  try {
    const regime = regimeWithUnits(n);
    const regimeFile = join(dir, 'regime.json');
    writeFileSync(regimeFile, JSON.stringify(regime));
    const store = new Repositories(new SqliteStore(join(dir, 'dondoc.sqlite')));
    await store.init();
    const units = filingUnits(regime, PERIOD);
    const next = rng(2027);
    const { submit, late, drafts } = splitUnits(units, next);
    process.stderr.write(`seeding ${submit.length} submissions and ${drafts.length} drafts for ${units.length} units…\n`);
    let t = performance.now();
    await seedSubmissions(store, regime, PERIOD, { units: submit, lateUnits: late, seed: 11 });
    for (const [i, u] of drafts.entries()) await seedDraft(store, regime, PERIOD, u, 0.2 + (i % 7) / 10, { seed: i });
    const seedMs = performance.now() - t;
    const answers = (await store.submissions.find({ periodId: PERIOD })).reduce((a, s) => a + Object.keys(s.answers).length, 0);
    await store.db.close();

    const self = fileURLToPath(import.meta.url);
    const results: PhaseResult[] = [];
    for (const phase of ['consolidate', 'xlsx', 'docx', 'csv']) {
      process.stderr.write(`phase ${phase}…\n`);
      t = performance.now();
      const r = spawnSync(process.execPath, [self, '--child', phase, '--dir', dir, '--regime', regimeFile], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`phase ${phase} failed: ${r.stderr}`);
      const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!) as { result: PhaseResult };
      parsed.result.steps['child process, wall'] = performance.now() - t;
      results.push(parsed.result);
    }

    const served: ServerResult[] = [];
    for (const format of ['xlsx', 'docx'] as const) {
      process.stderr.write(`in the server: ${format}…\n`);
      served.push(await inServer(format, dir, regimeFile));
    }

    const sh = (c: string) => {
      try {
        return execSync(c, { encoding: 'utf8' }).trimEnd();
      } catch {
        return '(unavailable)';
      }
    };
    const ms = (v: number) => `${Math.round(v).toLocaleString('en-US')} ms`;
    const ratio = (v: number, goal: number) => `${(v / goal).toFixed(2)}×`;
    const byPhase = new Map(results.map((r) => [r.phase, r]));
    const exportMs = (r: PhaseResult) => Object.values(r.steps).reduce((a, b) => a + b, 0) - r.steps['child process, wall'];
    const lines = [
      `Command: \`npm run bench -- export\` or \`npx tsc -p . && node dist/bench/export.js --units ${n}\`. Numbers from one run.`,
      '',
      `Machine: nproc ${sh('nproc')}, ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 1073741824)} GiB (${Math.round(freemem() / 1073741824)} GiB free at the start), node ${process.version}; \`free -h\`:`,
      '',
      '```',
      sh('free -h'),
      '```',
      '',
      `Data: period ${PERIOD}; ${units.length} reporting units (the default regime's 19 + clones: district clones share group m's duties, department clones carry copies of theirs); ${submit.length} submitted (${late.length} late), ${drafts.length} drafts, ${units.length - submit.length - drafts.length} nothing; ${answers.toLocaleString('en-US')} stored answers. Embedded store (SQLite, WAL, synchronous=FULL) in a temp folder; seeding through Repositories took ${ms(seedMs)} (not in the figures below).`,
      '',
      'Each phase runs in a fresh process: load the period from the store and consolidate, then render one export.',
      '',
      `**Against the goals (≤ ${GOAL_MS / 1000} s, ≤ ${GOAL_MIB} MiB peak per export):** ${(['xlsx', 'docx'] as const)
        .map((f) => {
          const r = byPhase.get(f)!;
          return `${f.toUpperCase()} ${ms(exportMs(r))} = ${ratio(exportMs(r), GOAL_MS)} the time goal, ${r.peakRssMb} MiB = ${ratio(r.peakRssMb, GOAL_MIB)} the memory goal`;
        })
        .join('; ')} (fresh process each: time is load + consolidate + render, without starting Node; memory is the whole process's peak RSS). In the running server, on top of its idle RSS: ${served
        .map((s) => `${s.format.toUpperCase()} ${ms(s.wallMs)}, ${s.idleRssMb} → ${s.peakRssMb} MiB (+${(s.peakRssMb - s.idleRssMb).toFixed(1)})`)
        .join('; ')}.`,
      '',
      '| phase | load + consolidate | render | CPU time (user + system) | child process wall time | output size | peak RSS (maxRSS) | peak RSS sampled / 20 ms | RSS after start-up |',
      '|---|---|---|---|---|---|---|---|---|',
      ...results.map((r) => {
        const render = Object.entries(r.steps).find(([k]) => k.startsWith('render'));
        return `| ${r.phase} | ${ms(r.steps['load + consolidate'])} | ${render ? ms(render[1]) : '—'} | ${ms(r.cpuMs)} | ${ms(r.steps['child process, wall'])} | ${r.bytes ? `${(r.bytes / 1048576).toFixed(2)} MiB` : '—'} | ${r.peakRssMb} MiB | ${r.sampledPeakRssMb} MiB | ${r.baselineRssMb} MiB |`;
      }),
      '',
      'The child process wall time includes starting Node and loading the modules; peak RSS is the whole process (Node, modules, store) at its highest; CPU time is the load and the render (not start-up), all threads.',
      '',
      `Inside the running server (\`node ${START_NODE_OPTIONS.join(' ')} bin/start.js\`, what \`npm start\` runs; embedded store on the same data, the same ${n.toLocaleString('en-US')}-unit regime, SCHEDULER off; a fresh server per format): idle RSS read from /proc two seconds after /healthz first answers; then GET /api/admin/export/${PERIOD}.<format> with the admin token (load, consolidate, render, audit, send), the server's RSS sampled every 20 ms and its VmHWM read after the response.`,
      '',
      '| export in the server | request wall time | server CPU time | response size | idle RSS | peak RSS (VmHWM) | peak RSS sampled / 20 ms | peak − idle |',
      '|---|---|---|---|---|---|---|---|',
      ...served.map(
        (s) =>
          `| ${s.format} | ${ms(s.wallMs)} | ${ms(s.cpuMs)} | ${(s.bytes / 1048576).toFixed(2)} MiB | ${s.idleRssMb} MiB | ${s.peakRssMb} MiB | ${s.sampledPeakRssMb} MiB | ${(s.peakRssMb - s.idleRssMb).toFixed(1)} MiB |`,
      ),
      '',
      'Times vary by up to ±40 % between runs on this shared 2-core machine (more when other work runs on it: compare the CPU times); the memory figures vary little.',
    ];
    return { title: `Consolidation and exports of a ${n.toLocaleString('en-US')}-unit period`, body: lines.join('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Standalone: replace (or add) this benchmark's section of bench/results.md, in bench/run.ts's format. */
async function standalone(): Promise<void> {
  const n = Number(arg('units', '1000'));
  const t0 = performance.now();
  const section = await run({ units: n });
  const file = arg('out', join(projectRoot, 'bench', 'results.md'));
  const command = `node dist/bench/export.js --units ${n}`;
  const text = [
    `## ${section.title}`,
    '<!-- bench:export -->',
    '',
    `_Measured ${new Date().toISOString()} with \`${command}\` (this part took ${((performance.now() - t0) / 1000).toFixed(0)} s); ${machine()}._`,
    '',
    section.body,
  ].join('\n');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# dondoc benchmark results\n';
  const [head, ...parts] = existing.split(/^(?=## )/m);
  const i = parts.findIndex((p) => /^<!-- bench:export -->$/m.test(p));
  if (i >= 0) parts[i] = `${text}\n\n`;
  else parts.push(`${text}\n\n`);
  writeFileSync(file, `${head.trimEnd()}\n\n${parts.map((p) => p.trimEnd()).join('\n\n')}\n`);
  process.stdout.write(`${text}\n`);
}

const entry = process.argv[1] ? import.meta.url === pathToFileURL(process.argv[1]).href : false;
if (entry && process.argv.includes('--child')) await child(arg('child', 'consolidate'), arg('dir', ''), arg('regime', ''));
else if (entry) await standalone();
