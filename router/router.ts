/**
 * The bot core's single entry point: every channel hands its normalised events to `handle`.
 *
 * One turn: (1) turns of one person run one after another (in-process queue per user);
 * (2) the person's Contact is recorded (channel, id, name, last interaction, reachable);
 * (3) the Actor is resolved from the store (memberships, coordinator role);
 * (4) the input is routed: `đăng ký MÃ` and `trợ giúp` here; a structured value to its
 * ValueHandler; otherwise a command (app/registry.ts) or the person's active flow;
 * (5) the session (active flow + memory) is saved, then the replies are returned.
 *
 * A recognised command always wins over a flow's input — its name alone (`trạng thái`) or
 * followed by arguments (`duyệt BHXH 2027-H1`, `sửa 1.3`) — and is refused as a command when the
 * person lacks the right; the flow stays where it was unless the command moves it. The one
 * exception: while the flow asks for free text whose answer may begin with a command word (a
 * report's text question, a broadcast's message: `ChatFlow.takesFreeText`), only an input that
 * is exactly a command's name (`hủy`, `xem lại`, `nộp`) is a command; anything longer is the
 * answer ("Báo cáo kết quả quý II…").
 */
import { z } from 'zod';
import { enrol, matchEnrol } from '../dialogs/enrolment.js';
import { vi } from '../i18n/vi.js';
import { fold } from '../lib/text.js';
import { coordinatorUnit, findUnit } from '../regime/regime.js';
import { userKey as makeUserKey, type Session } from '../store/records.js';
import type { Access, Actor, ChatCommand, CommandContext } from '../core/commands.js';
import type { AppContext } from '../core/context.js';
import type { BotCore, InboundEvent, OutMessage } from '../core/message.js';
import { commands as registeredCommands, flows as registeredFlows, valueHandlers as registeredValueHandlers } from '../app/registry.js';

interface SessionState {
  flow: { id: string; state: Record<string, unknown> } | null;
  memory: Record<string, unknown>;
}

const HELP_NAMES = new Set(['tro giup', 'giup', 'help', '?', 'huong dan', 'menu']);

const CommandValueSchema = z.object({ dondoc: z.literal('command'), text: z.string().min(1).max(2000) });

export interface BotOptions {
  commands?: ChatCommand[];
}

/** Matches a command: the longest name that is the whole input or its leading words. */
export function matchCommand(
  cmds: ChatCommand[],
  text: string,
  wholeOnly: boolean,
): { cmd: ChatCommand; args: string } | undefined {
  const folded = fold(text);
  let best: { cmd: ChatCommand; name: string } | undefined;
  for (const cmd of cmds)
    for (const name of cmd.names) {
      const hit = folded === name || (!wholeOnly && folded.startsWith(`${name} `));
      if (hit && (!best || name.length > best.name.length)) best = { cmd, name };
    }
  if (!best) return undefined;
  const words = best.name.split(' ').length;
  const args = text.trim().split(/\s+/).slice(words).join(' ');
  return { cmd: best.cmd, args };
}

export function allowed(actor: Actor, access: Access): boolean {
  if (access === 'public') return true;
  if (access === 'member') return actor.memberships.length > 0;
  return actor.isCoordinator;
}

function refusal(ctx: AppContext, actor: Actor): OutMessage[] {
  const org = coordinatorUnit(ctx.regime);
  return [{ text: actor.memberships.length === 0 ? vi.router.notEnrolled(org) : vi.router.coordinatorOnly(org) }];
}

