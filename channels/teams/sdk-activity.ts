/**
 * The SDK's Activity of a request body, made without running the SDK's zod schema over it when the
 * body is one the schema takes as it is (issue 15).
 *
 * CloudAdapter.process makes the turn's Activity with `Activity.fromObject`: the SDK's schema
 * (`activityZodSchema.passthrough().parse`) checks every field and builds a copy, then the copy's
 * fields are assigned to a new Activity; TurnContext.sendActivities does the same to every reply.
 * For a turn's request body and its reply that was about 0.14 ms of server CPU in the turns
 * benchmark's profile (7 % of a turn at 10 users), the body's after the route had checked its
 * envelope itself (inbound.ts parseActivity). `fastActivity` does what the schema does, for the
 * fields it knows: the same checks (a non-empty text where the schema asks for one, a boolean, a
 * record), the same copy (nested records and lists copied key by key in the schema's order, keys a
 * nested record's schema does not list left out, the times made Dates as the schema makes them,
 * unknown top-level keys kept as they are) and the same Activity. A body with anything else (a
 * field it does not check, a value the schema might refuse) is left to the SDK's schema, which
 * decides and says why. The lists of keys are read from the SDK's schema, so a field a later SDK
 * adds goes to the schema too; test/unit/teams-sdk-activity.test.ts compares both on real and
 * altered bodies, and pins the schema's shape so that an SDK upgrade that changes it is looked at.
 *
 * Only a marked body (`markForFastActivity`) takes this way: a request body the route has checked
 * (channel.ts), and the activities the bot renders (cards.ts toActivities), which the SDK's
 * sendActivities runs through `Activity.fromObject` too. Every other call runs the schema as before.
 */
import { Activity, activityZodSchema } from '@microsoft/agents-activity';

type Check = (v: unknown) => boolean;
type Copy = (v: unknown) => unknown;

/**
 * A value the schema reads as a record: an object but not an array, null, Date, Map, Set or
 * promise (zod's "object"), an Activity included. Its fields are read as the schema reads them:
 * `key in v` and `v[key]`, a getter of its class included.
 */
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof Map) &&
  !(v instanceof Set) &&
  !(typeof (v as { then?: unknown }).then === 'function' && typeof (v as { catch?: unknown }).catch === 'function');
const text1: Check = (v) => typeof v === 'string' && v.length > 0;
const text: Check = (v) => typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const anything: Check = () => true;

/** A nested record's fields: its check and whether the schema requires it. */
type Fields = Record<string, { check: Check; required?: boolean }>;

/** Keys of a zod object schema (behind `.optional()` and arrays), in the schema's order. */
interface ZodShaped {
  shape: Record<string, unknown>;
}
const shapeOf = (s: unknown): string[] => {
  let t = s as { unwrap?: () => unknown; element?: unknown; shape?: Record<string, unknown> };
  while (!t.shape) t = (t.unwrap ? t.unwrap() : t.element) as typeof t;
  return Object.keys((t as ZodShaped).shape);
};
const SHAPE = (activityZodSchema as unknown as ZodShaped).shape;

/**
 * A copy of a nested record as the schema's object makes it (its keys in the schema's order, the
 * keys it does not list left out), or undefined when the schema might refuse it.
 */
function recordCopier(keys: readonly string[], fields: Fields): (v: unknown) => Record<string, unknown> | undefined {
  return (v) => {
    if (!isRecord(v)) return undefined;
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (!(k in v)) {
        if (fields[k]?.required) return undefined;
        continue;
      }
      // A field the schema lists but this does not check: the schema decides.
      if (!Object.hasOwn(fields, k)) return undefined;
      const x = v[k];
      // Present but undefined: the schema keeps the key (an optional field), or refuses it.
      if (x === undefined ? fields[k].required : !fields[k].check(x)) return undefined;
      out[k] = x;
    }
    return out;
  };
}

/** A copy of a list, each item copied by `item` (undefined: refused). */
const listCopier =
  (item: (v: unknown) => unknown): Copy =>
  (v) => {
    if (!Array.isArray(v)) return undefined;
    const out: unknown[] = new Array(v.length);
    // An index loop: a hole is read as undefined, as the schema reads it.
    for (let i = 0; i < v.length; i++) {
      const x = item(v[i]);
      if (x === undefined) return undefined;
      out[i] = x;
    }
    return out;
  };

