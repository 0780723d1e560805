/**
 * The bodies of routes mounted by app/server.ts mountRoutes, as a client sends them: an ordinary
 * JSON or form body (declared length) read by readOrdinaryBody, and the others (chunked, gzip,
 * empty, oversize, not JSON) by restify's reader, the route's handler seeing the same in each case.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, listen, mountRoutes, type Server } from '../../app/server.js';
import type { HttpRoute } from '../../core/channel.js';
import type { AppContext } from '../../core/context.js';
import { silentLogger } from '../../lib/log.js';

const MAX = 4096;
const echo = (path: string, kind: 'json' | 'form'): HttpRoute => ({
  method: 'POST',
  path,
  body: { kind, maxBytes: MAX },
  async handler(req, res) {
    res.send(200, { body: req.body ?? null });
  },
});

/** POSTs `chunks` (written one by one; no declared length when `chunked`) and reads the answer. */
function post(port: number, path: string, chunks: Buffer[], headers: Record<string, string | number>, chunked = false): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: chunked ? headers : { ...headers, 'content-length': length } }, (res) => {
      const got: Buffer[] = [];
      res.on('data', (c: Buffer) => got.push(c));
      res.on('end', () => {
        const text = Buffer.concat(got).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
      });
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('route bodies', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer({ log: silentLogger } as unknown as AppContext);
    mountRoutes(server, [echo('/json', 'json'), echo('/form', 'form')]);
    ({ port } = await listen(server, 0, '127.0.0.1'));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const value = { text: 'Số văn bản đã ban hành: 12 — “đủ”', n: [1, 2.5, -3], ok: true };
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

  it('parses a JSON body of declared length, however it is cut into packets (a character split between two)', async () => {
    const at = json.indexOf(Buffer.from('ă', 'utf8')) + 1;
    expect(await post(port, '/json', [json], JSON_TYPE)).toEqual({ status: 200, body: { body: value } });
    expect(await post(port, '/json', [json.subarray(0, at), json.subarray(at)], JSON_TYPE)).toEqual({ status: 200, body: { body: value } });
  });

  it('parses a chunked body and a gzip one, as restify reads them', async () => {
    expect(await post(port, '/json', [json.subarray(0, 10), json.subarray(10)], JSON_TYPE, true)).toEqual({ status: 200, body: { body: value } });
    expect(await post(port, '/json', [gzipSync(json)], { ...JSON_TYPE, 'content-encoding': 'gzip' })).toEqual({ status: 200, body: { body: value } });
  });

  it('refuses a body that is not JSON (400) and one declared over the limit (413), and passes on text of another type and an empty body', async () => {
    const bad = await post(port, '/json', [Buffer.from('{"a":')], JSON_TYPE);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/Invalid JSON/);
    expect((await post(port, '/json', [Buffer.alloc(MAX + 1, 32)], JSON_TYPE)).status).toBe(413);
    expect(await post(port, '/json', [Buffer.from('chào')], { 'content-type': 'text/plain' })).toEqual({ status: 200, body: { body: 'chào' } });
    expect(await post(port, '/json', [], JSON_TYPE)).toEqual({ status: 200, body: { body: null } });
  });

  it('parses a URL-encoded form of declared length', async () => {
    const form = Buffer.from(`name=${encodeURIComponent('Nguyễn Văn A')}&unit=BHXH&unit=UBND`);
    expect(await post(port, '/form', [form], { 'content-type': 'application/x-www-form-urlencoded' })).toEqual({ status: 200, body: { body: { name: 'Nguyễn Văn A', unit: ['BHXH', 'UBND'] } } });
  });
});
