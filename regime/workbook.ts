/**
 * The regime as an Excel workbook (issue 17), for the people who own the reporting regime: they
 * live in Excel, not in a 3,000-line JSON file. The sheets follow XLSForm (ODK, KoboToolbox) where
 * it applies: `settings`, `units`, `duties`, `survey` (one row per question, its `type` as XLSForm
 * writes it: `select_one yes_no`), `choices`, `report_kinds`, `indicators`, `holidays`. The
 * structured values (skip logic, constraints, days of a report kind) are written as text that
 * reads back the same (regime/workbook-text.ts).
 *
 * `readRegimeWorkbook` checks a workbook as `dondoc regime check` checks a JSON file: it builds the
 * regime and validates it with `parseRegime` (the same schema and cross-reference checks), then
 * maps each error's place in the regime (`units[3].duties[1].questions[0].relevant`) back to the
 * cell it came from (`survey!L23`). Problems of the workbook itself (a missing sheet or column, a
 * reference to an unknown unit, an unreadable number or date, a duplicate name) are reported the
 * same way, every error at once, sorted by sheet, row and column.
 *
 * exceljs (and its dependencies) is loaded on the first call, not with this module: a server that
 * never reads a workbook does not load it (test/startup-modules.test.ts).
 */
import '../config/zod-vi.js';
import type ExcelJS from 'exceljs';
import { vi } from '../i18n/vi.js';
import { LINE_HEIGHT, wrappedLines } from '../lib/wrapped-lines.js';
import { parseRegime } from './regime.js';
import type { Condition, Question, ReportRegime } from './regime-schema.js';
import { readCondition, readConstraint, readDayRule, writeCondition, writeConstraint, writeDayRule, type ConstraintRules } from './workbook-text.js';

type Excel = typeof ExcelJS;
const loadExcel = async (): Promise<Excel> => (await import('exceljs')).default;

// ---------------------------------------------------------------------------------------------
// The sheets and their columns

type ColumnSpec = { key: string; width: number; required?: boolean; wrap?: boolean };

/** Sheet name → its columns, in order. Every column has its Vietnamese note (vi.workbook.columns). */
export const SHEETS = {
  settings: [
    { key: 'key', width: 24, required: true },
    { key: 'value', width: 70, required: true, wrap: true },
    { key: 'description', width: 60, wrap: true },
  ],
  units: [
    { key: 'code', width: 14, required: true },
    { key: 'name', width: 44, required: true, wrap: true },
    { key: 'short_name', width: 22, required: true },
    { key: 'kind', width: 14, required: true },
    { key: 'parent', width: 14 },
    { key: 'letter', width: 8 },
    { key: 'reports', width: 10 },
    { key: 'coordinator', width: 12 },
  ],
  duties: [
    { key: 'unit', width: 14, required: true },
    { key: 'id', width: 8, required: true },
    { key: 'title', width: 44, required: true, wrap: true },
    { key: 'text', width: 80, required: true, wrap: true },
    { key: 'report_kinds', width: 14 },
  ],
  survey: [
    { key: 'unit', width: 14, required: true },
    { key: 'duty', width: 9, required: true },
    { key: 'type', width: 38, required: true },
    { key: 'name', width: 28, required: true },
    { key: 'label', width: 50, required: true, wrap: true },
    { key: 'hint', width: 36, wrap: true },
    { key: 'unit_of_measure', width: 16 },
    { key: 'required', width: 10 },
    { key: 'required_message', width: 30, wrap: true },
    { key: 'constraint', width: 30, wrap: true },
    { key: 'constraint_message', width: 30, wrap: true },
    { key: 'relevant', width: 34, wrap: true },
    { key: 'soft_min', width: 10 },
    { key: 'soft_max', width: 10 },
  ],
  choices: [
    { key: 'list_name', width: 26, required: true },
    { key: 'name', width: 26, required: true },
    { key: 'label', width: 50, required: true, wrap: true },
  ],
  report_kinds: [
    { key: 'id', width: 6, required: true },
    { key: 'name', width: 20, required: true },
    { key: 'deadline_text', width: 36, required: true, wrap: true },
    { key: 'deadline', width: 12, required: true },
    { key: 'data_from', width: 12, required: true },
    { key: 'data_to', width: 12, required: true },
    { key: 'unit_kinds', width: 16 },
    { key: 'opens_days_before_deadline', width: 12 },
    { key: 'locks_days_after_deadline', width: 12 },
    { key: 'remind_days_before', width: 14 },
    { key: 'remind_at', width: 10 },
    { key: 'overdue_every_working_days', width: 12 },
    { key: 'overdue_for_days', width: 12 },
  ],
  indicators: [
    { key: 'id', width: 18, required: true },
    { key: 'name', width: 50, required: true, wrap: true },
    { key: 'numerator', width: 34, required: true, wrap: true },
    { key: 'denominator', width: 34, wrap: true },
    { key: 'part_of', width: 16 },
    { key: 'district_numerator', width: 30, wrap: true },
    { key: 'district_denominator', width: 30, wrap: true },
  ],
  holidays: [{ key: 'date', width: 14, required: true }],
} as const satisfies Record<string, readonly ColumnSpec[]>;

