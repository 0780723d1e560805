/**
 * The connector client's requests on node:http (channels/teams/transport.ts): a server sees the
 * same request as from the Agents SDK's own fetch-based HttpClient (method, path and query, body
 * bytes, headers), the caller gets the same response (status, parsed body), and a failed call the
 * same HttpError (status, headers, body) that the sender reads (describeFailure). A redirect, and
 * a body fetch alone knows how to send, go through the SDK's request as before.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeFailure } from '../../channels/teams/sender.js';
import { directRequest, type SdkRequestConfig } from '../../channels/teams/transport.js';
import { projectRoot } from '../../lib/paths.js';

type Request = (config: SdkRequestConfig) => Promise<{ data: unknown; status: number; statusText: string; headers: Headers }>;
interface SdkHttpClient {
  request: Request;
}
// Not exported by the package: loaded from its file, as its connector client does.
const { HttpClient, HttpError } = createRequire(import.meta.url)(join(projectRoot, 'node_modules/@microsoft/agents-hosting/dist/src/httpClient.js')) as {
  HttpClient: new (o: { baseURL?: string; headers?: Record<string, string> }) => SdkHttpClient;
  HttpError: new (...a: unknown[]) => Error;
};

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the server answers for a path. */
type Answer = { status: number; headers?: Record<string, string>; body?: string; cut?: boolean };
const answers = new Map<string, Answer>();
const seen: Seen[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const a = answers.get((req.url ?? '').split('?')[0]) ?? { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"1"}' };
      res.writeHead(a.status, a.headers ?? {});
      // A connection lost halfway through the response.
      if (a.cut) return void res.write(a.body ?? '', () => res.destroy());
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/amer/`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
afterEach(() => {
  answers.clear();
  seen.length = 0;
  vi.restoreAllMocks();
});

/** The SDK's client for the connector (as ConnectorClient.createClientWithToken makes it), and the same client on node:http. */
function clients(): { sdk: SdkHttpClient; direct: SdkHttpClient } {
  const headers = { 'User-Agent': 'agents-sdk-js/1.8.1', Accept: 'application/json', 'Content-Type': 'application/json', Authorization: 'Bearer t0k3n' };
  const sdk = new HttpClient({ baseURL: base, headers });
  const direct = new HttpClient({ baseURL: base, headers });
  direct.request = directRequest(direct, direct.request) as Request;
  return { sdk, direct };
}

/** What a server can tell of a request, fetch's own extra headers (its user agent's companions, encodings) left out. */
const view = (s: Seen) => ({
  method: s.method,
  url: s.url,
  body: s.body.toString('utf8'),
  headers: Object.fromEntries(['authorization', 'content-type', 'content-length', 'accept', 'user-agent', 'x-ms-conversation-id'].map((h) => [h, s.headers[h]])),
});

/** Runs `config` through both clients; returns what the server saw of each and what each returned or threw. */
async function both(config: SdkRequestConfig) {
  const { sdk, direct } = clients();
  const fetchSpy = vi.spyOn(globalThis, 'fetch');
  const outcome = async (c: SdkHttpClient) => {
    const from = seen.length;
    const r = await c.request({ ...config }).then(
      (x) => ({ ok: true as const, status: x.status, statusText: x.statusText, data: x.data, type: x.headers.get('content-type') }),
      (e: Error & { response?: { status: number; data: unknown; headers: Headers } }) => ({ ok: false as const, error: e }),
    );
    return { r, seen: seen.slice(from).map(view) };
  };
  const viaSdk = await outcome(sdk);
  const fetchesBySdk = fetchSpy.mock.calls.length;
  const viaDirect = await outcome(direct);
  const fetchesByDirect = fetchSpy.mock.calls.length - fetchesBySdk;
  fetchSpy.mockRestore();
  return { viaSdk, viaDirect, fetchesBySdk, fetchesByDirect };
}

describe('the connector client on node:http', () => {
  it('sends what fetch sends and returns what the SDK returns, for the requests a turn and a reminder make', async () => {
    const reply = JSON.stringify({
      type: 'message',
      text: '✓ Đã lưu "Số cuộc" · câu 2/3',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: ['🙂', 'Bắc Kạn'] } }],
    });
    const configs: SdkRequestConfig[] = [
      // A reply carrying the activity's JSON text (channel.ts withWireJson), with a propagated header.
      { method: 'post', url: 'v3/conversations/a%3A1/activities/f%3A2', data: reply, headers: { 'x-ms-conversation-id': 'a:1' } },
      // The SDK's own serialisation of an object.
      { method: 'post', url: 'v3/conversations', data: { isGroup: false, members: [{ id: '29:x' }], tenantId: 't' } },
      { method: 'get', url: 'v3/conversations/a%3A1/members/29%3Ax', params: { continuationToken: 'c 1', skip: undefined } },
      { method: 'put', url: 'v3/conversations/a%3A1/activities/9', data: reply },
      { method: 'delete', url: 'v3/conversations/a%3A1/activities/9' },
    ];
    for (const config of configs) {
      const { viaSdk, viaDirect, fetchesBySdk, fetchesByDirect } = await both(config);
      expect(fetchesBySdk).toBe(1);
      expect(fetchesByDirect, config.url).toBe(0);
      expect(viaDirect.seen, config.url).toEqual(viaSdk.seen);
      expect(viaDirect.seen).toHaveLength(1);
      expect(viaDirect.r, config.url).toEqual(viaSdk.r);
      expect(viaDirect.r).toMatchObject({ ok: true, status: 200, data: { id: '1' } });
    }
  });

  it('gives a body that is not JSON as its text, an empty one as an empty text', async () => {
    answers.set('/amer/v3/text', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Đã nhận' });
    answers.set('/amer/v3/empty', { status: 201 });
    for (const url of ['v3/text', 'v3/empty']) {
      const { viaSdk, viaDirect, fetchesByDirect } = await both({ method: 'post', url, data: '{}' });
      expect(fetchesByDirect).toBe(0);
      expect(viaDirect.r).toEqual(viaSdk.r);
    }
  });

  it("a refused call is the SDK's HttpError, with the status, headers and body the sender reads", async () => {
    answers.set('/amer/v3/conversations/a/activities', {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '3' },
      body: JSON.stringify({ error: { code: 'TooManyRequests', message: 'Quá nhiều yêu cầu' } }),
    });
    answers.set('/amer/v3/conversations/b/activities', { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'BotDisabledByAdmin' } }) });
    answers.set('/amer/v3/conversations/c/activities', { status: 502, body: '<html>Bad gateway</html>' });
    for (const conv of ['a', 'b', 'c']) {
      const { viaSdk, viaDirect, fetchesByDirect } = await both({ method: 'post', url: `v3/conversations/${conv}/activities`, data: '{"type":"message"}' });
      expect(fetchesByDirect).toBe(0);
      expect(viaSdk.r.ok).toBe(false);
      expect(viaDirect.r.ok).toBe(false);
      if (viaSdk.r.ok || viaDirect.r.ok) continue;
      expect(viaDirect.r.error).toBeInstanceOf(HttpError);
      expect(viaDirect.r.error.message).toBe(viaSdk.r.error.message);
      expect(viaDirect.r.error.response?.data).toEqual(viaSdk.r.error.response?.data);
      expect(viaDirect.r.error.response?.headers.get('retry-after')).toBe(viaSdk.r.error.response?.headers.get('retry-after'));
      expect(describeFailure(viaDirect.r.error)).toEqual(describeFailure(viaSdk.r.error));
    }
    const { viaDirect } = await both({ method: 'post', url: 'v3/conversations/a/activities', data: '{}' });
    expect(!viaDirect.r.ok && describeFailure(viaDirect.r.error)).toMatchObject({ statusCode: 429, code: 'TooManyRequests', retryAfterMs: 3000 });
  });

  it('a redirect is followed as fetch follows it: the request is sent again through the SDK', async () => {
    answers.set('/amer/v3/moved', { status: 307, headers: { location: '/amer/v3/here' } });
    answers.set('/amer/v3/here', { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"moved"}' });
    const { viaSdk, viaDirect, fetchesByDirect } = await both({ method: 'post', url: 'v3/moved', data: '{"a":1}' });
    expect(fetchesByDirect).toBe(1);
    expect(viaDirect.r).toEqual(viaSdk.r);
    expect(viaDirect.r).toMatchObject({ ok: true, status: 201, data: { id: 'moved' } });
    // Asked by node:http, then by fetch (which followed the redirect).
    expect(viaDirect.seen.map((s) => `${s.method} ${s.url} ${s.body.toString()}`)).toEqual(['POST /amer/v3/moved {"a":1}', 'POST /amer/v3/moved {"a":1}', 'POST /amer/v3/here {"a":1}']);
  });

  it("leaves to the SDK's request what fetch alone sends (a form, bytes) and what is wanted as bytes or a stream", async () => {
    const configs: SdkRequestConfig[] = [
      { method: 'post', url: 'v3/form', data: new URLSearchParams({ a: 'b' }) },
      { method: 'post', url: 'v3/form2', data: { a: 'b' }, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      { method: 'post', url: 'v3/bytes', data: new Uint8Array([1, 2, 3]) },
      { method: 'get', url: 'v3/attachments/x', responseType: 'arraybuffer' },
    ];
    for (const config of configs) {
      const { viaSdk, viaDirect, fetchesByDirect } = await both(config);
      expect(fetchesByDirect, config.url).toBe(1);
      expect(viaDirect.seen).toEqual(viaSdk.seen);
    }
  });

  it('a response cut short is a network failure, as with fetch; a URL the client cannot make is a rejection, not a throw', async () => {
    answers.set('/amer/v3/cut', { status: 200, headers: { 'content-type': 'application/json', 'content-length': '1000' }, body: '{"id":', cut: true });
    const { viaSdk, viaDirect, fetchesByDirect } = await both({ method: 'post', url: 'v3/cut', data: '{}' });
    expect(fetchesByDirect).toBe(0);
    expect(viaSdk.r.ok).toBe(false);
    expect(viaDirect.r.ok).toBe(false);
    if (!viaSdk.r.ok && !viaDirect.r.ok) {
      expect(describeFailure(viaDirect.r.error).statusCode).toBeUndefined();
      expect(describeFailure(viaSdk.r.error).statusCode).toBeUndefined();
    }
    // A relative URL with no base: the SDK's client refuses it (buildUrl); a rejection from both, never a throw.
    const plain = new HttpClient({});
    const patched = new HttpClient({});
    patched.request = directRequest(patched, patched.request) as Request;
    for (const c of [plain, patched]) {
      let sent: Promise<unknown> | undefined;
      expect(() => (sent = c.request({ method: 'post', url: 'v3/x', data: '{}' }))).not.toThrow();
      await expect(sent).rejects.toThrow(/base/i);
    }
  });

  it('a connection refused is a network failure the sender retries (no status)', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const direct = new HttpClient({ baseURL: `http://127.0.0.1:${port}/`, headers: {} });
    direct.request = directRequest(direct, direct.request) as Request;
    const e = await direct.request({ method: 'post', url: 'v3/x', data: '{}' }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeDefined();
    const f = describeFailure(e);
    expect(f.statusCode).toBeUndefined();
    expect(f.code).toBe('ECONNREFUSED');
  });
});
