/**
 * The extension point for chat commands and multi-turn flows. The router (router/router.ts) matches a
 * command by its folded name (see lib/text.ts), checks `access`, and runs it; a command that
 * needs more turns (preview → confirm) starts a flow, which then receives the user's next inputs
 * until it finishes. Feature modules (reporting dialog, review, broadcast, consolidation) each
 * contribute commands and flows; none imports a channel SDK.
 */
import type { z } from 'zod';
import type { Member } from '../store/records.js';
import type { AppContext } from './context.js';
import type { InboundAttachment, InboundEvent, OutMessage } from './message.js';

export interface Actor {
  /** `${channel}:${platformUserId}` */
  userKey: string;
  event: InboundEvent;
  displayName?: string;
  /** Active memberships (unit + role). Empty: not enrolled. */
  memberships: Member[];
  /** Has the coordinator role (Sở LĐTBXH). */
  isCoordinator: boolean;
}

export interface CommandContext {
  app: AppContext;
  actor: Actor;
  /** The text after the command name, trimmed (original case and diacritics kept). */
  args: string;
  now: Date;
  /** Hands the conversation to a flow: its `onInput` receives the next inputs. */
  startFlow(flowId: string, state: Record<string, unknown>): Promise<void>;
  /** The user's active flow when this command or input arrived (null: none). */
  flow: { id: string; state: Record<string, unknown> } | null;
  /** Leaves the active flow (e.g. `hủy`). */
  endFlow(): void;
  /**
   * The commands the router dispatches to (app/registry.ts, passed in by the composition root):
   * for a command that hands over to another one of the same name (`trạng thái`, `xem`).
   */
  commands: readonly ChatCommand[];
  /**
   * Small per-user memory kept across turns and restarts (stored with the session), e.g. the
   * report last worked on. Mutate it in place; the router saves it after the turn.
   */
  memory: Record<string, unknown>;
}

export type Access = 'public' | 'member' | 'coordinator';

export interface ChatCommand {
  id: string;
  /** Folded phrases (lowercase, no diacritics) that start the command, e.g. ['bao cao', 'report']. */
  names: string[];
  access: Access;
  /** One line of Vietnamese help for `trợ giúp`. */
  help: string;
  run(c: CommandContext): Promise<OutMessage[]>;
}

export interface FlowResult {
  messages: OutMessage[];
  /**
   * The flow's next state, or null when the flow is over. Ignored when `onInput` called
   * `startFlow` or `endFlow` itself (handing the conversation to another flow).
   */
  state: Record<string, unknown> | null;
}

/**
 * Handles a structured inbound value (`InboundEvent.value`, e.g. a Teams card submission) that
 * `matches` recognises. The router checks `access` first. A value `{dondoc: 'command', text}` is
 * not handed to these: the router treats its `text` as if typed.
 */
export interface ValueHandler {
  id: string;
  access: Access;
  matches(value: Record<string, unknown>): boolean;
  run(c: CommandContext, value: Record<string, unknown>): Promise<OutMessage[]>;
}

/**
 * A flow's state as kept in the session between turns: its shape, checked with zod every time the
 * session is loaded (router/router.ts), and its version. Bump `version` whenever a deploy changes
 * what the state holds or means; a stored state of another version, or one that fails `schema`,
 * is stale: the router drops it and the flow `restart`s.
 */
export interface FlowStateSpec<S extends Record<string, unknown>> {
  version: number;
  schema: z.ZodType<S>;
  /**
   * A check by hand of the common case, standing in for `schema` on every turn (issue 15): the
   * state as `schema` would return it, or undefined when anything is unusual (then `schema`
   * decides). It may accept only what `schema` accepts, and must return the same data.
   */
  quick?(stored: unknown): S | undefined;
}

export interface ChatFlow<S extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  access: Access;
  state: FlowStateSpec<S>;
  /** The next input; `state` has passed `state.schema` (router/router.ts). */
  onInput(c: CommandContext, state: S): Promise<FlowResult>;
  /**
   * True while the flow waits for free text that may legitimately begin with a command word (a
   * report's text answer "Báo cáo kết quả…", a broadcast's message). Then only an input that is
   * exactly a command's name (`hủy`, `xem lại`) is taken as a command. Otherwise (numbered
   * choices, figures, dates, a confirmation; and when absent) any recognised command wins over
   * the flow, with its arguments (`duyệt BHXH 2027-H1`). See router/router.ts.
   */
  takesFreeText?(c: CommandContext, state: S): boolean;
  /**
   * Starts the flow over when the person's stored state in it was stale (a deploy changed its
   * shape or version); the router puts its polite notice that the session expired before the
   * first reply. `stale` is what was stored, unchecked: use only what still validates (a report's
   * unit and period). Drafts live in the store and are kept. Absent: the router says the notice and
   * how to go on.
   */
  restart?(c: CommandContext, stale: unknown): Promise<OutMessage[]>;
}

/** A flow typed with its own state (inferred from `state.schema`), as one of the registry's flows. */
export function defineFlow<S extends Record<string, unknown>>(flow: ChatFlow<S>): ChatFlow {
  return flow;
}

/**
 * What the router dispatches to: the commands, flows and value handlers of every feature. Listed
 * in app/registry.ts (the composition root) and handed to the router's `createBot`.
 */
export interface Registry {
  commands: ChatCommand[];
  flows: ChatFlow[];
  valueHandlers: ValueHandler[];
  /** Files and photos a person sends (`InboundEvent.attachments`): the signed report (dialogs/report/attach.ts). Absent: not read. */
  attachments?: AttachmentHandler;
}

/** Handles the files of an event; the router checks `access` first and leaves the active flow as it is. */
export interface AttachmentHandler {
  access: Access;
  run(c: CommandContext, files: InboundAttachment[]): Promise<OutMessage[]>;
}
