/**
 * `dondoc status` and `dondoc export` as a user runs them (the compiled CLI, spawned), on a data
 * folder holding the seeded 2027-H1 submissions. Needs `npx tsc -p .` first (npm test builds).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { defaultRegime, LATE, NOT_SUBMITTED, PERIOD, seedScenario, storedLatest } from './helpers/consolidation-scenario.js';
import { parseCsv, readDocx, readXlsx } from './helpers/office.js';
import { filingUnits } from './helpers/seed-submissions.js';
import { embeddedStore } from './helpers/stores.js';

const root = resolve(import.meta.dirname, '..');
const regime = defaultRegime();

describe('dondoc status / export', () => {
  let dir: string;
  let latest: Awaited<ReturnType<typeof storedLatest>>;
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(root, 'bin', 'dondoc.js'), ...args], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent', MONGODB_URI: '', REGIME_FILE: '' },
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dondoc-cli-'));
    const t = await embeddedStore(dir);
    await seedScenario(t.repos, regime);
    latest = await storedLatest(t.repos);
    await t.repos.db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a readable table of every unit with its status', () => {
    const r = cli(['status', PERIOD]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain('Báo cáo 6 tháng đầu năm 2027');
    expect(lines[0]).toContain('đã nộp 17/19');
    expect(lines[2]).toMatch(/^Mã\s+Đơn vị\s+Trạng thái/);
    for (const code of filingUnits(regime, PERIOD)) expect(lines.some((l) => l.startsWith(`${code} `))).toBe(true);
    expect(lines.find((l) => l.startsWith(`${NOT_SUBMITTED} `))).toContain('Chưa bắt đầu');
    for (const u of LATE) expect(lines.find((l) => l.startsWith(`${u} `))).toContain('Đã nộp muộn');
    expect(r.stdout).toMatch(/Cộng: .*Đã nộp muộn 2/);
  });

  it('--json prints one object per unit', () => {
    const r = cli(['status', PERIOD, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const objs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objs.map((o) => o.unit)).toEqual(filingUnits(regime, PERIOD));
    expect(objs.find((o) => o.unit === 'BA-BE')).toMatchObject({ status: 'submitted_late', late: true, revision: 1 });
    expect(objs.find((o) => o.unit === NOT_SUBMITTED)).toMatchObject({ status: 'not_started', revision: null });
  });

  it('rejects a malformed period and an unknown format with exit code 2', () => {
    const bad = cli(['status', '2027-X1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('YYYY-H1');
    const fmt = cli(['export', PERIOD, '--format', 'pdf', '--out', 'x.pdf']);
    expect(fmt.status).toBe(2);
    expect(fmt.stderr).toContain('xlsx, docx hoặc csv');
  });

  it('exports CSV, XLSX and DOCX files that open and hold the stored figures', async () => {
    const csv = cli(['export', PERIOD, '--format', 'csv', '--out', join(dir, 'out.csv')]);
    expect(csv.status, csv.stderr).toBe(0);
    const rows = parseCsv(readFileSync(join(dir, 'out.csv'), 'utf8').replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual([...vi.document.csvHeaders]);
    const si = rows.find((r) => r[1] === 'BHXH' && r[8] === 'd4/si_participants')!;
    expect(Number(si[11])).toBe(latest.get('BHXH')!.answers['d4/si_participants']);

    expect(cli(['export', PERIOD, '--format', 'xlsx', '--out', join(dir, 'out.xlsx')]).status).toBe(0);
    const wb = await readXlsx(readFileSync(join(dir, 'out.xlsx')));
    expect(wb.getWorksheet(vi.document.sheetIndicators)!.getRow(4).getCell(3).value).toBe(41230);

    const docx = cli(['export', PERIOD, '--format', 'docx']);
    expect(docx.status, docx.stderr).toBe(0);
    expect(docx.stderr).toContain(`tong-hop-${PERIOD}.docx`);
    const doc = await readDocx(readFileSync(join(dir, `tong-hop-${PERIOD}.docx`)));
    expect(doc.text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  });
});
