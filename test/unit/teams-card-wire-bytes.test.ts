/**
 * The wire bytes of typical section card replies, pinned: what the connector receives for a form
 * section (one card) and for a section long enough to be split over several cards, as the SDK's
 * turn context sends them (parsed by its schema, the incoming activity's reference applied) and
 * serialised by channel.ts wireJson (the card as its JSON made when it was built). The digests were taken before the rendering was made cheaper
 * (one serialisation of a card per turn instead of two, issue 15): any change of a byte shows here.
 */
import { Activity } from '@microsoft/agents-activity';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardJsonOf, MAX_CARD_BYTES, renderAsCards, renderMessage, toActivities } from '../../channels/teams/cards.js';
import { wireJson } from '../../channels/teams/channel.js';
import type { FieldView, FormView, OutMessage } from '../../core/message.js';
import { projectRoot } from '../../lib/paths.js';
import { teamsFixture } from '../helpers/teams-fixtures.js';

const { normalizeOutgoingActivity } = createRequire(import.meta.url)(join(projectRoot, 'node_modules/@microsoft/agents-hosting/dist/src/activityWireCompat.js')) as {
  normalizeOutgoingActivity: (a: unknown) => unknown;
};
const sdkBody = (a: unknown) => {
  const data = normalizeOutgoingActivity(a);
  return typeof data === 'string' ? data : JSON.stringify(data);
};

function asSent(a: Activity): Activity {
  const incoming = Activity.fromObject(teamsFixture('message-personal', 'https://smba.trafficmanager.net/amer/'));
  const out = Activity.fromObject(a).applyConversationReference(incoming.getConversationReference());
  delete out.id;
  return out;
}

const DUTY =
  'Tổ chức tuyên truyền, phổ biến chính sách, pháp luật về bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp đến người lao động và người sử dụng lao động trên địa bàn tỉnh; phối hợp với các sở, ban, ngành và Ủy ban nhân dân các huyện, thành phố triển khai thực hiện.';

/** A section as the form engine shows one: every kind of field, answers, a hint, the previous period, an error, an unusual figure held for confirmation. */
function section(extra = 0): FormView {
  const fields: FieldView[] = [
    { key: 'd1/note', label: 'Số liệu tính đến hết kỳ báo cáo', type: 'note', required: false, hint: 'Ghi theo số liệu đã tổng hợp' },
    { key: 'd1/so_cuoc', number: '1.1', label: 'Số cuộc tuyên truyền đã tổ chức', type: 'integer', unitLabel: 'cuộc', required: true, value: '1.234', previous: 'Kỳ trước: 1.100 cuộc' },
    { key: 'd1/ty_le', number: '1.2', label: 'Tỷ lệ người tham gia BHXH', type: 'percent', required: true, value: '45,5%', hint: 'Trên tổng số lao động' },
    {
      key: 'd1/kinh_phi',
      number: '1.3',
      label: 'Kinh phí thực hiện',
      type: 'decimal',
      unitLabel: 'triệu đồng',
      required: false,
      value: '12,5',
      warning: 'Kinh phí cao gấp 5 lần kỳ trước. Xác nhận?',
      confirm: { label: 'Đúng, giữ số liệu này', value: '12,5' },
    },
    { key: 'd1/ngay', number: '1.4', label: 'Ngày ban hành kế hoạch', type: 'date', required: true, value: '05/7/2027' },
    {
      key: 'd1/hinh_thuc',
      number: '1.5',
      label: 'Hình thức tuyên truyền',
      type: 'select_multiple',
      required: true,
      value: 'Hội nghị, Báo chí',
      choices: [
        { value: 'hoi_nghi', label: 'Hội nghị' },
        { value: 'bao_chi', label: 'Báo chí' },
        { value: 'mang_xa_hoi', label: 'Mạng xã hội' },
      ],
    },
    {
      key: 'd1/trien_khai',
      number: '1.6',
      label: 'Tình hình triển khai',
      type: 'select_one',
      required: true,
      value: 'Đã triển khai',
      choices: [
        { value: 'da', label: 'Đã triển khai' },
        { value: 'chua', label: 'Chưa triển khai' },
      ],
    },
    { key: 'd1/ly_do', number: '1.7', label: 'Lý do chưa triển khai', type: 'text', required: false, notApplicable: 'vì câu 1.6 là "Đã triển khai"' },
    {
      key: 'd1/ket_qua',
      number: '1.8',
      label: 'Kết quả nổi bật',
      type: 'text',
      required: true,
      hint: 'Nêu ngắn gọn',
      value: 'Tăng 5% người tham gia *so với* kỳ trước <đạt>',
      error: 'Câu này bắt buộc',
    },
  ];
  for (let i = 0; i < extra; i++)
    fields.push({
      key: `d1/them_${i}`,
      number: `1.${9 + i}`,
      label: `Câu hỏi bổ sung số ${i + 1} về kết quả thực hiện nhiệm vụ trong kỳ`,
      type: 'text',
      required: i % 2 === 0,
      hint: 'Ghi rõ số liệu và nguồn',
      value: `Giá trị ${i}`,
    });
  return {
    unitCode: 'BHXH',
    periodId: '2027-H1',
    sectionId: 'd1',
    title: 'Tuyên truyền "chính sách" <bảo hiểm>',
    progress: 'Mục 1/8 · 9 câu',
    description: DUTY,
    fields,
    submitLabel: 'Lưu và tiếp tục',
    actions: [
      { value: 'xem lại', label: 'Xem lại' },
      { value: 'bỏ qua', label: 'Bỏ qua' },
      { value: 'dừng', label: 'Dừng' },
    ],
    focus: 'd1/ket_qua',
  };
}

