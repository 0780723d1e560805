/**
 * Typed repositories, written once on top of the DocStore abstraction. Both backends run them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { applySet, type Collection, type DocStore, type Filter } from './doc-store.js';
import {
  COLLECTIONS,
  INDEXES,
  type Attachment,
  type AuditEntry,
  type Broadcast,
  type Claim,
  type Contact,
  type Delegation,
  type Draft,
  type EnrolmentCode,
  type InboxEvent,
  type KeyValue,
  type Lock,
  type Member,
  type OutboxEntry,
  type ReportState,
  type Role,
  type Session,
  type Submission,
  type Throttle,
  type TurnRecord,
  type WebSession,
  type WebSignInToken,
} from './records.js';
import { appendRevision } from './report-lifecycle.js';
import { sharedViews, type SharedViews, type Stored } from './shared-collection.js';
import { decodeDraft, encodeDraft, type StoredDraft } from './draft-codec.js';

/** A report state's id among the drafts (its own id is the draft's: `${unitCode}|${periodId}`). */
const STATE_ID_SUFFIX = '#state';

export const hashCode = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
/** The stored form of a random secret (web sign-in token, session cookie): its SHA-256, exactly as given. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A time-sortable unique id for append-only records. */
export function newId(now: number): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
}

/** The session a Contact holds, as a Session (`_v`: the Contact's version). */
export function sessionOf(c: Contact | null): Session | null {
  return c?.session ? { _id: c._id, _v: c._v, state: c.session.state, updatedAt: c.session.updatedAt } : null;
}

/** A new Contact known only by its key (`${channel}:${platformUserId}`), for a session stored without one. */
function contactOfKey(userKey: string, now: number): Contact {
  const cut = userKey.indexOf(':');
  return { _id: userKey, channel: userKey.slice(0, cut) as Contact['channel'], platformUserId: userKey.slice(cut + 1), reachable: true, updatedAt: now };
}

export type RedeemResult = { ok: true; unitCode: string; role: Role; delegationId?: string } | { ok: false; reason: 'invalid' | 'used' | 'expired' };

export class Repositories {
  readonly members: Collection<Member>;
  readonly enrolmentCodes: Collection<EnrolmentCode>;
  readonly contacts: Collection<Contact>;
  readonly sessions: Collection<Session>;
  readonly drafts: Collection<Draft>;
  readonly submissions: Collection<Submission>;
  readonly reportStates: Collection<ReportState>;
  readonly claims: Collection<Claim>;
  readonly outbox: Collection<OutboxEntry>;
  readonly audit: Collection<AuditEntry>;
  readonly inbox: Collection<InboxEvent>;
  readonly turns: Collection<TurnRecord>;
  readonly kv: Collection<KeyValue>;
  readonly locks: Collection<Lock>;
  readonly broadcasts: Collection<Broadcast>;
  readonly throttles: Collection<Throttle>;
  readonly webTokens: Collection<WebSignInToken>;
  readonly webSessions: Collection<WebSession>;
  readonly attachments: Collection<Attachment>;

  /** Contacts and members share one collection, drafts and report states another (store/shared-collection.ts). */
  private readonly people: SharedViews<Contact, Member>;
  private readonly reports: SharedViews<Draft, ReportState>;
  private readonly peopleRaw: Collection<Stored>;
  private readonly reportsRaw: Collection<Stored>;
  readonly delegations: Collection<Delegation>;

