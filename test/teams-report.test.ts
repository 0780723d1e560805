/**
 * A whole report over Teams, end to end over HTTP: install, enrol with a code, open the report,
 * answer a question by typing, fill every section card (Action.Execute invokes answered in the HTTP body, and the Action.Submit
 * fallback arriving as a message), get one section rejected with the errors beside the fields,
 * confirm with the card's button, and find the stored submission equal to what was entered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.js';
import { buildForm, type FormDefinition, type FormQuestion } from '../regime/regime.js';
import type { AnswerValue } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { activityText, asUser, cardInputs, cardOf, cardText, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

const UNIT = 'BHXH';
const PERIOD = '2027-H1';

describe(`a whole ${UNIT} ${PERIOD} report through Teams cards`, () => {
  let app: TestApp;
  let fake: FakeBotConnector;
  const clock = new ManualClock(Date.parse('2027-06-16T09:00:00+07:00'));
  const u = teamsUser('Trần Thị Hoa');

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    app = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const message = (text: string) => asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text }), u);
  /** Replies the connector received for this conversation since `from` (an index into the requests). */
  const repliesSince = (from: number) =>
    fake.requests
      .slice(from)
      .filter((r) => r.conversationId === u.conversationId && r.status < 300)
      .map((r) => r.body);

  /** What a person enters for a question, as the card input holds it, and the value the store should then hold. */
  function entry(regime: TestApp['ctx']['regime'], q: FormQuestion, input: any, asStrings: boolean): { value: unknown; stored: AnswerValue } {
    const num = (n: number) => ({ value: asStrings ? String(n) : n, stored: n });
    switch (input.type) {
      case 'Input.Number':
        return q.type === 'decimal' ? num(1234.5) : q.type === 'percent' ? num(45.5) : num(1200);
      case 'Input.Date':
        return { value: '2027-05-20', stored: '2027-05-20' };
      case 'Input.ChoiceSet': {
        const values: string[] = input.choices.map((c: { value: string }) => c.value);
        if (input.isMultiSelect) return { value: `${values[0]},${values[2]}`, stored: [values[0], values[2]] };
        const pick = values.includes('dang_thuc_hien') ? 'dang_thuc_hien' : values[0];
        expect(regime.choiceLists[q.choices as string].map((c) => c.name)).toContain(pick);
        return { value: pick, stored: pick };
      }
      default:
        return { value: `Nội dung ${q.key} — đã thực hiện`, stored: `Nội dung ${q.key} — đã thực hiện` };
    }
  }

  it('walks the report from install to the stored submission', async () => {
    const form = buildForm(app.ctx.regime, UNIT, 'H1') as FormDefinition;
    const questions = new Map(form.sections.flatMap((s) => s.questions.map((q) => [q.key, q] as const)));

    // Install: the conversation reference is stored, the core greets.
    let mark = fake.requests.length;
    const install = asUser(teamsFixture('conversation-update-install', fake.serviceUrl, { id: `f:${nextActivityId()}` }), u);
    expect((await postActivity(app.url, install)).status).toBe(200);
    expect(repliesSince(mark).map(activityText).join('\n')).toMatch(/Xin chào/);

    // Enrol with a one-time code, as `dondoc enroll` creates it.
    const code = await app.ctx.store.createEnrolmentCode({ unitCode: UNIT, role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
    mark = fake.requests.length;
    expect((await postActivity(app.url, message(`đăng ký ${code}`))).status).toBe(200);
    expect(repliesSince(mark).map(activityText).join('\n')).toMatch(/Đăng ký thành công: bạn là đầu mối báo cáo của Bảo hiểm xã hội tỉnh/);

    // Open the report: the first section arrives as a card.
    mark = fake.requests.length;
    expect((await postActivity(app.url, message(`báo cáo ${UNIT} ${PERIOD}`))).status).toBe(200);
    let replies = repliesSince(mark);
    let card = cardOf(replies.find((a) => cardOf(a)));
    expect(card, replies.map(activityText).join('\n')).toBeDefined();
    expect(cardText(card)).toMatch(/Bắt đầu Báo cáo 6 tháng đầu năm 2027/);
    expect(cardText(card)).toMatch(/Mục 1\/5/);

    // Plain text works too: typing the first question's answer saves it and updates the card.
    mark = fake.requests.length;
    expect((await postActivity(app.url, message('dang thuc hien'))).status).toBe(200);
    replies = repliesSince(mark);
    card = cardOf(replies.find((a) => cardOf(a)));
    expect(cardText(card)).toMatch(/^✓ Đã lưu — Tình hình triển khai nhiệm vụ: Đang thực hiện/);
    expect(cardInputs(card)['t:d1/status'].value).toBe('dang_thuc_hien');
    expect((await app.ctx.store.getDraft(UNIT, PERIOD))?.answers['d1/status']?.value).toBe('dang_thuc_hien');

    const expected: Record<string, AnswerValue> = {};
    const notAnswered: string[] = [];
    const sectionsSeen: string[] = [];
    let rejectedOnce = false;
    let viaExecute = true;
    let execCount = 0;
    let submitCount = 0;

    for (let guard = 0; guard < 20; guard++) {
      const exec = card?.actions?.find((a: any) => a.type === 'Action.Execute');
      if (!exec) break; // not a section card any more: the summary
      expect(exec.fallback.type).toBe('Action.Submit');
      sectionsSeen.push(exec.data.sectionId);
      const inputs = cardInputs(card);
      const values: Record<string, unknown> = {};
      const stored: Record<string, AnswerValue> = {};
      // Section 3 is reported as not started: its conditional questions stay empty, and the card
      // must let that through (a question asked only under a condition is not required on the card).
      const notStarted = exec.data.sectionId === 'd3';
      for (const [id, input] of Object.entries(inputs)) {
        const key = id.slice(2);
        const q = questions.get(key) as FormQuestion;
        expect(q, id).toBeDefined();
        // Nothing is required on the card (the core checks the section); the label marks what is.
        expect(input.isRequired, id).toBeFalsy();
        if (notStarted && q.name === 'status') {
          values[id] = 'chua_trien_khai';
          stored[key] = 'chua_trien_khai';
          continue;
        }
        if (notStarted && q.relevant) {
          values[id] = '';
          notAnswered.push(key);
          continue;
        }
        const e = entry(app.ctx.regime, q, input, !viaExecute);
        values[id] = e.value;
        stored[key] = e.stored;
      }
      // The first section is sent once with a required answer left empty: refused, the rest kept.
      const refuse = !rejectedOnce;
      const emptied = refuse ? Object.keys(inputs).find((id) => inputs[id].type === 'Input.Text' && questions.get(id.slice(2))?.required && !questions.get(id.slice(2))?.relevant) : undefined;
      if (emptied) values[emptied] = '';

      mark = fake.requests.length;
      let answered: any;
      if (viaExecute) {
        const invoke = asUser(
          teamsFixture('invoke-adaptive-card-action', fake.serviceUrl, {
            id: `f:${nextActivityId()}`,
            value: { action: { type: 'Action.Execute', id: 'submit', verb: exec.verb, data: { ...exec.data, ...values } }, trigger: 'manual' },
          }),
          u,
        );
        const r = await postActivity(app.url, invoke);
        expect(r.status).toBe(200);
        expect(r.body.type).toBe('application/vnd.microsoft.card.adaptive');
        answered = r.body.value;
        execCount++;
      } else {
        const submit = asUser(teamsFixture('message-card-submit', fake.serviceUrl, { id: nextActivityId(), value: { ...exec.fallback.data, ...values } }), u);
        expect((await postActivity(app.url, submit)).status).toBe(200);
        replies = repliesSince(mark);
        answered = cardOf(replies.find((a) => cardOf(a)));
        submitCount++;
      }

      if (emptied) {
        rejectedOnce = true;
        // The same section again: the error beside the emptied field, the other values kept.
        const again = cardInputs(answered);
        expect(Object.keys(again)).toEqual(Object.keys(inputs));
        const i = answered.body.findIndex((e: any) => e.id === emptied);
        expect(cardText(answered.body[i + 1])).toMatch(/Vui lòng nêu kết quả đã thực hiện/);
        for (const [id, v] of Object.entries(values)) if (id !== emptied && again[id].type !== 'Input.Number') expect(again[id].value).toBe(v);
        for (const [id, v] of Object.entries(values)) if (again[id].type === 'Input.Number') expect(again[id].value).toBe(Number(v));
        // Valid answers were stored before the answer came back.
        const draft = await app.ctx.store.getDraft(UNIT, PERIOD);
        const key = Object.keys(stored).find((k) => inputs[`n:${k}`]);
        if (key) expect(draft?.answers[key]?.value).toEqual(stored[key]);
        card = answered;
        continue;
      }
      Object.assign(expected, stored);
      // The answer leads with the core's acknowledgement, then shows what comes next.
      expect(cardText(answered)).toMatch(/^✓ Đã lưu/);
      card = answered;
      viaExecute = !viaExecute;
    }

    expect(new Set(sectionsSeen)).toEqual(new Set(form.sections.map((s) => s.id)));
    expect(execCount).toBeGreaterThan(1);
    expect(submitCount).toBeGreaterThan(1);

    // The summary card: the answers as a table, the question, and the buttons to submit.
    const summary = cardText(card);
    expect(summary).toMatch(/Bạn có muốn nộp báo cáo này không\?/);
    expect(summary).toMatch(/Nội dung d1\/results — đã thực hiện/);
    const buttons = card.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);
    const yes = buttons.find((b: any) => /Có/.test(b.title));
    expect(yes.data.msteams.type).toBe('imBack');

    // Nothing stored as submitted yet.
    expect(await app.ctx.store.latestSubmission(UNIT, PERIOD)).toBeNull();

    // Pressing the button posts its value as the user's message.
    mark = fake.requests.length;
    expect((await postActivity(app.url, message(yes.data.msteams.value))).status).toBe(200);
    expect(repliesSince(mark).map(activityText).join('\n')).toMatch(/✓ Đã nộp Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh/);

    const sub = await app.ctx.store.latestSubmission(UNIT, PERIOD);
    expect(sub).toMatchObject({ unitCode: UNIT, periodId: PERIOD, revision: 1, channel: 'teams', submittedBy: `teams:${u.userId}`, late: false });
    for (const [key, value] of Object.entries(expected)) expect(sub?.answers[key], key).toEqual(value);
    expect(notAnswered).toContain('d3/results');
    for (const key of notAnswered) expect(sub?.answers[key] ?? null, key).toBeNull();
    expect(sub?.answers['d3/status']).toBe('chua_trien_khai');
    // Every required question of the form that applies was answered through the cards.
    for (const s of form.sections) for (const q of s.questions) if (q.required && !notAnswered.includes(q.key)) expect(sub?.answers[q.key], q.key).toBeDefined();
    expect(Object.keys(expected).length).toBeGreaterThan(25);
    // The relevance-dependent date (asked once the satisfaction index was given) came through too.
    expect(sub?.answers['d2/satisfaction_survey_date']).toBe('2027-05-20');
    expect((await app.ctx.store.reportState(UNIT, PERIOD))?.status).toBe('submitted');
  });
});
