/**
 * Amounts are read in the question's own unit, and unusual figures are confirmed before they are
 * stored (issue 11). BHXH 2027-H1 driven through the console (the bot core as `dondoc chat` uses
 * it) and through Teams (HTTP to the real app, a local fake Bot Connector): scale words convert
 * into the unit ("1,5 tỷ" → 1.500 triệu đồng), "5 tỷ" for a percentage is refused, a figure far
 * from the previous period's is held until "có" (text) or the card's confirmation (sections).
 * Every check reads the store.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutMessage } from '../core/message.js';
import { unusualFigure } from '../forms/form-engine.js';
import { ManualClock } from '../lib/clock.js';
import { previousPeriodId } from '../regime/periods.js';
import { buildForm, parseRegime, type FormDefinition, type FormQuestion } from '../regime/regime.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import type { AnswerValue } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime, startTestBot, type Person, type TestBot } from './helpers/bot.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { seedSubmissions } from './helpers/seed-submissions.js';
import { activityText, asUser, cardInputs, cardOf, cardText, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';
import { askedQuestion, defaultAnswer, walkReport, type Typed } from './helpers/walk.js';

const UNIT = 'BHXH';
const PERIOD = '2027-H1';
const NOW = '2027-06-16T09:00:00+07:00';
const texts = (ms: OutMessage[]) => ms.map((m) => m.text).join('\n---\n');
const NUMERIC = new Set(['integer', 'decimal', 'percent']);

/** The person, with every reply to `say` kept by what was typed. */
function recorded(p: Person): { person: Person; replyTo: (input: string, nth?: number) => string } {
  const log: Array<{ input: string; reply: string }> = [];
  const person: Person = {
    ...p,
    say: async (text) => {
      const r = await p.say(text);
      log.push({ input: text, reply: texts(r) });
      return r;
    },
  };
  const replyTo = (input: string, nth = 0) => {
    const hit = log.filter((x) => x.input === input)[nth];
    if (!hit) throw new Error(`nothing typed as "${input}"`);
    return hit.reply;
  };
  return { person, replyTo };
}

/** Answers questions (as walkReport does) until `key` is asked; returns that prompt. */
async function answerUntil(p: Person, form: FormDefinition, regime: ReportRegime, first: OutMessage[], key: string): Promise<OutMessage[]> {
  let replies = first;
  for (let guard = 0; guard < 100; guard++) {
    const q = askedQuestion(form, replies);
    if (!q) throw new Error(`the walk stopped before ${key}:\n${texts(replies)}`);
    if (q.key === key) return replies;
    replies = await p.say(defaultAnswer(regime, q).input);
    expect(texts(replies), q.key).toMatch(/^✓ Đã lưu/);
  }
  throw new Error(`${key} never asked`);
}

const stored = async (repos: Repositories, key: string): Promise<AnswerValue | undefined> => (await repos.getDraft(UNIT, PERIOD))?.answers[key]?.value;

/**
 * The previous period of the same kind (2026-H1), submitted: every figure as the walk types it by
 * default (so only the figures under test are far from it), plus `overrides`.
 */
async function seedPrevious(repos: Repositories, regime: ReportRegime, overrides: Record<string, AnswerValue>): Promise<void> {
  const form = buildForm(regime, UNIT, 'H1') as FormDefinition;
  const defaults = Object.fromEntries(form.sections.flatMap((s) => s.questions.filter((q) => NUMERIC.has(q.type)).map((q) => [q.key, defaultAnswer(regime, q).value])));
  await seedSubmissions(repos, regime, '2026-H1', { units: [UNIT], defaults: { overrides: { ...defaults, ...overrides } } });
}

