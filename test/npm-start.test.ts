/**
 * `npm start` runs what is built and never compiles (issue 14): `npm install` (prepare) and
 * `npm run build` compile and stamp dist/.built. The script runs in a copy of the project (its
 * package.json, tsconfig.json, bin/, the sources tsc compiles, the regimes and the built dist/;
 * node_modules linked) so the test can age and touch sources without touching the real tree.
 * The copy's dist/ has no .tsbuildinfo: any tsc run would write one, so its absence afterwards
 * shows nothing was compiled. Needs `npm run build` (or `npx tsc -p .`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const copy = mkdtempSync(join(tmpdir(), 'dondoc-npm-start-'));
const dataDir = mkdtempSync(join(tmpdir(), 'dondoc-npm-start-data-'));
afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] };
for (const part of ['package.json', 'tsconfig.json', 'bin', 'regimes', 'dist', ...tsconfig.include]) cpSync(join(root, part), join(copy, part), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
rmSync(join(copy, 'dist', '.tsbuildinfo'), { force: true });

/** Every source an hour old, the build stamp now: a tree as `npm install` leaves it. */
function freshBuild(): void {
  const old = new Date(Date.now() - 3_600_000);
  const age = (path: string) => {
    if (statSync(path).isDirectory()) for (const e of readdirSync(path)) age(join(path, e));
    else utimesSync(path, old, old);
  };
  for (const dir of [...tsconfig.include, 'tsconfig.json']) age(join(copy, dir));
  writeFileSync(join(copy, 'dist', '.built'), '');
}

// The same node as this test (Node 20 or 24) runs npm and the server.
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SCHEDULER: 'off', LOG_FORMAT: 'json' };

describe('npm start', () => {
  it('starts the built server without compiling and serves /healthz', async () => {
    freshBuild();
    const child = spawn('npm', ['start', '--silent'], { cwd: copy, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    try {
      const out = await new Promise<string>((ok, fail) => {
        let text = '';
        child.stdout.on('data', (d) => {
          text += String(d);
          if (text.includes('đang lắng nghe')) ok(text);
        });
        child.stderr.on('data', (d) => (text += String(d)));
        child.once('exit', (c) => fail(new Error(`npm start exited ${c}: ${text}`)));
      });
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ store: { kind: 'embedded', ok: true } });
      expect(existsSync(join(copy, 'dist', '.tsbuildinfo'))).toBe(false);
    } finally {
      // npm and the server it started: the whole process group.
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  });

  it('a source newer than the build: one line naming it and how to build, no compile, exit 1', () => {
    freshBuild();
    const later = new Date(Date.now() + 10_000);
    utimesSync(join(copy, 'lib', 'paths.ts'), later, later);
    const r = spawnSync('npm', ['start', '--silent'], { cwd: copy, env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('dondoc: mã nguồn mới hơn bản biên dịch trong dist/ (lib/paths.ts); hãy chạy "npm run build" rồi "npm start".');
    expect(r.stdout).not.toMatch(/đang lắng nghe/);
    expect(existsSync(join(copy, 'dist', '.tsbuildinfo'))).toBe(false);
  });

  it('no build at all: says so', () => {
    freshBuild();
    rmSync(join(copy, 'dist', 'app', 'main.js'));
    const r = spawnSync('npm', ['start', '--silent'], { cwd: copy, env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('dondoc: chưa biên dịch (thiếu dist/); hãy chạy "npm run build" rồi "npm start".');
    expect(existsSync(join(copy, 'dist', '.tsbuildinfo'))).toBe(false);
  });
});
