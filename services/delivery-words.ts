/**
 * How a channel and a send failure are named to an official: used by the delivery notices of the
 * outbox worker, the broadcast delivery report and the coordinator's view of a submission.
 */
import type { Channel } from '../store/records.js';

export const channelName = (c: Channel | string): string => (c === 'teams' ? 'Teams' : c === 'zalo' ? 'Zalo' : c === 'console' ? 'bảng điều khiển' : c);

/** A send failure's reason, as an official reads it, with the raw code for support ("…, mã zalo_outside_window"). */
export function reasonWords(reason: string | undefined): string {
  const r = reason ?? '';
  const known: Array<[RegExp, string]> = [
    [/outside_window|window_rejected|no_interaction|interaction_expired|-230|-232/i, 'người nhận đã quá 7 ngày không nhắn tin với Zalo OA nên Zalo không cho gửi'],
    [/not_following|unfollowed|-213/i, 'người nhận chưa quan tâm (theo dõi) Zalo OA'],
    [/user_unavailable|user_inactive|-227|-244/i, 'tài khoản Zalo của người nhận bị khóa, lâu không hoạt động hoặc chặn loại tin này'],
    [/zns_rejected/i, 'số điện thoại của người nhận không nhận được tin Zalo ZNS'],
    [/token_unavailable/i, 'không làm mới được mã truy cập Zalo OA (cần cấp quyền lại cho ứng dụng)'],
    [/blocked|MessageWritesBlocked|uninstall|forbidden|403/i, 'người nhận đã chặn hoặc gỡ ứng dụng'],
    [/no conversation reference|no_contact/i, 'chưa có thông tin liên lạc của người nhận'],
    [/unreachable/i, 'người nhận đang được đánh dấu là không liên lạc được'],
    [/channel_disabled/i, 'kênh này chưa được bật trên máy chủ'],
    [/quota|-211/i, 'hết hạn mức gửi tin của Zalo OA'],
    [/429|rate|-32|transient/i, 'nền tảng đang giới hạn tốc độ gửi hoặc tạm thời không phản hồi'],
    [/5\d\d|timeout|ECONN|socket|network/i, 'máy chủ của nền tảng tạm thời không phản hồi'],
    [/api_error|400/i, 'nền tảng từ chối yêu cầu gửi'],
  ];
  const hit = known.find(([re]) => re.test(r));
  return hit ? `${hit[1]}, mã ${r}` : r ? `lỗi ${r}` : 'không rõ lý do';
}
