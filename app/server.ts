/**
 * The HTTP server (restify 11): the only module that knows restify. Routes: /healthz here; the
 * web console's routes (web/routes.ts) and the channels' routes (core/channel.ts `HttpRoute`) are mounted by `mountRoutes`, the admin routes
 * by app/admin-routes.ts. Every route that reads a body sets its own size limit; the server sets
 * request and header timeouts.
 */
import { createRequire } from 'node:module';
import type restify from 'restify';
import type { HealthCheck, HealthProbe, HttpRoute } from '../core/channel.js';
import type { AppContext } from '../core/context.js';

/**
 * restify's own modules, as its index (restify/lib/index.js) assembles them, without the index:
 * the index also loads every one of its 30 plugins (multipart parsing, HTTP signatures, static
 * files, throttling…), some 250 ms of the server's start-up here for the two body parsers used
 * (issue 15). Resolved from restify's folder, so its own pino is the one its server logs with.
 * `restifyServer` does what restify's `createServer` does with the options given below.
 */
const fromRestify = createRequire(createRequire(import.meta.url).resolve('restify'));
const RestifyServer = fromRestify('./server') as new (opts: object) => restify.Server;
const RestifyRouter = fromRestify('./router') as new (opts: object) => object;
const restifyLogger = fromRestify('pino') as (opts: { name: string }) => object;
const jsonBodyParser = fromRestify('./plugins/jsonBodyParser') as typeof restify.plugins.jsonBodyParser;
const urlEncodedBodyParser = fromRestify('./plugins/formBodyParser') as typeof restify.plugins.urlEncodedBodyParser;

function restifyServer(options: { name: string; handleUncaughtExceptions: false }): restify.Server {
  const opts = { ...options, log: restifyLogger({ name: options.name }) };
  return new RestifyServer({ ...opts, router: new RestifyRouter(opts) });
}

export type Server = restify.Server;
export type { HealthProbe };

/** /healthz writes to the store at most this often; in between it reports the last write's result. */
export const WRITE_PROBE_EVERY_MS = 5_000;

export function createServer(ctx: AppContext, probes: HealthProbe[] = []): Server {
  const server = restifyServer({ name: 'dondoc', handleUncaughtExceptions: false });
  server.server.requestTimeout = 30_000;
  server.server.headersTimeout = 10_000;
  server.server.keepAliveTimeout = 5_000;

  // The last write probe: a store that answers reads but cannot write (disk full, read-only)
  // makes /healthz "degraded" with 503, the reason in `store.write`.
  let lastWrite: { at: number; error?: string } | undefined;
  const writeProbe = async (): Promise<string | undefined> => {
    const now = ctx.clock.now().getTime();
    if (lastWrite && now >= lastWrite.at && now - lastWrite.at < WRITE_PROBE_EVERY_MS) return lastWrite.error;
    let error: string | undefined;
    try {
      await ctx.store.probeWrite(now);
    } catch (e) {
      error = ((e as Error).message || String(e)).slice(0, 300);
      ctx.log.warn({ err: { message: error } }, 'healthz: the store refused a write');
    }
    lastWrite = { at: now, error };
    return error;
  };

  server.get('/healthz', async (_req, res) => {
    let storeOk = true;
    try {
      await ctx.store.db.ping();
    } catch {
      storeOk = false;
    }
    const writeError = storeOk ? await writeProbe() : undefined;
    const checks: Record<string, HealthCheck> = {};
    for (const p of probes) {
      try {
        checks[p.name] = await p.check();
      } catch (e) {
        checks[p.name] = { ok: false, detail: (e as Error).message };
      }
    }
    const degraded = writeError !== undefined || Object.values(checks).some((c) => !c.ok);
    res.status(storeOk && writeError === undefined ? 200 : 503);
    res.json({
      status: !storeOk ? 'unavailable' : degraded ? 'degraded' : 'ok',
      store: { kind: ctx.store.db.kind, ok: storeOk && writeError === undefined, ...(storeOk ? { write: writeError ?? 'ok' } : {}) },
      version: ctx.version,
      ...(probes.length ? { checks } : {}),
    });
  });

  server.on('restifyError', (req, res, err, cb) => {
    ctx.log.warn({ path: req.path(), status: err.statusCode }, 'request error');
    return cb();
  });
  return server;
}

