/**
 * The regime cannot be impossible, and its calendar is watched. A time zone that is not an IANA
 * zone, a deadline of 30 February, a holiday 2027-02-30, 29 February without saying what other
 * years do, a data window that ends before it starts: `dondoc regime check` names each by its path
 * (exit 1), `dondoc periods` refuses, and the compiled server refuses to start (exit 2, no stack).
 * The default regime's holidays end in 2027: from a moment where the next 12 months of deadlines
 * reach 2028, `regime check` warns, /healthz is "degraded" with the reason (still 200), and the
 * coordinators are told once by the scheduler through the outbox. CLI parts need `npx tsc -p .`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler, type RunningScheduler } from '../jobs/scheduler.js';
import { ManualClock } from '../lib/clock.js';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { startTestApp } from './helpers/app.js';
import { startWorld, type World } from './helpers/reminder-world.js';

const root = resolve(import.meta.dirname, '..');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', MONGODB_URI: '', ...env } });
const dondoc = (args: string[], env: Record<string, string> = {}) => run([join(root, 'bin', 'dondoc.js'), ...args], env);
const defaultData = () => JSON.parse(readFileSync(DEFAULT_REGIME_FILE, 'utf8'));

let dir: string;
const write = (name: string, data: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(data));
  return f;
};

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'app', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does) before this test');
  dir = mkdtempSync(join(tmpdir(), 'dondoc-regime-cal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The default regime with the four impossibilities of the issue. */
function impossible(): string {
  const data = defaultData();
  data.timezone = 'Mars/Olympus';
  data.reportKinds[0].deadline = { month: 2, day: 30 };
  data.reportKinds[1].dataCutoff.from = { month: 2, day: 29, yearOffset: -1 };
  data.holidays.push('2027-02-30');
  return write('impossible.json', data);
}

