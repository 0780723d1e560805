/**
 * Everything reminders, digests, delivery notices and broadcasts say, in Vietnamese with
 * diacritics. Nothing user-facing is written elsewhere in jobs/ or dialogs/broadcast.ts.
 */
import type { ChoiceView } from '../core/message.js';
import { formatInstant } from '../lib/datetime.js';

const continueChoice: ChoiceView[] = [{ value: 'báo cáo', label: 'Báo cáo' }];

export interface MissingWords {
  started: boolean;
  answered: number;
  total: number;
  sectionsTotal: number;
  /** Sections with required questions still unanswered: title and count. */
  incomplete: Array<{ title: string; missing: number }>;
}

function missingLine(m: MissingWords): string {
  if (!m.started) return `Chưa trả lời mục nào; báo cáo có ${m.sectionsTotal} mục.`;
  if (!m.incomplete.length) return `Đã trả lời đủ các câu hỏi bắt buộc, ${m.answered}/${m.total} câu, nhưng chưa nộp.`;
  const shown = m.incomplete.slice(0, 5).map((s) => `«${s.title}» còn ${s.missing} câu`);
  const more = m.incomplete.length > 5 ? `; và ${m.incomplete.length - 5} mục khác` : '';
  return `Đã trả lời ${m.answered}/${m.total} câu hỏi. Còn ${m.incomplete.length}/${m.sectionsTotal} mục chưa trả lời đủ: ${shown.join('; ')}${more}.`;
}

export const R = {
  reminder(a: {
    unitName: string;
    periodName: string;
    deadlineWords: string;
    lastDay: string;
    daysLeft: number;
    overdueDays: number;
    overdue: boolean;
    missing: MissingWords;
  }) {
    const lines = a.overdue
      ? [
          `${a.periodName} của ${a.unitName} đã quá hạn nộp.`,
          `Hạn nộp: ${a.deadlineWords}; đã quá hạn ${a.overdueDays} ngày.`,
          missingLine(a.missing),
          'Đề nghị đơn vị hoàn thành và nộp sớm. Gõ "báo cáo" để tiếp tục.',
        ]
      : [
          `Nhắc hạn nộp ${a.periodName} của ${a.unitName}.`,
          `Hạn nộp: ${a.deadlineWords}, tức là hết ngày ${a.lastDay}${a.daysLeft > 0 ? ` (còn ${a.daysLeft} ngày)` : ''}.`,
          missingLine(a.missing),
          'Gõ "báo cáo" để tiếp tục.',
        ];
    return { text: lines.join('\n'), choices: continueChoice };
  },

  digest(a: {
    kind: 'before' | 'after' | 'weekly';
    periodName: string;
    deadlineWords: string;
    submitted: number;
    expected: number;
    pending: Array<{ name: string; state: string }>;
    weeksOverdue: number;
  }) {
    const head =
      a.kind === 'before'
        ? `Tổng hợp trước hạn: ${a.periodName} (hạn nộp ${a.deadlineWords}).`
        : a.kind === 'after'
          ? `Tổng hợp sau hạn: ${a.periodName} (hạn nộp ${a.deadlineWords} đã qua).`
          : `Tổng hợp hằng tuần các đơn vị quá hạn: ${a.periodName} (hạn nộp ${a.deadlineWords}, đã quá ${a.weeksOverdue} tuần).`;
    const lines = [
      head,
      a.pending.length ? `Đã nộp: ${a.submitted}/${a.expected} đơn vị. Chưa nộp: ${a.pending.length} đơn vị:` : `Tất cả ${a.expected} đơn vị đã nộp.`,
      ...a.pending.map((p) => `• ${p.name} — ${p.state}`),
      'Gõ "trạng thái" để xem chi tiết.',
    ];
    // Text only: a TableView would make Teams show the table card alone, without the heading and counts.
    return { text: lines.join('\n') };
  },
  stateNotStarted: 'chưa bắt đầu',
  stateInProgress: (answered: number, total: number) => `đang làm (${answered}/${total} câu)`,
  stateReadyNotSubmitted: 'đã trả lời đủ, chưa nộp',

  noFocal(a: { items: Array<{ unitName: string; periodName: string; why: string }> }) {
    return {
      text: [
        'Không nhắc được các đơn vị sau vì không có đầu mối nào liên lạc được:',
        ...a.items.map((i) => `• ${i.unitName} — ${i.periodName}: ${i.why}`),
        'Vui lòng liên hệ trực tiếp các đơn vị này, hoặc cấp mã đăng ký để đầu mối đăng ký qua Teams hoặc Zalo (dondoc enroll).',
      ].join('\n'),
    };
  },
  whyNoMembers: 'chưa có đầu mối đăng ký',
  whyNoContact: (n: number) => `${n} đầu mối đã đăng ký nhưng hiện không liên lạc được qua Teams hoặc Zalo`,

  /** `channel`: the channel's name (services/delivery-words.ts channelName). */
  undelivered(a: { items: Array<{ unitName: string; who: string; channel: string; what: string; outcome: string; fallback: string }> }) {
    return {
      text: [
        `Có ${a.items.length} tin nhắn không gửi được:`,
        ...a.items.map((i) => `• ${i.unitName} — ${i.who} (${i.channel}), ${i.what}: ${i.outcome}. ${i.fallback}`),
      ].join('\n'),
    };
  },
  /** `why`: the failure's reason in words (services/delivery-words.ts reasonWords). */
  outcomeUndeliverable: (why: string) => `không gửi được vì ${why}`,
  outcomeFailed: (attempts: number, why: string) => `thất bại sau ${attempts} lần thử vì ${why}`,
  fallbackSent: (names: string[]) => `Đã gửi thay cho ${names.join(', ')}.`,
  fallbackAlready: 'Các đầu mối khác của đơn vị đã nhận tin này.',
  fallbackNone: 'Đơn vị không còn đầu mối nào khác liên lạc được.',
  purposeWords: (purpose: string) =>
    purpose === 'reminder'
      ? 'tin nhắc nộp báo cáo'
      : purpose === 'review'
        ? 'tin về kết quả duyệt báo cáo'
        : purpose === 'broadcast'
          ? 'thông báo'
          : purpose === 'digest'
            ? 'bản tổng hợp'
            : 'tin nhắn',

  broadcastMessage: (fromUnit: string, text: string) => ({ text: `Thông báo của ${fromUnit}:\n${text}` }),

  /**
   * To the coordinators, once per gap: the regime's holiday calendar does not cover the coming
   * deadlines (`years`: "2028" or "2028, 2029"; `lastDeadline`: a day). Operators get the detailed
   * warning (regime/calendar.ts `calendarWarning`) in `regime check`, /healthz and the log.
   */
  calendarNotice: (a: { years: string; lastDeadline: string }) => ({
    text:
      `Cảnh báo về lịch nhắc việc: danh sách ngày nghỉ lễ chưa có năm ${a.years}, trong khi có hạn nộp đến ngày ${a.lastDeadline}, nên tin nhắc có thể rơi vào ngày nghỉ lễ.\n` +
      `Vui lòng đề nghị bộ phận quản trị hệ thống bổ sung ngày nghỉ lễ năm ${a.years} vào tệp chế độ báo cáo.`,
  }),
} as const;

