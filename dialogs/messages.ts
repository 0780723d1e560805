/**
 * Every sentence the bot core and the report dialog say, in Vietnamese with diacritics.
 * Nothing user-facing is written elsewhere in bot/ or dialogs/.
 */
import type { Role } from '../store/records.js';

export const roleName = (r: Role): string => (r === 'coordinator' ? 'cán bộ điều phối (Sở LĐTBXH)' : 'đầu mối báo cáo');

export const M = {
  // --- router ---------------------------------------------------------------------------------
  welcome: (name?: string) =>
    `Xin chào${name ? ` ${name}` : ''}! Tôi là dondoc, trợ lý đôn đốc và thu thập báo cáo định kỳ.`,
  notEnrolled:
    'Bạn chưa đăng ký làm đầu mối của đơn vị nào nên chưa dùng được chức năng này.\n' +
    'Hãy xin mã đăng ký từ Sở Lao động - Thương binh và Xã hội, rồi gửi: đăng ký MÃ (ví dụ: đăng ký ABCD2345).',
  coordinatorOnly: 'Xin lỗi, chức năng này chỉ dành cho cán bộ điều phối của Sở Lao động - Thương binh và Xã hội.',
  notUnderstood: 'Tôi chưa hiểu ý bạn. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  internalError: 'Xin lỗi, đã có lỗi khi xử lý tin nhắn của bạn. Câu trả lời trước đó (nếu có) vẫn được lưu. Vui lòng thử lại sau ít phút.',
  unsupportedValue: 'Tôi chưa xử lý được nội dung bạn vừa gửi. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  flowGone: 'Phiên làm việc trước đã kết thúc. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  cancelled: 'Đã thoát. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  nothingToCancel: 'Hiện không có việc gì đang làm dở.',

  // --- help -----------------------------------------------------------------------------------
  helpTitle: 'Các lệnh bạn có thể dùng (gõ có dấu hay không dấu đều được):',
  helpEnrol: '• đăng ký MÃ — đăng ký làm đầu mối của đơn vị bằng mã được cấp',
  helpHelp: '• trợ giúp — xem danh sách lệnh này',
  helpFooterMember: (units: string) => `Bạn đang là đầu mối của: ${units}.`,
  helpFooterGuest: 'Bạn chưa đăng ký đơn vị nào: hãy gửi "đăng ký MÃ" với mã được Sở LĐTBXH cấp.',

  // --- enrolment -------------------------------------------------------------------------------
  enrolUsage: 'Cú pháp: đăng ký MÃ (ví dụ: đăng ký ABCD2345). Mã đăng ký do Sở Lao động - Thương binh và Xã hội cấp.',
  enrolInvalid: 'Mã đăng ký không đúng. Vui lòng kiểm tra lại mã (8 ký tự) hoặc xin mã mới từ Sở Lao động - Thương binh và Xã hội.',
  enrolUsed: 'Mã đăng ký này đã được sử dụng. Mỗi mã chỉ dùng được một lần; vui lòng xin mã mới từ Sở Lao động - Thương binh và Xã hội.',
  enrolExpired: 'Mã đăng ký này đã hết hạn. Vui lòng xin mã mới từ Sở Lao động - Thương binh và Xã hội.',
  enrolled: (role: Role, unitName: string) =>
    `Đăng ký thành công: bạn là ${roleName(role)} của ${unitName}.\n` +
    (role === 'coordinator'
      ? 'Gõ "trạng thái" để xem tình hình báo cáo, "trợ giúp" để xem các lệnh.'
      : 'Gõ "báo cáo" để bắt đầu báo cáo kỳ đang mở, "trạng thái" để xem hạn nộp, "trợ giúp" để xem các lệnh.'),
  enrolledAgain: (role: Role, unitName: string) =>
    `Bạn đã là đầu mối của ${unitName}; vai trò hiện tại: ${roleName(role)}.`,
} as const;
