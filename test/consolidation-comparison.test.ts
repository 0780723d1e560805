/**
 * Comparison with earlier periods in the exports (issue 13): two periods seeded in a real store,
 * the XLSX and DOCX asked for in chat ("xuất KỲ xlsx") exactly as a coordinator does, the files
 * read from the exports folder the way another program would (exceljs; the DOCX unzipped), and
 * every change checked against the STORED answers of both periods, recomputed here with integer
 * arithmetic in hundredths, independently of reporting/comparison.ts:
 * - 2027-H1 against 2026-H1 (compared once, as "cùng kỳ năm trước"): rates in percentage points,
 *   sums with their change and change in %, the districts' sums over 7 units against 8 flagged,
 *   Sở Tài chính's figures (not submitted in 2027) without a change;
 * - March 2027 against March 2026 and February 2027 (a district missing in February);
 * - March 2026 with nothing earlier stored: one line; April 2027 with only March stored: one line
 *   for the missing same month of 2026.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { makePeriod } from '../regime/periods.js';
import { buildForm } from '../regime/regime.js';
import { fmtNumber, fmtPercent, fmtRate } from '../reporting/wording.js';
import { exportsDir } from '../services/export-links.js';
import type { Submission } from '../store/records.js';
import { startTestBot, type Person, type TestBot } from './helpers/bot.js';
import { defaultRegime, EARLIER, expectedIndicators, NOW, PERIOD, seedEarlierScenario, seedScenario, storedLatest, unitsWithDuty } from './helpers/consolidation-scenario.js';
import { readDocx, readXlsx, type DocxContent } from './helpers/office.js';
import { filingUnits, seedSubmissions } from './helpers/seed-submissions.js';

const regime = defaultRegime();
const W = vi.comparison;
const shortName = (code: string) => regime.units.find((u) => u.code === code)!.shortName;
const cents = (v: number) => Math.round(v * 100);
const words = (periodId: string) => makePeriod(regime, periodId)!.name.replace(/^Báo cáo /, '');

/** Asks for an export in chat and reads the file the link points to from the exports folder. */
async function exported(t: TestBot, who: Person, text: string): Promise<Buffer> {
  const out = await who.say(text);
  const file = out.find((m) => m.file)?.file;
  expect(file, out.map((m) => m.text).join('\n')).toBeDefined();
  const token = file!.url.split('/').pop()!;
  return readFileSync(join(exportsDir(t.ctx.config.dataDir), token.split('.').slice(0, -2).join('.')));
}

interface Figure {
  /** The XLSX's group (the owner's name and the duty). */
  group: string;
  /** The DOCX's group row (the owner's short name and the duty). */
  docGroup: string;
  label: string;
  /** The DOCX's first cell. */
  cell: string;
  percent: boolean;
  key: string;
  unitsNow: string[];
  unitsThen: string[];
}

/** Each duty question with a figure (numbers), its owner's and duty's names, and the units carrying it in each period. */
function figures(periodId: string, earlierId: string): Figure[] {
  const kind = makePeriod(regime, periodId)!.kind;
  const seen = new Set<string>();
  const out: Figure[] = [];
  for (const code of filingUnits(regime, periodId)) {
    const u = regime.units.find((x) => x.code === code)!;
    const owner = u.duties.length ? u : regime.units.find((x) => x.code === u.parent)!;
    for (const s of buildForm(regime, code, kind)!.sections) {
      if (seen.has(`${owner.code}|${s.id}`)) continue;
      seen.add(`${owner.code}|${s.id}`);
      for (const q of s.questions.filter((x) => ['integer', 'decimal', 'percent'].includes(x.type)))
        out.push({
          group: W.dutyGroup(owner.name, s.title),
          docGroup: W.dutyGroup(owner.shortName, s.title),
          label: q.label,
          cell: `${q.label}${q.unitLabel ? ` (${q.unitLabel})` : ''}`,
          percent: q.type === 'percent',
          key: `${s.id}/${q.name}`,
          unitsNow: unitsWithDuty(regime, owner.code, s.id, periodId),
          unitsThen: unitsWithDuty(regime, owner.code, s.id, earlierId),
        });
    }
  }
  return out;
}

/** The sum over the units that answered (in hundredths), and who answered. */
function stored(latest: Map<string, Submission>, units: string[], key: string): { c: number | null; who: string[] } {
  const who = units.filter((u) => typeof latest.get(u)?.answers[key] === 'number');
  return { c: who.length ? who.reduce((a, u) => a + cents(latest.get(u)!.answers[key] as number), 0) : null, who };
}