export type SheetName = keyof typeof SHEETS;
const SHEET_ORDER = Object.keys(SHEETS) as SheetName[];
/** Sheets a workbook may leave out (their regime lists default to empty). */
const OPTIONAL_SHEETS = new Set<SheetName>(['indicators', 'holidays']);
/** Indicators: one column per milestone year, `target_2025`. */
const TARGET_COLUMN = /^target_(\d{4})$/;

/** The rows of the `settings` sheet, in order; `recipient` repeats, one row per receiving body. */
const SETTINGS_KEYS = [
  'id',
  'version',
  'title',
  'source',
  'timezone',
  'consolidator_unit',
  'report_to',
  'province',
  'place',
  'abbreviation',
  'signature_authority',
  'signature_title',
  'signature_name',
  'recipient',
  'archive',
] as const;
type SettingsKey = (typeof SETTINGS_KEYS)[number];
const REQUIRED_SETTINGS = new Set<SettingsKey>(['id', 'version', 'title', 'source', 'consolidator_unit', 'report_to', 'province']);
/** Where each setting sits in the regime. */
const SETTINGS_PATH: Record<SettingsKey, string> = {
  id: 'id',
  version: 'version',
  title: 'title',
  source: 'source',
  timezone: 'timezone',
  consolidator_unit: 'consolidator.unit',
  report_to: 'consolidator.reportTo',
  province: 'consolidator.province',
  place: 'consolidator.place',
  abbreviation: 'consolidator.abbreviation',
  signature_authority: 'consolidator.signature.authority',
  signature_title: 'consolidator.signature.title',
  signature_name: 'consolidator.signature.name',
  recipient: 'consolidator.recipients',
  archive: 'consolidator.archive',
};

/** The survey's unit for the questions asked in every duty section; its duty says where: before or after the duty's own. */
const TEMPLATE_UNIT = '*';
const TEMPLATE_DUTIES = { leading: 'leading', trailing: 'trailing' } as const;

const YES = 'yes';
const NO = 'no';

// ---------------------------------------------------------------------------------------------
// Writing

type Value = string | number | undefined;

const list = (xs: ReadonlyArray<string | number> | undefined): Value => (xs && xs.length ? xs.join(', ') : undefined);
const yesNo = (b: boolean): string => (b ? YES : NO);

function questionRow(unit: string, duty: string, q: Question): Value[] {
  const { message, ...rules } = q.constraint ?? {};
  return [
    unit,
    duty,
    q.choices ? `${q.type} ${q.choices}` : q.type,
    q.name,
    q.label,
    q.hint,
    q.unitLabel,
    q.required ? YES : undefined,
    q.requiredMessage,
    q.constraint ? writeConstraint(rules as ConstraintRules) || undefined : undefined,
    message,
    q.relevant ? writeCondition(q.relevant) : undefined,
    q.softBounds?.min,
    q.softBounds?.max,
  ];
}

/** The rows of each sheet, in the order of the sheet's columns (indicators: then one column per target year). */
function sheetRows(r: ReportRegime): { rows: Record<SheetName, Value[][]>; targetYears: string[] } {
  const c = r.consolidator;
  const settings: Array<[SettingsKey, Value]> = [
    ['id', r.id],
    ['version', r.version],
    ['title', r.title],
    ['source', r.source],
    ['timezone', r.timezone],
    ['consolidator_unit', c.unit],
    ['report_to', c.reportTo],
    ['province', c.province],
    ['place', c.place],
    ['abbreviation', c.abbreviation],
    ['signature_authority', c.signature?.authority],
    ['signature_title', c.signature?.title],
    ['signature_name', c.signature?.name],
    ...(c.recipients ?? [undefined]).map((x): [SettingsKey, Value] => ['recipient', x]),
    ['archive', c.archive],
  ];
  const targetYears = [...new Set(r.indicators.flatMap((i) => Object.keys(i.targets)))].sort();
  const refs = (xs: ReadonlyArray<{ unit?: string; duty: string; question: string }> | undefined) =>
    xs ? xs.map((x) => [x.unit, x.duty, x.question].filter((p) => p !== undefined).join('/')).join(' + ') : undefined;
  return {
    targetYears,
    rows: {
      settings: settings.map(([k, v]) => [k, v, vi.workbook.settings[k]]),
      units: r.units.map((u) => [u.code, u.name, u.shortName, u.kind, u.parent, u.letter, yesNo(u.reports), u.coordinator ? YES : undefined]),
      duties: r.units.flatMap((u) => u.duties.map((d) => [u.code, d.id, d.title, d.text, list(d.reportKinds)])),
      survey: [
        ...r.dutyTemplate.leading.map((q) => questionRow(TEMPLATE_UNIT, TEMPLATE_DUTIES.leading, q)),
        ...r.dutyTemplate.trailing.map((q) => questionRow(TEMPLATE_UNIT, TEMPLATE_DUTIES.trailing, q)),
        ...r.units.flatMap((u) => u.duties.flatMap((d) => d.questions.map((q) => questionRow(u.code, d.id, q)))),
      ],
      choices: Object.entries(r.choiceLists).flatMap(([name, choices]) => choices.map((ch) => [name, ch.name, ch.label])),
      report_kinds: r.reportKinds.map((k) => [
        k.id,
        k.name,
        k.deadlineText,
        writeDayRule(k.deadline),
        writeDayRule(k.dataCutoff.from),
        writeDayRule(k.dataCutoff.to),
        list(k.unitKinds),
        k.opensDaysBeforeDeadline,
        k.locksDaysAfterDeadline,
        list(k.reminders.daysBefore),
        k.reminders.at,
        k.reminders.overdueEveryWorkingDays,
        k.reminders.overdueForDays,
      ]),
      indicators: r.indicators.map((i) => [
        i.id,
        i.name,
        refs(i.numerator),
        refs(i.denominator),
        i.partOf,
        refs(i.districtBreakdown?.numerator),
        refs(i.districtBreakdown?.denominator),
        ...targetYears.map((y) => i.targets[y]),
      ]),
      holidays: r.holidays.map((h) => [h]),
    },
  };
}

