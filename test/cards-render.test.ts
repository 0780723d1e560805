/**
 * Every card the bot sends, rendered as Teams shows it (issue 19). Realistic walks over Teams'
 * HTTP edge (activities posted to /api/messages, replies read at the fake Bot Connector, section
 * submits answered inline through Action.Execute invokes, proactive sends through the outbox)
 * collect each Adaptive Card the bot produces; each is rendered by Microsoft's `adaptivecards`
 * renderer in Chromium with Teams' light host config at 450 px (Teams chat on a laptop) and 360 px
 * (the mobile app). The test fails, listing them, when two texts overlap, a text is cut off, a word
 * is broken mid-word or a column holds one word a line, a card is over Teams' payload budget, or
 * the renderer's parser reports the card (test/helpers/card-render.ts).
 *
 * The PNGs land in .tmp/cards/<walk>-<n>-<width>.png, with .tmp/cards/index.html listing every card
 * (what was sent to get it, its height at each width, its problems) for a person to look through.
 * A card with hidden parts (targets of Action.ToggleVisibility) is checked a second time with them
 * shown (<walk>-<n>-<width>-open.png).
 *
 * The edge cases go through the product's own code path with a modified copy of the regime: a
 * duty of 90 questions (one section of 90+ fields), 400 reporting units (a board of 400 rows), one
 * official enrolled in the nineteen units that file 2027-H1 (a picker of 19 units).
 *
 * Only some walks: CARD_WALKS=board,report npx vitest run test/cards-render.test.ts (walk ids below;
 * the detector's own check is 'detector').
 * Needs Chromium (Debian's `chromium`, or CHROMIUM_PATH) and fonts-noto-core.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCommunes, addQuestions, defaultRegimeData, REGIME_COPIES_DIR, writeRegimeCopy } from './helpers/regime-copies.js';
import { CARD_WIDTHS, countProblems, startCardRenderer, type CardProblem, type CardRenderer } from './helpers/card-render.js';
import { NOW as SCENARIO_NOW, PERIOD, seedScenario } from './helpers/consolidation-scenario.js';
import { startWorld, type World } from './helpers/reminder-world.js';
import { seedSubmissions } from './helpers/seed-submissions.js';
import { activityText, asUser, cardInputs, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';

const OUT_DIR = resolve(import.meta.dirname, '..', '.tmp', 'cards');
const WIDTHS = [CARD_WIDTHS.laptop, CARD_WIDTHS.mobile];
const ONLY = process.env.CARD_WALKS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);

/** One card as sent: the walk, its order, what the person did to get it. */
interface SentCard {
  n: number;
  step: string;
  card: any;
}

interface IndexEntry {
  walk: string;
  n: number;
  step: string;
  bytes: number;
  renders: Array<{ width: number; variant?: string; height: number; file: string; problems: CardProblem[] }>;
}

/** A Teams user's conversation with the app, recording every card the bot sends (replies, proactive sends, invoke answers). */
class Conversation {
  readonly cards: SentCard[] = [];
  constructor(
    private readonly w: World,
    readonly u: TeamsUser,
    private readonly log: SentCard[],
  ) {}

  private collect(step: string, from: number): any[] {
    const out: any[] = [];
    for (const r of this.w.teams.requests.slice(from)) {
      if (r.conversationId !== this.u.conversationId || r.status >= 300 || !['send', 'reply', 'update'].includes(r.op)) continue;
      out.push(r.body);
      for (const a of r.body?.attachments ?? []) if (a.contentType === 'application/vnd.microsoft.card.adaptive') this.add(step, a.content);
    }
    return out;
  }

  add(step: string, card: any) {
    const c = { n: this.log.length + 1, step, card };
    this.cards.push(c);
    this.log.push(c);
  }

