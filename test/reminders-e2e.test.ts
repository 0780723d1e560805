/**
 * Reminders, digests, outbox and broadcasts end to end: the real app with its real Teams and Zalo
 * senders, talking to local fakes of the Bot Connector and the Zalo API; officials enrolled over
 * HTTP; the clock set by the test; jobs run as each scheduler tick runs them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { approveReport } from '../services/review.js';
import { makePeriod } from '../regime/periods.js';
import { buildForm } from '../regime/regime.js';
import type { OutboxEntry } from '../store/records.js';
import { startWorld, type World } from './helpers/reminder-world.js';
import { rng, sampleAnswers, seedDraft } from './helpers/seed-submissions.js';
import { asUser, nextActivityId, postActivity, teamsFixture, type TeamsUser } from './helpers/teams-fixtures.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Stores a unit's submission at the clock's time, as the report dialog does. */
async function submit(world: World, unitCode: string, periodId: string): Promise<void> {
  const p = makePeriod(world.app.ctx.regime, periodId)!;
  const form = buildForm(world.app.ctx.regime, unitCode, p.kind)!;
  const at = world.clock.now().getTime();
  const s = await world.app.ctx.store.appendSubmission({
    unitCode,
    periodId: p.id,
    revision: 1,
    formVersion: form.version,
    answers: sampleAnswers(world.app.ctx.regime, form, p, rng(1)),
    submittedAt: at,
    submittedBy: `teams:focal-${unitCode}`,
    channel: 'teams',
    late: at >= p.deadline.toMillis(),
  });
  expect(s).not.toBeNull();
}

const outbox = (world: World) => world.app.ctx.store.outbox.find({}, { sort: [['_id', 1]] });

