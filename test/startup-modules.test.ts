/**
 * An idle server on the embedded store loads neither the export renderers (exceljs, docx, the
 * chart's Vega and resvg, pngjs) nor the MongoDB driver, nor (its regime being JSON) the YAML
 * parser (issue 15): they were half the modules it loaded, for work an idle server does not do. The compiled server (bin/start.js, what `npm start`
 * runs) starts in a child process with test/helpers/record-modules.mjs preloaded, which writes
 * down every module the process loaded when it exits. Controls, which show both that the
 * recorder sees these packages and that they still load when needed: the same server asked for
 * an XLSX and a DOCX export over the admin API loads exceljs, docx, Vega and resvg then, and the
 * files hold the stored answers; with MONGODB_URI it loads the MongoDB driver and runs on it.
 * Needs `npx tsc -p .`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fmtNumber } from '../reporting/wording.js';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { defaultRegime, EARLIER, EARLIER_FIGURES, seedEarlierScenario } from './helpers/consolidation-scenario.js';
import { readDocx, readXlsx } from './helpers/office.js';
import { mongoUri, uniqueDbName } from './helpers/stores.js';
import { startFakeBotConnector } from './helpers/fake-bot-connector.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

const root = resolve(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'dondoc-startup-modules-'));
  dirs.push(d);
  return d;
};

const TOKEN = 'admin-token-for-tests-0123456789';
const EXPORT_PACKAGES = ['exceljs', 'docx', 'vega', '@resvg/resvg-js', 'pngjs'];

/** The packages (node_modules) a recorded module list holds, by name. */
function packagesIn(loaded: string[]): Set<string> {
  return new Set(loaded.map((m) => /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1]).filter((p): p is string => p !== undefined));
}

/**
 * Starts the server with the recorder, waits for its "listening" line and a /healthz 200 (on
 * `store`), runs `use`, then stops it with SIGTERM (as an operator would) and reads what it loaded.
 */
async function withServer(env: Record<string, string>, store: 'embedded' | 'mongodb', use: (url: string) => Promise<void> = async () => undefined): Promise<Set<string>> {
  const dataDir = env.DATA_DIR ?? tempDir();
  const record = join(tempDir(), 'modules.txt');
  const child = spawn(process.execPath, ['--import', join(root, 'test', 'helpers', 'record-modules.mjs'), join(root, 'bin', 'start.js')], {
    cwd: root,
    env: {
      ...process.env,
      MONGODB_URI: '',
      MICROSOFT_APP_ID: '',
      MICROSOFT_APP_PASSWORD: '',
      ZALO_APP_ID: '',
      ZALO_APP_SECRET: '',
      ADMIN_TOKEN: '',
      PORT: '0',
      HOST: '127.0.0.1',
      SCHEDULER: 'on',
      LOG_FORMAT: 'json',
      DATA_DIR: dataDir,
      ...env,
      RECORD_MODULES: record,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const port = await new Promise<number>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /đang lắng nghe tại http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) ok(Number(m[1]));
      });
      child.stderr.on('data', (d) => (out += String(d)));
      child.once('exit', (c) => fail(new Error(`server exited ${c}: ${out}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ store: { kind: store, ok: true } });
    await use(url);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  const loaded = existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [];
  // The recorder ran in this process: the server's own entry and its HTTP stack are on the list.
  expect(loaded.some((m) => m.includes('/dist/app/main.js'))).toBe(true);
  const packages = packagesIn(loaded);
  expect(packages.has('restify')).toBe(true);
  return packages;
}

describe('what the server loads at start-up', () => {
  it('idle on the embedded store: no export renderer, no MongoDB driver', async () => {
    const loaded = await withServer({}, 'embedded');
    expect([...EXPORT_PACKAGES, 'mongodb'].filter((p) => loaded.has(p))).toEqual([]);
    // The shipped regime is JSON: the YAML parser is loaded only for a YAML regime (regime/regime.ts).
    expect(loaded.has('yaml')).toBe(false);
  });

  it('control: an XLSX and a DOCX export load exceljs, docx, Vega and resvg then, and hold the stored answers', async () => {
    const dataDir = tempDir();
    const store = new Repositories(new SqliteStore(join(dataDir, 'dondoc.sqlite')));
    try {
      await store.init();
      await seedEarlierScenario(store, defaultRegime());
    } finally {
      await store.db.close();
    }
    const participants = EARLIER_FIGURES.BHXH['d4/si_participants'];
    const loaded = await withServer({ DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN }, 'embedded', async (url) => {
      const get = async (file: string) => {
        const res = await fetch(`${url}/api/admin/export/${file}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(200);
        return Buffer.from(await res.arrayBuffer());
      };
      const wb = await readXlsx(await get(`${EARLIER}.xlsx`));
      const cells: unknown[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(c.value))));
      expect(cells).toContain(participants);
      const docx = await readDocx(await get(`${EARLIER}.docx`));
      expect(docx.text).toContain(fmtNumber(participants));
      // The indicators' chart (Vega, rasterised by resvg) is in the document.
      expect(docx.media.some((m) => m.name.endsWith('.png'))).toBe(true);
    });
    expect(['exceljs', 'docx', 'vega', '@resvg/resvg-js', 'mongodb'].filter((p) => loaded.has(p))).toEqual(['exceljs', 'docx', 'vega', '@resvg/resvg-js']);
  });

  it('the Teams SDK, loaded after the server listens: a Teams message right after start is answered', async () => {
    const connector = await startFakeBotConnector();
    try {
      const u = teamsUser('Cán bộ Teams');
      const loaded = await withServer({}, 'embedded', async (url) => {
        // The first request after /healthz answered: the channel loads the Agents SDK for it if its warm-up has not.
        const r = await postActivity(url, asUser(teamsFixture('message-personal', connector.serviceUrl, { id: nextActivityId(), text: 'trợ giúp' }), u));
        expect(r.status).toBe(200);
        expect(connector.activities(u.conversationId).map(activityText).join('\n')).toMatch(/\S/);
      });
      expect(['@microsoft/agents-hosting', '@microsoft/agents-activity'].filter((p) => loaded.has(p))).toEqual(['@microsoft/agents-hosting', '@microsoft/agents-activity']);
    } finally {
      await connector.close();
    }
  });

  it.skipIf(!mongoUri())('control: with MONGODB_URI the server loads the MongoDB driver and runs on it', async () => {
    const loaded = await withServer({ MONGODB_URI: `${mongoUri()}${uniqueDbName('startup')}` }, 'mongodb');
    expect(loaded.has('mongodb')).toBe(true);
    expect(EXPORT_PACKAGES.filter((p) => loaded.has(p))).toEqual([]);
  });
});
