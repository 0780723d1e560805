/**
 * The reporting regime as data: units, duties, forms, report kinds, deadlines and targets.
 * Validated with zod on load; cross references are checked in `checkReferences` so that every
 * error is reported with its path (e.g. `units[3].duties[1].questions[0].type`).
 */
import { z } from 'zod';
import { vi } from '../i18n/vi.js';

const code = z.string().regex(/^[A-Za-z0-9_-]+$/, vi.regime.codeChars);
const name = z.string().regex(/^[a-z][a-z0-9_]*$/, vi.regime.questionName);
const text = z.string().min(1);

export const QUESTION_TYPES = ['integer', 'decimal', 'percent', 'text', 'select_one', 'select_multiple', 'date', 'note'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Skip logic: a structured condition on earlier answers of the same section (no eval). */
export type Condition =
  | { question: string; op: 'answered' | 'not_answered' }
  | { question: string; op: 'eq' | 'neq'; value: string | number }
  | { question: string; op: 'in' | 'not_in'; value: Array<string | number> }
  | { question: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { all: Condition[] }
  | { any: Condition[] };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ question: name, op: z.enum(['answered', 'not_answered']) }),
    z.strictObject({ question: name, op: z.enum(['eq', 'neq']), value: z.union([z.string(), z.number()]) }),
    z.strictObject({ question: name, op: z.enum(['in', 'not_in']), value: z.array(z.union([z.string(), z.number()])).min(1) }),
    z.strictObject({ question: name, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }),
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
  ]),
);

export const ConstraintSchema = z.strictObject({
  min: z.number().optional(),
  max: z.number().optional(),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().positive().optional(),
  /** The answer must not exceed the answer to this other question of the same section. */
  lteQuestion: name.optional(),
  /** Dates: not after the end of the period's data window. */
  notAfterPeriodEnd: z.boolean().optional(),
  message: text,
});
export type Constraint = z.infer<typeof ConstraintSchema>;

export const SoftBoundsSchema = z
  .strictObject({ min: z.number().optional(), max: z.number().optional() })
  .refine((b) => b.min !== undefined || b.max !== undefined, vi.regime.softBoundsEmpty)
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, vi.regime.softBoundsOrder);
export type SoftBounds = z.infer<typeof SoftBoundsSchema>;

export const QuestionSchema = z.strictObject({
  name,
  type: z.enum(QUESTION_TYPES),
  label: text,
  hint: text.optional(),
  /** What the figure counts, shown after numbers (e.g. "người", "cuộc"). */
  unitLabel: text.optional(),
  required: z.boolean().default(false),
  requiredMessage: text.optional(),
  constraint: ConstraintSchema.optional(),
  /**
   * Numeric questions: the range a figure usually falls in. A valid figure outside it is not
   * refused but confirmed with the person before it is stored (unlike `constraint`).
   */
  softBounds: SoftBoundsSchema.optional(),
  relevant: ConditionSchema.optional(),
  /** Name of a shared choice list (select_one / select_multiple). */
  choices: name.optional(),
});
export type Question = z.infer<typeof QuestionSchema>;

export const ChoiceSchema = z.strictObject({ name, label: text });
export type Choice = z.infer<typeof ChoiceSchema>;

export const DutySchema = z.strictObject({
  /** Stable id within the unit, e.g. "d1". */
  id: code,
  /** Short title shown as the section heading. */
  title: text,
  /** The duty's text as the decision words it. */
  text: text,
  /** Which report kinds ask about this duty (default: every kind the unit files). */
  reportKinds: z.array(code).min(1).optional(),
  /** Duty-specific questions (figures etc.), placed between the leading and trailing template questions. */
  questions: z.array(QuestionSchema).default([]),
});
export type Duty = z.infer<typeof DutySchema>;

