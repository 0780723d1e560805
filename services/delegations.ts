/**
 * Delegation (`ủy quyền`, issue 18): a focal point — or a coordinator, for a unit — names a
 * substitute for one period or until a day. The request is stored pending with a one-time code
 * (an enrolment code carrying `delegationId`: the `đăng ký MÃ` path redeems it, single use and
 * expiring like any code); redeeming it makes the delegation active and gives the substitute a
 * membership of the unit with `delegation` (store/records.ts), so the report dialog, `trạng thái`
 * and the reminders treat them as a focal point while it lasts. It ends by itself at `endsAt`
 * (every reader compares the clock: `currentMember`; no job) or when the principal, the substitute
 * or a coordinator cancels it (the membership is made inactive). Every change is audited and
 * stored before the person is answered (the turn's unit of work); the other party is told through
 * the outbox.
 */
import { DateTime } from 'luxon';
import { channelOf } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import { vi } from '../i18n/vi.js';
import { formatDay, formatInstant } from '../lib/datetime.js';
import { fold } from '../lib/text.js';
import { makePeriod } from '../regime/periods.js';
import { findUnit } from '../regime/regime.js';
import { newId } from '../store/repositories.js';
import type { AuditEntry, Channel, Delegation, Member } from '../store/records.js';
import { channelName } from './delivery-words.js';
import { kickOutbox } from './kick.js';

/** How long a delegation's code can be redeemed (never past the delegation's end). */
export const DELEGATION_CODE_TTL_MS = 7 * 86_400_000;

type Ctx = Pick<AppContext, 'store' | 'regime' | 'channels' | 'config'>;

export interface Who {
  userKey: string;
  channel: AuditEntry['channel'];
  name?: string;
}

/** "cho Báo cáo tháng 11/2026" or "đến hết ngày 15/12/2026". */
export function scopeWords(ctx: Pick<AppContext, 'regime'>, d: Pick<Delegation, 'periodId' | 'endsAt'>): string {
  const p = d.periodId ? makePeriod(ctx.regime, d.periodId) : undefined;
  // The end is the instant the next day starts: the last day covered is the one before it.
  return p ? vi.delegation.scopePeriod(p.name) : vi.delegation.scopeUntil(formatDay(d.endsAt - 1, ctx.regime.timezone));
}

/** The end of a delegation "đến NGÀY": the start of the next day, in the regime's time zone. */
export function endOfDay(ctx: Pick<AppContext, 'regime'>, isoDay: string): number {
  return DateTime.fromISO(isoDay, { zone: ctx.regime.timezone }).plus({ days: 1 }).startOf('day').toMillis();
}

/** Who the substitute replaces, in words: the focal point's name, or "đầu mối của …" for a coordinator's delegation. */
export function principalWords(d: Pick<Delegation, 'principal' | 'principalName'>): string {
  return (d.principal && d.principalName) || vi.delegation.unitFocalPoints;
}

/** The substitute in words: their name, else "người dùng Zalo" (a Zalo event carries no name). */
export function substituteWords(d: Pick<Delegation, 'substituteName' | 'substituteChannel'>): string {
  return d.substituteName ?? (d.substituteChannel ? vi.delegation.channelUser(channelName(d.substituteChannel)) : vi.delegation.someone);
}

/** One delegation in a list (`hủy ủy quyền`, the coordinators' lists). */
export function itemWords(ctx: Pick<AppContext, 'regime'>, d: Delegation): string {
  return vi.delegation.item({
    unitName: findUnit(ctx.regime, d.unitCode)?.name ?? d.unitCode,
    substituteName: d.substitute ? substituteWords(d) : undefined,
    principalName: principalWords(d),
    scope: scopeWords(ctx, d),
  });
}

/** Delegations in force at `now` (pending ones too: their code may still be redeemed), filtered. */
export async function liveDelegations(ctx: Pick<AppContext, 'store'>, filter: Record<string, string>, now: number): Promise<Delegation[]> {
  const ds = await ctx.store.delegations.find({ ...filter, status: { $in: ['pending', 'active'] }, endsAt: { $gt: now } }, { sort: [['createdAt', 1]] });
  // A request whose code expired unused is over too.
  return ds.filter((d) => d.status === 'active' || d.codeExpiresAt === undefined || d.codeExpiresAt > now);
}

