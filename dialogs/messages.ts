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

/** The form engine's wording: prompts, how to answer, validation errors. */
export const E = {
  progress: (s: number, sn: number, q: number, qn: number) => `Mục ${s}/${sn} · câu ${q}/${qn}`,
  sectionProgress: (s: number, sn: number) => `Mục ${s}/${sn}`,
  dutyText: (t: string) => `Nhiệm vụ: ${t}`,
  requiredMark: ' — bắt buộc',
  optionalMark: ' — không bắt buộc',
  hint: (h: string) => `Gợi ý: ${h}`,
  currentValue: (v: string) => `Đang ghi: ${v}. Gõ "giữ" để giữ nguyên, hoặc gửi câu trả lời mới.`,
  skipHint: 'Gõ "bỏ qua" nếu không có.',
  skipWord: 'bỏ qua',
  skipLabel: 'Bỏ qua',
  keepWord: 'giữ',
  keepLabel: 'Giữ nguyên',
  saveAndNext: 'Lưu và sang mục tiếp',
  saveAndFinish: 'Lưu và hoàn tất',
  unanswered: '(chưa trả lời)',
  skipped: '(để trống)',

  howInteger: (u?: string) => `Trả lời bằng một số nguyên${u ? ` (${u})` : ''}, ví dụ: 12 hoặc 1.234.`,
  howDecimal: (u?: string) => `Trả lời bằng một số${u ? ` (${u})` : ''}, ví dụ: 1.234,5 hoặc 15 triệu.`,
  howPercent: 'Trả lời bằng một tỷ lệ phần trăm, ví dụ: 2,5% hoặc 45.',
  howDate: 'Trả lời bằng ngày dạng ngày/tháng/năm, ví dụ: 05/07/2027.',
  howChoice: 'Trả lời bằng số thứ tự hoặc tên lựa chọn.',
  howChoices: 'Có thể chọn nhiều: gõ các số thứ tự cách nhau bởi dấu phẩy, ví dụ: 1, 3.',
  howText: 'Trả lời bằng một đoạn văn bản.',

  required: 'Câu hỏi này bắt buộc, không bỏ qua được. Vui lòng trả lời.',
  expectInteger: (u?: string) => `Cần một số nguyên không có phần thập phân${u ? ` (${u})` : ''}, ví dụ: 12 hoặc 1.234.`,
  expectDecimal: (u?: string) => `Cần một số${u ? ` (${u})` : ''}, ví dụ: 1.234,5 (dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân).`,
  expectPercent: 'Cần một tỷ lệ phần trăm, ví dụ: 2,5% hoặc 45.',
  badGrouping: 'Số chưa đúng dạng: dấu chấm ngăn cách từng nhóm 3 chữ số (1.234.567), dấu phẩy trước phần thập phân (1.234,5).',
  commaIsDecimal: 'Lưu ý: dấu phẩy là dấu thập phân; số hàng nghìn viết với dấu chấm, ví dụ 1.234.',
  expectDate: 'Cần một ngày dạng ngày/tháng/năm, ví dụ: 05/07/2027.',
  noSuchDate: 'Ngày này không có trên lịch. Vui lòng kiểm tra lại ngày/tháng/năm, ví dụ: 05/07/2027.',
  expectChoice: 'Chưa nhận ra lựa chọn. Hãy gõ số thứ tự (ví dụ: 2) hoặc tên một lựa chọn trong danh sách.',
  expectChoices: 'Chưa nhận ra lựa chọn. Hãy gõ các số thứ tự trong danh sách, cách nhau bởi dấu phẩy, ví dụ: 1, 3.',
  expectText: 'Cần một đoạn văn bản.',
  comparedWith: (label: string, v: string) => `(Câu "${label}" đang là ${v}.)`,
  periodEndIs: (d: string) => `(Ngày cuối của kỳ báo cáo: ${d}.)`,
} as const;