export const UnitSchema = z.strictObject({
  code,
  name: text,
  /** Short name for lists, e.g. "Sở LĐTBXH". */
  shortName: text,
  kind: z.enum(['department', 'agency', 'organisation', 'district', 'commune', 'group']),
  parent: code.optional(),
  /** The decision's own letter of section IV.2 (a, b, …, đ, …). */
  letter: z.string().optional(),
  /** False for a grouping entry (e.g. "UBND các huyện, thành phố") whose children report. */
  reports: z.boolean().default(true),
  /** Units with no duties of their own take their parent's. */
  duties: z.array(DutySchema).default([]),
  /** The consolidating unit (Sở LĐTBXH): its coordinators see everything. */
  coordinator: z.boolean().default(false),
});
export type Unit = z.infer<typeof UnitSchema>;

/**
 * A day relative to a period: for yearly kinds an absolute month/day with a year offset; for
 * monthly, a day with a month offset (at most the 28th, so it exists in every month). A yearly
 * day must exist in every year (checked on load): 29 February only with `nonLeapYears`, the day
 * it stands for in other years (28 February or 1 March).
 */
export const DayRuleSchema = z.union([
  z.strictObject({
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
    yearOffset: z.number().int().min(-1).max(1).default(0),
    nonLeapYears: z.enum(['feb28', 'mar1']).optional(),
  }),
  z.strictObject({ monthOffset: z.number().int().min(-2).max(2), day: z.number().int().min(1).max(28, vi.regime.monthDayMax) }),
]);
export type DayRule = z.infer<typeof DayRuleSchema>;

export const ReminderLadderSchema = z.strictObject({
  /** Days before the deadline date (the day whose start is the deadline instant). */
  daysBefore: z.array(z.number().int().positive()).default([]),
  /** Local time of day for every step, "HH:mm". */
  at: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, vi.regime.timeOfDay)
    .default('08:00'),
  /** After the deadline: a step every N working days, for up to M calendar days. */
  overdueEveryWorkingDays: z.number().int().positive().optional(),
  overdueForDays: z.number().int().nonnegative().default(0),
});
export type ReminderLadder = z.infer<typeof ReminderLadderSchema>;

export const ReportKindSchema = z.strictObject({
  /** "H1" (6-month), "Y" (annual), "M" (monthly): the suffix of period ids. */
  id: z.enum(['H1', 'Y', 'M']),
  name: text,
  /** Wording of the deadline as the decision gives it, e.g. "trước ngày 05 tháng 7". */
  deadlineText: text,
  /** The deadline is the start (00:00 local) of this day. */
  deadline: DayRuleSchema,
  dataCutoff: z.strictObject({ from: DayRuleSchema, to: DayRuleSchema }),
  /** Unit kinds that file this report (default: every reporting unit). */
  unitKinds: z.array(z.enum(['department', 'agency', 'organisation', 'district', 'commune'])).optional(),
  /** When a period opens for answers: at the start of its data window (default) or a number of days before the deadline. */
  opensDaysBeforeDeadline: z.number().int().positive().optional(),
  /** Days after the deadline after which the period locks (amendments need a coordinator). */
  locksDaysAfterDeadline: z.number().int().nonnegative().default(30),
  reminders: ReminderLadderSchema.default({ daysBefore: [], at: '08:00', overdueForDays: 0 }),
});
export type ReportKind = z.infer<typeof ReportKindSchema>;

export const FigureRefSchema = z.strictObject({ unit: code, duty: code, question: name });
export type FigureRef = z.infer<typeof FigureRefSchema>;

