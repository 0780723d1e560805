/**
 * What the store holds. Instants used in queries are epoch milliseconds (numbers), so both
 * backends compare them the same way. Platform ids stay strings.
 */
import type { Doc, IndexSpec } from './doc-store.js';

export type Channel = 'teams' | 'zalo' | 'console';
export type Role = 'focal' | 'coordinator';

/** One person on one channel: `${channel}:${platformUserId}`. */
export const userKey = (channel: Channel, platformUserId: string): string => `${channel}:${platformUserId}`;

/** A person's enrolment in a unit with a role. A unit may have several focal points. */
export interface Member extends Doc {
  userKey: string;
  unitCode: string;
  role: Role;
  enrolledAt: number;
  active: boolean;
  displayName?: string;
  /**
   * Set on a substitute's membership (services/delegations.ts): it lasts while the delegation does.
   * Every reader compares `endsAt` with the clock (`currentMember`); cancelling sets `active` false.
   */
  delegation?: MemberDelegation;
}

/** What a substitute's membership carries of its delegation. */
export interface MemberDelegation {
  /** The Delegation's `_id`. */
  id: string;
  /** The focal point replaced (userKey); null: assigned by a coordinator for the unit's focal points. */
  principal: string | null;
  /** The one period covered, or null: every period of the unit until `endsAt`. */
  periodId: string | null;
  endsAt: number;
}

/** A membership in force at `now`: a substitute's only until its delegation's end. */
export const currentMember = (m: Member, now: number): boolean => !m.delegation || m.delegation.endsAt > now;

/**
 * A focal point's substitute for one unit (`ủy quyền`), for one period or until a date. Created
 * pending with a one-time code (an EnrolmentCode with `delegationId`); the substitute's `đăng ký
 * MÃ` makes it active and gives them a membership with `delegation`. It ends at `endsAt` (every
 * check compares the clock) or when the principal, the substitute or a coordinator cancels it.
 */
export interface Delegation extends Doc {
  unitCode: string;
  /** The focal point replaced (userKey); null when a coordinator assigned it for the unit. */
  principal: string | null;
  principalName?: string;
  /** Who asked for it: the principal, or a coordinator. */
  createdBy: string;
  createdAt: number;
  /** The one period covered (`2026-11`), or null: every period of the unit while it lasts. */
  periodId: string | null;
  endsAt: number;
  status: 'pending' | 'active' | 'cancelled';
  /** When its code stops working (none when the substitute was named directly): a pending request is over then. */
  codeExpiresAt?: number;
  /** Set when the code is redeemed. */
  substitute: string | null;
  substituteName?: string;
  substituteChannel?: Channel;
  acceptedAt?: number;
  cancelledAt?: number;
  cancelledBy?: string;
  /** `cancelled`: by a person (`hủy ủy quyền`); `replaced`: a newer request of the same principal and unit. */
  cancelReason?: 'cancelled' | 'replaced';
}

/** A one-time enrolment code; `_id` is the SHA-256 of the code, the code itself is never stored. */
export interface EnrolmentCode extends Doc {
  unitCode: string;
  role: Role;
  createdAt: number;
  createdBy: string;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
  /** A delegation's code (`ủy quyền`): redeeming it makes the person that delegation's substitute. */
  delegationId?: string;
}

/** How to reach a person: the channel's conversation reference and reachability. */
export interface Contact extends Doc {
  /**
   * The person's key, the same as `_id`: their Contact and their members (which carry it too)
   * come in one query on it (Repositories.person). Written with every change of the Contact;
   * Repositories.init adds it to Contacts stored before.
   */
  userKey?: string;
  channel: Channel;
  platformUserId: string;
  displayName?: string;
  /** Teams: Bot Framework ConversationReference (serviceUrl, tenant, bot…: channels/teams/inbound.ts); Zalo: { userId }. */
  conversationRef?: Record<string, unknown>;
  reachable: boolean;
  unreachableReason?: string;
  /** Last message from the person (Zalo's consultation window counts from it). */
  lastInteractionAt?: number;
  /** Zalo: the person follows the OA. */
  followed?: boolean;
  /** Zalo: time of the follow/unfollow event `followed` comes from (an older, late event is ignored). */
  followChangedAt?: number;
  /** For ZNS template messages, when known. */
  phone?: string;
  /**
   * The person's dialog session (the active flow and a small memory, owned by router/ and
   * dialogs/), kept here so that a turn reads and writes the person once (issue 15: one round
   * trip each on MongoDB). Absent until the person's first turn. Before, it was a document of
   * its own in `sessions`; Repositories.init moves those here.
   */
  session?: { state: Record<string, unknown>; updatedAt: number };
  updatedAt: number;
}

