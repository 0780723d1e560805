/**
 * The server side of the dialog-turn benchmark, run as a child process (forked by bench/turns.ts
 * with an IPC channel) so the server has a process — and a core — of its own, as in production,
 * and the load generator and fake connector do not share its event loop.
 *
 *   node dist/bench/turns-server.js dondoc   the real app: startApp (config from the environment:
 *                                            DATA_DIR or MONGODB_URI, REGIME_FILE), SCHEDULER off,
 *                                            authentication off, a silent logger, a clock that runs
 *                                            at real speed from BENCH_CLOCK_START
 *   node dist/bench/turns-server.js echo     a minimal Agents SDK echo bot on the same restify 11
 *                                            stack (CloudAdapter + ActivityHandler) that stores nothing
 *   node dist/bench/turns-server.js durable  the floor: the same echo bot, but each turn first writes
 *                                            the message to a SQLite file (DATA_DIR) in one durable
 *                                            transaction (WAL, synchronous=FULL, as dondoc's store),
 *                                            and replies with the text plus an Adaptive Card padded
 *                                            to the size of dondoc's reply ({replyPad})
 *
 * The echo bots send their replies as dondoc does: the SDK's connector client over node:http
 * (channels/teams/transport.ts). With BENCH_ECHO_TRANSPORT=sdk they send through the SDK's own
 * fetch-based client instead, as the stock SDK does (a reference row of the benchmark).
 *
 * It sends {ready, port} when listening, then answers the parent's requests:
 * {codes: [unit…]} → enrolment codes (Repositories.createEnrolmentCode, as `dondoc enroll` does);
 * {usage} → its CPU time, memory and store costs; {replyPad: n} → the durable echo's card carries
 * n more characters; {stop} → stops and exits.
 */
