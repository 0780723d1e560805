/**
 * The regime as an Excel workbook (issue 17), through the compiled CLI as a coordinator runs it:
 * `dondoc regime export` writes the workbook, read back here with exceljs as another program
 * would; `dondoc regime import` turns it back into the same regime; a workbook with a dozen
 * typical mistakes gets every error with its cell and writes nothing; the example regime
 * (regimes/mau-tinh-sau-sap-xep-2025.xlsx) imports to the committed JSON and a server starts on it.
 * Needs `npx tsc -p .`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { loadRegimeFile, parseRegime, regimeSummary } from '../regime/regime.js';
import { formatInstant } from '../lib/datetime.js';
import { ACTIVE_KEY, loadActiveRegime } from '../services/regime-change.js';
import { embeddedStore } from './helpers/stores.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { readRegimeWorkbook, writeRegimeWorkbook } from '../regime/workbook.js';
import { readXlsx } from './helpers/office.js';

const root = resolve(import.meta.dirname, '..');
const EXAMPLE = join(root, 'regimes', 'mau-tinh-sau-sap-xep-2025');
let dir: string;

function dondoc(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'dondoc.js'), ...args], { cwd: root, env: { ...process.env, MONGODB_URI: '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const source = (): ReportRegime => {
  const r = loadRegimeFile(DEFAULT_REGIME_FILE);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.regime;
};

/** The header row of a sheet: column name → column number. */
function headers(ws: ExcelJS.Worksheet): Map<string, number> {
  const m = new Map<string, number>();
  ws.getRow(1).eachCell((c, n) => m.set(String(c.value), n));
  return m;
}

const letter = (n: number) => String.fromCharCode(64 + n);

