/**
 * Reminders, digests, delivery notices, the calendar warning and a broadcast's heading, as the
 * outbox delivers them (was jobs/messages.ts `R`).
 */

const continueChoice = [{ value: 'báo cáo', label: 'Báo cáo' }];

export interface MissingWords {
  started: boolean;
  answered: number;
  total: number;
  sectionsTotal: number;
  /** Sections with required questions still unanswered: title and count. */
  incomplete: Array<{ title: string; missing: number }>;
}

/**
 * How a channel and a send failure are named (services/delivery-words.ts picks the reason from the
 * raw code and adds the code for support).
 */
export const delivery = {
  channels: { teams: 'Teams', zalo: 'Zalo', console: 'dòng lệnh' },
  reasons: {
    outsideWindow: 'người nhận đã quá 7 ngày không nhắn tin với Zalo OA nên Zalo không cho gửi',
    notFollowing: 'người nhận chưa quan tâm (theo dõi) Zalo OA',
    userUnavailable: 'tài khoản Zalo của người nhận bị khóa, lâu không hoạt động hoặc chặn loại tin này',
    znsRejected: 'số điện thoại của người nhận không nhận được tin Zalo ZNS',
    tokenUnavailable: 'không làm mới được mã truy cập Zalo OA (cần cấp quyền lại cho ứng dụng)',
    blocked: 'người nhận đã chặn hoặc gỡ ứng dụng',
    noContact: 'chưa có thông tin liên lạc của người nhận',
    unreachable: 'người nhận đang được đánh dấu là không liên lạc được',
    channelDisabled: 'kênh này chưa được bật trên máy chủ',
    quota: 'hết hạn mức gửi tin của Zalo OA',
    rateLimited: 'nền tảng đang giới hạn tốc độ gửi hoặc tạm thời không phản hồi',
    serverDown: 'máy chủ của nền tảng tạm thời không phản hồi',
    refused: 'nền tảng từ chối yêu cầu gửi',
  },
  /** A known reason with its raw code: "…, mã zalo_outside_window". */
  withCode: (words: string, code: string) => `${words}, mã ${code}`,
  /** An unknown code. */
  otherError: (code: string) => `lỗi ${code}`,
  noReason: 'không rõ lý do',
} as const;

function missingLine(m: MissingWords): string {
  if (!m.started) return `Chưa trả lời mục nào; báo cáo có ${m.sectionsTotal} mục.`;
  if (!m.incomplete.length) return `Đã trả lời đủ các câu hỏi bắt buộc, ${m.answered}/${m.total} câu, nhưng chưa nộp.`;
  const shown = m.incomplete.slice(0, 5).map((s) => `«${s.title}» còn ${s.missing} câu`);
  const more = m.incomplete.length > 5 ? `; và ${m.incomplete.length - 5} mục khác` : '';
  return `Đã trả lời ${m.answered}/${m.total} câu hỏi. Còn ${m.incomplete.length}/${m.sectionsTotal} mục chưa trả lời đủ: ${shown.join('; ')}${more}.`;
}

export const notice = {
  reminder(a: { unitName: string; periodName: string; deadlineWords: string; lastDay: string; daysLeft: number; overdueDays: number; overdue: boolean; missing: MissingWords }) {
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
      text: [`Có ${a.items.length} tin nhắn không gửi được:`, ...a.items.map((i) => `• ${i.unitName} — ${i.who} (${i.channel}), ${i.what}: ${i.outcome}. ${i.fallback}`)].join('\n'),
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