/**
 * Dialog state of one person (owned by dialogs/), as Repositories.session returns it: `_id` is
 * the userKey and `_v` the version of the Contact that holds it (`Contact.session`). Also the
 * shape of the documents in the former `sessions` collection.
 */
export interface Session extends Doc {
  state: Record<string, unknown>;
  updatedAt: number;
}

export type AnswerValue = number | string | string[] | null;

export interface AnswerRecord {
  /** null: an optional question skipped ("bỏ qua"). */
  value: AnswerValue;
  at: number;
  by: string;
  /** Hash of the question's definition when answered: a changed question is asked again. */
  hash: string;
  /**
   * The period whose submitted answer this is, copied unchanged (`giữ như kỳ trước`, `như kỳ
   * trước`): marked in the summary and listed before submitting. An answer typed again loses it.
   */
  copiedFrom?: string;
}

/** Work in progress of one unit for one period, shared by its focal points. */
export interface Draft extends Doc {
  unitCode: string;
  periodId: string;
  formVersion: string;
  /** Question key → question hash of the form the draft was last worked on (tells new questions from changed ones). */
  formQuestions?: Record<string, string>;
  answers: Record<string, AnswerRecord>;
  startedAt: number;
  updatedAt: number;
  updatedBy: string;
}

/** One revision of a submitted report; revisions are never overwritten. */
export interface Submission extends Doc {
  unitCode: string;
  periodId: string;
  revision: number;
  formVersion: string;
  answers: Record<string, AnswerValue>;
  submittedAt: number;
  submittedBy: string;
  channel: Channel;
  /** Submitted by a substitute: the focal point replaced (null: a coordinator's delegation for the unit) and the delegation. */
  onBehalfOf?: string | null;
  delegationId?: string;
  /** This revision came after the deadline (a fact; whether the report counts as late is ReportState.late). */
  late: boolean;
  /** Question key → question hash of the form it answered: which answers a later period may offer again (absent before issue 18). */
  formQuestions?: Record<string, string>;
  /** Answers submitted as copied from the previous period (AnswerRecord.copiedFrom), confirmed as such. */
  copied?: string[];
}

export type ReportStatus = 'submitted' | 'needs_correction' | 'approved' | 'reopened';

/** A coordinator's review of one revision: approved, or sent back with the questions to correct. */
export interface ReportReview {
  by: string;
  at: number;
  comment?: string;
  /** Answer keys the focal point must go over (needs_correction). */
  questions?: string[];
  /** The revision reviewed (absent in states written before it was recorded). */
  revision?: number;
}

/**
 * The current state of a unit's report for a period (one per unit and period). Written only by
 * store/report-lifecycle.ts, always conditionally on the version it was decided from.
 */
export interface ReportState extends Doc {
  unitCode: string;
  periodId: string;
  status: ReportStatus;
  /** The latest submitted revision (0: reopened before anything was submitted). */
  revision: number;
  firstSubmittedAt: number;
  lastSubmittedAt: number;
  /** The report counts as late: decided once, by its first submission (resubmissions keep it). */
  late: boolean;
  /** The review of the current revision (approved, needs_correction; kept while reopened). */
  review?: ReportReview;
  /** The review a resubmission answered: the revision before it was approved or sent back. */
  previousReview?: ReportReview & { status: 'approved' | 'needs_correction' };
  updatedAt: number;
}

/** An idempotency claim: inserted once before the claimed action happens. */
export interface Claim extends Doc {
  at: number;
  by: string;
  kind: string;
  details?: Record<string, unknown>;
}

/** `cancelled`: a reminder not sent because its unit submitted while it waited (reason `submitted`). */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'undeliverable' | 'cancelled';

export interface OutboxEntry extends Doc {
  createdAt: number;
  channel: Channel;
  /** userKey of the recipient. */
  recipient: string;
  unitCode?: string;
  /** The channel-neutral message (see core/message.ts). */
  message: Record<string, unknown>;
  purpose: string;
  batch?: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil?: number;
  lastError?: string;
  sentAt?: number;
  /** The message's id without the recipient (e.g. `rem|BHXH|2027-H1|T-7`): copies to other recipients share it. */
  key?: string;
  /** Why it ended failed or undeliverable. */
  reason?: string;
  /** When it ended (sent, failed or undeliverable). */
  finishedAt?: number;
  /** When coordinators were told it could not be delivered (failed/undeliverable). */
  notifiedAt?: number;
  /** This copy was sent because the entry with this id could not be delivered. */
  fallbackOf?: string;
  /** The reporting period a reminder is about. */
  periodId?: string;
  /** A reminder to a substitute: not sent if this delegation has ended by then (jobs/outbox-worker.ts). */
  delegationId?: string;
}

