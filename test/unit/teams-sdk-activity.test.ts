/**
 * The SDK's Activity of a checked request body made without the SDK's schema
 * (channels/teams/sdk-activity.ts `fastActivity`, issue 15): on the captured activities and on each
 * of them with one field changed (missing, null, of another type, empty, a key a nested record
 * would lose, a time as text, as a Date, invalid), whenever the fast way makes an Activity the
 * SDK's `Activity.fromObject` makes the same one (the same fields, values, key order and class),
 * and whenever the schema refuses a body the fast way leaves it to the schema. The captured bodies
 * themselves take the fast way (or it would save nothing). The schema's shape is pinned for the
 * fields the fast way handles: an SDK upgrade that changes one of them fails here, to be looked at.
 */
import { Activity, activityZodSchema } from '@microsoft/agents-activity';
import { describe, expect, it, vi } from 'vitest';
import { renderMessage, toActivities } from '../../channels/teams/cards.js';
import { datesForSdk } from '../../channels/teams/channel.js';
import { fastActivity, installFastActivity, markForFastActivity } from '../../channels/teams/sdk-activity.js';
import { DELETE, setField, SAMPLE_REPLIES, teamsFixture, type TeamsFixture } from '../helpers/teams-fixtures.js';

const SERVICE = 'https://smba.trafficmanager.net/amer/';
const FIXTURES: TeamsFixture[] = ['message-personal', 'message-card-submit', 'invoke-adaptive-card-action', 'conversation-update-install'];

/** A compact description of a zod (v3) schema: its types, checks and keys. */
function sig(s: unknown): string {
  const d = (s as { _def: Record<string, any> })._def;
  switch (d.typeName as string) {
    case 'ZodOptional':
      return `${sig(d.innerType)}?`;
    case 'ZodArray':
      return `${sig(d.type)}[]`;
    case 'ZodString':
      return `string${((d.checks ?? []) as Array<{ kind: string; value?: unknown }>).map((c) => `.${c.kind}(${String(c.value ?? '')})`).join('')}`;
    case 'ZodUnion':
      return `(${(d.options as unknown[]).map(sig).join('|')})`;
    case 'ZodEnum':
    case 'ZodNativeEnum':
      return 'enum';
    case 'ZodEffects':
      return `${sig(d.schema)}>${d.effect.type as string}`;
    case 'ZodObject':
      return `{${Object.entries(d.shape() as Record<string, unknown>)
        .map(([k, v]) => `${k}:${sig(v)}`)
        .join(',')}}${d.unknownKeys === 'strip' ? '' : `+${d.unknownKeys as string}`}`;
    default:
      return (d.typeName as string).replace(/^Zod/, '').toLowerCase();
  }
}

/** The SDK schema's fields the fast way handles, as they were when it was written (agents-activity 1.8.1). */
const PINNED: Record<string, string> = {
  type: '(enum|string.min(1))',
  text: 'string?',
  id: 'string.min(1)?',
  channelId: 'string.min(1)?',
  from: '{id:string.min(1)?,name:string?,aadObjectId:string.min(1)?,tenantId:string.min(1)?,agenticUserId:string.min(1)?,agenticAppId:string.min(1)?,agenticAppBlueprintId:string.min(1)?,role:(enum|string.min(1))?,properties:unknown?}?',
  timestamp: '(date|string.min(1)>transform)?',
  localTimestamp: '(date|string.min(1)>transform)?',
  localTimezone: 'string.min(1)?',
  callerId: 'string.min(1)?',
  serviceUrl: 'string.min(1)?',
  conversation:
    '{isGroup:boolean?,conversationType:string.min(1)?,tenantId:string.min(1)?,id:string.min(1),name:string.min(1)?,aadObjectId:string.min(1)?,role:(enum|string.min(1))?,properties:unknown?}?',
  recipient:
    '{id:string.min(1)?,name:string?,aadObjectId:string.min(1)?,tenantId:string.min(1)?,agenticUserId:string.min(1)?,agenticAppId:string.min(1)?,agenticAppBlueprintId:string.min(1)?,role:(enum|string.min(1))?,properties:unknown?}?',
  textFormat: '(enum|string.min(1))?',
  attachmentLayout: '(enum|string.min(1))?',
  membersAdded:
    '{id:string.min(1)?,name:string?,aadObjectId:string.min(1)?,tenantId:string.min(1)?,agenticUserId:string.min(1)?,agenticAppId:string.min(1)?,agenticAppBlueprintId:string.min(1)?,role:(enum|string.min(1))?,properties:unknown?}[]?',
  membersRemoved:
    '{id:string.min(1)?,name:string?,aadObjectId:string.min(1)?,tenantId:string.min(1)?,agenticUserId:string.min(1)?,agenticAppId:string.min(1)?,agenticAppBlueprintId:string.min(1)?,role:(enum|string.min(1))?,properties:unknown?}[]?',
  topicName: 'string.min(1)?',
  historyDisclosed: 'boolean?',
  locale: 'string.min(1)?',
  speak: 'string.min(1)?',
  inputHint: '(enum|string.min(1))?',
  summary: 'string.min(1)?',
  attachments: '{contentType:string.min(1),contentUrl:string.min(1)?,content:unknown?,name:string.min(1)?,thumbnailUrl:string.min(1)?}[]?',
  entities: '{type:string.min(1)}+passthrough[]?',
  channelData: 'any?',
  action: 'string.min(1)?',
  replyToId: 'string.min(1)?',
  label: 'string.min(1)?',
  valueType: 'string.min(1)?',
  value: 'unknown?',
  name: '(enum|string.min(1))?',
  code: '(enum|string.min(1))?',
  expiration: '(date|string.min(1)>transform)?',
  importance: '(enum|string.min(1))?',
  deliveryMode: '(enum|string.min(1))?',
  listenFor: 'string.min(1)[]?',
};

