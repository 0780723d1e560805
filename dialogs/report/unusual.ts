/**
 * Unusual figures: confirmed before they are stored (text channels: "Đúng không?"; form channels:
 * the form's confirmation).
 */
import type { CommandContext, FlowResult } from '../../core/commands.js';
import type { AnswerValue } from '../../store/records.js';
import { displayValue, inputValue, refOf, unusualFigure, validate, type FieldState, type QuestionRef } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { isKeep, isNo, isYes } from '../../forms/parse.js';
import type { ReportFlowState, Report } from './state.js';
import { save } from './load.js';
import { ask, promptNext, withoutQueued } from './prompts.js';

/**
 * What the unit last submitted for the previous period of the same kind (2026-H1 for 2027-H1),
 * by answer key: the figures `giữ như kỳ trước` and `như kỳ trước` offer (questions unchanged
 * since, Report.env.previous), so a figure typed over a copied one is compared with the very
 * figure it replaces.
 */
function previousAnswers(r: Report): Record<string, AnswerValue> {
  return r.env.previous ?? {};
}

/**
 * A valid figure far from the previous period's (or outside the question's soft bounds) is not
 * stored: the person is asked "Đúng không?" and the figure is held in the flow state. Typing the
 * same figure again confirms it, and so does the figure already stored (an edit that keeps it).
 * Undefined when the figure can be stored now.
 */
export function holdUnusualFigure(c: CommandContext, r: Report, st: ReportFlowState, ref: QuestionRef, value: AnswerValue, before: string[]): FlowResult | undefined {
  const q = ref.question;
  // Typed again after the warning, or the figure already stored: confirmed.
  if (typeof value !== 'number' || (st.pending?.key === q.key && st.pending.value === value) || r.answers[q.key] === value) return undefined;
  const warning = unusualFigure(c.app.regime, q, value, previousAnswers(r)[q.key]);
  if (!warning) return undefined;
  return {
    messages: [{ text: [...before, ...(before.length ? [''] : []), `⚠ ${warning}`, vi.report.figureConfirmHow].join('\n'), choices: figureChoices() }],
    state: { ...st, asking: q.key, pending: { key: q.key, value } },
  };
}

const figureChoices = () => [
  { value: vi.report.yesWord, label: vi.report.figureYesLabel },
  { value: vi.report.noWord, label: vi.report.figureNoLabel },
];

/**
 * The answer to "Đúng không?" about a held figure: "có" stores it, "không" asks the question
 * again, another valid answer (or "giữ" when editing) goes on as any answer (undefined), anything
 * else repeats the choice.
 */
export async function answerHeldFigure(c: CommandContext, r: Report, st: ReportFlowState, ref: QuestionRef, notice: string[]): Promise<FlowResult | undefined> {
  const held = st.pending;
  const q = ref.question;
  if (!held || held.key !== q.key) return undefined;
  const shown = displayValue(c.app.regime, q, held.value);
  const rest: ReportFlowState = { ...st, pending: undefined };
  if (isYes(c.args)) {
    await save(c, r, { [q.key]: held.value });
    return promptNext(c, r, withoutQueued(rest, q.key), [...notice, vi.report.accepted(q.label, displayValue(c.app.regime, q, held.value))]);
  }
  if (isNo(c.args)) return ask(c, r, rest, ref, [...notice, vi.report.figureNotSaved(shown)], { current: st.mode === 'review', heading: false });
  if (isKeep(c.args)) return undefined;
  const v = validate(r.env, ref.section, q, c.args, r.answers);
  if (v.ok) return undefined;
  return { messages: [{ text: [...notice, vi.report.invalid(v.error), vi.report.figureConfirmAgain(shown)].join('\n'), choices: figureChoices() }], state: st };
}

/**
 * Form channels: unusual figures of a submitted section that the form did not confirm are taken
 * out of `updates` (so they are not stored) and returned with their warning; `raws` keeps them
 * in the re-shown form. A figure is confirmed when the form's confirmation carries that value
 * (or when it is the one already stored).
 */
export async function holdUnusualFigures(
  c: CommandContext,
  r: Report,
  updates: Record<string, AnswerValue>,
  confirmed: Record<string, string>,
  raws: Record<string, string>,
): Promise<NonNullable<FieldState['unusual']>> {
  const held: NonNullable<FieldState['unusual']> = {};
  // A figure already stored (e.g. a section sent again unchanged) was confirmed before.
  const numbers = Object.entries(updates).filter(([k, v]) => typeof v === 'number' && r.answers[k] !== v && !(k in confirmed && Number(confirmed[k]) === v));
  if (!numbers.length) return held;
  const prev = previousAnswers(r);
  for (const [key, value] of numbers) {
    const q = refOf(r.form, key)?.question;
    const warning = q && unusualFigure(c.app.regime, q, value, prev[key]);
    if (!q || !warning) continue;
    held[key] = { warning, value: value as number };
    raws[key] = inputValue(q, value) ?? String(value);
    delete updates[key];
  }
  return held;
}
