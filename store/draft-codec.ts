/**
 * How a draft is stored: without what its answers already say (issue 15). A draft is read and
 * written whole at every answer, and two of its parts repeated what the answers carry:
 *
 * - `formQuestions` (question key → hash of the form the draft was last worked on): an answer
 *   keeps the hash of the question it answered, which for a draft worked on under its form is
 *   that form's hash. Stored: only the questions whose hash the answers do not give
 *   (`formQuestionsRest`: not answered yet, or answered under another hash) and the answered
 *   keys the form does not ask (`answersOutsideForm`); read back, the map is whole again.
 * - each answer's `by`: nearly always the person who last saved the draft (`updatedBy`). Stored
 *   without it when it is; read back, it is `updatedBy` again.
 *
 * For the 40 answers of a district's six-month report that is about half of the stored JSON
 * (7.3 KB → 3.7 KB in the benchmark), parsed and serialised once each per answer turn, and its
 * pages written to the WAL at each commit. A draft stored before this (full `formQuestions`, a
 * `by` on every answer) is read as it is, and stored this way at its next save. The stored form
 * depends on the whole draft, so drafts are written whole (the drafts' view refuses a partial
 * update), and a query cannot filter on `formQuestions` or an answer's `by`.
 */
import type { AnswerRecord, Draft } from './records.js';

/** A draft as stored (see the file comment). */
export type StoredDraft = Omit<Draft, 'formQuestions' | 'answers'> & {
  answers: Record<string, Omit<AnswerRecord, 'by'> & { by?: string }>;
  /** The form's questions whose hash the answers do not give (present whenever the draft has `formQuestions`). */
  formQuestionsRest?: Record<string, string>;
  /** Answered keys that are not questions of the form. */
  answersOutsideForm?: string[];
  /** Only in drafts stored before this encoding. */
  formQuestions?: Record<string, string>;
};

/** Every field of an answer, listed so that a field added to AnswerRecord fails to compile here until encodeDraft keeps it. */
const ANSWER_FIELDS: Record<keyof AnswerRecord, true> = { value: true, at: true, by: true, hash: true, copiedFrom: true };
void ANSWER_FIELDS;

/**
 * The draft as stored. Built field by field, not with object rest (`{ by, ...kept }`), which V8
 * runs through a slow runtime call: this runs at every answer.
 */
export function encodeDraft(d: Draft): StoredDraft {
  const { formQuestions: fq, answers, ...rest } = d;
  const out: StoredDraft['answers'] = {};
  for (const k in answers) {
    const a = answers[k];
    if (a.by !== d.updatedBy) out[k] = a;
    else if (a.copiedFrom === undefined) out[k] = { value: a.value, at: a.at, hash: a.hash };
    else out[k] = { value: a.value, at: a.at, hash: a.hash, copiedFrom: a.copiedFrom };
  }
  const stored: StoredDraft = { ...rest, answers: out };
  if (fq) {
    // Last in the document, so that decodeDraft removes them cheaply (V8 undoes the last property added).
    const restQ: Record<string, string> = {};
    for (const k in fq) if (!Object.hasOwn(answers, k) || answers[k].hash !== fq[k]) restQ[k] = fq[k];
    stored.formQuestionsRest = restQ;
    const outside: string[] = [];
    for (const k in answers) if (!Object.hasOwn(fq, k)) outside.push(k);
    if (outside.length) stored.answersOutsideForm = outside;
  }
  return stored;
}

/**
 * The draft of a stored one (either encoding). `s` is changed in place and returned: it comes
 * fresh from the store (parsed from its row, or from the driver), and copying the answers cost
 * more than the smaller document saved.
 */
export function decodeDraft(s: StoredDraft): Draft {
  const answers = s.answers;
  for (const k in answers) answers[k].by ??= s.updatedBy;
  const restQ = s.formQuestionsRest;
  if (!restQ) return s as Draft;
  const outside = s.answersOutsideForm;
  delete s.answersOutsideForm;
  delete s.formQuestionsRest;
  const fq: Record<string, string> = {};
  for (const k in answers) if (!outside?.includes(k)) fq[k] = answers[k].hash;
  (s as Draft).formQuestions = Object.assign(fq, restQ);
  return s as Draft;
}
