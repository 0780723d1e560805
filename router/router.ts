/**
 * The bot core's single entry point: every channel hands its normalised events to `handle`.
 *
 * One turn: (0) limits on abuse first (services/throttle.ts): a person not enrolled who floods the
 * bot, or sends a code while locked out after wrong codes, is refused with nothing written but a
 * counter (a flooding stranger is told once, then not answered until the lock ends);
 * (1) turns of one person run one after another (in-process queue per user);
 * (2) an event whose platform id (`eventId`) already had its turn — a redelivery, a retry, here
 * or in another instance — gets that turn's replies again and changes nothing (store: `turns`),
 * unless its channel keeps that record itself in its inbox (`dedupedByChannel`: Teams, Zalo);
 * (3) the person is read in one query (Repositories.person): their memberships (the Actor:
 * units, coordinator role) and their Contact, which holds their session (active flow + memory);
 * (4) the input is routed: `đăng ký MÃ` and `trợ giúp` here; a structured value to its
 * ValueHandler; otherwise a command (app/registry.ts) or the person's active flow;
 * (5) the person is written once: the Contact touched with the event's own time
 * (services/contacts.ts), with the session if it changed; then the replies are returned (and
 * kept with the event's turn record).
 *
 * A recognised command always wins over a flow's input — its name alone (`trạng thái`) or
 * followed by arguments (`duyệt BHXH 2027-H1`, `sửa 1.3`) — and is refused as a command when the
 * person lacks the right; the flow stays where it was unless the command moves it. The one
 * exception: while the flow asks for free text whose answer may begin with a command word (a
 * report's text question, a broadcast's message: `ChatFlow.takesFreeText`), only an input that
 * is exactly a command's name (`hủy`, `xem lại`, `nộp`) is a command; anything longer is the
 * answer ("Báo cáo kết quả quý II…"). Otherwise a command typed with a small typo or a space
 * missing is recognised when unambiguous ("bao coa", "báocáo"), and with no dialog waiting one
 * near but not certain is answered "Có phải bạn muốn gõ "báo cáo"?" (router/command-match.ts,
 * the one place commands are recognised).
 */
import { z } from 'zod';
import { enrol, lockedOut, matchEnrol } from '../dialogs/enrolment.js';
import { vi } from '../i18n/vi.js';
import { fold } from '../lib/text.js';
import { coordinatorUnit, findUnit } from '../regime/regime.js';
import { touch } from '../services/contacts.js';
import { activeLock, ENROL, refuseLocked, strangerInput } from '../services/throttle.js';
import { currentMember, userKey as makeUserKey, type Contact, type Member, type Session } from '../store/records.js';
import { sessionOf } from '../store/repositories.js';
import { recognise, shownName, type Recognised } from './command-match.js';
import type { Access, Actor, ChatCommand, CommandContext, Registry } from '../core/commands.js';
import type { AppContext } from '../core/context.js';
import type { BotCore, InboundEvent, OutMessage } from '../core/message.js';

interface SessionState {
  /** SESSION_VERSION when saved. */
  v: number;
  /** The active flow, its state's version (ChatFlow.state.version) and its state. */
  flow: { id: string; v: number; state: Record<string, unknown> } | null;
  memory: Record<string, unknown>;
}

/** A turn not finished within this is considered abandoned: a redelivery of its event runs it again. */
export const TURN_LEASE_MS = 60_000;

/**
 * The session row's own shape (`Session.state`), checked on load with its version. Bump
 * SESSION_VERSION when this envelope changes; each flow versions its own state
 * (ChatFlow.state). Rows saved before versions were written have none: they read as version 1.
 */
const SESSION_VERSION = 1;
export const SessionSchema = z.object({
  v: z.number().int().optional(),
  flow: z
    .object({ id: z.string().min(1), v: z.number().int().optional(), state: z.record(z.string(), z.unknown()) })
    .nullable()
    .optional(),
  memory: z.record(z.string(), z.unknown()).optional(),
});

type StoredSession = z.infer<typeof SessionSchema>;

/** A plain object as JSON reads it (no prototype of its own, no own `__proto__` key, which zod would strip): what the quick check below accepts. */
const plain = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype && !Object.hasOwn(x, '__proto__');
const optionalInt = (x: unknown) => x === undefined || Number.isSafeInteger(x);

