/**
 * The regime as an Excel workbook (regime/workbook.ts, `dondoc regime export|import`): the notes
 * on each column a coordinator reads, and the reader's errors. Every error is printed after its
 * cell ("survey!L23: …"), so each template here is the problem only.
 */

/** What each row of the `settings` sheet holds (its `description` column, and the missing-row error). */
const settings = {
  id: 'mã của chế độ báo cáo (chữ không dấu, số, "-")',
  version: 'phiên bản; tăng lên mỗi khi sửa biểu mẫu',
  title: 'tên chế độ báo cáo',
  source: 'văn bản quy định chế độ báo cáo',
  timezone: 'múi giờ của mọi hạn nộp và lời nhắc (Asia/Ho_Chi_Minh)',
  consolidator_unit: 'mã đơn vị tổng hợp (trang units)',
  report_to: 'nơi nhận báo cáo tổng hợp ("Kính gửi: …")',
  province: 'tên tỉnh trong dòng cơ quan chủ quản ("UBND TỈNH …")',
  place: 'địa danh ở dòng ngày tháng; để trống: tên tỉnh',
  abbreviation: 'chữ viết tắt của cơ quan trong số văn bản (Số: …/BC-…)',
  signature_authority: 'thẩm quyền ký (KT. GIÁM ĐỐC, TL., TUQ., TM., Q.); để trống nếu người đứng đầu ký',
  signature_title: 'chức vụ người ký (PHÓ GIÁM ĐỐC)',
  signature_name: 'họ tên người ký; để trống: để chỗ điền',
  recipient: 'một nơi nhận mỗi dòng (Nơi nhận); thêm dòng recipient cho mỗi nơi',
  archive: 'dòng "Lưu:" (VT, chữ viết tắt đơn vị soạn thảo)',
} as const;

const DAY =
  'Ngày theo kỳ: DD/MM/N (N: năm của kỳ; 15/12/N-1: năm trước), 29/02/N; 28/02 (ngày dùng trong năm không nhuận), hoặc DD/T (T: tháng của kỳ; kỳ 6 tháng: tháng 6, kỳ năm: tháng 12; 15/T-1: tháng trước).';

