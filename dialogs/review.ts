/**
 * Review of a submitted report by the coordinator, in chat words: read it (`xem`), and the
 * questions named by the numbers the focal point sees (`cần bổ sung … 1.3, 5.5`). The actions
 * themselves (approve, ask for corrections, reopen, and the focal points' notices) are in
 * services/review.ts, shared with the web console. Internal answer keys never appear in a message.
 */
import type { AppContext } from '../core/context.js';
import type { OutMessage } from '../core/message.js';
import { channelName } from '../services/delivery-words.js';
import { vi } from '../i18n/vi.js';
import { fmtDateTime } from '../reporting/wording.js';
import type { ReportingPeriod } from '../regime/periods.js';
import type { Unit } from '../regime/regime-schema.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import type { ReportReview, ReportState, Submission } from '../store/records.js';
import { answerLines, findTarget, numberedSections, numberOf, refOf } from '../forms/form-engine.js';

type Store = Pick<AppContext, 'store' | 'regime' | 'channels'>;

// ---------------------------------------------------------------------------------------------
// Questions by the focal point's numbers

export interface ResolvedQuestions {
  /** Answer keys, in the order named. */
  keys: string[];
  /** What was named, as the focal point reads it: "1.3 Label", "Mục 2. Title (cả mục)". */
  labels: string[];
  /** What was named, short: "1.3", "mục 2". */
  refs: string[];
  /** Tokens that name no section or question. */
  unknown: string[];
  /** Questions that do not apply given the submitted answers (skipped by the form's logic). */
  notApplicable: string[];
}

const FILLERS = new Set(['muc', 'mục', 'cau', 'câu', 'phan', 'phần', 'va', 'và', 'and']);

/**
 * Turns the reviewer's tokens into answer keys: "1.3" (mục.câu, as the focal point sees it; also
 * "1,3"), "2" (a whole section: its questions that apply given the submitted answers), lists
 * ("1.3,5.5"). The form's own ids are understood too but never shown.
 */
export function resolveQuestions(form: FormDefinition, latest: Submission | null, tokens: string[]): ResolvedQuestions {
  const out: ResolvedQuestions = { keys: [], labels: [], refs: [], unknown: [], notApplicable: [] };
  const answers = latest?.answers ?? {};
  const sections = numberedSections(form, answers);
  const add = (keys: string[], label: string, ref: string) => {
    const fresh = keys.filter((k) => !out.keys.includes(k));
    if (!fresh.length) return;
    out.keys.push(...fresh);
    out.labels.push(label);
    out.refs.push(ref);
  };
  const one = (token: string): boolean => {
    const t = findTarget(form, token);
    if (!t) return false;
    const s = sections[t.section];
    if (t.key === undefined) {
      add(
        s.questions.map((q) => q.question.key),
        vi.review.sectionLabel(t.section + 1, s.section.title),
        vi.review.sectionRef(t.section + 1),
      );
      return true;
    }
    const ref = s.questions.find((q) => q.question.key === t.key);
    if (!ref) {
      const r = refOf(form, t.key);
      out.notApplicable.push(r ? numberOf(r) : token);
      return true;
    }
    add([ref.question.key], `${numberOf(ref)} ${ref.question.label}`, numberOf(ref));
    return true;
  };
  for (const raw of tokens) {
    const token = raw.replace(/^[,.;]+|[,;]+$/g, '').trim();
    if (!token || FILLERS.has(token.toLowerCase())) continue;
    if (one(token)) continue;
    const parts = token.split(',').filter(Boolean);
    if (parts.length > 1 && parts.every((p) => findTarget(form, p))) parts.forEach(one);
    else out.unknown.push(token);
  }
  return out;
}

/**
 * The numbers ("1.3") of the questions with these keys, a section named whole as "mục 2" (keys no
 * longer in the form are left out).
 */
