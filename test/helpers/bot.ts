/**
 * The bot core on a real store (embedded SQLite or MongoDB) with a settable clock, and a small
 * "person" that chats with it as a channel would. Used by conversation tests.
 */
import { channelRegistry } from '../../app/channels.js';
import { parseEnv } from '../../config/env.js';
import { registry } from '../../app/registry.js';
import { createBot } from '../../router/router.js';
import type { AppContext } from '../../core/context.js';
import type { BotCore, InboundEvent, OutMessage } from '../../core/message.js';
import { ManualClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { DEFAULT_REGIME_FILE } from '../../lib/paths.js';
import { loadRegimeFile } from '../../regime/regime.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import type { Channel, Role } from '../../store/records.js';
import { embeddedStore, type TestStore } from './stores.js';

export interface TestBot {
  ctx: AppContext;
  bot: BotCore;
  clock: ManualClock;
  store: TestStore;
  /** Creates an enrolment code the way `dondoc enroll` does. */
  code(unitCode: string, role?: Role, ttlMs?: number): Promise<string>;
  person(userId: string, opts?: { name?: string; channel?: Channel }): Person;
  dispose(): Promise<void>;
}

export interface Person {
  userId: string;
  /** Sends text; returns the replies. */
  say(text: string): Promise<OutMessage[]>;
  /** Sends text; returns the replies' texts joined. */
  ask(text: string): Promise<string>;
  send(value: Record<string, unknown>): Promise<OutMessage[]>;
  enrol(unitCode: string, role?: Role): Promise<string>;
}

export function defaultRegime(): ReportRegime {
  const r = loadRegimeFile(DEFAULT_REGIME_FILE);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.regime;
}

export async function startTestBot(opts: { now: string; store?: TestStore; regime?: ReportRegime }): Promise<TestBot> {
  const store = opts.store ?? (await embeddedStore());
  const clock = new ManualClock(new Date(opts.now).getTime());
  const parsed = parseEnv({ DATA_DIR: store.dir ?? '/tmp', SCHEDULER: 'off' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const ctx: AppContext = {
    config: parsed.config,
    regime: opts.regime ?? defaultRegime(),
    store: store.repos,
    clock,
    log: silentLogger,
    channels: channelRegistry,
    senders: new Map(),
    version: 'test',
  };
  const bot = createBot(ctx, registry);
  const t: TestBot = {
    ctx,
    bot,
    clock,
    store,
    code: (unitCode, role = 'focal', ttlMs = 7 * 86_400_000) => store.repos.createEnrolmentCode({ unitCode, role, createdBy: 'test', now: clock.now().getTime(), ttlMs }),
    person(userId, p = {}) {
      const channel = p.channel ?? 'console';
      const ev = (x: Partial<InboundEvent>): InboundEvent => ({ channel, userId, userName: p.name, receivedAt: clock.now(), ...x });
      const person: Person = {
        userId,
        say: (text) => bot.handle(ev({ text })),
        ask: async (text) => (await bot.handle(ev({ text }))).map((m) => m.text).join('\n---\n'),
        send: (value) => bot.handle(ev({ value })),
        async enrol(unitCode, role = 'focal') {
          return person.ask(`đăng ký ${await t.code(unitCode, role)}`);
        },
      };
      return person;
    },
    dispose: () => store.dispose(),
  };
  return t;
}
