/**
 * What a person reads and types while filling a report, without any test framework (the
 * conversation tests' walk.ts and the benchmarks share it): which question a prompt asks, from
 * its progress line ("Mục 3/8 · câu 2/5"), and a plausible answer to it.
 */
import type { FormDefinition, FormQuestion } from '../../regime/regime.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import type { AnswerValue } from '../../store/records.js';

export interface Typed {
  /** What to type. */
  input: string;
  /** The value the store should then hold. */
  value: AnswerValue;
}

const PROGRESS = /Mục (\d+)\/(\d+) · câu (\d+)\/(\d+)/g;

/** The question a prompt's text asks (its last progress line), if any. */
export function questionAskedIn(form: FormDefinition, text: string): FormQuestion | undefined {
  const all = [...text.matchAll(PROGRESS)];
  const m = all[all.length - 1];
  if (!m) return undefined;
  const s = form.sections[Number(m[1]) - 1];
  return s?.questions.filter((q) => q.type !== 'note')[Number(m[3]) - 1];
}

/** A plausible answer for any question, in Vietnamese input style, with the value it stands for. */
export function defaultAnswer(regime: ReportRegime, q: FormQuestion): Typed {
  const choices = q.choices ? regime.choiceLists[q.choices] : [];
  switch (q.type) {
    case 'select_one':
      return q.name === 'status' ? { input: 'Đang thực hiện', value: 'dang_thuc_hien' } : { input: '1', value: choices[0].name };
    case 'select_multiple':
      return { input: '1, 3', value: [choices[0].name, choices[2].name] };
    case 'integer':
      return { input: '1.234', value: 1234 };
    case 'decimal':
      return { input: '1.234,5', value: 1234.5 };
    case 'percent':
      return { input: '45,5%', value: 45.5 };
    case 'date':
      return { input: '01/06/2027', value: '2027-06-01' };
    default:
      return { input: `Nội dung cho ${q.key}`, value: `Nội dung cho ${q.key}` };
  }
}
