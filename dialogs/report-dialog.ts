/**
 * The report dialog: takes a focal point through their unit's report for a period until it is
 * submitted, one question at a time (text channels) or one section at a time (form channels),
 * saving every accepted answer before replying. Commands: báo cáo, tiếp tục, tiếp (next page of
 * a long summary), xem lại, nhiệm vụ, sửa, nộp, hủy, trạng thái, mở lại (coordinator). No
 * channel SDK here.
 *
 * Rules: answers are accepted from the period's opening (`opensAt`) — early is fine, late is
 * fine and flagged — until it locks (`locksAt`). Until the lock a submitted report can be
 * amended (each submission is a new revision; history kept). After the lock only a
 * coordinator can reopen it (`mở lại`). A report a reviewer sent back (`needs_correction`)
 * goes straight to the questions the reviewer named, whatever the lock.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ChatCommand, ChatFlow, CommandContext, FlowResult, ValueHandler } from '../core/commands.js';
import type { OutMessage, TableView } from '../core/message.js';
import { formatInstant } from '../lib/datetime.js';
import { fold } from '../lib/text.js';
import {
  deadlineWords,
  isLate,
  localDate,
  makePeriod,
  openPeriodsForUnit,
  parsePeriodId,
  periodsOfYear,
  previousPeriodId,
  type ReportingPeriod,
} from '../regime/periods.js';
import { buildForm, coordinatorUnit, findUnit, kindsForUnit, type FormDefinition } from '../regime/regime.js';
import type { Unit } from '../regime/regime-schema.js';
import type { AnswerValue, Draft, ReportState, Submission } from '../store/records.js';
import { act, closedFor, lateIfSubmitted, submitReport } from '../store/report-lifecycle.js';
import {
  brokenRules,
  answerLines,
  completion,
  currentAnswers,
  displayValue,
  findTarget,
  inputValue,
  missingRequired,
  nextQuestion,
  parseAnswer,
  questionPrompt,
  refNumber,
  refOf,
  relevantAnswers,
  relevantSet,
  ruleError,
  ruleKeys,
  ruleLine,
  rulesBrokenBy,
  sectionView,
  unusualFigure,
  validate,
  type Answers,
  type FieldState,
  type BrokenRule,
  type FormEnv,
  type QuestionRef,
} from '../forms/form-engine.js';
import { vi } from '../i18n/vi.js';
import { isKeep, isNo, isYes } from '../forms/parse.js';
import { formQuestions, sameAnswers, seedFromSubmission, setAnswers, updateDraft } from '../services/drafts.js';

export const REPORT_FLOW = 'report';
export const PICK_FLOW = 'report.pick';

interface Target {
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
interface Report {
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

// ---------------------------------------------------------------------------------------------
// Loading and rules

const zoneNow = (c: CommandContext) => DateTime.fromJSDate(c.now, { zone: c.app.regime.timezone });
const time = (c: CommandContext, ms: number) => formatInstant(ms, c.app.regime.timezone);

function closedReason(c: CommandContext, p: ReportingPeriod, state: ReportState | null): string | null {
  const closed = closedFor(state, { opensAt: p.opensAt.toMillis(), locksAt: p.locksAt.toMillis() }, c.now.getTime());
  if (closed === 'not_open') return vi.report.notOpenYet(p.name, localDate(p.opensAt));
  if (closed === 'locked') return vi.report.locked(coordinatorUnit(c.app.regime), p.name, localDate(p.locksAt));
  return null;
}

function memberOf(c: CommandContext, unitCode: string): boolean {
  return c.actor.memberships.some((m) => m.unitCode === unitCode);
}

async function loadReport(c: CommandContext, t: Target): Promise<Report | OutMessage[]> {
  const unit = findUnit(c.app.regime, t.unitCode);
  if (!unit || !memberOf(c, t.unitCode)) return [{ text: vi.report.notYourUnit(unit?.name ?? t.unitCode) }];
  const period = makePeriod(c.app.regime, t.periodId);
  const form = period ? buildForm(c.app.regime, unit.code, period.kind) : undefined;
  if (!period || !form) return [{ text: vi.report.noSuchReport(unit.name, t.periodId) }];
  const [draft, state, latest] = await Promise.all([
    c.app.store.getDraft(unit.code, period.id),
    c.app.store.reportState(unit.code, period.id),
    c.app.store.latestSubmission(unit.code, period.id),
  ]);
  return {
    unit,
    period,
    form,
    env: { regime: c.app.regime, form, periodEnd: period.dataTo },
    draft,
    answers: draft ? currentAnswers(form, draft.answers) : {},
    state,
    latest,
    closed: closedReason(c, period, state),
    ids: { unitCode: unit.code, periodId: period.id },
    title: `${period.name} · ${unit.name}`,
  };
}

async function save(c: CommandContext, r: Report, values: Record<string, AnswerValue>): Promise<void> {
  const at = c.now.getTime();
  r.draft = await updateDraft(c.app.store, { ...r.ids, form: r.form, now: at, by: c.actor.userKey }, setAnswers(r.form, values, at, c.actor.userKey));
  r.answers = currentAnswers(r.form, r.draft.answers);
}

/**
 * A draft started under another version of the form: say what changed (new, changed, removed
 * questions) and move the draft to the current form. Only new and changed questions are asked,
 * because answers are kept per question hash.
 */
async function syncFormVersion(c: CommandContext, r: Report): Promise<string[]> {
  if (!r.draft || r.draft.formVersion === r.form.version) return [];
  const before = r.draft.formQuestions ?? Object.fromEntries(Object.entries(r.draft.answers).map(([k, a]) => [k, a.hash]));
  const now = formQuestions(r.form);
  const added: string[] = [];
  const changed: string[] = [];
  for (const [key, hash] of Object.entries(now)) {
    const ref = refOf(r.form, key) as QuestionRef;
    if (!relevantSet(ref.section, r.answers).has(key)) continue;
    const label = `${ref.sectionIndex + 1}.${ref.number} ${ref.question.label}`;
    if (!(key in before)) added.push(label);
    else if (before[key] !== hash) changed.push(label);
  }
  const removed = Object.keys(before).filter((k) => !(k in now)).length;
  await updateDraft(c.app.store, { ...r.ids, form: r.form, now: c.now.getTime(), by: c.actor.userKey }, () => undefined);
  r.draft = await c.app.store.getDraft(r.unit.code, r.period.id);
  return [vi.report.formChanged(added, changed, removed)];
}

