/**
 * The workbook's sheet "So sánh" (reporting/comparison.ts): one row per indicator and per summed
 * figure, with this period's value and, for each earlier period stored (the same period last
 * year, then for a monthly report the previous month), its value, the change and the change in
 * %. Numbers are written as numbers with number formats (changes signed; a rate's change in
 * percentage points); a row that cannot be compared says why in the Ghi chú column. Without any
 * earlier period stored, the sheet says so once under its title.
 */
import type ExcelJS from 'exceljs';
import { vi } from '../i18n/vi.js';
import type { ComparedPeriod, Comparison, ComparisonRow } from './comparison.js';
import { withoutReportWord } from './wording.js';
import { commitRow, FMT, numFmtFor, sheet } from './xlsx-parts.js';

const W = vi.comparison;
const roleWords = (b: ComparedPeriod) => W.role[b.role];
const words = (name: string) => withoutReportWord(name, false);

function valueFmt(row: ComparisonRow, v: number): string {
  return row.kind === 'indicator' ? FMT.rate : numFmtFor(row.type as string, v);
}

function changeFmt(row: ComparisonRow, v: number): string {
  if (row.measure === 'points') return FMT.gap;
  return Number.isInteger(v) ? FMT.change : FMT.changeDecimal;
}

/** Why a row, or one of its comparisons, has no change. */
function notes(row: ComparisonRow, bases: ComparedPeriod[]): string {
  const rate = row.kind === 'indicator';
  const out: string[] = [];
  if (row.current === null && !row.against.some((c) => c.status === 'not_additive')) out.push(W.notNow(rate));
  row.against.forEach((c, i) => {
    const role = roleWords(bases[i]);
    if (c.status === 'not_additive') out.push(W.notAdditive);
    else if (c.status === 'units_differ') out.push(W.unitsDiffer(role, row.reported ?? 0, c.reported ?? 0, c.onlyNow ?? [], c.onlyThen ?? []));
    else if (c.value === null) out.push(W.notThen(role, rate));
    else if (c.status === 'compared' && row.measure === 'amount' && c.relative === null && c.value === 0) out.push(W.zeroBase(role));
  });
  return [...new Set(out)].join('; ');
}

export function comparisonSheet(wb: ExcelJS.Workbook, cmp: Comparison): void {
  const all = [...cmp.bases, ...cmp.absent];
  const against = W.and(all.map(roleWords));
  const periods = [W.periodItem(W.thisPeriod, words(cmp.period.name)), ...cmp.bases.map((b) => W.periodItem(roleWords(b), words(b.name)))].join('; ');
  const subtitle = cmp.bases.length ? [W.sheetSubtitle(periods), ...cmp.absent.map((b) => W.absent(W.roleOf(roleWords(b), words(b.name))))].join(' ') : W.noEarlier;
  const headers = [
    ...W.headersStart,
    W.headerNow(words(cmp.period.name)),
    ...cmp.bases.flatMap((b) => [W.headerValue(roleWords(b), words(b.name)), W.headerChange(roleWords(b)), W.headerRelative(roleWords(b))]),
    W.headerNote,
  ];
  const ws = sheet(wb, W.sheetName, W.sheetTitle(against, cmp.period.name), subtitle, headers, [6, 40, 60, 12, 16, ...cmp.bases.flatMap(() => [16, 16, 14]), 60]);
  cmp.rows.forEach((row, i) => {
    const group = row.kind === 'indicator' ? W.indicatorGroup : W.dutyGroup(row.duty!.ownerName, row.duty!.title);
    const label = row.partOf ? vi.document.ofWhich(row.label) : row.label;
    const r = ws.addRow([i + 1, group, label, row.unitLabel ?? null, row.current, ...row.against.flatMap((c) => [c.value, c.change, c.relative]), notes(row, cmp.bases) || null]);
    const num = (col: number, v: number | null, fmt: (v: number) => string) => {
      if (v !== null) r.getCell(col).numFmt = fmt(v);
    };
    num(5, row.current, (v) => valueFmt(row, v));
    row.against.forEach((c, j) => {
      const col = 6 + j * 3;
      num(col, c.value, (v) => valueFmt(row, v));
      num(col + 1, c.change, (v) => changeFmt(row, v));
      num(col + 2, c.relative, () => FMT.gap);
    });
    r.getCell(3).alignment = { wrapText: true, vertical: 'top' };
    r.getCell(headers.length).alignment = { wrapText: true, vertical: 'top' };
    commitRow(ws, r);
  });
  ws.commit();
}
