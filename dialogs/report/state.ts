/**
 * Flow state and types of the report dialog: the flow ids, what a report flow remembers between
 * turns, and what is known about one report at a turn.
 */
import type { ReportingPeriod } from '../../regime/periods.js';
import type { FormDefinition } from '../../regime/regime.js';
import type { Unit } from '../../regime/regime-schema.js';
import type { Draft, ReportState, Submission } from '../../store/records.js';
import type { Answers, FormEnv } from '../../forms/form-engine.js';

export const REPORT_FLOW = 'report';
export const PICK_FLOW = 'report.pick';

export interface Target {
  unitCode: string;
  periodId: string;
}

export interface ReportFlowState extends Record<string, unknown> {
  unitCode: string;
  periodId: string;
  /** answer: next unanswered question; review: go over `queue`; confirm: waiting for "có" to submit. */
  mode: 'answer' | 'review' | 'confirm';
  /** Key of the question last asked: the next input answers it. */
  asking?: string;
  queue?: string[];
  /**
   * Where an edit (`sửa`) returns once nothing is left to ask: the confirmation, or the summary
   * without a new submission prompt (the person had declined it). Absent: the confirmation,
   * after any unanswered question. See editState.
   */
  returnTo?: 'confirm' | 'summary';
  /** An unusual figure for `asking`, held back until the person confirms it ("có"); nothing stored yet. */
  pending?: { key: string; value: number };
}

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
  /** Null when answers may be changed now, else the reason why not. */
  closed: string | null;
  ids: Target;
  title: string;
}
