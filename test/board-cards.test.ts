/**
 * The coordinator's board (`trạng thái KỲ`), the consolidation (`tổng hợp KỲ`) and a focal point's
 * own status (`trạng thái`) as an official reads them (issue 19), driven the way the platforms
 * drive them: Teams activities posted to the real app's /api/messages (replies read at the fake Bot
 * Connector; a card button is an imBack, i.e. the user's message with the button's value) and the
 * console channel's bot core for the plain text Zalo and the console show.
 *
 * Checked against what is stored (report states, submissions, drafts), with the order, colours and
 * counts recomputed here independently of reporting/wording.ts: one table per card (no bullet copy
 * of its rows), the counts line first, the status coloured per state, overdue and awaiting review
 * first, "—" where there is nothing; the II.2 rates beside their targets; a period of ninety
 * communes paged ("Xem tiếp" and `trạng thái KỲ trang N` show the next units); the own status said
 * once with its "Tiếp tục báo cáo" button. Every card is then rendered at 450 and 360 px
 * (test/helpers/card-render.ts) and must have no layout problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOutMessage } from '../channels/zalo/render.js';
import type { OutMessage } from '../core/message.js';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { addCommunes, defaultRegimeData, writeRegimeCopy } from './helpers/regime-copies.js';
import { fmtRate } from '../reporting/wording.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { loadRegimeFile } from '../regime/regime.js';
import type { ReportState } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startTestBot, type TestBot } from './helpers/bot.js';
import { CARD_WIDTHS, countProblems, startCardRenderer } from './helpers/card-render.js';
import { defaultRegime, expectedIndicators, NOW, PERIOD, seedScenario, storedLatest } from './helpers/consolidation-scenario.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { filingUnits, seedDraft, seedSubmissions } from './helpers/seed-submissions.js';
import { asUser, cardGrids, cardOf, cardText, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';

const PERIOD_NAME = 'Báo cáo 6 tháng đầu năm 2027';
/** Every card the tests below received, to render at the end. */
const rendered: Array<{ what: string; card: any }> = [];

/** The buttons of a card: title and the text an imBack posts. */
const buttons = (card: any): Array<{ title: string; value: string }> =>
  (card.body ?? [])
    .filter((e: any) => e.type === 'ActionSet')
    .flatMap((e: any) => e.actions)
    .map((a: any) => ({ title: a.title, value: a.data?.msteams?.value }));

/**
 * Where a unit should stand on the board, from its stored state alone (after the deadline): 0 nothing
 * submitted (overdue), 1 submitted and awaiting review, 2 sent back, 5 approved; and the colour of
 * its status.
 */
function expected(st: ReportState | undefined): { rank: number; color: string } {
  if (!st || st.status === 'reopened') return { rank: 0, color: 'Attention' };
  if (st.status === 'submitted') return { rank: 1, color: st.late ? 'Warning' : 'Good' };
  if (st.status === 'needs_correction') return { rank: 2, color: 'Attention' };
  return { rank: 5, color: 'Good' };
}

