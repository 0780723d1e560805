/**
 * The dialog returns where the person was, and commands win over a waiting menu.
 *
 * - `sửa` from the confirmation comes back to it (and `có` then submits); `sửa` in the middle of
 *   answering, or of going over a section, comes back to the question they were on; `sửa` from a
 *   summary they had declined to submit comes back to that summary without a new prompt.
 * - At the confirmation `sửa 9` / `sửa 2.99` are refused with the sections; `xem lại`,
 *   `trợ giúp`, `hủy` work; `nộp` asks once and the `có` that follows submits once.
 * - A recognised command wins over a flow's input (the report picker, a confirmation, a figure),
 *   or is refused as a command; a text question's answer that begins with a command word
 *   ("Báo cáo kết quả…") is the answer.
 *
 * Driven through the bot core as the console channel does, then over Zalo (signed webhook
 * events) and Teams (Bot Framework activities); outcomes are checked in the store.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { makePeriod } from '../regime/periods.js';
import { buildForm, coordinatorUnit, type FormDefinition } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime, startTestBot, type Person, type TestBot } from './helpers/bot.js';
import { teamsSay, zaloSay } from './helpers/chat-drivers.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { seedDraft, seedSubmissions } from './helpers/seed-submissions.js';
import { teamsUser } from './helpers/teams-fixtures.js';
import { askedQuestion, walkReport } from './helpers/walk.js';

const regime = defaultRegime();
const BABE = buildForm(regime, 'BA-BE', 'M') as FormDefinition;
/** Ba Bể's monthly form: mục 1 = d3 (8 questions), mục 2 = d6 (6 questions). */
const key = (item: string) => {
  const [s, q] = item.split('.').map(Number);
  return BABE.sections[s - 1].questions.filter((x) => x.type !== 'note')[q - 1].key;
};
const sectionTitles = BABE.sections.map((s) => s.title);
const asked = (replies: { text: string }[]) => askedQuestion(BABE, replies)?.key;

let t: TestBot | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

/** A Ba Bể focal point with June's report answered in full, at its confirmation prompt. */
async function atConfirmation(): Promise<{ bot: TestBot; p: Person }> {
  const bot = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
  const p = bot.person('lan');
  await p.enrol('BA-BE');
  const w = await walkReport(p, bot.ctx.regime, 'BA-BE', 'M', await p.say('báo cáo BA-BE 2027-06'));
  expect(w.last[0].text).toContain(vi.report.confirm);
  return { bot, p };
}

const flowOf = async (bot: TestBot, userKey: string) => ((await bot.ctx.store.session(userKey))?.state as { flow?: { id: string; state: Record<string, unknown> } } | undefined)?.flow ?? null;
const draftValue = async (bot: TestBot, item: string) => (await bot.ctx.store.getDraft('BA-BE', '2027-06'))?.answers[key(item)]?.value;

