/**
 * Teams authentication with a signed token, and the route timeout. The Bot Framework's OpenID
 * metadata and signing keys are served by a local fake (the only change from production is that
 * metadata URL); tokens are RS256 JWTs signed here, valid or broken in one way each.
 */
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../app/app.js';
import { registry } from '../app/registry.js';
import { createBot } from '../router/router.js';
import type { AppContext } from '../core/context.js';
import type { BotCore, InboundEvent, OutMessage } from '../core/message.js';
import { createServer, listen, mountRoutes, type Server } from '../app/server.js';
import { parseEnv } from '../config/env.js';
import { createTeamsAdapter, type TeamsOptions } from '../channels/teams/channel.js';
import { createLogger, silentLogger } from '../lib/log.js';
import { ISSUER, signJwt as sign, startFakeIdentity } from './helpers/fake-identity.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { activityText, asUser, nextActivityId, postActivity, teamsFixture, teamsUser } from './helpers/teams-fixtures.js';

const APP_ID = '55555555-5555-5555-5555-555555555555';

async function startChannel(env: Record<string, string>, bot: (ctx: AppContext) => BotCore, opts: TeamsOptions = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dondoc-teams-auth-'));
  const parsed = parseEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SCHEDULER: 'off', ...env });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const ctx = await createContext(parsed.config, { log: process.env.DEBUG_TEAMS ? createLogger('debug') : silentLogger });
  const server: Server = createServer(ctx);
  const teams = createTeamsAdapter({ ctx, bot: bot(ctx), options: opts });
  mountRoutes(server, teams.routes);
  const { port } = await listen(server, 0, '127.0.0.1');
  return {
    ctx,
    teams,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await ctx.store.db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('Teams authentication with signed tokens', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `key-${randomUUID()}`;
  let idp: Awaited<ReturnType<typeof startFakeIdentity>>;
  let fake: FakeBotConnector;
  let ch: Awaited<ReturnType<typeof startChannel>>;

  beforeAll(async () => {
    idp = await startFakeIdentity(publicKey, kid);
    fake = await startFakeBotConnector();
    ch = await startChannel(
      { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret-value', MICROSOFT_APP_TENANT_ID: '22222222-2222-2222-2222-222222222222', MICROSOFT_APP_TYPE: 'SingleTenant' },
      (ctx) => createBot(ctx, registry),
      {
        // The Bot Framework's OpenID metadata, pointed here.
        auth: { openIdMetadataUrl: idp.url },
      },
    );
  });
  afterAll(async () => {
    await ch?.close();
    await fake?.close();
    await idp?.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: APP_ID, serviceurl: fake.serviceUrl, nbf: now() - 60, iat: now() - 60, exp: now() + 3600, ...over });
  /** An invoke the bot answers in the HTTP body (no outbound call, which would need Entra ID). */
  const invoke = () => asUser(teamsFixture('invoke-adaptive-card-action', fake.serviceUrl, { id: `f:${nextActivityId()}` }), teamsUser());

  it('accepts a request signed with a Bot Framework key for our app id, and processes it', async () => {
    const a = invoke();
    const r = await postActivity(ch.url, a, { authorization: `Bearer ${sign(privateKey, kid, claims())}` });
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(activityText({ attachments: [{ content: r.body.value }] })).toContain('Thẻ này đã cũ');
    expect(await ch.ctx.store.inbox.get(`teams|${a.conversation.id}|${a.id}`)).toMatchObject({ status: 'done' });
  });

  const b64url = (x: string | Buffer) => Buffer.from(x).toString('base64url');
  /** A token with another algorithm in its header: `none` (no signature), or HS256 keyed with our public key's PEM. */
  const forged = (alg: 'none' | 'HS256', body: Record<string, unknown>) => {
    const input = `${b64url(JSON.stringify({ alg, typ: 'JWT', kid }))}.${b64url(JSON.stringify(body))}`;
    if (alg === 'none') return `${input}.`;
    return `${input}.${createHmac('sha256', publicKey.export({ type: 'spki', format: 'pem' }))
      .update(input)
      .digest('base64url')}`;
  };

  it('refuses, with 401 and nothing stored, a token signed by another key, for another app, issuer or service URL, expired, or of another algorithm', async () => {
    const before = await ch.ctx.store.inbox.count();
    const bad = {
      'another key': sign(other.privateKey, kid, claims()),
      'unknown key id': sign(privateKey, 'not-our-kid', claims()),
      'another app': sign(privateKey, kid, claims({ aud: '66666666-6666-6666-6666-666666666666' })),
      'another service URL': sign(privateKey, kid, claims({ serviceurl: 'https://smba.trafficmanager.net/amer/' })),
      'another issuer': sign(privateKey, kid, claims({ iss: 'https://sts.windows.net/evil/' })),
      expired: sign(privateKey, kid, claims({ exp: now() - 3600, nbf: now() - 7200, iat: now() - 7200 })),
      'not yet valid': sign(privateKey, kid, claims({ nbf: now() + 3600 })),
      'no expiry': sign(privateKey, kid, claims({ exp: undefined })),
      'alg none': forged('none', claims()),
      'HS256 keyed with the public key': forged('HS256', claims()),
      'not a JWT': 'not-a-jwt',
    };
    for (const [why, token] of Object.entries(bad)) {
      const r = await postActivity(ch.url, invoke(), { authorization: `Bearer ${token}` });
      expect(r.status, why).toBe(401);
    }
    // A valid token for an activity of a channel the key is not endorsed for (the keys say msteams).
    const r = await postActivity(ch.url, { ...invoke(), channelId: 'webchat' }, { authorization: `Bearer ${sign(privateKey, kid, claims())}` });
    expect(r.status, 'key not endorsed for the channel').toBe(401);
    expect(await ch.ctx.store.inbox.count()).toBe(before);
    expect(await ch.ctx.store.contacts.count()).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Teams authentication when the signing keys cannot be fetched', () => {
  it('answers 503 (the Bot Service retries), not 401, and processes nothing', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const fake = await startFakeBotConnector();
    // Nothing listens on port 1: the metadata fetch fails.
    const ch = await startChannel({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret-value' }, (ctx) => createBot(ctx, registry), {
      auth: { openIdMetadataUrl: `http://127.0.0.1:1/${randomUUID()}/.well-known/openid-configuration` },
    });
    try {
      const now = Math.floor(Date.now() / 1000);
      const token = sign(privateKey, 'k', { iss: ISSUER, aud: APP_ID, serviceurl: fake.serviceUrl, nbf: now - 60, exp: now + 3600 });
      const a = asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId() }), teamsUser());
      const r = await postActivity(ch.url, a, { authorization: `Bearer ${token}` });
      expect(r.status).toBe(503);
      expect(await ch.ctx.store.inbox.count()).toBe(0);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await ch.close();
      await fake.close();
    }
  });
});

