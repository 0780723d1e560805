/**
 * The channel-free form engine: (form, answers so far, input) → next prompt | validation error |
 * complete. Pure: no store, no clock, no channel. Skip logic (`relevant`) and constraints come
 * from the regime; parsing from ./parse.ts; wording from ./messages.ts.
 */
import type { DateTime } from 'luxon';
import type { ChoiceView, FieldView, FormView, OutMessage } from '../core/message.js';
import { fold } from '../lib/text.js';
import type { FormDefinition, FormQuestion, FormSection } from '../regime/regime.js';
import { answerKey, questionOrigin } from '../regime/regime.js';
import type { Choice, Condition, ReportRegime } from '../regime/regime-schema.js';
import type { AnswerRecord, AnswerValue } from '../store/records.js';
import { vi } from '../i18n/vi.js';
import { formatDate, formatNumber, formatPercent, isSkip, parseChoice, parseChoices, parseDate, parseQuantity, quantityUnit, shiftDecimal, type ParseFailure, type QuantityUnit } from './parse.js';

/** Current answers by key; `null` = an optional question left blank ("bỏ qua"). */
export type Answers = Record<string, AnswerValue>;

export interface FormEnv {
  regime: ReportRegime;
  form: FormDefinition;
  /** End of the period's data window (for `notAfterPeriodEnd`). */
  periodEnd: DateTime;
  /**
   * The unit's submitted answers for the previous period of the same kind, only those whose
   * question is unchanged since (services/drafts.ts `reusableAnswers`): each is offered again
   * ("Kỳ trước: …", `giữ như kỳ trước`; a form's "Điền như kỳ trước").
   */
  previous?: Answers;
  /** Keys whose stored answer was copied from the previous period unchanged (AnswerRecord.copiedFrom). */
  copied?: ReadonlySet<string>;
}

/** Most characters of a previous answer shown beside a question (a long text is cut, as in the summary). */
export const PREVIOUS_SHOWN_CHARS = 300;

/** The previous period's answer to offer for `q`, shown as an official reads it (a long text cut); undefined when there is none. */
export function previousShown(env: FormEnv, q: FormQuestion): string | undefined {
  const previous = env.previous;
  if (!previous) return undefined;
  // Previous answers that cannot change (frozen: services/drafts.ts reusableAnswers) are shown once per question, not on every turn.
  if (!Object.isFrozen(previous)) return shownPrevious(env.regime, q, previous[q.key]);
  let kept = shownBefore.get(previous);
  if (kept?.regime !== env.regime) shownBefore.set(previous, (kept = { regime: env.regime, shown: new Map() }));
  if (kept.shown.has(q)) return kept.shown.get(q);
  const shown = shownPrevious(env.regime, q, previous[q.key]);
  kept.shown.set(q, shown);
  return shown;
}
const shownBefore = new WeakMap<Answers, { regime: ReportRegime; shown: Map<FormQuestion, string | undefined> }>();

function shownPrevious(regime: ReportRegime, q: FormQuestion, v: AnswerValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  const shown = displayValue(regime, q, v);
  return shown.length > PREVIOUS_SHOWN_CHARS ? `${shown.slice(0, PREVIOUS_SHOWN_CHARS - 1)}…` : shown;
}

/**
 * The questions of a section a form's "Điền như kỳ trước" (`như kỳ trước`) would fill: those that
 * apply, are not answered yet and have an answer of the previous period to offer.
 */
export function copyableKeys(env: FormEnv, sectionIndex: number, answers: Answers, rel?: ReadonlySet<string>): string[] {
  const s = env.form.sections[sectionIndex];
  if (!s || !env.previous) return [];
  rel ??= relevantSet(s, answers);
  return s.questions.filter((q) => copyable(env, q, answers, rel)).map((q) => q.key);
}

/** Whether "Điền như kỳ trước" would fill `q` (see copyableKeys; `rel`: what applies in its section). */
function copyable(env: FormEnv, q: FormQuestion, answers: Answers, rel: ReadonlySet<string>): boolean {
  return q.type !== 'note' && rel.has(q.key) && answers[q.key] === undefined && previousShown(env, q) !== undefined;
}

export interface QuestionRef {
  sectionIndex: number;
  section: FormSection;
  question: FormQuestion;
  /** 1-based number of the question among the section's questions (notes not counted). */
  number: number;
}

// ---------------------------------------------------------------------------------------------
// Answers and relevance

/** Answers still valid for this form: recorded under the question's current definition. */
export function currentAnswers(form: FormDefinition, records: Record<string, AnswerRecord>): Answers {
  const { questions, at } = formIndex(form);
  const out: Answers = {};
  if (!at) {
    for (const q of questions) {
      const r = records[q.key];
      if (r && r.hash === q.hash) out[q.key] = r.value;
    }
    return out;
  }
  // The draft's own keys walked once (a draft read from the store has a shape of its own each turn:
  // looking each question's key up in it is slow), the answers then written in form order.
  const found: Array<AnswerRecord | undefined> = new Array<AnswerRecord | undefined>(questions.length);
  for (const k in records) {
    const i = at.get(k);
    if (i === undefined) continue;
    const r = records[k];
    if (r && r.hash === questions[i].hash) found[i] = r;
  }
  for (let i = 0; i < questions.length; i++) {
    const r = found[i];
    if (r !== undefined) out[questions[i].key] = r.value;
  }
  return out;
}

/**
 * Every question of a form in form order, and where each key is in that list (undefined when a
 * key occurs twice: then the keys are looked up one by one), made once per list of sections
 * (forms are built once per regime).
 */
const indexes = new WeakMap<readonly FormSection[], { questions: readonly FormQuestion[]; at?: ReadonlyMap<string, number> }>();
function formIndex(form: FormDefinition): { questions: readonly FormQuestion[]; at?: ReadonlyMap<string, number> } {
  let x = indexes.get(form.sections);
  if (!x) {
    const questions = form.sections.flatMap((s) => s.questions);
    const at = new Map(questions.map((q, i) => [q.key, i]));
    x = { questions, ...(at.size === questions.length ? { at } : {}) };
    indexes.set(form.sections, x);
  }
  return x;
}

