/**
 * Teams rendering (channels/teams/cards.ts): OutMessage → activities and Adaptive Cards, and
 * card submissions back to the FormSubmission the core validates — checked against the core's
 * own parsers so a value typed in a card means the same as the value typed in chat.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldView, FormView } from '../../core/message.js';
import { parseDate, parseNumber } from '../../forms/parse.js';
import {
  bytesOf,
  cardDate,
  cardJsonOf,
  cardNumber,
  dateAnswer,
  formCards,
  MAX_CARD_BYTES,
  numberAnswer,
  parseChoiceSubmission,
  parseSectionSubmission,
  renderAsCards,
  renderMessage,
  SECTION_VERB,
  tableCards,
  textAroundTable,
  toActivities,
  toTeamsMarkdown,
} from '../../channels/teams/cards.js';
import { nextQuestion, questionPrompt, sectionView } from '../../forms/form-engine.js';
import type { AnswerValue } from '../../store/records.js';
import { makePeriod } from '../../regime/periods.js';
import { buildForm, type FormDefinition } from '../../regime/regime.js';
import { defaultRegime } from '../helpers/bot.js';
import { activityText, cardInputs, cardOf, cardText } from '../helpers/teams-fixtures.js';

const choices4 = [
  { value: 'chua_trien_khai', label: 'Chưa triển khai' },
  { value: 'dang_thuc_hien', label: 'Đang thực hiện' },
  { value: 'hoan_thanh', label: 'Đã hoàn thành' },
  { value: 'thuong_xuyen', label: 'Thực hiện thường xuyên' },
];
const choices9 = Array.from({ length: 9 }, (_, i) => ({ value: `k${i}`, label: `Kênh ${i}` }));

const choices11 = Array.from({ length: 11 }, (_, i) => ({ value: `h${i}`, label: `Hình thức ${i}` }));

const fields: FieldView[] = [
  { key: 'd1/status', number: '1.1', label: 'Tình hình triển khai nhiệm vụ', type: 'select_one', required: true, choices: choices4, value: 'hoan_thanh' },
  { key: 'd1/results', number: '1.2', label: 'Kết quả đã thực hiện', type: 'text', required: true, hint: 'Nêu các việc đã làm', value: 'Đã tổ chức 3 hội nghị' },
  { key: 'd1/so_cuoc', number: '1.3', label: 'Số cuộc tuyên truyền', type: 'integer', unitLabel: 'cuộc', required: true, hint: 'Kể cả các cuộc tại cơ sở.', value: '1.234' },
  { key: 'd1/ty_le', number: '1.4', label: 'Tỷ lệ bao phủ', type: 'percent', required: false, value: '12,5%' },
  { key: 'd1/kinh_phi', number: '1.5', label: 'Kinh phí', type: 'decimal', unitLabel: 'triệu đồng', required: false, error: 'Kinh phí không được âm.' },
  { key: 'd1/ngay', number: '1.6', label: 'Ngày ban hành', type: 'date', required: false, value: '05/07/2027' },
  { key: 'd1/kenh', number: '1.7', label: 'Kênh truyền thông', type: 'select_multiple', required: false, choices: choices9, value: 'k1,Kênh 3' },
  { key: 'd1/ghi_chu', label: 'Lưu ý khi điền', type: 'note', required: false, hint: 'Số liệu tính đến ngày chốt.' },
  { key: 'd1/hinh_thuc', number: '1.8', label: 'Hình thức khác', type: 'select_multiple', required: false, choices: choices11 },
  { key: 'd1/ngay_khac', number: '1.9', label: 'Ngày tổ chức', type: 'date', required: false, notApplicable: 'Không áp dụng (vì câu 1.1 là "Chưa triển khai")' },
];

/** The text of the block right before a card element (a field's label or hint). */
const before = (c: any, id: string, back = 1) => cardText(c.body[c.body.findIndex((e: any) => e.id === id) - back]);

const form: FormView = {
  unitCode: 'BHXH',
  periodId: '2027-H1',
  sectionId: 'd1',
  title: 'Tuyên truyền chính sách bảo hiểm xã hội',
  progress: 'Mục 1/5',
  description: 'Nhiệm vụ 1 theo Quyết định 1736/QĐ-UBND.',
  fields,
  submitLabel: 'Lưu và tiếp tục',
};