/** The broadcast dialog (`thông báo`) and its delivery report. */
export const B = {
  audienceAll: 'Tất cả đơn vị báo cáo',
  kindWords: {
    department: 'Các sở',
    agency: 'Các cơ quan ngành dọc (BHXH tỉnh, Cục Thuế, Cục Thống kê)',
    organisation: 'Các tổ chức (Liên minh HTX, LĐLĐ, UBMTTQ tỉnh)',
    district: 'UBND các huyện, thành phố',
  } as Record<'department' | 'agency' | 'organisation' | 'district', string>,
  audienceStatus: (status: 'not_submitted' | 'submitted', periodName: string) =>
    `Các đơn vị ${status === 'not_submitted' ? 'chưa nộp' : 'đã nộp'} ${periodName}`,

  chooseAudience: (all: number) =>
    [
      'Gửi thông báo tới các đơn vị. Chọn đối tượng nhận (gõ số):',
      `1. Tất cả đơn vị báo cáo — ${all} đơn vị`,
      '2. Theo loại đơn vị',
      '3. Theo tình trạng nộp báo cáo của một kỳ',
      'Gõ "hủy" để thoát.',
    ].join('\n'),
  chooseKind: (rows: Array<{ label: string; count: number }>) =>
    ['Chọn loại đơn vị (gõ số):', ...rows.map((r, i) => `${i + 1}. ${r.label} — ${r.count} đơn vị`)].join('\n'),
  choosePeriod: (examples: string[]) =>
    `Kỳ báo cáo nào? Gõ mã kỳ, ví dụ ${examples.slice(0, 3).join(', ')} (6 tháng: NĂM-H1; năm: NĂM-Y; tháng: NĂM-THÁNG).`,
  badPeriod: (input: string) => `Không có kỳ báo cáo "${input}". Gõ mã kỳ dạng 2027-H1, 2027-Y hoặc 2027-06.`,
  chooseStatus: (periodName: string) => [`${periodName}: gửi cho đơn vị nào? (gõ số)`, '1. Các đơn vị chưa nộp', '2. Các đơn vị đã nộp'].join('\n'),
  askText: (label: string, units: number, people: number, max: number) =>
    `Đối tượng: ${label} — ${units} đơn vị, ${people ? `${people} người nhận` : 'chưa có đầu mối nào liên lạc được'}.\nNhập nội dung thông báo (tối đa ${max.toLocaleString('vi-VN')} ký tự):`,
  textTooLong: (n: number, max: number) => `Nội dung dài ${n.toLocaleString('vi-VN')} ký tự, quá ${max.toLocaleString('vi-VN')} ký tự. Vui lòng rút gọn rồi gửi lại.`,
  notUnderstoodChoice: 'Tôi chưa hiểu lựa chọn này. Vui lòng gõ một số trong danh sách, hoặc "hủy" để thoát.',
  preview: (a: { label: string; units: number; people: number; unreachable: string[]; text: string }) =>
    [
      'Xem trước thông báo:',
      `Đối tượng: ${a.label} — ${a.units} đơn vị, ${a.people} người nhận (qua Teams hoặc Zalo).`,
      ...(a.unreachable.length ? [`Không có đầu mối liên lạc được, sẽ không nhận: ${a.unreachable.join(', ')}.`] : []),
      'Nội dung:',
      `«${a.text}»`,
      'Gõ "gửi" để gửi, "nhập lại" để viết lại nội dung, "hủy" để thoát.',
    ].join('\n'),
  confirmWords: ['gui', 'dong y', 'xac nhan', 'ok', 'co'] as string[],
  // Not "sửa": that is the report dialog's command and wins over any flow.
  editWords: ['nhap lai', 'viet lai'] as string[],
  nobody: (label: string) => `Không có ai để gửi: ${label} không có đầu mối nào liên lạc được. Không gửi thông báo nào.`,
  noUnits: (label: string) => `Không có đơn vị nào thuộc đối tượng "${label}". Không gửi thông báo nào.`,
  queued: (a: { id: string; people: number; units: number }) =>
    `Đã xếp hàng gửi thông báo tới ${a.people} người nhận của ${a.units} đơn vị (mã đợt ${a.id}).\nKhi gửi xong tôi sẽ báo kết quả; bạn cũng có thể gõ "thông báo kết quả" để xem.`,
  cancelled: 'Đã hủy, không gửi thông báo nào.',
  noBroadcasts: 'Chưa có đợt thông báo nào.',
  unknownBatch: (id: string) => `Không có đợt thông báo "${id}".`,
  help: 'thông báo — gửi thông báo tới tất cả đơn vị, theo loại đơn vị, hoặc các đơn vị chưa/đã nộp một kỳ',
  helpReport: 'thông báo kết quả [MÃ ĐỢT] — xem kết quả gửi đợt thông báo gần nhất (hoặc đợt có mã đã cho)',

  report(a: {
    id: string;
    at: Date;
    zone: string;
    audienceLabel: string;
    totals: { sent: number; failed: number; undeliverable: number; pending: number };
    /** `reasons`: in words (services/delivery-words.ts reasonWords). */
    rows: Array<{ name: string; noOne: boolean; sent: number; failed: number; undeliverable: number; pending: number; reasons: string[] }>;
  }) {
    const when = formatInstant(a.at, a.zone);
    const t = a.totals;
    const rowText = (r: (typeof a.rows)[number]) => {
      if (r.noOne) return 'không có đầu mối liên lạc được';
      const parts = [
        r.sent ? `đã gửi ${r.sent}` : '',
        r.pending ? `đang gửi ${r.pending}` : '',
        r.failed ? `thất bại ${r.failed}` : '',
        r.undeliverable ? `không gửi được ${r.undeliverable}` : '',
      ].filter(Boolean);
      const why = r.reasons.length ? ` — ${r.reasons.join('; ')}` : '';
      return `${parts.join(', ') || 'chưa có tin nào'}${why}`;
    };
    // Only the counts that are not zero.
    const totals = [
      t.sent ? `Đã gửi: ${t.sent}` : '',
      t.failed ? `Thất bại: ${t.failed}` : '',
      t.undeliverable ? `Không gửi được: ${t.undeliverable}` : '',
      t.pending ? `Đang gửi: ${t.pending}` : '',
    ].filter(Boolean);
    return {
      text: [
        `Kết quả gửi thông báo ${a.id} lúc ${when} — ${a.audienceLabel}:`,
        totals.join(' · ') || 'Chưa có tin nào được gửi.',
        ...(a.rows.length ? ['Theo đơn vị:', ...a.rows.map((r) => `• ${r.name}: ${rowText(r)}`)] : []),
      ].join('\n'),
    };
  },
} as const;
