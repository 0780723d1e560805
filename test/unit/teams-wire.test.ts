/**
 * The outgoing activity's JSON (channels/teams/channel.ts wireJson and the connector client
 * around it): what dondoc serialises once is, byte for byte, what the Agents SDK would have sent
 * (its normalizeOutgoingActivity, then its HTTP client's JSON.stringify), for the activities a
 * turn sends: a form card, text with suggested actions, a table, each as the SDK's turn context
 * prepares it (the incoming activity's conversation reference applied), and one that relates to
 * another conversation (`relatesTo.agent`, sent as `bot`).
 */
import { Activity } from '@microsoft/agents-activity';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { toActivities, renderMessage } from '../../channels/teams/cards.js';
import { datesForSdk, DondocCloudAdapter, wireJson } from '../../channels/teams/channel.js';
import { projectRoot } from '../../lib/paths.js';
import { startFakeBotConnector } from '../helpers/fake-bot-connector.js';
import { SAMPLE_REPLIES, teamsFixture } from '../helpers/teams-fixtures.js';

// Not exported by the package: loaded from its file, as its connector client does.
const { normalizeOutgoingActivity } = createRequire(import.meta.url)(join(projectRoot, 'node_modules/@microsoft/agents-hosting/dist/src/activityWireCompat.js')) as {
  normalizeOutgoingActivity: (a: unknown) => unknown;
};
/** The body the SDK's connector client would POST for `a` (httpClient.request: a string as it is, anything else JSON.stringify'd). */
const sdkBody = (a: unknown) => {
  const data = normalizeOutgoingActivity(a);
  return typeof data === 'string' ? data : JSON.stringify(data);
};

/** As TurnContext.sendActivities prepares a reply: parsed by the SDK, the incoming activity's reference applied. */
function asSent(a: Activity): Activity {
  const incoming = Activity.fromObject(teamsFixture('message-personal', 'https://smba.trafficmanager.net/amer/'));
  const out = Activity.fromObject(a).applyConversationReference(incoming.getConversationReference());
  delete out.id;
  return out;
}