interface Expected {
  now: number | null;
  then: number | null;
  /** null: no change (a value missing, or different units). */
  change: number | null;
  relative: number | null;
  differ?: { now: number; then: number; onlyNow: string[]; onlyThen: string[] };
}

function expectedFigure(f: Figure, latestNow: Map<string, Submission>, latestThen: Map<string, Submission>): Expected {
  const a = stored(latestNow, f.unitsNow, f.key);
  const b = stored(latestThen, f.unitsThen, f.key);
  const base = { now: a.c === null ? null : a.c / 100, then: b.c === null ? null : b.c / 100 };
  if (a.c === null || b.c === null) return { ...base, change: null, relative: null };
  const onlyNow = a.who.filter((u) => !b.who.includes(u));
  const onlyThen = b.who.filter((u) => !a.who.includes(u));
  if (!f.percent && (onlyNow.length || onlyThen.length))
    return { ...base, change: null, relative: null, differ: { now: a.who.length, then: b.who.length, onlyNow: onlyNow.map(shortName), onlyThen: onlyThen.map(shortName) } };
  const d = a.c - b.c;
  return { ...base, change: d / 100, relative: f.percent || b.c === 0 ? null : (d * 100) / b.c };
}

/** The XLSX rows of the sheet "So sánh" by group and label. */
function sheetRows(ws: ExcelJS.Worksheet): Map<string, ExcelJS.Row> {
  const out = new Map<string, ExcelJS.Row>();
  for (let n = 4; n <= ws.rowCount; n++) {
    const r = ws.getRow(n);
    out.set(`${r.getCell(2).value}|${r.getCell(3).value}`, r);
  }
  return out;
}

/** The DOCX comparison table's rows by group and first cell (group rows are the one-cell rows). */
function docRows(doc: DocxContent, header: string[]): Map<string, string[]> {
  const start = doc.rows.findIndex((r) => r.join('|') === header.join('|'));
  expect(start, 'the comparison table').toBeGreaterThan(-1);
  const out = new Map<string, string[]>();
  let group = '';
  for (const r of doc.rows.slice(start + 1)) {
    if (r.length === 1) group = r[0];
    else if (r.length === header.length) out.set(`${group}|${r[0]}`, r);
    else break;
  }
  return out;
}

/** What the DOCX cell says of a change. */
function changeText(e: Expected, percent: boolean): string {
  if (e.differ)
    return `Không so sánh được (khác đơn vị báo cáo: kỳ này ${e.differ.now}, kỳ đó ${e.differ.then} đơn vị${e.differ.onlyNow.length ? `; chỉ kỳ này có ${e.differ.onlyNow.join(', ')}` : ''}${e.differ.onlyThen.length ? `; chỉ kỳ đó có ${e.differ.onlyThen.join(', ')}` : ''})`;
  if (e.change === null) return '—';
  if (e.change === 0) return 'không đổi';
  const dir = e.change > 0 ? 'tăng' : 'giảm';
  if (percent) return `${dir} ${fmtRate(Math.abs(e.change)).slice(0, -1)} điểm %`;
  return `${dir} ${fmtNumber(Math.abs(e.change))}${e.relative === null ? '' : ` (${fmtRate(Math.abs(e.relative))})`}`;
}

const valueText = (v: number | null, percent: boolean) => (v === null ? 'Chưa có số liệu' : percent ? fmtPercent(v) : fmtNumber(v));

/** Checks one XLSX row's value, earlier value, change and change in % (columns from `col`) against the expectation. */
function checkXlsx(r: ExcelJS.Row, e: Expected, col: number, role: string, what: string): void {
  expect(r.getCell(5).value ?? null, `${what}: this period`).toBe(e.now);
  expect(r.getCell(col).value ?? null, `${what}: ${role}`).toBe(e.then);
  expect(r.getCell(col + 1).value ?? null, `${what}: change`).toBe(e.change);
  if (e.relative === null) expect(r.getCell(col + 2).value ?? null, `${what}: %`).toBeNull();
  else expect(r.getCell(col + 2).value as number, `${what}: %`).toBeCloseTo(e.relative, 9);
  if (e.change !== null) expect(r.getCell(col + 1).numFmt, `${what}: a signed number format`).toMatch(/^\+/);
  if (e.differ) expect(String(r.getCell(r.cellCount).value), what).toContain(W.unitsDiffer(role, e.differ.now, e.differ.then, e.differ.onlyNow, e.differ.onlyThen));
}

