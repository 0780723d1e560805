/**
 * What each channel itself says: the console's furniture, Teams card furniture and transport
 * errors, Zalo's notes (was channels/console|teams|zalo/messages.ts `C`, `teamsText`,
 * `zaloText`). Everything about reports and commands is in the other namespaces.
 */
import type { Org } from './org.js';

export const consoleChannel = {
  prompt: '> ',
  banner: (user: string) => `dondoc — trò chuyện với bot trong cửa sổ dòng lệnh (người dùng: ${user}).\nGõ "trợ giúp" để xem các lệnh; Ctrl+D để thoát.`,
  bye: 'Tạm biệt!',
  choices: (labels: string[]) => `» Chọn nhanh: ${labels.join(' · ')}`,
  file: (name: string, url: string) => `» Tệp: ${name} — ${url}`,
  /** /healthz-style probe details (only a `dondoc chat` process runs the console). */
  health: {
    open: (user: string) => `phiên trò chuyện của ${user} đang mở`,
    ended: 'phiên trò chuyện đã kết thúc',
  },
} as const;

export const teams = {
  /** /healthz `checks.teams` detail (operators read it). */
  health: {
    auth: 'xác thực Bot Framework đang bật',
    noAuth: 'xác thực Bot Framework đang tắt (chỉ dùng khi phát triển)',
    /** The Agents SDK could not be loaded (a broken installation); `reason` is Node's error. */
    sdkFailed: (reason: string) => `không nạp được thư viện Teams (Agents SDK): ${reason}`,
  },
  /** Start-up warning (operators read it in the log). */
  authOff:
    'CẢNH BÁO: Teams đang TẮT xác thực (chưa đặt MICROSOFT_APP_ID và MICROSOFT_APP_PASSWORD): ai gọi được /api/messages cũng giả danh được Teams. Chỉ dùng khi phát triển, không bao giờ dùng trên máy chủ thật.',
  /** A message with neither text nor a card submission (a file, an image, a reaction…). */
  onlyText: 'Hiện tôi chỉ đọc được tin nhắn chữ, các thẻ biểu mẫu và tệp báo cáo đã ký (PDF, JPG, PNG). Bạn hãy gõ câu trả lời hoặc gõ "trợ giúp".',
  /** A card action whose data this version does not understand (an old card, a forged payload). */
  unknownAction: 'Thẻ này đã cũ hoặc không hợp lệ. Gõ "tiếp tục" để nhận lại biểu mẫu mới nhất.',
  /** The same delivery arrived while the first one is still being processed. */
  stillProcessing: 'Đang xử lý thao tác trước, bạn vui lòng chờ trong giây lát.',
  /** A card submit the bot core had nothing to say about. */
  received: 'Đã nhận.',
  /** The same delivery arrived again after it was processed. */
  alreadyProcessed: 'Thao tác này đã được ghi nhận trước đó.',
  /** Something failed while handling a turn; nothing the official did is lost. */
  /** A message in a group chat or channel: the app only works in personal chat. */
  personalOnly: 'dondoc chỉ làm việc trong trò chuyện riêng. Bạn hãy nhắn riêng cho tôi.',
  failure: 'Xin lỗi, đã có lỗi khi xử lý yêu cầu của bạn. Những gì đã lưu trước đó không bị mất; bạn vui lòng thử lại sau ít phút.',
  /** The submit of a part of a long section split over several cards, but the last. */
  savePart: (i: number, n: number) => `Lưu phần ${i}/${n}`,
  /** "Phần 1/2" when a long section is split over several cards. */
  part: (i: number, n: number) => `Phần ${i}/${n}`,
  /** Shown above the inputs of a split section. */
  partNote: 'Mục này dài nên được chia thành nhiều thẻ; mỗi thẻ có nút lưu riêng ở cuối thẻ.',
  /** After a date question's label: Teams shows the date box in its interface language's order. */
  dateOrder: '(ngày/tháng/năm)',
  /** Before the start of a section's duty text on its form. */
  dutyLead: 'Nhiệm vụ: ',
  /** Shows the whole duty text of a section form, and folds it again. */
  dutyShow: 'Xem nội dung nhiệm vụ',
  dutyHide: 'Thu gọn',
  /** A list to choose from (when the choices do not fit as buttons): its label, empty-list text, button and error. */
  chooseLabel: 'Danh sách lựa chọn',
  choosePlaceholder: 'Bấm để chọn…',
  chooseButton: 'Chọn',
  chooseError: 'Vui lòng chọn trong danh sách.',
  numberError: 'Vui lòng nhập một số.',
  percentError: 'Vui lòng nhập một tỷ lệ từ 0 đến 100.',
  dateError: 'Vui lòng chọn một ngày.',
  downloadFile: (name: string) => `Tải tệp ${name}`,
  /** A Teams activity refused at the door (HTTP 400; read by whoever debugs the integration). */
  inbound: {
    mentionNeedsId: 'mention cần mentioned.id',
    serviceUrl: 'serviceUrl phải là địa chỉ http(s)',
    invokeUnsupported: (name: string) => `invoke không được hỗ trợ (chỉ ${name})`,
    cardActionNeedsAction: (name: string) => `${name} cần value.action (type, verb, data)`,
  },
  /** Continuation title of a table split over several cards. */
  tableContinued: (title: string | undefined, i: number, n: number) => `${title ? `${title} · ` : ''}${i}/${n}`,
} as const;

