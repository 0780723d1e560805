/**
 * The real app (HTTP server, store, Teams and optionally Zalo channels) on a settable clock,
 * with local fakes of the Bot Connector and the Zalo API, for reminder, digest and broadcast
 * tests. Officials enrol the way they do in production: Teams users install the app and send
 * `đăng ký MÃ` to /api/messages; Zalo users send it to the signed webhook.
 *
 * Jobs are driven explicitly (SCHEDULER=off): `pass()` runs one reminder pass at the clock's
 * time, `drain()` drains the outbox until nothing more happens at that time.
 */
import { expect } from 'vitest';
import { OutboxWorker, type OutboxWorkerOptions } from '../../jobs/outbox-worker.js';
import { runReminderPass, type PassResult } from '../../jobs/reminders.js';
import { ManualClock } from '../../lib/clock.js';
import type { Role } from '../../store/records.js';
import { startTestApp, type TestApp } from './app.js';
import { startFakeBotConnector, type FakeBotConnector } from './fake-bot-connector.js';
import { startFakeZalo, zaloFixture, zaloId, type FakeZalo } from './fake-zalo.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './teams-fixtures.js';

/** No pacing (the fakes answer at once and enforce no limits unless told): tests run at the machine's speed. */
export const FAST: OutboxWorkerOptions = {
  rates: { teams: { perSecond: 10_000, burst: 10_000 }, zalo: { perSecond: 10_000, burst: 10_000 } },
  perRecipient: { teams: null },
  backoff: { baseMs: 60_000, maxMs: 15 * 60_000 },
};

export interface World {
  app: TestApp;
  clock: ManualClock;
  teams: FakeBotConnector;
  zalo?: FakeZalo;
  worker: OutboxWorker;
  enrolTeams(unitCode: string, role?: Role, name?: string): Promise<TeamsUser>;
  enrolZalo(unitCode: string, role?: Role): Promise<string>;
  /** A Zalo user writes to the OA (opens the consultation window again). */
  zaloSays(userId: string, text: string): Promise<void>;
  /** Texts the bot posted proactively to this Teams user since the last `teams.clear()`. */
  teamsTexts(u: TeamsUser): string[];
  /** Consultation texts sent to this Zalo user since the last `reset()`. */
  zaloTexts(userId: string): string[];
  /** Forgets what the fakes received so far (e.g. the replies to enrolment). */
  reset(): void;
  pass(): Promise<PassResult>;
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(opts: {
  now: string;
  id?: string;
  zalo?: boolean;
  env?: Record<string, string>;
  worker?: OutboxWorkerOptions;
  shared?: { teams: FakeBotConnector; zalo?: FakeZalo; clock: ManualClock };
}): Promise<World> {
  const clock = opts.shared?.clock ?? new ManualClock(new Date(opts.now).getTime());
  const teams = opts.shared?.teams ?? (await startFakeBotConnector());
  const zalo = opts.shared ? opts.shared.zalo : opts.zalo ? await startFakeZalo() : undefined;
  const app = await startTestApp({ ...(zalo ? zalo.env() : {}), ...opts.env }, { clock });
  const worker = new OutboxWorker(app.ctx, { ...FAST, ...opts.worker });

  const code = (unitCode: string, role: Role) => app.ctx.store.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: clock.now().getTime(), ttlMs: 7 * 86_400_000 });
  const zaloEvent = (userId: string, text: string) => ({
    ...zaloFixture('user-send-text'),
    app_id: zalo?.appId,
    sender: { id: userId },
    message: { text, msg_id: zaloId() },
    timestamp: String(clock.now().getTime()),
  });
  const processed = async (n: number) =>
    zalo?.waitFor(async () => (await app.ctx.store.inbox.count({ channel: 'zalo', status: { $in: ['done', 'ignored', 'failed'] } })) >= n, `${n} processed Zalo events`);
  let zaloEvents = 0;
  let zaloFrom = 0;

  const world: World = {
    app,
    clock,
    teams,
    zalo,
    worker,
    async enrolTeams(unitCode, role = 'focal', name = 'Cán bộ Teams') {
      const u = teamsUser(name);
      expect((await postActivity(app.url, asUser(teamsFixture('conversation-update-install', teams.serviceUrl, { id: `f:${nextActivityId()}` }), u))).status).toBe(200);
      const text = `đăng ký ${await code(unitCode, role)}`;
      expect((await postActivity(app.url, asUser(teamsFixture('message-personal', teams.serviceUrl, { id: nextActivityId(), text }), u))).status).toBe(200);
      expect(await app.ctx.store.membershipsOf(`teams:${u.userId}`)).toMatchObject([{ unitCode, role }]);
      return u;
    },
    async enrolZalo(unitCode, role = 'focal') {
      if (!zalo) throw new Error('world without Zalo');
      const userId = zaloId();
      await world.zaloSays(userId, `đăng ký ${await code(unitCode, role)}`);
      expect(await app.ctx.store.membershipsOf(`zalo:${userId}`)).toMatchObject([{ unitCode, role }]);
      return userId;
    },
    async zaloSays(userId, text) {
      if (!zalo) throw new Error('world without Zalo');
      expect((await zalo.post(app.url, zaloEvent(userId, text))).status).toBe(200);
      await processed(++zaloEvents);
    },
    teamsTexts: (u) => teams.activities(u.conversationId).map(activityText),
    zaloTexts: (userId) =>
      (zalo?.cs ?? [])
        .slice(zaloFrom)
        .filter((c) => c.userId === userId)
        .map((c) => c.message.text),
    reset() {
      teams.clear();
      zaloFrom = zalo?.cs.length ?? 0;
    },
    pass: () => runReminderPass(app.ctx, clock.now(), { by: opts.id ?? 'test' }),
    async drain() {
      for (let i = 0; i < 50; i++) {
        const r = await worker.drainOnce();
        if (!(r.sent + r.retried + r.failed + r.undeliverable + r.cancelled + r.fallbacks + r.notices + r.batchReports)) return;
      }
      throw new Error('outbox did not settle');
    },
    async close() {
      await app.close();
      if (!opts.shared) {
        await teams.close();
        await zalo?.close();
      }
    },
  };
  return world;
}
