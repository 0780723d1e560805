/**
 * Reminder fan-out across Teams and Zalo against fakes that enforce the platforms' documented
 * rate limits (Teams: 50 requests/s per bot and 7/1 s, 8/2 s, 60/30 s, 1800/h per conversation,
 * answered with 429 + Retry-After; Zalo: 4,000 OA API calls a minute, answered with error -32 as
 * Zalo documents) and answer after a realistic round trip (REALISTIC_LATENCY: 100–200 ms, from
 * the pass on; enrolment runs without it). In-process: the real app (startApp, embedded store, Teams + Zalo channels,
 * SCHEDULER off, silent logger), one real reminder pass (runReminderPass, as the scheduler's tick)
 * and the real outbox worker draining as the scheduler does (kicked by the pass as it enqueues,
 * right after the pass, then every 15 s while messages are waiting). The fakes run in this process too.
 *
 * Focal points are enrolled through the bot core (`đăng ký MÃ` with a code from
 * Repositories.createEnrolmentCode) with the events each channel hands it: a Teams message
 * activity (its conversation reference points at the fake connector) or a Zalo text (which opens
 * the 7-day consultation window). They are spread over the default regime's 19 reporting units;
 * the districts' June report is marked submitted, so at 21 June 2027 08:00 each focal point is
 * due exactly one reminder (2027-H1, step T-14).
 *
 * The worker runs as the app ships it: its settings are the environment's (OUTBOX_* unset: the
 * defaults), nothing else. Counted at the fakes: messages per recipient (duplicates: any recipient
 * who got one more than once), refusals for rate (429 / -32), the most requests answered at once;
 * in the store: every outbox entry must end `sent`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Activity } from '@microsoft/agents-activity';
import { startApp, type RunningApp } from '../app/app.js';
import { registry } from '../app/registry.js';
import { createBot } from '../router/router.js';
import { parseEnv } from '../config/env.js';
import { inboundEvent, type TeamsActivity } from '../channels/teams/inbound.js';
import { OutboxWorker, type Rate } from '../jobs/outbox-worker.js';
import { runReminderPass } from '../jobs/reminders.js';
import { onOutboxKick } from '../services/kick.js';
import type { Clock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { reportingUnits } from '../regime/regime.js';
import type { Channel } from '../store/records.js';
import { startFakeBotConnector, TEAMS_RATE_LIMITS, type FakeBotConnector } from '../test/helpers/fake-bot-connector.js';
import { startFakeZalo, ZALO_RATE_LIMIT, zaloId, type FakeZalo } from '../test/helpers/fake-zalo.js';
import { REALISTIC_LATENCY } from '../test/helpers/latency.js';
import { seedSubmissions } from '../test/helpers/seed-submissions.js';
import { asUser, teamsFixture, teamsUser } from '../test/helpers/teams-fixtures.js';
import { fmt, table, type BenchSection } from './lib.js';

/** The pass runs at this instant (2027-H1's T-14 step is due). */
const AT = '2027-06-21T08:00:00+07:00';
/** The scheduler drains the outbox every 15 s. */
const DRAIN_EVERY_MS = 15_000;
/** Give up on a run after this long (a stuck run must not hang the benchmark). */
const RUN_MAX_MS = 20 * 60_000;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);

const TEAMS_GLOBAL = (TEAMS_RATE_LIMITS.global ?? [])[0];

interface Scenario {
  name: string;
  teams: number;
  zalo: number;
  /** Settings of the app beyond the defaults (e.g. OUTBOX_TEAMS_RATE); none: the app as shipped. */
  env?: Record<string, string>;
}

interface RunResult {
  scenario: Scenario;
  enrolMs: number;
  passMs: number;
  enqueued: number;
  /** From the pass's start to the last outbox entry settled. */
  totalMs: number;
  /** From the pass's start to the last message sent, per channel. */
  lastSentMs: Record<string, number>;
  /** CPU time of this process (app + fakes) from the pass's start to the end. */
  cpuMs: number;
  /** The pacing the worker used per channel (its settings). */
  rates: Record<'teams' | 'zalo', Rate>;
  inFlight: Record<'teams' | 'zalo', number>;
  /** The least time the documented limits allow for what was sent. */
  minimumMs: number;
  /** The least time the worker's pace allows for what was sent (its headroom under the limits). */
  pacedMinimumMs: number;
  /** The most requests each fake answered at once. */
  maxInFlight: Record<'teams' | 'zalo', number>;
  /** 1-minute load average at the pass and at the end. */
  load: [number, number];
  teamsSent: number;
  zaloSent: number;
  teamsRecipients: number;
  zaloRecipients: number;
  duplicates: number;
  missing: number;
  byStatus: Record<string, number>;
  teams429: number;
  zaloRateRefusals: number;
  drains: number;
}

