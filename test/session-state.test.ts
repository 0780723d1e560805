/**
 * Session and flow state are versioned and checked on load (router/router.ts loadSession; each
 * flow's zod schema and version, e.g. dialogs/report/state.ts). A state stored before a deploy
 * changed its shape — written here straight into the store, as the old code would have left it —
 * is not read the new way: the next message gets a polite "the session expired after an update",
 * the report starts over from its draft (kept in the store, untouched), the input is not taken as
 * an answer, and the session row written is valid (the message after it is an ordinary answer).
 * Over the real console channel (`dondoc chat`, compiled), Zalo (signed webhook) and Teams.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { REPORT_FLOW, REPORT_FLOW_VERSION, ReportFlowStateSchema } from '../dialogs/report/state.js';
import { ManualClock } from '../lib/clock.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import type { Draft, Session } from '../store/records.js';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime } from './helpers/bot.js';
import { teamsSay, zaloSay } from './helpers/chat-drivers.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { Chat } from './helpers/console-process.js';
import { seedDraft } from './helpers/seed-submissions.js';
import { teamsUser } from './helpers/teams-fixtures.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'dondoc.js');
const regime = defaultRegime();
const BABE = buildForm(regime, 'BA-BE', 'M') as FormDefinition;
const questions = BABE.sections.flatMap((s) => s.questions.filter((q) => q.type !== 'note'));

/** The answers of a draft, without the times (what must survive a restart). */
const answersOf = (d: Draft | null) => Object.fromEntries(Object.entries(d?.answers ?? {}).map(([k, a]) => [k, a.value]));

/** A session row as this version writes it: envelope version 1, the report flow at its current version, a state its schema accepts. */
function expectValidReportSession(s: Session | null, unitCode: string, periodId: string): void {
  const st = s?.state as { v?: unknown; flow?: { id?: unknown; v?: unknown; state?: unknown }; memory?: unknown } | undefined;
  expect(st?.v).toBe(1);
  expect(st?.flow?.id).toBe(REPORT_FLOW);
  expect(st?.flow?.v).toBe(REPORT_FLOW_VERSION);
  const parsed = ReportFlowStateSchema.safeParse(st?.flow?.state);
  expect(parsed.success, JSON.stringify(st?.flow?.state)).toBe(true);
  expect(parsed.data).toMatchObject({ unitCode, periodId, mode: 'answer' });
  expect(typeof st?.memory).toBe('object');
}

/** The question a prompt asks: its progress line "Mục s/S · câu q/Q". */
const progress = (text: string) => /Mục (\d+)\/\d+ · câu (\d+)\/\d+/.exec(text)?.slice(1).map(Number);

