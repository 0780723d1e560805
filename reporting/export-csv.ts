/**
 * CSV for any other tool: one row per unit and question of its form (units that have not
 * submitted get empty values). UTF-8 with a BOM so Excel reads the diacritics; RFC 4180 quoting.
 * One value per cell, in a form every locale reads the same (README, "CSV columns"): numbers with
 * a dot decimal, no grouping and no exponent; dates ISO; the submission time ISO 8601 with the
 * regime's offset; choices by their code, with their labels in a column of their own. No display
 * form with Vietnamese grouping ("31.250" reads as 31,25 elsewhere). Every text cell is made
 * inert (export-cells.ts: no formulas).
 */
import { DateTime } from 'luxon';
import type { AnswerView, Consolidation } from './consolidation.js';
import { vi } from '../i18n/vi.js';
import { statusText } from './wording.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { inertText } from './export-cells.js';
import { buildForm } from '../regime/regime.js';
import { isoLocal } from '../regime/periods.js';
import { plainNumber } from '../lib/number.js';

const BOM = '\uFEFF';

/** Every cell of the file goes through here: a number in its plain form, a text made inert, then quoted. */
function field(v: string | number): string {
  const s = typeof v === 'number' ? plainNumber(v) : inertText(v);
  return /[",\r\n;]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The stored answer itself: a number, a text, an ISO date, a choice's code (codes joined by ";"); empty when not answered or left blank. */
function rawValue(v: unknown): string | number {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join(';');
  return typeof v === 'number' ? v : String(v);
}

/** The chosen choices' labels, in the order of their codes. */
function choiceLabels(a: Pick<AnswerView, 'value' | 'choiceLabels'>): string {
  return a.value === undefined || a.value === null ? '' : (a.choiceLabels?.join('; ') ?? '');
}

export function renderCsv(c: Consolidation, regime: ReportRegime): Buffer {
  const lines: string[] = [vi.document.csvHeaders.map(field).join(',')];
  const reports = new Map(c.reports.map((r) => [r.unitCode, r]));
  for (const row of c.board) {
    const rep = reports.get(row.unitCode);
    const submittedAt = rep ? isoLocal(DateTime.fromMillis(rep.submittedAt, { zone: regime.timezone })) : '';
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
          [c.period.id, row.unitCode, row.name, statusText(row), rep ? rep.revision : '', submittedAt, s.id, s.title, a.key, a.label, a.type, rawValue(a.value), choiceLabels(a), a.unitLabel ?? '']
            .map(field)
            .join(','),
        );
  }
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