/** The note on each header cell, by sheet and column. */
const columns = {
  settings: {
    key: 'Tên thiết lập (không sửa). Các dòng bắt buộc: id, version, title, source, consolidator_unit, report_to, province.',
    value: 'Giá trị của thiết lập.',
    description: 'Giải thích (chỉ để đọc, không được nhập vào).',
  },
  units: {
    code: 'Mã đơn vị, duy nhất (chữ không dấu, số, "_" hoặc "-"). Dùng ở các trang duties, survey, indicators.',
    name: 'Tên đầy đủ của đơn vị.',
    short_name: 'Tên ngắn dùng trong danh sách (Sở LĐTBXH).',
    kind: 'Loại: department (sở), agency (cơ quan), organisation (tổ chức), district (huyện), commune (xã, phường), group (nhóm đơn vị, không tự báo cáo).',
    parent: 'Mã đơn vị cấp trên hoặc nhóm; đơn vị không có nhiệm vụ riêng dùng nhiệm vụ của cấp trên.',
    letter: 'Chữ thứ tự của đơn vị trong văn bản (a, b, …, đ).',
    reports: 'yes: đơn vị tự báo cáo; no: nhóm đơn vị (các đơn vị con báo cáo).',
    coordinator: 'yes: đơn vị tổng hợp (người điều phối thấy mọi báo cáo).',
  },
  duties: {
    unit: 'Mã đơn vị (hoặc nhóm) có nhiệm vụ này.',
    id: 'Mã nhiệm vụ, duy nhất trong đơn vị (d1, d2, …).',
    title: 'Tiêu đề ngắn của mục trong biểu mẫu.',
    text: 'Nội dung nhiệm vụ như văn bản quy định.',
    report_kinds: 'Loại báo cáo hỏi nhiệm vụ này (H1, Y, M, cách nhau bằng dấu phẩy); để trống: mọi loại.',
  },
  survey: {
    unit: 'Mã đơn vị (hoặc nhóm) của nhiệm vụ; * cho câu hỏi chung của mọi nhiệm vụ.',
    duty: 'Mã nhiệm vụ (trang duties); với đơn vị *: leading (hỏi trước câu hỏi riêng) hoặc trailing (hỏi sau).',
    type: 'Kiểu câu hỏi: integer, decimal, percent, text, date, note, select_one <danh sách>, select_multiple <danh sách> (danh sách ở trang choices).',
    name: 'Tên câu hỏi, duy nhất trong mục (chữ thường không dấu, số, "_"). Sửa tên là câu hỏi mới: câu trả lời cũ không được giữ.',
    label: 'Câu hỏi như người báo cáo đọc.',
    hint: 'Gợi ý hiện dưới câu hỏi.',
    unit_of_measure: 'Đơn vị tính hiện sau số liệu (người, văn bản).',
    required: 'yes: bắt buộc trả lời.',
    required_message: 'Lời nhắc khi bỏ trống câu bắt buộc.',
    constraint: 'Ràng buộc với câu trả lời ".": . >= 0, . <= 100, string-length(.) <= 4000, . <= ${cau_khac} (không lớn hơn câu trước), . <= period_end() (ngày không sau cuối kỳ); nối bằng and.',
    constraint_message: 'Thông báo khi câu trả lời vi phạm ràng buộc (bắt buộc khi có ràng buộc).',
    relevant:
      "Chỉ hỏi khi điều kiện đúng: ${status} != 'chua_trien_khai', ${cau} != '' (đã trả lời), ${so} > 0, ${cau} in ('a', 'b'); nối bằng and, or và ngoặc. Chỉ tham chiếu câu đứng trước trong cùng mục.",
    soft_min: 'Số liệu thường không nhỏ hơn: nhỏ hơn thì hỏi lại người báo cáo để xác nhận (không từ chối).',
    soft_max: 'Số liệu thường không lớn hơn: lớn hơn thì hỏi lại người báo cáo để xác nhận (không từ chối).',
  },
  choices: {
    list_name: 'Tên danh sách lựa chọn (dùng sau select_one / select_multiple ở trang survey).',
    name: 'Mã lựa chọn, duy nhất trong danh sách (chữ thường không dấu).',
    label: 'Lựa chọn như người báo cáo đọc.',
  },
  report_kinds: {
    id: 'Loại báo cáo: H1 (6 tháng), Y (năm), M (tháng).',
    name: 'Tên loại báo cáo (Báo cáo tháng).',
    deadline_text: 'Hạn nộp như văn bản ghi (trước ngày 20 hằng tháng).',
    deadline: `Hạn nộp: 00:00 của ngày này. ${DAY}`,
    data_from: `Ngày đầu kỳ số liệu. ${DAY}`,
    data_to: `Ngày cuối kỳ số liệu. ${DAY}`,
    unit_kinds: 'Loại đơn vị nộp báo cáo này (district, commune, …, cách nhau bằng dấu phẩy); để trống: mọi đơn vị báo cáo.',
    opens_days_before_deadline: 'Mở nhận báo cáo trước hạn nộp bao nhiêu ngày; để trống: từ đầu kỳ số liệu.',
    locks_days_after_deadline: 'Khóa kỳ sau hạn nộp bao nhiêu ngày (sau đó cần người điều phối mở lại).',
    remind_days_before: 'Nhắc trước hạn nộp bao nhiêu ngày (14, 7, 3, 1).',
    remind_at: 'Giờ nhắc trong ngày (HH:mm).',
    overdue_every_working_days: 'Quá hạn: nhắc lại sau mỗi bao nhiêu ngày làm việc.',
    overdue_for_days: 'Quá hạn: nhắc lại trong bao nhiêu ngày.',
  },
  indicators: {
    id: 'Mã chỉ tiêu, duy nhất.',
    name: 'Tên chỉ tiêu.',
    numerator: 'Tử số: tổng các số liệu ĐƠN_VỊ/nhiệm_vụ/câu_hỏi, nối bằng + (BHXH/d4/si_participants).',
    denominator: 'Mẫu số (cùng cách ghi); để trống khi số liệu đã là tỷ lệ phần trăm.',
    part_of: 'Mã chỉ tiêu mà chỉ tiêu này là "trong đó".',
    district_numerator: 'Tử số theo từng huyện: nhiệm_vụ/câu_hỏi của nhiệm vụ cấp huyện (d3/si_participants_district).',
    district_denominator: 'Mẫu số theo từng huyện (cùng cách ghi).',
  },
  holidays: {
    date: 'Ngày nghỉ lễ (YYYY-MM-DD hoặc DD/MM/YYYY), mỗi dòng một ngày: không gửi lời nhắc vào ngày này.',
  },
} as const;

