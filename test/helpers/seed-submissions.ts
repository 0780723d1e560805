/**
 * Seeds submitted reports (and drafts) that are valid for each unit's FormDefinition: skip logic
 * respected, constraints met (min/max, lteQuestion, maxLength, dates inside the data window),
 * choices from the regime's lists. Deterministic for a given seed. Stored through
 * Repositories.appendSubmission / saveDraft, exactly as the report dialog stores them.
 *
 * Free of vitest so the benchmark (bench/export.ts) can use it too.
 */
import { DateTime } from 'luxon';
import { isRelevant } from '../../forms/form-engine.js';
import { filesPeriod } from '../../reporting/consolidation.js';
import { makePeriod, type ReportingPeriod } from '../../regime/periods.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { buildForm, type FormDefinition, type FormQuestion } from '../../regime/regime.js';
import type { AnswerRecord, AnswerValue, Channel, Draft, Submission } from '../../store/records.js';
import type { Repositories } from '../../store/repositories.js';

/** mulberry32: a small deterministic generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface AnswerOptions {
  /** Fixed answers by key (`d4/si_participants`); `null` skips an optional question. */
  overrides?: Record<string, AnswerValue>;
  /** Keys left unanswered (as if the question were skipped: stored as null). */
  skip?: string[];
  /** Share of duty sections answered "chưa triển khai" (default 0). */
  notStartedShare?: number;
}

const NARRATIVE = [
  'Đã ban hành văn bản chỉ đạo, hướng dẫn triển khai và phân công cán bộ theo dõi.',
  'Tổ chức hội nghị quán triệt, lồng ghép tuyên truyền trong các hoạt động chuyên môn.',
  'Phối hợp với Bảo hiểm xã hội tỉnh rà soát số liệu, kết nối và chia sẻ dữ liệu định kỳ.',
  'Kiểm tra, đôn đốc các đơn vị trực thuộc thực hiện; kết quả cơ bản đạt kế hoạch đề ra.',
];
const DIFFICULTIES = [
  'Nguồn nhân lực làm công tác bảo hiểm xã hội còn mỏng, kiêm nhiệm nhiều việc.',
  'Thu nhập của người dân khu vực nông thôn thấp, khó duy trì đóng bảo hiểm xã hội tự nguyện.',
  'Dữ liệu giữa các ngành chưa được kết nối tự động, còn phải đối chiếu thủ công.',
];
const PROPOSALS = [
  'Đề nghị tăng mức hỗ trợ đóng bảo hiểm xã hội tự nguyện từ ngân sách địa phương.',
  'Đề nghị Bảo hiểm xã hội tỉnh tổ chức tập huấn nghiệp vụ cho cán bộ cấp huyện.',
  'Đề nghị sớm xây dựng cơ sở dữ liệu dùng chung về lao động và việc làm.',
];

function pick<T>(next: () => number, xs: readonly T[]): T {
  return xs[Math.floor(next() * xs.length)];
}

function isoDay(d: DateTime): string {
  return d.toISODate() as string;
}

/** A value that satisfies the question's type and constraint, given the section's answers so far. */
function valueFor(
  regime: ReportRegime,
  q: FormQuestion,
  period: ReportingPeriod,
  byName: Record<string, AnswerValue | undefined>,
  next: () => number,
  unitName: string,
  sectionTitle: string,
): AnswerValue {
  const c = q.constraint;
  switch (q.type) {
    case 'integer': {
      const min = Math.ceil(c?.min ?? 0);
      let max = Math.floor(c?.max ?? min + 5000);
      const other = c?.lteQuestion ? byName[c.lteQuestion] : undefined;
      if (typeof other === 'number') max = Math.min(max, Math.floor(other));
      return min + Math.floor(next() * (Math.max(max, min) - min + 1));
    }
    case 'decimal': {
      const min = c?.min ?? 0;
      let max = c?.max ?? min + 2000;
      const other = c?.lteQuestion ? byName[c.lteQuestion] : undefined;
      if (typeof other === 'number') max = Math.min(max, other);
      // two decimals, as an official would type "1.234,56"
      return Math.round((min + next() * (Math.max(max, min) - min)) * 100) / 100;
    }
    case 'percent': {
      const min = c?.min ?? 0;
      const max = c?.max ?? 100;
      return Math.round((min + next() * (max - min)) * 10) / 10;
    }
    case 'text': {
      if (q.name === 'difficulties') return `${unitName}: ${pick(next, DIFFICULTIES)}`;
      if (q.name === 'proposals') return `${unitName}: ${pick(next, PROPOSALS)}`;
      const s = `${unitName} — ${sectionTitle}: ${pick(next, NARRATIVE)}`;
      return c?.maxLength ? s.slice(0, c.maxLength) : s;
    }
    case 'select_one': {
      const list = regime.choiceLists[q.choices as string];
      return pick(next, list).name;
    }
    case 'select_multiple': {
      const list = regime.choiceLists[q.choices as string];
      const chosen = list.filter(() => next() < 0.4).map((x) => x.name);
      return chosen.length ? chosen : [list[0].name];
    }
    case 'date': {
      const from = period.dataFrom;
      const days = Math.max(0, Math.floor(period.dataTo.diff(from, 'days').days));
      return isoDay(from.plus({ days: Math.floor(next() * (days + 1)) }));
    }
    default:
      return null;
  }
}

