/**
 * Drives a report through the bot core the way a person does: reads the progress line of each
 * prompt ("Mục 3/8 · câu 2/5"), works out which question is asked from the form, and types an
 * answer. Records what was asked and what the stored value should be, so tests can compare the
 * submission with what was typed.
 */
import { expect } from 'vitest';
import type { OutMessage } from '../../bot/message.js';
import { buildForm, type FormDefinition, type FormQuestion } from '../../reporting/regime.js';
import type { ReportRegime } from '../../reporting/regime-schema.js';
import type { AnswerValue } from '../../store/records.js';
import type { Person } from './bot.js';

export interface Typed {
  /** What to type. */
  input: string;
  /** The value the store should then hold. */
  value: AnswerValue;
}

const PROGRESS = /Mục (\d+)\/(\d+) · câu (\d+)\/(\d+)/g;

/** The question a reply asks (the last progress line in it), if any. */
export function askedQuestion(form: FormDefinition, replies: OutMessage[]): FormQuestion | undefined {
  const text = replies.map((m) => m.text).join('\n');
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

export interface WalkResult {
  asked: string[];
  expected: Record<string, AnswerValue>;
  last: OutMessage[];
}

/**
 * Answers every question until the bot stops asking (usually: the submit confirmation).
 * `answer(q)` may return a list: all but the last are typed first and must be refused.
 */
export async function walkReport(
  p: Person,
  regime: ReportRegime,
  unitCode: string,
  kind: 'H1' | 'Y' | 'M',
  first: OutMessage[],
  answer: (q: FormQuestion) => Typed | Typed[] | undefined = () => undefined,
): Promise<WalkResult> {
  const form = buildForm(regime, unitCode, kind) as FormDefinition;
  const asked: string[] = [];
  const expected: Record<string, AnswerValue> = {};
  let replies = first;
  for (let guard = 0; guard < 200; guard++) {
    const q = askedQuestion(form, replies);
    if (!q) return { asked, expected, last: replies };
    asked.push(q.key);
    const a = answer(q) ?? defaultAnswer(regime, q);
    const tries = Array.isArray(a) ? a : [a];
    for (const bad of tries.slice(0, -1)) {
      replies = await p.say(bad.input);
      expect(replies[0].text, `"${bad.input}" for ${q.key} should be refused`).toMatch(/^✗ Chưa lưu được/);
      expect(askedQuestion(form, replies)?.key).toBe(q.key);
    }
    const good = tries[tries.length - 1];
    replies = await p.say(good.input);
    expect(replies[0].text, `"${good.input}" for ${q.key} should be accepted`).toMatch(/^✓ Đã lưu/);
    expected[q.key] = good.value;
  }
  throw new Error('walk did not end');
}
