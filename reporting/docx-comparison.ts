/**
 * The draft report's comparison with earlier periods (reporting/comparison.ts), placed after
 * section III's rate table and district tables: one sentence per rate ("Tỷ lệ … đạt 22,00%, tăng
 * 0,85 điểm phần trăm so với cùng kỳ năm trước (21,15%).") and one table of the units' summed
 * figures, grouped by duty (under the owner's short name), with the change against each earlier
 * period. Without any earlier period stored, one line says so. Built from reporting/docx-parts.ts;
 * the words are in vi.comparison.
 */
import { AlignmentType, type Paragraph } from 'docx';
import type { Block } from './docx-pack.js';
import { vi } from '../i18n/vi.js';
import type { Change, ComparedPeriod, Comparison, ComparisonRow } from './comparison.js';
import { body, heading, subheading, table, type TableCellInput } from './docx-parts.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { findUnit } from '../regime/regime.js';
import { fmtNumber, fmtPercent, fmtRate, withoutReportWord } from './wording.js';

const W = vi.comparison;
const roleWords = (b: ComparedPeriod) => W.role[b.role];
const roleOf = (b: ComparedPeriod) => W.roleOf(roleWords(b), withoutReportWord(b.name, false));

/** A rate or a percentage point count to the two decimals the report shows: "0,85". */
const points2 = (v: number) => fmtRate(v).slice(0, -1);

/**
 * "tăng 0,85 điểm phần trăm", "giảm 1.230 (3,08%)", "không đổi". A rate's change that rounds to
 * 0,00 points is "không đổi", as the two rates shown are then equal.
 */
export function changeWords(row: Pick<ComparisonRow, 'measure'>, c: Change, o: { short?: boolean; unitLabel?: string } = {}): string {
  const d = c.change as number;
  if (row.measure === 'points') {
    const rounded = Math.round(Math.abs(d) * 100) / 100;
    if (rounded === 0) return W.unchanged;
    const what = o.short ? W.pointsShort(points2(rounded)) : W.points(points2(rounded));
    return d > 0 ? W.up(what) : W.down(what);
  }
  if (d === 0) return W.unchanged;
  const what = W.amount(fmtNumber(Math.abs(d)), o.unitLabel, c.relative === null ? undefined : fmtRate(Math.abs(c.relative)));
  return d > 0 ? W.up(what) : W.down(what);
}

function valueText(row: ComparisonRow, v: number | null): string {
  if (v === null) return vi.consolidation.notReported;
  if (row.kind === 'indicator') return fmtRate(v);
  return row.type === 'percent' ? fmtPercent(v) : fmtNumber(v);
}

function changeCell(row: ComparisonRow, c: Change): string {
  switch (c.status) {
    case 'compared':
      return changeWords(row, c, { short: true });
    case 'units_differ':
      return W.cellUnitsDiffer(row.reported ?? 0, c.reported ?? 0, c.onlyNow ?? [], c.onlyThen ?? []);
    case 'not_additive':
      return W.cellNotAdditive;
    default:
      return W.none;
  }
}

function rateParagraph(row: ComparisonRow, bases: ComparedPeriod[]): Paragraph {
  const name = row.partOf ? vi.document.ofWhich(row.label.charAt(0).toLocaleLowerCase('vi') + row.label.slice(1)) : row.label;
  if (row.current === null) {
    const earlier = row.against.flatMap((c, i) => (c.value === null ? [] : [W.rateThen(roleWords(bases[i]), fmtRate(c.value))]));
    return body(`- ${W.rateNotNow(name, earlier)}`);
  }
  const clauses = row.against.map((c, i) =>
    c.status === 'compared' ? W.rateClause(W.versus(changeWords(row, c), roleWords(bases[i])), fmtRate(c.value as number)) : W.rateNotThen(roleWords(bases[i])),
  );
  return body(`- ${W.rateSentence(name, fmtRate(row.current), clauses)}`);
}

/** The heading, what is missing (once), one sentence per rate; one line when no earlier period is stored. */
export function comparisonRates(cmp: Comparison): Paragraph[] {
  const all = [...cmp.bases, ...cmp.absent];
  const out: Paragraph[] = all.length ? [heading(W.docHeading(W.and(all.map(roleOf))))] : [];
  if (!cmp.bases.length) return [...out, body(W.noEarlier)];
  for (const b of cmp.absent) out.push(body(W.absent(roleOf(b))));
  for (const row of cmp.rows.filter((r) => r.kind === 'indicator')) out.push(rateParagraph(row, cmp.bases));
  return out;
}

/** The table of the summed figures against each earlier period (nothing when there is none to compare). */
export function comparisonFigures(cmp: Comparison, regime: ReportRegime): Array<Block> {
  const figures = cmp.rows.filter((r) => r.kind === 'figure');
  if (!cmp.bases.length || !figures.length) return [];
  const rows: TableCellInput[][] = [];
  const columns = 2 + 2 * cmp.bases.length;
  let group = '';
  for (const row of figures) {
    const g = W.dutyGroup(findUnit(regime, row.duty!.ownerUnit)?.shortName ?? row.duty!.ownerName, row.duty!.title);
    if (g !== group) rows.push([{ text: (group = g), span: columns, bold: true, italics: true, keepNext: true }]);
    rows.push([`${row.label}${row.unitLabel ? ` (${row.unitLabel})` : ''}`, valueText(row, row.current), ...row.against.flatMap((c) => [valueText(row, c.value), changeCell(row, c)])]);
  }
  const one = cmp.bases.length === 1;
  return [
    subheading(W.figuresTitle(W.and(cmp.bases.map(roleWords)))),
    table([...W.docHeadersStart, ...cmp.bases.flatMap((b) => [W.headerValue(roleWords(b)), W.docHeaderChange(roleWords(b))])], rows, one ? [82, 21, 21, 41] : [49, 18, 18, 31, 18, 31], [
      AlignmentType.LEFT,
      AlignmentType.RIGHT,
      ...cmp.bases.flatMap(() => [AlignmentType.RIGHT, AlignmentType.LEFT]),
    ]),
  ];
}

/**
 * The whole comparison, as section III ends: the rates in sentences, then the figures' table (a
 * full 6-month period compared with a full year-earlier one makes this table about six pages: it
 * can move to an appendix by calling comparisonFigures there instead).
 */
export function comparisonSection(cmp: Comparison, regime: ReportRegime): Array<Block> {
  return [...comparisonRates(cmp), ...comparisonFigures(cmp, regime)];
}