  /** Sends text as the user; returns the activities the bot posted in reply. */
  async say(text: string): Promise<any[]> {
    const from = this.w.teams.requests.length;
    const r = await postActivity(this.w.app.url, asUser(teamsFixture('message-personal', this.w.teams.serviceUrl, { id: nextActivityId(), text }), this.u));
    expect(r.status, `Teams "${text}"`).toBe(200);
    return this.collect(`${this.u.name}: "${text}"`, from);
  }

  /** Proactive sends (outbox) since `from`. */
  received(step: string, from: number): any[] {
    return this.collect(step, from);
  }

  /**
   * Presses a section card's submit: an Action.Execute invoke. The card in the HTTP answer replaces
   * the clicked one; further cards (the other parts of a split section, the next messages) arrive
   * as activities. Returns them all, in order.
   */
  async execute(exec: any, values: Record<string, unknown>, step: string): Promise<any[]> {
    const from = this.w.teams.requests.length;
    const invoke = asUser(
      teamsFixture('invoke-adaptive-card-action', this.w.teams.serviceUrl, {
        id: `f:${nextActivityId()}`,
        value: { action: { type: 'Action.Execute', id: 'submit', verb: exec.verb, data: { ...exec.data, ...values } }, trigger: 'manual' },
      }),
      this.u,
    );
    const r = await postActivity(this.w.app.url, invoke);
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('application/vnd.microsoft.card.adaptive');
    this.add(step, r.body.value);
    return [r.body.value, ...cardsIn(this.collect(step, from))];
  }
}

/** The Adaptive Cards a list of activities carries, in order. */
const cardsIn = (activities: any[]): any[] =>
  activities.flatMap((a) => (a?.attachments ?? []).filter((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x: any) => x.content));

/** Installs the app and enrols with a code, as `dondoc enroll` creates it. */
async function joinTeams(w: World, log: SentCard[], name: string, units: string[], role: 'focal' | 'coordinator' = 'focal'): Promise<Conversation> {
  const u = teamsUser(name);
  const c = new Conversation(w, u, log);
  const from = w.teams.requests.length;
  expect((await postActivity(w.app.url, asUser(teamsFixture('conversation-update-install', w.teams.serviceUrl, { id: `f:${nextActivityId()}` }), u))).status).toBe(200);
  c.received(`${name}: installs the app`, from);
  for (const unitCode of units) {
    const code = await w.app.ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: w.clock.now().getTime(), ttlMs: 7 * 86_400_000 });
    const replies = await c.say(`đăng ký ${code}`);
    expect(replies.map(activityText).join('\n')).toMatch(/Đăng ký thành công|đã đăng ký/);
  }
  return c;
}

/** What a person enters in each input of a section card (the current value is kept). */
function fill(card: any): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [id, input] of Object.entries(cardInputs(card))) {
    if (input.value !== undefined && input.value !== '' && input.type !== 'Input.Toggle') {
      values[id] = input.value;
      continue;
    }
    switch (input.type) {
      case 'Input.Number':
        values[id] = input.max === 100 ? 45.5 : 1200;
        break;
      case 'Input.Date':
        values[id] = '2027-05-20';
        break;
      case 'Input.Toggle':
        values[id] = input.valueOn;
        break;
      case 'Input.ChoiceSet': {
        const vs: string[] = input.choices.map((c: { value: string }) => c.value);
        values[id] = input.isMultiSelect ? [vs[0], vs[2] ?? vs[1]].filter(Boolean).join(',') : vs.includes('dang_thuc_hien') ? 'dang_thuc_hien' : vs[0];
        break;
      }
      default:
        values[id] = `Đã triển khai theo kế hoạch; nội dung ${id.slice(2)}.`;
    }
  }
  return values;
}

const sectionSubmit = (card: any) => card?.actions?.find((a: any) => a.type === 'Action.Execute');

/**
 * Fills and submits every section card until the bot stops sending one (the summary); the cards
 * of a split section ("Phần 1/2", "Phần 2/2") are submitted in turn. With `reject`, the first
 * section is sent once with a required answer emptied: refused, it comes back with the error.
 * Returns the last cards received.
 */