describe('reminders over the real channels', () => {
  it('a step reaches every reachable focal point of a unit on Teams and Zalo, saying period, deadline, what is missing and how to continue', async () => {
    w = await startWorld({ now: '2027-06-20T09:00:00+07:00', zalo: true });
    const teamsA = await w.enrolTeams('BHXH', 'focal', 'Nguyễn Văn An');
    const zaloB = await w.enrolZalo('BHXH');
    const coord = await w.enrolTeams('LDTBXH', 'coordinator', 'Trần Thị Điều Phối');
    await seedDraft(w.app.ctx.store, w.app.ctx.regime, '2027-H1', 'BHXH', 0.4, { at: w.clock.now().getTime() });
    // Everyone else has submitted the open periods, so only BHXH's ladder is due.
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && x.code !== 'BHXH')) await submit(w, u.code, '2027-H1');
    for (const d of w.app.ctx.regime.units.filter((x) => x.kind === 'district')) await submit(w, d.code, '2027-06');
    w.reset();

    w.clock.set('2027-06-21T07:59:00+07:00');
    expect((await w.pass()).enqueued).toBe(0);
    w.clock.set('2027-06-21T08:00:00+07:00');
    const r = await w.pass();
    expect(r).toMatchObject({ enqueued: 2, skipped: 0, unreachableUnits: 0 });
    await w.drain();

    const [t] = w.teamsTexts(teamsA);
    const [z] = w.zaloTexts(zaloB);
    for (const text of [t, z]) {
      expect(text).toContain('Báo cáo 6 tháng đầu năm 2027');
      expect(text).toContain('Bảo hiểm xã hội tỉnh');
      expect(text).toContain('trước 00:00 ngày 05/7/2027');
      expect(text).toContain('hết ngày 04/7/2027 (còn 14 ngày)');
      expect(text).toMatch(/Đã trả lời \d+\/\d+ câu hỏi\. Còn \d+\/5 mục chưa trả lời đủ: «/);
      expect(text).toContain('"báo cáo"');
    }
    expect(w.teamsTexts(coord)).toEqual([]);
    expect((await outbox(w)).map((e) => [e.purpose, e.status])).toEqual([
      ['reminder', 'sent'],
      ['reminder', 'sent'],
    ]);

    // Same minute again, another tick, a restarted worker: nothing more.
    expect((await w.pass()).enqueued).toBe(0);
    w.clock.set('2027-06-21T08:01:00+07:00');
    expect((await w.pass()).enqueued).toBe(0);
    await w.drain();
    expect(w.teamsTexts(teamsA)).toHaveLength(1);
    expect(w.zaloTexts(zaloB)).toHaveLength(1);
  });

  it('after downtime only the latest due step is sent, older ones are recorded as skipped; nothing after the unit submits', async () => {
    w = await startWorld({ now: '2027-06-21T08:00:00+07:00' });
    const a = await w.enrolTeams('CTK');
    const b = await w.enrolTeams('LMHTX');
    await w.enrolTeams('LDTBXH', 'coordinator');
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && !['CTK', 'LMHTX'].includes(x.code))) await submit(w, u.code, '2027-H1');
    for (const d of w.app.ctx.regime.units.filter((x) => x.kind === 'district')) for (const m of ['2027-06', '2027-07']) await submit(w, d.code, m);
    w.reset();
    await w.pass();
    await w.drain();
    expect(w.teamsTexts(a)).toHaveLength(1);

    // The server is down from 21 June until 7 July 09:30: T-7 and T-3+T-1 were missed.
    w.clock.set('2027-07-07T09:30:00+07:00');
    const r = await w.pass();
    await w.drain();
    // 2 steps × 2 units, and the coordinators' "day before" digest (the "first day after" one went out).
    expect(r.skipped).toBe(5);
    const texts = w.teamsTexts(a);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain('đã quá hạn 2 ngày');
    const claims = await w.app.ctx.store.claims.find({ kind: 'reminder' }, { sort: [['_id', 1]] });
    const ctk = claims.filter((c) => c._id.startsWith('rem|CTK|2027-H1|'));
    expect(ctk.map((c) => [c._id.split('|')[3], Boolean(c.details?.skipped)])).toEqual([
      ['Q+2', false],
      ['T-14', false],
      ['T-3+T-1', true],
      ['T-7', true],
    ]);

    // LMHTX submits; CTK does not: at Q+4 only CTK is reminded.
    w.clock.set('2027-07-08T10:00:00+07:00');
    await submit(w, 'LMHTX', '2027-H1');
    w.clock.set('2027-07-09T08:00:00+07:00');
    await w.pass();
    await w.drain();
    expect(w.teamsTexts(a)).toHaveLength(3);
    expect(w.teamsTexts(b)).toHaveLength(2);
  });

  it('a reminder waiting in the outbox is cancelled when its unit submits before it could be sent', async () => {
    w = await startWorld({ now: '2027-06-21T08:00:00+07:00' });
    const a = await w.enrolTeams('STP');
    w.reset();
    const undo = w.teams.failWith({ status: 503, code: 'ServiceUnavailable', retryAfterSeconds: 0 });
    await w.pass();
    await w.drain();
    const [e] = (await outbox(w)).filter((x) => x.recipient === `teams:${a.userId}`);
    expect(e).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('503') });
    await submit(w, 'STP', '2027-H1');
    undo();
    w.clock.set('2027-06-21T09:00:00+07:00');
    await w.drain();
    expect(await w.app.ctx.store.outbox.get(e._id)).toMatchObject({ status: 'cancelled', reason: 'submitted' });
    expect(w.teamsTexts(a)).toEqual([]);
  });
});

