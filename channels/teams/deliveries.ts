/**
 * At-most-once processing of Teams deliveries, on the store's inbox: each activity id (per
 * conversation) is received once, already leased for the turn (one insert, atomic on every
 * backend), and settled under that lease. A redelivery of a handled activity is not processed again; one
 * whose processor died (lease expired) is taken over. The invoke response is kept with the event,
 * so a redelivered invoke gets the same answer without a second turn.
 *
 * Teams expects the answer within the HTTP request, so the turn runs inline; the inbox record is
 * what makes a redelivery (or a racing duplicate) a no-op. It is the event's only record: the core
 * keeps no turn record of its own for it (InboundEvent.dedupedByChannel, set by inbound.ts), so a
 * delivery taken over after its processor died before settling it is run again, its replies not
 * replayed (a redelivery within the lease is a duplicate, as before).
 */
import type { TeamsActivity } from './inbound.js';
import type { AppContext } from '../../core/context.js';
import type { InboxEvent } from '../../store/records.js';

/** A turn that has not finished within this is considered abandoned. */
export const DELIVERY_LEASE_MS = 2 * 60_000;

export interface StoredInvokeResponse {
  status: number;
  body?: unknown;
}

export type DeliveryClaim =
  /** `event`: the inbox record as leased, settled conditionally on it (no read first). */
  | { kind: 'process'; id: string; leaseUntil: number; event: InboxEvent }
  | { kind: 'untracked' }
  | { kind: 'duplicate'; id: string; status: InboxEvent['status']; invokeResponse?: StoredInvokeResponse };

export const deliveryId = (a: TeamsActivity): string | null => (a.id ? `teams|${a.conversation.id}|${a.id}` : null);

export async function claimDelivery(ctx: AppContext, a: TeamsActivity): Promise<DeliveryClaim> {
  const id = deliveryId(a);
  if (!id) return { kind: 'untracked' };
  const now = ctx.clock.now().getTime();
  const payload = { type: a.type, ...(a.name ? { name: a.name } : {}), userId: a.from.id, conversationId: a.conversation.id, activityId: a.id };
  // Received and leased in one write; a redelivery finds the record and claims it only if its turn was abandoned.
  const claimed = (await ctx.store.receiveClaimed({ _id: id, channel: 'teams', receivedAt: now, payload }, now, DELIVERY_LEASE_MS)) ?? (await ctx.store.claimInbox(id, now, DELIVERY_LEASE_MS));
  if (claimed?.leaseUntil !== undefined) return { kind: 'process', id, leaseUntil: claimed.leaseUntil, event: claimed };

  const cur = await ctx.store.inbox.get(id);
  const stored = cur?.payload.invokeResponse;
  return {
    kind: 'duplicate',
    id,
    status: cur?.status ?? 'processing',
    ...(typeof stored === 'string' ? { invokeResponse: JSON.parse(stored) as StoredInvokeResponse } : {}),
  };
}

export async function finishDelivery(ctx: AppContext, claim: DeliveryClaim, invokeResponse?: StoredInvokeResponse): Promise<void> {
  if (claim.kind !== 'process') return;
  const set: Record<string, unknown> = { status: 'done', doneAt: ctx.clock.now().getTime() };
  // Kept as a JSON string: card JSON may carry keys a document store would refuse.
  if (invokeResponse) set['payload.invokeResponse'] = JSON.stringify(invokeResponse);
  await ctx.store.settleLeased(claim.event, set);
}

/** A failed turn is not retried by a redelivery (Teams shows the user the failure; they send again). */
export async function failDelivery(ctx: AppContext, claim: DeliveryClaim, error: string): Promise<void> {
  if (claim.kind !== 'process') return;
  await ctx.store.settleLeased(claim.event, { status: 'failed', error: error.slice(0, 500), doneAt: ctx.clock.now().getTime() });
}
