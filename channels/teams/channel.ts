/**
 * The Teams channel's wiring: `POST /api/messages` on the restify server, served by botbuilder's
 * CloudAdapter with ConfigurationBotFrameworkAuthentication, and the proactive sender.
 *
 * With MICROSOFT_APP_ID/PASSWORD set, every request's JWT is validated by botbuilder (issuer,
 * audience = our app id, signing keys, serviceUrl claim) before anything is read or stored; a
 * request without a valid token gets 401. Without them authentication is off (development only:
 * config/env.ts refuses NODE_ENV=production without an app id) and start-up says so loudly.
 *
 * The route reads at most MAX_BODY_BYTES, validates the envelope with zod, and answers within
 * ROUTE_TIMEOUT_MS (the turn keeps running; its delivery record makes a redelivery a no-op).
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import restify from 'restify';
import type { AppContext } from '../../core/context.js';
import type { BotCore } from '../../core/message.js';
import type { Server } from '../../app/server.js';
import { conditionalQuestions } from './conditional.js';
import { DondocTeamsBot } from './handler.js';
import { parseActivity } from './inbound.js';
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

export interface TeamsChannel {
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

/**
 * A body declared larger than the limit is refused before a byte of it is read (restify's body
 * reader would read, and discard, all of it first). Bodies without a declared length are cut
 * off by the body parser's own limit.
 */
function refuseDeclaredOversize(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    res.header('Connection', 'close');
    res.send(413, { error: { code: 'PayloadTooLarge', message: `Request body size exceeds ${MAX_BODY_BYTES}` } });
    next(false);
    return;
  }
  next();
}

export function registerTeams(ctx: AppContext, server: Server, bot: BotCore, opts: TeamsOptions = {}): TeamsChannel {
  const adapter = new DondocCloudAdapter(new ConfigurationBotFrameworkAuthentication({ ...authOptions(ctx), ...opts.auth }));
  // No adapter.onTurnError: inbound turn errors are handled in DondocTeamsBot.run, and a proactive
  // send must see its own failure (onTurnError would swallow it).
  const render = { conditional: conditionalQuestions(ctx.regime) };
  const handler = new DondocTeamsBot(ctx, bot, render);
  const timeoutMs = opts.routeTimeoutMs ?? ROUTE_TIMEOUT_MS;

  server.post(
    MESSAGES_PATH,
    refuseDeclaredOversize,
    restify.plugins.jsonBodyParser({ maxBodySize: MAX_BODY_BYTES } as restify.plugins.JsonBodyParserOptions),
    async (req: restify.Request, res: restify.Response) => {
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
  );

  const appId = ctx.config.teams?.appId ?? '';
  const sender = new TeamsSender(ctx, adapter, appId, render);
  return { adapter, sender, handler, authEnabled: Boolean(ctx.config.teams) };
}
