/**
 * The form engine's wording: prompts, how to answer, validation errors, unusual figures (was
 * dialogs/messages.ts `E`).
 */
export const answer = {
  progress: (s: number, sn: number, q: number, qn: number) => `Mục ${s}/${sn} · câu ${q}/${qn}`,
  sectionProgress: (s: number, sn: number) => `Mục ${s}/${sn}`,
  /** A section form's line under its title: where it is and how many questions it asks. */
  sectionProgressCount: (s: number, sn: number, n: number) => `Mục ${s}/${sn} · ${n} câu`,
  /** Why a conditional question applies or not: the answers its condition reads (see form-engine becauseOf). */
  because: (read: Array<{ number: string; value?: string; blank: boolean }>) =>
    `vì ${read.map((r) => (r.value !== undefined ? `câu ${r.number} là "${r.value}"` : r.blank ? `câu ${r.number} để trống` : `câu ${r.number} chưa trả lời`)).join(', ')}`,
  /** The section form's button that opens the section before (sends `sửa <mục trước>`). */
  previousSectionLabel: 'Quay lại mục trước',
  dutyText: (t: string) => `Nhiệm vụ: ${t}`,
  requiredMark: ' — bắt buộc',
  optionalMark: ' — không bắt buộc',
  hint: (h: string) => `Gợi ý: ${h}`,
  currentValue: (v: string) => `Đang ghi: ${v}. Gõ "giữ" để giữ nguyên, hoặc gửi câu trả lời mới.`,
  skipHint: 'Gõ "bỏ qua" nếu không trả lời câu này.',
  skipWord: 'bỏ qua',
  skipLabel: 'Bỏ qua',
  keepWord: 'giữ',
  keepLabel: 'Giữ nguyên',
  /** The previous period's answer to a question unchanged since, offered again (a chat). */
  previousOffer: (v: string) => `Kỳ trước: ${v.replace(/[.…]$/, '')}. Gõ "giữ như kỳ trước" để dùng lại.`,
  /** The same, beside a form's field. */
  previousValue: (v: string) => `Kỳ trước: ${v}`,
  /** Beside a form's field whose value was copied from the previous period and not entered again. */
  copiedField: 'Đang để như kỳ trước: kiểm tra lại trước khi nộp.',
  keepPreviousWord: 'giữ như kỳ trước',
  keepPreviousLabel: 'Giữ như kỳ trước',
  /** A form's button (and the words it sends) filling a section's unanswered questions with the previous period's answers. */
  copySectionWord: 'như kỳ trước',
  copySectionLabel: 'Điền như kỳ trước',
  saveAndNext: 'Lưu và sang mục sau',
  saveAndFinish: 'Lưu và hoàn tất',
  unanswered: '(chưa trả lời)',
  skipped: '(để trống)',
  // The unit is already on the question's line: the hint names it only as "số người", "số cuộc"…
  howInteger: (u?: string) => `Trả lời bằng ${u ? `số ${u}` : 'một số nguyên'}, ví dụ: 12 hoặc 1.234.`,
  howDecimal: (u?: string, scaled?: string) => `Trả lời bằng ${u ? `số ${u}` : 'một số'}, ví dụ: 1.234,5${scaled ? ` hoặc ${scaled}` : ''}.`,
  /** "1,5 tỷ (= 1.500 triệu đồng)": a scale word and what it stores in the question's unit. */
  scaleExample: (typed: string, inUnit: string) => `${typed} (= ${inUnit})`,
  howPercent: 'Trả lời bằng một tỷ lệ phần trăm, ví dụ: 2,5% hoặc 45.',
  howDate: 'Trả lời bằng một ngày theo dạng ngày/tháng/năm, ví dụ: 05/7/2027.',
  howChoice: 'Trả lời bằng số thứ tự hoặc tên lựa chọn.',
  howChoices: 'Có thể chọn nhiều: gõ các số thứ tự cách nhau bởi dấu phẩy, ví dụ: 1, 3.',
  howText: 'Trả lời bằng một đoạn văn bản.',
  // Errors say what is wrong; the question's label (with its unit) follows them.
  required: 'Câu này bắt buộc, không bỏ qua được.',
  expectInteger: (_u?: string) => 'Cần một số nguyên, không có phần thập phân, ví dụ: 12 hoặc 1.234.',
  expectDecimal: (_u?: string) => 'Cần một số, viết như 1.234,5: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân.',
  expectPercent: 'Cần một tỷ lệ phần trăm, ví dụ: 2,5% hoặc 45.',
  badGrouping: 'Số chưa đúng dạng: dấu chấm ngăn cách từng nhóm 3 chữ số (1.234.567), dấu phẩy trước phần thập phân (1.234,5).',
  commaIsDecimal: 'Lưu ý: dấu phẩy là dấu thập phân; số hàng nghìn viết với dấu chấm, ví dụ 1.234.',
  expectDate: 'Chưa đọc được ngày. Hãy gõ theo dạng ngày/tháng/năm, ví dụ: 05/7/2027.',
  noSuchDate: 'Ngày này không có trên lịch. Vui lòng kiểm tra lại ngày/tháng/năm, ví dụ: 05/7/2027.',
  expectChoice: 'Chưa nhận ra lựa chọn. Hãy gõ số thứ tự (ví dụ: 2) hoặc tên một lựa chọn trong danh sách.',
  expectChoices: 'Chưa nhận ra lựa chọn. Hãy gõ các số thứ tự trong danh sách, cách nhau bởi dấu phẩy, ví dụ: 1, 3.',
  expectText: 'Cần một đoạn văn bản.',
  scaleOnPercent: (words: string) => `Câu này hỏi tỷ lệ phần trăm nên không dùng "${words}". Ví dụ: 2,5% hoặc 45.`,
  notMoney: (words: string, u?: string) => (u ? `Câu này hỏi số ${u}, không phải số tiền, nên không dùng "${words}".` : `Câu này không hỏi số tiền nên không dùng "${words}".`),
  scaledNotWhole: (typed: string, v: string, u?: string) => `Cần một số nguyên: "${typed}" là ${v}${u ? ` ${u}` : ''}.`,
  // Unusual figures, confirmed before they are stored. `against` (zeroAgainstPrevious) comes last:
  // "Bạn nhập 0 người, dưới mức tối thiểu … (100 người), trong khi kỳ trước là 12.345 người."
  unusualFigure: (v: string, reasons: string[], against?: string) => `Bạn nhập ${v}, ${[reasons.join(' và '), against].filter(Boolean).join(', ')}. Đúng không?`,
  timesPrevious: (ratio: string, prev: string) => `gấp ${ratio} lần kỳ trước (${prev})`,
  shareOfPrevious: (share: string, prev: string) => `chỉ bằng ${share} kỳ trước (${prev})`,
  underHundredth: 'chưa tới 0,01%',
  zeroAgainstPrevious: (prev: string) => `trong khi kỳ trước là ${prev}`,
  aboveSoftMax: (max: string) => `vượt mức tối đa dự kiến của câu này (${max})`,
  belowSoftMin: (min: string) => `dưới mức tối thiểu dự kiến của câu này (${min})`,
  confirmFigureLabel: 'Đúng, tôi xác nhận số liệu này',
  /** Cross-field rules: the other question by its number (mục.câu), its label and value, and how to proceed. */
  comparedWith: (num: string, label: string, v: string) => `Câu ${num} "${label}" đang là ${v}; nếu số này chưa đúng, gõ "sửa ${num}" để sửa trước.`,
  wholeBelowPart: (num: string, label: string, part: string, typed: string) =>
    `Câu ${num} "${label}" đang là ${part}, lớn hơn ${typed}. Nếu ${typed} là đúng, hãy sửa câu ${num} trước: gõ "sửa ${num}", rồi sửa lại câu này.`,
  ruleBroken: (pn: string, pl: string, pv: string, wn: string, wl: string, wv: string) => `Câu ${pn} "${pl}" ghi ${pv}, lớn hơn câu ${wn} "${wl}" ghi ${wv}.`,
  periodEndIs: (d: string) => `Ngày cuối của kỳ báo cáo: ${d}.`,
} as const;
