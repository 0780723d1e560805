/**
 * forms/form-engine.ts currentAnswers walks a draft's own keys (issue 15) instead of looking up
 * each question's key in it: the same answers, in form order, as the plain lookup it replaced
 * (kept here as the reference), on many drafts of the real regime's forms (fast-check): answers
 * under the current hash or an old one, keys of other forms, nothing at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currentAnswers, type Answers } from '../../forms/form-engine.js';
import { buildForm, type FormDefinition } from '../../regime/regime.js';
import type { AnswerRecord } from '../../store/records.js';
import { defaultRegime } from '../helpers/bot.js';

function reference(form: FormDefinition, records: Record<string, AnswerRecord>): Answers {
  const out: Answers = {};
  for (const s of form.sections)
    for (const q of s.questions) {
      const r = records[q.key];
      if (r && r.hash === q.hash) out[q.key] = r.value;
    }
  return out;
}

const regime = defaultRegime();
const forms = [buildForm(regime, 'BA-BE', 'H1'), buildForm(regime, 'BA-BE', 'M')].filter((f): f is FormDefinition => f !== undefined);

describe('currentAnswers', () => {
  it('gives the answers the plain lookup gives, in form order', () => {
    const form = forms[0];
    const keys = form.sections.flatMap((s) => s.questions.map((q) => ({ key: q.key, hash: q.hash })));
    const record = fc.record({ value: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 })), current: fc.boolean() });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.record({ key: fc.string(), hash: fc.string() })), record), { maxLength: 60 }),
        fc.integer({ min: 0, max: forms.length - 1 }),
        (entries, f) => {
          const records: Record<string, AnswerRecord> = {};
          for (const [{ key, hash }, r] of entries) records[key] = { value: r.value, at: 1, by: 'x', hash: r.current ? hash : `old-${hash}` };
          const got = currentAnswers(forms[f], JSON.parse(JSON.stringify(records)) as Record<string, AnswerRecord>);
          const want = reference(forms[f], records);
          expect(got).toEqual(want);
          expect(Object.keys(got)).toEqual(Object.keys(want));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
