/**
 * The coordinators' web console in a real browser (Debian's Chromium through playwright-core, the
 * launcher of test/helpers/card-render.ts), against the real app on a real port: a coordinator
 * asks the bot for a sign-in link in chat (the bot core, as the console channel hands it events),
 * opens it, reads the board, opens a unit's report, asks for a correction on a question ("cần bổ
 * sung" with a comment), the focal point is told and resubmits in chat, the coordinator reads what
 * changed and approves in the browser; each document is downloaded and read back the way another
 * program would; a broadcast is previewed and sent; an enrolment code with its QR is created and
 * redeemed in chat; a second coordinator's role is revoked and their open session ends; refusals:
 * the link used twice, a focal point asking for a link, an anonymous visitor, posts without or with
 * a wrong CSRF token. Every check reads the store and the audit log. Screenshots of every page go
 * to .tmp/web/ (README: "The web console for coordinators").
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerLines } from '../forms/form-engine.js';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { buildForm, coordinatorUnit, reportingUnits } from '../regime/regime.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { launchChromium } from './helpers/card-render.js';
import { defaultRegime, NOW, NOT_SUBMITTED, PERIOD, seedScenario } from './helpers/consolidation-scenario.js';
import { appChat } from './helpers/chat-drivers.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { parseCsv, readDocx, readXlsx } from './helpers/office.js';
import { OutboxWorker } from '../jobs/outbox-worker.js';
import { filingUnits } from './helpers/seed-submissions.js';
import { freePort } from './helpers/ports.js';

const regime = defaultRegime();
const SHOTS = join(process.cwd(), '.tmp', 'web');
const COORD = 'dieu.phoi';
const COORD2 = 'pho.phong';
/** BHXH's focal point, on Zalo (the fake Zalo API receives what the bot sends her). */
const FOCAL = zaloId();
const NEWCOMER = 'moi.den';