  constructor(readonly db: DocStore) {
    this.peopleRaw = db.collection(COLLECTIONS.contacts);
    this.people = sharedViews(this.peopleRaw, 'member');
    this.reportsRaw = db.collection(COLLECTIONS.drafts);
    this.reports = sharedViews(this.reportsRaw, 'state', STATE_ID_SUFFIX, { encode: encodeDraft, decode: (d) => decodeDraft(d as StoredDraft) });
    this.members = this.people.guest;
    this.enrolmentCodes = db.collection(COLLECTIONS.enrolmentCodes);
    this.contacts = this.people.host;
    this.sessions = db.collection(COLLECTIONS.sessions);
    this.drafts = this.reports.host;
    this.submissions = db.collection(COLLECTIONS.submissions);
    this.reportStates = this.reports.guest;
    this.claims = db.collection(COLLECTIONS.claims);
    this.outbox = db.collection(COLLECTIONS.outbox);
    this.audit = db.collection(COLLECTIONS.audit);
    this.inbox = db.collection(COLLECTIONS.inbox);
    this.turns = db.collection(COLLECTIONS.turns);
    this.kv = db.collection(COLLECTIONS.kv);
    this.locks = db.collection(COLLECTIONS.locks);
    this.broadcasts = db.collection(COLLECTIONS.broadcasts);
    this.throttles = db.collection(COLLECTIONS.throttles);
    this.webTokens = db.collection(COLLECTIONS.webTokens);
    this.webSessions = db.collection(COLLECTIONS.webSessions);
    this.attachments = db.collection(COLLECTIONS.attachments);
    this.delegations = db.collection(COLLECTIONS.delegations);
  }

  async init(): Promise<void> {
    await this.db.init(INDEXES);
    await this.moveIntoSharedCollections();
    await this.moveSessionsIntoContacts();
    await this.keyContacts();
  }

  /** Migration (issue 15): Contacts stored before `Contact.userKey` get it (one query when none lacks it). */
  async keyContacts(): Promise<number> {
    const unkeyed = await this.contacts.find({ userKey: null });
    for (const c of unkeyed) await this.changeContact(c._id, c, () => ({}));
    return unkeyed.length;
  }

  /**
   * Migration (issue 15): a store written before members lived among the contacts and report
   * states among the drafts has them in `members` and `report_states`. Each record is inserted
   * into its new collection (nothing happens if it is there already), then deleted from the old
   * one, so a crash in between only leaves it to be moved at the next start. Versions start
   * again at 1 (a version only matters to a write in flight, and none is at start-up). One query
   * per old collection when there is nothing left to move.
   */
  async moveIntoSharedCollections(): Promise<{ members: number; reportStates: number }> {
    const moved = { members: 0, reportStates: 0 };
    const old = { members: this.db.collection<Member>(COLLECTIONS.members), reportStates: this.db.collection<ReportState>(COLLECTIONS.reportStates) };
    for (const which of ['members', 'reportStates'] as const) {
      const into = this[which] as Collection<Member | ReportState>;
      for (const doc of await old[which].find({})) {
        const { _v, ...rest } = doc;
        void _v;
        await into.insert(rest as Member | ReportState);
        await old[which].deleteMany({ _id: doc._id });
        moved[which]++;
      }
    }
    return moved;
  }

  /**
   * A person as a turn needs them, in one query (the Contact and the memberships share a
   * collection and both carry `userKey`): their Contact (with their session) and their active
   * memberships, as membershipsOf gives them.
   */
  async person(userKey: string): Promise<{ contact: Contact | null; memberships: Member[] }> {
    // An equality on one field (indexed on SQLite; FerretDB hands it to its backend): the Contact and the members.
    const docs = await this.peopleRaw.find({ userKey });
    let contact: Contact | null = null;
    const memberships: Member[] = [];
    for (const d of docs) {
      if (d._id === userKey && d._kind === undefined) contact = d as Contact;
      const m = this.people.asGuest(d);
      if (m && m.userKey === userKey && m.active) memberships.push(m);
    }
    memberships.sort((a, b) => (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0));
    return { contact, memberships };
  }

  /**
   * Migration (issue 15): a store written before sessions lived in the Contact (`Contact.session`)
   * has them in `sessions`. Each is copied into its person's Contact (unless the Contact has a
   * session already, which is then the newer), and only then deleted, so a crash in between
   * leaves it to be moved at the next start. A session whose Contact is missing (the old code
   * always wrote the Contact first) gets a Contact made from its key. One query when there is
   * nothing left to move.
   */
  async moveSessionsIntoContacts(): Promise<number> {
    let moved = 0;
    for (const s of await this.sessions.find({})) {
      await this.changeContact(s._id, contactOfKey(s._id, s.updatedAt), (cur) => (cur?.session ? null : { session: { state: s.state, updatedAt: s.updatedAt } }));
      await this.sessions.deleteMany({ _id: s._id });
      moved++;
    }
    return moved;
  }

