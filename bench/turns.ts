/**
 * Dialog turns over `POST /api/messages` (Teams activities, authentication off, replies to a local
 * fake Bot Connector), at 1, 10 and 100 concurrent users, for:
 *
 * - dondoc on the embedded store (SQLite) and on a MongoDB-protocol server (a private FerretDB 1.24
 *   on its PostgreSQL backend, bench/ferret-pg.ts),
 *   each official enrolled beforehand (Repositories.createEnrolmentCode + `đăng ký MÃ`) and the
 *   report opened (`báo cáo MÃ-ĐƠN-VỊ 2027-H1`); a measured turn types the answer to the
 *   question being asked, and the bot saves it and shows the next question's card;
 * - the floor: a durable echo bot, the minimal Agents SDK echo bot on the same restify 11 stack
 *   that first writes the message to SQLite in one durable transaction (WAL, synchronous=FULL, as
 *   dondoc's store) and replies with the text and a card as large as dondoc's reply, through the
 *   SDK's connector client sent over node:http as dondoc's are (channels/teams/transport.ts);
 * - a second reference: the same echo bot storing nothing and replying with the text alone;
 * - a third: the durable echo replying through the SDK's own fetch-based client (the stock SDK).
 *
 * Each server runs in a child process of its own (bench/turns-server.ts); this process is the
 * Teams service (HTTP client) and the Bot Connector (fake) at once. A turn starts when the
 * activity is posted and is complete when the last reply of the turn reaches the connector
 * (the SDK sends a turn's replies before answering the POST; the POST's 200 is awaited too
 * before the user's next turn). Users answer without think time (closed loop). Each user has a
 * unit of their own (simulated districts with the real districts' duties), so users never edit
 * the same draft. Turn counts are bounded (BUDGET, FERRET_BUDGET) to keep the run to minutes.
 *
 * Environment: BENCH_MONGODB_URI measures that MongoDB instead of a private FerretDB;
 * BENCH_SCALE (default 1) multiplies the turn counts (e.g. 0.1 for a quick check);
 * BENCH_TURNS_REPEATS (default 5) sets how many times each level of the floors and the embedded store runs;
 * BENCH_TURNS_WARMUP (default 2000) sets the warm-up turns of the floors and the embedded store;
 * BENCH_TURNS_MONGO=off leaves out the MongoDB rows (while developing); BENCH_PROFILE_DIR=dir
 * writes a CPU profile of each server there (node --cpu-prof; a folder per server: dondoc, durable,
 * echo, durable-sdk); BENCH_TURNS_LEVELS=1 (or 10,100, …) runs only those levels (while developing).
 * BENCH_FERRET_BACKEND=sqlite runs FerretDB on its SQLite backend instead of PostgreSQL.
 * BENCH_TURNS_COMPARE=<another checkout, built> adds that checkout's dondoc as one more server, its
 * levels alternating with the others' (an A/B of two builds in one run, while developing).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../lib/paths.js';
import { buildForm, type FormDefinition, type FormQuestion } from '../regime/regime.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { defaultAnswer } from '../test/helpers/answers.js';
import { startFakeBotConnector, type FakeBotConnector } from '../test/helpers/fake-bot-connector.js';
import { startFerret } from '../test/helpers/ferret.js';
import { startFerretPg } from './ferret-pg.js';
import { activityText, asUser, cardInputs, cardOf, nextActivityId, teamsFixture, teamsUser, type TeamsUser } from '../test/helpers/teams-fixtures.js';
import { regimeWithDistricts, simulatedDistrict, writeRegime } from './bench-regime.js';
import { fmt, mib, percentile, procCpuMs, startScriptFlags, table, type BenchSection } from './lib.js';
import type { SqliteStats } from '../store/sqlite-store.js';
import type { ServerReply, ServerRequest, Usage } from './turns-server.js';

const DURABLE = 'durable echo bot (floor)';
const PLAIN = 'plain echo bot (stores nothing)';
/** The floor as the stock SDK sends its replies (fetch), before dondoc sent its own over node:http. */
const STOCK = "durable echo bot, replies through the SDK's fetch client (reference)";

const PERIOD = '2027-H1';
/** The benchmark's time: 2027-H1 is open, before its deadline. */
const CLOCK_START = '2027-06-16T09:00:00+07:00';
/** BENCH_TURNS_LEVELS (e.g. `1` or `10,100`) runs only some of the levels, while developing. */
const CONCURRENCY = levels(process.env.BENCH_TURNS_LEVELS);
function levels(v: string | undefined): number[] {
  const all = [1, 10, 100];
  if (!v) return all;
  const picked = v.split(',').map(Number);
  if (!picked.length || picked.some((c) => !all.includes(c))) throw new Error(`BENCH_TURNS_LEVELS: a comma-separated subset of ${all.join(',')}`);
  return picked;
}
/** Measured turns per concurrency level (the same for every server). */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);