/** The regime as an .xlsx workbook: a frozen header row with a note on each column, sensible widths. */
export async function writeRegimeWorkbook(regime: ReportRegime): Promise<Buffer> {
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  wb.creator = 'dondoc';
  wb.title = regime.title;
  const { rows, targetYears } = sheetRows(regime);
  for (const sheet of SHEET_ORDER) {
    const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1, xSplit: sheet === 'survey' ? 4 : 0 }] });
    const columns: ColumnSpec[] = [...SHEETS[sheet], ...(sheet === 'indicators' ? targetYears.map((y) => ({ key: `target_${y}`, width: 12 })) : [])];
    ws.columns = columns.map((c) => ({ key: c.key, width: c.width, style: c.wrap ? { alignment: { wrapText: true, vertical: 'top' } } : { alignment: { vertical: 'top' } } }));
    const header = ws.getRow(1);
    columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.key;
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFD9E1F2' : 'FFEDEDED' } };
      const m = TARGET_COLUMN.exec(c.key);
      cell.note = m ? vi.workbook.targetColumn(m[1]) : (vi.workbook.columns[sheet] as Record<string, string>)[c.key];
    });
    const measured = new Map<string, number>();
    for (const values of rows[sheet]) {
      const row = ws.addRow(values.map((v) => (v === undefined ? null : v)));
      // LibreOffice shows only the first line of a wrapped cell in a row without a height.
      const lines = Math.max(1, ...values.map((v, i) => (typeof v === 'string' && columns[i]?.wrap ? wrappedLines(v, columns[i].width, false, measured) : 1)));
      if (lines > 1) row.height = lines * LINE_HEIGHT;
    }
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    // Printed (or rendered to PDF): A4 landscape, as wide as the page, the header row on every page.
    ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// Reading

export type WorkbookResult = { ok: true; regime: ReportRegime } | { ok: false; errors: string[] };

type Cell = string | number | boolean | Date | undefined;

/** A cell's value as the reader needs it: text trimmed (rich text joined), a formula's result, empty as undefined. */
function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return cellValue(v.richText.map((t) => t.text).join(''));
    if ('formula' in v || 'sharedFormula' in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in v) return cellValue((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return String(v.error);
  }
  return String(v as unknown);
}

const colLetter = (n: number): string => (n <= 0 ? '' : colLetter(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));
const addr = (sheet: string, row: number, col: number) => `${sheet}!${colLetter(col)}${row}`;

interface Row {
  row: number;
  /** "survey!23": the row, as the passes of the reader name it. */
  key: string;
  /** The value of a column (undefined when empty or the column is missing). */
  get(key: string): Cell;
  /** The cell of a column ("survey!L23"); a missing column: the header cell where it is missing. */
  at(key: string): string;
}

class Reader {
  /** Problems of the workbook itself, by cell. */
  readonly errors: Array<{ at: string; message: string }> = [];
  /** Where each value of the regime came from: its path → its cell. */
  readonly cells = new Map<string, string>();
  /** The row each element of the regime (a unit, a duty, a question, a setting, …) came from: its path → Row.key. */
  readonly elements = new Map<string, string>();

  /**
   * `skip`: rows the schema refused in an earlier pass, left out (with what depends on them) so
   * that the cross references of the rest can be checked; `fill`: a required setting left out
   * is replaced by a placeholder.
   */
  constructor(
    private readonly wb: ExcelJS.Workbook,
    readonly skip: ReadonlySet<string> = new Set(),
  ) {}

  get fill(): boolean {
    return this.skip.size > 0;
  }

  element(path: string, row: Row): void {
    this.elements.set(path, row.key);
  }

