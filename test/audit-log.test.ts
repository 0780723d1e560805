/**
 * The audit log, end to end through the real app: configuration load at start-up, enrolments
 * (redeemed and refused), submissions, amendments, reviews (needs correction, approval), reopening,
 * broadcasts and exports (chat and admin HTTP) each leave one entry saying who, when (the app's
 * clock at that moment), what (action and subject) and from which channel — driven over Teams and
 * signed Zalo events as people would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import type { AuditEntry } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { teamsSay, zaloSay } from './helpers/chat-drivers.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { seedDraft } from './helpers/seed-submissions.js';
import { teamsUser } from './helpers/teams-fixtures.js';

const NOW = Date.parse('2027-07-04T09:00:00+07:00');
const UNIT = 'BHXH';
const PERIOD = '2027-H1';
const ADMIN_TOKEN = 'admin-token-for-the-audit-test-0123';

describe('audit log: who, when, what, from which channel', () => {
  let app: TestApp;
  let connector: FakeBotConnector;
  let zalo: FakeZalo;
  const clock = new ManualClock(NOW);
  const coordinator = teamsUser('Lê Văn Điều Phối');
  const focal = zaloId();
  const focalKey = `zalo:${focal}`;
  const coordKey = `teams:${coordinator.userId}`;
  let form: FormDefinition;

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    zalo = await startFakeZalo();
    app = await startTestApp({ ...zalo.env(), ADMIN_TOKEN }, { clock });
    form = buildForm(app.ctx.regime, UNIT, 'H1') as FormDefinition;
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await zalo?.close();
  });

  /** Each turn happens a minute after the previous one; returns the replies and the turn's time. */
  const asCoordinator = async (text: string) => {
    clock.advance(60_000);
    return { text: await teamsSay(app.url, connector, coordinator, text), at: clock.now().getTime() };
  };
  const asFocal = async (text: string) => {
    clock.advance(60_000);
    return { text: await zaloSay(app.url, app.ctx.store, zalo, focal, text, clock.now().getTime()), at: clock.now().getTime() };
  };
  const entries = (action: string): Promise<AuditEntry[]> => app.ctx.store.audit.find({ action }, { sort: [['at', 1]] });
  const code = (unitCode: string, role: 'focal' | 'coordinator') => app.ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: clock.now().getTime(), ttlMs: 86_400_000 });

  it('the configuration loaded at start-up', async () => {
    const [e] = await entries('config.loaded');
    expect(e).toMatchObject({
      at: NOW,
      actor: 'system',
      channel: 'system',
      subject: app.ctx.regime.id,
      details: { regimeVersion: app.ctx.regime.version, store: 'embedded', channels: ['teams', 'zalo'], teamsAuth: false, adminApi: true, reportingUnits: 19 },
    });
    expect(e.details?.regimeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(e)).not.toContain(ADMIN_TOKEN);
    expect(JSON.stringify(e)).not.toContain(zalo.oaSecretKey);
  });

  it('enrolments: refused and redeemed, on both channels', async () => {
    const bad = await asFocal('đăng ký ZZZZ2345');
    expect((await entries('enrolment.refused')).at(-1)).toMatchObject({ at: bad.at, actor: focalKey, channel: 'zalo', details: { reason: 'invalid', count: 1 } });
    // Refusals are aggregated: one row per person and ten-minute window, with the count.
    await asFocal('đăng ký ZZZZ2346');
    expect(await entries('enrolment.refused')).toEqual([expect.objectContaining({ at: bad.at, actor: focalKey, details: { reason: 'invalid', count: 2 } })]);
    const ok = await asFocal(`đăng ký ${await code(UNIT, 'focal')}`);
    expect(ok.text).toContain('Đăng ký thành công');
    expect((await entries('enrolment.redeemed')).at(-1)).toMatchObject({ at: ok.at, actor: focalKey, channel: 'zalo', subject: UNIT, details: { role: 'focal' } });
    const c = await asCoordinator(`đăng ký ${await code('LDTBXH', 'coordinator')}`);
    expect((await entries('enrolment.redeemed')).at(-1)).toMatchObject({ at: c.at, actor: coordKey, channel: 'teams', subject: 'LDTBXH', details: { role: 'coordinator' } });
  });

  it('a submission, then an amendment', async () => {
    await seedDraft(app.ctx.store, app.ctx.regime, PERIOD, UNIT, 1, { at: NOW - 86_400_000, by: focalKey });
    expect((await asFocal(`báo cáo ${UNIT} ${PERIOD}`)).text).toContain(vi.report.confirm);
    const submitted = await asFocal('có');
    expect(submitted.text).toContain('✓ Đã nộp');
    expect(await entries('report.submitted')).toEqual([
      expect.objectContaining({ at: submitted.at, actor: focalKey, channel: 'zalo', subject: `${UNIT}|${PERIOD}`, details: expect.objectContaining({ revision: 1, late: false }) }),
    ]);

    await asFocal('sửa 1.2');
    // The last answer changed: the bot asks at once whether to submit.
    expect((await asFocal('Đã kết nối dữ liệu với 8 huyện')).text).toContain(vi.report.confirm);
    const amended = await asFocal('có');
    expect(amended.text).toContain('✓ Đã nộp');
    expect(await entries('report.amended')).toEqual([
      expect.objectContaining({ at: amended.at, actor: focalKey, channel: 'zalo', subject: `${UNIT}|${PERIOD}`, details: expect.objectContaining({ revision: 2, previousStatus: 'submitted' }) }),
    ]);
  });

  it('reviews: needs correction, then approval; reopening', async () => {
    const key = `${form.sections[0].id}/results`;
    const corr = await asCoordinator(`cần bổ sung ${UNIT} ${PERIOD} ${key}: nêu rõ số đơn vị đã kết nối`);
    expect(await entries('review.needs_correction')).toEqual([expect.objectContaining({ at: corr.at, actor: coordKey, channel: 'teams', subject: `${UNIT}|${PERIOD}` })]);
    // The focal point corrects and submits again (the third revision).
    expect((await asFocal('báo cáo')).text).toContain('nêu rõ số đơn vị đã kết nối');
    expect((await asFocal('Đã kết nối dữ liệu với 8 huyện, 122 xã')).text).toContain(vi.report.confirm);
    const again = await asFocal('có');
    expect((await entries('report.amended')).at(-1)).toMatchObject({ at: again.at, actor: focalKey, details: { revision: 3, previousStatus: 'needs_correction' } });

    const ok = await asCoordinator(`duyệt ${UNIT} ${PERIOD}`);
    expect(await entries('review.approved')).toEqual([expect.objectContaining({ at: ok.at, actor: coordKey, channel: 'teams', subject: `${UNIT}|${PERIOD}` })]);
    const reopened = await asCoordinator(`mở lại ${UNIT} ${PERIOD}`);
    expect(await entries('report.reopened')).toEqual([
      expect.objectContaining({ at: reopened.at, actor: coordKey, channel: 'teams', subject: `${UNIT}|${PERIOD}`, details: expect.objectContaining({ previousStatus: 'approved', revision: 3 }) }),
    ]);
  });

  it('a broadcast', async () => {
    await asCoordinator('thông báo tất cả');
    await asCoordinator('Đề nghị các đơn vị hoàn thành báo cáo đúng hạn.');
    const sent = await asCoordinator('gửi');
    expect(await entries('broadcast.sent')).toEqual([expect.objectContaining({ at: sent.at, actor: coordKey, channel: 'teams' })]);
  });

  it('exports: from chat and from the admin HTTP API', async () => {
    const chat = await asCoordinator(`xuất ${PERIOD} xlsx`);
    expect(chat.text).toContain('/api/files/');
    clock.advance(60_000);
    const res = await fetch(`${app.url}/api/admin/export/${PERIOD}.csv`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(await entries('export.created')).toEqual([
      expect.objectContaining({ at: chat.at, actor: coordKey, channel: 'teams', subject: PERIOD, details: expect.objectContaining({ format: 'xlsx', via: 'chat' }) }),
      expect.objectContaining({ at: clock.now().getTime(), actor: 'admin-token', channel: 'http', subject: PERIOD, details: expect.objectContaining({ format: 'csv', via: 'http' }) }),
    ]);
  });

  it('every entry says who, when, what and from which channel', async () => {
    const all = await app.ctx.store.audit.find({});
    const actions = new Set(all.map((e) => e.action));
    for (const a of [
      'config.loaded',
      'enrolment.refused',
      'enrolment.redeemed',
      'report.submitted',
      'report.amended',
      'review.needs_correction',
      'review.approved',
      'report.reopened',
      'broadcast.sent',
      'export.created',
    ])
      expect(actions, a).toContain(a);
    for (const e of all) {
      expect(typeof e.actor === 'string' && e.actor.length > 0, JSON.stringify(e)).toBe(true);
      expect(Number.isInteger(e.at) && e.at >= NOW, JSON.stringify(e)).toBe(true);
      expect(['teams', 'zalo', 'console', 'cli', 'http', 'system']).toContain(e.channel);
      expect(e.action).toMatch(/^[a-z_]+\.[a-z_]+$/);
    }
  });
});
