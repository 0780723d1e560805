/**
 * Which questions of a section are asked only under a condition on other answers (the regime's
 * skip logic), for cards (see RenderOptions.conditional in cards.ts). Read from the regime's form
 * for the section's unit and report kind; cached per unit and kind.
 */
import type { FormView } from '../../core/message.js';
import { parsePeriodId } from '../../regime/periods.js';
import { buildForm } from '../../regime/regime.js';
import type { ReportRegime } from '../../regime/regime-schema.js';

export function conditionalQuestions(regime: ReportRegime): (form: FormView) => ReadonlySet<string> {
  const cache = new Map<string, ReadonlySet<string>>();
  return (form) => {
    const kind = parsePeriodId(form.periodId)?.kind;
    if (!kind) return new Set();
    const id = `${form.unitCode}|${kind}`;
    let keys = cache.get(id);
    if (!keys) {
      const def = buildForm(regime, form.unitCode, kind);
      keys = new Set(def?.sections.flatMap((s) => s.questions.filter((q) => q.relevant).map((q) => q.key)) ?? []);
      cache.set(id, keys);
    }
    return keys;
  };
}
