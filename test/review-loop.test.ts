/**
 * The coordinator reviews what they approve, end to end: `xem ĐƠN_VỊ KỲ` shows a unit's
 * submission numbered exactly as its focal point's `xem lại` does; `cần bổ sung … 1.3, 2: …`
 * takes those numbers; `duyệt` approves only a submitted or resubmitted revision and names it; a
 * resubmission after approval is new and unapproved. Driven through the bot core as the console
 * channel does (on SQLite and on the MongoDB-protocol server), and over Teams (coordinator) and
 * Zalo (focal point) through the real app, checking the report state, the submissions, the
 * audit log and the outbox in the store, and that no internal answer key (`d5/arrears_amount`)
 * appears in any message. On-time/late is said the same way to the focal point, on the board and
 * in the export.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutMessage } from '../core/message.js';
import { answerLines } from '../forms/form-engine.js';
import { vi } from '../i18n/vi.js';
import { statusText } from '../reporting/wording.js';
import { ManualClock } from '../lib/clock.js';
import { buildForm, type FormDefinition, type FormQuestion } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime, startTestBot, type Person, type TestBot } from './helpers/bot.js';
import { teamsSay, zaloSay } from './helpers/chat-drivers.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { seedSubmissions } from './helpers/seed-submissions.js';
import { BACKENDS } from './helpers/stores.js';
import { cardGrids, cardOf, teamsUser } from './helpers/teams-fixtures.js';
import { walkReport, type Typed } from './helpers/walk.js';

const regime = defaultRegime();
/** An internal answer key, e.g. `d5/arrears_amount`: never shown to anyone. */
const KEY = /\bd\d+\/[a-z_0-9]+/;

/** The numbered answer lines of a message ("1.3 Label: value"), as `xem lại` and `xem` print them. */
const numbered = (text: string) => text.split('\n').filter((l) => /^ {2}\d+\.\d+ /.test(l));

