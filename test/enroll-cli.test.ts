/**
 * `dondoc enroll` (compiled CLI) creates one-time codes checked against the regime, and a code it
 * prints enrols a person through `dondoc chat` on the same data folder — once only.
 * Needs `npx tsc -p .` (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';

const root = resolve(import.meta.dirname, '..');
let dataDir: string;

function dondoc(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'dondoc.js'), ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '', LOG_LEVEL: 'warn' },
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('dondoc enroll', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does) before this test');
    dataDir = mkdtempSync(join(tmpdir(), 'dondoc-enroll-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints a code that enrols exactly one person through the chat', async () => {
    const r = dondoc(['enroll', 'BA-BE', '--expires', '2d']);
    expect(r.code).toBe(0);
    const code = /Mã đăng ký: ([A-Z0-9]{8})/.exec(r.out)?.[1];
    expect(code).toBeDefined();
    expect(r.out).toMatch(/Đơn vị: Ủy ban nhân dân huyện Ba Bể \(BA-BE\) · vai trò: đầu mối báo cáo/);
    expect(r.out).toContain(`đăng ký ${code}`);

    const a = dondoc(['chat', '--user', 'a'], `đăng ký ${code}\ntrạng thái\n`);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/Đăng ký thành công: bạn là đầu mối báo cáo của Ủy ban nhân dân huyện Ba Bể\./);
    expect(a.out).toMatch(/Tình hình báo cáo của bạn/);
    const b = dondoc(['chat', '--user', 'b'], `dang ky ${code?.toLowerCase()}\n`);
    expect(b.out).toMatch(/Mã đăng ký này đã được sử dụng/);
    expect(b.out).not.toMatch(/Ba Bể/);

    const store = new Repositories(new SqliteStore(join(dataDir, 'dondoc.sqlite')));
    expect((await store.membershipsOf('console:a')).map((m) => [m.unitCode, m.role])).toEqual([['BA-BE', 'focal']]);
    expect(await store.membershipsOf('console:b')).toEqual([]);
    const audit = await store.audit.find({}, { sort: [['at', 1]] });
    expect(audit.map((x) => x.action)).toEqual(['enrolment.code_created', 'enrolment.redeemed', 'enrolment.refused']);
    // The code itself is never stored, only its hash.
    expect(JSON.stringify(await store.enrolmentCodes.find())).not.toContain(code);
    await store.db.close();
  });

  it('prints JSON for scripts, and a coordinator code only for the coordinating unit', () => {
    const j = dondoc(['enroll', 'LDTBXH', '--role', 'coordinator', '--json']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.out)).toMatchObject({ unitCode: 'LDTBXH', role: 'coordinator', code: expect.stringMatching(/^[A-Z2-9]{8}$/) });
    const wrong = dondoc(['enroll', 'BHXH', '--role', 'coordinator']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/Vai trò điều phối chỉ cấp cho đơn vị điều phối LDTBXH/);
  });

  it('refuses unknown units, group units, bad roles and bad durations', () => {
    const unknown = dondoc(['enroll', 'NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/Không có đơn vị "NOPE"/);
    const group = dondoc(['enroll', 'UBND-HUYEN']);
    expect(group.code).toBe(1);
    expect(group.err).toMatch(/không trực tiếp báo cáo/);
    expect(dondoc(['enroll', 'BA-BE', '--role', 'boss']).code).toBe(2);
    const dur = dondoc(['enroll', 'BA-BE', '--expires', '3y']);
    expect(dur.code).toBe(2);
    expect(dur.err).toMatch(/--expires: dạng số \+ đơn vị/);
    expect(dondoc(['enroll', 'BA-BE', '--expires', '100d']).err).toMatch(/từ 1 phút đến 90 ngày/);
  });
});