/**
 * The session envelope as SessionSchema would return it, checked by hand for the common case (a
 * row this version wrote: plain objects, integer versions), or undefined when anything is unusual;
 * then SessionSchema decides, as it always did. Only what SessionSchema accepts passes here, and
 * the result is what it returns (records copied one level, unknown keys left out), without its
 * cost on every turn (issue 15).
 */
export function quickSession(state: unknown): StoredSession | undefined {
  if (!plain(state) || !optionalInt(state.v)) return undefined;
  const { flow, memory } = state;
  if (memory !== undefined && !plain(memory)) return undefined;
  if (flow !== undefined && flow !== null && !(plain(flow) && typeof flow.id === 'string' && flow.id.length > 0 && optionalInt(flow.v) && plain(flow.state))) return undefined;
  const out: StoredSession = {};
  if (state.v !== undefined) out.v = state.v as number;
  if (flow !== undefined) out.flow = flow && { id: flow.id as string, ...(flow.v !== undefined ? { v: flow.v as number } : {}), state: { ...(flow.state as Record<string, unknown>) } };
  if (memory !== undefined) out.memory = { ...memory };
  return out;
}

/** A flow state found stale on load: the flow it belonged to (when still readable) and what was stored. */
interface StaleFlow {
  flowId?: string;
  state: unknown;
}

const HELP_NAMES = new Set(['tro giup', 'giup', 'help', '?', 'huong dan', 'menu']);

const CommandValueSchema = z.object({ dondoc: z.literal('command'), text: z.string().min(1).max(2000) });

export { matchCommand } from './command-match.js';

export function allowed(actor: Actor, access: Access): boolean {
  if (access === 'public') return true;
  if (access === 'member') return actor.memberships.length > 0;
  return actor.isCoordinator;
}

/** "Có phải bạn muốn gõ "báo cáo"?", with a button for each command (and the words typed after it). */
function didYouMean(hit: Extract<Recognised, { kind: 'suggest' }>): OutMessage {
  const names = hit.options.map((o) => shownName(o.cmd, o.name));
  return { text: vi.router.didYouMean(names), choices: names.map((n) => ({ value: hit.args ? `${n} ${hit.args}` : n, label: n })) };
}

function refusal(ctx: AppContext, actor: Actor): OutMessage[] {
  const org = coordinatorUnit(ctx.regime);
  return [{ text: actor.memberships.length === 0 ? vi.router.notEnrolled(org) : vi.router.coordinatorOnly(org) }];
}

/**
 * The router over `registry`: what it dispatches to comes from the composition root (app/registry.ts
 * `registry`), which is above this layer (docs/layers.md).
 */