  /** The row of the element a regime error's path is in. */
  rowOf(path: string): string | undefined {
    for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
      const at = this.elements.get(p);
      if (at) return at;
      if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
    }
    return undefined;
  }

  error(at: string, message: string): void {
    this.errors.push({ at, message });
  }

  /** The data rows of a sheet (empty rows skipped), or null when the sheet is missing. Reports missing and unknown columns. */
  rows(sheet: SheetName): { rows: Row[]; headers: Map<string, number>; end: number } | null {
    const ws = this.wb.getWorksheet(sheet);
    if (!ws) {
      if (!OPTIONAL_SHEETS.has(sheet)) this.error(addr(sheet, 1, 1), vi.workbook.missingSheet(sheet, SHEET_ORDER.join(', ')));
      return null;
    }
    const headers = new Map<string, number>();
    const known = new Set<string>(SHEETS[sheet].map((c) => c.key));
    let last = 0;
    ws.getRow(1).eachCell((cell, col) => {
      const name = cellValue(cell.value);
      if (name === undefined) return;
      const key = String(name).trim();
      last = Math.max(last, col);
      if (headers.has(key)) this.error(addr(sheet, 1, col), vi.workbook.duplicateColumn(key));
      else if (!known.has(key) && !(sheet === 'indicators' && TARGET_COLUMN.test(key))) this.error(addr(sheet, 1, col), vi.workbook.unknownColumn(key, sheet, [...known].join(', ')));
      else headers.set(key, col);
    });
    const missingAt = new Map<string, string>();
    for (const c of SHEETS[sheet] as readonly ColumnSpec[]) {
      if (headers.has(c.key)) continue;
      const at = addr(sheet, 1, last + 1 + missingAt.size);
      missingAt.set(c.key, at);
      if (c.required) this.error(at, vi.workbook.missingColumn(c.key));
    }
    const rows: Row[] = [];
    let end = 1;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const values = new Map<string, Cell>();
      for (const [key, col] of headers) values.set(key, cellValue(row.getCell(col).value));
      if ([...values.values()].every((v) => v === undefined)) return;
      end = n;
      rows.push({
        row: n,
        key: `${sheet}!${n}`,
        get: (key) => values.get(key),
        at: (key) => (headers.has(key) ? addr(sheet, n, headers.get(key) as number) : (missingAt.get(key) ?? addr(sheet, 1, last + 1))),
      });
    });
    return { rows, headers, end };
  }

  /** Text: numbers as written ("1"), dates as YYYY-MM-DD. */
  text(row: Row, key: string, path?: string): string | undefined {
    if (path) this.cells.set(path, row.at(key));
    const v = row.get(key);
    if (v === undefined) return undefined;
    if (v instanceof Date) return isoDay(v);
    if (typeof v === 'boolean') return v ? YES : NO;
    return String(v);
  }

  number(row: Row, key: string, path?: string): number | undefined {
    if (path) this.cells.set(path, row.at(key));
    const v = row.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v;
    const n = typeof v === 'string' && /^-?\d+(?:[.,]\d+)?$/.test(v) ? Number(v.replace(',', '.')) : NaN;
    if (Number.isNaN(n)) this.error(row.at(key), vi.workbook.notANumber(String(v instanceof Date ? isoDay(v) : v)));
    return Number.isNaN(n) ? undefined : n;
  }

  yesNo(row: Row, key: string, path?: string): boolean | undefined {
    if (path) this.cells.set(path, row.at(key));
    const v = row.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (['yes', 'true', 'có', 'co', 'x', '1'].includes(s)) return true;
    if (['no', 'false', 'không', 'khong', '0'].includes(s)) return false;
    this.error(row.at(key), vi.workbook.notYesNo(String(v)));
    return undefined;
  }

  /** A comma-separated list ("H1, Y"). */
  list(row: Row, key: string, path?: string): string[] | undefined {
    const s = this.text(row, key, path);
    return s === undefined ? undefined : s.split(/[,;]/).map((x) => x.trim());
  }

  numbers(row: Row, key: string, path?: string): number[] | undefined {
    const xs = this.list(row, key, path);
    if (xs === undefined) return undefined;
    const ns = xs.map((x) => (/^-?\d+$/.test(x) ? Number(x) : NaN));
    if (ns.some(Number.isNaN)) {
      this.error(row.at(key), vi.workbook.notNumbers(xs.join(', ')));
      return undefined;
    }
    return ns;
  }

  /** Where a regime error's path came from: the cell of the path or of its nearest parent. */
  cellOf(path: string): string | undefined {
    for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
      const at = this.cells.get(p);
      if (at) return at;
      if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
    }
    return undefined;
  }
}

const isoDay = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;

/** Drops undefined properties: the regime has no key where the workbook has no value. */
function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

type RawQuestion = Record<string, unknown>;

function readQuestion(rd: Reader, row: Row, path: string): RawQuestion {
  const typeCell = rd.text(row, 'type', `${path}.type`);
  rd.cells.set(`${path}.choices`, row.at('type'));
  const [type, choices, ...rest] = typeCell ? typeCell.split(/\s+/) : [];
  if (rest.length) rd.error(row.at('type'), vi.workbook.badType(typeCell as string));
  const q: RawQuestion = compact({
    name: rd.text(row, 'name', `${path}.name`),
    type,
    label: rd.text(row, 'label', `${path}.label`),
    hint: rd.text(row, 'hint', `${path}.hint`),
    unitLabel: rd.text(row, 'unit_of_measure', `${path}.unitLabel`),
    required: rd.yesNo(row, 'required', `${path}.required`),
    requiredMessage: rd.text(row, 'required_message', `${path}.requiredMessage`),
    choices,
  });
  // constraint: the rules and their message
  const rules = rd.text(row, 'constraint', `${path}.constraint`);
  const message = rd.text(row, 'constraint_message', `${path}.constraint.message`);
  if (rules !== undefined || message !== undefined) {
    const parsed = rules === undefined ? { ok: true as const, value: {} } : readConstraint(rules);
    if (!parsed.ok) rd.error(row.at('constraint'), vi.workbook.badConstraint(parsed.reason));
    else q.constraint = compact({ ...parsed.value, message });
  }
  const relevant = rd.text(row, 'relevant', `${path}.relevant`);
  if (relevant !== undefined) {
    const parsed = readCondition(relevant);
    if (!parsed.ok) rd.error(row.at('relevant'), vi.workbook.badRelevant(parsed.reason));
    else q.relevant = parsed.value satisfies Condition;
  }
  const min = rd.number(row, 'soft_min', `${path}.softBounds.min`);
  const max = rd.number(row, 'soft_max', `${path}.softBounds.max`);
  rd.cells.set(`${path}.softBounds`, row.at(min === undefined && max !== undefined ? 'soft_max' : 'soft_min'));
  if (min !== undefined || max !== undefined) q.softBounds = compact({ min, max });
  return q;
}