/** Measured turns per concurrency level, and warm-up turns (not measured), for one server. */
interface Budget {
  turns: Record<number, number>;
  warmup: number;
}
const scaled = (b: Budget): Budget => ({
  turns: Object.fromEntries(Object.entries(b.turns).map(([c, n]) => [c, Math.max(1, Math.round(n * SCALE))])),
  warmup: Math.max(1, Math.round(b.warmup * SCALE)),
});
/**
 * The warm-up is long enough for V8 to have optimised every server's hot paths before the first
 * level: with 200 turns, dondoc (far more code than the echo bots) still paid for compilation on
 * V8's background threads during the 1-user level, which measured start-up rather than turns
 * (measured: 8.2 ms of CPU per turn at 1 user after 200 warm-up turns, 4.3 ms after 3,000).
 */
const WARMUP = Number(process.env.BENCH_TURNS_WARMUP ?? 2000);
const BUDGET = scaled({ turns: { 1: 300, 10: 1000, 100: 2000 }, warmup: WARMUP });
/** FerretDB (SQLite backend) serves a few turns a second: fewer turns, or this part alone would take half an hour. */
const FERRET_BUDGET = scaled({ turns: { 1: 100, 10: 200, 100: 200 }, warmup: 50 });
/**
 * Levels of the floors and the embedded store are run this many times (alternating); the median run
 * is reported. Five, not three: on this 2-core VM one run of a level moved by up to ±40 %, and the
 * floor's runs as much as dondoc's, so the median of three still swung the ratio by 10-20 points.
 */
const REPEATS = Math.max(1, Number(process.env.BENCH_TURNS_REPEATS ?? 5));
/** A level stops starting turns after this long (a server that cannot keep up would take hours). */
const LEVEL_MAX_MS = 60_000;
/** How long a turn whose POST failed may still wait for its reply. */
const LATE_REPLY_MS = 60_000;
const SETUP_PARALLEL = 10;

// ------------------------------------------------------------------------------------------------
// the server child

interface ServerHandle {
  url: string;
  store: string;
  ask<T extends ServerReply>(req: Omit<ServerRequest, 'id'>): Promise<T>;
  stop(): Promise<void>;
}

