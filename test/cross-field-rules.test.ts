/**
 * Cross-field rules always hold (issue 11): the rule "of which ≤ total" is checked whenever either
 * question changes — typed answers, `sửa`, Teams section cards — and again at submission, so a
 * report that breaks it is never submitted. Ba Bể's monthly report 2026-12 (1.3 all participants,
 * 1.4 of which voluntary), driven through the console core and through Teams over HTTP; every
 * outcome is read back from the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { updateDraft, setAnswers } from '../services/drafts.js';
import { ManualClock } from '../lib/clock.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import type { AnswerValue } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startTestBot, type TestBot } from './helpers/bot.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { seedSubmissions } from './helpers/seed-submissions.js';
import { activityText, asUser, cardInputs, cardOf, cardText, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

const UNIT = 'BA-BE';
const PERIOD = '2026-12';
const NOW = '2026-12-16T09:00:00+07:00';
const SI = 'd3/si_participants_district';
const VSI = 'd3/vsi_participants_district';
const SI_LABEL = 'Số người tham gia BHXH (bắt buộc và tự nguyện) trên địa bàn';
const VSI_LABEL = 'Trong đó: số người tham gia BHXH tự nguyện';

/** The draft's answers as plain values (what the store holds). */
async function draftValues(store: Repositories): Promise<Record<string, AnswerValue>> {
  const d = await store.getDraft(UNIT, PERIOD);
  return Object.fromEntries(Object.entries(d?.answers ?? {}).map(([k, a]) => [k, a.value]));
}

/** Another session writing the draft the way the dialog does (e.g. a second focal point, validated against older answers). */
async function writeDraft(store: Repositories, form: FormDefinition, values: Record<string, AnswerValue>, at: number) {
  await updateDraft(store, { unitCode: UNIT, periodId: PERIOD, form, now: at, by: 'console:other' }, setAnswers(form, values, at, 'console:other'));
}