/** A sheet's data row whose columns hold these values (exactly one), and the address of a column in it. */
function findRow(
  ws: ExcelJS.Worksheet,
  match: Record<string, string>,
): { row: ExcelJS.Row; at: (key: string) => string; get: (key: string) => ExcelJS.CellValue; set: (key: string, v: ExcelJS.CellValue) => void } {
  const h = headers(ws);
  const rows: ExcelJS.Row[] = [];
  ws.eachRow((row, n) => {
    if (n > 1 && Object.entries(match).every(([k, v]) => String(row.getCell(h.get(k) as number).value ?? '') === v)) rows.push(row);
  });
  if (rows.length !== 1) throw new Error(`${ws.name}: ${rows.length} rows match ${JSON.stringify(match)}`);
  const row = rows[0];
  return {
    row,
    at: (key) => `${ws.name}!${letter(h.get(key) as number)}${row.number}`,
    get: (key) => row.getCell(h.get(key) as number).value,
    set: (key, v) => {
      const cell = row.getCell(h.get(key) as number);
      // exceljs shares one style object between the cells of a loaded file that have the same
      // style: a date typed into one would format them all (Excel gives the cell its own).
      cell.style = structuredClone(cell.style);
      cell.value = v;
    },
  };
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` before this test');
  dir = mkdtempSync(join(tmpdir(), 'dondoc-regime-workbook-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dondoc regime export / import', () => {
  it('exports the active regime as a readable workbook that imports back deep-equal to the source', async () => {
    const xlsx = join(dir, 'backan.xlsx');
    const exported = dondoc(['regime', 'export', '--format', 'xlsx', '--out', xlsx]);
    expect(exported.code, exported.err).toBe(0);

    // Read as another program would: the sheets, their frozen header rows and notes, the values.
    const wb = await readXlsx(readFileSync(xlsx));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['settings', 'units', 'duties', 'survey', 'choices', 'report_kinds', 'indicators', 'holidays']);
    const survey = wb.getWorksheet('survey') as ExcelJS.Worksheet;
    expect([...headers(survey).keys()]).toEqual([
      'unit',
      'duty',
      'type',
      'name',
      'label',
      'hint',
      'unit_of_measure',
      'required',
      'required_message',
      'constraint',
      'constraint_message',
      'relevant',
      'soft_min',
      'soft_max',
    ]);
    expect(survey.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // printed: the header row on every page, as wide as the page; a wrapped row as tall as its text
    expect(survey.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, printTitlesRow: '1:1' });
    expect(findRow(survey, { unit: '*', name: 'results' }).row.height).toBeGreaterThanOrEqual(45);
    expect(survey.getCell('L1').note).toBe(vi.workbook.columns.survey.relevant);
    const r = source();
    const vsi = r.units
      .find((u) => u.code === 'BHXH')
      ?.duties.find((d) => d.id === 'd4')
      ?.questions.find((q) => q.name === 'vsi_participants');
    const row = findRow(survey, { unit: 'BHXH', duty: 'd4', name: 'vsi_participants' }).row;
    expect(row.values).toEqual([
      undefined,
      'BHXH',
      'd4',
      'integer',
      'vsi_participants',
      vsi?.label,
      undefined,
      vsi?.unitLabel,
      'yes',
      vsi?.requiredMessage,
      '. >= 0 and . <= ${si_participants}',
      vsi?.constraint?.message,
    ]);
    expect(findRow(survey, { unit: '*', name: 'status' }).row.getCell('C').value).toBe('select_one implementation_status');
    const kinds = wb.getWorksheet('report_kinds') as ExcelJS.Worksheet;
    const h1 = findRow(kinds, { id: 'H1' });
    expect([h1.get('deadline'), h1.get('data_from'), h1.get('data_to'), h1.get('remind_days_before')]).toEqual(['05/07/N', '15/12/N-1', '14/06/N', '14, 7, 3, 1']);
    expect(findRow(kinds, { id: 'M' }).get('deadline')).toBe('20/T');
    const indicators = wb.getWorksheet('indicators') as ExcelJS.Worksheet;
    expect(findRow(indicators, { id: 'si_coverage' }).get('target_2030')).toBe(60);

    const json = join(dir, 'backan.json');
    const imported = dondoc(['regime', 'import', xlsx, '--out', json]);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toContain('hợp lệ — qd-1736-2018-backan v1: 20 đơn vị');
    expect(JSON.parse(readFileSync(json, 'utf8'))).toStrictEqual(JSON.parse(JSON.stringify(r)));
    // and the module itself, without the CLI: the regime object as loaded, deep-equal
    const back = await readRegimeWorkbook(await writeRegimeWorkbook(r));
    expect(back.ok && back.regime).toStrictEqual(r);
    // --format json writes the regime as loaded
    const asJson = join(dir, 'active.json');
    expect(dondoc(['regime', 'export', '--format', 'json', '--out', asJson]).code).toBe(0);
    expect(JSON.parse(readFileSync(asJson, 'utf8'))).toStrictEqual(JSON.parse(JSON.stringify(r)));
    // `regime check` reads a workbook too.
    const check = dondoc(['regime', 'check', xlsx]);
    expect(check.code, check.err).toBe(0);
    expect(check.out).toMatch(/backan\.xlsx: hợp lệ/);
  });

  it('a workbook with a dozen typical mistakes: every error with its cell, all at once, and nothing written', async () => {
    const wb = await readXlsx(await writeRegimeWorkbook(source()));
    const sheet = (name: string) => wb.getWorksheet(name) as ExcelJS.Worksheet;
    const survey = sheet('survey');
    const expected: string[] = [];

    // settings: the `source` row deleted; after it the table ends one row earlier
    const settings = sheet('settings');
    settings.spliceRows(findRow(settings, { key: 'source' }).row.number, 1);
    let last = 0;
    settings.eachRow((_, n) => (last = n));
    expected.push(`settings!A${last + 1}: ${vi.workbook.missingSetting('source', vi.workbook.settings.source)}`);

    // duties: an unknown report kind
    const d2 = findRow(sheet('duties'), { unit: 'UBND-HUYEN', id: 'd2' });
    d2.set('report_kinds', 'H1, Q');
    expected.push(`${d2.at('report_kinds')}: không có loại báo cáo "Q"`);

    const q = (unit: string, duty: string, name: string) => findRow(survey, { unit, duty, name });
    // survey: relevant naming a question the section does not have
    const guidance = q('LDTBXH', 'd1', 'guidance_documents');
    guidance.set('relevant', "${status} != 'chua_trien_khai' and ${si_total} > 0");
    // a duplicate name (two questions of d3 called the same)
    const reemployed = q('LDTBXH', 'd3', 'ui_reemployed');
    reemployed.set('name', 'ui_vocational_training');
    // an unknown choice list
    const channels = q('LDTBXH', 'd5', 'comm_channels');
    channels.set('type', 'select_multiple communication_channel');
    // a missing label, and a misspelt type
    const inspections = q('LDTBXH', 'd6', 'inspections');
    inspections.set('label', null);
    const fines = q('LDTBXH', 'd6', 'fines_amount');
    fines.set('type', 'decimel');
    // a constraint that does not parse
    const declared = q('LDTBXH', 'd7', 'enterprises_declared');
    declared.set('constraint', '. >= 0 an . <= 1000');
    // soft bounds the wrong way round
    const employers = q('BHXH', 'd3', 'employers_connected');
    employers.set('soft_min', 500);
    employers.set('soft_max', 50);
    // a unit the units sheet does not have
    const supervisions = q('STP', 'd1', 'supervisions');
    supervisions.set('unit', 'STP2');
    // a required flag that is neither yes nor no
    const press = q('STTTT', 'd1', 'press_items');
    press.set('required', 'có lẽ');
    expected.push(
      `${guidance.at('relevant')}: tham chiếu câu "si_total" không có trong mục LDTBXH/d1`,
      `${reemployed.at('name')}: câu hỏi "ui_vocational_training" bị trùng trong cùng mục`,
      `${channels.at('type')}: không có danh sách lựa chọn "communication_channel"`,
      `${inspections.at('label')}: bắt buộc (cần chuỗi ký tự)`,
      `${fines.at('type')}: ${vi.cli.zod.oneOf('integer, decimal, percent, text, select_one, select_multiple, date, note')}`,
      `${declared.at('constraint')}: ${vi.workbook.badConstraint(vi.workbook.constraintTerm('. >= 0 an . <= 1000'))}`,
      `${employers.at('soft_min')}: min phải không lớn hơn max`,
      `${supervisions.at('unit')}: không có đơn vị "STP2" ở trang units`,
      `${press.at('required')}: "có lẽ" không phải yes hoặc no`,
    );

    // report_kinds: a number in words, a day not written as a day of the period
    const monthly = findRow(sheet('report_kinds'), { id: 'M' });
    monthly.set('locks_days_after_deadline', 'ba mươi');
    const half = findRow(sheet('report_kinds'), { id: 'H1' });
    half.set('deadline', 'ngày 5 tháng 7');
    expected.push(`${half.at('deadline')}: ${vi.workbook.badDayRule('ngày 5 tháng 7')}`, `${monthly.at('locks_days_after_deadline')}: "ba mươi" không phải là số`);

    // indicators: a misspelt question
    const coverage = findRow(sheet('indicators'), { id: 'si_coverage' });
    coverage.set('numerator', 'BHXH/d4/si_participant');
    expected.push(`${coverage.at('numerator')}: nhiệm vụ "BHXH/d4" không có câu hỏi "si_participant"`);

    // holidays: a day that does not exist
    const holidays = sheet('holidays');
    holidays.getCell('A5').value = '2026-02-30';
    expected.push(`holidays!A5: "2026-02-30" không phải ngày có thật`);

    const bad = join(dir, 'mistakes.xlsx');
    await wb.xlsx.writeFile(bad);
    const out = join(dir, 'mistakes.json');
    const r = dondoc(['regime', 'import', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toBe(`${bad}: không hợp lệ, ${expected.length} lỗi:`);
    expect(lines.slice(1).map((l) => l.trim())).toStrictEqual(expected);
    writeFileSync(join(dir, 'errors.txt'), r.err);
    if (process.env.WORKBOOK_ERRORS_OUT) writeFileSync(process.env.WORKBOOK_ERRORS_OUT, r.err);

    // `regime check` gives the same list.
    const check = dondoc(['regime', 'check', bad]);
    expect(check.code).toBe(1);
    expect(check.err).toBe(r.err);
  });

  it('reads what Excel makes of typed values as meant: a date cell, a time, a number for a text', async () => {
    const r = source();
    const wb = await readXlsx(await writeRegimeWorkbook(r));
    const settings = wb.getWorksheet('settings') as ExcelJS.Worksheet;
    findRow(settings, { key: 'version' }).set('value', 2);
    const holidays = wb.getWorksheet('holidays') as ExcelJS.Worksheet;
    holidays.getCell('A2').style = structuredClone(holidays.getCell('A2').style);
    holidays.getCell('A2').value = new Date(Date.UTC(2026, 0, 1));
    holidays.getCell('A2').numFmt = 'dd/mm/yyyy';
    holidays.getCell('A3').value = '14/02/2026';
    const yearly = findRow(wb.getWorksheet('report_kinds') as ExcelJS.Worksheet, { id: 'Y' });
    yearly.set('remind_at', new Date(Date.UTC(1899, 11, 30, 8, 0)));
    // a time and a date whose cells lost their format: a fraction of a day, Excel's day number
    findRow(wb.getWorksheet('report_kinds') as ExcelJS.Worksheet, { id: 'M' }).set('remind_at', 1 / 3);
    holidays.getCell('A4').value = 46068; // 2026-02-15
    const back = await readRegimeWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(back.ok ? [] : back.errors).toEqual([]);
    expect(back.ok && back.regime).toStrictEqual({ ...r, version: '2' });
  });

  it('a file that is not a workbook: one line that says so, in Vietnamese', async () => {
    expect(await readRegimeWorkbook(new Uint8Array([80, 75, 3]))).toStrictEqual({ ok: false, errors: [vi.workbook.unreadable] });
    const notXlsx = join(dir, 'ghi-chu.xlsx');
    writeFileSync(notXlsx, 'không phải Excel');
    const r = dondoc(['regime', 'import', notXlsx, '--out', join(dir, 'ghi-chu.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${notXlsx}: không hợp lệ, 1 lỗi:\n  ${vi.workbook.unreadable}\n`);
    expect(existsSync(join(dir, 'ghi-chu.json'))).toBe(false);
  });

  it('a workbook without a sheet or a column says which', async () => {
    const wb = await readXlsx(await writeRegimeWorkbook(source()));
    wb.removeWorksheet((wb.getWorksheet('choices') as ExcelJS.Worksheet).id);
    const units = wb.getWorksheet('units') as ExcelJS.Worksheet;
    units.spliceColumns(3, 1); // short_name
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await readRegimeWorkbook(buf);
    expect(r.ok).toBe(false);
    // one error for the column, not one for each unit
    expect(r.ok ? [] : r.errors).toStrictEqual([
      `units!H1: ${vi.workbook.missingColumn('short_name')}`,
      `choices!A1: ${vi.workbook.missingSheet('choices', 'settings, units, duties, survey, choices, report_kinds, indicators, holidays')}`,
    ]);
  });
});