/** The filing units in the order the board must show them, from the stored states (regime order within a rank). */
async function expectedOrder(repos: Repositories, regime: ReportRegime): Promise<string[]> {
  const states = new Map((await repos.reportStates.find({ periodId: PERIOD })).map((s) => [s.unitCode, s]));
  const units = filingUnits(regime, PERIOD);
  return units
    .map((code, i) => ({ code, i, rank: expected(states.get(code)).rank }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.code);
}

/** The counts line, recomputed from the stored states. */
async function expectedCounts(repos: Repositories, regime: ReportRegime): Promise<string> {
  const units = new Set(filingUnits(regime, PERIOD));
  const states = (await repos.reportStates.find({ periodId: PERIOD })).filter((s) => units.has(s.unitCode) && s.status !== 'reopened');
  const n = (f: (s: ReportState) => boolean) => states.filter(f).length;
  const submitted = states.length;
  return vi.consolidation.boardSummary({
    submitted,
    expected: units.size,
    late: n((s) => s.late),
    awaiting: n((s) => s.status === 'submitted'),
    correction: n((s) => s.status === 'needs_correction'),
    approved: n((s) => s.status === 'approved'),
    missing: units.size - submitted,
  });
}

class TeamsChat {
  constructor(
    private readonly app: TestApp,
    private readonly fake: FakeBotConnector,
    readonly u: TeamsUser,
  ) {}
  /** Sends `text` as the user (typed, or a button's imBack); returns the cards of the replies and their count. */
  async say(text: string): Promise<{ cards: any[]; activities: any[] }> {
    this.fake.clear();
    const r = await postActivity(this.app.url, asUser(teamsFixture('message-personal', this.fake.serviceUrl, { id: nextActivityId(), text }), this.u));
    expect(r.status).toBe(200);
    const activities = this.fake.activities(this.u.conversationId);
    return { activities, cards: activities.map(cardOf).filter(Boolean) };
  }
  async enrol(unitCode: string, role: 'focal' | 'coordinator', now: number) {
    const code = await this.app.ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now, ttlMs: 86_400_000 });
    const { activities } = await this.say(`đăng ký ${code}`);
    expect(JSON.stringify(activities)).toContain('Đăng ký thành công');
  }
}

