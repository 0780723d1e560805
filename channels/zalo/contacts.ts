/**
 * What the Zalo channel records about a person on their Contact (`zalo:<OA-scoped user id>`):
 * the last interaction (it opens Zalo's consultation window), following/unfollowing the OA, and
 * a phone number for ZNS when the person shared one. Writes are optimistic (versioned) so two
 * events of one person processed at once never lose either update.
 */
import { userKey, type Contact } from '../../store/records.js';
import type { Repositories } from '../../store/repositories.js';

export const zaloContactId = (userId: string): string => userKey('zalo', userId);

export async function updateContact(repos: Repositories, userId: string, now: number, change: (cur: Contact | null) => Partial<Contact>): Promise<Contact> {
  const id = zaloContactId(userId);
  for (let attempt = 0; ; attempt++) {
    const cur = await repos.contacts.get(id);
    const base: Contact = cur ?? { _id: id, channel: 'zalo', platformUserId: userId, conversationRef: { userId }, reachable: true, updatedAt: now };
    const next: Contact = { ...base, ...change(cur), updatedAt: now };
    const written = await repos.contacts.replaceIfVersion(next, cur?._v ?? 0);
    if (written) return written;
    if (attempt >= 10) throw new Error(`contact ${id}: too many concurrent updates`);
  }
}

/** The person wrote, tapped a button or followed: the window counts from the latest such moment. */
export function touchInteraction(repos: Repositories, userId: string, at: number, now: number): Promise<Contact> {
  return updateContact(repos, userId, now, (cur) => ({
    lastInteractionAt: Math.max(cur?.lastInteractionAt ?? 0, at),
    ...(cur?.followed === false ? {} : { reachable: true, unreachableReason: undefined }),
  }));
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
