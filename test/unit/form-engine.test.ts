/**
 * The form engine on its own (pure): skip logic with every condition form, constraints, progress,
 * next question, section views and targets for "sửa".
 */
import { describe, expect, it } from 'vitest';
import {
  answerLines,
  becauseOf,
  brokenRules,
  completion,
  findTarget,
  missingRequired,
  nextQuestion,
  numberOf,
  progress,
  questionPrompt,
  refOf,
  relevantAnswers,
  relevantSet,
  sectionView,
  validate,
  type Answers,
  type FormEnv,
} from '../../forms/form-engine.js';
import { makePeriod } from '../../regime/periods.js';
import { buildForm, parseRegime, type FormDefinition } from '../../regime/regime.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { defaultRegime } from '../helpers/bot.js';

function regimeWithSurvey(): ReportRegime {
  const r = structuredClone(defaultRegime()) as ReportRegime;
  const ctk = r.units.find((u) => u.code === 'CTK');
  ctk?.duties[0].questions.push(
    { name: 'has_survey', type: 'select_one', label: 'Có điều tra không', choices: 'yes_no', required: true },
    {
      name: 'survey_count',
      type: 'integer',
      label: 'Số cuộc điều tra',
      required: true,
      relevant: { question: 'has_survey', op: 'eq', value: 'co' },
      constraint: { min: 1, max: 50, message: 'Từ 1 đến 50 cuộc.' },
    },
    {
      name: 'survey_big',
      type: 'text',
      label: 'Vì sao nhiều cuộc',
      required: false,
      relevant: {
        all: [
          { question: 'survey_count', op: 'gt', value: 10 },
          {
            any: [
              { question: 'has_survey', op: 'in', value: ['co'] },
              { question: 'population', op: 'answered' },
            ],
          },
        ],
      },
      constraint: { minLength: 5, message: 'Ít nhất 5 ký tự.' },
    },
    { name: 'channels', type: 'select_multiple', label: 'Kênh', choices: 'communication_channels', required: false, relevant: { question: 'has_survey', op: 'not_in', value: ['khong'] } },
    { name: 'surveys_done', type: 'integer', label: 'Số cuộc đã xong', required: false, constraint: { lteQuestion: 'survey_count', message: 'Không quá số cuộc điều tra.' } },
  );
  const parsed = parseRegime(r);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.regime;
}