/** Text answers without any key in them (the walk's default would be "Nội dung cho d6/results"). */
const plainText = (q: FormQuestion): Typed | undefined =>
  q.type === 'text' ? { input: `Đã triển khai theo kế hoạch (${q.label.toLocaleLowerCase('vi')}).`, value: `Đã triển khai theo kế hoạch (${q.label.toLocaleLowerCase('vi')}).` } : undefined;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available())(`the coordinator's review loop through the console channel (${backend.name})`, () => {
    let t: TestBot;
    const said: string[] = [];
    const talk = (p: Person) => async (text: string) => {
      const r = await p.say(text);
      said.push(...r.map((m) => m.text));
      return r.map((m) => m.text).join('\n---\n');
    };
    afterEach(async () => {
      await t?.dispose();
    });

    it('xem → cần bổ sung 1.3, 2 → resubmission → duyệt names the revision; after approval a resubmission is new and unapproved', async () => {
      t = await startTestBot({ now: '2026-12-16T09:00:00+07:00', store: await backend.open() });
      const focalP = t.person('lan.babe', { name: 'Hoàng Thị Lan' });
      const coordP = t.person('dieu.phoi', { name: 'Lê Văn Điều Phối' });
      const focal = talk(focalP);
      const coord = talk(coordP);
      /** Submits from where the dialog is: at its confirmation, or via `nộp` (which asks once). */
      const confirmed = async (last: string) => {
        const ask = /Bạn có muốn nộp/.test(last) ? last : await focal('nộp');
        expect(ask).toMatch(/Bạn có muốn nộp/);
        return focal('có');
      };
      expect(await focalP.enrol('BA-BE')).toMatch(/Đăng ký thành công/);
      expect(await coordP.enrol('LDTBXH', 'coordinator')).toMatch(/Đăng ký thành công/);
      const form = buildForm(regime, 'BA-BE', 'M') as FormDefinition;
      const store = t.ctx.store;

      // The focal point files the December report.
      const start = await focalP.say('báo cáo BA-BE 2026-12');
      await walkReport(focalP, regime, 'BA-BE', 'M', start, plainText);
      expect(await focal('có')).toMatch(/✓ Đã nộp Báo cáo tháng 12\/2026/);
      const own = await focal('xem lại');

      // xem: the unit's submission, numbered exactly as the focal point's own summary.
      const view = await coord('xem Ba Be 2026-12');
      expect(view).toContain('Báo cáo tháng 12/2026 · Ủy ban nhân dân huyện Ba Bể — bản nộp lần 1');
      expect(view).toMatch(/Nộp lúc 09:00 ngày 16\/12\/2026 bởi Hoàng Thị Lan qua dòng lệnh; đúng hạn\./);
      expect(view).toContain('Tình trạng: chờ duyệt.');
      expect(numbered(view).length).toBeGreaterThan(10);
      expect(numbered(view)).toEqual(numbered(own));
      // …and as the shared numbering lays out the stored answers.
      const latest1 = (await store.latestSubmission('BA-BE', '2026-12'))!;
      expect(numbered(view)).toEqual(
        answerLines(regime, form, latest1.answers)
          .sections.flat()
          .filter((l) => /^ {2}\d+\.\d+ /.test(l)),
      );
      expect(await coord('XEM BA-BE 2026-12')).toBe(view);
      // A focal point's `xem` is still their own summary.
      expect(await focal('xem BA-BE 2026-12')).toContain('Tóm tắt Báo cáo tháng 12/2026 · Ủy ban nhân dân huyện Ba Bể');

      // cần bổ sung by numbers: 1.3 and the whole of section 2.
      const asked = await coord('cần bổ sung BA-BE 2026-12 1.3, mục 2: Số người tham gia chưa khớp với BHXH huyện; bổ sung kết quả kiểm tra.');
      expect(asked).toBe(vi.review.correctionRequested('Ủy ban nhân dân huyện Ba Bể', 'Báo cáo tháng 12/2026', 1, ['1.3', 'mục 2'], 1));
      // Section 2 is "đang thực hiện": all of its questions apply.
      const section2 = form.sections[1].questions.filter((q) => q.type !== 'note').map((q) => q.key);
      let st = await store.reportState('BA-BE', '2026-12');
      expect(st).toMatchObject({ status: 'needs_correction', revision: 1, review: { by: 'console:dieu.phoi', revision: 1, questions: ['d3/si_participants_district', ...section2] } });
      const notice = (await store.outbox.find({ purpose: 'review' }))[0];
      expect(notice).toMatchObject({ recipient: 'console:lan.babe', unitCode: 'BA-BE', status: 'pending' });
      const noticeText = (notice.message as unknown as OutMessage).text;
      said.push(noticeText);
      expect(noticeText).toContain('(lần nộp thứ 1)');
      expect(noticeText).toContain('• 1.3 Số người tham gia BHXH (bắt buộc và tự nguyện) trên địa bàn');
      expect(noticeText).toContain(`• Mục 2. ${form.sections[1].title} (cả mục)`);
      // The coordinator's view marks what was asked.
      const marked = await coord('xem BA-BE 2026-12');
      expect(marked).toMatch(/Tình trạng: cần bổ sung 1\.3, mục 2 \(yêu cầu lúc 09:00 ngày 16\/12\/2026\); chờ đơn vị nộp lại\. Nhận xét: Số người tham gia chưa khớp/);
      expect(marked).toMatch(/ {2}1\.3 Số người tham gia BHXH \(bắt buộc và tự nguyện\) trên địa bàn: 1\.234 người ⚠ cần bổ sung/);

      // duyệt is refused while the correction is awaited, with the reason; nothing changes.
      const refused = await coord('duyệt BA-BE 2026-12');
      expect(refused).toMatch(
        /^Chưa duyệt được: Báo cáo tháng 12\/2026 của Ủy ban nhân dân huyện Ba Bể \(lần nộp thứ 1\) đã được yêu cầu bổ sung lúc 09:00 ngày 16\/12\/2026: 1\.3, mục 2\. Đơn vị chưa nộp lại; khi đơn vị nộp bản bổ sung, gõ "xem BA-BE 2026-12" để đọc rồi duyệt\.$/,
      );
      expect(await store.reportState('BA-BE', '2026-12')).toEqual(st);
      expect(await store.audit.count({ action: 'review.approved' })).toBe(0);

      // The focal point is taken to 1.3, then section 2, and resubmits.
      t.clock.advance(3600_000);
      const open = await focal('báo cáo');
      expect(open).toContain('Nhận xét: Số người tham gia chưa khớp với BHXH huyện; bổ sung kết quả kiểm tra.');
      expect(open).toMatch(/Mục 1\/2 · câu 3\/8/);
      expect(await focal('1.300')).toMatch(/Mục 2\/2 · câu 1\/6/);
      let r = '';
      for (let i = 0; i < 6; i++) r = await focal('giữ');
      expect(await confirmed(r)).toMatch(/✓ Đã nộp Báo cáo tháng 12\/2026 · Ủy ban nhân dân huyện Ba Bể \(bản sửa lần 2\)/);
      expect(await store.submissions.count({ unitCode: 'BA-BE', periodId: '2026-12' })).toBe(2);
      expect((await store.latestSubmission('BA-BE', '2026-12'))?.answers['d3/si_participants_district']).toBe(1300);
      st = await store.reportState('BA-BE', '2026-12');
      expect(st).toMatchObject({ status: 'submitted', revision: 2, late: false, previousReview: { status: 'needs_correction', revision: 1 } });
      expect(st?.review).toBeUndefined();

      // The coordinator read revision 1: approving now would approve something unread.
      const stale = await coord('duyệt BA-BE 2026-12');
      expect(stale).toMatch(/^Chưa thực hiện: bạn đã đọc .* ở lần nộp thứ 1, .* Hiện tại: lần nộp thứ 2, đơn vị đã nộp lại sau yêu cầu bổ sung lúc 09:00 ngày 16\/12\/2026/);
      expect((await store.reportState('BA-BE', '2026-12'))?.status).toBe('submitted');
      const view2 = await coord('xem BA-BE 2026-12');
      expect(view2).toContain('— bản nộp lần 2');
      expect(view2).toContain('Tình trạng: đơn vị đã nộp lại sau yêu cầu bổ sung lúc 09:00 ngày 16/12/2026 (1.3, mục 2); chờ duyệt.');
      expect(view2).toMatch(/ {2}1\.3 Số người tham gia BHXH \(bắt buộc và tự nguyện\) trên địa bàn: 1\.300 người\n/);
      expect(view2).toContain('Gõ "duyệt BA-BE 2026-12" để duyệt lần nộp thứ 2');

      // duyệt names the revision it approves.
      const approved = await coord('duyệt BA-BE 2026-12');
      expect(approved).toBe(vi.review.approved('Ủy ban nhân dân huyện Ba Bể', 'Báo cáo tháng 12/2026', 2, 1));
      expect(await store.reportState('BA-BE', '2026-12')).toMatchObject({ status: 'approved', revision: 2, review: { by: 'console:dieu.phoi', revision: 2 } });
      expect(await store.audit.find({ action: 'review.approved' })).toEqual([
        expect.objectContaining({ actor: 'console:dieu.phoi', subject: 'BA-BE|2026-12', details: expect.objectContaining({ revision: 2, previousStatus: 'submitted' }) }),
      ]);
      const approvedNote = (await store.outbox.find({ purpose: 'review' })).find((o) => o.key?.includes('|approved|'));
      expect((approvedNote?.message as unknown as OutMessage).text).toContain('(lần nộp thứ 2) đã được Sở Lao động - Thương binh và Xã hội duyệt');
      said.push((approvedNote?.message as unknown as OutMessage).text);
      expect(await coord('duyệt BA-BE 2026-12')).toBe(vi.review.alreadyApproved('Ủy ban nhân dân huyện Ba Bể', 'Báo cáo tháng 12/2026', 2, '10:00 ngày 16/12/2026'));
      expect(await focal('trạng thái')).toMatch(/Báo cáo tháng 12\/2026 — hạn nộp .*: đã duyệt \(nộp lần 2 lúc/);

      // An amendment after approval is a new, unapproved revision.
      t.clock.advance(3600_000);
      await focal('sửa 1.4');
      expect(await confirmed(await focal('1.100'))).toMatch(/bản sửa lần 3/);
      st = await store.reportState('BA-BE', '2026-12');
      expect(st).toMatchObject({ status: 'submitted', revision: 3, previousReview: { status: 'approved', revision: 2 } });
      expect(st?.review).toBeUndefined();
      expect(await coord('xem BA-BE 2026-12')).toContain('Tình trạng: đơn vị đã nộp lại sau khi lần nộp thứ 2 được duyệt; bản mới chưa duyệt.');
      expect(await coord('trạng thái 2026-12')).toContain('UBND huyện Ba Bể: Đã nộp đúng hạn — nộp lại sau khi đã duyệt, chờ duyệt lại');
      expect(await coord('duyệt BA-BE 2026-12')).toContain('(lần nộp thứ 3)');
      expect((await store.audit.find({ action: 'review.approved' })).map((e) => e.details?.revision)).toEqual([2, 3]);

      // Nothing said to anyone named an internal key.
      for (const m of said) expect(m, m).not.toMatch(KEY);
    });

    it('cần bổ sung explains unknown numbers and questions that do not apply, by number; xem explains a unit with nothing submitted', async () => {
      t = await startTestBot({ now: '2027-07-08T10:00:00+07:00', store: await backend.open() });
      await seedSubmissions(t.ctx.store, regime, '2027-H1', { units: ['BHXH'], answers: { BHXH: { overrides: { 'd1/status': 'chua_trien_khai' } } } });
      const coordP = t.person('dieu.phoi');
      await coordP.enrol('LDTBXH', 'coordinator');
      const coord = talk(coordP);
      const unknown = await coord('cần bổ sung BHXH 2027-H1 7.2, 1.3: Xem lại.');
      expect(unknown).toContain('Không có mục hay câu: 7.2.');
      expect(unknown).toContain('  5. Thanh tra chuyên ngành đóng BHXH');
      // 1.3 does not apply when section 1 is "chưa triển khai".
      expect(await coord('cần bổ sung BHXH 2027-H1 1.3: Xem lại.')).toContain('Câu 1.3 được bỏ qua theo các câu trả lời đơn vị đã nộp');
      expect(await coord('cần bổ sung BHXH 2027-H1: Xem lại.')).toContain(vi.review.noQuestions);
      expect(await coord('xem STC 2027-H1')).toBe(vi.review.viewNothing('Báo cáo 6 tháng đầu năm 2027 · Sở Tài chính'));
      expect(await coord('xem BHXH')).toBe(vi.review.usageView);
      expect((await t.ctx.store.reportState('BHXH', '2027-H1'))?.status).toBe('submitted');
      expect(await t.ctx.store.outbox.count({})).toBe(0);
      // The usage and the errors speak of numbers, never of keys.
      for (const m of [...said, vi.review.usageCorrection, vi.review.noQuestions, vi.review.helpCorrection]) expect(m, m).not.toMatch(KEY);
    });
  });
}