describe('the web console in Chromium', () => {
  let app: TestApp;
  let zalo: FakeZalo;
  let browser: Browser;
  let base: string;
  const clock = new ManualClock(NOW.getTime());

  const { say, zsay, code } = appChat(
    () => app,
    clock,
    () => zalo,
    FOCAL,
  );
  const linkOf = (reply: string) => {
    const m = /http:\/\/\S+\/web\/login\?t=\S+/.exec(reply);
    expect(m, reply).not.toBeNull();
    return m![0];
  };
  const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  const audit = (action: string) => app.ctx.store.audit.find({ action }, { sort: [['at', 1]] });
  const newContext = () => browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
  /** Signs a coordinator in through the link the bot gives them; returns the browser page on /web/. */
  const signInAs = async (context: BrowserContext, userId: string): Promise<Page> => {
    const link = linkOf(await say(userId, 'trang quản lý'));
    const page = await context.newPage();
    await page.goto(link);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.login.button }).click()]);
    await page.waitForURL(`${base}/web/`);
    return page;
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    zalo = await startFakeZalo();
    app = await startTestApp(zalo.env({ ZALO_REFRESH_TOKEN: zalo.issueRefreshToken(), PORT: String(port), PUBLIC_BASE_URL: base }), { clock });
    await seedScenario(app.ctx.store, regime);
    // The seeded reports' focal points, enrolled with their names (on Teams, which they have not used yet).
    const names = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lý Văn Cường', 'Hà Thị Dung', 'Ma Văn Đức', 'Hoàng Thị Giang', 'Nông Văn Hải', 'Lục Thị Hoa'];
    for (const [i, unitCode] of filingUnits(regime, PERIOD)
      .filter((u) => u !== 'BHXH' && u !== NOT_SUBMITTED)
      .entries())
      await app.ctx.store.addMember({ userKey: `teams:focal-${unitCode}`, unitCode, role: 'focal', enrolledAt: clock.now().getTime() - 86_400_000, displayName: names[i % names.length] });
    expect(await say(COORD, `đăng ký ${await code('LDTBXH', 'coordinator')}`, 'Lê Văn Điều Phối')).toContain('Đăng ký thành công');
    expect(await say(COORD2, `đăng ký ${await code('LDTBXH', 'coordinator')}`, 'Phạm Phó Phòng')).toContain('Đăng ký thành công');
    expect(await zsay(`đăng ký ${await code('BHXH', 'focal')}`)).toContain('Đăng ký thành công');
    // Names as the platforms would give them (the fake Zalo sends none): the Zalo focal point, and
    // the Teams user who filed BHXH's first report and has left the unit since.
    await app.ctx.store.members.updateOne({ _id: `zalo:${FOCAL}|BHXH` }, { displayName: 'Hoàng Thị Lan' });
    const at = clock.now().getTime();
    await app.ctx.store.contacts.put({ _id: 'teams:focal-BHXH', channel: 'teams', platformUserId: 'focal-BHXH', displayName: 'Đinh Thị Mai', reachable: false, updatedAt: at });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await zalo?.close();
  });

  it('refuses a focal point asking for a link, and an anonymous visitor', async () => {
    const refused = await zsay('trang quản lý');
    expect(refused).toBe(vi.router.coordinatorOnly(coordinatorUnit(regime)));
    expect(await app.ctx.store.webTokens.count()).toBe(0);

    const context = await newContext();
    const page = await context.newPage();
    for (const path of ['/web/', '/web/board', `/web/report?unit=BHXH&period=${PERIOD}`, '/web/focal-points']) {
      await page.goto(`${base}${path}`);
      expect(page.url()).toBe(`${base}/web/sign-in`);
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(vi.web.needSignIn.title);
    }
    expect(await page.textContent('main')).toContain('trang quản lý');
    await shot(page, '00-need-sign-in');
    // A post without a session changes nothing and is sent to the same explanation.
    const r = await page.request.post(`${base}/web/review`, { form: { unit: 'BHXH', period: PERIOD, action: 'approve' }, maxRedirects: 0 });
    expect(r.status()).toBe(303);
    expect(r.headers().location).toBe('/web/sign-in');
    expect((await app.ctx.store.reportState('BHXH', PERIOD))?.status).toBe('submitted');
    await context.close();
  });

  it('signs in from the chat link once; the cookie is HttpOnly and SameSite; the second use is refused', async () => {
    const link = linkOf(await say(COORD, 'trang quản lý'));
    expect(link.startsWith(`${base}/web/login?t=`)).toBe(true);
    const [token] = await app.ctx.store.webTokens.find({});
    expect(token).toMatchObject({ userKey: `console:${COORD}`, usedAt: null });
    expect(link).not.toContain(token._id); // only the hash is stored
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(link);
    await shot(page, '01-login');
    // Opening the link (as a chat app's preview would) does not use it: the button does.
    expect((await app.ctx.store.webTokens.get(token._id))?.usedAt).toBeNull();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.login.button }).click()]);
    await page.waitForURL(`${base}/web/`);
    expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(vi.web.home.title);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'dondoc_web', httpOnly: true, sameSite: 'Lax', secure: false, path: '/web' });
    const sessions = await app.ctx.store.webSessions.find({ userKey: `console:${COORD}` });
    expect(sessions).toHaveLength(1);
    expect(sessions[0].expiresAt - sessions[0].createdAt).toBe(8 * 3_600_000);
    expect(sessions[0]._id).not.toBe(cookie.value);
    expect((await audit('web.signed_in')).map((e) => [e.actor, e.channel])).toEqual([[`console:${COORD}`, 'web']]);
    expect((await audit('web.link_created')).map((e) => [e.actor, e.channel])).toEqual([[`console:${COORD}`, 'console']]);
    await shot(page, '02-home');

    // The same link a second time, in another browser: refused with the way out.
    const other = await newContext();
    const again = await other.newPage();
    const r = await again.goto(link);
    expect(r?.status()).toBe(410);
    const text = await again.textContent('main');
    expect(text).toContain(vi.web.linkRefused.used);
    expect(text).toContain(vi.web.linkRefused.askAgain);
    const posted = await again.request.post(`${base}/web/login`, { form: { t: new URL(link).searchParams.get('t')! }, maxRedirects: 0 });
    expect(posted.status()).toBe(410);
    expect(await other.cookies()).toEqual([]);
    expect(await app.ctx.store.webSessions.count({ userKey: `console:${COORD}` })).toBe(1);
    await shot(again, '03-link-used');
    await other.close();
    await context.close();
  });

  it('board → report → cần bổ sung on 1.3 → the focal point resubmits in chat → approve; CSRF refused', async () => {
    const context = await newContext();
    const page = await signInAs(context, COORD);
    const store = app.ctx.store;

    // The board: every filing unit, the counts, the rates and the chart.
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: vi.web.nav.board }).click()]);
    await page.goto(`${base}/web/board?period=${PERIOD}`);
    const units = filingUnits(regime, PERIOD);
    expect(await page.locator('table.board tbody tr').count()).toBe(units.length);
    const bhxhRow = page.locator('table.board tbody tr', { has: page.getByRole('link', { name: 'BHXH tỉnh', exact: true }) });
    expect(await bhxhRow.textContent()).toContain('Đã nộp đúng hạn');
    expect(await bhxhRow.textContent()).toContain(`Hoàng Thị Lan · Zalo · ${vi.web.board.reachable}`);
    expect(await page.getByRole('heading', { name: vi.web.board.rates }).isVisible()).toBe(true);
    const chart = page.locator('img.chart');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
    await shot(page, '04-board');
    await page.setViewportSize({ width: 390, height: 800 });
    await shot(page, '04-board-phone');
    await shot(page, '04-board-phone-screen', false);
    await page.setViewportSize({ width: 1280, height: 900 });
    // Filter with plain query parameters: not started → only Sở Tài chính.
    await page.goto(`${base}/web/board?period=${PERIOD}&status=not_started`);
    expect(await page.locator('table.board tbody tr').count()).toBe(1);
    expect(await page.locator('table.board tbody tr').textContent()).toContain(regime.units.find((u) => u.code === NOT_SUBMITTED)!.shortName);

    // The report, numbered as the focal point sees it.
    await page.goto(`${base}/web/board?period=${PERIOD}`);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'BHXH tỉnh', exact: true }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Bảo hiểm xã hội tỉnh');
    const latest = (await store.latestSubmission('BHXH', PERIOD))!;
    const form = buildForm(regime, 'BHXH', 'H1')!;
    const expected = answerLines(regime, form, latest.answers).rows;
    const shown = await page.locator('table.answers tbody tr:not(.group)').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].slice(1).map((c) => c.textContent ?? '')));
    expect(shown).toEqual(expected);
    await shot(page, '05-report');

    // A post without the CSRF token, and with a wrong one: refused, nothing changes.
    const before = await store.reportState('BHXH', PERIOD);
    for (const form of [
      { unit: 'BHXH', period: PERIOD, action: 'approve' },
      { unit: 'BHXH', period: PERIOD, action: 'approve', _csrf: 'x'.repeat(43) },
    ]) {
      const r = await page.request.post(`${base}/web/review`, { form, maxRedirects: 0 });
      expect(r.status()).toBe(403);
      expect(await r.text()).toContain(vi.web.forbidden.csrf);
    }
    expect(await store.reportState('BHXH', PERIOD)).toEqual(before);
    expect(await audit('web.csrf_refused')).toHaveLength(2);

    // cần bổ sung 1.3 with a comment.
    await page.getByLabel(vi.web.report.pickLabel('1.3')).check();
    await page.getByLabel(vi.web.report.correctionComment).fill('Đề nghị cập nhật số đơn vị sau sắp xếp.');
    await shot(page, '05-report-review');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.report.correction }).click()]);
    expect((await page.locator('.notice').textContent())?.trim()).toBe(vi.web.reviewDone.needs_correction(1, ['1.3'], 1));
    const corrected = await store.reportState('BHXH', PERIOD);
    expect(corrected).toMatchObject({
      status: 'needs_correction',
      review: { by: `console:${COORD}`, questions: ['d1/units_after_restructuring'], revision: 1, comment: 'Đề nghị cập nhật số đơn vị sau sắp xếp.' },
    });
    expect((await audit('review.needs_correction')).map((e) => [e.actor, e.channel, e.subject])).toEqual([[`console:${COORD}`, 'web', `BHXH|${PERIOD}`]]);
    const [notice] = await store.outbox.find({ purpose: 'review', recipient: `zalo:${FOCAL}` });
    expect((notice.message as { text: string }).text).toContain('1.3');
    expect((notice.message as { text: string }).text).toContain('Đề nghị cập nhật số đơn vị sau sắp xếp.');
    // … and the outbox delivers it to her on Zalo.
    const mark = zalo.cs.length;
    await new OutboxWorker(app.ctx, { backoff: { baseMs: 10, maxMs: 10 } }).drainOnce();
    const delivered = zalo.cs
      .slice(mark)
      .filter((m) => m.userId === FOCAL)
      .map((m) => m.message.text);
    expect(delivered).toEqual([(notice.message as { text: string }).text]);
    // The page now marks the question; reloading shows the notice no more (it was shown once).
    await page.reload();
    expect(await page.locator('.notice').count()).toBe(0);
    expect(await page.locator('tr.marked').count()).toBe(1);

    // The focal point is taken to 1.3 in chat and resubmits.
    expect(await zsay('báo cáo')).toContain('1.3');
    const asked = await zsay('14');
    expect(asked).toContain('Bạn có muốn nộp');
    expect(await zsay('có')).toContain('bản sửa lần 2');
    expect(await store.reportState('BHXH', PERIOD)).toMatchObject({ status: 'submitted', revision: 2 });

    // The coordinator reads what changed, and approves revision 2.
    await page.reload();
    expect(await page.getByRole('table', { name: vi.web.report.changes(1) }).textContent()).toContain('14');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.report.approve }).click()]);
    expect((await page.locator('.notice').textContent())?.trim()).toBe(vi.web.reviewDone.approved(2, 1));
    expect(await store.reportState('BHXH', PERIOD)).toMatchObject({ status: 'approved', review: { by: `console:${COORD}`, revision: 2 } });
    expect((await audit('review.approved')).map((e) => [e.actor, e.channel])).toEqual([[`console:${COORD}`, 'web']]);
    await shot(page, '06-report-approved');
    await context.close();
  });

  it('downloads the DOCX, XLSX and CSV of the period and reads them back', async () => {
    const context = await newContext();
    const page = await signInAs(context, COORD);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: vi.web.nav.documents }).click()]);
    await page.goto(`${base}/web/documents?period=${PERIOD}`);
    await shot(page, '07-documents');
    const files: Record<string, Buffer> = {};
    for (const format of ['xlsx', 'docx', 'csv']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`a[href$="format=${format}"]`).click()]);
      expect(download.suggestedFilename()).toBe(`tong-hop-${PERIOD}.${format}`);
      const path = await download.path();
      files[format] = Buffer.from(await (await import('node:fs/promises')).readFile(path));
    }
    const bhxh = (await app.ctx.store.latestSubmission('BHXH', PERIOD))!;
    const figure = bhxh.answers['d4/si_participants'] as number;
    const book = await readXlsx(files.xlsx);
    const cells: unknown[] = [];
    book.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(c.value))));
    expect(cells).toContain(figure);
    const docx = await readDocx(files.docx);
    expect(JSON.stringify(docx)).toContain('6 tháng đầu năm 2027');
    const csv = parseCsv(files.csv.toString('utf8').replace(/^\uFEFF/, ''));
    const header = csv[0];
    const bhxhRows = csv.filter((r) => r.includes('BHXH'));
    expect(bhxhRows.length, header.join(',')).toBeGreaterThan(0);
    expect(bhxhRows.some((r) => r.includes(String(figure)) || r.includes(figure.toLocaleString('vi-VN')))).toBe(true);
    const exports = (await audit('export.created')).filter((e) => e.channel === 'web');
    expect(exports.map((e) => (e.details as { format: string }).format).sort()).toEqual(['csv', 'docx', 'xlsx']);
    expect(exports.every((e) => e.actor === `console:${COORD}`)).toBe(true);
    await context.close();
  });

  it('outbox and broadcasts: preview with the count, then send', async () => {
    const context = await newContext();
    const page = await signInAs(context, COORD);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: vi.web.nav.outbox }).click()]);
    expect(await page.locator('table').last().textContent()).toContain(vi.web.outbox.purposes.review);
    await shot(page, '08-outbox');
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: vi.web.outbox.compose }).click()]);
    await page.getByLabel(vi.web.broadcast.audience).selectOption('all');
    await page.getByLabel(vi.web.broadcast.text(1500)).fill('Đề nghị các đơn vị rà soát số liệu trước ngày 12/7.');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.broadcast.preview }).click()]);
    expect(await page.locator('main').textContent()).toContain(vi.web.broadcast.previewCount(vi.broadcast.audienceAll, reportingUnits(regime).length, 1));
    await shot(page, '09-broadcast-preview');
    expect(await app.ctx.store.broadcasts.count()).toBe(0);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.broadcast.confirm }).click()]);
    await page.waitForURL(`${base}/web/outbox`);
    expect(await page.locator('.notice').textContent()).toBe(vi.web.broadcast.queued(1, reportingUnits(regime).length));
    const [b] = await app.ctx.store.broadcasts.find({});
    expect(b).toMatchObject({ createdBy: `console:${COORD}`, text: 'Đề nghị các đơn vị rà soát số liệu trước ngày 12/7.', recipients: 1 });
    expect((await audit('broadcast.sent')).map((e) => [e.actor, e.channel])).toEqual([[`console:${COORD}`, 'web']]);
    expect(await app.ctx.store.outbox.count({ batch: b._id, recipient: `zalo:${FOCAL}` })).toBe(1);
    await context.close();
  });

  it('focal points: an enrolment code with its QR, redeemed in chat; revoking a coordinator ends their session', async () => {
    const context = await newContext();
    const page = await signInAs(context, COORD);
    const second = await newContext();
    const secondPage = await signInAs(second, COORD2);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: vi.web.nav.focalPoints }).click()]);
    await page.getByLabel(vi.web.focal.codeUnit).selectOption('BA-BE');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.focal.createCode }).click()]);
    const codeText = await page.locator('.code').textContent();
    const enrolCode = /Mã ([A-Z0-9]{8})/.exec(codeText ?? '')![1];
    expect(await page.locator('.qr svg').isVisible()).toBe(true);
    await shot(page, '10-focal-points-code');
    expect((await audit('enrolment.code_created')).map((e) => [e.actor, e.channel, e.subject])).toEqual([[`console:${COORD}`, 'web', 'BA-BE']]);
    expect(await say(NEWCOMER, `đăng ký ${enrolCode}`, 'Nông Văn Mới')).toContain('Đăng ký thành công');
    expect(await app.ctx.store.membersOfUnit('BA-BE', 'focal')).toContainEqual(expect.objectContaining({ userKey: `console:${NEWCOMER}`, active: true }));

    await page.goto(`${base}/web/focal-points`);
    expect(await page.locator('main').textContent()).toContain('Nông Văn Mới');
    await shot(page, '11-focal-points');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.focal.revoke('Phạm Phó Phòng') }).click()]);
    expect(await page.locator('.notice').textContent()).toContain('Phạm Phó Phòng');
    expect(await app.ctx.store.membershipsOf(`console:${COORD2}`)).toEqual([]);
    const ended = await app.ctx.store.webSessions.find({ userKey: `console:${COORD2}` });
    expect(ended.every((s) => s.endReason === 'role_revoked')).toBe(true);
    expect((await audit('membership.revoked')).map((e) => [e.actor, e.channel, (e.details as { userKey: string }).userKey])).toEqual([[`console:${COORD}`, 'web', `console:${COORD2}`]]);
    // The revoked coordinator's open page: the next request is refused.
    await secondPage.goto(`${base}/web/board`);
    expect(secondPage.url()).toBe(`${base}/web/sign-in`);
    // And they cannot ask for a link any more.
    expect(await say(COORD2, 'trang quản lý')).toBe(vi.router.notEnrolled(coordinatorUnit(regime)));
    await second.close();
    await context.close();
  });

  it('audit log filtered by unit, person and period; sign out ends the session', async () => {
    const context = await newContext();
    const page = await signInAs(context, COORD);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: vi.web.nav.audit }).click()]);
    await page.getByLabel(vi.web.unit).selectOption('BHXH');
    await page.getByLabel(vi.web.period).selectOption(PERIOD);
    await page.getByLabel(vi.web.person).fill('Điều Phối');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.filter }).click()]);
    const rows = page.locator('table tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('review.approved');
    expect(await rows.nth(1).textContent()).toContain('review.needs_correction');
    await shot(page, '12-audit');

    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.signOut }).click()]);
    await page.waitForURL(`${base}/web/sign-in?ended=1`);
    expect(await page.locator('main').textContent()).toContain(vi.web.signedOut);
    await page.goto(`${base}/web/`);
    expect(page.url()).toBe(`${base}/web/sign-in`);
    const signedOut = await audit('web.signed_out');
    expect(signedOut.map((e) => [e.actor, e.channel])).toEqual([[`console:${COORD}`, 'web']]);
    await context.close();
  });
});
