import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../config/env.js';
import { ManualClock } from '../lib/clock.js';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { deadlineWords, makePeriod, openPeriodsForUnit, periodsOfYear } from '../regime/periods.js';
import { buildForm, findUnit, loadRegimeFile, parseRegime } from '../regime/regime.js';
import { startTestApp } from './helpers/app.js';

const root = resolve(import.meta.dirname, '..');
const cli = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [join(root, 'bin', 'dondoc.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

const regime = (() => {
  const r = loadRegimeFile(DEFAULT_REGIME_FILE);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.regime;
})();

describe('periods and deadlines', () => {
  it('puts "trước ngày 05 tháng 7" at the start of 5 July in Asia/Ho_Chi_Minh', () => {
    const p = makePeriod(regime, '2027-H1');
    expect(p?.deadline.toISO()).toBe('2027-07-05T00:00:00.000+07:00');
    expect(p?.dataFrom.toISO()).toBe('2026-12-15T00:00:00.000+07:00');
    expect(p?.dataTo.toISODate()).toBe('2027-06-14');
    expect(deadlineWords(p!)).toBe('trước 00:00 ngày 05/7/2027');
    expect(makePeriod(regime, '2027-Y')?.deadline.toISO()).toBe('2027-12-20T00:00:00.000+07:00');
  });

  it('lists H1, Y and twelve monthly periods for a year; rejects malformed ids', () => {
    const ps = periodsOfYear(regime, 2027);
    expect(ps.map((p) => p.id).filter((id) => /-\d\d$/.test(id))).toHaveLength(12);
    expect(ps.some((p) => p.id === '2027-H1') && ps.some((p) => p.id === '2027-Y')).toBe(true);
    expect(makePeriod(regime, '2027-13')).toBeUndefined();
    expect(makePeriod(regime, '27-H1')).toBeUndefined();
    const jan = makePeriod(regime, '2027-01');
    expect(jan?.dataFrom.toISODate()).toBe('2026-12-15');
    expect(jan?.dataTo.toISODate()).toBe('2027-01-14');
  });

  it('open periods depend on the unit kind: districts also file monthly', () => {
    const now = new Date('2027-06-20T03:00:00Z');
    const dept = openPeriodsForUnit(regime, findUnit(regime, 'BHXH')!, now).map((p) => p.id);
    const district = openPeriodsForUnit(regime, findUnit(regime, 'BA-BE')!, now).map((p) => p.id);
    expect(dept).toContain('2027-H1');
    expect(dept.some((id) => /-\d\d$/.test(id))).toBe(false);
    expect(district).toContain('2027-06');
    expect(district).toContain('2027-H1');
  });

  it('builds a unit form from its duties plus the template questions; districts inherit group m', () => {
    const f = buildForm(regime, 'BA-BE', 'M');
    expect(f?.sections.map((s) => s.id)).toEqual(['d3', 'd6']);
    expect(f?.sections[0].questions[0].key).toBe('d3/status');
    expect(buildForm(regime, 'BHXH', 'M')).toBeUndefined();
    expect(buildForm(regime, 'BHXH', 'H1')?.version).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('regime validation', () => {
  it('lists every error of a broken regime by path and loads nothing', () => {
    const data = JSON.parse(readFileSync(DEFAULT_REGIME_FILE, 'utf8'));
    data.units[3].duties[0].questions[0].type = 'number';
    data.units[1].duties[0].questions.push({ name: 'x', type: 'integer', label: 'X', relevant: { question: 'nope', op: 'answered' } });
    data.indicators[0].denominator[0].question = 'missing_q';
    const r = parseRegime(data);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.some((e) => e.startsWith('units[3].duties[0].questions[0].type'))).toBe(true);
    // cross references are checked only once the shape is valid: fix the type and look again
    data.units[3].duties[0].questions[0].type = 'integer';
    const r2 = parseRegime(data);
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^units\[1\]\.duties\[0\]\.questions\[\d+\]\.relevant: tham chiếu câu "nope" không có trong mục BHXH\/d1$/),
        expect.stringMatching(/^indicators\[0\]\.denominator\[0\]\.question/),
      ]),
    );
  });

  it('`dondoc regime check` passes the default regime and lists errors of a broken copy', () => {
    const ok = cli(['regime', 'check']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/hợp lệ — qd-1736-2018-backan v1: 20 đơn vị/);
    const dir = mkdtempSync(join(tmpdir(), 'regime-'));
    const data = JSON.parse(readFileSync(DEFAULT_REGIME_FILE, 'utf8'));
    data.units[3].duties[1] = { ...data.units[3].duties[1], questions: [{ name: 'q', type: 'bogus', label: 'Q' }] };
    data.reportKinds[0].deadline = { month: 13, day: 5 };
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(data));
    const bad = cli(['regime', 'check', join(dir, 'broken.json')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('units[3].duties[1].questions[0].type');
    expect(bad.stderr).toContain('reportKinds[0].deadline');
    writeFileSync(join(dir, 'broken.yaml'), 'id: [unclosed');
    const yaml = cli(['regime', 'check', join(dir, 'broken.yaml')]);
    expect(yaml.status).toBe(1);
    expect(yaml.stderr).toMatch(/không đúng cú pháp/);
  });

  it('refuses a regime where a question an II.2 indicator reads may be left out: `regime check` exit 1 naming the path; the server does not start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regime-'));
    const data = JSON.parse(readFileSync(DEFAULT_REGIME_FILE, 'utf8'));
    const path = (unit: string, duty: string, question: string) => {
      const u = data.units.findIndex((x: any) => x.code === unit);
      const d = data.units[u].duties.findIndex((x: any) => x.id === duty);
      const q = data.units[u].duties[d].questions.findIndex((x: any) => x.name === question);
      return { at: `units[${u}].duties[${d}].questions[${q}]`, q: data.units[u].duties[d].questions[q] };
    };
    // The labour-force denominator of three rates made optional again, as it was.
    const lf = path('CTK', 'd1', 'labour_force_working_age');
    lf.q.required = false;
    // A district figure asked only under a condition: a unit could skip it just the same.
    const vsi = path('UBND-HUYEN', 'd3', 'vsi_participants_district');
    vsi.q.relevant = { question: 'status', op: 'neq', value: 'chua_trien_khai' };
    const file = join(dir, 'optional-denominator.json');
    writeFileSync(file, JSON.stringify(data));

    const bad = cli(['regime', 'check', file]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      `${lf.at}.required: câu hỏi "labour_force_working_age" dùng để tính chỉ tiêu (indicators[0].denominator[0], indicators[1].denominator[0], indicators[2].denominator[0]) nên phải bắt buộc ("required": true)`,
    );
    expect(bad.stderr).toContain(`${vsi.at}.relevant: câu hỏi "vsi_participants_district" dùng để tính chỉ tiêu (indicators[1].districtBreakdown.numerator[0])`);
    expect(bad.stderr).toMatch(/không hợp lệ, 2 lỗi/);

    const server = spawnSync(process.execPath, [join(root, 'dist', 'app', 'main.js')], {
      encoding: 'utf8',
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SCHEDULER: 'off', REGIME_FILE: file, MONGODB_URI: '' },
      timeout: 20_000,
    });
    expect(server.status).not.toBe(0);
    expect(server.status).not.toBeNull();
    expect(server.stderr).toContain(`${lf.at}.required`);
    expect(server.stdout).not.toMatch(/đang lắng nghe/);
  });

  it('`dondoc periods --year 2027` prints one JSON object per period with +07:00 instants', () => {
    const r = cli(['periods', '--year', '2027']);
    expect(r.status).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(14);
    expect(rows.find((x) => x.id === '2027-H1')).toEqual({
      id: '2027-H1',
      kind: 'H1',
      dataFrom: '2026-12-15T00:00:00+07:00',
      dataTo: '2027-06-14T23:59:59+07:00',
      deadline: '2027-07-05T00:00:00+07:00',
    });
    expect(rows.find((x) => x.id === '2027-Y').deadline).toBe('2027-12-20T00:00:00+07:00');
    expect(cli(['periods', '--year', 'abc']).status).toBe(2);
  });
});