// ---------------------------------------------------------------------------------------------
// Prompts

/**
 * One phone screen, in characters: a summary longer than this is sent a few sections at a time,
 * each page ending with "Gõ "tiếp" để xem tiếp". Zalo shows one bubble at a time and cuts a
 * message at 2,000 characters (channels/zalo/render.ts); 1,500 characters — some twenty
 * answer lines, two or three swipes on a phone — keeps every page within one bubble together with
 * what surrounds it (the acknowledgement before it, the page line and the submit question after
 * it), so no section is ever cut by the channel and nothing scrolls out of sight unread.
 */
export const SCREEN_CHARS = 1500;

/** A summary page: its text (no page line) and its table rows (a form channel shows them as a grid). */
interface SummaryPage {
  text: string;
  rows: string[][];
}

/** Every answer, numbered mục.câu as the person sees them, on pages of at most SCREEN_CHARS (whole sections when they fit). */
function summaryPages(c: CommandContext, r: Report): SummaryPage[] {
  const broken = brokenRules(r.form, r.answers);
  const numbered = answerLines(c.app.regime, r.form, r.answers, Object.fromEntries(ruleMarks(broken)));
  // answerLines gives each section's lines (its heading first) and the rows of all sections in order.
  let rowAt = 0;
  const blocks = numbered.sections.map((lines) => {
    const rows = numbered.rows.slice(rowAt, rowAt + lines.length - 1);
    rowAt += lines.length - 1;
    return { lines, rows };
  });
  const done = completion(r.form, r.answers);
  const tail = [vi.report.completion(done.answered, done.total, done.missingRequired)];
  if (broken.length) tail.push(vi.report.rulesBroken(broken.map((x) => ruleLine(c.app.regime, x))));
  if (r.latest) tail.push(vi.report.lastSubmitted(r.latest.revision, time(c, r.latest.submittedAt), lateIfSubmitted(r.state, r.latest.late)));
  const size = (ls: string[]) => ls.reduce((n, l) => n + l.length + 1, 0);
  const room = SCREEN_CHARS - vi.report.summaryPageTitle(r.title, 10, 10).length - 2;

  // Pack whole sections; a section longer than a page goes on by itself, split between its lines.
  const pages: Array<{ lines: string[]; rows: string[][] }> = [];
  let cur = { lines: [] as string[], rows: [] as string[][] };
  const flush = () => {
    if (cur.lines.length) pages.push(cur);
    cur = { lines: [], rows: [] };
  };
  for (const b of blocks) {
    if (cur.lines.length && size(cur.lines) + size(b.lines) + 1 > room) flush();
    let rowAt = 0;
    b.lines.forEach((line, k) => {
      if (k > 0 && cur.lines.length && size(cur.lines) + line.length + 1 > room) flush();
      if (cur.lines.length && k === 0) cur.lines.push('');
      cur.lines.push(line);
      if (k > 0) cur.rows.push(b.rows[rowAt++]);
    });
  }
  if (cur.lines.length && size(cur.lines) + size(tail) + 1 > room) flush();
  cur.lines.push(...(cur.lines.length ? [''] : []), ...tail);
  flush();
  return pages.map((p, i) => ({
    text: [i === 0 ? vi.report.summaryTitle(r.title) : vi.report.summaryPageTitle(r.title, i + 1, pages.length), '', ...p.lines].join('\n'),
    rows: p.rows,
  }));
}

/** One page of the summary as a message part: its text, its page line when more follow, and its table. */
function summaryPage(r: Report, pages: SummaryPage[], page: number): { text: string; table: TableView; page: number; more: boolean } {
  const i = Math.min(page, pages.length - 1);
  const more = i + 1 < pages.length;
  return {
    text: more ? `${pages[i].text}\n\n${vi.report.summaryMore(i + 1, pages.length)}` : pages[i].text,
    table: { title: r.title, columns: vi.report.summaryColumns, rows: pages[i].rows },
    page: i,
    more,
  };
}

/**
 * Where `tiếp` continues a summary: the report, the page shown, and the dialog's position when it
 * was shown. `tiếp` shows the next page only while the dialog is still there (same flow, mode and
 * question, within SUMMARY_PAGER_MS); otherwise it is `tiếp tục`.
 */
interface SummaryPager {
  unitCode: string;
  periodId: string;
  page: number;
  confirm: boolean;
  flow: string;
  at: number;
}
const SUMMARY_PAGER = 'summaryPager';
const SUMMARY_PAGER_MS = 60 * 60_000;

function flowMark(c: CommandContext, st?: ReportFlowState | null): string {
  const f = st !== undefined ? (st ? { id: REPORT_FLOW, state: st } : null) : c.flow;
  if (!f) return '';
  const s = f.state as Partial<ReportFlowState>;
  return `${f.id}|${s.unitCode ?? ''}|${s.periodId ?? ''}|${s.mode ?? ''}|${s.asking ?? ''}`;
}

/** Remembers the page shown while more follow; after the last page `tiếp` is `tiếp tục` again. */
function rememberPage(c: CommandContext, r: Report, shown: { page: number; more: boolean }, confirm: boolean, st?: ReportFlowState | null): void {
  if (!shown.more) {
    delete c.memory[SUMMARY_PAGER];
    return;
  }
  const p: SummaryPager = { ...r.ids, page: shown.page, confirm, flow: flowMark(c, st), at: c.now.getTime() };
  c.memory[SUMMARY_PAGER] = p;
}

/** The ⚠ beside each question of a broken cross-field rule, naming the other question. */
function ruleMarks(broken: BrokenRule[]): Map<string, string> {
  const marks = new Map<string, string[]>();
  for (const b of broken) {
    marks.set(b.part.question.key, [...(marks.get(b.part.question.key) ?? []), refNumber(b.whole)]);
    marks.set(b.whole.question.key, [...(marks.get(b.whole.question.key) ?? []), refNumber(b.part)]);
  }
  return new Map([...marks].map(([k, nums]) => [k, vi.report.ruleMark(nums.join(', '))]));
}

/**
 * Nothing inconsistent is submitted: when the answers break a cross-field rule, says which (both
 * questions by number, both values) and asks those questions again, instead of offering to submit.
 */
