/**
 * How the Agents SDK's connector client reaches the Bot Connector (replies, proactive sends, member
 * lookups): through node:http and node:https over the process's keep-alive agents, not fetch.
 *
 * The SDK's HttpClient (@microsoft/agents-hosting, httpClient.js) is a small wrapper around fetch.
 * fetch runs every request through WHATWG streams, Headers objects and an abort signal of its own:
 * on this machine one 12 KB reply to a local server cost about 1 ms with it, and 0.3 ms with
 * node:http, client and server together (a dialog turn sends one). `directRequest` gives the
 * client's `request` the same contract on node:http: the URL and headers the client builds
 * (its own buildUrl and normalizeHeaders), the body as fetch would send it, the response's body
 * parsed as JSON when it is JSON (else its text), and the SDK's own HttpError for a status outside
 * 200-299, with the response's status, headers and parsed body (channels/teams/sender.ts reads
 * them: Retry-After, the error code).
 *
 * Left to the SDK's request as it was: a redirect (fetch follows it: the request is sent again
 * through fetch, the first having been answered without being served), bodies that are not text or
 * plain JSON data (forms, streams, binary), responses wanted as a stream or bytes, and a client of
 * another shape (a later SDK): then nothing changes.
 */
import { request as plainRequest, type IncomingMessage } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The request config the SDK's HttpClient takes (httpClient.d.ts, RequestConfig). */
export interface SdkRequestConfig {
  method: string;
  url: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: unknown;
  timeout?: number;
  signal?: AbortSignal;
  responseType?: string;
}

/** What the transport uses of the SDK's HttpClient. */
interface SdkHttpClient {
  defaultHeaders: Record<string, string>;
  buildUrl(path: string, params?: Record<string, unknown>): string;
  normalizeHeaders(headers?: Record<string, string>): Record<string, string>;
}

type SdkRequest = (this: unknown, config: SdkRequestConfig) => Promise<unknown>;
type HttpErrorClass = new (message: string, response: unknown, config: SdkRequestConfig) => Error;

/**
 * The SDK's HttpError class, which its connector client recognises (`instanceof`) to describe a
 * failed call. Not among the package's exports: loaded by its file, next to the package's entry,
 * which is the module instance the SDK itself loaded. Undefined if a later SDK moved it.
 */
const HttpError: HttpErrorClass | undefined = (() => {
  try {
    const require = createRequire(import.meta.url);
    const mod = require(join(dirname(require.resolve('@microsoft/agents-hosting')), 'httpClient.js')) as { HttpError?: unknown };
    return typeof mod.HttpError === 'function' ? (mod.HttpError as HttpErrorClass) : undefined;
  } catch {
    return undefined;
  }
})();

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const isPlainData = (v: unknown): boolean => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || Array.isArray(v);
};

/**
 * `client`'s request on node:http(s) (see the module comment), or `original` itself when the
 * client is not of the shape this knows.
 */
export function directRequest(client: unknown, original: SdkRequest): SdkRequest {
  const c = client as Partial<SdkHttpClient> | null;
  if (!HttpError || !c || typeof c.buildUrl !== 'function' || typeof c.normalizeHeaders !== 'function') return original;
  const http = c as SdkHttpClient;
  return function (this: unknown, config: SdkRequestConfig) {
    let prepared: Prepared | undefined;
    try {
      prepared = prepare(http, config);
    } catch (e) {
      // A URL the client cannot make (a relative one without a base): a rejection, as from the SDK's (async) request.
      return Promise.reject(e);
    }
    if (!prepared) return original.call(this, config);
    return send(prepared, config).then((r) => (r === REDIRECTED ? original.call(this, config) : r));
  };
}

/**
 * Makes a connector client's HTTP client (the SDK's `_httpClient`) send with `directRequest`;
 * `before` may change each request's config first. False when the client has no HTTP client of
 * the shape this knows (it then sends as the SDK does).
 */
export function sendDirect(connectorClient: unknown, before?: (config: SdkRequestConfig) => void): boolean {
  const http = (connectorClient as { _httpClient?: { request?: unknown } } | null)?._httpClient;
  if (!http || typeof http.request !== 'function') return false;
  const request = directRequest(http, http.request as SdkRequest);
  http.request = function (this: unknown, config: SdkRequestConfig) {
    before?.(config);
    return request.call(this, config);
  };
  return true;
}

interface Prepared {
  url: URL;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** The request as fetch would send it, or undefined when the SDK's own request should send it. */
function prepare(http: SdkHttpClient, config: SdkRequestConfig): Prepared | undefined {
  if (!config || typeof config.method !== 'string' || typeof config.url !== 'string') return undefined;
  if (config.responseType !== undefined && config.responseType !== 'json') return undefined;
  const url = new URL(http.buildUrl(config.url, config.params));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const headers: Record<string, string> = {};
  const given = http.normalizeHeaders({ ...http.defaultHeaders, ...config.headers });
  for (const k in given) if (given[k] !== undefined && given[k] !== null) headers[k] = String(given[k]);
  const data = config.data;
  let body: Buffer | undefined;
  if (data !== undefined && data !== null) {
    if ((headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return undefined;
    if (typeof data === 'string') {
      // fetch labels a text body so when the request has no content type of its own.
      headers['content-type'] ??= 'text/plain;charset=UTF-8';
      body = Buffer.from(data, 'utf8');
    } else if (isPlainData(data)) {
      headers['content-type'] ??= 'application/json';
      body = Buffer.from(JSON.stringify(data), 'utf8');
    } else return undefined;
    headers['content-length'] = String(body.length);
  }
  return { url, headers, body };
}

const REDIRECTED = Symbol('redirected');

function send({ url, headers, body }: Prepared, config: SdkRequestConfig): Promise<unknown> {
  const signal = config.signal ?? (config.timeout ? AbortSignal.timeout(config.timeout) : undefined);
  const request = url.protocol === 'https:' ? tlsRequest : plainRequest;
  return new Promise((ok, fail) => {
    const req = request(url, { method: config.method.toUpperCase(), headers, ...(signal ? { signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (REDIRECTS.has(status) && res.headers.location) return ok(REDIRECTED);
        const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
        let data: unknown;
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
        const response = responseOf(res, status, data, config);
        if (status >= 200 && status < 300) ok(response);
        else fail(new (HttpError as HttpErrorClass)(`Request failed with status ${status}`, response, config));
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** The SDK's HttpResponse; its `headers` a fetch Headers, made when first read. */
function responseOf(res: IncomingMessage, status: number, data: unknown, config: SdkRequestConfig) {
  let headers: Headers | undefined;
  return {
    data,
    status,
    statusText: res.statusMessage ?? '',
    get headers(): Headers {
      if (!headers) {
        headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const x of v) headers.append(k, x);
          else if (v !== undefined) headers.set(k, v);
        }
      }
      return headers;
    },
    config,
  };
}
