/**
 * Form channels: a whole section submitted at once (a card's submission).
 */
import { z } from 'zod';
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import type { AnswerValue } from '../../store/records.js';
import { becauseOf, numberOf, parseAnswer, questionNumber, refOf, relevantSet, ruleError, ruleKeys, rulesBrokenBy, sectionView, type Answers, type QuestionRef } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { REPORT_FLOW, type Report } from './state.js';
import { loadReport, save, syncFormVersion, remember, refLabel } from './load.js';
import { promptNext, setFlow } from './prompts.js';
import { holdUnusualFigures } from './unusual.js';

const FormSubmissionSchema = z.object({
  dondoc: z.literal('section'),
  unitCode: z.string().min(1).max(64),
  periodId: z.string().min(1).max(16),
  sectionId: z.string().min(1).max(64),
  answers: z.record(z.string().max(200), z.union([z.string().max(20_000), z.number(), z.boolean(), z.null()])).refine((a) => Object.keys(a).length <= 200, vi.report.tooManyAnswers),
  confirmed: z
    .record(z.string().max(200), z.string().max(100))
    .refine((a) => Object.keys(a).length <= 200, vi.report.tooManyConfirmations)
    .optional(),
  fields: z.array(z.string().max(200)).max(200).optional(),
});

/**
 * Refuses the fields of a section submission that would break a cross-field rule, against the
 * stored answers or against each other (error beside the field, typed value kept). The values are
 * checked together, so a total and its "of which" figure can be corrected in one submission.
 */
function refuseRuleBreakers(c: CommandContext, r: Report, updates: Answers, errors: Record<string, string>, raws: Record<string, string>, typed: Record<string, string>): void {
  const same = (a: AnswerValue | undefined, b: AnswerValue) => JSON.stringify(a) === JSON.stringify(b);
  for (;;) {
    const changes: Answers = Object.fromEntries(Object.entries(updates).filter(([k, v]) => !(k in r.answers) || !same(r.answers[k], v)));
    const b = rulesBrokenBy(r.form, r.answers, changes)[0];
    if (!b) return;
    const key = ruleKeys(b).find((k) => k in changes) ?? Object.keys(changes)[0];
    errors[key] = ruleError(c.app.regime, b, key);
    raws[key] = typed[key];
    delete updates[key];
  }
}

export async function onSectionSubmission(c: CommandContext, value: Record<string, unknown>): Promise<OutMessage[]> {
  const parsed = FormSubmissionSchema.safeParse(value);
  if (!parsed.success) return [{ text: vi.report.badSubmission }];
  const sub = parsed.data;
  const r = await loadReport(c, { unitCode: sub.unitCode, periodId: sub.periodId });
  if (Array.isArray(r)) return r;
  remember(c, r.ids);
  if (r.closed) return [{ text: r.closed }];
  const sectionIndex = r.form.sections.findIndex((s) => s.id === sub.sectionId);
  if (sectionIndex < 0) {
    const res = promptNext(c, r, { ...r.ids, mode: 'answer' }, [vi.report.sectionGone]);
    setFlow(c, res);
    return res.messages;
  }
  const notice = await syncFormVersion(c, r);
  const section = r.form.sections[sectionIndex];
  const before = relevantSet(section, r.answers);
  // A part of a long section (one of several cards): only its own fields were on it.
  const onCard = sub.fields ? new Set(sub.fields) : undefined;
  const working: Answers = { ...r.answers };
  const updates: Record<string, AnswerValue> = {};
  const errors: Record<string, string> = {};
  const raws: Record<string, string> = {};
  const typed: Record<string, string> = {};
  for (const q of section.questions) {
    if (q.type === 'note' || !relevantSet(section, working).has(q.key) || (onCard && !onCard.has(q.key))) continue;
    const given = q.key in sub.answers ? sub.answers[q.key] : q.name in sub.answers ? sub.answers[q.name] : undefined;
    if (given === undefined) {
      if (!(q.key in working) && q.required) errors[q.key] = q.requiredMessage ?? vi.answer.required;
      continue;
    }
    const raw = given === null ? '' : String(given);
    typed[q.key] = raw;
    const v = parseAnswer(r.env, q, raw);
    if (v.ok) {
      working[q.key] = v.value;
      updates[q.key] = v.value;
    } else {
      errors[q.key] = v.error;
      raws[q.key] = raw;
    }
  }
  // A copied answer sent back unchanged (the card shows it filled) stays marked as the previous
  // period's: only an answer entered anew loses the mark (dialogs/report/previous.ts).
  for (const k of Object.keys(updates)) if (r.env.copied?.has(k) && JSON.stringify(updates[k]) === JSON.stringify(r.answers[k])) delete updates[k];
  refuseRuleBreakers(c, r, updates, errors, raws, typed);
  const unusual = await holdUnusualFigures(c, r, updates, sub.confirmed ?? {}, raws);
  if (Object.keys(updates).length) await save(c, r, updates);
  const errorKeys = Object.keys(errors);
  const heldKeys = Object.keys(unusual);
  if (errorKeys.length || heldKeys.length) {
    const saved = Object.keys(updates).length;
    const list = errorKeys.map((k) => `• ${refLabel(r, k)}: ${errors[k]}`);
    const held = heldKeys.length
      ? [vi.report.sectionUnusual(saved, heldKeys.length, errorKeys.length > 0), ...heldKeys.map((k) => `• ${refLabel(r, k)}: ${unusual[k].warning}`), vi.report.sectionConfirmHow]
      : [];
    const text = [...notice, ...(errorKeys.length ? [vi.report.sectionErrors(saved, errorKeys.length), ...list] : []), ...held].join('\n');
    const firstRef = refOf(r.form, errorKeys[0] ?? heldKeys[0]) as QuestionRef;
    // A single held figure and nothing else wrong: typing "có" confirms it as in a text channel.
    const pending = !errorKeys.length && heldKeys.length === 1 ? { key: heldKeys[0], value: unusual[heldKeys[0]].value } : undefined;
    void c.startFlow(REPORT_FLOW, { ...r.ids, mode: 'answer', asking: firstRef.question.key, ...(pending ? { pending } : {}) });
    return [{ text, form: { ...sectionView(r.env, r.ids, sectionIndex, r.answers, { errors, raw: raws, unusual }), focus: firstRef.question.key } }];
  }
  const saved = vi.report.sectionSaved(sectionIndex + 1, section.title, Object.keys(updates).length);
  const res = promptNext(c, r, { ...r.ids, mode: 'answer', asking: undefined }, [...notice, saved, ...moreToAnswer(c, r, sectionIndex, before)]);
  setFlow(c, res);
  return res.messages;
}

/**
 * The section comes back when its answers made more of its questions apply (the regime's skip
 * logic; `before`: those that applied when it was sent): which ones, and the answers that decided
 * it. Nothing when none did.
 */
function moreToAnswer(c: CommandContext, r: Report, sectionIndex: number, before: Set<string>): string[] {
  const section = r.form.sections[sectionIndex];
  const rel = relevantSet(section, r.answers);
  const fresh = section.questions.filter((q) => q.type !== 'note' && rel.has(q.key) && !before.has(q.key) && !(q.key in r.answers));
  if (!fresh.length) return [];
  const because = [...new Set(fresh.map((q) => becauseOf(c.app.regime, sectionIndex, section, q, r.answers)).filter((b): b is string => Boolean(b)))];
  return [
    vi.report.sectionMore(
      fresh.map((q) => numberOf({ sectionIndex, number: questionNumber(section, q) })),
      because.join('; ') || undefined,
    ),
  ];
}
