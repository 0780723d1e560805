/**
 * The signed report attached (issue 18), end to end through the real app, on the embedded store
 * and on FerretDB (GridFS): a focal point sends the signed copy as a Zalo file or photo
 * (`user_send_file` / `user_send_image`, the fixtures' shapes, the bytes served by the fake Zalo
 * CDN) and as a Teams file (`application/vnd.microsoft.teams.file.download.info`, its
 * pre-authorised downloadUrl) while a report is open; it is stored (bytes equal, metadata, audit)
 * before the acknowledgement. A file with no report open, a wrong type, a file too large (announced
 * or only seen while streaming) and a pasted Teams image the bot cannot fetch without its token are
 * refused and nothing is stored. A coordinator downloads the same bytes by the chat link (`xem`),
 * the admin API, and nobody else does.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { formatInstant } from '../lib/datetime.js';
import { sizeText } from '../services/attachments.js';
import type { Attachment } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { teamsSay, zaloSay } from './helpers/chat-drivers.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { ISSUER, signJwt, startFakeIdentity } from './helpers/fake-identity.js';
import { startFakeZalo, zaloFixture, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { BACKENDS as STORE_BACKENDS, mongoUri, uniqueDbName } from './helpers/stores.js';
import { readDocx, readXlsx } from './helpers/office.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

const NOW = Date.parse('2027-07-04T09:00:00+07:00');
const UNIT = 'BHXH';
const PERIOD = '2027-H1';
const ADMIN_TOKEN = 'admin-token-for-the-attachment-test';
const MB = 1024 * 1024;

const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n'), randomBytes(size - 15)]);
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), randomBytes(size - 11)]);
const png = (size: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(size - 8)]);
/** A Word file (a ZIP) named as a PDF: refused on its bytes. */
const docx = (size: number) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(size - 4)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const BACKENDS = [
  { name: 'embedded (SQLite)', env: (): Record<string, string> => ({}), available: () => true },
  {
    name: 'FerretDB (GridFS)',
    env: (): Record<string, string> => ({ MONGODB_URI: `${mongoUri().replace(/\/[^/]*$/, '')}/${uniqueDbName('att')}` }),
    available: () => Boolean(mongoUri()),
  },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available())(`the signed report attached, on ${backend.name}`, () => {
    let app: TestApp;
    let connector: FakeBotConnector;
    let zalo: FakeZalo;
    const clock = new ManualClock(NOW);
    const focal = zaloId();
    const teamsFocal = teamsUser('Trần Thị Hoa');
    const coordinator = teamsUser('Lê Văn Điều Phối');

    beforeAll(async () => {
      connector = await startFakeBotConnector();
      zalo = await startFakeZalo();
      app = await startTestApp({ ...zalo.env(), ADMIN_TOKEN, ATTACHMENT_MAX_MB: '1', ...backend.env() }, { clock });
      const code = (role: 'focal' | 'coordinator', unitCode = UNIT) => app.ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: NOW, ttlMs: 86_400_000 });
      expect(await zaloSay(app.url, app.ctx.store, zalo, focal, `đăng ký ${await code('focal')}`, NOW)).toContain('');
      await teamsSay(app.url, connector, teamsFocal, `đăng ký ${await code('focal')}`);
      await teamsSay(app.url, connector, coordinator, `đăng ký ${await code('coordinator', 'LDTBXH')}`);
      expect((await app.ctx.store.membershipsOf(`teams:${coordinator.userId}`))[0]?.role).toBe('coordinator');
    });
    afterAll(async () => {
      await app?.close();
      await connector?.close();
      await zalo?.close();
    });

    const stored = (): Promise<Attachment[]> => app.ctx.store.attachments.find({}, { sort: [['at', 1]] });
    const audit = (action: string) => app.ctx.store.audit.find({ action }, { sort: [['at', 1]] });

    /** Posts a signed Zalo event, waits until it is processed; returns the replies' text. */
    async function zaloSend(ev: Record<string, any>): Promise<string> {
      clock.advance(60_000);
      const mark = zalo.cs.length;
      const event = { ...ev, app_id: zalo.appId, sender: { id: focal }, timestamp: String(clock.now().getTime()), message: { ...ev.message, msg_id: zaloId() } };
      expect((await zalo.post(app.url, event)).status).toBe(200);
      await zalo.waitFor(async () => ['done', 'failed', 'ignored'].includes((await app.ctx.store.inbox.get(`zalo:${event.event_name}:${event.message.msg_id}`))?.status ?? ''), event.event_name);
      return zalo.cs
        .slice(mark)
        .map((m) => m.message.text)
        .join('\n');
    }
    const zaloFile = (url: string, name: string, size: number | string) => {
      const ev = zaloFixture('user-send-file');
      ev.message.attachments[0].payload = { ...ev.message.attachments[0].payload, url, name, size: String(size), type: name.split('.').pop() };
      return ev;
    };
    const zaloImage = (url: string) => {
      const ev = zaloFixture('user-send-image');
      ev.message.attachments[0].payload = { thumbnail: url, url };
      return ev;
    };
    /** Posts a Teams message with these attachments as `u`; returns the replies' text. */
    async function teamsSend(attachments: unknown[], u = teamsFocal): Promise<string> {
      clock.advance(60_000);
      const id = nextActivityId();
      const r = await postActivity(app.url, asUser(teamsFixture('message-personal', connector.serviceUrl, { id, text: '', attachments }), u));
      expect(r.status).toBe(200);
      return connector.requests
        .filter((q) => q.conversationId === u.conversationId && q.op === 'reply' && q.targetId === id && q.status < 300)
        .map((q) => activityText(q.body))
        .join('\n');
    }

    it('a file with no report open is answered, and nothing is fetched or stored', async () => {
      const url = zalo.hostFile(pdf(20_000), { contentType: 'application/pdf' });
      expect(await zaloSend(zaloFile(url, 'BC.pdf', 20_000))).toBe(vi.attachment.noReport);
      expect(zalo.downloads.get(url)).toBeUndefined();
      expect(await stored()).toEqual([]);
    });

    it('Zalo: a PDF file and a photo sent while the report is open are stored, then acknowledged', async () => {
      clock.advance(60_000);
      expect(await zaloSay(app.url, app.ctx.store, zalo, focal, `báo cáo ${UNIT} ${PERIOD}`, clock.now().getTime())).toContain('BHXH');
      const unitName = app.ctx.regime.units.find((u) => u.code === UNIT)!.name;
      const bytes = pdf(300_000);
      const url = zalo.hostFile(bytes, { contentType: 'application/pdf' });
      const said = await zaloSend(zaloFile(url, 'BC-BHXH-6thang-ky.pdf', bytes.length));
      const [rec] = await stored();
      expect(rec).toMatchObject({
        unitCode: UNIT,
        periodId: PERIOD,
        userKey: `zalo:${focal}`,
        channel: 'zalo',
        name: 'BC-BHXH-6thang-ky.pdf',
        contentType: 'application/pdf',
        size: bytes.length,
        sha256: sha(bytes),
      });
      expect(rec.at).toBe(clock.now().getTime());
      expect(said).toContain('Đã nhận và lưu tệp BC-BHXH-6thang-ky.pdf (PDF, 293 KB) kèm theo Báo cáo 6 tháng đầu năm 2027');
      expect(said).toContain(unitName);
      expect(zalo.downloads.get(url)).toBe(1);
      // The bytes as stored: a file beside the SQLite file, or GridFS.
      expect((await app.ctx.store.db.blobs.get(rec._id))?.equals(bytes)).toBe(true);
      expect(rec.storage).toBe(app.ctx.store.db.kind === 'embedded' ? 'files' : 'gridfs');
      if (app.ctx.store.db.kind === 'embedded') expect(readdirSync(join(app.dataDir, 'attachments'))).toEqual([rec._id]);
      const [a] = await audit('attachment.stored');
      expect(a).toMatchObject({
        at: rec.at,
        actor: `zalo:${focal}`,
        channel: 'zalo',
        subject: `${UNIT}/${PERIOD}`,
        details: { id: rec._id, sha256: sha(bytes), size: bytes.length, contentType: 'application/pdf' },
      });

      // The same bytes again (sent twice): recognised, not stored a second time.
      expect(await zaloSend(zaloFile(url, 'BC-BHXH-6thang-ky (1).pdf', bytes.length))).toContain('đã được lưu kèm theo');
      expect(await stored()).toHaveLength(1);

      // A photo (no name: one is made from the report), its size known only as it streams in.
      const photo = png(200_000);
      const purl = zalo.hostFile(photo, { contentType: 'image/png', chunked: true });
      expect(await zaloSend(zaloImage(purl))).toContain(`(PNG, ${sizeText(photo.length)}) kèm theo`);
      const second = (await stored())[1];
      expect(second).toMatchObject({ contentType: 'image/png', size: photo.length, sha256: sha(photo), name: expect.stringMatching(/^BHXH-2027-H1-[0-9a-z]+\.png$/) });
      expect((await app.ctx.store.db.blobs.get(second._id))?.equals(photo)).toBe(true);
    });

    it('a wrong type and a file too large are refused with nothing stored', async () => {
      const before = (await stored()).length;
      const word = docx(50_000);
      expect(await zaloSend(zaloFile(zalo.hostFile(word), 'bao-cao.pdf', word.length))).toBe(vi.attachment.badType);
      // Announced too large: not even fetched.
      const big = pdf(Math.round(1.5 * MB));
      const bigUrl = zalo.hostFile(big, { contentType: 'application/pdf' });
      expect(await zaloSend(zaloFile(bigUrl, 'lon.pdf', big.length))).toBe(vi.attachment.tooLarge('1 MB'));
      expect(zalo.downloads.get(bigUrl)).toBeUndefined();
      // Announced small but larger as it streams (no Content-Length): cut off at the limit.
      const sneaky = zalo.hostFile(big, { contentType: 'application/pdf', chunked: true });
      expect(await zaloSend(zaloFile(sneaky, 'nho.pdf', 1000))).toBe(vi.attachment.tooLarge('1 MB'));
      expect((await stored()).length).toBe(before);
      expect((await audit('attachment.refused')).map((e) => e.details?.reason)).toEqual(['type', 'too_large', 'too_large']);
      if (app.ctx.store.db.kind === 'embedded') expect(readdirSync(join(app.dataDir, 'attachments'))).toHaveLength(before);
    });

    it('Teams: a file sent in personal chat (file.download.info) is stored; a pasted image needs the bot token', async () => {
      expect(await teamsSay(app.url, connector, teamsFocal, `báo cáo ${UNIT} ${PERIOD}`)).toContain('BHXH');
      const scan = jpeg(120_000);
      const said = await teamsSend([
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          contentUrl: 'https://contoso-my.sharepoint.com/personal/hoa/Documents/Applications/dondoc/ban-ky.jpg',
          name: 'ban-ky.jpg',
          content: { downloadUrl: connector.hostFile(scan, 'image/jpeg'), uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D', fileType: 'jpg' },
        },
      ]);
      expect(said).toContain(`Đã nhận và lưu tệp ban-ky.jpg (JPEG, ${sizeText(scan.length)}) kèm theo`);
      const rec = (await stored()).at(-1)!;
      expect(rec).toMatchObject({ userKey: `teams:${teamsFocal.userId}`, userName: 'Trần Thị Hoa', channel: 'teams', name: 'ban-ky.jpg', contentType: 'image/jpeg', sha256: sha(scan) });
      expect((await app.ctx.store.db.blobs.get(rec._id))?.equals(scan)).toBe(true);

      // A pasted image: its contentUrl is on the connector, which serves it only with the bot's
      // token. Authentication is off here (no MICROSOFT_APP_ID), so the bot has none: refused.
      const before = (await stored()).length;
      const pasted = await teamsSend([
        { contentType: 'image/png', contentUrl: connector.hostImage(png(10_000)) },
        { contentType: 'text/html', content: '<p><img src="https://us-api.asm.skype.com/v1/objects/0-sa-d4/views/imgo" /></p>' },
      ]);
      expect(pasted).toBe(vi.attachment.fetchFailed);
      expect(connector.imageAuth).toEqual([undefined]);
      expect((await stored()).length).toBe(before);
    });

    it('a coordinator downloads the same bytes by the chat link and the admin API; nobody else does', async () => {
      const files = await stored();
      expect(files).toHaveLength(3);
      const view = await teamsSay(app.url, connector, coordinator, `xem ${UNIT} ${PERIOD}`);
      expect(view).toContain(vi.attachment.listTitle(3));
      const links = [...view.matchAll(/\/api\/files\/\S+/g)].map((m) => m[0]);
      expect(links).toHaveLength(3);
      for (const [i, link] of links.entries()) {
        const res = await fetch(`${app.url}${link}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(files[i].contentType);
        expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(files[i].sha256);
      }
      // A tampered link is refused.
      expect((await fetch(`${app.url}${links[0].slice(0, -3)}AAA`)).status).toBe(403);
      // A focal point's `xem` shows their own report, without links.
      const mine = await teamsSay(app.url, connector, teamsFocal, `xem ${UNIT} ${PERIOD}`);
      expect(mine).not.toContain('/api/files/');

      // The admin API: the list, then each file's bytes.
      const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
      const list = await (await fetch(`${app.url}/api/admin/attachments/${PERIOD}`, { headers: auth })).json();
      expect(list.attachments.map((a: { id: string }) => a.id)).toEqual(files.map((f) => f._id));
      expect(list.attachments[0]).toMatchObject({ unitCode: UNIT, periodId: PERIOD, name: files[0].name, size: files[0].size, sha256: files[0].sha256, by: `zalo:${focal}`, channel: 'zalo' });
      const one = await fetch(`${app.url}/api/admin/attachments/${PERIOD}/${files[2]._id}`, { headers: auth });
      expect(one.status).toBe(200);
      expect(one.headers.get('content-disposition')).toContain('ban-ky.jpg');
      expect(sha(Buffer.from(await one.arrayBuffer()))).toBe(files[2].sha256);
      expect((await fetch(`${app.url}/api/admin/attachments/${PERIOD}/${files[2]._id}`)).status).toBe(401);
      expect((await fetch(`${app.url}/api/admin/attachments/${PERIOD}/${files[2]._id}`, { headers: { Authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
      expect((await fetch(`${app.url}/api/admin/attachments/2027-01/${files[2]._id}`, { headers: auth })).status).toBe(404);
      const downloads = await audit('attachment.downloaded');
      expect(downloads.map((d) => d.details?.via).sort()).toEqual(['admin-api', 'chat-link', 'chat-link', 'chat-link']);
      // The XLSX export lists them per unit, with their SHA-256.
      const xlsx = Buffer.from(await (await fetch(`${app.url}/api/admin/export/${PERIOD}.xlsx`, { headers: auth })).arrayBuffer());
      const ws = (await readXlsx(xlsx)).getWorksheet(vi.document.sheetAttachments)!;
      const rows: unknown[][] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const listed = rows.filter((r) => typeof r[7] === 'string' && /^[0-9a-f]{64}$/.test(r[7] as string));
      expect(listed).toEqual(files.map((f) => [UNIT, expect.any(String), f.name, vi.attachment.types[f.contentType], f.size, f.userName ?? f.userKey, expect.any(String), f.sha256]));
      // The DOCX lists them too, one line each with its fingerprint.
      const docx = await readDocx(Buffer.from(await (await fetch(`${app.url}/api/admin/export/${PERIOD}.docx`, { headers: auth })).arrayBuffer()));
      expect(docx.text).toContain(vi.document.attachmentsHeading);
      for (const f of files) {
        expect(docx.text).toContain(`${f.name} (${vi.attachment.types[f.contentType]}, `);
        expect(docx.text).toContain(f.sha256);
      }
    });

    it("a focal point's own `trạng thái` and `xem lại` list the files sent with the report (name, type, size, who, when)", async () => {
      const files = await stored();
      expect(files).toHaveLength(3);
      const tz = app.ctx.regime.timezone;
      const label = (f: Attachment) => `${f.name} (${vi.attachment.types[f.contentType]}, ${sizeText(f.size)})`;
      for (const [channel, say] of [
        ['Teams', (text: string) => teamsSay(app.url, connector, teamsFocal, text)],
        [
          'Zalo',
          (text: string) => {
            clock.advance(60_000);
            return zaloSay(app.url, app.ctx.store, zalo, focal, text, clock.now().getTime());
          },
        ],
      ] as const) {
        const status = await say('trạng thái');
        for (const f of files) expect(status, channel).toContain(vi.attachment.statusLine(label(f), formatInstant(f.at, tz)));
        // The summary comes a phone screen at a time; the files close its last page.
        let page = await say(`xem ${UNIT} ${PERIOD}`);
        let review = page;
        for (let n = 1; /Trang \d+\/\d+\. Gõ "tiếp"/.test(page) && n < 10; n++) {
          expect(page, channel).not.toContain(vi.attachment.sentTitle(3));
          page = await say(vi.report.moreWord);
          review += `\n${page}`;
        }
        expect(review, channel).toContain(vi.attachment.sentTitle(3));
        for (const f of files) expect(review, channel).toContain(vi.attachment.sentLine(label(f), f.userName ?? f.userKey, formatInstant(f.at, tz)));
        expect(review, channel).not.toContain('/api/files/');
      }
    });

    it('the boards count the files, and the web console lists and serves them behind its session', async () => {
      const files = await stored();
      // The chat board (a coordinator's `trạng thái KỲ`): the unit's status with its files.
      expect(await teamsSay(app.url, connector, coordinator, `trạng thái ${PERIOD}`)).toContain(vi.attachment.count(3));
      // Sign in to the web console from the chat link (the button posts the token).
      const link = /\/web\/login\?t=[A-Za-z0-9_-]+/.exec(await teamsSay(app.url, connector, coordinator, 'trang quản lý'))![0];
      const login = await fetch(`${app.url}/web/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ t: new URL(link, app.url).searchParams.get('t')! }).toString(),
        redirect: 'manual',
      });
      expect(login.status).toBe(303);
      const cookie = /dondoc_web=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
      const web = (path: string) => fetch(`${app.url}${path}`, { headers: { cookie }, redirect: 'manual' });
      expect(await (await web(`/web/board?period=${PERIOD}`)).text()).toContain(vi.attachment.count(3));
      const page = await (await web(`/web/report?unit=${UNIT}&period=${PERIOD}`)).text();
      expect(page).toContain(vi.web.report.files);
      const hrefs = [...page.matchAll(/href="(\/web\/attachment\?id=[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
      expect(hrefs).toHaveLength(3);
      for (const [i, href] of hrefs.entries()) {
        expect(page).toContain(files[i].name);
        const r = await web(href);
        expect(r.status).toBe(200);
        expect(sha(Buffer.from(await r.arrayBuffer()))).toBe(files[i].sha256);
        // Without the session: sent to sign in, no bytes.
        const anon = await fetch(`${app.url}${href}`, { redirect: 'manual' });
        expect(anon.status).toBe(303);
        expect(anon.headers.get('location')).toBe('/web/sign-in');
      }
      expect((await web('/web/attachment?id=0000000000-000000000000')).status).toBe(404);
      expect((await audit('attachment.downloaded')).filter((d) => d.details?.via === 'web').map((d) => d.actor)).toEqual(Array(3).fill(`teams:${coordinator.userId}`));
    });
  });
}

