/**
 * Last period's answers as a start, and forgiving commands (issue 18), end to end.
 *
 * Zalo: a district's focal point files June 2027 from May's submitted answers through SIGNED
 * `user_send_text` events posted to the real app's webhook (a button tap arrives as its payload's
 * text), every reply read at the fake Zalo API: each question shows May's answer ("Kỳ trước: …")
 * with a "Giữ như kỳ trước" button; `giữ như kỳ trước` keeps one, `như kỳ trước` fills the rest of
 * the section; a question changed since May offers nothing; an unusual figure is compared with
 * May's; the summary marks what is still May's and the confirmation lists it before "có"; the
 * store holds the marks (draft answers' `copiedFrom`), the submission and the audit row name the
 * copied answers. Then typos of commands. The chat is kept as docs/transcripts/last-period.md.
 *
 * Teams: the same from section cards (Action.Execute invokes, a card button's imBack text): the
 * card shows May's answer beside each field and a "Điền như kỳ trước" button; a field sent back
 * unchanged stays marked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import { formQuestions } from '../services/drafts.js';
import type { AnswerValue } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';
import { vi } from '../i18n/vi.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { readXlsx } from './helpers/office.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloFixture, zaloId, type CsCall, type FakeZalo } from './helpers/fake-zalo.js';
import { activityText, asUser, cardInputs, cardOf, cardText, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

const UNIT = 'BA-BE';
const PERIOD = '2027-06';
const MAY = '2027-05';

/** May's answers as submitted (revision 2; revision 1 had other figures). */
const MAY_ANSWERS: Record<string, AnswerValue> = {
  'd3/status': 'dang_thuc_hien',
  'd3/results': 'Đã phối hợp Bảo hiểm xã hội huyện vận động 120 người tham gia BHXH tự nguyện.',
  'd3/si_participants_district': 1234,
  'd3/vsi_participants_district': 210,
  'd3/ui_participants_district': 980,
  'd3/si_target_district': 1300,
  'd3/difficulties': 'Thu nhập của người dân nông thôn thấp.',
  'd3/proposals': null,
  'd6/status': 'dang_thuc_hien',
  'd6/results': 'Đã kiểm tra 2 xã.',
  'd6/inspections': 2,
  'd6/reviews': 2,
  'd6/difficulties': null,
  'd6/proposals': null,
};

/**
 * May's report, submitted twice (the latest revision is the one offered). Its questions' hashes
 * are those of today's form, but for 2.3 (d6/inspections), recorded as changed since.
 */
async function seedMay(repos: Repositories, form: FormDefinition, at: number): Promise<void> {
  const hashes = { ...formQuestions(form), 'd6/inspections': 'a-question-since-changed' };
  const base = { unitCode: UNIT, periodId: MAY, formVersion: form.version, formQuestions: hashes, submittedBy: 'zalo:focal-may', channel: 'zalo' as const, late: false };
  await repos.appendSubmission({ ...base, revision: 1, answers: { ...MAY_ANSWERS, 'd3/si_participants_district': 1000 }, submittedAt: at - 40 * 86_400_000 });
  await repos.appendSubmission({ ...base, revision: 2, answers: MAY_ANSWERS, submittedAt: at - 35 * 86_400_000 });
}

/** What the form numbers each question as (mục.câu), for reading the replies. */
const COPIED_BY_SECTION = ['d3/si_participants_district', 'd3/vsi_participants_district', 'd3/ui_participants_district', 'd3/si_target_district', 'd3/difficulties'];

let zalo: FakeZalo | undefined;
let teams: FakeBotConnector | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  await zalo?.close();
  await teams?.close();
  app = undefined;
  zalo = undefined;
  teams = undefined;
});

