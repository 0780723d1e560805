/**
 * Choosing a unit and period: the reports a person can work on, the numbered choice when there are
 * several, and the report a command is about.
 */
import type { CommandContext, FlowResult } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import { fold } from '../../lib/text.js';
import { deadlineWords, localDate, makePeriod, openPeriodsForUnit, periodsOfYear, type ReportingPeriod } from '../../regime/periods.js';
import { coordinatorUnit, findUnit, kindsForUnit } from '../../regime/regime.js';
import type { Unit } from '../../regime/regime-schema.js';
import type { ReportState } from '../../store/records.js';
import { vi } from '../../i18n/vi.js';
import { REPORT_FLOW, PICK_FLOW, TargetSchema, type PickState, type Target, type ReportFlowState, type Report } from './state.js';
import { zoneNow, time, memberOf, loadReport, remember } from './load.js';
import { openReport } from './open.js';
import { parseTargetArgs, unreadWords } from '../target-args.js';

interface Candidate extends Target {
  unit: Unit;
  period: ReportingPeriod;
  state: ReportState | null;
  pending: boolean;
}

export async function candidates(c: CommandContext): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const m of c.actor.memberships) {
    const unit = findUnit(c.app.regime, m.unitCode);
    if (!unit || !kindsForUnit(c.app.regime, unit).length) continue;
    const states = await c.app.store.reportStates.find({ unitCode: unit.code });
    const periods = new Map(openPeriodsForUnit(c.app.regime, unit, c.now).map((p) => [p.id, p]));
    for (const s of states)
      if ((s.status === 'reopened' || s.status === 'needs_correction') && !periods.has(s.periodId)) {
        const p = makePeriod(c.app.regime, s.periodId);
        if (p) periods.set(p.id, p);
      }
    for (const p of periods.values()) {
      if (m.delegation?.periodId && m.delegation.periodId !== p.id) continue;
      const state = states.find((s) => s.periodId === p.id) ?? null;
      const pending = !state || state.status === 'needs_correction' || state.status === 'reopened';
      out.push({ unitCode: unit.code, periodId: p.id, unit, period: p, state, pending });
    }
  }
  const rank = (x: Candidate) => (x.state?.status === 'needs_correction' ? 0 : x.pending ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b) || a.period.deadline.toMillis() - b.period.deadline.toMillis() || a.unitCode.localeCompare(b.unitCode));
}

function candidateLine(c: CommandContext, x: Candidate): string {
  return vi.report.pickLine(x.unit.name, x.period.name, deadlineWords(x.period), stateWords(c, x.state));
}

function pickMessage(c: CommandContext, list: Candidate[], intro: string): FlowResult {
  const lines = [intro, ...list.map((x, i) => `  ${i + 1}. ${candidateLine(c, x)}`), vi.report.pickHow];
  return {
    messages: [
      {
        text: lines.join('\n'),
        choices: list.map((x, i) => ({ value: `báo cáo ${x.unitCode} ${x.periodId}`, label: `${i + 1}. ${x.unit.shortName} · ${x.period.name}` })),
      },
    ],
    state: { options: list.map((x) => ({ unitCode: x.unitCode, periodId: x.periodId })) },
  };
}

export async function startReport(c: CommandContext, args: string): Promise<OutMessage[]> {
  const all = await candidates(c);
  const a = parseTargetArgs(c.app.regime, args);
  if (a.unit && !memberOf(c, a.unit.code)) return [{ text: vi.report.notYourUnit(a.unit.name) }];
  if (unreadWords(a).length && !a.unit && !a.periodId) return [{ text: vi.report.badTarget(args) }];
  if (a.unit && a.periodId) return openReport(c, { unitCode: a.unit.code, periodId: a.periodId });
  let list = all.filter((x) => (!a.unit || x.unitCode === a.unit.code) && (!a.periodId || x.periodId === a.periodId));
  if (a.periodId && !list.length) {
    // A period that is not open (yet, or any more): one unit → open it to explain why.
    const units = c.actor.memberships.map((m) => m.unitCode).filter((u) => !a.unit || u === a.unit.code);
    if (units.length === 1) return openReport(c, { unitCode: units[0], periodId: a.periodId });
  }
  if (!list.length) return [{ text: nothingOpen(c, a.unit) }];
  const pending = list.filter((x) => x.pending);
  // A report sent back for corrections comes first.
  const corrections = pending.filter((x) => x.state?.status === 'needs_correction');
  if (corrections.length === 1 && !a.periodId) return openReport(c, corrections[0]);
  if (pending.length === 1 && !a.periodId) return openReport(c, pending[0]);
  if (list.length === 1) return openReport(c, list[0]);
  const intro = pending.length ? vi.report.pickIntro : vi.report.allSubmittedPick;
  if (pending.length) list = pending;
  const res = pickMessage(c, list, intro);
  if (res.state) void c.startFlow(PICK_FLOW, res.state);
  return res.messages;
}