/** `BHXH/d4/si_participants + CTK/d1/labour_force` (or `d3/question` for a district breakdown). */
function readRefs(rd: Reader, row: Row, key: string, path: string, withUnit: boolean): Array<Record<string, string>> | undefined {
  const s = rd.text(row, key, path);
  if (s === undefined) return undefined;
  const parts = s.split('+').map((x) => x.trim());
  const refs: Array<Record<string, string>> = [];
  for (const p of parts) {
    const bits = p.split('/').map((x) => x.trim());
    if (bits.length !== (withUnit ? 3 : 2) || bits.some((b) => b === '')) {
      rd.error(row.at(key), vi.workbook.badRef(p, withUnit ? 'BHXH/d4/si_participants' : 'd3/si_participants_district'));
      return undefined;
    }
    refs.push(withUnit ? { unit: bits[0], duty: bits[1], question: bits[2] } : { duty: bits[0], question: bits[1] });
  }
  return refs;
}

/**
 * A question left out of a later pass: its row was refused by the schema, or it refers to a
 * question, or a choice list, that was (recorded in `skipped` so that what refers to it goes too).
 */
function leftOut(rd: Reader, row: Row, unit: string | undefined, duty: string | undefined, skipped: Set<string>, skippedLists: Set<string>): boolean {
  const name = rd.text(row, 'name');
  const section = unit === TEMPLATE_UNIT ? TEMPLATE_UNIT : `${unit}\n${duty}`;
  const refs = [...`${rd.text(row, 'relevant') ?? ''} ${rd.text(row, 'constraint') ?? ''}`.matchAll(/\$\{\s*([^}\s]+)\s*\}/g)].map((m) => m[1]);
  const list = rd.text(row, 'type')?.split(/\s+/)[1];
  const out = rd.skip.has(row.key) || refs.some((r) => skipped.has(`question\n${section}\n${r}`) || skipped.has(`question\n${TEMPLATE_UNIT}\n${r}`)) || (list !== undefined && skippedLists.has(list));
  if (out) skipped.add(`question\n${section}\n${name}`);
  // indicators name a question by unit/duty/question
  if (out) skipped.add(`question\n${unit}\n${duty}\n${name}`);
  return out;
}

