/**
 * The section forms, the summary and `xem lại` as Teams shows them (issue 19), driven over Teams'
 * HTTP edge as the platform would: a button on a card posts its words as the person's message
 * (imBack), a section submit is an Action.Execute invoke (or its Action.Submit fallback), a choice
 * from a list is an Action.Submit with the list's value. Every check ends in the store: a button
 * does what typing its words does, the form numbers its fields as the summary and `sửa 2.3` do, a
 * question the skip logic leaves out is said to be so, a section comes back when an answer makes
 * more of it apply, several ticked options are stored as such, the unit chosen from a list of
 * nineteen is the one reported for, and a section of 90+ fields split over several cards is saved
 * part by part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.js';
import { addQuestions, defaultRegimeData, writeRegimeCopy } from './helpers/regime-copies.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { activityText, asUser, cardInputs, cardOf, cardText, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';

const PERIOD = '2027-H1';
const NOW = Date.parse('2027-06-16T09:00:00+07:00');

/** One person's chat with the app over HTTP. */
function chat(app: () => TestApp, fake: () => FakeBotConnector, u: TeamsUser) {
  const since = (from: number) =>
    fake()
      .requests.slice(from)
      .filter((r) => r.conversationId === u.conversationId && r.status < 300)
      .map((r) => r.body);
  const post = async (activity: Record<string, unknown>) => {
    const from = fake().requests.length;
    const r = await postActivity(app().url, asUser(activity, u));
    expect(r.status).toBe(200);
    return { r, replies: since(from) };
  };
  return {
    /** Types text (or presses a button whose imBack posts these words). */
    async say(text: string): Promise<any[]> {
      return (await post(teamsFixture('message-personal', fake().serviceUrl, { id: nextActivityId(), text }))).replies;
    },
    /** Presses a card button: Teams posts its imBack value as the person's message. */
    async press(button: any): Promise<any[]> {
      expect(button?.data?.msteams?.type, JSON.stringify(button)).toBe('imBack');
      expect(button.associatedInputs).toBe('none');
      return this.say(button.data.msteams.value);
    },
    /** Presses a section card's submit (Action.Execute): the answer is the card that replaces it. */
    async execute(card: any, values: Record<string, unknown>): Promise<{ card: any; replies: any[] }> {
      const exec = card.actions.find((a: any) => a.type === 'Action.Execute');
      const { r, replies } = await post(
        teamsFixture('invoke-adaptive-card-action', fake().serviceUrl, {
          id: `f:${nextActivityId()}`,
          value: { action: { type: 'Action.Execute', id: 'submit', verb: exec.verb, data: { ...exec.data, ...values } }, trigger: 'manual' },
        }),
      );
      expect(r.body.type).toBe('application/vnd.microsoft.card.adaptive');
      return { card: r.body.value, replies };
    },
    /** An Action.Submit: the card's data with its inputs' values, as a message `value`. */
    async submit(data: Record<string, unknown>): Promise<any[]> {
      return (await post(teamsFixture('message-card-submit', fake().serviceUrl, { id: nextActivityId(), value: data }))).replies;
    },
  };
}

const firstCard = (replies: any[]) => cardOf(replies.find((a) => cardOf(a)));
const buttons = (card: any) => (card?.body ?? []).filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);
const button = (card: any, title: string) => buttons(card).find((b: any) => b.title === title);
const sectionOf = (card: any) => card?.actions?.find((a: any) => a.type === 'Action.Execute')?.data;
/** The text block right before an input: its label (the hint, when it has one, is between). */
function labelOf(card: any, id: string): string {
  const i = card.body.findIndex((e: any) => e.id === id);
  const prev = cardText(card.body[i - 1]);
  const before = cardText(card.body[i - 2]);
  return /^\d+\.\d+ /.test(prev) ? prev : before;
}
/** Label number → input id, for every input of a form card. */
const numbered = (card: any) => new Map(Object.keys(cardInputs(card)).map((id) => [labelOf(card, id).split(' ')[0], id]));

