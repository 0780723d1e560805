/**
 * What the router, the help and enrolment say (was dialogs/messages.ts `M` and `roleName`).
 */
import type { Org } from './org.js';

/** The two roles, as officials name them. */
export const roles = {
  focal: 'đầu mối báo cáo',
  coordinator: 'cán bộ điều phối',
} as const;
type Role = keyof typeof roles;

export const router = {
  welcome: (name?: string) => `Xin chào${name ? ` ${name}` : ''}! Tôi là dondoc, trợ lý đôn đốc và thu thập báo cáo định kỳ.`,
  notEnrolled: (org: Org) => 'Bạn chưa đăng ký làm đầu mối của đơn vị nào nên chưa dùng được chức năng này.\n' + `Hãy xin mã đăng ký từ ${org.name}, rồi gửi: đăng ký MÃ (ví dụ: đăng ký ABCD2345).`,
  coordinatorOnly: (org: Org) => `Xin lỗi, chức năng này chỉ dành cho cán bộ điều phối của ${org.name}.`,
  notUnderstood: 'Tôi chưa hiểu ý bạn. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  /** A command typed with a typo, close to one (or two) but not certain (router/command-match.ts). */
  didYouMean: (names: string[]) => `Có phải bạn muốn gõ ${names.map((n) => `"${n}"`).join(' hay ')}?`,
  internalError: 'Xin lỗi, đã có lỗi khi xử lý tin nhắn của bạn. Các câu trả lời đã lưu không bị mất; vui lòng thử lại sau ít phút.',
  unsupportedValue: 'Tôi chưa xử lý được nội dung bạn vừa gửi. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  flowGone: 'Phiên làm việc trước đã kết thúc. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  sessionExpired: 'Phiên làm việc trước đã hết hiệu lực sau khi hệ thống được cập nhật; các câu trả lời đã lưu vẫn còn nguyên.',
  sessionExpiredHow: 'Gõ "tiếp tục" để làm tiếp báo cáo, hoặc "trợ giúp" để xem các lệnh.',
  cancelled: 'Đã thoát. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  nothingToCancel: 'Hiện không có việc gì đang làm dở.',
} as const;

export const help = {
  title: 'Các lệnh bạn có thể dùng (gõ có dấu hay không dấu đều được):',
  enrol: '• đăng ký MÃ — đăng ký làm đầu mối của đơn vị bằng mã được cấp',
  help: '• trợ giúp — xem danh sách lệnh này',
  footerMember: (units: string) => `Đơn vị của bạn: ${units}.`,
  footerGuest: (org: Org) => `Bạn chưa đăng ký đơn vị nào: hãy gửi "đăng ký MÃ" với mã được ${org.shortName} cấp.`,
} as const;

export const enrolment = {
  usage: (org: Org) => `Cú pháp: đăng ký MÃ (ví dụ: đăng ký ABCD2345). Mã đăng ký do ${org.name} cấp.`,
  invalid: (org: Org) => `Mã đăng ký không đúng. Vui lòng kiểm tra lại mã (8 ký tự) hoặc xin mã mới từ ${org.name}.`,
  used: (org: Org) => `Mã đăng ký này đã được sử dụng. Mỗi mã chỉ dùng được một lần; vui lòng xin mã mới từ ${org.name}.`,
  expired: (org: Org) => `Mã đăng ký này đã hết hạn. Vui lòng xin mã mới từ ${org.name}.`,
  enrolled: (role: Role, unitName: string) =>
    `Đăng ký thành công: bạn là ${roles[role]} của ${unitName}.\n` +
    (role === 'coordinator'
      ? 'Gõ "trạng thái" để xem tình hình báo cáo, "trợ giúp" để xem các lệnh.'
      : 'Gõ "báo cáo" để bắt đầu báo cáo kỳ đang mở, "trạng thái" để xem hạn nộp, "trợ giúp" để xem các lệnh.'),
  enrolledAgain: (role: Role, unitName: string) => `Bạn đã là ${roles[role]} của ${unitName}, không cần đăng ký lại.`,
  /** After the wrong code that reached the limit (added under the refusal). `until`: "10:35". */
  locked: (a: { limit: number; minutes: number; until: string }) => `Bạn đã nhập sai mã ${a.limit} lần. Vui lòng thử lại sau ${a.minutes} phút (sau ${a.until}).`,
  /** Any code, right or wrong, while locked out. */
  stillLocked: (a: { limit: number; minutes: number; until: string }) =>
    `Bạn đã nhập sai mã ${a.limit} lần nên tạm thời chưa đăng ký được, kể cả với mã đúng. Vui lòng thử lại sau ${a.minutes} phút (sau ${a.until}).`,
} as const;

/** Limits on what a person not enrolled may send (services/throttle.ts). */
export const limits = {
  /** Said once when a stranger's messages reach the limit; later ones get no answer until `until`. */
  strangerLocked: (a: { minutes: number; until: string }, org: Org) =>
    `Bạn đã gửi quá nhiều tin nhắn trong thời gian ngắn; các tin nhắn tiếp theo sẽ không được trả lời. Vui lòng thử lại sau ${a.minutes} phút (sau ${a.until}) và gửi: đăng ký MÃ, với mã do ${org.name} cấp.`,
} as const;
