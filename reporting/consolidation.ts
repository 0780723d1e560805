/**
 * Consolidation for the coordinator (Sở LĐTBXH): from the regime, a period, the units' latest
 * submissions, drafts and report states, compute the status board, the section II.2 indicators
 * beside their milestone targets, district breakdowns, and the sums of every duty's figures.
 *
 * Pure: no I/O, no clock (the caller passes `now`). Figures come only from SUBMITTED answers
 * (the latest revision of each unit); drafts only count towards the board's progress. Sums of
 * decimals are exact (decimal arithmetic on the stored values), so every total reconciles with
 * the stored answers. A rate whose inputs are missing has value `null` and names the units and
 * figures that are missing: it is never shown as zero.
 */
import { completion, currentAnswers } from '../forms/form-engine.js';
import type { ReportingPeriod } from '../regime/periods.js';
import type { FigureRef, Indicator, QuestionType, ReportRegime, Unit } from '../regime/regime-schema.js';
import { buildForm, effectiveDuties, findUnit, kindsForUnit, type FormDefinition } from '../regime/regime.js';
import type { AnswerValue, Draft, Member, ReportState, Submission } from '../store/records.js';

export const UNIT_STATUSES = ['not_started', 'in_progress', 'submitted_on_time', 'submitted_late', 'needs_correction', 'approved'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export interface FocalPoint {
  userKey: string;
  name?: string;
}

export interface UnitStatusRow {
  unitCode: string;
  name: string;
  shortName: string;
  kind: Unit['kind'];
  parent?: string;
  status: UnitStatus;
  /** A coordinator reopened the submitted report for amendment. */
  reopened: boolean;
  /** Share of the relevant questions (required and optional, notes excluded) answered in the draft. */
  progress?: { answered: number; total: number; percent: number };
  revision?: number;
  firstSubmittedAt?: number;
  lastSubmittedAt?: number;
  /** The report counts as late: its first submission came after the deadline (resubmissions keep it). */
  late: boolean;
  /** Submitted again after a review: the new revision awaits review. */
  resubmitted?: 'after_correction' | 'after_approval';
  /** The deadline has passed and nothing has been submitted. */
  overdue: boolean;
  review?: ReportState['review'];
  focalPoints: FocalPoint[];
  lastActivityAt?: number;
}

/** Why a figure is missing. */
export type MissingReason = 'not_filing' | 'not_submitted' | 'not_answered';

export interface FigureValue {
  unitCode: string;
  unitName: string;
  dutyId: string;
  question: string;
  label: string;
  unitLabel?: string;
  value: number | null;
  missing?: MissingReason;
}

export interface IndicatorMilestone {
  year: number;
  target: number;
  /** 'upcoming': the nearest milestone at or after the period's year; 'last': every milestone has passed, the last one is used. */
  basis: 'upcoming' | 'last';
}

export interface DistrictBreakdownRow {
  unitCode: string;
  unitName: string;
  numerator: number | null;
  denominator?: number | null;
  /** Percent, when a denominator is defined and both inputs are known. */
  value?: number | null;
  missing: FigureValue[];
}

export interface DistrictBreakdown {
  /** What the districts report ("Số người tham gia BHXH … trên địa bàn"), and in what unit. */
  label: string;
  unitLabel?: string;
  rows: DistrictBreakdownRow[];
  /** Sum over the districts that reported the numerator. */
  reportedTotal: number;
  reported: number;
  expected: number;
}

export interface IndicatorResult {
  id: string;
  name: string;
  partOf?: string;
  /** Reported directly as a percentage (no denominator). */
  direct: boolean;
  numerator: { total: number | null; parts: FigureValue[] };
  denominator?: { total: number | null; parts: FigureValue[] };
  /** Percent; null when an input is missing or the denominator is zero. */
  value: number | null;
  milestone: IndicatorMilestone | null;
  /** value − target in percentage points (positive: above the target); null when value is null. */
  gap: number | null;
  /** The inputs that are missing, each naming its unit. */
  missing: FigureValue[];
  zeroDenominator: boolean;
  districts?: DistrictBreakdown;
}

export interface AnswerView {
  key: string;
  name: string;
  label: string;
  type: QuestionType;
  unitLabel?: string;
  required: boolean;
  /** undefined: not answered (or not relevant); null: skipped. */
  value: AnswerValue | undefined;
  /** Choice labels for select questions. */
  choiceLabels?: string[];
  /** Submitted as the previous period's answer, copied without being typed again (Submission.copied). */
  copied?: true;
}

export interface SectionView {
  id: string;
  title: string;
  answers: AnswerView[];
}

/** A unit's latest submitted report, laid out along its form. */
export interface UnitReport {
  unitCode: string;
  unitName: string;
  shortName: string;
  kind: Unit['kind'];
  revision: number;
  submittedAt: number;
  submittedBy: string;
  late: boolean;
  status: UnitStatus;
  sections: SectionView[];
}

export interface DutyQuestionTotal {
  name: string;
  label: string;
  type: QuestionType;
  unitLabel?: string;
  /** Exact sum of the reported values; null for percentages (not additive). */
  total: number | null;
  reported: number;
  perUnit: Array<{ unitCode: string; value: number | null }>;
}

/** A duty as defined by one unit (districts share group m's duties): its figures summed over the units that report it. */
export interface DutyTotals {
  ownerUnit: string;
  ownerName: string;
  dutyId: string;
  title: string;
  units: string[];
  submitted: number;
  questions: DutyQuestionTotal[];
}

export interface Consolidation {
  regimeId: string;
  period: { id: string; name: string; kind: string; year: number; deadline: number; dataFrom: number; dataTo: number };
  generatedAt: number;
  deadlinePassed: boolean;
  board: UnitStatusRow[];
  counts: Record<UnitStatus, number>;
  submittedCount: number;
  expectedCount: number;
  indicators: IndicatorResult[];
  duties: DutyTotals[];
  reports: UnitReport[];
}

export interface ConsolidationInput {
  regime: ReportRegime;
  period: ReportingPeriod;
  /** Submissions of the period (any revisions; the latest per unit is used). */
  submissions: Submission[];
  drafts: Draft[];
  states: ReportState[];
  /** Active members (focal points are taken from them). */
  members?: Member[];
  now: Date;
}

// ---------------------------------------------------------------------------------------------
// Exact decimal sums

function decimalParts(v: number): { digits: bigint; scale: number } | null {
  if (!Number.isFinite(v)) return null;
  const s = String(v);
  if (/e/i.test(s)) return null;
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const scale = dot < 0 ? 0 : body.length - dot - 1;
  const digits = BigInt(body.replace('.', ''));
  return { digits: neg ? -digits : digits, scale };
}

/** The sum of decimal numbers as a decimal would add them (0.1 + 0.2 = 0.3). */
export function exactSum(values: number[]): number {
  const parts = values.map(decimalParts);
  if (parts.some((p) => p === null)) return values.reduce((a, b) => a + b, 0);
  const scale = Math.max(0, ...parts.map((p) => p!.scale));
  let total = 0n;
  for (const p of parts) total += p!.digits * 10n ** BigInt(scale - p!.scale);
  if (scale === 0) return Number(total);
  const neg = total < 0n;
  const abs = (neg ? -total : total).toString().padStart(scale + 1, '0');
  return Number(`${neg ? '-' : ''}${abs.slice(0, -scale)}.${abs.slice(-scale)}`);
}

// ---------------------------------------------------------------------------------------------

const NUMERIC = new Set<QuestionType>(['integer', 'decimal', 'percent']);

export function filesPeriod(r: ReportRegime, u: Unit, kind: string): boolean {
  return kindsForUnit(r, u).some((k) => k.id === kind);
}

/** The nearest milestone at or after `year`, or the last one when all have passed. */
export function milestoneFor(targets: Indicator['targets'], year: number): IndicatorMilestone | null {
  const years = Object.keys(targets)
    .map(Number)
    .sort((a, b) => a - b);
  if (!years.length) return null;
  const next = years.find((y) => y >= year);
  const y = next ?? years[years.length - 1];
  return { year: y, target: targets[String(y)], basis: next === undefined ? 'last' : 'upcoming' };
}

function latestByUnit(submissions: Submission[]): Map<string, Submission> {
  const out = new Map<string, Submission>();
  for (const s of submissions) {
    const prev = out.get(s.unitCode);
    if (!prev || s.revision > prev.revision) out.set(s.unitCode, s);
  }
  return out;
}

/** The same count the focal point sees in the dialog: relevant questions (notes excluded) answered under their current definition. */
function draftProgress(form: FormDefinition, draft: Draft): { answered: number; total: number; percent: number } {
  const { answered, total } = completion(form, currentAnswers(form, draft.answers));
  return { answered, total, percent: total ? Math.floor((answered * 100) / total) : 0 };
}

export function consolidate(input: ConsolidationInput): Consolidation {
  const { regime: r, period, now } = input;
  const t = now.getTime();
  const deadline = period.deadline.toMillis();
  const deadlinePassed = t >= deadline;
  const latest = latestByUnit(input.submissions);
  const drafts = new Map(input.drafts.map((d) => [d.unitCode, d]));
  const states = new Map(input.states.map((s) => [s.unitCode, s]));
  const focal = new Map<string, FocalPoint[]>();
  for (const m of input.members ?? []) {
    if (!m.active || m.role !== 'focal') continue;
    const list = focal.get(m.unitCode) ?? [];
    list.push({ userKey: m.userKey, ...(m.displayName ? { name: m.displayName } : {}) });
    focal.set(m.unitCode, list);
  }

  const filing = r.units.filter((u) => u.reports && filesPeriod(r, u, period.kind));
  const forms = new Map<string, FormDefinition>();
  for (const u of filing) {
    const f = buildForm(r, u.code, period.kind);
    if (f) forms.set(u.code, f);
  }

  // --- status board ---------------------------------------------------------------------------
  const board: UnitStatusRow[] = filing.map((u) => {
    const st = states.get(u.code);
    const sub = latest.get(u.code);
    const draft = drafts.get(u.code);
    const form = forms.get(u.code) as FormDefinition;
    let status: UnitStatus;
    let progress: UnitStatusRow['progress'];
    const reopened = st?.status === 'reopened';
    if (st && st.status === 'approved') status = 'approved';
    else if (st && st.status === 'needs_correction') status = 'needs_correction';
    else if (st && st.status === 'submitted') status = st.late ? 'submitted_late' : 'submitted_on_time';
    else {
      progress = draft ? draftProgress(form, draft) : undefined;
      status = progress && progress.answered > 0 ? 'in_progress' : reopened ? 'in_progress' : 'not_started';
      if (!progress && reopened) progress = { answered: 0, total: 0, percent: 0 };
    }
    const activity = [draft?.updatedAt, st?.updatedAt, st?.lastSubmittedAt, st?.review?.at, sub?.submittedAt].filter((x): x is number => typeof x === 'number');
    const row: UnitStatusRow = {
      unitCode: u.code,
      name: u.name,
      shortName: u.shortName,
      kind: u.kind,
      ...(u.parent ? { parent: u.parent } : {}),
      status,
      reopened,
      ...(progress ? { progress } : {}),
      ...(st ? { revision: st.revision, firstSubmittedAt: st.firstSubmittedAt, lastSubmittedAt: st.lastSubmittedAt } : {}),
      late: Boolean(st?.late),
      ...(st?.status === 'submitted' && st.previousReview ? { resubmitted: st.previousReview.status === 'approved' ? ('after_approval' as const) : ('after_correction' as const) } : {}),
      overdue: deadlinePassed && (!st || reopened),
      ...(st?.review ? { review: st.review } : {}),
      focalPoints: focal.get(u.code) ?? [],
      ...(activity.length ? { lastActivityAt: Math.max(...activity) } : {}),
    };
    return row;
  });
  const counts = Object.fromEntries(UNIT_STATUSES.map((s) => [s, 0])) as Record<UnitStatus, number>;
  for (const row of board) counts[row.status]++;
  const statusOf = new Map(board.map((b) => [b.unitCode, b.status]));

  // --- submitted reports along their forms ------------------------------------------------------
  const reports: UnitReport[] = [];
  for (const u of filing) {
    const sub = latest.get(u.code);
    if (!sub) continue;
    const form = forms.get(u.code) as FormDefinition;
    const copied = new Set(sub.copied ?? []);
    reports.push({
      unitCode: u.code,
      unitName: u.name,
      shortName: u.shortName,
      kind: u.kind,
      revision: sub.revision,
      submittedAt: sub.submittedAt,
      submittedBy: sub.submittedBy,
      late: Boolean(states.get(u.code)?.late ?? sub.late),
      status: statusOf.get(u.code) ?? 'submitted_on_time',
      sections: form.sections.map((s) => ({
        id: s.id,
        title: s.title,
        answers: s.questions
          .filter((q) => q.type !== 'note')
          .map((q) => {
            const value = sub.answers[q.key];
            const list = q.choices ? r.choiceLists[q.choices] : undefined;
            const chosen = value === undefined || value === null ? [] : Array.isArray(value) ? value : [String(value)];
            return {
              key: q.key,
              name: q.name,
              label: q.label,
              type: q.type,
              ...(q.unitLabel ? { unitLabel: q.unitLabel } : {}),
              required: q.required,
              value,
              ...(list ? { choiceLabels: chosen.map((c) => list.find((x) => x.name === c)?.label ?? c) } : {}),
              ...(copied.has(q.key) && value !== undefined ? { copied: true as const } : {}),
            };
          }),
      })),
    });
  }

  // --- figures -------------------------------------------------------------------------------------
  const figure = (unit: Unit | undefined, unitCode: string, dutyId: string, question: string): FigureValue => {
    const duty = unit ? effectiveDuties(r, unit).find((d) => d.id === dutyId) : undefined;
    const q = duty?.questions.find((x) => x.name === question);
    const base = {
      unitCode,
      unitName: unit?.name ?? unitCode,
      dutyId,
      question,
      label: q?.label ?? question,
      ...(q?.unitLabel ? { unitLabel: q.unitLabel } : {}),
    };
    if (!unit || !forms.get(unitCode)?.sections.some((s) => s.id === dutyId)) return { ...base, value: null, missing: 'not_filing' };
    const sub = latest.get(unitCode);
    if (!sub) return { ...base, value: null, missing: 'not_submitted' };
    const v = sub.answers[`${dutyId}/${question}`];
    if (typeof v !== 'number' || !Number.isFinite(v)) return { ...base, value: null, missing: 'not_answered' };
    return { ...base, value: v };
  };
  const sumOf = (parts: FigureValue[]): number | null => (parts.some((p) => p.value === null) ? null : exactSum(parts.map((p) => p.value as number)));
  const refFigure = (f: FigureRef) => figure(findUnit(r, f.unit), f.unit, f.duty, f.question);

  const districts = filing.filter((u) => u.kind === 'district');
  const indicators: IndicatorResult[] = r.indicators.map((ind) => {
    const num = ind.numerator.map(refFigure);
    const den = ind.denominator?.map(refFigure);
    const numTotal = sumOf(num);
    const denTotal = den ? sumOf(den) : undefined;
    const missing = [...num, ...(den ?? [])].filter((p) => p.value === null);
    const zeroDenominator = denTotal === 0;
    let value: number | null = null;
    if (numTotal !== null && den === undefined) value = numTotal;
    else if (numTotal !== null && typeof denTotal === 'number' && denTotal !== 0) value = (numTotal * 100) / denTotal;
    const milestone = milestoneFor(ind.targets, period.year);
    const gap = value !== null && milestone ? value - milestone.target : null;
    let breakdown: DistrictBreakdown | undefined;
    if (ind.districtBreakdown && districts.length) {
      const b = ind.districtBreakdown;
      const rows = districts.map((u) => {
        const n = b.numerator.map((f) => figure(u, u.code, f.duty, f.question));
        const d = b.denominator?.map((f) => figure(u, u.code, f.duty, f.question));
        const nt = sumOf(n);
        const dt = d ? sumOf(d) : undefined;
        return {
          unitCode: u.code,
          unitName: u.name,
          numerator: nt,
          ...(d ? { denominator: dt ?? null, value: nt !== null && typeof dt === 'number' && dt !== 0 ? (nt * 100) / dt : null } : {}),
          missing: [...n, ...(d ?? [])].filter((p) => p.value === null),
        };
      });
      const reportedRows = rows.filter((x) => x.numerator !== null);
      const first = b.numerator.map((f) => figure(districts[0], districts[0].code, f.duty, f.question));
      const units = new Set(first.map((f) => f.unitLabel ?? ''));
      breakdown = {
        label: first.map((f) => f.label).join(' + '),
        ...(units.size === 1 && first[0].unitLabel ? { unitLabel: first[0].unitLabel } : {}),
        rows,
        reportedTotal: exactSum(reportedRows.map((x) => x.numerator as number)),
        reported: reportedRows.length,
        expected: rows.length,
      };
    }
    return {
      id: ind.id,
      name: ind.name,
      ...(ind.partOf ? { partOf: ind.partOf } : {}),
      direct: !ind.denominator,
      numerator: { total: numTotal, parts: num },
      ...(den ? { denominator: { total: denTotal ?? null, parts: den } } : {}),
      value,
      milestone,
      gap,
      missing,
      zeroDenominator,
      ...(breakdown ? { districts: breakdown } : {}),
    };
  });

  // --- sums of each duty's figures across units ------------------------------------------------
  const duties: DutyTotals[] = [];
  const dutyIndex = new Map<string, DutyTotals>();
  for (const u of filing) {
    const owner = u.duties.length ? u : u.parent ? (findUnit(r, u.parent) ?? u) : u;
    const form = forms.get(u.code) as FormDefinition;
    for (const s of form.sections) {
      const id = `${owner.code}|${s.id}`;
      let d = dutyIndex.get(id);
      if (!d) {
        d = {
          ownerUnit: owner.code,
          ownerName: owner.name,
          dutyId: s.id,
          title: s.title,
          units: [],
          submitted: 0,
          questions: s.questions
            .filter((q) => NUMERIC.has(q.type))
            .map((q) => ({
              name: q.name,
              label: q.label,
              type: q.type,
              ...(q.unitLabel ? { unitLabel: q.unitLabel } : {}),
              total: null,
              reported: 0,
              perUnit: [],
            })),
        };
        dutyIndex.set(id, d);
        duties.push(d);
      }
      d.units.push(u.code);
      const sub = latest.get(u.code);
      if (sub) d.submitted++;
      for (const q of d.questions) {
        const v = sub?.answers[`${s.id}/${q.name}`];
        q.perUnit.push({ unitCode: u.code, value: typeof v === 'number' && Number.isFinite(v) ? v : null });
      }
    }
  }
  for (const d of duties)
    for (const q of d.questions) {
      const vals = q.perUnit.map((p) => p.value).filter((v): v is number => v !== null);
      q.reported = vals.length;
      q.total = q.type === 'percent' || !vals.length ? null : exactSum(vals);
    }

  return {
    regimeId: r.id,
    period: {
      id: period.id,
      name: period.name,
      kind: period.kind,
      year: period.year,
      deadline,
      dataFrom: period.dataFrom.toMillis(),
      dataTo: period.dataTo.toMillis(),
    },
    generatedAt: t,
    deadlinePassed,
    board,
    counts,
    submittedCount: board.filter((b) => b.status !== 'not_started' && b.status !== 'in_progress').length,
    expectedCount: board.length,
    indicators,
    duties,
    reports,
  };
}