describe('console: sửa returns where the person was', () => {
  it('from the confirmation: back to the confirmation, and the next "có" submits what was edited', async () => {
    const { bot, p } = await atConfirmation();
    t = bot;
    let r = await p.say('sửa 1.3');
    expect(r[0].text).toMatch(/Đang ghi: 1\.234 người/);
    r = await p.say('12.400');
    expect(r[0].text).toMatch(/^✓ Đã lưu — Số người tham gia BHXH \(bắt buộc và tự nguyện\) trên địa bàn: 12\.400 người/);
    expect(r[0].text).toMatch(/1\.3 Số người tham gia BHXH \(bắt buộc và tự nguyện\) trên địa bàn: 12\.400 người/);
    expect(r[0].text).toContain(vi.report.confirm);
    expect(r[0].choices?.map((c) => c.value)).toEqual([vi.report.yesWord, vi.report.noWord]);
    expect(await flowOf(bot, 'console:lan')).toMatchObject({ id: 'report', state: { mode: 'confirm' } });

    // A figure typed at the confirmation answers nothing: it is refused, saying how to edit, and nothing changes.
    const before = await bot.ctx.store.getDraft('BA-BE', '2027-06');
    expect(await p.ask('15')).toBe(vi.report.confirmAgain);
    expect((await bot.ctx.store.getDraft('BA-BE', '2027-06'))?.answers).toEqual(before?.answers);

    expect(await p.ask('có')).toMatch(/^✓ Đã nộp Báo cáo tháng 06\/2027 · Ủy ban nhân dân huyện Ba Bể/);
    const revs = await bot.ctx.store.revisions('BA-BE', '2027-06');
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ revision: 1, submittedBy: 'console:lan', channel: 'console' });
    expect(revs[0].answers[key('1.3')]).toBe(12400);
  });

  it('in the middle of answering: back to the question they were on, the edit stored', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
    const p = t.person('lan');
    await p.enrol('BA-BE');
    await p.say('báo cáo BA-BE 2027-06');
    await p.say('2');
    await p.say('Đã ban hành kế hoạch.');
    await p.say('12.345');
    let r = await p.say('2.100');
    expect(asked(r)).toBe(key('1.5'));
    r = await p.say('sửa 1.3');
    expect(asked(r)).toBe(key('1.3'));
    r = await p.say('12.500');
    expect(r[0].text).toMatch(/^✓ Đã lưu — .*: 12\.500 người/);
    expect(asked(r)).toBe(key('1.5'));
    expect(r[0].text).not.toContain(vi.report.confirm);
    expect(await draftValue(t, '1.3')).toBe(12500);
    // The question they were on still takes its figure.
    r = await p.say('3.000');
    expect(r[0].text).toMatch(/^✓ Đã lưu — Số người tham gia BHTN trên địa bàn: 3\.000 người/);
    expect(await draftValue(t, '1.5')).toBe(3000);
    expect(asked(r)).toBe(key('1.6'));
  });

  it('in the middle of going over a section from the confirmation: back to that question, then to the confirmation', async () => {
    const { bot, p } = await atConfirmation();
    t = bot;
    let r = await p.say('sửa 1');
    expect(asked(r)).toBe(key('1.1'));
    r = await p.say('giữ');
    expect(asked(r)).toBe(key('1.2'));
    r = await p.say('sửa 2.3');
    expect(asked(r)).toBe(key('2.3'));
    r = await p.say('7');
    expect(r[0].text).toMatch(/^✓ Đã lưu — .*: 7 cuộc/);
    expect(asked(r)).toBe(key('1.2'));
    expect(r[0].text).toMatch(/Đang ghi: Nội dung cho d3\/results/);
    for (let i = 2; i <= 8; i++) r = await p.say('giữ');
    expect(r[0].text).toContain(vi.report.confirm);
    expect(await draftValue(bot, '2.3')).toBe(7);
    expect(await p.ask('có')).toMatch(/^✓ Đã nộp/);
    expect((await bot.ctx.store.latestSubmission('BA-BE', '2027-06'))?.answers[key('2.3')]).toBe(7);
  });

  it('from a summary they had declined to submit: back to the summary, not to a new submission prompt', async () => {
    const { bot, p } = await atConfirmation();
    t = bot;
    expect(await p.ask('không')).toBe(vi.report.notSubmittedYet);
    await p.say('xem lại');
    await p.say('sửa 1.6');
    const r = await p.say('16.000');
    expect(r[0].text).toMatch(/^✓ Đã lưu — .*: 16\.000 người/);
    expect(r[0].text).toMatch(/1\.6 Chỉ tiêu số người tham gia BHXH được UBND tỉnh giao cho năm: 16\.000 người/);
    expect(r[0].text).toContain(vi.report.afterReviewComplete);
    expect(r[0].text).not.toContain(vi.report.confirm);
    expect(r[0].table?.rows.find((row) => row[0] === '1.6')?.[2]).toBe('16.000 người');
    expect(await draftValue(bot, '1.6')).toBe(16000);
    // Nothing is asked now; `nộp` asks once, `có` submits once.
    expect(await p.ask('nộp')).toContain(vi.report.confirm);
    expect(await p.ask('có')).toMatch(/^✓ Đã nộp/);
    expect(await bot.ctx.store.revisions('BA-BE', '2027-06')).toHaveLength(1);
  });
});