describe('board, consolidation and own status on Teams cards: 2027-H1, 19 units', () => {
  const regime = defaultRegime();
  let app: TestApp;
  let fake: FakeBotConnector;
  let coordinator: TeamsChat;
  let bhxh: TeamsChat;
  let naRi: TeamsChat;

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    app = await startTestApp({}, { clock: new ManualClock(NOW.getTime()) });
    await seedScenario(app.ctx.store, app.ctx.regime);
    coordinator = new TeamsChat(app, fake, teamsUser('Lê Văn Điều Phối'));
    bhxh = new TeamsChat(app, fake, teamsUser('Trần Thị Bình'));
    naRi = new TeamsChat(app, fake, teamsUser('Nông Văn Hải'));
    await coordinator.enrol('LDTBXH', 'coordinator', NOW.getTime());
    await bhxh.enrol('BHXH', 'focal', NOW.getTime());
    await naRi.enrol('NA-RI', 'focal', NOW.getTime());
    // One report approved, one sent back: every state of the board is there.
    await coordinator.say('duyệt BHXH 2027-H1');
    await coordinator.say('cần bổ sung CTK 2027-H1 1.3: Đề nghị đối chiếu với niên giám thống kê.');
    expect((await app.ctx.store.reportState('BHXH', PERIOD))?.status).toBe('approved');
    expect((await app.ctx.store.reportState('CTK', PERIOD))?.status).toBe('needs_correction');
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('trạng thái KỲ: one card, counts first, one table ordered and coloured by the stored states, "—" where there is nothing', async () => {
    const { cards, activities } = await coordinator.say('trạng thái 2027-H1');
    expect(activities).toHaveLength(1);
    expect(cards).toHaveLength(1);
    const card = cards[0];
    rendered.push({ what: 'board', card });
    const text = cardText(card);
    // Said once: no bullet copy of the rows; each unit once.
    expect(text).not.toMatch(/^•/m);
    for (const u of regime.units.filter((x) => x.reports)) expect(text.split(u.shortName).length - 1, u.shortName).toBe(1);
    expect(text).not.toContain('chưa có đầu mối');

    // Title, deadline, then the counts line (bold), matching the stored states; then the grid.
    const counts = await expectedCounts(app.ctx.store, regime);
    expect(counts).toBe('17/19 đã nộp · 2 nộp muộn · 15 chờ duyệt · 1 cần bổ sung · 1 đã duyệt · 2 chưa nộp');
    const blocks = card.body.map((e: any) => (e.inlines ?? []).map((r: any) => r.text).join(''));
    expect(blocks.slice(0, 3)).toEqual([vi.consolidation.boardTitle(PERIOD_NAME), 'Hạn nộp: trước 00:00 ngày 05/7/2027 (đã qua). Đúng hạn hay nộp muộn tính theo lần nộp đầu tiên.', counts]);
    expect(card.body[2].inlines[0].weight).toBe('Bolder');
    expect(card.body[3].type).toBe('ColumnSet');

    const grids = cardGrids(card);
    expect(grids).toHaveLength(1);
    const [grid] = grids;
    expect(grid.header).toEqual(['Đơn vị\nĐầu mối', 'Trạng thái', 'Cập nhật']);
    expect(grid.widths.slice(0, 2)).toEqual(['stretch', 'stretch']);
    expect(grid.widths[2]).toMatch(/^\d+px$/);

    // Rows: the expected order, the status colour of each stored state.
    const code = new Map(regime.units.map((u) => [u.shortName, u.code]));
    const shown = grid.rows.map((r) => code.get(r[0].split('\n')[0]));
    expect(shown).toEqual(await expectedOrder(app.ctx.store, regime));
    expect(shown.slice(0, 2)).toEqual(['STC', 'NA-RI']);
    expect(shown[shown.length - 1]).toBe('BHXH');
    const states = new Map((await app.ctx.store.reportStates.find({ periodId: PERIOD })).map((s) => [s.unitCode, s]));
    grid.rows.forEach((r, i) => expect(grid.colors[i][1], r[0]).toBe(expected(states.get(shown[i]!)).color));
    // Focal points under the unit's name, "—" for none; the last update, "—" for none.
    const row = (c: string) => grid.rows[shown.indexOf(c)];
    expect(row('BHXH')[0]).toBe('BHXH tỉnh\nTrần Thị Bình');
    expect(row('NA-RI')[0]).toBe('UBND huyện Na Rì\nNông Văn Hải');
    expect(row('STC')).toEqual(['Sở Tài chính\n—', 'Chưa bắt đầu — quá hạn', '—']);
    expect(row('BHXH')[2]).toBe('08/7 10:00'); // approved just now
    expect(row('NA-RI')[2]).toBe('30/6 00:00'); // its draft
    for (const r of grid.rows) expect(r[2]).toMatch(/^(\d{2}\/\d{1,2} \d{2}:\d{2}|—)$/);
    // 19 units: one page, no "Xem tiếp".
    expect(buttons(card)).toEqual([]);
    expect(text).not.toContain('Trang 1/');
  });

  it('tổng hợp KỲ: the same board, then the II.2 rates beside their targets, a rate not computed and why', async () => {
    const { cards } = await coordinator.say('tổng hợp 2027-H1');
    expect(cards).toHaveLength(2);
    rendered.push({ what: 'consolidation board', card: cards[0] }, { what: 'consolidation rates', card: cards[1] });
    expect(cardGrids(cards[0])[0].rows).toHaveLength(19);
    const [grid, ...more] = cardGrids(cards[1]);
    expect(more).toEqual([]);
    expect(grid.header).toEqual(['Nội dung', 'Đạt', 'Chỉ tiêu']);
    const want = expectedIndicators(regime, await storedLatest(app.ctx.store));
    regime.indicators.forEach((ind, i) => {
      const r = grid.rows[i];
      expect(r[0]).toBe(ind.name);
      const value = want[ind.id].value;
      expect(r[1]).toBe(value === null ? '—' : fmtRate(value));
      const target = ind.targets['2030'];
      expect(r[2]).toBe(`${String(target).replace('.', ',')}% năm 2030`);
      expect(grid.colors[i][1]).toBe(value !== null && value >= target ? 'Good' : undefined);
    });
    const text = cardText(cards[1]);
    expect(text).toContain('So với mốc năm 2030, mốc gần nhất kể từ năm 2027.');
    expect(text).toMatch(
      /Chưa tính được «Tỷ lệ người sau độ tuổi nghỉ hưu[^»]*»: Sở Lao động - Thương binh và Xã hội đã nộp nhưng chưa báo cáo số liệu này «Số người đang hưởng trợ cấp hưu trí xã hội»\./,
    );
    expect(text).not.toMatch(/^•/m);
  });

  it('trạng thái of a focal point: one table said once, overdue marks in colour, "Tiếp tục báo cáo" runs tiếp tục', async () => {
    const { cards, activities } = await naRi.say('trạng thái');
    expect(activities).toHaveLength(1);
    const card = cards[0];
    rendered.push({ what: 'own status (Na Rì)', card });
    const text = cardText(card);
    expect(text).not.toMatch(/^•/m);
    expect(text.split('Ủy ban nhân dân huyện Na Rì').length - 1).toBe(1);
    const [grid] = cardGrids(card);
    expect(grid.header).toEqual(['Kỳ báo cáo', 'Nộp trước', 'Tình trạng']);
    expect(grid.widths[1]).toMatch(/^\d+px$/);
    expect(grid.headings).toEqual([{ before: 0, text: 'Ủy ban nhân dân huyện Na Rì' }]);
    expect(grid.rows.map((r) => r[0])).toEqual(['Tháng 06/2027', '6 tháng đầu năm 2027', 'Tháng 07/2027', 'Năm 2027']);
    expect(grid.rows.map((r) => r[1])).toEqual(['20/6/2027', '05/7/2027', '20/7/2027', '20/12/2027']);
    // Past the deadline and not submitted: attention; the H1 draft (16 of 40 answered) says so.
    expect(grid.colors.map((c) => c[2])).toEqual(['Attention', 'Attention', undefined, undefined]);
    expect(grid.rows[0][2]).toBe('Quá hạn 18 ngày, chưa nộp; chưa trả lời câu nào trong 14 câu');
    expect(grid.rows[1][2]).toMatch(/^Quá hạn 3 ngày, chưa nộp; đã trả lời 16\/40 câu/);
    expect(grid.rows[2][2]).toMatch(/^Còn 11 ngày, chưa nộp/);
    // The text's words and the button's.
    expect(text).toContain('Gõ "tiếp tục" để tiếp tục báo cáo');
    expect(buttons(card)).toEqual([{ title: 'Tiếp tục báo cáo', value: 'tiếp tục' }]);
    // Four reports to do: the button asks which.
    const next = await naRi.say('tiếp tục');
    expect(JSON.stringify(next.activities)).toContain(vi.report.pickIntro);
  });

  it('trạng thái of a focal point with one report to do: the button opens it', async () => {
    const { cards } = await bhxh.say('trạng thái');
    rendered.push({ what: 'own status (BHXH)', card: cards[0] });
    const [grid] = cardGrids(cards[0]);
    expect(grid.rows.map((r) => r[2].split(' (')[0])).toEqual(['Đã duyệt', 'Còn 164 ngày, chưa nộp; chưa trả lời câu nào trong 40 câu']);
    expect(grid.colors.map((c) => c[2])).toEqual(['Good', undefined]);
    const [button] = buttons(cards[0]);
    const opened = await bhxh.say(button.value);
    const form = opened.cards.find((c) => c.actions?.some((a: any) => a.type === 'Action.Execute'));
    expect(form, JSON.stringify(opened.activities).slice(0, 400)).toBeDefined();
    expect(cardText(form)).toContain('Báo cáo năm 2027');
  });

  it('the text Zalo and the console show: the same counts, the units in the same order, one line each', async () => {
    const bot = await startTestBot({ now: NOW.toISOString() });
    try {
      await seedScenario(bot.ctx.store, bot.ctx.regime);
      const c = bot.person('dieu.phoi', { name: 'Lê Văn Điều Phối' });
      await c.enrol('LDTBXH', 'coordinator');
      const [m] = await c.say('trạng thái 2027-H1');
      const lines = m.text.split('\n');
      expect(lines.slice(0, 3)).toEqual([vi.consolidation.boardTitle(PERIOD_NAME), expect.stringContaining('Hạn nộp:'), await expectedCounts(bot.ctx.store, regime)]);
      const bullets = lines.filter((l) => l.startsWith('• '));
      const order = await expectedOrder(bot.ctx.store, regime);
      expect(bullets.map((l) => regime.units.find((u) => l.startsWith(`• ${u.shortName}:`))?.code)).toEqual(order);
      expect(bullets[0]).toBe('• Sở Tài chính: Chưa bắt đầu — quá hạn');
      expect(m.text).not.toContain('chưa có đầu mối');
      // Zalo sends it as text, under its 2,000 characters a message.
      expect(
        renderOutMessage(m)
          .map((z) => z.text)
          .join('\n'),
      ).toBe(m.text);
    } finally {
      await bot.dispose();
    }
  });
});