export const IndicatorSchema = z.strictObject({
  id: code,
  name: text,
  /** Sum of these figures … */
  numerator: z.array(FigureRefSchema).min(1),
  /** … divided by the sum of these (omitted for a figure reported directly as a percentage). */
  denominator: z.array(FigureRefSchema).min(1).optional(),
  /** Targets by milestone year, in percent. */
  targets: z.record(z.string().regex(/^\d{4}$/), z.number()),
  /** Which indicator this one is "of which" part of (for display). */
  partOf: code.optional(),
  /**
   * The same measure as each district reports it (questions of the districts' effective duties):
   * consolidation shows it per district beside the provincial rate, with the rate per district
   * when a denominator is given.
   */
  districtBreakdown: z
    .strictObject({
      numerator: z.array(z.strictObject({ duty: code, question: name })).min(1),
      denominator: z
        .array(z.strictObject({ duty: code, question: name }))
        .min(1)
        .optional(),
    })
    .optional(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

export const RegimeSchema = z.strictObject({
  id: code,
  /** Bumped whenever forms change; drafts carry the form hash as well. */
  version: z.string().min(1),
  title: text,
  /** The decision this regime encodes, e.g. "Quyết định số 1736/QĐ-UBND ngày 16/10/2018". */
  source: text,
  /** An IANA time zone (checked on load): every deadline and reminder is local to it. */
  timezone: z.string().default('Asia/Ho_Chi_Minh'),
  /**
   * The body that issues the consolidated report (`unit`, its coordinator unit: every message
   * names it by that unit's name and short name) and what the DOCX draft (Decree 30/2020/NĐ-CP)
   * says of it; every name is the regime's, none is in code.
   */
  consolidator: z.strictObject({
    unit: code,
    /** The body the report goes to ("Kính gửi: …"). */
    reportTo: text,
    /** The province of the parent body line ("UBND TỈNH …"). */
    province: text,
    /** The place of the date line ("<place>, ngày … tháng … năm …"); default: the province (they differ after the 2025 reorganisation). */
    place: text.optional(),
    /** The body's abbreviation in the number ("Số:      /BC-<abbreviation>"); default: the unit's short name without "Sở". */
    abbreviation: z
      .string()
      .regex(/^[^\s/]+$/, vi.regime.abbreviation)
      .optional(),
    /** The signature block; unset: the title "GIÁM ĐỐC" and a placeholder for the name, to fill in before filing. */
    signature: z
      .strictObject({
        /** The authority the title signs under, Decree 30: "KT. GIÁM ĐỐC" (on behalf of), "TL.", "TUQ.", "TM.", "Q.". */
        authority: z
          .string()
          .regex(/^(KT|TM|TL|TUQ|Q)\.\s+\S/, vi.regime.signatureAuthority)
          .optional(),
        /** The signer's title: "PHÓ GIÁM ĐỐC". */
        title: text,
        /** The signer's full name; unset: a visible placeholder. */
        name: text.optional(),
      })
      .optional(),
    /** "Nơi nhận": the receiving bodies, one a line, as written ("UBND tỉnh (b/c)"; the document adds "- " and ";"); default: the body reported to. */
    recipients: z
      .array(z.string().regex(/^(?![-–\s;]).*[^\s;,.]$/, vi.regime.recipientLine))
      .min(1)
      .optional(),
    /** The archive line after "Lưu: ": "VT, <abbreviation of the drafting office>" (default "VT"). */
    archive: z
      .string()
      .regex(/^VT(,\s*[^\s,].*)?(?<![\s;,.])$/, vi.regime.archive)
      .optional(),
    /** Replaced by `signature`: refused with a message that says so. */
    signer: z.never(vi.regime.signerReplaced).optional(),
  }),
  choiceLists: z.record(name, z.array(ChoiceSchema).min(1)),
  /** Questions asked in every duty section, before and after the duty's own questions. */
  dutyTemplate: z.strictObject({
    leading: z.array(QuestionSchema).default([]),
    trailing: z.array(QuestionSchema).default([]),
  }),
  units: z.array(UnitSchema).min(1),
  reportKinds: z.array(ReportKindSchema).min(1),
  indicators: z.array(IndicatorSchema).default([]),
  /**
   * Public holidays (YYYY-MM-DD, local dates, each a real date) on which no reminder is sent. A
   * year is known to the calendar when at least one of its days is listed: `regime check`,
   * /healthz and the coordinators are warned when the next 12 months of deadlines reach a year
   * that is not (regime/calendar.ts).
   */
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
});
export type ReportRegime = z.infer<typeof RegimeSchema>;
export type RegimeInput = z.input<typeof RegimeSchema>;
