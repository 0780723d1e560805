/**
 * The consolidation as an Excel workbook (exceljs): submission status, indicators against
 * targets, district breakdowns, the sums of every duty's figures, the comparison with earlier
 * periods (xlsx-comparison.ts), and every unit's answers (those submitted as the previous period's,
 * copied without being typed again, marked "Như kỳ trước").
 * Vietnamese headers, number formats, frozen header rows. Numbers are written as numbers
 * (exactly the stored values and sums), never as formatted text; every text cell of every sheet
 * is made inert before writing (export-cells.ts: no formulas).
 *
 * Written with exceljs's streaming WorkbookWriter: each row is committed (xlsx-parts.ts commitRow)
 * as soon as it is filled, and each sheet as soon as it ends, so the workbook is never whole in
 * memory. For a 1,000-unit period (bench/export.ts) the in-memory Workbook and writeBuffer held
 * every cell object and every sheet's XML at once: 470–520 MiB peak RSS; streamed, the same cells,
 * styles, widths, heights and print setup peak at 180–190 MiB.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { formatInstant } from '../lib/datetime.js';
import type { Consolidation, IndicatorResult } from './consolidation.js';
import { vi } from '../i18n/vi.js';
import { answerText, fmtDateTime, milestoneText, statusText } from './wording.js';
import { commitRow, FMT, localDate, numFmtFor, sheet } from './xlsx-parts.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import type { Comparison } from './comparison.js';
import { comparisonSheet } from './xlsx-comparison.js';
import type { Attachment } from '../store/records.js';

function missingNote(ind: IndicatorResult): string {
  if (ind.zeroDenominator) return vi.document.zeroDenominatorCell;
  return ind.missing.map((m) => vi.consolidation.missingFigure(m.unitName, m.label, vi.consolidation.missingReason[m.missing!])).join('; ');
}

/**
 * `attachments`: the files units attached to their reports (the signed copies), listed on a sheet
 * of their own, per unit, with their SHA-256 (whoever holds a copy can check it is the one sent).
 */
