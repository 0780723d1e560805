/**
 * Tables on Teams cards (channels/teams/cards.ts, issue 19): what the message model's TableView
 * asks for — a counts line, fitted and stretched columns, coloured statuses, headings across the
 * table, a page with its "Xem tiếp" button, cells with details — as Adaptive Card elements; the
 * text around a table (the plain rendering Zalo and the console show) kept on the card without
 * repeating the rows, the title, the counts or the page line.
 */
import { describe, expect, it } from 'vitest';
import { bytesOf, MAX_CARD_BYTES, renderMessage, tableCards, textAroundTable } from '../../channels/teams/cards.js';
import type { OutMessage, TableView } from '../../core/message.js';
import { cardGrids, cardOf, cardText } from '../helpers/teams-fixtures.js';

const board: TableView = {
  title: 'Tình hình báo cáo — Báo cáo 6 tháng đầu năm 2027',
  summary: '2/4 đã nộp · 1 nộp muộn · 2 chưa nộp',
  columns: ['Đơn vị\nĐầu mối', 'Trạng thái', 'Cập nhật'],
  rows: [
    ['Sở Tài chính\n—', 'Chưa bắt đầu — quá hạn', '—'],
    ['UBND huyện Na Rì\nNông Văn Hải', 'Đang nhập (40%) — quá hạn', '30/6 00:00'],
    ['Sở Tư pháp\n—', 'Đã nộp muộn', '07/7 00:03'],
    ['BHXH tỉnh\nTrần Thị Bình', 'Đã duyệt', '08/7 10:00'],
  ],
  widths: ['stretch', 'stretch', 'auto'],
  tones: ['attention', 'attention', 'warning', 'good'],
  toneColumn: 1,
  page: { label: 'Trang 1/3: đơn vị 1–4 trong số 12. Gõ "trạng thái 2027-H1 trang 2" để xem tiếp.', next: { value: 'trạng thái 2027-H1 trang 2', label: 'Xem tiếp' } },
};

/** The board's plain rendering, as the core writes it. */
const text = [
  board.title,
  'Hạn nộp: trước 00:00 ngày 05/7/2027 (đã qua).',
  board.summary,
  '',
  '• Sở Tài chính: Chưa bắt đầu — quá hạn',
  '• UBND huyện Na Rì: Đang nhập (40%) — quá hạn · cập nhật 30/6 00:00 · đầu mối: Nông Văn Hải',
  '• Sở Tư pháp: Đã nộp muộn · cập nhật 07/7 00:03',
  '• BHXH tỉnh: Đã duyệt · cập nhật 08/7 10:00 · đầu mối: Trần Thị Bình',
  '',
  board.page!.label,
].join('\n');

const texts = (els: any[]) => els.map((e) => (e.inlines ?? []).map((r: any) => r.text).join(''));

describe('a table with a counts line, widths, tones, details and a page', () => {
  const msg: OutMessage = { text, table: board, choices: [board.page!.next!] };

  it('is one card: title, text, counts, grid, page line and its one button, each said once', () => {
    const acts = renderMessage(msg);
    expect(acts).toHaveLength(1);
    const card = cardOf(acts[0]);
    const body = card.body;
    const blocks = texts(body.filter((e: any) => e.type === 'RichTextBlock'));
    expect(blocks).toEqual([board.title, 'Hạn nộp: trước 00:00 ngày 05/7/2027 (đã qua).', board.summary, board.page!.label]);
    expect(body[0].inlines[0]).toMatchObject({ weight: 'Bolder', size: 'Medium' });
    expect(body[2].inlines[0]).toMatchObject({ weight: 'Bolder' });
    expect(body[3].type).toBe('ColumnSet');
    expect(cardText(card)).not.toContain('•');
    // The page's button once, though the message offers it among its choices too (for Zalo).
    const actions = body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);
    expect(actions).toEqual([expect.objectContaining({ type: 'Action.Submit', title: 'Xem tiếp', data: { msteams: { type: 'imBack', value: 'trạng thái 2027-H1 trang 2' } } })]);
    expect(body.indexOf(body.find((e: any) => e.type === 'ActionSet'))).toBe(body.length - 1);
  });

  it('fits the short column in pixels (the same in every row), stretches the others, colours the status cell, shows details subtle', () => {
    const [grid] = cardGrids(tableCards(board)[0]);
    expect(grid.widths[0]).toBe('stretch');
    expect(grid.widths[1]).toBe('stretch');
    // Wide enough for "30/6 00:00" and the bold "Cập nhật", narrow enough for a phone.
    const px = Number(/^(\d+)px$/.exec(String(grid.widths[2]))![1]);
    expect(px).toBeGreaterThanOrEqual(64);
    expect(px).toBeLessThanOrEqual(110);
    const rows = tableCards(board)[0].body.filter((e: any) => e.type === 'ColumnSet');
    for (const r of rows) expect(r.columns.map((c: any) => c.width)).toEqual(grid.widths);
    expect(grid.colors.map((c) => c[1])).toEqual(['Attention', 'Attention', 'Warning', 'Good']);
    expect(grid.colors.map((c) => c[0])).toEqual([undefined, undefined, undefined, undefined]);
    expect(grid.rows[1]).toEqual(['UBND huyện Na Rì\nNông Văn Hải', 'Đang nhập (40%) — quá hạn', '30/6 00:00']);
    const detail = rows[2].columns[0].items[1];
    expect(detail).toMatchObject({ type: 'RichTextBlock', spacing: 'None', inlines: [{ type: 'TextRun', text: 'Nông Văn Hải', isSubtle: true }] });
    expect(grid.header).toEqual(['Đơn vị\nĐầu mối', 'Trạng thái', 'Cập nhật']);
  });

  it('without text around it: the title, the counts above the grid, the page line and button below', () => {
    const [card] = tableCards(board);
    const blocks = texts(card.body.filter((e: any) => e.type === 'RichTextBlock'));
    expect(blocks).toEqual([board.title, board.summary, board.page!.label]);
    expect(card.body.at(-1).type).toBe('ActionSet');
  });
});