function buildRegime(rd: Reader): Record<string, unknown> {
  // settings
  const settings = rd.rows('settings');
  const set = new Map<SettingsKey, Row[]>();
  /** Settings refused by the schema in an earlier pass: a required one is filled with a placeholder. */
  const placeholders = new Set<SettingsKey>();
  if (settings) {
    for (const row of settings.rows) {
      const key = rd.text(row, 'key');
      if (key === undefined) {
        rd.error(row.at('key'), vi.workbook.settingsNoKey);
        continue;
      }
      if (!(SETTINGS_KEYS as readonly string[]).includes(key)) {
        rd.error(row.at('key'), vi.workbook.unknownSetting(key, SETTINGS_KEYS.join(', ')));
        continue;
      }
      const k = key as SettingsKey;
      if (set.has(k) && k !== 'recipient') rd.error(row.at('key'), vi.workbook.duplicateSetting(key));
      else if (rd.skip.has(row.key)) placeholders.add(k);
      else set.set(k, [...(set.get(k) ?? []), row]);
    }
    let missing = 0;
    for (const k of REQUIRED_SETTINGS) {
      if (set.has(k)) continue;
      // A missing setting's pseudo row: skipped in a later pass, it is filled with a placeholder.
      const pseudo = `settings!missing-${k}`;
      rd.elements.set(SETTINGS_PATH[k], pseudo);
      if (rd.skip.has(pseudo)) placeholders.add(k);
      const at = addr('settings', settings.end + 1 + missing++, 1);
      rd.error(at, vi.workbook.missingSetting(k, vi.workbook.settings[k]));
      rd.cells.set(SETTINGS_PATH[k], at);
    }
  }
  const setting = (k: SettingsKey): string | undefined => {
    const row = set.get(k)?.[0];
    if (row) rd.element(SETTINGS_PATH[k], row);
    if (!row && placeholders.has(k) && REQUIRED_SETTINGS.has(k)) return 'x';
    return row ? rd.text(row, 'value', SETTINGS_PATH[k]) : undefined;
  };
  const recipientRows = (set.get('recipient') ?? []).filter((row) => row.get('value') !== undefined);
  if (recipientRows.length) rd.cells.set('consolidator.recipients', recipientRows[0].at('value'));
  const recipients = recipientRows.map((row, i) => {
    rd.element(`consolidator.recipients[${i}]`, row);
    return rd.text(row, 'value', `consolidator.recipients[${i}]`) as string;
  });
  const signature = compact({ authority: setting('signature_authority'), title: setting('signature_title'), name: setting('signature_name') });
  const signatureRow = set.get('signature_title')?.[0] ?? set.get('signature_authority')?.[0] ?? set.get('signature_name')?.[0];
  if (signatureRow) rd.cells.set('consolidator.signature', signatureRow.at('value'));
  const regime: Record<string, unknown> = compact({
    id: setting('id'),
    version: setting('version'),
    title: setting('title'),
    source: setting('source'),
    timezone: setting('timezone'),
  });
  regime.consolidator = compact({
    unit: setting('consolidator_unit'),
    reportTo: setting('report_to'),
    province: setting('province'),
    place: setting('place'),
    abbreviation: setting('abbreviation'),
    signature: Object.keys(signature).length && !['signature_authority', 'signature_title', 'signature_name'].some((k) => placeholders.has(k as SettingsKey)) ? signature : undefined,
    recipients: recipients.length ? recipients : undefined,
    archive: setting('archive'),
  });

  // choices
  const choiceLists: Record<string, Array<Record<string, unknown>>> = {};
  const choiceSeen = new Set<string>();
  const skippedLists = new Set<string>();
  for (const row of rd.rows('choices')?.rows ?? []) {
    const listName = rd.text(row, 'list_name');
    if (listName === undefined) {
      rd.error(row.at('list_name'), vi.workbook.emptyCell('list_name'));
      continue;
    }
    if (rd.skip.has(row.key)) {
      skippedLists.add(listName);
      continue;
    }
    const items = (choiceLists[listName] ??= []);
    const path = `choiceLists.${listName}[${items.length}]`;
    rd.element(path, row);
    rd.cells.set(`choiceLists.${listName}`, row.at('list_name'));
    const name = rd.text(row, 'name', `${path}.name`);
    if (name !== undefined && choiceSeen.has(`${listName}\n${name}`)) rd.error(row.at('name'), vi.workbook.duplicateChoice(name, listName));
    if (name !== undefined) choiceSeen.add(`${listName}\n${name}`);
    items.push(compact({ name, label: rd.text(row, 'label', `${path}.label`) }));
  }
  regime.choiceLists = choiceLists;

  // units
  const units: Array<Record<string, unknown> & { duties: Array<Record<string, unknown> & { questions: RawQuestion[] }> }> = [];
  const unitIndex = new Map<string, number>();
  const unitsSheet = rd.rows('units');
  /** Units, duties, questions (by unit, duty and name), report kinds and indicators left out by an earlier pass: what refers to them is left out too. */
  const skipped = new Set<string>();
  for (const row of unitsSheet?.rows ?? []) {
    if (rd.skip.has(row.key)) {
      skipped.add(`unit\n${rd.text(row, 'code')}`);
      continue;
    }
    const i = units.length;
    const path = `units[${i}]`;
    rd.element(path, row);
    rd.cells.set(path, row.at('code'));
    rd.cells.set(`${path}.duties`, row.at('code'));
    const code = rd.text(row, 'code', `${path}.code`);
    if (code !== undefined && !unitIndex.has(code)) unitIndex.set(code, i);
    units.push({
      ...compact({
        code,
        name: rd.text(row, 'name', `${path}.name`),
        shortName: rd.text(row, 'short_name', `${path}.shortName`),
        kind: rd.text(row, 'kind', `${path}.kind`),
        parent: rd.text(row, 'parent', `${path}.parent`),
        letter: rd.text(row, 'letter', `${path}.letter`),
        reports: rd.yesNo(row, 'reports', `${path}.reports`),
        coordinator: rd.yesNo(row, 'coordinator', `${path}.coordinator`),
      }),
      duties: [],
    });
  }
  if (unitsSheet) rd.cells.set('units', addr('units', 2, 1));

  // duties
  const dutyIndex = new Map<string, { unit: number; duty: number }>();
  const kindRows = rd.rows('report_kinds')?.rows ?? [];
  for (const row of kindRows) if (rd.skip.has(row.key)) skipped.add(`kind\n${rd.text(row, 'id')}`);
  for (const row of rd.rows('duties')?.rows ?? []) {
    const unitCode = rd.text(row, 'unit');
    if (skipped.has(`unit\n${unitCode}`)) continue;
    if (rd.skip.has(row.key)) {
      skipped.add(`duty\n${unitCode}\n${rd.text(row, 'id')}`);
      continue;
    }
    const ui = unitCode === undefined ? undefined : unitIndex.get(unitCode);
    if (ui === undefined) {
      rd.error(row.at('unit'), unitCode === undefined ? vi.workbook.emptyCell('unit') : vi.workbook.noSuchUnit(unitCode));
      continue;
    }
    const duties = units[ui].duties;
    const path = `units[${ui}].duties[${duties.length}]`;
    rd.cells.set(path, row.at('id'));
    rd.element(path, row);
    const id = rd.text(row, 'id', `${path}.id`);
    if (id !== undefined && !dutyIndex.has(`${unitCode}\n${id}`)) dutyIndex.set(`${unitCode}\n${id}`, { unit: ui, duty: duties.length });
    duties.push({
      ...compact({
        id,
        title: rd.text(row, 'title', `${path}.title`),
        text: rd.text(row, 'text', `${path}.text`),
        reportKinds: rd.list(row, 'report_kinds', `${path}.reportKinds`)?.filter((k) => !skipped.has(`kind\n${k}`)),
      }),
      questions: [],
    });
  }

  // survey
  const leading: RawQuestion[] = [];
  const trailing: RawQuestion[] = [];
  for (const row of rd.rows('survey')?.rows ?? []) {
    const unitCode = rd.text(row, 'unit');
    const dutyId = rd.text(row, 'duty');
    if (skipped.has(`unit\n${unitCode}`) || skipped.has(`duty\n${unitCode}\n${dutyId}`)) continue;
    if (rd.fill && leftOut(rd, row, unitCode, dutyId, skipped, skippedLists)) continue;
    if (unitCode === undefined) {
      rd.error(row.at('unit'), vi.workbook.emptyCell('unit'));
      continue;
    }
    if (unitCode === TEMPLATE_UNIT) {
      const target = dutyId === TEMPLATE_DUTIES.leading ? leading : dutyId === TEMPLATE_DUTIES.trailing ? trailing : undefined;
      if (!target) {
        rd.error(row.at('duty'), vi.workbook.templateDuty(String(dutyId ?? '')));
        continue;
      }
      rd.element(`dutyTemplate.${dutyId}[${target.length}]`, row);
      target.push(readQuestion(rd, row, `dutyTemplate.${dutyId}[${target.length}]`));
      continue;
    }
    if (!unitIndex.has(unitCode)) {
      rd.error(row.at('unit'), vi.workbook.noSuchUnit(unitCode));
      continue;
    }
    const at = dutyId === undefined ? undefined : dutyIndex.get(`${unitCode}\n${dutyId}`);
    if (!at) {
      rd.error(row.at('duty'), dutyId === undefined ? vi.workbook.emptyCell('duty') : vi.workbook.noSuchDuty(unitCode, dutyId));
      continue;
    }
    const questions = units[at.unit].duties[at.duty].questions;
    rd.element(`units[${at.unit}].duties[${at.duty}].questions[${questions.length}]`, row);
    questions.push(readQuestion(rd, row, `units[${at.unit}].duties[${at.duty}].questions[${questions.length}]`));
  }
  regime.dutyTemplate = { leading, trailing };
  regime.units = units;

  // report kinds
  regime.reportKinds = kindRows
    .filter((row) => !rd.skip.has(row.key))
    .map((row, i) => {
      const path = `reportKinds[${i}]`;
      rd.cells.set(path, row.at('id'));
      rd.element(path, row);
      const day = (key: string, p: string) => {
        const s = rd.text(row, key, p);
        if (s === undefined) return undefined;
        const d = readDayRule(s);
        if (!d.ok) rd.error(row.at(key), d.reason);
        return d.ok ? d.value : undefined;
      };
      rd.cells.set(`${path}.dataCutoff`, row.at('data_from'));
      rd.cells.set(`${path}.reminders`, row.at('remind_days_before'));
      const at = rd.text(row, 'remind_at', `${path}.reminders.at`);
      return compact({
        id: rd.text(row, 'id', `${path}.id`),
        name: rd.text(row, 'name', `${path}.name`),
        deadlineText: rd.text(row, 'deadline_text', `${path}.deadlineText`),
        deadline: day('deadline', `${path}.deadline`),
        dataCutoff: compact({ from: day('data_from', `${path}.dataCutoff.from`), to: day('data_to', `${path}.dataCutoff.to`) }),
        unitKinds: rd.list(row, 'unit_kinds', `${path}.unitKinds`),
        opensDaysBeforeDeadline: rd.number(row, 'opens_days_before_deadline', `${path}.opensDaysBeforeDeadline`),
        locksDaysAfterDeadline: rd.number(row, 'locks_days_after_deadline', `${path}.locksDaysAfterDeadline`),
        reminders: compact({
          daysBefore: rd.numbers(row, 'remind_days_before', `${path}.reminders.daysBefore`),
          at: remindAt(row.get('remind_at'), at),
          overdueEveryWorkingDays: rd.number(row, 'overdue_every_working_days', `${path}.reminders.overdueEveryWorkingDays`),
          overdueForDays: rd.number(row, 'overdue_for_days', `${path}.reminders.overdueForDays`),
        }),
      });
    });

  // indicators
  const indicatorsSheet = rd.rows('indicators');
  const indicatorIds = new Set<string>();
  const indicatorRows = (indicatorsSheet?.rows ?? []).filter((row) => {
    if (!rd.fill) return true;
    const refs = ['numerator', 'denominator'].flatMap((k) => (rd.text(row, k) ?? '').split('+').map((x) => x.trim().split('/')));
    const drop = rd.skip.has(row.key) || refs.some(([u, d, q]) => skipped.has(`unit\n${u}`) || skipped.has(`duty\n${u}\n${d}`) || skipped.has(`question\n${u}\n${d}\n${q}`));
    if (drop) skipped.add(`indicator\n${rd.text(row, 'id')}`);
    return !drop;
  });
  regime.indicators = indicatorRows.map((row, i) => {
    const path = `indicators[${i}]`;
    rd.cells.set(path, row.at('id'));
    rd.element(path, row);
    const id = rd.text(row, 'id', `${path}.id`);
    if (id !== undefined && indicatorIds.has(id)) rd.error(row.at('id'), vi.workbook.duplicateIndicator(id));
    if (id !== undefined) indicatorIds.add(id);
    const targets: Record<string, number> = {};
    rd.cells.set(`${path}.targets`, row.at('id'));
    for (const [key] of indicatorsSheet?.headers ?? []) {
      const m = TARGET_COLUMN.exec(key);
      if (!m) continue;
      const v = rd.number(row, key, `${path}.targets.${m[1]}`);
      if (v !== undefined) targets[m[1]] = v;
    }
    const dn = readRefs(rd, row, 'district_numerator', `${path}.districtBreakdown.numerator`, false);
    const dd = readRefs(rd, row, 'district_denominator', `${path}.districtBreakdown.denominator`, false);
    if (dn || dd) rd.cells.set(`${path}.districtBreakdown`, row.at(dn ? 'district_numerator' : 'district_denominator'));
    return compact({
      id,
      name: rd.text(row, 'name', `${path}.name`),
      numerator: readRefs(rd, row, 'numerator', `${path}.numerator`, true),
      denominator: readRefs(rd, row, 'denominator', `${path}.denominator`, true),
      targets,
      partOf: skipped.has(`indicator\n${rd.text(row, 'part_of')}`) ? undefined : rd.text(row, 'part_of', `${path}.partOf`),
      districtBreakdown: dn || dd ? compact({ numerator: dn, denominator: dd }) : undefined,
    });
  });

  // holidays: text YYYY-MM-DD or DD/MM/YYYY, or a date cell
  regime.holidays = (rd.rows('holidays')?.rows ?? [])
    .filter((row) => !rd.skip.has(row.key))
    .flatMap((row, i) => {
      const v = row.get('date');
      rd.cells.set(`holidays[${i}]`, row.at('date'));
      rd.element(`holidays[${i}]`, row);
      if (v instanceof Date) return [isoDay(v)];
      // A date cell that lost its date format: Excel's day number (1 = 1 January 1900, with its 29 February 1900).
      if (typeof v === 'number' && Number.isInteger(v) && v > 60) return [isoDay(new Date(Date.UTC(1899, 11, 30) + v * 86_400_000))];
      const s = String(v);
      const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
      if (dmy) return [`${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}`];
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) {
        rd.error(row.at('date'), vi.workbook.badDate(s));
        return ['-'];
      }
      return [s];
    });
  return regime;
}