function evalCondition(c: Condition, get: (name: string) => AnswerValue | undefined): boolean {
  if ('all' in c) return c.all.every((x) => evalCondition(x, get));
  if ('any' in c) return c.any.some((x) => evalCondition(x, get));
  const v = get(c.question);
  const has = v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  const eq = (x: string | number) => (Array.isArray(v) ? v.includes(String(x)) : v === x || (has && String(v) === String(x)));
  switch (c.op) {
    case 'answered':
      return has;
    case 'not_answered':
      return !has;
    case 'eq':
      return has && eq(c.value);
    case 'neq':
      return !has || !eq(c.value);
    case 'in':
      return has && c.value.some(eq);
    case 'not_in':
      return !has || !c.value.some(eq);
    default: {
      if (typeof v !== 'number') return false;
      const n = c.value;
      return c.op === 'gt' ? v > n : c.op === 'gte' ? v >= n : c.op === 'lt' ? v < n : v <= n;
    }
  }
}

/**
 * Which questions of a section are relevant given the answers. An irrelevant question's answer
 * counts as empty for the questions after it (as in XLSForm).
 */
export function relevantSet(section: FormSection, answers: Answers): Set<string> {
  const out = new Set<string>();
  const keys = keysIn(section);
  const get = (name: string) => {
    let k = keys.get(name);
    if (k === undefined) keys.set(name, (k = answerKey(section.id, name)));
    return out.has(k) ? answers[k] : undefined;
  };
  // Indexed loops here and below: these run several times a turn, and an iterator's results are garbage wherever V8 does not optimise them away.
  const questions = section.questions;
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i];
    if (!q.relevant || evalCondition(q.relevant, get)) out.add(q.key);
  }
  return out;
}

/** Per section, the answer key of each question name its conditions read (made as they are read, not on every evaluation). */
const sectionKeys = new WeakMap<FormSection, Map<string, string>>();
function keysIn(section: FormSection): Map<string, string> {
  let m = sectionKeys.get(section);
  if (!m) sectionKeys.set(section, (m = new Map()));
  return m;
}

export function isRelevant(section: FormSection, q: FormQuestion, answers: Answers): boolean {
  return relevantSet(section, answers).has(q.key);
}

/** The answers that belong in a submission: relevant questions of the current form only. */
export function relevantAnswers(form: FormDefinition, answers: Answers): Answers {
  const out: Answers = {};
  for (const s of form.sections) {
    const rel = relevantSet(s, answers);
    for (const q of s.questions) if (q.type !== 'note' && rel.has(q.key) && q.key in answers) out[q.key] = answers[q.key];
  }
  return out;
}

/** Per section, each question's number (notes not counted), worked out once per list of questions (forms are built once per regime). */
const numbers = new WeakMap<readonly FormQuestion[], Map<FormQuestion, number>>();

function numbersOf(section: FormSection): Map<FormQuestion, number> {
  let m = numbers.get(section.questions);
  if (!m) {
    m = new Map(section.questions.filter((x) => x.type !== 'note').map((x, i) => [x, i + 1]));
    numbers.set(section.questions, m);
  }
  return m;
}

export function questionNumber(section: FormSection, q: FormQuestion): number {
  return numbersOf(section).get(q) ?? 0;
}

/** How many questions a section has, notes not counted (its last question's number). */
function questionCount(section: FormSection): number {
  return numbersOf(section).size;
}

/** Per form, where each question is (its first occurrence), worked out once per list of sections (forms are built once per regime). */
const refs = new WeakMap<readonly FormSection[], Map<string, Readonly<QuestionRef>>>();

export function refOf(form: FormDefinition, key: string): QuestionRef | undefined {
  const ref = refAt(form, key);
  return ref && { ...ref };
}

/** Where a question is, as refOf, for reading only: the ref kept for the form (frozen), not a copy. */
export function refAt(form: FormDefinition, key: string): Readonly<QuestionRef> | undefined {
  let m = refs.get(form.sections);
  if (!m) {
    m = new Map();
    for (let i = 0; i < form.sections.length; i++) {
      const s = form.sections[i];
      for (const q of s.questions) if (!m.has(q.key)) m.set(q.key, Object.freeze({ sectionIndex: i, section: s, question: q, number: questionNumber(s, q) }));
    }
    refs.set(form.sections, m);
  }
  return m.get(key);
}

/**
 * "1.3": the number the focal point sees for a question (mục 1, câu 3; notes are not counted).
 * The one numbering of the section form's fields, `xem lại`, `sửa 1.3`, the coordinator's `xem`
 * and `cần bổ sung 1.3`: a question keeps its number whether or not it applies.
 */
export function numberOf(ref: Pick<QuestionRef, 'sectionIndex' | 'number'>): string {
  return `${ref.sectionIndex + 1}.${ref.number}`;
}

/** "1.3 Số người tham gia BHXH": a question as lists name it. */
export function numberedLabel(ref: QuestionRef): string {
  return `${numberOf(ref)} ${ref.question.label}`;
}

/**
 * Each section with its relevant questions in form order, numbered as the focal point sees them:
 * the one numbering of `xem lại`, `sửa 1.3`, the coordinator's `xem` and `cần bổ sung 1.3`.
 */
export function numberedSections(form: FormDefinition, answers: Answers): Array<{ index: number; section: FormSection; questions: QuestionRef[] }> {
  return form.sections.map((s, i) => {
    const rel = relevantSet(s, answers);
    const questions = s.questions.filter((q) => q.type !== 'note' && rel.has(q.key)).map((q) => ({ sectionIndex: i, section: s, question: q, number: questionNumber(s, q) }));
    return { index: i, section: s, questions };
  });
}

/** The first relevant, unanswered question in form order; undefined when the form is complete. */
export function nextQuestion(form: FormDefinition, answers: Answers): QuestionRef | undefined {
  for (let i = 0; i < form.sections.length; i++) {
    const s = form.sections[i];
    // What applies is worked out only for a section with a question unanswered (sections done are passed over).
    let rel: Set<string> | undefined;
    const questions = s.questions;
    for (let j = 0; j < questions.length; j++) {
      const q = questions[j];
      if (q.type === 'note' || q.key in answers) continue;
      rel ??= relevantSet(s, answers);
      if (rel.has(q.key)) return { sectionIndex: i, section: s, question: q, number: questionNumber(s, q) };
    }
  }
  return undefined;
}