/** Tells people through the outbox (a notice), once per key and person. */
async function tell(ctx: Ctx & Pick<AppContext, 'senders'>, userKeys: string[], key: string, text: string, at: number, unitCode: string): Promise<void> {
  const recipients = userKeys.flatMap((userKey) => {
    const channel = channelOf(ctx, userKey);
    return channel ? [{ userKey, channel, unitCode }] : [];
  });
  if (!recipients.length) return;
  await ctx.store.enqueueEach(recipients, { key, createdAt: at, message: { text }, purpose: 'notice' });
  kickOutbox(ctx as AppContext);
}

/** `code`: the one-time code for the substitute (none when the substitute was named: `acceptDelegation` with `direct`). */
export type RequestResult = { ok: true; delegation: Delegation; code?: string; expiresAt?: number } | { ok: false; reason: 'already_active'; current: Delegation };

/**
 * Stores a pending delegation and its one-time code. A pending request of the same person for
 * the unit is replaced (its code no longer works); an active one must be cancelled first.
 */
export async function requestDelegation(
  ctx: Ctx,
  a: { unitCode: string; principal: string | null; principalName?: string; by: Who; periodId: string | null; endsAt: number; now: number; withCode?: boolean },
): Promise<RequestResult> {
  const live = await liveDelegations(ctx, { unitCode: a.unitCode }, a.now);
  // The person's own (or, for a coordinator's delegation, the unit's coordinator-assigned) requests.
  const mine = live.filter((d) => d.principal === a.principal);
  const active = mine.find((d) => d.status === 'active');
  if (active) return { ok: false, reason: 'already_active', current: active };
  for (const d of mine.filter((x) => x.status === 'pending'))
    await ctx.store.delegations.updateOne({ _id: d._id, status: 'pending' }, { status: 'cancelled', cancelledAt: a.now, cancelledBy: a.by.userKey, cancelReason: 'replaced' });
  const d: Delegation = {
    _id: newId(a.now),
    unitCode: a.unitCode,
    principal: a.principal,
    ...(a.principalName ? { principalName: a.principalName } : {}),
    createdBy: a.by.userKey,
    createdAt: a.now,
    periodId: a.periodId,
    endsAt: a.endsAt,
    status: 'pending',
    substitute: null,
  };
  const ttlMs = Math.min(DELEGATION_CODE_TTL_MS, a.endsAt - a.now);
  const withCode = a.withCode ?? true;
  if (withCode) d.codeExpiresAt = a.now + ttlMs;
  await ctx.store.delegations.insert(d);
  const code = withCode ? await ctx.store.createEnrolmentCode({ unitCode: a.unitCode, role: 'focal', createdBy: a.by.userKey, now: a.now, ttlMs, delegationId: d._id }) : undefined;
  await ctx.store.writeAudit({
    at: a.now,
    actor: a.by.userKey,
    channel: a.by.channel,
    action: 'delegation.requested',
    subject: a.unitCode,
    details: { delegationId: d._id, principal: a.principal, periodId: a.periodId, endsAt: a.endsAt, ...(withCode ? { codeExpiresAt: a.now + ttlMs } : {}) },
  });
  return { ok: true, delegation: { ...d, _v: 1 }, ...(code ? { code, expiresAt: a.now + ttlMs } : {}) };
}

export type AcceptResult = { ok: true; delegation: Delegation } | { ok: false; reason: 'gone' | 'self' | 'member'; unitName: string };

/**
 * The substitute redeemed the delegation's code (the code is used by then). Refused when the
 * delegation was cancelled, replaced or has ended, when it is the principal's own (or the
 * requester's), or when the person is a focal point of the unit already.
 */
