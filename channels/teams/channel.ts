/**
 * The Teams channel's adapter (core/channel.ts): `POST /api/messages`, served by the Microsoft 365
 * Agents SDK's CloudAdapter (@microsoft/agents-hosting), the proactive sender, the health probe
 * and the rendering (cards.ts). Loaded lazily by the definition in ./index.ts.
 *
 * With MICROSOFT_APP_ID/PASSWORD set, every request's JWT is validated (auth.ts: issuer,
 * audience = our app id, signing keys, serviceUrl claim) before anything is read or stored; a
 * request without a valid token gets 401. Without them authentication is off (development only:
 * config/env.ts refuses NODE_ENV=production without an app id) and start-up says so loudly.
 *
 * The route reads at most MAX_BODY_BYTES (the app's HTTP server enforces the route's declared
 * limit), validates the envelope with zod, and answers within ROUTE_TIMEOUT_MS (the turn keeps
 * running; its delivery record makes a redelivery a no-op). The SDK's `process` runs the turn
 * and answers through an Express-like response (`res.status(n).send(body)`), which restify's
 * does not provide: the route hands it a small recording one and answers with what it recorded.
 */
import { Activity } from '@microsoft/agents-activity';
import { CloudAdapter, ConnectorClient, type AuthConfiguration, type Request, type TurnContext, type UserTokenClient } from '@microsoft/agents-hosting';
import type { ChannelAdapter, ChannelDeps, HttpRequest, HttpResponse, HttpRoute } from '../../core/channel.js';
import type { AppContext } from '../../core/context.js';
import type { BotCore } from '../../core/message.js';
import { AuthRefused, createTokenValidator, type TokenValidationSettings, type TokenValidator } from './auth.js';
import { cardJsonOf, renderMessage } from './cards.js';
import { DondocTeamsBot } from './handler.js';
import { parseActivity, sdkRefusal } from './inbound.js';
import { MAX_BODY_BYTES, MESSAGES_PATH, ROUTE_TIMEOUT_MS, teamsFacts } from './route.js';
import { installFastActivity, markForFastActivity } from './sdk-activity.js';
import { TeamsSender } from './sender.js';
import { sendDirect } from './transport.js';

export { MESSAGES_PATH, MAX_BODY_BYTES, ROUTE_TIMEOUT_MS };

type Identity = NonNullable<Request['user']>;

/**
 * The Agents SDK's CloudAdapter, with two changes:
 * - the turn runs without the SDK's default `onTurnError` (it would post "The agent encountered
 *   an error or bug." to the user and swallow the error): inbound turn errors are handled in
 *   DondocTeamsBot.run, and a proactive send must see its own failure;
 * - the connector client asks Entra ID for its token when it first sends, not before the turn
 *   (the SDK fetches it up front): a turn whose replies cannot be sent still records what the
 *   person did, as with botbuilder, and an invoke answered in the HTTP body needs no token;
 * - the user token client (OAuth sign-in, which the bot does not offer) is made only if something
 *   calls it, not for every request.
 */
export class DondocCloudAdapter extends CloudAdapter {
  constructor(authConfig: AuthConfiguration) {
    super(authConfig);
    this.onTurnError = undefined as unknown as CloudAdapter['onTurnError'];
  }

  /**
   * The bot's own token for this turn's Bot Connector, obtained as the SDK obtains it for the
   * connector client it replies with (CloudAdapter.createConnectorClientWithIdentity): a pasted
   * image's `contentUrl` is served by the connector only with it (handler.ts). Null when the
   * request carried no identity (authentication off: development only).
   */
  async botToken(context: TurnContext): Promise<string | null> {
    const identity = context.identity as (Identity & { azp?: string; appid?: string }) | undefined;
    if (!identity?.aud) return null;
    const provider = this.connectionManager.getTokenProviderFromActivity(identity, context.activity);
    return provider.getAccessToken(identity.azp ?? identity.appid ?? 'https://api.botframework.com');
  }