import { ActivityHandler, CardFactory, CloudAdapter, MessageFactory, type Request, type WebResponse } from '@microsoft/agents-hosting';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import restify from 'restify';
import { startApp, type RunningApp } from '../app/app.js';
import { sendDirect } from '../channels/teams/transport.js';
import { parseEnv } from '../config/env.js';
import type { Clock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { SqliteStore, type SqliteStats } from '../store/sqlite-store.js';

export type ServerRequest = { id: number; codes: string[] } | { id: number; usage: true } | { id: number; replyPad: number } | { id: number; stop: true };
export interface Usage {
  cpuUserMs: number;
  cpuSystemMs: number;
  rss: number;
  maxRss: number;
  heapUsed: number;
  /** The embedded store's costs so far (writes, commits, time blocked in SQLite), when there is one. */
  store?: SqliteStats;
}
export type ServerReply =
  { ready: true; port: number; store: string } | { id: number; codes: string[] } | { id: number; usage: Usage } | { id: number; padded: true } | { id: number; stopped: true } | { error: string };

function send(m: ServerReply): void {
  process.send?.(m);
}

let storeStats: (() => SqliteStats) | undefined;

function usage(): Usage {
  const c = process.cpuUsage();
  const m = process.memoryUsage();
  return { cpuUserMs: c.user / 1000, cpuSystemMs: c.system / 1000, rss: m.rss, maxRss: process.resourceUsage().maxRSS * 1024, heapUsed: m.heapUsed, store: storeStats?.() };
}

/** Real-speed time starting at `start` (the benchmark's periods are open then). */
function runningClock(start: number): Clock {
  const t0 = performance.now();
  return { now: () => new Date(start + (performance.now() - t0)) };
}

async function startDondoc(): Promise<{ port: number; store: string; app: RunningApp }> {
  const parsed = parseEnv({ ...process.env, PORT: '0', HOST: '127.0.0.1', SCHEDULER: 'off', MICROSOFT_APP_ID: '', MICROSOFT_APP_PASSWORD: '' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const start = Date.parse(process.env.BENCH_CLOCK_START ?? '');
  if (!Number.isFinite(start)) throw new Error('BENCH_CLOCK_START must be an ISO instant');
  const app = await startApp(parsed.config, { clock: runningClock(start), log: silentLogger });
  const db = app.ctx.store.db;
  if (db instanceof SqliteStore) storeStats = () => db.stats();
  return { port: app.port, store: app.ctx.store.db.kind, app };
}

/** Characters added to the durable echo's card, so that its reply is as large as dondoc's. */
let replyPad = 0;

/**
 * The durable echo's store: one SQLite file set up as dondoc's (WAL, synchronous=FULL), one
 * autocommitted INSERT of the message per turn, done before the reply is sent.
 */
function echoStore(dir: string): { save: (id: string, conversation: string, text: string) => void; stats: () => SqliteStats } {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'echo.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, conversation TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO messages (id, conversation, text, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  // Each commit is one fsync of the WAL, inside the INSERT (synchronous=FULL).
  const stats: SqliteStats = { writes: 0, commits: 0, syncs: 0, blockedMs: 0 };
  return {
    save(id, conversation, text) {
      const t0 = performance.now();
      insert.run(id, conversation, text, Date.now());
      stats.blockedMs += performance.now() - t0;
      stats.writes++;
      stats.commits++;
      stats.syncs++;
    },
    stats: () => ({ ...stats }),
  };
}

/** The SDK's CloudAdapter whose connector clients send over node:http, as dondoc's (channels/teams/transport.ts). */
class DirectAdapter extends CloudAdapter {
  protected override async createConnectorClientWithIdentity(...args: Parameters<CloudAdapter['createConnectorClientWithIdentity']>) {
    const client = await super.createConnectorClientWithIdentity(...args);
    sendDirect(client);
    return client;
  }
}

async function startEcho(durable: boolean): Promise<{ port: number; server: restify.Server }> {
  const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser());
  const adapter = process.env.BENCH_ECHO_TRANSPORT === 'sdk' ? new CloudAdapter({}) : new DirectAdapter({});
  const bot = new ActivityHandler();
  const store = durable ? echoStore(process.env.DATA_DIR ?? '') : undefined;
  if (store) storeStats = store.stats;
  bot.onMessage(async (context, next) => {
    const text = context.activity.text ?? '';
    if (!store) await context.sendActivity(MessageFactory.text(text));
    else {
      store.save(context.activity.id ?? '', context.activity.conversation?.id ?? '', text);
      const card = CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(replyPad), wrap: true }] });
      await context.sendActivity(MessageFactory.attachment(card, text));
    }
    await next();
  });
  server.post('/api/messages', async (req, res) => {
    // restify's response takes the SDK's calls one by one (process() does not chain them).
    await adapter.process(req as unknown as Request, res as unknown as WebResponse, (context) => bot.run(context));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { port: server.address().port, server };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  let stop: () => Promise<void>;
  let createCode: ((unitCode: string) => Promise<string>) | undefined;
  if (mode === 'dondoc') {
    const { port, store, app } = await startDondoc();
    stop = () => app.stop();
    createCode = (unitCode) => app.ctx.store.createEnrolmentCode({ unitCode, role: 'focal', createdBy: 'bench', now: app.ctx.clock.now().getTime(), ttlMs: 86_400_000 });
    send({ ready: true, port, store });
  } else if (mode === 'echo' || mode === 'durable') {
    if (mode === 'durable' && !process.env.DATA_DIR) throw new Error('the durable echo needs DATA_DIR');
    const { port, server } = await startEcho(mode === 'durable');
    stop = () => new Promise<void>((ok) => server.close(() => ok()));
    send({ ready: true, port, store: 'none' });
  } else throw new Error(`unknown mode ${mode}`);

  process.on('message', (m: ServerRequest) => {
    void (async () => {
      if ('codes' in m) {
        if (!createCode) throw new Error('no store in this mode');
        const codes: string[] = [];
        for (const u of m.codes) codes.push(await createCode(u));
        send({ id: m.id, codes });
      } else if ('usage' in m) send({ id: m.id, usage: usage() });
      else if ('replyPad' in m) {
        replyPad = Math.max(0, Math.round(m.replyPad));
        send({ id: m.id, padded: true });
      } else if ('stop' in m) {
        await stop();
        send({ id: m.id, stopped: true });
        process.disconnect?.();
      }
    })().catch((e) => send({ error: String((e as Error)?.stack ?? e) }));
  });
}

main().catch((e) => {
  send({ error: String((e as Error)?.stack ?? e) });
  process.exitCode = 1;
});
