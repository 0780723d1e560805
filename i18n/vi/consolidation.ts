/**
 * The coordinator's side: the status board and indicators of a period (`consolidation`), reading,
 * approving and asking for corrections (`review`), and the admin HTTP API (`admin`) (was
 * reporting/consolidation-messages.ts `C`, `A`, `STATUS_LABEL`, `MISSING_REASON`, `NOT_COMPUTED`,
 * `NOT_REPORTED`).
 */
import type { Org } from './org.js';
import { lateRule } from './report.js';

/** A rate that cannot be computed. */
const NOT_COMPUTED = 'Chưa tính được';

export const consolidation = {
  /** A unit's status in a period (reporting/consolidation.ts UnitStatus). */
  statusLabel: {
    not_started: 'Chưa bắt đầu',
    in_progress: 'Đang nhập',
    submitted_on_time: 'Đã nộp đúng hạn',
    submitted_late: 'Đã nộp muộn',
    needs_correction: 'Cần bổ sung',
    approved: 'Đã duyệt',
  },
  /** Why a figure a rate needs is missing (reporting/consolidation.ts MissingReason). */
  missingReason: {
    not_filing: 'không thuộc diện báo cáo kỳ này',
    not_submitted: 'chưa nộp báo cáo',
    not_answered: 'đã nộp nhưng chưa báo cáo số liệu này',
  },
  /** What follows a status (reporting/wording.ts statusText). */
  statusSuffix: {
    afterCorrection: ' — đã bổ sung, chờ duyệt',
    afterApproval: ' — nộp lại sau khi đã duyệt, chờ duyệt lại',
    reopened: ' — mở lại để sửa',
    late: ' — nộp muộn',
    overdue: ' — quá hạn',
  },
  /** Which target a period is compared with (reporting/wording.ts milestoneText). No brackets: it is often quoted inside a sentence. */
  milestone: {
    none: 'không có chỉ tiêu',
    upcoming: (year: number, periodYear: number) => `mốc năm ${year}, mốc gần nhất kể từ năm ${periodYear}`,
    last: (year: number, periodYear: number) => `mốc năm ${year}, mốc cuối cùng của Kế hoạch vì năm ${periodYear} đã qua mọi mốc`,
  },
  /** A gap to a target in percentage points ("+1,20 điểm %"): `signed` is the number with its sign. */
  gapPoints: (signed: string) => `${signed} điểm %`,
  /** A rate that cannot be computed. */
  notComputed: NOT_COMPUTED,
  /** A figure (not a rate) nobody has reported. */
  notReported: 'Chưa có số liệu',
  boardTitle: (periodName: string) => `Tình hình báo cáo — ${periodName}`,
  boardDeadline: (words: string, passed: boolean) => `Hạn nộp: ${words}${passed ? ' (đã qua)' : ''}. ${lateRule.charAt(0).toLocaleUpperCase('vi')}${lateRule.slice(1)}.`,
  /**
   * The counts line, first on the board: submitted of expected, then those of them submitted late,
   * awaiting review, sent back for corrections and approved, then those not submitted (a part
   * that is 0 is left out).
   */
  boardSummary: (c: { submitted: number; expected: number; late: number; awaiting: number; correction: number; approved: number; missing: number }) =>
    [
      `${c.submitted}/${c.expected} đã nộp`,
      c.late ? `${c.late} nộp muộn` : '',
      c.awaiting ? `${c.awaiting} chờ duyệt` : '',
      c.correction ? `${c.correction} cần bổ sung` : '',
      c.approved ? `${c.approved} đã duyệt` : '',
      c.missing ? `${c.missing} chưa nộp` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  /**
   * One unit on the board, with the words of the card's row (boardColumns): the status, when it
   * was last updated (absent: never), its focal points (absent: none registered).
   */
  boardLine: (name: string, status: string, updated: string | undefined, focal: string | undefined) =>
    `• ${name}: ${status}${updated ? ` · cập nhật ${updated}` : ''}${focal ? ` · đầu mối: ${focal}` : ''}`,
  /** A board cell with nothing to show (no update yet, no focal point). */
  boardNothing: '—',
  /** The card's columns; a unit's focal points are shown under its name ("\n": a second line). */
  boardColumns: ['Đơn vị\nĐầu mối', 'Trạng thái', 'Cập nhật'],
  /** How the board and the consolidation are typed (the page buttons run them). */
  boardCommand: { status: 'trạng thái', summary: 'tổng hợp' },
  /** `boardCommand` with a period and a page: what the "Xem tiếp" button sends. */
  boardPageCommand: (command: string, periodId: string, page: number) => `${command} ${periodId} trang ${page}`,
  /** A board too long for one message shows a page of units; `next`: the command of the next page. */
  boardPage: (page: number, pages: number, from: number, to: number, total: number, next?: string) =>
    `Trang ${page}/${pages}: đơn vị ${from}–${to} trong số ${total}.${next ? ` Gõ "${next}" để xem tiếp.` : ''}`,
  boardNextLabel: 'Xem tiếp',
  indicatorsTitle: 'Các chỉ tiêu mục II.2 tính từ số liệu đã nộp',
  indicatorsBasis: (milestone: string) => `So với ${milestone}.`,
  /** A target in an indicator line: "60% năm 2030". */
  targetOfYear: (target: string, year: number) => `${target} năm ${year}`,
  indicatorLine: (name: string, value: string, target: string, gap: string) => `• ${name}: ${value} — chỉ tiêu ${target}; chênh lệch ${gap}`,
  indicatorMissingLine: (name: string, target: string) => `• ${name}: ${NOT_COMPUTED} — chỉ tiêu ${target}`,
  /** Under the rates, why one was not computed. `why`: the missing figures (missingFigure, joined by "; ") or zeroDenominator. */
  indicatorMissingWhy: (name: string, why: string) => `${NOT_COMPUTED} «${name}»: ${why}.`,
  /** The rates as a card's table: the indicator, its rate (indicatorLine's value), its target (targetOfYear). */
  indicatorColumns: ['Nội dung', 'Đạt', 'Chỉ tiêu'],
  zeroDenominator: 'mẫu số bằng 0',
  /** One figure a rate lacks, the same in chat, XLSX and DOCX. */
  missingFigure: (unitName: string, label: string, reason: string) => `${unitName} ${reason} «${label}»`,
  usageStatus: 'Cú pháp: tổng hợp KỲ hoặc trạng thái KỲ (ví dụ: tổng hợp 2027-H1; kỳ năm: 2027-Y; kỳ tháng: 2027-06).',
  usageExport: 'Cú pháp: xuất KỲ xlsx|docx|csv (ví dụ: xuất 2027-H1 xlsx).',
  badPeriod: (s: string) => `Không nhận ra kỳ báo cáo "${s}". Kỳ 6 tháng: 2027-H1; kỳ năm: 2027-Y; kỳ tháng: 2027-06.`,
  unknownUnit: (s: string) => `Không tìm thấy đơn vị "${s}". Ghi mã đơn vị (ví dụ BHXH, CTK, BA-BE) hoặc tên ngắn.`,
  /** What each export is, in the "Đã tạo tệp …" line. */
  exportLabels: { xlsx: 'bảng tổng hợp Excel', docx: 'dự thảo báo cáo Word', csv: 'số liệu CSV' },
  exportReady: (name: string, url: string, expires: string) => `Đã tạo tệp ${name}. Tải về tại: ${url}\nLiên kết dùng được đến ${expires}; chỉ chia sẻ trong nội bộ.`,
  exportReadyRelative: (name: string, path: string, expires: string) =>
    `Đã tạo tệp ${name}. Tải về bằng cách mở đường dẫn ${path} trên máy chủ dondoc; đặt PUBLIC_BASE_URL để có liên kết đầy đủ.\nLiên kết dùng được đến ${expires}.`,
  helpStatus: 'tổng hợp KỲ — tình hình nộp báo cáo của mọi đơn vị và các chỉ tiêu của kỳ (ví dụ: tổng hợp 2027-H1)',
  helpStatusShared: 'trạng thái KỲ — cán bộ điều phối: tình hình nộp của mọi đơn vị trong kỳ (ví dụ: trạng thái 2027-H1)',
  helpExport: 'xuất KỲ xlsx|docx|csv — xuất bảng tổng hợp (Excel), dự thảo báo cáo (Word) hoặc CSV',
} as const;

export const review = {
  usageApprove: 'Cú pháp: duyệt ĐƠN_VỊ KỲ (ví dụ: duyệt BHXH 2027-H1). Gõ "xem ĐƠN_VỊ KỲ" để đọc báo cáo trước khi duyệt.',
  usageCorrection:
    'Cú pháp: cần bổ sung ĐƠN_VỊ KỲ câu…: nhận xét\n' +
    'Ví dụ: cần bổ sung BHXH 2027-H1 1.3, 5.5: Đề nghị rà soát lại số liệu.\n' +
    'Ghi số câu như trong báo cáo của đơn vị (mục.câu, ví dụ 1.3), hoặc số mục để yêu cầu cả mục (ví dụ 2). Gõ "xem ĐƠN_VỊ KỲ" để xem số câu.',
  usageView: 'Cú pháp: xem ĐƠN_VỊ KỲ (ví dụ: xem BHXH 2027-H1, xem BA-BE 2026-12).',
  notFiling: (unit: string, period: string) => `${unit} không thuộc diện phải nộp ${period}.`,
  notSubmitted: (unit: string, period: string) => `${unit} chưa nộp ${period}: chưa có gì để duyệt.`,
  alreadyApproved: (unit: string, period: string, revision: number, when: string) => `${period} của ${unit} (lần nộp thứ ${revision}) đã được duyệt trước đó${when ? `, lúc ${when}` : ''}.`,
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
    `Nộp lúc ${when}${who ? ` bởi ${who}` : ''} qua ${channel}; ${late ? 'nộp muộn' : 'đúng hạn'}` + `${firstAt ? ` (nộp lần đầu lúc ${firstAt}; ${lateRule})` : ''}.`,
  viewState: (s: string) => `Tình trạng: ${s}`,
  viewAwaiting: 'chờ duyệt.',
  viewApproved: (revision: number, when: string) => `đã duyệt lần nộp thứ ${revision}${when ? ` lúc ${when}` : ''}.`,
  /** The comment goes last, as its own sentence: it may hold any punctuation. */
  viewNeedsCorrection: (when: string, questions: string[], comment?: string) =>
    `cần bổ sung${questions.length ? ` ${questions.join(', ')}` : ''}${when ? ` (yêu cầu lúc ${when})` : ''}; chờ đơn vị nộp lại.${comment ? ` Nhận xét: ${comment}` : ''}`,
  viewReopened: (when: string) => `đang mở lại để đơn vị sửa (từ ${when}); chờ đơn vị nộp lại.`,
  viewResubmittedAfterCorrection: (when: string, questions: string[]) => `đơn vị đã nộp lại sau yêu cầu bổ sung lúc ${when}${questions.length ? ` (${questions.join(', ')})` : ''}; chờ duyệt.`,
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
  notifyApproved: (org: Org, unit: string, period: string, revision: number, comment?: string) =>
    `${period} của ${unit} (lần nộp thứ ${revision}) đã được ${org.name} duyệt.${comment ? `\nNhận xét: ${comment}` : ''}`,
  notifyCorrection: (org: Org, unit: string, period: string, revision: number, questions: string[], comment: string) =>
    `${org.name} đề nghị ${unit} bổ sung, chỉnh sửa ${period} (lần nộp thứ ${revision}).\n` +
    `Nhận xét: ${comment}\n` +
    `Các nội dung cần bổ sung:\n${questions.map((q) => `• ${q}`).join('\n')}\n` +
    'Gõ "báo cáo" để sửa ngay các nội dung này rồi nộp lại.',
  notifyCorrectionChoice: 'báo cáo',
  notifyCorrectionLabel: 'Sửa báo cáo',
  helpView: 'xem ĐƠN_VỊ KỲ — cán bộ điều phối: đọc báo cáo một đơn vị đã nộp, đánh số câu như đơn vị thấy (ví dụ: xem BHXH 2027-H1)',
  helpApprove: 'duyệt ĐƠN_VỊ KỲ — duyệt báo cáo của một đơn vị',
  helpCorrection: 'cần bổ sung ĐƠN_VỊ KỲ 1.3, 2: nhận xét — yêu cầu đơn vị bổ sung các câu, mục đã ghi',
} as const;

export const admin = {
  unauthorised: 'Cần tiêu đề Authorization: Bearer <ADMIN_TOKEN> hợp lệ.',
  adminDisabled: 'API quản trị đang tắt: chưa đặt biến môi trường ADMIN_TOKEN.',
  badPeriod: (s: string) => `Kỳ báo cáo "${s}" không đúng dạng: YYYY-H1 (6 tháng), YYYY-Y (năm) hoặc YYYY-MM (tháng).`,
  unknownPeriod: (s: string) => `Chế độ báo cáo hiện hành không có loại kỳ của "${s}".`,
  badExport: (s: string) => `Tệp "${s}" không đúng dạng: KỲ.xlsx, KỲ.docx hoặc KỲ.csv (ví dụ 2027-H1.xlsx).`,
  linkInvalid: 'Liên kết tải tệp không hợp lệ.',
  linkExpired: 'Liên kết tải tệp đã hết hạn. Hãy xuất lại tệp trong cuộc trò chuyện (xuất KỲ xlsx).',
  fileGone: 'Không còn tệp này trên máy chủ. Hãy xuất lại.',
} as const;