  // --- contacts and sessions (services/contacts.ts holds the rules) --------------------------

  /**
   * Changes one person's Contact with a versioned write, retried on the newest version when
   * another writer got there first, so two events of one person never lose either: `change` sees
   * the Contact as stored (null if none; then `base` is the start) and returns the fields to set
   * (undefined deletes one), or null to leave it as it is. `current`: the Contact as the caller
   * has just read it (null: none), used for the first attempt instead of a read (a stale one only
   * costs a conflict). Returns the Contact as stored.
   */
  async changeContact(id: string, base: Contact, change: (cur: Contact | null) => Partial<Contact> | null, current?: Contact | null): Promise<Contact | null> {
    for (let attempt = 0; ; attempt++) {
      const cur = attempt === 0 && current !== undefined ? current : await this.contacts.get(id);
      const set = change(cur);
      if (set === null) return cur;
      const written = await this.contacts.replaceIfVersion(applySet(cur ?? base, { ...set, userKey: id }), cur?._v ?? 0);
      if (written) return written;
      if (attempt >= 10) throw new Error(`contact ${id}: too many concurrent updates`);
    }
  }

  /** A person's dialog session (`Contact.session`), null if they never had a turn. */
  async session(userKey: string): Promise<Session | null> {
    return sessionOf(await this.contacts.get(userKey));
  }

  /** Replaces a person's dialog session (the router saves it with the turn's touch: services/contacts.ts). */
  async putSession(userKey: string, state: Record<string, unknown>, now: number): Promise<Session> {
    return sessionOf(await this.changeContact(userKey, contactOfKey(userKey, now), () => ({ session: { state, updatedAt: now } }))) as Session;
  }

  /** How many people have a dialog session. */
  sessionCount(): Promise<number> {
    return this.contacts.count({ 'session.updatedAt': { $gte: 0 } });
  }

  // --- enrolment -----------------------------------------------------------------------------

  /** Creates a one-time code (human-typable, no ambiguous letters); only its hash is stored. */
  async createEnrolmentCode(a: { unitCode: string; role: Role; createdBy: string; now: number; ttlMs: number; delegationId?: string }): Promise<string> {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    for (;;) {
      const bytes = randomBytes(8);
      const code = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
      const ok = await this.enrolmentCodes.insert({
        _id: hashCode(code),
        unitCode: a.unitCode,
        role: a.role,
        createdAt: a.now,
        createdBy: a.createdBy,
        expiresAt: a.now + a.ttlMs,
        usedAt: null,
        usedBy: null,
        ...(a.delegationId ? { delegationId: a.delegationId } : {}),
      });
      if (ok) return code;
    }
  }

  /** Single use, atomically: two people racing with one code, one wins. */
  async redeemEnrolmentCode(code: string, userKey: string, now: number): Promise<RedeemResult> {
    const id = hashCode(code);
    const won = await this.enrolmentCodes.updateOne({ _id: id, usedAt: null, expiresAt: { $gt: now } }, { usedAt: now, usedBy: userKey });
    if (won) return { ok: true, unitCode: won.unitCode, role: won.role, ...(won.delegationId ? { delegationId: won.delegationId } : {}) };
    const c = await this.enrolmentCodes.get(id);
    if (!c) return { ok: false, reason: 'invalid' };
    if (c.usedAt !== null) return { ok: false, reason: 'used' };
    return { ok: false, reason: 'expired' };
  }

  async addMember(m: Omit<Member, '_id' | 'active'>): Promise<Member> {
    return this.members.put({ ...m, _id: `${m.userKey}|${m.unitCode}`, active: true });
  }

  async membershipsOf(userKey: string): Promise<Member[]> {
    return this.members.find({ userKey, active: true }, { sort: [['unitCode', 1]] });
  }

  async membersOfUnit(unitCode: string, role?: Role): Promise<Member[]> {
    return this.members.find({ unitCode, active: true, ...(role ? { role } : {}) }, { sort: [['userKey', 1]] });
  }