const timeOfDay = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;

/** `remind_at` typed in Excel becomes a time cell (a Date on 30 December 1899), or a fraction of a day without its format. */
function remindAt(v: Cell, text: string | undefined): string | undefined {
  if (v instanceof Date) return timeOfDay(v);
  if (typeof v === 'number' && v >= 0 && v < 1) return timeOfDay(new Date(Math.round(v * 1440) * 60_000));
  return text;
}

/** Sort key of a cell reference: sheet order, then row, then column. */
function cellOrder(at: string): [number, number, number] {
  const m = /^([a-z_]+)!([A-Z]+)(\d+)$/.exec(at);
  if (!m) return [SHEET_ORDER.length, 0, 0];
  const col = [...m[2]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return [SHEET_ORDER.indexOf(m[1] as SheetName), Number(m[3]), col];
}

/**
 * Reads a regime workbook: the regime, or every error, each "sheet!cell: problem" in Vietnamese,
 * in the order of the sheets, rows and columns.
 */
export async function readRegimeWorkbook(data: Uint8Array): Promise<WorkbookResult> {
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { ok: false, errors: [vi.workbook.unreadable] };
  }
  // Pass 1 reads everything. While the schema refuses rows, the next pass leaves them out (and
  // what refers to them), so that the cross references of the rest are checked as well: every
  // error at once, not the schema's first and the references' after a fix.
  const errors: Array<{ at: string; message: string }> = [];
  const taken = new Set<string>();
  const report = (rd: Reader, messages: string[]) => {
    for (const e of messages) {
      // Every regime error starts with its path: "units[3].duties[1].questions[0].type: …".
      const sep = e.indexOf(': ');
      const path = sep > 0 ? e.slice(0, sep) : '';
      const at = rd.cellOf(path) ?? addr('settings', 1, 1);
      // A cell the workbook already found wrong: its own message says more than the schema's.
      if (taken.has(at)) continue;
      // Paths named inside a message (the indicators reading a figure) are cells as well.
      const message = (sep > 0 ? e.slice(sep + 2) : e).replace(/\b(?:indicators|units|reportKinds|dutyTemplate)[\w.[\]]*/g, (p) => rd.cellOf(p) ?? p);
      errors.push({ at, message });
      taken.add(at);
    }
  };
  let rd = new Reader(wb);
  let parsed = parseRegime(buildRegime(rd));
  // The workbook's own errors: those of the first pass (later passes read fewer rows).
  for (const e of rd.errors) {
    errors.push(e);
    taken.add(e.at);
  }
  for (let pass = 1; !parsed.ok; pass++) {
    // zod reports every schema issue at once: a later pass's are only what leaving rows out caused.
    if (pass === 1 || parsed.stage !== 'schema') report(rd, parsed.errors);
    if (parsed.stage !== 'schema' || pass === 6) break;
    const skip = new Set(rd.skip);
    for (const e of parsed.errors) {
      const row = rd.rowOf(e.slice(0, Math.max(0, e.indexOf(': '))));
      if (row) skip.add(row);
    }
    if (skip.size === rd.skip.size) break;
    rd = new Reader(wb, skip);
    parsed = parseRegime(buildRegime(rd));
  }
  if (errors.length) {
    const seen = new Set<string>();
    const lines = errors
      .sort((a, b) => {
        const [x, y] = [cellOrder(a.at), cellOrder(b.at)];
        return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
      })
      .map((e) => `${e.at}: ${e.message}`)
      .filter((l) => !seen.has(l) && seen.add(l));
    return { ok: false, errors: lines };
  }
  return parsed;
}