const ACCOUNT: Fields = {
  id: { check: text1 },
  name: { check: text },
  aadObjectId: { check: text1 },
  tenantId: { check: text1 },
  agenticUserId: { check: text1 },
  agenticAppId: { check: text1 },
  agenticAppBlueprintId: { check: text1 },
  role: { check: text1 },
  properties: { check: anything },
};
const CONVERSATION: Fields = {
  isGroup: { check: bool },
  conversationType: { check: text1 },
  tenantId: { check: text1 },
  id: { check: text1, required: true },
  name: { check: text1 },
  aadObjectId: { check: text1 },
  role: { check: text1 },
  properties: { check: anything },
};
const ATTACHMENT: Fields = {
  contentType: { check: text1, required: true },
  contentUrl: { check: text1 },
  content: { check: anything },
  name: { check: text1 },
  thumbnailUrl: { check: text1 },
};

const account = recordCopier(shapeOf(SHAPE.from), ACCOUNT);
const copyAs =
  (check: Check): Copy =>
  (v) =>
    check(v) ? v : undefined;
/** A time: a valid Date copied, or a non-empty text made a Date (valid or not), as the schema does. */
const time: Copy = (v) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? undefined : new Date(v.getTime())) : text1(v) ? new Date(v as string) : undefined);
/** An entity: any record with a non-empty `type`, copied with `type` first and its other keys as they come. */
const entity: Copy = (v) => {
  if (!isRecord(v) || !text1(v.type) || Object.hasOwn(v, '__proto__')) return undefined;
  const out: Record<string, unknown> = { type: v.type };
  for (const k in v) if (k !== 'type') out[k] = v[k];
  return out;
};

/** How each top-level field the fast way knows is checked and copied; a field not listed sends the body to the schema. */
const TOP: Record<string, Copy> = {
  type: copyAs(text1),
  text: copyAs(text),
  id: copyAs(text1),
  channelId: copyAs(text1),
  from: account,
  timestamp: time,
  localTimestamp: time,
  localTimezone: copyAs(text1),
  callerId: copyAs(text1),
  serviceUrl: copyAs(text1),
  conversation: recordCopier(shapeOf(SHAPE.conversation), CONVERSATION),
  recipient: account,
  textFormat: copyAs(text1),
  attachmentLayout: copyAs(text1),
  membersAdded: listCopier(account),
  membersRemoved: listCopier(account),
  topicName: copyAs(text1),
  historyDisclosed: copyAs(bool),
  locale: copyAs(text1),
  speak: copyAs(text1),
  inputHint: copyAs(text1),
  summary: copyAs(text1),
  attachments: listCopier(recordCopier(shapeOf(SHAPE.attachments), ATTACHMENT)),
  entities: listCopier(entity),
  channelData: (v) => v,
  action: copyAs(text1),
  replyToId: copyAs(text1),
  label: copyAs(text1),
  valueType: copyAs(text1),
  value: (v) => v,
  name: copyAs(text1),
  code: copyAs(text1),
  expiration: time,
  importance: copyAs(text1),
  deliveryMode: copyAs(text1),
  listenFor: listCopier(copyAs(text1)),
};
const KEYS = Object.keys(SHAPE);
/** A field refused (the copies give undefined for that). */
const NONE = Symbol('refused');
const IN_SHAPE = new Set(KEYS);

/**
 * The Activity `Activity.fromObject(body)` makes, made without the schema; undefined when the body
 * is not one this knows to be taken as it is (the schema then decides).
 */
export function fastActivity(body: unknown): Activity | undefined {
  if (!isRecord(body) || Object.hasOwn(body, '__proto__')) return undefined;
  const parsed: Record<string, unknown> = {};
  for (const k of KEYS) {
    if (!(k in body)) continue;
    const copy = TOP[k];
    if (!copy) return undefined;
    const v = body[k];
    // Present but undefined (an Activity's `channelId` getter with no channel): kept so, as the schema keeps it; `type` is required.
    const c = v === undefined ? (k === 'type' ? NONE : undefined) : (copy(v) ?? NONE);
    if (c === NONE) return undefined;
    parsed[k] = c;
  }
  if (parsed.type === undefined) return undefined;
  // The keys the schema does not list, kept as they are (its passthrough), after its own.
  for (const k in body) if (!IN_SHAPE.has(k)) parsed[k] = body[k];
  const activity = new Activity(parsed.type as string);
  Object.assign(activity, parsed);
  return activity;
}
const checked = new WeakSet<object>();

/**
 * Marks a body whose SDK Activity may be made by fastActivity (when it can) at its next
 * `Activity.fromObject`: a request body the route has checked, an activity the bot rendered.
 */
export function markForFastActivity(body: object): void {
  checked.add(body);
}

let installed = false;

/** Makes `Activity.fromObject` take the fast way for marked bodies (once per process). */
export function installFastActivity(): void {
  if (installed) return;
  installed = true;
  const viaSchema = Activity.fromObject.bind(Activity);
  Activity.fromObject = (o: object): Activity => {
    if (checked.has(o)) {
      checked.delete(o);
      const fast = fastActivity(o);
      if (fast) return fast;
    }
    return viaSchema(o);
  };
}
