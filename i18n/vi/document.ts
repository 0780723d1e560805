/**
 * The exports: XLSX sheets, CSV columns and the DOCX draft report (Decree 30/2020/NĐ-CP layout)
 * (was reporting/consolidation-messages.ts `D`).
 */
import type { DateTime } from 'luxon';
import { lateRule } from './report.js';

export const document = {
  // XLSX
  sheetStatus: 'Tình hình nộp',
  sheetIndicators: 'Chỉ tiêu',
  sheetDistricts: 'Theo huyện',
  sheetDuties: 'Tổng hợp nhiệm vụ',
  sheetAnswers: 'Số liệu theo đơn vị',
  sheetAttachments: 'Tệp đính kèm',
  statusHeaders: [
    'STT',
    'Mã đơn vị',
    'Đơn vị',
    'Trạng thái',
    'Tỷ lệ đã nhập (%)',
    'Lần nộp',
    'Nộp lần đầu',
    'Nộp gần nhất',
    'Nộp muộn (tính theo lần nộp đầu tiên)',
    'Hoạt động gần nhất',
    'Đầu mối',
    'Nhận xét khi duyệt',
  ],
  indicatorHeaders: ['STT', 'Chỉ tiêu', 'Tử số', 'Mẫu số', 'Kết quả (%)', 'Mốc', 'Chỉ tiêu (%)', 'Chênh lệch (điểm %)', 'Ghi chú'],
  districtHeaders: ['STT', 'Đơn vị cấp huyện', 'Chỉ tiêu', 'Số liệu', 'Số liệu huyện báo cáo', 'Ghi chú'],
  dutyHeaders: ['Nhiệm vụ của', 'Mã nhiệm vụ', 'Nhiệm vụ', 'Số liệu', 'Đơn vị tính', 'Tổng cộng', 'Số đơn vị đã báo cáo', 'Số đơn vị phải báo cáo'],
  attachmentHeaders: ['Mã đơn vị', 'Đơn vị', 'Tên tệp', 'Loại', 'Dung lượng (byte)', 'Người gửi', 'Thời điểm gửi', 'Mã SHA-256'],
  noAttachments: 'Chưa đơn vị nào gửi kèm bản báo cáo đã ký.',
  answerHeaders: ['Mã đơn vị', 'Đơn vị', 'Lần nộp', 'Mã nhiệm vụ', 'Nhiệm vụ', 'Mã câu hỏi', 'Câu hỏi', 'Trả lời', 'Đơn vị tính', 'Ghi chú'],
  /** In the answers sheet's last column: the answer was submitted as the previous period's, copied without being typed again. */
  copiedCell: 'Như kỳ trước',
  yes: 'Có',
  no: 'Không',
  // As the dialog shows an optional question left blank (answer.skipped).
  skipped: '(để trống)',
  notApplicable: 'Không áp dụng',
  sumRow: 'Tổng các huyện đã báo cáo',
  directPercent: 'báo cáo trực tiếp (%)',
  /** Under each sheet's title: the decision, the deadline, when it was consolidated. */
  sheetSubtitle: (source: string, deadline: string, at: string) => `${source} · Hạn nộp trước ${deadline} · Tổng hợp lúc ${at}`,
  statusSheetTitle: (period: string) => `Tình hình nộp báo cáo — ${period}`,
  countsByStatus: 'Cộng theo trạng thái',
  indicatorsSheetTitle: (period: string) => `Kết quả các chỉ tiêu mục II.2 — ${period}`,
  /** `milestone`: reporting/wording.ts milestoneText. */
  comparedWith: (milestone: string) => `So sánh với ${milestone}`,
  districtsSheetTitle: (period: string) => `Số liệu theo huyện, thành phố — ${period}`,
  districtsReported: (reported: number, expected: number) => `${reported}/${expected} huyện, thành phố đã báo cáo`,
  dutiesSheetTitle: (period: string) => `Tổng hợp số liệu theo nhiệm vụ — ${period}`,
  attachmentsSheetTitle: (period: string) => `Bản báo cáo đã ký, đóng dấu các đơn vị gửi kèm — ${period}`,
  answersSheetTitle: (period: string) => `Số liệu, nội dung báo cáo của từng đơn vị — ${period}`,
  /** Every sheet's printed footer, beside the sheet's name: `page` and `pages` are Excel's fields (&P, &N). */
  sheetPageFooter: (page: string, pages: string) => `Trang ${page}/${pages}`,
  /** An indicator's source, in the Ghi chú column. */
  numeratorDenominator: (num: string, den: string) => `Tử số: ${num}; mẫu số: ${den}`,
  zeroDenominatorCell: 'Mẫu số bằng 0: không chia được.',

  // XLSX and DOCX
  /** A part of another indicator ("of which"). */
  ofWhich: (name: string) => `Trong đó: ${name}`,
  /** A percentage reported directly: who reported it. */
  reportedBy: (units: string) => `Số liệu ${units} báo cáo`,

  // CSV: one value per cell in a form any locale reads the same (README, "CSV columns").
  csvHeaders: ['Kỳ báo cáo', 'Mã đơn vị', 'Đơn vị', 'Trạng thái', 'Lần nộp', 'Thời điểm nộp', 'Mã nhiệm vụ', 'Nhiệm vụ', 'Mã câu hỏi', 'Câu hỏi', 'Kiểu', 'Giá trị', 'Nhãn lựa chọn', 'Đơn vị tính'],
  // DOCX (Decree 30/2020/NĐ-CP layout)
  /** Word's names of the document's paragraph styles. */
  bodyStyle: 'Nội dung báo cáo',
  cellStyle: 'Ô bảng',
  // The chart of section III (reporting/chart-png.ts), its caption and its alternative text.
  chartTitle: 'Biểu đồ kết quả thực hiện các chỉ tiêu so với mục tiêu',
  /** The image's description: one chartDescriptionItem per indicator. */
  chartDescription: (items: string[]) => `Biểu đồ thanh ngang, mỗi chỉ tiêu một cặp thanh: kết quả thực hiện và mục tiêu. ${items.join('; ')}.`,
  /** `result`: "26,17%", or null when it cannot be computed; `target`: "60% năm 2030" (consolidation.targetOfYear). */
  chartDescriptionItem: (name: string, result: string | null, target?: string) => `${name}: kết quả ${result ?? 'chưa tính được'}${target ? `, mục tiêu ${target}` : ''}`,
  chartResultSeries: 'Kết quả thực hiện',
  /** The targets' legend: their milestone year, or, when the indicators' milestones differ, each bar's label gives it (targetOfYear). */
  chartTargetSeries: (years: number[]) => (years.length === 1 ? `Mục tiêu năm ${years[0]}` : 'Mục tiêu theo mốc'),
  chartAxisTitle: 'Tỷ lệ (%)',
  chartCaption: 'Hình 1. Kết quả thực hiện các chỉ tiêu so với mục tiêu của Kế hoạch.',
  targetOfYear: (target: string, year: number) => `${target} (năm ${year})`,
  zeroDenominatorNote: 'Mẫu số bằng 0, không chia được.',
  unitHeading: (n: number, unitName: string, late: boolean) => `${n}. ${unitName}${late ? ' (nộp muộn)' : ''}`,
  /** One part of generalDuties: how many duties are in a state (12 nhiệm vụ đã hoàn thành). */
  dutiesInState: (n: number, state: string) => `${n} nhiệm vụ ${state}`,
  unitsReported: (reported: number, expected: number) => `${reported}/${expected} đơn vị`,
  motto1: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  motto2: 'Độc lập - Tự do - Hạnh phúc',
  parentBody: (province: string) => `UBND TỈNH ${province.toLocaleUpperCase('vi')}`,
  draftMark: 'DỰ THẢO',
  number: (abbr: string) => `Số:        /BC-${abbr}`,
  /** Decree 30: days below 10 and months 1 and 2 with a leading zero. */
  dateWords: (d: DateTime) => `ngày ${d.day < 10 ? `0${d.day}` : d.day} tháng ${d.month < 3 ? `0${d.month}` : d.month} năm ${d.year}`,
  placeDate: (place: string, date: string) => `${place}, ${date}`,
  title: 'BÁO CÁO',
  subtitle: (regimeTitle: string, periodName: string) => `${regimeTitle}\n${periodName}`,
  recipient: (to: string) => `Kính gửi: ${to}.`,
  /** `units`: who reports, from the regime ("các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các huyện, thành phố"). */
  intro: (source: string, coordinator: string, periodName: string, units: string) =>
    `Thực hiện ${source}, ${coordinator} tổng hợp ${periodName.charAt(0).toLocaleLowerCase('vi') + periodName.slice(1)} của ${units} về kết quả thực hiện Kế hoạch như sau:`,
  /** The units of the province's own level, in intro's list (the groups, e.g. the districts' committees, follow by their regime name). */
  provincialUnits: 'các sở, ban, ngành, đoàn thể tỉnh',
  /** intro's list of who reports: "A và B", "A, B và C". */
  unitsAnd: (parts: string[]) => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} và ${parts[parts.length - 1]}`),
  h1General: 'I. ĐÁNH GIÁ CHUNG',
  h2Results: 'II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC ĐƠN VỊ',
  h3Targets: 'III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU',
  /** Section III of a period whose forms give no rate (a monthly report): what the units reported. */
  h3Figures: 'III. SỐ LIỆU CÁC ĐƠN VỊ BÁO CÁO',
  h4Late: 'IV. ĐƠN VỊ NỘP MUỘN, CHƯA NỘP BÁO CÁO',
  h5Difficulties: 'V. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT',
  hAppendix: 'Phụ lục',
  /** After the appendix: the signed copies units attached (one line each). */
  attachmentsHeading: 'Bản báo cáo đã ký, đóng dấu các đơn vị gửi kèm:',
  attachmentLine: (unit: string, file: string, type: string, bytes: string, at: string, sha256: string) => `- ${unit}: ${file} (${type}, ${bytes} byte, gửi lúc ${at}; mã SHA-256 ${sha256}).`,
  appendixTitle: 'SỐ LIỆU CÁC ĐƠN VỊ ĐÃ BÁO CÁO',
  /** Decree 30: under an appendix's title, the document it belongs to (its number is left blank in the draft). */
  appendixOf: (abbr: string, date: string, body: string) => `(Kèm theo Báo cáo số        /BC-${abbr} ${date} của ${body})`,
  // Clauses whose count is zero are left out (never "0 báo cáo đã được duyệt").
  generalSubmitted: (submitted: number, expected: number, onTime: number, late: number, approved: number, correction: number) => {
    if (!submitted) return `Đến thời điểm tổng hợp, chưa đơn vị nào trong ${expected} đơn vị gửi báo cáo.`;
    const who = submitted === expected ? `cả ${expected} đơn vị đã gửi báo cáo` : `${submitted}/${expected} đơn vị đã gửi báo cáo`;
    const when = !late ? ', đều đúng hạn' : !onTime ? `, đều nộp muộn (${lateRule})` : ` (${onTime} đơn vị đúng hạn, ${late} đơn vị nộp muộn; ${lateRule})`;
    const review = [approved ? `${approved} báo cáo đã được duyệt` : '', correction ? `${correction} báo cáo đang được yêu cầu bổ sung` : ''].filter(Boolean);
    return `Đến thời điểm tổng hợp, ${who}${when}${review.length ? `; trong đó ${review.join(', ')}` : ''}.`;
  },
  generalMissing: (n: number, names: string) => `${n} đơn vị chưa gửi báo cáo: ${names}.`,
  generalDuties: (total: number, parts: string) => `Trong ${total} nhiệm vụ được các đơn vị báo cáo: ${parts}.`,
  generalTargets: (met: number, computed: number, total: number, milestone: string) =>
    `Về các chỉ tiêu tại mục II.2 của Kế hoạch, so với ${milestone}: ` +
    (!computed
      ? `chưa tính được chỉ tiêu nào trong ${total} chỉ tiêu từ số liệu các đơn vị đã báo cáo.`
      : `tính được ${computed === total ? `cả ${total}` : `${computed}/${total}`} chỉ tiêu từ số liệu các đơn vị đã báo cáo, trong đó ${met ? `${met} chỉ tiêu đã đạt hoặc vượt mức của mốc` : 'chưa chỉ tiêu nào đạt mức của mốc'}.`),
  /** A period whose forms do not collect an indicator's inputs (a monthly report); `kinds`: those that do ("báo cáo 6 tháng, báo cáo năm"). */
  targetsNotInKind: (kinds: string) => `Kỳ báo cáo này không thu thập số liệu để tính các chỉ tiêu tại mục II.2 của Kế hoạch${kinds ? `; các chỉ tiêu được đánh giá trong ${kinds}` : ''}.`,
  generalTargetsMissing: (names: string) => `Chưa tính được: ${names} (thiếu số liệu, xem mục III).`,
  /** Section II's note: the figures are not repeated in the narrative. */
  figuresInAppendix: 'Số liệu cụ thể của từng đơn vị tại Phụ lục kèm theo.',
  figuresInSection3: 'Số liệu cụ thể của từng đơn vị tại mục III.',
  noResults: 'Chưa có đơn vị nào gửi báo cáo.',
  targetsTableHeaders: ['TT', 'Chỉ tiêu', 'Kết quả', 'Chỉ tiêu', 'Chênh lệch', 'Ghi chú'],
  targetsNote: (milestone: string) => `Chỉ tiêu so sánh theo ${milestone}. Kết quả tính bằng tổng tử số chia tổng mẫu số nhân 100, từ số liệu các đơn vị đã nộp.`,
  districtTitle: (label: string, unitLabel: string | undefined, indicator: string) =>
    `Số liệu theo huyện, thành phố: ${label}${unitLabel ? ` (${unitLabel})` : ''} — phục vụ chỉ tiêu "${indicator.charAt(0).toLocaleLowerCase('vi') + indicator.slice(1)}"`,
  docDistrictHeaders: ['TT', 'Đơn vị', 'Số liệu báo cáo', 'Ghi chú'],
  lateList: 'Đơn vị nộp muộn',
  missingList: 'Đơn vị chưa nộp báo cáo',
  noneLate: 'không có.',
  noneMissing: 'không có.',
  overdueNote: ' (đã quá hạn)',
  submittedAtNote: (at: string) => `nộp lúc ${at}`,
  noneStated: 'Các đơn vị không nêu.',
  /** `to`: the body reported to (consolidator.reportTo). */
  closing: (to: string) => `Trên đây là báo cáo tổng hợp kết quả thực hiện Kế hoạch, kính trình ${to} xem xét, chỉ đạo./.`,
  recipientsTitle: 'Nơi nhận:',
  /** Decree 30: each receiving body on its line, "- …;", the archive last, "- Lưu: VT, …". */
  recipientLine: (name: string) => `- ${name};`,
  archiveLine: (archive: string) => `- Lưu: ${archive}.`,
  /** Unless the regime lists them (consolidator.recipients): the body reported to, for its information. */
  defaultRecipients: (to: string) => [`${to} (b/c)`],
  defaultArchive: 'VT',
  /** The title the draft is signed under, unless the regime gives the signature block (consolidator.signature). */
  defaultSignatureTitle: 'GIÁM ĐỐC',
  /** Where the signer's name goes until the regime gives it: visible, so nobody files the draft unsigned by mistake. */
  signerNamePlaceholder: '[Họ và tên người ký]',
  /** The appendix's table of one unit: a duty's line, then its figures and their values. */
  appendixHeaders: ['Nội dung', 'Số liệu'],
  /** The first column of a duty several units share (the districts): a row per unit. */
  unitColumn: 'Đơn vị',
  /** A figure's column heading: "Số người tham gia BHXH (người)". */
  labelWithUnit: (label: string, unit?: string) => (unit ? `${label} (${unit})` : label),
  totalRow: 'Tổng cộng',
  unitNotSubmitted: 'Chưa gửi báo cáo',
  unitNoFigures: 'Không có số liệu',
  /** The one line after the appendix's tables: `parts` are notSubmittedUnits and dutiesWithoutFigures. */
  nothingReported: (parts: string[]) => `Chưa có số liệu: ${parts.join('; ')}.`,
  notSubmittedUnits: (names: string[]) => `${names.join(', ')} chưa gửi báo cáo`,
  dutiesWithoutFigures: (unit: string, duties: string[]) => `${unit} chưa báo cáo số liệu của nhiệm vụ ${duties.map((d) => `«${d}»`).join(', ')}`,
  noFigures: 'Chưa có đơn vị nào báo cáo số liệu.',
} as const;