let t: TestBot | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe('console: Ba Bể 2026-12, the total edited below its "of which" figure', () => {
  it('refuses `sửa 1.3` → 2.000 while 1.4 is 2.104, names 1.4 and how to proceed, stores nothing; the way forward works', async () => {
    t = await startTestBot({ now: NOW });
    const p = t.person('lan', { name: 'Hoàng Thị Lan' });
    expect(await p.enrol(UNIT)).toMatch(/Đăng ký thành công/);
    expect(await p.ask(`báo cáo ${UNIT} ${PERIOD}`)).toMatch(/Bắt đầu Báo cáo tháng 12\/2026 · Ủy ban nhân dân huyện Ba Bể/);
    for (const [input, echo] of [
      ['dang thuc hien', /Tình hình triển khai nhiệm vụ: Đang thực hiện/],
      ['Tuyên truyền tại 10 xã, thị trấn.', /Kết quả đã thực hiện/],
      ['12.345', /: 12\.345 người/],
      ['2.104', /: 2\.104 người/],
      ['9.870', /Số người tham gia BHTN trên địa bàn: 9\.870 người/],
      ['15.000', /: 15\.000 người/],
      ['bỏ qua', /Khó khăn/],
      ['bỏ qua', /Kiến nghị/],
      ['thuong xuyen', /Thực hiện thường xuyên/],
      ['Kiểm tra 2 xã.', /Kết quả/],
      ['2', /: 2 cuộc/],
      ['1', /: 1 cuộc/],
      ['bỏ qua', /Khó khăn/],
      ['bỏ qua', /Kiến nghị/],
    ] as const)
      expect(await p.ask(input)).toMatch(new RegExp(`^✓ Đã lưu — .*${echo.source}`));
    const before = await draftValues(t.ctx.store);
    expect(before).toMatchObject({ [SI]: 12345, [VSI]: 2104 });

    // The edit that was accepted in production: refused, with 1.4 named by number and value.
    expect(await p.ask('sửa 1.3')).toMatch(/Đang ghi: 12\.345 người/);
    const refused = await p.ask('2.000');
    expect(refused).toMatch(/^✗ Chưa lưu được câu trả lời\./);
    expect(refused).toContain(`Câu 1.4 "${VSI_LABEL}" đang là 2.104 người, lớn hơn 2.000 người. Nếu 2.000 người là đúng, hãy sửa câu 1.4 trước: gõ "sửa 1.4", rồi sửa lại câu này.`);
    // Asked 1.3 again, with the stored answer still shown.
    expect(refused).toMatch(/Mục 1\/2 · câu 3\/8[\s\S]*Đang ghi: 12\.345 người/);
    expect(await draftValues(t.ctx.store)).toEqual(before);
    expect(await t.ctx.store.revisions(UNIT, PERIOD)).toEqual([]);

    // The way the message says: 1.4 first, then 1.3.
    expect(await p.ask('sửa 1.4')).toMatch(/Mục 1\/2 · câu 4\/8[\s\S]*Đang ghi: 2\.104 người/);
    expect(await p.ask('1.900')).toMatch(/^✓ Đã lưu — Trong đó: số người tham gia BHXH tự nguyện: 1\.900 người/);
    expect(await p.ask('sửa 1.3')).toMatch(/Đang ghi: 12\.345 người/);
    const accepted = await p.ask('2.000');
    expect(accepted).toMatch(/^✓ Đã lưu — Số người tham gia BHXH \(bắt buộc và tự nguyện\) trên địa bàn: 2\.000 người/);
    expect(accepted).toMatch(/Bạn có muốn nộp báo cáo này không\?/);
    expect(accepted).not.toMatch(/⚠/);
    expect(await p.ask('có')).toMatch(/✓ Đã nộp Báo cáo tháng 12\/2026 · Ủy ban nhân dân huyện Ba Bể/);
    const s = await t.ctx.store.latestSubmission(UNIT, PERIOD);
    expect(s).toMatchObject({ revision: 1, submittedBy: 'console:lan' });
    expect([s?.answers[SI], s?.answers[VSI]]).toEqual([2000, 1900]);
  });

  it('a report submitted inconsistent by an earlier version: `xem lại` marks both questions, `nộp` is refused with both numbers and values', async () => {
    // Revision 1 as the earlier version stored it (on 18/12): 1.3 lowered to 2.000 below 1.4 = 2.104.
    t = await startTestBot({ now: '2026-12-19T09:00:00+07:00' });
    await seedSubmissions(t.ctx.store, t.ctx.regime, PERIOD, { units: [UNIT], answers: { [UNIT]: { overrides: { 'd3/status': 'dang_thuc_hien', [SI]: 2000, [VSI]: 2104 } } } });
    const p = t.person('lan');
    await p.enrol(UNIT);
    const rule = `Câu 1.4 "${VSI_LABEL}" ghi 2.104 người, lớn hơn câu 1.3 "${SI_LABEL}" ghi 2.000 người.`;
    // Opening it says so at once (not "đã nộp, chưa có thay đổi") and asks the two questions.
    const opened = await p.ask(`báo cáo ${UNIT} ${PERIOD}`);
    expect(opened).toContain(`Số liệu giữa các câu chưa khớp nên chưa nộp được:\n  • ${rule}`);
    expect(opened).not.toMatch(/Bạn có muốn nộp|chưa có thay đổi/);

    // The summary is longer than a screen: the marks are on the first page, the broken rule and what to do on the last.
    const review = `${await p.ask('xem lại')}\n${await p.ask('tiếp')}`;
    expect(review).toContain(`1.3 ${SI_LABEL}: 2.000 người ⚠ chưa khớp với câu 1.4`);
    expect(review).toContain(`1.4 ${VSI_LABEL}: 2.104 người ⚠ chưa khớp với câu 1.3`);
    expect(review).toContain(`⚠ Số liệu chưa khớp, cần sửa trước khi nộp:\n  • ${rule}`);
    expect(review).toMatch(/Chọn "Sửa câu 1\.3" \(hoặc gõ "sửa 1\.3".*rồi nộp\./);
    expect(review).not.toMatch(/Chọn "Nộp báo cáo"/);

    const refused = await p.ask('nộp');
    expect(refused).toContain(`Số liệu giữa các câu chưa khớp nên chưa nộp được:\n  • ${rule}`);
    expect(refused).not.toMatch(/Bạn có muốn nộp/);
    // …and the two questions are asked again, 1.3 first.
    expect(refused).toMatch(/Mục 1\/2 · câu 3\/8[\s\S]*Đang ghi: 2\.000 người/);
    expect((await t.ctx.store.revisions(UNIT, PERIOD)).map((x) => x.revision)).toEqual([1]);
    expect(await t.ctx.store.reportState(UNIT, PERIOD)).toMatchObject({ status: 'submitted', revision: 1 });

    // Keeping both as they are does not get it through either.
    expect(await p.ask('giữ')).toMatch(/✓ Giữ nguyên[\s\S]*Mục 1\/2 · câu 4\/8[\s\S]*Đang ghi: 2\.104 người/);
    expect(await p.ask('giữ')).toContain(`Số liệu giữa các câu chưa khớp nên chưa nộp được:\n  • ${rule}`);
    // Mended: 1.3 back to its real figure, 1.4 kept; then the report goes in as revision 2.
    expect(await p.ask('12.345')).toMatch(/✓ Đã lưu — .*: 12\.345 người[\s\S]*Đang ghi: 2\.104 người/);
    expect(await p.ask('giữ')).toMatch(/Bạn có muốn nộp báo cáo này không\?/);
    expect(await p.ask('có')).toMatch(/✓ Đã nộp .*\(bản sửa lần 2\)/);
    const revs = await t.ctx.store.revisions(UNIT, PERIOD);
    expect(revs.map((x) => [x.revision, x.answers[SI], x.answers[VSI]])).toEqual([
      [1, 2000, 2104],
      [2, 12345, 2104],
    ]);
  });

  it('a rule broken under the confirmation prompt (another session wrote the draft) refuses "có"', async () => {
    t = await startTestBot({ now: NOW });
    const p = t.person('lan');
    await p.enrol(UNIT);
    const form = buildForm(t.ctx.regime, UNIT, 'M') as FormDefinition;
    await writeDraft(
      t.ctx.store,
      form,
      {
        'd3/status': 'dang_thuc_hien',
        'd3/results': 'Tuyên truyền.',
        [SI]: 12345,
        [VSI]: 2104,
        'd3/ui_participants_district': 9870,
        'd3/si_target_district': 15000,
        'd3/difficulties': null,
        'd3/proposals': null,
        'd6/status': 'chua_trien_khai',
        'd6/difficulties': null,
        'd6/proposals': null,
      },
      t.clock.now().getTime(),
    );
    expect(await p.ask(`báo cáo ${UNIT} ${PERIOD}`)).toMatch(/Bạn có muốn nộp báo cáo này không\?/);
    await writeDraft(t.ctx.store, form, { [SI]: 2000 }, t.clock.now().getTime());
    const refused = await p.ask('có');
    expect(refused).toContain(`Số liệu giữa các câu chưa khớp nên chưa nộp được:\n  • Câu 1.4 "${VSI_LABEL}" ghi 2.104 người, lớn hơn câu 1.3 "${SI_LABEL}" ghi 2.000 người.`);
    expect(await t.ctx.store.revisions(UNIT, PERIOD)).toEqual([]);
    expect(await t.ctx.store.reportState(UNIT, PERIOD)).toBeNull();
  });
});

describe('Teams: section cards over HTTP', () => {
  let app: TestApp | undefined;
  let fake: FakeBotConnector | undefined;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
    app = undefined;
    fake = undefined;
  });

  it('a card lowering 1.3 below 1.4 is refused beside 1.3 and stores nothing; both corrected in one card are saved; `nộp` of a draft broken elsewhere is refused', async () => {
    fake = await startFakeBotConnector();
    const clock = new ManualClock(Date.parse(NOW));
    app = await startTestApp({}, { clock });
    const store = app.ctx.store;
    const u = teamsUser('Hoàng Thị Lan');
    const serviceUrl = fake.serviceUrl;
    const requests = () => fake?.requests ?? [];
    const repliesSince = (from: number) =>
      requests()
        .slice(from)
        .filter((r) => r.conversationId === u.conversationId && r.status < 300)
        .map((r) => r.body);
    const say = async (text: string) => {
      const mark = requests().length;
      expect((await postActivity(app!.url, asUser(teamsFixture('message-personal', serviceUrl, { id: nextActivityId(), text }), u))).status).toBe(200);
      return repliesSince(mark);
    };
    /** Presses the card's submit (Action.Execute) with these inputs; returns the card that answers. */
    const submitCard = async (card: any, values: Record<string, unknown>) => {
      const exec = card.actions.find((a: any) => a.type === 'Action.Execute');
      const invoke = asUser(
        teamsFixture('invoke-adaptive-card-action', serviceUrl, {
          id: `f:${nextActivityId()}`,
          value: { action: { type: 'Action.Execute', id: 'submit', verb: exec.verb, data: { ...exec.data, ...values } }, trigger: 'manual' },
        }),
        u,
      );
      const r = await postActivity(app!.url, invoke);
      expect(r.status).toBe(200);
      return r.body.value;
    };

    const code = await store.createEnrolmentCode({ unitCode: UNIT, role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
    expect((await say(`đăng ký ${code}`)).map(activityText).join('\n')).toMatch(/Đăng ký thành công/);
    const d3card = cardOf((await say(`báo cáo ${UNIT} ${PERIOD}`)).find((a) => cardOf(a)));
    expect(cardText(d3card)).toMatch(/Mục 1\/2/);
    const d3 = {
      't:d3/status': 'dang_thuc_hien',
      't:d3/results': 'Tuyên truyền tại 10 xã, thị trấn.',
      [`n:${SI}`]: 12345,
      [`n:${VSI}`]: 2104,
      'n:d3/ui_participants_district': 9870,
      'n:d3/si_target_district': 15000,
      't:d3/difficulties': '',
      't:d3/proposals': '',
    };
    expect(Object.keys(cardInputs(d3card)).sort()).toEqual(Object.keys(d3).sort());
    expect(cardText(await submitCard(d3card, d3))).toMatch(/^✓ Đã lưu mục 1\./);
    const before = await draftValues(store);
    expect(before).toMatchObject({ [SI]: 12345, [VSI]: 2104 });

    // The section card is still in the chat: sent again with 1.3 lowered to 2.000, 1.4 untouched.
    const refused = await submitCard(d3card, { ...d3, [`n:${SI}`]: 2000 });
    expect(cardText(refused)).toMatch(/Đã lưu \d+ câu; còn 1 câu chưa hợp lệ/);
    const i = refused.body.findIndex((e: any) => e.id === `n:${SI}`);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(cardText(refused.body[i + 1])).toContain(`Câu 1.4 "${VSI_LABEL}" đang là 2.104 người, lớn hơn 2.000 người.`);
    expect(cardInputs(refused)[`n:${SI}`].value).toBe(2000);
    expect(await draftValues(store)).toEqual(before);

    // Both figures corrected on the same card: checked together, both saved.
    expect(cardText(await submitCard(d3card, { ...d3, [`n:${SI}`]: 2000, [`n:${VSI}`]: 1900 }))).toMatch(/^✓ Đã lưu mục 1\./);
    expect(await draftValues(store)).toMatchObject({ [SI]: 2000, [VSI]: 1900 });

    // Section 2 by typing, up to the confirmation.
    for (const text of ['1', 'bỏ qua']) await say(text);
    const confirm = (await say('bỏ qua')).map(activityText).join('\n');
    expect(confirm).toMatch(/Bạn có muốn nộp báo cáo này không\?/);

    // Another session raises 1.4 above 1.3 in the draft (validated against older answers): `nộp` refuses.
    const form = buildForm(app.ctx.regime, UNIT, 'M') as FormDefinition;
    await writeDraft(store, form, { [VSI]: 2104 }, clock.now().getTime());
    const refusal = (await say('nộp')).map(activityText).join('\n');
    expect(refusal).toContain('Số liệu giữa các câu chưa khớp nên chưa nộp được:');
    expect(refusal).toContain(`Câu 1.4 "${VSI_LABEL}" ghi 2.104 người, lớn hơn câu 1.3 "${SI_LABEL}" ghi 2.000 người.`);
    expect(await store.revisions(UNIT, PERIOD)).toEqual([]);
    expect(await store.reportState(UNIT, PERIOD)).toBeNull();
  });
});
