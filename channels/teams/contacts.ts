/**
 * The Teams Contact of a person: the conversation reference proactive messages go to (with the
 * serviceUrl and tenant as received), stored at install, kept fresh by every inbound activity
 * (through the core), and retired when the app is uninstalled or a send answers 403.
 */
import type { Activity } from 'botbuilder';
import type { AppContext } from '../../core/context.js';
import { userKey, type Contact } from '../../store/records.js';
import { conversationRefOf } from './inbound.js';

export const contactId = (platformUserId: string) => userKey('teams', platformUserId);

/**
 * Creates or refreshes the Contact of the activity's sender (install events); marks it reachable
 * again. Messages and card actions reach the core, which records the Contact from the event.
 */
export async function rememberContact(ctx: AppContext, a: Activity): Promise<Contact> {
  const now = ctx.clock.now().getTime();
  const set: Partial<Contact> & Record<string, unknown> = {
    conversationRef: conversationRefOf(a) as unknown as Record<string, unknown>,
    reachable: true,
    unreachableReason: undefined,
    updatedAt: now,
    ...(a.from.name ? { displayName: a.from.name } : {}),
  };
  const _id = contactId(a.from.id);
  const updated = await ctx.store.contacts.updateOne({ _id }, set);
  if (updated) return updated;
  const fresh: Contact = {
    _id,
    channel: 'teams',
    platformUserId: a.from.id,
    conversationRef: set.conversationRef,
    reachable: true,
    updatedAt: now,
    ...(a.from.name ? { displayName: a.from.name } : {}),
  };
  if (await ctx.store.contacts.insert(fresh)) return { ...fresh, _v: 1 };
  // Someone created it between our update and insert: update the winner's document.
  return (await ctx.store.contacts.updateOne({ _id }, set)) ?? fresh;
}

/** Marks a Contact unreachable (uninstalled, blocked); it becomes reachable again on the next install or message. */
export async function retireContact(ctx: AppContext, platformUserId: string, reason: string): Promise<boolean> {
  const now = ctx.clock.now().getTime();
  const r = await ctx.store.contacts.updateOne({ _id: contactId(platformUserId) }, { reachable: false, unreachableReason: reason, updatedAt: now });
  return r !== null;
}
