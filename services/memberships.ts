/**
 * Ending a person's membership of a unit (the web console's "Thu hồi"): the membership is kept,
 * inactive (domain records are never deleted), and audited. A coordinator who loses the role has
 * every web console session ended at once (each request checks the role too: services/web-access.ts).
 */
import type { AppContext } from '../core/context.js';
import type { AuditEntry, Member } from '../store/records.js';

export type RevokeResult = { ok: true; member: Member; sessionsEnded: number } | { ok: false; reason: 'not_found' | 'already_revoked' | 'self' };

export async function revokeMembership(ctx: Pick<AppContext, 'store'>, a: { memberId: string; by: string; channel: AuditEntry['channel']; now: number }): Promise<RevokeResult> {
  const m = await ctx.store.members.get(a.memberId);
  if (!m) return { ok: false, reason: 'not_found' };
  // A coordinator cannot lock themselves out by mistake.
  if (m.userKey === a.by && m.role === 'coordinator') return { ok: false, reason: 'self' };
  const revoked = await ctx.store.members.updateOne({ _id: a.memberId, active: true }, { active: false });
  if (!revoked) return { ok: false, reason: 'already_revoked' };
  // A substitute's membership: its delegation ends with it (services/delegations.ts).
  if (m.delegation) await ctx.store.delegations.updateOne({ _id: m.delegation.id, status: 'active' }, { status: 'cancelled', cancelledAt: a.now, cancelledBy: a.by, cancelReason: 'cancelled' });
  const stillCoordinator = (await ctx.store.membershipsOf(m.userKey)).some((x) => x.role === 'coordinator');
  const sessionsEnded = stillCoordinator ? 0 : await ctx.store.endWebSessionsOf(m.userKey, a.now, 'role_revoked');
  await ctx.store.writeAudit({
    at: a.now,
    actor: a.by,
    channel: a.channel,
    action: 'membership.revoked',
    subject: m.unitCode,
    details: { userKey: m.userKey, role: m.role, displayName: m.displayName ?? null, webSessionsEnded: sessionsEnded, ...(m.delegation ? { delegationId: m.delegation.id } : {}) },
  });
  return { ok: true, member: revoked, sessionsEnded };
}