  // --- web console sign-in (services/web-access.ts holds the rules) ----------------------------

  /** A one-time sign-in token for `userKey` (32 random bytes, base64url); only its hash is stored. */
  async createWebToken(a: { userKey: string; now: number; ttlMs: number }): Promise<string> {
    for (;;) {
      const token = randomBytes(32).toString('base64url');
      if (await this.webTokens.insert({ _id: hashSecret(token), userKey: a.userKey, createdAt: a.now, expiresAt: a.now + a.ttlMs, usedAt: null })) return token;
    }
  }

  /** Single use, atomically: of two requests with one token, one wins. */
  async redeemWebToken(token: string, now: number): Promise<{ ok: true; userKey: string } | { ok: false; reason: 'invalid' | 'used' | 'expired' }> {
    const id = hashSecret(token);
    const won = await this.webTokens.updateOne({ _id: id, usedAt: null, expiresAt: { $gt: now } }, { usedAt: now });
    if (won) return { ok: true, userKey: won.userKey };
    const t = await this.webTokens.get(id);
    if (!t) return { ok: false, reason: 'invalid' };
    return { ok: false, reason: t.usedAt !== null ? 'used' : 'expired' };
  }

  /** A token as stored (by the token itself), without using it. */
  webToken(token: string): Promise<WebSignInToken | null> {
    return this.webTokens.get(hashSecret(token));
  }

  /** A new session for `userKey`; returns the cookie value (only its hash is stored) and the record. */
  async createWebSession(a: { userKey: string; now: number; ttlMs: number }): Promise<{ cookie: string; session: WebSession }> {
    for (;;) {
      const cookie = randomBytes(32).toString('base64url');
      const session: WebSession = { _id: hashSecret(cookie), userKey: a.userKey, createdAt: a.now, expiresAt: a.now + a.ttlMs, csrf: randomBytes(32).toString('base64url') };
      if (await this.webSessions.insert(session)) return { cookie, session: { ...session, _v: 1 } };
    }
  }

  /** The session of a cookie value, as stored (ended or expired ones too). */
  webSession(cookie: string): Promise<WebSession | null> {
    return this.webSessions.get(hashSecret(cookie));
  }

  /** Ends one session (if still open); returns it, or null if it was ended already. */
  endWebSession(id: string, now: number, reason: NonNullable<WebSession['endReason']>): Promise<WebSession | null> {
    return this.webSessions.updateOne({ _id: id, endedAt: null }, { endedAt: now, endReason: reason });
  }

  /** Ends every open session of a person; returns how many. */
  endWebSessionsOf(userKey: string, now: number, reason: NonNullable<WebSession['endReason']>): Promise<number> {
    return this.webSessions.updateMany({ userKey, endedAt: null }, { endedAt: now, endReason: reason });
  }

  /**
   * Deletes the sign-in links and web sessions that expired before `before` (used or not, ended or
   * not): technical records, worthless once expired; the audit log keeps what happened.
   */
  async pruneWebAccess(before: number): Promise<{ webTokens: number; webSessions: number }> {
    const webTokens = await this.webTokens.deleteMany({ expiresAt: { $lt: before } });
    const webSessions = await this.webSessions.deleteMany({ expiresAt: { $lt: before } });
    return { webTokens, webSessions };
  }

  // --- drafts and submissions ---------------------------------------------------------------

  draftId(unitCode: string, periodId: string): string {
    return `${unitCode}|${periodId}`;
  }

  getDraft(unitCode: string, periodId: string): Promise<Draft | null> {
    return this.drafts.get(this.draftId(unitCode, periodId));
  }

  /** Optimistic: false if someone else wrote the draft since `draft._v` was read. */
  async saveDraft(draft: Draft): Promise<Draft | null> {
    return this.drafts.replaceIfVersion(draft, draft._v ?? 0);
  }

  async revisions(unitCode: string, periodId: string): Promise<Submission[]> {
    return this.submissions.find({ unitCode, periodId }, { sort: [['revision', 1]] });
  }