export async function acceptDelegation(ctx: Ctx & Pick<AppContext, 'senders'>, a: { delegationId: string; who: Who; memberships: Member[]; now: number; direct?: { by: Who } }): Promise<AcceptResult> {
  const d = await ctx.store.delegations.get(a.delegationId);
  const unitName = d ? (findUnit(ctx.regime, d.unitCode)?.name ?? d.unitCode) : '';
  if (!d || d.status !== 'pending' || d.endsAt <= a.now) return { ok: false, reason: 'gone', unitName };
  const refuse = async (reason: 'self' | 'member'): Promise<AcceptResult> => {
    await ctx.store.delegations.updateOne({ _id: d._id, status: 'pending' }, { status: 'cancelled', cancelledAt: a.now, cancelledBy: a.who.userKey, cancelReason: 'cancelled' });
    await ctx.store.writeAudit({ at: a.now, actor: a.who.userKey, channel: a.who.channel, action: 'delegation.refused', subject: d.unitCode, details: { delegationId: d._id, reason } });
    return { ok: false, reason, unitName };
  };
  if (d.principal === a.who.userKey || d.createdBy === a.who.userKey) return refuse('self');
  if (a.memberships.some((m) => m.unitCode === d.unitCode && !m.delegation)) return refuse('member');
  const accepted = await ctx.store.delegations.updateOne(
    { _id: d._id, status: 'pending' },
    { status: 'active', substitute: a.who.userKey, ...(a.who.name ? { substituteName: a.who.name } : {}), substituteChannel: a.who.channel as Channel, acceptedAt: a.now },
  );
  if (!accepted) return { ok: false, reason: 'gone', unitName };
  // Over an earlier membership of the same person and unit (ended), if any: put writes the version after it.
  await ctx.store.members.put({
    _id: `${a.who.userKey}|${d.unitCode}`,
    userKey: a.who.userKey,
    unitCode: d.unitCode,
    role: 'focal',
    enrolledAt: a.now,
    active: true,
    ...(a.who.name ? { displayName: a.who.name } : {}),
    delegation: { id: d._id, principal: d.principal, periodId: d.periodId, endsAt: d.endsAt },
  });
  await ctx.store.writeAudit({
    at: a.now,
    // Named directly: the one who named the substitute acted; otherwise the substitute, by redeeming the code.
    actor: a.direct?.by.userKey ?? a.who.userKey,
    channel: a.direct?.by.channel ?? a.who.channel,
    action: 'delegation.accepted',
    subject: d.unitCode,
    details: { delegationId: d._id, principal: d.principal, substitute: a.who.userKey, periodId: d.periodId, endsAt: d.endsAt, displayName: a.who.name ?? null, named: Boolean(a.direct) },
  });
  if (a.direct) {
    // Named by the principal or a coordinator (`ủy quyền … cho HỌ TÊN`): the substitute is told; the one who named them reads the reply.
    const by = a.direct.by.name ?? vi.delegation.byCoordinator;
    await tell(
      ctx,
      [a.who.userKey],
      `deleg|${d._id}|assigned`,
      vi.delegation.assignedNotice({ by, principalName: principalWords(d), unitName, scope: scopeWords(ctx, d), byPrincipal: d.principal === a.direct.by.userKey }),
      a.now,
      d.unitCode,
    );
    return { ok: true, delegation: accepted };
  }
  const copy = ctx.config.delegationCopyToFocal;
  const text = vi.delegation.acceptedNotice({ substituteName: a.who.name, channel: channelName(a.who.channel), unitName, scope: scopeWords(ctx, d), copy });
  await tell(ctx, [d.principal ?? d.createdBy], `deleg|${d._id}|accepted`, text, a.now, d.unitCode);
  return { ok: true, delegation: accepted };
}

/** The focal point a substitute replaces is told that the substitute submitted (a coordinator's delegation: nobody). */
export async function tellSubmitted(ctx: Ctx & Pick<AppContext, 'senders'>, a: { delegationId: string; title: string; revision: number; at: number }): Promise<void> {
  const d = await ctx.store.delegations.get(a.delegationId);
  if (!d?.principal) return;
  const text = vi.delegation.submittedNotice({ substituteName: capitalise(substituteWords(d)), title: a.title, revision: a.revision, when: instantWords(ctx, a.at) });
  await tell(ctx, [d.principal], `deleg|${d._id}|submitted|${a.revision}`, text, a.at, d.unitCode);
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);

