/**
 * Two server processes on one store: two real apps (test/helpers/instance-process.ts, the app
 * `node dist/app/main.js` runs, SCHEDULER=on, each with its own store connection, scheduler and
 * outbox worker, in its own Node process) against ONE SQLite file, and against ONE
 * MongoDB-protocol server (FerretDB from the test setup). Officials enrol over HTTP through
 * either process. At each instant of the 2027 reporting season where a reminder step or a digest
 * falls, both processes are told to tick at once (pass + drain, what the scheduler does every
 * minute; their own node-cron ticks run as well), the first told alternating between them.
 *
 * Asserted: each step reaches each focal point exactly once and each digest each coordinator
 * once (in the store and on the wire at the fake Bot Connector), nothing else is sent, and both
 * processes claimed reminders — so the once-only claims were contended across processes, not
 * merely taken in turn by one. Needs `npx tsc -p .` (npm test builds first).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { makePeriod, periodsOfYear, type ReportingPeriod } from '../regime/periods.js';
import { buildForm, kindsForUnit, loadRegimeFile, reportingUnits } from '../regime/regime.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { digestSchedule, reminderLadder } from '../regime/reminder-ladder.js';
import { openStore } from '../store/open-store.js';
import type { Role } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import type { FromInstance, ToInstance } from './helpers/instance-process.js';
import { rng, sampleAnswers } from './helpers/seed-submissions.js';
import { mongoUri, uniqueDbName } from './helpers/stores.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';

const root = resolve(import.meta.dirname, '..');
const HARNESS = join(root, 'dist', 'test', 'helpers', 'instance-process.js');
const ZONE = 'Asia/Ho_Chi_Minh';
const ENROL_AT = '2027-06-10T09:00:00+07:00';
const START = DateTime.fromISO('2027-06-15T00:00:00', { zone: ZONE });
const END = DateTime.fromISO('2027-08-05T00:00:00', { zone: ZONE });
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

type Ticked = Extract<FromInstance, { type: 'ticked' }>;

interface Instance {
  url: string;
  schedulerId: string;
  tick(at: number): Promise<Ticked>;
  stop(): Promise<number | null>;
  output(): string;
  kill(): void;
}

/** Forks one server process and waits until it listens. */
function startInstance(env: Record<string, string>): Promise<Instance> {
  const proc: ChildProcess = fork(HARNESS, [], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      REGIME_FILE: DEFAULT_REGIME_FILE,
      DONDOC_TEST_NOW: ENROL_AT,
      LOG_LEVEL: 'warn',
      MICROSOFT_APP_ID: '',
      MICROSOFT_APP_PASSWORD: '',
      ZALO_APP_ID: '',
      ZALO_APP_SECRET: '',
      ZALO_OA_SECRET_KEY: '',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  proc.stdout?.on('data', (d) => (out += String(d)));
  proc.stderr?.on('data', (d) => (out += String(d)));
  const waiting = new Map<number, { ok: (t: Ticked) => void; fail: (e: Error) => void }>();
  const exited = new Promise<number | null>((ok) =>
    proc.once('exit', (code) => {
      for (const w of waiting.values()) w.fail(new Error(`instance exited (${code}) during a tick:\n${out}`));
      ok(code);
    }),
  );
  let seq = 0;
  return new Promise((ready, fail) => {
    void exited.then((code) => fail(new Error(`instance exited (${code}) before listening:\n${out}`)));
    proc.on('message', (m: FromInstance) => {
      if (m.type === 'ready')
        ready({
          url: `http://127.0.0.1:${m.port}`,
          schedulerId: m.schedulerId,
          tick: (at) =>
            new Promise((ok, no) => {
              const s = ++seq;
              waiting.set(s, { ok, fail: no });
              proc.send({ type: 'tick', seq: s, at } satisfies ToInstance);
            }),
          async stop() {
            proc.send({ type: 'stop' } satisfies ToInstance);
            return exited;
          },
          output: () => out,
          kill: () => proc.kill('SIGKILL'),
        });
      else if (m.seq !== undefined) {
        const w = waiting.get(m.seq);
        waiting.delete(m.seq);
        if (m.type === 'ticked') w?.ok(m);
        else w?.fail(new Error(`tick failed in the instance: ${m.message}`));
      }
    });
  });
}

const loaded = loadRegimeFile(DEFAULT_REGIME_FILE);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const regime: ReportRegime = loaded.regime;

/** What the season must send: every (unit, period, step) due in the window to a unit that had not submitted, and the digests. */
function expectations(submissions: Map<string, number>) {
  const inWindow = (t: DateTime) => t >= START && t < END;
  const done = (unit: string, period: string, t: number) => (submissions.get(`${unit}|${period}`) ?? Infinity) <= t;
  const filers = (p: ReportingPeriod) => reportingUnits(regime).filter((u) => kindsForUnit(regime, u).some((k) => k.id === p.kind));
  const reminders: string[] = [];
  const instants = new Set<number>();
  let digests = 0;
  for (const p of periodsOfYear(regime, 2027)) {
    for (const s of reminderLadder(regime, p).filter((x) => inWindow(x.at))) {
      instants.add(s.at.toMillis());
      for (const u of filers(p)) if (!done(u.code, p.id, s.at.toMillis())) reminders.push(`${u.code}|${p.id}|${s.id}`);
    }
    for (const d of digestSchedule(regime, p).filter((x) => inWindow(x.at))) {
      instants.add(d.at.toMillis());
      if (filers(p).some((u) => !done(u.code, p.id, d.at.toMillis()))) digests++;
    }
  }
  return { reminders, instants: [...instants], digests };
}

const STORES: Array<{ name: string; available: () => boolean; env: (dir: string) => Record<string, string> }> = [
  { name: 'one SQLite file', available: () => true, env: (dir) => ({ DATA_DIR: dir, MONGODB_URI: '' }) },
  {
    name: 'one MongoDB-protocol server',
    available: () => Boolean(mongoUri()),
    env: (dir) => ({ DATA_DIR: dir, MONGODB_URI: `${mongoUri().replace(/\/?$/, '/')}${uniqueDbName('two')}` }),
  },
];

describe.each(STORES)('two server processes on $name', (store) => {
  let dir: string;
  let fake: FakeBotConnector;
  let repos: Repositories;
  let a: Instance;
  let b: Instance;
  const focal = new Map<string, TeamsUser>();
  let coord: TeamsUser;
  const submissions = new Map<string, number>();

  beforeAll(async () => {
    if (!store.available()) return;
    if (!existsSync(HARNESS)) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does) before this test');
    dir = mkdtempSync(join(tmpdir(), 'dondoc-two-'));
    fake = await startFakeBotConnector();
    const env = store.env(dir);
    // The test's own connection to the same store (enrolment codes, submissions, what was sent).
    repos = await openStore({ dataDir: dir, mongodbUri: env.MONGODB_URI || undefined });
    for (const d of reportingUnits(regime).filter((u) => u.kind === 'district')) {
      submissions.set(`${d.code}|2027-05`, local('2027-05-18T10:00'));
      submissions.set(`${d.code}|2027-06`, local(d.code === 'PAC-NAM' ? '2027-06-24T10:00' : '2027-06-18T10:00'));
      submissions.set(`${d.code}|2027-07`, local('2027-07-16T10:00'));
    }
    for (const u of reportingUnits(regime))
      if (!['CTK', 'MTTQ', 'CHO-MOI'].includes(u.code)) submissions.set(`${u.code}|2027-H1`, local(u.kind === 'district' ? '2027-06-29T15:00' : '2027-07-06T15:00'));
    for (const u of reportingUnits(regime)) focal.set(u.code, teamsUser(`Đầu mối ${u.code}`));
    coord = teamsUser('Điều phối viên');
    // What was submitted before the processes start is in the store when they do (their own
    // node-cron ticks may run a pass at the start instant).
    for (const [k, at] of submissions) if (at <= Date.parse(ENROL_AT)) await submit(k.split('|')[0], k.split('|')[1], at);

    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    expect(a.schedulerId).not.toBe(b.schedulerId);
    const enrol = async (via: Instance, u: TeamsUser, unitCode: string, role: Role = 'focal') => {
      const install = asUser(teamsFixture('conversation-update-install', fake.serviceUrl, { id: `f:${nextActivityId()}` }), u);
      expect((await postActivity(via.url, install)).status).toBe(200);
      const code = await repos.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: Date.parse(ENROL_AT), ttlMs: 7 * 86_400_000 });
      expect((await postActivity(via.url, asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text: `đăng ký ${code}` }), u))).status).toBe(200);
      expect(await repos.membershipsOf(`teams:${u.userId}`)).toMatchObject([{ unitCode, role }]);
    };
    // Officials enrol through either process.
    for (const [i, u] of reportingUnits(regime).entries()) await enrol(i % 2 ? b : a, focal.get(u.code)!, u.code);
    await enrol(b, coord, 'LDTBXH', 'coordinator');
    fake.clear();
  }, 180_000);

  afterAll(async () => {
    // The test stops them cleanly; after a failure they may still run.
    a?.kill();
    b?.kill();
    await repos?.db.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function submit(unitCode: string, periodId: string, at: number) {
    const p = makePeriod(regime, periodId)!;
    const form = buildForm(regime, unitCode, p.kind)!;
    await repos.appendSubmission({
      unitCode,
      periodId: p.id,
      revision: 1,
      formVersion: form.version,
      answers: sampleAnswers(regime, form, p, rng(3)),
      submittedAt: at,
      submittedBy: `teams:${focal.get(unitCode)!.userId}`,
      channel: 'teams',
      late: at >= p.deadline.toMillis(),
    });
  }

  it.skipIf(!store.available())(
    'sends each step once, whichever process claims it, and both processes claim some',
    async () => {
      const expected = expectations(submissions);
      // Submissions at the same instant as a tick are in place before it.
      const events = [
        ...[...submissions.entries()].map(([k, at]) => ({ at, kind: 'submit' as const, unit: k.split('|')[0], period: k.split('|')[1] })),
        ...expected.instants.map((at) => ({ at, kind: 'tick' as const, unit: '', period: '' })),
      ].sort((x, y) => x.at - y.at || (x.kind === 'submit' ? -1 : 1));

      let ticks = 0;
      for (const e of events) {
        if (e.kind === 'submit') {
          if (e.at > Date.parse(ENROL_AT)) await submit(e.unit, e.period, e.at);
        } else {
          // Both processes at once; which one hears first alternates.
          const order = ticks++ % 2 ? [b, a] : [a, b];
          await Promise.all(order.map((i) => i.tick(e.at)));
        }
      }

      const entries = await repos.outbox.find({}, { sort: [['_id', 1]] });
      const reminders = entries.filter((e) => e.purpose === 'reminder');
      const digests = entries.filter((e) => e.purpose === 'digest');
      // Besides reminders and digests, only the calendar warning (the default regime's holidays end
      // in 2027): once to the coordinator, whichever process noticed it first.
      const others = entries.filter((e) => e.purpose !== 'reminder' && e.purpose !== 'digest');
      expect(others.map((e) => e.key)).toEqual(['alert|calendar|2028']);
      expect(entries.filter((e) => e.status !== 'sent').map((e) => `${e._id}: ${e.status}`)).toEqual([]);
      expect(reminders.map((e) => e.key!.split('|').slice(1).join('|')).sort()).toEqual(expected.reminders.sort());
      expect(digests).toHaveLength(expected.digests);
      // On the wire: one post per outbox entry, to its person, none refused.
      for (const [unit, person] of focal) expect(fake.activities(person.conversationId), unit).toHaveLength(reminders.filter((e) => e.unitCode === unit).length);
      expect(
        fake
          .activities(coord.conversationId)
          .map(activityText)
          .every((t) => t.length > 0),
      ).toBe(true);
      expect(fake.activities(coord.conversationId)).toHaveLength(digests.length + others.length);
      expect(fake.requests.filter((r) => r.status >= 300)).toEqual([]);
      expect(fake.activities()).toHaveLength(entries.length);
      // Both processes claimed reminders (each claim is the once-only gate before an enqueue).
      const claims = await repos.claims.find({ kind: 'reminder' });
      const byInstance = [a, b].map((i) => claims.filter((c) => c.by === i.schedulerId && !c.details?.skipped).length);
      expect(new Set(claims.map((c) => c.by))).toEqual(new Set([a.schedulerId, b.schedulerId]));
      expect(byInstance.every((n) => n > 0)).toBe(true);
      expect(byInstance[0] + byInstance[1]).toBe(reminders.length);
      // Both stop cleanly on request.
      expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
      console.log(`[two processes, ${store.name}] ticks ${ticks}, reminders ${reminders.length}, digests ${digests.length}, reminders claimed ${byInstance.join(' / ')}`);
    },
    600_000,
  );
});