/** What a person enters: numbers, a date in the period, the first choice (status: in progress), some text. */
function fill(card: any, over: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, input] of Object.entries(cardInputs(card))) {
    if (input.type === 'Input.Toggle') continue;
    if (input.type === 'Input.Number') out[id] = input.max === 100 ? 45.5 : 120;
    else if (input.type === 'Input.Date') out[id] = '2027-05-20';
    else if (input.type === 'Input.ChoiceSet') out[id] = input.choices.some((c: any) => c.value === 'dang_thuc_hien') ? 'dang_thuc_hien' : input.choices[0].value;
    else out[id] = `Nội dung ${id.slice(2)}.`;
  }
  return { ...out, ...over };
}

async function enrol(app: TestApp, c: ReturnType<typeof chat>, units: string[], clock: ManualClock) {
  for (const unitCode of units) {
    const code = await app.ctx.store.createEnrolmentCode({ unitCode, role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
    expect((await c.say(`đăng ký ${code}`)).map(activityText).join('\n')).toMatch(/Đăng ký thành công|đã đăng ký/);
  }
}

describe('section forms, the summary and xem lại through Teams', () => {
  let app: TestApp;
  let fake: FakeBotConnector;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    app = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('a person for nineteen units picks one from a dropdown; the report opened and saved is that unit’s', async () => {
    const u = teamsUser('Nguyễn Văn Kiêm Nhiệm');
    const c = chat(
      () => app,
      () => fake,
      u,
    );
    const units = app.ctx.regime.units.filter((x) => x.reports && buildForm(app.ctx.regime, x.code, 'H1')).map((x) => x.code);
    expect(units.length).toBe(19);
    await enrol(app, c, units, clock);
    const replies = await c.say(`báo cáo ${PERIOD}`);
    expect(activityText(replies[0])).toMatch(/Bạn có nhiều báo cáo đang mở/);
    const picker = firstCard(replies);
    const list = cardInputs(picker).choice;
    expect(list).toMatchObject({ type: 'Input.ChoiceSet', style: 'compact' });
    expect(list.choices).toHaveLength(units.length);
    expect(buttons(picker)).toHaveLength(1);
    const stc = list.choices.find((x: any) => x.value.includes(' STC '));
    expect(stc.title).toMatch(/Sở Tài chính/);
    const card = firstCard(await c.submit({ ...buttons(picker)[0].data, choice: stc.value }));
    expect(sectionOf(card)).toMatchObject({ unitCode: 'STC', periodId: PERIOD });
    await c.execute(card, fill(card));
    expect((await app.ctx.store.getDraft('STC', PERIOD))?.answers['d1/status']?.value).toBe('dang_thuc_hien');
  });

  it("buttons run what typing their words does; the form numbers its fields as the summary and sửa do; skipped and re-asked questions say why; ticks are stored; the summary's buttons submit", async () => {
    const u = teamsUser('Trần Thị Hoa');
    const c = chat(
      () => app,
      () => fake,
      u,
    );
    await enrol(app, c, ['BHXH'], clock);
    const form = buildForm(app.ctx.regime, 'BHXH', 'H1') as FormDefinition;
    const draft = async () => (await app.ctx.store.getDraft('BHXH', PERIOD))?.answers ?? {};

    // Section 1: numbered fields, the duty folded, no chat-only sentence, buttons for the commands.
    let card = firstCard(await c.say(`báo cáo BHXH ${PERIOD}`));
    expect(sectionOf(card)).toMatchObject({ unitCode: 'BHXH', periodId: PERIOD, sectionId: 'd1' });
    const shown = cardText(card);
    expect(shown).toMatch(/^Bắt đầu Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh\. Hạn nộp/);
    expect(shown).not.toContain('Mỗi câu trả lời được lưu ngay');
    expect(shown).toContain(`Mục 1/5 · ${form.sections[0].questions.filter((q) => q.type !== 'note').length} câu`);
    expect([...numbered(card).keys()]).toEqual(form.sections[0].questions.filter((q) => q.type !== 'note').map((_, i) => `1.${i + 1}`));
    expect(buttons(card).map((b: any) => b.title)).toEqual(['Xem lại', 'Tạm dừng']);

    let res = await c.execute(card, fill(card));
    card = res.card;
    expect(sectionOf(card)?.sectionId).toBe('d2');
    expect(cardText(card)).toMatch(/^✓ Đã lưu mục 1\./);
    const d1 = await draft();
    expect(d1['d1/status']?.value).toBe('dang_thuc_hien');

    // "Quay lại mục trước" shows section 1 again with what was stored; saving it returns to section 2.
    expect(buttons(card).map((b: any) => b.title)).toEqual(['Quay lại mục trước', 'Xem lại', 'Tạm dừng']);
    const back = firstCard(await c.press(button(card, 'Quay lại mục trước')));
    expect(sectionOf(back)?.sectionId).toBe('d1');
    expect(cardText(back)).toMatch(/^Sửa mục 1\. /);
    expect(cardText(back)).not.toContain('gõ "giữ"');
    expect(cardInputs(back)['t:d1/results'].value).toBe('Nội dung d1/results.');
    res = await c.execute(back, fill(back, { 't:d1/results': 'Đã rà soát, kiện toàn bộ máy.' }));
    expect((await draft())['d1/results']?.value).toBe('Đã rà soát, kiện toàn bộ máy.');
    expect(sectionOf(res.card)?.sectionId).toBe('d2');
    card = res.card;

    // "Tạm dừng" is "hủy": the flow ends, the draft stays; "tiếp tục" shows section 2 again.
    const paused = await c.press(button(card, 'Tạm dừng'));
    expect(paused.map(activityText).join('\n')).toMatch(/Đã tạm dừng báo cáo; bản nháp vẫn được lưu/);
    expect((await app.ctx.store.session(`teams:${u.userId}`))?.state).toMatchObject({ flow: null });
    expect(Object.keys(await draft())).toEqual(Object.keys(d1));
    card = firstCard(await c.say('tiếp tục'));
    expect(sectionOf(card)?.sectionId).toBe('d2');

    // The card's numbers are the summary's and sửa's: 2.3 on the card is the question `sửa 2.3` edits.
    const nums = numbered(card);
    const key23 = (nums.get('2.3') as string).slice(2);
    expect(key23).toBe(form.sections[1].questions.filter((q) => q.type !== 'note')[2].key);
    // 2.8 (the survey's date) is asked once 2.7 is answered: on the card, numbered, said not to apply yet.
    expect(nums.has('2.8')).toBe(false);
    expect(cardText(card)).toMatch(/2\.8 [^\n]*\(ngày\/tháng\/năm\): \nKhông áp dụng \(vì câu 2\.7 chưa trả lời\)/);
    expect(nums.get('2.9')).toBe('t:d2/difficulties');

    // Sent with 2.7: the section comes back for 2.8, saying why.
    const values = fill(card);
    res = await c.execute(card, values);
    expect(sectionOf(res.card)?.sectionId).toBe('d2');
    expect(cardText(res.card)).toMatch(/^✓ Đã lưu mục 2\. [^\n]*\nCần trả lời thêm 1 câu \(2\.8\) vì câu 2\.7 là "45,5%"\./);
    expect(numbered(res.card).get('2.8')).toBe('d:d2/satisfaction_survey_date');
    res = await c.execute(res.card, { 'd:d2/satisfaction_survey_date': '2027-05-20' });
    expect((await draft())['d2/satisfaction_survey_date']?.value).toBe('2027-05-20');
    expect(sectionOf(res.card)?.sectionId).toBe('d3');

    // sửa 2.3, answered by typing, stores the question the card numbered 2.3.
    await c.say('sửa 2.3');
    await c.say('61,5');
    expect((await draft())[key23]?.value).toBe(61.5);

    // Section 3 not started: its other questions do not apply.
    card = firstCard(await c.say('tiếp tục'));
    expect(sectionOf(card)?.sectionId).toBe('d3');
    res = await c.execute(card, { 't:d3/status': 'chua_trien_khai', 't:d3/difficulties': '', 't:d3/proposals': '' });
    card = res.card;
    expect(sectionOf(card)?.sectionId).toBe('d4');

    // Several channels ticked in an expanded list of nine: stored as those choices.
    const channels = cardInputs(card)['t:d4/comm_channels'];
    expect(channels).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true, style: 'expanded' });
    expect(channels.choices).toHaveLength(9);
    res = await c.execute(card, fill(card, { 't:d4/comm_channels': 'bao_in,mang_xa_hoi,truc_tiep' }));
    expect((await draft())['d4/comm_channels']?.value).toEqual(['bao_in', 'mang_xa_hoi', 'truc_tiep']);
    res = await c.execute(res.card, fill(res.card));

    // The confirmation: the count says what it counts.
    expect(cardText(res.card)).toMatch(/^✓ Đã lưu mục 5\.[\s\S]*\n\d+\/\d+ câu đã trả lời, \d+ câu không áp dụng\./);

    // "Chưa nộp", then the buttons the text names: "Sửa mục 2" opens section 2 as `sửa 2` does.
    const declined = await c.say('không');
    const offer = firstCard(declined);
    expect(declined.map(activityText).join('\n')).toMatch(/Chọn "Sửa mục …" \(hoặc gõ "sửa 2", "sửa 2\.3"\) để sửa, "Nộp báo cáo" \(hoặc gõ "nộp"\) khi sẵn sàng/);
    expect(buttons(offer).map((b: any) => b.title)).toEqual(['Nộp báo cáo', 'Sửa mục 1', 'Sửa mục 2', 'Sửa mục 3', 'Sửa mục 4', 'Sửa mục 5']);
    const edit2 = firstCard(await c.press(button(offer, 'Sửa mục 2')));
    expect(sectionOf(edit2)?.sectionId).toBe('d2');
    expect(cardInputs(edit2)[`n:${key23}`].value).toBe(61.5);

    // xem lại: what does not apply is said so, numbered; the last page offers the same buttons;
    // "Nộp báo cáo" asks to confirm, "Có, nộp báo cáo" submits.
    let page = await c.say('xem lại');
    const pages = [cardText(firstCard(page))];
    for (let i = 0; i < 5 && !button(firstCard(page), 'Nộp báo cáo'); i++) {
      page = await c.press(button(firstCard(page), 'Xem tiếp'));
      pages.push(cardText(firstCard(page)));
    }
    const d3 = form.sections[2].questions.filter((q) => q.type !== 'note');
    expect(pages.join('\n')).toContain(`3.2\n${d3[1].label}\nKhông áp dụng (vì câu 3.1 là "Chưa triển khai")`);
    const last = firstCard(page);
    expect(activityText(page[0])).toMatch(/Chọn "Nộp báo cáo" \(hoặc gõ "nộp"\) để nộp; "Sửa mục …"/);
    expect(buttons(last).map((b: any) => b.data.msteams.value)).toEqual(['nộp', 'sửa 1', 'sửa 2', 'sửa 3', 'sửa 4', 'sửa 5']);
    const ask = firstCard(await c.press(button(last, 'Nộp báo cáo')));
    expect(cardText(ask)).toMatch(/Chọn "Có, nộp báo cáo" \(hoặc gõ "có"\) để nộp, "Chưa nộp" \(hoặc gõ "không"\)/);
    expect(await app.ctx.store.latestSubmission('BHXH', PERIOD)).toBeNull();
    expect((await c.press(button(ask, 'Có, nộp báo cáo'))).map(activityText).join('\n')).toMatch(/✓ Đã nộp Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh/);
    const sub = await app.ctx.store.latestSubmission('BHXH', PERIOD);
    expect(sub?.answers['d1/results']).toBe('Đã rà soát, kiện toàn bộ máy.');
    expect(sub?.answers[key23]).toBe(61.5);
    expect(sub?.answers['d4/comm_channels']).toEqual(['bao_in', 'mang_xa_hoi', 'truc_tiep']);
    expect(sub?.answers['d3/status']).toBe('chua_trien_khai');
    expect(sub?.answers).not.toHaveProperty('d3/results');
  });
});

