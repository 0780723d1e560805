/**
 * The envelope check at the Teams edge (channels/teams/inbound.ts parseActivity): the rules written
 * out for the common body and the zod schema ActivityEnvelope agree on every body, the captured
 * activities and each of them changed one field at a time (missing, null, of another type, empty,
 * at and past its length limit, malformed): accepted by one exactly when by the other, with the
 * same activity, and refused with the schema's own reasons. And the conversation reference stored
 * for a person (conversationRefOf) is what a JSON round trip of it gave.
 */
import { Activity } from '@microsoft/agents-activity';
import { describe, expect, it } from 'vitest';
import { ActivityEnvelope, CARD_ACTION_INVOKE, conversationRefOf, parseActivity, tenantOf, textOf, type TeamsActivity } from '../../channels/teams/inbound.js';
import { DELETE, setField, teamsFixture, type TeamsFixture } from '../helpers/teams-fixtures.js';

const SERVICE = 'https://smba.trafficmanager.net/amer/';
const FIXTURES: TeamsFixture[] = ['message-personal', 'message-card-submit', 'invoke-adaptive-card-action', 'conversation-update-install'];

/** The fields checked and their length limits (0: not a text). */
const LIMITS: Array<[string, number]> = [
  ['type', 64],
  ['id', 512],
  ['name', 256],
  ['channelId', 64],
  ['serviceUrl', 2048],
  ['from', 0],
  ['from.id', 512],
  ['from.name', 512],
  ['from.aadObjectId', 128],
  ['recipient', 0],
  ['recipient.id', 512],
  ['recipient.name', 512],
  ['conversation', 0],
  ['conversation.id', 1024],
  ['conversation.conversationType', 64],
  ['conversation.tenantId', 128],
  ['text', 100_000],
  ['timestamp', 64],
  ['localTimestamp', 64],
  ['replyToId', 512],
  ['action', 64],
  ['membersAdded', 0],
  ['membersRemoved', 0],
  ['membersAdded.0', 0],
  ['membersAdded.0.id', 512],
  ['membersAdded.0.name', 512],
  ['channelData', 0],
  ['channelData.tenant', 0],
  ['channelData.tenant.id', 128],
  ['entities', 0],
  ['entities.0', 0],
  ['entities.0.type', 100],
  ['entities.0.text', 10_000],
  ['entities.0.mentioned', 0],
  ['entities.0.mentioned.id', 512],
  ['locale', 64],
  ['value', 0],
  ['value.action', 0],
  ['value.action.type', 64],
  ['value.action.verb', 256],
  ['value.action.id', 256],
  ['value.action.data', 0],
];

function variants(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const bases = FIXTURES.map((f) => [f, teamsFixture(f, SERVICE)] as const);
  const extra = (b: Record<string, unknown>) =>
    setField(setField(setField(b, 'entities', [{ type: 'mention', mentioned: { id: '28:bot' }, text: '<at>Bot</at>' }]), 'membersAdded', [{ id: '29:a' }]), 'channelData', { tenant: { id: 't' } });
  for (const [name, b] of bases) {
    out.push([name, b]);
    const wide = extra(b);
    out.push([`${name} + mention`, wide]);
    for (const [path, max] of LIMITS) {
      const values: unknown[] = [DELETE, undefined, null, 5, true, {}, [], '', 'x', [{}], [{ id: 'x' }], { id: 'x' }, { id: '' }, { type: 'Action.Execute' }];
      if (max) values.push('x'.repeat(max), 'x'.repeat(max + 1), 'ư'.repeat(max), 'ư'.repeat(max + 1));
      for (const v of values) out.push([`${name}: ${path} = ${String(typeof v === 'string' ? `${v.slice(0, 3)}…${v.length}` : JSON.stringify(v))}`, setField(wide, path, v)]);
    }
    for (const url of ['ftp://x', 'https://a b', 'http://x', 'https://', 'HTTPS://x', ' https://x']) out.push([`${name}: serviceUrl ${url}`, setField(wide, 'serviceUrl', url)]);
    for (const t of ['mention', 'Mention', 'MENTION', 'clientInfo']) {
      out.push([`${name}: entity ${t} without mentioned`, setField(wide, 'entities', [{ type: t }])]);
      out.push([`${name}: entity ${t} mentioned null`, setField(wide, 'entities', [{ type: t, mentioned: null }])]);
    }
    out.push([
      `${name}: 101 entities`,
      setField(
        wide,
        'entities',
        Array.from({ length: 101 }, () => ({ type: 'clientInfo' })),
      ),
    ]);
    out.push([
      `${name}: 1001 members`,
      setField(
        wide,
        'membersAdded',
        Array.from({ length: 1001 }, (_, i) => ({ id: `29:${i}` })),
      ),
    ]);
    for (const [type, n] of [
      ['invoke', CARD_ACTION_INVOKE],
      ['invoke', 'composeExtension/query'],
      ['invoke', undefined],
      ['message', CARD_ACTION_INVOKE],
    ])
      out.push([`${name}: ${type} ${n}`, setField(setField(wide, 'type', type), 'name', n === undefined ? DELETE : n)]);
    out.push([`${name}: Action.Submit`, setField(setField(setField(wide, 'type', 'invoke'), 'name', CARD_ACTION_INVOKE), 'value', { action: { type: 'Action.Submit' } })]);
  }
  for (const v of [null, undefined, 'x', 5, [], [{}], {}]) out.push([`body ${JSON.stringify(v)}`, v]);
  return out;
}