function refuseBrokenRules(c: CommandContext, r: Report, st: ReportFlowState, before: string[]): FlowResult | undefined {
  const broken = brokenRules(r.form, r.answers);
  if (!broken.length) return undefined;
  const keys = new Set(broken.flatMap(ruleKeys));
  const queue = r.form.sections.flatMap((s) => s.questions.filter((q) => keys.has(q.key)).map((q) => q.key));
  return promptNext(c, r, { ...st, mode: 'review', queue, asking: undefined }, [...before, vi.report.rulesBeforeSubmit(broken.map((b) => ruleLine(c.app.regime, b)))]);
}

interface AskOptions {
  /** Going back over an answer: show it and offer to keep it. */
  current?: boolean;
  /** Show the report's title and the section's duty text (default: when entering a section). */
  heading?: boolean;
  /** After a refused answer: the question's number and label only (see questionPrompt). */
  brief?: boolean;
}

function ask(c: CommandContext, r: Report, st: ReportFlowState, ref: QuestionRef, before: string[], opts: AskOptions = {}): FlowResult {
  const prev = st.asking ? refOf(r.form, st.asking) : undefined;
  const heading = opts.heading ?? (!prev || prev.sectionIndex !== ref.sectionIndex);
  const msg = questionPrompt(r.env, r.ids, ref, r.answers, {
    before,
    heading,
    // The report's name, unless the lines before have just said it ("Bắt đầu Báo cáo…").
    context: heading && !before.some((b) => b.includes(r.title)) ? r.title : undefined,
    current: opts.current && ref.question.key in r.answers ? r.answers[ref.question.key] : undefined,
    brief: opts.brief,
  });
  return { messages: [msg], state: { ...st, asking: ref.question.key, pending: undefined } };
}

function confirmPrompt(c: CommandContext, r: Report, st: ReportFlowState, before: string[], page = 0): FlowResult {
  const s = summaryPage(r, summaryPages(c, r), page);
  const late = lateIfSubmitted(r.state, isLate(r.period, c.now));
  const text = [...before, ...(before.length ? [''] : []), s.text, '', late ? vi.report.confirmLate(deadlineWords(r.period)) : vi.report.confirm].join('\n');
  const next: FlowResult['state'] = { ...st, mode: 'confirm', asking: undefined, queue: undefined, returnTo: undefined, pending: undefined };
  rememberPage(c, r, s, true, next as ReportFlowState);
  const choices = [...(s.more ? [{ value: vi.report.moreWord, label: vi.report.moreLabel }] : []), { value: vi.report.yesWord, label: vi.report.yesLabel }, { value: vi.report.noWord, label: vi.report.noLabel }];
  return { messages: [{ text, table: s.table, choices }], state: next };
}


/**
 * Asks whatever comes next for this state; when nothing is left, shows the summary and asks to
 * submit — or, after an edit that started at a summary the person had not confirmed, shows that
 * summary again without asking (see `returnTo`).
 */
function promptNext(c: CommandContext, r: Report, st: ReportFlowState, before: string[], opts: Pick<AskOptions, 'heading'> = {}): FlowResult {
  if (st.mode === 'review') {
    const queue = [...(st.queue ?? [])];
    while (queue.length) {
      const ref = refOf(r.form, queue[0]);
      if (ref && ref.question.type !== 'note' && relevantSet(ref.section, r.answers).has(ref.question.key))
        return ask(c, r, { ...st, queue }, ref, before, { ...opts, current: true });
      queue.shift();
    }
    st = { ...st, mode: 'answer', queue: undefined };
  }
  const ref = nextQuestion(r.form, r.answers);
  if (ref) return ask(c, r, { ...st, mode: 'answer' }, ref, before, opts);
  const idle: ReportFlowState = { ...st, mode: 'answer', asking: undefined, queue: undefined, returnTo: undefined };
  if (st.returnTo === 'summary') return { messages: reviewPage(c, r, 0, before, idle), state: idle };
  const refusal = refuseBrokenRules(c, r, st, before);
  if (refusal) return refusal;
  const rel = relevantAnswers(r.form, r.answers);
  if (r.latest && sameAnswers(rel, r.latest.answers) && r.state?.status !== 'needs_correction' && r.state?.status !== 'reopened') {
    const text = [...before, ...(before.length ? [''] : []), vi.report.alreadySubmitted(r.title, r.latest.revision, time(c, r.latest.submittedAt), localDate(r.period.locksAt))].join('\n');
    return { messages: [{ text }], state: idle };
  }
  return confirmPrompt(c, r, st, st.returnTo ? before : [...before, vi.report.allAnswered]);
}

// ---------------------------------------------------------------------------------------------
// Opening a report

function remember(c: CommandContext, t: Target): void {
  c.memory.lastReport = { unitCode: t.unitCode, periodId: t.periodId };
}

/** Opens (or resumes) a report: checks, regime change, corrections asked by a reviewer, first prompt. */
async function openReport(c: CommandContext, t: Target, intro: string[] = []): Promise<OutMessage[]> {
  const r = await loadReport(c, t);
  if (Array.isArray(r)) return r;
  remember(c, r.ids);
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const before = [...intro];
  let st: ReportFlowState = { ...r.ids, mode: 'answer' };
  if (r.state?.status === 'needs_correction') {
    if (!r.draft && r.latest) {
      r.draft = await updateDraft(c.app.store, { ...r.ids, form: r.form, now: c.now.getTime(), by: c.actor.userKey }, seedFromSubmission(r.form, r.latest));
      r.answers = currentAnswers(r.form, r.draft.answers);
    }
    const keys = new Set(r.state.review?.questions ?? []);
    const queue = r.form.sections.flatMap((s) => s.questions.filter((q) => keys.has(q.key)).map((q) => q.key));
    before.push(vi.report.needsCorrection(coordinatorUnit(c.app.regime), r.title, r.state.review?.comment, queue.map((k) => refLabel(r, k))));
    st = { ...st, mode: queue.length ? 'review' : 'answer', queue };
  } else if (!r.draft && r.latest) {
    // A submitted report whose draft is gone (e.g. created elsewhere): continue from the submission.
    r.draft = await updateDraft(c.app.store, { ...r.ids, form: r.form, now: c.now.getTime(), by: c.actor.userKey }, seedFromSubmission(r.form, r.latest));
    r.answers = currentAnswers(r.form, r.draft.answers);
  }
  before.push(...(await syncFormVersion(c, r)));
  if (!r.draft) before.push(vi.report.started(r.title, deadlineWords(r.period), isLate(r.period, c.now)));
  else if (r.state?.status === 'reopened') before.push(vi.report.reopenedNotice(coordinatorUnit(c.app.regime), r.title, localDate(r.period.locksAt)));
  else if (r.latest) before.push(vi.report.amending(r.title, r.latest.revision, localDate(r.period.locksAt)));
  else {
    const done = completion(r.form, r.answers);
    before.push(vi.report.resumed(r.title, done.answered, done.total, deadlineWords(r.period)));
  }
  const res = promptNext(c, r, st, before, { heading: true });
  setFlow(c, res);
  return res.messages;
}

