/**
 * The XLSX prints and the CSV is neutral. Over the seeded 2027-H1 scenario, through the admin HTTP
 * API of the real app:
 * - the XLSX is unzipped and its XML read as a spreadsheet program reads it: every sheet, whatever
 *   it is, is set to print on A4 landscape fitted to one page wide (`sheetPr/pageSetUpPr`,
 *   `pageSetup`), repeats its title, subtitle and header rows (`_xlnm.Print_Titles`), numbers its
 *   pages in the footer in Vietnamese; its name is Excel-valid; its columns are narrow enough to
 *   print at a readable scale; a long text wraps in a row tall enough for it;
 * - the CSV is read back with an RFC 4180 reader: its header is exactly the README's column table,
 *   every number is the stored value in plain form (dot decimal, no grouping, no exponent), the
 *   submission time is ISO 8601, choices are codes with their labels beside them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.js';
import { vi } from '../i18n/vi.js';
import type { Submission } from '../store/records.js';
import { buildForm } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime, FIGURES, NOT_SUBMITTED, NOW, PERIOD, seedScenario, storedLatest } from './helpers/consolidation-scenario.js';
import { parseCsv, readXlsx } from './helpers/office.js';
import { filingUnits } from './helpers/seed-submissions.js';

const TOKEN = 'admin-token-for-tests-0123456789';
const regime = defaultRegime();

/** The attributes of the first `<tag …>` in `xml`. */
function attrs(xml: string, tag: string): Record<string, string> | undefined {
  const m = new RegExp(`<${tag}(\\s[^>]*?)?/?>`).exec(xml);
  return m ? Object.fromEntries([...(m[1] ?? '').matchAll(/([\w:]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])) : undefined;
}
const unescapeXml = (s: string) =>
  s
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The README's table of CSV columns: the first cell of each row under "**CSV columns.**". */
function documentedCsvColumns(): string[] {
  const readme = readFileSync(resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**CSV columns.**'));
  const table = section.slice(section.indexOf('| column |')).split('\n\n')[0].split('\n').slice(2);
  return table.map((row) => /^\| `([^`]+)` \|/.exec(row)![1]);
}

async function startWith(figures = FIGURES): Promise<{ app: TestApp; latest: Map<string, Submission>; get: (path: string) => Promise<Buffer> }> {
  const app = await startTestApp({ ADMIN_TOKEN: TOKEN }, { clock: new ManualClock(NOW.getTime()) });
  await seedScenario(app.ctx.store, app.ctx.regime, { figures });
  const latest = await storedLatest(app.ctx.store);
  const get = async (path: string) => {
    const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status, path).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  return { app, latest, get };
}

describe('XLSX: every sheet prints on A4 landscape, one page wide, with its headers and page numbers', () => {
  let app: TestApp;
  let zip: JSZip;
  let xlsx: Buffer;
  /** Each sheet in tab order: its name and its worksheet XML. */
  let sheets: Array<{ name: string; xml: string }>;
  let workbookXml: string;

  beforeAll(async () => {
    const s = await startWith();
    app = s.app;
    xlsx = await s.get(`/api/admin/export/${PERIOD}.xlsx`);
    zip = await JSZip.loadAsync(xlsx);
    workbookXml = await zip.file('xl/workbook.xml')!.async('string');
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    const target = (id: string) => attrs(rels.match(new RegExp(`<Relationship [^>]*Id="${id}"[^>]*>`))![0], 'Relationship')!.Target;
    sheets = [];
    for (const m of workbookXml.matchAll(/<sheet [^>]*\/>/g)) {
      const a = attrs(m[0], 'sheet')!;
      const path = `xl/${target(a['r:id']).replace(/^\/?xl\//, '')}`;
      sheets.push({ name: unescapeXml(a.name), xml: await zip.file(path)!.async('string') });
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has the five sheets under their Vietnamese names, each a valid Excel sheet name', () => {
    const names = sheets.map((s) => s.name);
    for (const n of [vi.document.sheetStatus, vi.document.sheetIndicators, vi.document.sheetDistricts, vi.document.sheetDuties, vi.document.sheetAnswers]) expect(names).toContain(n);
    for (const n of names) {
      expect(n.length, n).toBeLessThanOrEqual(31);
      expect(n, n).not.toMatch(/[:\\/?*[\]]|^'|'$/);
      expect(n.trim(), n).toBe(n);
    }
    expect(new Set(names.map((n) => n.toLocaleLowerCase('vi'))).size).toBe(names.length);
  });

  it('sets every sheet to A4 landscape, fitted to one page wide and as many tall as needed, centred', () => {
    for (const { name, xml } of sheets) {
      expect(attrs(xml, 'pageSetUpPr'), name).toMatchObject({ fitToPage: '1' });
      expect(xml, name).toMatch(/<sheetPr>(?:(?!<\/sheetPr>).)*<pageSetUpPr fitToPage="1"\/>/);
      expect(attrs(xml, 'pageSetup'), name).toMatchObject({ orientation: 'landscape', paperSize: '9', fitToWidth: '1', fitToHeight: '0' });
      expect(attrs(xml, 'printOptions'), name).toMatchObject({ horizontalCentered: '1' });
      const margins = attrs(xml, 'pageMargins')!;
      for (const side of ['left', 'right', 'top', 'bottom']) {
        expect(Number(margins[side]), `${name} ${side}`).toBeGreaterThanOrEqual(0.4);
        expect(Number(margins[side]), `${name} ${side}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('repeats the title, subtitle and header rows on every printed page of every sheet', async () => {
    const wb = await readXlsx(xlsx);
    const titles = [...workbookXml.matchAll(/<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]*)<\/definedName>/g)].map((m) => ({ sheet: Number(m[1]), ref: unescapeXml(m[2]) }));
    expect(titles.map((t) => t.sheet).sort()).toEqual(sheets.map((_, i) => i));
    for (const t of titles) {
      const { name } = sheets[t.sheet];
      expect(t.ref, name).toBe(`'${name}'!$1:$3`);
      // Rows 1 to 3 are the title, the subtitle and the column headers.
      const ws = wb.getWorksheet(name)!;
      expect(ws.getRow(1).getCell(1).font?.bold, name).toBe(true);
      expect(String(ws.getRow(2).getCell(1).value), name).not.toBe('');
      const header = ws.getRow(3);
      expect(header.cellCount, name).toBe(ws.columnCount);
      header.eachCell((c) => expect(c.font?.bold, `${name} ${c.address}`).toBe(true));
    }
    const header = (name: string) => (wb.getWorksheet(name)!.getRow(3).values as unknown[]).slice(1);
    expect(header(vi.document.sheetStatus)).toEqual([...vi.document.statusHeaders]);
    expect(header(vi.document.sheetAnswers)).toEqual([...vi.document.answerHeaders]);
  });

  it('numbers the pages in the footer in Vietnamese, beside the sheet name', () => {
    for (const { name, xml } of sheets) {
      const footer = unescapeXml(/<oddFooter>([^<]*)<\/oddFooter>/.exec(xml)?.[1] ?? '');
      expect(footer, name).toContain(vi.document.sheetPageFooter('&P', '&N'));
      expect(footer, name).toMatch(/Trang &P\/&N/);
      expect(footer, name).toContain('&A');
    }
  });

  it('keeps every sheet narrow enough to print one page wide at a readable scale, long texts wrapped in rows tall enough for them', async () => {
    const wb = await readXlsx(xlsx);
    for (const ws of wb.worksheets) {
      // Column widths in characters; 200 is about 68 % of a landscape A4 page in Excel (58 % in LibreOffice's stand-in font).
      const total = ws.columns.reduce((n, c) => n + (c.width ?? 9), 0);
      expect(total, ws.name).toBeLessThanOrEqual(200);
      let long = 0;
      ws.eachRow((row, r) => {
        if (r <= 3) return;
        row.eachCell((cell) => {
          if (typeof cell.value !== 'string') return;
          expect(cell.alignment?.wrapText, `${ws.name}!${cell.address}`).toBe(true);
          // A text twice as wide as its column takes two lines at least: its row is given that height.
          if (cell.value.length > 2 * (ws.getColumn(cell.col).width ?? 9)) {
            long++;
            expect(row.height ?? 15, `${ws.name}!${cell.address} ${cell.value}`).toBeGreaterThanOrEqual(30);
          }
        });
      });
      if (ws.name === vi.document.sheetAnswers) expect(long).toBeGreaterThan(50);
    }
  });
});

describe('CSV: one neutral value per cell', () => {
  let app: TestApp;
  let latest: Map<string, Submission>;
  let buf: Buffer;
  let rows: string[][];
  const col = (name: string) => vi.document.csvHeaders.indexOf(name as never);

  beforeAll(async () => {
    const s = await startWith();
    app = s.app;
    latest = s.latest;
    buf = await s.get(`/api/admin/export/${PERIOD}.csv`);
    rows = parseCsv(buf.toString('utf8').slice(1));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('starts with a BOM; its header row is exactly the columns the README documents', () => {
    expect(buf.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(documentedCsvColumns()).toEqual([...vi.document.csvHeaders]);
    expect(rows[0]).toEqual(documentedCsvColumns());
    expect(rows[0]).not.toContain('Giá trị hiển thị');
    for (const r of rows) expect(r).toHaveLength(rows[0].length);
  });

  it('writes every stored number exactly as String(stored): dot decimal, no grouping, read back as the stored value', () => {
    let numbers = 0;
    let decimals = 0;
    for (const r of rows.slice(1)) {
      const stored = latest.get(r[col('Mã đơn vị')])?.answers[r[col('Mã câu hỏi')]];
      const cell = r[col('Giá trị')];
      if (['integer', 'decimal', 'percent'].includes(r[col('Kiểu')])) expect(cell, r.join(',')).toMatch(/^(-?\d+(\.\d+)?)?$/);
      if (typeof stored !== 'number') continue;
      numbers++;
      if (!Number.isInteger(stored)) decimals++;
      expect(cell).toBe(String(stored));
      expect(Number(cell)).toBe(stored);
      expect(cell).toMatch(/^-?\d+(\.\d+)?$/);
    }
    expect(numbers).toBeGreaterThan(150);
    expect(decimals).toBeGreaterThan(0);
    // The figure the issue names: 31.250 in Vietnamese, 31250 here.
    const bhxh = rows.find((r) => r[col('Mã đơn vị')] === 'BHXH' && r[col('Mã câu hỏi')] === 'd4/si_participants')!;
    expect(bhxh[col('Giá trị')]).toBe(String(FIGURES.BHXH['d4/si_participants']));
  });

  it('writes the submission time as ISO 8601 with the offset, the revision as a plain integer, dates as YYYY-MM-DD', () => {
    let dates = 0;
    for (const r of rows.slice(1)) {
      const sub = latest.get(r[col('Mã đơn vị')]);
      if (!sub) {
        expect(r[col('Thời điểm nộp')]).toBe('');
        expect(r[col('Lần nộp')]).toBe('');
        expect(r[col('Giá trị')]).toBe('');
        continue;
      }
      expect(r[col('Thời điểm nộp')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      expect(Date.parse(r[col('Thời điểm nộp')])).toBe(sub.submittedAt);
      expect(r[col('Lần nộp')]).toBe(String(sub.revision));
      if (r[col('Kiểu')] === 'date' && sub.answers[r[col('Mã câu hỏi')]]) {
        expect(r[col('Giá trị')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(r[col('Giá trị')]).toBe(sub.answers[r[col('Mã câu hỏi')]]);
        dates++;
      }
    }
    expect(dates).toBeGreaterThan(0);
    expect(rows.filter((r) => r[col('Mã đơn vị')] === NOT_SUBMITTED).length).toBe(
      buildForm(regime, NOT_SUBMITTED, 'H1')!.sections.reduce((n, s) => n + s.questions.filter((q) => q.type !== 'note').length, 0),
    );
    expect(new Set(rows.slice(1).map((r) => r[col('Mã đơn vị')]))).toEqual(new Set(filingUnits(regime, PERIOD)));
  });

  it('keeps choices as their codes and puts their labels, from the regime, in a column of their own', () => {
    const questions = new Map(filingUnits(regime, PERIOD).flatMap((u) => buildForm(regime, u, 'H1')!.sections.flatMap((s) => s.questions.map((q) => [q.key, q] as const))));
    let multi = 0;
    for (const r of rows.slice(1)) {
      const stored = latest.get(r[col('Mã đơn vị')])?.answers[r[col('Mã câu hỏi')]];
      const q = questions.get(r[col('Mã câu hỏi')])!;
      if (!q.choices || stored === undefined || stored === null) {
        expect(r[col('Nhãn lựa chọn')], r.join(',')).toBe('');
        continue;
      }
      const codes = Array.isArray(stored) ? stored : [String(stored)];
      if (codes.length > 1) multi++;
      expect(r[col('Giá trị')]).toBe(codes.join(';'));
      expect(r[col('Nhãn lựa chọn')]).toBe(codes.map((c) => regime.choiceLists[q.choices!].find((x) => x.name === c)!.label).join('; '));
    }
    expect(multi).toBeGreaterThan(0);
  });
});

describe('CSV: a number String() would write with an exponent', () => {
  let app: TestApp;
  let rows: string[][];
  const col = (name: string) => vi.document.csvHeaders.indexOf(name as never);

  beforeAll(async () => {
    const s = await startWith({ ...FIGURES, BHXH: { ...FIGURES.BHXH, 'd4/si_participants': 2.5e21, 'd2/satisfaction_index': 1.5e-7 } });
    app = s.app;
    rows = parseCsv((await s.get(`/api/admin/export/${PERIOD}.csv`)).toString('utf8').slice(1));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('spells it out in full, and it reads back as the stored value', () => {
    const value = (key: string) => rows.find((r) => r[col('Mã đơn vị')] === 'BHXH' && r[col('Mã câu hỏi')] === key)![col('Giá trị')];
    expect(value('d4/si_participants')).toBe('2500000000000000000000');
    expect(Number(value('d4/si_participants'))).toBe(2.5e21);
    expect(value('d2/satisfaction_index')).toBe('0.00000015');
    expect(Number(value('d2/satisfaction_index'))).toBe(1.5e-7);
  });
});