/**
 * `hủy ủy quyền`: ends the delegations in force that `who` is a party to (principal, requester or
 * substitute); a coordinator may end any of a unit's (`unitCode`). The other parties are told.
 */
export async function cancelDelegations(ctx: Ctx & Pick<AppContext, 'senders'>, a: { who: Who; coordinator: boolean; unitCode?: string; now: number }): Promise<Delegation[]> {
  const k = a.who.userKey;
  const unit: Record<string, string> = a.unitCode ? { unitCode: a.unitCode } : {};
  const found = new Map<string, Delegation>();
  const lists = await Promise.all([
    liveDelegations(ctx, { ...unit, principal: k }, a.now),
    liveDelegations(ctx, { ...unit, createdBy: k }, a.now),
    liveDelegations(ctx, { ...unit, substitute: k }, a.now),
    a.coordinator && a.unitCode ? liveDelegations(ctx, { unitCode: a.unitCode }, a.now) : Promise.resolve([]),
  ]);
  for (const d of lists.flat()) found.set(d._id, d);
  const ended: Delegation[] = [];
  for (const d of found.values()) {
    const done = await ctx.store.delegations.updateOne({ _id: d._id, status: d.status }, { status: 'cancelled', cancelledAt: a.now, cancelledBy: k, cancelReason: 'cancelled' });
    if (!done) continue;
    if (d.substitute) await ctx.store.members.updateOne({ _id: `${d.substitute}|${d.unitCode}`, 'delegation.id': d._id }, { active: false });
    await ctx.store.writeAudit({
      at: a.now,
      actor: k,
      channel: a.who.channel,
      action: 'delegation.cancelled',
      subject: d.unitCode,
      details: { delegationId: d._id, principal: d.principal, substitute: d.substitute, previousStatus: d.status },
    });
    ended.push(done);
    const by = a.who.name ?? (k === d.substitute ? vi.delegation.bySubstitute : k === d.principal ? vi.delegation.byPrincipal : vi.delegation.byCoordinator);
    const item = itemWords(ctx, d);
    const principalSide = [...new Set([d.principal ?? d.createdBy])].filter((x) => x !== k);
    if (d.substitute && d.substitute !== k) await tell(ctx, [d.substitute], `deleg|${d._id}|cancelled`, vi.delegation.cancelledNotice({ by, item, toSubstitute: true }), a.now, d.unitCode);
    if (d.substitute) await tell(ctx, principalSide, `deleg|${d._id}|cancelled`, vi.delegation.cancelledNotice({ by, item, toSubstitute: false }), a.now, d.unitCode);
  }
  return ended;
}

/**
 * People enrolled with dondoc (an active membership of their own) whose name is `text` (without
 * regard to case or diacritics), or, when none is, whose name contains it.
 */
export async function enrolledByName(ctx: Pick<AppContext, 'store'>, text: string): Promise<Array<{ userKey: string; name: string }>> {
  const wanted = fold(text);
  if (!wanted) return [];
  const members = (await ctx.store.members.find({ active: true })).filter((m) => !m.delegation);
  const contacts = new Map((await ctx.store.contacts.find({ _id: { $in: [...new Set(members.map((m) => m.userKey))] } })).map((c) => [c._id, c]));
  const people = new Map<string, string>();
  for (const m of members) {
    const name = m.displayName ?? contacts.get(m.userKey)?.displayName;
    if (name) people.set(m.userKey, name);
  }
  const all = [...people].map(([userKey, name]) => ({ userKey, name }));
  const exact = all.filter((p) => fold(p.name) === wanted);
  return exact.length ? exact : all.filter((p) => fold(p.name).includes(wanted));
}

/** The delegations in force at `now`, for the coordinators' lists (web console, chat status). */
export async function delegationsInForce(ctx: Pick<AppContext, 'store'>, now: number, unitCode?: string): Promise<Delegation[]> {
  return liveDelegations(ctx, unitCode ? { unitCode } : {}, now);
}

/** "09:00 ngày 07/12/2026". */
export const instantWords = (ctx: Pick<AppContext, 'regime'>, at: number) => formatInstant(at, ctx.regime.timezone);