/** The default regime and ninety communes (under UBND các huyện, they file 2027-H1 like the districts). */
function communeRegime(): { file: string; regime: ReportRegime } {
  const data = defaultRegimeData();
  addCommunes(data, 90);
  const file = writeRegimeCopy(data, 'communes');
  const loaded = loadRegimeFile(file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return { file, regime: loaded.regime };
}

/** 60 communes submitted (12 late), 5 with a draft, the rest nothing; the 19 provincial units and districts as in the scenario. */
async function seedCommunes(repos: Repositories, regime: ReportRegime): Promise<void> {
  const communes = regime.units.filter((u) => u.code.startsWith('XA-')).map((u) => u.code);
  await seedScenario(repos, regime, { skipUnits: communes });
  await seedSubmissions(repos, regime, PERIOD, { units: communes.slice(0, 60), lateUnits: communes.slice(0, 12), seed: 90 });
  for (const c of communes.slice(60, 65)) await seedDraft(repos, regime, PERIOD, c, 0.3);
}

describe('a period of ninety communes: the board in pages', () => {
  const { file, regime } = communeRegime();
  let app: TestApp;
  let fake: FakeBotConnector;
  let coordinator: TeamsChat;
  let order: string[];
  const shortName = (code: string) => regime.units.find((u) => u.code === code)!.shortName;
  const unitsOf = (card: any) => cardGrids(card)[0].rows.map((r) => r[0].split('\n')[0]);

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    app = await startTestApp({ REGIME_FILE: file }, { clock: new ManualClock(NOW.getTime()) });
    await seedCommunes(app.ctx.store, app.ctx.regime);
    coordinator = new TeamsChat(app, fake, teamsUser('Lê Văn Điều Phối'));
    await coordinator.enrol('LDTBXH', 'coordinator', NOW.getTime());
    order = await expectedOrder(app.ctx.store, regime);
    expect(order).toHaveLength(109);
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('page 1 shows the first 20 units and a "Xem tiếp" button; the button and the typed command show the next 20', async () => {
    const first = (await coordinator.say('trạng thái 2027-H1')).cards;
    expect(first).toHaveLength(1);
    rendered.push({ what: 'board of 109 units, page 1', card: first[0] });
    expect(unitsOf(first[0])).toEqual(order.slice(0, 20).map(shortName));
    expect(cardText(first[0])).toContain(await expectedCounts(app.ctx.store, regime));
    expect(cardText(first[0])).toContain('Trang 1/6: đơn vị 1–20 trong số 109. Gõ "trạng thái 2027-H1 trang 2" để xem tiếp.');
    const next = buttons(first[0]);
    expect(next).toEqual([{ title: 'Xem tiếp', value: 'trạng thái 2027-H1 trang 2' }]);

    // The button: Teams posts its value as the user's message.
    const second = (await coordinator.say(next[0].value)).cards;
    rendered.push({ what: 'board of 109 units, page 2', card: second[0] });
    expect(unitsOf(second[0])).toEqual(order.slice(20, 40).map(shortName));
    expect(cardText(second[0])).toContain('Trang 2/6: đơn vị 21–40 trong số 109.');
    expect(buttons(second[0])).toEqual([{ title: 'Xem tiếp', value: 'trạng thái 2027-H1 trang 3' }]);
    // Typed, as people type it.
    const typed = (await coordinator.say('trang thai 6 thang dau nam 2027 trang 2')).cards;
    expect(unitsOf(typed[0])).toEqual(unitsOf(second[0]));

    // The last page: the last units, no button; a page past the end shows the last one.
    const last = (await coordinator.say('trạng thái 2027-H1 trang 6')).cards;
    rendered.push({ what: 'board of 109 units, page 6', card: last[0] });
    expect(unitsOf(last[0])).toEqual(order.slice(100).map(shortName));
    expect(cardText(last[0])).toContain('Trang 6/6: đơn vị 101–109 trong số 109.');
    expect(buttons(last[0])).toEqual([]);
    expect(unitsOf((await coordinator.say('trạng thái 2027-H1 trang 9')).cards[0])).toEqual(unitsOf(last[0]));
  });

  it('tổng hợp KỲ pages the same way; its later pages are the board only', async () => {
    const first = (await coordinator.say('tổng hợp 2027-H1')).cards;
    expect(first).toHaveLength(2);
    expect(buttons(first[0])).toEqual([{ title: 'Xem tiếp', value: 'tổng hợp 2027-H1 trang 2' }]);
    const second = (await coordinator.say('tổng hợp 2027-H1 trang 2')).cards;
    expect(second).toHaveLength(1);
    expect(unitsOf(second[0])).toEqual(order.slice(20, 40).map(shortName));
  });

  it('in text (Zalo, the console): the same page, its line saying how to see the next, and the button for Zalo', async () => {
    const bot: TestBot = await startTestBot({ now: NOW.toISOString(), regime });
    try {
      await seedCommunes(bot.ctx.store, regime);
      const c = bot.person('dieu.phoi', { name: 'Lê Văn Điều Phối' });
      await c.enrol('LDTBXH', 'coordinator');
      const [m]: OutMessage[] = await c.say('trạng thái 2027-H1 trang 2');
      const bullets = m.text.split('\n').filter((l) => l.startsWith('• '));
      expect(bullets.map((l) => l.slice(2, l.indexOf(':')))).toEqual(order.slice(20, 40).map(shortName));
      expect(m.text.split('\n').at(-1)).toBe('Trang 2/6: đơn vị 21–40 trong số 109. Gõ "trạng thái 2027-H1 trang 3" để xem tiếp.');
      const zalo = renderOutMessage(m);
      expect(zalo.at(-1)?.attachment?.payload.buttons).toEqual([{ title: 'Xem tiếp', type: 'oa.query.hide', payload: 'trạng thái 2027-H1 trang 3' }]);
    } finally {
      await bot.dispose();
    }
  });
});

describe('the cards render cleanly at 450 and 360 px', () => {
  it('board, consolidation, pages of a long board and the own status: no text over text, cut or cramped', { timeout: 120_000 }, async () => {
    expect(rendered.length).toBeGreaterThanOrEqual(8);
    const renderer = await startCardRenderer();
    const problems: string[] = [];
    try {
      for (const { what, card } of rendered)
        for (const width of [CARD_WIDTHS.laptop, CARD_WIDTHS.mobile]) {
          const r = await renderer.render(card, width);
          if (r.problems.length) problems.push(`${what} at ${width} px (${r.height} px tall): ${countProblems(r.problems)}\n  ${r.problems.map((p) => p.detail).join('\n  ')}`);
        }
    } finally {
      await renderer.close();
    }
    expect(problems).toEqual([]);
  });
});
