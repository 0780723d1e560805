/**
 * Starts a real MongoDB-protocol server for the MongoDB contract suites: FerretDB 1.24 (SQLite
 * backend) embedded in tools/ferretdb, built with Go on first use, listening on 127.0.0.1.
 * DONDOC_TEST_MONGODB_URI overrides it (e.g. a real MongoDB). In CI (CI=true) a missing server
 * fails the run loudly; elsewhere the MongoDB suites are skipped with a warning.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const root = resolve(import.meta.dirname, '..');
const binary = join(root, '.tools', 'ferretdb-test');
let child: ChildProcess | undefined;
let dataDir: string | undefined;

function buildFerret(): string | undefined {
  if (existsSync(binary)) return binary;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) return undefined;
  process.stderr.write('[test] building FerretDB test server (tools/ferretdb), first time only…\n');
  const r = spawnSync('go', ['build', '-o', binary, '.'], { cwd: join(root, 'tools', 'ferretdb'), stdio: 'inherit' });
  return r.status === 0 ? binary : undefined;
}

function startFerret(bin: string): Promise<string> {
  dataDir = mkdtempSync(join(tmpdir(), 'dondoc-ferret-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  return new Promise((ok, fail) => {
    child = spawn(bin, ['--listen-addr', `127.0.0.1:${port}`, '--sqlite-dir', dataDir as string], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => fail(new Error(`FerretDB did not start: ${err}`)), 30_000);
    child.stderr?.on('data', (d) => (err += String(d)));
    child.stdout?.on('data', (d) => {
      const m = /mongodb:\/\/\S+/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        ok(m[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`FerretDB exited (${code}): ${err}`));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let uri = process.env.DONDOC_TEST_MONGODB_URI ?? '';
  if (!uri) {
    const bin = buildFerret();
    if (bin) uri = await startFerret(bin);
    else if (process.env.CI) throw new Error('CI: no MongoDB-protocol server could be had (Go toolchain missing?)');
    else process.stderr.write('\n[test] WARNING: no MongoDB-protocol server (no Go toolchain): MongoDB suites are SKIPPED.\n\n');
  }
  if (uri) process.stderr.write(`[test] MongoDB-protocol server: ${uri}\n`);
  project.provide('mongoUri', uri);
  return async () => {
    child?.kill('SIGTERM');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}
