/**
 * The one place that writes a person's Contact (`<channel>:<platform user id>`): how to reach
 * them (conversation reference, name), whether they can be reached, and when they last
 * interacted — which, on Zalo, opens the consultation window proactive messages depend on.
 *
 * - `touch(event)`: the person wrote, tapped a button, installed or followed. Called once per
 *   turn by the core (router/router.ts) and by a channel for the events it handles itself (Teams
 *   install, Zalo attachments). The last interaction is the EVENT's time (`receivedAt`, which
 *   the channel sets from the platform's timestamp), never processing time, and never moves
 *   back: a retried or late event cannot stretch a window.
 * - `updateContact`: a channel's own state change (Zalo follow/unfollow, a phone for ZNS).
 * - `retire`: the person can no longer be reached (uninstalled, blocked); the next touch undoes it.
 *
 * Writes are optimistic (versioned): two events of one person handled at once never lose either.
 */
import type { AppContext } from '../core/context.js';
import type { InboundEvent } from '../core/message.js';
import { userKey, type Channel, type Contact } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';

type Store = Pick<AppContext, 'store' | 'clock'>;

export interface ContactId {
  channel: Channel;
  platformUserId: string;
  /** How to reach a person seen for the first time (Zalo: `{ userId }`). */
  conversationRef?: Record<string, unknown>;
}

/** Creates or changes a Contact: `change` sees the current one (null if none) and returns the fields to set. */
export async function updateContact(repos: Repositories, id: ContactId, now: number, change: (cur: Contact | null) => Partial<Contact>, current?: Contact | null): Promise<Contact> {
  const _id = userKey(id.channel, id.platformUserId);
  const base: Contact = { _id, channel: id.channel, platformUserId: id.platformUserId, ...(id.conversationRef ? { conversationRef: id.conversationRef } : {}), reachable: true, updatedAt: now };
  return (await repos.changeContact(_id, base, (cur) => ({ ...change(cur), updatedAt: now }), current)) as Contact;
}

/**
 * The person interacted at `event.receivedAt`: the Contact is created or refreshed — last
 * interaction (the later of the stored one and the event's), the name and conversation reference
 * of the latest event, reachable again (except someone who unfollowed a Zalo OA: only a new
 * follow makes them reachable, see channels/zalo/contacts.ts).
 *
 * The router touches once per turn, at its end, in the same write as the person's dialog session
 * (`session`, when it changed; `current`: the Contact as the turn read it): one read and one
 * write of the person per turn (issue 15).
 */
export function touch(ctx: Store, event: InboundEvent, opts: { current?: Contact | null; session?: Record<string, unknown> } = {}): Promise<Contact> {
  const at = event.receivedAt.getTime();
  const now = ctx.clock.now().getTime();
  return updateContact(
    ctx.store,
    { channel: event.channel, platformUserId: event.userId },
    now,
    (cur) => {
      const latest = cur?.lastInteractionAt === undefined || at >= cur.lastInteractionAt;
      return {
        lastInteractionAt: latest ? at : cur?.lastInteractionAt,
        ...(event.userName && (latest || !cur?.displayName) ? { displayName: event.userName } : {}),
        ...(event.conversationRef && (latest || !cur?.conversationRef) ? { conversationRef: event.conversationRef } : {}),
        ...(cur?.followed === false ? {} : { reachable: true, unreachableReason: undefined }),
        ...(opts.session ? { session: { state: opts.session, updatedAt: now } } : {}),
      };
    },
    opts.current,
  );
}

/** Marks a Contact unreachable (uninstalled, blocked); false if there is none. It becomes reachable again on the next touch. */
export async function retire(ctx: Store, channel: Channel, platformUserId: string, reason: string): Promise<boolean> {
  const now = ctx.clock.now().getTime();
  const r = await ctx.store.contacts.updateOne({ _id: userKey(channel, platformUserId) }, { reachable: false, unreachableReason: reason, updatedAt: now });
  return r !== null;
}