export function createBot(ctx: AppContext, opts: BotOptions = {}): BotCore {
  const cmds = opts.commands ?? registeredCommands;
  const flows = new Map(registeredFlows.map((f) => [f.id, f]));
  const queues = new Map<string, Promise<unknown>>();

  async function recordContact(ev: InboundEvent, key: string, now: number): Promise<void> {
    const set = {
      lastInteractionAt: now,
      reachable: true,
      unreachableReason: undefined,
      updatedAt: now,
      ...(ev.userName ? { displayName: ev.userName } : {}),
      ...(ev.conversationRef ? { conversationRef: ev.conversationRef } : {}),
    };
    if (await ctx.store.contacts.updateOne({ _id: key }, set)) return;
    const inserted = await ctx.store.contacts.insert({
      _id: key,
      channel: ev.channel,
      platformUserId: ev.userId,
      displayName: ev.userName,
      conversationRef: ev.conversationRef,
      reachable: true,
      lastInteractionAt: now,
      updatedAt: now,
    });
    if (!inserted) await ctx.store.contacts.updateOne({ _id: key }, set);
  }

  async function loadSession(key: string): Promise<{ doc: Session | null; state: SessionState }> {
    const doc = await ctx.store.sessions.get(key);
    const raw = (doc?.state ?? {}) as Partial<SessionState>;
    return { doc, state: { flow: raw.flow ?? null, memory: raw.memory ?? {} } };
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
  async function turn(ev: InboundEvent): Promise<OutMessage[]> {
    const key = makeUserKey(ev.channel, ev.userId);
    try {
      return await guardedTurn(ev, key);
    } catch (e) {
      ctx.log.error({ err: e, user: key, channel: ev.channel }, 'bot turn failed');
      return [{ text: vi.router.internalError }];
    }
  }

  async function guardedTurn(ev: InboundEvent, key: string): Promise<OutMessage[]> {
    const now = ctx.clock.now();
    await recordContact(ev, key, now.getTime());
    const memberships = await ctx.store.membershipsOf(key);
    const actor: Actor = {
      userKey: key,
      event: ev,
      displayName: ev.userName,
      memberships,
      isCoordinator: memberships.some((m) => m.role === 'coordinator'),
    };
    const session = await loadSession(key);
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
      memory: st.memory,
      async startFlow(flowId, state) {
        if (!flows.has(flowId)) throw new Error(`unknown flow ${flowId}`);
        st.flow = { id: flowId, state };
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
          const h = registeredValueHandlers.find((x) => x.matches(value));
          if (!h) return [{ text: vi.router.unsupportedValue }];
          if (!allowed(actor, h.access)) return refusal(ctx, actor);
          return h.run(makeContext(''), value);
        }
      }
      if (!text) return [{ text: `${vi.router.welcome(actor.displayName)}\n\n${help(actor)[0].text}` }];

      const code = matchEnrol(text);
      if (code !== undefined) return enrol(ctx, actor, code, now);
      if (HELP_NAMES.has(fold(text))) return help(actor);

      const active = st.flow ? flows.get(st.flow.id) : undefined;
      const freeText = Boolean(active && st.flow && active.takesFreeText?.(makeContext(text), st.flow.state));
      const hit = matchCommand(cmds, text, freeText);
      if (hit) {
        if (!allowed(actor, hit.cmd.access)) return refusal(ctx, actor);
        return hit.cmd.run(makeContext(hit.args));
      }
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
        if (!flowTouched) st.flow = r.state ? { id: active.id, state: r.state } : null;
        return r.messages;
      }
      if (actor.memberships.length === 0) return [{ text: vi.router.notEnrolled(coordinatorUnit(ctx.regime)) }];
      return [{ text: vi.router.notUnderstood }];
    };

    let out: OutMessage[];
    try {
      out = await route();
    } catch (e) {
      ctx.log.error({ err: e, user: key, channel: ev.channel }, 'bot turn failed');
      out = [{ text: vi.router.internalError }];
    }
    if (JSON.stringify(st) !== before || !session.doc) {
      await ctx.store.sessions.put({ _id: key, _v: session.doc?._v, state: st as unknown as Record<string, unknown>, updatedAt: now.getTime() });
    }
    return out;
  }

  return {
    handle(ev: InboundEvent): Promise<OutMessage[]> {
      const key = makeUserKey(ev.channel, ev.userId);
      const prev = queues.get(key) ?? Promise.resolve();
      const next = prev.then(
        () => turn(ev),
        () => turn(ev),
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
