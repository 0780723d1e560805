/**
 * The Teams channel's adapter (core/channel.ts): `POST /api/messages`, served by botbuilder's
 * CloudAdapter with ConfigurationBotFrameworkAuthentication, the proactive sender, the health
 * probe and the rendering (cards.ts). Loaded lazily by the definition in ./index.ts.
 *
 * With MICROSOFT_APP_ID/PASSWORD set, every request's JWT is validated by botbuilder (issuer,
 * audience = our app id, signing keys, serviceUrl claim) before anything is read or stored; a
 * request without a valid token gets 401. Without them authentication is off (development only:
 * config/env.ts refuses NODE_ENV=production without an app id) and start-up says so loudly.
 *
 * The route reads at most MAX_BODY_BYTES (the app's HTTP server enforces the route's declared
 * limit), validates the envelope with zod, and answers within ROUTE_TIMEOUT_MS (the turn keeps
 * running; its delivery record makes a redelivery a no-op).
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { ChannelAdapter, ChannelDeps, HttpRequest, HttpResponse, HttpRoute } from '../../core/channel.js';
import type { AppContext } from '../../core/context.js';
import type { BotCore } from '../../core/message.js';
import { renderMessage } from './cards.js';
import { DondocTeamsBot } from './handler.js';
import { parseActivity } from './inbound.js';
import { vi } from '../../i18n/vi.js';
import { TeamsSender } from './sender.js';

export const MESSAGES_PATH = '/api/messages';
/** Teams activities are a few KB; a card submission with long answers stays far below this. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Teams gives a bot ~15 s to answer; past this the route answers 503 and lets the turn finish. */
export const ROUTE_TIMEOUT_MS = 20_000;

type AuthResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** Errors of a token that is malformed, badly signed, expired or not yet valid (jsonwebtoken's). */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * CloudAdapter with authentication and the turn as two steps, so the route can tell a refused
 * token (401) from a failing turn, and owns request parsing and the response.
 */
export class DondocCloudAdapter extends CloudAdapter {
  /** Validates the request's token for this activity (botbuilder's checks); throws when refused. */
  authenticate(authHeader: string, activity: Activity): Promise<AuthResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn of an authenticated activity; returns the invoke response, if any. */
  processAuthenticated(auth: AuthResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

export interface TeamsChannel extends ChannelAdapter<Partial<Activity>> {
  adapter: DondocCloudAdapter;
  sender: TeamsSender;
  handler: DondocTeamsBot;
  authEnabled: boolean;
}

export function authOptions(ctx: AppContext): ConfigurationBotFrameworkAuthenticationOptions {
  const t = ctx.config.teams;
  if (!t) return { MicrosoftAppId: '', MicrosoftAppPassword: '' };
  return {
    MicrosoftAppId: t.appId,
    MicrosoftAppType: t.appType,
    ...(t.appType === 'UserAssignedMSI' ? {} : { MicrosoftAppPassword: t.appPassword }),
    ...(t.tenantId ? { MicrosoftAppTenantId: t.tenantId } : {}),
  };
}

export interface TeamsOptions {
  routeTimeoutMs?: number;
  /** Extra botbuilder authentication settings (e.g. another cloud's endpoints; tests: a local OpenID metadata URL). */
  auth?: ConfigurationBotFrameworkAuthenticationOptions;
}

/** POST /api/messages: validate, authenticate, run the turn, answer (see the module comment). */
function messagesRoute(ctx: AppContext, adapter: DondocCloudAdapter, handler: DondocTeamsBot, timeoutMs: number): HttpRoute {
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
      const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';

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
      let auth: AuthResult;
      try {
        auth = await adapter.authenticate(authHeader, activity);
      } catch (e) {
        const err = e as Error & { statusCode?: number };
        if (err.statusCode === 401 || TOKEN_ERRORS.has(err.name)) {
          // botbuilder's reasons name claims and ids, never the token itself.
          ctx.log.warn({ activityType: activity.type, reason: err.message }, 'teams: request rejected, authentication failed');
          answer(401, { error: { code: 'Unauthorized', message: 'Unauthorized' } });
        } else {
          // The signing keys could not be fetched: not the caller's fault; the Bot Service retries.
          ctx.log.error({ activityType: activity.type, err: { message: err.message } }, 'teams: could not authenticate the request');
          answer(503, { error: { code: 'AuthenticationUnavailable', message: 'Authentication is unavailable' } });
        }
        clearTimeout(timer);
        return;
      }
      try {
        const invoke = await adapter.processAuthenticated(auth, activity, (context) => handler.run(context));
        answer(invoke?.status ?? 200, invoke?.body);
      } catch (e) {
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
  const adapter = new DondocCloudAdapter(new ConfigurationBotFrameworkAuthentication({ ...authOptions(ctx), ...opts.auth }));
  // No adapter.onTurnError: inbound turn errors are handled in DondocTeamsBot.run, and a proactive
  // send must see its own failure (onTurnError would swallow it).
  const handler = new DondocTeamsBot(ctx, bot satisfies BotCore);
  const sender = new TeamsSender(ctx, adapter, ctx.config.teams?.appId ?? '');
  const authEnabled = Boolean(ctx.config.teams);
  return {
    channel: 'teams',
    adapter,
    handler,
    sender,
    authEnabled,
    routes: [messagesRoute(ctx, adapter, handler, opts.routeTimeoutMs ?? ROUTE_TIMEOUT_MS)],
    // Teams needs no background dependency (botbuilder fetches its tokens on demand): the probe
    // says whether inbound requests are authenticated.
    health: { name: 'teams', check: async () => ({ ok: true, detail: authEnabled ? vi.teams.health.auth : vi.teams.health.noAuth }) },
    warnings: authEnabled ? [] : [vi.teams.authOff],
    auditFacts: { teamsAuth: authEnabled },
    render: (msg) => renderMessage(msg),
    start: async () => undefined,
    stop: async () => undefined,
    // Teams turns run inside their request: nothing is left once it is answered.
    idle: async () => undefined,
  };
}
