/**
 * Every sentence and label of consolidation, review and exports (chat, CLI, HTTP, XLSX, DOCX,
 * CSV), in Vietnamese with diacritics, and the Vietnamese number/date formats they use.
 */
import type { DateTime } from 'luxon';
import { LATE_RULE } from '../dialogs/messages.js';
import { formatNumber, formatPercent } from '../forms/parse.js';
import { formatDay, formatInstant, formatIsoDay } from '../lib/datetime.js';
import type { IndicatorMilestone, MissingReason, UnitStatus, UnitStatusRow } from './consolidation.js';

// --- formats --------------------------------------------------------------------------------------

/** "1.234.567" or "1.234,56": every stored digit kept, as the dialog echoes answers. */
export const fmtNumber = formatNumber;

/** A computed rate, two decimals: "26,17%". */
export function fmtRate(v: number): string {
  const [i, f] = Math.abs(v).toFixed(2).split('.');
  return `${v < 0 ? '-' : ''}${formatNumber(Number(i))},${f}%`;
}
/** A target or a reported percentage as given: "2,5%", "60%". */
export const fmtPercent = formatPercent;
/** "+1,20 điểm %" / "−33,83 điểm %". */
export const fmtGap = (v: number): string => `${v >= 0 ? '+' : '−'}${fmtRate(Math.abs(v)).slice(0, -1)} điểm %`;

/** "09:00 ngày 16/6/2027" (lib/datetime.ts: the one instant format). */
export function fmtDateTime(ms: number, zone: string): string {
  return formatInstant(ms, zone);
}
/** "16/6/2027" */
export function fmtDate(ms: number, zone: string): string {
  return formatDay(ms, zone);
}
/** A stored ISO date answer ("2027-03-15") as "15/3/2027". */
export function fmtIsoDate(s: string): string {
  return formatIsoDay(s);
}

// --- statuses ----------------------------------------------------------------------------------------

export const STATUS_LABEL: Record<UnitStatus, string> = {
  not_started: 'Chưa bắt đầu',
  in_progress: 'Đang nhập',
  submitted_on_time: 'Đã nộp đúng hạn',
  submitted_late: 'Đã nộp muộn',
  needs_correction: 'Cần bổ sung',
  approved: 'Đã duyệt',
};

/** What the board, the CLI and every export say of a unit: the status, then on time/late (decided by the first submission). */
export function statusText(row: Pick<UnitStatusRow, 'status' | 'progress' | 'reopened' | 'overdue'> & Partial<Pick<UnitStatusRow, 'late' | 'resubmitted'>>): string {
  let s = STATUS_LABEL[row.status];
  if (row.status === 'in_progress' && row.progress) s += ` (${row.progress.percent}%)`;
  if (row.resubmitted) s += RESUBMITTED[row.resubmitted];
  if (row.reopened) s += ' — mở lại để sửa';
  if (row.late && row.status !== 'submitted_late') s += ' — nộp muộn';
  if (row.overdue) s += ' — quá hạn';
  return s;
}

const RESUBMITTED: Record<NonNullable<UnitStatusRow['resubmitted']>, string> = {
  after_correction: ' — đã bổ sung, chờ duyệt',
  after_approval: ' — nộp lại sau khi đã duyệt, chờ duyệt lại',
};

export const MISSING_REASON: Record<MissingReason, string> = {
  not_filing: 'không thuộc diện báo cáo kỳ này',
  not_submitted: 'chưa nộp báo cáo',
  not_answered: 'đã nộp nhưng chưa báo cáo số liệu này',
};

/** Which target a period is compared with. No brackets: it is often quoted inside a sentence. */
export function milestoneText(m: IndicatorMilestone | null, periodYear: number): string {
  if (!m) return 'không có chỉ tiêu';
  return m.basis === 'upcoming'
    ? `mốc năm ${m.year}, mốc gần nhất kể từ năm ${periodYear}`
    : `mốc năm ${m.year}, mốc cuối cùng của Kế hoạch vì năm ${periodYear} đã qua mọi mốc`;
}