  protected override async createUserTokenClient(...args: Parameters<CloudAdapter['createUserTokenClient']>): Promise<UserTokenClient> {
    let client: Promise<UserTokenClient> | undefined;
    const real = () => (client ??= super.createUserTokenClient(...args));
    // Every method of the client, resolved on first use ("then" excluded: this is not a promise).
    return new Proxy({} as UserTokenClient, {
      get: (_t, prop) => (prop === 'then' ? undefined : async (...a: unknown[]) => ((await real()) as unknown as Record<PropertyKey, (...x: unknown[]) => unknown>)[prop](...a)),
    });
  }

  protected override async createConnectorClientWithIdentity(
    identity: Identity,
    activity: Activity,
    headers?: Parameters<CloudAdapter['createConnectorClientWithIdentity']>[2],
  ): Promise<ConnectorClient> {
    let client: Promise<{ c: ConnectorClient; wired: boolean }> | undefined;
    const real = () => (client ??= super.createConnectorClientWithIdentity(identity, activity, headers).then((c) => ({ c, wired: sendsWireTexts(c) })));
    // Every method of the client, resolved on first use ("then" excluded: this is not a promise).
    return new Proxy({} as ConnectorClient, {
      get: (_t, prop) =>
        prop === 'then'
          ? undefined
          : async (...args: unknown[]) => {
              const { c: client, wired } = await real();
              const c = client as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>;
              if (prop !== 'replyToActivity' && prop !== 'sendToConversation') return c[prop](...args);
              return withWireJson(args[args.length - 1] as Activity, () => c[prop](...args), wired);
            },
    });
  }
}

/**
 * The JSON the connector client POSTs for an outgoing activity, made in one JSON.stringify: what
 * the SDK's normalizeOutgoingActivity (a JSON.parse of a JSON.stringify of the activity, with
 * `relatesTo.agent` renamed `bot` and `_channelId` written as `channelId`) and its HTTP client
 * (one more JSON.stringify) produce between them, byte for byte (test/unit/teams-wire.test.ts). A
 * section card is not serialised again: its JSON, made when it was measured (cards.ts formCards),
 * is put in its place.
 */
export function wireJson(a: Activity): string {
  const src = a as unknown as Record<string, unknown>;
  const rel = src.relatesTo as Record<string, unknown> | undefined;
  // The usual reply, written key by key (no copy of it): `_channelId` written as `channelId`, last,
  // as the SDK's copy has it (it adds `channelId` to the copy and deletes `_channelId`).
  if (!rel?.agent && !Object.prototype.hasOwnProperty.call(src, 'channelId')) {
    const channel = src._channelId;
    const members = membersJson(src, (k, v) => (k === '_channelId' && channel ? undefined : k === 'attachments' && Array.isArray(v) ? attachmentsJson(v) : valueJson(v)));
    if (members !== null) return `{${joined(members, channel ? `"channelId":${JSON.stringify(String(channel as string))}` : '')}}`;
  }
  return wireJsonOfCopy(a);
}

/**
 * The members of JSON.stringify(o) (its text between the braces), each value's JSON given by
 * `part` (undefined: the key left out, as JSON.stringify leaves out an undefined value); null as
 * soon as `part` gives null (a value this cannot write: the caller serialises another way).
 */
function membersJson(o: Record<string, unknown>, part: (key: string, value: unknown) => string | undefined | null): string | null {
  let out = '';
  for (const k of Object.keys(o)) {
    const p = part(k, o[k]);
    if (p === null) return null;
    if (p !== undefined) out += `${out ? ',' : ''}${JSON.stringify(k)}:${p}`;
  }
  return out;
}

/** Two lists of JSON members as one. */
const joined = (a: string, b: string): string => (a && b ? `${a},${b}` : a || b);

