/**
 * Preload for a child process (`node --import ./test/helpers/record-modules.mjs …`): writes every
 * module the process loads to the file named by RECORD_MODULES, one path or URL a line, so a test
 * can check what a command did NOT load (restify, the Teams SDK, axios). Two sources: the ESM
 * resolve hook (every `import`/`import()`, including the packages the app imports), and at exit
 * the CommonJS module cache (modules those packages `require`). Without RECORD_MODULES it does
 * nothing.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

let out = process.env.RECORD_MODULES;

// In the process itself: install the hooks (they run on a thread of their own) and, at exit,
// add the CommonJS cache.
if (out && isMainThread) {
  register(import.meta.url, { data: { out } });
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => appendFileSync(out, `${Object.keys(cache).join('\n')}\n`));
}

/** Hooks thread: where to write. */
export function initialize(data) {
  out = data?.out;
}

/** Hooks thread: every resolved import. */
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (out) appendFileSync(out, `${r.url}\n`);
  return r;
}