function refLabel(r: Report, key: string): string {
  const ref = refOf(r.form, key);
  return ref ? `${ref.sectionIndex + 1}.${ref.number} ${ref.question.label}` : key;
}

function setFlow(c: CommandContext, res: FlowResult): void {
  if (res.state) void c.startFlow(REPORT_FLOW, res.state);
  else c.endFlow();
}

// ---------------------------------------------------------------------------------------------
// Choosing a unit and period

interface Candidate extends Target {
  unit: Unit;
  period: ReportingPeriod;
  state: ReportState | null;
  pending: boolean;
}

async function candidates(c: CommandContext): Promise<Candidate[]> {
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
      const state = states.find((s) => s.periodId === p.id) ?? null;
      const pending = !state || state.status === 'needs_correction' || state.status === 'reopened';
      out.push({ unitCode: unit.code, periodId: p.id, unit, period: p, state, pending });
    }
  }
  const rank = (x: Candidate) => (x.state?.status === 'needs_correction' ? 0 : x.pending ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b) || a.period.deadline.toMillis() - b.period.deadline.toMillis() || a.unitCode.localeCompare(b.unitCode));
}

/** "BA-BE", "2027-06", "06/2027", "2027-H1" in any order. */
function parseTargetArgs(c: CommandContext, args: string): { unit?: Unit; periodId?: string; unknown: string[] } {
  const out: { unit?: Unit; periodId?: string; unknown: string[] } = { unknown: [] };
  for (const tok of args.split(/\s+/).filter(Boolean)) {
    const unit = c.app.regime.units.find((u) => fold(u.code) === fold(tok));
    if (unit) {
      out.unit = unit;
      continue;
    }
    const mY = /^(\d{1,2})\/(\d{4})$/.exec(tok);
    const id = mY ? `${mY[2]}-${mY[1].padStart(2, '0')}` : tok;
    const p = parsePeriodId(id);
    if (p) {
      out.periodId = makePeriod(c.app.regime, id)?.id ?? id;
      continue;
    }
    out.unknown.push(tok);
  }
  return out;
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

async function startReport(c: CommandContext, args: string): Promise<OutMessage[]> {
  const all = await candidates(c);
  const a = parseTargetArgs(c, args);
  if (a.unit && !memberOf(c, a.unit.code)) return [{ text: vi.report.notYourUnit(a.unit.name) }];
  if (a.unknown.length && !a.unit && !a.periodId) return [{ text: vi.report.badTarget(args) }];
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

function nextPeriod(c: CommandContext, unit: Unit): ReportingPeriod | undefined {
  const kinds = new Set(kindsForUnit(c.app.regime, unit).map((k) => k.id));
  const y = zoneNow(c).year;
  return [y, y + 1]
    .flatMap((year) => periodsOfYear(c.app.regime, year))
    .filter((p) => kinds.has(p.kind) && p.opensAt.toMillis() > c.now.getTime())
    .sort((a, b) => a.opensAt.toMillis() - b.opensAt.toMillis())[0];
}

function stateWords(c: CommandContext, s: ReportState | null): string {
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
async function currentTarget(c: CommandContext): Promise<Target | OutMessage[]> {
  if (c.flow?.id === REPORT_FLOW) {
    const s = c.flow.state as ReportFlowState;
    return { unitCode: s.unitCode, periodId: s.periodId };
  }
  const last = c.memory.lastReport as Target | undefined;
  if (last && memberOf(c, last.unitCode)) return last;
  const all = await candidates(c);
  const pending = all.filter((x) => x.pending);
  if (pending.length === 1) return pending[0];
  if (all.length === 1) return all[0];
  return startReport(c, '');
}

// ---------------------------------------------------------------------------------------------
// Commands

async function cmdContinue(c: CommandContext): Promise<OutMessage[]> {
  if (c.flow?.id === PICK_FLOW) return startReport(c, '');
  const t = await currentTarget(c);
  if (Array.isArray(t)) return t;
  if (c.flow?.id !== REPORT_FLOW) return openReport(c, t);
  const r = await loadReport(c, t);
  if (Array.isArray(r)) return r;
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const st = c.flow.state as ReportFlowState;
  const notice = await syncFormVersion(c, r);
  const done = completion(r.form, r.answers);
  const res =
    st.mode === 'confirm'
      ? confirmPrompt(c, r, st, notice)
      : promptNext(c, r, { ...st, asking: undefined }, [...notice, vi.report.resumed(r.title, done.answered, done.total, deadlineWords(r.period))], { heading: true });
  setFlow(c, res);
  return res.messages;
}

/** The report the person is working on (or the only one they can), remembered for the next turns. */
async function currentReport(c: CommandContext): Promise<Report | OutMessage[]> {
  const t = await currentTarget(c);
  if (Array.isArray(t)) return t;
  const r = await loadReport(c, t);
  if (Array.isArray(r)) return r;
  remember(c, r.ids);
  return r;
}

async function cmdReview(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  return reviewPage(c, r, 0);
}

/** A page of `xem lại`: the last one says what to do next. */
function reviewPage(c: CommandContext, r: Report, page: number, before: string[] = [], st?: ReportFlowState | null): OutMessage[] {
  const s = summaryPage(r, summaryPages(c, r), page);
  rememberPage(c, r, s, false, st);
  const text = [...before, ...(before.length ? [''] : []), s.text].join('\n');
  if (s.more) return [{ text, table: s.table, choices: [{ value: vi.report.moreWord, label: vi.report.moreLabel }] }];
  const broken = brokenRules(r.form, r.answers);
  const next = r.closed ? r.closed : nextQuestion(r.form, r.answers) ? vi.report.afterReviewIncomplete : broken.length ? vi.report.afterReviewBroken(refNumber(broken[0].whole)) : vi.report.afterReviewComplete;
  return [{ text: `${text}\n\n${next}`, table: s.table }];
}

/** `tiếp`: the next page of the summary just shown; otherwise the same as `tiếp tục`. */
async function cmdMore(c: CommandContext): Promise<OutMessage[]> {
  const p = c.memory[SUMMARY_PAGER] as SummaryPager | undefined;
  const live = p && p.flow === flowMark(c) && c.now.getTime() - p.at < SUMMARY_PAGER_MS;
  if (!p || !live || c.args.trim()) return cmdContinue(c);
  const r = await loadReport(c, p);
  if (Array.isArray(r)) return r;
  if (!p.confirm) return reviewPage(c, r, p.page + 1);
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const res = confirmPrompt(c, r, c.flow?.state as ReportFlowState, [], p.page + 1);
  setFlow(c, res);
  return res.messages;
}

/** `nhiệm vụ [mục]`: the duty of the section being answered (or of the section named), then the pending question again. */
async function cmdDuty(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  const st = c.flow?.id === REPORT_FLOW ? (c.flow.state as ReportFlowState) : undefined;
  const mine = st && st.unitCode === r.unit.code && st.periodId === r.period.id ? st : undefined;
  const asking = mine?.asking ? refOf(r.form, mine.asking) : undefined;
  const arg = c.args.trim();
  const target = arg ? findTarget(r.form, arg) : undefined;
  if (arg && !target) return [{ text: vi.report.dutyNotFound(arg, sectionList(r)) }];
  const si = target?.section ?? asking?.sectionIndex ?? nextQuestion(r.form, r.answers)?.sectionIndex ?? 0;
  const s = r.form.sections[si];
  const duty = vi.report.duty(vi.answer.sectionProgress(si + 1, r.form.sections.length), s.title, vi.answer.dutyText(s.text));
  if (mine && asking) return ask(c, r, mine, asking, [duty], { brief: true, heading: false, current: mine.mode === 'review' }).messages;
  if (mine?.mode === 'confirm') return [{ text: `${duty}\n\n${vi.report.confirmAgain}`, choices: [{ value: vi.report.yesWord, label: vi.report.yesLabel }, { value: vi.report.noWord, label: vi.report.noLabel }] }];
  return [{ text: `${duty}\n\n${r.closed ?? vi.report.dutyFooter}` }];
}

async function cmdEdit(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  if (r.closed) return [{ text: r.closed }];
  return edit(c, r, c.args);
}

function sectionList(r: Report): string {
  return r.form.sections.map((s, i) => `  ${i + 1}. ${s.title}`).join('\n');
}

function edit(c: CommandContext, r: Report, arg: string): OutMessage[] {
  if (!arg.trim()) return [{ text: vi.report.editHow(sectionList(r)) }];
  const target = findTarget(r.form, arg);
  if (!target) return [{ text: vi.report.editNotFound(arg, sectionList(r)) }];
  const s = r.form.sections[target.section];
  const rel = relevantSet(s, r.answers);
  const queue = target.key ? [target.key] : s.questions.filter((q) => q.type !== 'note' && rel.has(q.key)).map((q) => q.key);
  if (target.key && !rel.has(target.key)) return [{ text: vi.report.editNotRelevant(refLabel(r, target.key)) }];
  // One question: no section heading (the duty is for going over a section, or `nhiệm vụ`).
  const res = promptNext(c, r, editState(c, r, queue), [target.key ? vi.report.editQuestion(refLabel(r, target.key)) : vi.report.editSection(target.section + 1, s.title)], target.key ? { heading: false } : {});
  setFlow(c, res);
  return res.messages;
}

/**
 * An edit goes over `keys`, then returns to where the person was: the rest of the questions they
 * were going over (a section edit, a reviewer's list) or the question they were on; else the
 * confirmation, or the summary they had declined to submit, they came from. Outside the report's
 * flow (e.g. after submitting) it carries on: unanswered questions, then the confirmation.
 */
function editState(c: CommandContext, r: Report, keys: string[]): ReportFlowState {
  const prev = c.flow?.id === REPORT_FLOW ? (c.flow.state as ReportFlowState) : undefined;
  const here = prev && prev.unitCode === r.unit.code && prev.periodId === r.period.id ? prev : undefined;
  const after = here?.mode === 'review' ? (here.queue ?? []) : here?.mode === 'answer' && here.asking ? [here.asking] : [];
  const returnTo = here?.mode === 'confirm' ? 'confirm' : here?.mode === 'answer' && !here.asking ? 'summary' : here?.returnTo;
  return { ...r.ids, mode: 'review', queue: [...keys, ...after.filter((k) => !keys.includes(k))], returnTo };
}

/** "9", "2.99", "mục 3", "câu 2.1": what names an item of the report (found or not), not prose. */
function namesAnItem(arg: string): boolean {
  return /^(?:(?:muc|phan|cau)\s*)?\d+(?:\s*[.,/]\s*(?:cau\s*)?\d+)?$/.test(fold(arg));
}

async function cmdSubmit(c: CommandContext): Promise<OutMessage[]> {
  const r = await currentReport(c);
  if (Array.isArray(r)) return r;
  if (r.closed) {
    c.endFlow();
    return [{ text: r.closed }];
  }
  const st = (c.flow?.id === REPORT_FLOW ? c.flow.state : { ...r.ids, mode: 'answer' }) as ReportFlowState;
  const sameReport = st.unitCode === r.unit.code && st.periodId === r.period.id;
  const missing = missingRequired(r.form, r.answers);
  if (missing.length) {
    const res = ask(c, r, { ...r.ids, mode: 'answer' }, missing[0], [vi.report.missingBeforeSubmit(missing.map((m) => `${m.sectionIndex + 1}.${m.number} ${m.question.label}`))]);
    setFlow(c, res);
    return res.messages;
  }
  const refusal = refuseBrokenRules(c, r, { ...r.ids, mode: 'answer' }, []);
  if (refusal) {
    setFlow(c, refusal);
    return refusal.messages;
  }
  if (sameReport && st.mode === 'confirm') return submit(c, r);
  const rel = relevantAnswers(r.form, r.answers);
  if (r.latest && sameAnswers(rel, r.latest.answers) && (r.state?.status === 'submitted' || r.state?.status === 'approved')) {
    return [{ text: vi.report.noChanges(r.latest.revision, time(c, r.latest.submittedAt)) }];
  }
  const res = confirmPrompt(c, r, { ...r.ids, mode: 'confirm' }, []);
  setFlow(c, res);
  return res.messages;
}

async function submit(c: CommandContext, r: Report): Promise<OutMessage[]> {
  const now = c.now.getTime();
  const { submission, state } = await submitReport(c.app.store, {
    unitCode: r.unit.code,
    periodId: r.period.id,
    formVersion: r.form.version,
    answers: relevantAnswers(r.form, r.answers),
    submittedAt: now,
    submittedBy: c.actor.userKey,
    channel: c.actor.event.channel,
    late: isLate(r.period, c.now),
  });
  c.endFlow();
  const timeliness = submission.revision === 1 ? (state.late ? 'late' : undefined) : submission.late ? (state.late ? 'stillLate' : 'stillOnTime') : undefined;
  return [{ text: vi.report.submitted(r.title, submission.revision, time(c, now), timeliness, deadlineWords(r.period), localDate(r.period.locksAt)) }];
}

async function cmdCancel(c: CommandContext): Promise<OutMessage[]> {
  if (!c.flow) return [{ text: vi.report.nothingToCancel }];
  const wasReport = c.flow.id === REPORT_FLOW;
  c.endFlow();
  return [{ text: wasReport ? vi.report.paused : vi.report.cancelledOther }];
}

async function cmdStatus(c: CommandContext): Promise<OutMessage[]> {
  const lines: string[] = [vi.report.statusTitle(formatInstant(zoneNow(c)))];
  const rows: string[][] = [];
  const all = await candidates(c);
  for (const m of c.actor.memberships) {
    const unit = findUnit(c.app.regime, m.unitCode);
    if (!unit) continue;
    lines.push('', `${unit.name}${m.role === 'coordinator' ? vi.report.coordinatorTag : ''}`);
    const mine = all.filter((x) => x.unitCode === unit.code).sort((a, b) => a.period.deadline.toMillis() - b.period.deadline.toMillis());
    if (!kindsForUnit(c.app.regime, unit).length) {
      lines.push(vi.report.unitFilesNothing);
      continue;
    }
    if (!mine.length) {
      const next = nextPeriod(c, unit);
      lines.push(next ? vi.report.statusNone(next.name, localDate(next.opensAt)) : vi.report.nothingOpen);
    }
    for (const x of mine) {
      const draft = await c.app.store.getDraft(x.unitCode, x.periodId);
      const form = buildForm(c.app.regime, x.unitCode, x.period.kind) as FormDefinition;
      const answers = draft ? currentAnswers(form, draft.answers) : {};
      const done = completion(form, answers);
      const when = dueWords(c, x.period);
      let st = stateWords(c, x.state);
      if (!x.state || x.state.revision === 0 || x.state.status === 'needs_correction' || x.state.status === 'reopened')
        st += `; ${vi.report.progressWords(done.answered, done.total, done.missingRequired)}`;
      lines.push(vi.report.statusLine(x.period.name, deadlineWords(x.period), when, st));
      rows.push([unit.shortName, x.period.name, `${deadlineWords(x.period)} (${when})`, st]);
    }
  }
  if (!c.actor.memberships.length) return [{ text: vi.report.statusNotEnrolled(coordinatorUnit(c.app.regime)) }];
  lines.push('', vi.report.statusFooter);
  return [{ text: lines.join('\n'), table: { title: vi.report.statusTableTitle, columns: vi.report.statusColumns, rows } }];
}

function dueWords(c: CommandContext, p: ReportingPeriod): string {
  const now = zoneNow(c);
  const ms = p.deadline.toMillis() - c.now.getTime();
  if (ms > 0) {
    const days = Math.floor(p.deadline.diff(now, 'days').days);
    return days >= 1 ? vi.report.daysLeft(days) : vi.report.lessThanADay;
  }
  return vi.report.overdue(Math.floor(now.diff(p.deadline, 'days').days));
}

async function cmdReopen(c: CommandContext): Promise<OutMessage[]> {
  const a = parseTargetArgs(c, c.args);
  if (!a.unit || !a.periodId || a.unknown.length) return [{ text: vi.report.reopenUsage }];
  const period = makePeriod(c.app.regime, a.periodId);
  if (!period || !kindsForUnit(c.app.regime, a.unit).some((k) => k.id === period.kind)) return [{ text: vi.report.noSuchReport(a.unit.name, a.periodId) }];
  const title = `${period.name} · ${a.unit.name}`;
  const r = await act(
    c.app.store,
    { unitCode: a.unit.code, periodId: period.id },
    { type: 'reopen', by: c.actor.userKey, at: c.now.getTime() },
    { userKey: c.actor.userKey, channel: c.actor.event.channel },
  );
  if (!r.ok) return [{ text: r.reason === 'already_reopened' ? vi.report.alreadyReopened(title) : vi.report.reopenChanged(title) }];
  return [{ text: vi.report.reopened(title, r.state.revision) }];
}

// ---------------------------------------------------------------------------------------------
// Flows

/** The words after a command's name, e.g. "3.2" in "sửa 3.2" ("chỉnh sửa" has two words). */
function argsAfter(text: string, names: string[]): string | undefined {
  const f = fold(text);
  const name = names.filter((n) => f.startsWith(`${n} `)).sort((x, y) => y.length - x.length)[0];
  return name === undefined ? undefined : text.trim().split(/\s+/).slice(name.split(' ').length).join(' ');
}

/**
 * True while a text question is asked: its answer may begin with a command word ("Báo cáo kết
 * quả…", "Xem xét…"), so the router hands it here unless it is exactly a command's name. Any other
 * question (figures, dates, choices) and the confirmation let commands win (router/router.ts).
 */
function asksFreeText(c: CommandContext, raw: Record<string, unknown>): boolean {
  const st = raw as ReportFlowState;
  if (st.mode === 'confirm' || !st.asking) return false;
  const period = makePeriod(c.app.regime, st.periodId);
  const form = period ? buildForm(c.app.regime, st.unitCode, period.kind) : undefined;
  return form ? refOf(form, st.asking)?.question.type === 'text' : false;
}

/**
 * Input while a report is open. Commands reach it only as the answer to a text question (see
 * asksFreeText); there the flow still hands over (startFlow/endFlow) when the input is
 * "sửa <mục>" naming an item (an unknown one is refused with the list of sections) or
 * "báo cáo <đơn vị> <kỳ>" with an argument that makes sense; otherwise the input answers the
 * question last asked (a text answer may well begin with "báo cáo…" or "sửa chữa…").
 * "nhiệm vụ <số mục>" shows that section's duty and keeps the question.
 */
async function onReportInput(c: CommandContext, raw: Record<string, unknown>): Promise<FlowResult> {
  const st = raw as ReportFlowState;
  const text = c.args;
  const editArg = argsAfter(text, ['sua', 'chinh sua', 'edit']);
  if (editArg !== undefined) {
    const r0 = await loadReport(c, st);
    if (!Array.isArray(r0) && (findTarget(r0.form, editArg) || namesAnItem(editArg))) {
      if (r0.closed) {
        c.endFlow();
        return { messages: [{ text: r0.closed }], state: null };
      }
      // An edit that starts moves the flow itself; one refused (unknown or skipped item) leaves it as it was.
      return { messages: edit(c, r0, editArg), state: st };
    }
  }
  // "nhiệm vụ 3": another section's duty; the question asked stays the same.
  const dutyArg = argsAfter(text, ['nhiem vu', 'duty']);
  if (dutyArg !== undefined && /^\d+$/.test(dutyArg)) return { messages: await cmdDuty({ ...c, args: dutyArg }), state: st };
  const reportArg = argsAfter(text, ['bao cao', 'report']);
  if (reportArg !== undefined) {
    const a = parseTargetArgs(c, reportArg);
    if ((a.unit || a.periodId) && !a.unknown.length) {
      c.endFlow();
      return { messages: await startReport(c, reportArg), state: null };
    }
  }

  const r = await loadReport(c, st);
  if (Array.isArray(r)) return { messages: r, state: null };
  if (r.closed) return { messages: [{ text: r.closed }], state: null };

  if (st.mode === 'confirm') {
    if (isYes(text)) {
      const missing = missingRequired(r.form, r.answers);
      if (missing.length) return ask(c, r, { ...st, mode: 'answer' }, missing[0], [vi.report.missingBeforeSubmit(missing.map((m) => `${m.sectionIndex + 1}.${m.number} ${m.question.label}`))]);
      const refusal = refuseBrokenRules(c, r, st, []);
      if (refusal) return refusal;
      return { messages: await submit(c, r), state: null };
    }
    if (isNo(text)) return { messages: [{ text: vi.report.notSubmittedYet }], state: { ...st, mode: 'answer', asking: undefined } };
    return { messages: [{ text: vi.report.confirmAgain, choices: [{ value: vi.report.yesWord, label: vi.report.yesLabel }, { value: vi.report.noWord, label: vi.report.noLabel }] }], state: st };
  }

  // The regime may have changed since the last prompt: say so (answers are kept per question).
  const notice = await syncFormVersion(c, r);
  const ref = st.asking ? refOf(r.form, st.asking) : undefined;
  if (!ref || !relevantSet(ref.section, r.answers).has(ref.question.key)) {
    if (!notice.length && !st.asking && st.mode === 'answer' && !nextQuestion(r.form, r.answers)) return { messages: [{ text: vi.report.nothingAsked }], state: st };
    return promptNext(c, r, { ...st, asking: undefined }, notice, { heading: true });
  }
  const q = ref.question;
  const dequeue = (x: ReportFlowState): ReportFlowState => withoutQueued(x, q.key);
  const held = await answerHeldFigure(c, r, st, ref, notice);
  if (held) return held;
  if (st.mode === 'review' && isKeep(text) && q.key in r.answers)
    return promptNext(c, r, dequeue(st), [...notice, vi.report.kept(q.label, displayValue(c.app.regime, q, r.answers[q.key]))]);
  const v = validate(r.env, ref.section, q, text, r.answers);
  if (!v.ok) return ask(c, r, st, ref, [...notice, vi.report.invalid(v.error)], { current: st.mode === 'review', brief: true });
  const unusual = await holdUnusualFigure(c, r, st, ref, v.value, notice);
  if (unusual) return unusual;
  await save(c, r, { [q.key]: v.value });
  return promptNext(c, r, dequeue(st), [...notice, vi.report.accepted(q.label, displayValue(c.app.regime, q, v.value))]);
}

function withoutQueued(st: ReportFlowState, key: string): ReportFlowState {
  return st.mode === 'review' ? { ...st, queue: (st.queue ?? []).filter((k) => k !== key) } : st;
}

// ---------------------------------------------------------------------------------------------
// Unusual figures: confirmed before they are stored

/** What the unit last submitted for the previous period of the same kind (2026-H1 for 2027-H1), by answer key. */
async function previousAnswers(c: CommandContext, r: Report): Promise<Record<string, AnswerValue>> {
  const id = previousPeriodId(r.period.id);
  const prev = id ? await c.app.store.latestSubmission(r.unit.code, id) : null;
  return prev?.answers ?? {};
}

/**
 * A valid figure far from the previous period's (or outside the question's soft bounds) is not
 * stored: the person is asked "Đúng không?" and the figure is held in the flow state. Typing the
 * same figure again confirms it, and so does the figure already stored (an edit that keeps it).
 * Undefined when the figure can be stored now.
 */
async function holdUnusualFigure(c: CommandContext, r: Report, st: ReportFlowState, ref: QuestionRef, value: AnswerValue, before: string[]): Promise<FlowResult | undefined> {
  const q = ref.question;
  // Typed again after the warning, or the figure already stored: confirmed.
  if (typeof value !== 'number' || (st.pending?.key === q.key && st.pending.value === value) || r.answers[q.key] === value) return undefined;
  const warning = unusualFigure(c.app.regime, q, value, (await previousAnswers(c, r))[q.key]);
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
async function answerHeldFigure(c: CommandContext, r: Report, st: ReportFlowState, ref: QuestionRef, notice: string[]): Promise<FlowResult | undefined> {
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
async function holdUnusualFigures(
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
  const prev = await previousAnswers(c, r);
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

async function onPickInput(c: CommandContext, state: Record<string, unknown>): Promise<FlowResult> {
  const options = (state.options ?? []) as Target[];
  const f = fold(c.args);
  const n = /^\d+$/.test(f) ? Number(f) : NaN;
  let args: string | undefined;
  // `báo cáo BA-BE 2027-06` (a choice's button) and every other command reach the router's command first.
  if (n >= 1 && n <= options.length) args = `${options[n - 1].unitCode} ${options[n - 1].periodId}`;
  else {
    const a = parseTargetArgs(c, c.args);
    if ((a.unit || a.periodId) && !a.unknown.length) args = c.args;
  }
  if (args === undefined) return { messages: [{ text: vi.report.pickAgain(options.length) }], state };
  c.endFlow();
  return { messages: await startReport(c, args), state: null };
}

// ---------------------------------------------------------------------------------------------
// Form channels: a whole section submitted at once

const FormSubmissionSchema = z.object({
  dondoc: z.literal('section'),
  unitCode: z.string().min(1).max(64),
  periodId: z.string().min(1).max(16),
  sectionId: z.string().min(1).max(64),
  answers: z
    .record(z.string().max(200), z.union([z.string().max(20_000), z.number(), z.boolean(), z.null()]))
    .refine((a) => Object.keys(a).length <= 200, vi.report.tooManyAnswers),
  confirmed: z
    .record(z.string().max(200), z.string().max(100))
    .refine((a) => Object.keys(a).length <= 200, vi.report.tooManyConfirmations)
    .optional(),
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

async function onSectionSubmission(c: CommandContext, value: Record<string, unknown>): Promise<OutMessage[]> {
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
  const working: Answers = { ...r.answers };
  const updates: Record<string, AnswerValue> = {};
  const errors: Record<string, string> = {};
  const raws: Record<string, string> = {};
  const typed: Record<string, string> = {};
  for (const q of section.questions) {
    if (q.type === 'note' || !relevantSet(section, working).has(q.key)) continue;
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
  refuseRuleBreakers(c, r, updates, errors, raws, typed);
  const unusual = await holdUnusualFigures(c, r, updates, sub.confirmed ?? {}, raws);
  if (Object.keys(updates).length) await save(c, r, updates);
  const errorKeys = Object.keys(errors);
  const heldKeys = Object.keys(unusual);
  if (errorKeys.length || heldKeys.length) {
    const saved = Object.keys(updates).length;
    const list = errorKeys.map((k) => `• ${refLabel(r, k)}: ${errors[k]}`);
    const held = heldKeys.length ? [vi.report.sectionUnusual(saved, heldKeys.length, errorKeys.length > 0), ...heldKeys.map((k) => `• ${refLabel(r, k)}: ${unusual[k].warning}`), vi.report.sectionConfirmHow] : [];
    const text = [...notice, ...(errorKeys.length ? [vi.report.sectionErrors(saved, errorKeys.length), ...list] : []), ...held].join('\n');
    const firstRef = refOf(r.form, errorKeys[0] ?? heldKeys[0]) as QuestionRef;
    // A single held figure and nothing else wrong: typing "có" confirms it as in a text channel.
    const pending = !errorKeys.length && heldKeys.length === 1 ? { key: heldKeys[0], value: unusual[heldKeys[0]].value } : undefined;
    void c.startFlow(REPORT_FLOW, { ...r.ids, mode: 'answer', asking: firstRef.question.key, ...(pending ? { pending } : {}) });
    return [{ text, form: sectionView(r.env, r.ids, sectionIndex, r.answers, { errors, raw: raws, unusual }) }];
  }
  const res = promptNext(c, r, { ...r.ids, mode: 'answer', asking: undefined }, [...notice, vi.report.sectionSaved(sectionIndex + 1, section.title, Object.keys(updates).length)]);
  setFlow(c, res);
  return res.messages;
}

// ---------------------------------------------------------------------------------------------
// Registration

export const reportCommands: ChatCommand[] = [
  { id: 'report.start', names: ['bao cao', 'lam bao cao', 'bat dau', 'report', 'start'], access: 'member', help: vi.report.help.start, run: (c) => startReport(c, c.args) },
  { id: 'report.continue', names: ['tiep tuc', 'continue', 'resume'], access: 'member', help: vi.report.help.continue, run: cmdContinue },
  { id: 'report.more', names: ['tiep', 'xem tiep', 'more'], access: 'member', help: vi.report.help.more, run: cmdMore },
  { id: 'report.review', names: ['xem lai', 'xem', 'tom tat', 'review', 'summary'], access: 'member', help: vi.report.help.review, run: cmdReview },
  { id: 'report.duty', names: ['nhiem vu', 'xem nhiem vu', 'duty'], access: 'member', help: vi.report.help.duty, run: cmdDuty },
  { id: 'report.edit', names: ['sua', 'chinh sua', 'edit'], access: 'member', help: vi.report.help.edit, run: cmdEdit },
  { id: 'report.submit', names: ['nop', 'nop bao cao', 'gui bao cao', 'submit'], access: 'member', help: vi.report.help.submit, run: cmdSubmit },
  { id: 'report.cancel', names: ['huy', 'huy bo', 'thoat', 'cancel', 'stop', 'quit'], access: 'public', help: vi.report.help.cancel, run: cmdCancel },
  { id: 'report.status', names: ['trang thai', 'tinh hinh', 'status'], access: 'member', help: vi.report.help.status, run: cmdStatus },
  { id: 'report.reopen', names: ['mo lai', 'reopen'], access: 'coordinator', help: vi.report.help.reopen, run: cmdReopen },
];

export const reportFlows: ChatFlow[] = [
  { id: REPORT_FLOW, access: 'member', onInput: onReportInput, takesFreeText: asksFreeText },
  { id: PICK_FLOW, access: 'member', onInput: onPickInput },
];

export const reportValueHandlers: ValueHandler[] = [
  { id: 'report.section', access: 'member', matches: (v) => v.dondoc === 'section', run: onSectionSubmission },
];