describe('console: at the confirmation', () => {
  it('refuses sửa 9 and sửa 2.99 with the sections; xem lại and trợ giúp keep it; hủy leaves it', async () => {
    const { bot, p } = await atConfirmation();
    t = bot;
    for (const item of ['9', '2.99']) {
      const text = await p.ask(`sửa ${item}`);
      expect(text).toContain(`Không tìm thấy mục hay câu "${item}"`);
      for (const title of sectionTitles) expect(text).toContain(title);
      expect(await flowOf(bot, 'console:lan')).toMatchObject({ id: 'report', state: { mode: 'confirm' } });
    }
    const review = await p.ask('xem lại');
    expect(review).toMatch(/^Tóm tắt Báo cáo tháng 06\/2027/);
    expect(review).toContain(vi.report.afterReviewComplete);
    expect(await p.ask('trợ giúp')).toContain(vi.help.title);
    expect(await flowOf(bot, 'console:lan')).toMatchObject({ id: 'report', state: { mode: 'confirm' } });
    expect(await p.ask('hủy')).toBe(vi.report.paused);
    expect(await flowOf(bot, 'console:lan')).toBeNull();
    // With the dialog left, "có" submits nothing.
    expect(await p.ask('có')).toBe(vi.router.notUnderstood);
    expect(await bot.ctx.store.latestSubmission('BA-BE', '2027-06')).toBeNull();
    // `nộp` asks once; the `có` that follows submits once.
    expect(await p.ask('nộp')).toContain(vi.report.confirm);
    expect(await p.ask('có')).toMatch(/^✓ Đã nộp/);
    expect(await bot.ctx.store.revisions('BA-BE', '2027-06')).toHaveLength(1);
    expect((await bot.ctx.store.audit.find({ subject: 'BA-BE|2027-06' })).map((a) => a.action)).toEqual(['report.submitted']);
  });

  it('nộp after xem lại: at the confirmation it submits at once; elsewhere it asks once', async () => {
    const { bot, p } = await atConfirmation();
    t = bot;
    // Declined, reviewed, then `nộp`: one confirmation, then `có`.
    await p.ask('không');
    await p.ask('xem lại');
    expect(await p.ask('nộp')).toContain(vi.report.confirm);
    expect(await p.ask('có')).toMatch(/^✓ Đã nộp/);
    // An amendment comes to the confirmation; `xem lại` there, then `nộp`, submits without asking again.
    bot.clock.advance(3_600_000);
    await p.say('sửa 1.6');
    expect(await p.ask('16.500')).toContain(vi.report.confirm);
    await p.ask('xem lại');
    expect(await p.ask('nộp')).toMatch(/^✓ Đã nộp .*\(bản sửa lần 2\)/);
    const revs = await bot.ctx.store.revisions('BA-BE', '2027-06');
    expect(revs.map((s) => [s.revision, s.answers[key('1.6')]])).toEqual([
      [1, 1234],
      [2, 16500],
    ]);
  });
});

