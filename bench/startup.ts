/**
 * Start-up time and idle memory of the real server (`node dist/app/main.js`, embedded store,
 * no channels configured): time from spawn to the "listening" log line and to the first
 * /healthz 200, then RSS after 5 s idle. Several runs; medians reported.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../lib/paths.js';
import { fmt, mib, procMemory, table, type BenchSection } from './lib.js';

interface StartupRun {
  listenMs: number;
  healthMs: number;
  idleRss: number;
  peakRss: number;
}

async function once(): Promise<StartupRun> {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-start-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(projectRoot, 'dist', 'app', 'main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const port = await new Promise<number>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /127\.0\.0\.1:(\d+)/.exec(out);
        if (m) ok(Number(m[1]));
      });
      child.once('exit', (c) => fail(new Error(`server exited ${c}: ${out}`)));
    });
    const listenMs = performance.now() - t0;
    for (;;) {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      if (r?.status === 200) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const healthMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 5000));
    const mem = procMemory(child.pid as number);
    return { listenMs, healthMs, idleRss: mem.rss, peakRss: mem.peak };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(runs = 5): Promise<BenchSection> {
  const results: StartupRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  const med = (f: (x: StartupRun) => number) => {
    const s = results.map(f).sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  return {
    title: 'Start-up time and idle memory',
    body: [
      `Server started ${runs} times (\`node dist/app/main.js\`, embedded store in a fresh folder, no channel credentials, scheduler on); medians.`,
      '',
      table(
        ['spawn → listening log line', 'spawn → first /healthz 200', 'RSS after 5 s idle', 'peak RSS'],
        [
          [
            `${fmt(
              med((r) => r.listenMs),
              0,
            )} ms`,
            `${fmt(
              med((r) => r.healthMs),
              0,
            )} ms`,
            `${mib(med((r) => r.idleRss))} MiB`,
            `${mib(med((r) => r.peakRss))} MiB`,
          ],
        ],
      ),
    ].join('\n'),
  };
}