let t: TestBot | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe('console: BHXH 2027-H1 answered with scale words', () => {
  it('stores every figure in its question’s unit, echoes it so, and refuses scale words that cannot apply', async () => {
    t = await startTestBot({ now: NOW });
    const p0 = t.person('hoa', { name: 'Trần Thị Hoa' });
    await p0.enrol(UNIT);
    const { person: p, replyTo } = recorded(p0);
    const start = await p.say(`báo cáo ${UNIT} ${PERIOD}`);
    const typed: Record<string, Typed | Typed[]> = {
      // a percentage takes no scale word
      'd2/e_transaction_rate': [
        { input: '5 tỷ', value: null },
        { input: '98,5%', value: 98.5 },
      ],
      'd2/satisfaction_index': [
        { input: '1,5 triệu', value: null },
        { input: '87%', value: 87 },
      ],
      // counts of people: the words scale the count; "đồng" is not a count
      'd2/pension_recipients': [
        { input: '8.500 đồng', value: null },
        { input: '8,5 nghìn', value: 8500 },
      ],
      'd2/monthly_benefit_recipients': [
        { input: '1,2345 nghìn', value: null },
        { input: '1,2 nghìn người', value: 1200 },
      ],
      'd3/labour_changes_recorded': { input: '3,5k', value: 3500 },
      'd4/si_participants': { input: '2 triệu', value: 2_000_000 },
      'd4/vsi_participants': { input: '52 nghìn', value: 52_000 },
      'd4/ui_participants': { input: '0,04 triệu', value: 40_000 },
      // amounts in "triệu đồng"
      'd5/arrears_amount': { input: '1,5 tỷ', value: 1500 },
      'd5/arrears_recovered': { input: '300 nghìn', value: 0.3 },
      'd5/fines_amount': { input: '85 triệu', value: 85 },
    };
    const w = await walkReport(p, t.ctx.regime, UNIT, 'H1', start, (q) => typed[q.key]);
    expect(w.last[0].text).toMatch(/Bạn có muốn nộp báo cáo này không\?/);

    // The draft holds each figure in the question's unit.
    const draft = await t.ctx.store.getDraft(UNIT, PERIOD);
    for (const [key, v] of Object.entries(typed)) {
      const good = Array.isArray(v) ? v[v.length - 1] : v;
      expect(draft?.answers[key]?.value, key).toBe(good.value);
    }
    // The acknowledgement echoes the stored value in the unit.
    expect(replyTo('1,5 tỷ')).toMatch(/^✓ Đã lưu — Số tiền nợ đóng BHXH, BHTN, BHYT tại thời điểm cuối kỳ báo cáo: 1\.500 triệu đồng\n/);
    expect(replyTo('85 triệu')).toMatch(/^✓ Đã lưu — Số tiền xử phạt vi phạm hành chính: 85 triệu đồng\n/);
    expect(replyTo('300 nghìn')).toMatch(/^✓ Đã lưu — Số tiền nợ đóng đã thu hồi qua thanh tra, kiểm tra: 0,3 triệu đồng\n/);
    expect(replyTo('2 triệu')).toMatch(/^✓ Đã lưu — Số người tham gia BHXH \(bắt buộc và tự nguyện\): 2\.000\.000 người\n/);
    expect(replyTo('8,5 nghìn')).toMatch(/: 8\.500 người\n/);
    expect(replyTo('3,5k')).toMatch(/: 3\.500 lượt\n/);
    expect(replyTo('98,5%')).toMatch(/: 98,5%\n/);
    // Refusals say why, in Vietnamese.
    expect(replyTo('5 tỷ')).toMatch(/^✗ Chưa lưu được câu trả lời\. Câu này hỏi tỷ lệ phần trăm nên không dùng "tỷ"\. Ví dụ: 2,5% hoặc 45\./);
    expect(replyTo('1,5 triệu')).toMatch(/Câu này hỏi tỷ lệ phần trăm nên không dùng "triệu"/);
    expect(replyTo('8.500 đồng')).toMatch(/Câu này hỏi số người, không phải số tiền, nên không dùng "đồng"\./);
    expect(replyTo('1,2345 nghìn')).toMatch(/Cần một số nguyên: "1,2345 nghìn" là 1\.234,5 người\./);
    // The prompt of an amount shows what a scale word stores (it used to suggest "15 triệu").
    // (the reply to 5.5 asks 5.6, also in "triệu đồng")
    expect(replyTo('1,5 tỷ')).toMatch(/Trả lời bằng số triệu đồng, ví dụ: 1\.234,5 hoặc 1,5 tỷ \(= 1\.500 triệu đồng\)\./);
    expect(replyTo('1,5 tỷ')).not.toMatch(/15 triệu/);

    expect(await p.ask('có')).toMatch(/✓ Đã nộp Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh/);
    const s = await t.ctx.store.latestSubmission(UNIT, PERIOD);
    expect(s?.answers).toEqual(w.expected);
    expect(s?.answers['d5/arrears_amount']).toBe(1500);
  });
});

