/**
 * Changing the regime of a running server (services/regime-change.ts): the web console's page
 * "Chế độ báo cáo", the preview of what a new regime changes, and `dondoc regime apply`.
 * Names of units, report kinds, indicators and questions come from the regimes.
 */

const names = (xs: string[]) => xs.join('; ');
/** A long text's first 80 characters (at a word), then "…". */
const excerpt = (s: string) => (s.length <= 80 ? s : `${s.slice(0, 80).replace(/\s+\S*$/, '')}…`);

export const regimeChange = {
  // --- reading an uploaded file --------------------------------------------------------------------
  emptyFile: (file: string) => `${file}: tệp rỗng.`,
  unknownType: (file: string) => `${file}: không đọc được loại tệp này; hãy tải lên tệp chế độ báo cáo dạng Excel (.xlsx) hoặc .json.`,
  tooLarge: (maxMb: number) => `Tệp quá lớn (tối đa ${maxMb} MB).`,
  noFile: 'Hãy chọn tệp chế độ báo cáo để tải lên.',
  badUpload: 'Không đọc được nội dung gửi lên. Hãy chọn tệp và tải lên lại.',
  invalid: (file: string, n: number) => `Tệp ${file} không hợp lệ (${n} lỗi); chế độ báo cáo đang dùng không thay đổi. Sửa các lỗi sau rồi tải lên lại:`,

  // --- the page ----------------------------------------------------------------------------------
  title: 'Chế độ báo cáo',
  activeTitle: 'Chế độ báo cáo đang áp dụng',
  fields: { id: 'Mã', version: 'Phiên bản', title: 'Tên', source: 'Căn cứ', counts: 'Quy mô', changed: 'Thay đổi lần cuối' },
  counts: (reportingUnits: number, units: number, questions: number, kinds: number, indicators: number) =>
    `${reportingUnits} đơn vị báo cáo (trong ${units} đơn vị), ${questions} câu hỏi, ${kinds} loại báo cáo, ${indicators} chỉ tiêu`,
  fromFile: (file: string) => `Chưa thay đổi lần nào: chế độ báo cáo của tệp ${file}.`,
  changedBy: (when: string, who: string, file?: string) => `${when}, bởi ${who}${file ? ` (tệp ${file})` : ''}`,
  uploadTitle: 'Tải lên chế độ báo cáo mới',
  uploadIntro:
    'Chọn tệp chế độ báo cáo (bảng tính Excel .xlsx, hoặc .json). Trước khi áp dụng, trang sẽ liệt kê những gì thay đổi: đơn vị, câu hỏi, loại báo cáo, chỉ tiêu, và các báo cáo đang soạn bị ảnh hưởng. Không dữ liệu nào bị xóa: câu trả lời của câu hỏi không đổi được giữ nguyên, câu hỏi mới hoặc đã sửa sẽ được hỏi lại.',
  file: 'Tệp chế độ báo cáo',
  preview: 'Xem trước thay đổi',

  // --- the preview -------------------------------------------------------------------------------
  previewTitle: (file: string) => `Thay đổi nếu áp dụng tệp ${file}`,
  versions: (fromId: string, fromVersion: string, toId: string, toVersion: string) => `Từ ${fromId} phiên bản ${fromVersion} sang ${toId} phiên bản ${toVersion}.`,
  sameRegime: 'Tệp này giống hệt chế độ báo cáo đang áp dụng: không có gì thay đổi.',
  noChange: 'Không có thay đổi nào về đơn vị, câu hỏi, loại báo cáo hay chỉ tiêu.',
  unitsAdded: (n: number, list: string[]) => `Thêm ${n} đơn vị: ${names(list)}.`,
  unitsRemoved: (n: number, list: string[]) => `Bỏ ${n} đơn vị: ${names(list)}. Báo cáo đang soạn và đã nộp của các đơn vị này vẫn được lưu, không bị xóa.`,
  unitRenamed: (code: string, from: string, to: string) => `${code}: đổi tên từ "${from}" thành "${to}".`,
  formsTitle: 'Câu hỏi và ghi chú thay đổi',
  formUnits: (kind: string, units: string[]) => `${kind} — ${units.length > 8 ? `${units.slice(0, 8).join(', ')} và ${units.length - 8} đơn vị khác` : units.join(', ')}`,
  questionAdded: (label: string) => `câu ${label} (câu mới)`,
  questionChanged: (label: string) => `câu ${label} (đã được sửa đổi: sẽ được hỏi lại)`,
  questionRemoved: (label: string) => `câu ${label} (bỏ khỏi biểu mẫu)`,
  /** A note (text shown in the form, no answer): its section's number and its text, shortened. */
  noteChanged: (section: number, text: string) => `ghi chú ở mục ${section}: "${excerpt(text)}" (đã được sửa đổi)`,
  noteAdded: (section: number, text: string) => `ghi chú ở mục ${section}: "${excerpt(text)}" (ghi chú mới)`,
  noteRemoved: (section: number, text: string) => `ghi chú ở mục ${section}: "${excerpt(text)}" (bỏ khỏi biểu mẫu)`,
  kindsAdded: (list: string[]) => `Thêm loại báo cáo: ${names(list)}.`,
  kindsRemoved: (list: string[]) => `Bỏ loại báo cáo: ${names(list)}.`,
  kindsChanged: (list: string[]) => `Thay đổi thời hạn hoặc lịch nhắc của: ${names(list)}.`,
  indicatorsAdded: (list: string[]) => `Thêm chỉ tiêu: ${names(list)}.`,
  indicatorsRemoved: (list: string[]) => `Bỏ chỉ tiêu: ${names(list)}.`,
  indicatorsChanged: (list: string[]) => `Thay đổi chỉ tiêu: ${names(list)}.`,
  settingsChanged: (fields: string[]) => `Thay đổi thông tin chung của chế độ: ${fields.join(', ')}.`,
  affectedTitle: 'Ảnh hưởng đến báo cáo đang soạn',
  noDraftAffected: 'Không báo cáo đang soạn nào bị ảnh hưởng.',
  draftAffected: (unit: string, period: string, kept: number, again: number, aside: number) =>
    `${unit} — ${period}: giữ nguyên ${kept} câu trả lời` +
    (again ? `, hỏi lại ${again} câu đã sửa đổi` : '') +
    (aside ? `, ${aside} câu trả lời của câu hỏi bị bỏ được lưu lại nhưng không còn dùng` : '') +
    '.',
  draftOfRemovedUnit: (unit: string, period: string, answers: number) => `${unit} — ${period}: đơn vị bị bỏ khỏi chế độ; ${answers} câu trả lời đang soạn được lưu lại nguyên vẹn.`,
  submissionsKept: (n: number) => `${n} lần nộp báo cáo của các đơn vị bị bỏ vẫn được lưu, không bị xóa.`,
  confirm: 'Áp dụng chế độ báo cáo này',
  cancel: 'Không áp dụng',
  confirmNote: 'Thay đổi có hiệu lực ngay khi bấm nút, cho mọi lượt trò chuyện, nhắc hạn, bảng theo dõi và tài liệu sau đó.',

  // --- outcome -----------------------------------------------------------------------------------
  applied: (id: string, version: string) => `Đã áp dụng chế độ báo cáo ${id} phiên bản ${version}.`,
  refused: {
    stale: 'Chế độ báo cáo vừa được thay đổi bởi người khác sau khi bạn xem trước. Hãy tải tệp lên và xem trước lại.',
    unchanged: 'Tệp này giống hệt chế độ báo cáo đang áp dụng: không có gì thay đổi.',
    expired: 'Bản xem trước đã hết hạn hoặc đã được thay bằng tệp khác. Hãy tải tệp lên và xem trước lại.',
  },

  // --- the command line --------------------------------------------------------------------------
  cli: {
    apply: 'Áp dụng một tệp chế độ báo cáo cho máy chủ đang chạy (lưu vào kho dữ liệu; mọi máy chủ dùng chung kho nhận trong vài giây)',
    dryRun: 'chỉ liệt kê thay đổi, không áp dụng',
    applied: (id: string, version: string) => `Đã áp dụng chế độ báo cáo ${id} phiên bản ${version}; các máy chủ đang chạy nhận thay đổi trong vài giây.`,
    storedInvalid: (n: number) => `Chế độ báo cáo lưu trong kho dữ liệu không hợp lệ (${n} lỗi):`,
    fileDiffers: (file: string) => `Chế độ báo cáo đang áp dụng là chế độ đã tải lên (lưu trong kho dữ liệu), khác với tệp ${file}. Để dùng lại tệp: dondoc regime apply "${file}".`,
  },
} as const;
