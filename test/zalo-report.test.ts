/**
 * A whole report over Zalo: a focal point enrols with a code, picks the period with a button and
 * answers every question through SIGNED `user_send_text` events posted to the real app's
 * webhook (button taps arrive as text, as Zalo sends them); every reply is read at the fake Zalo
 * API, in the documented shapes; the submission is checked in the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { E, R } from '../dialogs/messages.js';
import { ManualClock } from '../lib/clock.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeZalo, zaloFixture, zaloId, type CsCall, type FakeZalo } from './helpers/fake-zalo.js';

let fake: FakeZalo;
let app: TestApp;
afterEach(async () => {
  await app?.close();
  await fake?.close();
});

describe('a whole report through Zalo', () => {
  it('enrols, picks the period by button, answers every question and submits; the submission is stored', async () => {
    fake = await startFakeZalo();
    const clock = new ManualClock(new Date('2027-06-16T09:00:00+07:00').getTime());
    app = await startTestApp(fake.env(), { clock });
    const user = zaloId();
    const code = await app.ctx.store.createEnrolmentCode({ unitCode: 'BA-BE', role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 7 * 86_400_000 });

    /** Sends one signed text as the user; returns the replies Zalo received for it. */
    const say = async (text: string): Promise<CsCall[]> => {
      const before = fake.cs.length;
      const msgId = zaloId();
      const ev = { ...zaloFixture('user-send-text'), app_id: fake.appId, sender: { id: user }, message: { text, msg_id: msgId }, timestamp: String(clock.now().getTime()) };
      const r = await fake.post(app.url, ev);
      expect(r.status).toBe(200);
      await fake.waitFor(async () => (await app.ctx.store.inbox.get(`zalo:user_send_text:${msgId}`))?.status === 'done', `replies to "${text}"`);
      clock.advance(20_000);
      return fake.cs.slice(before);
    };
    const textOf = (ms: CsCall[]) => ms.map((m) => m.message.text).join('\n');
    const buttonsOf = (ms: CsCall[]) => ms.flatMap((m) => m.message.attachment?.payload.buttons ?? []);

    expect(textOf(await say(`đăng ký ${code}`))).toMatch(/Đăng ký thành công/);

    // More than one open report: a list with buttons; the tap sends the button's payload as text.
    const pick = await say('báo cáo');
    expect(textOf(pick)).toContain(R.pickIntro);
    const picks = buttonsOf(pick);
    expect(picks.length).toBeGreaterThan(1);
    expect(picks.length).toBeLessThanOrEqual(5);
    expect(picks.every((b) => b.type === 'oa.query.hide' && typeof b.payload === 'string')).toBe(true);
    const june = picks.find((b) => String(b.payload).endsWith('BA-BE 2027-06'));
    expect(june).toBeDefined();
    let replies = await say(String(june!.payload));
    expect(textOf(replies)).toMatch(/Bắt đầu Báo cáo tháng 06\/2027/);

    let buttonTaps = 0;
    let turns = 0;
    for (; turns < 80; turns++) {
      const text = textOf(replies);
      if (text.includes('✓ Đã nộp')) break;
      const buttons = buttonsOf(replies);
      let answer: string;
      if (text.includes(E.howChoice) || text.includes(R.confirm) || text.includes('Trả lời "có" để nộp')) {
        const pref = buttons.find((b) => b.payload === 'Đã hoàn thành') ?? buttons.find((b) => b.payload === R.yesWord) ?? buttons[0];
        expect(pref, `a button to tap in:\n${text}`).toBeDefined();
        answer = String(pref!.payload);
        buttonTaps++;
      } else if (text.includes(E.howChoices)) answer = '1';
      else if (text.includes('Trả lời bằng một số nguyên')) answer = '1.200';
      else if (text.includes('Trả lời bằng một số')) answer = '12,5';
      else if (text.includes(E.howPercent)) answer = '45';
      else if (text.includes(E.howDate)) answer = '05/06/2027';
      else if (text.includes(E.howText)) answer = 'Đã ban hành kế hoạch triển khai và tổ chức tuyên truyền tại 8 xã, thị trấn.';
      else if (text.includes(R.nothingAsked) || text.includes(R.allAnswered)) answer = 'nộp';
      else throw new Error(`unexpected reply:\n${text}`);
      replies = await say(answer);
      expect(textOf(replies), `after "${answer}"`).not.toMatch(/✗ Chưa lưu/);
    }
    expect(textOf(replies)).toMatch(/✓ Đã nộp Báo cáo tháng 06\/2027/);
    expect(buttonTaps).toBeGreaterThanOrEqual(3);

    const sub = await app.ctx.store.latestSubmission('BA-BE', '2027-06');
    expect(sub).toMatchObject({ revision: 1, channel: 'zalo', submittedBy: `zalo:${user}`, late: false });
    expect(sub!.answers).toMatchObject({ 'd3/status': 'hoan_thanh', 'd6/status': 'hoan_thanh' });
    expect(sub!.answers['d3/results']).toMatch(/Đã ban hành kế hoạch/);
    expect(await app.ctx.store.reportState('BA-BE', '2027-06')).toMatchObject({ status: 'submitted', revision: 1 });

    // Every reply went to this user, within Zalo's limits (the fake refuses anything else).
    expect(fake.cs.every((m) => m.userId === user)).toBe(true);
    expect(fake.calls.filter((c) => c.endpoint === 'cs' && c.error !== 0)).toEqual([]);
    const contact = await app.ctx.store.contacts.get(`zalo:${user}`);
    expect(contact?.lastInteractionAt).toBeGreaterThan(new Date('2027-06-16T09:00:00+07:00').getTime());
  });
});
