/**
 * Enrolment: `đăng ký MÃ` binds a person (one channel identity) to a unit and role with a
 * one-time code created by `dondoc enroll`. A refusal never says which unit a code was for.
 * Wrong codes are throttled per person (services/throttle.ts ENROL): the fifth in ten minutes
 * locks the person out, and every code is refused until the lock ends (the router refuses them
 * before the turn, writing only the counter); the refusals of a window make one audit row.
 */
import type { Actor } from '../core/commands.js';
import type { AppContext } from '../core/context.js';
import type { OutMessage } from '../core/message.js';
import { fold } from '../lib/text.js';
import { coordinatorUnit, findUnit } from '../regime/regime.js';
import { vi } from '../i18n/vi.js';
import { activeLock, countInput, ENROL, refuseLocked, type Lock } from '../services/throttle.js';
import { redeemDelegation } from './delegation.js';

/** What a person locked out is told for any code (the router says it before the turn). */
export const lockedOut = (lock: Lock): OutMessage[] => [{ text: vi.enrolment.stillLocked({ limit: lock.limit, minutes: lock.minutes, until: lock.untilText }) }];

/** `đăng ký ABCD2345` / `dang ky abcd2345` / `dangky …` / `register …`: the code, or '' when the command has none. */
export function matchEnrol(text: string): string | undefined {
  const m = /^(?:dang\s*ky|register|enrol+)(?:\s+(.*))?$/.exec(fold(text));
  if (!m) return undefined;
  const rest = (m[1] ?? '').trim();
  // A code is one token of letters and digits (users sometimes type spaces or dashes inside).
  const code = rest.replace(/[\s-]+/g, '').toUpperCase();
  if (rest && !/^[A-Z0-9]{4,16}$/.test(code)) return '';
  return code;
}

export async function enrol(ctx: AppContext, actor: Actor, code: string, now: Date): Promise<OutMessage[]> {
  if (!code) return [{ text: vi.enrolment.usage(coordinatorUnit(ctx.regime)) }];
  const at = now.getTime();
  // The router refuses a locked-out person's code before the turn; this is the backstop.
  const lock = await activeLock(ctx, ENROL, actor.userKey, at);
  if (lock) {
    await refuseLocked(ctx, ENROL, actor.userKey, at);
    return lockedOut(lock);
  }
  const r = await ctx.store.redeemEnrolmentCode(code, actor.userKey, at);
  if (!r.ok) {
    // Counted, and audited once per window (enrolment.refused with the count and the last reason).
    const lock = await countInput(ctx, ENROL, { userKey: actor.userKey, channel: actor.event.channel }, at, r.reason);
    const refused = r.reason === 'used' ? vi.enrolment.used : r.reason === 'expired' ? vi.enrolment.expired : vi.enrolment.invalid;
    const text = refused(coordinatorUnit(ctx.regime));
    return [{ text: lock ? `${text}\n\n${vi.enrolment.locked({ limit: lock.limit, minutes: lock.minutes, until: lock.untilText })}` : text }];
  }
  // A delegation's code (`ủy quyền`): the person becomes that delegation's substitute.
  if (r.delegationId) return redeemDelegation(ctx, actor, r.delegationId, now);
  const unit = findUnit(ctx.regime, r.unitCode);
  const unitName = unit?.name ?? r.unitCode;
  const existing = actor.memberships.find((m) => m.unitCode === r.unitCode);
  await ctx.store.addMember({
    userKey: actor.userKey,
    unitCode: r.unitCode,
    role: existing?.role === 'coordinator' ? 'coordinator' : r.role,
    enrolledAt: existing?.enrolledAt ?? at,
    displayName: actor.displayName,
  });
  await ctx.store.writeAudit({
    at,
    actor: actor.userKey,
    channel: actor.event.channel,
    action: 'enrolment.redeemed',
    subject: r.unitCode,
    details: { role: r.role, displayName: actor.displayName ?? null },
  });
  if (existing && (existing.role === r.role || existing.role === 'coordinator')) return [{ text: vi.enrolment.enrolledAgain(existing.role, unitName) }];
  return [{ text: vi.enrolment.enrolled(r.role, unitName) }];
}