describe('form section → Adaptive Card', () => {
  const [card] = formCards(form);
  const inputs = cardInputs(card);

  it('is one version 1.5 card with a typed input per answerable field, numbered and labelled above it, in field order', () => {
    expect(formCards(form)).toHaveLength(1);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(Object.keys(inputs)).toEqual(['t:d1/status', 't:d1/results', 'n:d1/so_cuoc', 'n:d1/ty_le', 'n:d1/kinh_phi', 'd:d1/ngay', 't:d1/kenh', 't:d1/hinh_thuc']);
    expect(inputs['n:d1/so_cuoc']).toMatchObject({ type: 'Input.Number', value: 1234 });
    // The label (number, question, unit) then the hint at the size of the text, then the input.
    expect(before(card, 'n:d1/so_cuoc', 2)).toBe('1.3 Số cuộc tuyên truyền (cuộc)\n *');
    expect(before(card, 'n:d1/so_cuoc')).toBe('Kể cả các cuộc tại cơ sở.');
    expect((card.body[card.body.findIndex((e: any) => e.id === 'n:d1/so_cuoc') - 1] as any).inlines[0].size).toBeUndefined();
    expect(before(card, 'n:d1/ty_le')).toBe('1.4 Tỷ lệ bao phủ (%)');
    expect(inputs['n:d1/ty_le']).toMatchObject({ type: 'Input.Number', value: 12.5, min: 0, max: 100 });
    // A date says the order to read it in (Teams shows the box in its own language's order).
    expect(before(card, 'd:d1/ngay')).toBe('1.6 Ngày ban hành (ngày/tháng/năm)');
    expect(inputs['d:d1/ngay']).toMatchObject({ type: 'Input.Date', value: '2027-07-05' });
    // A text box keeps its hint inside.
    expect(inputs['t:d1/results']).toMatchObject({ type: 'Input.Text', isMultiline: true, value: 'Đã tổ chức 3 hội nghị', placeholder: 'Nêu các việc đã làm' });
    expect(inputs['t:d1/status']).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded', isMultiSelect: false, value: 'hoan_thanh' });
    expect(inputs['t:d1/status'].choices).toEqual(choices4.map((c) => ({ title: c.label, value: c.value })));
    // Nine options to tick: all in sight; current values matched by value or label. Eleven: a list.
    expect(inputs['t:d1/kenh']).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded', isMultiSelect: true, value: 'k1,k3' });
    expect(inputs['t:d1/hinh_thuc']).toMatchObject({ type: 'Input.ChoiceSet', style: 'compact', isMultiSelect: true });
    // A question that does not apply: its number, label and why; no input.
    expect(cardText(card)).toContain('1.9 Ngày tổ chức (ngày/tháng/năm): \nKhông áp dụng (vì câu 1.1 là "Chưa triển khai")');
  });

  it('marks required questions in their label; no input is required on the card (the core checks the section and answers beside each field)', () => {
    const conditional: FormView = { ...form, fields: fields.map((f) => (f.key === 'd1/results' ? { ...f, relevant: { question: 'status', op: 'neq', value: 'chua_trien_khai' } } : f)) };
    const [c] = formCards(conditional);
    for (const input of Object.values(cardInputs(c))) expect(input.isRequired).toBeFalsy();
    expect(before(c, 't:d1/status')).toBe('1.1 Tình hình triển khai nhiệm vụ\n *');
    // Asked only under a condition: not marked (the core requires it when it applies).
    expect(before(c, 't:d1/results')).toBe('1.2 Kết quả đã thực hiện');
    expect(before(c, 'n:d1/kinh_phi')).toBe('1.5 Kinh phí (triệu đồng)');
  });

  it('has Vietnamese messages for what the card itself checks, and shows server errors next to their field', () => {
    expect(inputs['n:d1/so_cuoc'].errorMessage).toBe('Vui lòng nhập một số.');
    expect(inputs['n:d1/ty_le'].errorMessage).toBe('Vui lòng nhập một tỷ lệ từ 0 đến 100.');
    const i = card.body.findIndex((e: any) => e.id === 'n:d1/kinh_phi');
    expect(cardText(card.body[i + 1])).toContain('Kinh phí không được âm.');
    expect((card.body[i + 1] as any).inlines[0].color).toBe('Attention');
    // The note is shown, not asked.
    expect(cardText(card)).toContain('Lưu ý khi điền');
    expect(cardText(card)).toContain('Tuyên truyền chính sách bảo hiểm xã hội');
    expect(cardText(card)).toContain('Mục 1/5');
  });

  it("shows the duty's start with a link that shows it whole, and the section's title larger than the text", () => {
    const duty =
      'Tăng cường công tác cải cách hành chính; nâng cao chất lượng đội ngũ cán bộ, viên chức, nâng cao tác phong phục vụ theo hướng phục vụ thân thiện, công khai minh bạch, tạo điều kiện thuận lợi cho người dân và doanh nghiệp.';
    const [c] = formCards({ ...form, description: duty });
    const short = c.body.find((e: any) => e.id === 'duty-short') as any;
    const full = c.body.find((e: any) => e.id === 'duty-full') as any;
    expect(full.isVisible).toBe(false);
    expect(short.isVisible).toBeUndefined();
    expect(cardText(full)).toContain(duty);
    expect(cardText(short).length).toBeLessThan(200);
    expect(cardText(short)).toMatch(/…/);
    const link = short.inlines.at(-1);
    expect(link.text).toBe('Xem nội dung nhiệm vụ');
    expect(link.selectAction).toMatchObject({ type: 'Action.ToggleVisibility', targetElements: ['duty-short', 'duty-full'] });
    expect(full.inlines.at(-1).selectAction).toMatchObject({ type: 'Action.ToggleVisibility', targetElements: ['duty-short', 'duty-full'] });
    // A short duty is shown whole, without a link.
    expect(cardText(card)).toContain('Nhiệm vụ 1 theo Quyết định 1736/QĐ-UBND.');
    expect(card.body.some((e: any) => e.id === 'duty-full')).toBe(false);
    const title = c.body.find((e: any) => cardText(e) === form.title) as any;
    expect(title.inlines[0].size).toBe('Large');
  });

  it('has buttons for the commands a chat would type, which send no input (a required field does not stop them)', () => {
    const nav = [
      { value: 'sửa 1', label: 'Quay lại mục trước' },
      { value: 'xem lại', label: 'Xem lại' },
      { value: 'hủy', label: 'Tạm dừng' },
    ];
    const [c] = formCards({ ...form, actions: nav });
    const buttons = c.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);
    expect(buttons).toEqual(nav.map((n) => ({ type: 'Action.Submit', title: n.label, data: { msteams: { type: 'imBack', value: n.value } }, associatedInputs: 'none' })));
    // The section's submit stays the card's own action, at the bottom.
    expect(c.actions).toHaveLength(1);
  });

  it('submits with Action.Execute (verb, section data) and falls back to Action.Submit with the same data', () => {
    expect(card.actions).toHaveLength(1);
    const exec = card.actions![0] as any;
    const data = { dondoc: 'section', unitCode: 'BHXH', periodId: '2027-H1', sectionId: 'd1' };
    expect(exec).toMatchObject({ type: 'Action.Execute', verb: SECTION_VERB, title: 'Lưu và tiếp tục', data, associatedInputs: 'auto' });
    expect(exec.fallback).toMatchObject({ type: 'Action.Submit', title: 'Lưu và tiếp tục', data });
  });

  it('maps both submit paths back to one FormSubmission (values merged into data by input id)', () => {
    const values = { 't:d1/status': 'dang_thuc_hien', 'n:d1/so_cuoc': 1250, 'n:d1/ty_le': '12.5', 'd:d1/ngay': '2027-02-01', 't:d1/kenh': 'k1,k3', 't:d1/results': 'Xong' };
    const expected = {
      dondoc: 'section',
      unitCode: 'BHXH',
      periodId: '2027-H1',
      sectionId: 'd1',
      answers: { 'd1/status': 'dang_thuc_hien', 'd1/so_cuoc': '1250', 'd1/ty_le': '12,5', 'd1/ngay': '01/02/2027', 'd1/kenh': 'k1,k3', 'd1/results': 'Xong' },
    };
    const exec = card.actions![0] as any;
    // Action.Execute: invoke value.action.data; Action.Submit: message value. Same merge rule.
    expect(parseSectionSubmission({ ...exec.data, ...values })).toEqual(expected);
    expect(parseSectionSubmission({ ...exec.fallback.data, ...values })).toEqual(expected);
    expect(parseSectionSubmission({ formId: 'quarterly-budget', amount: '1250' })).toBeNull();
    expect(parseSectionSubmission({ ...exec.data, 'n:d1/x': { nested: true } })?.answers).toEqual({});
  });

  it('numbers and dates from cards parse in the core to the same values', () => {
    fc.assert(
      // What a person types into Input.Number: up to 12 digits before the point and 6 after.
      fc.property(fc.integer({ min: -999_999_999_999, max: 999_999_999_999 }), fc.integer({ min: 0, max: 999_999 }), (i, f) => {
        const n = Number(`${i}.${String(f).padStart(6, '0')}`);
        const expected = Object.is(n, -0) ? 0 : n;
        const r = parseNumber(numberAnswer(n));
        expect(r.ok && r.value.value).toBe(expected);
        const s = parseNumber(numberAnswer(String(n)));
        expect(s.ok && s.value.value).toBe(expected);
      }),
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01'), max: new Date('2150-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const r = parseDate(dateAnswer(iso));
        expect(r.ok && r.value).toBe(iso);
        expect(cardDate(dateAnswer(iso))).toBe(iso);
      }),
    );
    expect(cardNumber('1.234,5')).toBe(1234.5);
    expect(cardNumber('2,5%')).toBe(2.5);
    expect(cardNumber('-3')).toBe(-3);
    expect(cardNumber('mười')).toBeUndefined();
    expect(numberAnswer(1e21)).toBe('1000000000000000000000');
    expect(numberAnswer(1e-7)).toBe('0,0000001');
  });

  it('splits a long section over several cards under the size budget, each field exactly once', () => {
    const long: FormView = {
      ...form,
      fields: Array.from({ length: 60 }, (_, i) => ({
        key: `d1/q${i}`,
        label: `Câu hỏi số ${i} về kết quả triển khai nhiệm vụ trong kỳ báo cáo`,
        type: 'text' as const,
        required: i % 2 === 0,
        hint: 'Nêu rõ văn bản, hoạt động và kết quả đạt được.',
        value: `Nội dung trả lời dài ${i} `.repeat(60),
      })),
    };
    const cards = formCards(long, 'Bắt đầu báo cáo.');
    expect(cards.length).toBeGreaterThan(1);
    cards.forEach((c, i) => {
      expect(bytesOf(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      // Each part names the fields it holds (an input left empty is not sent) and what it saves.
      const exec = c.actions![0] as any;
      const keys = Object.keys(cardInputs(c)).map((id) => id.slice(2));
      expect(exec.data).toEqual({ dondoc: 'section', unitCode: 'BHXH', periodId: '2027-H1', sectionId: 'd1', fields: keys });
      expect(exec.title).toBe(i + 1 < cards.length ? `Lưu phần ${i + 1}/${cards.length}` : 'Lưu và tiếp tục');
      expect(exec.fallback.data).toEqual(exec.data);
      expect(parseSectionSubmission({ ...exec.data, [`t:${keys[0]}`]: 'x' })).toMatchObject({ fields: keys, answers: { [keys[0]]: 'x' } });
    });
    const ids = cards.flatMap((c) => Object.keys(cardInputs(c)));
    expect(ids).toEqual(long.fields.map((f) => `t:${f.key}`));
    expect(cardText(cards[0])).toContain(`Phần 1/${cards.length}`);
    expect(cardText(cards[0])).toContain('Bắt đầu báo cáo.');
    expect(cardText(cards[cards.length - 1])).toContain(`Phần ${cards.length}/${cards.length}`);
    // Once the first part is saved, the section comes back from the part holding the next question to answer.
    const second = Object.keys(cardInputs(cards[1]))[1].slice(2);
    const again = formCards({ ...long, focus: second }, '✓ Đã lưu phần 1.');
    expect(again).toHaveLength(cards.length - 1);
    expect(cardText(again[0])).toContain(`Phần 2/${cards.length}`);
    expect(cardText(again[0])).toContain('✓ Đã lưu phần 1.');
    expect(Object.keys(cardInputs(again[0]))).toEqual(Object.keys(cardInputs(cards[1])));
  });

  it('renders a form message as cards: the lead of the text on top, the one-question prompt replaced by the section', () => {
    const text = [
      '✓ Đã lưu mục 1. Tuyên truyền (3 câu).',
      '',
      'Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh',
      'Mục 2/5 · câu 1/4 — Kiểm tra, giám sát',
      'Nhiệm vụ: Kiểm tra việc thực hiện chính sách.',
      '',
      'Tình hình triển khai nhiệm vụ — bắt buộc',
      '  1. Chưa triển khai',
      'Trả lời bằng số thứ tự hoặc tên lựa chọn.',
    ].join('\n');
    // The core says what leads the question (form-engine questionPrompt): nothing is parsed here.
    const lead = '✓ Đã lưu mục 1. Tuyên truyền (3 câu).\n\nBáo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh';
    const acts = renderMessage({ text, lead, form, choices: [{ value: 'Chưa triển khai', label: 'Chưa triển khai' }] });
    expect(acts).toHaveLength(1);
    expect(acts[0].text).toBeUndefined();
    expect(acts[0].suggestedActions).toBeUndefined();
    expect(acts[0].summary).toBe('✓ Đã lưu mục 1. Tuyên truyền (3 câu).');
    const c = cardOf(acts[0]);
    expect([c]).toEqual(formCards(form, '✓ Đã lưu mục 1. Tuyên truyền (3 câu).\n\nBáo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh'));
    const shown = cardText(c);
    expect(shown.indexOf('✓ Đã lưu mục 1')).toBeLessThan(shown.indexOf('Tuyên truyền chính sách bảo hiểm xã hội'));
    expect(shown).toContain('Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh');
    expect(shown).not.toContain('Trả lời bằng số thứ tự');
    // A rejected section asks no question (no lead): its whole text (the error summary) leads the card.
    const errors = 'Đã lưu 5 câu; còn 1 câu chưa hợp lệ:\n• Kinh phí: Kinh phí không được âm.';
    expect([cardOf(renderMessage({ text: errors, form })[0])]).toEqual(formCards(form, errors));
    expect(cardText(cardOf(renderMessage({ text: errors, form })[0]))).toContain('còn 1 câu chưa hợp lệ');
  });
});

