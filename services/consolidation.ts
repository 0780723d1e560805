/**
 * Reads what consolidation needs from the store and runs the pure core
 * (reporting/consolidation.ts); renders the exports. Shared by chat commands, the CLI and the
 * admin HTTP routes, so all three show the same figures.
 */
import { DateTime } from 'luxon';
import type { Consolidation, UnitStatusRow } from '../reporting/consolidation.js';
import { consolidate } from '../reporting/consolidation.js';
import { compare, type Comparison, type EarlierPeriod } from '../reporting/comparison.js';
import { vi } from '../i18n/vi.js';
import { statusText } from '../reporting/wording.js';
import { renderCsv } from '../reporting/export-csv.js';
import { comparisonPeriodIds, isoLocal, makePeriod, type ReportingPeriod } from '../regime/periods.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import type { Attachment } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';

export const EXPORT_FORMATS = {
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: vi.consolidation.exportLabels.xlsx },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: vi.consolidation.exportLabels.docx },
  csv: { contentType: 'text/csv; charset=utf-8', label: vi.consolidation.exportLabels.csv },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

export const isExportFormat = (s: string): s is ExportFormat => Object.hasOwn(EXPORT_FORMATS, s);

export function exportFileName(periodId: string, format: ExportFormat): string {
  return `tong-hop-${periodId}.${format}`;
}

export interface ConsolidationSource {
  regime: ReportRegime;
  store: Repositories;
}

export async function loadConsolidation(src: ConsolidationSource, period: ReportingPeriod, now: Date): Promise<Consolidation> {
  const [submissions, drafts, states, members] = await Promise.all([
    src.store.submissions.find({ periodId: period.id }),
    src.store.drafts.find({ periodId: period.id }),
    src.store.reportStates.find({ periodId: period.id }),
    src.store.members.find({ active: true, role: 'focal' }),
  ]);
  return consolidate({ regime: src.regime, period, submissions, drafts, states, members, now });
}

/**
 * The earlier periods a period is compared with (regime/periods.ts comparisonPeriodIds), each
 * consolidated by the same `consolidate` from its stored submissions and report states; null
 * when nothing was submitted for it.
 */
async function loadEarlier(src: ConsolidationSource, period: ReportingPeriod, now: Date): Promise<EarlierPeriod[]> {
  const out: EarlierPeriod[] = [];
  for (const { role, id } of comparisonPeriodIds(period.id)) {
    const p = makePeriod(src.regime, id);
    if (!p) continue;
    const [submissions, states] = await Promise.all([src.store.submissions.find({ periodId: p.id }), src.store.reportStates.find({ periodId: p.id })]);
    out.push({ role, id: p.id, name: p.name, consolidation: submissions.length ? consolidate({ regime: src.regime, period: p, submissions, drafts: [], states, now }) : null });
  }
  return out;
}

/** What an export shows: the period's consolidation and its comparison with the earlier periods. */
export interface ExportInput {
  consolidation: Consolidation;
  comparison: Comparison;
  /** The files units attached to their reports (listed in the XLSX). */
  attachments: Attachment[];
}

/** The consolidation and its comparison with earlier periods (the status board needs only loadConsolidation). */
export async function loadExport(src: ConsolidationSource, period: ReportingPeriod, now: Date): Promise<ExportInput> {
  const [consolidation, earlier, attachments] = await Promise.all([loadConsolidation(src, period, now), loadEarlier(src, period, now), src.store.attachments.find({ periodId: period.id })]);
  return { consolidation, comparison: compare(consolidation, earlier), attachments };
}

/**
 * The XLSX and DOCX renderers (exceljs; docx with the chart's Vega and resvg) are loaded on the
 * first export of their format, not at start-up: an idle server never needs them, and they are
 * most of its loaded code (issue 15).
 */
export async function renderExport(input: ExportInput, regime: ReportRegime, format: ExportFormat): Promise<Buffer> {
  const { consolidation: c, comparison, attachments } = input;
  switch (format) {
    case 'xlsx': {
      const { renderXlsx } = await import('../reporting/export-xlsx.js');
      return renderXlsx(c, regime, comparison, attachments);
    }
    case 'docx': {
      const { renderDocx } = await import('../reporting/export-docx.js');
      return renderDocx(c, regime, comparison, attachments);
    }
    case 'csv':
      return renderCsv(c, regime);
  }
}

const iso = (ms: number | undefined, zone: string): string | null => (ms === undefined ? null : isoLocal(DateTime.fromMillis(ms, { zone })));

/** One unit of the board as JSON (CLI `--json`, HTTP): instants as ISO with the local offset. */
export function boardRowJson(b: UnitStatusRow, zone: string): Record<string, unknown> {
  return {
    unit: b.unitCode,
    name: b.name,
    kind: b.kind,
    status: b.status,
    statusText: statusText(b),
    progress: b.progress ?? null,
    revision: b.revision ?? null,
    firstSubmittedAt: iso(b.firstSubmittedAt, zone),
    lastSubmittedAt: iso(b.lastSubmittedAt, zone),
    late: b.late,
    resubmitted: b.resubmitted ?? null,
    overdue: b.overdue,
    reopened: b.reopened,
    review: b.review ? { ...b.review, at: iso(b.review.at, zone) } : null,
    focalPoints: b.focalPoints,
    lastActivityAt: iso(b.lastActivityAt, zone),
  };
}

export function boardJson(c: Consolidation, zone: string): Record<string, unknown> {
  return {
    period: { id: c.period.id, name: c.period.name, deadline: iso(c.period.deadline, zone) },
    generatedAt: iso(c.generatedAt, zone),
    deadlinePassed: c.deadlinePassed,
    submitted: c.submittedCount,
    expected: c.expectedCount,
    counts: c.counts,
    units: c.board.map((b) => boardRowJson(b, zone)),
  };
}