async function startServer(mode: 'dondoc' | 'echo' | 'durable', env: Record<string, string> = {}, root = projectRoot): Promise<ServerHandle> {
  const profile = process.env.BENCH_PROFILE_DIR;
  const child: ChildProcess = fork(join(root, 'dist', 'bench', 'turns-server.js'), [mode], {
    env: { ...process.env, ...env, BENCH_CLOCK_START: CLOCK_START },
    // Only these flags: the parent's own execArgv may hold `-e <script>`, which fork leaves out of its default but would run again here.
    // dondoc runs with the node flags of `npm start` (its young generation capped as in production); the floors with none.
    execArgv: [...(mode === 'dondoc' ? startScriptFlags() : []), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}/${mode}${env.BENCH_ECHO_TRANSPORT === 'sdk' ? '-sdk' : ''}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map<number, { ok: (m: ServerReply) => void; fail: (e: Error) => void }>();
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.fail(e);
    waiting.clear();
  };
  const ready = new Promise<{ port: number; store: string }>((ok, fail) => {
    child.on('message', (m: ServerReply) => {
      if ('error' in m) {
        fail(new Error(`bench server: ${m.error}`));
        return failAll(new Error(`bench server: ${m.error}`));
      }
      if ('ready' in m) return ok(m);
      if ('id' in m) waiting.get(m.id)?.ok(m);
    });
    child.once('exit', (code) => {
      fail(new Error(`bench server exited (${code})`));
      failAll(new Error(`bench server exited (${code})`));
    });
  });
  const { port, store } = await ready;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    ask<T extends ServerReply>(req: Omit<ServerRequest, 'id'>) {
      const id = ++seq;
      return new Promise<T>((ok, fail) => {
        waiting.set(id, {
          ok: (m) => {
            waiting.delete(id);
            ok(m as T);
          },
          fail,
        });
        child.send({ ...req, id });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((ok) => child.once('exit', ok));
      child.send({ id: ++seq, stop: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ------------------------------------------------------------------------------------------------
// the client: simulated officials

interface Waiter {
  last: number;
  bodies: any[];
  /** Bytes of the bodies as the connector received them. */
  bytes: number;
}

class Client {
  readonly waiting = new Map<string, Waiter>();
  /** Conversations whose turn got no reply in time; a reply arriving later is counted. */
  readonly overdue = new Set<string>();
  lateReplies = 0;
  constructor(
    readonly connector: FakeBotConnector,
    readonly url: string,
  ) {}

  /**
   * POST /api/messages over a keep-alive agent with a connection per user (Node's fetch pools
   * connections in a way that added seconds to a few turns at 100 users).
   */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  post(activity: unknown): Promise<{ status: number }> {
    return this.send('POST', JSON.stringify(activity));
  }

  private send(method: 'GET' | 'POST', body?: string, retried = false): Promise<{ status: number }> {
    const u = new URL('/api/messages', this.url);
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    return new Promise((ok, fail) => {
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method, agent: this.agent, headers }, (res) => {
        res.resume();
        res.once('end', () => ok({ status: res.statusCode ?? 0 }));
      });
      req.once('error', (e: NodeJS.ErrnoException) => {
        // An idle keep-alive connection the server closed as we reused it: the request never got
        // there; send it again once (a redelivered activity is a no-op for dondoc anyway).
        if (!retried && req.reusedSocket && e.code === 'ECONNRESET') this.send(method, body, true).then(ok, fail);
        else fail(e);
      });
      req.end(body);
    });
  }

  /**
   * Opens `n` connections to the server before a level (a GET the route refuses), as a Teams
   * service that keeps its connections would have them: a burst of new connections while the
   * server is busy otherwise leaves some waiting seconds to be accepted.
   */
  async preconnect(n: number): Promise<void> {
    await Promise.all(Array.from({ length: n }, () => this.send('GET')));
  }

  /**
   * Empties the fake connector's record of requests before a level: the harness reads the replies
   * as they arrive (onRequest), and a record of every reply of the run (tens of thousands of 6 KB
   * bodies, parsed) made the harness's heap, and its garbage collection, grow all through the run.
   */
  forget(): void {
    this.connector.clear();
  }

  close(): void {
    this.agent.destroy();
  }

  /** Posts one message and waits for the POST's answer; returns the replies, when the last arrived, and their size (bytes of JSON as received). */
  async say(template: Record<string, any>, text: string): Promise<{ t0: number; lastReply: number; replies: any[]; status: number; bytes: number }> {
    const conv: string = template.conversation.id;
    const w: Waiter = { last: 0, bodies: [], bytes: 0 };
    this.waiting.set(conv, w);
    const t0 = performance.now();
    const r = await this.post({ ...template, id: nextActivityId(), text });
    // A POST answered before its reply was sent (503 past the route's timeout): the turn goes on in
    // the server, and is complete when its reply arrives.
    const until = performance.now() + LATE_REPLY_MS;
    while (!w.bodies.length && performance.now() < until) await new Promise((ok) => setTimeout(ok, 10));
    this.waiting.delete(conv);
    if (!w.bodies.length) this.overdue.add(conv);
    return { t0, lastReply: w.last, replies: w.bodies, status: r.status, bytes: w.bytes };
  }

  onRequest = (rec: { op: string; status: number; conversationId?: string; body?: any; bodyBytes: number }) => {
    if ((rec.op !== 'reply' && rec.op !== 'send') || rec.status >= 300 || !rec.conversationId) return;
    const w = this.waiting.get(rec.conversationId);
    if (!w) {
      if (this.overdue.delete(rec.conversationId)) this.lateReplies++;
      return;
    }
    w.last = performance.now();
    w.bodies.push(rec.body);
    w.bytes += rec.bodyBytes;
  };
}

/** A simulated official: a Teams user with the message template, the unit, and the question being asked. */
interface Official {
  user: TeamsUser;
  template: Record<string, any>;
  unitCode: string;
  form?: FormDefinition;
  asked?: FormQuestion;
}

/** A form's questions by key, made once per form: the simulated official's reading of a reply is not the server's work (at 1 user it is on the turn's path). */
const questionsOf = new WeakMap<FormDefinition, Map<string, FormQuestion>>();

/** The question a dondoc reply asks: the first input left empty on the section card(s). */
function askedBy(form: FormDefinition, replies: any[]): FormQuestion | undefined {
  let questions = questionsOf.get(form);
  if (!questions) questionsOf.set(form, (questions = new Map(form.sections.flatMap((s) => s.questions.map((q) => [q.key, q] as const)))));
  for (const r of replies) {
    const card = cardOf(r);
    if (!card) continue;
    for (const [id, input] of Object.entries(cardInputs(card))) {
      if (input.value !== undefined && input.value !== '') continue;
      const q = questions.get(id.slice(2));
      if (q) return q;
    }
  }
  return undefined;
}

interface Sample {
  latency: number;
  /** Size of the turn's replies as the connector received them (bytes of JSON). */
  bytes: number;
}

interface LevelResult {
  concurrency: number;
  /** Stopped at LEVEL_MAX_MS before all its turns were started. */
  cutShort: boolean;
  /** Some user slot ran out of prepared users (fewer turns than planned). */
  starved: boolean;
  turns: number;
  wallMs: number;
  latencies: number[];
  /** Turns whose reply was not the expected one (dondoc: not "✓ Đã lưu"; echo: not the text). */
  unexpected: number;
  /** POSTs not answered 200 (e.g. 503 past the route timeout). */
  errors: number;
  /** Turns whose reply never came (within LATE_REPLY_MS). */
  lost: number;
  /** Of those, replies that arrived later (within a further LATE_REPLY_MS after the level). */
  lateReplies: number;
  /** Lowest and highest turns/s over the repeated runs of this level (this result is the median one). */
  tpsRange?: [number, number];
  /** The machine's 1-minute load average when the level started. */
  loadAvg: number;
  serverCpuMs: number;
  /** The server's embedded store over the level (writes, commits, wall time blocked in SQLite), when it has one. */
  store?: SqliteStats;
  /** Mean size of a turn's replies (bytes of JSON at the connector). */
  replyBytes: number;
  /** FerretDB's CPU time, when it is the store. */
  storeCpuMs?: number;
  clientCpuMs: number;
  serverRss: number;
}

interface Target {
  name: string;
  server: ServerHandle;
  client: Client;
  /** The store server's process (FerretDB), if any. */
  storePid?: number;
  /** Prepares `n` users ready to take turns. */
  prepare(n: number): Promise<Official[]>;
  /** One measured turn; false when the user has nothing more to answer. */
  turn(o: Official, samples: Sample[], counts: { unexpected: number; errors: number; lost: number }): Promise<boolean>;
}

async function inParallel<T>(items: T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await f(items[i++]);
    }),
  );
}

function dondocTarget(name: string, server: ServerHandle, client: Client, connector: FakeBotConnector, regime: ReportRegime, nextUnit: () => string): Target {
  return {
    name,
    server,
    client,
    async prepare(n) {
      const people: Official[] = Array.from({ length: n }, () => {
        const user = teamsUser('Cán bộ mô phỏng');
        return { user, template: asUser(teamsFixture('message-personal', connector.serviceUrl), user), unitCode: nextUnit() };
      });
      const { codes } = await server.ask<{ id: number; codes: string[] }>({ codes: people.map((p) => p.unitCode) });
      await inParallel(people, SETUP_PARALLEL, async (p) => {
        const code = codes[people.indexOf(p)];
        const r1 = await client.say(p.template, `đăng ký ${code}`);
        if (!r1.replies.map(activityText).join('\n').includes('Đăng ký thành công')) throw new Error(`enrolment refused: ${r1.replies.map(activityText).join(' | ')}`);
        const r2 = await client.say(p.template, `báo cáo ${p.unitCode} ${PERIOD}`);
        p.form = buildForm(regime, p.unitCode, 'H1') as FormDefinition;
        p.asked = askedBy(p.form, r2.replies);
        if (!p.asked) throw new Error(`report did not open: ${r2.replies.map(activityText).join(' | ')}`);
      });
      return people;
    },
    async turn(p, samples, counts) {
      if (!p.asked || !p.form) return false;
      const q = p.asked;
      const r = await client.say(p.template, defaultAnswer(regime, q).input);
      if (r.status !== 200) counts.errors++;
      if (!r.replies.length) {
        counts.lost++;
        p.asked = undefined;
        return false;
      }
      samples.push({ latency: r.lastReply - r.t0, bytes: r.bytes });
      // The acknowledgement is the first reply's text; the cards' text is read only when it is not (the same verdict, without walking the card every turn).
      const acknowledges = (t: string) => t.startsWith('✓ Đã lưu') && t.includes(q.label);
      const head = activityText({ text: r.replies[0]?.text });
      const text = acknowledges(head) ? head : r.replies.map(activityText).join('\n');
      if (!acknowledges(text)) {
        counts.unexpected++;
        if (counts.unexpected <= 3) process.stderr.write(`    unexpected reply to "${defaultAnswer(regime, q).input}" (${q.key}): ${text.slice(0, 200).replace(/\n/g, ' / ')}\n`);
      }
      // An apology ("Xin lỗi, đã có lỗi…"): the person types the same answer again next turn.
      p.asked = askedBy(p.form, r.replies) ?? (text.startsWith('✓ Đã lưu') ? undefined : q);
      return true;
    },
  };
}

function echoTarget(name: string, server: ServerHandle, client: Client, connector: FakeBotConnector): Target {
  const texts = ['Đang thực hiện', '1.234', '45,5%', '01/06/2027', 'Nội dung cho d1/ket_qua'];
  return {
    name,
    server,
    client,
    async prepare(n) {
      return Array.from({ length: n }, () => {
        const user = teamsUser('Cán bộ mô phỏng');
        return { user, template: asUser(teamsFixture('message-personal', connector.serviceUrl), user), unitCode: '' };
      });
    },
    async turn(p, samples, counts) {
      const text = texts[samples.length % texts.length];
      const r = await client.say(p.template, text);
      if (r.status !== 200) counts.errors++;
      if (!r.replies.length) {
        counts.lost++;
        return false;
      }
      samples.push({ latency: r.lastReply - r.t0, bytes: r.bytes });
      if (r.replies[0]?.text !== text) counts.unexpected++;
      return true;
    },
  };
}

/** `turns` turns by `concurrency` users at once; a user who has finished their report is replaced by a fresh one. */
async function level(t: Target, concurrency: number, turns: number, pool: Official[]): Promise<LevelResult> {
  const samples: Sample[] = [];
  const counts = { unexpected: 0, errors: 0, lost: 0 };
  let started = 0;
  let starved = false;
  const loadAvg = loadavg()[0];
  const before = await t.server.ask<{ id: number; usage: Usage }>({ usage: true });
  const cpu0 = process.cpuUsage();
  const store0 = t.storePid ? procCpuMs(t.storePid) : 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      let p = pool.shift();
      while (p && started < turns && performance.now() - t0 < LEVEL_MAX_MS) {
        started++;
        if (!(await t.turn(p, samples, counts))) {
          started--;
          p = pool.shift();
        }
      }
      if (!p) starved = true;
    }),
  );
  const wallMs = performance.now() - t0;
  // Replies that did not come in time may still come: give them a while, and count them.
  const late0 = t.client.lateReplies;
  for (const until = performance.now() + LATE_REPLY_MS; t.client.overdue.size && performance.now() < until;) await new Promise((ok) => setTimeout(ok, 100));
  const lateReplies = t.client.lateReplies - late0;
  t.client.overdue.clear();
  const cpu = process.cpuUsage(cpu0);
  const storeCpuMs = t.storePid ? procCpuMs(t.storePid) - store0 : undefined;
  const after = await t.server.ask<{ id: number; usage: Usage }>({ usage: true });
  return {
    concurrency,
    cutShort: started < turns && performance.now() - t0 >= LEVEL_MAX_MS,
    starved,
    turns: samples.length,
    wallMs,
    latencies: samples.map((s) => s.latency).sort((a, b) => a - b),
    unexpected: counts.unexpected,
    errors: counts.errors,
    lost: counts.lost,
    lateReplies,
    loadAvg,
    serverCpuMs: after.usage.cpuUserMs + after.usage.cpuSystemMs - before.usage.cpuUserMs - before.usage.cpuSystemMs,
    store:
      after.usage.store && before.usage.store
        ? {
            writes: after.usage.store.writes - before.usage.store.writes,
            commits: after.usage.store.commits - before.usage.store.commits,
            syncs: after.usage.store.syncs - before.usage.store.syncs,
            blockedMs: after.usage.store.blockedMs - before.usage.store.blockedMs,
          }
        : undefined,
    replyBytes: samples.reduce((n, s) => n + s.bytes, 0) / Math.max(1, samples.length),
    storeCpuMs,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    serverRss: after.usage.maxRss,
  };
}