/**
 * A pasted Teams image with authentication on: the bot asks for its own token the way the Agents
 * SDK does for its replies (here a user-assigned managed identity on App Service: MSAL reads
 * IDENTITY_ENDPOINT / IDENTITY_HEADER, served by a local fake of the App Service token endpoint),
 * and the connector serves the image only with it.
 */
describe('a pasted Teams image, fetched with the bot token', () => {
  const APP_ID = '66666666-6666-6666-6666-666666666666';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `key-${randomUUID()}`;
  const TOKEN = `bot-token-${randomUUID()}`;
  let idp: Awaited<ReturnType<typeof startFakeIdentity>>;
  let msi: Server;
  const msiCalls: Array<{ url: string; header: string | undefined }> = [];
  let app: TestApp;
  let connector: FakeBotConnector;
  const u = teamsUser('Nông Văn Bình');
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  beforeAll(async () => {
    msi = createServer((req, res) => {
      msiCalls.push({ url: req.url ?? '', header: req.headers['x-identity-header'] as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: 'https://api.botframework.com', token_type: 'Bearer' }));
    });
    await new Promise<void>((r) => msi.listen(0, '127.0.0.1', r));
    process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${(msi.address() as { port: number }).port}/msi/token`;
    process.env.IDENTITY_HEADER = 'identity-header-secret';
    idp = await startFakeIdentity(publicKey, kid);
    connector = await startFakeBotConnector();
    app = await startTestApp(
      { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'unused-with-a-managed-identity', MICROSOFT_APP_TYPE: 'UserAssignedMSI' },
      { clock: new ManualClock(NOW), teams: { auth: { openIdMetadataUrl: idp.url } } },
    );
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await idp?.close();
    await new Promise((r) => msi?.close(r));
    process.env.IDENTITY_ENDPOINT = saved.endpoint;
    process.env.IDENTITY_HEADER = saved.header;
  });

  const now = () => Math.floor(Date.now() / 1000);
  async function say(body: Record<string, unknown>): Promise<string> {
    const id = nextActivityId();
    const jwt = signJwt(privateKey, kid, { iss: ISSUER, aud: APP_ID, serviceurl: connector.serviceUrl, nbf: now() - 60, iat: now() - 60, exp: now() + 3600 });
    const r = await postActivity(app.url, asUser(teamsFixture('message-personal', connector.serviceUrl, { id, ...body }), u), { authorization: `Bearer ${jwt}` });
    expect(r.status).toBe(200);
    return connector.requests
      .filter((q) => q.conversationId === u.conversationId && q.op === 'reply' && q.targetId === id && q.status < 300)
      .map((q) => activityText(q.body))
      .join('\n');
  }

  it('is stored with the same bytes, the token sent only to the connector', async () => {
    const code = await app.ctx.store.createEnrolmentCode({ unitCode: UNIT, role: 'focal', createdBy: 'test', now: NOW, ttlMs: 86_400_000 });
    await say({ text: `đăng ký ${code}` });
    expect(await say({ text: `báo cáo ${UNIT} ${PERIOD}` })).toContain('BHXH');
    const image = png(80_000);
    const said = await say({
      text: '',
      attachments: [
        { contentType: 'image/png', contentUrl: connector.hostImage(image) },
        { contentType: 'text/html', content: '<p><img src="https://us-api.asm.skype.com/v1/objects/0-sa-d4/views/imgo" /></p>' },
      ],
    });
    expect(said).toContain(`(PNG, ${sizeText(image.length)}) kèm theo`);
    expect(connector.imageAuth).toEqual([`Bearer ${TOKEN}`]);
    expect(msiCalls[0]).toMatchObject({ header: 'identity-header-secret' });
    const [rec] = await app.ctx.store.attachments.find({});
    expect(rec).toMatchObject({ userKey: `teams:${u.userId}`, contentType: 'image/png', sha256: sha(image), size: image.length });
    expect((await app.ctx.store.db.blobs.get(rec._id))?.equals(image)).toBe(true);
    const [a] = await app.ctx.store.audit.find({ action: 'attachment.stored' });
    expect(a).toMatchObject({ actor: `teams:${u.userId}`, channel: 'teams', details: { id: rec._id, sha256: sha(image) } });
    // The token never reaches a URL off the connector: an image hosted elsewhere is asked for without it (and refused there).
    const elsewhere = await startFakeBotConnector();
    try {
      expect(await say({ text: '', attachments: [{ contentType: 'image/png', contentUrl: elsewhere.hostImage(image) }] })).toBe(vi.attachment.fetchFailed);
      expect(elsewhere.imageAuth).toEqual([undefined]);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('blob storage on both stores', () => {
  for (const b of STORE_BACKENDS)
    it.skipIf(!b.available())(`${b.name}: whole bytes back (several GridFS chunks), null for a missing blob`, async () => {
      const s = await b.open();
      try {
        const data = randomBytes(600_000);
        await s.repos.db.blobs.put('0lq3k2a00-1a2b3c4d5e6f', data, { contentType: 'application/pdf' });
        expect((await s.repos.db.blobs.get('0lq3k2a00-1a2b3c4d5e6f'))?.equals(data)).toBe(true);
        expect(await s.repos.db.blobs.get('0lq3k2a00-000000000000')).toBeNull();
        expect(s.repos.db.blobs.kind).toBe(s.repos.db.kind === 'embedded' ? 'files' : 'gridfs');
      } finally {
        await s.dispose();
      }
    });
});