/** Relevant required questions without an answer. */
export function missingRequired(form: FormDefinition, answers: Answers): QuestionRef[] {
  const out: QuestionRef[] = [];
  form.sections.forEach((s, i) => {
    const rel = relevantSet(s, answers);
    for (const q of s.questions)
      if (q.required && q.type !== 'note' && rel.has(q.key) && (answers[q.key] === undefined || answers[q.key] === null))
        out.push({ sectionIndex: i, section: s, question: q, number: questionNumber(s, q) });
  });
  return out;
}

/**
 * Counts of relevant questions answered / total (notes excluded), and of the questions that do not
 * apply given the answers (the regime's skip logic).
 */
export function completion(form: FormDefinition, answers: Answers): { answered: number; total: number; missingRequired: number; notApplicable: number } {
  let answered = 0;
  let total = 0;
  let notApplicable = 0;
  for (const s of form.sections) {
    const rel = relevantSet(s, answers);
    for (const q of s.questions)
      if (q.type !== 'note' && rel.has(q.key)) {
        total++;
        if (q.key in answers) answered++;
      } else if (q.type !== 'note') notApplicable++;
  }
  return { answered, total, missingRequired: missingRequired(form, answers).length, notApplicable };
}

/** The question names a condition reads, worked out once per condition (regimes are not changed in place). */
const conditionReads = new WeakMap<Condition, ReadonlySet<string>>();
function namesRead(c: Condition): ReadonlySet<string> {
  let names = conditionReads.get(c);
  if (!names) {
    names = conditionNames(c, new Set());
    conditionReads.set(c, names);
  }
  return names;
}

function conditionNames(c: Condition, out: Set<string>): Set<string> {
  if ('all' in c) c.all.forEach((x) => conditionNames(x, out));
  else if ('any' in c) c.any.forEach((x) => conditionNames(x, out));
  else out.add(c.question);
  return out;
}

/**
 * Why a conditional question applies or not, in a few words: the answers its skip logic reads,
 * by number, as the logic reads them ("vì câu 1.1 là “Chưa triển khai”"; a question that does not
 * apply itself reads as unanswered). Undefined for a question asked unconditionally.
 */
export function becauseOf(regime: ReportRegime, sectionIndex: number, section: FormSection, q: FormQuestion, answers: Answers, rel?: ReadonlySet<string>): string | undefined {
  if (!q.relevant) return undefined;
  const names = namesRead(q.relevant);
  rel ??= relevantSet(section, answers);
  const read = section.questions
    .filter((x) => x.type !== 'note' && names.has(x.name))
    .map((x) => {
      const v = rel.has(x.key) ? answers[x.key] : undefined;
      return { number: numberOf({ sectionIndex, number: questionNumber(section, x) }), value: v === undefined || v === null ? undefined : displayValue(regime, x, v), blank: v === null };
    });
  return read.length ? vi.answer.because(read) : undefined;
}

/** "Mục 3/8 · câu 2/5" */
export function progress(form: FormDefinition, ref: QuestionRef): string {
  const count = questionCount(ref.section);
  return vi.answer.progress(ref.sectionIndex + 1, form.sections.length, ref.number, count);
}

// ---------------------------------------------------------------------------------------------
// Validation

export function choicesOf(regime: ReportRegime, q: FormQuestion): Choice[] {
  return q.choices ? (regime.choiceLists[q.choices] ?? []) : [];
}

export type Validation = { ok: true; value: AnswerValue } | { ok: false; error: string };

/** The unit a numeric question's figures are counted in (its `unitLabel`; "%" for percentages). */
export function unitOf(q: FormQuestion): QuantityUnit {
  // Read from the question's unit label once per question (a figure's every answer needs it), frozen since shared.
  let u = units.get(q);
  if (!u || u.label !== q.unitLabel || u.type !== q.type) units.set(q, (u = { label: q.unitLabel, type: q.type, unit: Object.freeze(quantityUnit(q.unitLabel, q.type === 'percent')) }));
  return u.unit;
}
const units = new WeakMap<FormQuestion, { label: string | undefined; type: FormQuestion['type']; unit: QuantityUnit }>();

function parseError(q: FormQuestion, reason: ParseFailure): string {
  if (reason === 'empty') return q.requiredMessage ?? vi.answer.required;
  switch (q.type) {
    case 'integer':
      return reason === 'bad_grouping' ? vi.answer.badGrouping : vi.answer.expectInteger(q.unitLabel);
    case 'decimal':
      return reason === 'bad_grouping' ? vi.answer.badGrouping : vi.answer.expectDecimal(q.unitLabel);
    case 'percent':
      return vi.answer.expectPercent;
    case 'date':
      return reason === 'no_such_date' ? vi.answer.noSuchDate : vi.answer.expectDate;
    case 'select_one':
      return vi.answer.expectChoice;
    case 'select_multiple':
      return vi.answer.expectChoices;
    default:
      return vi.answer.expectText;
  }
}

/**
 * Reads one raw input for a question on its own: type, unit and the question's own bounds
 * (min/max, lengths, dates inside the period). "bỏ qua" leaves an optional question blank (null)
 * and is refused for a required one. Rules that read other questions are `rulesBrokenBy`'s.
 */