function nothingOpen(c: CommandContext, only?: Unit): string {
  const lines: string[] = [vi.report.nothingOpen];
  for (const m of c.actor.memberships) {
    const unit = findUnit(c.app.regime, m.unitCode);
    if (!unit || (only && unit.code !== only.code)) continue;
    const next = nextPeriod(c, unit);
    if (next) lines.push(vi.report.nextPeriod(unit.name, next.name, localDate(next.opensAt), deadlineWords(next)));
  }
  return lines.join('\n');
}

export function nextPeriod(c: CommandContext, unit: Unit): ReportingPeriod | undefined {
  const kinds = new Set(kindsForUnit(c.app.regime, unit).map((k) => k.id));
  const y = zoneNow(c).year;
  return [y, y + 1]
    .flatMap((year) => periodsOfYear(c.app.regime, year))
    .filter((p) => kinds.has(p.kind) && p.opensAt.toMillis() > c.now.getTime())
    .sort((a, b) => a.opensAt.toMillis() - b.opensAt.toMillis())[0];
}

export function stateWords(c: CommandContext, s: ReportState | null): string {
  if (!s || s.revision === 0) return s?.status === 'reopened' ? vi.report.stReopenedUnsubmitted : vi.report.stNotSubmitted;
  const when = time(c, s.lastSubmittedAt);
  switch (s.status) {
    case 'needs_correction':
      return vi.report.stNeedsCorrection(coordinatorUnit(c.app.regime), s.revision, s.late);
    case 'approved':
      return vi.report.stApproved(s.revision, when, s.late);
    case 'reopened':
      return vi.report.stReopened(s.revision, s.late);
    default:
      return vi.report.stSubmitted(s.revision, when, s.late);
  }
}

/** The report a command is about: the active one, else the last one worked on, else ask. */
export async function currentTarget(c: CommandContext): Promise<Target | OutMessage[]> {
  if (c.flow?.id === REPORT_FLOW) {
    const s = c.flow.state as ReportFlowState;
    return { unitCode: s.unitCode, periodId: s.periodId };
  }
  const remembered = TargetSchema.safeParse(c.memory.lastReport);
  const last = remembered.success ? remembered.data : undefined;
  if (last && memberOf(c, last.unitCode)) return last;
  const all = await candidates(c);
  const pending = all.filter((x) => x.pending);
  if (pending.length === 1) return pending[0];
  if (all.length === 1) return all[0];
  return startReport(c, '');
}

/** The report the person is working on (or the only one they can), remembered for the next turns. */
export async function currentReport(c: CommandContext): Promise<Report | OutMessage[]> {
  const t = await currentTarget(c);
  if (Array.isArray(t)) return t;
  const r = await loadReport(c, t);
  if (Array.isArray(r)) return r;
  remember(c, r.ids);
  return r;
}

export async function onPickInput(c: CommandContext, state: PickState): Promise<FlowResult> {
  const options = state.options;
  const f = fold(c.args);
  const n = /^\d+$/.test(f) ? Number(f) : NaN;
  let args: string | undefined;
  // `báo cáo BA-BE 2027-06` (a choice's button) and every other command reach the router's command first.
  if (n >= 1 && n <= options.length) args = `${options[n - 1].unitCode} ${options[n - 1].periodId}`;
  else {
    const a = parseTargetArgs(c.app.regime, c.args);
    if ((a.unit || a.periodId) && !unreadWords(a).length) args = c.args;
  }
  if (args === undefined) return { messages: [{ text: vi.report.pickAgain(options.length) }], state };
  c.endFlow();
  return { messages: await startReport(c, args), state: null };
}

/** The report menu after its stored state was found stale: the menu again (or the one report open). */
export async function restartPick(c: CommandContext): Promise<OutMessage[]> {
  return startReport(c, '');
}
