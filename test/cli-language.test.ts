/**
 * One language at the command line: everything an operator reads from the compiled `dondoc`
 * (bin/dondoc.js) and `npm run manifest` (dist/manifest/build.js) is Vietnamese, including the
 * argument parser's own errors and help (commander: cli/commander-vi.ts) and the validator's own
 * messages (zod: config/zod-vi.ts) — for a missing required option or argument, an unknown option
 * or command, too many arguments, an option without its value, values zod refuses, and `--help`.
 * Needs `npx tsc -p .`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'dondoc-cli-language-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** commander's and zod's English (v14, v4), and words of their help. */
const ENGLISH =
  /\berror:|Usage:|Options:|Commands:|Arguments:|\[options\]|\[command\]|display help|\(default:|required option|unknown option|unknown command|missing required|too many arguments|argument missing|not specified|Did you mean|Invalid input|Invalid option|Too big|Too small|expected|received|Required\b/;

function run(script: string, args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string; text: string } {
  expect(existsSync(script), 'run `npx tsc -p .` before this test').toBe(true);
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn', SCHEDULER: 'off', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, text: r.stdout + r.stderr };
}
const dondoc = (args: string[], env?: Record<string, string>) => run(join(root, 'bin', 'dondoc.js'), args, env);

/** Exit 2; the first line on stderr is `line`; then the command's help, in Vietnamese; no English anywhere. */
function expectArgumentError(r: ReturnType<typeof dondoc>, line: string): void {
  expect(r.status, r.text).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe(line);
  expect(r.stderr).toContain('Cách dùng: dondoc');
  expect(r.text).not.toMatch(ENGLISH);
}

describe("commander's own messages are in Vietnamese", () => {
  it('a missing required option', () => {
    expectArgumentError(dondoc(['periods']), 'dondoc periods: thiếu tùy chọn bắt buộc --year <YYYY>');
    expectArgumentError(dondoc(['export', '2027-H1']), 'dondoc export: thiếu tùy chọn bắt buộc --format <format>');
  });

  it('an unknown option, with the options the command takes', () => {
    expectArgumentError(dondoc(['periods', '--year', '2027', '--yeer']), 'dondoc periods: không có tùy chọn --yeer; lệnh này nhận: --year, --help');
    expectArgumentError(dondoc(['-x']), 'dondoc: không có tùy chọn -x; lệnh này nhận: --help');
  });

  it('a missing argument, too many arguments, an option without its value, an unknown command', () => {
    expectArgumentError(dondoc(['enroll']), 'dondoc enroll: thiếu tham số bắt buộc UNIT_CODE');
    expectArgumentError(dondoc(['enroll', 'BA-BE', 'BHXH']), 'dondoc enroll: thừa tham số: lệnh nhận tối đa 1, nhận được 2');
    expectArgumentError(dondoc(['periods', '--year', '2027', 'thừa']), 'dondoc periods: thừa tham số: lệnh không nhận tham số nào, nhận được 1');
    expectArgumentError(dondoc(['reminders', 'plan', '--at']), 'dondoc reminders plan: tùy chọn --at <ISO_INSTANT> cần một giá trị');
    expectArgumentError(dondoc(['stauts']), 'dondoc: không có lệnh "stauts"; các lệnh: regime, periods, enroll, chat, reminders, status, export');
  });

  it('--help and help COMMAND: Vietnamese headings, usage, defaults and help entries (exit 0)', () => {
    const top = dondoc(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/^Cách dùng: dondoc \[tùy chọn\] \[lệnh\]\n/);
    for (const w of ['\nTùy chọn:\n', '\nLệnh:\n', '-h, --help', 'xem hướng dẫn của lệnh', 'help [lệnh]', 'xem hướng dẫn của một lệnh', 'enroll [tùy chọn] <UNIT_CODE>'])
      expect(top.stdout).toContain(w);
    const enroll = dondoc(['enroll', '--help']);
    expect(enroll.status).toBe(0);
    for (const w of ['Cách dùng: dondoc enroll [tùy chọn] <UNIT_CODE>', '\nTham số:\n', '(mặc định: focal)', '(mặc định: 7d)']) expect(enroll.stdout).toContain(w);
    const sub = dondoc(['help', 'reminders']);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toContain('Cách dùng: dondoc reminders [tùy chọn] [lệnh]');
    for (const r of [top, enroll, sub]) expect(r.text).not.toMatch(ENGLISH);
  });

  it('npm run manifest speaks the same language', () => {
    const script = join(root, 'dist', 'manifest', 'build.js');
    const bad = run(script, ['--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('manifest: không có tùy chọn --bogus; lệnh này nhận: --bot-id, --app-id, --out, --dev, --help');
    const help = run(script, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Cách dùng: manifest [tùy chọn]');
    for (const r of [bad, help]) expect(r.text).not.toMatch(ENGLISH);
  });
});

describe("zod's own messages are in Vietnamese", () => {
  it('an option value past a limit the schema states without words of its own', () => {
    const r = dondoc(['chat', '--user', 'x'.repeat(129)], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('--user: tối đa 128 ký tự\n');
  });

  it('settings: a value not among those accepted, an empty folder name', () => {
    const level = dondoc(['status', '2027-H1'], { LOG_LEVEL: 'verbose' });
    expect(level.status).toBe(2);
    expect(level.stderr).toBe('dondoc: cấu hình không hợp lệ — LOG_LEVEL: chỉ nhận một trong: fatal, error, warn, info, debug, trace, silent\n');
    const data = dondoc(['status', '2027-H1'], { DATA_DIR: ' ' });
    expect(data.status).toBe(2);
    expect(data.stderr).toBe('dondoc: cấu hình không hợp lệ — DATA_DIR: không được để trống\n');
  });

  it('a regime file with values of the wrong type, and a missing one', () => {
    const regime = JSON.parse(readFileSync(DEFAULT_REGIME_FILE, 'utf8'));
    regime.timezone = 7;
    regime.version = ['1'];
    delete regime.units[0].code;
    const file = join(dir, 'sai-kieu.json');
    writeFileSync(file, JSON.stringify(regime));
    const r = dondoc(['regime', 'check', file]);
    expect(r.status).toBe(1);
    for (const line of ['version: cần chuỗi ký tự, nhận được danh sách', 'timezone: cần chuỗi ký tự, nhận được số', 'units[0].code: bắt buộc (cần chuỗi ký tự)'])
      expect(r.stderr).toContain(`  ${line}\n`);
    expect(r.text).not.toMatch(ENGLISH);
  });
});