/** A rendered reply's Activity as toActivities makes it, unmarked (Activity.fromObject of it runs the schema). */
const rendered = (): Array<[string, Activity]> =>
  SAMPLE_REPLIES.flatMap((m, i) => renderMessage(m).map((x, j) => [`reply ${i}.${j}`, Object.assign(new Activity(x.type ?? 'message'), x)] as [string, Activity]));

const bases = (): Array<[string, Record<string, unknown>]> =>
  FIXTURES.flatMap((f) => {
    const raw = teamsFixture(f, SERVICE) as Record<string, unknown>;
    // As the route hands it to the SDK (its times made Dates first), and as it came.
    return [[f, datesForSdk(structuredClone(raw))] as [string, Record<string, unknown>], [`${f} (times as text)`, raw] as [string, Record<string, unknown>]];
  });

function variants(): Array<[string, Record<string, unknown>]> {
  const out = bases();
  const paths = [
    ...Object.keys(PINNED),
    'reactionsAdded',
    'relatesTo',
    'suggestedActions',
    'textHighlights',
    'semanticAction',
    'unknownTop',
    'from.id',
    'from.name',
    'from.aadObjectId',
    'from.role',
    'from.properties',
    'from.extra',
    'recipient.id',
    'recipient.extra',
    'conversation.id',
    'conversation.isGroup',
    'conversation.tenantId',
    'conversation.extra',
    'membersAdded.0',
    'membersAdded.0.id',
    'membersAdded.0.extra',
    'attachments.0',
    'attachments.0.contentType',
    'attachments.0.contentUrl',
    'attachments.0.content',
    'attachments.0.extra',
    'entities.0',
    'entities.0.type',
    'entities.0.extra',
    'listenFor.0',
  ];
  const values: unknown[] = [
    DELETE,
    null,
    5,
    true,
    false,
    {},
    [],
    '',
    'x',
    new Date(0),
    new Date(NaN),
    '2026-11-30T10:00:00.000Z',
    'not a date',
    [{}],
    [{ id: 'x' }],
    [{ contentType: 'x', extra: 1 }],
    [{ type: 'x', z: 1 }],
    ['a', ''],
    { id: 'x' },
    { id: '' },
    { id: 'x', extra: 1 },
  ];
  for (const [name, b] of bases().slice(0, 2 * FIXTURES.length))
    for (const path of paths)
      for (const v of values) out.push([`${name}: ${path} = ${v instanceof Date ? `Date(${v.getTime()})` : String(typeof v === 'symbol' ? 'deleted' : JSON.stringify(v))}`, setField(b, path, v)]);
  return out;
}

/** What the SDK's schema makes of a body: its Activity, or undefined when it refuses it. */
function viaSchema(body: Record<string, unknown>): Activity | undefined {
  try {
    return Activity.fromObject(structuredClone(body));
  } catch {
    return undefined;
  }
}

