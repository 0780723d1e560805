/**
 * Outbound Zalo delivery for reminders and broadcasts (ZaloSender, registered in ctx.senders):
 * the window decides between a consultation message, a ZNS template message and
 * "undeliverable" with a machine-readable reason; a -230 from Zalo takes the same fallback and
 * the reason is recorded. Checked at the fake Zalo API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OutMessage } from '../core/message.js';
import { CS_WINDOW_MS, ZALO_REASONS } from '../channels/zalo/sender.js';
import type { Contact } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';

const DAY = 86_400_000;
let fake: FakeZalo;
let app: TestApp;
afterEach(async () => {
  await app?.close();
  await fake?.close();
});

async function setup(extra: Record<string, string> = {}) {
  fake = await startFakeZalo();
  app = await startTestApp(fake.env(extra));
}

async function contact(o: { ageMs?: number; followed?: boolean; phone?: string; name?: string } = {}): Promise<Contact> {
  const now = app.ctx.clock.now().getTime();
  const id = zaloId();
  return app.ctx.store.contacts.put({
    _id: `zalo:${id}`,
    channel: 'zalo',
    platformUserId: id,
    displayName: o.name,
    reachable: o.followed !== false,
    followed: o.followed ?? true,
    lastInteractionAt: o.ageMs === undefined ? undefined : now - o.ageMs,
    phone: o.phone,
    updatedAt: now,
  });
}

const send = (c: Contact, m: OutMessage) => app.ctx.senders.get('zalo')!.send(c, m);
const audits = (action: string) => app.ctx.store.audit.find({ action }, { sort: [['at', 1]] });

const reminder: OutMessage = {
  text: 'Nhắc việc: báo cáo 6 tháng đầu năm 2027 của huyện Ba Bể cần nộp trước 00:00 ngày 05/7/2027.',
  choices: [
    { value: 'báo cáo', label: 'Bắt đầu báo cáo' },
    { value: 'đã nhận', label: 'Đã nhận' },
  ],
};

describe('ZaloSender', () => {
  it('inside the window: a consultation message, long text split, choices as oa.query.hide buttons on the last part', async () => {
    await setup();
    const c = await contact({ ageMs: 2 * DAY });
    const long: OutMessage = { text: `${'Đoạn thứ nhất của thông báo rất dài. '.repeat(60)}\n\n${'Đoạn thứ hai. '.repeat(60)}`, choices: reminder.choices };
    const r = await send(c, long);
    expect(r.status).toBe('sent');
    expect(fake.cs).toHaveLength(2);
    expect(fake.cs.every((m) => m.userId === c.platformUserId && Array.from(m.message.text).length <= 2000)).toBe(true);
    expect(fake.cs[0].message.attachment).toBeUndefined();
    expect(fake.cs[1].message.attachment).toEqual({
      type: 'template',
      payload: {
        buttons: [
          { title: 'Bắt đầu báo cáo', type: 'oa.query.hide', payload: 'báo cáo' },
          { title: 'Đã nhận', type: 'oa.query.hide', payload: 'đã nhận' },
        ],
      },
    });
    expect(r).toMatchObject({ id: fake.cs[1].messageId });
  });

  it('outside the 7-day window without ZNS: undeliverable "zalo_outside_window", nothing sent, recorded', async () => {
    await setup();
    const c = await contact({ ageMs: CS_WINDOW_MS + DAY, phone: '84912345678' });
    expect(await send(c, reminder)).toEqual({ status: 'undeliverable', reason: ZALO_REASONS.outsideWindow });
    const never = await contact({});
    expect(await send(never, reminder)).toEqual({ status: 'undeliverable', reason: ZALO_REASONS.outsideWindow });
    expect(fake.cs).toEqual([]);
    expect(fake.calls.filter((x) => x.endpoint !== 'token')).toEqual([]);
    // Both sends may fall in one millisecond: tell the two audit rows apart by their subject.
    const rows = await audits('zalo.undeliverable');
    expect(rows).toHaveLength(2);
    expect(rows.find((x) => x.subject === c._id)).toMatchObject({ details: { reason: 'zalo_outside_window', znsConfigured: false, hasPhone: true } });
    expect(rows.find((x) => x.subject === never._id)).toMatchObject({ details: { reason: 'zalo_outside_window', hasPhone: false } });
  });

  it('an unfollowed person: undeliverable "zalo_not_following"', async () => {
    await setup();
    expect(await send(await contact({ ageMs: DAY, followed: false }), reminder)).toEqual({ status: 'undeliverable', reason: ZALO_REASONS.notFollowing });
    expect(fake.cs).toEqual([]);
  });

  it('outside the window with a ZNS template and a phone: a ZNS template message to the phone', async () => {
    await setup({ ZALO_ZNS_TEMPLATE_ID: '231456' });
    const c = await contact({ ageMs: 30 * DAY, phone: '84912345678', name: 'Nguyễn Thị Hoa' });
    const r = await send(c, reminder);
    expect(r).toEqual({ status: 'sent', id: `zns:${fake.zns[0].msgId}` });
    expect(fake.zns).toHaveLength(1);
    expect(fake.zns[0]).toMatchObject({ phone: '84912345678', template_id: '231456', template_data: { name: 'Nguyễn Thị Hoa' } });
    expect(fake.zns[0].template_data.message).toMatch(/^Nhắc việc: báo cáo 6 tháng/);
    expect(fake.zns[0].tracking_id).not.toBe('');
    expect(fake.cs).toEqual([]);
    const [a] = await audits('zalo.zns_fallback');
    expect(a.details).toMatchObject({ reason: 'zalo_outside_window', zaloCode: null });
    // no phone: ZNS impossible
    expect(await send(await contact({ ageMs: 30 * DAY }), reminder)).toEqual({ status: 'undeliverable', reason: ZALO_REASONS.outsideWindow });
  });

  it('a -230 from Zalo (no interaction in 7 days) routes to the fallback and records why', async () => {
    await setup();
    const c = await contact({ ageMs: 3 * DAY, phone: '84912345678' });
    fake.fail({ endpoint: 'cs', target: c.platformUserId, error: -230, message: 'User has not interacted with the OA in the past 7 days', times: Infinity });
    expect(await send(c, reminder)).toEqual({ status: 'undeliverable', reason: ZALO_REASONS.windowRejected });
    // never retried: one call only
    expect(fake.calls.filter((x) => x.endpoint === 'cs').map((x) => x.error)).toEqual([-230]);
    const [a] = await audits('zalo.undeliverable');
    expect(a).toMatchObject({ subject: c._id, details: { reason: 'zalo_window_rejected', zaloCode: -230, znsConfigured: false } });
  });

  it('a -230 with ZNS configured goes out as ZNS, the audit naming -230', async () => {
    await setup({ ZALO_ZNS_TEMPLATE_ID: '231456' });
    const c = await contact({ ageMs: 3 * DAY, phone: '84912345678' });
    fake.fail({ endpoint: 'cs', target: c.platformUserId, error: -230, times: Infinity });
    const r = await send(c, reminder);
    expect(r.status).toBe('sent');
    expect(fake.zns.map((z) => z.phone)).toEqual(['84912345678']);
    const [a] = await audits('zalo.zns_fallback');
    expect(a.details).toMatchObject({ reason: 'zalo_window_rejected', zaloCode: -230 });
  });

  it('-213 (not following) marks the contact unfollowed; a refused ZNS phone is "zalo_zns_rejected"; a bad request fails without retry', async () => {
    await setup({ ZALO_ZNS_TEMPLATE_ID: '231456' });
    const c = await contact({ ageMs: DAY, phone: '84900000000' });
    fake.fail({ endpoint: 'cs', target: c.platformUserId, error: -213 });
    fake.fail({ endpoint: 'zns', target: '84900000000', error: -118, message: 'Zalo account not existed' });
    expect(await send(c, reminder)).toEqual({ status: 'undeliverable', reason: ZALO_REASONS.znsRejected });
    expect(await app.ctx.store.contacts.get(c._id)).toMatchObject({ followed: false, reachable: false });
    const d = await contact({ ageMs: DAY });
    fake.fail({ endpoint: 'cs', target: d.platformUserId, error: -201, message: 'Parameters are invalid' });
    expect(await send(d, reminder)).toEqual({ status: 'failed', reason: ZALO_REASONS.apiError, retryable: false });
    expect(fake.calls.filter((x) => x.endpoint === 'cs' && x.target === d.platformUserId)).toHaveLength(1);
  });

  it('Zalo down for longer than the retries: failed and retryable', async () => {
    await setup();
    const c = await contact({ ageMs: DAY });
    fake.fail({ endpoint: 'cs', http: 502, times: Infinity });
    expect(await send(c, { text: 'x' })).toMatchObject({ status: 'failed', reason: ZALO_REASONS.transient, retryable: true });
    expect(fake.calls.filter((x) => x.endpoint === 'cs')).toHaveLength(4);
  });
});
