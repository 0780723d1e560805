/** Shared bits of the benchmarks: machine facts, percentiles, markdown tables. */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../lib/paths.js';

export interface BenchSection {
  title: string;
  /** Markdown body: what was measured, how, and the figures. */
  body: string;
}

/** package.json's start script, what `npm start` runs (e.g. `node --max-semi-space-size=8 bin/start.js`). */
export function startScript(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
}

/** The node flags of the start script, so that a benchmark runs the server as `npm start` does. */
export function startScriptFlags(): string[] {
  const script = startScript();
  const m = /^node\s+(.*?)\s*bin\/start\.js$/.exec(script.trim());
  if (!m) throw new Error(`unexpected start script: ${script}`);
  return m[1].split(/\s+/).filter(Boolean);
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let kernel = '';
  try {
    kernel = execSync('uname -sr', { encoding: 'utf8' }).trim();
  } catch {
    /* not fatal */
  }
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${kernel}, Node ${process.version}`;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function table(columns: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
export const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1);

/** Resident set size and its peak of a process, from /proc (Linux). */
export function procMemory(pid: number): { rss: number; peak: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11], fields[12]: utime, stime in clock ticks (state is fields[0]).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / CLOCK_TICKS) * 1000;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * How the 1,000-unit benchmarks (export, web) split a period's filing units, reproducibly: about
 * 90 % submitted (5 % of those late), 5 % with a draft, the rest with nothing.
 */
export function splitUnits(units: string[], next: () => number): { submit: string[]; late: string[]; drafts: string[] } {
  const submit: string[] = [];
  const late: string[] = [];
  const drafts: string[] = [];
  for (const u of units) {
    const x = next();
    if (x < 0.9) {
      submit.push(u);
      if (next() < 0.05) late.push(u);
    } else if (x < 0.95) drafts.push(u);
  }
  return { submit, late, drafts };
}