/** `got` is the Activity `expected` is: the same class, fields, values and key order. */
function same(name: string, got: Activity | undefined, expected: Activity | undefined) {
  expect(expected, `${name}: the schema refuses it`).toBeInstanceOf(Activity);
  expect(got, name).toBeInstanceOf(Activity);
  expect(got, name).toEqual(expected);
  expect(keyOrder(got), name).toEqual(keyOrder(expected));
  expect(got?.channelId, name).toBe(expected?.channelId);
  expect(JSON.stringify(got), name).toBe(JSON.stringify(expected));
}

/** Every key of every object, in order: toEqual ignores key order, the JSON the SDK writes does not. */
const keyOrder = (v: unknown): unknown => (Array.isArray(v) ? v.map(keyOrder) : v && typeof v === 'object' && !(v instanceof Date) ? Object.entries(v).map(([k, x]) => [k, keyOrder(x)]) : v);

describe('the SDK Activity of a checked body, made without the schema', () => {
  it('the schema still has the shape the fast way was written for', () => {
    const shape = (activityZodSchema as unknown as { shape: Record<string, unknown> }).shape;
    expect(Object.fromEntries(Object.keys(PINNED).map((k) => [k, shape[k] === undefined ? 'missing' : sig(shape[k])]))).toEqual(PINNED);
  });

  it('takes the fast way for the captured activities', () => {
    for (const [name, body] of bases()) expect(fastActivity(structuredClone(body)), name).toBeInstanceOf(Activity);
  });

  it('makes what Activity.fromObject makes, or leaves the body to it', () => {
    let fast = 0;
    let refused = 0;
    const all = variants();
    for (const [name, body] of all) {
      const expected = viaSchema(body);
      const got = fastActivity(structuredClone(body));
      if (expected === undefined) refused++;
      if (got === undefined) continue;
      fast++;
      same(name, got, expected);
    }
    // Both ways were exercised: many changed bodies are still taken fast, many refused by the schema.
    expect(fast).toBeGreaterThan(all.length / 6);
    expect(refused).toBeGreaterThan(all.length / 10);
  });

  it('makes, of the replies the bot renders (Activity objects, read through their getters as the schema reads them), what Activity.fromObject makes', () => {
    let fast = 0;
    for (const [name, a] of rendered()) {
      const expected = Activity.fromObject(a);
      const got = fastActivity(a);
      if (got === undefined) continue;
      fast++;
      same(name, got, expected);
      // As TurnContext.sendActivities then sends it: the conversation applied, channelId included.
      const ref = Activity.fromObject(teamsFixture('message-personal', SERVICE)).getConversationReference();
      same(`${name}, sent`, got.applyConversationReference(ref), Activity.fromObject(a).applyConversationReference(ref));
    }
    // All but the quick replies' (suggestedActions, which the fast way leaves to the schema).
    expect(fast).toBe(rendered().filter(([, a]) => !a.suggestedActions).length);
    expect(fast).toBeGreaterThan(4);
  });

  it('once installed, Activity.fromObject of a body the route marked skips the schema; any other body goes through it', () => {
    installFastActivity();
    const [[, body]] = bases();
    const relatesTo = { bot: { id: 'b' }, conversation: { id: 'c' }, channelId: 'msteams' };
    const expected = viaSchema(body);
    const expectedOdd = viaSchema({ ...structuredClone(body), relatesTo: structuredClone(relatesTo) });
    const spy = vi.spyOn(activityZodSchema, 'passthrough');
    try {
      const marked = structuredClone(body);
      markForFastActivity(marked);
      expect(Activity.fromObject(marked)).toEqual(expected);
      expect(spy).not.toHaveBeenCalled();
      // The mark is used once: the same object again, and an unmarked one, go through the schema.
      Activity.fromObject(marked);
      Activity.fromObject(structuredClone(body));
      expect(spy).toHaveBeenCalledTimes(2);
      // A marked body the fast way cannot take (a field it does not check) is made by the schema.
      const odd = { ...structuredClone(body), relatesTo: structuredClone(relatesTo) };
      markForFastActivity(odd);
      expect(Activity.fromObject(odd)).toEqual(expectedOdd);
      expect(spy).toHaveBeenCalledTimes(3);
      // The replies toActivities renders are marked: the SDK's sendActivities makes their Activity without the schema.
      const replies = toActivities(renderMessage({ text: 'Xin chào' }));
      expect(replies.map((r) => Activity.fromObject(r))).toEqual(replies.map((r) => Object.assign(new Activity(r.type), r)));
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });
});