describe('undeliverable messages', () => {
  it('a Zalo focal point outside the 7-day window is undeliverable; the coordinators hear of it, with what happened on the other channel', async () => {
    w = await startWorld({ now: '2027-06-01T09:00:00+07:00', zalo: true });
    // Two officials wrote to the OA on 1 June, then never again.
    const lone = await w.enrolZalo('CTHUE');
    const both = await w.enrolZalo('KHDT');
    w.clock.set('2027-06-18T09:00:00+07:00');
    const teamsKhdt = await w.enrolTeams('KHDT');
    const coord = await w.enrolTeams('LDTBXH', 'coordinator', 'Điều phối viên');
    w.clock.set('2027-06-21T08:00:00+07:00');
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && !['CTHUE', 'KHDT'].includes(x.code))) await submit(w, u.code, '2027-H1');
    for (const d of w.app.ctx.regime.units.filter((x) => x.kind === 'district')) await submit(w, d.code, '2027-06');
    w.reset();

    await w.pass();
    await w.drain();
    const entries = await outbox(w);
    const byRecipient = (k: string) => entries.find((e) => e.recipient === k && e.purpose === 'reminder') as OutboxEntry;
    expect(byRecipient(`zalo:${lone}`)).toMatchObject({ status: 'undeliverable', reason: 'zalo_outside_window' });
    expect(byRecipient(`zalo:${both}`)).toMatchObject({ status: 'undeliverable', reason: 'zalo_outside_window' });
    expect(byRecipient(`teams:${teamsKhdt.userId}`)).toMatchObject({ status: 'sent' });
    expect(w.zaloTexts(lone)).toEqual([]);
    expect(w.teamsTexts(teamsKhdt)).toHaveLength(1);

    const notice = w.teamsTexts(coord).find((t) => t.includes('không gửi được'));
    expect(notice).toBeDefined();
    expect(notice).toContain('Có 2 tin nhắn không gửi được');
    expect(notice).toMatch(/Cục Thuế tỉnh — .*\(Zalo\), tin nhắc nộp báo cáo: không gửi được vì người nhận đã quá 7 ngày không nhắn tin.*Đơn vị không còn đầu mối nào khác liên lạc được\./);
    expect(notice).toMatch(/Sở KH&ĐT — .*\(Zalo\), tin nhắc nộp báo cáo: .*Các đầu mối khác của đơn vị đã nhận tin này\./);
    // Reported once.
    await w.drain();
    expect(w.teamsTexts(coord).filter((t) => t.includes('không gửi được'))).toHaveLength(1);
    expect(await w.app.ctx.store.outbox.count({ status: 'undeliverable', notifiedAt: null })).toBe(0);
  });

  it("other modules' messages to focal points (a review result) are covered too: undelivered, the coordinators are told", async () => {
    w = await startWorld({ now: '2027-06-01T09:00:00+07:00', zalo: true });
    const z = await w.enrolZalo('LMHTX');
    w.clock.set('2027-07-06T09:00:00+07:00');
    const coord = await w.enrolTeams('LDTBXH', 'coordinator', 'Điều phối viên');
    await submit(w, 'LMHTX', '2027-H1');
    w.reset();
    const r = await approveReport(w.app.ctx, {
      unitCode: 'LMHTX',
      period: makePeriod(w.app.ctx.regime, '2027-H1')!,
      by: { userKey: `teams:${coord.userId}`, channel: 'teams' },
      now: w.clock.now().getTime(),
    });
    expect(r).toMatchObject({ ok: true, notified: 1 });
    await w.drain();
    const [e] = (await outbox(w)).filter((x) => x.purpose === 'review');
    expect(e).toMatchObject({ status: 'undeliverable', reason: 'zalo_outside_window' });
    expect(w.zaloTexts(z)).toEqual([]);
    const notice = w.teamsTexts(coord).find((t) => t.includes('không gửi được'));
    expect(notice).toMatch(/Liên minh HTX tỉnh — .*\(Zalo\), tin về kết quả duyệt báo cáo: không gửi được vì người nhận đã quá 7 ngày/);
  });

  it('an undelivered message is copied to a focal point of the same unit reachable on the other channel, once', async () => {
    w = await startWorld({ now: '2027-06-21T08:00:00+07:00', zalo: true });
    const first = await w.enrolTeams('STTTT');
    w.reset();
    // Teams answers 403: the official blocked or uninstalled the app.
    w.teams.failWith({ status: 403, code: 'MessageWritesBlocked', conversationId: first.conversationId });
    await w.pass();
    // A colleague enrols on Zalo after the pass, before the outbox gets to the message.
    const colleague = await w.enrolZalo('STTTT');
    await w.drain();
    expect(w.teamsTexts(first)).toEqual([]);
    const reminders = (await outbox(w)).filter((x) => x.purpose === 'reminder');
    expect(reminders.map((e) => [e.channel, e.status, e.fallbackOf ? 'copy' : 'original'])).toEqual([
      ['teams', 'undeliverable', 'original'],
      ['zalo', 'sent', 'copy'],
    ]);
    expect(reminders[0].reason).toContain('403');
    expect(await w.app.ctx.store.contacts.get(`teams:${first.userId}`)).toMatchObject({ reachable: false });
    expect(w.zaloTexts(colleague).filter((t) => t.includes('Nhắc hạn nộp'))).toHaveLength(1);
    // The next tick finds the step already with the colleague: nothing twice.
    w.clock.set('2027-06-21T08:01:00+07:00');
    await w.pass();
    await w.drain();
    expect(w.zaloTexts(colleague).filter((t) => t.includes('Nhắc hạn nộp'))).toHaveLength(1);
  });
});