/**
 * Users a level needs: each answers at most one report's questions (a district's H1 asks ≈ 40; 30
 * assumed), plus spares for users who stop (a reply that never came).
 */
const usersFor = (concurrency: number, turns: number) => concurrency * Math.ceil(turns / concurrency / 30) + 2 + Math.ceil(concurrency / 10);

/**
 * Warm-up, then each concurrency level; with several targets the levels alternate between them
 * (target A at 1 user, B at 1 user, A at 10…), so that a change in the machine's load during the
 * run (it is shared) falls on both rather than on one.
 */
async function measure(targets: Array<{ t: Target; budget: Budget }>, repeats = 1, afterWarmUp?: (warm: LevelResult[]) => Promise<void>): Promise<LevelResult[][]> {
  const warmed: LevelResult[] = [];
  for (const { t, budget } of targets) {
    process.stderr.write(`  ${t.name}: warm-up…\n`);
    const warm = await t.prepare(usersFor(10, budget.warmup));
    t.client.forget();
    await t.client.preconnect(10);
    warmed.push(await level(t, 10, budget.warmup, warm));
  }
  await afterWarmUp?.(warmed);
  const out: LevelResult[][] = targets.map(() => []);
  for (const c of CONCURRENCY) {
    const runs: LevelResult[][] = targets.map(() => []);
    for (let k = 0; k < repeats; k++)
      for (const [i, { t, budget }] of targets.entries()) {
        const pool = await t.prepare(usersFor(c, budget.turns[c]));
        t.client.forget();
        await t.client.preconnect(c);
        process.stderr.write(`  ${t.name}: ${c} concurrent user(s), ${budget.turns[c]} turns${repeats > 1 ? ` (run ${k + 1}/${repeats})` : ''}…\n`);
        const r = await level(t, c, budget.turns[c], pool);
        runs[i].push(r);
        process.stderr.write(
          `    ${r.storeCpuMs !== undefined ? `FerretDB CPU ${fmt(r.storeCpuMs / r.turns, 1)} ms/turn; ` : ''}${r.store ? `SQLite ${fmt(r.store.commits / r.turns, 2)} commits/turn, ${fmt(r.store.blockedMs / r.turns, 2)} ms/turn blocked; ` : ''}server CPU ${fmt(r.serverCpuMs / r.turns, 2)} ms/turn; reply ${fmt(r.replyBytes, 0)} B; ${r.turns} turns in ${fmt(r.wallMs / 1000, 1)} s: ${fmt(r.turns / (r.wallMs / 1000), 1)} turns/s, p50 ${fmt(percentile(r.latencies, 50), 1)} ms, p99 ${fmt(percentile(r.latencies, 99), 1)} ms, HTTP errors ${r.errors}, no reply ${r.lost} (${r.lateReplies} came later), unexpected ${r.unexpected}, load ${fmt(r.loadAvg, 2)}\n`,
        );
      }
    // The run with the median turns/s stands for the level; the others give the spread.
    for (const [i, rs] of runs.entries()) {
      const sorted = [...rs].sort((a, b) => tpsOf(a) - tpsOf(b));
      out[i].push({ ...sorted[Math.floor(sorted.length / 2)], tpsRange: [tpsOf(sorted[0]), tpsOf(sorted[sorted.length - 1])] });
    }
  }
  return out;
}

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-turns-'));
  const unitsFor = (b: Budget) => CONCURRENCY.reduce((a, c) => a + usersFor(c, b.turns[c]), usersFor(10, b.warmup));
  const compare = process.env.BENCH_TURNS_COMPARE;
  const units = unitsFor(BUDGET) * REPEATS * (compare ? 2 : 1) + unitsFor(FERRET_BUDGET);
  const regime = regimeWithDistricts(units);
  const regimeFile = writeRegime(dir, regime);
  const clients = new Set<Client>();
  const connector = await startFakeBotConnector({ onRequest: (rec) => clients.forEach((c) => c.onRequest(rec)) });
  const results: ServerResult[] = [];
  const servers: ServerHandle[] = [];
  let ferret: { pid: number | undefined; stop(): Promise<void> } | undefined;
  let k = 0;
  const nextUnit = () => simulatedDistrict(++k);
  const clientOf = (server: ServerHandle) => {
    const c = new Client(connector, server.url);
    clients.add(c);
    return c;
  };
  try {
    // The floors and dondoc on the embedded store, their levels alternating.
    const durable = await startServer('durable', { DATA_DIR: join(dir, 'data-echo') });
    servers.push(durable);
    const echo = await startServer('echo');
    servers.push(echo);
    const embedded = await startServer('dondoc', { DATA_DIR: join(dir, 'data'), REGIME_FILE: regimeFile });
    servers.push(embedded);
    const first = [
      { name: DURABLE, store: '—', budget: BUDGET, target: echoTarget(DURABLE, durable, clientOf(durable), connector) },
      { name: PLAIN, store: '—', budget: BUDGET, target: echoTarget(PLAIN, echo, clientOf(echo), connector) },
      {
        name: 'dondoc, embedded store (SQLite)',
        store: embedded.store,
        budget: BUDGET,
        target: dondocTarget('dondoc, embedded store (SQLite)', embedded, clientOf(embedded), connector, regime, nextUnit),
      },
    ];
    const stock = await startServer('durable', { DATA_DIR: join(dir, 'data-echo-stock'), BENCH_ECHO_TRANSPORT: 'sdk' });
    servers.push(stock);
    first.push({ name: STOCK, store: '—', budget: BUDGET, target: echoTarget(STOCK, stock, clientOf(stock), connector) });
    if (compare) {
      // Another build (BENCH_TURNS_COMPARE), under the same node flags, on a data folder of its own.
      const other = await startServer('dondoc', { DATA_DIR: join(dir, 'data-compare'), REGIME_FILE: regimeFile }, compare);
      servers.push(other);
      const name = `dondoc, embedded store, the build in ${compare} (comparison)`;
      first.push({ name, store: other.store, budget: BUDGET, target: dondocTarget(name, other, clientOf(other), connector, regime, nextUnit) });
    }
    // The durable echo's card is padded so that its reply is as large as dondoc's (measured in the warm-ups).
    const measured = await measure(
      first.map((x) => ({ t: x.target, budget: x.budget })),
      REPEATS,
      async ([floorWarm, , dondocWarm]) => {
        await durable.ask({ replyPad: dondocWarm.replyBytes - floorWarm.replyBytes });
        await stock.ask({ replyPad: dondocWarm.replyBytes - floorWarm.replyBytes });
      },
    );
    first.forEach((x, i) => results.push({ name: x.name, store: x.store, budget: x.budget, levels: measured[i] }));
    for (const c of clients) c.close();
    clients.clear();
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    connector.clear();

    // dondoc on a MongoDB-protocol server.
    if (process.env.BENCH_TURNS_MONGO === 'off') return section(results);
    const external = process.env.BENCH_MONGODB_URI;
    let name: string;
    let budget: Budget;
    let mongoUri: string;
    if (external) {
      name = 'dondoc, MongoDB (BENCH_MONGODB_URI)';
      budget = BUDGET;
      mongoUri = external;
    } else if (process.env.BENCH_FERRET_BACKEND === 'sqlite') {
      // The test suite's server, for comparison: FerretDB on its SQLite backend.
      const bin = join(projectRoot, '.tools', 'ferretdb-test');
      if (!existsSync(bin)) throw new Error(`no FerretDB binary at ${bin} (npm test builds it)`);
      const f = await startFerret(bin);
      ferret = { pid: f.pid, stop: () => f.dispose() };
      name = 'dondoc, MongoDB protocol (FerretDB 1.24, SQLite backend)';
      budget = FERRET_BUDGET;
      mongoUri = `${f.uri}dondoc_bench`;
    } else {
      // FerretDB 1.24 on its PostgreSQL backend (bench/ferret-pg.ts): a new PostgreSQL cluster, a fresh database.
      const f = await startFerretPg();
      ferret = f;
      name = 'dondoc, MongoDB protocol (FerretDB 1.24, PostgreSQL backend)';
      budget = FERRET_BUDGET;
      mongoUri = `${f.uri}dondoc_bench`;
    }
    const mongo = await startServer('dondoc', { DATA_DIR: join(dir, 'data-mongo'), REGIME_FILE: regimeFile, MONGODB_URI: mongoUri });
    servers.push(mongo);
    const target = { ...dondocTarget(name, mongo, clientOf(mongo), connector, regime, nextUnit), storePid: ferret?.pid };
    results.push({ name, store: mongo.store, budget, levels: (await measure([{ t: target, budget }]))[0] });
  } finally {
    for (const c of clients) c.close();
    await Promise.all(servers.map((s) => s.stop()));
    await connector.close();
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return section(results);
}

