/**
 * The admin HTTP routes of the real app (port 0, ADMIN_TOKEN set) over seeded submissions for
 * every unit of the default regime: the bearer token is required, the period is validated, and
 * the XLSX, DOCX and CSV exports open and reconcile exactly with the stored answers; a rate whose
 * input is missing shows as missing, naming the unit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { decodePng } from '../lib/png.js';
import { ManualClock } from '../lib/clock.js';
import { vi } from '../i18n/vi.js';
import { fmtNumber, fmtRate, statusText } from '../reporting/wording.js';
import { buildForm } from '../regime/regime.js';
import type { Submission } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { XLSX_INSTANT_FORMAT } from '../lib/datetime.js';
import { defaultRegime, expectedIndicators, expectedSum, IN_PROGRESS, LATE, NOT_SUBMITTED, NOW, PERIOD, seedScenario, storedLatest, unitsWithDuty } from './helpers/consolidation-scenario.js';
import { docxBlocks, parseCsv, readDocx, readXlsx } from './helpers/office.js';
import { filingUnits } from './helpers/seed-submissions.js';

const TOKEN = 'admin-token-for-tests-0123456789';
const regime = defaultRegime();
const unitName = (code: string) => regime.units.find((u) => u.code === code)!.name;

describe('admin HTTP: status and exports of 2027-H1', () => {
  let app: TestApp;
  let latest: Map<string, Submission>;
  const get = (path: string, token: string | null = TOKEN, scheme = 'Bearer') => fetch(`${app.url}${path}`, { headers: token === null ? {} : { authorization: `${scheme} ${token}` } });

  beforeAll(async () => {
    app = await startTestApp({ ADMIN_TOKEN: TOKEN }, { clock: new ManualClock(NOW.getTime()) });
    await seedScenario(app.ctx.store, app.ctx.regime);
    latest = await storedLatest(app.ctx.store);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses without the token, with a wrong one, or with another scheme (401, nothing leaked)', async () => {
    for (const [token, scheme] of [
      [null, 'Bearer'],
      ['wrong', 'Bearer'],
      [`${TOKEN}x`, 'Bearer'],
      [TOKEN.slice(0, -1), 'Bearer'],
      [TOKEN, 'Basic'],
    ] as const) {
      for (const path of [`/api/admin/status/${PERIOD}`, `/api/admin/export/${PERIOD}.xlsx`]) {
        const res = await get(path, token, scheme);
        expect(res.status, `${scheme} ${token} ${path}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
        const body = await res.text();
        expect(body).not.toContain('tong-hop');
        expect(body).not.toContain('BHXH');
      }
    }
    const audit = await app.ctx.store.audit.find({ action: 'export.created' });
    expect(audit).toHaveLength(0);
  });

  it('answers 400 for a malformed period and 404 for an unknown export', async () => {
    expect((await get('/api/admin/status/2027-X1')).status).toBe(400);
    expect((await get('/api/admin/status/27-H1')).status).toBe(400);
    expect((await get('/api/admin/status/2027-13')).status).toBe(400);
    expect((await get(`/api/admin/export/${PERIOD}.pdf`)).status).toBe(400);
    expect((await get('/api/admin/export/2027-X1.xlsx')).status).toBe(400);
    const r = await get('/api/admin/status/2027-X1');
    expect((await r.json()).error.message).toContain('YYYY-H1');
  });

  it('GET /api/admin/status/:period returns one object per reporting unit with its status', async () => {
    const res = await get(`/api/admin/status/${PERIOD}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.period).toMatchObject({ id: PERIOD, deadline: '2027-07-05T00:00:00+07:00' });
    expect(body.generatedAt).toBe('2027-07-08T10:00:00+07:00');
    expect(body.units.map((u: any) => u.unit)).toEqual(filingUnits(regime, PERIOD));
    expect(body.expected).toBe(19);
    expect(body.submitted).toBe(17);
    const byUnit = Object.fromEntries(body.units.map((u: any) => [u.unit, u]));
    expect(byUnit[NOT_SUBMITTED]).toMatchObject({ status: 'not_started', overdue: true, revision: null });
    expect(byUnit[IN_PROGRESS]).toMatchObject({ status: 'in_progress', progress: { percent: expect.any(Number) } });
    for (const u of LATE) expect(byUnit[u]).toMatchObject({ status: 'submitted_late', late: true, firstSubmittedAt: expect.stringMatching(/^2027-07-07T00:\d\d:00\+07:00$/) });
  });

  it('XLSX: status, indicators, districts, duty sums and answers sheets; headers in Vietnamese, frozen; figures reconcile', async () => {
    const res = await get(`/api/admin/export/${PERIOD}.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain(`tong-hop-${PERIOD}.xlsx`);
    const wb = await readXlsx(Buffer.from(await res.arrayBuffer()));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      vi.document.sheetStatus,
      vi.document.sheetIndicators,
      vi.document.sheetDistricts,
      vi.document.sheetDuties,
      vi.comparison.sheetName,
      vi.document.sheetAnswers,
      vi.document.sheetAttachments,
    ]);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    }
    // The subtitle states the deadline and the time of the consolidation the one way instants are written.
    expect(String(wb.getWorksheet(vi.document.sheetStatus)!.getRow(2).getCell(1).value)).toMatch(/Hạn nộp trước 00:00 ngày 05\/7\/2027 · Tổng hợp lúc \d{2}:\d{2} ngày \d{2}\/\d{1,2}\/\d{4}$/);
    const header = (name: string) => (wb.getWorksheet(name)!.getRow(3).values as unknown[]).slice(1);
    expect(header(vi.document.sheetStatus)).toEqual([...vi.document.statusHeaders]);
    expect(header(vi.document.sheetIndicators)).toEqual([...vi.document.indicatorHeaders]);
    expect(header(vi.document.sheetAnswers)).toEqual([...vi.document.answerHeaders]);
    expect(header(vi.document.sheetAttachments)).toEqual([...vi.document.attachmentHeaders]);

    // status sheet: one row per unit in regime order
    const st = wb.getWorksheet(vi.document.sheetStatus)!;
    const codes = filingUnits(regime, PERIOD);
    codes.forEach((code, i) => expect(st.getRow(4 + i).getCell(2).value).toBe(code));
    expect(String(st.getRow(4 + codes.indexOf(NOT_SUBMITTED)).getCell(4).value)).toContain('Chưa bắt đầu');
    expect(String(st.getRow(4 + codes.indexOf('BA-BE')).getCell(4).value)).toBe(statusText({ status: 'submitted_late', reopened: false, overdue: false }));
    const submittedAt = st.getRow(4 + codes.indexOf('BHXH')).getCell(8);
    expect(submittedAt.value).toBeInstanceOf(Date);
    expect(submittedAt.numFmt).toBe(XLSX_INSTANT_FORMAT);

    // indicators: computed from the stored figures; the missing one named, never 0
    const expected = expectedIndicators(regime, latest);
    const it_ = wb.getWorksheet(vi.document.sheetIndicators)!;
    regime.indicators.forEach((ind, i) => {
      const row = it_.getRow(4 + i);
      const e = expected[ind.id];
      if (e.value === null) {
        expect(row.getCell(5).value).toBe('Chưa tính được');
        expect(String(row.getCell(9).value)).toContain(unitName(e.missingUnits[0]));
      } else {
        expect(row.getCell(5).value, ind.id).toBe(e.value);
        expect(row.getCell(5).numFmt).toBe('0.00');
        expect(row.getCell(7).value).toBe(ind.targets['2030']);
        expect(row.getCell(8).value).toBe(e.value - ind.targets['2030']);
      }
    });
    expect(expected.pension_coverage.value).toBeNull();
    expect(it_.getRow(4).getCell(3).value).toBe(41230);
    expect(it_.getRow(4).getCell(4).value).toBe(187400);

    // district figures: each district's own answer, the sum of those reported, Na Rì has none
    const districts = regime.units.filter((u) => u.kind === 'district').map((u) => u.code);
    const dt = wb.getWorksheet(vi.document.sheetDistricts)!;
    const siRows = (dt.getSheetValues() as unknown[][]).slice(4).filter((r) => r && r[3] === regime.indicators[0].name);
    expect(siRows).toHaveLength(districts.length + 1);
    districts.forEach((code, i) => {
      expect(siRows[i][2]).toBe(unitName(code));
      expect(String(siRows[i][4])).toMatch(/^Số người tham gia BHXH .*\(người\)$/);
      expect(siRows[i][5]).toBe(latest.get(code)?.answers['d3/si_participants_district'] ?? 'Chưa có số liệu');
    });
    expect(siRows[districts.length][5]).toBe(expectedSum(latest, districts, 'd3/si_participants_district'));

    // duty sums: each total equals the sum of the stored answers of the units carrying the duty
    const du = wb.getWorksheet(vi.document.sheetDuties)!;
    let checked = 0;
    du.eachRow((row, n) => {
      if (n <= 3) return;
      const owner = regime.units.find((u) => u.name === row.getCell(1).value)!;
      const dutyId = String(row.getCell(2).value);
      const q = owner.duties.find((d) => d.id === dutyId)!.questions.find((x) => x.label === row.getCell(4).value)!;
      const units = unitsWithDuty(regime, owner.code, dutyId);
      expect(row.getCell(8).value).toBe(units.length);
      const exp = expectedSum(latest, units, `${dutyId}/${q.name}`);
      if (q.type === 'percent') expect(row.getCell(6).value).toBe(vi.document.notApplicable);
      else expect(row.getCell(6).value ?? null, `${owner.code}/${dutyId}/${q.name}`).toBe(exp);
      checked++;
    });
    expect(checked).toBeGreaterThan(60);

    // answers: every numeric cell is exactly the stored value
    const an = wb.getWorksheet(vi.document.sheetAnswers)!;
    let numeric = 0;
    const units = new Set<string>();
    an.eachRow((row, n) => {
      if (n <= 3) return;
      const unit = String(row.getCell(1).value);
      units.add(unit);
      const v = row.getCell(8).value;
      const stored = latest.get(unit)!.answers[String(row.getCell(6).value)];
      if (typeof v === 'number') {
        expect(v).toBe(stored);
        numeric++;
      }
    });
    expect(numeric).toBeGreaterThan(150);
    expect([...units].sort()).toEqual([...latest.keys()].sort());
  });

  it('DOCX: Decree 30 header, the five sections, the target table and chart, figures reconciled', async () => {
    const res = await get(`/api/admin/export/${PERIOD}.docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const doc = await readDocx(Buffer.from(await res.arrayBuffer()));
    const text = doc.text;
    for (const s of [
      'UBND TỈNH BẮC KẠN',
      'SỞ LAO ĐỘNG - THƯƠNG BINH',
      'VÀ XÃ HỘI',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số:',
      '/BC-LĐTBXH',
      'Bắc Kạn, ngày 08 tháng 7 năm 2027',
      'BÁO CÁO',
      '6 tháng đầu năm 2027',
      'Kính gửi: Ủy ban nhân dân tỉnh Bắc Kạn.',
      vi.document.h1General,
      vi.document.h2Results,
      vi.document.h3Targets,
      vi.document.h4Late,
      vi.document.h5Difficulties,
      'Nơi nhận:',
      'GIÁM ĐỐC',
    ])
      expect(text, s).toContain(s);
    // Times New Roman 14 pt as the document default; body paragraphs justified with a 1 cm first-line indent
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(doc.stylesXml)![0];
    expect(defaults).toContain('w:ascii="Times New Roman"');
    expect(defaults).toMatch(/<w:sz w:val="28"\/>/);
    expect(doc.stylesXml).toMatch(/w:styleId="dondocBody">(?:(?!<\/w:style>)[\s\S])*w:firstLine="567"(?:(?!<\/w:style>)[\s\S])*<w:jc w:val="both"\/>/);
    expect(doc.documentXml).not.toMatch(/w:ascii="(?!Times New Roman)/);

    // the target table: results exactly from the stored figures; the missing rate names its unit
    const expected = expectedIndicators(regime, latest);
    const tableRows = doc.rows.filter((r) => r.length === 6 && /^\d+$/.test(r[0]));
    expect(tableRows).toHaveLength(regime.indicators.length);
    regime.indicators.forEach((ind, i) => {
      const row = tableRows[i];
      const e = expected[ind.id];
      if (e.value === null) {
        expect(row[2]).toBe('Chưa tính được');
        expect(row[5]).toContain(unitName(e.missingUnits[0]));
      } else expect(row[2], ind.id).toBe(fmtRate(e.value));
      expect(row[3]).toContain(`(năm 2030)`);
    });
    expect(tableRows[0][5]).toBe(`${fmtNumber(41230)} / ${fmtNumber(187400)} người.`);

    // district table of the first rate: each district's reported figure and the sum
    const districts = regime.units.filter((u) => u.kind === 'district').map((u) => u.code);
    const sumRows = doc.rows.filter((r) => r[1] === vi.document.sumRow);
    expect(sumRows).toHaveLength(3);
    expect(sumRows[0][2]).toBe(fmtNumber(expectedSum(latest, districts, 'd3/si_participants_district')!));
    const start = doc.rows.findIndex((r) => r[1] === unitName(districts[0]) && r.length === 4);
    districts.forEach((code, i) => {
      const v = latest.get(code)?.answers['d3/si_participants_district'];
      expect(doc.rows[start + i][2]).toBe(typeof v === 'number' ? fmtNumber(v) : 'Chưa có số liệu');
    });
    expect(text).toContain('Số liệu theo huyện, thành phố: Số người tham gia BHXH');

    // late and missing units
    const late = text.slice(text.indexOf(vi.document.h4Late), text.indexOf(vi.document.h5Difficulties));
    expect(late).toContain('Sở Tư pháp');
    expect(late).toContain('UBND huyện Ba Bể');
    expect(late).toContain('Sở Tài chính');
    expect(late).toContain('UBND huyện Na Rì');

    // results per unit compiled from the narratives, difficulties and proposals from every unit
    for (const [code, s] of latest) {
      expect(text).toContain(unitName(code));
      const results = Object.entries(s.answers).find(([k, v]) => k.endsWith('/results') && typeof v === 'string');
      if (results) expect(text).toContain(String(results[1]));
      const diff = Object.entries(s.answers).find(([k, v]) => k.endsWith('/difficulties') && typeof v === 'string');
      if (diff) expect(text.slice(text.indexOf(vi.document.h5Difficulties))).toContain(String(diff[1]));
    }

    // appendix (test/unit/export-docx.test.ts reads it table by table): the districts' shared duties total as the stored answers add up
    expect(text).toContain(`\n${vi.document.hAppendix}\n${vi.document.appendixTitle}\n`);
    const group = regime.units.find((u) => u.code === 'UBND-HUYEN')!;
    const blocks = docxBlocks(doc.documentXml.slice(doc.documentXml.lastIndexOf(vi.document.appendixTitle)));
    let checked = 0;
    group.duties.forEach((d, j) => {
      const at = blocks.findIndex((b) => b.kind === 'p' && b.text === `${'abcdđe'[j]}) ${d.title}`);
      const rows = (blocks[at + 1] as { rows: string[][] }).rows;
      for (const q of d.questions.filter((x) => x.type === 'integer' || x.type === 'decimal')) {
        const exp = expectedSum(latest, unitsWithDuty(regime, group.code, d.id), `${d.id}/${q.name}`);
        expect(rows[rows.length - 1][0]).toBe(vi.document.totalRow);
        expect(rows[rows.length - 1][rows[0].indexOf(`${q.label} (${q.unitLabel})`)], `${d.id}/${q.name}`).toBe(fmtNumber(exp!));
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(10);

    // the chart is a real PNG (test/chart.test.ts checks what it draws), shown at the text's width
    // with its aspect kept, described in words for whoever cannot see it, its caption without a key
    expect(doc.media).toHaveLength(1);
    const png = decodePng(doc.media[0].data);
    const extent = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/.exec(doc.documentXml)!;
    expect(Number(extent[1])).toBe(600 * 9525);
    expect(Number(extent[2]) / Number(extent[1])).toBeCloseTo(png.height / png.width, 3);
    const descr = /<wp:docPr [^>]*descr="([^"]*)"/.exec(doc.documentXml)![1];
    for (const ind of regime.indicators) expect(descr).toContain(ind.name);
    expect(descr).toContain(`${regime.indicators.find((i) => i.id === 'pension_coverage')!.name}: kết quả chưa tính được`);
    expect(text).toContain(vi.document.chartCaption);
    expect(text).not.toMatch(/\b1 – Tỷ lệ/);
  });

  it('CSV: UTF-8 with BOM, one row per unit and question, values exactly as stored', async () => {
    const res = await get(`/api/admin/export/${PERIOD}.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const buf = Buffer.from(await res.arrayBuffer());
    expect(buf.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(buf.toString('utf8').slice(1));
    expect(rows[0]).toEqual([...vi.document.csvHeaders]);
    const body = rows.slice(1);
    const expectedRows = filingUnits(regime, PERIOD).reduce((n, code) => n + buildForm(regime, code, 'H1')!.sections.reduce((m, s) => m + s.questions.filter((q) => q.type !== 'note').length, 0), 0);
    expect(body).toHaveLength(expectedRows);
    const col = (name: string) => vi.document.csvHeaders.indexOf(name as never);
    let numeric = 0;
    for (const r of body) {
      expect(r).toHaveLength(vi.document.csvHeaders.length);
      expect(r[col('Kỳ báo cáo')]).toBe(PERIOD);
      const unit = r[col('Mã đơn vị')];
      const stored = latest.get(unit)?.answers[r[col('Mã câu hỏi')]];
      const raw = r[col('Giá trị')];
      if (!latest.has(unit)) expect(raw).toBe('');
      else if (typeof stored === 'number') {
        expect(raw).toBe(String(stored));
        expect(Number(raw)).toBe(stored);
        numeric++;
      } else if (Array.isArray(stored)) expect(raw).toBe(stored.join(';'));
      else if (stored === null || stored === undefined) expect(raw).toBe('');
      else expect(raw).toBe(stored);
      // The submission time in a form any program reads: ISO 8601 with the regime's offset.
      if (latest.has(unit)) expect(Date.parse(r[col('Thời điểm nộp')])).toBe(latest.get(unit)!.submittedAt);
    }
    expect(body.find((r) => latest.has(r[col('Mã đơn vị')]))?.[col('Thời điểm nộp')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(numeric).toBeGreaterThan(150);
    const stc = body.filter((r) => r[col('Mã đơn vị')] === NOT_SUBMITTED);
    expect(stc.length).toBeGreaterThan(0);
    expect(stc.every((r) => r[col('Trạng thái')].startsWith('Chưa bắt đầu'))).toBe(true);
  });

  it('exports a period nobody has reported yet (a monthly one): everything open, every rate "Chưa tính được" in the sheet; the draft has no rate to show', async () => {
    const xlsx = await readXlsx(Buffer.from(await (await get('/api/admin/export/2027-06.xlsx')).arrayBuffer()));
    const ind = xlsx.getWorksheet(vi.document.sheetIndicators)!;
    for (let r = 4; r < 4 + regime.indicators.length; r++) expect(ind.getRow(r).getCell(5).value).toBe('Chưa tính được');
    const doc = await readDocx(Buffer.from(await (await get('/api/admin/export/2027-06.docx')).arrayBuffer()));
    expect(doc.text).toContain('tháng 06/2027');
    expect(doc.text).toContain(vi.document.noResults);
    // monthly forms collect no indicator's inputs: no rate table and no chart, the figures section says nobody has reported (test/unit/export-docx.test.ts: with figures)
    expect(doc.media).toHaveLength(0);
    expect(doc.text).not.toContain(vi.consolidation.notComputed);
    expect(doc.text).toContain(`${vi.document.h3Figures}\n${vi.document.noFigures}\n`);
    const csv = parseCsv((await (await get('/api/admin/export/2027-06.csv')).text()).replace(/^\uFEFF/, ''));
    expect(new Set(csv.slice(1).map((r) => r[1])).size).toBe(8);
    // these three exports are audited too
    await app.ctx.store.audit.find({ action: 'export.created' }).then((a) => expect(a.filter((x) => x.subject === '2027-06')).toHaveLength(3));
  });

  it('records every export in the audit log', async () => {
    const audit = (await app.ctx.store.audit.find({ action: 'export.created' })).filter((a) => a.subject === PERIOD);
    expect(audit.map((a) => (a.details as any).format).sort()).toEqual(['csv', 'docx', 'xlsx']);
    expect(audit.every((a) => a.channel === 'http' && a.actor === 'admin-token')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
  });
});

describe('admin HTTP: periods the regime does not have, and a server without ADMIN_TOKEN', () => {
  it('404 for a monthly period when the regime has no monthly report', async () => {
    const data = JSON.parse(readFileSync(DEFAULT_REGIME_FILE, 'utf8'));
    data.reportKinds = data.reportKinds.filter((k: any) => k.id !== 'M');
    for (const u of data.units) for (const d of u.duties ?? []) if (d.reportKinds) d.reportKinds = d.reportKinds.filter((k: string) => k !== 'M');
    const file = join(mkdtempSync(join(tmpdir(), 'dondoc-regime-')), 'no-monthly.json');
    writeFileSync(file, JSON.stringify(data));
    const app = await startTestApp({ ADMIN_TOKEN: TOKEN, REGIME_FILE: file });
    try {
      const res = await fetch(`${app.url}/api/admin/status/2027-06`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      const ok = await fetch(`${app.url}/api/admin/status/2027-H1`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('401 for everyone when ADMIN_TOKEN is not set', async () => {
    const app = await startTestApp();
    try {
      for (const auth of [undefined, 'Bearer ', 'Bearer undefined']) {
        const res = await fetch(`${app.url}/api/admin/status/2027-H1`, { headers: auth ? { authorization: auth } : {} });
        expect(res.status).toBe(401);
        expect((await res.json()).error.message).toContain('ADMIN_TOKEN');
      }
    } finally {
      await app.close();
    }
  });
});