export function parseAnswer(env: FormEnv, q: FormQuestion, raw: string): Validation {
  const input = raw.trim();
  if (!input || isSkip(input)) {
    if (q.required) return { ok: false, error: q.requiredMessage ?? vi.answer.required };
    return { ok: true, value: null };
  }
  const c = q.constraint;
  switch (q.type) {
    case 'note':
      return { ok: true, value: null };
    case 'text': {
      if (c?.maxLength !== undefined && input.length > c.maxLength) return { ok: false, error: c.message };
      if (c?.minLength !== undefined && input.length < c.minLength) return { ok: false, error: c.message };
      return { ok: true, value: input };
    }
    case 'integer':
    case 'decimal':
    case 'percent': {
      // In the question's own unit: "1,5 tỷ" for "triệu đồng" is 1.500 (a bare number is taken as is).
      const r = parseQuantity(input, unitOf(q));
      if (!r.ok)
        return {
          ok: false,
          error: r.reason === 'scale_not_allowed' ? vi.answer.scaleOnPercent(r.words ?? '') : r.reason === 'not_money' ? vi.answer.notMoney(r.words ?? '', q.unitLabel) : parseError(q, r.reason),
        };
      if (r.value.percent && q.type !== 'percent') return { ok: false, error: q.type === 'integer' ? vi.answer.expectInteger(q.unitLabel) : vi.answer.expectDecimal(q.unitLabel) };
      const n = r.value.value;
      if (q.type === 'integer' && !Number.isSafeInteger(n)) {
        if (r.value.typedUnit && Number.isFinite(n)) return { ok: false, error: vi.answer.scaledNotWhole(input, formatNumber(n), q.unitLabel) };
        return { ok: false, error: `${vi.answer.expectInteger(q.unitLabel)}${/,/.test(input) ? ` ${vi.answer.commaIsDecimal}` : ''}` };
      }
      if (c?.min !== undefined && n < c.min) return { ok: false, error: c.message };
      if (c?.max !== undefined && n > c.max) return { ok: false, error: c.message };
      return { ok: true, value: n };
    }
    case 'date': {
      const r = parseDate(input, env.regime.timezone);
      if (!r.ok) return { ok: false, error: parseError(q, r.reason) };
      if (c?.notAfterPeriodEnd && r.value > isoDay(env.periodEnd)) return { ok: false, error: `${c.message} ${vi.answer.periodEndIs(formatDate(isoDay(env.periodEnd)))}` };
      return { ok: true, value: r.value };
    }
    case 'select_one': {
      const r = parseChoice(input, choicesOf(env.regime, q));
      return r.ok ? { ok: true, value: r.value } : { ok: false, error: parseError(q, r.reason) };
    }
    case 'select_multiple': {
      const r = parseChoices(input, choicesOf(env.regime, q));
      if (!r.ok) return { ok: false, error: parseError(q, r.reason) };
      if (c?.minLength !== undefined && r.value.length < c.minLength) return { ok: false, error: c.message };
      if (c?.maxLength !== undefined && r.value.length > c.maxLength) return { ok: false, error: c.message };
      return { ok: true, value: r.value };
    }
  }
}

/** A period's last day as "YYYY-MM-DD", worked out once per instant (a period's are kept: regime/periods.ts makePeriod). */
function isoDay(d: DateTime): string {
  let day = isoDays.get(d);
  if (day === undefined) isoDays.set(d, (day = d.toISODate() as string));
  return day;
}
const isoDays = new WeakMap<DateTime, string>();

/**
 * Validates one raw input for a question against everything else answered in the form: the
 * question's own checks (`parseAnswer`), then every cross-field rule the new value would break,
 * whichever side of the rule the question is on (editing a total below its "of which" figure is
 * refused as much as the figure above its total). `section` is the question's section (the
 * rules themselves are read across the whole form).
 */
export function validate(env: FormEnv, section: FormSection, q: FormQuestion, raw: string, answers: Answers): Validation {
  const v = parseAnswer(env, q, raw);
  if (!v.ok) return v;
  const broken = rulesBrokenBy(env.form, answers, { [q.key]: v.value });
  return broken.length ? { ok: false, error: ruleError(env.regime, broken[0], q.key) } : v;
}

// ---------------------------------------------------------------------------------------------
// Cross-field rules

/**
 * A cross-field rule (a constraint that reads another question: `lteQuestion`) broken by the
 * answers: `part` (e.g. 1.4 "of which voluntary") exceeds `whole` (1.3, all participants).
 */
export interface BrokenRule {
  /** The question carrying the rule, and its answer. */
  part: QuestionRef;
  partValue: number;
  /** The question the rule reads, and its answer. */
  whole: QuestionRef;
  wholeValue: number;
  /** The regime's wording of the rule. */
  message: string;
}

/** "1.3": the number a focal point sees for a question (mục.câu); see numberOf. */
export const refNumber = (ref: QuestionRef): string => numberOf(ref);

/** The keys of the two questions a broken rule reads. */
export const ruleKeys = (b: BrokenRule): [string, string] => [b.part.question.key, b.whole.question.key];

const ruleId = (b: BrokenRule) => ruleKeys(b).join('≤');

/** Per section, its cross-field rules (`lteQuestion`) as pairs of questions in form order, worked out once per list of questions. */
const sectionRules = new WeakMap<readonly FormQuestion[], Array<[FormQuestion, FormQuestion]>>();
function rulesOf(s: FormSection): Array<[FormQuestion, FormQuestion]> {
  let rules = sectionRules.get(s.questions);
  if (!rules) {
    rules = [];
    for (const q of s.questions) {
      const lte = q.constraint?.lteQuestion;
      const other = lte ? s.questions.find((x) => x.key === answerKey(s.id, lte)) : undefined;
      if (other) rules.push([q, other]);
    }
    sectionRules.set(s.questions, rules);
  }
  return rules;
}

/**
 * Every cross-field rule the answers break, in form order. Only relevant questions count (an
 * irrelevant answer is empty, as for skip logic); a rule with an unanswered side holds.
 */
export function brokenRules(form: FormDefinition, answers: Answers): BrokenRule[] {
  const out: BrokenRule[] = [];
  for (let i = 0; i < form.sections.length; i++) sectionBrokenRules(form.sections[i], i, answers, out);
  return out;
}

/** The rules of one section the answers break, in form order, added to `out`. */
function sectionBrokenRules(s: FormSection, sectionIndex: number, answers: Answers, out: BrokenRule[]): void {
  const rules = rulesOf(s);
  // A section without rules breaks none, nor one whose figures hold: what is relevant is worked out only for a figure above its whole.
  let rel: Set<string> | undefined;
  for (const [q, other] of rules) {
    const a = answers[q.key];
    const b = answers[other.key];
    if (!(typeof a === 'number' && typeof b === 'number' && a > b)) continue;
    rel ??= relevantSet(s, answers);
    if (rel.has(q.key) && rel.has(other.key))
      out.push({
        part: { sectionIndex, section: s, question: q, number: questionNumber(s, q) },
        partValue: a,
        whole: { sectionIndex, section: s, question: other, number: questionNumber(s, other) },
        wholeValue: b,
        message: q.constraint?.message ?? '',
      });
  }
}

/**
 * The rules that `changes` (answers about to be stored) would break: those broken afterwards that
 * read a changed question, or that held before the change (e.g. a question made relevant again).
 * A section's rules and the skip logic they depend on read only that section's answers (its
 * questions' keys, and `answerKey(section, name)` for a condition's names), so only a section
 * with rules whose answers change can break one anew: the others are not evaluated at all.
 */