/** Valid answers for a whole form, keyed by answer key. Irrelevant questions are left out. */
export function sampleAnswers(regime: ReportRegime, form: FormDefinition, period: ReportingPeriod, next: () => number, opts: AnswerOptions = {}): Record<string, AnswerValue> {
  const out: Record<string, AnswerValue> = {};
  const unitName = regime.units.find((u) => u.code === form.unitCode)?.shortName ?? form.unitCode;
  const skip = new Set(opts.skip ?? []);
  for (const s of form.sections) {
    const byName: Record<string, AnswerValue | undefined> = {};
    for (const q of s.questions) {
      if (q.type === 'note') continue;
      if (!isRelevant(s, q, out)) continue;
      let v: AnswerValue;
      if (opts.overrides && q.key in opts.overrides) v = opts.overrides[q.key];
      else if (skip.has(q.key)) v = null;
      else if (q.name === 'status' && q.choices === 'implementation_status')
        v = next() < (opts.notStartedShare ?? 0) ? 'chua_trien_khai' : pick(next, ['dang_thuc_hien', 'hoan_thanh', 'thuong_xuyen']);
      else if (!q.required && q.type === 'text' && next() < 0.3) v = null;
      else v = valueFor(regime, q, period, byName, next, unitName, s.title);
      out[q.key] = v;
      byName[q.name] = v;
    }
  }
  return out;
}

export interface SeedOptions {
  seed?: number;
  /** Units to submit (default: every unit filing this period). */
  units?: string[];
  /** Units whose first submission comes after the deadline. */
  lateUnits?: string[];
  /** Per unit answer options (overrides, skips). */
  answers?: Record<string, AnswerOptions>;
  /** Default answer options for every unit. */
  defaults?: AnswerOptions;
  channel?: Channel;
  /** Who submits: `${channel}:focal-${unitCode}` by default. */
  submittedBy?: (unitCode: string) => string;
}

export interface SeededPeriod {
  period: ReportingPeriod;
  submissions: Submission[];
}

export function filingUnits(regime: ReportRegime, periodId: string): string[] {
  const p = makePeriod(regime, periodId);
  if (!p) throw new Error(`bad period ${periodId}`);
  return regime.units.filter((u) => u.reports && filesPeriod(regime, u, p.kind)).map((u) => u.code);
}

/** Submits revision 1 for each unit (on time: two days before the deadline; late units: two days after). */
export async function seedSubmissions(repos: Repositories, regime: ReportRegime, periodId: string, opts: SeedOptions = {}): Promise<SeededPeriod> {
  const period = makePeriod(regime, periodId);
  if (!period) throw new Error(`bad period ${periodId}`);
  const next = rng(opts.seed ?? 1736);
  const late = new Set(opts.lateUnits ?? []);
  const channel = opts.channel ?? 'teams';
  const units = opts.units ?? filingUnits(regime, periodId);
  const out: Submission[] = [];
  let i = 0;
  for (const code of units) {
    const form = buildForm(regime, code, period.kind);
    if (!form) throw new Error(`${code} does not file ${period.kind}`);
    const answers = sampleAnswers(regime, form, period, next, { ...opts.defaults, ...opts.answers?.[code], overrides: { ...opts.defaults?.overrides, ...opts.answers?.[code]?.overrides } });
    const at = (late.has(code) ? period.deadline.plus({ days: 2 }) : period.deadline.minus({ days: 2 })).plus({ minutes: i++ }).toMillis();
    const s = await repos.appendSubmission({
      unitCode: code,
      periodId: period.id,
      revision: 1,
      formVersion: form.version,
      answers,
      submittedAt: at,
      submittedBy: opts.submittedBy?.(code) ?? `${channel}:focal-${code}`,
      channel,
      late: late.has(code),
    });
    if (!s) throw new Error(`submission of ${code} already exists`);
    out.push(s);
  }
  return { period, submissions: out };
}

/** A draft with the first `share` of the relevant questions answered (0..1). */
export async function seedDraft(repos: Repositories, regime: ReportRegime, periodId: string, unitCode: string, share: number, opts: { seed?: number; at?: number; by?: string } = {}): Promise<Draft> {
  const period = makePeriod(regime, periodId);
  const form = period && buildForm(regime, unitCode, period.kind);
  if (!period || !form) throw new Error(`${unitCode} does not file ${periodId}`);
  const all = sampleAnswers(regime, form, period, rng(opts.seed ?? 7));
  const keys = Object.keys(all);
  const take = keys.slice(0, Math.round(keys.length * share));
  const at = opts.at ?? period.deadline.minus({ days: 5 }).toMillis();
  const by = opts.by ?? `teams:focal-${unitCode}`;
  const hashes = new Map(form.sections.flatMap((s) => s.questions.map((q) => [q.key, q.hash] as const)));
  const answers: Record<string, AnswerRecord> = {};
  for (const k of take) answers[k] = { value: all[k], at, by, hash: hashes.get(k) as string };
  const draft: Draft = {
    _id: repos.draftId(unitCode, period.id),
    unitCode,
    periodId: period.id,
    formVersion: form.version,
    answers,
    startedAt: at,
    updatedAt: at,
    updatedBy: by,
  };
  const saved = await repos.saveDraft(draft);
  if (!saved) throw new Error(`draft of ${unitCode} exists`);
  return saved;
}
