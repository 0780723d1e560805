/**
 * Last period's answers (issue 18), below the dialog: which answers of an earlier submission a
 * form may offer again (services/drafts.ts `reusableAnswers`), the mark a copy carries
 * (`setAnswers` … `copiedFrom`), and the previous submission kept in memory per store
 * (services/previous.ts).
 */
import { describe, expect, it } from 'vitest';
import { previousShown, type FormEnv } from '../../forms/form-engine.js';
import { ManualClock } from '../../lib/clock.js';
import { makePeriod } from '../../regime/periods.js';
import { DEFAULT_REGIME_FILE } from '../../lib/paths.js';
import { buildForm, loadRegimeFile, type FormDefinition } from '../../regime/regime.js';
import { copiedKeys, formQuestions, reusableAnswers, setAnswers } from '../../services/drafts.js';
import { forgetPrevious, keptPrevious, previousSubmission, PREVIOUS_SWEEP_ABOVE, PREVIOUS_TTL_MS } from '../../services/previous.js';
import type { AnswerRecord, Submission } from '../../store/records.js';
import type { Repositories } from '../../store/repositories.js';

const loaded = loadRegimeFile(DEFAULT_REGIME_FILE);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const form = buildForm(loaded.regime, 'BA-BE', 'M') as FormDefinition;

const may = (over: Partial<Submission> = {}): Submission => ({
  _id: 'BA-BE|2027-05|1',
  unitCode: 'BA-BE',
  periodId: '2027-05',
  revision: 1,
  formVersion: form.version,
  answers: { 'd3/status': 'dang_thuc_hien', 'd3/si_participants_district': 1234, 'd3/proposals': null, 'd9/gone': 5 },
  submittedAt: 0,
  submittedBy: 'zalo:x',
  channel: 'zalo',
  late: false,
  ...over,
});

describe('which previous answers a form offers again', () => {
  it('questions with the same hash; never a skipped answer nor a question the form no longer has', () => {
    expect(reusableAnswers(form, may({ formQuestions: formQuestions(form) }))).toEqual({ 'd3/status': 'dang_thuc_hien', 'd3/si_participants_district': 1234 });
    const changed = { ...formQuestions(form), 'd3/si_participants_district': 'changed' };
    expect(reusableAnswers(form, may({ formQuestions: changed }))).toEqual({ 'd3/status': 'dang_thuc_hien' });
  });

  it('a submission stored before it recorded hashes: only when it answered this very form version', () => {
    expect(reusableAnswers(form, may())).toEqual({ 'd3/status': 'dang_thuc_hien', 'd3/si_participants_district': 1234 });
    expect(reusableAnswers(form, may({ formVersion: 'another' }))).toEqual({});
  });

  it('worked out once per submission and form (the submission is kept in memory), frozen, and shown as from a plain copy', () => {
    const s = may({ formQuestions: formQuestions(form) });
    const once = reusableAnswers(form, s);
    expect(reusableAnswers(form, s)).toBe(once);
    expect(Object.isFrozen(once)).toBe(true);
    expect(reusableAnswers(buildForm(loaded.regime, 'BA-BE', 'H1') as FormDefinition, s)).not.toBe(once);
    const env = (previous: Record<string, unknown>): FormEnv => ({ regime: loaded.regime, form, periodEnd: makePeriod(loaded.regime, '2027-06')!.dataTo, previous: previous as FormEnv['previous'] });
    const questions = form.sections.flatMap((x) => x.questions);
    for (let turn = 0; turn < 2; turn++) for (const q of questions) expect(previousShown(env(once), q)).toBe(previousShown(env({ ...once }), q));
    expect(
      previousShown(
        env(once),
        questions.find((q) => q.key === 'd3/si_participants_district')!,
      ),
    ).toMatch(/^1\.234/);
  });

  it('a copy is stored marked with its period; an answer typed again loses the mark', () => {
    const answers: Record<string, AnswerRecord> = {};
    setAnswers(form, { 'd3/status': 'dang_thuc_hien', 'd3/si_participants_district': 1234 }, 1, 'zalo:x', '2027-05')(answers);
    expect(answers['d3/status']).toMatchObject({ value: 'dang_thuc_hien', copiedFrom: '2027-05', hash: formQuestions(form)['d3/status'] });
    expect(copiedKeys(answers)).toEqual(new Set(['d3/status', 'd3/si_participants_district']));
    setAnswers(form, { 'd3/si_participants_district': 1234 }, 2, 'zalo:x')(answers);
    expect(answers['d3/si_participants_district'].copiedFrom).toBeUndefined();
    expect(copiedKeys(answers)).toEqual(new Set(['d3/status']));
  });
});

describe('the previous submission, kept in memory per store', () => {
  /** A store whose only method here counts its reads. */
  function counting(sub: Submission | null) {
    const reads: string[] = [];
    const store = {
      latestSubmission: (unitCode: string, periodId: string) => {
        reads.push(`${unitCode}|${periodId}`);
        return Promise.resolve(sub);
      },
    } as unknown as Repositories;
    return { store, reads };
  }

  it('reads the period before (same kind) once within the TTL, absent ones too; again after it, or once forgotten', async () => {
    const clock = new ManualClock(Date.parse('2027-06-16T09:00:00+07:00'));
    const { store, reads } = counting(null);
    const app = { store, clock };
    expect(await previousSubmission(app, 'BA-BE', '2027-06')).toBeNull();
    expect(await previousSubmission(app, 'BA-BE', '2027-06')).toBeNull();
    expect(reads).toEqual(['BA-BE|2027-05']);
    await previousSubmission(app, 'BA-BE', '2027-01');
    await previousSubmission(app, 'BHXH', '2027-H1');
    expect(reads).toEqual(['BA-BE|2027-05', 'BA-BE|2026-12', 'BHXH|2026-H1']);
    clock.advance(PREVIOUS_TTL_MS);
    await previousSubmission(app, 'BA-BE', '2027-06');
    expect(reads.filter((r) => r === 'BA-BE|2027-05')).toHaveLength(2);
    // A revision of May submitted in this process: June reads May afresh at once.
    forgetPrevious(store, 'BA-BE', '2027-05');
    await previousSubmission(app, 'BA-BE', '2027-06');
    expect(reads.filter((r) => r === 'BA-BE|2027-05')).toHaveLength(3);
    // Another store (another test, another database): its own memory.
    const other = counting(may());
    expect(await previousSubmission({ store: other.store, clock }, 'BA-BE', '2027-06')).toMatchObject({ periodId: '2027-05' });
    expect(other.reads).toEqual(['BA-BE|2027-05']);
    expect(await previousSubmission(app, 'BA-BE', 'bogus')).toBeNull();
  });

  it('keeps only recent ones once it holds many: the expired are dropped before the next is kept', async () => {
    const clock = new ManualClock(Date.parse('2027-06-16T09:00:00+07:00'));
    const { store } = counting(null);
    const app = { store, clock };
    for (let i = 0; i < PREVIOUS_SWEEP_ABOVE; i++) await previousSubmission(app, `U${i}`, '2027-06');
    expect(keptPrevious(store)).toBe(PREVIOUS_SWEEP_ABOVE);
    clock.advance(PREVIOUS_TTL_MS - 1);
    await previousSubmission(app, 'FRESH', '2027-06');
    expect(keptPrevious(store)).toBe(PREVIOUS_SWEEP_ABOVE + 1);
    clock.advance(1);
    await previousSubmission(app, 'LAST', '2027-06');
    // The first thousand expired; FRESH (kept 1 ms later) and LAST remain.
    expect(keptPrevious(store)).toBe(2);
  });
});
