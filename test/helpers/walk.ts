/**
 * Drives a report through the bot core the way a person does: reads the progress line of each
 * prompt ("Mục 3/8 · câu 2/5"), works out which question is asked from the form, and types an
 * answer. Records what was asked and what the stored value should be, so tests can compare the
 * submission with what was typed.
 */
import { expect } from 'vitest';
import type { OutMessage } from '../../core/message.js';
import { buildForm, type FormDefinition, type FormQuestion } from '../../regime/regime.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import type { AnswerValue } from '../../store/records.js';
import { defaultAnswer, questionAskedIn, type Typed } from './answers.js';
import type { Person } from './bot.js';

export { defaultAnswer, type Typed } from './answers.js';

/** The question a reply asks (the last progress line in it), if any. */
export function askedQuestion(form: FormDefinition, replies: OutMessage[]): FormQuestion | undefined {
  return questionAskedIn(form, replies.map((m) => m.text).join('\n'));
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