describe('2027-H1 against the same period last year (2026-H1)', () => {
  let t: TestBot;
  let wb: ExcelJS.Workbook;
  let doc: DocxContent;
  let latestNow: Map<string, Submission>;
  let latestThen: Map<string, Submission>;

  beforeAll(async () => {
    t = await startTestBot({ now: NOW.toISOString() });
    await seedScenario(t.ctx.store, regime);
    await seedEarlierScenario(t.ctx.store, regime);
    latestNow = await storedLatest(t.ctx.store, PERIOD);
    latestThen = await storedLatest(t.ctx.store, EARLIER);
    const coordinator = t.person('dieu-phoi');
    await coordinator.enrol('LDTBXH', 'coordinator');
    wb = await readXlsx(await exported(t, coordinator, 'xuất 2027-H1 xlsx'));
    doc = await readDocx(await exported(t, coordinator, 'xuất 2027-H1 docx'));
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('the XLSX has a sheet "So sánh" whose every rate and sum reconciles with the stored answers of both periods', () => {
    expect(wb.worksheets.map((w) => w.name)).toContain(W.sheetName);
    const ws = wb.getWorksheet(W.sheetName)!;
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    // 6-month periods: the same period last year only (it is also the previous one), said once.
    expect(header).toEqual([
      ...W.headersStart,
      'Kỳ này (6 tháng đầu năm 2027)',
      'Cùng kỳ năm trước (6 tháng đầu năm 2026)',
      W.headerChange('cùng kỳ năm trước'),
      W.headerRelative('cùng kỳ năm trước'),
      'Ghi chú',
    ]);
    const rows = sheetRows(ws);
    let expectedRows = 0;

    // Rates: percentage points between the rates as shown (hundredths of a percent).
    const now = expectedIndicators(regime, latestNow);
    const then = expectedIndicators(regime, latestThen);
    for (const ind of regime.indicators) {
      const a = now[ind.id].value === null ? null : Math.round(now[ind.id].value! * 100);
      const b = then[ind.id].value === null ? null : Math.round(then[ind.id].value! * 100);
      if (a === null && b === null) continue;
      expectedRows++;
      const r = rows.get(`${W.indicatorGroup}|${ind.partOf ? vi.document.ofWhich(ind.name) : ind.name}`);
      expect(r, ind.id).toBeDefined();
      checkXlsx(r!, { now: a === null ? null : a / 100, then: b === null ? null : b / 100, change: a === null || b === null ? null : (a - b) / 100, relative: null }, 6, 'cùng kỳ năm trước', ind.id);
    }
    // The scenario covers a computed change and a rate computed only last year (the social pension is missing in 2027).
    expect(rows.get(`${W.indicatorGroup}|${regime.indicators[0].name}`)!.getCell(7).value).toBe((Math.round(now.si_coverage.value! * 100) - Math.round(then.si_coverage.value! * 100)) / 100);
    expect(now.pension_coverage.value).toBeNull();
    expect(then.pension_coverage.value).not.toBeNull();

    // Sums: exact changes, or none where the units differ or a value is missing.
    const seen = { compared: 0, differ: 0, missing: 0, unchanged: 0 };
    for (const f of figures(PERIOD, EARLIER)) {
      const e = expectedFigure(f, latestNow, latestThen);
      if (e.now === null && e.then === null) continue;
      expectedRows++;
      const r = rows.get(`${f.group}|${f.label}`);
      expect(r, `${f.group} ${f.label}`).toBeDefined();
      checkXlsx(r!, e, 6, 'cùng kỳ năm trước', `${f.group} ${f.label}`);
      if (e.differ) seen.differ++;
      else if (e.change === null) seen.missing++;
      else if (e.change === 0) seen.unchanged++;
      else seen.compared++;
    }
    expect(ws.rowCount - 3).toBe(expectedRows);
    expect(seen.compared).toBeGreaterThan(40);
    expect(seen.differ).toBeGreaterThan(5);
    expect(seen.missing).toBeGreaterThan(0);
    expect(seen.unchanged).toBeGreaterThan(0);

    // Named cases: BHXH's participants grew 41.230 from 39.800; the districts' sum is over 7 units against 8.
    const bhxh = regime.units.find((u) => u.code === 'BHXH')!;
    const si = rows.get(`${W.dutyGroup(bhxh.name, buildForm(regime, 'BHXH', 'H1')!.sections.find((s) => s.id === 'd4')!.title)}|Số người tham gia BHXH (bắt buộc và tự nguyện)`)!;
    expect([si.getCell(5).value, si.getCell(6).value, si.getCell(7).value]).toEqual([41230, 39800, 1430]);
    expect(si.getCell(8).value as number).toBeCloseTo(143000 / 39800, 12);
    const district = [...rows.values()].find((r) => String(r.getCell(3).value).startsWith('Số người tham gia BHXH (bắt buộc và tự nguyện) trên địa bàn'))!;
    expect(district.getCell(7).value).toBeNull();
    expect(String(district.getCell(9).value)).toBe(W.unitsDiffer('cùng kỳ năm trước', 7, 8, [], ['UBND huyện Na Rì']));
  });

  it('the DOCX compares each rate in a sentence and every sum in a table, after the district tables of section III', () => {
    const text = doc.text;
    const at = text.indexOf(W.docHeading('cùng kỳ năm trước (6 tháng đầu năm 2026)'));
    expect(at).toBeGreaterThan(text.indexOf(vi.document.h3Targets));
    expect(at).toBeLessThan(text.indexOf(vi.document.h4Late));
    expect(text).not.toContain(W.noEarlier);

    const now = expectedIndicators(regime, latestNow);
    const then = expectedIndicators(regime, latestThen);
    const pts = (id: string) => (Math.round(now[id].value! * 100) - Math.round(then[id].value! * 100)) / 100;
    const si = pts('si_coverage');
    expect(text).toContain(
      `- Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội đạt ${fmtRate(now.si_coverage.value!)}, ${si > 0 ? 'tăng' : 'giảm'} ${fmtRate(Math.abs(si)).slice(0, -1)} điểm phần trăm so với cùng kỳ năm trước (${fmtRate(then.si_coverage.value!)}).`,
    );
    const vsi = pts('vsi_coverage');
    expect(vsi).toBeLessThan(0);
    expect(text).toContain(`đạt ${fmtRate(now.vsi_coverage.value!)}, giảm ${fmtRate(-vsi).slice(0, -1)} điểm phần trăm so với cùng kỳ năm trước (${fmtRate(then.vsi_coverage.value!)}).`);
    expect(text).toContain(
      `- Tỷ lệ người sau độ tuổi nghỉ hưu được hưởng lương hưu, bảo hiểm xã hội hằng tháng và trợ cấp hưu trí xã hội: kỳ này chưa tính được (cùng kỳ năm trước đạt ${fmtRate(then.pension_coverage.value!)}).`,
    );
    expect(text).toContain('Chỉ số đánh giá mức độ hài lòng của người tham gia bảo hiểm xã hội đạt 86,50%, tăng 2,00 điểm phần trăm so với cùng kỳ năm trước (84,50%).');

    const rows = docRows(doc, ['Số liệu', 'Kỳ này', 'Cùng kỳ năm trước', 'So với cùng kỳ năm trước']);
    let n = 0;
    for (const f of figures(PERIOD, EARLIER)) {
      const e = expectedFigure(f, latestNow, latestThen);
      if (e.now === null && e.then === null) continue;
      n++;
      expect(rows.get(`${f.docGroup}|${f.cell}`), `${f.docGroup} ${f.cell}`).toEqual([f.cell, valueText(e.now, f.percent), valueText(e.then, f.percent), changeText(e, f.percent)]);
    }
    expect(rows.size).toBe(n);
    // One row per figure under its duty: the owner's name is not repeated on each row.
    expect([...rows.values()].filter((r) => r[0].startsWith('BHXH tỉnh'))).toEqual([]);
    expect(rows.get(`${W.dutyGroup('BHXH tỉnh', buildForm(regime, 'BHXH', 'H1')!.sections.find((s) => s.id === 'd4')!.title)}|Số người tham gia BHTN (người)`)).toEqual([
      'Số người tham gia BHTN (người)',
      '30.560',
      '30.560',
      'không đổi',
    ]);
  });
});

describe('a month against the same month last year and the month before; nothing earlier stored', () => {
  let t: TestBot;
  let coordinator: Person;
  const districts = filingUnits(regime, '2027-03');

  beforeAll(async () => {
    t = await startTestBot({ now: '2027-04-25T10:00:00+07:00' });
    await seedSubmissions(t.ctx.store, regime, '2026-03', { seed: 263 });
    await seedSubmissions(t.ctx.store, regime, '2027-02', { seed: 272, units: districts.filter((u) => u !== 'PAC-NAM') });
    await seedSubmissions(t.ctx.store, regime, '2027-03', { seed: 273 });
    await seedSubmissions(t.ctx.store, regime, '2027-04', { seed: 274, units: ['BA-BE', 'CHO-DON'] });
    coordinator = t.person('dieu-phoi');
    await coordinator.enrol('LDTBXH', 'coordinator');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("March 2027: the districts' figures against March 2026 (same units: compared) and February 2027 (a district missing: flagged)", async () => {
    expect(districts).toHaveLength(8);
    const latest = {
      now: await storedLatest(t.ctx.store, '2027-03'),
      year: await storedLatest(t.ctx.store, '2026-03'),
      prev: await storedLatest(t.ctx.store, '2027-02'),
    };
    const wb = await readXlsx(await exported(t, coordinator, 'xuất 2027-03 xlsx'));
    const ws = wb.getWorksheet(W.sheetName)!;
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([
      ...W.headersStart,
      `Kỳ này (${words('2027-03')})`,
      `Cùng kỳ năm trước (${words('2026-03')})`,
      W.headerChange('cùng kỳ năm trước'),
      W.headerRelative('cùng kỳ năm trước'),
      `Kỳ trước (${words('2027-02')})`,
      W.headerChange('kỳ trước'),
      W.headerRelative('kỳ trước'),
      'Ghi chú',
    ]);
    const rows = sheetRows(ws);
    const doc = await readDocx(await exported(t, coordinator, 'xuất 2027-03 docx'));
    const cells = docRows(doc, ['Số liệu', 'Kỳ này', 'Cùng kỳ năm trước', 'So với cùng kỳ năm trước', 'Kỳ trước', 'So với kỳ trước']);
    const year = figures('2027-03', '2026-03');
    const prev = figures('2027-03', '2027-02');
    expect(year.length).toBe(6);
    year.forEach((f, i) => {
      const y = expectedFigure(f, latest.now, latest.year);
      const p = expectedFigure(prev[i], latest.now, latest.prev);
      expect(y.change, f.label).not.toBeNull();
      expect(p.differ, f.label).toEqual({ now: 8, then: 7, onlyNow: ['UBND huyện Pác Nặm'], onlyThen: [] });
      const r = rows.get(`${f.group}|${f.label}`)!;
      expect(r, f.label).toBeDefined();
      checkXlsx(r, y, 6, 'cùng kỳ năm trước', f.label);
      checkXlsx(r, p, 9, 'kỳ trước', f.label);
      expect(cells.get(`${f.docGroup}|${f.cell}`)).toEqual([f.cell, valueText(y.now, false), valueText(y.then, false), changeText(y, false), valueText(p.then, false), changeText(p, false)]);
    });
    // A monthly report compares what the monthly kind collects: no provincial rates (none computed in any of the periods).
    expect(ws.rowCount - 3).toBe(6);
    expect([...rows.keys()].some((k) => k.startsWith(W.indicatorGroup))).toBe(false);
    expect(doc.text).toContain(W.docHeading(`cùng kỳ năm trước (${words('2026-03')}) và kỳ trước (${words('2027-02')})`));
    expect(doc.text).not.toMatch(/ đạt .*điểm phần trăm/);
  });

  it('March 2026: nothing earlier is stored, and the documents say so once', async () => {
    const doc = await readDocx(await exported(t, coordinator, 'xuất 2026-03 docx'));
    expect(doc.text.split(W.noEarlier)).toHaveLength(2);
    expect(doc.text).not.toContain('So với cùng kỳ năm trước');
    const ws = (await readXlsx(await exported(t, coordinator, 'xuất 2026-03 xlsx'))).getWorksheet(W.sheetName)!;
    expect(ws.getRow(2).getCell(1).value).toBe(W.noEarlier);
    expect(ws.rowCount).toBe(3);
  });

  it('April 2027: March is stored but not April 2026: compared with March, the missing month said once', async () => {
    const doc = await readDocx(await exported(t, coordinator, 'xuất 2027-04 docx'));
    const missing = W.absent(`cùng kỳ năm trước (${words('2026-04')})`);
    expect(missing).toBe('Chưa có số liệu cùng kỳ năm trước (tháng 04/2026) để so sánh.');
    expect(doc.text.split(missing)).toHaveLength(2);
    expect(doc.text).not.toContain(W.noEarlier);
    // Ba Bể and Chợ Đồn reported in April, all eight in March: not like-for-like.
    const rows = docRows(doc, ['Số liệu', 'Kỳ này', 'Kỳ trước', 'So với kỳ trước']);
    expect(rows.size).toBe(6);
    for (const r of rows.values()) expect(r[3]).toMatch(/^Không so sánh được \(khác đơn vị báo cáo: kỳ này 2, kỳ đó 8 đơn vị; chỉ kỳ đó có /);
  });
});