describe('console: an unusual figure is confirmed before it is stored', () => {
  it('holds a figure far from the previous period’s until "có"; "không" asks again; a new number replaces it', async () => {
    t = await startTestBot({ now: NOW });
    const regime = t.ctx.regime;
    const form = buildForm(regime, UNIT, 'H1') as FormDefinition;
    await seedPrevious(t.ctx.store, regime, { 'd5/arrears_amount': 1500, 'd5/fines_amount': 8, 'd2/e_transaction_rate': 90 });
    const p = t.person('hoa');
    await p.enrol(UNIT);
    let r = await answerUntil(p, form, regime, await p.say(`báo cáo ${UNIT} ${PERIOD}`), 'd2/e_transaction_rate');

    // Less than a tenth of the previous figure; then a new number takes its place.
    r = await p.say('5%');
    expect(texts(r)).toMatch(/^⚠ Bạn nhập 5%, chỉ bằng 5,6% kỳ trước \(90%\)\. Đúng không\?\nTrả lời "có" để lưu số này, "không" để nhập lại, hoặc gõ ngay số đúng\.$/);
    expect(r[0].choices?.map((c) => c.value)).toEqual(['có', 'không']);
    expect(await stored(t.ctx.store, 'd2/e_transaction_rate')).toBeUndefined();
    r = await p.say('95%');
    expect(texts(r)).toMatch(/^✓ Đã lưu — .*: 95%\n/);
    expect(await stored(t.ctx.store, 'd2/e_transaction_rate')).toBe(95);

    r = await answerUntil(p, form, regime, r, 'd5/arrears_amount');
    // The case: 1.500.000 triệu đồng against 1.500 the period before.
    r = await p.say('1,5 nghìn tỷ');
    expect(texts(r)).toMatch(/^⚠ Bạn nhập 1\.500\.000 triệu đồng, gấp 1\.000 lần kỳ trước \(1\.500 triệu đồng\)\. Đúng không\?/);
    expect(await stored(t.ctx.store, 'd5/arrears_amount')).toBeUndefined();
    // "không": nothing stored, the question again.
    r = await p.say('không');
    expect(texts(r)).toMatch(/^Chưa lưu số 1\.500\.000 triệu đồng\. Vui lòng nhập lại\./);
    expect(askedQuestion(form, r)?.key).toBe('d5/arrears_amount');
    expect(await stored(t.ctx.store, 'd5/arrears_amount')).toBeUndefined();
    // Again; something that is neither an answer nor a figure keeps the question open.
    r = await p.say('1.500.000');
    expect(texts(r)).toMatch(/^⚠ Bạn nhập 1\.500\.000 triệu đồng, gấp 1\.000 lần/);
    r = await p.say('để tôi xem');
    expect(texts(r)).toMatch(/^✗ Chưa lưu được câu trả lời\..*\nSố 1\.500\.000 triệu đồng chưa được lưu\. Trả lời "có" để lưu/);
    expect(await stored(t.ctx.store, 'd5/arrears_amount')).toBeUndefined();
    // "có" stores it, and the acknowledgement says what was stored.
    r = await p.say('có');
    expect(texts(r)).toMatch(/^✓ Đã lưu — Số tiền nợ đóng BHXH, BHTN, BHYT tại thời điểm cuối kỳ báo cáo: 1\.500\.000 triệu đồng\n/);
    expect(await stored(t.ctx.store, 'd5/arrears_amount')).toBe(1_500_000);

    r = await answerUntil(p, form, regime, r, 'd5/fines_amount');
    // Typing the same figure again confirms it.
    r = await p.say('85 triệu');
    expect(texts(r)).toMatch(/^⚠ Bạn nhập 85 triệu đồng, gấp 10,6 lần kỳ trước \(8 triệu đồng\)\. Đúng không\?/);
    expect(await stored(t.ctx.store, 'd5/fines_amount')).toBeUndefined();
    r = await p.say('85');
    expect(texts(r)).toMatch(/^✓ Đã lưu — Số tiền xử phạt vi phạm hành chính: 85 triệu đồng\n/);
    expect(await stored(t.ctx.store, 'd5/fines_amount')).toBe(85);

    // The rest as usual, then an edit (review mode) with an unusual figure, confirmed with "đúng".
    const w = await walkReport(p, regime, UNIT, 'H1', r);
    expect(w.last[0].text).toMatch(/Bạn có muốn nộp báo cáo này không\?/);
    r = await p.say('sửa 5.4');
    r = await p.say('2');
    expect(texts(r)).toMatch(/^⚠ Bạn nhập 2 đơn vị, chỉ bằng 0,16% kỳ trước \(1\.234 đơn vị\)\. Đúng không\?/);
    r = await p.say('giữ');
    expect(texts(r)).toMatch(/^✓ Giữ nguyên — .*: 1\.234 đơn vị\n/);
    expect(await stored(t.ctx.store, 'd5/units_inspected')).toBe(1234);
    r = await p.say('sửa 5.3');
    expect(texts(r)).toMatch(/Đang ghi: 1\.234 cuộc/);
    r = await p.say('1');
    expect(texts(r)).toMatch(/^⚠ Bạn nhập 1 cuộc, chỉ bằng 0,081% kỳ trước \(1\.234 cuộc\)\. Đúng không\?/);
    expect(await stored(t.ctx.store, 'd5/inspections')).toBe(1234);
    r = await p.say('đúng');
    expect(texts(r)).toMatch(/^✓ Đã lưu — .*: 1 cuộc\n/);
    expect(texts(r)).toMatch(/Bạn có muốn nộp báo cáo này không\?/);
    expect(await stored(t.ctx.store, 'd5/inspections')).toBe(1);

    expect(await p.ask('có')).toMatch(/✓ Đã nộp/);
    expect((await t.ctx.store.latestSubmission(UNIT, PERIOD))?.answers).toMatchObject({
      'd2/e_transaction_rate': 95,
      'd5/arrears_amount': 1_500_000,
      'd5/fines_amount': 85,
      'd5/inspections': 1,
    });
  });

  it('a bound the regime sets per question (softBounds) is confirmed too, with no previous period', async () => {
    const data = structuredClone(defaultRegime()) as ReportRegime;
    const bhxh = data.units.find((u) => u.code === UNIT);
    const fines = bhxh?.duties.find((d) => d.id === 'd5')?.questions.find((q) => q.name === 'fines_amount');
    if (!fines) throw new Error('no fines question');
    fines.softBounds = { max: 1000 };
    const parsed = parseRegime(data);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    // A soft bound decides only what is confirmed: the form (and every draft under it) is unchanged.
    expect(buildForm(parsed.regime, UNIT, 'H1')?.version).toBe(buildForm(defaultRegime(), UNIT, 'H1')?.version);

    t = await startTestBot({ now: NOW, regime: parsed.regime });
    const p = t.person('hoa');
    await p.enrol(UNIT);
    await p.say(`báo cáo ${UNIT} ${PERIOD}`);
    let r = await p.say('sửa 5.7');
    r = await p.say('2 tỷ');
    expect(texts(r)).toMatch(/^⚠ Bạn nhập 2\.000 triệu đồng, vượt mức tối đa dự kiến của câu này \(1\.000 triệu đồng\)\. Đúng không\?/);
    expect(await stored(t.ctx.store, 'd5/fines_amount')).toBeUndefined();
    r = await p.say('có');
    expect(texts(r)).toMatch(/^✓ Đã lưu — Số tiền xử phạt vi phạm hành chính: 2\.000 triệu đồng\n/);
    expect(await stored(t.ctx.store, 'd5/fines_amount')).toBe(2000);
    r = await p.say('sửa 5.7');
    r = await p.say('900 triệu');
    expect(texts(r)).toMatch(/^✓ Đã lưu — .*: 900 triệu đồng\n/);
    expect(await stored(t.ctx.store, 'd5/fines_amount')).toBe(900);
  });
});

