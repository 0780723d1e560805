/**
 * CSV for any other tool: one row per unit and question of its form (units that have not
 * submitted get empty values). UTF-8 with a BOM so Excel reads the diacritics; RFC 4180 quoting;
 * values in a machine form (numbers with a dot, dates ISO, choices by their code) beside the
 * Vietnamese display form. Every text cell is made inert (export-cells.ts: no formulas); numbers
 * are written as numbers.
 */
import type { Consolidation } from './consolidation.js';
import { vi } from '../i18n/vi.js';
import { answerText, fmtDateTime, statusText } from './wording.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { inertText } from './export-cells.js';
import { buildForm } from '../regime/regime.js';

const BOM = '\uFEFF';

/** Every cell of the file goes through here: a number as it is, a text made inert, then quoted. */
function field(v: string | number): string {
  const s = typeof v === 'number' ? String(v) : inertText(v);
  return /[",\r\n;]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function rawValue(v: unknown): string | number {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join(';');
  return typeof v === 'number' ? v : String(v);
}

export function renderCsv(c: Consolidation, regime: ReportRegime): Buffer {
  const lines: string[] = [vi.document.csvHeaders.map(field).join(',')];
  const reports = new Map(c.reports.map((r) => [r.unitCode, r]));
  for (const row of c.board) {
    const rep = reports.get(row.unitCode);
    const submittedAt = rep ? fmtDateTime(rep.submittedAt, regime.timezone) : '';
    const sections =
      rep?.sections ??
      buildForm(regime, row.unitCode, c.period.kind as 'H1' | 'Y' | 'M')?.sections.map((s) => ({
        id: s.id,
        title: s.title,
        answers: s.questions.filter((q) => q.type !== 'note').map((q) => ({ key: q.key, name: q.name, label: q.label, type: q.type, unitLabel: q.unitLabel, value: undefined })),
      })) ??
      [];
    for (const s of sections)
      for (const a of s.answers)
        lines.push(
          [
            c.period.id,
            row.unitCode,
            row.name,
            statusText(row),
            rep ? rep.revision : '',
            submittedAt,
            s.id,
            s.title,
            a.key,
            a.label,
            a.type,
            rawValue(a.value),
            answerText({ ...a, unitLabel: undefined }),
            a.unitLabel ?? '',
          ]
            .map(field)
            .join(','),
        );
  }
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