describe('headings across the table', () => {
  const rows = Array.from({ length: 400 }, (_, i) => [`${Math.floor(i / 50) + 1}.${(i % 50) + 1}`, `Câu hỏi số ${i} về tình hình triển khai nhiệm vụ`, `Trả lời ${i}`]);
  const groups = Array.from({ length: 8 }, (_, k) => ({ before: k * 50, title: `Mục ${k + 1}. Nhiệm vụ số ${k + 1}` }));
  const tones = rows.map((_, i) => (i % 7 === 0 ? ('attention' as const) : undefined));
  const t: TableView = { title: 'Tóm tắt', columns: ['Câu', 'Nội dung', 'Trả lời'], rows, groups, tones, toneColumn: 2, widths: ['auto', 'stretch', 'stretch'] };

  it('each heading once, before its row, across the cards of a long table; tones stay with their rows', () => {
    const cards = tableCards(t);
    expect(cards.length).toBeGreaterThan(1);
    for (const c of cards) expect(bytesOf(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    let seen = 0;
    const headings: Array<{ before: number; text: string }> = [];
    const colors: Array<string | undefined> = [];
    for (const c of cards) {
      const [g] = cardGrids(c);
      for (const h of g.headings) headings.push({ before: seen + h.before, text: h.text });
      colors.push(...g.colors.map((x) => x[2]));
      seen += g.rows.length;
    }
    expect(seen).toBe(400);
    expect(headings).toEqual(groups.map((g) => ({ before: g.before, text: g.title })));
    expect(colors).toEqual(tones.map((x) => (x ? 'Attention' : undefined)));
    const heading = cards[0].body.find((e: any) => e.type === 'RichTextBlock' && e.separator);
    expect(heading).toMatchObject({ separator: true, spacing: 'Medium', inlines: [{ text: 'Mục 1. Nhiệm vụ số 1', weight: 'Bolder' }] });
  });
});

describe('a table without widths', () => {
  it('fits its short columns (numbers, codes) in pixels and weighs the long ones', () => {
    const [grid] = cardGrids(
      tableCards({
        columns: ['Câu', 'Nội dung', 'Trả lời'],
        rows: [
          ['2.10', 'Kiến nghị, đề xuất với Ủy ban nhân dân tỉnh', 'Đề nghị tăng mức hỗ trợ đóng bảo hiểm xã hội tự nguyện'],
          ['1.1', 'Tình hình triển khai nhiệm vụ', 'Đang thực hiện'],
        ],
      })[0],
    );
    expect(grid.widths[0]).toMatch(/^\d+px$/);
    expect(typeof grid.widths[1]).toBe('number');
    expect(typeof grid.widths[2]).toBe('number');
  });
});

describe('textAroundTable', () => {
  it('finds a row on its line whatever the order and case of its cells, "—" not needed, every line of a cell', () => {
    expect(textAroundTable(text, board)).toEqual({
      intro: [board.title, 'Hạn nộp: trước 00:00 ngày 05/7/2027 (đã qua).', board.summary].join('\n'),
      outro: board.page!.label,
    });
    const own: TableView = {
      columns: ['Kỳ báo cáo', 'Nộp trước', 'Tình trạng'],
      rows: [['Tháng 06/2027', '20/6/2027', 'Quá hạn 18 ngày, chưa nộp']],
    };
    expect(textAroundTable('Tình hình:\n\n• Báo cáo tháng 06/2027 — hạn nộp trước 00:00 ngày 20/6/2027: quá hạn 18 ngày, chưa nộp.\n\nGõ "tiếp tục"', own)).toEqual({
      intro: 'Tình hình:',
      outro: 'Gõ "tiếp tục"',
    });
    // A detail line the text does not have: the rows are not all there, nothing is left out.
    expect(textAroundTable(text, { ...board, rows: [['BHXH tỉnh\nHoàng Thị Lan', 'Đã duyệt', '08/7 10:00']] })).toBeNull();
  });
});
