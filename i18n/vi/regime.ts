/**
 * What the regime loader and `dondoc regime check` say of a regime file (operators read these),
 * and how a period and its deadline are named. `at` is where in the file: `units[3].duties[1]`.
 */

export const regime = {
  /** The path of an error about the whole file. */
  root: '(gốc)',
  unreadable: (file: string, detail: string) => `không đọc được tệp ${file}: ${detail}`,
  badSyntax: (file: string, detail: string) => `tệp ${file} không đúng cú pháp: ${detail}`,

  // zod messages of the schema (regime/regime-schema.ts)
  codeChars: 'chỉ dùng chữ cái không dấu, số, "_" hoặc "-"',
  questionName: 'tên câu hỏi: chữ thường không dấu, số và "_"',
  softBoundsEmpty: 'cần ít nhất một trong min, max',
  softBoundsOrder: 'min phải không lớn hơn max',
  monthDayMax: 'ngày trong tháng tối đa là 28 (để có trong mọi tháng)',
  timeOfDay: 'giờ trong ngày dạng HH:mm (ví dụ: 08:00)',
  abbreviation: 'chữ viết tắt của cơ quan trong số văn bản, không có dấu cách hay dấu "/" (ví dụ: LĐTBXH)',
  signatureAuthority: 'thẩm quyền ký theo Nghị định 30/2020/NĐ-CP: bắt đầu bằng KT., TM., TL., TUQ. hoặc Q. rồi đến chức vụ (ví dụ: KT. GIÁM ĐỐC)',
  recipientLine: 'ghi tên nơi nhận, không có dấu "-" ở đầu, không có dấu ";", "," hay "." ở cuối (văn bản tự thêm)',
  archive: 'bắt đầu bằng VT (văn thư), sau đó là chữ viết tắt của đơn vị soạn thảo, không có dấu chấm ở cuối (ví dụ: VT, BHXH)',
  signerReplaced: 'không còn dùng "signer": ghi khối chữ ký trong "signature" (ví dụ: {"authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Nguyễn Văn A"})',

  // days and the calendar
  noSuchDate: (day: number, month: number, year: number) => `ngày không hợp lệ: ${day}/${month}/${year}`,
  noSuchDayInMonth: (at: string, month: number, day: number) => `${at}: tháng ${month} không có ngày ${day}`,
  leapDayNeedsRule: (at: string) => `${at}: ngày 29 tháng 2 chỉ có trong năm nhuận; thêm "nonLeapYears": "feb28" hoặc "mar1" để nói ngày dùng trong các năm khác`,
  nonLeapYearsOnlyFeb29: (at: string) => `${at}: chỉ dùng cho ngày 29 tháng 2`,
  badTimezone: (at: string, zone: string) => `${at}: "${zone}" không phải múi giờ IANA (ví dụ "Asia/Ho_Chi_Minh")`,
  dataWindowReversed: (at: string, from: string, to: string) => `${at}: ngày đầu kỳ số liệu (${from}) sau ngày cuối kỳ (${to})`,
  deadlineNotAfterData: (at: string, deadline: string, from: string) => `${at}: hạn nộp (${deadline}) phải sau ngày đầu kỳ số liệu (${from})`,
  badHoliday: (at: string, day: string) => `${at}: "${day}" không phải ngày có thật`,
  /**
   * Operators' warning (`regime check`, /healthz, the log): the holiday list does not cover the
   * coming deadlines. `lastYear`: the last year listed, if any; `years`: "2028" or "2028, 2029".
   */
  calendarWarning: (lastYear: number | null, years: string, lastDeadline: string) =>
    `Danh sách ngày nghỉ lễ (holidays) của chế độ báo cáo ${lastYear === null ? 'chưa có ngày nào' : `chỉ có đến năm ${lastYear}`}, chưa có năm ${years}, trong khi 12 tháng tới có hạn nộp đến ngày ${lastDeadline}: lịch nhắc có thể rơi vào ngày nghỉ lễ. Cần bổ sung ngày nghỉ lễ năm ${years}.`,

  // cross references
  duplicateUnit: (at: string, code: string) => `${at}: mã đơn vị "${code}" bị trùng`,
  duplicateKind: (at: string, id: string) => `${at}: loại báo cáo "${id}" bị trùng`,
  noSuchUnit: (at: string, code: string) => `${at}: không có đơn vị "${code}"`,
  duplicateQuestion: (at: string, name: string) => `${at}: câu hỏi "${name}" bị trùng trong cùng mục`,
  choicesMissing: (at: string) => `${at}: câu hỏi lựa chọn cần danh sách lựa chọn`,
  noSuchChoiceList: (at: string, name: string) => `${at}: không có danh sách lựa chọn "${name}"`,
  notAnEarlierQuestion: (at: string, name: string) => `${at}: "${name}" không phải câu hỏi đứng trước trong mục`,
  /** `section`: "BHXH/d4" (a unit's duty) or templateSection. */
  noSuchQuestionInSection: (at: string, name: string, section: string) => `${at}: tham chiếu câu "${name}" không có trong mục ${section}`,
  /** The section of the questions asked in every duty (dutyTemplate). */
  templateSection: 'câu hỏi chung của mọi nhiệm vụ',
  lteNotNumeric: (at: string) => `${at}: chỉ so sánh được hai câu hỏi dạng số`,
  softBoundsNotNumeric: (at: string) => `${at}: chỉ đặt được cho câu hỏi dạng số`,
  /** `limits`: the constraint's bounds, e.g. " min 0 max 100". */
  softBoundOutside: (at: string, value: number, limits: string) => `${at}: ${value} nằm ngoài giới hạn bắt buộc của câu hỏi (constraint${limits}), nên không bao giờ được dùng`,
  selfParent: (at: string) => `${at}: đơn vị không thể là cấp trên của chính nó`,
  duplicateDuty: (at: string, id: string) => `${at}: nhiệm vụ "${id}" bị trùng`,
  noSuchKind: (at: string, id: string) => `${at}: không có loại báo cáo "${id}"`,
  templateNameClash: (at: string, name: string) => `${at}: "${name}" trùng với câu hỏi chung của mọi nhiệm vụ`,
  noDuties: (at: string) => `${at}: đơn vị báo cáo phải có ít nhất một nhiệm vụ (của mình hoặc của cấp trên)`,
  noSuchDuty: (at: string, unit: string, duty: string) => `${at}: đơn vị "${unit}" không có nhiệm vụ "${duty}"`,
  noSuchQuestion: (at: string, duty: string, question: string) => `${at}: nhiệm vụ "${duty}" không có câu hỏi "${question}"`,
  notNumeric: (at: string, question: string) => `${at}: "${question}" không phải câu hỏi dạng số`,
  noDistricts: (at: string) => `${at}: chế độ báo cáo không có đơn vị cấp huyện`,
  notNumericForDistricts: (at: string, question: string, units: string) => `${at}: "${question}" không phải câu hỏi dạng số của đơn vị cấp huyện ${units}`,
  noSuchIndicator: (at: string, id: string) => `${at}: không có chỉ tiêu "${id}"`,
  indicatorFigureOptional: (at: string, name: string, readers: string) => `${at}: câu hỏi "${name}" dùng để tính chỉ tiêu (${readers}) nên phải bắt buộc ("required": true)`,
  indicatorFigureConditional: (at: string, name: string, readers: string) => `${at}: câu hỏi "${name}" dùng để tính chỉ tiêu (${readers}) nên phải luôn được hỏi (bỏ điều kiện "relevant")`,
} as const;

/** How a period and its deadline are named in every message, export and CLI line. */
export const period = {
  /** "Báo cáo 6 tháng đầu năm 2027" (`kind`: the report kind's name, "Báo cáo 6 tháng"). */
  firstHalf: (kind: string, year: number) => `${kind} đầu năm ${year}`,
  year: (kind: string, year: number) => `${kind} ${year}`,
  /** "Báo cáo tháng 06/2027" */
  month: (kind: string, month: number, year: number) => `${kind} ${String(month).padStart(2, '0')}/${year}`,
  /** "trước 00:00 ngày 05/7/2027" */
  deadline: (instant: string) => `trước ${instant}`,
} as const;