/** Time at real speed from `start`, that can be moved to another instant (and runs on from there). */
class RunningClock implements Clock {
  private base: number;
  private t0 = performance.now();
  constructor(start: number) {
    this.base = start;
  }
  now(): Date {
    return new Date(this.base + (performance.now() - this.t0));
  }
  set(instant: number): void {
    this.base = instant;
    this.t0 = performance.now();
  }
}

/** The least time N requests take under "at most `limit` in any `windowMs`" (sliding window): the first `limit` at once. */
export function minimumMs(n: number, limit: number, windowMs: number): number {
  return n <= 0 ? 0 : Math.max(0, Math.ceil(n / limit) - 1) * windowMs;
}

/** The least time N sends take through a token bucket of `rate` (the first `burst` at once). */
export function pacedMs(n: number, rate: Rate): number {
  return n <= rate.burst ? 0 : ((n - rate.burst) / rate.perSecond) * 1000;
}

async function runScenario(s: Scenario): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-fanout-'));
  const teams: FakeBotConnector = await startFakeBotConnector({ rateLimits: TEAMS_RATE_LIMITS });
  const zalo: FakeZalo = await startFakeZalo({ rateLimit: { ...ZALO_RATE_LIMIT, answer: 'error' } });
  const parsed = parseEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SCHEDULER: 'off', ...zalo.env(), ...s.env });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const clock = new RunningClock(Date.parse(AT) - 60 * 60_000); // enrolment during the hour before the pass
  let app: RunningApp | undefined;
  try {
    app = await startApp(parsed.config, { clock, log: silentLogger });
    const ctx = app.ctx;
    const bot = createBot(ctx, registry);

    // Districts have filed June (so only 2027-H1 is due for everyone).
    const districts = reportingUnits(ctx.regime)
      .filter((u) => u.kind === 'district')
      .map((u) => u.code);
    await seedSubmissions(ctx.store, ctx.regime, '2027-06', { units: districts, seed: 6 });

    // Enrolment, through the bot core, with each channel's event.
    const units = reportingUnits(ctx.regime).map((u) => u.code);
    const t0 = performance.now();
    const template = teamsFixture('message-personal', teams.serviceUrl);
    let i = 0;
    const enrolOne = async (channel: Channel) => {
      const unitCode = units[i++ % units.length];
      const code = await ctx.store.createEnrolmentCode({ unitCode, role: 'focal', createdBy: 'bench', now: clock.now().getTime(), ttlMs: 86_400_000 });
      const text = `đăng ký ${code}`;
      const replies =
        channel === 'teams'
          ? await bot.handle(inboundEvent(Activity.fromObject(asUser({ ...template, id: `17${i}`, text }, teamsUser(`Cán bộ ${i}`))) as TeamsActivity, clock.now(), { text }))
          : await (async () => {
              const userId = zaloId();
              return bot.handle({ channel: 'zalo', userId, conversationId: userId, conversationRef: { userId }, text, eventId: `m${i}`, receivedAt: clock.now() });
            })();
      if (!replies[0]?.text.startsWith('Đăng ký thành công')) throw new Error(`enrolment refused: ${replies[0]?.text}`);
    };
    // Interleaved, four at a time.
    const order: Channel[] = [];
    for (let k = 0; k < Math.max(s.teams, s.zalo); k++) {
      if (k < s.teams) order.push('teams');
      if (k < s.zalo) order.push('zalo');
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < order.length) await enrolOne(order[next++]);
      }),
    );
    const enrolMs = performance.now() - t0;

    // The pass, at AT, the platforms answering after a realistic round trip from now on.
    clock.set(Date.parse(AT));
    teams.clear();
    teams.setLatency(REALISTIC_LATENCY);
    zalo.setLatency(REALISTIC_LATENCY);
    const zaloFrom = zalo.cs.length;
    const zaloCallsFrom = zalo.calls.length;
    const worker = new OutboxWorker(ctx, { id: 'bench' });
    // As the scheduler does: a pass (or a broadcast) kicks the worker to send at once.
    onOutboxKick(ctx, () => void worker.drainOnce().catch((e) => process.stderr.write(`drain failed: ${String(e)}\n`)));
    const pacingOf = (c: Channel) => worker.pacingOf(c) ?? { rate: { perSecond: 1, burst: 1 }, inFlight: 1 };
    const load0 = loadavg()[0];
    const cpu0 = process.cpuUsage();
    const startAt = clock.now().getTime();
    const start = performance.now();
    const pass = await runReminderPass(ctx, ctx.clock.now(), { by: 'bench' });
    const passMs = performance.now() - start;

    // Drains: at once, then every 15 s while something is waiting.
    let drains = 0;
    for (;;) {
      const tick = performance.now();
      await worker.drainOnce();
      drains++;
      const open = await ctx.store.outbox.count({ status: { $in: ['pending', 'sending'] } });
      if (!open) break;
      if (performance.now() - start > RUN_MAX_MS) break;
      await new Promise((ok) => setTimeout(ok, Math.max(0, DRAIN_EVERY_MS - (performance.now() - tick))));
    }
    const settled = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const load1 = loadavg()[0];

    // What arrived where.
    const entries = await ctx.store.outbox.find({});
    const byStatus: Record<string, number> = {};
    for (const e of entries) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    const teamsSends = teams.requests.filter((r) => (r.op === 'reply' || r.op === 'send') && r.status < 300);
    // A duplicate: the same content delivered to the same person more than once.
    const copies = new Map<string, number>();
    const count = (key: string) => copies.set(key, (copies.get(key) ?? 0) + 1);
    for (const r of teamsSends) count(`teams|${r.conversationId}|${r.body?.text ?? ''}|${JSON.stringify(r.body?.attachments ?? [])}`);
    const zaloSends = zalo.cs.slice(zaloFrom);
    for (const c of zaloSends) count(`zalo|${c.userId}|${JSON.stringify(c.message)}`);
    const duplicates = [...copies.values()].reduce((a, n) => a + n - 1, 0);
    const teamsRecipients = new Set(teamsSends.map((r) => r.conversationId)).size;
    const zaloRecipients = new Set(zaloSends.map((c) => c.userId)).size;
    const teamsReqs = teamsSends.length;
    const lastSentMs: Record<string, number> = {};
    for (const e of entries) if (e.sentAt) lastSentMs[e.channel] = Math.max(lastSentMs[e.channel] ?? 0, e.sentAt - startAt);
    return {
      scenario: s,
      enrolMs,
      passMs,
      enqueued: pass.enqueued,
      totalMs: settled - start,
      lastSentMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rates: { teams: pacingOf('teams').rate, zalo: pacingOf('zalo').rate },
      inFlight: { teams: pacingOf('teams').inFlight, zalo: pacingOf('zalo').inFlight },
      minimumMs: Math.max(minimumMs(teamsReqs, TEAMS_GLOBAL.limit, TEAMS_GLOBAL.windowMs), minimumMs(zaloSends.length, ZALO_RATE_LIMIT.limit, ZALO_RATE_LIMIT.windowMs)),
      pacedMinimumMs: Math.max(pacedMs(teamsReqs, pacingOf('teams').rate), pacedMs(zaloSends.length, pacingOf('zalo').rate)),
      maxInFlight: { teams: teams.maxInFlight, zalo: zalo.maxInFlight },
      load: [load0, load1],
      teamsSent: teamsReqs,
      zaloSent: zaloSends.length,
      teamsRecipients,
      zaloRecipients,
      duplicates,
      missing: s.teams - teamsRecipients + (s.zalo - zaloRecipients),
      byStatus,
      teams429: teams.requests.filter((r) => r.status === 429).length,
      zaloRateRefusals: zalo.calls.slice(zaloCallsFrom).filter((c) => c.error === -32 || c.status === 429).length,
      drains,
    };
  } finally {
    await app?.stop();
    await teams.close();
    await zalo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rateText = (r: Rate) => `${fmt(r.perSecond, 1)}/s`;

export async function run(): Promise<BenchSection> {
  const n = (k: number) => Math.round(k * SCALE);
  const all: Scenario[] = [
    { name: '1,000, the app as shipped', teams: n(500), zalo: n(500) },
    { name: '10,000, the app as shipped', teams: n(5000), zalo: n(5000) },
    // The same with the Teams pace a setting away from the documented limit (1 request/s left for replies).
    { name: '10,000, OUTBOX_TEAMS_RATE=49', teams: n(5000), zalo: n(5000), env: { OUTBOX_TEAMS_RATE: '49' } },
  ];
  // BENCH_FANOUT_ROWS=1,2 runs only those rows (counted from 1), e.g. while developing.
  const rows = process.env.BENCH_FANOUT_ROWS?.split(',').map(Number);
  const scenarios = rows ? all.filter((_, i) => rows.includes(i + 1)) : all;
  const results: RunResult[] = [];
  for (const s of scenarios) {
    process.stderr.write(`  fan-out, ${s.name}: ${s.teams} Teams + ${s.zalo} Zalo focal points…\n`);
    const r = await runScenario(s);
    process.stderr.write(`    ${JSON.stringify({ ...r, scenario: s.name })}\n`);
    results.push(r);
  }
  const pacing = (r: RunResult) => `Teams ${rateText(r.rates.teams)} × ${r.inFlight.teams} in flight, Zalo ${rateText(r.rates.zalo)} × ${r.inFlight.zalo} in flight`;
  const ratio = (a: number, b: number) => (b > 0 ? `${fmt(a / b, 2)}×` : '—');
  return {
    title: "Reminder fan-out under the platforms' rate limits",
    body: [
      'In one process: the real app (embedded store, Teams + Zalo channels, scheduler off), fake Bot Connector and fake Zalo API on 127.0.0.1',
      'enforcing the documented limits (Teams: 50 requests/s per bot; per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h; answered 429 + Retry-After.',
      'Zalo: 4,000 OA API calls/min, answered with error -32 as Zalo documents) and answering after a round trip of 100–200 ms (uniform; 150 ms on',
      "average, as real platform calls take) from the pass on. Focal points enrolled through the bot core (`đăng ký MÃ`) with each channel's event,",
      `spread over the default regime's 19 units; the districts' June report is on file, so at ${AT} each is due one reminder (2027-H1, T-14).`,
      'Timed from the start of one real reminder pass (`runReminderPass`) to the last outbox entry settled, the outbox worker at the settings the',
      'app ships with (OUTBOX_* unset) draining as the scheduler does (kicked by the pass as it enqueues, then every 15 s while something waits); the last row',
      'sets one setting. The minimum the limits allow is for the requests sent (Teams and Zalo in parallel; a sliding window lets the first',
      "window's worth through at once): its ratio is the goal's (≤ 1.05×). The default paces keep headroom under the limits for the replies of",
      'officials chatting meanwhile (Teams 40 of 50 requests/s, Zalo 55 of 66.7/s): the minimum at the pace shows what the worker makes of it.',
      'Time in the first column is until every entry settled; the last send on each channel is in brackets. Duplicates: the same content',
      'delivered to the same person more than once, counted at the fakes. Lost: focal points who received nothing; every outbox entry must',
      'end `sent`. In flight: the most requests a fake was answering at once.',
      '',
      table(
        [
          'run',
          'focal points (Teams + Zalo)',
          'worker pacing',
          'enrolment (setup)',
          'pass',
          'pass → all settled',
          'minimum the limits allow',
          'ratio (goal ≤ 1.05×)',
          'minimum at the pace',
          'ratio to the pace',
          'messages sent (Teams + Zalo)',
          'duplicates',
          'lost / outbox not sent',
          '429 (Teams) / -32 (Zalo) received',
          'in flight at the fakes (Teams / Zalo)',
          'drains',
          'CPU (app + fakes)',
          'load (1 min) at the pass → end',
        ],
        results.map((r) => [
          r.scenario.name,
          `${r.scenario.teams.toLocaleString('en-US')} + ${r.scenario.zalo.toLocaleString('en-US')}`,
          pacing(r),
          `${fmt(r.enrolMs / 1000, 1)} s`,
          `${fmt(r.passMs / 1000, 1)} s (${r.enqueued.toLocaleString('en-US')} enqueued)`,
          `${fmt(r.totalMs / 1000, 1)} s (last Teams ${fmt((r.lastSentMs.teams ?? NaN) / 1000, 1)} s, last Zalo ${fmt((r.lastSentMs.zalo ?? NaN) / 1000, 1)} s)`,
          `${fmt(r.minimumMs / 1000, 1)} s`,
          ratio(r.totalMs, r.minimumMs),
          `${fmt(r.pacedMinimumMs / 1000, 1)} s`,
          ratio(r.totalMs, r.pacedMinimumMs),
          `${r.teamsSent.toLocaleString('en-US')} + ${r.zaloSent.toLocaleString('en-US')}`,
          r.duplicates,
          `${r.missing} / ${
            Object.entries(r.byStatus)
              .filter(([k]) => k !== 'sent')
              .map(([k, n]) => `${n} ${k}`)
              .join(', ') || '0'
          }`,
          `${r.teams429} / ${r.zaloRateRefusals}`,
          `${r.maxInFlight.teams} / ${r.maxInFlight.zalo}`,
          r.drains,
          `${fmt(r.cpuMs / 1000, 1)} s (${fmt((r.cpuMs / r.totalMs) * 100, 0)} %)`,
          `${fmt(r.load[0], 1)} → ${fmt(r.load[1], 1)}`,
        ]),
      ),
    ].join('\n'),
  };
}