describe('an impossible regime is refused everywhere', () => {
  it('`regime check` names every impossible day and zone by its path; `periods` refuses instead of crashing', () => {
    const file = impossible();
    const r = dondoc(['regime', 'check', file]);
    expect(r.status).toBe(1);
    const holidayIndex = defaultData().holidays.length;
    for (const line of [
      'timezone: "Mars/Olympus" không phải múi giờ IANA',
      'reportKinds[0].deadline.day: tháng 2 không có ngày 30',
      'reportKinds[1].dataCutoff.from: ngày 29 tháng 2 chỉ có trong năm nhuận',
      `holidays[${holidayIndex}]: "2027-02-30" không phải ngày có thật`,
    ])
      expect(r.stderr).toContain(line);
    expect(r.stderr).toContain('không hợp lệ, 4 lỗi');

    const periods = dondoc(['periods', '--year', '2027'], { REGIME_FILE: file });
    expect(periods.status).toBe(1);
    expect(periods.stdout).toBe('');
    expect(periods.stderr).toContain('timezone: "Mars/Olympus"');
    expect(periods.stderr).not.toMatch(/\n\s+at /);
  });

  it('29 February is accepted when the regime says what other years use, and `periods` follows it', () => {
    const data = defaultData();
    data.reportKinds[0].deadline = { month: 2, day: 29, nonLeapYears: 'mar1' };
    data.reportKinds[0].dataCutoff = { from: { month: 12, day: 15, yearOffset: -1 }, to: { month: 1, day: 31 } };
    const file = write('leap.json', data);
    expect(dondoc(['regime', 'check', file, '--at', '2026-11-30T09:00:00+07:00']).status).toBe(0);
    const deadline = (year: number) => {
      const r = dondoc(['periods', '--year', String(year)], { REGIME_FILE: file });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((p) => p.id === `${year}-H1`).deadline;
    };
    expect(deadline(2027)).toBe('2027-03-01T00:00:00+07:00');
    expect(deadline(2028)).toBe('2028-02-29T00:00:00+07:00');

    data.reportKinds[0].deadline = { month: 7, day: 5, nonLeapYears: 'feb28' };
    const misplaced = dondoc(['regime', 'check', write('misplaced.json', data)]);
    expect(misplaced.status).toBe(1);
    expect(misplaced.stderr).toContain('reportKinds[0].deadline.nonLeapYears: chỉ dùng cho ngày 29 tháng 2');
  });

  it('a data window that ends before it starts, and a monthly day past the 28th, are refused by path', () => {
    const data = defaultData();
    data.reportKinds[0].dataCutoff.from = { month: 7, day: 1 };
    const r = dondoc(['regime', 'check', write('window.json', data)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('reportKinds[0].dataCutoff: ngày đầu kỳ số liệu (01/7/2027) sau ngày cuối kỳ (14/6/2027)');
    const monthly = defaultData();
    monthly.reportKinds[2].deadline = { monthOffset: 0, day: 30 };
    const m = dondoc(['regime', 'check', write('monthly.json', monthly)]);
    expect(m.status).toBe(1);
    expect(m.stderr).toContain('reportKinds[2].deadline.day: ngày trong tháng tối đa là 28');
  });

  it('the compiled server refuses to start with it: exit 2, each error named, no stack, nothing stored', () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const r = run([join(root, 'dist', 'app', 'main.js')], { REGIME_FILE: impossible(), PORT: '0', HOST: '127.0.0.1', DATA_DIR: data, SCHEDULER: 'off' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Tệp chế độ báo cáo không hợp lệ');
    expect(r.stderr).toContain('timezone: "Mars/Olympus"');
    expect(r.stderr).toContain('reportKinds[0].deadline.day');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toContain('đang lắng nghe');
    expect(existsSync(join(data, 'dondoc.sqlite'))).toBe(false);
  });
});

describe('a calendar shorter than the next 12 months of deadlines', () => {
  let w: World | undefined;
  let s: RunningScheduler | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
    await w?.close();
    w = undefined;
  });

  it('`regime check` warns (exit 0) when the deadlines reach a year without holidays, and not before', () => {
    const short = dondoc(['regime', 'check', '--at', '2027-06-21T08:00:00+07:00']);
    expect(short.status).toBe(0);
    expect(short.stdout).toContain('hợp lệ');
    expect(short.stderr).toContain('cảnh báo: Danh sách ngày nghỉ lễ (holidays) của chế độ báo cáo chỉ có đến năm 2027, chưa có năm 2028');
    expect(short.stderr).toContain('có hạn nộp đến ngày 20/6/2028');
    const enough = dondoc(['regime', 'check', '--at', '2026-11-30T09:00:00+07:00']);
    expect(enough.status).toBe(0);
    expect(enough.stderr).not.toContain('cảnh báo');
    expect(dondoc(['regime', 'check', '--at', '2027-06-21']).status).toBe(2);
  });

  it('/healthz is degraded with the reason (HTTP 200); ok once the clock is where the calendar suffices', async () => {
    const clock = new ManualClock(Date.parse('2027-06-21T08:00:00+07:00'));
    const app = await startTestApp({}, { clock });
    try {
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ status: 'degraded', store: { ok: true }, checks: { calendar: { ok: false } } });
      expect(body.checks.calendar.detail).toContain('chưa có năm 2028');
      clock.set('2026-11-30T09:00:00+07:00');
      expect(await (await fetch(`${app.url}/healthz`)).json()).toMatchObject({ status: 'ok', checks: { calendar: { ok: true } } });
    } finally {
      await app.close();
    }
  });

  it('the scheduler tells the coordinators once, through the outbox, naming the missing year', async () => {
    w = await startWorld({ now: '2027-06-21T09:00:00+07:00' });
    const coord = await w.enrolTeams('LDTBXH', 'coordinator', 'Điều phối viên');
    w.reset();
    // Ticks only when the test asks: what each minute does.
    s = startScheduler(w.app.ctx, { passCron: '0 0 1 1 *', drainCron: '0 0 1 1 *', worker: { rates: { teams: { perSecond: 1000, burst: 1000 } } } });
    const first = await s.tick();
    expect(first.calendarNotices).toBe(1);
    const alerts = () => w!.teamsTexts(coord).filter((t) => t.startsWith('Cảnh báo về lịch nhắc việc'));
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]).toContain('chưa có năm 2028');
    const rows = await w.app.ctx.store.outbox.find({ key: 'alert|calendar|2028' });
    expect(rows).toMatchObject([{ recipient: `teams:${coord.userId}`, purpose: 'alert', status: 'sent' }]);
    expect(await w.app.ctx.store.audit.find({ action: 'calendar.short' })).toMatchObject([{ details: { missingYears: [2028], coordinators: 1 } }]);

    // Later ticks, and another instance's scheduler on the same store, say nothing more.
    w.clock.advance(86_400_000);
    expect((await s.tick()).calendarNotices).toBe(0);
    const other = startScheduler(w.app.ctx, { passCron: '0 0 1 1 *', drainCron: '0 0 1 1 *', id: 'other' });
    try {
      expect((await other.tick()).calendarNotices).toBe(0);
    } finally {
      await other.stop();
    }
    expect(alerts()).toHaveLength(1);
    expect(await w.app.ctx.store.outbox.count({ key: 'alert|calendar|2028' })).toBe(1);
  });

  it('no notice while the calendar covers the next 12 months', async () => {
    w = await startWorld({ now: '2026-11-30T09:00:00+07:00' });
    await w.enrolTeams('LDTBXH', 'coordinator');
    s = startScheduler(w.app.ctx, { passCron: '0 0 1 1 *', drainCron: '0 0 1 1 *' });
    expect((await s.tick()).calendarNotices).toBe(0);
    expect(await w.app.ctx.store.outbox.count({ purpose: 'alert' })).toBe(0);
  });
});