const reply = (form: FormView): OutMessage => ({ text: '✓ Đã lưu 1.1.\nMục 1/8 · câu 2/9', lead: '✓ Đã lưu 1.1.', form });
const digest = (s: string) => createHash('sha256').update(s).digest('hex');
const wire = (m: OutMessage) => toActivities(renderMessage(m)).map(asSent).map(wireJson);

describe('wire bytes of a section card reply', () => {
  it('one card: the bytes as pinned, and as the SDK would have sent them', () => {
    const m = reply(section());
    const sent = toActivities(renderMessage(m)).map(asSent);
    expect(sent).toHaveLength(1);
    const json = wireJson(sent[0]);
    expect(json).toBe(sdkBody(sent[0]));
    // The card's JSON made when it was built is what wireJson sent (no second serialisation).
    const content = sent[0].attachments?.[0]?.content;
    expect(cardJsonOf(content)).toBe(JSON.stringify(content));
    expect([[Buffer.byteLength(json), digest(json)]]).toEqual(PINNED[0]);
    // Rendered again (the same message): the same bytes.
    expect(wire(reply(section()))).toEqual([json]);
  });

  it('an activity with a section card among other attachments: the JSON the SDK would have sent', () => {
    const [a] = toActivities(renderMessage(reply(section())));
    const [table] = toActivities(renderMessage({ text: 'Tình hình', table: { columns: ['Đơn vị', 'Trạng thái'], rows: [['Ba Bể', 'Đã nộp']] } }));
    a.attachments = [...(table.attachments ?? []), ...(a.attachments ?? []), { contentType: 'text/plain', content: 'x "y"', name: 'z' }];
    (a as unknown as Record<string, unknown>).value = { after: ['attachments'] };
    const sent = asSent(a);
    expect(cardJsonOf(sent.attachments?.[1]?.content)).toBeDefined();
    expect(wireJson(sent)).toBe(sdkBody(sent));
  });

  // 47 more questions still fit one card, 48 do not (the budget's edge); 130 take three cards.
  it.each([
    [47, 1],
    [48, 2],
    [130, 3],
  ])('a section with %i more questions: %i cards as pinned, each under the budget', (extra, n) => {
    const m = reply(section(extra));
    const sent = toActivities(renderMessage(m)).map(asSent);
    expect(sent).toHaveLength(n);
    const jsons = sent.map((a) => wireJson(a));
    jsons.forEach((j, i) => expect(j).toBe(sdkBody(sent[i])));
    for (const c of renderAsCards(m)) expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(jsons.map((j) => [Buffer.byteLength(j), digest(j)])).toEqual(PINNED[extra]);
  });
});

const PINNED: Record<number, Array<[number, string]>> = {
  0: [[7095, 'ee35a04bae4b6b4dd6c752382f7a594f8cd7de5da97c14f36cdae91f7ff1f533']],
  47: [[24842, 'fad9e081ab1029f46afaae222e96966d7d2ca3d89f0369a1d7cde8e41263f05e']],
  48: [
    [26441, '80fe5591a176d5ac09177b49d5cc7f64470dea9a40f03c0d74d276b46db58697'],
    [2177, '99050d9f79e36062853b967664ee2649f44d1d743d548de8f029b98ec7ba18ec'],
  ],
  130: [
    [26441, '2c0aa0883a61bd897e3f4b5af0799e01cb21cb983f2a8ddd98b6ce1fdc5ea74f'],
    [24795, '77b4a9d2a4deb3fa637961525a58bfa18c9f7f7cf4fa1c14d6ccae4a48cd5b74'],
    [12455, '8e4d4f59fb0e126757d4cc31e94759c5689cf3d421bfe76dd180bdafad9170c5'],
  ],
};

/**
 * Where a section stops fitting one card, to the byte: the longest label (ASCII padding of one
 * question) that keeps the whole section on one card, for sections of several shapes, as the
 * packing decided it when it measured a trial card of every field (before issue 15).
 */
describe('the budget edge of a section card', () => {
  const shapes: Record<string, (pad: number) => FormView> = {
    typical: (pad) => withPad(section(40), pad),
    'no duty, a quoted submit': (pad) => ({ ...withPad(section(44), pad), description: undefined, submitLabel: 'Lưu "mục" <1>' }),
    'no intro, no buttons': (pad) => ({ ...withPad(section(41), pad), actions: [] }),
  };
  const withPad = (f: FormView, pad: number): FormView => ({ ...f, focus: undefined, fields: f.fields.map((x, i) => (i === 3 ? { ...x, label: x.label + 'x'.repeat(pad) } : x)) });
  const cardsAt = (shape: string, pad: number) => (shape === 'no intro, no buttons' ? renderAsCards({ text: '', form: shapes[shape](pad) }) : renderAsCards(reply(shapes[shape](pad)))).length;

  it.each(Object.keys(shapes))('%s', (shape) => {
    let lo = 0;
    let hi = 20_000;
    expect(cardsAt(shape, lo)).toBe(1);
    expect(cardsAt(shape, hi)).toBeGreaterThan(1);
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cardsAt(shape, mid) === 1) lo = mid;
      else hi = mid;
    }
    expect(lo).toBe(EDGE[shape]);
    // Up to the edge, the section's card was measured once, by the JSON that is sent.
    const [whole] = shape === 'no intro, no buttons' ? renderAsCards({ text: '', form: shapes[shape](lo) }) : renderAsCards(reply(shapes[shape](lo)));
    expect(cardJsonOf(whole)).toBe(JSON.stringify(whole));
  });
});

const EDGE: Record<string, number> = { typical: 3118, 'no duty, a quoted submit': 2762, 'no intro, no buttons': 3244 };