describe('the review loop over Teams (coordinator) and Zalo (focal point), after the deadline', () => {
  let app: TestApp;
  let connector: FakeBotConnector;
  let zalo: FakeZalo;
  const clock = new ManualClock(Date.parse('2027-07-08T10:00:00+07:00'));
  const coordinator = teamsUser('Lê Văn Điều Phối');
  const focal = zaloId();
  const said: string[] = [];
  const asCoordinator = async (text: string) => {
    clock.advance(60_000);
    const r = await teamsSay(app.url, connector, coordinator, text);
    said.push(r);
    return r;
  };
  /** The cards the coordinator gets for `text`. */
  const asCoordinatorCards = async (text: string): Promise<any[]> => {
    const mark = connector.requests.length;
    await asCoordinator(text);
    return connector.requests
      .slice(mark)
      .filter((q) => q.conversationId === coordinator.conversationId && q.op === 'reply')
      .map((q) => cardOf(q.body))
      .filter(Boolean);
  };
  const asFocal = async (text: string) => {
    clock.advance(60_000);
    const r = await zaloSay(app.url, app.ctx.store, zalo, focal, text, clock.now().getTime());
    said.push(r);
    return r;
  };

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    zalo = await startFakeZalo();
    app = await startTestApp(zalo.env({ ZALO_REFRESH_TOKEN: zalo.issueRefreshToken() }), { clock });
    // BHXH filed on time (3 July, before the 5 July deadline).
    await seedSubmissions(app.ctx.store, regime, '2027-H1', {
      units: ['BHXH'],
      channel: 'zalo',
      submittedBy: () => `zalo:${focal}`,
      answers: { BHXH: { overrides: { 'd1/status': 'dang_thuc_hien' } } },
    });
    const code = (unitCode: string, role: 'focal' | 'coordinator') => app.ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
    expect(await asFocal(`đăng ký ${await code('BHXH', 'focal')}`)).toContain('Đăng ký thành công');
    expect(await asCoordinator(`đăng ký ${await code('LDTBXH', 'coordinator')}`)).toContain('Đăng ký thành công');
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await zalo?.close();
  });

  it('xem BHXH 2027-H1 → cần bổ sung 1.3, 5.5 → resubmission after the deadline (still on time) → duyệt', async () => {
    const store = app.ctx.store;
    const view = await asCoordinator('xem bhxh 2027-h1');
    expect(view).toContain('Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh — bản nộp lần 1');
    expect(view).toContain('; đúng hạn.');
    // Teams shows the answers as a table card: the numbers and labels in cells.
    expect(view).toMatch(/5\.5\s+Số tiền nợ đóng BHXH, BHTN, BHYT/);

    const asked = await asCoordinator('cần bổ sung BHXH 2027-H1 1.3, 5.5: Đề nghị cập nhật số nợ đóng tại thời điểm cuối kỳ.');
    expect(asked).toContain('Đã yêu cầu Bảo hiểm xã hội tỉnh bổ sung Báo cáo 6 tháng đầu năm 2027 (lần nộp thứ 1): 1.3, 5.5.');
    expect(await store.reportState('BHXH', '2027-H1')).toMatchObject({ status: 'needs_correction', review: { questions: ['d1/units_after_restructuring', 'd5/arrears_amount'], revision: 1 } });
    expect(await asCoordinator('duyệt BHXH 2027-H1')).toContain('Chưa duyệt được: Báo cáo 6 tháng đầu năm 2027 của Bảo hiểm xã hội tỉnh (lần nộp thứ 1)');

    // The focal point is told (outbox → Zalo) with the numbers, and corrects those two answers.
    const notice = (await store.outbox.find({ purpose: 'review', recipient: `zalo:${focal}` }))[0];
    const noticeText = (notice.message as unknown as OutMessage).text;
    said.push(noticeText);
    expect(noticeText).toContain('• 5.5 Số tiền nợ đóng BHXH, BHTN, BHYT');
    const open = await asFocal('báo cáo');
    expect(open).toContain('Mục 1/5 · câu 3/5');
    expect(await asFocal('14')).toContain('Mục 5/5 · câu 5/10');
    expect(await asFocal('1.250')).toContain('Bạn có muốn nộp');
    const done = await asFocal('có');
    // After the deadline, yet on time: the first submission decides, and the focal point is told so.
    expect(done).toContain('✓ Đã nộp Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh (bản sửa lần 2)');
    expect(done).toContain(`vẫn được tính là nộp đúng hạn: ${vi.report.lateRule}.`);
    expect(done).not.toContain('ghi nhận là nộp muộn');
    const st = await store.reportState('BHXH', '2027-H1');
    expect(st).toMatchObject({ status: 'submitted', revision: 2, late: false, previousReview: { status: 'needs_correction' } });
    expect(await store.latestSubmission('BHXH', '2027-H1')).toMatchObject({ revision: 2, late: true, submittedBy: `zalo:${focal}`, channel: 'zalo' });
    expect((await store.latestSubmission('BHXH', '2027-H1'))?.answers).toMatchObject({ 'd1/units_after_restructuring': 14, 'd5/arrears_amount': 1250 });

    // The same word on the board and in the export: on time, resubmitted, awaiting review.
    const row = statusText({ status: 'submitted_on_time', reopened: false, overdue: false, late: false, resubmitted: 'after_correction' });
    expect(await asCoordinator('trạng thái 2027-H1')).toContain(row);
    expect(await asFocal('trạng thái')).toMatch(/Báo cáo 6 tháng đầu năm 2027 — hạn nộp [^\n]*: đã nộp \(bản sửa lần 2\) lúc [^\n]*\d{4}\./);
    const csvLink = /\/api\/files\/[A-Za-z0-9._-]+/.exec(await asCoordinator('xuất 2027-H1 csv'))![0];
    const csv = await (await fetch(`${app.url}${csvLink}`)).text();
    expect(
      csv
        .split('\r\n')
        .filter((l) => l.includes(',BHXH,'))
        .every((l) => l.includes(row)),
    ).toBe(true);

    const view2 = await asCoordinator('xem BHXH 2027-H1');
    expect(view2).toContain('— bản nộp lần 2');
    expect(view2).toContain(`đúng hạn (nộp lần đầu lúc 00:00 ngày 03/7/2027; ${vi.report.lateRule}).`);
    expect(view2).toMatch(/5\.5\s+Số tiền nợ đóng BHXH, BHTN, BHYT[^\n]*\n1\.250 triệu đồng/);
    const ok = await asCoordinator('duyệt BHXH 2027-H1');
    expect(ok).toContain('Đã duyệt Báo cáo 6 tháng đầu năm 2027 của Bảo hiểm xã hội tỉnh (lần nộp thứ 2). Đã báo cho 1 đầu mối.');
    expect(await store.reportState('BHXH', '2027-H1')).toMatchObject({ status: 'approved', revision: 2, late: false, review: { revision: 2 } });
    expect(await store.audit.find({ action: 'review.approved' })).toEqual([expect.objectContaining({ channel: 'teams', details: expect.objectContaining({ revision: 2 }) })]);
    // The board's card: the unit's row, its status coloured as done.
    const board = await asCoordinatorCards('trạng thái 2027-H1');
    const grid = cardGrids(board[0])[0];
    const bhxh = grid.rows.findIndex((r) => r[0].split('\n')[0] === 'BHXH tỉnh');
    expect(grid.rows[bhxh][1]).toBe('Đã duyệt');
    expect(grid.colors[bhxh][1]).toBe('Good');

    for (const m of said) expect(m, m).not.toMatch(KEY);
  });
});
