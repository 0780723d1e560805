/**
 * A broadcast's audience and delivery do not depend on the channel the coordinator types on. A
 * focal point of Na Rì is enrolled on Teams (the real app, the fake Bot Connector); a coordinator
 * is enrolled on the console and broadcasts from `dondoc chat` (the compiled CLI, its own process,
 * the same DATA_DIR): the preview counts the Teams recipient, the outbox holds their message, and
 * the server's outbox worker delivers it. Needs `npx tsc -p .` (npm test builds first).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makePeriod } from '../regime/periods.js';
import { buildForm } from '../regime/regime.js';
import { teamsSay } from './helpers/chat-drivers.js';
import { startWorld, type World } from './helpers/reminder-world.js';
import { rng, sampleAnswers } from './helpers/seed-submissions.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'dondoc.js');
const NOW = '2027-07-06T09:00:00+07:00';

/** `dondoc chat` scripted through stdin on the world's store; resolves with its output at EOF. */
function consoleChat(w: World, user: string, lines: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const proc = spawn(process.execPath, [bin, 'chat', '--user', user, '--name', 'Điều phối viên', '--now', NOW, '--echo'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: w.app.dataDir, MONGODB_URI: '', LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  proc.stdin.end(`${lines.join('\n')}\n`);
  return new Promise((ok) => proc.once('exit', (code) => ok({ code, out, err })));
}

async function submit(w: World, unitCode: string, periodId: string): Promise<void> {
  const p = makePeriod(w.app.ctx.regime, periodId)!;
  const form = buildForm(w.app.ctx.regime, unitCode, p.kind)!;
  const at = w.clock.now().getTime();
  const s = await w.app.ctx.store.appendSubmission({
    unitCode,
    periodId: p.id,
    revision: 1,
    formVersion: form.version,
    answers: sampleAnswers(w.app.ctx.regime, form, p, rng(1)),
    submittedAt: at,
    submittedBy: `teams:focal-${unitCode}`,
    channel: 'teams',
    late: false,
  });
  expect(s).not.toBeNull();
}

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('broadcasts do not depend on the sender’s channel', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does) before this test');
  });

  it('from `dondoc chat`, `thông báo chưa nộp 2027-H1` reaches the Na Rì focal point enrolled on Teams, as it does from Teams', async () => {
    w = await startWorld({ now: NOW });
    const naRi = await w.enrolTeams('NA-RI', 'focal', 'Đầu mối Na Rì');
    const babe = await w.enrolTeams('BA-BE', 'focal', 'Đầu mối Ba Bể');
    const teamsCoord = await w.enrolTeams('LDTBXH', 'coordinator', 'Điều phối viên Teams');
    // Every unit that files 2027-H1 has submitted but Na Rì and Ba Bể; Ba Bể has too.
    for (const u of w.app.ctx.regime.units.filter((x) => x.reports && x.code !== 'NA-RI')) await submit(w, u.code, '2027-H1');
    w.reset();

    // From Teams: one unit, one recipient.
    const fromTeams = await teamsSay(w.app.url, w.teams, teamsCoord, 'thông báo chưa nộp 2027-H1');
    expect(fromTeams).toContain('— 1 đơn vị, 1 người nhận.');
    expect(await teamsSay(w.app.url, w.teams, teamsCoord, 'hủy')).toContain('Đã hủy');

    // From the console: the same audience.
    const code = await w.app.ctx.store.createEnrolmentCode({ unitCode: 'LDTBXH', role: 'coordinator', createdBy: 'test', now: w.clock.now().getTime(), ttlMs: 86_400_000 });
    const text = 'Đề nghị UBND huyện Na Rì hoàn thành báo cáo 6 tháng trước ngày 10/7/2027.';
    const chat = await consoleChat(w, 'dieu.phoi', [`đăng ký ${code}`, 'thông báo chưa nộp 2027-H1', text, 'gửi']);
    expect(chat.code, chat.err).toBe(0);
    expect(chat.out).toContain('— 1 đơn vị, 1 người nhận.');
    expect(chat.out).toContain('Xem trước thông báo');
    const batch = /mã đợt (bc-[0-9a-z-]+)/.exec(chat.out)?.[1];
    expect(batch, chat.out).toBeDefined();

    // In the store: the broadcast, its audit entry from the console, and one queued Teams message to Na Rì.
    expect(await w.app.ctx.store.broadcasts.get(batch!)).toMatchObject({ createdBy: 'console:dieu.phoi', unitCodes: ['NA-RI'], unreachableUnits: [], recipients: 1 });
    expect(await w.app.ctx.store.audit.find({ action: 'broadcast.sent' })).toMatchObject([{ actor: 'console:dieu.phoi', channel: 'console', subject: batch }]);
    const queued = await w.app.ctx.store.outbox.find({ batch });
    expect(queued).toMatchObject([{ channel: 'teams', recipient: `teams:${naRi.userId}`, unitCode: 'NA-RI', purpose: 'broadcast', status: 'pending' }]);

    // The server's outbox worker delivers it (the console process ran on a clock a few seconds ahead).
    w.clock.advance(60_000);
    await w.drain();
    expect(await w.app.ctx.store.outbox.find({ batch })).toMatchObject([{ status: 'sent' }]);
    expect(w.teamsTexts(naRi).filter((t) => t.includes(text))).toHaveLength(1);
    expect(w.teamsTexts(babe).filter((t) => t.includes(text))).toHaveLength(0);
    // The console cannot be written to: the delivery report goes to the coordinators who can be reached.
    // Counts that are zero are left out ("Đã gửi: 1", not "… · Thất bại: 0 · Không gửi được: 0").
    expect(w.teamsTexts(teamsCoord).find((t) => t.startsWith(`Kết quả gửi thông báo ${batch}`))).toMatch(/\nĐã gửi: 1\n[\s\S]*• UBND huyện Na Rì: đã gửi 1$/);
  });
});