export const zalo = {
  /** A sticker, voice note, video, link… arrived: we read only text and a report's file or photo. */
  attachmentNote:
    'Cảm ơn bạn đã gửi. Hiện dondoc chỉ đọc được tin nhắn chữ và tệp, ảnh báo cáo đã ký (PDF, JPG, PNG); chưa xem được nhãn dán, âm thanh, video hay vị trí. ' +
    'Bạn vui lòng nhập câu trả lời bằng chữ (ví dụ: 12 hoặc 95,5%). Gõ "trợ giúp" để xem các lệnh.',
  /** The ZNS template's `name` parameter when the person's name is unknown. */
  znsDefaultName: 'anh/chị',
  /** Sent once after someone follows the Official Account. */
  welcome: (org: Org) =>
    'Chào mừng bạn đến với dondoc — trợ lý đôn đốc và thu thập báo cáo định kỳ. ' +
    `Để bắt đầu, hãy gửi "đăng ký MÃ" với mã do ${org.name} cấp (ví dụ: đăng ký ABCD2345). Gõ "trợ giúp" để xem các lệnh.`,
  /** Why the OA token cannot be renewed (the `detail` of tokenAlert). */
  tokenAlertReason: {
    needsReauth: 'refresh token bị từ chối',
    noToken: 'chưa có refresh token',
    unreachable: 'không kết nối được máy chủ Zalo',
  },
  /** Alert to the coordinators when the OA token cannot be renewed. */
  tokenAlert: (detail: string) =>
    `⚠️ dondoc không gia hạn được mã truy cập Zalo OA (${detail}). Tin nhắn qua Zalo tạm thời không gửi được; ` +
    'quản trị viên cần cấp lại quyền cho ứng dụng trên trang Zalo for Developers và đặt ZALO_REFRESH_TOKEN mới.',
  /** Health detail strings (for /healthz, read by operators). */
  health: {
    ok: 'mã truy cập Zalo OA còn hiệu lực',
    notYet: 'chưa gọi Zalo OA lần nào',
    noToken: 'chưa có refresh token Zalo (đặt ZALO_REFRESH_TOKEN)',
    failing: (detail: string) => `gia hạn mã truy cập Zalo OA đang lỗi: ${detail}`,
    reauth: (detail: string) => `refresh token Zalo bị từ chối, cần cấp quyền lại: ${detail}`,
  },
  /** A message arrived while the store was unreachable: it was not kept, so it must be sent again. */
  notReceived: 'Xin lỗi, hệ thống đang tạm gián đoạn nên chưa nhận được tin nhắn vừa rồi của bạn. Bạn vui lòng gửi lại sau ít phút.',
  /** Start-up warning when the channel is off. */
  disabled: 'Kênh Zalo đang tắt: đặt ZALO_APP_ID, ZALO_APP_SECRET và ZALO_OA_SECRET_KEY để bật.',
} as const;