describe('a field shown again (its elements made once per question, value and state)', () => {
  /** The form with field `i` changed. */
  const withField = (i: number, change: Partial<FieldView>): FormView => ({ ...form, fields: form.fields.map((f, j) => (j === i ? { ...f, ...change } : { ...f })) });

  it('shows what each field holds now, whatever was shown before under the same key and value, and sends the JSON of the card it is', () => {
    const first = formCards(form)[0];
    const views: FormView[] = [
      withField(2, { value: '1.235' }),
      withField(2, { error: 'Số cuộc phải là số nguyên.' }),
      withField(2, { previous: 'Kỳ trước: 1.100 cuộc' }),
      withField(2, { warning: 'Cao gấp 5 lần kỳ trước. Xác nhận?', confirm: { label: 'Đúng', value: '1.234' } }),
      withField(2, { warning: 'Cao gấp 5 lần kỳ trước. Xác nhận?', confirm: { label: 'Đúng', value: '1.000' } }),
      withField(2, { label: 'Số cuộc tuyên truyền đã tổ chức' }),
      withField(0, { choices: choices4.map((c, i) => (i === 3 ? { ...c, label: 'Thường xuyên' } : c)) }),
      withField(1, { relevant: { field: 'status', op: 'eq', value: 'hoan_thanh' } as unknown as FieldView['relevant'] }),
      form,
    ];
    for (const v of views) {
      const [card] = formCards(v);
      // Made afresh (the same shape of object, no element shared): what it shows.
      const fresh = JSON.parse(JSON.stringify(card)) as typeof card;
      expect(cardJsonOf(card)).toBe(JSON.stringify(card));
      expect(card).toEqual(fresh);
    }
    const at = (v: FormView) => cardText(formCards(v)[0]);
    expect(cardInputs(formCards(withField(2, { value: '1.235' }))[0])['n:d1/so_cuoc']).toMatchObject({ value: 1235 });
    expect(at(withField(2, { error: 'Số cuộc phải là số nguyên.' }))).toContain('⚠ Số cuộc phải là số nguyên.');
    expect(at(withField(2, { previous: 'Kỳ trước: 1.100 cuộc' }))).toContain('Kỳ trước: 1.100 cuộc');
    expect(cardInputs(formCards(views[4])[0])['c:d1/so_cuoc']).toMatchObject({ valueOn: '1.000' });
    expect(at(withField(2, { label: 'Số cuộc tuyên truyền đã tổ chức' }))).toContain('1.3 Số cuộc tuyên truyền đã tổ chức (cuộc)');
    expect(cardInputs(formCards(views[6])[0])['t:d1/status'].choices[3]).toEqual({ title: 'Thường xuyên', value: 'thuong_xuyen' });
    // Asked only under a condition: not marked required.
    expect(before(formCards(form)[0], 't:d1/results')).toBe('1.2 Kết quả đã thực hiện\n *');
    expect(before(formCards(views[7])[0], 't:d1/results')).toBe('1.2 Kết quả đã thực hiện');
    // The first view again: the same card, to the byte.
    expect(cardJsonOf(formCards(form)[0])).toBe(JSON.stringify(first));
  });

  it('shares elements that nothing changes (frozen), so one card cannot alter another', () => {
    const [a] = formCards(form);
    const [b] = formCards(withField(2, { value: '7' }));
    const input = (c: typeof a, id: string) => c.body.find((e) => e.id === id);
    expect(input(a, 't:d1/results')).toBe(input(b, 't:d1/results'));
    expect(input(a, 'n:d1/so_cuoc')).not.toBe(input(b, 'n:d1/so_cuoc'));
    expect(Object.isFrozen(input(a, 't:d1/results'))).toBe(true);
  });
});