  async latestSubmission(unitCode: string, periodId: string): Promise<Submission | null> {
    const [s] = await this.submissions.find({ unitCode, periodId }, { sort: [['revision', -1]], limit: 1 });
    return s ?? null;
  }

  /**
   * Appends revision `s.revision` (1 for the first) and moves the report's state to it through the
   * report lifecycle (store/report-lifecycle.ts); null if that revision exists already (a
   * concurrent submit won).
   */
  async appendSubmission(s: Omit<Submission, '_id'>): Promise<Submission | null> {
    return (await appendRevision(this, s))?.submission ?? null;
  }

  reportState(unitCode: string, periodId: string): Promise<ReportState | null> {
    return this.reportStates.get(this.draftId(unitCode, periodId));
  }

  /** A unit's draft and report state for a period, in one query (they share a collection). */
  async draftAndState(unitCode: string, periodId: string): Promise<{ draft: Draft | null; state: ReportState | null }> {
    const id = this.draftId(unitCode, periodId);
    // An equality on fields both carry (not `_id` $in, which FerretDB 1.24 does not hand to its backend).
    const docs = await this.reportsRaw.find({ unitCode, periodId });
    const host = docs.find((d) => d._id === id);
    const draft = host ? this.reports.asHost(host) : null;
    const stored = docs.find((d) => d._id === this.reports.guestId(id));
    return { draft, state: stored ? this.reports.asGuest(stored) : null };
  }

  // --- claims, locks, key-values ---------------------------------------------------------------

  /** True exactly once per id, across processes and instances. */
  claim(id: string, c: Omit<Claim, '_id'>): Promise<boolean> {
    return this.claims.insert({ ...c, _id: id });
  }

