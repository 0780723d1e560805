/**
 * The store unreachable: at start-up (clear error, non-zero exit) and mid-run (health 503, then
 * recovery without a restart once the server is back).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { ensureFerretBinary, startFerret, type FerretProcess } from './helpers/ferret.js';

const root = resolve(import.meta.dirname, '..');

describe('store unreachable at start-up', () => {
  it('exits non-zero with a clear Vietnamese message and no stack trace', () => {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'bot', 'main.js')], {
      encoding: 'utf8',
      env: { ...process.env, PORT: '0', MONGODB_URI: 'mongodb://127.0.0.1:1/dondoc', SCHEDULER: 'off' },
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Không mở được kho dữ liệu');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(!ensureFerretBinary())('store lost mid-run (MongoDB protocol)', () => {
  let ferret: FerretProcess;
  let app: TestApp;
  beforeAll(async () => {
    ferret = await startFerret();
    app = await startTestApp({ MONGODB_URI: `${ferret.uri}faults` });
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await ferret?.dispose();
  });

  it('health turns 503 while the server is down and 200 again after it returns, without a restart', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    await ferret.stop('SIGKILL');
    const down = await fetch(`${app.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', store: { kind: 'mongodb', ok: false } });
    await ferret.start();
    let status = 0;
    for (let i = 0; i < 30 && status !== 200; i++) {
      status = (await fetch(`${app.url}/healthz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
  });
});