export const NOT_COMPUTED = 'Chưa tính được';
/** A figure (not a rate) nobody has reported. */
export const NOT_REPORTED = 'Chưa có số liệu';

// --- chat -------------------------------------------------------------------------------------------

export const C = {
  boardTitle: (periodName: string) => `Tình hình báo cáo — ${periodName}`,
  boardCounts: (parts: string[]) => parts.join(' · '),
  boardDeadline: (words: string, passed: boolean) => `Hạn nộp: ${words}${passed ? ' (đã qua)' : ''}. ${LATE_RULE.charAt(0).toLocaleUpperCase('vi')}${LATE_RULE.slice(1)}.`,
  boardMore: (n: number) => `… và ${n} đơn vị khác. Xuất tệp Excel (xuất KỲ xlsx) để xem đủ.`,
  focalNone: 'chưa có đầu mối',
  lastActivity: (s: string) => `hoạt động gần nhất ${s}`,
  boardColumns: ['Đơn vị', 'Trạng thái', 'Lần nộp', 'Hoạt động gần nhất', 'Đầu mối'],
  boardTableTitle: 'Từng đơn vị',
  indicatorsTitle: 'Các chỉ tiêu mục II.2 tính từ số liệu đã nộp:',
  indicatorsBasis: (milestone: string) => `So với ${milestone}.`,
  indicatorLine: (name: string, value: string, target: string, gap: string) => `• ${name}: ${value} — chỉ tiêu ${target}; chênh lệch ${gap}`,
  /** `why`: the missing figures (missingFigure, joined by "; ") or zeroDenominator. */
  indicatorMissingLine: (name: string, target: string, why: string) => `• ${name}: ${NOT_COMPUTED} — chỉ tiêu ${target}. Lý do: ${why}.`,
  zeroDenominator: 'mẫu số bằng 0',
  /** One figure a rate lacks, the same in chat, XLSX and DOCX. */
  missingFigure: (unitName: string, label: string, reason: string) => `${unitName} ${reason} «${label}»`,

  usageStatus: 'Cú pháp: tổng hợp KỲ hoặc trạng thái KỲ (ví dụ: tổng hợp 2027-H1; kỳ năm: 2027-Y; kỳ tháng: 2027-06).',
  usageApprove: 'Cú pháp: duyệt ĐƠN_VỊ KỲ (ví dụ: duyệt BHXH 2027-H1). Gõ "xem ĐƠN_VỊ KỲ" để đọc báo cáo trước khi duyệt.',
  usageCorrection:
    'Cú pháp: cần bổ sung ĐƠN_VỊ KỲ câu…: nhận xét\n' +
    'Ví dụ: cần bổ sung BHXH 2027-H1 1.3, 5.5: Đề nghị rà soát lại số liệu.\n' +
    'Ghi số câu như trong báo cáo của đơn vị (mục.câu, ví dụ 1.3), hoặc số mục để yêu cầu cả mục (ví dụ 2). Gõ "xem ĐƠN_VỊ KỲ" để xem số câu.',
  usageView: 'Cú pháp: xem ĐƠN_VỊ KỲ (ví dụ: xem BHXH 2027-H1, xem BA-BE 2026-12).',
  usageExport: 'Cú pháp: xuất KỲ xlsx|docx|csv (ví dụ: xuất 2027-H1 xlsx).',
  badPeriod: (s: string) => `Không nhận ra kỳ báo cáo "${s}". Kỳ 6 tháng: 2027-H1; kỳ năm: 2027-Y; kỳ tháng: 2027-06.`,
  unknownUnit: (s: string) => `Không tìm thấy đơn vị "${s}". Ghi mã đơn vị (ví dụ BHXH, CTK, BA-BE) hoặc tên ngắn.`,
  notFiling: (unit: string, period: string) => `${unit} không thuộc diện phải nộp ${period}.`,
  notSubmitted: (unit: string, period: string) => `${unit} chưa nộp ${period}: chưa có gì để duyệt.`,
  alreadyApproved: (unit: string, period: string, revision: number, when: string) =>
    `${period} của ${unit} (lần nộp thứ ${revision}) đã được duyệt trước đó${when ? `, lúc ${when}` : ''}.`,
  awaitingResubmission: (unit: string, period: string, revision: number, when: string, questions: string[], unitCode: string, periodId: string) =>
    `Chưa duyệt được: ${period} của ${unit} (lần nộp thứ ${revision}) đã được yêu cầu bổ sung${when ? ` lúc ${when}` : ''}` +
    `${questions.length ? `: ${questions.join(', ')}` : ''}. Đơn vị chưa nộp lại; khi đơn vị nộp bản bổ sung, gõ "xem ${unitCode} ${periodId}" để đọc rồi duyệt.`,
  reopenedCannotReview: (unit: string, period: string) => `${period} của ${unit} đang được mở lại để sửa; chờ đơn vị nộp lại rồi hãy duyệt.`,
  changedMeanwhile: (unit: string, period: string, now: string, unitCode: string, periodId: string) =>
    `Chưa thực hiện: ${period} của ${unit} vừa thay đổi trong lúc bạn thao tác. Hiện tại: ${now}\nGõ "xem ${unitCode} ${periodId}" để đọc bản hiện tại rồi thao tác lại.`,
  newerSinceViewed: (unit: string, period: string, viewed: number, now: string, unitCode: string, periodId: string) =>
    `Chưa thực hiện: bạn đã đọc ${period} của ${unit} ở lần nộp thứ ${viewed}, nhưng sau đó báo cáo đã thay đổi. Hiện tại: ${now}\nGõ "xem ${unitCode} ${periodId}" để đọc bản hiện tại rồi thao tác lại.`,
  currentState: (revision: number, state: string) => `lần nộp thứ ${revision}, ${state}`,
  approved: (unit: string, period: string, revision: number, notified: number) =>
    `Đã duyệt ${period} của ${unit} (lần nộp thứ ${revision}). ${notified ? `Đã báo cho ${notified} đầu mối.` : 'Đơn vị chưa có đầu mối để báo tin.'}`,
  unknownQuestions: (tokens: string[], sections: string) =>
    `Không có mục hay câu: ${tokens.join(', ')}. Ghi số câu như trong báo cáo của đơn vị (ví dụ 1.3) hoặc số mục (ví dụ 2). Các mục của báo cáo:\n${sections}`,
  notApplicable: (numbers: string[]) =>
    `Câu ${numbers.join(', ')} được bỏ qua theo các câu trả lời đơn vị đã nộp, nên không yêu cầu bổ sung riêng được. Hãy ghi câu quyết định việc bỏ qua, hoặc cả mục.`,
  noQuestions: 'Hãy ghi ít nhất một câu (ví dụ 1.3) hoặc một mục (ví dụ 2) cần bổ sung.',
  noComment: 'Hãy ghi nhận xét sau dấu hai chấm, ví dụ: …: Đề nghị rà soát lại số liệu.',
  correctionRequested: (unit: string, period: string, revision: number, refs: string[], notified: number) =>
    `Đã yêu cầu ${unit} bổ sung ${period} (lần nộp thứ ${revision}): ${refs.join(', ')}. ${notified ? `Đã báo cho ${notified} đầu mối.` : 'Đơn vị chưa có đầu mối để báo tin.'}`,
  sectionLabel: (n: number, title: string) => `Mục ${n}. ${title} (cả mục)`,
  sectionRef: (n: number) => `mục ${n}`,

  // a unit's report as the coordinator reads it (`xem ĐƠN_VỊ KỲ`)
  viewTitle: (title: string, revision: number) => `${title} — bản nộp lần ${revision}`,
  viewSubmitted: (when: string, who: string | undefined, channel: string, late: boolean, firstAt?: string) =>
    `Nộp lúc ${when}${who ? ` bởi ${who}` : ''} qua ${channel}; ${late ? 'nộp muộn' : 'đúng hạn'}` +
    `${firstAt ? ` (nộp lần đầu lúc ${firstAt}; ${LATE_RULE})` : ''}.`,
  viewState: (s: string) => `Tình trạng: ${s}`,
  viewAwaiting: 'chờ duyệt.',
  viewApproved: (revision: number, when: string) => `đã duyệt lần nộp thứ ${revision}${when ? ` lúc ${when}` : ''}.`,
  /** The comment goes last, as its own sentence: it may hold any punctuation. */
  viewNeedsCorrection: (when: string, questions: string[], comment?: string) =>
    `cần bổ sung${questions.length ? ` ${questions.join(', ')}` : ''}${when ? ` (yêu cầu lúc ${when})` : ''}; chờ đơn vị nộp lại.${comment ? ` Nhận xét: ${comment}` : ''}`,
  viewReopened: (when: string) => `đang mở lại để đơn vị sửa (từ ${when}); chờ đơn vị nộp lại.`,
  viewResubmittedAfterCorrection: (when: string, questions: string[]) =>
    `đơn vị đã nộp lại sau yêu cầu bổ sung lúc ${when}${questions.length ? ` (${questions.join(', ')})` : ''}; chờ duyệt.`,
  viewResubmittedAfterApproval: (revision: number) => `đơn vị đã nộp lại sau khi lần nộp thứ ${revision} được duyệt; bản mới chưa duyệt.`,
  viewCorrectionMark: ' ⚠ cần bổ sung',
  viewNext: (unitCode: string, periodId: string, revision: number, status: string) =>
    status === 'submitted'
      ? `Gõ "duyệt ${unitCode} ${periodId}" để duyệt lần nộp thứ ${revision}, hoặc "cần bổ sung ${unitCode} ${periodId} 1.3, 2: nhận xét" để yêu cầu bổ sung (ghi số câu như trên, hoặc số mục).`
      : status === 'approved'
        ? `Nếu vẫn cần sửa: "cần bổ sung ${unitCode} ${periodId} 1.3, 2: nhận xét".`
        : 'Khi đơn vị nộp lại, gõ lại lệnh này để đọc bản mới.',
  viewNothing: (title: string) => `${title}: đơn vị chưa nộp báo cáo, chưa có gì để xem.`,
  viewReopenedUnsubmitted: (title: string) => `${title}: đơn vị chưa nộp; báo cáo đang được mở lại để đơn vị nộp.`,
  viewTableTitle: (title: string, revision: number) => `${title} — bản nộp lần ${revision}`,
  viewColumns: ['Câu', 'Nội dung', 'Trả lời'],
  sectionList: (titles: string[]) => titles.map((t, i) => `  ${i + 1}. ${t}`).join('\n'),

  // notifications to focal points (outbox, purpose 'review')
  notifyApproved: (unit: string, period: string, revision: number, comment?: string) =>
    `${period} của ${unit} (lần nộp thứ ${revision}) đã được Sở Lao động - Thương binh và Xã hội duyệt.${comment ? `\nNhận xét: ${comment}` : ''}`,
  notifyCorrection: (unit: string, period: string, revision: number, questions: string[], comment: string) =>
    `Sở Lao động - Thương binh và Xã hội đề nghị ${unit} bổ sung, chỉnh sửa ${period} (lần nộp thứ ${revision}).\n` +
    `Nhận xét: ${comment}\n` +
    `Các nội dung cần bổ sung:\n${questions.map((q) => `• ${q}`).join('\n')}\n` +
    'Gõ "báo cáo" để sửa ngay các nội dung này rồi nộp lại.',
  notifyCorrectionChoice: 'báo cáo',

  exportReady: (name: string, url: string, expires: string) =>
    `Đã tạo tệp ${name}. Tải về tại: ${url}\nLiên kết dùng được đến ${expires}; chỉ chia sẻ trong nội bộ.`,
  exportReadyRelative: (name: string, path: string, expires: string) =>
    `Đã tạo tệp ${name}. Tải về bằng cách mở đường dẫn ${path} trên máy chủ dondoc; đặt PUBLIC_BASE_URL để có liên kết đầy đủ.\nLiên kết dùng được đến ${expires}.`,

  helpStatus: 'tổng hợp KỲ — tình hình nộp báo cáo của mọi đơn vị và các chỉ tiêu của kỳ (ví dụ: tổng hợp 2027-H1)',
  helpStatusShared: 'trạng thái KỲ — cán bộ điều phối: tình hình nộp của mọi đơn vị trong kỳ (ví dụ: trạng thái 2027-H1)',
  helpView: 'xem ĐƠN_VỊ KỲ — cán bộ điều phối: đọc báo cáo một đơn vị đã nộp, đánh số câu như đơn vị thấy (ví dụ: xem BHXH 2027-H1)',
  helpApprove: 'duyệt ĐƠN_VỊ KỲ — duyệt báo cáo của một đơn vị',
  helpCorrection: 'cần bổ sung ĐƠN_VỊ KỲ 1.3, 2: nhận xét — yêu cầu đơn vị bổ sung các câu, mục đã ghi',
  helpExport: 'xuất KỲ xlsx|docx|csv — xuất bảng tổng hợp (Excel), dự thảo báo cáo (Word) hoặc CSV',
} as const;