describe('a question from the form engine → the card (structure, not text)', () => {
  it('leads with what the core says leads the question, shows the whole section numbered, and marks required only the questions asked whatever the answers', () => {
    const regime = defaultRegime();
    const f = buildForm(regime, 'BA-BE', 'M') as FormDefinition;
    const period = makePeriod(regime, '2027-06');
    if (!period) throw new Error('no period');
    const ref = nextQuestion(f, {});
    if (!ref) throw new Error('empty form');
    const m = questionPrompt(
      { regime, form: f, periodEnd: period.dataTo },
      { unitCode: 'BA-BE', periodId: '2027-06' },
      ref,
      {},
      {
        before: ['Bắt đầu báo cáo.'],
        context: 'Báo cáo tháng 06/2027 · UBND huyện Ba Bể',
        heading: true,
      },
    );
    const acts = renderMessage(m);
    expect(acts).toHaveLength(1);
    const c = cardOf(acts[0]);
    const shown = cardText(c);
    expect(shown.indexOf('Bắt đầu báo cáo.')).toBeLessThan(shown.indexOf('Báo cáo tháng 06/2027 · UBND huyện Ba Bể'));
    // The one-question prompt is not on the card; the section is.
    expect(shown).not.toContain(' · câu ');
    expect(shown).toContain(ref.section.title);
    const inputs = cardInputs(c);
    const conditional = ref.section.questions.filter((q) => q.relevant && q.required && q.type !== 'note');
    const plain = ref.section.questions.filter((q) => !q.relevant && q.required && q.type !== 'note');
    expect(conditional.length).toBeGreaterThan(0);
    expect(plain.length).toBeGreaterThan(0);
    const id = (key: string) => Object.keys(inputs).find((i) => i.endsWith(`:${key}`)) as string;
    // Numbered as the summary and `sửa` number them; the required mark only where the card can promise it.
    for (const q of [...conditional, ...plain]) expect(before(c, id(q.key), q.hint && q.type !== 'text' ? 2 : 1), q.key).toMatch(/^1\.\d+ /);
    for (const q of [...conditional, ...plain]) expect(before(c, id(q.key), q.hint && q.type !== 'text' ? 2 : 1), q.key).toContain(q.label);
    for (const q of conditional) expect(before(c, id(q.key), q.hint && q.type !== 'text' ? 2 : 1), q.key).not.toMatch(/\*$/);
    for (const q of plain) expect(before(c, id(q.key), q.hint && q.type !== 'text' ? 2 : 1), q.key).toMatch(/\*$/);
    for (const q of ref.section.questions.filter((x) => x.type !== 'note')) expect(cardText(c)).toContain(`1.${ref.section.questions.filter((x) => x.type !== 'note').indexOf(q) + 1} ${q.label}`);
  });
});

