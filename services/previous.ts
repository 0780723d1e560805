/**
 * The previous period's report of a unit (issue 18, "last period's answers as a start"): its
 * latest submission for the period of the same kind just before (regime/periods.ts
 * `previousPeriodId`), which the report dialog offers again and compares unusual figures with.
 *
 * Every answer turn shows it, so it is kept in memory per store, unit and period for
 * PREVIOUS_TTL_MS (absent ones too) instead of costing a database round trip per turn. A
 * submission is never rewritten; only a new revision of that earlier period (an amendment before
 * its lock, or after a coordinator's `mở lại`) can make it stale: one made in this process is
 * forgotten at once (`forgetPrevious`), one made by another instance is seen within the TTL.
 */
import type { AppContext } from '../core/context.js';
import { previousPeriodId } from '../regime/periods.js';
import type { Submission } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';

export const PREVIOUS_TTL_MS = 10 * 60_000;
/** Above this many kept, an insertion first drops the expired ones: a server running for years keeps only recent ones. */
export const PREVIOUS_SWEEP_ABOVE = 1_000;

const caches = new WeakMap<Repositories, Map<string, { at: number; sub: Promise<Submission | null> }>>();

function cacheOf(store: Repositories): Map<string, { at: number; sub: Promise<Submission | null> }> {
  let m = caches.get(store);
  if (!m) caches.set(store, (m = new Map()));
  return m;
}

/** The unit's latest submission for the period before `periodId` (same kind), or null. */
export function previousSubmission(app: Pick<AppContext, 'store' | 'clock'>, unitCode: string, periodId: string): Promise<Submission | null> {
  const prevId = previousPeriodId(periodId);
  if (!prevId) return Promise.resolve(null);
  const m = cacheOf(app.store);
  const key = `${unitCode}|${prevId}`;
  const now = app.clock.now().getTime();
  const hit = m.get(key);
  if (hit && now - hit.at < PREVIOUS_TTL_MS && now >= hit.at) return hit.sub;
  const sub = app.store.latestSubmission(unitCode, prevId);
  if (m.size >= PREVIOUS_SWEEP_ABOVE) for (const [k, v] of m) if (now - v.at >= PREVIOUS_TTL_MS || now < v.at) m.delete(k);
  m.set(key, { at: now, sub });
  // A failed read is not kept.
  sub.catch(() => m.get(key)?.sub === sub && m.delete(key));
  return sub;
}

/** How many previous submissions (or their absence) `store`'s memory holds. */
export function keptPrevious(store: Repositories): number {
  return caches.get(store)?.size ?? 0;
}

/** A new revision of `periodId` was stored here: the period after it must read it afresh. */
export function forgetPrevious(store: Repositories, unitCode: string, periodId: string): void {
  caches.get(store)?.delete(`${unitCode}|${periodId}`);
}