/** wireJson by way of a copy of the activity, renamed as the SDK renames: for any activity. */
function wireJsonOfCopy(a: Activity): string {
  const o: Record<string, unknown> = { ...a };
  const rel = o.relatesTo as Record<string, unknown> | undefined;
  if (rel?.agent) {
    const { agent, ...rest } = rel;
    o.relatesTo = { ...rest, bot: agent };
  }
  if (o._channelId) {
    o.channelId = String(o._channelId);
    delete o._channelId;
  }
  const atts = o.attachments;
  return Array.isArray(atts) ? withJsonOf(o, 'attachments', attachmentsJson(atts) ?? JSON.stringify(atts)) : JSON.stringify(o);
}

/**
 * JSON.stringify of a value written in an object (undefined: left out), or null when it has a
 * toJSON of its own (JSON.stringify gives it the key, which only the whole object's serialisation does).
 */
function valueJson(v: unknown): string | undefined | null {
  return ownToJson(v) ? null : (JSON.stringify(v) as string | undefined);
}
const ownToJson = (v: unknown): boolean => v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function';

/**
 * The JSON of an activity's attachments, a card whose JSON was made when it was built (cards.ts
 * cardJsonOf) not serialised again; null when one has a toJSON of its own (see valueJson).
 */
function attachmentsJson(atts: unknown[]): string | null {
  let out = '';
  for (let i = 0; i < atts.length; i++) {
    const x = atts[i] as Record<string, unknown> | null | undefined;
    if (ownToJson(x)) return null;
    const card = x ? cardJsonOf(x.content) : undefined;
    out += `${i ? ',' : ''}${card === undefined || !x ? (JSON.stringify(x) ?? 'null') : withJsonOf(x, 'content', card)}`;
  }
  return `[${out}]`;
}

/** JSON.stringify(o), the value of its property `key` given as JSON text (in its place: JSON keeps the order of an object's keys). */
function withJsonOf(o: Record<string, unknown>, key: string, json: string): string {
  let found = false;
  const members = membersJson(o, (k, v) => (k === key ? ((found = true), json) : valueJson(v)));
  if (members === null) return withJsonOfByParts(o, key, json);
  return `{${found ? members : joined(members, `${JSON.stringify(key)}:${json}`)}}`;
}

/** withJsonOf through JSON.stringify of the keys before and after `key`, for an object with a value of its own toJSON. */
function withJsonOfByParts(o: Record<string, unknown>, key: string, json: string): string {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  let past = false;
  for (const k of Object.keys(o)) {
    if (k === key) past = true;
    else (past ? after : before)[k] = o[k];
  }
  const b = JSON.stringify(before);
  const a = JSON.stringify(after);
  return `${b.length > 2 ? `${b.slice(0, -1)},` : '{'}${JSON.stringify(key)}:${json}${a.length > 2 ? `,${a.slice(1)}` : '}'}`;
}

/**
 * The JSON texts of the activities being sent, by the token their toJSON gives while they are
 * (see withWireJson), for the connector clients whose HTTP client swaps the token for the text.
 */
const wireTexts = new Map<string, string>();
let wireSeq = 0;

/**
 * Makes a connector client's HTTP client send, for a body that is the token of a text in
 * wireTexts, that text, and send its requests with node:http (transport.ts). False when the client
 * has no HTTP client of the shape this knows (its sends then carry the whole text through the SDK's
 * copy, as before).
 */
function sendsWireTexts(c: ConnectorClient): boolean {
  return sendDirect(c, (config) => {
    const text = typeof config?.data === 'string' ? wireTexts.get(config.data) : undefined;
    if (text !== undefined) config.data = text;
  });
}

/**
 * Runs a connector client's send with the activity serialised once (wireJson), not three times
 * over (the SDK copies it through JSON and its HTTP client serialises the copy). While the send
 * runs, the activity carries a toJSON, which the SDK's copy (JSON.parse of JSON.stringify) turns
 * into what it gives: on a client whose HTTP client was made to swap it (`wired`), a short token
 * that client replaces with the text as it sends (copying the text itself through JSON, escaped
 * and parsed back, was most of what the SDK spent on a reply); on another, the text itself, which
 * an HTTP client sends as it is. Should a later SDK copy the activity another way
 * (structuredClone ignores a non-enumerable toJSON), it serialises it as before.
 */