async function fillSections(c: Conversation, first: any[], opts: { reject?: boolean } = {}): Promise<any[]> {
  let cards = first;
  let rejected = !opts.reject;
  for (let guard = 0; guard < 40; guard++) {
    const sections = cards.filter(sectionSubmit);
    if (!sections.length) return cards;
    let answer: any[] = [];
    for (const card of sections) {
      const exec = sectionSubmit(card);
      const values = fill(card);
      let step = `${c.u.name} submits section ${exec.data.sectionId}`;
      if (!rejected) {
        const inputs = Object.entries(cardInputs(card)).filter(([, i]) => i.isRequired);
        const [emptied] = inputs.find(([, i]) => i.type === 'Input.Text') ?? inputs[0] ?? [];
        if (emptied) {
          values[emptied] = '';
          step += ` with ${emptied} left empty`;
          rejected = true;
        }
      }
      answer = await c.execute(exec, values, step);
    }
    cards = answer;
  }
  throw new Error('the sections did not end');
}

/** The default regime with edge cases: a duty of 90 more questions, 392 more districts (400 reporting units). */
function edgeRegime(): string {
  const regime = defaultRegimeData();
  addQuestions(regime, 'BHXH', 1, 90);
  addCommunes(regime, 392);
  return writeRegimeCopy(regime, 'edge-regime');
}

// --- the walks ----------------------------------------------------------------------------------

type Walk = { id: string; title: string; run(log: SentCard[]): Promise<void> };