export function createBot(ctx: AppContext, registry: Registry): BotCore {
  const cmds = registry.commands;
  const flows = new Map(registry.flows.map((f) => [f.id, f]));
  const queues = new Map<string, Promise<unknown>>();
  /**
   * The commands a person may use, as `allowed` decides from whether they are a member and a
   * coordinator: made once per such pair, not filtered on every input.
   */
  const allowedLists: Array<ChatCommand[] | undefined> = [];
  const commandsAllowed = (actor: Actor): ChatCommand[] => (allowedLists[(actor.memberships.length > 0 ? 1 : 0) + (actor.isCoordinator ? 2 : 0)] ??= cmds.filter((c) => allowed(actor, c.access)));

  /**
   * The person's session (read with their Contact), checked: a row whose envelope fails SessionSchema (or has another
   * version) is dropped whole; a flow state of another version than its flow's, or failing the
   * flow's schema, is dropped and returned as `stale` (the memory is kept). A flow no longer
   * registered is left for the router to end (M.flowGone).
   */
  function loadSession(key: string, doc: Session | null): { doc: Session | null; state: SessionState; stale?: StaleFlow } {
    const fresh = (memory: Record<string, unknown> = {}): SessionState => ({ v: SESSION_VERSION, flow: null, memory });
    if (!doc) return { doc, state: fresh() };
    const quick = quickSession(doc.state);
    const env = quick ? { success: true as const, data: quick } : SessionSchema.safeParse(doc.state);
    if (!env.success || (env.data.v ?? 1) !== SESSION_VERSION) {
      const raw = (doc.state as { flow?: { id?: unknown; state?: unknown } } | null)?.flow;
      ctx.log.warn({ user: key }, 'stale session dropped (shape or version)');
      return { doc, state: fresh(), stale: { flowId: typeof raw?.id === 'string' ? raw.id : undefined, state: raw?.state } };
    }
    const memory = env.data.memory ?? {};
    const f = env.data.flow;
    if (!f) return { doc, state: fresh(memory) };
    const flow = flows.get(f.id);
    if (!flow) return { doc, state: { v: SESSION_VERSION, flow: { id: f.id, v: f.v ?? 1, state: f.state }, memory } };
    // The flow's own quick check of the usual state first (FlowStateSpec.quick), its schema for anything else.
    const quickState = (f.v ?? 1) === flow.state.version ? flow.state.quick?.(f.state) : undefined;
    const checked = quickState ? { success: true as const, data: quickState } : (f.v ?? 1) === flow.state.version ? flow.state.schema.safeParse(f.state) : undefined;
    if (!checked?.success) {
      ctx.log.warn({ user: key, flow: f.id, stored: f.v ?? 1, current: flow.state.version }, 'stale flow state dropped (shape or version)');
      return { doc, state: fresh(memory), stale: { flowId: f.id, state: f.state } };
    }
    return { doc, state: { v: SESSION_VERSION, flow: { id: f.id, v: flow.state.version, state: checked.data }, memory } };
  }

  function help(actor: Actor): OutMessage[] {
    const lines: string[] = [vi.help.title, vi.help.enrol];
    for (const c of cmds) if (allowed(actor, c.access)) lines.push(`• ${c.help}`);
    lines.push(vi.help.help);
    const units = actor.memberships.map((m) => findUnit(ctx.regime, m.unitCode)?.shortName ?? m.unitCode);
    lines.push('', units.length ? vi.help.footerMember(units.join(', ')) : vi.help.footerGuest(coordinatorUnit(ctx.regime)));
    return [{ text: lines.join('\n') }];
  }

  /**
   * One turn. Any failure — a bug, or the store unreachable — ends in a polite "please try again"
   * (never an exception to the channel, never silence). When the session cannot be saved the
   * acknowledgement is not sent either: the next input must not be read against a stale session.
   */
  /**
   * Limits on abuse (services/throttle.ts), before the turn writes anything: a person not enrolled
   * has every input counted, and past the limit is told once to wait, then not answered; a code
   * sent while locked out after wrong codes is refused. A refused input writes only the counter.
   */
  async function throttled(ev: InboundEvent, key: string, memberships: Member[]): Promise<OutMessage[] | null> {
    const now = ctx.clock.now().getTime();
    if (memberships.length === 0) {
      const gate = await strangerInput(ctx, { userKey: key, channel: ev.channel }, now);
      if (gate.refused) return gate.tell ? [{ text: vi.limits.strangerLocked({ minutes: gate.tell.minutes, until: gate.tell.untilText }, coordinatorUnit(ctx.regime)) }] : [];
    }
    const asCommand = ev.value ? CommandValueSchema.safeParse(ev.value) : undefined;
    const typed = asCommand?.success ? asCommand.data.text : ev.text;
    if (typed && matchEnrol(typed)) {
      const lock = await activeLock(ctx, ENROL, key, now);
      if (lock) {
        await refuseLocked(ctx, ENROL, key, now);
        return lockedOut(lock);
      }
    }
    return null;
  }

  /**
   * One turn is one unit of work: its writes (turn record, draft, contact with session, audit) share
   * a commit on the embedded store, and the replies are returned only once it is made, so
   * nothing is acknowledged before it is stored. A failed commit is answered like any failure.
   */
  async function turn(ev: InboundEvent, meanwhile?: (replies: OutMessage[]) => void): Promise<OutMessage[]> {
    try {
      return await ctx.store.db.unitOfWork(() => unitTurn(ev), meanwhile ? { meanwhile } : undefined);
    } catch (e) {
      ctx.log.error({ err: e, channel: ev.channel }, 'bot turn could not be stored');
      return [{ text: vi.router.internalError }];
    }
  }

  async function unitTurn(ev: InboundEvent): Promise<OutMessage[]> {
    const key = makeUserKey(ev.channel, ev.userId);
    try {
      // The person in one read (issue 15): their memberships, and their Contact, which holds their session.
      // A substitute's membership counts only while its delegation lasts (services/delegations.ts).
      const person = await ctx.store.person(key);
      const { contact } = person;
      const memberships = person.memberships.filter((m) => currentMember(m, ctx.clock.now().getTime()));
      const refused = await throttled(ev, key, memberships);
      if (refused) return refused;
      // No id, or the channel's inbox already makes the event's turn happen once (InboundEvent.dedupedByChannel).
      if (!ev.eventId || ev.dedupedByChannel) return await guardedTurn(ev, key, memberships, contact);
      // One turn per event id and person, in the store (so across restarts and instances).
      const id = `${key}|${ev.eventId}`;
      const begun = await ctx.store.beginTurn({ _id: id, channel: ev.channel, userKey: key, eventId: ev.eventId, eventAt: ev.receivedAt.getTime() }, ctx.clock.now().getTime(), TURN_LEASE_MS);
      if (begun.kind === 'duplicate') {
        ctx.log.info({ user: key, channel: ev.channel, eventId: ev.eventId, status: begun.record.status }, 'duplicate event: no second turn');
        return begun.record.replies ? (JSON.parse(begun.record.replies) as OutMessage[]) : [];
      }
      const out = await guardedTurn(ev, key, memberships, contact);
      // The turn happened: its replies go out even if they cannot be kept with its record.
      await ctx.store.finishTurn(begun.record, JSON.stringify(out), ctx.clock.now().getTime()).then(
        (done) => done || ctx.log.warn({ user: key, eventId: ev.eventId }, 'turn outlived its lease; another process may have taken the event over'),
        (e: Error) => ctx.log.warn({ user: key, eventId: ev.eventId, err: { message: e.message } }, 'could not record the finished turn'),
      );
      return out;
    } catch (e) {
      ctx.log.error({ err: e, user: key, channel: ev.channel }, 'bot turn failed');
      return [{ text: vi.router.internalError }];
    }
  }

  /** `contact`: the person's Contact as read at the start of the turn (null: none yet); written once, at the end. */
  async function guardedTurn(ev: InboundEvent, key: string, memberships: Member[], contact: Contact | null): Promise<OutMessage[]> {
    const now = ctx.clock.now();
    const session = loadSession(key, sessionOf(contact));
    const actor: Actor = {
      userKey: key,
      event: ev,
      displayName: ev.userName,
      memberships,
      isCoordinator: memberships.some((m) => m.role === 'coordinator'),
    };
    const st = session.state;
    const before = JSON.stringify(st);

    // Set when a command or flow changes the active flow itself (startFlow/endFlow).
    let flowTouched = false;
    const makeContext = (args: string): CommandContext => ({
      app: ctx,
      actor,
      args,
      now,
      flow: st.flow,
      commands: cmds,
      memory: st.memory,
      async startFlow(flowId, state) {
        const flow = flows.get(flowId);
        if (!flow) throw new Error(`unknown flow ${flowId}`);
        st.flow = { id: flowId, v: flow.state.version, state };
        flowTouched = true;
      },
      endFlow() {
        st.flow = null;
        flowTouched = true;
      },
    });

    const route = async (): Promise<OutMessage[]> => {
      // A button that stands for typed text.
      let text = ev.text?.trim() ?? '';
      const value = ev.value;
      if (value) {
        const asCommand = CommandValueSchema.safeParse(value);
        if (asCommand.success) text = asCommand.data.text.trim();
        else {
          const h = registry.valueHandlers.find((x) => x.matches(value));
          if (!h) return [{ text: vi.router.unsupportedValue }];
          if (!allowed(actor, h.access)) return refusal(ctx, actor);
          return h.run(makeContext(''), value);
        }
      }
      // A file or photo (the signed report): its own handler, whatever flow is active.
      if (ev.attachments?.length && registry.attachments) {
        if (!allowed(actor, registry.attachments.access)) return refusal(ctx, actor);
        return registry.attachments.run(makeContext(''), ev.attachments);
      }
      if (!text) return [{ text: `${vi.router.welcome(actor.displayName)}\n\n${help(actor)[0].text}` }];

      const code = matchEnrol(text);
      if (code !== undefined) return enrol(ctx, actor, code, now);
      if (HELP_NAMES.has(fold(text))) return help(actor);

      const active = st.flow ? flows.get(st.flow.id) : undefined;
      // After a stale flow, what it waited for is unknown: only a command's exact name is a command.
      const freeText = Boolean(session.stale) || Boolean(active && st.flow && active.takesFreeText?.(makeContext(text), st.flow.state));
      // Exactly, or forgiving a small typo (router/command-match.ts): none while free text is awaited.
      const mode = freeText ? 'freeText' : active ? 'answer' : 'idle';
      const hit = recognise(cmds, text, mode, commandsAllowed(actor));
      if (hit?.kind === 'suggest') return [didYouMean(hit)];
      if (hit) {
        if (!allowed(actor, hit.cmd.access)) return refusal(ctx, actor);
        return hit.cmd.run(makeContext(hit.args));
      }
      if (session.stale) return restartStale(session.stale);
      if (st.flow && !active) {
        st.flow = null;
        return [{ text: vi.router.flowGone }];
      }
      if (active && st.flow) {
        if (!allowed(actor, active.access)) {
          st.flow = null;
          return refusal(ctx, actor);
        }
        const r = await active.onInput(makeContext(text), st.flow.state);
        // A flow that handed over (startFlow/endFlow) has set the next flow itself.
        if (!flowTouched) st.flow = r.state ? { id: active.id, v: active.state.version, state: r.state } : null;
        return r.messages;
      }
      if (actor.memberships.length === 0) return [{ text: vi.router.notEnrolled(coordinatorUnit(ctx.regime)) }];
      return [{ text: vi.router.notUnderstood }];
    };

    /**
     * A stale flow state (see loadSession) starts its flow over, politely and from what the store
     * keeps (a report's draft); the input is not read as an answer to a question no longer known.
     */
    let staleTold = false;
    const restartStale = async (stale: StaleFlow): Promise<OutMessage[]> => {
      staleTold = true;
      const flow = stale.flowId ? flows.get(stale.flowId) : undefined;
      if (!flow?.restart || !allowed(actor, flow.access)) return [{ text: `${vi.router.sessionExpired} ${vi.router.sessionExpiredHow}` }];
      const [first, ...more] = await flow.restart(makeContext(''), stale.state);
      return first ? [{ ...first, text: `${vi.router.sessionExpired}\n\n${first.text}` }, ...more] : [{ text: `${vi.router.sessionExpired} ${vi.router.sessionExpiredHow}` }];
    };

    let out: OutMessage[];
    try {
      out = await route();
    } catch (e) {
      ctx.log.error({ err: e, user: key, channel: ev.channel }, 'bot turn failed');
      out = [{ text: vi.router.internalError }];
    }
    // A stale flow dropped while the input went elsewhere (a command, help): say so once, first.
    if (session.stale && !staleTold) out = [{ text: vi.router.sessionExpired }, ...out];
    // One write of the person: the interaction recorded (services/contacts.ts touch) with the session, if it changed.
    const changed = JSON.stringify(st) !== before || !session.doc || session.stale;
    await touch(ctx, ev, { current: contact, ...(changed ? { session: st as unknown as Record<string, unknown> } : {}) });
    return out;
  }

  return {
    handle(ev: InboundEvent, opts?: { meanwhile?: (replies: OutMessage[]) => void }): Promise<OutMessage[]> {
      const key = makeUserKey(ev.channel, ev.userId);
      const prev = queues.get(key) ?? Promise.resolve();
      const next = prev.then(
        () => turn(ev, opts?.meanwhile),
        () => turn(ev, opts?.meanwhile),
      );
      const tail = next.catch(() => undefined);
      queues.set(key, tail);
      void tail.then(() => {
        if (queues.get(key) === tail) queues.delete(key);
      });
      return next;
    },
  };
}
