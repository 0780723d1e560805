/**
 * The HTTP server (restify 11). Routes: /healthz here; channel and admin routes are registered
 * by their own modules. Every route that reads a body sets its own size limit; the server sets
 * request and header timeouts.
 */
import restify from 'restify';
import type { AppContext } from '../core/context.js';

export type Server = restify.Server;

/** Set by jobs that detect a degraded dependency (e.g. Zalo token refresh failing). */
export interface HealthProbe {
  name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

export function createServer(ctx: AppContext, probes: HealthProbe[] = []): Server {
  const server = restify.createServer({ name: 'dondoc', handleUncaughtExceptions: false });
  server.server.requestTimeout = 30_000;
  server.server.headersTimeout = 10_000;
  server.server.keepAliveTimeout = 5_000;

  server.get('/healthz', async (_req, res) => {
    let storeOk = true;
    try {
      await ctx.store.db.ping();
    } catch {
      storeOk = false;
    }
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    for (const p of probes) {
      try {
        checks[p.name] = await p.check();
      } catch (e) {
        checks[p.name] = { ok: false, detail: (e as Error).message };
      }
    }
    const degraded = Object.values(checks).some((c) => !c.ok);
    res.status(storeOk ? 200 : 503);
    res.json({
      status: !storeOk ? 'unavailable' : degraded ? 'degraded' : 'ok',
      store: { kind: ctx.store.db.kind, ok: storeOk },
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
