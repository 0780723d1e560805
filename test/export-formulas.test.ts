/**
 * Exports cannot carry formulas. A district's focal point answers text questions of the monthly
 * report with formula payloads (`=HYPERLINK(…)`, a DDE command, `@SUM(1)`, `-2+3`) through the
 * report dialog; the coordinator exports the period as CSV and XLSX from chat, from the command
 * line (the compiled CLI, spawned) and from the admin HTTP API. Every file is read back (a CSV
 * reader, exceljs): each payload arrives as inert text with a leading apostrophe, the store keeps
 * exactly what was typed, and numbers stay numbers. Needs `npx tsc -p .` for the CLI part.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.js';
import { vi } from '../i18n/vi.js';
import { inertText } from '../reporting/export-cells.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startTestBot, type Person, type TestBot } from './helpers/bot.js';
import { parseCsv, readXlsx } from './helpers/office.js';
import { walkReport } from './helpers/walk.js';

const root = resolve(import.meta.dirname, '..');
const TOKEN = 'admin-token-for-tests-0123456789';
const NOW = '2027-06-16T09:00:00+07:00';
const PERIOD = '2027-06';
const UNIT = 'BA-BE';
const PAYLOADS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3'];
const FOCAL_NAME = '+Hoàng Thị Lan';

describe('exports cannot carry formulas', () => {
  let app: TestApp;
  let t: TestBot;
  let coordinator: Person;
  /** Question key → the payload typed for it. */
  const typed = new Map<string, string>();
  let numericKeys: string[] = [];

  beforeAll(async () => {
    const clock = new ManualClock(new Date(NOW).getTime());
    app = await startTestApp({ ADMIN_TOKEN: TOKEN }, { clock });
    // The bot core on the app's own store, as `dondoc chat` runs it (console channel).
    t = await startTestBot({ now: NOW, store: { repos: app.ctx.store, dir: app.dataDir, dispose: async () => {} } });
    const focal = t.person('lan.babe', { name: FOCAL_NAME });
    expect(await focal.enrol(UNIT)).toContain('Đăng ký thành công');
    coordinator = t.person('dieu.phoi');
    expect(await coordinator.enrol('LDTBXH', 'coordinator')).toContain('Đăng ký thành công');

    const form = buildForm(app.ctx.regime, UNIT, 'M') as FormDefinition;
    const texts = form.sections.flatMap((s) => s.questions.filter((q) => q.type === 'text'));
    const w = await walkReport(focal, app.ctx.regime, UNIT, 'M', await focal.say(`báo cáo ${UNIT} ${PERIOD}`), (q) => {
      const i = texts.findIndex((x) => x.key === q.key);
      if (i < 0 || i >= PAYLOADS.length) return undefined;
      typed.set(q.key, PAYLOADS[i]);
      return { input: PAYLOADS[i], value: PAYLOADS[i] };
    });
    expect(w.last[0].text).toMatch(/nộp/);
    expect(await focal.ask('có')).toMatch(/✓ Đã nộp/);
    expect([...typed.values()].sort()).toEqual([...PAYLOADS].sort());
    // The store keeps exactly what was typed.
    const s = await app.ctx.store.latestSubmission(UNIT, PERIOD);
    for (const [key, payload] of typed) expect(s?.answers[key]).toBe(payload);
    numericKeys = Object.entries(s!.answers)
      .filter(([, v]) => typeof v === 'number')
      .map(([k]) => k);
    expect(numericKeys.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await app?.close();
  });

  function checkCsv(buf: Buffer, how: string): void {
    const rows = parseCsv(buf.toString('utf8').replace(/^\uFEFF/, ''));
    expect(rows[0], how).toEqual([...vi.document.csvHeaders]);
    const col = (name: string) => vi.document.csvHeaders.indexOf(name as never);
    const mine = rows.slice(1).filter((r) => r[col('Mã đơn vị')] === UNIT);
    for (const [key, payload] of typed) {
      const row = mine.find((r) => r[col('Mã câu hỏi')] === key)!;
      expect(row[col('Giá trị')], `${how} ${key}`).toBe(`'${payload}`);
      expect(row[col('Nhãn lựa chọn')], `${how} ${key}`).toBe('');
    }
    for (const key of numericKeys) {
      const row = mine.find((r) => r[col('Mã câu hỏi')] === key)!;
      expect(row[col('Giá trị')], `${how} ${key}`).toMatch(/^-?\d+(\.\d+)?$/);
    }
    // No cell of the file can start a formula.
    for (const r of rows) for (const f of r) expect(f, how).not.toMatch(/^[=+@\t\r]|^-(?!\d[\d.,]*%?$)/);
  }

  async function checkXlsx(buf: Buffer, how: string): Promise<void> {
    const wb = await readXlsx(buf);
    const an = wb.getWorksheet(vi.document.sheetAnswers)!;
    const byKey = new Map<string, unknown>();
    an.eachRow((row) => {
      if (row.getCell(1).value === UNIT) byKey.set(String(row.getCell(6).value), row.getCell(8).value);
    });
    for (const [key, payload] of typed) expect(byKey.get(key), `${how} ${key}`).toBe(`'${payload}`);
    const s = await app.ctx.store.latestSubmission(UNIT, PERIOD);
    for (const key of numericKeys) expect(byKey.get(key), `${how} ${key}`).toBe(s!.answers[key]);
    // The focal point's display name (on the status sheet) is text a person chose, too.
    const st = wb.getWorksheet(vi.document.sheetStatus)!;
    const focalCells: unknown[] = [];
    st.eachRow((row) => {
      if (row.getCell(2).value === UNIT) focalCells.push(row.getCell(11).value);
    });
    expect(focalCells, how).toEqual([`'${FOCAL_NAME}`]);
    for (const ws of wb.worksheets)
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          expect(typeof cell.value === 'object' && cell.value !== null && 'formula' in cell.value, `${how} ${ws.name}!${cell.address}`).toBe(false);
          if (typeof cell.value === 'string') expect(cell.value, `${how} ${ws.name}!${cell.address}`).not.toMatch(/^[=+@\t\r]|^-(?!\d[\d.,]*%?$)/);
        }),
      );
  }

  it('admin HTTP: CSV and XLSX', async () => {
    for (const f of ['csv', 'xlsx'] as const) {
      const res = await fetch(`${app.url}/api/admin/export/${PERIOD}.${f}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      const buf = Buffer.from(await res.arrayBuffer());
      if (f === 'csv') checkCsv(buf, 'http csv');
      else await checkXlsx(buf, 'http xlsx');
    }
  });

  it('chat (`xuất KỲ csv|xlsx`): the downloaded files', async () => {
    for (const f of ['csv', 'xlsx'] as const) {
      const [reply] = await coordinator.say(`xuất ${PERIOD} ${f}`);
      expect(reply.file?.url, reply.text).toMatch(/^\/api\/files\//);
      const res = await fetch(`${app.url}${reply.file!.url}`);
      expect(res.status).toBe(200);
      const buf = Buffer.from(await res.arrayBuffer());
      if (f === 'csv') checkCsv(buf, 'chat csv');
      else await checkXlsx(buf, 'chat xlsx');
    }
  });

  it('command line (`dondoc export`): the written files', async () => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does) before this test');
    for (const f of ['csv', 'xlsx'] as const) {
      const out = join(app.dataDir, `cli.${f}`);
      const r = spawnSync(process.execPath, [join(root, 'bin', 'dondoc.js'), 'export', PERIOD, '--format', f, '--out', out], {
        encoding: 'utf8',
        env: { ...process.env, DATA_DIR: app.dataDir, LOG_LEVEL: 'silent', MONGODB_URI: '', REGIME_FILE: '' },
      });
      expect(r.status, r.stderr).toBe(0);
      if (f === 'csv') checkCsv(readFileSync(out), 'cli csv');
      else await checkXlsx(readFileSync(out), 'cli xlsx');
    }
  });

  it('the rule: = + - @ tab CR lead to an apostrophe; a number, even negative, stays as it is', () => {
    for (const s of [...PAYLOADS, '\t=1+1', '\r=1+1', '-', '+84 912 345 678', '- 5 người']) expect(inertText(s)).toBe(`'${s}`);
    for (const s of ['-1.234,5', '-2,5%', '-3', '+5', 'Nội dung', "'=1", ' =1', '']) expect(inertText(s)).toBe(s);
  });
});
