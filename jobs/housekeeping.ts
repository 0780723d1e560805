/**
 * Housekeeping, run by the scheduler with each pass: what grows with every inbound message is
 * deleted once it has served — processed inbound events (inbox) and turn records older than
 * `INBOX_RETENTION_DAYS` (never one still waiting or being processed), and the abuse counters
 * whose window is over (services/throttle.ts: their audit row gets the final counts first).
 * Every delete is conditional and idempotent, so several instances may run it at once.
 */
import type { AppContext } from '../core/context.js';
import { sweepThrottles } from '../services/throttle.js';

export interface HousekeepingReport {
  inbox: number;
  turns: number;
  throttles: number;
}

export async function runHousekeeping(ctx: AppContext, now: Date): Promise<HousekeepingReport> {
  const at = now.getTime();
  const pruned = await ctx.store.pruneProcessed(at - ctx.config.inboxRetentionMs);
  const throttles = await sweepThrottles(ctx, at);
  if (pruned.inbox || pruned.turns || throttles) ctx.log.info({ ...pruned, throttles }, 'housekeeping: processed events, turns and expired counters deleted');
  return { ...pruned, throttles };
}