describe('configuration', () => {
  it('names every bad variable', () => {
    const r = parseEnv({ PORT: 'x', MONGODB_URI: 'http://nope', MICROSOFT_APP_ID: 'id', ZALO_APP_ID: '1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.join('\n');
    for (const v of ['PORT', 'MONGODB_URI']) expect(text).toContain(v);
  });

  it('reports inconsistent settings', () => {
    const r = parseEnv({ MICROSOFT_APP_ID: 'id', ZALO_APP_ID: '1', NODE_ENV: 'production' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.join('\n');
    for (const v of ['MICROSOFT_APP_PASSWORD', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY', 'ADMIN_TOKEN']) expect(text).toContain(v);
  });

  it('the server refuses to start on a bad variable, naming it, without a stack trace', () => {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'app', 'main.js')], {
      encoding: 'utf8',
      env: { ...process.env, PORT: '99999', MONGODB_URI: 'nope' },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('MONGODB_URI');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the server', () => {
  it('answers /healthz with status, store and version', async () => {
    // A moment where the default regime's holidays cover the next 12 months of deadlines (a
    // shorter calendar makes it "degraded": test/regime-calendar.test.ts).
    const app = await startTestApp({}, { clock: new ManualClock(Date.parse('2026-11-30T09:00:00+07:00')) });
    try {
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ status: 'ok', store: { kind: 'embedded', ok: true }, version: expect.any(String) });
      await app.ctx.store.db.close();
      const down = await fetch(`${app.url}/healthz`);
      expect(down.status).toBe(503);
    } finally {
      await app.close().catch(() => undefined);
    }
  });

  it('`npm start` style: the built server logs where it listens and serves /healthz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dondoc-main-'));
    const child = spawn(process.execPath, [join(root, 'dist', 'app', 'main.js')], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SCHEDULER: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          if (out.includes('đang lắng nghe')) ok(out);
        });
        child.once('exit', (c) => fail(new Error(`exited ${c}: ${out}`)));
      });
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
      expect(line).toMatch(/kho: embedded SQLite/);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