interface ServerResult {
  name: string;
  store: string;
  budget: Budget;
  levels: LevelResult[];
}

const tpsOf = (l: LevelResult) => l.turns / (l.wallMs / 1000);

function section(results: ServerResult[]): BenchSection {
  const floor = results[0].levels;
  const plain = results.find((r) => r.name === PLAIN)?.levels;
  const stock = results.find((r) => r.name === STOCK)?.levels;
  const perTurn = (l: LevelResult, f: (s: SqliteStats) => number, digits: number) => (l.store ? fmt(f(l.store) / l.turns, digits) : '—');
  const rows = results.flatMap((r) =>
    r.levels.map((l, i) => {
      const isFloor = r === results[0];
      return [
        r.name,
        l.concurrency,
        `${l.turns}${l.cutShort ? ` (stopped at ${LEVEL_MAX_MS / 1000} s)` : ''}${l.starved ? ' (ran out of prepared users)' : ''}`,
        `${fmt(tpsOf(l), 1)}${l.tpsRange && l.tpsRange[0] !== l.tpsRange[1] ? ` (${fmt(l.tpsRange[0], 0)}–${fmt(l.tpsRange[1], 0)})` : ''}`,
        `${fmt(percentile(l.latencies, 50), 1)} ms`,
        `${fmt(percentile(l.latencies, 99), 1)} ms`,
        isFloor ? '100 %' : `${fmt((tpsOf(l) / tpsOf(floor[i])) * 100, 1)} %`,
        isFloor ? '1×' : `${fmt(percentile(l.latencies, 50) / percentile(floor[i].latencies, 50), 1)}×`,
        `${fmt(l.serverCpuMs / l.turns, 2)}${l.storeCpuMs !== undefined ? ` + FerretDB ${fmt(l.storeCpuMs / l.turns, 1)}` : ''}`,
        perTurn(l, (s) => s.commits, 2),
        perTurn(l, (s) => s.blockedMs, 2),
        fmt(l.replyBytes, 0),
        fmt(l.clientCpuMs / l.turns, 2),
        `${l.errors} / ${l.lost}${l.lost ? ` (${l.lateReplies} came later)` : ''} / ${l.unexpected}`,
      ];
    }),
  );
  const embedded = results.find((r) => r.store === 'embedded');
  const headline = embedded
    ? `**Headline (embedded store):** dondoc sustains ${embedded.levels.map((l, i) => `${fmt((tpsOf(l) / tpsOf(floor[i])) * 100, 0)} %`).join(' / ')} of the durable echo floor's turns per second at ${CONCURRENCY.join(' / ')} concurrent users (${embedded.levels.map((l) => fmt(tpsOf(l), 0)).join(' / ')} turns/s against ${floor.map((l) => fmt(tpsOf(l), 0)).join(' / ')}), with a median turn ${embedded.levels.map((l, i) => `${fmt(percentile(l.latencies, 50) / percentile(floor[i].latencies, 50), 1)}×`).join(' / ')} the floor's${plain ? `; against the plain echo that stores nothing (${plain.map((l) => fmt(tpsOf(l), 0)).join(' / ')} turns/s) it sustains ${embedded.levels.map((l, i) => `${fmt((tpsOf(l) / tpsOf(plain[i])) * 100, 0)} %`).join(' / ')}` : ''}${stock ? `; against the durable echo replying through the SDK's own fetch-based client, as the stock SDK sends (${stock.map((l) => fmt(tpsOf(l), 0)).join(' / ')} turns/s), ${embedded.levels.map((l, i) => `${fmt((tpsOf(l) / tpsOf(stock[i])) * 100, 0)} %`).join(' / ')}` : ''}. Per turn, dondoc makes ${embedded.levels.map((l) => perTurn(l, (s) => s.commits, 2)).join(' / ')} SQLite commits and is blocked ${embedded.levels.map((l) => perTurn(l, (s) => s.blockedMs, 2)).join(' / ')} ms in SQLite (the floor: ${floor.map((l) => perTurn(l, (s) => s.commits, 2)).join(' / ')} commits, ${floor.map((l) => perTurn(l, (s) => s.blockedMs, 2)).join(' / ')} ms).`
    : '';
  const budgets = results.map((r) => `${r.name}: ${CONCURRENCY.map((c) => r.budget.turns[c]).join(' / ')} (warm-up ${r.budget.warmup})`).join('; ');
  return {
    title: 'Dialog turns over POST /api/messages',
    body: [
      headline,
      '',
      'Teams message activities (the shared fixture, authentication off) posted to `/api/messages`; the bots reply to a local fake Bot Connector.',
      'Each server runs in a child process of its own (`dist/bench/turns-server.js`: dondoc is `startApp` with the scheduler off and a silent',
      `logger, under the node flags of \`npm start\` (${startScriptFlags().join(' ') || 'none'}), the floors under none); this process is both the Teams service (posting) and the connector. A turn lasts from posting the activity to the arrival of its`,
      "last reply at the connector; a user's next turn starts once the POST is answered (closed loop, no think time). dondoc: each user is a focal",
      'point enrolled beforehand (`đăng ký MÃ` with a code from Repositories.createEnrolmentCode) in a unit of their own (simulated districts with',
      `the real districts' duties) with the ${PERIOD} report opened (\`báo cáo MÃ ${PERIOD}\`); a turn types the answer to the question asked, which is`,
      'validated, stored, and acknowledged ("✓ Đã lưu …") with the section\'s card. A user who has answered every question is replaced by a',
      'fresh one. Floor: a durable echo bot, a minimal Agents SDK bot (CloudAdapter + ActivityHandler) on the same restify 11 stack that writes each',
      "message to a SQLite file in one durable transaction (WAL, synchronous=FULL, as dondoc's store) before it replies with the text and an Adaptive",
      "Card padded so that its reply is as large as dondoc's (the padding is set from the mean reply sizes in the warm-ups at 10 users; the table gives",
      "each row's mean reply size, bytes of JSON as the connector received them). The echo bots send through the SDK's connector client over node:http, as dondoc does",
      "(channels/teams/transport.ts, in place of the SDK's fetch: about 1 ms less per reply here). Second reference: the same echo bot storing nothing and replying with",
      "the text alone. Third: the durable echo replying through the SDK's own fetch-based client, as the stock SDK sends (dondoc sent so until 2026-11-30).",
      'All are measured in the same run the same way, their levels alternating. Before each level the harness opens one connection per user, as a Teams service keeps its connections open (a',
      'burst of 100 new connections to a busy server left some waiting seconds to be accepted, which measured the burst, not the bot).',
      '',
      `Turns per level (1 / 10 / 100 users) are bounded: ${budgets}; a level stops starting turns after ${LEVEL_MAX_MS / 1000} s. The floors' and the`,
      `embedded store's levels are each run ${REPEATS} times, alternating; the table shows the run with the median turns/s (all runs' range in brackets).`,
      '',
      table(
        [
          'server',
          'concurrent users',
          'turns',
          'turns/s',
          'p50',
          'p99',
          'turns/s vs floor',
          'p50 vs floor',
          'server CPU ms/turn',
          'SQLite commits/turn',
          'ms/turn blocked in SQLite',
          'reply bytes',
          'harness CPU ms/turn',
          'HTTP errors / no reply in time / unexpected reply',
        ],
        rows,
      ),
      '',
      `1-minute load average when each level started (${CONCURRENCY.join(' / ')} users): ${results.map((r) => `${r.name} ${r.levels.map((l) => fmt(l.loadAvg, 1)).join(' / ')}`).join('; ')}.`,
      `Server peak RSS: ${results.map((r) => `${r.name} ${mib(Math.max(...r.levels.map((l) => l.serverRss)))} MiB`).join('; ')}.`,
      '',
      'Caveats: the machine has 2 cores, shared by the server, the harness (load generator + fake connector), on the MongoDB rows the database',
      'server, and other work on the machine (the load averages above; figures moved by up to ±40 % between runs); the harness column is what the',
      "harness itself spent per turn. Both stores write to the VM's disk and acknowledge a write only once its WAL is synced: the durable echo with",
      "synchronous=FULL (the fsync inside its COMMIT, on the event loop); dondoc's store runs the fsync (fdatasync of the WAL) in libuv's thread pool",
      'after its COMMIT, one sync serving the commits made while the one before it ran, and renders the replies meanwhile; checkpoints add SQLite',
      "its own fsyncs. The time blocked in SQLite is the wall time the server's event loop spent inside SQLite calls (statements, commits and, for",
      'the floor and the checkpoints, their fsyncs), which CPU time does not show.',
      "The MongoDB-protocol server here is FerretDB 1.24 (the test suite's program, built from tools/ferretdb) with its PostgreSQL",
      "backend, on Debian's PostgreSQL (bench/ferret-pg.ts: a cluster made for the run, 127.0.0.1, fsync on, a fresh database); the CPU shown as",
      "FerretDB's is its own process only, not PostgreSQL's. FerretDB writes an update as a read then a write, so dondoc's conditional writes there",
      'take a ticket insert more than on MongoDB proper (store/mongo-store.ts): these rows say little about MongoDB proper. BENCH_FERRET_BACKEND=sqlite',
      "measures FerretDB on its SQLite backend (the test suite's server); BENCH_MONGODB_URI measures a real MongoDB instead.",
      `An HTTP error is a POST answered 503 by the route timeout (20 s); such a turn still counts, complete when its reply arrives. "No reply in time":`,
      `none within ${LATE_REPLY_MS / 1000} s after the POST was answered (that user then stops); replies that came later, in the next ${LATE_REPLY_MS / 1000} s, are counted in brackets.`,
      'An unexpected reply is anything but the "✓ Đã lưu" acknowledgement of the question asked (under overload: the polite "Xin lỗi, đã có lỗi… vui',
      'lòng thử lại" when a store call failed; the user then types the same answer again).',
    ].join('\n'),
  };
}
