/**
 * The building blocks of the Excel workbook (exceljs's streaming WorkbookWriter): number formats,
 * local wall-clock dates, the one way a sheet is made (title, subtitle, header row, frozen panes,
 * filter, and how it prints) and the one way a row is written (`commitRow`). Every sheet of the
 * consolidation workbook is made with `sheet`, so every sheet prints the same way.
 */
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import { LINE_HEIGHT, wrappedLines } from '../lib/wrapped-lines.js';
import { DateTime } from 'luxon';
import { XLSX_DAY_FORMAT, XLSX_INSTANT_FORMAT } from '../lib/datetime.js';
import { vi } from '../i18n/vi.js';
import { inertText } from './export-cells.js';

export const FMT = {
  integer: '#,##0',
  decimal: '#,##0.00',
  percentGiven: '0.0#',
  rate: '0.00',
  gap: '+0.00;-0.00;0.00',
  /** A change of a whole or a decimal figure, signed. */
  change: '+#,##0;-#,##0;0',
  changeDecimal: '+#,##0.00;-#,##0.00;0.00',
  dateTime: XLSX_INSTANT_FORMAT,
  date: XLSX_DAY_FORMAT,
};

/** Excel has no time zones: a local wall-clock instant is written as that wall clock. */
export function localDate(ms: number, zone: string): Date {
  const d = DateTime.fromMillis(ms, { zone });
  return new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
}

export function numFmtFor(type: string, v: number): string {
  if (type === 'percent') return FMT.percentGiven;
  return Number.isInteger(v) ? FMT.integer : FMT.decimal;
}

/** The rows every sheet starts with (title, subtitle, column headers): frozen on screen, repeated on every printed page. */
const HEADER_ROWS = 3;

/**
 * How every sheet prints: A4 landscape, fitted to one page wide and as many pages tall as needed,
 * the title, subtitle and header rows repeated on each page, centred between 1.5 cm margins, the
 * sheet's name (left) and "Trang 1/3" (centre) in the footer (Excel's &A, &P and &N fields).
 * Given when the sheet is added: the streaming writer writes the sheet's properties (fitToPage)
 * as soon as the sheet opens.
 */
const PAGE_SETUP: Partial<ExcelJS.PageSetup> = {
  paperSize: 9 as ExcelJS.PaperSize, // A4
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  horizontalCentered: true,
  // inches: 1.5 cm left and right, 2 cm top and bottom, header and footer 0.8 cm from the edge
  margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
  printTitlesRow: `1:${HEADER_ROWS}`,
};

/** exceljs's own writer of <printOptions>, the one its in-memory writer uses (not among its exports); loaded with the first sheet, not with this module. */
let printOptionsXform: { toXml(model: unknown): string } | undefined;
const PrintOptionsXform = () => (printOptionsXform ??= new (createRequire(import.meta.url)('exceljs/lib/xlsx/xform/sheet/print-options-xform.js') as new () => { toXml(model: unknown): string })());

/**
 * exceljs's streaming writer (4.4.0) writes no <printOptions>, so "centre on page horizontally"
 * would be lost (its fix for exceljs/exceljs#1045 went into the in-memory writer only). Written
 * here from the sheet's own pageSetup by exceljs's PrintOptionsXform, just before <pageMargins>,
 * where the schema and the in-memory writer put it. The method wrapped is the writer's own; if a
 * later exceljs renames it, this throws rather than write a sheet that prints differently.
 */
function writePrintOptions(ws: ExcelJS.Worksheet): void {
  const w = ws as unknown as { _writePageMargins?: () => void; stream: { write(xml: string): void }; pageSetup: ExcelJS.PageSetup };
  const margins = w._writePageMargins;
  if (typeof margins !== 'function') throw new Error('exceljs: the streaming worksheet writer has no _writePageMargins; <printOptions> cannot be written');
  const xform = PrintOptionsXform();
  w._writePageMargins = () => {
    w.stream.write(xform.toXml(w.pageSetup));
    margins.call(w);
  };
}

/**
 * Makes exceljs's style registry (StylesXform.addStyleModel) find each cell's style id without
 * serialising the style. exceljs gives every cell its own style object (a copy of its row's and
 * column's) and finds the id by writing that style out as XML each time (its by-object cache never
 * hits): about a second of a 1,000-unit period's workbook. But the parts of those objects (the
 * column's alignment, a font) are shared, so the id is remembered here by what addStyleModel reads:
 * the cell's type (it decides the default number format), the number format, and which font,
 * border, fill, alignment and protection objects. A part seen for the first time is a miss, and
 * exceljs registers the style as before, so the ids, and so the file, are exactly exceljs's. Style
 * parts are never changed once given to a cell (every `cell.font = …` here is a new object).
 * Wrapped once per workbook; if a later exceljs renames the method, this throws rather than write
 * styles some other way.
 */
