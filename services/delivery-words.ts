/**
 * How a channel and a send failure are named to an official: used by the delivery notices of the
 * outbox worker, the broadcast delivery report and the coordinator's view of a submission.
 */
import { vi } from '../i18n/vi.js';
import type { Channel } from '../store/records.js';

export const channelName = (c: Channel | string): string => (Object.hasOwn(vi.delivery.channels, c) ? vi.delivery.channels[c as Channel] : c);

/** Raw failure codes (channel senders, outbox) → the reason in words (first match wins). */
const KNOWN: Array<[RegExp, keyof typeof vi.delivery.reasons]> = [
  [/outside_window|window_rejected|no_interaction|interaction_expired|-230|-232/i, 'outsideWindow'],
  [/not_following|unfollowed|-213/i, 'notFollowing'],
  [/user_unavailable|user_inactive|-227|-244/i, 'userUnavailable'],
  [/zns_rejected/i, 'znsRejected'],
  [/token_unavailable/i, 'tokenUnavailable'],
  [/blocked|MessageWritesBlocked|uninstall|forbidden|403/i, 'blocked'],
  [/no conversation reference|no_contact/i, 'noContact'],
  [/unreachable/i, 'unreachable'],
  [/channel_disabled/i, 'channelDisabled'],
  [/quota|-211/i, 'quota'],
  [/429|rate|-32|transient/i, 'rateLimited'],
  [/5\d\d|timeout|ECONN|socket|network/i, 'serverDown'],
  [/api_error|400/i, 'refused'],
];

/** A send failure's reason, as an official reads it, with the raw code for support ("…, mã zalo_outside_window"). */
export function reasonWords(reason: string | undefined): string {
  const r = reason ?? '';
  const hit = KNOWN.find(([re]) => re.test(r));
  return hit ? vi.delivery.withCode(vi.delivery.reasons[hit[1]], r) : r ? vi.delivery.otherError(r) : vi.delivery.noReason;
}