describe('console (dondoc chat): a flow state left by an older version', () => {
  let dataDir: string | undefined;
  let chats: Chat[] = [];
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does) before this test');
  });
  afterEach(() => {
    for (const c of chats) c.proc.kill('SIGKILL');
    chats = [];
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const startChat = (now: string): Chat => {
    const proc = spawn(process.execPath, [bin, 'chat', '--user', 'lan.babe', '--name', 'Hoàng Thị Lan', '--now', now], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '', LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const c = new Chat(proc);
    chats.push(c);
    return c;
  };
  const withStore = async <T>(f: (r: Repositories) => Promise<T>): Promise<T> => {
    const r = new Repositories(new SqliteStore(join(dataDir as string, 'dondoc.sqlite')));
    await r.init();
    try {
      return await f(r);
    } finally {
      await r.db.close();
    }
  };

  it.each([
    ['an older version of the report flow', (s: Record<string, any>) => ({ ...s, flow: { ...s.flow, v: 0 } })],
    [
      'a report flow state of another shape',
      (s: Record<string, any>) => ({ ...s, flow: { id: 'report', state: { unit: 'BA-BE', period: '2027-06', step: 3, question: 'd3/si_participants_district' } } }),
    ],
  ])('%s: restarts the report politely from its draft; the answer typed is not stored; the next one is', async (_name, makeStale) => {
    dataDir = mkdtempSync(join(tmpdir(), 'dondoc-session-'));
    const code = await withStore((r) => r.createEnrolmentCode({ unitCode: 'BA-BE', role: 'focal', createdBy: 'test', now: Date.parse('2027-06-16T09:00:00+07:00'), ttlMs: 86_400_000 }));
    const first = startChat('2027-06-16T09:00:00+07:00');
    await first.say(`đăng ký ${code}`, /Đăng ký thành công/);
    await first.say('báo cáo BA-BE 2027-06', /Mục 1\/2 · câu 1\/8/);
    await first.say('Đang thực hiện', /✓ Đã lưu[\s\S]*Mục 1\/2 · câu 2\/8/);
    await first.say('Đã tổ chức 4 hội nghị', /✓ Đã lưu[\s\S]*Mục 1\/2 · câu 3\/8/);
    first.proc.stdin.end();
    expect(await first.exited).toEqual({ code: 0, signal: null });

    // A deploy changed the report flow's state: the row the old version left behind.
    const before = await withStore(async (r) => {
      const s = (await r.session('console:lan.babe')) as Session;
      expect(s.state).toMatchObject({ flow: { id: 'report', state: { asking: questions[2].key } } });
      await r.putSession(s._id, makeStale(s.state), s.updatedAt);
      return answersOf(await r.getDraft('BA-BE', '2027-06'));
    });
    expect(Object.keys(before)).toHaveLength(2);

    const second = startChat('2027-06-16T09:30:00+07:00');
    const restarted = await second.say('12.345', /Mục \d\/2 · câu \d\/\d/);
    expect(restarted).toContain(vi.router.sessionExpired);
    expect(restarted).toContain('Tiếp tục Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể (đã trả lời 2/14 câu');
    expect(progress(restarted)).toEqual([1, 3]);
    expect(restarted).not.toContain('✓ Đã lưu');
    await withStore(async (r) => {
      expect(answersOf(await r.getDraft('BA-BE', '2027-06'))).toEqual(before);
      expectValidReportSession(await r.session('console:lan.babe'), 'BA-BE', '2027-06');
    });

    // The row written is read as it is: the same input now answers the question asked.
    const answered = await second.say('12.345', /Mục 1\/2 · câu 4\/8/);
    expect(answered).toContain('✓ Đã lưu');
    expect(answered).not.toContain(vi.router.sessionExpired);
    second.proc.stdin.end();
    expect(await second.exited).toEqual({ code: 0, signal: null });
    await withStore(async (r) => {
      expect(answersOf(await r.getDraft('BA-BE', '2027-06'))).toEqual({ ...before, [questions[2].key]: 12345 });
    });
  });
});

describe('Zalo and Teams: stale sessions', () => {
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
  const code = (unitCode: string) => app.ctx.store.createEnrolmentCode({ unitCode, role: 'focal', createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });
  /** Replaces the stored session's state with what an older version would have left. */
  const makeStale = async (userKey: string, stale: (s: Record<string, any>) => Record<string, unknown>) => {
    const s = (await app.ctx.store.session(userKey)) as Session;
    await app.ctx.store.putSession(s._id, stale(s.state), s.updatedAt);
  };

  it('Zalo: an older session envelope mid-report: the polite restart, the draft intact, a valid row, then answers as usual', async () => {
    const user = zaloId();
    const say = (text: string) => {
      clock.advance(1000);
      return zaloSay(app.url, app.ctx.store, zalo, user, text, clock.now().getTime());
    };
    expect(await say(`đăng ký ${await code('BA-BE')}`)).toContain('Đăng ký thành công');
    await seedDraft(app.ctx.store, app.ctx.regime, '2027-06', 'BA-BE', 0.5, { at: clock.now().getTime(), by: `zalo:${user}` });
    const opened = await say('báo cáo BA-BE 2027-06');
    const asked = progress(opened);
    expect(asked).toBeDefined();
    const before = answersOf(await app.ctx.store.getDraft('BA-BE', '2027-06'));

    // Another envelope version (and a memory entry of an older shape): the whole row is stale.
    await makeStale(`zalo:${user}`, (s) => ({ ...s, v: 0, memory: { lastReport: 'BA-BE/2027-06' } }));
    const restarted = await say('Báo cáo kết quả: đã tổ chức 3 hội nghị');
    expect(restarted).toContain(vi.router.sessionExpired);
    expect(restarted).toContain('Tiếp tục Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể');
    expect(progress(restarted)).toEqual(asked);
    expect(answersOf(await app.ctx.store.getDraft('BA-BE', '2027-06'))).toEqual(before);
    const row = await app.ctx.store.session(`zalo:${user}`);
    expectValidReportSession(row, 'BA-BE', '2027-06');
    expect((row?.state as { memory: Record<string, unknown> }).memory.lastReport).toEqual({ unitCode: 'BA-BE', periodId: '2027-06' });

    const next = await say('bỏ qua');
    expect(next).not.toContain(vi.router.sessionExpired);
    const after = answersOf(await app.ctx.store.getDraft('BA-BE', '2027-06'));
    expect(Object.keys(after).length).toBe(Object.keys(before).length + 1);
    for (const [k, v] of Object.entries(before)) expect(after[k], k).toEqual(v);
  });

  it('Teams: a command typed after a stale flow runs, after one line that the session expired; the draft is untouched', async () => {
    clock.set(Date.parse('2027-06-16T10:00:00+07:00'));
    const u = teamsUser('Hoàng Văn Nam');
    const say = (text: string) => teamsSay(app.url, connector, u, text);
    expect(await say(`đăng ký ${await code('NA-RI')}`)).toContain('Đăng ký thành công');
    await seedDraft(app.ctx.store, app.ctx.regime, '2027-06', 'NA-RI', 0.4, { at: clock.now().getTime(), by: `teams:${u.userId}` });
    expect(await say('báo cáo NA-RI 2027-06')).toContain('Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Na Rì');
    expect((await app.ctx.store.session(`teams:${u.userId}`))?.state).toMatchObject({ flow: { id: REPORT_FLOW } });
    const before = answersOf(await app.ctx.store.getDraft('NA-RI', '2027-06'));
    await makeStale(`teams:${u.userId}`, (s) => ({ ...s, flow: { ...s.flow, state: { ...s.flow.state, mode: 'asking' } } }));

    const status = await say('trạng thái');
    expect(status.indexOf(vi.router.sessionExpired)).toBe(0);
    expect(status).toContain('Tình hình báo cáo của bạn');
    expect(answersOf(await app.ctx.store.getDraft('NA-RI', '2027-06'))).toEqual(before);
    const row = await app.ctx.store.session(`teams:${u.userId}`);
    expect(row?.state).toMatchObject({ v: 1, flow: null });

    // Told once: the next command is answered as usual, and `tiếp tục` resumes the draft.
    const resumed = await say('tiếp tục');
    expect(resumed).not.toContain(vi.router.sessionExpired);
    expect(resumed).toContain('Tiếp tục Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Na Rì');
    expectValidReportSession(await app.ctx.store.session(`teams:${u.userId}`), 'NA-RI', '2027-06');
  });
});