describe('a channel that fails for a while', () => {
  it('Teams answering 503 then 429: every message arrives after recovery, none twice', async () => {
    w = await startWorld({ now: '2027-06-21T07:00:00+07:00' });
    const units = ['BHXH', 'KHDT', 'STC', 'STP', 'STTTT', 'CTHUE', 'CTK', 'LMHTX', 'LDLD', 'MTTQ'];
    const people: TeamsUser[] = [];
    for (const u of units) people.push(await w.enrolTeams(u));
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && !units.includes(x.code))) await submit(w, u.code, '2027-H1');
    for (const d of w.app.ctx.regime.units.filter((x) => x.kind === 'district')) await submit(w, d.code, '2027-06');
    w.reset();
    // One request per attempt (the SDK's client does not retry): 8 failing requests cost 8 of the
    // first sends, retried by the outbox.
    w.teams.failWith({ status: 503, code: 'ServiceUnavailable', times: 6, retryAfterSeconds: 0 });
    w.teams.failWith({ status: 429, code: 'TooManyRequests', times: 2, retryAfterSeconds: 0 });

    w.clock.set('2027-06-21T08:00:00+07:00');
    expect((await w.pass()).enqueued).toBe(10);
    let ticks = 0;
    while ((await w.app.ctx.store.outbox.count({ status: { $in: ['pending', 'sending'] } })) > 0) {
      await w.drain();
      w.clock.advance(60_000);
      await w.pass();
      if (++ticks > 200) throw new Error('the outbox never emptied');
    }
    const entries = (await outbox(w)).filter((e) => e.purpose === 'reminder');
    expect(entries.map((e) => e.status)).toEqual(Array(10).fill('sent'));
    expect(entries.some((e) => e.attempts > 1)).toBe(true);
    for (const p of people) expect(w.teamsTexts(p)).toHaveLength(1);
    const failures = w.teams.requests.filter((r) => r.status >= 400);
    expect(failures.length).toBe(8);
    // One successful post per message, nothing else.
    expect(w.teams.requests.filter((r) => r.status < 300)).toHaveLength(10);
  });

  it('Zalo answering rate-limit errors and 5xx: every message arrives after recovery, none twice', async () => {
    w = await startWorld({ now: '2027-06-20T09:00:00+07:00', zalo: true });
    const districts = w.app.ctx.regime.units.filter((x) => x.kind === 'district').map((u) => u.code);
    const ids: string[] = [];
    for (const d of districts) ids.push(await w.enrolZalo(d));
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && x.kind !== 'district')) await submit(w, u.code, '2027-H1');
    for (const d of districts) await submit(w, d, '2027-06');
    const before = w.zalo!.cs.length;
    w.zalo!.fail({ endpoint: 'cs', error: -32, times: 6 });
    w.zalo!.fail({ endpoint: 'cs', http: 503, times: 6 });

    w.clock.set('2027-06-21T08:00:00+07:00');
    expect((await w.pass()).enqueued).toBe(8);
    let ticks = 0;
    while ((await w.app.ctx.store.outbox.count({ status: { $in: ['pending', 'sending'] } })) > 0) {
      await w.drain();
      w.clock.advance(60_000);
      if (++ticks > 200) throw new Error('the outbox never emptied');
    }
    const entries = (await outbox(w)).filter((e) => e.purpose === 'reminder');
    expect(entries.map((e) => e.status)).toEqual(Array(8).fill('sent'));
    expect(w.zalo!.cs.length - before).toBe(8);
    for (const id of ids) expect(w.zaloTexts(id).filter((t) => t.includes('Nhắc hạn nộp'))).toHaveLength(1);
    expect(w.zalo!.calls.filter((c) => c.endpoint === 'cs' && (c.status >= 500 || (c.error ?? 0) !== 0)).length).toBe(12);
  });

  it("honours the platform's Retry-After: the message waits exactly that long, then goes once", async () => {
    w = await startWorld({ now: '2027-06-20T09:00:00+07:00', zalo: true });
    const z = await w.enrolZalo('CHO-DON');
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && x.code !== 'CHO-DON')) await submit(w, u.code, '2027-H1');
    for (const d of w.app.ctx.regime.units.filter((x) => x.kind === 'district')) await submit(w, d.code, '2027-06');
    w.reset();
    // Zalo rate-limits with a 10-minute Retry-After: longer than its client waits in-process.
    w.zalo!.fail({ endpoint: 'cs', http: 429, retryAfter: 600, times: 1 });
    w.clock.set('2027-06-21T08:00:00+07:00');
    await w.pass();
    await w.drain();
    const [e] = (await outbox(w)).filter((x) => x.purpose === 'reminder');
    expect(e).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: w.clock.now().getTime() + 600_000 });
    w.clock.advance(599_000);
    await w.drain();
    expect(w.zaloTexts(z)).toEqual([]);
    w.clock.advance(1_000);
    await w.drain();
    expect(w.zaloTexts(z).filter((t) => t.includes('Nhắc hạn nộp'))).toHaveLength(1);
    expect(await w.app.ctx.store.outbox.get(e._id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('after max attempts a message ends as failed with its reason, and the coordinators are told', async () => {
    w = await startWorld({ now: '2027-06-21T08:00:00+07:00', worker: { maxAttempts: 3, backoff: { baseMs: 60_000, maxMs: 60_000 } } });
    const a = await w.enrolTeams('LDLD');
    const coord = await w.enrolTeams('LDTBXH', 'coordinator');
    w.reset();
    w.teams.failWith({ status: 503, code: 'ServiceUnavailable', retryAfterSeconds: 0, conversationId: a.conversationId });
    await w.pass();
    for (let i = 0; i < 6; i++) {
      await w.drain();
      w.clock.advance(2 * 60_000);
    }
    const e = (await outbox(w)).find((x) => x.recipient === `teams:${a.userId}`);
    expect(e).toMatchObject({ status: 'failed', attempts: 3, reason: expect.stringContaining('503') });
    const notice = w.teamsTexts(coord).find((t) => t.includes('không gửi được'));
    expect(notice).toMatch(/LĐLĐ tỉnh — .*\(Teams\), tin nhắc nộp báo cáo: thất bại sau 3 lần thử vì /);
  });
});