// --- admin HTTP and CLI ---------------------------------------------------------------------------------

export const A = {
  unauthorised: 'Cần tiêu đề Authorization: Bearer <ADMIN_TOKEN> hợp lệ.',
  adminDisabled: 'API quản trị đang tắt: chưa đặt biến môi trường ADMIN_TOKEN.',
  badPeriod: (s: string) => `Kỳ báo cáo "${s}" không đúng dạng: YYYY-H1 (6 tháng), YYYY-Y (năm) hoặc YYYY-MM (tháng).`,
  unknownPeriod: (s: string) => `Chế độ báo cáo hiện hành không có loại kỳ của "${s}".`,
  badExport: (s: string) => `Tệp "${s}" không đúng dạng: KỲ.xlsx, KỲ.docx hoặc KỲ.csv (ví dụ 2027-H1.xlsx).`,
  linkInvalid: 'Liên kết tải tệp không hợp lệ.',
  linkExpired: 'Liên kết tải tệp đã hết hạn. Hãy xuất lại tệp trong cuộc trò chuyện (xuất KỲ xlsx).',
  fileGone: 'Không còn tệp này trên máy chủ. Hãy xuất lại.',
  cliBadFormat: (s: string) => `--format: cần xlsx, docx hoặc csv, nhận được "${s}"`,
  cliWritten: (path: string, bytes: number) => `Đã ghi ${path} (${formatNumber(bytes)} byte).`,
  cliColumns: ['Mã', 'Đơn vị', 'Trạng thái', 'Lần nộp', 'Nộp gần nhất', 'Hoạt động gần nhất', 'Đầu mối'],
  cliCounts: (parts: string) => `Cộng: ${parts}`,
} as const;