const cachedStyles = new WeakSet<object>();
interface StyleModel {
  numFmt?: string;
  font?: object;
  border?: object;
  fill?: object;
  alignment?: object;
  protection?: object;
}
function cacheStyleIds(wb: ExcelJS.Workbook): void {
  const styles = (wb as unknown as { styles?: { addStyleModel?: (model: StyleModel | undefined, cellType?: number) => number } }).styles;
  if (!styles || cachedStyles.has(styles)) return;
  const add = styles.addStyleModel;
  if (typeof add !== 'function') throw new Error('exceljs: the streaming workbook has no styles.addStyleModel; style ids cannot be cached');
  const parts = new WeakMap<object, number>();
  let seen = 0;
  const part = (o: object | undefined): number | '' => {
    if (!o) return '';
    let n = parts.get(o);
    if (n === undefined) parts.set(o, (n = ++seen));
    return n;
  };
  const ids = new Map<string, number>();
  styles.addStyleModel = (model, cellType) => {
    if (!model) return add.call(styles, model, cellType);
    const key = `${cellType ?? ''}|${model.numFmt ?? ''}|${part(model.font)}|${part(model.border)}|${part(model.fill)}|${part(model.alignment)}|${part(model.protection)}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = add.call(styles, model, cellType)));
    return id;
  };
  cachedStyles.add(styles);
}

/**
 * A sheet of the streaming workbook (exceljs's WorkbookWriter): a title, a subtitle, a header row,
 * then the caller's rows, each written with `commitRow` (the writer then forgets it). Data cells
 * are top-aligned and wrap (a long text grows the row instead of widening the column), so the
 * widths can stay those of a page printed one page wide. `name`, the tab's name, follows Excel's
 * rule: at most 31 characters, none of : \ / ? * [ ] (test/exports-print.test.ts checks every
 * sheet's name). The caller commits the sheet (`ws.commit()`) after its last row.
 */
export function sheet(wb: ExcelJS.Workbook, name: string, title: string, subtitle: string, headers: string[], widths: number[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROWS, xSplit: 0 }],
    pageSetup: PAGE_SETUP,
    headerFooter: { oddFooter: `&L&A&C${vi.document.sheetPageFooter('&P', '&N')}` },
  });
  cacheStyleIds(wb);
  writePrintOptions(ws);
  ws.columns = widths.map((w) => ({ width: w, style: { alignment: { vertical: 'top', wrapText: true } } }));
  ws.autoFilter = { from: { row: HEADER_ROWS, column: 1 }, to: { row: HEADER_ROWS, column: headers.length } };
  for (const [row, text, font] of [
    [1, title, { bold: true, size: 14 }],
    [2, subtitle, { italic: true }],
  ] as const) {
    const cell = ws.getRow(row).getCell(1);
    cell.value = text;
    cell.font = font;
    // The title and subtitle run on across the columns (they do not wrap in column A).
    cell.alignment = { vertical: 'middle', wrapText: false };
    commitRow(ws, ws.getRow(row));
  }
  const h = ws.getRow(HEADER_ROWS);
  headers.forEach((t, i) => {
    const cell = h.getCell(i + 1);
    cell.value = t;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
  commitRow(ws, h);
  return ws;
}

/** Each sheet's measured texts (wrappedLines), forgotten with the sheet. */
const measuredLines = new WeakMap<ExcelJS.Worksheet, Map<string, number>>();

/**
 * Writes a finished row: every text cell made inert (export-cells.ts: no formulas), whoever wrote
 * it; the row given the height its wrapped text needs when that is more than one line; then
 * committed, so the streaming writer writes it out and forgets it. Excel would fit a row without a
 * height when the file opens, but LibreOffice does not: it prints only the first line. A height
 * written is kept by both (exceljs marks it custom), hence an estimate that errs tall.
 */
export function commitRow(ws: ExcelJS.Worksheet, row: ExcelJS.Row): void {
  let lines = 1;
  let measured = measuredLines.get(ws);
  if (!measured) measuredLines.set(ws, (measured = new Map()));
  row.eachCell({ includeEmpty: false }, (cell) => {
    if (typeof cell.value !== 'string') return;
    cell.value = inertText(cell.value);
    if (!cell.alignment?.wrapText) return;
    lines = Math.max(lines, wrappedLines(cell.value, ws.getColumn(cell.col).width ?? 10, Boolean(cell.font?.bold), measured));
  });
  if (lines > 1) row.height = lines * LINE_HEIGHT;
  row.commit();
}
