/**
 * Forgiving commands (issue 18): the table of typos router/command-match.ts recognises, suggests
 * or leaves alone, over the real registry's commands (app/registry.ts), for a focal point and a
 * coordinator; and the answers a dialog waits for that must never turn into a command.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../../app/registry.js';
import { nearCommand, recognise, shownName, typoLimits } from '../../router/command-match.js';
import type { ChatCommand } from '../../core/commands.js';

const focal = commands.filter((c) => c.access !== 'coordinator');
const coordinator = commands;

/** What an input comes to: "cmd-id args", "? shown names | args", or "-" (nothing). */
function outcome(text: string, mode: 'freeText' | 'answer' | 'idle', among: readonly ChatCommand[] = focal): string {
  const r = recognise(commands, text, mode, among);
  if (!r) return '-';
  if (r.kind === 'command') return `${r.cmd.id}${r.args ? ` ${r.args}` : ''}`;
  return `? ${r.options.map((o) => shownName(o.cmd, o.name)).join(' / ')}${r.args ? ` | ${r.args}` : ''}`;
}

describe('forgiving commands: the table of typos', () => {
  it.each([
    // Exact names, with and without diacritics, still first.
    ['báo cáo', 'report.start'],
    ['bao cao BA-BE 2027-06', 'report.start BA-BE 2027-06'],
    ['Trạng thái', 'consolidation.status'],
    // A swap of two letters, a letter missing, doubled or wrong: one edit, recognised (6–9 letters).
    ['bao coa', 'report.start'],
    ['trang thia', 'consolidation.status'],
    ['tiep tcu', 'report.continue'],
    ['nhiem vy', 'report.duty'],
    ['xem lia', 'consolidation.view'],
    ['xem tiap', 'report.more'],
    ['nộp báo coa', 'report.submit'],
    ['bao coa BA-BE 2027-06', 'report.start BA-BE 2027-06'],
    // A space left out or added: the letters are exact, recognised whatever the length.
    ['báocáo', 'report.start'],
    ['trangthai', 'consolidation.status'],
    ['tieptuc', 'report.continue'],
    ['huybo', 'report.cancel'],
    ['ba o cao', 'report.start'],
    ['báocáo BA-BE 2027-06', 'report.start BA-BE 2027-06'],
    // Two edits on a 6–9 letter name, one on a 4–5 letter name: asked, not done.
    ['baoo caoo', '? báo cáo'],
    ['trag tha', '? trạng thái'],
    ['tiepp', '? tiếp'],
    ['baoo caoo BA-BE', '? báo cáo | BA-BE'],
    // Names of three letters or fewer: exact only (a typo there is too likely another word).
    ['xme', '-'],
    ['nopp', '-'],
    ['sau 2.3', '-'],
    // Far from every command.
    ['xin chào', '-'],
    ['hôm nay trời đẹp', '-'],
  ])('idle, a focal point: %s → %s', (text, expected) => {
    expect(outcome(text, 'idle')).toBe(expected);
  });

  it.each([
    // A coordinator's own commands are forgiven for a coordinator…
    ['tong hpo', 'consolidation.summary'],
    ['mo lia', '? mở lại'],
    ['thong boa', 'broadcast'],
    ['duyet BA-BE 2027-06', 'consolidation.approve BA-BE 2027-06'],
    // An exact name with its arguments stays so: an argument is never read as part of a typo.
    ['tổng hợp 6 tháng đầu năm 2027', 'consolidation.summary 6 tháng đầu năm 2027'],
    ['xem 6 thang dau nam 2027 so tu phap', 'consolidation.view 6 thang dau nam 2027 so tu phap'],
    ['xem BA-BE 2027-06', 'consolidation.view BA-BE 2027-06'],
    ['tong hpo 2027-H1', 'consolidation.summary 2027-H1'],
  ])('idle, a coordinator: %s → %s', (text, expected) => {
    expect(outcome(text, 'idle', coordinator)).toBe(expected);
  });

  it('…and never suggested to a focal point, who may not use them', () => {
    expect(outcome('mo lia', 'idle')).toBe('-');
    expect(outcome('tong hpo', 'idle')).toBe('-');
  });

  it('a dialog waiting for an answer: a sure typo is a command, a doubtful one is the answer', () => {
    expect(outcome('bao coa', 'answer')).toBe('report.start');
    expect(outcome('trang thia', 'answer')).toBe('consolidation.status');
    expect(outcome('baoo caoo', 'answer')).toBe('-');
    expect(outcome('tiepp', 'answer')).toBe('-');
  });

  it.each([
    'có',
    'không',
    'đồng ý',
    'xác nhận',
    'chưa',
    'không nộp',
    'vâng',
    'sai',
    'giữ',
    'giữ nguyên',
    'giữ như kỳ trước',
    'bỏ qua',
    'Đang thực hiện',
    'Đã hoàn thành',
    'Chưa triển khai',
    '1.234',
    '12,5',
    '45%',
    '05/6/2027',
    '1, 3',
  ])('the answer "%s" is never taken for a command', (text) => {
    expect(outcome(text, 'answer', coordinator)).toBe('-');
    if (text !== 'giữ như kỳ trước') expect(outcome(text, 'idle', coordinator)).toBe('-');
  });

  it('"như kỳ trước" is a command (fill the section); "giữ như kỳ trước" is an answer, only ever asked about with no dialog waiting', () => {
    expect(outcome('như kỳ trước', 'answer')).toBe('report.copy-previous');
    expect(outcome('nhu ky truoc', 'freeText')).toBe('report.copy-previous');
    expect(outcome('điền như kỳ trước', 'answer')).toBe('report.copy-previous');
    expect(outcome('nhu ky truco', 'answer')).toBe('report.copy-previous');
    expect(outcome('giữ như kỳ trước', 'answer')).toBe('-');
    expect(outcome('giữ như kỳ trước', 'freeText')).toBe('-');
    expect(outcome('giữ như kỳ trước', 'idle')).toBe('? như kỳ trước');
  });

  it('while free text is awaited, only a command exactly: typos and sentences are the answer', () => {
    expect(outcome('bao coa', 'freeText')).toBe('-');
    expect(outcome('báocáo', 'freeText')).toBe('-');
    expect(outcome('Báo cáo kết quả quý II: đã tổ chức 3 hội nghị', 'freeText')).toBe('-');
    expect(outcome('trạng thái triển khai tốt', 'freeText')).toBe('-');
    expect(outcome('hủy', 'freeText')).toBe('report.cancel');
    expect(outcome('xem lại', 'freeText')).toBe('consolidation.view');
  });

  it('thresholds grow with the length of the name', () => {
    expect([3, 4, 5, 6, 9, 10, 12].map(typoLimits)).toEqual([
      { sure: 0, suggest: 0 },
      { sure: 0, suggest: 1 },
      { sure: 0, suggest: 1 },
      { sure: 1, suggest: 2 },
      { sure: 1, suggest: 2 },
      { sure: 2, suggest: 3 },
      { sure: 2, suggest: 3 },
    ]);
  });

  it('every command has a name written with diacritics to suggest', () => {
    for (const c of commands) {
      const shown = shownName(c, c.names[0]);
      expect(
        shown
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/đ/g, 'd')
          .toLowerCase(),
        c.id,
      ).toBe(c.names[0]);
    }
    expect(nearCommand(focal, 'trang thia')).toMatchObject({ kind: 'sure', name: 'trang thai' });
  });
});