// --- documents -------------------------------------------------------------------------------------

export const D = {
  // XLSX
  sheetStatus: 'Tình hình nộp',
  sheetIndicators: 'Chỉ tiêu',
  sheetDistricts: 'Theo huyện',
  sheetDuties: 'Tổng hợp nhiệm vụ',
  sheetAnswers: 'Số liệu theo đơn vị',
  statusHeaders: ['STT', 'Mã đơn vị', 'Đơn vị', 'Trạng thái', 'Tỷ lệ đã nhập (%)', 'Lần nộp', 'Nộp lần đầu', 'Nộp gần nhất', 'Nộp muộn (tính theo lần nộp đầu tiên)', 'Hoạt động gần nhất', 'Đầu mối', 'Nhận xét khi duyệt'],
  indicatorHeaders: ['STT', 'Chỉ tiêu', 'Tử số', 'Mẫu số', 'Kết quả (%)', 'Mốc', 'Chỉ tiêu (%)', 'Chênh lệch (điểm %)', 'Ghi chú'],
  districtHeaders: ['STT', 'Đơn vị cấp huyện', 'Chỉ tiêu', 'Số liệu', 'Số liệu huyện báo cáo', 'Ghi chú'],
  dutyHeaders: ['Nhiệm vụ của', 'Mã nhiệm vụ', 'Nhiệm vụ', 'Số liệu', 'Đơn vị tính', 'Tổng cộng', 'Số đơn vị đã báo cáo', 'Số đơn vị phải báo cáo'],
  answerHeaders: ['Mã đơn vị', 'Đơn vị', 'Lần nộp', 'Mã nhiệm vụ', 'Nhiệm vụ', 'Mã câu hỏi', 'Câu hỏi', 'Trả lời', 'Đơn vị tính'],
  yes: 'Có',
  no: 'Không',
  // As the dialog shows an optional question left blank (E.skipped).
  skipped: '(để trống)',
  notApplicable: 'Không áp dụng',
  sumRow: 'Tổng các huyện đã báo cáo',
  directPercent: 'báo cáo trực tiếp (%)',

  // CSV
  csvHeaders: ['Kỳ báo cáo', 'Mã đơn vị', 'Đơn vị', 'Trạng thái', 'Lần nộp', 'Thời điểm nộp', 'Mã nhiệm vụ', 'Nhiệm vụ', 'Mã câu hỏi', 'Câu hỏi', 'Kiểu', 'Giá trị', 'Giá trị hiển thị', 'Đơn vị tính'],

  // DOCX (Decree 30/2020/NĐ-CP layout)
  motto1: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  motto2: 'Độc lập - Tự do - Hạnh phúc',
  parentBody: (province: string) => `UBND TỈNH ${province.toLocaleUpperCase('vi')}`,
  draftMark: 'DỰ THẢO',
  number: (abbr: string) => `Số:        /BC-${abbr}`,
  placeDate: (place: string, d: DateTime) =>
    `${place}, ngày ${d.day < 10 ? `0${d.day}` : d.day} tháng ${d.month < 3 ? `0${d.month}` : d.month} năm ${d.year}`,
  title: 'BÁO CÁO',
  subtitle: (regimeTitle: string, periodName: string) => `${regimeTitle}\n${periodName}`,
  recipient: (to: string) => `Kính gửi: ${to}.`,
  intro: (source: string, coordinator: string, periodName: string) =>
    `Thực hiện ${source}, ${coordinator} tổng hợp ${periodName.charAt(0).toLocaleLowerCase('vi') + periodName.slice(1)} của các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các huyện, thành phố về kết quả thực hiện Kế hoạch như sau:`,
  h1General: 'I. ĐÁNH GIÁ CHUNG',
  h2Results: 'II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC ĐƠN VỊ',
  h3Targets: 'III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU',
  h4Late: 'IV. ĐƠN VỊ NỘP MUỘN, CHƯA NỘP BÁO CÁO',
  h5Difficulties: 'V. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT',
  hAppendix: 'PHỤ LỤC: TỔNG HỢP SỐ LIỆU THEO NHIỆM VỤ',
  // Clauses whose count is zero are left out (never "0 báo cáo đã được duyệt").
  generalSubmitted: (submitted: number, expected: number, onTime: number, late: number, approved: number, correction: number) => {
    if (!submitted) return `Đến thời điểm tổng hợp, chưa đơn vị nào trong ${expected} đơn vị gửi báo cáo.`;
    const when = !late ? ', tất cả đúng hạn' : !onTime ? `, tất cả đều nộp muộn (${LATE_RULE})` : ` (${onTime} đơn vị đúng hạn, ${late} đơn vị nộp muộn; ${LATE_RULE})`;
    const review = [approved ? `${approved} báo cáo đã được duyệt` : '', correction ? `${correction} báo cáo đang được yêu cầu bổ sung` : ''].filter(Boolean);
    return `Đến thời điểm tổng hợp, ${submitted}/${expected} đơn vị đã gửi báo cáo${when}${review.length ? `; trong đó ${review.join(', ')}` : ''}.`;
  },
  generalMissing: (n: number, names: string) => `${n} đơn vị chưa gửi báo cáo: ${names}.`,
  generalAllIn: 'Tất cả các đơn vị đã gửi báo cáo.',
  generalDuties: (total: number, parts: string) => `Trong ${total} nhiệm vụ được các đơn vị báo cáo: ${parts}.`,
  generalTargets: (met: number, computed: number, total: number, milestone: string) =>
    `Về các chỉ tiêu tại mục II.2 của Kế hoạch, so với ${milestone}: ` +
    (!computed
      ? `chưa tính được chỉ tiêu nào trong ${total} chỉ tiêu từ số liệu các đơn vị đã báo cáo.`
      : `tính được ${computed}/${total} chỉ tiêu từ số liệu các đơn vị đã báo cáo, trong đó ${met ? `${met} chỉ tiêu đã đạt hoặc vượt mức của mốc` : 'chưa chỉ tiêu nào đạt mức của mốc'}.`),
  generalTargetsMissing: (names: string) => `Chưa tính được: ${names} (thiếu số liệu, xem mục III).`,
  dutyStatusLabel: 'Tình hình triển khai',
  figuresLabel: 'Số liệu',
  noResults: 'Chưa có đơn vị nào gửi báo cáo.',
  notImplemented: 'Chưa triển khai.',
  targetsTableHeaders: ['TT', 'Chỉ tiêu', 'Kết quả', 'Chỉ tiêu', 'Chênh lệch', 'Ghi chú'],
  targetsNote: (milestone: string) => `Chỉ tiêu so sánh theo ${milestone}. Kết quả tính bằng tổng tử số chia tổng mẫu số nhân 100, từ số liệu các đơn vị đã nộp.`,
  targetsSource: (num: string, den?: string) => `Tử số: ${num}${den ? `; mẫu số: ${den}` : ''}.`,
  districtTitle: (label: string, unitLabel: string | undefined, indicator: string) =>
    `Số liệu theo huyện, thành phố: ${label}${unitLabel ? ` (${unitLabel})` : ''} — phục vụ chỉ tiêu "${indicator.charAt(0).toLocaleLowerCase('vi') + indicator.slice(1)}"`,
  docDistrictHeaders: ['TT', 'Đơn vị', 'Số liệu báo cáo', 'Ghi chú'],
  chartCaption: (legend: string) => `Hình 1. Kết quả thực hiện (cột xanh) so với chỉ tiêu (cột cam), đơn vị: %. ${legend}. Chỉ tiêu chưa tính được để trống và đánh dấu "?".`,
  lateList: 'Đơn vị nộp muộn',
  missingList: 'Đơn vị chưa nộp báo cáo',
  noneLate: 'Không có đơn vị nộp muộn.',
  noneMissing: 'Không có đơn vị chưa nộp.',
  overdueNote: ' (đã quá hạn)',
  submittedAtNote: (at: string) => `nộp lúc ${at}`,
  noneStated: 'Các đơn vị không nêu.',
  closing: 'Trên đây là báo cáo tổng hợp kết quả thực hiện Kế hoạch, kính trình Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.',
  recipientsTitle: 'Nơi nhận:',
  recipients: (to: string) => [`- ${to} (b/c);`, '- Các sở, ban, ngành, đoàn thể tỉnh;', '- UBND các huyện, thành phố;', '- Lưu: VT.'],
  signer: 'GIÁM ĐỐC',
  appendixHeaders: ['Nhiệm vụ', 'Số liệu', 'Tổng cộng', 'Số đơn vị báo cáo'],
  dutyOf: (owner: string) => `Nhiệm vụ của ${owner}`,
} as const;

/** An answer as an official reads it: numbers in Vietnamese format with their unit, choice labels, dates as 05/7/2027. */
export function answerText(a: { type: string; value: unknown; unitLabel?: string; choiceLabels?: string[] }): string {
  const v = a.value;
  if (v === undefined) return '';
  if (v === null) return D.skipped;
  if (a.choiceLabels) return a.choiceLabels.join('; ');
  if (typeof v === 'number') {
    if (a.type === 'percent') return fmtPercent(v);
    return a.unitLabel ? `${fmtNumber(v)} ${a.unitLabel}` : fmtNumber(v);
  }
  if (a.type === 'date' && typeof v === 'string') return fmtIsoDate(v);
  return Array.isArray(v) ? v.join('; ') : String(v);
}
