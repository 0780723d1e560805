#!/usr/bin/env node
// `npm start`: runs the compiled server, dist/app/main.js. It does not compile: `npm install`
// (the `prepare` script) and `npm run build` do, and stamp dist/.built. When dist/ is missing or
// a source (tsconfig.json's folders and files, and tsconfig.json itself) is newer than the last
// build, it says so in one line and stops, rather than running code that is not the sources.
// package.json's start script runs it with `--max-semi-space-size=8`: V8's young generation is
// capped at 2 × 8 MiB instead of growing to 2 × 16 MiB, which an idle server keeps resident and
// mostly empty (issue 15). 2 × 4 MiB kept about 4 MiB less at idle, but a dialog turn then cost
// up to 9 % more CPU, in more frequent scavenges (bench/turns.ts runs dondoc under these flags). A flag
// of the node command itself, since V8 sizes its heap before any script runs; Node 20 and 24 both
// take it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const main = join(root, 'dist', 'app', 'main.js');

/** When the last build finished: `npm run build` touches dist/.built; a bare `tsc` writes dist/.tsbuildinfo. */
function builtAt() {
  if (!existsSync(main)) return undefined;
  const times = ['.built', '.tsbuildinfo']
    .map((f) => join(root, 'dist', f))
    .filter((f) => existsSync(f))
    .map((f) => statSync(f).mtimeMs);
  return times.length ? Math.max(...times) : undefined;
}

/** The newest TypeScript source tsc compiles (tsconfig.json's `include` folders and `files`). */
function newestSource() {
  const tsconfig = join(root, 'tsconfig.json');
  const { include = [], files = [] } = JSON.parse(readFileSync(tsconfig, 'utf8'));
  let newest = { path: tsconfig, mtimeMs: statSync(tsconfig).mtimeMs };
  const consider = (path) => {
    const { mtimeMs } = statSync(path);
    if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  };
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(m|c)?ts$/.test(e.name)) consider(path);
    }
  };
  for (const dir of include) if (existsSync(join(root, dir))) walk(join(root, dir));
  for (const file of files) if (existsSync(join(root, file))) consider(join(root, file));
  return newest;
}

const built = builtAt();
if (built === undefined) {
  process.stderr.write('dondoc: chưa biên dịch (thiếu dist/); hãy chạy "npm run build" rồi "npm start".\n');
  process.exit(1);
}
const newest = newestSource();
if (newest.mtimeMs > built) {
  process.stderr.write(`dondoc: mã nguồn mới hơn bản biên dịch trong dist/ (${relative(root, newest.path)}); hãy chạy "npm run build" rồi "npm start".\n`);
  process.exit(1);
}
await import('../dist/app/main.js');
