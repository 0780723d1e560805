/**
 * The embedded store's integrity check at start-up: the compiled server (`node dist/app/main.js`)
 * on a copy of a real store file with garbage written over pages in its middle stops with one
 * clear Vietnamese line and exit code 2, and leaves the file byte for byte as it was; the same
 * file undamaged starts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';

const root = resolve(import.meta.dirname, '..');
const main = join(root, 'dist', 'app', 'main.js');
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('embedded store integrity at start-up', () => {
  let base: string;
  let good: string;
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'dondoc-integrity-'));
    good = join(base, 'good');
    // A real store with enough rows to span many pages (audit rows, as a season of use leaves).
    const repos = new Repositories(new SqliteStore(join(good, 'dondoc.sqlite')));
    await repos.init();
    for (let i = 0; i < 400; i++)
      await repos.writeAudit({ at: 1_800_000_000_000 + i, actor: `zalo:${i}`, channel: 'zalo', action: 'enrolment.refused', details: { reason: 'invalid', pad: 'x'.repeat(1500) } });
    await repos.db.close();
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  /** A copy of the store's folder with `pages` pages in the middle of the file overwritten with garbage. */
  const damagedCopy = (pages: number): string => {
    const dir = join(base, `bad-${pages}`);
    const file = join(dir, 'dondoc.sqlite');
    spawnSync('mkdir', ['-p', dir]);
    copyFileSync(join(good, 'dondoc.sqlite'), file);
    const pageSize = 4096;
    const count = statSync(file).size / pageSize;
    expect(count).toBeGreaterThan(20);
    const fd = openSync(file, 'r+');
    const first = Math.floor(count / 2);
    for (let p = first; p < first + pages; p++) writeSync(fd, randomBytes(pageSize), 0, pageSize, p * pageSize);
    closeSync(fd);
    return dir;
  };

  const start = (dataDir: string) =>
    spawnSync(process.execPath, [main], { encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', SCHEDULER: 'off', LOG_LEVEL: 'silent' }, timeout: 30_000 });

  it('a malformed file stops the server with one Vietnamese line, exit 2, and the file untouched', () => {
    const dir = damagedCopy(3);
    const file = join(dir, 'dondoc.sqlite');
    const before = sha(file);
    const r = start(dir);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^dondoc: Tệp dữ liệu ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} bị hỏng \\(kiểm tra toàn vẹn: .+\\); máy chủ không khởi động và không ghi gì vào tệp\\. Hãy khôi phục tệp từ bản sao lưu\\.$`,
      ),
    );
    expect(lines[0]).toBe(`dondoc: ${vi.store.corrupt(file, lines[0].slice(lines[0].indexOf('toàn vẹn: ') + 10, lines[0].indexOf('); máy chủ')))}`);
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0).toBe(false);
  });

  it('the CLI refuses the damaged file the same way (dondoc status), and leaves it untouched', () => {
    const dir = damagedCopy(2);
    const file = join(dir, 'dondoc.sqlite');
    const before = sha(file);
    const r = spawnSync(process.execPath, [join(root, 'bin', 'dondoc.js'), 'status', '2027-H1'], { encoding: 'utf8', env: { ...process.env, DATA_DIR: dir }, timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^dondoc: Tệp dữ liệu .* bị hỏng/)]);
    expect(sha(file)).toBe(before);
  });

  it('garbage over the first page (not a database at all) is refused the same way', () => {
    const dir = join(base, 'notadb');
    spawnSync('mkdir', ['-p', dir]);
    const file = join(dir, 'dondoc.sqlite');
    copyFileSync(join(good, 'dondoc.sqlite'), file);
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(4096), 0, 4096, 0);
    closeSync(fd);
    const before = sha(file);
    const r = start(dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bị hỏng');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(sha(file)).toBe(before);
  });

  it('the undamaged file passes the check and the server starts on it', async () => {
    const child = spawn(process.execPath, [main], { env: { ...process.env, DATA_DIR: good, PORT: '0', HOST: '127.0.0.1', SCHEDULER: 'off', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((ok) => child.once('exit', (c) => ok(c)));
    const listening = await new Promise<boolean>((ok) => {
      child.stdout.on('data', (d) => {
        out += String(d);
        if (out.includes('đang lắng nghe')) ok(true);
      });
      void exited.then(() => ok(false));
    });
    expect(listening, out).toBe(true);
    child.kill('SIGTERM');
    await exited;
  });
});