describe('console: commands and free text while a flow waits', () => {
  it('a text answer beginning with a command word is the answer; sửa naming an unknown item there is refused', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
    const p = t.person('lan');
    await p.enrol('BA-BE');
    await p.say('báo cáo BA-BE 2027-06');
    let r = await p.say('2');
    expect(asked(r)).toBe(key('1.2'));
    const list = await p.ask('sửa 9');
    expect(list).toContain('Không tìm thấy mục hay câu "9"');
    expect(await draftValue(t, '1.2')).toBeUndefined();
    for (const answer of ['Báo cáo kết quả quý II: đã tổ chức 3 hội nghị.', 'Sửa chữa 9 trường học']) {
      await p.say('sửa 1.2');
      r = await p.say(answer);
      expect(r[0].text.split('\n')[0]).toBe(`✓ Đã lưu — Kết quả đã thực hiện: ${answer}`);
      expect(await draftValue(t, '1.2')).toBe(answer);
    }
    // A figure question lets commands win with their arguments: `trạng thái 2027-06` is the status.
    expect(asked(r)).toBe(key('1.3'));
    expect(await p.ask('trạng thái 2027-06')).toMatch(/^Tình hình báo cáo của bạn/);
    expect(await draftValue(t, '1.3')).toBeUndefined();
    expect(asked(await p.say('tiếp tục'))).toBe(key('1.3'));
  });

  it('the report picker: a coordinator gets trạng thái KỲ and duyệt; a focal point is refused duyệt as a command', async () => {
    t = await startTestBot({ now: '2027-07-04T09:00:00+07:00' });
    await seedSubmissions(t.store.repos, t.ctx.regime, '2027-H1', { units: ['BHXH'], channel: 'console' });
    const coord = t.person('coord');
    await coord.enrol('LDTBXH', 'coordinator');
    expect(await coord.ask('báo cáo')).toContain(vi.report.pickIntro);
    const h1 = makePeriod(t.ctx.regime, '2027-H1')!;
    const board = await coord.ask('trạng thái 2027-H1');
    expect(board).toContain(vi.consolidation.boardTitle(h1.name));
    expect(board).not.toMatch(/Vui lòng gõ một số/);
    expect(await coord.ask('duyệt BHXH 2027-H1')).not.toMatch(/Vui lòng gõ một số/);
    expect(await t.ctx.store.reportState('BHXH', '2027-H1')).toMatchObject({ status: 'approved' });
    // The menu still waits: a number picks.
    expect(await flowOf(t, 'console:coord')).toMatchObject({ id: 'report.pick' });
    expect(await coord.ask('1')).toMatch(/Sở Lao động - Thương binh và Xã hội/);
    expect(await flowOf(t, 'console:coord')).toMatchObject({ id: 'report' });

    const focal = t.person('lan');
    await focal.enrol('BA-BE');
    expect(await focal.ask('báo cáo')).toContain(vi.report.pickIntro);
    expect(await focal.ask('duyệt BA-BE 2027-06')).toBe(vi.router.coordinatorOnly(coordinatorUnit(regime)));
    expect(await focal.ask('mở lại BA-BE 2027-06')).toBe(vi.router.coordinatorOnly(coordinatorUnit(regime)));
    expect(await t.ctx.store.reportState('BA-BE', '2027-06')).toBeNull();
    expect(await focal.ask('trạng thái')).toMatch(/^Tình hình báo cáo của bạn/);
    expect(await flowOf(t, 'console:lan')).toMatchObject({ id: 'report.pick' });
    // The unit and period as people type them (dialogs/target-args.ts): a name without diacritics, the month as 6/2027.
    expect(await focal.ask('Ba Be thang 6/2027')).toContain('Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể');
    expect(await flowOf(t, 'console:lan')).toMatchObject({ id: 'report', state: { unitCode: 'BA-BE', periodId: '2027-06' } });
    await focal.say('2');
    expect(await draftValue(t, '1.1')).toBe('dang_thuc_hien');
  });
});

