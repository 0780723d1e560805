/**
 * What the server says to its operators: invalid settings (config/env.ts), start-up and shutdown
 * (app/), the store unreachable (store/).
 */

export const config = {
  /** The path of an error about the environment as a whole. */
  root: '(môi trường)',
  /** Start-up refused (server and CLI alike): one line per bad variable. */
  invalid: (errors: string[]) => (errors.length === 1 ? `dondoc: cấu hình không hợp lệ — ${errors[0]}` : `dondoc: cấu hình không hợp lệ:\n  ${errors.join('\n  ')}`),
  httpUrl: 'phải là địa chỉ http(s)://…',
  mongoUri: 'phải bắt đầu bằng mongodb:// hoặc mongodb+srv://',
  adminTokenShort: 'cần ít nhất 16 ký tự',
  teamsPair: 'MICROSOFT_APP_ID và MICROSOFT_APP_PASSWORD phải đặt cùng nhau',
  tenantRequired: 'cần đặt khi MICROSOFT_APP_TYPE=SingleTenant',
  zaloTogether: 'cần đặt cùng các biến ZALO_* khác để bật Zalo',
  productionNeedsTeamsAuth: 'NODE_ENV=production không cho chạy khi tắt xác thực Teams',
  productionNeedsAdminToken: 'cần đặt khi NODE_ENV=production',
  /** `got`: the value as set. */
  port: (got: string) => `cần một số nguyên từ 1 đến 65535, nhận được "${got}"`,
  /** `got`: the value as set. */
  onOff: (got: string) => `cần "on" (bật) hoặc "off" (tắt), nhận được "${got}"`,
  webSessionHours: (got: string) => `cần số giờ nguyên từ 1 đến 168 (mặc định 8), nhận được "${got}"`,
  productionPortZero: 'cần một cổng cố định (1–65535) khi NODE_ENV=production',
  hostEmpty: 'không được để trống (mặc định 0.0.0.0: mọi địa chỉ của máy)',
  /** The documented limit an outbox pace must stay under, per channel with settings. */
  outboxLimit: { teams: 'Teams: 50 yêu cầu/giây cho mỗi bot', zalo: 'Zalo: 4.000 lần gọi API/phút' },
  /** An outbox pace (OUTBOX_*_RATE): `max` is the platform's documented limit (`platform`: an `outboxLimit`). */
  sendRate: (got: string, max: string, platform: string) => `cần một số tin mỗi giây, lớn hơn 0 và không quá ${max} (giới hạn của ${platform}), nhận được "${got}"`,
  /** How many messages the outbox has in flight on a channel (OUTBOX_*_IN_FLIGHT). */
  inFlight: (got: string, max: number) => `cần một số nguyên từ 1 đến ${max}, nhận được "${got}"`,
  /** ATTACHMENT_MAX_MB: the largest file a focal point may attach to a report. */
  attachmentMaxMb: (got: string, max: number) => `cần số MB từ 1 đến ${max} (có thể có phần thập phân, ví dụ 2,5; mặc định 10), nhận được "${got}"`,
  nodeEnv: (got: string) => `nhận được "${got}": chỉ nhận production (hoặc prod) để chạy thật, development (hoặc dev) hay test để thử`,
} as const;

export const app = {
  badRegime: (file: string, errors: string[]) => `Tệp chế độ báo cáo không hợp lệ (${file}):\n  ${errors.join('\n  ')}`,
  storeFailed: (detail: string) => `Không mở được kho dữ liệu: ${detail}`,
  listening: (a: { version: string; host: string; port: number; store: string; channels: string[]; regime: string; units: number }) =>
    `dondoc ${a.version} đang lắng nghe tại http://${a.host}:${a.port} · kho: ${a.store} · kênh: ${a.channels.join(', ') || 'không'} · chế độ báo cáo: ${a.regime} (${a.units} đơn vị)`,
  stopping: (signal: string) => `nhận ${signal}, đang dừng`,
  /** The server could not listen (app/app.ts): one line naming the setting at fault. */
  portInUse: (port: number) => `cổng ${port} (PORT) đang có chương trình khác dùng: hãy dừng chương trình đó hoặc đặt PORT khác`,
  portDenied: (port: number) => `không được phép mở cổng ${port} (PORT): cổng dưới 1024 cần quyền quản trị; hãy đặt PORT từ 1024 trở lên`,
  hostUnknown: (host: string) => `không tìm thấy máy HOST=${host}: hãy đặt HOST là một địa chỉ IP hoặc tên máy phân giải được (0.0.0.0: mọi địa chỉ của máy)`,
  hostNotLocal: (host: string) => `HOST=${host} không phải địa chỉ của máy này: hãy đặt một địa chỉ của máy (0.0.0.0: mọi địa chỉ)`,
  listenFailed: (host: string, port: number, detail: string) => `không mở được cổng ${port} trên ${host} (HOST, PORT): ${detail}`,
} as const;

export const store = {
  unavailable: (detail: string) => `kho dữ liệu không truy cập được: ${detail}`,
  /** One line: the embedded store failed its integrity check at start-up (nothing was written to it). */
  corrupt: (file: string, detail: string) => `Tệp dữ liệu ${file} bị hỏng (kiểm tra toàn vẹn: ${detail}); máy chủ không khởi động và không ghi gì vào tệp. Hãy khôi phục tệp từ bản sao lưu.`,
} as const;