const WALKS: Walk[] = [
  {
    id: 'report',
    title: "a focal point's whole report: enrolment, every section form, a rejected field, the summary, xem lại, sửa, trạng thái, submission",
    async run(log) {
      const w = await startWorld({ now: '2027-06-16T09:00:00+07:00' });
      try {
        const c = await joinTeams(w, log, 'Trần Thị Hoa', ['BHXH']);
        await c.say('trạng thái');
        const open = await c.say('báo cáo BHXH 2027-H1');
        expect(cardsIn(open).filter(sectionSubmit), open.map(activityText).join('\n')).not.toHaveLength(0);
        await fillSections(c, cardsIn(open), { reject: true });
        await c.say('xem lại');
        await c.say('trạng thái');
        const edit = cardsIn(await c.say('sửa 2'));
        expect(edit.filter(sectionSubmit), 'sửa 2 shows section 2').not.toHaveLength(0);
        const summary = (await fillSections(c, edit))[0];
        const yes = summary?.body
          ?.filter((e: any) => e.type === 'ActionSet')
          .flatMap((e: any) => e.actions)
          .find((b: any) => /Có|Nộp/.test(b.title));
        await c.say(yes?.data?.msteams?.value ?? 'có');
        await c.say('trạng thái');
        await c.say('xem lại');
        expect((await w.app.ctx.store.reportState('BHXH', '2027-H1'))?.status).toBe('submitted');
      } finally {
        await w.close();
      }
    },
  },
  {
    id: 'board',
    title: "the coordinator's board and consolidation for 2027-H1 (19 units), a submitted report, review commands, an export",
    async run(log) {
      const w = await startWorld({ now: SCENARIO_NOW.toISOString(), env: { PUBLIC_BASE_URL: 'https://dondoc.example.gov.vn' } });
      try {
        await seedScenario(w.app.ctx.store, w.app.ctx.regime);
        const coord = await joinTeams(w, log, 'Lê Văn Điều Phối', ['LDTBXH'], 'coordinator');
        const focal = await joinTeams(w, log, 'Trần Thị Bình', ['BHXH']);
        await coord.say(`trạng thái ${PERIOD}`);
        await coord.say(`tổng hợp ${PERIOD}`);
        await coord.say(`xem BHXH ${PERIOD}`);
        await coord.say(`duyệt BHXH ${PERIOD}`);
        await coord.say(`cần bổ sung CTK ${PERIOD} 1.3, 1.5: Đề nghị đối chiếu với niên giám thống kê.`);
        await coord.say(`trạng thái ${PERIOD}`);
        await coord.say(`xuất ${PERIOD} xlsx`);
        await focal.say('trạng thái');
      } finally {
        await w.close();
      }
    },
  },
  {
    id: 'broadcast',
    title: 'a broadcast to the units that have not submitted, its delivery, the delivery report, and reminders',
    async run(log) {
      const w = await startWorld({ now: '2027-07-02T09:00:00+07:00' });
      try {
        const coord = await joinTeams(w, log, 'Lê Văn Điều Phối', ['LDTBXH'], 'coordinator');
        const naRi = await joinTeams(w, log, 'Đầu mối Na Rì', ['NA-RI']);
        const babe = await joinTeams(w, log, 'Đầu mối Ba Bể', ['BA-BE']);
        await seedSubmissions(w.app.ctx.store, w.app.ctx.regime, PERIOD, { units: ['BHXH', 'CTK', 'STP'] });
        await coord.say('thông báo');
        await coord.say('thông báo chưa nộp 2027-H1');
        await coord.say('Đề nghị các đơn vị hoàn thành báo cáo 6 tháng trước ngày 05/7/2027.');
        await coord.say('gửi');
        const from = w.teams.requests.length;
        w.clock.advance(60_000);
        await w.drain();
        const delivered = [naRi, babe, coord].map((c) => c.received(`${c.u.name}: the outbox delivers the broadcast`, from).map(activityText).join('\n'));
        expect(delivered[0]).toContain('Đề nghị các đơn vị hoàn thành báo cáo 6 tháng');
        await coord.say('thông báo kết quả');
        // A reminder pass on the day before the deadline.
        w.clock.set(new Date('2027-07-04T08:00:00+07:00'));
        const before = w.teams.requests.length;
        await w.pass();
        await w.drain();
        for (const c of [naRi, babe, coord]) c.received(`${c.u.name}: reminders on 04/7/2027`, before);
      } finally {
        await w.close();
      }
    },
  },
  {
    id: 'edge-section',
    title: 'a section of 90+ fields (a regime copy whose BHXH duty 2 has 90 more questions)',
    async run(log) {
      const w = await startWorld({ now: '2027-06-16T09:00:00+07:00', env: { REGIME_FILE: edgeRegime() } });
      try {
        const c = await joinTeams(w, log, 'Trần Thị Hoa', ['BHXH']);
        const open = await c.say('báo cáo BHXH 2027-H1');
        await fillSections(c, cardsIn(open));
        expect((await w.app.ctx.store.getDraft('BHXH', '2027-H1'))?.answers['d2/extra_90']?.value).toBe(1200);
      } finally {
        await w.close();
      }
    },
  },
  {
    id: 'edge-table',
    title: 'a board of 400 units (a regime copy with 392 more districts), 380 of them submitted, 40 late',
    async run(log) {
      const w = await startWorld({ now: SCENARIO_NOW.toISOString(), env: { REGIME_FILE: edgeRegime() } });
      try {
        const units = w.app.ctx.regime.units.filter((u) => u.reports && u.code.startsWith('XA-')).map((u) => u.code);
        await seedSubmissions(w.app.ctx.store, w.app.ctx.regime, PERIOD, { units: units.slice(0, 380), lateUnits: units.slice(0, 40) });
        const coord = await joinTeams(w, log, 'Lê Văn Điều Phối', ['LDTBXH'], 'coordinator');
        await coord.say(`trạng thái ${PERIOD}`);
      } finally {
        await w.close();
      }
    },
  },
  {
    id: 'edge-picker',
    title: 'a picker of the 19 units filing 2027-H1 (one official enrolled in all of them)',
    async run(log) {
      const w = await startWorld({ now: '2027-06-16T09:00:00+07:00' });
      try {
        const units = w.app.ctx.regime.units.filter((u) => u.reports).map((u) => u.code);
        const c = await joinTeams(w, log, 'Nguyễn Văn Kiêm Nhiệm', units);
        await c.say('báo cáo 2027-H1');
        await c.say('báo cáo');
      } finally {
        await w.close();
      }
    },
  },
];