export async function renderXlsx(c: Consolidation, regime: ReportRegime, comparison: Comparison, attachments: readonly Attachment[] = []): Promise<Buffer> {
  const zone = regime.timezone;
  const out = new Collect();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = 'dondoc';
  wb.created = new Date(c.generatedAt);
  const sub = vi.document.sheetSubtitle(regime.source, formatInstant(c.period.deadline, zone), fmtDateTime(c.generatedAt, zone));

  // --- status ---
  const st = sheet(wb, vi.document.sheetStatus, vi.document.statusSheetTitle(c.period.name), sub, [...vi.document.statusHeaders], [5, 12, 28, 20, 9, 7, 20, 20, 10, 20, 18, 22]);
  c.board.forEach((b, i) => {
    const row = st.addRow([
      i + 1,
      b.unitCode,
      b.name,
      statusText(b),
      b.progress ? b.progress.percent : null,
      b.revision ?? null,
      b.firstSubmittedAt ? localDate(b.firstSubmittedAt, zone) : null,
      b.lastSubmittedAt ? localDate(b.lastSubmittedAt, zone) : null,
      b.revision ? (b.late ? vi.document.yes : vi.document.no) : null,
      b.lastActivityAt ? localDate(b.lastActivityAt, zone) : null,
      b.focalPoints.map((f) => f.name ?? f.userKey).join('; '),
      b.review?.comment ?? null,
    ]);
    for (const col of [7, 8, 10]) row.getCell(col).numFmt = FMT.dateTime;
    commitRow(st, row);
  });
  const countsRow = st.addRow([]);
  countsRow.getCell(3).value = vi.document.countsByStatus;
  countsRow.getCell(3).font = { bold: true };
  commitRow(st, countsRow);
  for (const [s, n] of Object.entries(c.counts)) commitRow(st, st.addRow([null, null, statusText({ status: s as never, reopened: false, overdue: false }), n]));
  st.commit();

  // --- indicators ---
  const milestoneYear = c.indicators.find((i) => i.milestone)?.milestone;
  const it = sheet(
    wb,
    vi.document.sheetIndicators,
    vi.document.indicatorsSheetTitle(c.period.name),
    vi.document.comparedWith(milestoneText(milestoneYear ?? null, c.period.year)),
    [...vi.document.indicatorHeaders],
    [5, 48, 12, 12, 10, 7, 10, 12, 56],
  );
  c.indicators.forEach((ind, i) => {
    const row = it.addRow([
      i + 1,
      ind.partOf ? `   ${vi.document.ofWhich(ind.name)}` : ind.name,
      ind.direct ? vi.document.directPercent : ind.numerator.total,
      ind.denominator ? ind.denominator.total : null,
      ind.value ?? vi.consolidation.notComputed,
      ind.milestone?.year ?? null,
      ind.milestone?.target ?? null,
      ind.gap,
      ind.value === null
        ? missingNote(ind)
        : ind.direct
          ? vi.document.reportedBy(ind.numerator.parts.map((p) => p.unitName).join(', '))
          : vi.document.numeratorDenominator(
              ind.numerator.parts.map((p) => `${p.label} (${p.unitName})`).join(' + '),
              String(ind.denominator?.parts.map((p) => `${p.label} (${p.unitName})`).join(' + ')),
            ),
    ]);
    row.getCell(3).numFmt = FMT.integer;
    row.getCell(4).numFmt = FMT.integer;
    row.getCell(5).numFmt = FMT.rate;
    row.getCell(7).numFmt = FMT.percentGiven;
    row.getCell(8).numFmt = FMT.gap;
    if (ind.value === null) row.getCell(5).font = { color: { argb: 'FFC00000' }, bold: true };
    commitRow(it, row);
  });
  it.commit();

  // --- districts ---
  const withDistricts = c.indicators.filter((i) => i.districts);
  if (withDistricts.length) {
    const dt = sheet(wb, vi.document.sheetDistricts, vi.document.districtsSheetTitle(c.period.name), sub, [...vi.document.districtHeaders], [5, 28, 44, 40, 14, 40]);
    for (const ind of withDistricts) {
      const b = ind.districts!;
      const what = `${b.label}${b.unitLabel ? ` (${b.unitLabel})` : ''}`;
      b.rows.forEach((r, i) => {
        const row = dt.addRow([
          i + 1,
          r.unitName,
          ind.name,
          what,
          r.numerator ?? vi.consolidation.notReported,
          r.missing.map((m) => `${vi.consolidation.missingReason[m.missing!]}: ${m.label}`).join('; ') || null,
        ]);
        row.getCell(5).numFmt = numFmtFor('integer', r.numerator ?? 0);
        commitRow(dt, row);
      });
      const total = dt.addRow([null, vi.document.sumRow, ind.name, what, b.reportedTotal, vi.document.districtsReported(b.reported, b.expected)]);
      total.font = { bold: true };
      total.getCell(5).numFmt = numFmtFor('integer', b.reportedTotal);
      commitRow(dt, total);
    }
    dt.commit();
  }

  // --- duty sums ---
  const du = sheet(wb, vi.document.sheetDuties, vi.document.dutiesSheetTitle(c.period.name), sub, [...vi.document.dutyHeaders], [24, 9, 40, 48, 12, 14, 12, 12]);
  for (const d of c.duties)
    for (const q of d.questions) {
      const row = du.addRow([
        d.ownerName,
        d.dutyId,
        d.title,
        q.label,
        q.unitLabel ?? (q.type === 'percent' ? '%' : null),
        q.total ?? (q.type === 'percent' ? vi.document.notApplicable : null),
        q.reported,
        d.units.length,
      ]);
      if (q.total !== null) row.getCell(6).numFmt = numFmtFor(q.type, q.total);
      commitRow(du, row);
    }
  du.commit();

  comparisonSheet(wb, comparison);

  // --- answers ---
  const an = sheet(wb, vi.document.sheetAnswers, vi.document.answersSheetTitle(c.period.name), sub, [...vi.document.answerHeaders], [12, 22, 7, 8, 26, 18, 36, 46, 10, 12]);
  for (const rep of c.reports)
    for (const s of rep.sections)
      for (const a of s.answers) {
        const v = a.value;
        let cell: ExcelJS.CellValue;
        if (typeof v === 'number') cell = v;
        else if (a.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) cell = new Date(`${v}T00:00:00Z`);
        else cell = answerText({ ...a, unitLabel: undefined }) || null;
        const row = an.addRow([
          rep.unitCode,
          rep.unitName,
          rep.revision,
          s.id,
          s.title,
          a.key,
          a.label,
          cell,
          a.unitLabel ?? (a.type === 'percent' ? '%' : null),
          a.copied ? vi.document.copiedCell : null,
        ]);
        if (typeof v === 'number') row.getCell(8).numFmt = numFmtFor(a.type, v);
        else if (cell instanceof Date) row.getCell(8).numFmt = FMT.date;
        commitRow(an, row);
      }
  an.commit();

  // --- attached files ---
  const names = new Map(c.board.map((b) => [b.unitCode, b.name]));
  const at = sheet(wb, vi.document.sheetAttachments, vi.document.attachmentsSheetTitle(c.period.name), sub, [...vi.document.attachmentHeaders], [12, 26, 32, 8, 12, 22, 18, 66]);
  const sorted = [...attachments].sort((a, b) => a.unitCode.localeCompare(b.unitCode) || a.at - b.at);
  for (const a of sorted) {
    const row = at.addRow([a.unitCode, names.get(a.unitCode) ?? a.unitCode, a.name, vi.attachment.types[a.contentType], a.size, a.userName ?? a.userKey, fmtDateTime(a.at, zone), a.sha256]);
    row.getCell(5).numFmt = FMT.integer;
    commitRow(at, row);
  }
  if (!sorted.length) commitRow(at, at.addRow([vi.document.noAttachments]));
  at.commit();

  await wb.commit();
  return out.buffer();
}

/** Where the streaming writer writes the file: the zip's chunks, joined once it is finished. */
class Collect extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
