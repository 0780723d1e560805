/**
 * The real console channel (`node bin/dondoc.js chat`, compiled code) on an embedded store:
 * scripted through stdin, killed with SIGKILL in the middle of a report, started again on the
 * same DATA_DIR, and `tiếp tục` resumes at the first unanswered question with every
 * acknowledged answer intact. Needs `npx tsc -p .` (npm test builds first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCREEN_CHARS } from '../dialogs/report/index.js';
import { vi } from '../i18n/vi.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { defaultRegime } from './helpers/bot.js';
import { Chat } from './helpers/console-process.js';
import { seedDraft } from './helpers/seed-submissions.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'dondoc.js');

function startChat(dataDir: string, now: string, user = 'lan.babe'): Chat {
  const proc = spawn(process.execPath, [bin, 'chat', '--user', user, '--name', 'Hoàng Thị Lan', '--now', now], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '', LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Chat(proc);
}

describe('console channel (dondoc chat) survives SIGKILL mid-report', () => {
  let dataDir: string;
  let chats: Chat[] = [];
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does) before this test');
  });
  afterEach(() => {
    for (const c of chats) c.proc.kill('SIGKILL');
    chats = [];
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes at the first unanswered question with every acknowledged answer intact', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dondoc-console-'));
    const regime = defaultRegime();
    const form = buildForm(regime, 'BA-BE', 'M') as FormDefinition;
    // An enrolment code, created the way `dondoc enroll` does, valid at the session's time.
    const setup = new Repositories(new SqliteStore(join(dataDir, 'dondoc.sqlite')));
    await setup.init();
    const code = await setup.createEnrolmentCode({ unitCode: 'BA-BE', role: 'focal', createdBy: 'test', now: Date.parse('2027-06-16T09:00:00+07:00'), ttlMs: 86_400_000 });
    await setup.db.close();

    const first = startChat(dataDir, '2027-06-16T09:00:00+07:00');
    chats.push(first);
    expect(await first.say(`đăng ký ${code}`, /Đăng ký thành công/)).not.toMatch(/^> /m);
    await first.say('báo cáo BA-BE 2027-06', /Mục 1\/2 · câu 1\/8/);
    const acknowledged: Array<[string, string, unknown]> = [
      ['d3/status', 'Đang thực hiện', 'dang_thuc_hien'],
      ['d3/results', 'Đã tổ chức 4 hội nghị tuyên truyền', 'Đã tổ chức 4 hội nghị tuyên truyền'],
      ['d3/si_participants_district', '12.345 người', 12345],
      ['d3/vsi_participants_district', '2.100', 2100],
    ];
    for (const [, input] of acknowledged) await first.say(input, /✓ Đã lưu[\s\S]*Mục \d\/2 · câu \d\/\d/);
    // One more answer typed, and the process killed at once: it may or may not have been stored.
    first.proc.stdin.write('bỏ qua\n');
    first.proc.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // What the store holds after the crash.
    const check = new Repositories(new SqliteStore(join(dataDir, 'dondoc.sqlite')));
    const draft = await check.getDraft('BA-BE', '2027-06');
    await check.db.close();
    for (const [key, , value] of acknowledged) expect(draft?.answers[key]?.value, key).toEqual(value);
    const questions = form.sections.flatMap((s) => s.questions.filter((q) => q.type !== 'note'));
    const firstUnanswered = questions.find((q) => !draft?.answers[q.key]);
    expect(firstUnanswered).toBeDefined();
    const number = form.sections[0].questions.filter((q) => q.type !== 'note').indexOf(firstUnanswered as never) + 1;

    // Start again on the same data folder: "tiếp tục" goes to the first unanswered question.
    const second = startChat(dataDir, '2027-06-16T09:20:00+07:00');
    chats.push(second);
    const resumed = await second.say('tiếp tục', /Mục \d\/2 · câu \d\/\d/);
    expect(resumed).toMatch(new RegExp(`Tiếp tục Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể \\(đã trả lời ${Object.keys(draft?.answers ?? {}).length}/14 câu\\)`));
    expect(resumed).toMatch(new RegExp(`Mục 1/2 · câu ${number}/8`));
    expect(resumed).toContain(firstUnanswered?.label);

    // Finish and submit from this process; then end of input ends the chat.
    const rest: string[] = [];
    for (const q of questions.slice(questions.indexOf(firstUnanswered as never))) rest.push(q.name === 'status' ? '2' : q.type === 'integer' ? '3' : q.type === 'text' ? 'bỏ qua' : '1');
    // Section 2 requires results once a status is given.
    rest[rest.length - 5] = 'Đã kiểm tra 3 xã';
    for (const line of rest.slice(0, -1)) await second.say(line, /✓ Đã lưu/);
    await second.say(rest[rest.length - 1], /Bạn có muốn nộp báo cáo này không\?/);
    await second.say('có', /✓ Đã nộp Báo cáo tháng 06\/2027 · Ủy ban nhân dân huyện Ba Bể lúc 09:20 ngày 16\/6\/2027\./);
    second.proc.stdin.end();
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const after = new Repositories(new SqliteStore(join(dataDir, 'dondoc.sqlite')));
    const s = await after.latestSubmission('BA-BE', '2027-06');
    await after.db.close();
    for (const [key, , value] of acknowledged) expect(s?.answers[key], key).toEqual(value);
    expect(s).toMatchObject({ revision: 1, submittedBy: 'console:lan.babe', channel: 'console', late: false });
  });

  it('splits a long summary into pages of one phone screen, `tiếp` shows the next; instants read 09:00 ngày 16/6/2027', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dondoc-console-'));
    const regime = defaultRegime();
    const form = buildForm(regime, 'BHXH', 'H1') as FormDefinition;
    const at = Date.parse('2027-06-16T09:00:00+07:00');
    const setup = new Repositories(new SqliteStore(join(dataDir, 'dondoc.sqlite')));
    await setup.init();
    const code = await setup.createEnrolmentCode({ unitCode: 'BHXH', role: 'focal', createdBy: 'test', now: at, ttlMs: 86_400_000 });
    // Every question of BHXH tỉnh's 6-month report answered: its summary is longer than a screen.
    const draft = await seedDraft(setup, regime, '2027-H1', 'BHXH', 1, { at: at - 86_400_000, by: 'console:binh.bhxh' });
    await setup.db.close();

    const chat = startChat(dataDir, '2027-06-16T09:00:00+07:00', 'binh.bhxh');
    chats.push(chat);
    await chat.say(`đăng ký ${code}`, /Đăng ký thành công/);
    const pages: string[] = [await chat.say('báo cáo BHXH 2027-H1', /Bạn có muốn nộp báo cáo này không\?[^\n]*\n/)];
    const count = Number(/Trang 1\/(\d+)\. Gõ "tiếp" để xem tiếp\./.exec(pages[0])?.[1]);
    expect(count, pages[0]).toBeGreaterThan(1);
    for (let i = 2; i <= count; i++) pages.push(await chat.say('tiếp', /Bạn có muốn nộp báo cáo này không\?[^\n]*\n/));

    // Each page: the summary part fits a screen, says which page it is, and asks to submit.
    pages.forEach((page, i) => {
      const start = page.indexOf('Tóm tắt');
      const end = i + 1 < count ? page.indexOf(vi.report.summaryMore(i + 1, count)) : page.indexOf('Bạn có muốn nộp');
      expect(start, page).toBeGreaterThanOrEqual(0);
      expect(end - start, page).toBeLessThanOrEqual(SCREEN_CHARS);
      if (i > 0) expect(page).toContain(vi.report.summaryPageTitle('Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh', i + 1, count));
      expect(page.includes('Gõ "tiếp" để xem tiếp'), page).toBe(i + 1 < count);
    });
    // Together the pages show every question once, in order, each section on one page.
    const numbers = pages.flatMap((p) => [...p.matchAll(/^ {2}(\d+)\.(\d+) /gm)].map((m) => `${m[1]}.${m[2]}`));
    const expected = form.sections.flatMap((s, i) =>
      s.questions.filter((q) => q.type !== 'note' && q.key in draft.answers).map((q) => `${i + 1}.${s.questions.filter((x) => x.type !== 'note').indexOf(q) + 1}`),
    );
    expect(numbers).toEqual(expected);
    form.sections.forEach((_, i) => expect(pages.filter((p) => new RegExp(`^ {2}${i + 1}\\.\\d+ `, 'm').test(p)).length, `section ${i + 1}`).toBe(1));
    // The count comes first, on page 1.
    expect(pages[0]).toMatch(/(\d+)\/\1 câu đã trả lời/);

    // Submitting from the last page; the time as every message writes an instant.
    await chat.say('có', /✓ Đã nộp Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh lúc 09:0\d ngày 16\/6\/2027\./);
    // The annual report is still to do: the status says how to go on with it.
    const status = await chat.say('trạng thái', /Gõ "tiếp tục" để tiếp tục báo cáo/);
    expect(status).toMatch(/Tình hình báo cáo của bạn \(lúc 09:0\d ngày 16\/6\/2027\):/);
    expect(status).toMatch(/hạn nộp trước 00:00 ngày 05\/7\/2027: đã nộp lúc 09:0\d ngày 16\/6\/2027/);
    chat.proc.stdin.end();
    expect(await chat.exited).toEqual({ code: 0, signal: null });

    const after = new Repositories(new SqliteStore(join(dataDir, 'dondoc.sqlite')));
    const sub = await after.latestSubmission('BHXH', '2027-H1');
    await after.db.close();
    expect(sub).toMatchObject({ revision: 1, channel: 'console', submittedBy: 'console:binh.bhxh', late: false });
    expect(sub?.answers).toEqual(Object.fromEntries(Object.entries(draft.answers).map(([k, a]) => [k, a.value])));
  });
});
