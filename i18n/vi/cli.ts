/**
 * The `dondoc` command line: commands' help, argument errors and output (operators and
 * coordinators at a terminal; was reporting/consolidation-messages.ts `A.cli…` and literals in cli/).
 */
import { formatNumber } from '../../lib/number.js';

export const cli = {
  program: 'dondoc — trợ lý đôn đốc, thu thập và tổng hợp báo cáo định kỳ (Teams, Zalo)',
  /** zod message of an --at option. */
  isoInstant: 'cần một thời điểm ISO 8601 có múi giờ, ví dụ 2027-06-21T08:00:00+07:00',
  /** An --at option refused: `problem` is isoInstant. */
  badAt: (problem: string, got: string) => `--at: ${problem}; nhận được "${got}"`,
  periodArg: 'kỳ báo cáo: 2027-H1, 2027-Y hoặc 2027-06',

  regime: {
    description: 'chế độ báo cáo (đơn vị, nhiệm vụ, biểu mẫu, kỳ hạn, chỉ tiêu)',
    check:
      'kiểm tra một tệp chế độ báo cáo (JSON, YAML hoặc Excel .xlsx); mặc định: chế độ máy chủ đang áp dụng (chế độ đã áp dụng bằng "regime apply" hoặc trang quản lý, nếu không thì REGIME_FILE). Cảnh báo khi lịch ngày nghỉ lễ không đủ cho các hạn nộp trong 12 tháng tới',
    /** What `regime check` without a file checked: the regime applied and stored (when, by whom, from which file), or REGIME_FILE's. */
    activeStored: (a?: { at: string; by: string; file?: string }) =>
      `Chế độ báo cáo đang áp dụng (lưu trong cơ sở dữ liệu${a ? `, áp dụng lúc ${a.at} bởi ${a.by}${a.file ? ` từ tệp ${a.file}` : ''}` : ''})`,
    activeFile: (file: string) => `${file} (chế độ báo cáo đang áp dụng: REGIME_FILE, chưa áp dụng chế độ nào khác)`,
    fileArg: 'tệp cần kiểm tra',
    atOption: 'xét 12 tháng tới tính từ thời điểm này (mặc định: bây giờ)',
    invalid: (path: string, count: number) => `${path}: không hợp lệ, ${count} lỗi:`,
    valid: (path: string, a: { id: string; version: string; units: number; reportingUnits: number; duties: number; questions: number; kinds: number; indicators: number }) =>
      `${path}: hợp lệ — ${a.id} v${a.version}: ${a.units} đơn vị (${a.reportingUnits} đơn vị báo cáo), ${a.duties} nhiệm vụ, ${a.questions} câu hỏi, ${a.kinds} loại báo cáo, ${a.indicators} chỉ tiêu`,
    warning: (text: string) => `cảnh báo: ${text}`,
    export: 'xuất chế độ báo cáo ra tệp Excel (các trang settings, units, duties, survey, choices, report_kinds, indicators, holidays) để sửa rồi nhập lại',
    exportOut: 'tệp cần ghi (ví dụ: che-do.xlsx)',
    exportFormat: 'định dạng: xlsx hoặc json',
    regimeOption: 'tệp chế độ báo cáo cần xuất (mặc định: chế độ máy chủ đang áp dụng)',
    badFormat: (s: string) => `--format: cần xlsx hoặc json, nhận được "${s}"`,
    import: 'nhập chế độ báo cáo từ tệp Excel: kiểm tra như "regime check", báo mọi lỗi kèm ô (survey!L23) và không ghi gì khi còn lỗi',
    workbookArg: 'tệp Excel (.xlsx) của chế độ báo cáo',
    importOut: 'tệp JSON cần ghi (ví dụ: regimes/che-do.json)',
    notWorkbook: (file: string) => `${file}: cần một tệp Excel .xlsx`,
  },

  periods: {
    description: 'in mọi kỳ báo cáo của một năm, mỗi dòng một đối tượng JSON {id, kind, dataFrom, dataTo, deadline}',
    yearOption: 'năm',
    badYear: (got: string) => `--year: cần một năm dạng YYYY (2000–2100), nhận được "${got}"`,
    badRegime: (file: string, errors: string[]) => `${file}: chế độ báo cáo không hợp lệ:\n  ${errors.join('\n  ')}`,
  },

  enroll: {
    description: 'tạo mã đăng ký dùng một lần cho một đơn vị; người nhận gửi "đăng ký MÃ" cho bot (Teams, Zalo hoặc dondoc chat)',
    unitArg: 'mã đơn vị trong chế độ báo cáo, ví dụ BA-BE, BHXH, LDTBXH',
    roleOption: 'focal (đầu mối báo cáo) hoặc coordinator (cán bộ điều phối, chỉ cho đơn vị điều phối)',
    expiresOption: 'hiệu lực của mã: 30m, 12h, 7d, 2w',
    jsonOption: 'in một đối tượng JSON {code, unitCode, role, expiresAt}',
    durationFormat: 'dạng số + đơn vị: 30m, 12h, 7d, 2w',
    durationRange: 'từ 1 phút đến 90 ngày',
    roleValues: 'chỉ nhận focal (đầu mối) hoặc coordinator (điều phối)',
    badRole: (problem: string, got: string) => `--role: ${problem}, nhận được "${got}"`,
    badExpires: (problem: string, got: string) => `--expires: ${problem}, nhận được "${got}"`,
    noSuchUnit: (arg: string, regimeId: string, codes: string) => `Không có đơn vị "${arg}" trong chế độ báo cáo ${regimeId}. Các mã đơn vị: ${codes}`,
    coordinatorOnly: (code: string, name: string) => `Vai trò điều phối chỉ cấp cho đơn vị điều phối ${code} (${name}).`,
    notReporting: (unitName: string) => `${unitName} không trực tiếp báo cáo; hãy cấp mã cho từng đơn vị cấp dưới.`,
    /** `role`: vi.roles; `expires`: an instant. */
    created: (a: { code: string; unitName: string; unitCode: string; role: string; expires: string }) =>
      `Mã đăng ký: ${a.code}\n` +
      `Đơn vị: ${a.unitName} (${a.unitCode}) · vai trò: ${a.role}\n` +
      `Hết hạn: ${a.expires} · dùng được một lần.\n` +
      `Người nhận gửi cho bot (Teams, Zalo hoặc dondoc chat): đăng ký ${a.code}`,
  },

  chat: {
    description: 'trò chuyện với bot trong cửa sổ dòng lệnh (cùng logic và cùng kho dữ liệu với máy chủ: DATA_DIR hoặc MONGODB_URI); đọc được từ stdin để chạy theo kịch bản',
    userOption: 'mã người dùng trên kênh console, ví dụ: lan.babe',
    nameOption: 'tên hiển thị',
    nowOption: 'coi như phiên bắt đầu vào thời điểm này, ví dụ 2027-06-16T09:00+07:00 (để trình diễn, kiểm thử)',
    echoOption: 'khi đọc từ stdin không phải bàn phím: in lại mỗi dòng nhập ("> …") trước câu trả lời',
    userEmpty: 'không được để trống',
    userChars: 'không chứa khoảng trắng hay dấu ":"',
    badUser: (problem: string) => `--user: ${problem}`,
    badNow: (got: string) => `--now: cần một thời điểm ISO 8601, ví dụ 2027-06-16T09:00+07:00; nhận được "${got}"`,
  },

  reminders: {
    description: 'nhắc nộp báo cáo, tổng hợp cho cán bộ điều phối và hàng đợi gửi tin',
    plan: 'in các bước nhắc và bản tổng hợp sẽ gửi tại một thời điểm, mỗi dòng một đối tượng JSON; không gửi, không ghi gì',
    planAt: 'thời điểm, ví dụ 2027-06-21T08:00:00+07:00',
    runOnce: 'chạy một lượt nhắc (nhận việc, xếp hàng) rồi gửi hàng đợi qua các kênh đã cấu hình; in một dòng JSON tóm tắt',
    runOnceAt: 'coi thời điểm này là "bây giờ" (mặc định: đồng hồ hệ thống)',
  },

  status: {
    description: 'tình hình nộp báo cáo của mọi đơn vị trong một kỳ (bảng dễ đọc; --json: mỗi dòng một đối tượng JSON cho một đơn vị)',
    jsonOption: 'mỗi đơn vị một dòng JSON',
    /** `deadline`: vi.period.deadline. */
    heading: (period: string, deadline: string, submitted: number, expected: number) => `${period} — hạn nộp ${deadline}; đã nộp ${submitted}/${expected}`,
  },
  statusColumns: ['Mã', 'Đơn vị', 'Trạng thái', 'Lần nộp', 'Nộp gần nhất', 'Hoạt động gần nhất', 'Đầu mối'],
  counts: (parts: string) => `Cộng: ${parts}`,

  export: {
    description: 'xuất tổng hợp của một kỳ: xlsx (bảng tổng hợp), docx (dự thảo báo cáo gửi UBND tỉnh) hoặc csv (một dòng mỗi đơn vị và câu hỏi)',
    formatOption: 'xlsx, docx hoặc csv',
    outOption: 'tệp ghi ra (mặc định: tong-hop-KỲ.ĐUÔI trong thư mục hiện tại)',
  },
  badFormat: (s: string) => `--format: cần xlsx, docx hoặc csv, nhận được "${s}"`,
  written: (path: string, bytes: number) => `Đã ghi ${path} (${formatNumber(bytes)} byte).`,

  /** The argument parser's own words (cli/commander-vi.ts): its errors, help headings and help entries. */
  args: {
    /** Help headings, by commander's English heading. */
    titles: { 'Usage:': 'Cách dùng:', 'Arguments:': 'Tham số:', 'Options:': 'Tùy chọn:', 'Global Options:': 'Tùy chọn chung:', 'Commands:': 'Lệnh:' } as Record<string, string>,
    /** In a usage line, for commander's `[options]` and `[command]`. */
    optionsWord: '[tùy chọn]',
    commandWord: '[lệnh]',
    helpOption: 'xem hướng dẫn của lệnh',
    helpCommand: 'xem hướng dẫn của một lệnh',
    defaultValue: (v: string) => `mặc định: ${v}`,
    choices: (v: string) => `chọn một trong: ${v}`,
    /** Every argument error: one line on stderr, then the command's help. */
    error: (command: string, problem: string) => `${command}: ${problem}`,
    missingArgument: (name: string) => `thiếu tham số bắt buộc ${name}`,
    optionMissingValue: (flags: string) => `tùy chọn ${flags} cần một giá trị`,
    missingOption: (flags: string) => `thiếu tùy chọn bắt buộc ${flags}`,
    unknownOption: (flag: string, known: string[]) => `không có tùy chọn ${flag}${known.length ? `; lệnh này nhận: ${known.join(', ')}` : ''}`,
    tooManyArguments: (expected: number, got: number) => (expected ? `thừa tham số: lệnh nhận tối đa ${expected}, nhận được ${got}` : `thừa tham số: lệnh không nhận tham số nào, nhận được ${got}`),
    unknownCommand: (name: string, known: string[]) => `không có lệnh "${name}"; các lệnh: ${known.join(', ')}`,
  },

  /** zod's own messages (config/zod-vi.ts), where a schema gives none: settings, regime files, arguments. */
  zod: {
    /** Type names, by zod's name. */
    types: {
      string: 'chuỗi ký tự',
      number: 'số',
      nan: 'NaN',
      int: 'số nguyên',
      bigint: 'số nguyên',
      boolean: 'true hoặc false',
      object: 'đối tượng',
      array: 'danh sách',
      date: 'ngày',
      null: 'null',
      undefined: 'không có giá trị',
      function: 'hàm',
      symbol: 'symbol',
    } as Record<string, string>,
    required: (expected: string) => `bắt buộc (cần ${expected})`,
    /** `values`: the accepted values, comma-separated. */
    oneOf: (values: string) => `chỉ nhận một trong: ${values}`,
    invalidType: (expected: string, got: string) => `cần ${expected}, nhận được ${got}`,
    maxLength: (n: number, unit: 'ký tự' | 'phần tử') => `tối đa ${n} ${unit}`,
    minLength: (n: number, unit: 'ký tự' | 'phần tử') => (n === 1 ? 'không được để trống' : `cần ít nhất ${n} ${unit}`),
    atMost: (n: string) => `cần nhỏ hơn hoặc bằng ${n}`,
    below: (n: string) => `cần nhỏ hơn ${n}`,
    atLeast: (n: string) => `cần lớn hơn hoặc bằng ${n}`,
    above: (n: string) => `cần lớn hơn ${n}`,
  },

  /** `npm run manifest` (manifest/build.ts): the Teams app package. */
  manifest: {
    devOption: 'gói chỉ để cài thử (sideload): cho phép thiếu TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL',
    /** `settings`: the environment variables missing, or not a public https:// address. */
    pagesMissing: (settings: string[]) =>
      `Không tạo gói ứng dụng Teams: thiếu hoặc sai ${settings.join(', ')} (địa chỉ https:// công khai của trang giới thiệu, chính sách quyền riêng tư, điều khoản sử dụng); chỉ để cài thử thì thêm --dev.`,
    sideloadOnly: (settings: string[]) => `gói chỉ để cài thử (--dev), không dùng để phát hành: chưa có ${settings.join(', ')} (địa chỉ https:// công khai).`,
  },
} as const;