/** The default regime, BHXH's duty 2 with 90 more questions, the 80th required. */
function longSectionRegime(): string {
  const regime = defaultRegimeData();
  addQuestions(regime, 'BHXH', 1, 90, { requiredAt: 80 });
  return writeRegimeCopy(regime, 'long-section');
}

describe('a section of 90+ fields through Teams', () => {
  let app: TestApp;
  let fake: FakeBotConnector;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    app = await startTestApp({ REGIME_FILE: longSectionRegime() }, { clock });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('is split over cards under the budget, each saving its own fields; a required field left empty on its card is refused there', async () => {
    const c = chat(
      () => app,
      () => fake,
      teamsUser('Trần Thị Hoa'),
    );
    await enrol(app, c, ['BHXH'], clock);
    let card = firstCard(await c.say(`báo cáo BHXH ${PERIOD}`));
    let res = await c.execute(card, fill(card));
    const parts = [res.card, ...res.replies.map(cardOf).filter(Boolean)];
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThanOrEqual(26 * 1024);
      expect(cardText(p)).toContain(`Phần ${i + 1}/${parts.length}`);
      expect(sectionOf(p).fields).toEqual(Object.keys(cardInputs(p)).map((id) => id.slice(2)));
    });
    const required = 'n:d2/extra_80';
    const holder = parts.findIndex((p) => required in cardInputs(p));
    expect(holder).toBeGreaterThan(0);

    // The first part, saved alone: nothing refused for fields on the other cards. Its 2.7 makes 2.8
    // apply: the answer is that part again, saying so; once 2.8 is answered, it starts at part 2.
    res = await c.execute(parts[0], fill(parts[0]));
    expect(cardText(res.card)).not.toMatch(/chưa hợp lệ/);
    expect(cardText(res.card)).toMatch(/Cần trả lời thêm 1 câu \(2\.8\) vì câu 2\.7 là "45,5%"\.[\s\S]*Phần 1\//);
    const draft = (await app.ctx.store.getDraft('BHXH', PERIOD))?.answers ?? {};
    for (const id of Object.keys(cardInputs(parts[0]))) expect(draft[id.slice(2)], id).toBeDefined();
    expect(draft['d2/extra_80']).toBeUndefined();
    res = await c.execute(res.card, { 'd:d2/satisfaction_survey_date': '2027-05-20' });
    expect(cardText(res.card)).not.toMatch(/chưa hợp lệ/);
    expect(cardText(res.card)).toContain(`Phần 2/${parts.length}`);
    expect((await app.ctx.store.getDraft('BHXH', PERIOD))?.answers['d2/satisfaction_survey_date']?.value).toBe('2027-05-20');

    // The part with the required field, sent with it empty (a card leaves an empty input out): refused beside it.
    card = parts[holder];
    const values = fill(card);
    delete values[required];
    res = await c.execute(card, values);
    const again = res.card;
    expect(cardText(again)).toMatch(/còn 1 câu chưa hợp lệ/);
    const i = again.body.findIndex((e: any) => e.id === required);
    expect(cardText(again.body[i + 1])).toMatch(/⚠/);
    res = await c.execute(again, { ...fill(again), [required]: 7 });
    expect((await app.ctx.store.getDraft('BHXH', PERIOD))?.answers['d2/extra_80']?.value).toBe(7);
  });
});
