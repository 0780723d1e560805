/**
 * The XLSX prints. Over the seeded 2027-H1 scenario, through the admin HTTP API of the real app:
 * - the XLSX is unzipped and its XML read as a spreadsheet program reads it: every sheet, whatever
 *   it is, is set to print on A4 landscape fitted to one page wide (`sheetPr/pageSetUpPr`,
 *   `pageSetup`), repeats its title, subtitle and header rows (`_xlnm.Print_Titles`), numbers its
 *   pages in the footer in Vietnamese; its name is Excel-valid; its columns are narrow enough to
 *   print at a readable scale; a long text wraps in a row tall enough for it.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.js';
import { vi } from '../i18n/vi.js';
import type { Submission } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { FIGURES, NOW, PERIOD, seedScenario, storedLatest } from './helpers/consolidation-scenario.js';
import { readXlsx } from './helpers/office.js';

const TOKEN = 'admin-token-for-tests-0123456789';

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