describe('pacing', () => {
  it('the worker spaces Teams sends at the default 40 per second, several in flight (pacing time injected, no waiting)', async () => {
    let paced = 0;
    w = await startWorld({
      now: '2027-06-21T07:00:00+07:00',
      worker: { rates: {}, pacingTime: { now: () => paced, sleep: async (ms) => void (paced += ms) } },
    });
    const units = ['BHXH', 'KHDT', 'STC', 'STP', 'STTTT', 'CTHUE', 'CTK', 'LMHTX', 'LDLD', 'MTTQ', 'LDTBXH'];
    for (const u of units) await w.enrolTeams(u);
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && !units.includes(x.code))) await submit(w, u.code, '2027-H1');
    for (const d of w.app.ctx.regime.units.filter((x) => x.kind === 'district')) await submit(w, d.code, '2027-06');
    w.reset();
    w.clock.set('2027-06-21T08:00:00+07:00');
    expect((await w.pass()).enqueued).toBe(11);
    const before = w.teams.requests.length;
    const origin = paced;
    await w.drain();
    expect(w.teams.requests.length - before).toBe(11);
    // 11 sends at 40 per second: the pacer held the last one back 10 × 25 ms.
    expect(paced - origin).toBe(250);
  });
});

describe('broadcast (thông báo)', () => {
  it('to the units that have not submitted a period: preview with the count, confirm, delivery to exactly those units, delivery report and audit', async () => {
    w = await startWorld({ now: '2027-07-06T09:00:00+07:00', zalo: true });
    const bhxh = await w.enrolTeams('BHXH');
    const stc = await w.enrolTeams('STC');
    const ctk = await w.enrolZalo('CTK');
    const babe = await w.enrolTeams('BA-BE');
    const stale = await w.enrolZalo('NA-RI');
    const coord = await w.enrolTeams('LDTBXH', 'coordinator', 'Điều phối viên');
    // NA-RI's official wrote 8 days ago: the broadcast cannot reach them on Zalo.
    await w.app.ctx.store.contacts.updateOne({ _id: `zalo:${stale}` }, { lastInteractionAt: w.clock.now().getTime() - 8 * 86_400_000 });
    // Submitted 2027-H1: STC and every unit other than BHXH, CTK, BA-BE, NA-RI, LDLD.
    const pendingUnits = ['BHXH', 'CTK', 'BA-BE', 'NA-RI', 'LDLD'];
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && !pendingUnits.includes(x.code))) await submit(w, u.code, '2027-H1');
    w.reset();

    const say = async (text: string) => {
      const before = w!.teamsTexts(coord).length;
      const r = await postActivity(w!.app.url, asUser(teamsFixture('message-personal', w!.teams.serviceUrl, { id: nextActivityId(), text }), coord));
      expect(r.status).toBe(200);
      return w!.teamsTexts(coord).slice(before).join('\n');
    };
    expect(await say('thong bao')).toContain('Chọn đối tượng nhận');
    expect(await say('3')).toContain('Kỳ báo cáo nào?');
    expect(await say('2027-h1')).toContain('Báo cáo 6 tháng đầu năm 2027: gửi cho đơn vị nào?');
    const ask = await say('1');
    expect(ask).toContain('Các đơn vị chưa nộp Báo cáo 6 tháng đầu năm 2027 — 5 đơn vị, 4 người nhận.');
    expect(ask).toContain('Nhập nội dung thông báo');
    const text = 'Đề nghị các đơn vị khẩn trương hoàn thành báo cáo 6 tháng, gửi về Sở trước ngày 10/7/2027.';
    const preview = await say(text);
    expect(preview).toContain('Xem trước thông báo');
    expect(preview).toContain('5 đơn vị, 4 người nhận');
    expect(preview).toContain('sẽ không nhận: LĐLĐ tỉnh');
    expect(preview).toContain(text);
    expect(await w.app.ctx.store.outbox.count({ purpose: 'broadcast' })).toBe(0);
    const queued = await say('gửi');
    const batch = /mã đợt (bc-[0-9a-z-]+)/.exec(queued)?.[1];
    expect(batch).toBeDefined();

    await w.drain();
    const got = (t: string[]) => t.filter((x) => x.includes(text));
    expect(got(w.teamsTexts(bhxh))).toHaveLength(1);
    expect(got(w.teamsTexts(babe))).toHaveLength(1);
    expect(got(w.zaloTexts(ctk))).toHaveLength(1);
    expect(got(w.teamsTexts(stc))).toHaveLength(0);
    expect(got(w.zaloTexts(stale))).toHaveLength(0);
    expect(w.teamsTexts(bhxh).find((x) => x.includes(text))).toContain('Thông báo của Sở LĐTBXH');

    // The delivery report reached the author by itself once the batch had finished …
    const report = w.teamsTexts(coord).find((t) => t.startsWith(`Kết quả gửi thông báo ${batch}`));
    expect(report).toBeDefined();
    expect(report).toContain('Đã gửi: 3 · Không gửi được: 1');
    expect(report).toMatch(new RegExp(`^Kết quả gửi thông báo ${batch} lúc \\d{2}:\\d{2} ngày \\d{2}/\\d{1,2}/\\d{4} — `));
    expect(report).toContain('• BHXH tỉnh: đã gửi 1');
    expect(report).toMatch(/• UBND huyện Na Rì: không gửi được 1 — người nhận đã quá 7 ngày/);
    expect(report).toContain('• LĐLĐ tỉnh: không có đầu mối liên lạc được');
    expect(report).not.toContain('Sở Tài chính');
    // … and on request.
    const again = await say('thông báo kết quả');
    expect(again).toContain(`Kết quả gửi thông báo ${batch}`);
    expect(again).toContain('Đã gửi: 3 · Không gửi được: 1');

    const audit = await w.app.ctx.store.audit.find({ action: 'broadcast.sent' });
    expect(audit).toMatchObject([{ actor: `teams:${coord.userId}`, subject: batch, details: { recipients: 4, units: ['BHXH', 'CTK', 'LDLD', 'BA-BE', 'NA-RI'], unreachableUnits: ['LDLD'] } }]);
    // Broadcast deliveries are reported in the batch report, not as separate notices.
    expect(w.teamsTexts(coord).filter((t) => t.includes('tin nhắn không gửi được'))).toEqual([]);
  });

  it('is for coordinators only, and can be cancelled', async () => {
    w = await startWorld({ now: '2027-07-06T09:00:00+07:00' });
    const focal = await w.enrolTeams('BHXH');
    const coord = await w.enrolTeams('LDTBXH', 'coordinator');
    w.reset();
    const say = async (u: TeamsUser, text: string) => {
      const before = w!.teamsTexts(u).length;
      await postActivity(w!.app.url, asUser(teamsFixture('message-personal', w!.teams.serviceUrl, { id: nextActivityId(), text }), u));
      return w!.teamsTexts(u).slice(before).join('\n');
    };
    expect(await say(focal, 'thông báo tất cả')).toContain('chỉ dành cho cán bộ điều phối');
    expect(await say(coord, 'thông báo tất cả')).toContain('Tất cả đơn vị báo cáo — 19 đơn vị, 1 người nhận');
    expect(await say(coord, 'Họp trực tuyến lúc 14:00')).toContain('Xem trước thông báo');
    expect(await say(coord, 'hủy')).toMatch(/hủy|thoát/i);
    // By kind of unit: the districts.
    expect(await say(coord, 'thông báo')).toContain('2. Theo loại đơn vị');
    const kinds = await say(coord, '2');
    expect(kinds).toContain('4. UBND các huyện, thành phố — 8 đơn vị');
    expect(await say(coord, '4')).toContain('UBND các huyện, thành phố — 8 đơn vị, chưa có đầu mối nào liên lạc được');
    expect(await say(coord, 'Kiểm tra số liệu tháng 6')).toContain('Không có ai để gửi');
    await w.drain();
    expect(await w.app.ctx.store.outbox.count({ purpose: 'broadcast' })).toBe(0);
    expect(await say(coord, 'thông báo kết quả')).toContain('Chưa có đợt thông báo nào');
  });
});