/** A coordinator's broadcast (`thông báo`): its audience and text; the deliveries are outbox entries with `batch` = `_id`. */
export interface Broadcast extends Doc {
  createdAt: number;
  createdBy: string;
  /** How the audience was chosen, e.g. { type: 'status', periodId: '2027-H1', status: 'not_submitted' }. */
  audience: Record<string, unknown>;
  audienceLabel: string;
  text: string;
  unitCodes: string[];
  /** Units with no reachable focal point (nobody to send to). */
  unreachableUnits: string[];
  recipients: number;
  /** When the delivery report went to its author (the batch had finished). */
  reportedAt?: number;
}

/**
 * A one-time sign-in link to the web console (`trang quản lý`): `_id` is the SHA-256 of the token
 * in the link, the token itself is never stored. Used once, atomically (like an enrolment code).
 */
export interface WebSignInToken extends Doc {
  userKey: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/**
 * A web console session: `_id` is the SHA-256 of the cookie's value (never stored). `csrf` is the
 * synchronizer token every form of the session carries. Ended by signing out, by expiry, or when
 * the person is no longer a coordinator (checked on every request).
 */
export interface WebSession extends Doc {
  userKey: string;
  createdAt: number;
  expiresAt: number;
  csrf: string;
  endedAt?: number;
  endReason?: 'signed_out' | 'role_revoked';
  /** What the last action said, shown once on the next page (after its redirect); null once shown. */
  flash?: { notice?: string; problem?: string } | null;
}

export interface AuditEntry extends Doc {
  at: number;
  actor: string;
  /** `web`: the coordinators' web console. */
  channel: Channel | 'cli' | 'http' | 'system' | 'web';
  action: string;
  subject?: string;
  details?: Record<string, unknown>;
}

/**
 * A file a focal point sent with a report (the signed and stamped copy: PDF, JPEG or PNG). The
 * bytes are in the store's blobs (store/blobs.ts) under the same `_id`; this record is written
 * after them, so a listed file can always be downloaded. Never deleted (like submissions).
 */
export interface Attachment extends Doc {
  unitCode: string;
  periodId: string;
  /** Who sent it (`channel:id`) and their name as the platform gave it. */
  userKey: string;
  userName?: string;
  channel: Channel;
  at: number;
  /** The file's name as sent (or one made up for a photo). */
  name: string;
  /** Checked from the bytes, not taken from the platform. */
  contentType: 'application/pdf' | 'image/jpeg' | 'image/png';
  size: number;
  sha256: string;
  storage: 'files' | 'gridfs';
}

/** An inbound platform event, persisted before it is acknowledged; `_id` dedupes retries. */
export interface InboxEvent extends Doc {
  channel: Channel;
  receivedAt: number;
  status: 'received' | 'processing' | 'done' | 'failed' | 'ignored';
  payload: Record<string, unknown>;
  attempts: number;
  leaseUntil?: number;
  error?: string;
  /**
   * Checkpoint once the event was handled: the replies to send and how many of their parts went
   * out. A restart resumes sending from `sent` and never hands the event to the core twice.
   */
  handled?: { at: number; replies: Record<string, unknown>[]; sent: number };
  doneAt?: number;
}

/**
 * A turn the core took on an inbound event, keyed by person and the platform's event id
 * (`${userKey}|${eventId}`): a redelivery of the event finds it and gets the same replies instead
 * of a second turn, across restarts and instances.
 */
export interface TurnRecord extends Doc {
  channel: Channel;
  userKey: string;
  eventId: string;
  /** When the event happened (`InboundEvent.receivedAt`). */
  eventAt: number;
  startedAt: number;
  status: 'processing' | 'done';
  /** While processing: a turn whose process died is taken over after this. */
  leaseUntil?: number;
  /** Once done: the replies, as JSON (returned again for a redelivery). */
  replies?: string;
  doneAt?: number;
}

/**
 * A per-person counter against abuse (services/throttle.ts), `_id` = `${kind}|${userKey}`: how
 * many counted inputs (wrong enrolment codes, a stranger's messages) fell in the current window,
 * whether that reached the limit (then everything is refused until `lockedUntil`), and how many
 * inputs were refused meanwhile. Written with versioned replaces, so two instances count together;
 * swept by the scheduler once the window and the lock are over (after its audit row got the totals).
 */
export interface Throttle extends Doc {
  kind: string;
  userKey: string;
  channel: Channel;
  windowStart: number;
  /** Counted inputs in the window. */
  count: number;
  /** Set when `count` reached the limit: every input is refused until then. */
  lockedUntil?: number;
  /** Inputs refused while locked (nothing else is written for them). */
  refused: number;
  /** The last reason counted (enrolment: invalid, used, expired). */
  lastReason?: string;
  updatedAt: number;
}

export interface KeyValue extends Doc {
  value: Record<string, unknown>;
  updatedAt: number;
}

export interface Lock extends Doc {
  owner: string;
  until: number;
}

/** Collection names and the indexes created at start-up. */
export const COLLECTIONS = {
  /** Former home of the members (now among the contacts): emptied by Repositories.init. */
  members: 'members',
  enrolmentCodes: 'enrolment_codes',
  contacts: 'contacts',
  /** Former home of the dialog sessions (now `Contact.session`): emptied by Repositories.init. */
  sessions: 'sessions',
  drafts: 'drafts',
  submissions: 'submissions',
  /** Former home of the report states (now among the drafts): emptied by Repositories.init. */
  reportStates: 'report_states',
  claims: 'claims',
  outbox: 'outbox',
  audit: 'audit',
  inbox: 'inbox',
  turns: 'turns',
  kv: 'kv',
  locks: 'locks',
  broadcasts: 'broadcasts',
  throttles: 'throttles',
  webTokens: 'web_tokens',
  webSessions: 'web_sessions',
  attachments: 'attachments',
  delegations: 'delegations',
} as const;

export const INDEXES: Record<string, IndexSpec[]> = {
  // Members are kept among the contacts, report states among the drafts (store/shared-collection.ts):
  // those collections carry their indexes too. The former collections stay, emptied at start-up.
  [COLLECTIONS.members]: [],
  [COLLECTIONS.enrolmentCodes]: [{ fields: ['unitCode'] }],
  [COLLECTIONS.contacts]: [{ fields: ['channel'] }, { fields: ['userKey'] }, { fields: ['unitCode'] }],
  [COLLECTIONS.sessions]: [],
  [COLLECTIONS.drafts]: [{ fields: ['periodId'] }, { fields: ['unitCode'] }],
  // One revision number per unit and period, whatever the _id: the backstop against a double submit.
  [COLLECTIONS.submissions]: [{ fields: ['unitCode', 'periodId', 'revision'], unique: true }, { fields: ['periodId'] }],
  [COLLECTIONS.reportStates]: [],
  [COLLECTIONS.claims]: [{ fields: ['kind'] }],
  [COLLECTIONS.outbox]: [{ fields: ['status', 'nextAttemptAt'] }, { fields: ['batch'] }, { fields: ['status', 'notifiedAt'] }, { fields: ['fallbackOf'] }],
  [COLLECTIONS.audit]: [{ fields: ['at'] }, { fields: ['action'] }],
  // Only the events still to process (no doneAt) are looked up by status (dueInbox), and only the
  // finished ones by doneAt (pruneProcessed): on SQLite each index keeps just those, so a Teams
  // delivery's insert no longer writes a doneAt entry, and its settling no longer adds a status one.
  [COLLECTIONS.inbox]: [
    { fields: ['status', 'receivedAt'], where: { doneAt: null } },
    { fields: ['doneAt'], where: { doneAt: { $ne: null } } },
  ],
  [COLLECTIONS.turns]: [{ fields: ['startedAt'] }, { fields: ['doneAt'] }],
  [COLLECTIONS.kv]: [],
  [COLLECTIONS.locks]: [],
  [COLLECTIONS.broadcasts]: [{ fields: ['createdAt'] }],
  [COLLECTIONS.throttles]: [{ fields: ['updatedAt'] }],
  [COLLECTIONS.webTokens]: [{ fields: ['expiresAt'] }],
  [COLLECTIONS.webSessions]: [{ fields: ['userKey'] }],
  [COLLECTIONS.attachments]: [{ fields: ['periodId', 'unitCode'] }],
  // A unit's delegations (the focal points page, a new request), a person's as principal, requester or substitute (`hủy ủy quyền`).
  [COLLECTIONS.delegations]: [{ fields: ['unitCode', 'status'] }, { fields: ['principal', 'status'] }, { fields: ['createdBy', 'status'] }, { fields: ['substitute', 'status'] }],
};
