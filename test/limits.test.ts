/**
 * Request size limits and timeouts on every endpoint of the real app: bodies over a route's limit
 * are refused with 413 whether their size is declared (Content-Length) or only discovered while
 * reading (chunked), before anything is stored; bodies sent to routes that take none are not
 * read into memory; oversized headers and URLs get 431; the HTTP server has request, header and
 * keep-alive timeouts.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES as TEAMS_MAX } from '../channels/teams/channel.js';
import { MAX_BODY_BYTES as ZALO_MAX } from '../channels/zalo/webhook.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloFixture, zaloId, zaloSignature, type FakeZalo } from './helpers/fake-zalo.js';
import { asUser, nextActivityId, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

/** A raw HTTP/1.1 exchange, so sizes and chunking are exactly what the test says. */
function rawRequest(port: number, head: string, body: Buffer | Buffer[] = Buffer.alloc(0)): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => (data += d));
    sock.on('error', (e) => {
      // The server may close while the body is still being written: what it answered counts.
      if (data) resolve(parse(data));
      else reject(e);
    });
    sock.on('close', () => resolve(parse(data)));
    sock.write(head);
    for (const b of Array.isArray(body) ? body : [body]) if (!sock.destroyed) sock.write(b);
    sock.end();
  });
  function parse(d: string) {
    const m = /^HTTP\/1\.1 (\d{3})/.exec(d);
    return { status: m ? Number(m[1]) : 0, text: d };
  }
}

const chunked = (parts: Buffer[]) => [...parts.map((p) => Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from('\r\n')])), Buffer.from('0\r\n\r\n')];

describe('request limits and timeouts', () => {
  let app: TestApp;
  let connector: FakeBotConnector;
  let zalo: FakeZalo;

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    zalo = await startFakeZalo();
    app = await startTestApp({ ...zalo.env(), ADMIN_TOKEN: 'admin-token-for-limits-0123456' });
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await zalo?.close();
  });

  const counts = async () => ({ inbox: await app.ctx.store.inbox.count(), contacts: await app.ctx.store.contacts.count(), sessions: await app.ctx.store.sessionCount() });

  /** A Teams message whose text makes the body `size` bytes long. */
  const teamsBody = (size: number) => {
    const base = asUser(teamsFixture('message-personal', connector.serviceUrl, { id: nextActivityId(), text: '' }), teamsUser());
    const empty = Buffer.byteLength(JSON.stringify(base));
    return Buffer.from(JSON.stringify({ ...base, text: 'a'.repeat(size - empty) }));
  };
  /** A signed Zalo text event whose body is `size` bytes long, and its signature. */
  const zaloBody = (size: number) => {
    const ev = { ...zaloFixture('user-send-text'), app_id: zalo.appId, sender: { id: zaloId() }, message: { text: '', msg_id: zaloId() }, timestamp: String(Date.now()) };
    const empty = Buffer.byteLength(JSON.stringify(ev));
    const raw = JSON.stringify({ ...ev, message: { ...ev.message, text: 'a'.repeat(size - empty) } });
    return { raw: Buffer.from(raw), sig: zaloSignature(zalo.appId, raw, ev.timestamp, zalo.oaSecretKey) };
  };

  it('POST /api/messages: over the limit is 413 (declared or chunked) and nothing is stored; at the limit it is processed', async () => {
    const before = await counts();
    const big = teamsBody(TEAMS_MAX + 1);
    const declared = await rawRequest(app.port, `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`, big);
    expect(declared.status).toBe(413);
    const streamed = await rawRequest(
      app.port,
      'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      chunked([big.subarray(0, 100_000), big.subarray(100_000, 200_000), big.subarray(200_000)]),
    );
    expect(streamed.status).toBe(413);
    const huge = await rawRequest(app.port, 'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n', Buffer.alloc(1_000_000, 0x61));
    expect(huge.status).toBe(413);
    expect(await counts()).toEqual(before);
    expect(connector.requests).toHaveLength(0);

    // A message text longer than the envelope allows (100,000 characters) but under the body limit: 400.
    const long = teamsBody(150_000);
    const r = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: long });
    expect(r.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('POST /api/zalo/webhook: over the limit is 413 (declared or chunked), even correctly signed, and nothing is stored', async () => {
    const before = await counts();
    const { raw, sig } = zaloBody(ZALO_MAX + 1);
    const head = (len: string) => `POST /api/zalo/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-ZEvent-Signature: ${sig}\r\n${len}\r\n`;
    expect((await rawRequest(app.port, head(`Content-Length: ${raw.length}\r\n`), raw)).status).toBe(413);
    expect((await rawRequest(app.port, head('Transfer-Encoding: chunked\r\n'), chunked([raw.subarray(0, 40_000), raw.subarray(40_000)]))).status).toBe(413);
    expect((await rawRequest(app.port, head('Content-Length: 50000000\r\n'), Buffer.alloc(500_000, 0x61))).status).toBe(413);
    expect(await counts()).toEqual(before);
    // Just under the limit, signed: accepted and processed.
    const ok = zaloBody(ZALO_MAX - 10);
    const res = await fetch(`${app.url}/api/zalo/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': ok.sig }, body: ok.raw });
    expect(res.status).toBe(200);
    // The accepted event is processed after the 200: wait for it, so that what it stores is not
    // counted by the next test.
    await vi.waitFor(async () => expect(await app.ctx.store.inbox.count({ channel: 'zalo', status: { $in: ['received', 'processing'] } })).toBe(0), { timeout: 10_000, interval: 20 });
    await app.settled();
  });

  it('routes that take no body do not read one; unknown routes and methods are refused without reading it', async () => {
    const body = Buffer.alloc(2_000_000, 0x61);
    const cases: Array<[string, number[]]> = [
      ['GET /healthz', [200]],
      ['GET /api/admin/status/2027-H1', [401]],
      ['GET /api/admin/export/2027-H1.csv', [401]],
      ['GET /api/files/AAAAAAAAAAAAAAAAAAAA', [403]],
      ['POST /healthz', [405]],
      ['PUT /api/messages', [405]],
      ['POST /api/nothing-here', [404]],
      ['DELETE /api/zalo/webhook', [405]],
    ];
    const before = await counts();
    for (const [line, statuses] of cases) {
      const r = await rawRequest(app.port, `${line} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body);
      expect(statuses, `${line}: ${r.text.slice(0, 80)}`).toContain(r.status);
    }
    expect(await counts()).toEqual(before);
  });

  it('oversized headers and URLs get 431', async () => {
    const longHeader = await rawRequest(app.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(100_000)}\r\n\r\n`);
    expect(longHeader.status).toBe(431);
    const longUrl = await rawRequest(app.port, `GET /api/files/${'A'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(longUrl.status).toBe(431);
    const longAuth = await rawRequest(app.port, `GET /api/admin/status/2027-H1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(100_000)}\r\n\r\n`);
    expect(longAuth.status).toBe(431);
  });

  it('the server has request, header and keep-alive timeouts', () => {
    const s = app.server.server;
    // Whole request (headers and body) within 30 s, headers within 10 s: a slow client cannot hold a connection.
    expect(s.requestTimeout).toBeGreaterThan(0);
    expect(s.requestTimeout).toBeLessThanOrEqual(60_000);
    expect(s.headersTimeout).toBeGreaterThan(0);
    expect(s.headersTimeout).toBeLessThanOrEqual(s.requestTimeout);
    expect(s.keepAliveTimeout).toBeGreaterThan(0);
    expect(s.keepAliveTimeout).toBeLessThan(s.headersTimeout);
  });
});
