/**
 * Enrolment: `đăng ký MÃ` binds a person (one channel identity) to a unit and role with a
 * one-time code created by `dondoc enroll`. A refusal never says which unit a code was for.
 */
import type { Actor } from '../core/commands.js';
import type { AppContext } from '../core/context.js';
import type { OutMessage } from '../core/message.js';
import { fold } from '../lib/text.js';
import { coordinatorUnit, findUnit } from '../regime/regime.js';
import { vi } from '../i18n/vi.js';

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
  const r = await ctx.store.redeemEnrolmentCode(code, actor.userKey, at);
  if (!r.ok) {
    await ctx.store.writeAudit({
      at,
      actor: actor.userKey,
      channel: actor.event.channel,
      action: 'enrolment.refused',
      details: { reason: r.reason },
    });
    const refused = r.reason === 'used' ? vi.enrolment.used : r.reason === 'expired' ? vi.enrolment.expired : vi.enrolment.invalid;
    return [{ text: refused(coordinatorUnit(ctx.regime)) }];
  }
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