export function rulesBrokenBy(form: FormDefinition, answers: Answers, changes: Answers): BrokenRule[] {
  const changed = Object.keys(changes);
  const out: BrokenRule[] = [];
  let after: Answers | undefined;
  for (let i = 0; i < form.sections.length; i++) {
    const s = form.sections[i];
    if (!rulesOf(s).length || !changed.some((k) => readsKey(s, k))) continue;
    const before: BrokenRule[] = [];
    sectionBrokenRules(s, i, answers, before);
    const held = new Set(before.map(ruleId));
    const now: BrokenRule[] = [];
    sectionBrokenRules(s, i, (after ??= { ...answers, ...changes }), now);
    for (const b of now) if (ruleKeys(b).some((k) => k in changes) || !held.has(ruleId(b))) out.push(b);
  }
  return out;
}

/** Whether a section's questions or conditions may read the answer under `key`: one of its questions' keys, or any key in the section's name space (answerKey). */
function readsKey(s: FormSection, key: string): boolean {
  const id = s.id;
  return (key.length > id.length && key.charCodeAt(id.length) === 47 && key.startsWith(id)) || questionKeys(s).has(key);
}

const sectionQuestionKeys = new WeakMap<readonly FormQuestion[], ReadonlySet<string>>();
function questionKeys(s: FormSection): ReadonlySet<string> {
  let keys = sectionQuestionKeys.get(s.questions);
  if (!keys) sectionQuestionKeys.set(s.questions, (keys = new Set(s.questions.map((q) => q.key))));
  return keys;
}

/** Why an input for `key` is refused by a broken rule: names the other question by number and value, and how to proceed. */
export function ruleError(regime: ReportRegime, b: BrokenRule, key: string): string {
  const part = displayValue(regime, b.part.question, b.partValue);
  const whole = displayValue(regime, b.whole.question, b.wholeValue);
  if (key === b.part.question.key) return `${b.message} ${vi.answer.comparedWith(refNumber(b.whole), b.whole.question.label, whole)}`;
  if (key === b.whole.question.key) return `${b.message} ${vi.answer.wholeBelowPart(refNumber(b.part), b.part.question.label, part, whole)}`;
  return `${b.message} ${ruleLine(regime, b)}`;
}

/** One broken rule as a line: both questions by number, both values. */
export function ruleLine(regime: ReportRegime, b: BrokenRule): string {
  return vi.answer.ruleBroken(
    refNumber(b.part),
    b.part.question.label,
    displayValue(regime, b.part.question, b.partValue),
    refNumber(b.whole),
    b.whole.question.label,
    displayValue(regime, b.whole.question, b.wholeValue),
  );
}

// ---------------------------------------------------------------------------------------------
// Plausibility: valid figures that are confirmed before they are stored

/** A figure more than this many times the previous period's, or less than its share, is confirmed. */
export const OUTLIER_FACTOR = 10;

/** "gấp 1.000 lần", "gấp 12,5 lần" */
function ratioWords(r: number): string {
  return formatNumber(r >= 100 ? Math.round(r) : Math.round(r * 10) / 10);
}

/**
 * Why a valid figure looks wrong: far from what the unit reported for the previous period of the
 * same kind (more than OUTLIER_FACTOR times, or under its share), or outside the question's soft
 * bounds (`softBounds`). The whole question to ask ("Bạn nhập 1.500.000 triệu đồng, gấp 1.000
 * lần kỳ trước (1.500 triệu đồng). Đúng không?"), or undefined when the figure looks plausible.
 */