describe('Zalo: a focal point starts June from May’s answers', () => {
  it('offers, keeps and copies May’s answers, marks them until typed again, lists them before submitting; typos of commands are forgiven', async () => {
    zalo = await startFakeZalo();
    const clock = new ManualClock(Date.parse('2027-06-16T09:00:00+07:00'));
    app = await startTestApp(zalo.env(), { clock });
    const a = app;
    const z = zalo;
    const form = buildForm(a.ctx.regime, UNIT, 'M') as FormDefinition;
    await seedMay(a.ctx.store, form, clock.now().getTime());
    const user = zaloId();
    const code = await a.ctx.store.createEnrolmentCode({ unitCode: UNIT, role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });

    const transcript: string[] = [];
    /** Sends one signed text as the user; returns the replies' text and buttons, and keeps both in the transcript. */
    const say = async (text: string): Promise<{ text: string; buttons: string[] }> => {
      const before = z.cs.length;
      const msgId = zaloId();
      const ev = { ...zaloFixture('user-send-text'), app_id: z.appId, sender: { id: user }, message: { text, msg_id: msgId }, timestamp: String(clock.now().getTime()) };
      expect((await z.post(a.url, ev)).status).toBe(200);
      await z.waitFor(async () => (await a.ctx.store.inbox.get(`zalo:user_send_text:${msgId}`))?.status === 'done', `replies to "${text}"`);
      clock.advance(30_000);
      const calls: CsCall[] = z.cs.slice(before).filter((m) => m.userId === user);
      const out = { text: calls.map((m) => m.message.text).join('\n'), buttons: calls.flatMap((m) => (m.message.attachment?.payload.buttons ?? []).map((b) => String(b.payload))) };
      // (the one-time code is random: the transcript shows a fixed one)
      const shown = (x: string) => x.replaceAll(code, 'K7M2Q9XD');
      transcript.push(
        `> ${shown(text)}`,
        '',
        ...shown(out.text)
          .split('\n')
          .map((l) => (l ? `    ${l}` : '')),
        ...(out.buttons.length ? ['', `    [${out.buttons.join('] [')}]`] : []),
        '',
      );
      return out;
    };
    const draft = async () => (await a.ctx.store.getDraft(UNIT, PERIOD))?.answers ?? {};

    expect((await say(`đăng ký ${code}`)).text).toMatch(/Đăng ký thành công/);

    // The first question shows May's answer, and a button that keeps it.
    let r = await say(`báo cáo ${UNIT} ${PERIOD}`);
    expect(r.text).toMatch(/Bắt đầu Báo cáo tháng 06\/2027/);
    expect(r.text).toContain('Kỳ trước: Đang thực hiện. Gõ "giữ như kỳ trước" để dùng lại.');
    // (a choice question's buttons are its choices, last period's among them: no extra button)
    expect(r.buttons).toEqual(['Chưa triển khai', 'Đang thực hiện', 'Đã hoàn thành', 'Thực hiện thường xuyên']);

    // Typed without diacritics: May's answer stored, marked as copied from May.
    r = await say('giu nhu ky truoc');
    expect(r.text).toMatch(/^✓ Đã lưu như kỳ trước — Tình hình triển khai nhiệm vụ: Đang thực hiện/);
    expect((await draft())['d3/status']).toMatchObject({ value: 'dang_thuc_hien', copiedFrom: MAY });
    // The next question (free text) shows May's text too; an answer that begins with a command word is the answer.
    expect(r.text).toContain(`Kỳ trước: ${MAY_ANSWERS['d3/results'] as string}`);
    const results = 'Báo cáo kết quả tháng 6: vận động thêm 35 người tham gia BHXH tự nguyện.';
    r = await say(results);
    expect(r.text).toMatch(/^✓ Đã lưu — Kết quả đã thực hiện: Báo cáo kết quả tháng 6/);
    expect((await draft())['d3/results']).toMatchObject({ value: results });
    expect((await draft())['d3/results'].copiedFrom).toBeUndefined();

    // The latest revision's figure is offered (1.234, not revision 1's 1.000).
    expect(r.text).toContain('Kỳ trước: 1.234 người.');
    expect(r.buttons).toEqual(['giữ như kỳ trước']);
    expect(r.text).not.toContain('1.000 người');
    // "như kỳ trước": the rest of the section filled from May, listed; then the question May left empty.
    r = await say('như kỳ trước');
    expect(r.text).toMatch(/^✓ Đã điền 5 câu của mục 1\. Phát triển đối tượng tham gia BHXH, BHTN; hoàn thành chỉ tiêu được giao như kỳ trước:/);
    expect(r.text).toContain('  1.3 Số người tham gia BHXH (bắt buộc và tự nguyện) trên địa bàn');
    expect(r.text).toContain('Gõ "sửa 1" để rà soát từng câu.');
    expect(r.text).toMatch(/Kiến nghị, đề xuất — không bắt buộc/);
    let d = await draft();
    for (const k of COPIED_BY_SECTION) expect(d[k], k).toMatchObject({ value: MAY_ANSWERS[k], copiedFrom: MAY });
    expect(d['d3/proposals']).toBeUndefined();

    r = await say('bỏ qua');
    expect(r.text).toContain('Kỳ trước: Đang thực hiện.');
    r = await say('Đang thực hiện');
    expect((await draft())['d6/status'].copiedFrom).toBeUndefined();
    r = await say('Đã kiểm tra 3 xã, sơ kết tại 2 xã.');
    // 2.3 changed since May: nothing offered, and "giữ như kỳ trước" says so.
    expect(r.text).toMatch(/Số cuộc kiểm tra/);
    expect(r.text).not.toContain('Kỳ trước');
    r = await say('giữ như kỳ trước');
    expect(r.text).toMatch(/^Câu này không có câu trả lời kỳ trước để dùng lại/);
    expect((await draft())['d6/inspections']).toBeUndefined();
    r = await say('3');
    // 2.4: May's figure offered, and an unusual figure is compared with it.
    expect(r.text).toContain('Kỳ trước: 2 cuộc.');
    r = await say('40');
    expect(r.text).toMatch(/^⚠ Bạn nhập 40 cuộc, gấp 20 lần kỳ trước \(2 cuộc\)\. Đúng không\?/);
    expect((await draft())['d6/reviews']).toBeUndefined();
    r = await say('4');
    expect((await draft())['d6/reviews']).toMatchObject({ value: 4 });
    r = await say('bỏ qua');
    r = await say('bỏ qua');

    // The summary marks May's answers; the confirmation lists them by number before asking.
    expect(r.text).toContain('Bạn có muốn nộp báo cáo này không?');
    expect(r.text).toMatch(/1\.1 Tình hình triển khai nhiệm vụ: Đang thực hiện ⟲ như kỳ trước/);
    expect(r.text).toMatch(/1\.3 Số người tham gia BHXH \(bắt buộc và tự nguyện\)[^:\n]*: 1\.234 người ⟲ như kỳ trước/);
    expect(r.text).toMatch(/1\.2 Kết quả đã thực hiện: Báo cáo kết quả tháng 6[^\n]*\.\n/);
    expect(r.text).toContain('⚠ 6 câu trả lời đang để như kỳ trước, chưa nhập lại (câu 1.1, 1.3, 1.4, 1.5, 1.6, 1.7).');

    // Typed again, a figure is June's own: the mark goes.
    r = await say('sửa 1.3');
    expect(r.text).toContain('Đang ghi: 1.234 người.');
    r = await say('1.250');
    d = await draft();
    expect(d['d3/si_participants_district']).toMatchObject({ value: 1250 });
    expect(d['d3/si_participants_district'].copiedFrom).toBeUndefined();
    expect(r.text).toContain('⚠ 5 câu trả lời đang để như kỳ trước, chưa nhập lại (câu 1.1, 1.4, 1.5, 1.6, 1.7).');

    // "có" after that list submits; the submission and the audit row name the answers submitted as May's.
    r = await say('có');
    expect(r.text).toMatch(/✓ Đã nộp/);
    const sub = await a.ctx.store.latestSubmission(UNIT, PERIOD);
    const copied = ['d3/status', 'd3/vsi_participants_district', 'd3/ui_participants_district', 'd3/si_target_district', 'd3/difficulties'];
    expect(sub).toMatchObject({ revision: 1, copied, formQuestions: formQuestions(form) });
    expect(sub?.answers).toMatchObject({ 'd3/si_participants_district': 1250, 'd3/vsi_participants_district': 210, 'd3/results': results });
    const audit = await a.ctx.store.audit.find({ action: 'report.submitted', subject: `${UNIT}|${PERIOD}` });
    expect(audit).toMatchObject([{ actor: `zalo:${user}`, subject: `${UNIT}|${PERIOD}`, details: { revision: 1, copied } }]);

    // The coordinator's `xem` marks them too.
    const coordinator = zaloId();
    const coordCode = await a.ctx.store.createEnrolmentCode({ unitCode: 'LDTBXH', role: 'coordinator', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
    const coordSay = async (text: string) => {
      const msgId = zaloId();
      const before = z.cs.length;
      const ev = { ...zaloFixture('user-send-text'), app_id: z.appId, sender: { id: coordinator }, message: { text, msg_id: msgId }, timestamp: String(clock.now().getTime()) };
      expect((await z.post(a.url, ev)).status).toBe(200);
      await z.waitFor(async () => (await a.ctx.store.inbox.get(`zalo:user_send_text:${msgId}`))?.status === 'done', `replies to "${text}"`);
      return z.cs
        .slice(before)
        .filter((m) => m.userId === coordinator)
        .map((m) => m.message.text)
        .join('\n');
    };
    expect(await coordSay(`đăng ký ${coordCode}`)).toMatch(/Đăng ký thành công/);
    const view = await coordSay(`xem ${UNIT} ${PERIOD}`);
    expect(view).toMatch(/1\.4 Trong đó: số người tham gia BHXH tự nguyện: 210 người ⟲ như kỳ trước/);
    expect(view).toMatch(/1\.3 [^\n]*: 1\.250 người\n/);
    // …and so does the web console's page of the report (signed in with the one-time link the chat gives).
    const token = /\/web\/login\?t=([A-Za-z0-9_-]+)/.exec(await coordSay('trang quản lý'))?.[1];
    expect(token).toBeDefined();
    const login = await fetch(`${a.url}/web/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `t=${token}`, redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const html = await (await fetch(`${a.url}/web/report?unit=${UNIT}&period=${PERIOD}`, { headers: { Cookie: cookie } })).text();
    expect(html).toContain('210 người ⟲ như kỳ trước');
    expect(html).not.toContain('1.250 người ⟲');
    // …and so does the XLSX export (the link the chat gives, read back as another program would):
    // on the unit's answer rows, exactly the answers the submission holds as copied are marked.
    const exported = await coordSay(`xuất ${PERIOD} xlsx`);
    const link = /\/api\/files\/\S+/.exec(exported)?.[0];
    expect(link, exported).toBeDefined();
    const wb = await readXlsx(Buffer.from(await (await fetch(`${a.url}${link}`)).arrayBuffer()));
    const an = wb.getWorksheet(vi.document.sheetAnswers)!;
    expect((an.getRow(3).values as unknown[]).slice(1)).toEqual([...vi.document.answerHeaders]);
    const marked: string[] = [];
    let rows = 0;
    an.eachRow((row, n) => {
      if (n <= 3 || row.getCell(1).value !== UNIT) return;
      rows++;
      const key = String(row.getCell(6).value);
      expect(row.getCell(3).value).toBe(sub!.revision);
      if (typeof row.getCell(8).value === 'number') expect(row.getCell(8).value, key).toBe(sub!.answers[key]);
      const note = row.getCell(10).value;
      if (note !== null) {
        expect(note, key).toBe(vi.document.copiedCell);
        marked.push(key);
      }
    });
    expect(rows).toBe(form.sections.flatMap((x) => x.questions).filter((q) => q.type !== 'note').length);
    expect(marked.sort()).toEqual([...copied].sort());

    // Forgiving commands: a swap of letters is understood; a word too far is asked about, with a button.
    r = await say('trang thia');
    expect(r.text).toMatch(/Báo cáo tháng 06\/2027[^\n]*đã nộp/i);
    r = await say('baoo caoo');
    expect(r.text).toBe('Có phải bạn muốn gõ "báo cáo"?');
    expect(r.buttons).toEqual(['báo cáo']);
    // A space left out: the command itself (several reports are open: the list to choose from).
    r = await say('báocáo');
    expect(r.text).toMatch(/^Bạn có nhiều báo cáo đang mở/);

    await expect(
      [
        '# Transcript: a focal point starts from last period’s answers (Zalo)',
        '',
        'Generated by test/last-period.test.ts (`npx vitest run test/last-period.test.ts -u` rewrites it). Ủy ban nhân dân huyện Ba Bể files June 2027 on 16/6/2027; its May report was submitted (revision 2), and question 2.3 has changed since. Lines after `>` are what the focal point sends; indented lines are the bot’s replies, buttons in brackets.',
        '',
        ...transcript,
      ].join('\n'),
    ).toMatchFileSnapshot('../docs/transcripts/last-period.md');
  });
});

describe('Teams: May’s answers on a section card', () => {
  it('shows May’s answer beside each field, fills the section from its button, and keeps the mark on a field sent back unchanged', async () => {
    teams = await startFakeBotConnector();
    const clock = new ManualClock(Date.parse('2027-06-16T09:00:00+07:00'));
    app = await startTestApp({}, { clock });
    const a = app;
    const t = teams;
    const form = buildForm(a.ctx.regime, UNIT, 'M') as FormDefinition;
    await seedMay(a.ctx.store, form, clock.now().getTime());
    const u = teamsUser('Hoàng Thị Lan');
    const send = async (text: string) => {
      const mark = t.requests.length;
      const id = nextActivityId();
      expect((await postActivity(a.url, asUser(teamsFixture('message-personal', t.serviceUrl, { id, text }), u))).status).toBe(200);
      clock.advance(30_000);
      return t.requests.slice(mark).filter((q) => q.conversationId === u.conversationId && q.status < 300 && q.targetId === id);
    };
    const code = await a.ctx.store.createEnrolmentCode({ unitCode: UNIT, role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
    expect((await send(`đăng ký ${code}`)).map((q) => activityText(q.body)).join('\n')).toMatch(/Đăng ký thành công/);

    // The first section's card: May's answer beside each field offered, and the button that fills them.
    let replies = await send(`báo cáo ${UNIT} ${PERIOD}`);
    let card = cardOf(replies.map((q) => q.body).find((b) => cardOf(b)));
    expect(card).toBeDefined();
    const text = cardText(card);
    expect(text).toContain('Kỳ trước: 1.234 người');
    expect(text).toContain('Kỳ trước: Đang thực hiện');
    const buttons = card.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);
    const fill = buttons.find((b: any) => b.title === 'Điền như kỳ trước');
    expect(fill?.data?.msteams).toEqual({ type: 'imBack', value: 'như kỳ trước' });

    // The button's imBack arrives as the person's message: the section filled from May, marked.
    replies = await send(fill.data.msteams.value);
    const filled = replies.map((q) => activityText(q.body)).join('\n');
    expect(filled).toMatch(/✓ Đã điền 7 câu của mục 1\./);
    const d = (await a.ctx.store.getDraft(UNIT, PERIOD))?.answers ?? {};
    for (const k of ['d3/status', 'd3/results', ...COPIED_BY_SECTION]) expect(d[k], k).toMatchObject({ value: MAY_ANSWERS[k], copiedFrom: MAY });

    // Section 1 again ("sửa 1" from the card's button): the copied values filled in, each said to be May's.
    replies = await send('sửa 1');
    card = cardOf(replies.map((q) => q.body).find((b) => cardOf(b)));
    const inputs = cardInputs(card);
    expect(inputs['n:d3/si_participants_district'].value).toBe(1234);
    expect(cardText(card)).toContain('Đang để như kỳ trước: kiểm tra lại trước khi nộp.');
    // Sent back with one figure changed: that one is June's, the others stay May's.
    const exec = card.actions.find((x: any) => x.type === 'Action.Execute');
    const values = Object.fromEntries(Object.entries(inputs).map(([id, input]) => [id, input.value ?? '']));
    values['n:d3/ui_participants_district'] = 1001;
    const invoke = asUser(
      teamsFixture('invoke-adaptive-card-action', t.serviceUrl, {
        id: `f:${nextActivityId()}`,
        value: { action: { type: 'Action.Execute', id: 'submit', verb: exec.verb, data: { ...exec.data, ...values } }, trigger: 'manual' },
      }),
      u,
    );
    const res = await postActivity(a.url, invoke);
    expect(res.status).toBe(200);
    const after = (await a.ctx.store.getDraft(UNIT, PERIOD))?.answers ?? {};
    expect(after['d3/ui_participants_district']).toMatchObject({ value: 1001 });
    expect(after['d3/ui_participants_district'].copiedFrom).toBeUndefined();
    expect(after['d3/si_participants_district']).toMatchObject({ value: 1234, copiedFrom: MAY });
    expect(after['d3/status']).toMatchObject({ value: 'dang_thuc_hien', copiedFrom: MAY });

    // `xem lại`: the summary marks what is still May's.
    replies = await send('xem lại');
    const summary = replies.map((q) => activityText(q.body)).join('\n');
    // (a card's table: number, question and answer on lines of their own)
    expect(summary).toMatch(/\n1\.3\nSố người tham gia BHXH[^\n]*\n1\.234 người ⟲ như kỳ trước\n/);
    expect(summary).toMatch(/\n1\.5\nSố người tham gia BHTN trên địa bàn\n1\.001 người\n/);

    // Forgiving commands on Teams. In the report's dialog (waiting for a choice), a sure typo is the command…
    replies = await send('tiep tcu');
    expect(replies.map((q) => activityText(q.body)).join('\n')).toMatch(/Mục 2\/2/);
    // …and with no dialog waiting, one near but not certain is asked about, with the command as a suggested action.
    expect(replies.length).toBeGreaterThan(0);
    await send('hủy');
    replies = await send('trang thia');
    expect(replies.map((q) => activityText(q.body)).join('\n')).toMatch(/Tình hình báo cáo của bạn/);
    replies = await send('baoo caoo');
    expect(replies).toHaveLength(1);
    expect(replies[0].body.text).toBe('Có phải bạn muốn gõ "báo cáo"?');
    expect(replies[0].body.suggestedActions.actions).toEqual([{ type: 'imBack', title: 'báo cáo', value: 'báo cáo' }]);

    // With no dialog open, `như kỳ trước` takes up the report last worked on and fills the section to answer (2.3 changed since May: left).
    replies = await send('như kỳ trước');
    expect(replies.map((q) => activityText(q.body)).join('\n')).toMatch(/✓ Đã điền 3 câu của mục 2\./);
    const d2 = (await a.ctx.store.getDraft(UNIT, PERIOD))?.answers ?? {};
    for (const k of ['d6/status', 'd6/results', 'd6/reviews']) expect(d2[k], k).toMatchObject({ value: MAY_ANSWERS[k], copiedFrom: MAY });
    expect(d2['d6/inspections']).toBeUndefined();
  });
});
