/**
 * The channel seam: what a channel (Teams, Zalo, the console, and any later one) gives the app,
 * and what the app and the core need to know about the channels without knowing any of them.
 *
 * A channel folder (channels/<name>/) exports ONE `ChannelDefinition`: light metadata (its name,
 * its proactive pace, whether this configuration runs it) and `create`, which loads the channel's
 * SDK lazily and returns the running `ChannelAdapter`: the HTTP routes it serves (described here,
 * mounted on the HTTP server by app/), its sender for proactive messages, start/stop, a health
 * probe and its rendering of an OutMessage. The app registers the definitions in one list
 * (app/channels.ts); everything else reads that list from `AppContext.channels` — nobody else
 * writes out the channel names.
 *
 * The HTTP interfaces are the minimum the channels use; Node's http objects (and restify's,
 * which extend them) satisfy them, so no HTTP framework is known outside app/.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AppConfig } from '../config/env.js';
import type { Channel } from '../store/records.js';
import type { AppContext } from './context.js';
import type { BotCore, ChannelSender, OutMessage } from './message.js';

/** An inbound HTTP request as a channel's route sees it. */
export interface HttpRequest {
  readonly headers: IncomingHttpHeaders;
  /** The request target: path and query string (`/web/board?period=2027-H1`). */
  readonly url?: string;
  /**
   * The parsed body: JSON for a route declared `body: { kind: 'json' }`; for `form`, the fields of
   * an `application/x-www-form-urlencoded` body (a field sent several times: an array).
   */
  readonly body?: unknown;
  /** The raw body, for a route declared `body: { kind: 'raw' }` (read it as a stream). */
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** Discards the rest of the body. */
  resume(): unknown;
}

/** The answer to an HTTP request. */
export interface HttpResponse {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  /** JSON body with the status set before. */
  json(body: unknown): unknown;
  /** Status and JSON body at once. */
  send(code: number, body?: unknown): unknown;
  /** Ends the response: an empty body, or `data` (HTML, a file) after `writeHead`. */
  end(data?: string | Buffer): unknown;
  /** Status and headers at once (`Set-Cookie` may be several), before `end(data)`. */
  writeHead(code: number, headers: Record<string, string | number | string[]>): unknown;
}

export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  /**
   * How the body reaches the handler. `json`: parsed before the handler runs; a body declared
   * larger than `maxBytes` is refused with 413 before a byte of it is read, an undeclared one is
   * cut off at `maxBytes`. `raw`: not read at all — the handler reads the stream (e.g. to verify
   * a signature over the exact bytes) and enforces its own limit. `form`: a URL-encoded form
   * (the web console's posts), parsed like `json` under the same limits.
   */
  body: { kind: 'json'; maxBytes: number } | { kind: 'form'; maxBytes: number } | { kind: 'raw' };
  handler(req: HttpRequest, res: HttpResponse): Promise<void>;
}

export interface HealthCheck {
  ok: boolean;
  detail?: string;
  /** Further facts a probe reports beside its state, shown as they are (e.g. Zalo's `signatureFailures`). */
  [fact: string]: unknown;
}

/** One line of /healthz `checks` (a channel's dependency, the regime's calendar…). */
export interface HealthProbe {
  name: string;
  check(): Promise<HealthCheck>;
}

/** A pace for proactive sends (outbox token bucket): at most `perSecond`, in bursts of `burst`. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** How the outbox sends on a channel (jobs/outbox-worker.ts). */
export interface Pacing {
  /** All recipients together. */
  rate: Rate;
  /** Sends in flight at once (a platform round trip is 100–300 ms: rate × round trip keeps the pace). */
  inFlight: number;
  /**
   * Each recipient (conversation), when the platform limits it too (Teams: 7/1 s, 8/2 s, 60/30 s,
   * 1,800/h per conversation). Whatever it is, one recipient never has two sends in flight: their
   * messages arrive in the order they were queued.
   */
  perRecipient?: Rate;
}

/** A running channel. */
export interface ChannelAdapter<Rendered = unknown> {
  readonly channel: Channel;
  /** The routes it serves on the app's HTTP server (none for the console). */
  readonly routes: readonly HttpRoute[];
  /** Proactive delivery (reminders, broadcasts, notices), paced by the outbox (`ChannelDefinition.pacing`). */
  readonly sender: ChannelSender;
  readonly health: HealthProbe;
  /** Start-up warnings to log (e.g. authentication off). */
  readonly warnings: readonly string[];
  /** Facts for the `config.loaded` audit entry (never secrets). */
  readonly auditFacts?: Record<string, unknown>;
  /** How this channel shows an OutMessage: the activities, messages or lines it sends for it. */
  render(msg: OutMessage): Rendered[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once the inbound events accepted so far are processed (work done after answering a webhook). */
  idle(): Promise<void>;
}

export interface ChannelDeps {
  ctx: AppContext;
  /** The core every inbound event is handed to. */
  bot: BotCore;
  /** Channel-specific settings beyond the configuration (tests: fakes' endpoints, streams). */
  options?: unknown;
}

/** What a channel folder exports: light (no SDK loaded until `create`). */
export interface ChannelDefinition {
  readonly channel: Channel;
  /** The outbox's pacing of proactive sends with this configuration (the channel's settings, else its defaults). */
  pacing(config: AppConfig): Pacing;
  /**
   * Whether the server runs this channel with this configuration — and therefore delivers
   * proactive messages on it. A fact of the configuration, not of the process asking: a
   * coordinator's `dondoc chat` runs no channel server, yet what it queues is delivered by the
   * server's outbox worker, so its audiences are the server's.
   */
  enabled(config: AppConfig): boolean;
  /** Logged at start-up when the configuration leaves the channel off. */
  readonly disabledWarning?: string;
  create(deps: ChannelDeps): Promise<ChannelAdapter>;
}

/** The registered channels' names (the `Channel` type's values as this deployment knows them). */
export function channelNames(ctx: Pick<AppContext, 'channels'>): Channel[] {
  return ctx.channels.map((c) => c.channel);
}

/** The channels this deployment delivers proactive messages on (see `ChannelDefinition.enabled`). */
export function deliveryChannels(ctx: Pick<AppContext, 'channels' | 'config'>): Channel[] {
  return ctx.channels.filter((c) => c.enabled(ctx.config)).map((c) => c.channel);
}

/** The channel of a user key (`teams:29:…`, `zalo:…`), when it is a registered channel. */
export function channelOf(ctx: Pick<AppContext, 'channels'>, userKey: string): Channel | undefined {
  const name = userKey.slice(0, userKey.indexOf(':'));
  return ctx.channels.find((c) => c.channel === name)?.channel;
}
