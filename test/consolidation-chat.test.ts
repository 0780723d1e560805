/**
 * The coordinator's chat commands end to end over Teams: the fixture payloads posted to the real
 * app's /api/messages, replies read at a local fake Bot Connector. Board, review (approve, "cần
 * bổ sung" taking the focal point straight to the questions), exports with a signed, expiring
 * link, and refusals for focal points and strangers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.js';
import { vi } from '../i18n/vi.js';
import { fmtRate } from '../reporting/wording.js';
import type { Role } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime, expectedIndicators, NOW, PERIOD, seedScenario, storedLatest } from './helpers/consolidation-scenario.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { readXlsx } from './helpers/office.js';
import { activityText, asUser, cardGrids, cardOf, cardText, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';

const PUBLIC = 'https://dondoc.example.gov.vn';
const regime = defaultRegime();

describe('coordinator chat commands over Teams', () => {
  let app: TestApp;
  let fake: FakeBotConnector;
  let clock: ManualClock;
  const coordinator = teamsUser('Lê Văn Điều Phối');
  const bhxh = teamsUser('Trần Thị Bình');
  const ctk = teamsUser('Phạm Văn Thống');
  const stranger = teamsUser('Người Lạ');

  /** Posts a message as `u` and returns the bot's replies (text and card text). */
  const say = async (u: TeamsUser, text: string): Promise<{ text: string; activities: any[] }> => {
    fake.clear();
    const r = await postActivity(app.url, asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text }), u));
    expect(r.status).toBe(200);
    const activities = fake.activities(u.conversationId);
    return { text: activities.map(activityText).join('\n'), activities };
  };
  /** The board's rows as "unit: status" (the first grid of the first card; the unit without its focal points). */
  const boardRows = (r: { activities: any[] }): string[] => cardGrids(cardOf(r.activities.find((a) => cardOf(a))))[0].rows.map((row) => `${row[0].split('\n')[0]}: ${row[1]}`);
  const enrol = async (u: TeamsUser, unitCode: string, role: Role) => {
    const code = await app.ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
    expect((await say(u, `đăng ký ${code}`)).text).toContain('Đăng ký thành công');
  };

  beforeAll(async () => {
    clock = new ManualClock(NOW.getTime());
    fake = await startFakeBotConnector();
    app = await startTestApp({ PUBLIC_BASE_URL: PUBLIC }, { clock });
    await seedScenario(app.ctx.store, app.ctx.regime);
    await enrol(coordinator, 'LDTBXH', 'coordinator');
    await enrol(bhxh, 'BHXH', 'focal');
    await enrol(ctk, 'CTK', 'focal');
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('tổng hợp KỲ: the board of every unit and the rates, the missing one named', async () => {
    const r = await say(coordinator, 'tổng hợp 2027-H1');
    expect(r.text).toContain(vi.consolidation.boardTitle('Báo cáo 6 tháng đầu năm 2027'));
    // the heading, the counts and the table on one card (then the rates on another)
    expect(r.activities.map((a) => Boolean(cardOf(a)))).toEqual([true, true]);
    expect(cardText(cardOf(r.activities[0]))).toContain('Hạn nộp: trước 00:00 ngày 05/7/2027 (đã qua).');
    expect(r.text).toContain('17/19 đã nộp · 2 nộp muộn · 17 chờ duyệt · 2 chưa nộp');
    expect(r.activities.some((a) => cardOf(a))).toBe(true);
    for (const u of regime.units.filter((x) => x.reports)) expect(r.text).toContain(u.shortName);
    expect(r.text).toContain('Chưa bắt đầu');
    expect(r.text).toContain('Đang nhập');
    expect(r.text).toContain('Đã nộp muộn');
    // focal points on the board
    expect(r.text).toContain('Trần Thị Bình');
    const expected = expectedIndicators(regime, await storedLatest(app.ctx.store));
    expect(r.text).toContain(fmtRate(expected.si_coverage.value!));
    expect(r.text).toContain('Chưa tính được');
    expect(r.text).toContain('Sở Lao động - Thương binh và Xã hội');
  });

  it("trạng thái KỲ (typed without diacritics) shows a coordinator the board; a focal point keeps the dialog's own status", async () => {
    const board = await say(coordinator, 'trang thai 2027-h1');
    expect(board.text).toContain(vi.consolidation.boardTitle('Báo cáo 6 tháng đầu năm 2027'));
    expect(board.text).toContain('UBND huyện Pác Nặm');
    const own = await say(bhxh, 'trạng thái');
    expect(own.text).not.toContain(vi.consolidation.boardTitle('Báo cáo 6 tháng đầu năm 2027'));
    expect(own.text).toContain('Bảo hiểm xã hội tỉnh');
    expect(own.text).not.toContain('UBND huyện Pác Nặm');
  });

  it('refuses focal points and strangers politely, and changes nothing', async () => {
    for (const cmd of ['tổng hợp 2027-H1', 'duyệt BHXH 2027-H1', 'cần bổ sung BHXH 2027-H1 d4: x', 'xuất 2027-H1 xlsx']) {
      const r = await say(bhxh, cmd);
      expect(r.text, cmd).toContain('chỉ dành cho cán bộ điều phối');
      const s = await say(stranger, cmd);
      expect(s.text, cmd).toContain('chưa đăng ký');
    }
    expect((await app.ctx.store.reportState('BHXH', PERIOD))?.status).toBe('submitted');
    expect(await app.ctx.store.audit.count({ action: 'review.approved' })).toBe(0);
  });

  it('duyệt: approves, tells the focal points through the outbox, audits; the board follows', async () => {
    const r = await say(coordinator, 'duyệt BHXH 2027-H1');
    expect(r.text).toContain('Đã duyệt Báo cáo 6 tháng đầu năm 2027 của Bảo hiểm xã hội tỉnh');
    const st = await app.ctx.store.reportState('BHXH', PERIOD);
    expect(st).toMatchObject({ status: 'approved', review: { by: `teams:${coordinator.userId}`, at: NOW.getTime() } });
    const out = await app.ctx.store.outbox.find({ purpose: 'review' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ channel: 'teams', recipient: `teams:${bhxh.userId}`, unitCode: 'BHXH', status: 'pending' });
    expect((out[0].message as any).text).toContain('đã được Sở Lao động - Thương binh và Xã hội duyệt');
    const audit = await app.ctx.store.audit.find({ action: 'review.approved' });
    expect(audit).toEqual([expect.objectContaining({ actor: `teams:${coordinator.userId}`, channel: 'teams', subject: `BHXH|${PERIOD}` })]);
    expect((await say(coordinator, 'duyệt BHXH 2027-H1')).text).toContain('đã được duyệt trước đó');
    expect(boardRows(await say(coordinator, 'trạng thái 2027-H1'))).toContain('BHXH tỉnh: Đã duyệt');
  });

  it('duyệt explains a unit that has not submitted, an unknown unit and a bad period', async () => {
    expect((await say(coordinator, 'duyệt STC 2027-H1')).text).toContain('chưa nộp');
    expect((await say(coordinator, 'duyệt XYZ 2027-H1')).text).toContain('Không tìm thấy đơn vị "XYZ"');
    expect((await say(coordinator, 'duyệt BHXH 2027-X9')).text).toContain(vi.review.usageApprove);
    expect((await say(coordinator, 'duyệt Ba Bể 2027-01')).text).toContain('Ủy ban nhân dân huyện Ba Bể chưa nộp');
    expect((await say(coordinator, 'duyệt BHXH 2027-01')).text).toContain(vi.review.notFiling('Bảo hiểm xã hội tỉnh', 'Báo cáo tháng 01/2027'));
  });

  it('cần bổ sung: names questions (mục.câu) and sections, notifies, audits; "báo cáo" takes the focal point straight to them', async () => {
    const bad = await say(coordinator, 'cần bổ sung CTK 2027-H1 9.1: Xem lại');
    expect(bad.text).toContain('Không có mục hay câu: 9.1');
    expect(bad.text).toContain('1. Cung cấp số liệu thống kê dân số, lực lượng lao động');
    expect((await say(coordinator, 'cần bổ sung CTK 2027-H1 1.5')).text).toContain('nhận xét');

    const r = await say(coordinator, 'can bo sung CTK 2027-H1 1.3, 1.5: Đề nghị đối chiếu với niên giám thống kê.');
    expect(r.text).toContain('Đã yêu cầu Cục Thống kê tỉnh bổ sung');
    expect(r.text).toContain('(lần nộp thứ 1): 1.3, 1.5.');
    const st = await app.ctx.store.reportState('CTK', PERIOD);
    expect(st).toMatchObject({
      status: 'needs_correction',
      review: { by: `teams:${coordinator.userId}`, comment: 'Đề nghị đối chiếu với niên giám thống kê.', questions: ['d1/labour_force_working_age', 'd1/population'] },
    });
    const note = (await app.ctx.store.outbox.find({ purpose: 'review', unitCode: 'CTK' }))[0];
    expect(note.recipient).toBe(`teams:${ctk.userId}`);
    expect((note.message as any).text).toContain('Đề nghị đối chiếu với niên giám thống kê.');
    expect((note.message as any).text).toContain('• 1.3 Lực lượng lao động trong độ tuổi lao động của tỉnh');
    expect((note.message as any).text).toContain('• 1.5 Dân số trung bình của tỉnh');
    expect((note.message as any).text).not.toMatch(/d\d+\//);
    expect(await app.ctx.store.audit.count({ action: 'review.needs_correction' })).toBe(1);

    const board = await say(coordinator, 'trạng thái 2027-H1');
    expect(boardRows(board)).toContain('Cục Thống kê tỉnh: Cần bổ sung');

    // The focal point's dialog goes straight to the questions named.
    const open = await say(ctk, 'báo cáo');
    expect(open.text).toContain('đề nghị bổ sung');
    expect(open.text).toContain('Đề nghị đối chiếu với niên giám thống kê.');
    expect(open.text).toContain('Lực lượng lao động trong độ tuổi');

    // A section number stands for its questions.
    const r2 = await say(coordinator, 'cần bổ sung BHXH 2027-H1 mục 2: Bổ sung số liệu chi trả.');
    expect(r2.text).toContain('Đã yêu cầu Bảo hiểm xã hội tỉnh bổ sung');
    expect(r2.text).toContain('mục 2');
    const q = (await app.ctx.store.reportState('BHXH', PERIOD))!.review!.questions!;
    expect(q).toContain('d2/pension_recipients');
    expect(q.every((k) => k.startsWith('d2/'))).toBe(true);
    // nothing deleted: both submissions' revisions are still there
    expect(await app.ctx.store.submissions.count({ periodId: PERIOD })).toBe(17);
  });

  it('xuất: writes the file, sends a signed link that works, then expires; a tampered link is refused', async () => {
    const r = await say(coordinator, 'xuất 2027-H1 xlsx');
    const card = r.activities.map(cardOf).find((c) => c && JSON.stringify(c).includes('Action.OpenUrl'));
    expect(card).toBeDefined();
    const url: string = JSON.stringify(card).match(/"url":"([^"]+)"/)![1];
    expect(url.startsWith(`${PUBLIC}/api/files/`)).toBe(true);
    expect(r.text).toContain('tong-hop-2027-H1.xlsx');
    const path = url.slice(PUBLIC.length);

    const res = await fetch(`${app.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('tong-hop-2027-H1.xlsx');
    const wb = await readXlsx(Buffer.from(await res.arrayBuffer()));
    expect(wb.worksheets.length).toBe(7);

    // another expiry under the same signature, and a changed signature
    const [, fileId, exp, sig] = /^\/api\/files\/(.+)\.([0-9a-z]+)\.([A-Za-z0-9_-]+)$/.exec(path)!;
    const later = `/api/files/${fileId}.${(parseInt(exp, 36) + 86_400_000).toString(36)}.${sig}`;
    expect((await fetch(`${app.url}${later}`)).status).toBe(403);
    const tampered = `/api/files/${fileId}.${exp}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect((await fetch(`${app.url}${tampered}`)).status).toBe(403);
    expect((await fetch(`${app.url}/api/files/nonsense`)).status).toBe(403);
    expect((await fetch(`${app.url}/api/files/..%2F..%2Fdondoc.sqlite.${exp}.${sig}`)).status).toBe(403);

    const audit = await app.ctx.store.audit.find({ action: 'export.created' });
    expect(audit).toEqual([expect.objectContaining({ channel: 'teams', actor: `teams:${coordinator.userId}`, subject: PERIOD })]);

    clock.advance(25 * 3600_000);
    try {
      const expired = await fetch(`${app.url}${path}`);
      expect(expired.status).toBe(410);
      expect((await expired.json()).error.message).toContain('hết hạn');
    } finally {
      clock.set(NOW);
    }
  });

  it('xuất docx and csv from chat too', async () => {
    for (const f of ['docx', 'csv']) {
      const r = await say(coordinator, `xuat 2027-H1 ${f}`);
      expect(r.text).toContain(`tong-hop-2027-H1.${f}`);
    }
    expect((await say(coordinator, 'xuất 2027-H1 pdf nữa')).text).toContain(vi.consolidation.usageExport);
  });

  it('the unit and period as people type them (one grammar, dialogs/target-args.ts): names, no diacritics, the period first, "6 tháng đầu năm 2027"', async () => {
    const view = await say(coordinator, 'xem 6 thang dau nam 2027 so tu phap');
    expect(view.text).toContain('Báo cáo 6 tháng đầu năm 2027 · Sở Tư pháp');
    const r = await say(coordinator, 'duyệt Sở Tư pháp H1/2027: Đạt yêu cầu.');
    expect(r.text).toContain('Đã duyệt Báo cáo 6 tháng đầu năm 2027 của Sở Tư pháp');
    expect(await app.ctx.store.reportState('STP', PERIOD)).toMatchObject({ status: 'approved', review: { comment: 'Đạt yêu cầu.' } });
    const board = await say(coordinator, 'tổng hợp 6 tháng đầu năm 2027');
    expect(board.text).toContain(vi.consolidation.boardTitle('Báo cáo 6 tháng đầu năm 2027'));
    expect(boardRows(board)).toContainEqual(expect.stringMatching(/^Sở Tư pháp: Đã duyệt/));
  });
});