describe('the rules behind the confirmation', () => {
  const regime = defaultRegime();
  const form = buildForm(regime, UNIT, 'H1') as FormDefinition;
  const q = (key: string) => form.sections.flatMap((s) => s.questions).find((x) => x.key === key) as FormQuestion;

  it('more than 10× or less than a tenth of the previous period, or outside the soft bounds', () => {
    const arrears = q('d5/arrears_amount');
    expect(unusualFigure(regime, arrears, 1_500_000, 1500)).toBe('Bạn nhập 1.500.000 triệu đồng, gấp 1.000 lần kỳ trước (1.500 triệu đồng). Đúng không?');
    expect(unusualFigure(regime, arrears, 15_000, 1500)).toBeUndefined(); // exactly 10×
    expect(unusualFigure(regime, arrears, 150, 1500)).toBeUndefined(); // exactly a tenth
    expect(unusualFigure(regime, arrears, 149, 1500)).toMatch(/chỉ bằng 9,9% kỳ trước/);
    expect(unusualFigure(regime, arrears, 0.001, 1500)).toMatch(/chỉ bằng chưa tới 0,01% kỳ trước/);
    expect(unusualFigure(regime, arrears, 0, 1500)).toBe('Bạn nhập 0 triệu đồng, trong khi kỳ trước là 1.500 triệu đồng. Đúng không?');
    // Nothing to compare with: no previous figure, a zero, a skipped answer, text.
    expect(unusualFigure(regime, arrears, 1_500_000, undefined)).toBeUndefined();
    expect(unusualFigure(regime, arrears, 1_500_000, 0)).toBeUndefined();
    expect(unusualFigure(regime, arrears, 1_500_000, null)).toBeUndefined();
    expect(unusualFigure(regime, q('d5/results'), 'x', 'y')).toBeUndefined();
    const bounded = { ...arrears, softBounds: { min: 10, max: 1000 } };
    expect(unusualFigure(regime, bounded, 5, undefined)).toMatch(/dưới mức tối thiểu dự kiến của câu này \(10 triệu đồng\)/);
    expect(unusualFigure(regime, bounded, 1_500_000, 1500)).toBe(
      'Bạn nhập 1.500.000 triệu đồng, gấp 1.000 lần kỳ trước (1.500 triệu đồng) và vượt mức tối đa dự kiến của câu này (1.000 triệu đồng). Đúng không?',
    );
    // A zero against the previous figure reads last ("…, trong khi kỳ trước là …").
    expect(unusualFigure(regime, bounded, 0, 1500)).toBe('Bạn nhập 0 triệu đồng, dưới mức tối thiểu dự kiến của câu này (10 triệu đồng), trong khi kỳ trước là 1.500 triệu đồng. Đúng không?');
  });

  it('the previous period is the one of the same kind just before', () => {
    expect(previousPeriodId('2027-H1')).toBe('2026-H1');
    expect(previousPeriodId('2027-Y')).toBe('2026-Y');
    expect(previousPeriodId('2027-06')).toBe('2027-05');
    expect(previousPeriodId('2027-01')).toBe('2026-12');
    expect(previousPeriodId('bogus')).toBeUndefined();
  });

  it('the loader refuses soft bounds that cannot work, by path', () => {
    const data = structuredClone(defaultRegime()) as any;
    const bhxh = data.units.findIndex((u: any) => u.code === UNIT);
    const d2 = data.units[bhxh].duties.findIndex((d: any) => d.id === 'd2');
    const qs = data.units[bhxh].duties[d2].questions;
    const at = (name: string) => qs.findIndex((x: any) => x.name === name);
    qs[at('e_transaction_rate')].softBounds = { max: 150 };
    qs[at('pension_recipients')].softBounds = { min: -5 };
    qs[at('satisfaction_survey_date')].softBounds = { max: 3 };
    let r = parseRegime(data);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const base = `units[${bhxh}].duties[${d2}].questions`;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${base.replace(/[[\]]/g, '\\$&')}\\[${at('e_transaction_rate')}\\]\\.softBounds\\.max: 150 nằm ngoài giới hạn bắt buộc`)),
        expect.stringMatching(new RegExp(`^${base.replace(/[[\]]/g, '\\$&')}\\[${at('pension_recipients')}\\]\\.softBounds\\.min: -5 nằm ngoài`)),
        expect.stringMatching(new RegExp(`^${base.replace(/[[\]]/g, '\\$&')}\\[${at('satisfaction_survey_date')}\\]\\.softBounds: chỉ đặt được cho câu hỏi dạng số`)),
      ]),
    );
    // The shape itself: at least one bound, min ≤ max.
    const shape = structuredClone(defaultRegime()) as any;
    shape.units[bhxh].duties[d2].questions[at('pension_recipients')].softBounds = {};
    shape.units[bhxh].duties[d2].questions[at('monthly_benefit_recipients')].softBounds = { min: 10, max: 5 };
    r = parseRegime(shape);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/softBounds: cần ít nhất một trong min, max/);
    expect(r.errors.join('\n')).toMatch(/softBounds: min phải không lớn hơn max/);
  });
});

describe(`Teams: ${UNIT} ${PERIOD} with scale words and an unusual figure in a section card`, () => {
  let app: TestApp;
  let fake: FakeBotConnector;
  const clock = new ManualClock(Date.parse(NOW));
  const u = teamsUser('Trần Thị Hoa');

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    app = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const repliesSince = (from: number) =>
    fake.requests
      .slice(from)
      .filter((r) => r.conversationId === u.conversationId && r.status < 300)
      .map((r) => r.body);
  /** Types a message in Teams; returns the replies' text and the last section card. */
  async function say(text: string): Promise<{ text: string; card: any }> {
    const mark = fake.requests.length;
    const res = await postActivity(app.url, asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text }), u));
    expect(res.status).toBe(200);
    const replies = repliesSince(mark);
    return { text: replies.map(activityText).join('\n'), card: cardOf([...replies].reverse().find((a) => cardOf(a))) };
  }
  const storedHere = (key: string) => stored(app.ctx.store, key);

  it('stores typed scale words in the unit; holds an unusual card figure until its confirmation is ticked', async () => {
    await seedPrevious(app.ctx.store, app.ctx.regime, {
      'd5/inspections': 10,
      'd5/units_inspected': 35,
      'd5/arrears_amount': 1500,
      'd5/arrears_recovered': 700,
      'd5/fines_amount': 8,
      'd5/enterprises_without_ui': 6,
      'd4/si_participants': 1_900_000,
    });
    const code = await app.ctx.store.createEnrolmentCode({ unitCode: UNIT, role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
    expect((await say(`đăng ký ${code}`)).text).toMatch(/Đăng ký thành công/);
    expect((await say(`báo cáo ${UNIT} ${PERIOD}`)).text).toMatch(/Bắt đầu Báo cáo 6 tháng đầu năm 2027/);

    // Typed answers, as in any text channel.
    await say('sửa 5.5');
    let r = await say('1,5 tỷ');
    expect(r.text).toMatch(/✓ Đã lưu — Số tiền nợ đóng BHXH, BHTN, BHYT tại thời điểm cuối kỳ báo cáo: 1\.500 triệu đồng/);
    expect(await storedHere('d5/arrears_amount')).toBe(1500);
    await say('sửa 4.6');
    r = await say('2 triệu');
    expect(r.text).toMatch(/: 2\.000\.000 người/);
    expect(await storedHere('d4/si_participants')).toBe(2_000_000);
    await say('sửa 2.3');
    r = await say('5 tỷ');
    expect(r.text).toMatch(/Câu này hỏi tỷ lệ phần trăm nên không dùng "tỷ"/);
    expect(await storedHere('d2/e_transaction_rate')).toBeUndefined();
    // An unusual typed figure: a question with buttons, nothing stored before "có".
    await say('sửa 5.7');
    r = await say('85 triệu');
    expect(r.text).toMatch(/⚠ Bạn nhập 85 triệu đồng, gấp 10,6 lần kỳ trước \(8 triệu đồng\)\. Đúng không\?/);
    expect(await storedHere('d5/fines_amount')).toBeUndefined();
    r = await say('có');
    expect(r.text).toMatch(/✓ Đã lưu — Số tiền xử phạt vi phạm hành chính: 85 triệu đồng/);
    expect(await storedHere('d5/fines_amount')).toBe(85);

    // Section 5 as a card: the amount is typed in the unit the label shows ("triệu đồng").
    r = await say('sửa 5');
    let card = r.card;
    expect(cardText(card)).toMatch(/Số tiền nợ đóng BHXH, BHTN, BHYT tại thời điểm cuối kỳ báo cáo \(triệu đồng\)/);
    const exec = card.actions.find((a: any) => a.type === 'Action.Execute');
    const values: Record<string, unknown> = {
      't:d5/status': 'dang_thuc_hien',
      't:d5/results': 'Đã thanh tra 12 cuộc.',
      'n:d5/inspections': 12,
      'n:d5/units_inspected': 40,
      'n:d5/arrears_amount': 1_500_000,
      'n:d5/arrears_recovered': 700,
      'n:d5/fines_amount': 85,
      'n:d5/enterprises_without_ui': 7,
    };
    const invoke = asUser(
      teamsFixture('invoke-adaptive-card-action', fake.serviceUrl, {
        id: `f:${nextActivityId()}`,
        value: { action: { type: 'Action.Execute', id: 'submit', verb: exec.verb, data: { ...exec.data, ...values } }, trigger: 'manual' },
      }),
      u,
    );
    const res = await postActivity(app.url, invoke);
    expect(res.status).toBe(200);
    card = res.body.value;
    // The same section again: the warning at the field, a confirmation toggle for that figure.
    const shown = cardText(card);
    expect(shown).toMatch(/Đã lưu 7 câu; 1 số liệu khác thường chưa được lưu, cần bạn xác nhận:/);
    expect(shown).toMatch(/• 5\.5 Số tiền nợ đóng BHXH, BHTN, BHYT tại thời điểm cuối kỳ báo cáo: Bạn nhập 1\.500\.000 triệu đồng, gấp 1\.000 lần kỳ trước \(1\.500 triệu đồng\)\. Đúng không\?/);
    const inputs = cardInputs(card);
    expect(inputs['n:d5/arrears_amount'].value).toBe(1_500_000);
    expect(inputs['c:d5/arrears_amount']).toMatchObject({ type: 'Input.Toggle', title: 'Đúng, tôi xác nhận số liệu này', valueOn: '1500000', value: 'false' });
    const i = card.body.findIndex((e: any) => e.id === 'n:d5/arrears_amount');
    expect(cardText(card.body[i + 1])).toMatch(/^⚠ Bạn nhập 1\.500\.000 triệu đồng/);
    // Nothing unconfirmed is stored; the section's other answers are (5.7 was confirmed when typed:
    // sent again unchanged, it is not asked again).
    expect(await storedHere('d5/arrears_amount')).toBe(1500);
    expect(await storedHere('d5/inspections')).toBe(12);
    expect(await storedHere('d5/enterprises_without_ui')).toBe(7);

    // Sent again with the box unticked: still held.
    const exec2 = card.actions.find((a: any) => a.type === 'Action.Execute');
    const again = { ...exec2.fallback.data, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])), 'c:d5/arrears_amount': 'false' };
    let mark = fake.requests.length;
    expect((await postActivity(app.url, asUser(teamsFixture('message-card-submit', fake.serviceUrl, { id: nextActivityId(), value: again }), u))).status).toBe(200);
    expect(repliesSince(mark).map(activityText).join('\n')).toMatch(/1 số liệu khác thường chưa được lưu/);
    expect(await storedHere('d5/arrears_amount')).toBe(1500);

    // Ticked (Action.Submit fallback this time): stored.
    mark = fake.requests.length;
    expect((await postActivity(app.url, asUser(teamsFixture('message-card-submit', fake.serviceUrl, { id: nextActivityId(), value: { ...again, 'c:d5/arrears_amount': '1500000' } }), u))).status).toBe(
      200,
    );
    expect(repliesSince(mark).map(activityText).join('\n')).toMatch(/✓ Đã lưu mục 5\./);
    expect(await storedHere('d5/arrears_amount')).toBe(1_500_000);

    // A tick confirms that figure only: a different unusual figure with the old tick is held again.
    mark = fake.requests.length;
    const other = { ...again, 'n:d5/arrears_amount': '3000000', 'c:d5/arrears_amount': '1500000' };
    expect((await postActivity(app.url, asUser(teamsFixture('message-card-submit', fake.serviceUrl, { id: nextActivityId(), value: other }), u))).status).toBe(200);
    expect(repliesSince(mark).map(activityText).join('\n')).toMatch(/Bạn nhập 3\.000\.000 triệu đồng, gấp 2\.000 lần kỳ trước/);
    expect(await storedHere('d5/arrears_amount')).toBe(1_500_000);
    // The card asks "Đúng không?": with one figure held, a typed "có" answers it too.
    r = await say('có');
    expect(r.text).toMatch(/✓ Đã lưu — Số tiền nợ đóng BHXH, BHTN, BHYT tại thời điểm cuối kỳ báo cáo: 3\.000\.000 triệu đồng/);
    expect(await storedHere('d5/arrears_amount')).toBe(3_000_000);
  });
});