describe('over Zalo and Teams', () => {
  let app: TestApp;
  let zalo: FakeZalo;
  let connector: FakeBotConnector;
  const clock = new ManualClock(Date.parse('2027-06-16T09:00:00+07:00'));

  beforeAll(async () => {
    zalo = await startFakeZalo();
    connector = await startFakeBotConnector();
    app = await startTestApp(zalo.env(), { clock });
  });
  afterAll(async () => {
    await app?.close();
    await zalo?.close();
    await connector?.close();
  });
  const code = (unitCode: string, role: 'focal' | 'coordinator') => app.ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });

  it('Zalo: sửa from the confirmation returns to it, sửa 9 is refused, a "Báo cáo…" answer is stored, có submits once', async () => {
    const user = zaloId();
    const say = (text: string) => {
      clock.advance(1000);
      return zaloSay(app.url, app.ctx.store, zalo, user, text, clock.now().getTime());
    };
    expect(await say(`đăng ký ${await code('BA-BE', 'focal')}`)).toContain('Đăng ký thành công');
    await seedDraft(app.ctx.store, app.ctx.regime, '2027-06', 'BA-BE', 1, { at: clock.now().getTime(), by: `zalo:${user}` });
    expect(await say('báo cáo BA-BE 2027-06')).toContain(vi.report.confirm);

    expect(await say('sửa 1.3')).toContain('Đang ghi');
    let text = await say('12.400');
    expect(text).toMatch(/✓ Đã lưu — .*: 12\.400 người/);
    expect(text).toContain(vi.report.confirm);

    text = await say('sửa 9');
    expect(text).toContain('Không tìm thấy mục hay câu "9"');
    for (const title of sectionTitles) expect(text).toContain(title);

    await say('sửa 1.2');
    text = await say('Báo cáo kết quả: đã tổ chức 3 hội nghị tuyên truyền.');
    expect(text).toContain('✓ Đã lưu — Kết quả đã thực hiện: Báo cáo kết quả: đã tổ chức 3 hội nghị tuyên truyền.');
    expect(text).toContain(vi.report.confirm);

    expect(await say('có')).toMatch(/✓ Đã nộp Báo cáo tháng 06\/2027/);
    const revs = await app.ctx.store.revisions('BA-BE', '2027-06');
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ channel: 'zalo', submittedBy: `zalo:${user}` });
    expect(revs[0].answers[key('1.3')]).toBe(12400);
    expect(revs[0].answers[key('1.2')]).toBe('Báo cáo kết quả: đã tổ chức 3 hội nghị tuyên truyền.');
  });

  it('Teams: a coordinator in the report picker gets trạng thái KỲ and duyệt; a focal point is refused', async () => {
    clock.set(Date.parse('2027-07-04T09:00:00+07:00'));
    await seedSubmissions(app.ctx.store, app.ctx.regime, '2027-H1', { units: ['CTK'], channel: 'teams' });
    const coord = teamsUser('Lê Văn Điều Phối');
    const focal = teamsUser('Hoàng Thị Lan');
    const say = (u: typeof coord, text: string) => teamsSay(app.url, connector, u, text);
    expect(await say(coord, `đăng ký ${await code('LDTBXH', 'coordinator')}`)).toContain('Đăng ký thành công');
    expect(await say(focal, `đăng ký ${await code('NA-RI', 'focal')}`)).toContain('Đăng ký thành công');

    expect(await say(coord, 'báo cáo')).toContain(vi.report.pickIntro);
    expect(await say(coord, 'trạng thái 2027-H1')).toContain(vi.consolidation.boardTitle(makePeriod(app.ctx.regime, '2027-H1')!.name));
    await say(coord, 'duyệt CTK 2027-H1');
    expect(await app.ctx.store.reportState('CTK', '2027-H1')).toMatchObject({ status: 'approved' });

    expect(await say(focal, 'báo cáo')).toContain(vi.report.pickIntro);
    expect(await say(focal, 'duyệt CTK 2027-H1')).toContain(vi.router.coordinatorOnly(coordinatorUnit(regime)));
    expect(await say(focal, 'xuất 2027-H1 csv')).toContain(vi.router.coordinatorOnly(coordinatorUnit(regime)));
    // Still at the menu: a number picks a report.
    expect(await say(focal, '1')).toMatch(/Ủy ban nhân dân huyện Na Rì/);
  });

  it('Teams: the broadcast menu and confirmation let commands win; its message is free text, "Báo cáo…" included', async () => {
    clock.set(Date.parse('2027-07-04T10:00:00+07:00'));
    await seedSubmissions(app.ctx.store, app.ctx.regime, '2027-H1', { units: ['BHXH'], channel: 'teams' });
    const coord = teamsUser('Nông Văn Thông Báo');
    const focal = teamsUser('Lý Thị Nhận');
    const say = (u: typeof coord, text: string) => teamsSay(app.url, connector, u, text);
    const flow = async () => ((await app.ctx.store.session(`teams:${coord.userId}`))?.state as { flow?: unknown } | undefined)?.flow;
    expect(await say(coord, `đăng ký ${await code('LDTBXH', 'coordinator')}`)).toContain('Đăng ký thành công');
    expect(await say(focal, `đăng ký ${await code('PAC-NAM', 'focal')}`)).toContain('Đăng ký thành công');
    const board = vi.consolidation.boardTitle(makePeriod(app.ctx.regime, '2027-H1')!.name);

    expect(await say(coord, 'thông báo')).toContain('1. Tất cả đơn vị');
    expect(await say(coord, 'trạng thái 2027-H1')).toContain(board);
    expect(await flow()).toMatchObject({ id: 'broadcast', state: { step: 'audience' } });
    await say(coord, '1');
    const message = 'Báo cáo 6 tháng đầu năm nộp trước ngày 05/7/2027.';
    await say(coord, message);
    expect(await flow()).toMatchObject({ id: 'broadcast', state: { step: 'confirm', text: message } });
    await say(coord, 'duyệt BHXH 2027-H1');
    expect(await app.ctx.store.reportState('BHXH', '2027-H1')).toMatchObject({ status: 'approved' });
    expect(await flow()).toMatchObject({ id: 'broadcast', state: { step: 'confirm' } });
    await say(coord, 'gửi');
    expect(await flow()).toBeNull();
    expect((await app.ctx.store.broadcasts.find({ createdBy: `teams:${coord.userId}` })).map((b) => b.text)).toEqual([message]);
  });
});
