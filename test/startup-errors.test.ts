/**
 * An operator's start-up mistakes, on the compiled server (`node dist/app/main.js`, what
 * `npm start` runs): a port in use, `PORT=` (empty) or not a number, a NODE_ENV spelled
 * `Production` or `prod` (production, never silently development) or unknown, a HOST that does
 * not resolve or is not this machine's. Each stops the process with exit code 2 and ONE Vietnamese
 * line naming the setting, no stack trace, and nothing stored. Needs `npx tsc -p .`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../config/env.js';

const root = resolve(import.meta.dirname, '..');
const main = join(root, 'dist', 'app', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'dondoc-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Settings of the test runner's environment that would change what is tested. */
const CLEARED = ['PORT', 'HOST', 'NODE_ENV', 'MONGODB_URI', 'REGIME_FILE', 'ADMIN_TOKEN', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY'];

let runs = 0;
/** Starts the server with `env`; it is expected to stop by itself (a timeout kills one that does not). */
function start(env: Record<string, string>): { status: number | null; stdout: string; lines: string[]; dataDir: string } {
  expect(existsSync(main), 'run `npx tsc -p .` before this test').toBe(true);
  const dataDir = join(dir, `data-${++runs}`);
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of CLEARED) delete base[k];
  const r = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 30_000, env: { ...base, DATA_DIR: dataDir, SCHEDULER: 'off', LOG_LEVEL: 'info', ...env } });
  // Node's own deprecation notices about restify 11 (DEP0111) are not dondoc's words: left out.
  const lines = r.stderr.split('\n').filter((l) => l && !/^\(node:\d+\) \[DEP\d+\]|^\(Use `node --trace-deprecation/.test(l));
  return { status: r.status, stdout: r.stdout, lines, dataDir };
}

/** Exit 2, one line on stderr matching `line`, no stack trace, nothing said to be listening. */
function expectRefused(r: ReturnType<typeof start>, line: RegExp): void {
  expect(r.lines, r.lines.join('\n')).toHaveLength(1);
  expect(r.lines[0]).toMatch(line);
  expect(r.lines[0]).toMatch(/^dondoc: /);
  expect(r.status).toBe(2);
  expect(r.stdout).not.toContain('đang lắng nghe');
}

/** Rows in every table of the embedded store (the file exists when the refusal came after opening it). */
function storedRows(dataDir: string): number {
  const db = new Database(join(dataDir, 'dondoc.sqlite'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return tables.reduce((n, t) => n + (db.prepare(`SELECT COUNT(*) AS n FROM "${t.name}"`).get() as { n: number }).n, 0);
  } finally {
    db.close();
  }
}

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (addr && typeof addr === 'object') ok({ server, port: addr.port });
    });
  });
}

describe('the server refuses a bad start-up in one line (exit 2)', () => {
  it('a port in use names PORT and the port, and stores nothing', async () => {
    const { server, port } = await occupy();
    try {
      const r = start({ PORT: String(port), HOST: '127.0.0.1' });
      expectRefused(r, new RegExp(`^dondoc: cổng ${port} \\(PORT\\) đang có chương trình khác dùng`));
      // The store was opened before listening; nothing was written to it (no config.loaded audit row).
      expect(storedRows(r.dataDir)).toBe(0);
    } finally {
      server.close();
    }
  });

  it('`PORT=` (empty), a port that is not a number, and one out of range are errors, not a random port', () => {
    for (const bad of ['', ' ', '80x', '3978.0', '-1', '65536', '1e3']) {
      const r = start({ PORT: bad, HOST: '127.0.0.1' });
      expectRefused(r, new RegExp(`^dondoc: cấu hình không hợp lệ — PORT: cần một số nguyên từ 1 đến 65535, nhận được "${bad.replace('.', '\\.')}"$`));
      expect(existsSync(r.dataDir)).toBe(false);
    }
  });

  it('NODE_ENV=Production and NODE_ENV=prod are production: refused without Teams authentication, naming it', () => {
    for (const mode of ['Production', 'prod', 'PROD']) {
      const r = start({ NODE_ENV: mode, PORT: '3978', HOST: '127.0.0.1', ADMIN_TOKEN: 'a-long-enough-admin-token' });
      expectRefused(r, /^dondoc: cấu hình không hợp lệ — MICROSOFT_APP_ID: NODE_ENV=production không cho chạy khi tắt xác thực Teams$/);
      expect(existsSync(r.dataDir)).toBe(false);
    }
  });

  it('an unknown NODE_ENV is refused, naming it, rather than taken for development', () => {
    const r = start({ NODE_ENV: 'staging', PORT: '0', HOST: '127.0.0.1' });
    expectRefused(r, /^dondoc: cấu hình không hợp lệ — NODE_ENV: nhận được "staging": chỉ nhận production \(hoặc prod\)/);
    expect(existsSync(r.dataDir)).toBe(false);
  });

  it('a HOST that does not resolve is named, and nothing is stored', () => {
    const r = start({ HOST: 'dondoc-khong-co-may-nay.invalid', PORT: '0' });
    expectRefused(r, /^dondoc: không tìm thấy máy HOST=dondoc-khong-co-may-nay\.invalid: /);
    expect(storedRows(r.dataDir)).toBe(0);
  });

  it('a HOST that is not an address of this machine is named', () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): assigned to no machine.
    const r = start({ HOST: '192.0.2.1', PORT: '0' });
    expectRefused(r, /^dondoc: HOST=192\.0\.2\.1 không phải địa chỉ của máy này/);
    expect(storedRows(r.dataDir)).toBe(0);
  });

  it('`HOST=` (empty) is an error, not every address', () => {
    const r = start({ HOST: '', PORT: '0' });
    expectRefused(r, /^dondoc: cấu hình không hợp lệ — HOST: không được để trống/);
    expect(existsSync(r.dataDir)).toBe(false);
  });
});

describe('NODE_ENV, PORT and HOST as parsed', () => {
  const production = (NODE_ENV: string | undefined) => {
    const r = parseEnv({ NODE_ENV, MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw', ADMIN_TOKEN: 'a-long-enough-admin-token' });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.config.production;
  };

  it('production in any case, or prod; development, dev, test or unset are not production; anything else is refused', () => {
    for (const v of ['production', 'Production', 'PRODUCTION', ' prod ', 'Prod']) expect(production(v), v).toBe(true);
    for (const v of [undefined, '', 'development', 'Development', 'dev', 'test']) expect(production(v), String(v)).toBe(false);
    for (const v of ['staging', 'produciton', 'live']) {
      const r = parseEnv({ NODE_ENV: v });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.join('\n')).toContain(`NODE_ENV: nhận được "${v}"`);
    }
  });

  it('PORT: unset is 3978, digits are the port, 0 lets the system choose (refused in production)', () => {
    const port = (PORT?: string) => {
      const r = parseEnv({ PORT });
      return r.ok ? r.config.port : r.errors;
    };
    expect(port(undefined)).toBe(3978);
    expect(port('8080')).toBe(8080);
    expect(port(' 443 ')).toBe(443);
    expect(port('0')).toBe(0);
    expect(port('')).toEqual(['PORT: cần một số nguyên từ 1 đến 65535, nhận được ""']);
    const prod = parseEnv({ PORT: '0', NODE_ENV: 'prod', MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw', ADMIN_TOKEN: 'a-long-enough-admin-token' });
    expect(prod.ok ? prod.config : prod.errors).toEqual(['PORT: cần một cổng cố định (1–65535) khi NODE_ENV=production']);
  });
});
