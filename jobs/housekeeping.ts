/**
 * Housekeeping, run by the scheduler with each pass: what grows with every inbound message is
 * deleted once it has served — processed inbound events (inbox) and turn records older than
 * `INBOX_RETENTION_DAYS` (never one still waiting or being processed), and the abuse counters
 * whose window is over (services/throttle.ts: their audit row gets the final counts first), and
 * the web console's sign-in links and sessions expired more than `INBOX_RETENTION_DAYS` ago, and
 * the regime files uploaded on the console and no longer confirmable (services/regime-change.ts
 * UPLOAD_TTL_MS: a whole regime each, kept until its uploader confirms it).
 * Every delete is conditional and idempotent, so several instances may run it at once.
 */
import type { AppContext } from '../core/context.js';
import { pruneUploads } from '../services/regime-change.js';
import { sweepThrottles } from '../services/throttle.js';

export interface HousekeepingReport {
  inbox: number;
  turns: number;
  throttles: number;
  webTokens: number;
  webSessions: number;
  regimeUploads: number;
}

export async function runHousekeeping(ctx: AppContext, now: Date): Promise<HousekeepingReport> {
  const at = now.getTime();
  const pruned = await ctx.store.pruneProcessed(at - ctx.config.inboxRetentionMs);
  const throttles = await sweepThrottles(ctx, at);
  const web = await ctx.store.pruneWebAccess(at - ctx.config.inboxRetentionMs);
  const regimeUploads = await pruneUploads(ctx, at);
  if (pruned.inbox || pruned.turns || throttles || web.webTokens || web.webSessions || regimeUploads)
    ctx.log.info({ ...pruned, throttles, ...web, regimeUploads }, 'housekeeping: processed events, turns, expired counters, expired web sign-ins and regime uploads deleted');
  return { ...pruned, throttles, ...web, regimeUploads };
}