  /** A lease-based lock; true if `owner` holds it until `now + ttlMs`. */
  async acquireLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    if (await this.locks.insert({ _id: name, owner, until: now + ttlMs })) return true;
    const taken = await this.locks.updateOne({ _id: name, until: { $lte: now } }, { owner, until: now + ttlMs });
    if (taken) return true;
    const mine = await this.locks.updateOne({ _id: name, owner }, { until: now + ttlMs });
    return mine !== null;
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.locks.updateOne({ _id: name, owner }, { until: 0 });
  }

  async getValue<T extends Record<string, unknown>>(key: string): Promise<T | null> {
    return ((await this.kv.get(key))?.value as T | undefined) ?? null;
  }

  async setValue(key: string, value: Record<string, unknown>, now: number): Promise<void> {
    await this.kv.put({ _id: key, value, updatedAt: now });
  }

  /**
   * The cheapest real write (/healthz): an upsert of the `health` key-value with the time. Throws
   * what the backend throws when it cannot write (disk full, read-only file or user).
   */
  async probeWrite(now: number): Promise<void> {
    await this.kv.put({ _id: 'health', value: { at: now }, updatedAt: now });
  }

  // --- audit ------------------------------------------------------------------------------------

  async writeAudit(e: Omit<AuditEntry, '_id'>): Promise<void> {
    await this.audit.insert({ ...e, _id: newId(e.at) });
  }

  // --- outbox -------------------------------------------------------------------------------------

  /** Enqueues once per id (idempotent). */
  enqueue(e: Omit<OutboxEntry, 'status' | 'attempts' | 'nextAttemptAt'> & { nextAttemptAt?: number }): Promise<boolean> {
    return this.outbox.insert({ ...e, status: 'pending', attempts: 0, nextAttemptAt: e.nextAttemptAt ?? e.createdAt });
  }

  /**
   * Enqueues one message to each recipient under the id `${key}|${userKey}` (so a fallback copy
   * or a second worker never sends it twice); returns how many were new.
   */
  async enqueueEach(
    recipients: ReadonlyArray<{ userKey: string; channel: OutboxEntry['channel']; unitCode?: string }>,
    e: { key: string; createdAt: number; message: object; purpose: string; batch?: string },
  ): Promise<number> {
    let n = 0;
    for (const r of recipients)
      if (
        await this.enqueue({
          _id: `${e.key}|${r.userKey}`,
          createdAt: e.createdAt,
          channel: r.channel,
          recipient: r.userKey,
          unitCode: r.unitCode,
          message: e.message as Record<string, unknown>,
          purpose: e.purpose,
          key: e.key,
          ...(e.batch ? { batch: e.batch } : {}),
        })
      )
        n++;
    return n;
  }

  /** Leases the next due message (or one whose lease expired) for `leaseMs`. */
  async claimOutbox(now: number, leaseMs: number, channel?: string): Promise<OutboxEntry | null> {
    const ch: Filter = channel ? { channel } : {};
    return (
      (await this.outbox.updateOne({ ...ch, status: 'pending', nextAttemptAt: { $lte: now } }, { status: 'sending', leaseUntil: now + leaseMs }, { sort: [['nextAttemptAt', 1]] })) ??
      (await this.outbox.updateOne({ ...ch, status: 'sending', leaseUntil: { $lte: now } }, { leaseUntil: now + leaseMs }, { sort: [['leaseUntil', 1]] }))
    );
  }

  /**
   * Settles a leased message (sent, rescheduled, failed, undeliverable) only if this worker still
   * holds the lease it got from `claimOutbox`; null if the lease was lost to another worker.
   */
  settleOutbox(id: string, leaseUntil: number, set: Partial<OutboxEntry> & Record<string, unknown>): Promise<OutboxEntry | null> {
    return this.outbox.updateOne({ _id: id, status: 'sending', leaseUntil }, set);
  }

  // --- inbox (inbound platform events, persisted before they are acknowledged) ----------------------

  /** Persists an inbound event once per `_id` (a platform retry is a duplicate): false if seen before. */
  receiveInbox(e: Omit<InboxEvent, 'status' | 'attempts'>): Promise<boolean> {
    return this.inbox.insert({ ...e, status: 'received', attempts: 0 });
  }

  /**
   * Persists an inbound event already leased to the caller for processing (first attempt): the
   * receipt and the claim in one write (issue 15: one commit, one round trip, where receiving then
   * claiming took two writes and a read). Null if the event was seen before: a retry, to be
   * claimed with `claimInbox` (a dead worker's) or answered as a duplicate.
   */
  async receiveClaimed(e: Omit<InboxEvent, 'status' | 'attempts' | 'leaseUntil'>, now: number, leaseMs: number): Promise<InboxEvent | null> {
    const doc: InboxEvent = { ...e, status: 'processing', attempts: 1, leaseUntil: now + leaseMs };
    return (await this.inbox.insert(doc)) ? { ...doc, _v: 1 } : null;
  }

  /**
   * Leases one event for processing, counting the attempt: a received one, or one whose lease
   * expired (its worker died). Null if it is done, unknown or leased by another worker.
   */
  async claimInbox(id: string, now: number, leaseMs: number): Promise<InboxEvent | null> {
    const cur = await this.inbox.get(id);
    if (!cur) return null;
    const set = { status: 'processing' as const, leaseUntil: now + leaseMs, attempts: cur.attempts + 1 };
    if (cur.status === 'received') return this.inbox.updateOne({ _id: id, status: 'received', attempts: cur.attempts }, set);
    if (cur.status === 'processing' && (cur.leaseUntil ?? 0) <= now) return this.inbox.updateOne({ _id: id, status: 'processing', attempts: cur.attempts, leaseUntil: { $lte: now } }, set);
    return null;
  }

  /** Writes to a leased event only if this worker still holds the lease; null if it was lost. */
  settleInbox(id: string, leaseUntil: number, set: Partial<InboxEvent> & Record<string, unknown>): Promise<InboxEvent | null> {
    return this.inbox.updateOne({ _id: id, status: 'processing', leaseUntil }, set);
  }

  /**
   * Writes to an event this worker leased, given as it last wrote or read it (`claimInbox`,
   * `receiveClaimed`, or this method's result): only if nobody wrote it since, which is
   * "still holds the lease" without a read first. Null if the lease was lost.
   */
  settleLeased(ev: InboxEvent, set: Partial<InboxEvent> & Record<string, unknown>): Promise<InboxEvent | null> {
    return this.inbox.replaceIfVersion(applySet(ev, set), ev._v ?? 0);
  }

  /**
   * Events of a channel waiting to be processed: received, or leased by a worker that died; oldest
   * first. Such an event has no doneAt (only settling it as done, failed or ignored sets one): the
   * filter says so for the index on status, which keeps only those (records.ts INDEXES).
   */
  async dueInbox(channel: string, now: number, limit = 100): Promise<InboxEvent[]> {
    const received = await this.inbox.find({ channel, status: 'received', doneAt: null }, { sort: [['receivedAt', 1]], limit });
    const stale = await this.inbox.find({ channel, status: 'processing', leaseUntil: { $lte: now }, doneAt: null }, { sort: [['receivedAt', 1]], limit });
    return [...received, ...stale].sort((a, b) => a.receivedAt - b.receivedAt).slice(0, limit);
  }

  // --- turns (the core's one turn per inbound event id) -------------------------------------------

  /**
   * Begins the turn of an event, once: `new` for the first delivery (or one whose turn was
   * abandoned: its lease expired), else `duplicate` with the record as it stands.
   */
  async beginTurn(
    t: Pick<TurnRecord, '_id' | 'channel' | 'userKey' | 'eventId' | 'eventAt'>,
    now: number,
    leaseMs: number,
  ): Promise<{ kind: 'new'; record: TurnRecord } | { kind: 'duplicate'; record: TurnRecord }> {
    const leaseUntil = now + leaseMs;
    const record: TurnRecord = { ...t, startedAt: now, status: 'processing', leaseUntil };
    if (await this.turns.insert(record)) return { kind: 'new', record: { ...record, _v: 1 } };
    const cur = await this.turns.get(t._id);
    if (cur && cur.status === 'processing' && cur.leaseUntil !== undefined && cur.leaseUntil <= now) {
      const taken = await this.turns.replaceIfVersion({ ...cur, startedAt: now, leaseUntil }, cur._v ?? 0);
      if (taken) return { kind: 'new', record: taken };
    }
    return { kind: 'duplicate', record: (cur ?? (await this.turns.get(t._id))) as TurnRecord };
  }

  /**
   * Records a turn's replies under its lease (`turn` as `beginTurn` returned it: written only if
   * nobody wrote it since, so no read first); null if another process took the turn over.
   */
  finishTurn(turn: TurnRecord, replies: string, now: number): Promise<TurnRecord | null> {
    return this.turns.replaceIfVersion(applySet(turn, { status: 'done', replies, doneAt: now, leaseUntil: undefined }), turn._v ?? 0);
  }

  // --- retention ------------------------------------------------------------------------------------

  /**
   * Deletes the inbound events (inbox) and turns that were processed before `before`: done,
   * ignored or failed for good. One still waiting or being processed is never deleted, however old.
   */
  async pruneProcessed(before: number): Promise<{ inbox: number; turns: number }> {
    const inbox = await this.inbox.deleteMany({ status: { $in: ['done', 'ignored', 'failed'] }, doneAt: { $lt: before } });
    const turns = await this.turns.deleteMany({ status: 'done', doneAt: { $lt: before } });
    return { inbox, turns };
  }

  // --- throttles (limits on abuse; the rules are in services/throttle.ts) ---------------------------

  /**
   * Changes one throttle record atomically, across processes and instances (a versioned replace,
   * retried when another writer got there first): `change` sees the record as stored (null if
   * none) and returns the next one, or null to leave it as it is. Returns both.
   */
  async changeThrottle(id: string, change: (cur: Throttle | null) => Omit<Throttle, '_id' | '_v'> | null): Promise<{ before: Throttle | null; after: Throttle | null }> {
    for (let attempt = 0; ; attempt++) {
      const cur = await this.throttles.get(id);
      const next = change(cur);
      if (!next) return { before: cur, after: cur };
      const written = await this.throttles.replaceIfVersion({ ...next, _id: id }, cur?._v ?? 0);
      if (written) return { before: cur, after: written };
      if (attempt >= 20) throw new Error(`throttle ${id}: too many concurrent updates`);
    }
  }
}