const issuesText = (issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) => issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');

describe('Teams envelope check', () => {
  const cases = variants();

  it('accepts and refuses exactly what the schema does, with its reasons', () => {
    expect(cases.length).toBeGreaterThan(1000);
    let accepted = 0;
    let refused = 0;
    for (const [name, body] of cases) {
      const r = parseActivity(body);
      const z = ActivityEnvelope.safeParse(body);
      if (z.success) {
        accepted++;
        if (r.ok) expect(r.activity, name).toEqual(z.data);
        else expect(r.response?.body, name).toMatchObject({ value: { code: 'NotSupported' } });
      } else {
        refused++;
        expect(r.ok, name).toBe(false);
        if (!r.ok) expect(r.error, name).toBe(issuesText(z.error.issues));
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('takes a captured activity as it is (no copy made)', () => {
    for (const f of FIXTURES) {
      const body = teamsFixture(f, SERVICE);
      const r = parseActivity(body);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.activity).toBe(body);
    }
  });
});

describe('stored conversation reference', () => {
  /** What conversationRefOf stored before issue 15: the reference through a JSON round trip. */
  const viaJson = (a: TeamsActivity) => {
    const { agent, activityId: _, ...ref } = a.getConversationReference();
    const tenantId = tenantOf(a);
    return JSON.parse(JSON.stringify({ ...ref, bot: agent, ...(tenantId ? { conversation: { ...ref.conversation, tenantId } } : {}) })) as unknown;
  };
  const activities = (): Array<[string, TeamsActivity]> => {
    const out: Array<[string, TeamsActivity]> = FIXTURES.map((f) => [f, Activity.fromObject(teamsFixture(f, SERVICE)) as TeamsActivity]);
    const odd = Activity.fromObject({
      ...teamsFixture('message-personal', SERVICE),
      locale: 'vi-VN',
      from: { id: '29:a', name: 'An', properties: { n: 1, list: [1, 'x', null, true, { deep: [] }], missing: undefined, z: -0, inf: Infinity } },
      conversation: { id: 'a:c', conversationType: 'personal', isGroup: false },
      channelData: { tenant: { id: 'from-channel-data' } },
    }) as TeamsActivity;
    out.push(['odd values', odd]);
    const dated = Activity.fromObject(teamsFixture('message-personal', SERVICE)) as TeamsActivity;
    (dated.from as unknown as Record<string, unknown>).seen = new Date('2027-01-02T03:04:05Z');
    out.push(['a date', dated]);
    return out;
  };

  it.each(activities())('%s: the same as through JSON, key for key', (_name, a) => {
    const ref = conversationRefOf(a);
    expect(ref).toStrictEqual(viaJson(a));
    expect(JSON.stringify(ref)).toBe(JSON.stringify(viaJson(a)));
    // A copy: the activity's own objects are not shared with the stored reference.
    expect(ref.user).not.toBe(a.from);
    expect(ref.conversation).not.toBe(a.conversation);
  });
});

describe("the user's text (textOf)", () => {
  const activity = (text: string, entities?: unknown[]) => Activity.fromObject(teamsFixture('message-personal', 'https://smba.trafficmanager.net/amer/', { text, entities })) as TeamsActivity;
  it("strips the bot's @mention (the activity's own text left as it came), keeps anyone else's, and collapses spaces", () => {
    const bot = activity('<at>Report Assistant</at>  trợ   giúp ', [{ type: 'Mention', text: '<at>Report Assistant</at>', mentioned: { id: '28:33333333-3333-3333-3333-333333333333' } }]);
    expect(textOf(bot)).toBe('trợ giúp');
    expect(bot.text).toBe('<at>Report Assistant</at>  trợ   giúp ');
    const other = activity('gửi <at>Lan</at> nhé', [{ type: 'mention', text: '<at>Lan</at>', mentioned: { id: '29:lan' } }]);
    expect(textOf(other)).toBe('gửi <at>Lan</at> nhé');
    expect(textOf(activity(' báo \n cáo ', [{ type: 'clientInfo', locale: 'vi-VN' }]))).toBe('báo cáo');
    expect(textOf(activity(''))).toBe('');
  });
});