// --- rendering and the report ---------------------------------------------------------------------

/** The card with every hidden element shown (as after pressing each Action.ToggleVisibility). */
const showHidden = (card: any): any => JSON.parse(JSON.stringify(card).replace(/"isVisible":false/g, '"isVisible":true'));

const MAX_LISTED = 12;

function writeIndex() {
  const entries: IndexEntry[] = [];
  for (const f of readdirSync(OUT_DIR)
    .filter((x) => x.endsWith('.json'))
    .sort())
    entries.push(...(JSON.parse(readFileSync(join(OUT_DIR, f), 'utf8')) as IndexEntry[]));
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const rows = entries.map((e) => {
    const cells = e.renders.map(
      (r) =>
        `<td><div>${r.width} px${r.variant ? ' (hidden parts shown)' : ''} · ${r.height} px tall · ${r.problems.length ? `<b>${esc(countProblems(r.problems))}</b>` : 'no problem'}</div>` +
        `<ul>${r.problems
          .slice(0, 30)
          .map((p) => `<li>${esc(p.kind)}: ${esc(p.detail)}</li>`)
          .join('')}${r.problems.length > 30 ? `<li>… ${r.problems.length - 30} more</li>` : ''}</ul><a href="${r.file}"><img src="${r.file}" width="${r.width}"></a></td>`,
    );
    return `<tr><th id="${e.walk}-${e.n}">${esc(e.walk)} #${e.n}<br><small>${esc(e.step)}<br>${e.bytes} bytes</small></th>${cells.join('')}</tr>`;
  });
  const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>dondoc cards</title><style>
body{font-family:'Noto Sans',sans-serif;font-size:13px} td,th{vertical-align:top;border-top:1px solid #ccc;padding:6px;text-align:left} th{width:220px} img{border:1px solid #ddd}
</style></head><body><h1>Every card the bot sends (test/cards-render.test.ts)</h1><p>${entries.length} cards, rendered with Teams' light host config at ${WIDTHS.join(' and ')} px.</p>
<table>${rows.join('\n')}</table></body></html>`;
  writeFileSync(join(OUT_DIR, 'index.html'), html);
}

describe('every card the bot sends renders cleanly in Teams (450 and 360 px)', () => {
  let renderer: CardRenderer;

  beforeAll(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    renderer = await startCardRenderer();
  });
  afterAll(async () => {
    await renderer?.close();
    rmSync(REGIME_COPIES_DIR, { recursive: true, force: true });
    if (readdirSync(OUT_DIR).some((f) => f.endsWith('.json'))) writeIndex();
  });

  // The detector itself, on cards made for it: what it must find and what it must leave alone.
  const runDetector = !ONLY || ONLY.includes('detector') ? it : it.skip;
  runDetector("detector: finds the issue's garbled board, cut buttons, broken words, parser events and an oversized card; a plain card has no problem", async () => {
    const text = (t: string, more: object = {}) => ({ type: 'TextBlock', text: t, wrap: true, ...more });
    const col = (width: number | string, t: string) => ({ type: 'Column', width, items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: t }] }] });
    const card = (body: object[], actions?: object[]) => ({ type: 'AdaptiveCard', version: '1.5', body, ...(actions ? { actions } : {}) });
    const plain = card(
      [
        text('Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh', { weight: 'Bolder', size: 'Medium' }),
        text('Đã lưu mục 1. Rà soát, kiện toàn bộ máy tổ chức thực hiện chính sách bảo hiểm xã hội theo Nghị quyết số 18-NQ/TW ngày 25 tháng 10 năm 2017 của Ban Chấp hành Trung ương.'),
        {
          type: 'FactSet',
          facts: [
            { title: 'Hạn nộp', value: 'trước 00:00 ngày 05/7/2027' },
            { title: 'Tình trạng', value: 'Đang nhập (40%)' },
          ],
        },
        { type: 'Input.Text', id: 't:d1/results', label: 'Kết quả đã thực hiện', isMultiline: true },
        { type: 'ColumnSet', columns: [col('stretch', 'UBND huyện Chợ Đồn'), col('auto', 'Đã nộp'), col('auto', '30/11/2026 05:48')] },
      ],
      [{ type: 'Action.Submit', title: 'Lưu và sang mục sau', style: 'positive' }],
    );
    for (const width of WIDTHS) expect((await renderer.render(plain, width)).problems, `plain card at ${width} px`).toEqual([]);
    // Deterministic: the same card gives the same pixels.
    const [once, twice] = [await renderer.render(plain, CARD_WIDTHS.mobile), await renderer.render(plain, CARD_WIDTHS.mobile)];
    expect(once.png.equals(twice.png)).toBe(true);

    // The issue's board: column weights 14/12/4/3/14, a date printed over the focal point's name.
    const board = card([
      { type: 'ColumnSet', columns: [col(14, 'Đơn vị'), col(12, 'Trạng thái'), col(4, 'Lần'), col(3, 'Hoạt động gần nhất'), col(14, 'Đầu mối')] },
      { type: 'ColumnSet', separator: true, columns: [col(14, 'UBND huyện Chợ Đồn'), col(12, 'Đã nộp'), col(4, '1'), col(3, '30/11/2026 05:48'), col(14, 'Cán bộ Nguyễn Văn An')] },
    ]);
    const b = await renderer.render(board, CARD_WIDTHS.laptop);
    expect(b.problems).toContainEqual(expect.objectContaining({ kind: 'overlap', texts: ['30/11/2026 05:48', 'Cán bộ Nguyễn Văn An'] }));
    expect(b.problems).toContainEqual(expect.objectContaining({ kind: 'cramped', texts: ['Hoạt động gần nhất'] }));

    // A question number wider than its column, run together with the question ("2.10Kiến nghị").
    const numbers = card([{ type: 'ColumnSet', columns: [col('14px', '2.10'), col('stretch', 'Kiến nghị, đề xuất')] }]);
    expect((await renderer.render(numbers, CARD_WIDTHS.mobile)).problems).toContainEqual(expect.objectContaining({ kind: 'overflow', texts: ['2.10'] }));

    // The same in a Table (Adaptive Cards 1.5): a date wider than its cell.
    const cell = (t: string) => ({ type: 'TableCell', items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: t }] }] });
    const table = card([
      { type: 'Table', columns: [{ width: 1 }, { width: 1 }, { width: 8 }], rows: [{ type: 'TableRow', cells: [cell('1'), cell('30/11/2026 05:48'), cell('Cán bộ Nguyễn Văn An')] }] },
    ]);
    expect((await renderer.render(table, CARD_WIDTHS.mobile)).problems).toContainEqual(expect.objectContaining({ kind: 'overflow', texts: ['30/11/2026 05:48'] }));

    // Five unit buttons in a row: cut at 450 px.
    const picker = card(
      [text('Chọn đơn vị:')],
      ['1. UBND huyện Ba Bể', '2. UBND huyện Bạch Thông', '3. BHXH tỉnh', '4. UBND huyện Chợ Đồn', '5. Cục Thống kê tỉnh'].map((title) => ({ type: 'Action.Submit', title })),
    );
    expect((await renderer.render(picker, CARD_WIDTHS.laptop)).problems.filter((p) => p.kind === 'clipped').length).toBeGreaterThanOrEqual(3);

    // A column too narrow for one word: a TextBlock breaks it, a RichTextBlock prints it over the next column.
    const narrow = (item: object) => card([{ type: 'ColumnSet', columns: [{ type: 'Column', width: '24px', items: [item] }, col('stretch', 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh')] }]);
    expect((await renderer.render(narrow(text('UBMTTQ')), CARD_WIDTHS.mobile)).problems).toContainEqual(expect.objectContaining({ kind: 'broken-word', texts: ['UBMTTQ'] }));
    const over = (await renderer.render(narrow({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'UBMTTQ' }] }), CARD_WIDTHS.mobile)).problems;
    expect(over).toContainEqual(expect.objectContaining({ kind: 'overflow', texts: ['UBMTTQ'] }));
    expect(over).toContainEqual(expect.objectContaining({ kind: 'overlap', texts: ['UBMTTQ', 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh'] }));
    // An unknown element; a card over the budget.
    const unknown = card([text('Xin chào'), { type: 'Input.Foo', id: 'x' }]);
    expect((await renderer.render(unknown, CARD_WIDTHS.mobile)).problems.map((p) => p.kind)).toContain('parse');
    const big = card(Array.from({ length: 300 }, (_, i) => text(`Dòng ${i + 1}: nội dung dài để vượt giới hạn kích thước của một thẻ Teams.`)));
    expect((await renderer.render(big, CARD_WIDTHS.laptop)).problems.map((p) => p.kind)).toContain('too-large');
  });

  for (const walk of WALKS) {
    const run = !ONLY || ONLY.includes(walk.id) ? it : it.skip;
    run(`${walk.id}: ${walk.title}`, { timeout: 300_000 }, async () => {
      for (const f of readdirSync(OUT_DIR)) if (f.startsWith(`${walk.id}-`) || f === `${walk.id}.json`) rmSync(join(OUT_DIR, f));
      const log: SentCard[] = [];
      await walk.run(log);

      const entries: IndexEntry[] = [];
      const lines: string[] = [];
      for (const sent of log) {
        const entry: IndexEntry = { walk: walk.id, n: sent.n, step: sent.step, bytes: 0, renders: [] };
        // A card with hidden parts (Action.ToggleVisibility targets) is also checked with them shown.
        const variants: Array<[string, any]> = [['', sent.card], ...(JSON.stringify(sent.card).includes('"isVisible":false') ? [['-open', showHidden(sent.card)] as [string, any]] : [])];
        for (const [variant, card] of variants)
          for (const width of WIDTHS) {
            const r = await renderer.render(card, width);
            const file = `${walk.id}-${String(sent.n).padStart(2, '0')}-${width}${variant}.png`;
            writeFileSync(join(OUT_DIR, file), r.png);
            if (!variant) entry.bytes = r.bytes;
            entry.renders.push({ width, variant: variant.slice(1) || undefined, height: r.height, file, problems: r.problems });
            if (!r.problems.length) continue;
            lines.push(`${file} (${sent.step}${variant ? ', hidden parts shown' : ''}; ${r.height} px tall): ${countProblems(r.problems)}`);
            for (const p of r.problems.slice(0, MAX_LISTED)) lines.push(`    ${p.kind}: ${p.detail}`);
            if (r.problems.length > MAX_LISTED) lines.push(`    … and ${r.problems.length - MAX_LISTED} more (.tmp/cards/index.html)`);
          }
        entries.push(entry);
      }
      writeFileSync(join(OUT_DIR, `${walk.id}.json`), JSON.stringify(entries));
      const bad = entries.filter((e) => e.renders.some((r) => r.problems.length)).length;
      if (lines.length) expect.fail(`${walk.id}: ${bad} of ${entries.length} cards have layout problems (PNGs in .tmp/cards/, list in .tmp/cards/index.html):\n${lines.join('\n')}\n`);
    });
  }
});
