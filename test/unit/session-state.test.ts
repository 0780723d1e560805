/**
 * The router checks the stored session on load (router/router.ts loadSession): the envelope's
 * version and shape, and the active flow's state against that flow's zod schema and version. The
 * bot core in-process on the console channel; stale rows are written straight into the store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vi } from '../../i18n/vi.js';
import { PickStateSchema, ReportFlowStateSchema } from '../../dialogs/report/state.js';
import type { Session } from '../../store/records.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';

const flowOf = async (t: TestBot, userKey: string) => ((await t.ctx.store.session(userKey))?.state as { flow?: { id: string; v?: number; state: Record<string, unknown> } | null }).flow ?? null;

describe('stale session and flow state', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
  });
  afterEach(async () => {
    await t.dispose();
  });
  const setState = async (userKey: string, state: Record<string, unknown>) => {
    const s = (await t.ctx.store.session(userKey)) as Session;
    await t.ctx.store.putSession(s._id, state, s.updatedAt);
  };

  it('a row saved before versions were written (no v) is read as version 1: the answer is taken, no notice', async () => {
    const p = t.person('lan');
    await p.enrol('BA-BE');
    await p.say('báo cáo BA-BE 2027-06');
    const flow = await flowOf(t, 'console:lan');
    await setState('console:lan', { flow: { id: flow!.id, state: flow!.state }, memory: {} });
    const r = await p.ask('2');
    expect(r).not.toContain(vi.router.sessionExpired);
    expect(r).toContain('✓ Đã lưu');
    expect(await flowOf(t, 'console:lan')).toMatchObject({ id: 'report', v: 1 });
  });

  it('a stale report state with nothing left to name the report: the choice of reports, after the notice', async () => {
    const p = t.person('lan');
    await p.enrol('BA-BE');
    await p.say('báo cáo BA-BE 2027-06');
    await setState('console:lan', { v: 1, flow: { id: 'report', v: 1, state: { step: 2 } }, memory: {} });
    const r = await p.say('Báo cáo kết quả: đã họp 2 lần');
    // Not the `báo cáo` command with arguments: after a stale flow only a command's exact name is a command.
    expect(r[0].text.startsWith(`${vi.router.sessionExpired}\n\n${vi.report.pickIntro}`)).toBe(true);
    const flow = await flowOf(t, 'console:lan');
    expect(flow).toMatchObject({ id: 'report.pick', v: 1 });
    expect(PickStateSchema.safeParse(flow!.state).success).toBe(true);
    expect(await t.ctx.store.getDraft('BA-BE', '2027-06')).toBeNull();
  });

  it('a stale report menu starts the menu again', async () => {
    const p = t.person('lan');
    await p.enrol('BA-BE');
    expect(await p.ask('báo cáo')).toContain(vi.report.pickIntro);
    await setState('console:lan', { v: 1, flow: { id: 'report.pick', v: 1, state: { options: 'BA-BE 2027-06' } }, memory: {} });
    const r = await p.ask('2');
    expect(r.startsWith(`${vi.router.sessionExpired}\n\n${vi.report.pickIntro}`)).toBe(true);
    expect(PickStateSchema.safeParse((await flowOf(t, 'console:lan'))!.state).success).toBe(true);
    // The menu works again: 2 picks the second report.
    expect(await p.ask('2')).not.toContain(vi.router.sessionExpired);
    expect(ReportFlowStateSchema.safeParse((await flowOf(t, 'console:lan'))!.state).success).toBe(true);
  });

  it('a stale broadcast starts at the audience again', async () => {
    const c = t.person('coord');
    await c.enrol('LDTBXH', 'coordinator');
    await c.say('thông báo');
    await setState('console:coord', { v: 1, flow: { id: 'broadcast', v: 1, state: { step: 'text', audience: { type: 'everyone' } } }, memory: {} });
    const r = await c.ask('1');
    expect(r.startsWith(`${vi.router.sessionExpired}\n\n`)).toBe(true);
    expect(await flowOf(t, 'console:coord')).toEqual({ id: 'broadcast', v: 1, state: { step: 'audience' } });
    expect(await t.ctx.store.broadcasts.count()).toBe(0);
  });

  it('an envelope of another shape is dropped whole: the notice and how to go on; the row written is current', async () => {
    const p = t.person('lan');
    await p.enrol('BA-BE');
    await setState('console:lan', { flow: 'report', memory: ['lastReport'] });
    expect(await p.ask('12')).toBe(`${vi.router.sessionExpired} ${vi.router.sessionExpiredHow}`);
    expect((await t.ctx.store.session('console:lan'))?.state).toEqual({ v: 1, flow: null, memory: {} });
    expect(await p.ask('12')).toBe(vi.router.notUnderstood);
  });

  it('a flow no longer registered still ends with flowGone', async () => {
    const p = t.person('lan');
    await p.enrol('BA-BE');
    await setState('console:lan', { v: 1, flow: { id: 'retired.flow', v: 3, state: {} }, memory: {} });
    expect(await p.ask('12')).toBe(vi.router.flowGone);
    expect(await flowOf(t, 'console:lan')).toBeNull();
  });
});
