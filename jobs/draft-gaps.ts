/**
 * What a unit's draft still lacks, for reminders and digests: the relevant required questions not
 * answered yet, grouped by section (with the form engine's own relevance and answer rules).
 */
import { completion, currentAnswers, missingRequired } from '../forms/form-engine.js';
import type { FormDefinition } from '../regime/regime.js';
import type { Draft } from '../store/records.js';

export interface DraftGaps {
  started: boolean;
  /** Relevant questions answered / relevant questions (notes excluded). */
  answered: number;
  total: number;
  sectionsTotal: number;
  /** Sections with required questions still unanswered, in form order. */
  incomplete: Array<{ id: string; title: string; missing: number }>;
}

export function draftGaps(form: FormDefinition, draft: Draft | null): DraftGaps {
  const answers = currentAnswers(form, draft?.answers ?? {});
  const { answered, total } = completion(form, answers);
  const bySection = new Map<string, { id: string; title: string; missing: number }>();
  for (const ref of missingRequired(form, answers)) {
    const s = bySection.get(ref.section.id) ?? { id: ref.section.id, title: ref.section.title, missing: 0 };
    s.missing++;
    bySection.set(ref.section.id, s);
  }
  return { started: Object.keys(answers).length > 0, answered, total, sectionsTotal: form.sections.length, incomplete: [...bySection.values()] };
}