export function unusualFigure(regime: ReportRegime, q: FormQuestion, value: AnswerValue, previous?: AnswerValue): string | undefined {
  if (typeof value !== 'number' || (q.type !== 'integer' && q.type !== 'decimal' && q.type !== 'percent')) return undefined;
  const shown = (n: number) => displayValue(regime, q, n);
  const reasons: string[] = [];
  let against: string | undefined;
  if (typeof previous === 'number' && previous > 0 && value >= 0) {
    if (value > previous * OUTLIER_FACTOR) reasons.push(vi.answer.timesPrevious(ratioWords(value / previous), shown(previous)));
    else if (value === 0) against = vi.answer.zeroAgainstPrevious(shown(previous));
    else if (value < previous / OUTLIER_FACTOR) {
      const pct = (value / previous) * 100;
      reasons.push(vi.answer.shareOfPrevious(pct < 0.01 ? vi.answer.underHundredth : formatPercent(Number(pct.toPrecision(2))), shown(previous)));
    }
  }
  const b = q.softBounds;
  if (b?.max !== undefined && value > b.max) reasons.push(vi.answer.aboveSoftMax(shown(b.max)));
  if (b?.min !== undefined && value < b.min) reasons.push(vi.answer.belowSoftMin(shown(b.min)));
  return reasons.length || against ? vi.answer.unusualFigure(shown(value), reasons, against) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Display

/** The answer as an official reads it: "1.234 người", "2,5%", "05/7/2027", choice labels. */
export function displayValue(regime: ReportRegime, q: FormQuestion, v: AnswerValue | undefined): string {
  if (v === undefined) return vi.answer.unanswered;
  if (v === null) return vi.answer.skipped;
  switch (q.type) {
    case 'integer':
    case 'decimal':
      return typeof v === 'number' ? `${formatNumber(v)}${q.unitLabel ? ` ${q.unitLabel}` : ''}` : String(v);
    case 'percent':
      return typeof v === 'number' ? formatPercent(v) : String(v);
    case 'date':
      return typeof v === 'string' ? formatDate(v) : String(v);
    case 'select_one':
      return choicesOf(regime, q).find((c) => c.name === v)?.label ?? String(v);
    case 'select_multiple': {
      const names = Array.isArray(v) ? v : [String(v)];
      return names.map((n) => choicesOf(regime, q).find((c) => c.name === n)?.label ?? n).join('; ');
    }
    default:
      return String(v);
  }
}

/**
 * The answers as `xem lại` lists them, one block per section: its heading, then
 * "  1.3 Label: value" for each question — a missing required answer marked, `marks` appending a
 * note to the questions it names, and a question the skip logic leaves out shown as not applying
 * (with the answer that decides it), so the numbers run on without a gap. Rows for a table view
 * (number, label, value), and the heading of each section before its first row (`groups`).
 * The focal point's summary and the coordinator's `xem` both show this.
 */
export function answerLines(
  regime: ReportRegime,
  form: FormDefinition,
  answers: Answers,
  marks: Record<string, string> = {},
): { sections: string[][]; rows: string[][]; groups: Array<{ before: number; title: string }> } {
  const sections: string[][] = [];
  const rows: string[][] = [];
  const groups: Array<{ before: number; title: string }> = [];
  form.sections.forEach((s, index) => {
    const heading = vi.report.sectionLine(index + 1, s.title);
    const lines = [heading];
    groups.push({ before: rows.length, title: heading });
    const rel = relevantSet(s, answers);
    for (const q of s.questions) {
      if (q.type === 'note') continue;
      const ref = { sectionIndex: index, section: s, question: q, number: questionNumber(s, q) };
      let v: string;
      if (!rel.has(q.key)) v = vi.report.notApplicable(becauseOf(regime, index, s, q, answers));
      else {
        const shown = displayValue(regime, q, answers[q.key]);
        const missing = q.required && (answers[q.key] === undefined || answers[q.key] === null);
        v = `${shown.length > 300 ? `${shown.slice(0, 297)}…` : shown}${missing ? vi.report.missingMark : ''}${marks[q.key] ?? ''}`;
      }
      lines.push(`  ${numberOf(ref)} ${q.label}: ${v}`);
      rows.push([numberOf(ref), q.label, v]);
    }
    sections.push(lines);
  });
  return { sections, rows, groups };
}

/** The answer in the text form one would type (and a form field holds): choice names for choices. */
export function inputValue(q: FormQuestion, v: AnswerValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  switch (q.type) {
    case 'integer':
    case 'decimal':
      return typeof v === 'number' ? formatNumber(v) : String(v);
    case 'percent':
      return typeof v === 'number' ? formatPercent(v) : String(v);
    case 'date':
      return typeof v === 'string' ? formatDate(v) : String(v);
    case 'select_multiple':
      return Array.isArray(v) ? v.join(',') : String(v);
    default:
      return String(v);
  }
}

/** For an amount of money, an example with a scale word and what it is in the question's unit: "1,5 tỷ (= 1.500 triệu đồng)". */
function scaleExample(q: FormQuestion): string | undefined {
  const u = unitOf(q);
  if (!u.money || !q.unitLabel) return undefined;
  const ex = [
    { typed: '1,5 tỷ', n: 1.5, e: 9 },
    { typed: '1,5 triệu', n: 1.5, e: 6 },
  ].find((x) => x.e > u.exponent) ?? { typed: '300 triệu', n: 300, e: 6 };
  return vi.answer.scaleExample(ex.typed, `${formatNumber(shiftDecimal(ex.n, ex.e - u.exponent))} ${q.unitLabel}`);
}

function answerHint(q: FormQuestion): string {
  switch (q.type) {
    case 'integer':
      return vi.answer.howInteger(q.unitLabel);
    case 'decimal':
      return vi.answer.howDecimal(q.unitLabel, scaleExample(q));
    case 'percent':
      return vi.answer.howPercent;
    case 'date':
      return vi.answer.howDate;
    case 'select_one':
      return vi.answer.howChoice;
    case 'select_multiple':
      return vi.answer.howChoices;
    default:
      return vi.answer.howText;
  }
}

/** The notes placed right before a question in its section (shown with it). */
function notesBefore(section: FormSection, q: FormQuestion): FormQuestion[] {
  const i = section.questions.indexOf(q);
  const out: FormQuestion[] = [];
  for (let j = i - 1; j >= 0 && section.questions[j].type === 'note'; j--) out.unshift(section.questions[j]);
  return out;
}

export interface FieldState {
  /** Raw values typed in a form submission that failed validation. */
  raw?: Record<string, string>;
  errors?: Record<string, string>;
  /** Figures held back until confirmed: the warning and the value the confirmation stands for. */
  unusual?: Record<string, { warning: string; value: number }>;
}

/**
 * The whole section, for channels that show a form (Teams): its questions numbered as everywhere
 * else (numberOf) — those that apply with their values, errors and conditions, those that do not
 * with why — and the buttons for the commands a chat would type (previous section, review, pause).
 */
export function sectionView(env: FormEnv, ctx: { unitCode: string; periodId: string }, sectionIndex: number, answers: Answers, st: FieldState = {}): FormView {
  const s = env.form.sections[sectionIndex];
  const rel = relevantSet(s, answers);
  const parts = fieldParts(env.regime, s, sectionIndex);
  const fields: FieldView[] = [];
  let applying = 0;
  for (let i = 0; i < s.questions.length; i++) {
    const q = s.questions[i];
    const { number, choices } = parts[i];
    if (!rel.has(q.key)) {
      if (q.type !== 'note')
        fields.push({ key: q.key, number, label: q.label, type: q.type, required: false, notApplicable: vi.report.notApplicable(becauseOf(env.regime, sectionIndex, s, q, answers, rel)) });
      continue;
    }
    if (q.type !== 'note') applying++;
    // Built in the same order of keys as ever (the order a channel serialises them in).
    const f = { key: q.key } as FieldView;
    if (number !== undefined) f.number = number;
    f.label = q.label;
    f.type = q.type;
    if (q.hint) f.hint = q.hint;
    if (q.unitLabel) f.unitLabel = q.unitLabel;
    f.required = q.required;
    if (choices) f.choices = choices.map((c) => ({ ...c }));
    const value = st.raw && q.key in st.raw ? st.raw[q.key] : inputValue(q, answers[q.key]);
    if (value !== undefined && value !== '') f.value = value;
    const error = st.errors?.[q.key];
    if (error) f.error = error;
    const unusual = st.unusual?.[q.key];
    if (unusual) {
      f.warning = unusual.warning;
      f.confirm = { label: vi.answer.confirmFigureLabel, value: String(unusual.value) };
    }
    if (q.relevant) f.relevant = q.relevant;
    const previous = previousField(env, q);
    if (previous !== undefined) f.previous = previous;
    fields.push(f);
  }
  // Whether any question is copyableKeys', without making the list.
  let canCopy = false;
  if (env.previous) for (let i = 0; i < s.questions.length && !canCopy; i++) canCopy = copyable(env, s.questions[i], answers, rel);
  return {
    unitCode: ctx.unitCode,
    periodId: ctx.periodId,
    sectionId: s.id,
    title: s.title,
    progress: vi.answer.sectionProgressCount(sectionIndex + 1, env.form.sections.length, applying),
    description: s.text,
    fields,
    submitLabel: sectionIndex + 1 < env.form.sections.length ? vi.answer.saveAndNext : vi.answer.saveAndFinish,
    // The commands a person types in a chat, as buttons (each sends the command's words).
    actions: [
      ...(canCopy ? [{ value: vi.answer.copySectionWord, label: vi.answer.copySectionLabel }] : []),
      ...(sectionIndex > 0 ? [{ value: vi.report.editWord(String(sectionIndex)), label: vi.answer.previousSectionLabel }] : []),
      { value: vi.report.reviewWord, label: vi.report.reviewLabel },
      { value: vi.report.pauseWord, label: vi.report.pauseLabel },
    ],
  };
}

/** What a section's fields show whatever the answers: each question's number (notes have none) and its choices; worked out once per regime and section. */
interface FieldParts {
  number?: string;
  choices?: readonly ChoiceView[];
}
const fieldPartsOf = new WeakMap<readonly FormQuestion[], { regime: ReportRegime; sectionIndex: number; parts: FieldParts[] }>();
/** The same parts for every unit's section made from one duty of the regime (see sharedPromptParts), checked against where the section stands. */
const sharedFieldParts = new WeakMap<object, { regime: ReportRegime; sectionIndex: number; length: number; parts: FieldParts[] }>();
function fieldParts(regime: ReportRegime, s: FormSection, sectionIndex: number): FieldParts[] {
  let c = fieldPartsOf.get(s.questions);
  if (!c || c.regime !== regime || c.sectionIndex !== sectionIndex) {
    const duty = s.questions.length ? questionOrigin(s.questions[0])?.duty : undefined;
    const shared = duty && sharedFieldParts.get(duty);
    if (shared && shared.regime === regime && shared.sectionIndex === sectionIndex && shared.length === s.questions.length) c = shared;
    else {
      const parts = s.questions.map((q): FieldParts => ({
        ...(q.type !== 'note' ? { number: numberOf({ sectionIndex, number: questionNumber(s, q) }) } : {}),
        ...(q.choices ? { choices: choicesOf(regime, q).map((x): ChoiceView => ({ value: x.name, label: x.label })) } : {}),
      }));
      c = { regime, sectionIndex, parts };
      if (duty) sharedFieldParts.set(duty, { ...c, length: s.questions.length });
    }
    fieldPartsOf.set(s.questions, c);
  }
  return c.parts;
}

/** A form field's line about the previous period: its answer then, or that the value shown was copied from it. */
function previousField(env: FormEnv, q: FormQuestion): string | undefined {
  if (env.copied?.has(q.key)) return vi.answer.copiedField;
  const shown = previousShown(env, q);
  return shown === undefined ? undefined : vi.answer.previousValue(shown);
}

export interface PromptOptions {
  /** Lines shown before the question (acknowledgement, validation error…). */
  before?: string[];
  /**
   * Lines after `before` that only a chat needs (how to type commands, "each answer is saved at
   * once"): in the text, left out of `lead`, so a form, where they are not true, does not show them.
   */
  chatOnly?: string[];
  /** Show the section heading and duty text (entering a section). */
  heading?: boolean;
  /** Going back over an answer: show it and offer to keep it. */
  current?: AnswerValue;
  /** The period/unit line, e.g. "Báo cáo tháng 06/2027 · UBND huyện Ba Bể". */
  context?: string;
  fieldState?: FieldState;
  /**
   * Asking again right after a refused answer: only the question's number and label (with its
   * unit) follow the error, not the whole prompt the person has just read; when going back over
   * an answer, also what is stored (one line: "Đang ghi: …", "giữ" keeps it).
   */
  brief?: boolean;
}

/**
 * One question as a message, sized for a phone (Zalo shows one bubble at a time): the question
 * with its unit, its choices, and ONE hint — the regime's hint when the question has one, otherwise
 * how to type the answer (for several choices, always how to type them: the form of the answer
 * is what matters there); `bỏ qua` for an optional question. The duty's text only when entering
 * a section (`heading`; `nhiệm vụ` shows it again). Also quick replies, and for form channels the
 * section form with the lines that lead the question (`lead`): a form replaces the question.
 */
export function questionPrompt(env: FormEnv, ids: { unitCode: string; periodId: string }, ref: QuestionRef, answers: Answers, o: PromptOptions = {}): OutMessage {
  const q = ref.question;
  // The previous period's answer, offered again (not when it is the very answer being gone over).
  const lastTime = previousShown(env, q);
  const offered = lastTime !== undefined && (o.current === undefined || env.copied?.has(q.key) !== true);
  const previous = offered ? vi.answer.previousOffer(lastTime) : undefined;
  const head = [...(o.before ?? []), ...(o.chatOnly ?? [])];
  const lines: string[] = [...head];
  if (lines.length) lines.push('');
  const options = choicesOf(env.regime, q);
  const p = promptParts(env, ref);
  /** Where the question begins: the lines before it lead the message (`OutMessage.lead`). */
  let questionAt: number;
  if (o.brief) {
    questionAt = lines.length;
    lines.push(p.briefLine);
    // Going back over an answer: what is stored, and that "giữ" keeps it (one line).
    if (o.current !== undefined) lines.push(vi.answer.currentValue(displayValue(env.regime, q, o.current)));
    if (previous) lines.push(previous);
  } else {
    if (o.context) lines.push(o.context);
    questionAt = lines.length;
    lines.push(p.titleLine);
    if (o.heading) lines.push(p.dutyLine);
    for (const line of p.body) lines.push(line);
    if (o.current !== undefined) lines.push(vi.answer.currentValue(displayValue(env.regime, q, o.current)));
    if (previous) lines.push(previous);
    const { last, regimeHint } = p;
    if (last && regimeHint && lines[lines.length - 1] === regimeHint) lines[lines.length - 1] += ` ${last}`;
    else if (last) lines.push(last);
  }
  const choices: ChoiceView[] = [];
  if (q.type === 'select_one') for (const c of options) choices.push({ value: c.label, label: c.label });
  if (o.current !== undefined) choices.push({ value: vi.answer.keepWord, label: vi.answer.keepLabel });
  // A choice question's buttons already hold last period's answer: no extra button (a chat shows few buttons: Zalo 5).
  if (offered && q.type !== 'select_one') choices.push({ value: vi.answer.keepPreviousWord, label: vi.answer.keepPreviousLabel });
  if (!q.required) choices.push({ value: vi.answer.skipWord, label: vi.answer.skipLabel });
  return {
    text: lines.join('\n'),
    lead: [...(o.before ?? []), ...lines.slice(head.length, questionAt)].join('\n').trim(),
    ...(choices.length ? { choices } : {}),
    form: Object.assign(sectionView(env, ids, ref.sectionIndex, answers, o.fieldState), { focus: q.key }),
  };
}

/**
 * The lines of a question's prompt that are the same on every turn (its progress, duty, notes,
 * label, hint, choices and how to answer), worked out once per question of a regime's form
 * rather than from the catalogue's templates on every prompt.
 */
interface PromptParts {
  regime: ReportRegime;
  sectionIndex: number;
  number: number;
  /** "Mục 3/8 · câu 2/5 — <section title>" */
  titleLine: string;
  dutyLine: string;
  /** The notes before the question, a blank line, the question, the regime's hint, the choices. */
  body: readonly string[];
  regimeHint?: string;
  /** How to answer and how to skip (empty when neither applies). */
  last: string;
  /** After a refused answer: "Mục 3/8 · câu 2/5 — <label> (<unit>)". */
  briefLine: string;
  /** What the lines were made for besides the question's own wording (see sharedPromptParts). */
  sectionCount: number;
  questionCount: number;
  title: string;
  text: string;
}
const promptPartsOf = new WeakMap<FormQuestion, PromptParts>();
/**
 * The same lines shared by the forms of every unit made from the same duty and question of the
 * regime (regime/regime.ts questionOrigin: a district's duties are its parent's), so that each
 * question's first prompt in a unit's report does not make them again: kept per duty and question
 * while the duty is, checked against where the question stands in the form asking.
 */
const sharedPromptParts = new WeakMap<object, WeakMap<object, PromptParts>>();
/** Whether lines made before still fit the question where it stands now (its wording is the question's own or its origin's). */
function fits(p: PromptParts | undefined, env: FormEnv, ref: QuestionRef): p is PromptParts {
  return (
    p !== undefined &&
    p.regime === env.regime &&
    p.sectionCount === env.form.sections.length &&
    p.sectionIndex === ref.sectionIndex &&
    p.number === ref.number &&
    p.questionCount === questionCount(ref.section) &&
    p.title === ref.section.title &&
    p.text === ref.section.text
  );
}
function promptParts(env: FormEnv, ref: QuestionRef): PromptParts {
  const q = ref.question;
  const kept = promptPartsOf.get(q);
  if (fits(kept, env, ref)) return kept;
  const origin = questionOrigin(q);
  const shared = origin && sharedPromptParts.get(origin.duty)?.get(origin.question);
  if (fits(shared, env, ref)) {
    promptPartsOf.set(q, shared);
    return shared;
  }
  const unit = q.unitLabel && q.type !== 'percent' ? ` (${q.unitLabel})` : '';
  const where = progress(env.form, ref);
  const body: string[] = [];
  for (const n of notesBefore(ref.section, q)) body.push(`ℹ️ ${n.label}${n.hint ? ` ${n.hint}` : ''}`);
  body.push('', `${q.label}${unit}${q.required ? vi.answer.requiredMark : vi.answer.optionalMark}`);
  const regimeHint = q.hint && q.type !== 'select_multiple' ? vi.answer.hint(q.hint) : undefined;
  if (regimeHint) body.push(regimeHint);
  choicesOf(env.regime, q).forEach((c, i) => body.push(`  ${i + 1}. ${c.label}`));
  const parts: PromptParts = {
    regime: env.regime,
    sectionIndex: ref.sectionIndex,
    number: ref.number,
    titleLine: `${where} — ${ref.section.title}`,
    dutyLine: vi.answer.dutyText(ref.section.text),
    body,
    regimeHint,
    last: [regimeHint ? '' : answerHint(q), q.required ? '' : vi.answer.skipHint].filter(Boolean).join(' '),
    briefLine: `${where} — ${q.label}${unit}`,
    sectionCount: env.form.sections.length,
    questionCount: questionCount(ref.section),
    title: ref.section.title,
    text: ref.section.text,
  };
  promptPartsOf.set(q, parts);
  if (origin) {
    let byQuestion = sharedPromptParts.get(origin.duty);
    if (!byQuestion) sharedPromptParts.set(origin.duty, (byQuestion = new WeakMap()));
    byQuestion.set(origin.question, parts);
  }
  return parts;
}

/** Finds a section ("3", "d3", words of its title) or a question ("3.2", "d3/status", words of its label). */
export function findTarget(form: FormDefinition, arg: string): { section: number; key?: string } | undefined {
  const a = fold(arg).replace(/^(muc|phan|cau)\s+/, '');
  if (!a) return undefined;
  const num = /^(\d+)(?:\s*[.,/\s]\s*(?:cau\s*)?(\d+))?$/.exec(a);
  if (num) {
    const si = Number(num[1]) - 1;
    const s = form.sections[si];
    if (!s) return undefined;
    if (!num[2]) return { section: si };
    const q = s.questions.filter((x) => x.type !== 'note')[Number(num[2]) - 1];
    return q ? { section: si, key: q.key } : undefined;
  }
  for (let i = 0; i < form.sections.length; i++) {
    const s = form.sections[i];
    if (fold(s.id) === a) return { section: i };
    const q = s.questions.find((x) => fold(x.key) === a);
    if (q) return { section: i, key: q.key };
  }
  if (a.length >= 4) {
    const secs = form.sections.map((s, i) => ({ s, i })).filter(({ s }) => fold(s.title).includes(a));
    if (secs.length === 1) return { section: secs[0].i };
    const qs = form.sections.flatMap((s, i) => s.questions.filter((q) => q.type !== 'note' && fold(q.label).includes(a)).map((q) => ({ i, q })));
    if (qs.length === 1) return { section: qs[0].i, key: qs[0].q.key };
  }
  return undefined;
}
