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

/** A plain object as JSON reads it (no prototype of its own, no own `__proto__` key). */
const plain = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype && !Object.hasOwn(x, '__proto__');
const text = (x: unknown): x is string => typeof x === 'string' && x.length > 0;
const STATE_KEYS = new Set(['unitCode', 'periodId', 'mode', 'asking', 'queue', 'returnTo', 'pending']);
const MODES = new Set(['answer', 'review', 'confirm']);

/**
 * The report flow's state as ReportFlowStateSchema would return it, checked by hand for the
 * common case (a state this version wrote), or undefined when anything is unusual: then the
 * schema decides, as it always did (FlowStateSpec.quick). Its keys come out in the schema's
 * order, as zod returns them; a key present with no value stays present, as in zod's output.
 */
export function quickReportState(x: unknown): ReportFlowState | undefined {
  if (!plain(x)) return undefined;
  for (const k in x) if (!STATE_KEYS.has(k)) return undefined;
  const { unitCode, periodId, mode, asking, queue, returnTo, pending } = x;
  if (!text(unitCode) || !text(periodId) || typeof mode !== 'string' || !MODES.has(mode)) return undefined;
  if (asking !== undefined && typeof asking !== 'string') return undefined;
  if (queue !== undefined && !(Array.isArray(queue) && queue.every((k) => typeof k === 'string'))) return undefined;
  if (returnTo !== undefined && returnTo !== 'confirm' && returnTo !== 'summary') return undefined;
  if (pending !== undefined) {
    if (!plain(pending) || typeof pending.key !== 'string' || !Number.isFinite(pending.value)) return undefined;
    for (const k in pending) if (k !== 'key' && k !== 'value') return undefined;
  }
  const out = { unitCode, periodId, mode } as ReportFlowState;
  if ('asking' in x) out.asking = asking as string | undefined;
  if ('queue' in x) out.queue = queue && [...(queue as string[])];
  if ('returnTo' in x) out.returnTo = returnTo as ReportFlowState['returnTo'];
  if ('pending' in x) out.pending = pending && { key: (pending as { key: string }).key, value: (pending as { value: number }).value };
  return out;
}

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
