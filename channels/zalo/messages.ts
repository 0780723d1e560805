/**
 * Everything the Zalo channel itself says to a person or an operator (Vietnamese, with diacritics).
 * The dialogs' own texts live in the bot core's catalogue; these are only the channel's notes.
 */

export const zaloText = {
  /** A picture, file, sticker, voice note… arrived: we only read text. */
  attachmentNote:
    'Cảm ơn bạn đã gửi. Hiện dondoc chỉ đọc được tin nhắn chữ nên chưa xem được ảnh, tệp hay nhãn dán. ' +
    'Bạn vui lòng nhập câu trả lời bằng chữ (ví dụ: 12 hoặc 95,5%). Gõ "trợ giúp" để xem các lệnh.',

  /** The ZNS template's `name` parameter when the person's name is unknown. */
  znsDefaultName: 'anh/chị',

  /** Sent once after someone follows the Official Account. */
  welcome:
    'Chào mừng bạn đến với dondoc — trợ lý đôn đốc và thu thập báo cáo định kỳ. ' +
    'Để bắt đầu, hãy gửi "đăng ký MÃ" với mã do Sở Lao động - Thương binh và Xã hội cấp (ví dụ: đăng ký ABCD2345). Gõ "trợ giúp" để xem các lệnh.',

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
