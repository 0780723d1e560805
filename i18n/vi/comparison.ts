/**
 * Comparison with earlier periods in the exports (reporting/comparison.ts): the XLSX sheet "So
 * sánh" and the DOCX paragraphs and table after section III. `role`: the earlier period as a
 * report names it; `period`: a period's words without "Báo cáo" ("6 tháng đầu năm 2026",
 * "tháng 03/2027"); numbers arrive formatted (reporting/wording.ts).
 */

export const comparison = {
  /** The earlier periods, by ComparisonRole (regime/periods.ts). */
  role: { sameLastYear: 'cùng kỳ năm trước', previous: 'kỳ trước' },
  /** "cùng kỳ năm trước (6 tháng đầu năm 2026)" */
  roleOf: (role: string, period: string) => `${role} (${period})`,
  /** Several earlier periods in one phrase: "kỳ trước và cùng kỳ năm trước". */
  and: (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} và ${items[items.length - 1]}`),
  /** Nothing stored for any earlier period: said once. */
  noEarlier: 'Chưa có số liệu kỳ trước để so sánh.',
  /** Nothing stored for one of the earlier periods (a monthly report has two): said once. */
  absent: (roleOf: string) => `Chưa có số liệu ${roleOf} để so sánh.`,

  // How a change is said (sentences and table cells).
  up: (what: string) => `tăng ${what}`,
  down: (what: string) => `giảm ${what}`,
  unchanged: 'không đổi',
  /** "0,85 điểm phần trăm" (sentences) */
  points: (n: string) => `${n} điểm phần trăm`,
  /** "0,85 điểm %" (table cells) */
  pointsShort: (n: string) => `${n} điểm %`,
  /** "1.230 người (3,08%)" */
  amount: (n: string, unitLabel: string | undefined, percent: string | undefined) => `${n}${unitLabel ? ` ${unitLabel}` : ''}${percent ? ` (${percent})` : ''}`,
  /** "tăng 1.230 người (3,08%) so với cùng kỳ năm trước" */
  versus: (change: string, role: string) => `${change} so với ${role}`,

  // XLSX sheet
  sheetName: 'So sánh',
  sheetTitle: (against: string, period: string) => `So sánh với ${against} — ${period}`,
  /** `periods`: "kỳ này: 6 tháng đầu năm 2027; cùng kỳ năm trước: 6 tháng đầu năm 2026". */
  sheetSubtitle: (periods: string) =>
    `${periods.charAt(0).toLocaleUpperCase('vi') + periods.slice(1)}. Tỷ lệ (làm tròn 2 chữ số thập phân): tăng (+), giảm (−) tính bằng điểm phần trăm. Số liệu: tăng, giảm bằng số tuyệt đối và bằng %, chỉ tính khi hai kỳ có cùng các đơn vị báo cáo.`,
  /** One item of sheetSubtitle's list: "cùng kỳ năm trước: 6 tháng đầu năm 2026". */
  periodItem: (role: string, period: string) => `${role}: ${period}`,
  thisPeriod: 'kỳ này',
  headersStart: ['STT', 'Nhóm', 'Chỉ tiêu, số liệu', 'Đơn vị tính'],
  /** "Kỳ này (6 tháng đầu năm 2027)" */
  headerNow: (period: string) => `Kỳ này (${period})`,
  /** "Cùng kỳ năm trước (6 tháng đầu năm 2026)", or without the period in the DOCX's narrow columns. */
  headerValue: (role: string, period?: string) => `${role.charAt(0).toLocaleUpperCase('vi') + role.slice(1)}${period ? ` (${period})` : ''}`,
  headerChange: (role: string) => `Tăng (+), giảm (−) so với ${role}`,
  headerRelative: (role: string) => `Tăng, giảm so với ${role} (%)`,
  headerNote: 'Ghi chú',
  indicatorGroup: 'Chỉ tiêu mục II.2 của Kế hoạch',
  dutyGroup: (owner: string, duty: string) => `${owner} — ${duty}`,
  /** Notes of a row (XLSX Ghi chú), each about one earlier period or this one. */
  notNow: (rate: boolean) => (rate ? 'Kỳ này chưa tính được' : 'Kỳ này chưa có số liệu'),
  notThen: (role: string, rate: boolean) => `${role.charAt(0).toLocaleUpperCase('vi') + role.slice(1)} ${rate ? 'chưa tính được' : 'chưa có số liệu'}`,
  zeroBase: (role: string) => `${role.charAt(0).toLocaleUpperCase('vi') + role.slice(1)} bằng 0: không tính được tỷ lệ tăng, giảm`,
  /** Sums over different units are not compared: who reported in each period. */
  unitsDiffer: (role: string, now: number, then: number, onlyNow: string[], onlyThen: string[]) =>
    `Không so sánh được với ${role} do khác đơn vị báo cáo: kỳ này ${now} đơn vị, ${role} ${then} đơn vị` +
    [onlyNow.length ? `; chỉ kỳ này có số liệu của ${onlyNow.join(', ')}` : '', onlyThen.length ? `; chỉ ${role} có số liệu của ${onlyThen.join(', ')}` : ''].join(''),
  notAdditive: 'Tỷ lệ do từng đơn vị báo cáo, không cộng được nên không so sánh',

  // DOCX
  docHeading: (against: string) => `So sánh với ${against}`,
  /** "Tỷ lệ … đạt 22,00%, tăng 0,85 điểm phần trăm so với cùng kỳ năm trước (21,15%)." */
  rateSentence: (name: string, value: string, clauses: string[]) => `${name} đạt ${value}, ${clauses.join(' và ')}.`,
  /** A clause of rateSentence: the change and the earlier value. */
  rateClause: (versus: string, then: string) => `${versus} (${then})`,
  /** A clause of rateSentence when the earlier rate could not be computed. */
  rateNotThen: (role: string) => `chưa so sánh được với ${role} (kỳ đó chưa tính được)`,
  /** The rate is not computed this period but was earlier. */
  rateNotNow: (name: string, earlier: string[]) => `${name}: kỳ này chưa tính được (${earlier.join('; ')}).`,
  /** An item of rateNotNow: "cùng kỳ năm trước đạt 21,15%". */
  rateThen: (role: string, value: string) => `${role} đạt ${value}`,
  figuresTitle: (against: string) => `Số liệu tổng hợp của các đơn vị so với ${against}:`,
  docHeadersStart: ['Số liệu', 'Kỳ này'],
  docHeaderChange: (role: string) => `So với ${role}`,
  /** A DOCX cell of a sum over different units. */
  cellUnitsDiffer: (now: number, then: number, onlyNow: string[], onlyThen: string[]) =>
    `Không so sánh được (khác đơn vị báo cáo: kỳ này ${now}, kỳ đó ${then} đơn vị` +
    [onlyNow.length ? `; chỉ kỳ này có ${onlyNow.join(', ')}` : '', onlyThen.length ? `; chỉ kỳ đó có ${onlyThen.join(', ')}` : ''].join('') +
    ')',
  cellNotAdditive: 'Không cộng được',
  /** A missing value in a DOCX cell. */
  none: '—',
} as const;
