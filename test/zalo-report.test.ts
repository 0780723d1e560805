/**
 * A whole report over Zalo: a focal point enrols with a code, picks the period with a button and
 * answers every question through SIGNED `user_send_text` events posted to the real app's
 * webhook (button taps arrive as text, as Zalo sends them); every reply is read at the fake Zalo
 * API, in the documented shapes; the submission is checked in the store.
 *
 * On the way it checks that the dialog fits a phone, where Zalo shows one bubble at a time: every
 * question is one bubble and, once inside a section, short; the duty's text comes once per
 * section (and again on `nhiệm vụ`); a refused answer gets the error and the question's label only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import { questionAskedIn } from './helpers/answers.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime } from './helpers/bot.js';
import { startFakeZalo, zaloFixture, zaloId, type CsCall, type FakeZalo } from './helpers/fake-zalo.js';

/** Most characters of a question asked inside a section (from its progress line to its end). */
const QUESTION_MAX = 400;

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
    expect(textOf(pick)).toContain(vi.report.pickIntro);
    const picks = buttonsOf(pick);
    expect(picks.length).toBeGreaterThan(1);
    expect(picks.length).toBeLessThanOrEqual(5);
    expect(picks.every((b) => b.type === 'oa.query.hide' && typeof b.payload === 'string')).toBe(true);
    const june = picks.find((b) => String(b.payload).endsWith('BA-BE 2027-06'));
    expect(june).toBeDefined();
    let replies = await say(String(june!.payload));
    expect(textOf(replies)).toMatch(/Bắt đầu Báo cáo tháng 06\/2027/);

    const form = buildForm(defaultRegime(), 'BA-BE', 'M') as FormDefinition;
    const dutyOf = (i: number) => vi.answer.dutyText(form.sections[i].text);
    /** Every reply of the walk, with the question it asks. */
    const seen: Array<{ text: string; bubbles: number; asks?: string }> = [];
    const note = (ms: CsCall[]) => seen.push({ text: textOf(ms), bubbles: ms.length, asks: questionAskedIn(form, textOf(ms))?.key });
    note(replies);

    let buttonTaps = 0;
    let turns = 0;
    let refusedOnce = false;
    let dutyAgain = false;
    for (; turns < 80; turns++) {
      const text = textOf(replies);
      if (text.includes('✓ Đã nộp')) break;
      const buttons = buttonsOf(replies);
      const q = questionAskedIn(form, text);
      let answer: string;
      if (text.includes(vi.report.confirm) || (q && q.type === 'select_one')) {
        const pref = buttons.find((b) => b.payload === 'Đã hoàn thành') ?? buttons.find((b) => b.payload === vi.report.yesWord) ?? buttons[0];
        expect(pref, `a button to tap in:\n${text}`).toBeDefined();
        answer = String(pref!.payload);
        buttonTaps++;
      } else if (q?.type === 'integer') {
        if (!refusedOnce) {
          // A refused answer: what is wrong and the question's label, in one short bubble; nothing stored.
          refusedOnce = true;
          const refused = await say('mười hai');
          const t = textOf(refused);
          expect(refused).toHaveLength(1);
          expect(t).toMatch(/^✗ Chưa lưu được câu trả lời\. Cần một số nguyên/);
          expect(t).toContain(q.label);
          expect(t).not.toContain(form.sections[0].title);
          expect(t).not.toContain('Trả lời bằng');
          expect(t.length).toBeLessThan(300);
          expect(questionAskedIn(form, t)?.key).toBe(q.key);
          expect((await app.ctx.store.getDraft('BA-BE', '2027-06'))?.answers[q.key]).toBeUndefined();
        }
        answer = '1.200';
      } else if (q?.type === 'select_multiple') answer = '1';
      else if (q?.type === 'decimal') answer = '12,5';
      else if (q?.type === 'percent') answer = '45';
      else if (q?.type === 'date') answer = '05/06/2027';
      else if (q?.type === 'text') {
        if (!dutyAgain && form.sections.findIndex((s) => s.questions.includes(q)) === 1) {
          // `nhiệm vụ` (typed without diacritics) shows the section's duty again, then the same question.
          dutyAgain = true;
          const again = await say('nhiem vu');
          const t = textOf(again);
          expect(t).toContain(dutyOf(1));
          expect(t).toContain(q.label);
          expect(questionAskedIn(form, t)?.key).toBe(q.key);
          seen.push({ text: t, bubbles: again.length, asks: q.key });
        }
        answer = 'Đã ban hành kế hoạch triển khai và tổ chức tuyên truyền tại 8 xã, thị trấn.';
      } else if (text.includes(vi.report.nothingAsked) || text.includes(vi.report.allAnswered)) answer = 'nộp';
      else throw new Error(`unexpected reply:\n${text}`);
      replies = await say(answer);
      note(replies);
      expect(textOf(replies), `after "${answer}"`).not.toMatch(/✗ Chưa lưu/);
      // The answer typed after `nhiệm vụ` answers the question that was pending.
      if (q && answer !== vi.report.yesWord) expect((await app.ctx.store.getDraft('BA-BE', '2027-06'))?.answers[q.key], q.key).toBeDefined();
    }
    expect(textOf(replies)).toMatch(/✓ Đã nộp Báo cáo tháng 06\/2027/);
    expect(buttonTaps).toBeGreaterThanOrEqual(3);
    expect(refusedOnce && dutyAgain).toBe(true);

    // Fits a phone: every question is one bubble; inside a section it is short; each section's duty
    // came once when entering it (and once more for the `nhiệm vụ` asked in section 2).
    const questions = seen.filter((s) => s.asks);
    expect(questions.length).toBeGreaterThanOrEqual(14);
    for (const s of questions) {
      expect(s.bubbles, s.text).toBe(1);
      const fromProgress = s.text.slice(s.text.lastIndexOf('Mục '));
      if (!form.sections.some((_, i) => s.text.includes(dutyOf(i)))) expect(fromProgress.length, fromProgress).toBeLessThanOrEqual(QUESTION_MAX);
    }
    form.sections.forEach((_, i) => expect(seen.filter((s) => s.text.includes(dutyOf(i))).length, `duty of section ${i + 1}`).toBe(i === 1 ? 2 : 1));

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