describe('Teams route timeout', () => {
  let fake: FakeBotConnector;
  let ch: Awaited<ReturnType<typeof startChannel>>;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const calls: InboundEvent[] = [];

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    // A core that takes longer than the route allows (until the test releases it).
    const slow: BotCore = {
      async handle(ev): Promise<OutMessage[]> {
        calls.push(ev);
        await gate;
        return [{ text: 'Đã xử lý xong.' }];
      },
    };
    ch = await startChannel({}, () => slow, { routeTimeoutMs: 100 });
  });
  afterAll(async () => {
    release();
    await ch?.close();
    await fake?.close();
  });

  it('answers 503 when the turn outlasts the route timeout; the turn still finishes and a redelivery is not run again', async () => {
    const u = teamsUser();
    const a = asUser(teamsFixture('message-personal', fake.serviceUrl, { id: nextActivityId(), text: 'báo cáo' }), u);
    const r = await postActivity(ch.url, a);
    expect(r.status).toBe(503);
    // Teams redelivers while the first turn is still running: not processed twice.
    expect((await postActivity(ch.url, a)).status).toBe(200);
    release();
    await fake.waitFor((reqs) => reqs.some((q) => q.conversationId === u.conversationId));
    expect(activityText(fake.activities(u.conversationId)[0])).toBe('Đã xử lý xong.');
    expect(calls).toHaveLength(1);
    const inbox = `teams|${u.conversationId}|${a.id}`;
    await expect.poll(async () => (await ch.ctx.store.inbox.get(inbox))?.status).toBe('done');
    expect((await postActivity(ch.url, a)).status).toBe(200);
    expect(calls).toHaveLength(1);
  });
});
