/**
 * The report dialog's wording: starting, answering, the summary, editing, submitting, the status
 * of a focal point's reports, reopening (was dialogs/messages.ts `R` and `LATE_RULE`).
 */
import { answer } from './answer.js';
import type { Org } from './org.js';

const list = (xs: string[]) => xs.map((x) => `  • ${x}`).join('\n');
/** "câu 2.3 đã được sửa đổi: Số người …" from "2.3 Số người …" (form-engine.ts numberedLabel). */
const numbered = (label: string, what: string) => {
  const sp = label.indexOf(' ');
  return sp < 0 ? `câu ${label} ${what}` : `câu ${label.slice(0, sp)} ${what}: ${label.slice(sp + 1)}`;
};

/**
 * The one rule for on time and late, said the same way to focal points, on the coordinator's
 * board and in the exports (store/report-lifecycle.ts `lateIfSubmitted`).
 */
export const lateRule = 'đúng hạn hay nộp muộn tính theo lần nộp đầu tiên';

export const report = {
  /**
   * The one rule for on time and late, said the same way to focal points, on the coordinator's
   * board and in the exports (store/report-lifecycle.ts `lateIfSubmitted`).
   */
  lateRule,
  help: {
    start: 'báo cáo — bắt đầu hoặc làm tiếp báo cáo của kỳ đang mở (có thể ghi rõ: báo cáo BA-BE 2027-06)',
    continue: 'tiếp tục — quay lại câu hỏi đang trả lời dở',
    more: 'tiếp — xem trang sau của bản tóm tắt dài; lúc khác giống "tiếp tục"',
    review: 'xem lại — xem toàn bộ câu trả lời đã ghi',
    duty: 'nhiệm vụ — xem lại nội dung nhiệm vụ của mục đang trả lời (của mục khác: nhiệm vụ 2)',
    edit: 'sửa <mục> — sửa một mục (sửa 2) hoặc một câu (sửa 2.3)',
    copyPrevious: 'như kỳ trước — điền các câu chưa trả lời của mục đang làm bằng câu trả lời kỳ trước, để rà soát trước khi nộp (từng câu: giữ như kỳ trước)',
    submit: 'nộp — nộp báo cáo (xem tóm tắt và xác nhận trước khi nộp)',
    cancel: 'hủy — tạm dừng việc đang làm; bản nháp vẫn được lưu',
    status: 'trạng thái — đơn vị của bạn, các kỳ đang mở, hạn nộp, đã nộp hay còn thiếu',
    reopen: 'mở lại ĐƠN_VỊ KỲ — (điều phối) mở lại báo cáo đã khóa sổ để đơn vị sửa, ví dụ: mở lại BA-BE 2027-06',
  },
  notYourUnit: (unit: string) => `Bạn không phải đầu mối của ${unit} nên không thể báo cáo thay đơn vị này. Gõ "trạng thái" để xem các đơn vị bạn phụ trách.`,
  noSuchReport: (unit: string, period: string) => `${unit} không có kỳ báo cáo "${period}". Gõ "trạng thái" để xem các kỳ đang mở.`,
  badTarget: (args: string) => `Chưa nhận ra "${args}". Ví dụ: báo cáo BA-BE 2027-06 (mã đơn vị và kỳ: 2027-06 là tháng 6/2027, 2027-H1 là 6 tháng đầu năm, 2027-Y là cả năm).`,
  notOpenYet: (period: string, opens: string) => `${period} chưa mở: bắt đầu nhận trả lời từ ngày ${opens}.`,
  locked: (org: Org, period: string, lockDate: string) => `${period} đã khóa sổ từ ngày ${lockDate}, không sửa hay nộp thêm được nữa. Nếu cần sửa, hãy đề nghị ${org.name} mở lại báo cáo.`,
  started: (title: string, deadline: string, late: boolean) => `Bắt đầu ${title}. Hạn nộp: ${deadline}.` + (late ? ' Kỳ này đã quá hạn: báo cáo vẫn được nhận nhưng sẽ ghi nhận là nộp muộn.' : ''),
  /** After `started` in a chat (text channels only: a form saves a section when it is sent, and has buttons for these). */
  startedChatHint: 'Mỗi câu trả lời được lưu ngay. Gõ "xem lại" để xem các câu đã trả lời, "nhiệm vụ" để xem lại nhiệm vụ của mục, "hủy" để tạm dừng.',
  resumed: (title: string, answered: number, total: number, deadline: string) => `Tiếp tục ${title} (đã trả lời ${answered}/${total} câu). Hạn nộp: ${deadline}.`,
  amending: (title: string, revision: number, lockDate: string) =>
    `${title} đã nộp lần ${revision}. Trước ngày khóa sổ ${lockDate}, bạn có thể sửa và nộp lại; mỗi lần nộp lại được lưu thành một bản mới.`,
  reopenedNotice: (org: Org, title: string, lockDate: string) => `${title} đã được ${org.shortName} mở lại (khóa sổ ban đầu: ${lockDate}). Bạn có thể sửa rồi nộp lại.`,
  needsCorrection: (org: Org, title: string, comment: string | undefined, questions: string[]) =>
    `${org.name} đề nghị bổ sung, chỉnh sửa ${title}.` + (comment ? `\nNhận xét: ${comment}` : '') + (questions.length ? `\nCác câu cần xem lại:\n${list(questions)}` : ''),
  formChanged: (added: string[], changed: string[], removed: number) =>
    (added.length || changed.length
      ? 'Biểu mẫu báo cáo đã được cập nhật từ khi bạn bắt đầu. Các câu đã trả lời khác vẫn giữ nguyên; tôi chỉ hỏi những câu sau:' +
        `\n${list(
          [...changed.map((x) => [x, 'đã được sửa đổi']), ...added.map((x) => [x, 'là câu mới'])].sort(([a], [b]) => a.localeCompare(b, 'vi', { numeric: true })).map(([x, what]) => numbered(x, what)),
        )}`
      : 'Biểu mẫu báo cáo đã được cập nhật từ khi bạn bắt đầu. Các câu trả lời vẫn giữ nguyên; không có câu nào cần trả lời thêm.') +
    (removed ? `\n${removed} câu hỏi cũ đã được bỏ khỏi biểu mẫu (câu trả lời cũ vẫn được lưu lại).` : ''),
  accepted: (label: string, value: string) => `✓ Đã lưu — ${label}: ${value}`,
  figureConfirmHow: 'Trả lời "có" để lưu số này, "không" để nhập lại, hoặc gõ ngay số đúng.',
  figureConfirmAgain: (v: string) => `Số ${v} chưa được lưu. Trả lời "có" để lưu, "không" để nhập lại, hoặc gõ số đúng.`,
  figureNotSaved: (v: string) => `Chưa lưu số ${v}. Vui lòng nhập lại.`,
  figureYesLabel: 'Đúng, lưu số này',
  figureNoLabel: 'Không, nhập lại',
  kept: (label: string, value: string) => `✓ Giữ nguyên — ${label}: ${value}`,
  /** `giữ như kỳ trước`: the previous period's answer stored for this question, marked. */
  keptPrevious: (label: string, value: string) => `✓ Đã lưu như kỳ trước — ${label}: ${value}`,
  noPrevious: 'Câu này không có câu trả lời kỳ trước để dùng lại (kỳ trước chưa nộp, hoặc câu hỏi đã thay đổi). Vui lòng nhập câu trả lời.',
  /** `như kỳ trước`: the section's unanswered questions filled with the previous period's answers. */
  sectionCopied: (section: number, title: string, lines: string[]) =>
    [
      `✓ Đã điền ${lines.length} câu của mục ${section}. ${title} như kỳ trước:`,
      ...lines,
      `Các câu này được đánh dấu "như kỳ trước" cho đến khi nhập lại. Gõ "sửa ${section}" để rà soát từng câu.`,
    ].join('\n'),
  nothingToCopy: (section: number) => `Mục ${section} không còn câu nào điền được như kỳ trước: các câu đã có trả lời, hoặc kỳ trước không có câu trả lời cho câu hỏi hiện hành.`,
  /** Beside an answer in the summary that is still the previous period's, copied unchanged. */
  copiedMark: ' ⟲ như kỳ trước',
  /** Before submitting: the answers still copied from the previous period, by number. */
  copiedBeforeSubmit: (numbers: string[]) =>
    `⚠ ${numbers.length} câu trả lời đang để như kỳ trước, chưa nhập lại (câu ${numbers.join(', ')}). Hãy chắc chắn số liệu vẫn đúng cho kỳ này trước khi nộp; cần sửa thì gõ "sửa <số câu>".`,
  invalid: (error: string) => `✗ Chưa lưu được câu trả lời. ${error}`,
  nothingAsked: 'Bạn đã trả lời đủ các câu hỏi. Gõ "xem lại" để xem, "sửa <mục>" để sửa, hoặc "nộp" để nộp báo cáo.',
  allAnswered: 'Bạn đã trả lời hết các câu hỏi.',
  summaryTitle: (title: string) => `Tóm tắt ${title}:`,
  summaryPageTitle: (title: string, page: number, pages: number) => `Tóm tắt ${title}, trang ${page}/${pages}:`,
  /** The end of a summary page when more follow (see SCREEN_CHARS in report-dialog.ts). */
  summaryMore: (page: number, pages: number) => `Trang ${page}/${pages}. Gõ "tiếp" để xem tiếp.`,
  moreWord: 'tiếp',
  moreLabel: 'Xem tiếp',
  summaryColumns: ['Câu', 'Nội dung', 'Trả lời'] as string[],
  sectionLine: (n: number, title: string) => `Mục ${n}. ${title}`,
  /** A section's heading again on the next page of a summary (`heading`: sectionLine). */
  sectionContinued: (heading: string) => `${heading} (tiếp)`,
  missingMark: ' ⚠ bắt buộc',
  /** The summary's count: the questions that apply, answered of all; those that do not apply; required ones missing. */
  completion: (answered: number, total: number, missingReq: number, notApplicable: number) =>
    `${answered}/${total} câu đã trả lời` + (notApplicable ? `, ${notApplicable} câu không áp dụng` : '') + (missingReq ? `; còn thiếu ${missingReq} câu bắt buộc` : '') + '.',
  /** A question the skip logic leaves out, in the summary, with why (`because`: vi.answer.because). */
  notApplicable: (because?: string) => (because ? `Không áp dụng (${because})` : 'Không áp dụng'),
  lastSubmitted: (revision: number, when: string, late: boolean) => `Đã nộp lần ${revision} lúc ${when}${late ? ' (nộp muộn)' : ''}.`,
  afterReviewIncomplete: 'Chọn "Tiếp tục trả lời" (hoặc gõ "tiếp tục") để trả lời tiếp; "Sửa mục …" (hoặc gõ "sửa 2", "sửa 2.3") để sửa một mục, một câu.',
  afterReviewComplete: 'Chọn "Nộp báo cáo" (hoặc gõ "nộp") để nộp; "Sửa mục …" (hoặc gõ "sửa 2", "sửa 2.3") để sửa một mục, một câu.',
  ruleMark: (num: string) => ` ⚠ chưa khớp với câu ${num}`,
  rulesBroken: (lines: string[]) => `⚠ Số liệu chưa khớp, cần sửa trước khi nộp:\n${list(lines)}`,
  afterReviewBroken: (num: string) => `Chọn "Sửa câu ${num}" (hoặc gõ "sửa ${num}", "sửa <mục>.<câu>") để sửa các câu có dấu ⚠, rồi nộp.`,
  editHow: (sections: string) => `Bạn muốn sửa mục nào? Gõ "sửa <số mục>" (ví dụ: sửa 2) hoặc "sửa <mục>.<câu>" (ví dụ: sửa 2.3):\n${sections}`,
  editNotFound: (arg: string, sections: string) => `Không tìm thấy mục hay câu "${arg}". Các mục của báo cáo:\n${sections}\nVí dụ: sửa 2 hoặc sửa 2.3.`,
  editNotRelevant: (label: string) => `Câu ${label} không cần trả lời, do các câu trả lời trước đó trong mục.`,
  editSection: (n: number, title: string) => `Sửa mục ${n}. ${title}.`,
  /** After `editSection` in a chat (text channels only: a form shows the whole section with its answers). */
  editSectionChatHint: 'Tôi sẽ hỏi lại từng câu; gõ "giữ" để giữ nguyên câu trả lời cũ.',
  editQuestion: (label: string) => `Sửa câu ${label}.`,
  confirm: 'Bạn có muốn nộp báo cáo này không? Chọn "Có, nộp báo cáo" (hoặc gõ "có") để nộp, "Chưa nộp" (hoặc gõ "không") để xem lại, sửa thêm.',
  confirmLate: (deadline: string) =>
    `Lưu ý: đã quá hạn nộp (${deadline}); báo cáo vẫn được nhận và ghi nhận là nộp muộn.\nBạn có muốn nộp báo cáo này không? Chọn "Có, nộp báo cáo" (hoặc gõ "có") để nộp, "Chưa nộp" (hoặc gõ "không") để xem lại, sửa thêm.`,
  confirmAgain: 'Chọn "Có, nộp báo cáo" (hoặc gõ "có") để nộp, "Chưa nộp" (hoặc gõ "không") để chưa nộp. Muốn sửa, gõ "sửa <mục>", ví dụ: sửa 1.3.',
  yesWord: 'có',
  yesLabel: 'Có, nộp báo cáo',
  noWord: 'không',
  noLabel: 'Chưa nộp',
  notSubmittedYet: 'Chưa nộp. Bản nháp vẫn được lưu. Chọn "Sửa mục …" (hoặc gõ "sửa 2", "sửa 2.3") để sửa, "Nộp báo cáo" (hoặc gõ "nộp") khi sẵn sàng.',
  // Buttons that run a command as typed (value: the words typed; label: what the button says, and what the texts above name).
  submitWord: 'nộp',
  submitLabel: 'Nộp báo cáo',
  editWord: (item: string) => `sửa ${item}`,
  editSectionLabel: (n: number) => `Sửa mục ${n}`,
  editQuestionLabel: (num: string) => `Sửa câu ${num}`,
  continueWord: 'tiếp tục',
  continueLabel: 'Tiếp tục trả lời',
  reviewWord: 'xem lại',
  reviewLabel: 'Xem lại',
  pauseWord: 'hủy',
  pauseLabel: 'Tạm dừng',
  missingBeforeSubmit: (labels: string[]) => `Chưa nộp được vì còn ${labels.length} câu bắt buộc chưa trả lời:\n${list(labels)}`,
  rulesBeforeSubmit: (lines: string[]) => `Số liệu giữa các câu chưa khớp nên chưa nộp được:\n${list(lines)}\nHãy sửa cho khớp. Tôi hỏi lại từng câu; câu nào đã đúng thì gõ "giữ".`,
  noChanges: (revision: number, when: string) => `Báo cáo đã nộp lần ${revision} lúc ${when} và chưa có thay đổi nào kể từ đó. Gõ "sửa <mục>" nếu cần sửa.`,
  alreadySubmitted: (title: string, revision: number, when: string, lockDate: string) =>
    `${title} đã nộp lần ${revision} lúc ${when}, chưa có thay đổi nào kể từ đó. Trước ngày khóa sổ ${lockDate}, bạn vẫn có thể "sửa <mục>" rồi "nộp" lại.`,
  /** `timeliness`: a first submission after the deadline (late), or a resubmission after it (the first submission decides). */
  submitted: (title: string, revision: number, when: string, timeliness: 'late' | 'stillLate' | 'stillOnTime' | undefined, deadline: string, lockDate: string) =>
    `✓ Đã nộp ${title}${revision > 1 ? ` (bản sửa lần ${revision})` : ''} lúc ${when}.` +
    (timeliness === 'late' ? `\nBáo cáo nộp sau hạn (${deadline}) nên được ghi nhận là nộp muộn.` : '') +
    (timeliness === 'stillLate' ? `\nBáo cáo vẫn được ghi nhận là nộp muộn: ${lateRule}.` : '') +
    (timeliness === 'stillOnTime' ? `\nĐã quá hạn nộp (${deadline}) nhưng báo cáo vẫn được tính là nộp đúng hạn: ${lateRule}.` : '') +
    `\nTrước ngày khóa sổ ${lockDate}, bạn vẫn có thể "sửa <mục>" rồi "nộp" lại; các lần nộp trước vẫn được lưu. Cảm ơn bạn!`,
  paused: 'Đã tạm dừng báo cáo; bản nháp vẫn được lưu. Gõ "tiếp tục" để làm tiếp bất cứ lúc nào.',
  cancelledOther: 'Đã hủy. Gõ "trợ giúp" để xem các lệnh có thể dùng.',
  nothingToCancel: 'Hiện không có việc gì đang làm dở.',
  pickIntro: 'Bạn có nhiều báo cáo đang mở. Chọn báo cáo muốn làm:',
  allSubmittedPick: 'Các báo cáo đang mở của bạn đều đã nộp. Nếu muốn sửa và nộp lại, chọn một báo cáo:',
  pickHow: 'Gõ số thứ tự (ví dụ: 1).',
  /** One report in the pick list (`deadline`: vi.period.deadline; `state`: st… words). */
  pickLine: (unitName: string, periodName: string, deadline: string, state: string) => `${unitName} — ${periodName} (hạn nộp ${deadline}) — ${state}`,
  pickAgain: (n: number) => `Vui lòng gõ một số từ 1 đến ${n} để chọn báo cáo, hoặc "hủy" để thôi.`,
  nothingOpen: 'Hiện không có kỳ báo cáo nào đang mở cho đơn vị của bạn.',
  nextPeriod: (unit: string, period: string, opens: string, deadline: string) => `• ${unit}: ${period} mở từ ngày ${opens}, hạn nộp ${deadline}.`,
  stNotSubmitted: 'chưa nộp',
  stReopenedUnsubmitted: 'chưa nộp (đã được mở lại)',
  stSubmitted: (revision: number, when: string, late: boolean) => `đã nộp${revision > 1 ? ` (bản sửa lần ${revision})` : ''} lúc ${when}${late ? ', nộp muộn' : ''}`,
  stNeedsCorrection: (org: Org, revision: number, late: boolean) => `cần bổ sung theo ý kiến của ${org.shortName} (đã nộp lần ${revision}${late ? ', nộp muộn' : ''})`,
  stApproved: (revision: number, when: string, late: boolean) => `đã duyệt (nộp lần ${revision} lúc ${when}${late ? ', nộp muộn' : ''})`,
  stReopened: (revision: number, late: boolean) => `đã được mở lại để sửa (đã nộp lần ${revision}${late ? ', nộp muộn' : ''})`,
  statusTitle: (now: string) => `Tình hình báo cáo của bạn (lúc ${now}):`,
  /** The card's columns: the period (short name), the day the deadline falls on (deadlines are at 00:00), the state. */
  statusColumns: ['Kỳ báo cáo', 'Nộp trước', 'Tình trạng'] as string[],
  coordinatorTag: ' — bạn là cán bộ điều phối',
  unitFilesNothing: 'Đơn vị này không trực tiếp báo cáo.',
  /** One period in a focal point's status (`deadline`: vi.period.deadline; `state`: statusPending or st… words). */
  statusLine: (periodName: string, deadline: string, state: string) => `• ${periodName} — hạn nộp ${deadline}: ${state}.`,
  /** A report not yet submitted: `when` (daysLeft, lessThanADay or overdue), `state` (st… words), `progress` (progressWords). */
  statusPending: (when: string, state: string, progress: string) => `${when}, ${state}; ${progress}`,
  /** A report sent back or reopened: its state and the draft's progress. */
  statusToAmend: (state: string, progress: string) => `${state}; ${progress}`,
  /** A line of the status that is not a period (statusNone, unitFilesNothing, nothingOpen). */
  statusNote: (s: string) => `• ${s}`,
  statusNone: (period: string, opens: string) => `Không có kỳ nào đang mở. Kỳ tiếp theo: ${period}, mở từ ngày ${opens}.`,
  progressWords: (answered: number, total: number, missingReq: number) =>
    answered ? `đã trả lời ${answered}/${total} câu${missingReq ? `, còn thiếu ${missingReq} câu bắt buộc` : ''}` : `chưa trả lời câu nào trong ${total} câu`,
  statusNotEnrolled: (org: Org) => `Bạn chưa đăng ký đơn vị nào. Hãy gửi "đăng ký MÃ" với mã được ${org.shortName} cấp.`,
  statusFooter: 'Gõ "báo cáo" để làm báo cáo, "trợ giúp" để xem các lệnh.',
  /** The status when a report is still to submit or amend: the words of its button (statusContinueLabel; continueWord). */
  statusFooterPending: 'Gõ "tiếp tục" để tiếp tục báo cáo, "trợ giúp" để xem các lệnh.',
  statusContinueLabel: 'Tiếp tục báo cáo',
  daysLeft: (n: number) => `còn ${n} ngày`,
  lessThanADay: 'còn dưới 1 ngày',
  overdue: (n: number) => (n >= 1 ? `quá hạn ${n} ngày` : 'đã quá hạn'),
  reopenUsage: 'Cú pháp: mở lại ĐƠN_VỊ KỲ, ví dụ: mở lại BA-BE 2027-06 (kỳ: 2027-06, 2027-H1 hoặc 2027-Y).',
  reopened: (title: string, revision: number) =>
    `Đã mở lại ${title}${revision ? ` (đã nộp lần ${revision})` : ' (đơn vị chưa nộp)'}. Đầu mối của đơn vị có thể sửa và nộp lại; báo cáo khóa lại khi nộp.`,
  alreadyReopened: (title: string) => `${title} đang ở trạng thái mở lại.`,
  reopenChanged: (title: string) => `Chưa mở lại: ${title} vừa thay đổi trong lúc bạn thao tác, do đơn vị nộp hoặc một cán bộ khác xử lý. Gõ lại lệnh nếu vẫn cần mở lại.`,
  badSubmission: 'Biểu mẫu gửi lên không hợp lệ. Gõ "tiếp tục" để làm tiếp báo cáo.',
  /** Why a card submission is refused as malformed (logged; the person reads badSubmission). */
  tooManyAnswers: 'quá nhiều câu trả lời',
  tooManyConfirmations: 'quá nhiều xác nhận',
  sectionGone: 'Mục này không còn trong biểu mẫu hiện tại (biểu mẫu đã được cập nhật).',
  sectionErrors: (saved: number, errors: number) => `${saved ? `Đã lưu ${saved} câu; còn` : 'Có'} ${errors} câu chưa hợp lệ, vui lòng sửa:`,
  sectionUnusual: (saved: number, unusual: number, withErrors: boolean) =>
    withErrors ? `Ngoài ra, ${unusual} số liệu khác thường chưa được lưu, cần bạn xác nhận:` : `Đã lưu ${saved} câu; ${unusual} số liệu khác thường chưa được lưu, cần bạn xác nhận:`,
  sectionConfirmHow: `Nếu số liệu đúng, đánh dấu ô "${answer.confirmFigureLabel}" ngay dưới số đó rồi gửi lại mục; nếu sai, sửa số rồi gửi lại.`,
  sectionSaved: (n: number, title: string, count: number) => `✓ Đã lưu mục ${n}. ${title}${count ? ` (${count} câu)` : ''}.`,
  /** The section again after it was saved: answers made more of its questions apply (`because`: vi.answer.because). */
  sectionMore: (numbers: string[], because?: string) => `Cần trả lời thêm ${numbers.length} câu (${numbers.join(', ')})${because ? ` ${because}` : ''}.`,
  // `nhiệm vụ`: the duty of a section again (prompts show it only when entering a section).
  duty: (progress: string, title: string, dutyText: string) => `${progress} — ${title}\n${dutyText}`,
  dutyNotFound: (arg: string, sections: string) => `Không tìm thấy mục "${arg}". Các mục của báo cáo:\n${sections}\nVí dụ: nhiệm vụ 2.`,
  dutyFooter: 'Gõ "tiếp tục" để trả lời tiếp.',
} as const;