export const workbook = {
  settings,
  columns,
  /** The note of an indicators column `target_2025`. */
  targetColumn: (year: string) => `Mục tiêu năm ${year} (%); để trống nếu không có.`,

  /** The file is not an .xlsx workbook (the zip reader's own words are English: not shown). */
  unreadable: 'không đọc được tệp: không phải tệp Excel .xlsx, hoặc tệp bị hỏng',
  missingSheet: (sheet: string, all: string) => `thiếu trang tính "${sheet}" (tệp cần các trang: ${all})`,
  missingColumn: (key: string) => `thiếu cột "${key}" ở dòng tiêu đề`,
  duplicateColumn: (key: string) => `cột "${key}" bị trùng`,
  unknownColumn: (key: string, sheet: string, known: string) => `cột "${key}" không có trong trang ${sheet} (các cột: ${known})`,
  emptyCell: (key: string) => `cần ghi ${key}`,
  notANumber: (value: string) => `"${value}" không phải là số`,
  notNumbers: (value: string) => `"${value}" không phải danh sách số nguyên cách nhau bằng dấu phẩy (ví dụ: 14, 7, 3, 1)`,
  notYesNo: (value: string) => `"${value}" không phải yes hoặc no`,
  badDate: (value: string) => `"${value}" không phải ngày dạng YYYY-MM-DD hoặc DD/MM/YYYY`,

  settingsNoKey: 'dòng có giá trị nhưng thiếu tên thiết lập (cột key)',
  unknownSetting: (key: string, keys: string) => `không có thiết lập "${key}" (các thiết lập: ${keys})`,
  duplicateSetting: (key: string) => `thiết lập "${key}" bị ghi hai lần`,
  missingSetting: (key: string, what: string) => `thiếu dòng thiết lập "${key}" (${what})`,

  noSuchUnit: (code: string) => `không có đơn vị "${code}" ở trang units`,
  noSuchDuty: (unit: string, duty: string) => `đơn vị "${unit}" không có nhiệm vụ "${duty}" ở trang duties`,
  templateDuty: (value: string) => `câu hỏi chung (đơn vị *) ghi leading hoặc trailing ở cột duty, không phải "${value}"`,
  badType: (value: string) => `kiểu câu hỏi "${value}" không hợp lệ (ví dụ: integer, select_one yes_no)`,
  duplicateChoice: (name: string, list: string) => `lựa chọn "${name}" bị trùng trong danh sách "${list}"`,
  duplicateIndicator: (id: string) => `mã chỉ tiêu "${id}" bị trùng`,
  badRef: (value: string, example: string) => `"${value}" không phải tham chiếu số liệu hợp lệ (ví dụ: ${example})`,

  badRelevant: (reason: string) => `biểu thức relevant không đúng cú pháp: ${reason}`,
  badConstraint: (reason: string) => `biểu thức constraint không đúng cú pháp: ${reason}`,
  badDayRule: (value: string) => `"${value}" không phải ngày theo kỳ (ví dụ: 05/07/N, 15/12/N-1, 20/T, 15/T-1)`,
  /** The end of an expression, where a token was expected. */
  exprEnd: 'hết biểu thức',
  exprUnclosedRef: (text: string) => `tham chiếu "${text}" thiếu dấu "}" (cách ghi: \${ten_cau_hoi})`,
  exprUnclosedString: 'chuỗi thiếu dấu nháy đóng',
  exprUnexpected: (char: string) => `ký tự "${char}" không dùng được trong biểu thức`,
  exprExpectedValue: (found: string) => `cần một giá trị ('chuoi' hoặc số), gặp ${found}`,
  exprExpectedRef: (found: string) => `cần tham chiếu câu hỏi \${ten_cau_hoi}, gặp ${found}`,
  exprExpectedIn: (found: string) => `sau "not" cần "in", gặp ${found}`,
  exprExpectedList: (found: string) => `sau "in" cần danh sách trong ngoặc ('a', 'b'), gặp ${found}`,
  exprExpectedClose: (found: string) => `thiếu dấu ")", gặp ${found}`,
  exprExpectedOp: (found: string) => `cần phép so sánh (=, !=, >, >=, <, <=, in, not in), gặp ${found}`,
  exprNumberAfter: (op: string, found: string) => `sau "${op}" cần một số, gặp ${found}`,
  exprTrailing: (found: string) => `thừa "${found}" (các điều kiện nối bằng and hoặc or)`,
  constraintTerm: (term: string) => `không hiểu "${term}" (dùng: . >= 0, . <= 100, string-length(.) <= 4000, . <= \${cau_khac}, . <= period_end(); nối bằng and)`,
  constraintTwice: (term: string) => `"${term}": giới hạn này đã được ghi`,
} as const;