async function withWireJson<T>(a: Activity, send: () => T, wired = false): Promise<Awaited<T>> {
  if (!a || typeof a !== 'object') return await send();
  const json = wireJson(a);
  const token = wired ? `dondoc:wire:${++wireSeq}` : undefined;
  if (token) wireTexts.set(token, json);
  Object.defineProperty(a, 'toJSON', { value: () => token ?? json, configurable: true, enumerable: false, writable: true });
  try {
    return await send();
  } finally {
    delete (a as { toJSON?: unknown }).toJSON;
    if (token) wireTexts.delete(token);
  }
}

export interface TeamsChannel extends ChannelAdapter<Partial<Activity>> {
  adapter: DondocCloudAdapter;
  sender: TeamsSender;
  handler: DondocTeamsBot;
  authEnabled: boolean;
}

/** The SDK's settings for the bot's own identity (its outbound tokens), from ours. */
export function authConfigOf(ctx: AppContext): AuthConfiguration {
  const t = ctx.config.teams;
  if (!t) return {};
  if (t.appType === 'UserAssignedMSI') return { clientId: t.appId, authType: 'UserManagedIdentity', ...(t.tenantId ? { tenantId: t.tenantId } : {}) };
  // A multi-tenant bot gets its tokens from the Bot Framework's tenant, as botbuilder did.
  return { clientId: t.appId, clientSecret: t.appPassword, authType: 'ClientSecret', tenantId: t.appType === 'SingleTenant' && t.tenantId ? t.tenantId : 'botframework.com' };
}

export interface TeamsOptions {
  routeTimeoutMs?: number;
  /** Token validation for another cloud (tests: a local OpenID metadata URL); see auth.ts. */
  auth?: Omit<TokenValidationSettings, 'appId'>;
}

/**
 * The SDK's web response (Express-like, chaining), recording the status and body for restify. A
 * class (one shape for every request) rather than an object literal with getters made per request.
 */
class CapturedResponse {
  statusCode = 200;
  body: unknown = undefined;
  headersSent = false;
  writableEnded = false;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  setHeader(): this {
    return this;
  }
  send(body?: unknown): this {
    this.body = body;
    return this;
  }
  end(): this {
    this.writableEnded = true;
    return this;
  }
}

/**
 * The activity's times (`timestamp`, `localTimestamp`), when they are texts of valid dates, as the
 * Dates the SDK's schema makes of them (Activity.fromObject: a Date, or a non-empty text turned
 * into `new Date(text)`): zod tries the Date first and builds the whole issue of a text failing it
 * before it tries the text, on every request. Anything else is left to the schema as it came.
 */
export function datesForSdk<T extends Record<string, unknown>>(body: T): T {
  for (const k of TIME_FIELDS) {
    const v = body[k];
    if (typeof v !== 'string' || !v) continue;
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) (body as Record<string, unknown>)[k] = d;
  }
  return body;
}
const TIME_FIELDS = ['timestamp', 'localTimestamp'] as const;