describe('form engine', () => {
  const regime = regimeWithSurvey();
  const form = buildForm(regime, 'CTK', 'Y') as FormDefinition;
  const period = makePeriod(regime, '2027-Y');
  if (!period) throw new Error('no period');
  const env: FormEnv = { regime, form, periodEnd: period.dataTo };
  const s = form.sections[0];
  const k = (n: string) => `d1/${n}`;

  it('evaluates eq, gt, in, not_in, answered, all and any; an irrelevant answer counts as empty', () => {
    let a: Answers = { [k('status')]: 'dang_thuc_hien' };
    let rel = relevantSet(s, a);
    expect(rel.has(k('survey_count'))).toBe(false);
    expect(rel.has(k('channels'))).toBe(true); // not_in on an unanswered question
    a = { ...a, [k('has_survey')]: 'co', [k('survey_count')]: 12 };
    rel = relevantSet(s, a);
    expect(rel.has(k('survey_count'))).toBe(true);
    expect(rel.has(k('survey_big'))).toBe(true);
    a = { ...a, [k('survey_count')]: 3 };
    expect(relevantSet(s, a).has(k('survey_big'))).toBe(false);
    // has_survey = khong: survey_count is irrelevant, so survey_big (which depends on it) is too, even with a stale count.
    a = { ...a, [k('has_survey')]: 'khong', [k('survey_count')]: 40 };
    rel = relevantSet(s, a);
    expect([rel.has(k('survey_count')), rel.has(k('survey_big')), rel.has(k('channels'))]).toEqual([false, false, false]);
    expect(Object.keys(relevantAnswers(form, a))).not.toContain(k('survey_count'));
  });

  it('asks the first relevant unanswered question, counts completion and missing required answers', () => {
    const a: Answers = { [k('status')]: 'hoan_thanh', [k('results')]: 'x', [k('has_survey')]: 'co' };
    const next = nextQuestion(form, a);
    expect(next?.question.key).toBe(k('labour_force_working_age'));
    expect(progress(form, next as NonNullable<typeof next>)).toBe(`Mục 1/1 · câu 3/${s.questions.filter((q) => q.type !== 'note').length}`);
    expect(missingRequired(form, a).map((m) => m.question.key)).toEqual([k('labour_force_working_age'), k('population_past_retirement_age'), k('survey_count')]);
    const c = completion(form, a);
    expect(c.answered).toBe(3);
    expect(c.missingRequired).toBe(3);
  });

  it('validates constraints and says what is expected', () => {
    const q = (n: string) => s.questions.find((x) => x.name === n) as (typeof s.questions)[number];
    expect(validate(env, s, q('survey_count'), '0', {})).toEqual({ ok: false, error: 'Từ 1 đến 50 cuộc.' });
    expect(validate(env, s, q('survey_count'), '51', {})).toEqual({ ok: false, error: 'Từ 1 đến 50 cuộc.' });
    expect(validate(env, s, q('survey_count'), '12 cuộc', {})).toEqual({ ok: true, value: 12 });
    expect(validate(env, s, q('survey_count'), 'bỏ qua', {})).toMatchObject({ ok: false });
    expect(validate(env, s, q('survey_big'), 'abc', {})).toEqual({ ok: false, error: 'Ít nhất 5 ký tự.' });
    expect(validate(env, s, q('survey_big'), 'bỏ qua', {})).toEqual({ ok: true, value: null });
    expect(validate(env, s, q('statistics_reference_date'), '15/12/2027', {})).toMatchObject({ ok: false, error: expect.stringMatching(/Ngày cuối của kỳ báo cáo: 14\/12\/2027/) });
    expect(validate(env, s, q('statistics_reference_date'), '14/12/2027', {})).toEqual({ ok: true, value: '2027-12-14' });
    expect(validate(env, s, q('channels'), '2, 5', {})).toEqual({ ok: true, value: ['bao_dien_tu', 'mang_xa_hoi'] });
    expect(validate(env, s, q('population'), '12%', {})).toMatchObject({ ok: false, error: expect.stringMatching(/Cần một số nguyên/) });
    expect(validate(env, s, q('population'), '1,234', {})).toMatchObject({ ok: false, error: expect.stringMatching(/dấu phẩy là dấu thập phân/) });
  });

  it('renders a prompt with numbered choices and the whole section as a form', () => {
    const a: Answers = { [k('status')]: 'dang_thuc_hien', [k('labour_force_working_age')]: 178400 };
    const ref = nextQuestion(form, a);
    if (!ref) throw new Error('complete?');
    const m = questionPrompt(env, { unitCode: 'CTK', periodId: '2027-Y' }, ref, a);
    expect(m.text).toMatch(/Kết quả đã thực hiện — bắt buộc/);
    const view = sectionView(env, { unitCode: 'CTK', periodId: '2027-Y' }, 0, a, { errors: { [k('population')]: 'sai' }, raw: { [k('population')]: 'abc' } });
    expect(view.fields.find((f) => f.key === k('labour_force_working_age'))?.value).toBe('178.400');
    expect(view.fields.find((f) => f.key === k('population'))).toMatchObject({ value: 'abc', error: 'sai' });
    expect(view.fields.find((f) => f.key === k('statistics_note'))?.type).toBe('note');
    // Numbered as `xem lại` and `sửa` number them; a question that does not apply is there, said so, with why.
    const num = (n: string) => numberOf(refOf(form, k(n)) as NonNullable<ReturnType<typeof refOf>>);
    expect(view.fields.find((f) => f.key === k('labour_force_working_age'))?.number).toBe('1.3');
    expect(view.fields.find((f) => f.key === k('statistics_note'))?.number).toBeUndefined();
    expect(view.fields.find((f) => f.key === k('survey_count'))).toEqual({
      key: k('survey_count'),
      number: num('survey_count'),
      label: 'Số cuộc điều tra',
      type: 'integer',
      required: false,
      notApplicable: `Không áp dụng (vì câu ${num('has_survey')} chưa trả lời)`,
    });
    expect(view.progress).toBe(`Mục 1/1 · ${view.fields.filter((f) => f.type !== 'note' && !f.notApplicable).length} câu`);
    // The commands of a chat as buttons; the first section has no section before it.
    expect(view.actions).toEqual([
      { value: 'xem lại', label: 'Xem lại' },
      { value: 'hủy', label: 'Tạm dừng' },
    ]);
  });

  it('says why a question does not apply, and lists it so in the summary, numbered without a gap', () => {
    const a: Answers = { [k('status')]: 'chua_trien_khai', [k('has_survey')]: 'co', [k('survey_count')]: 3 };
    const num = (n: string) => numberOf(refOf(form, k(n)) as NonNullable<ReturnType<typeof refOf>>);
    const q = (n: string) => s.questions.find((x) => x.name === n) as (typeof s.questions)[number];
    expect(becauseOf(regime, 0, s, q('results'), a)).toBe(`vì câu 1.1 là "Chưa triển khai"`);
    // A compound condition names every question it reads, as it reads them.
    expect(becauseOf(regime, 0, s, q('survey_big'), a)).toBe(`vì câu ${num('population')} chưa trả lời, câu ${num('has_survey')} là "Có", câu ${num('survey_count')} là "3"`);
    expect(becauseOf(regime, 0, s, q('status'), a)).toBeUndefined();
    const blank = { ...a, [k('population')]: null };
    expect(becauseOf(regime, 0, s, q('survey_big'), blank)).toMatch(new RegExp(`câu ${num('population').replace('.', '\\.')} để trống`));

    const lines = answerLines(regime, form, a);
    const all = s.questions.filter((x) => x.type !== 'note');
    expect(lines.rows.map((r) => r[0])).toEqual(all.map((_, i) => `1.${i + 1}`));
    expect(lines.rows.find((r) => r[0] === '1.2')).toEqual(['1.2', 'Kết quả đã thực hiện', 'Không áp dụng (vì câu 1.1 là "Chưa triển khai")']);
    expect(lines.sections[0]).toContain('  1.2 Kết quả đã thực hiện: Không áp dụng (vì câu 1.1 là "Chưa triển khai")');
    expect(lines.groups).toEqual([{ before: 0, title: `Mục 1. ${s.title}` }]);
    const c = completion(form, a);
    expect(c.notApplicable).toBe(all.length - c.total);
    expect(c.notApplicable).toBeGreaterThan(1);
  });

  it('says, as data, what leads the question (for a form channel) and which fields are conditional', () => {
    const a: Answers = { [k('status')]: 'dang_thuc_hien', [k('has_survey')]: 'co' };
    const ref = nextQuestion(form, a);
    if (!ref) throw new Error('complete?');
    const ids = { unitCode: 'CTK', periodId: '2027-Y' };
    const m = questionPrompt(env, ids, ref, a, { before: ['✓ Đã lưu — Tình hình triển khai nhiệm vụ: Đang thực hiện'], context: 'Báo cáo năm 2027 · Cục Thống kê tỉnh', heading: true });
    expect(m.lead).toBe('✓ Đã lưu — Tình hình triển khai nhiệm vụ: Đang thực hiện\n\nBáo cáo năm 2027 · Cục Thống kê tỉnh');
    // The question follows the lead in the text, beginning with its progress.
    expect(m.text.slice(m.lead!.length).trimStart().startsWith(progress(form, ref))).toBe(true);
    // Asked again after a refusal: only the lines before lead it.
    expect(questionPrompt(env, ids, ref, a, { before: ['⚠ Cần một số nguyên.'], brief: true }).lead).toBe('⚠ Cần một số nguyên.');
    expect(questionPrompt(env, ids, ref, a).lead).toBe('');
    // The form carries each conditional question's condition, the others none.
    const fields = new Map(m.form!.fields.map((f) => [f.key, f]));
    expect(fields.get(k('survey_count'))?.relevant).toEqual({ question: 'has_survey', op: 'eq', value: 'co' });
    expect(fields.get(k('results'))?.relevant).toEqual({ question: 'status', op: 'neq', value: 'chua_trien_khai' });
    expect(fields.get(k('status'))?.relevant).toBeUndefined();
  });

  it('finds what "sửa" names: a section, a question by number, id or words', () => {
    expect(findTarget(form, '1')).toEqual({ section: 0 });
    expect(findTarget(form, '1.3')).toEqual({ section: 0, key: k('labour_force_working_age') });
    expect(findTarget(form, 'mục 1 câu 3')).toEqual({ section: 0, key: k('labour_force_working_age') });
    expect(findTarget(form, 'd1/population')).toEqual({ section: 0, key: k('population') });
    expect(findTarget(form, 'so cuoc dieu tra')).toEqual({ section: 0, key: k('survey_count') });
    expect(findTarget(form, '2')).toBeUndefined();
    expect(findTarget(form, '1.99')).toBeUndefined();
  });

  it('checks a cross-field rule from either side, and only the rules a change breaks', () => {
    const q = (n: string) => s.questions.find((x) => x.name === n) as (typeof s.questions)[number];
    // has_survey = khong: survey_count is irrelevant, so the rule reading it holds whatever it says.
    const a: Answers = { [k('status')]: 'dang_thuc_hien', [k('has_survey')]: 'khong', [k('survey_count')]: 3, [k('surveys_done')]: 5 };
    expect(brokenRules(form, a)).toEqual([]);
    const num = (name: string) => `1.${s.questions.filter((x) => x.type !== 'note').findIndex((x) => x.name === name) + 1}`;
    const [done, count] = [num('surveys_done'), num('survey_count')];
    // Making survey_count relevant again would break the rule with its stale answer: refused, both named.
    const v = validate(env, s, q('has_survey'), 'có', a);
    expect(v).toEqual({ ok: false, error: `Không quá số cuộc điều tra. Câu ${done} "Số cuộc đã xong" ghi 5, lớn hơn câu ${count} "Số cuộc điều tra" ghi 3.` });
    const b: Answers = { ...a, [k('has_survey')]: 'co' };
    expect(brokenRules(form, b).map((r) => [r.part.question.key, r.partValue, r.whole.question.key, r.wholeValue])).toEqual([[k('surveys_done'), 5, k('survey_count'), 3]]);
    // Already broken: a change to either side must mend it; a change elsewhere is not held up by it.
    expect(validate(env, s, q('survey_count'), '4', b)).toMatchObject({
      ok: false,
      error: expect.stringContaining(`Câu ${done} "Số cuộc đã xong" đang là 5, lớn hơn 4. Nếu 4 là đúng, hãy sửa câu ${done} trước: gõ "sửa ${done}"`),
    });
    expect(validate(env, s, q('survey_count'), '5', b)).toEqual({ ok: true, value: 5 });
    expect(validate(env, s, q('surveys_done'), '6', b)).toMatchObject({
      ok: false,
      error: expect.stringContaining(`Câu ${count} "Số cuộc điều tra" đang là 3; nếu số này chưa đúng, gõ "sửa ${count}"`),
    });
    expect(validate(env, s, q('surveys_done'), '3', b)).toEqual({ ok: true, value: 3 });
    expect(validate(env, s, q('population'), '320.000', b)).toEqual({ ok: true, value: 320000 });
  });

  it('Ba Bể 2026-12: lowering the total 1.3 below its "of which" 1.4 is refused, naming 1.4 and its value', () => {
    const f = buildForm(regime, 'BA-BE', 'M') as FormDefinition;
    const p = makePeriod(regime, '2026-12');
    if (!p) throw new Error('no period');
    const e: FormEnv = { regime, form: f, periodEnd: p.dataTo };
    const d3 = f.sections[0];
    const a: Answers = { 'd3/status': 'dang_thuc_hien', 'd3/results': 'x', 'd3/si_participants_district': 12345, 'd3/vsi_participants_district': 2104 };
    const si = d3.questions.find((x) => x.key === 'd3/si_participants_district') as (typeof d3.questions)[number];
    expect(validate(e, d3, si, '2.000', a)).toEqual({
      ok: false,
      error:
        'Số người tham gia BHXH tự nguyện phải không âm và không lớn hơn tổng số người tham gia BHXH. Câu 1.4 "Trong đó: số người tham gia BHXH tự nguyện" đang là 2.104 người, lớn hơn 2.000 người. Nếu 2.000 người là đúng, hãy sửa câu 1.4 trước: gõ "sửa 1.4", rồi sửa lại câu này.',
    });
    expect(validate(e, d3, si, '2.104', a)).toEqual({ ok: true, value: 2104 });
  });
});
