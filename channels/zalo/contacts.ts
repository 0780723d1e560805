/**
 * What only the Zalo channel records on a person's Contact (`zalo:<OA-scoped user id>`):
 * following/unfollowing the OA, and a phone number for ZNS when the person shared one. Written
 * through services/contacts.ts (the one writer of Contacts, which also records interactions).
 */
import { updateContact as update } from '../../services/contacts.js';
import type { Contact } from '../../store/records.js';
import type { Repositories } from '../../store/repositories.js';

/** A Zalo person's Contact, created with the conversation reference proactive sends use (`{ userId }`). */
export function updateContact(repos: Repositories, userId: string, now: number, change: (cur: Contact | null) => Partial<Contact>): Promise<Contact> {
  return update(repos, { channel: 'zalo', platformUserId: userId, conversationRef: { userId } }, now, change);
}

/**
 * A follow or unfollow that happened at `at`. Zalo may deliver a retried event after newer ones:
 * one older than the follow/unfollow already recorded changes nothing (false is returned).
 */
export async function setFollowed(repos: Repositories, userId: string, followed: boolean, at: number, now: number): Promise<boolean> {
  let applied = true;
  await updateContact(repos, userId, now, (cur) => {
    applied = cur?.followChangedAt === undefined || at >= cur.followChangedAt;
    if (!applied) return {};
    return followed
      ? { followed: true, followChangedAt: at, reachable: true, unreachableReason: undefined, lastInteractionAt: Math.max(cur?.lastInteractionAt ?? 0, at) }
      : { followed: false, followChangedAt: at, reachable: false, unreachableReason: 'zalo_unfollowed' };
  });
  return applied;
}

/** Vietnamese numbers as ZNS wants them: 84 + the number without its leading 0. */
export function normalizePhone(raw: string): string | undefined {
  const digits = raw.replace(/[\s.()-]/g, '').replace(/^\+/, '');
  if (/^0\d{9,10}$/.test(digits)) return `84${digits.slice(1)}`;
  if (/^84\d{9,10}$/.test(digits)) return digits;
  return undefined;
}

export function setPhone(repos: Repositories, userId: string, phone: string, now: number): Promise<Contact> {
  return updateContact(repos, userId, now, () => ({ phone }));
}