/** POST /api/messages: validate, authenticate, run the turn, answer (see the module comment). */
function messagesRoute(ctx: AppContext, adapter: DondocCloudAdapter, handler: DondocTeamsBot, validate: TokenValidator | undefined, timeoutMs: number): HttpRoute {
  return {
    method: 'POST',
    path: MESSAGES_PATH,
    body: { kind: 'json', maxBytes: MAX_BODY_BYTES },
    async handler(req: HttpRequest, res: HttpResponse) {
      const parsed = parseActivity(req.body);
      if (!parsed.ok) {
        ctx.log.warn({ error: parsed.error }, 'teams: rejected a malformed activity');
        if (parsed.response) res.send(parsed.response.status, parsed.response.body);
        else res.send(400, { error: { code: 'BadRequest', message: parsed.error } });
        return;
      }
      const activity = parsed.activity;
      const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;

      let answered = false;
      const answer = (status: number, body?: unknown) => {
        if (answered) return;
        answered = true;
        if (body === undefined) {
          res.status(status);
          res.end();
        } else res.send(status, body);
      };
      const timer = setTimeout(() => {
        ctx.log.warn({ activityType: activity.type, activityId: activity.id }, 'teams: turn exceeded the route timeout');
        answer(503, { error: { code: 'Timeout', message: 'The bot is still processing this activity.' } });
      }, timeoutMs);
      let user: Identity | undefined;
      if (validate) {
        try {
          user = await validate(authHeader, activity);
        } catch (e) {
          if (e instanceof AuthRefused) {
            // The reasons name claims, never the token itself.
            ctx.log.warn({ activityType: activity.type, reason: e.message }, 'teams: request rejected, authentication failed');
            answer(401, { error: { code: 'Unauthorized', message: 'Unauthorized' } });
          } else {
            // The signing keys could not be fetched: not the caller's fault; the Bot Service retries.
            ctx.log.error({ activityType: activity.type, err: { message: (e as Error).message } }, 'teams: could not authenticate the request');
            answer(503, { error: { code: 'AuthenticationUnavailable', message: 'Authentication is unavailable' } });
          }
          clearTimeout(timer);
          return;
        }
      }
      let started = false;
      try {
        // The SDK's own path for an authenticated request (its `process`), given the claims
        // validated above; it answers through an Express-like response, captured here.
        const sdkRes = new CapturedResponse();
        datesForSdk(activity);
        // Checked above: the SDK's Activity of it is made without its schema when that changes nothing (sdk-activity.ts).
        markForFastActivity(activity);
        const sdkReq: Request = { method: 'POST', headers: req.headers as Request['headers'], body: activity as unknown as Record<string, unknown>, ...(user ? { user } : {}) };
        await adapter.process(sdkReq, sdkRes, (context) => {
          started = true;
          return handler.run(context);
        });
        answer(sdkRes.statusCode, sdkRes.body);
      } catch (e) {
        // The SDK's schema refused the body (it parses it before the turn): nothing was recorded.
        const refused = started ? undefined : sdkRefusal(e);
        if (refused !== undefined) {
          ctx.log.warn({ error: refused }, 'teams: rejected a malformed activity');
          answer(400, { error: { code: 'BadRequest', message: refused } });
          return;
        }
        ctx.log.error({ activityType: activity.type, err: { message: (e as Error).message } }, 'teams: request failed');
        answer(500, { error: { code: 'InternalError', message: 'Internal error' } });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The running Teams channel: its route, sender, probe and rendering over one CloudAdapter. */
export function createTeamsAdapter(deps: ChannelDeps): TeamsChannel {
  const { ctx, bot } = deps;
  const opts = (deps.options ?? {}) as TeamsOptions;
  installFastActivity();
  const adapter = new DondocCloudAdapter(authConfigOf(ctx));
  const handler = new DondocTeamsBot(ctx, bot satisfies BotCore);
  const sender = new TeamsSender(ctx, adapter, ctx.config.teams?.appId ?? '');
  const facts = teamsFacts(ctx);
  const { authEnabled } = facts;
  const validate = ctx.config.teams ? createTokenValidator({ appId: ctx.config.teams.appId, ...opts.auth }) : undefined;
  return {
    channel: 'teams',
    adapter,
    handler,
    sender,
    authEnabled,
    routes: [messagesRoute(ctx, adapter, handler, validate, opts.routeTimeoutMs ?? ROUTE_TIMEOUT_MS)],
    health: facts.health,
    warnings: facts.warnings,
    auditFacts: facts.auditFacts,
    render: (msg) => renderMessage(msg),
    start: async () => undefined,
    stop: () => handler.idle(),
    // A turn runs inside its request; its delivery's record is written just after the answer.
    idle: () => handler.idle(),
  };
}
