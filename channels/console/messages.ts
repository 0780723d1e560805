/** The console channel's own wording (the bot core's replies come from dialogs/messages.ts). */
export const C = {
  prompt: '> ',
  banner: (user: string) =>
    `dondoc — trò chuyện với bot trong cửa sổ dòng lệnh (người dùng: ${user}).\nGõ "trợ giúp" để xem các lệnh; Ctrl+D để thoát.`,
  bye: 'Tạm biệt!',
  choices: (labels: string[]) => `» Chọn nhanh: ${labels.join(' · ')}`,
  file: (name: string, url: string) => `» Tệp: ${name} — ${url}`,
  /** /healthz-style probe details (only a `dondoc chat` process runs the console). */
  health: {
    open: (user: string) => `phiên trò chuyện của ${user} đang mở`,
    ended: 'phiên trò chuyện đã kết thúc',
  },
} as const;