describe('the example regime after the 2025 reorganisation', () => {
  it('its workbook imports to the committed JSON, which regime check accepts', () => {
    const out = join(dir, 'example.json');
    const r = dondoc(['regime', 'import', `${EXAMPLE}.xlsx`, '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(`${EXAMPLE}.json`, 'utf8'));
    const check = dondoc(['regime', 'check', `${EXAMPLE}.json`, '--at', '2026-12-01T00:00:00+07:00']);
    expect(check.code, check.err).toBe(0);
    const regime = JSON.parse(readFileSync(`${EXAMPLE}.json`, 'utf8')) as ReportRegime;
    expect(regime.title).toMatch(/mẫu/i);
    expect(regime.reportKinds.map((k) => k.id)).toEqual(['M']);
    expect(regime.units.filter((u) => u.kind === 'commune').length).toBeGreaterThanOrEqual(3);
  });

  it('a server starts on it (REGIME_FILE) and reports healthy', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const child = spawn(process.execPath, [join(root, 'dist', 'app', 'main.js')], {
      cwd: root,
      env: {
        ...process.env,
        REGIME_FILE: `${EXAMPLE}.json`,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: data,
        MONGODB_URI: '',
        SCHEDULER: 'off',
        LOG_FORMAT: 'json',
        MICROSOFT_APP_ID: '',
        ZALO_APP_ID: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const text = await new Promise<string>((ok, fail) => {
        let t = '';
        child.stdout.on('data', (d) => {
          t += String(d);
          if (t.includes('đang lắng nghe')) ok(t);
        });
        child.stderr.on('data', (d) => (t += String(d)));
        child.once('exit', (c) => fail(new Error(`the server exited ${c}: ${t}`)));
      });
      const regime = JSON.parse(readFileSync(`${EXAMPLE}.json`, 'utf8')) as ReportRegime;
      expect(text).toContain(`chế độ báo cáo: ${regime.id} (${regime.units.filter((u) => u.reports !== false).length} đơn vị)`);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(text)?.[1]);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('`dondoc regime check` without a file', () => {
  it('checks the regime the servers run: REGIME_FILE until one is applied, then the stored one (said which); an invalid stored one is listed (exit 1)', async () => {
    const data = mkdtempSync(join(tmpdir(), 'regime-active-'));
    const env = { DATA_DIR: data, REGIME_FILE: DEFAULT_REGIME_FILE, LOG_LEVEL: 'error' };
    const counts = (r: ReportRegime) => {
      const s = regimeSummary(r);
      return { ...s, id: r.id, version: r.version, kinds: r.reportKinds.length, indicators: r.indicators.length };
    };
    try {
      // Nothing applied: REGIME_FILE's regime, named by its path.
      const before = dondoc(['regime', 'check'], env);
      expect(before.code, before.err).toBe(0);
      expect(before.out.trim()).toBe(vi.cli.regime.valid(vi.cli.regime.activeFile(DEFAULT_REGIME_FILE), counts(source())));

      // An operator applies another version (as the web console's upload would): check now checks that one.
      const next = source();
      next.version = '2027.2';
      next.units = next.units.filter((u) => u.code !== 'KHDT');
      const file = join(data, 'che-do-moi.json');
      writeFileSync(file, JSON.stringify(next));
      const applied = dondoc(['regime', 'apply', file], env);
      expect(applied.code, applied.err).toBe(0);
      const after = dondoc(['regime', 'check'], env);
      expect(after.code, after.err).toBe(0);
      const { appliedAt, appliedBy } = (await storedActive(data))!.info;
      const label = vi.cli.regime.activeStored({ at: formatInstant(appliedAt, next.timezone), by: appliedBy, file: 'che-do-moi.json' });
      expect(after.out.trim()).toBe(vi.cli.regime.valid(label, counts((parseRegime(next) as { regime: ReportRegime }).regime)));
      expect(after.out).toContain('v2027.2: 19 đơn vị');
      // A file named is still that file.
      expect(dondoc(['regime', 'check', DEFAULT_REGIME_FILE], env).out).toContain(`${DEFAULT_REGIME_FILE}: hợp lệ — ${source().id} v${source().version}: 20 đơn vị`);

      // The stored one damaged (a unit the consolidator needs is gone): every error, exit 1.
      const s = await embeddedStore(data);
      const v = (await s.repos.getValue<Record<string, unknown>>(ACTIVE_KEY))!;
      const broken = { ...(v.regime as ReportRegime), consolidator: { ...(v.regime as ReportRegime).consolidator, unit: 'KHONG-CO' } };
      await s.repos.setValue(ACTIVE_KEY, { ...v, regime: broken }, Date.now());
      await s.repos.db.close();
      const bad = dondoc(['regime', 'check'], env);
      expect(bad.code).toBe(1);
      const errors = (parseRegime(broken) as { errors: string[] }).errors;
      expect(bad.err).toContain(vi.cli.regime.invalid(vi.cli.regime.activeStored(), errors.length));
      for (const e of errors) expect(bad.err).toContain(`  ${e}`);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});

async function storedActive(data: string) {
  const s = await embeddedStore(data);
  try {
    const r = await loadActiveRegime(s.repos);
    return r && !('errors' in r) ? r : null;
  } finally {
    await s.repos.db.close();
  }
}
