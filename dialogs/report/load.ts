/**
 * Loading a report and its rules: who may answer, whether it is open, saving answers, moving a
 * draft to a changed form.
 */
import { DateTime } from 'luxon';
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import { formatInstant } from '../../lib/datetime.js';
import { localDate, makePeriod, type ReportingPeriod } from '../../regime/periods.js';
import { coordinatorUnit, buildForm, findUnit } from '../../regime/regime.js';
import type { AnswerValue, Draft, ReportState } from '../../store/records.js';
import { closedFor, submitted } from '../../store/report-lifecycle.js';
import { currentAnswers, numberedLabel, refOf, relevantSet, type Answers, type QuestionRef } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { copiedKeys, formQuestions, reusableAnswers, setAnswers, updateDraft } from '../../services/drafts.js';
import { previousSubmission } from '../../services/previous.js';
import type { Target, Report } from './state.js';

export const zoneNow = (c: CommandContext) => DateTime.fromJSDate(c.now, { zone: c.app.regime.timezone });
export const time = (c: CommandContext, ms: number) => formatInstant(ms, c.app.regime.timezone);

function closedReason(c: CommandContext, p: ReportingPeriod, state: ReportState | null): string | null {
  const closed = closedFor(state, { opensAt: p.opensAt.toMillis(), locksAt: p.locksAt.toMillis() }, c.now.getTime());
  if (closed === 'not_open') return vi.report.notOpenYet(p.name, localDate(p.opensAt));
  if (closed === 'locked') return vi.report.locked(coordinatorUnit(c.app.regime), p.name, localDate(p.locksAt));
  return null;
}

/** A member of the unit; with `periodId`, one who may report that period (a substitute for one period only that one). */
export function memberOf(c: CommandContext, unitCode: string, periodId?: string): boolean {
  return c.actor.memberships.some((m) => m.unitCode === unitCode && (!periodId || !m.delegation?.periodId || m.delegation.periodId === periodId));
}

export async function loadReport(c: CommandContext, t: Target): Promise<Report | OutMessage[]> {
  const unit = findUnit(c.app.regime, t.unitCode);
  if (!unit || !memberOf(c, t.unitCode, t.periodId)) return [{ text: vi.report.notYourUnit(unit?.name ?? t.unitCode) }];
  const period = makePeriod(c.app.regime, t.periodId);
  const form = period ? buildForm(c.app.regime, unit.code, period.kind) : undefined;
  if (!period || !form) return [{ text: vi.report.noSuchReport(unit.name, t.periodId) }];
  // The draft and the state in one query (they share a collection: store/shared-collection.ts; issue 15),
  // with the previous period's latest submission (kept in memory a while: services/previous.ts).
  // Read by index, not destructured: an array pattern walks the array with an iterator on every turn.
  const read = await Promise.all([c.app.store.draftAndState(unit.code, period.id), previousSubmission(c.app, unit.code, period.id)]);
  const { draft, state } = read[0];
  const previous = read[1];
  // The latest submission is read only when the state records one (report-lifecycle.ts `submitted`):
  // one database round trip fewer on every answer before the first submission.
  const latest = submitted(state) ? await c.app.store.latestSubmission(unit.code, period.id) : null;
  const answers = draft ? currentAnswers(form, draft.answers) : {};
  return {
    unit,
    period,
    form,
    env: { regime: c.app.regime, form, periodEnd: period.dataTo, previous: previous ? reusableAnswers(form, previous) : undefined, copied: draftCopied(draft, answers) },
    draft,
    answers,
    state,
    latest,
    previous,
    closed: closedReason(c, period, state),
    ids: { unitCode: unit.code, periodId: period.id },
    title: `${period.name} · ${unit.name}`,
  };
}

/** The keys of the draft's current answers (`current`: currentAnswers of the draft) that are still the previous period's, copied unchanged. */
function draftCopied(draft: Draft | null, current: Answers): Set<string> {
  const out = new Set<string>();
  if (draft) for (const k of copiedKeys(draft.answers)) if (k in current) out.add(k);
  return out;
}

/**
 * Stores answers in the draft. `copiedFrom`: they are the previous period's answers taken over
 * unchanged (marked as such until typed again).
 */
export async function save(c: CommandContext, r: Report, values: Record<string, AnswerValue>, copiedFrom?: string): Promise<void> {
  const at = c.now.getTime();
  // The draft loadReport has just read serves the first attempt (a stale one is a conflict, then read again).
  r.draft = await updateDraft(c.app.store, { ...r.ids, form: r.form, now: at, by: c.actor.userKey, current: r.draft }, setAnswers(r.form, values, at, c.actor.userKey, copiedFrom));
  r.answers = currentAnswers(r.form, r.draft.answers);
  r.env = { ...r.env, copied: draftCopied(r.draft, r.answers) };
}

/** Whether the report's draft was started under another version of its form (syncFormVersion moves it). */
export function formChanged(r: Report): boolean {
  return Boolean(r.draft) && r.draft?.formVersion !== r.form.version;
}

/**
 * A draft started under another version of the form: say what changed (new, changed, removed
 * questions) and move the draft to the current form. Only new and changed questions are asked,
 * because answers are kept per question hash.
 */
export async function syncFormVersion(c: CommandContext, r: Report): Promise<string[]> {
  if (!r.draft || !formChanged(r)) return [];
  const before = r.draft.formQuestions ?? Object.fromEntries(Object.entries(r.draft.answers).map(([k, a]) => [k, a.hash]));
  const now = formQuestions(r.form);
  const added: string[] = [];
  const changed: string[] = [];
  for (const [key, hash] of Object.entries(now)) {
    const ref = refOf(r.form, key) as QuestionRef;
    if (!relevantSet(ref.section, r.answers).has(key)) continue;
    const label = numberedLabel(ref);
    if (!(key in before)) added.push(label);
    else if (before[key] !== hash) changed.push(label);
  }
  const removed = Object.keys(before).filter((k) => !(k in now)).length;
  await updateDraft(c.app.store, { ...r.ids, form: r.form, now: c.now.getTime(), by: c.actor.userKey }, () => undefined);
  r.draft = await c.app.store.getDraft(r.unit.code, r.period.id);
  return [vi.report.formChanged(added, changed, removed)];
}

export function remember(c: CommandContext, t: Target): void {
  c.memory.lastReport = { unitCode: t.unitCode, periodId: t.periodId };
}

export function refLabel(r: Report, key: string): string {
  const ref = refOf(r.form, key);
  return ref ? numberedLabel(ref) : key;
}

export function sectionList(r: Report): string {
  return r.form.sections.map((s, i) => `  ${i + 1}. ${s.title}`).join('\n');
}
