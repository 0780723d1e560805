/**
 * Drafts of a unit's report: every accepted answer is written here before the bot replies.
 * Writes are optimistic (the draft's version): on a conflict the draft is read again and the
 * change re-applied, so two focal points of one unit never lose each other's answers.
 */
import type { FormDefinition } from '../regime/regime.js';
import type { AnswerRecord, AnswerValue, Draft, Submission } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';

export class DraftConflictError extends Error {
  constructor(id: string) {
    super(`draft ${id}: too many concurrent writes`);
  }
}

const questionsOf = new WeakMap<FormDefinition, Readonly<Record<string, string>>>();

/**
 * Question key → question hash of a form (its notes left out). Made once per form (forms are
 * built once per regime) and frozen: every draft written under the form shares it.
 */
export function formQuestions(form: FormDefinition): Readonly<Record<string, string>> {
  let q = questionsOf.get(form);
  if (!q) {
    q = Object.freeze(Object.fromEntries(form.sections.flatMap((s) => s.questions.filter((x) => x.type !== 'note').map((x) => [x.key, x.hash]))));
    questionsOf.set(form, q);
  }
  return q;
}

/** A copy of a draft's answers that `mutate` may change freely (cheaper than structuredClone, which Node 20 runs through its messaging serialiser). */
function copyAnswers(answers: Record<string, AnswerRecord>): Record<string, AnswerRecord> {
  const out: Record<string, AnswerRecord> = {};
  // for-in over a draft's own keys (plain objects: nothing inherited is enumerable), not Object.entries: no array per answer.
  for (const k in answers) {
    const r = answers[k];
    out[k] = { ...r, value: Array.isArray(r.value) ? [...r.value] : r.value };
  }
  return out;
}

/**
 * Reads the draft (or starts one), applies `mutate` to its answers, and saves it under the given
 * form; retried on a version conflict. Returns the stored draft. `current`: the draft as the caller
 * has just read it (null: none yet), used for the first attempt instead of reading it again; a
 * stale one only costs a conflict, after which the draft is read afresh.
 */
export async function updateDraft(
  store: Repositories,
  a: { unitCode: string; periodId: string; form: FormDefinition; now: number; by: string; current?: Draft | null },
  mutate: (answers: Record<string, AnswerRecord>) => void,
): Promise<Draft> {
  const id = store.draftId(a.unitCode, a.periodId);
  for (let attempt = 0; attempt < 20; attempt++) {
    const prev = attempt === 0 && a.current !== undefined ? a.current : await store.getDraft(a.unitCode, a.periodId);
    const answers = copyAnswers(prev?.answers ?? {});
    mutate(answers);
    const next: Draft = {
      _id: id,
      _v: prev?._v ?? 0,
      unitCode: a.unitCode,
      periodId: a.periodId,
      formVersion: a.form.version,
      formQuestions: formQuestions(a.form),
      answers,
      startedAt: prev?.startedAt ?? a.now,
      updatedAt: a.now,
      updatedBy: a.by,
    };
    const saved = await store.saveDraft(next);
    if (saved) return saved;
  }
  throw new DraftConflictError(id);
}

/**
 * Stores answers (already validated) under the current question hashes. `copiedFrom`: they are
 * the previous period's answers taken over unchanged (AnswerRecord.copiedFrom); otherwise an
 * answer typed again loses that mark.
 */
export function setAnswers(form: FormDefinition, values: Record<string, AnswerValue>, at: number, by: string, copiedFrom?: string) {
  const hashes = formQuestions(form);
  return (answers: Record<string, AnswerRecord>) => {
    for (const [key, value] of Object.entries(values)) answers[key] = { value, at, by, hash: hashes[key], ...(copiedFrom ? { copiedFrom } : {}) };
  };
}

/** The keys of `answers` (a draft's) that hold the previous period's answer copied unchanged. */
export function copiedKeys(answers: Record<string, AnswerRecord>): Set<string> {
  return new Set(Object.keys(answers).filter((k) => answers[k].copiedFrom));
}

/**
 * The answers of an earlier submission that `form` may offer again: those whose question is
 * unchanged since (same question hash, from the submission's `formQuestions`; for a submission
 * stored before it recorded them, only when it answered this very form version), skipped ones
 * (null) left out.
 */
export function reusableAnswers(form: FormDefinition, s: Submission): Record<string, AnswerValue> {
  // Worked out once per submission and form, frozen: the previous submission is kept in memory
  // (services/previous.ts) and every answer turn of the period asks again.
  const kept = reusable.get(s);
  if (kept?.form === form) return kept.answers;
  const hashes = formQuestions(form);
  const same = (key: string) => (s.formQuestions ? s.formQuestions[key] === hashes[key] : s.formVersion === form.version && key in hashes);
  const answers = Object.freeze(Object.fromEntries(Object.entries(s.answers).filter(([k, v]) => v !== null && k in hashes && same(k))));
  reusable.set(s, { form, answers });
  return answers;
}
const reusable = new WeakMap<Submission, { form: FormDefinition; answers: Readonly<Record<string, AnswerValue>> }>();

/** A draft seeded from a submission (e.g. when a reviewer asks for corrections and no draft is left). */
export function seedFromSubmission(form: FormDefinition, s: Submission) {
  const hashes = formQuestions(form);
  const sameForm = s.formVersion === form.version;
  return (answers: Record<string, AnswerRecord>) => {
    for (const [key, value] of Object.entries(s.answers)) if (hashes[key]) answers[key] = { value, at: s.submittedAt, by: s.submittedBy, hash: sameForm ? hashes[key] : `submitted:${s.formVersion}` };
  };
}

/** Stable comparison of two answer sets. */
export function sameAnswers(a: Record<string, AnswerValue>, b: Record<string, AnswerValue>): boolean {
  const norm = (x: Record<string, AnswerValue>) =>
    JSON.stringify(
      Object.keys(x)
        .sort()
        .map((k) => [k, x[k]]),
    );
  return norm(a) === norm(b);
}
