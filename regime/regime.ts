/**
 * Loading and querying a reporting regime. Pure apart from `loadRegimeFile`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { DateTime, IANAZone } from 'luxon';
import { vi } from '../i18n/vi.js';
import { formatDay } from '../lib/datetime.js';
import type { z } from 'zod';
import { RegimeSchema, type Condition, type DayRule, type Duty, type Question, type ReportKind, type ReportRegime, type Unit } from './regime-schema.js';

/** `stage` of a failure: the schema refused it (`references` not checked yet) or a cross reference is wrong. */
export type RegimeResult = { ok: true; regime: ReportRegime } | { ok: false; errors: string[]; stage?: 'schema' | 'references' };

/** `units[3].duties[1].questions[0].type` from a zod issue path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || vi.regime.root;
}

function zodErrors(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

export function parseRegime(data: unknown): RegimeResult {
  const parsed = RegimeSchema.safeParse(data);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error), stage: 'schema' };
  const errors = [...checkCalendar(parsed.data), ...checkReferences(parsed.data)];
  if (errors.length) return { ok: false, errors, stage: 'references' };
  return { ok: true, regime: parsed.data };
}

export function loadRegimeFile(file: string): RegimeResult {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, errors: [vi.regime.unreadable(file, (e as Error).message)] };
  }
  return parseRegimeText(file, raw);
}

/**
 * A regime from a file's bytes, by its name's extension: an Excel workbook (regime/workbook.ts,
 * exceljs loaded only for one), YAML, or JSON. What `dondoc regime check|import` and an upload
 * (services/regime-change.ts) read.
 */
export async function readRegimeBytes(name: string, bytes: Uint8Array): Promise<RegimeResult> {
  if (/\.xlsx$/i.test(name)) return (await import('./workbook.js')).readRegimeWorkbook(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    return { ok: false, errors: [vi.regime.badSyntax(name, (e as Error).message)] };
  }
  return parseRegimeText(name, text);
}

