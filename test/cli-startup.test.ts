/**
 * CLI commands that need no HTTP server load neither restify nor a channel SDK (issue 12): the
 * compiled `dondoc` runs in a child process with test/helpers/record-modules.mjs preloaded, which
 * writes down every module the process loads. Each command must do its job, print no DEP0111
 * deprecation warning (restify causes them) and leave restify, the Teams SDK (@microsoft/agents-*,
 * jose) and axios off that list. `reminders run-once` starts the real app and so loads restify
 * and the Teams channel (its SDK only for a Teams send, or by its warm-up after start-up, issue
 * 15): the control that shows the recorder sees them (and, its pass exporting nothing on the
 * embedded store, still no export renderer nor the MongoDB driver). Needs `npx tsc -p .`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';

const root = resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'dondoc-cli-startup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const SERVER_PACKAGES = /\/node_modules\/(restify|@microsoft\/agents-[^/]*|jose|axios)\//;

let runs = 0;
function dondoc(args: string[], input?: string): { status: number | null; stdout: string; stderr: string; loaded: string[] } {
  const record = join(dataDir, `modules-${++runs}.txt`);
  const r = spawnSync(process.execPath, ['--import', join(root, 'test', 'helpers', 'record-modules.mjs'), join(root, 'bin', 'dondoc.js'), ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, DATA_DIR: dataDir, RECORD_MODULES: record, LOG_LEVEL: 'warn', SCHEDULER: 'off', PORT: '0' },
  });
  const loaded = existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, loaded };
}

function expectLight(r: ReturnType<typeof dondoc>): void {
  expect(r.stderr).not.toMatch(/DEP0111|DeprecationWarning/);
  // The recorder ran (the CLI's own modules are on the list), and no server package is.
  expect(r.loaded.some((m) => m.includes('/dist/cli/main.js'))).toBe(true);
  expect(r.loaded.filter((m) => SERVER_PACKAGES.test(m))).toEqual([]);
}

describe('CLI commands that need no server load no server', () => {
  it('periods --year 2027', () => {
    const r = dondoc(['periods', '--year', '2027']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('"id":"2027-H1"');
    expectLight(r);
  });

  it('regime check', () => {
    const r = dondoc(['regime', 'check']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hợp lệ');
    expectLight(r);
  });

  it('enroll, status, export, reminders plan and chat on the store', async () => {
    const enrolled = dondoc(['enroll', 'BA-BE', '--json']);
    expect(enrolled.status).toBe(0);
    expect(JSON.parse(enrolled.stdout)).toMatchObject({ unitCode: 'BA-BE', role: 'focal' });
    expectLight(enrolled);

    const status = dondoc(['status', '2027-H1', '--json']);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('"unit":"BHXH"');
    expectLight(status);

    const out = join(dataDir, 'tong-hop.csv');
    const exported = dondoc(['export', '2027-H1', '--format', 'csv', '--out', out]);
    expect(exported.status).toBe(0);
    expect(existsSync(out)).toBe(true);
    expectLight(exported);

    const plan = dondoc(['reminders', 'plan', '--at', '2027-06-21T08:00:00+07:00']);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain('"type":"reminder"');
    expectLight(plan);

    // The code created above, used over `dondoc chat`: the membership is in the store.
    const { code } = JSON.parse(enrolled.stdout) as { code: string };
    const chat = dondoc(['chat', '--user', 'lan.babe'], `đăng ký ${code}\n`);
    expect(chat.status).toBe(0);
    expectLight(chat);
    const store = new Repositories(new SqliteStore(join(dataDir, 'dondoc.sqlite')));
    try {
      expect((await store.membershipsOf('console:lan.babe')).map((m) => [m.unitCode, m.role])).toEqual([['BA-BE', 'focal']]);
    } finally {
      await store.db.close();
    }
  });

  it('control: reminders run-once starts the app, and the recorder sees restify and the Teams channel', () => {
    const r = dondoc(['reminders', 'run-once', '--at', '2027-06-21T08:00:00+07:00']);
    expect(r.status).toBe(0);
    expect(r.loaded.some((m) => /\/node_modules\/restify\//.test(m))).toBe(true);
    // The channel itself; its SDK is loaded only for a Teams request or send, or by its warm-up
    // after start-up (channels/teams/index.ts), which a short pass may end before.
    expect(r.loaded.some((m) => /\/dist\/channels\/teams\/index\.js$/.test(m))).toBe(true);
    // A reminder pass exports nothing and the store is the embedded one: no export renderer, no MongoDB driver (issue 15).
    expect(r.loaded.filter((m) => /\/node_modules\/(exceljs|docx|vega|@resvg\/resvg-js|pngjs|mongodb)\//.test(m))).toEqual([]);
  });
});
