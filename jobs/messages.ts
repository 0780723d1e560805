/**
 * Everything reminders, digests, delivery notices and broadcasts say, in Vietnamese with
 * diacritics. Nothing user-facing is written elsewhere in jobs/ or dialogs/broadcast.ts.
 */
import type { ChoiceView } from '../core/message.js';
import { formatInstant } from '../lib/datetime.js';
import type { Channel } from '../store/records.js';

export const channelName = (c: Channel | string): string => (c === 'teams' ? 'Teams' : c === 'zalo' ? 'Zalo' : c === 'console' ? 'bảng điều khiển' : c);

/** A send failure's reason, as an official reads it, with the raw code for support ("…, mã zalo_outside_window"). */
export function reasonWords(reason: string | undefined): string {
  const r = reason ?? '';
  const known: Array<[RegExp, string]> = [
    [/outside_window|window_rejected|no_interaction|interaction_expired|-230|-232/i, 'người nhận đã quá 7 ngày không nhắn tin với Zalo OA nên Zalo không cho gửi'],
    [/not_following|unfollowed|-213/i, 'người nhận chưa quan tâm (theo dõi) Zalo OA'],
    [/user_unavailable|user_inactive|-227|-244/i, 'tài khoản Zalo của người nhận bị khóa, lâu không hoạt động hoặc chặn loại tin này'],
    [/zns_rejected/i, 'số điện thoại của người nhận không nhận được tin Zalo ZNS'],
    [/token_unavailable/i, 'không làm mới được mã truy cập Zalo OA (cần cấp quyền lại cho ứng dụng)'],
    [/blocked|MessageWritesBlocked|uninstall|forbidden|403/i, 'người nhận đã chặn hoặc gỡ ứng dụng'],
    [/no conversation reference|no_contact/i, 'chưa có thông tin liên lạc của người nhận'],
    [/unreachable/i, 'người nhận đang được đánh dấu là không liên lạc được'],
    [/channel_disabled/i, 'kênh này chưa được bật trên máy chủ'],
    [/quota|-211/i, 'hết hạn mức gửi tin của Zalo OA'],
    [/429|rate|-32|transient/i, 'nền tảng đang giới hạn tốc độ gửi hoặc tạm thời không phản hồi'],
    [/5\d\d|timeout|ECONN|socket|network/i, 'máy chủ của nền tảng tạm thời không phản hồi'],
    [/api_error|400/i, 'nền tảng từ chối yêu cầu gửi'],
  ];
  const hit = known.find(([re]) => re.test(r));
  return hit ? `${hit[1]}, mã ${r}` : r ? `lỗi ${r}` : 'không rõ lý do';
}

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

  undelivered(a: { items: Array<{ unitName: string; who: string; channel: string; what: string; outcome: string; fallback: string }> }) {
    return {
      text: [
        `Có ${a.items.length} tin nhắn không gửi được:`,
        ...a.items.map((i) => `• ${i.unitName} — ${i.who} (${channelName(i.channel)}), ${i.what}: ${i.outcome}. ${i.fallback}`),
      ].join('\n'),
    };
  },
  outcomeUndeliverable: (reason?: string) => `không gửi được vì ${reasonWords(reason)}`,
  outcomeFailed: (attempts: number, reason?: string) => `thất bại sau ${attempts} lần thử vì ${reasonWords(reason)}`,
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
  askText: (label: string, units: number, people: number) =>
    `Đối tượng: ${label} — ${units} đơn vị, ${people ? `${people} người nhận` : 'chưa có đầu mối nào liên lạc được'}.\nNhập nội dung thông báo (tối đa ${TEXT_MAX.toLocaleString('vi-VN')} ký tự):`,
  textTooLong: (n: number) => `Nội dung dài ${n.toLocaleString('vi-VN')} ký tự, quá ${TEXT_MAX.toLocaleString('vi-VN')} ký tự. Vui lòng rút gọn rồi gửi lại.`,
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
      const why = r.reasons.length ? ` — ${r.reasons.map(reasonWords).join('; ')}` : '';
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

/** A broadcast's text must fit one Zalo message (2,000 characters) with its heading. */
export const TEXT_MAX = 1500;