/**
 * The content types whose body restify's reader reads and keeps as text (bodyReader.js: a missing
 * type is application/octet-stream, which it does not read, nor multipart/form-data).
 */
const restifyReadsAsText = (type: string): boolean => type === 'application/json' || type === 'application/x-www-form-urlencoded' || type.startsWith('text/');

type Next = (err?: unknown) => void;

/** Runs restify handlers one after the other within one step of restify's chain (each step of which is a tick and a timer). */
function inSequence(handlers: readonly restify.RequestHandler[], req: restify.Request, res: restify.Response, next: Next): void {
  let i = 0;
  const step: Next = (err) => {
    if (err === false || err) return next(err);
    const h = handlers[i++];
    if (!h) return next();
    h(req, res, step as restify.Next);
  };
  step();
}

/**
 * A route's body, read and parsed by `parsers` (restify's body reader, then its parser) in one
 * step. A body declared larger than the limit is refused before a byte of it is read (restify's
 * body reader would read, and discard, all of it first); bodies without a declared length are cut
 * off by the reader's own limit. An ordinary body (a declared length within the limit, as text,
 * neither compressed nor with a Content-MD5) is read here as restify's reader would read it and
 * handed to the parser: restify's reader starts every body with `new Buffer(0)`, the deprecated
 * constructor, for each of whose first 10,000 calls Node walks the stack to see whether it was
 * called from node_modules (some 0.03-0.06 ms of a Teams turn). Any other body (chunked,
 * compressed, empty…) is restify's reader's to read.
 */
function bodyOf(maxBytes: number, parsers: readonly restify.RequestHandler[]): restify.RequestHandler {
  // restify's body parsers are its reader then its parser (none given a reader of its own).
  const parse = parsers.slice(1);
  return (req, res, next) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.header('Connection', 'close');
      res.send(413, { error: { code: 'PayloadTooLarge', message: `Request body size exceeds ${maxBytes}` } });
      next(false);
      return;
    }
    const r = req as restify.Request & { _readBody?: boolean };
    if (r._readBody || !(declared > 0) || req.headers['content-encoding'] !== undefined || req.headers['content-md5'] !== undefined || !restifyReadsAsText(req.contentType()))
      return inSequence(parsers, req, res, next);
    // As restify's reader, which then passes over a body marked read.
    r._readBody = true;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error | false) => {
      if (done) return;
      done = true;
      if (err !== undefined) return next(err);
      req.body = Buffer.concat(chunks, size).toString('utf8');
      inSequence(parse, req, res, next);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    });
    req.once('end', () => finish());
    req.once('error', (e: Error) => finish(e));
    // A request cut off before its end: nothing to answer.
    req.once('aborted', () => finish(false));
    res.once('close', () => finish(false));
    req.resume();
  };
}

/** Mounts a channel's routes: JSON bodies parsed under the route's limit; raw bodies left to the handler. */
export function mountRoutes(server: Server, routes: readonly HttpRoute[]): void {
  for (const r of routes) {
    const body: restify.RequestHandler[] =
      r.body.kind === 'json'
        ? [bodyOf(r.body.maxBytes, jsonBodyParser({ maxBodySize: r.body.maxBytes } as restify.plugins.JsonBodyParserOptions))]
        : r.body.kind === 'form'
          ? [bodyOf(r.body.maxBytes, urlEncodedBodyParser({ maxBodySize: r.body.maxBytes, mapParams: false } as restify.plugins.UrlEncodedBodyParserOptions) as unknown as restify.RequestHandler[])]
          : [];
    const handler = async (req: restify.Request, res: restify.Response): Promise<void> => r.handler(req, res);
    if (r.method === 'GET') server.get(r.path, ...body, handler);
    else server.post(r.path, ...body, handler);
  }
}

export function listen(server: Server, port: number, host: string): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      const addr = server.address();
      resolve({ port: addr.port });
    });
  });
}
