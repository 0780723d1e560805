/**
 * Text an official reads that belongs to the Teams channel itself (card furniture, transport
 * errors). Everything about reports, commands and dialogs comes from the bot core's catalogue.
 */
export const teamsText = {
  /** Start-up warning (operators read it in the log). */
  authOff:
    'CẢNH BÁO: Teams đang TẮT xác thực (chưa đặt MICROSOFT_APP_ID và MICROSOFT_APP_PASSWORD): ai gọi được /api/messages cũng giả danh được Teams. Chỉ dùng khi phát triển, không bao giờ dùng trên máy chủ thật.',
  /** /healthz `checks.teams` detail (operators read it). */
  health: {
    auth: 'xác thực Bot Framework đang bật',
    noAuth: 'xác thực Bot Framework đang tắt (chỉ dùng khi phát triển)',
  },
  /** A message with neither text nor a card submission (a file, an image, a reaction…). */
  onlyText: 'Hiện tôi chỉ đọc được tin nhắn chữ và các thẻ biểu mẫu. Bạn hãy gõ câu trả lời hoặc gõ "trợ giúp".',
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

  // --- card furniture ---------------------------------------------------------------------------
  /** "Phần 1/2" when a long section is split over several cards. */
  part: (i: number, n: number) => `Phần ${i}/${n}`,
  /** Shown above the inputs of a split section. */
  partNote: 'Mục này dài nên được chia thành nhiều thẻ; hãy gửi từng thẻ.',
  requiredError: (label: string) => `Vui lòng nhập: ${label}.`,
  requiredChoiceError: (label: string) => `Vui lòng chọn: ${label}.`,
  numberError: 'Vui lòng nhập một số.',
  dateError: 'Vui lòng chọn một ngày.',
  downloadFile: (name: string) => `Tải tệp ${name}`,
  /** Continuation title of a table split over several cards. */
  tableContinued: (title: string | undefined, i: number, n: number) => `${title ? `${title} · ` : ''}${i}/${n}`,
} as const;