describe('outgoing activity JSON', () => {
  const sent = SAMPLE_REPLIES.flatMap((m) => toActivities(renderMessage(m))).map(asSent);

  it('is the JSON the SDK would have sent, for each activity of a turn', () => {
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.filter((a) => a.attachments?.length).length).toBeGreaterThanOrEqual(2);
    for (const a of sent) {
      expect(JSON.parse(wireJson(a))).toMatchObject({ type: 'message', channelId: 'msteams' });
      expect(wireJson(a)).toBe(sdkBody(a));
    }
  });

  it('renames relatesTo.agent to bot, as the SDK does', () => {
    const a = sent[0];
    a.relatesTo = { ...a.getConversationReference(), activityId: 'x' } as Activity['relatesTo'];
    expect((a.relatesTo as unknown as Record<string, unknown>).agent).toBeDefined();
    const wire = JSON.parse(wireJson(a)) as { relatesTo: Record<string, unknown> };
    expect(wire.relatesTo.bot).toBeDefined();
    expect(wire.relatesTo.agent).toBeUndefined();
    expect(wireJson(a)).toBe(sdkBody(a));
  });

  it('is the JSON the SDK would have sent for less usual activities too (a Date, a value left out, no channel, several attachments)', () => {
    const card = sent[0];
    const variants: Array<(a: Activity) => void> = [
      (a) => Object.assign(a, { timestamp: new Date('2027-01-02T03:04:05.678Z'), localTimestamp: new Date(0) }),
      (a) => Object.assign(a, { text: undefined, summary: 'Tóm tắt "x"', value: { n: 1, d: new Date(5) } }),
      (a) => Object.assign(a, { _channelId: '' }),
      (a) => Object.assign(a, { _channelId: undefined }),
      (a) => a.attachments!.unshift({ contentType: 'text/plain', content: { a: [1, undefined, 'b'] }, name: 'tệp' }),
      (a) => a.attachments!.push({ contentType: 'application/json', content: { toJSON: () => ({ replaced: true }) } }),
      (a) => Object.assign(a.attachments![0], { name: 'thẻ', toJSON: (k: string) => ({ k }) }),
    ];
    for (const change of variants) {
      const a = Object.assign(Object.create(Object.getPrototypeOf(card) as object) as Activity, card, { attachments: card.attachments!.map((x) => ({ ...x })) });
      change(a);
      expect(wireJson(a)).toBe(sdkBody(a));
    }
  });

  it('an activity carrying that JSON as its toJSON (while it is sent) goes through the SDK as that very text', () => {
    const a = sent[1];
    const json = wireJson(a);
    Object.defineProperty(a, 'toJSON', { value: () => json, configurable: true, enumerable: false });
    expect(normalizeOutgoingActivity(a)).toBe(json);
    expect(sdkBody(a)).toBe(json);
  });

  it("the connector client of a turn POSTs that JSON, the reply's and the message's, and nothing of the token it is carried by", async () => {
    const connector = await startFakeBotConnector();
    try {
      const incoming = Activity.fromObject(teamsFixture('message-personal', connector.serviceUrl));
      const adapter = new DondocCloudAdapter({});
      // As CloudAdapter.process makes it for a turn (no identity: authentication off).
      const client = await (
        adapter as unknown as { createConnectorClientWithIdentity: (i: unknown, a: Activity) => Promise<Record<string, (...a: unknown[]) => Promise<unknown>>> }
      ).createConnectorClientWithIdentity(undefined, incoming);
      const [card, text] = SAMPLE_REPLIES.slice(0, 2).map((m) => toActivities(renderMessage(m)).map(asSent)[0]);
      const expected = [wireJson(card), wireJson(text)];
      // Sent over node:http (channels/teams/transport.ts), not the SDK's fetch.
      const fetchSpy = vi.spyOn(globalThis, 'fetch');
      await client.replyToActivity(incoming.conversation!.id, incoming.id, card);
      await client.sendToConversation(incoming.conversation!.id, text);
      expect(fetchSpy).not.toHaveBeenCalled();
      fetchSpy.mockRestore();
      const posted = connector.requests.filter((r) => r.op === 'reply' || r.op === 'send');
      expect(posted.map((r) => r.op)).toEqual(['reply', 'send']);
      // The fake parses what it received: JSON.stringify gives back the text as sent (JSON.stringify made it).
      expect(posted.map((r) => JSON.stringify(r.body))).toEqual(expected);
      // The activities are as they were (no toJSON left on them).
      expect(JSON.stringify(card)).not.toMatch(/^"/);
      expect(Object.getOwnPropertyDescriptor(card, 'toJSON')).toBeUndefined();
    } finally {
      await connector.close();
    }
  });

  it("an incoming activity's times handed to the SDK as Dates make the Activity its schema makes of the texts", () => {
    const bodies = [
      teamsFixture('message-personal', 'https://smba.trafficmanager.net/amer/'),
      teamsFixture('invoke-adaptive-card-action', 'https://smba.trafficmanager.net/amer/'),
      teamsFixture('message-personal', 'https://x.example/', { timestamp: 'not a date', localTimestamp: '2026-01-15T10:30:00+07:00' }),
      teamsFixture('message-personal', 'https://x.example/', { timestamp: undefined, localTimestamp: '2026-02-29' }),
    ];
    for (const body of bodies) {
      const given = datesForSdk(structuredClone(body));
      expect(given.timestamp instanceof Date).toBe(typeof body.timestamp === 'string' && !Number.isNaN(Date.parse(body.timestamp)));
      const sdk = Activity.fromObject(body);
      const ours = Activity.fromObject(given);
      expect(ours).toEqual(sdk);
      expect(String(ours.timestamp)).toBe(String(sdk.timestamp));
      expect(JSON.stringify(ours)).toBe(JSON.stringify(sdk));
    }
    // An empty text is the schema's to refuse, as before.
    expect(() => Activity.fromObject(datesForSdk(teamsFixture('message-personal', 'https://x.example/', { timestamp: '' })))).toThrow();
  });
});