describe('text, choices and tables', () => {
  it('escapes Markdown and keeps every line break', () => {
    const md = toTeamsMarkdown('Mục *1*: d1/so_cuoc\n1. Đã nộp\n- còn thiếu <2> đơn vị');
    expect(md).toBe('Mục \\*1\\*: d1/so\\_cuoc  \n1\\. Đã nộp  \n\\- còn thiếu &lt;2> đơn vị');
    expect(activityText({ text: md })).toBe('Mục *1*: d1/so_cuoc\n1. Đã nộp\n- còn thiếu <2> đơn vị');
  });

  it('up to three choices become suggested actions that post the choice value (imBack)', () => {
    const [a] = renderMessage({
      text: 'Nộp báo cáo?',
      choices: [
        { value: 'có', label: 'Có, nộp' },
        { value: 'không', label: 'Chưa' },
      ],
    });
    expect(a.textFormat).toBe('markdown');
    expect(a.suggestedActions?.actions).toEqual([
      { type: 'imBack', title: 'Có, nộp', value: 'có' },
      { type: 'imBack', title: 'Chưa', value: 'không' },
    ]);
  });

  it('more choices become card buttons, in rows that fit a phone, that post the value as the user’s message', () => {
    const acts = renderMessage({ text: 'Chọn đơn vị', choices: choices9 });
    expect(acts).toHaveLength(2);
    expect(acts[0].suggestedActions).toBeUndefined();
    const card = cardOf(acts[1]);
    const buttons = card.body.flatMap((s: any) => s.actions);
    expect(buttons).toHaveLength(9);
    expect(buttons[3]).toEqual({ type: 'Action.Submit', title: 'Kênh 3', data: { msteams: { type: 'imBack', value: 'k3' } }, associatedInputs: 'none' });
    expect(card.body.length).toBeGreaterThan(2);
    expect(card.body.every((s: any) => s.actions.length <= 4)).toBe(true);
  });

  it('a long list of choices (nineteen units) is a dropdown with one button; long labels a list of radio buttons', () => {
    const units = Array.from({ length: 19 }, (_, i) => ({ value: `báo cáo U${i} 2027-H1`, label: `${i + 1}. Đơn vị số ${i + 1} · Báo cáo 6 tháng đầu năm 2027` }));
    const card = cardOf(renderMessage({ text: 'Chọn báo cáo', choices: units })[1]);
    const list = cardInputs(card).choice;
    expect(list).toMatchObject({ type: 'Input.ChoiceSet', style: 'compact', isRequired: true, label: 'Danh sách lựa chọn' });
    expect(list.choices).toEqual(units.map((u) => ({ title: u.label, value: u.value })));
    const send = card.body.flatMap((e: any) => e.actions ?? []);
    expect(send).toEqual([{ type: 'Action.Submit', title: 'Chọn', data: { dondoc: 'choice' }, associatedInputs: 'auto', style: 'positive' }]);
    // What Teams sends back (the data with the input's value merged in) is the words of the choice.
    expect(parseChoiceSubmission({ ...send[0].data, choice: units[4].value })).toBe('báo cáo U4 2027-H1');
    expect(parseChoiceSubmission({ dondoc: 'choice' })).toBeNull();
    expect(parseChoiceSubmission({ dondoc: 'section', choice: 'x' })).toBeNull();
    const few = cardOf(renderMessage({ text: 'Chọn báo cáo', choices: units.slice(0, 4) })[1]);
    expect(cardInputs(few).choice).toMatchObject({ style: 'expanded' });
  });

  it('a two-column table is a FactSet; a wider one a grid; a long one several cards under budget', () => {
    const facts = tableCards({
      title: 'Tình hình nộp',
      columns: ['Đơn vị', 'Trạng thái'],
      rows: [
        ['BHXH', 'Đã nộp'],
        ['STC', 'Chưa nộp'],
      ],
    });
    expect(facts).toHaveLength(1);
    expect(facts[0].body[1]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'BHXH', value: 'Đã nộp' },
        { title: 'STC', value: 'Chưa nộp' },
      ],
    });

    const rows = Array.from({ length: 400 }, (_, i) => [`Đơn vị số ${i}`, String(i), `${i % 100}%`, i % 2 ? 'Đúng hạn' : 'Muộn']);
    const grid = tableCards({ title: 'Tổng hợp', columns: ['Đơn vị', 'Số liệu', 'Tỷ lệ', 'Ghi chú'], rows });
    expect(grid.length).toBeGreaterThan(1);
    for (const c of grid) expect(bytesOf(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const shown = grid.flatMap((c) => c.body.filter((e: any) => e.type === 'ColumnSet' && e.separator).map((e: any) => cardText(e.columns[0])));
    expect(shown).toEqual(rows.map((r) => r[0]));
    expect(cardText(grid[1])).toContain(`Tổng hợp · 2/${grid.length}`);
    // Numbers align right; short columns (a number, a rate, two words) are fitted in pixels, the same in every row; the others weighted by the text they hold.
    const header = grid[0].body.find((e: any) => e.type === 'ColumnSet') as any;
    const firstRow = grid[0].body.filter((e: any) => e.type === 'ColumnSet')[1] as any;
    expect(firstRow.columns[1].items[0].horizontalAlignment).toBe('Right');
    expect(firstRow.columns[0].items[0].horizontalAlignment).toBeUndefined();
    expect(typeof header.columns[0].width).toBe('number');
    expect(header.columns.slice(1).map((c: any) => c.width)).toEqual(firstRow.columns.slice(1).map((c: any) => c.width));
    for (const c of header.columns.slice(1)) expect(c.width).toMatch(/^\d+px$/);
  });

  it('a table message is one card: the text around the table, the grid, the closing question and its buttons', () => {
    const table = {
      title: 'Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể',
      columns: ['Câu', 'Nội dung', 'Trả lời'],
      rows: [
        ['1.1', 'Tình hình triển khai nhiệm vụ', 'Đang thực hiện'],
        ['1.2', 'Số người tham gia BHXH', '12.345 người'],
        ['2.1', 'Tình hình triển khai nhiệm vụ', 'Đã hoàn thành'],
      ],
    };
    const text = [
      '✓ Đã lưu mục 2. Rà soát (6 câu).',
      'Bạn đã trả lời hết các câu hỏi.',
      '',
      'Tóm tắt Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể:',
      '',
      'Mục 1. Phát triển đối tượng',
      '  1.1 Tình hình triển khai nhiệm vụ: Đang thực hiện',
      '  1.2 Số người tham gia BHXH: 12.345 người',
      '',
      'Mục 2. Rà soát',
      '  2.1 Tình hình triển khai nhiệm vụ: Đã hoàn thành',
      '',
      'Đã trả lời 14/14 câu.',
      '',
      'Bạn có muốn nộp báo cáo này không?',
    ].join('\n');
    expect(textAroundTable(text, table)).toEqual({
      intro: '✓ Đã lưu mục 2. Rà soát (6 câu).\nBạn đã trả lời hết các câu hỏi.\n\nTóm tắt Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể:',
      outro: 'Đã trả lời 14/14 câu.\n\nBạn có muốn nộp báo cáo này không?',
    });
    const acts = renderMessage({
      text,
      table,
      choices: [
        { value: 'có', label: 'Có, nộp báo cáo' },
        { value: 'không', label: 'Chưa nộp' },
      ],
    });
    expect(acts).toHaveLength(1);
    const shown = cardText(cardOf(acts[0]));
    expect(shown).toContain('Bạn đã trả lời hết các câu hỏi.');
    expect(shown).toContain('Bạn có muốn nộp báo cáo này không?');
    expect(shown).not.toContain('Mục 1. Phát triển đối tượng');
    expect(shown.indexOf('12.345 người')).toBeLessThan(shown.indexOf('Bạn có muốn nộp'));
    const buttons = cardOf(acts[0])
      .body.filter((e: any) => e.type === 'ActionSet')
      .flatMap((e: any) => e.actions);
    expect(buttons.map((b: any) => b.data.msteams)).toEqual([
      { type: 'imBack', value: 'có' },
      { type: 'imBack', value: 'không' },
    ]);
    // Rows the text does not show: nothing is left out of the text.
    expect(textAroundTable('Không có bảng ở đây', table)).toBeNull();
    expect(cardText(cardOf(renderMessage({ text: 'Không có bảng ở đây', table })[0]))).toContain('Không có bảng ở đây');
  });

  it('long plain text is split into several messages; an invoke answer is always a card', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `Dòng ${i}: đơn vị đã nộp báo cáo đúng hạn.`).join('\n');
    const acts = renderMessage({ text });
    expect(acts.length).toBeGreaterThan(1);
    expect(acts.map((a) => activityText(a)).join('\n')).toBe(text);
    const [c] = renderAsCards({ text: 'Đã lưu mục 1/5.\n\nMục tiếp theo: …' });
    expect(c.version).toBe('1.5');
    expect(cardText(c)).toBe('Đã lưu mục 1/5.\nMục tiếp theo: …');
  });

  it('every kind of rendered message is an activity the Agents SDK accepts (its schema), unchanged on the way', () => {
    const table = {
      columns: ['Đơn vị', 'Trạng thái', 'Ghi chú'],
      rows: [
        ['BHXH', 'Đã nộp', ''],
        ['STC', 'Chưa nộp', 'Quá hạn'],
      ],
    };
    const messages = [
      { text: 'Xin chào *anh* [Lan]' },
      { text: 'Chọn một:', choices: choices4.slice(0, 3) },
      { text: 'Chọn một:', choices: choices11 },
      { text: 'Mẫu biểu', file: { name: 'bao-cao.xlsx', url: 'https://dondoc.example.gov.vn/api/files/x' } },
      { text: 'Câu 1.1', form },
      { text: 'Tình hình nộp:\nBHXH Đã nộp\nSTC Chưa nộp', table },
    ];
    for (const m of messages) {
      const plain = renderMessage(m as Parameters<typeof renderMessage>[0]);
      const sent = toActivities(plain);
      expect(sent).toHaveLength(plain.length);
      for (const [i, a] of sent.entries()) expect(JSON.parse(JSON.stringify(a)), m.text).toMatchObject(JSON.parse(JSON.stringify(plain[i])));
    }
  });
});

