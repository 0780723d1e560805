/**
 * The building blocks of the Excel workbook (exceljs): number formats, local wall-clock dates and
 * the one way a sheet is made (title, subtitle, header row, frozen panes, filter). Every sheet of
 * the consolidation workbook is made with `sheet`.
 */
import type ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { XLSX_DAY_FORMAT, XLSX_INSTANT_FORMAT } from '../lib/datetime.js';

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

export function sheet(wb: ExcelJS.Workbook, name: string, title: string, subtitle: string, headers: string[], widths: number[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }] });
  ws.columns = widths.map((w) => ({ width: w }));
  ws.getRow(1).getCell(1).value = title;
  ws.getRow(1).getCell(1).font = { bold: true, size: 14 };
  ws.getRow(2).getCell(1).value = subtitle;
  ws.getRow(2).getCell(1).font = { italic: true };
  const h = ws.getRow(3);
  headers.forEach((t, i) => {
    const cell = h.getCell(i + 1);
    cell.value = t;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: headers.length } };
  return ws;
}
