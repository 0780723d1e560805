/**
 * The signed report attached (dialogs/report/attach.ts, services/attachments.ts): what a focal
 * point is told when they send a file or photo, and how stored files are listed.
 */

export const attachment = {
  /** What each accepted type is called (the type is checked from the bytes). */
  types: { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' },
  /** A stored file in a list: name, type, size ("bao-cao.pdf (PDF, 1,2 MB)"). */
  label: (name: string, type: string, size: string) => `${name} (${type}, ${size})`,
  /** Sent once the file is stored; `file` is a `label`, `report` the report's title. */
  received: (file: string, report: string) => `Đã nhận và lưu tệp ${file} kèm theo ${report}.`,
  /** The same file (same bytes) was already stored with this report: not stored twice. */
  already: (file: string, report: string) => `Tệp ${file} đã được lưu kèm theo ${report} trước đó; không lưu thêm bản trùng.`,
  noReport: 'Chưa rõ tệp này kèm báo cáo nào vì bạn chưa mở báo cáo. Gõ "báo cáo" để mở báo cáo của đơn vị, rồi gửi lại bản đã ký, đóng dấu (PDF, JPG hoặc PNG).',
  badType: 'Tệp chưa được lưu: chỉ nhận bản báo cáo dạng PDF hoặc ảnh chụp JPG, PNG. Bạn vui lòng gửi lại đúng định dạng.',
  /** `limit`: the largest size accepted ("10 MB"). */
  tooLarge: (limit: string) => `Tệp chưa được lưu vì lớn hơn ${limit}. Bạn vui lòng gửi bản nhỏ hơn (PDF nén hoặc ảnh chụp).`,
  fetchFailed: 'Chưa tải được tệp bạn gửi từ máy chủ của ứng dụng chat nên tệp chưa được lưu. Bạn vui lòng gửi lại sau ít phút.',
  /** A unit's count of files, beside its status on the boards. */
  count: (n: number) => `📎 ${n}`,
  /** The coordinator's view of one report: its files with download links (`expires`: when the links stop working). */
  listTitle: (n: number) => `Tệp đính kèm (${n}):`,
  listLine: (file: string, by: string, at: string, url: string) => `• ${file} — ${by}, ${at}\n  ${url}`,
  listExpires: (expires: string) => `Các liên kết tải có hiệu lực đến ${expires}.`,
  /** A focal point's own report (`xem lại`): the files sent with it, who sent each and when. */
  sentTitle: (n: number) => `Tệp đã gửi kèm báo cáo (${n}):`,
  sentLine: (file: string, by: string, at: string) => `• ${file} — ${by} gửi lúc ${at}`,
  /** Under a period in a focal point's `trạng thái`: one file sent with that report. */
  statusLine: (file: string, at: string) => `📎 ${file}, gửi lúc ${at}`,
} as const;