describe('last period’s answers on a section card (issue 18)', () => {
  it('shows each field’s previous answer above its input (a long text cut), the "Điền như kỳ trước" button first, and stays under the size budget', () => {
    const regime = defaultRegime();
    const f = buildForm(regime, 'BHXH', 'H1') as FormDefinition;
    const period = makePeriod(regime, '2027-H1');
    if (!period) throw new Error('no period');
    const big = f.sections.reduce((best, s, i) => (s.questions.length > f.sections[best].questions.length ? i : best), 0);
    const previous: Record<string, AnswerValue> = {};
    for (const q of f.sections[big].questions) {
      if (q.type === 'text') previous[q.key] = 'Nội dung kỳ trước rất dài. '.repeat(700);
      else if (q.type === 'integer' || q.type === 'decimal' || q.type === 'percent') previous[q.key] = 12;
      else if (q.type === 'select_one') previous[q.key] = regime.choiceLists[q.choices as string][1].name;
    }
    // One answer already there, copied from last period: said so instead of offered.
    const copiedKey = f.sections[big].questions.find((q) => q.type === 'integer')?.key as string;
    const env = { regime, form: f, periodEnd: period.dataTo, previous, copied: new Set([copiedKey]) };
    const view = sectionView(env, { unitCode: 'BHXH', periodId: '2027-H1' }, big, { [copiedKey]: 12 });
    expect(view.actions?.[0]).toEqual({ value: 'như kỳ trước', label: 'Điền như kỳ trước' });
    const cards = formCards(view, 'Bắt đầu báo cáo.');
    for (const c of cards) expect(bytesOf(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const body = cards.flatMap((c) => c.body);
    for (const field of view.fields.filter((x) => x.previous)) {
      const i = body.findIndex((e: any) => typeof e.id === 'string' && e.id.endsWith(`:${field.key}`));
      expect(i, field.key).toBeGreaterThan(0);
      const line = cardText(body[i - 1]);
      if (field.key === copiedKey) expect(line).toBe('Đang để như kỳ trước: kiểm tra lại trước khi nộp.');
      else expect(line).toMatch(/^Kỳ trước: /);
      expect(line.length).toBeLessThanOrEqual(320);
    }
    expect(view.fields.filter((x) => x.previous).length).toBe(Object.keys(previous).length);
  });
});