export function questionNumbers(form: FormDefinition, keys: readonly string[]): string[] {
  const named = new Set(keys);
  const out: string[] = [];
  const whole = new Set<number>();
  for (const k of keys) {
    const r = refOf(form, k);
    if (!r) continue;
    const all = r.section.questions.filter((q) => q.type !== 'note');
    if (all.length > 1 && all.every((q) => named.has(q.key))) {
      if (!whole.has(r.sectionIndex)) out.push(vi.review.sectionRef(r.sectionIndex + 1));
      whole.add(r.sectionIndex);
    } else out.push(numberOf(r));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the coordinator reads

/** The review state of a report, in the coordinator's words, with the questions as numbers. */
export function reviewStateText(form: FormDefinition | undefined, st: ReportState, zone: string): string {
  const when = (r: ReportReview) => fmtDateTime(r.at, zone);
  const nums = (r: ReportReview) => (form ? questionNumbers(form, r.questions ?? []) : []);
  switch (st.status) {
    case 'approved':
      return vi.review.viewApproved(st.review?.revision ?? st.revision, st.review ? when(st.review) : '');
    case 'needs_correction':
      return vi.review.viewNeedsCorrection(st.review ? when(st.review) : '', st.review ? nums(st.review) : [], st.review?.comment);
    case 'reopened':
      return vi.review.viewReopened(fmtDateTime(st.updatedAt, zone));
    default: {
      const p = st.previousReview;
      if (p?.status === 'needs_correction') return vi.review.viewResubmittedAfterCorrection(when(p), nums(p));
      if (p?.status === 'approved') return vi.review.viewResubmittedAfterApproval(p.revision ?? st.revision - 1);
      return vi.review.viewAwaiting;
    }
  }
}

/** A person's name as enrolled (or as their channel gave it), else nothing. */
async function nameOf(app: Store, userKey: string, unitCode: string): Promise<string | undefined> {
  const m = await app.store.members.get(`${userKey}|${unitCode}`);
  return m?.displayName ?? (await app.store.contacts.get(userKey))?.displayName ?? undefined;
}

/**
 * A unit's submitted report as the coordinator reads it: submission time, revision, on time or
 * late, review state, then every answer numbered exactly as the focal point's `xem lại` shows it.
 */
export async function submissionView(app: Store, unit: Unit, period: ReportingPeriod): Promise<{ message: OutMessage; state: ReportState | null; latest: Submission | null }> {
  const zone = app.regime.timezone;
  const [state, latest] = await Promise.all([app.store.reportState(unit.code, period.id), app.store.latestSubmission(unit.code, period.id)]);
  const form = buildForm(app.regime, unit.code, period.kind);
  const title = `${period.name} · ${unit.name}`;
  if (!latest || !form) {
    const reopened = state?.status === 'reopened';
    return { message: { text: reopened ? vi.review.viewReopenedUnsubmitted(title) : vi.review.viewNothing(title) }, state, latest };
  }
  const who = await nameOf(app, latest.submittedBy, unit.code);
  const late = state?.late ?? latest.late;
  const first = state && state.firstSubmittedAt && state.revision > 1 ? fmtDateTime(state.firstSubmittedAt, zone) : undefined;
  const marks: Record<string, string> = {};
  if (state?.status === 'needs_correction') for (const k of state.review?.questions ?? []) marks[k] = vi.review.viewCorrectionMark;
  // Answers the focal point submitted as last period's, unchanged (issue 18): the reviewer sees them too.
  for (const k of latest.copied ?? []) marks[k] = `${vi.report.copiedMark}${marks[k] ?? ''}`;
  const body = answerLines(app.regime, form, latest.answers, marks);
  const lines = [
    vi.review.viewTitle(title, latest.revision),
    vi.review.viewSubmitted(fmtDateTime(latest.submittedAt, zone), who, channelName(latest.channel), late, first),
    vi.review.viewState(state ? reviewStateText(form, state, zone) : vi.review.viewAwaiting),
    ...body.sections.flatMap((s) => ['', ...s]),
    '',
    vi.review.viewNext(unit.code, period.id, latest.revision, state?.status ?? 'submitted'),
  ];
  return {
    message: {
      text: lines.join('\n'),
      table: { title: vi.review.viewTableTitle(title, latest.revision), columns: [...vi.review.viewColumns], rows: body.rows, widths: ['auto', 'stretch', 'stretch'], groups: body.groups },
    },
    state,
    latest,
  };
}
