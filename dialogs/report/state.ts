/**
 * Flow state and types of the report dialog: the flow ids, what a report flow remembers between
 * turns (zod schemas with versions, checked on load), and what is known about one report at a turn.
 */
import { z } from 'zod';
import type { ReportingPeriod } from '../../regime/periods.js';
import type { FormDefinition } from '../../regime/regime.js';
import type { Unit } from '../../regime/regime-schema.js';
import type { Draft, ReportState, Submission } from '../../store/records.js';
import type { Answers, FormEnv } from '../../forms/form-engine.js';

export const REPORT_FLOW = 'report';
export const PICK_FLOW = 'report.pick';

export const TargetSchema = z.object({ unitCode: z.string().min(1), periodId: z.string().min(1) }).strict();
export type Target = z.infer<typeof TargetSchema>;

/**
 * What the report flow keeps between turns. Checked on every load (router/router.ts): bump
 * REPORT_FLOW_VERSION when a deploy changes this shape or its meaning, so that a state stored
 * before is restarted (restartReport in flow.ts) instead of being read the new way.
 */
export const ReportFlowStateSchema = z
  .object({
    unitCode: z.string().min(1),
    periodId: z.string().min(1),
    /** answer: next unanswered question; review: go over `queue`; confirm: waiting for "có" to submit. */
    mode: z.enum(['answer', 'review', 'confirm']),
    /** Key of the question last asked: the next input answers it. */
    asking: z.string().optional(),
    queue: z.array(z.string()).optional(),
    /**
     * Where an edit (`sửa`) returns once nothing is left to ask: the confirmation, or the summary
     * without a new submission prompt (the person had declined it). Absent: the confirmation,
     * after any unanswered question. See editState.
     */
    returnTo: z.enum(['confirm', 'summary']).optional(),
    /** An unusual figure for `asking`, held back until the person confirms it ("có"); nothing stored yet. */
    pending: z.object({ key: z.string(), value: z.number() }).strict().optional(),
  })
  .strict();
export type ReportFlowState = z.infer<typeof ReportFlowStateSchema>;
export const REPORT_FLOW_VERSION = 1;

/** The report menu (`báo cáo` with several reports open): the reports offered, by number. */
export const PickStateSchema = z.object({ options: z.array(TargetSchema) }).strict();
export type PickState = z.infer<typeof PickStateSchema>;
export const PICK_FLOW_VERSION = 1;

/** Everything known about one unit's report for one period at this turn. */
export interface Report {
  unit: Unit;
  period: ReportingPeriod;
  form: FormDefinition;
  env: FormEnv;
  draft: Draft | null;
  answers: Answers;
  state: ReportState | null;
  latest: Submission | null;
  /**
   * The unit's latest submission for the previous period of the same kind (regime/periods.ts
   * `previousPeriodId`): its answers to questions unchanged since are in `env.previous`.
   */
  previous: Submission | null;
  /** Null when answers may be changed now, else the reason why not. */
  closed: string | null;
  ids: Target;
  title: string;
}