function parseRegimeText(name: string, raw: string): RegimeResult {
  let data: unknown;
  try {
    // The YAML parser (72 modules) is loaded only for a YAML regime: the shipped regimes are JSON
    // and a server would otherwise keep it loaded for nothing (issue 15).
    data = /\.ya?ml$/i.test(extname(name)) ? (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(raw) : JSON.parse(raw);
  } catch (e) {
    return { ok: false, errors: [vi.regime.badSyntax(name, (e as Error).message)] };
  }
  return parseRegime(data);
}

// ---------------------------------------------------------------------------------------------
// Days and the calendar

/** The month a period's month-relative rules count from: June for H1, December for Y, its own for M. */
export function referenceMonth(kind: ReportKind['id'], month?: number): number {
  return kind === 'H1' ? 6 : kind === 'Y' ? 12 : (month as number);
}

/** The local day a rule names for a period of `year` (month rules count from `refMonth`). */
export function resolveDay(rule: DayRule, zone: string, year: number, refMonth: number): DateTime {
  if ('monthOffset' in rule) {
    return DateTime.fromObject({ year, month: refMonth, day: 1 }, { zone }).plus({ months: rule.monthOffset }).set({ day: rule.day });
  }
  const y = year + rule.yearOffset;
  let { month, day } = rule;
  if (month === 2 && day === 29 && rule.nonLeapYears && !DateTime.fromObject({ year: y }, { zone }).isInLeapYear) [month, day] = rule.nonLeapYears === 'mar1' ? [3, 1] : [2, 28];
  const d = DateTime.fromObject({ year: y, month, day }, { zone });
  if (!d.isValid) throw new Error(vi.regime.noSuchDate(rule.day, rule.month, y));
  return d;
}

const dm = (d: DateTime) => formatDay(d);

/** A yearly day-month rule must name a day that exists in every year. */
function dayRuleErrors(rule: DayRule, at: string): string[] {
  if ('monthOffset' in rule) return [];
  // 2024 is a leap year: the longest each month gets.
  const longest = DateTime.fromObject({ year: 2024, month: rule.month }).daysInMonth as number;
  if (rule.day > longest) return [vi.regime.noSuchDayInMonth(`${at}.day`, rule.month, rule.day)];
  const leapDay = rule.month === 2 && rule.day === 29;
  if (leapDay && !rule.nonLeapYears) return [vi.regime.leapDayNeedsRule(at)];
  if (!leapDay && rule.nonLeapYears) return [vi.regime.nonLeapYearsOnlyFeb29(`${at}.nonLeapYears`)];
  return [];
}

/**
 * The time zone, every day rule of the report kinds and every holiday must exist: a regime that
 * names an impossible day would load and then fail on every period. Every error carries its path.
 */
function checkCalendar(r: ReportRegime): string[] {
  const errors: string[] = [];
  const zoneOk = IANAZone.isValidZone(r.timezone);
  if (!zoneOk) errors.push(vi.regime.badTimezone('timezone', r.timezone));
  r.reportKinds.forEach((k, i) => {
    const rules: Array<[DayRule, string]> = [
      [k.deadline, `reportKinds[${i}].deadline`],
      [k.dataCutoff.from, `reportKinds[${i}].dataCutoff.from`],
      [k.dataCutoff.to, `reportKinds[${i}].dataCutoff.to`],
    ];
    const ruleErrors = rules.flatMap(([rule, at]) => dayRuleErrors(rule, at));
    errors.push(...ruleErrors);
    if (ruleErrors.length || !zoneOk) return;
    // The days exist: the data window must not end before it starts, nor the deadline come before
    // it starts, in leap and other years alike.
    const refs = k.id === 'M' ? Array.from({ length: 12 }, (_, m) => m + 1) : [referenceMonth(k.id)];
    for (const year of [2027, 2028])
      for (const ref of refs) {
        const from = resolveDay(k.dataCutoff.from, r.timezone, year, ref).startOf('day');
        const to = resolveDay(k.dataCutoff.to, r.timezone, year, ref).endOf('day');
        const deadline = resolveDay(k.deadline, r.timezone, year, ref).startOf('day');
        const problem =
          from > to
            ? vi.regime.dataWindowReversed(`reportKinds[${i}].dataCutoff`, dm(from), dm(to))
            : deadline <= from
              ? vi.regime.deadlineNotAfterData(`reportKinds[${i}].deadline`, dm(deadline), dm(from))
              : null;
        if (problem) {
          errors.push(problem);
          return;
        }
      }
  });
  r.holidays.forEach((h, i) => {
    const [year, month, day] = h.split('-').map(Number);
    if (!DateTime.fromObject({ year, month, day }).isValid) errors.push(vi.regime.badHoliday(`holidays[${i}]`, h));
  });
  return errors;
}

const NUMERIC = new Set(['integer', 'decimal', 'percent']);

function conditionRefs(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(conditionRefs);
  if ('any' in c) return c.any.flatMap(conditionRefs);
  return [c.question];
}

/** Cross-reference checks zod cannot express. Every error carries its path. */
function checkReferences(r: ReportRegime): string[] {
  const errors: string[] = [];
  const unitCodes = new Map<string, number>();
  r.units.forEach((u, i) => {
    if (unitCodes.has(u.code)) errors.push(vi.regime.duplicateUnit(`units[${i}].code`, u.code));
    unitCodes.set(u.code, i);
  });
  const kindIds = new Set(r.reportKinds.map((k) => k.id));
  r.reportKinds.forEach((k, i) => {
    if (r.reportKinds.findIndex((o) => o.id === k.id) !== i) errors.push(vi.regime.duplicateKind(`reportKinds[${i}].id`, k.id));
  });
  if (!unitCodes.has(r.consolidator.unit)) errors.push(vi.regime.noSuchUnit('consolidator.unit', r.consolidator.unit));

  const templateNames = new Set<string>();
  /** Checks one section's questions; `base(j)` is the path to report at, or null for questions checked elsewhere; `section` names it in a message. */
  const checkSection = (questions: Question[], base: (j: number) => string | null, section: string) => {
    const seen = new Map<string, Question>();
    const names = new Set(questions.map((q) => q.name));
    /** A question referred to that is not an earlier one: later in the section, or not in it at all. */
    const notEarlier = (at: string, ref: string) => (names.has(ref) ? vi.regime.notAnEarlierQuestion(at, ref) : vi.regime.noSuchQuestionInSection(at, ref, section));
    questions.forEach((q, j) => {
      const at = base(j);
      if (at === null) {
        seen.set(q.name, q);
        return;
      }
      if (seen.has(q.name)) errors.push(vi.regime.duplicateQuestion(`${at}.name`, q.name));
      if ((q.type === 'select_one' || q.type === 'select_multiple') && !q.choices) errors.push(vi.regime.choicesMissing(`${at}.choices`));
      if (q.choices && !r.choiceLists[q.choices]) errors.push(vi.regime.noSuchChoiceList(`${at}.choices`, q.choices));
      if (q.relevant) for (const ref of conditionRefs(q.relevant)) if (!seen.has(ref)) errors.push(notEarlier(`${at}.relevant`, ref));
      const lte = q.constraint?.lteQuestion;
      if (lte) {
        const other = seen.get(lte);
        if (!other) errors.push(notEarlier(`${at}.constraint.lteQuestion`, lte));
        else if (!NUMERIC.has(other.type) || !NUMERIC.has(q.type)) errors.push(vi.regime.lteNotNumeric(`${at}.constraint.lteQuestion`));
      }
      const sb = q.softBounds;
      if (sb) {
        if (!NUMERIC.has(q.type)) errors.push(vi.regime.softBoundsNotNumeric(`${at}.softBounds`));
        const c = q.constraint;
        const lo = c?.min ?? (q.type === 'percent' ? 0 : undefined);
        const hi = c?.max ?? (q.type === 'percent' ? 100 : undefined);
        for (const [k, v] of [
          ['min', sb.min],
          ['max', sb.max],
        ] as const)
          if (v !== undefined && ((lo !== undefined && v < lo) || (hi !== undefined && v > hi)))
            errors.push(vi.regime.softBoundOutside(`${at}.softBounds.${k}`, v, `${lo !== undefined ? ` min ${lo}` : ''}${hi !== undefined ? ` max ${hi}` : ''}`));
      }
      seen.set(q.name, q);
    });
  };
  const leading = r.dutyTemplate.leading;
  const trailing = r.dutyTemplate.trailing;
  for (const q of [...leading, ...trailing]) templateNames.add(q.name);
  checkSection([...leading, ...trailing], (j) => (j < leading.length ? `dutyTemplate.leading[${j}]` : `dutyTemplate.trailing[${j - leading.length}]`), vi.regime.templateSection);

  r.units.forEach((u, i) => {
    if (u.parent && !unitCodes.has(u.parent)) errors.push(vi.regime.noSuchUnit(`units[${i}].parent`, u.parent));
    if (u.parent === u.code) errors.push(vi.regime.selfParent(`units[${i}].parent`));
    const dutyIds = new Set<string>();
    u.duties.forEach((d, j) => {
      if (dutyIds.has(d.id)) errors.push(vi.regime.duplicateDuty(`units[${i}].duties[${j}].id`, d.id));
      dutyIds.add(d.id);
      d.reportKinds?.forEach((k, l) => {
        if (!kindIds.has(k as ReportKind['id'])) errors.push(vi.regime.noSuchKind(`units[${i}].duties[${j}].reportKinds[${l}]`, k));
      });
      d.questions.forEach((q, l) => {
        if (templateNames.has(q.name)) errors.push(vi.regime.templateNameClash(`units[${i}].duties[${j}].questions[${l}].name`, q.name));
      });
      // Template questions were checked above; only the duty's own questions are reported here.
      checkSection(
        [...leading, ...d.questions, ...trailing],
        (l) => (l >= leading.length && l < leading.length + d.questions.length ? `units[${i}].duties[${j}].questions[${l - leading.length}]` : null),
        `${u.code}/${d.id}`,
      );
    });
  });
  r.units.forEach((u, i) => {
    if (u.reports && effectiveDuties(r, u).length === 0) errors.push(vi.regime.noDuties(`units[${i}].duties`));
  });

  /** Questions the indicators read, by their path in the regime: each must always be answered. */
  const read = new Map<string, { q: Question; by: string[] }>();
  const readBy = (duty: Duty, q: Question, at: string) => {
    const path = questionPath(r, duty, q);
    if (path) read.set(path, { q, by: [...(read.get(path)?.by ?? []), at] });
  };
  r.indicators.forEach((ind, i) => {
    const refs = [...ind.numerator.map((f, j) => [f, `indicators[${i}].numerator[${j}]`] as const), ...(ind.denominator ?? []).map((f, j) => [f, `indicators[${i}].denominator[${j}]`] as const)];
    for (const [f, at] of refs) {
      const ui = unitCodes.get(f.unit);
      if (ui === undefined) {
        errors.push(vi.regime.noSuchUnit(`${at}.unit`, f.unit));
        continue;
      }
      const duty = effectiveDuties(r, r.units[ui]).find((d) => d.id === f.duty);
      if (!duty) {
        errors.push(vi.regime.noSuchDuty(`${at}.duty`, f.unit, f.duty));
        continue;
      }
      const q = duty.questions.find((x) => x.name === f.question);
      if (!q) errors.push(vi.regime.noSuchQuestion(`${at}.question`, `${f.unit}/${f.duty}`, f.question));
      else if (!NUMERIC.has(q.type)) errors.push(vi.regime.notNumeric(`${at}.question`, f.question));
      else readBy(duty, q, at);
    }
    const breakdown = ind.districtBreakdown;
    if (breakdown) {
      const districts = r.units.filter((u) => u.reports && u.kind === 'district');
      if (!districts.length) errors.push(vi.regime.noDistricts(`indicators[${i}].districtBreakdown`));
      const brefs = [
        ...breakdown.numerator.map((f, j) => [f, `indicators[${i}].districtBreakdown.numerator[${j}]`] as const),
        ...(breakdown.denominator ?? []).map((f, j) => [f, `indicators[${i}].districtBreakdown.denominator[${j}]`] as const),
      ];
      for (const [f, at] of brefs) {
        const lacking = districts.filter((u) => {
          const duty = effectiveDuties(r, u).find((d) => d.id === f.duty);
          const q = duty?.questions.find((x) => x.name === f.question);
          if (duty && q && NUMERIC.has(q.type)) readBy(duty, q, at);
          return !q || !NUMERIC.has(q.type);
        });
        if (lacking.length) errors.push(vi.regime.notNumericForDistricts(at, `${f.duty}/${f.question}`, lacking.map((u) => u.code).join(', ')));
      }
    }
    if (ind.partOf && !r.indicators.some((o) => o.id === ind.partOf)) errors.push(vi.regime.noSuchIndicator(`indicators[${i}].partOf`, ind.partOf));
  });
  // An indicator's figures cannot be left out: optional or conditional, a unit could submit
  // nothing and the rate would silently become "Chưa tính được".
  for (const [path, { q, by }] of read) {
    const readers = [...new Set(by)].join(', ');
    if (!q.required) errors.push(vi.regime.indicatorFigureOptional(`${path}.required`, q.name, readers));
    if (q.relevant) errors.push(vi.regime.indicatorFigureConditional(`${path}.relevant`, q.name, readers));
  }
  return errors;
}

/** `units[7].duties[0].questions[1]`: where a duty's question is written in the regime. */
function questionPath(r: ReportRegime, duty: Duty, q: Question): string | undefined {
  for (let i = 0; i < r.units.length; i++) {
    const j = r.units[i].duties.indexOf(duty);
    if (j >= 0) return `units[${i}].duties[${j}].questions[${duty.questions.indexOf(q)}]`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Queries

export function findUnit(r: ReportRegime, code: string): Unit | undefined {
  // Every turn looks units up (the report's, the coordinator's): by a map made once per list of
  // units (made again if the list grew: a regime being built), the first of a code as find gave;
  // a code not in it is looked for in the list itself.
  let kept = unitsByCode.get(r.units);
  if (!kept || kept.length !== r.units.length) {
    const byCode = new Map<string, Unit>();
    for (const u of r.units) if (!byCode.has(u.code)) byCode.set(u.code, u);
    unitsByCode.set(r.units, (kept = { length: r.units.length, byCode }));
  }
  return kept.byCode.get(code) ?? r.units.find((u) => u.code === code);
}
const unitsByCode = new WeakMap<readonly Unit[], { length: number; byCode: Map<string, Unit> }>();

export function reportingUnits(r: ReportRegime): Unit[] {
  return r.units.filter((u) => u.reports);
}

/** A unit's own duties, or its parent's when it has none (district units under group m). */
export function effectiveDuties(r: ReportRegime, u: Unit): Duty[] {
  if (u.duties.length) return u.duties;
  const parent = u.parent ? findUnit(r, u.parent) : undefined;
  return parent && parent !== u ? effectiveDuties(r, parent) : [];
}

export function reportKind(r: ReportRegime, id: string): ReportKind | undefined {
  return r.reportKinds.find((k) => k.id === id);
}

/** Report kinds this unit files. */
export function kindsForUnit(r: ReportRegime, u: Unit): ReportKind[] {
  if (!u.reports || u.kind === 'group') return [];
  return r.reportKinds.filter((k) => !k.unitKinds || k.unitKinds.includes(u.kind as never));
}

export function coordinatorUnit(r: ReportRegime): Unit {
  const u = findUnit(r, r.consolidator.unit);
  if (!u) throw new Error('regime has no consolidator unit');
  return u;
}

// ---------------------------------------------------------------------------------------------
// Forms

export interface FormQuestion extends Question {
  /** `${sectionId}/${name}`: the key of the answer (no dots: stored as a document key). */
  key: string;
  /** Hash of the question's definition: a change means the answer must be asked again. */
  hash: string;
}

export interface FormSection {
  id: string;
  title: string;
  text: string;
  questions: FormQuestion[];
}

export interface FormDefinition {
  unitCode: string;
  kind: ReportKind['id'];
  /** Hash of the whole form: drafts carry it so a changed regime is noticed. */
  version: string;
  sections: FormSection[];
}

/** The key an answer is stored under. */
export const answerKey = (sectionId: string, name: string): string => `${sectionId}/${name}`;

const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/**
 * A question's hash, computed once per question object (and its choice list): a loaded regime is
 * never changed in place (a changed regime is a new one, with new objects), and every form of a
 * 1,000-unit board would otherwise hash the same template questions again (most of the time of a
 * consolidation, bench/web.ts).
 */
const questionHashes = new WeakMap<object, { list: unknown; hash: string }>();
function questionHash(r: ReportRegime, q: Question): string {
  const list = q.choices ? r.choiceLists[q.choices] : null;
  const cached = questionHashes.get(q);
  if (cached && cached.list === list) return cached.hash;
  // Soft bounds only decide what is confirmed: changing them does not ask answers again.
  const h = hash([{ ...q, softBounds: undefined }, list]);
  questionHashes.set(q, { list, hash: h });
  return h;
}

/**
 * A cache of what is derived from a regime (forms, periods), per regime object and key: a loaded
 * regime is never changed in place (a new version is a new object), so what is derived from it
 * is computed once, not on every turn. Callers freeze what they cache: a caller changing a shared
 * value would change it for every later caller, and gets an error instead.
 */
export function regimeCache<T>(): (r: ReportRegime, key: string, make: (r: ReportRegime, key: string) => T) => T {
  const byRegime = new WeakMap<ReportRegime, Map<string, T>>();
  // `make` is given the regime and the key, so that a caller passes one function made once, not a closure made on every call (issue 15).
  return (r, key, make) => {
    let m = byRegime.get(r);
    if (!m) byRegime.set(r, (m = new Map()));
    if (m.has(key)) return m.get(key) as T;
    const v = make(r, key);
    m.set(key, v);
    return v;
  };
}

/**
 * What a form's question was made from: the regime's duty (its section) and the regime's question.
 * Forms are made per unit, but many units share their duties (a district's are its parent's) and
 * every duty the template's questions: what follows from the wording alone can be worked out once
 * for all of them (forms/form-engine.ts, a question's prompt lines).
 */
const origins = new WeakMap<FormQuestion, { duty: object; question: object }>();
export const questionOrigin = (q: FormQuestion): { duty: object; question: object } | undefined => origins.get(q);

/** Per regime and kind, the forms by unit code (two lookups: no key string made on every turn). */
const forms = regimeCache<Map<string, FormDefinition | undefined>>();

const newFormMap = (): Map<string, FormDefinition | undefined> => new Map();

/** The form a unit fills for a kind of report (computed once per regime, unit and kind; frozen). */
export function buildForm(r: ReportRegime, unitCode: string, kind: ReportKind['id']): FormDefinition | undefined {
  const byUnit = forms(r, kind, newFormMap);
  if (byUnit.has(unitCode)) return byUnit.get(unitCode);
  const f = makeForm(r, unitCode, kind);
  if (f) {
    for (const s of f.sections) {
      s.questions.forEach((q) => Object.freeze(q));
      Object.freeze(s.questions);
      Object.freeze(s);
    }
    Object.freeze(f.sections);
    Object.freeze(f);
  }
  byUnit.set(unitCode, f);
  return f;
}

function makeForm(r: ReportRegime, unitCode: string, kind: ReportKind['id']): FormDefinition | undefined {
  const u = findUnit(r, unitCode);
  if (!u || !kindsForUnit(r, u).some((k) => k.id === kind)) return undefined;
  const sections: FormSection[] = effectiveDuties(r, u)
    .filter((d) => !d.reportKinds || d.reportKinds.includes(kind))
    .map((d) => ({
      id: d.id,
      title: d.title,
      text: d.text,
      questions: [...r.dutyTemplate.leading, ...d.questions, ...r.dutyTemplate.trailing].map((q) => {
        const fq: FormQuestion = { ...q, key: answerKey(d.id, q.name), hash: questionHash(r, q) };
        origins.set(fq, { duty: d, question: q });
        return fq;
      }),
    }));
  return { unitCode, kind, version: hash(sections.map((s) => [s.id, s.title, s.questions.map((q) => q.hash)])), sections };
}

export function regimeSummary(r: ReportRegime): { units: number; reportingUnits: number; duties: number; questions: number } {
  const reporting = reportingUnits(r);
  let duties = 0;
  let questions = 0;
  for (const u of r.units) {
    duties += u.duties.length;
    questions += u.duties.reduce((n, d) => n + d.questions.length + r.dutyTemplate.leading.length + r.dutyTemplate.trailing.length, 0);
  }
  return { units: r.units.length, reportingUnits: reporting.length, duties, questions };
}
