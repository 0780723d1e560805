/**
 * The broadcast dialog (`thông báo`) and its delivery report (was jobs/messages.ts `B`).
 */
import { formatInstant } from '../../lib/datetime.js';

export const broadcast = {
  audienceAll: 'Tất cả đơn vị báo cáo',
  kindWords: {
    department: 'Các sở',
    agency: 'Các cơ quan ngành dọc (BHXH tỉnh, Cục Thuế, Cục Thống kê)',
    organisation: 'Các tổ chức (Liên minh HTX, LĐLĐ, UBMTTQ tỉnh)',
    district: 'UBND các huyện, thành phố',
    commune: 'UBND các xã, phường',
  } as Record<'department' | 'agency' | 'organisation' | 'district' | 'commune', string>,
  audienceStatus: (status: 'not_submitted' | 'submitted', periodName: string) => `Các đơn vị ${status === 'not_submitted' ? 'chưa nộp' : 'đã nộp'} ${periodName}`,
  chooseAudience: (all: number) =>
    [
      'Gửi thông báo tới các đơn vị. Chọn đối tượng nhận (gõ số):',
      `1. Tất cả đơn vị báo cáo — ${all} đơn vị`,
      '2. Theo loại đơn vị',
      '3. Theo tình trạng nộp báo cáo của một kỳ',
      'Gõ "hủy" để thoát.',
    ].join('\n'),
  /** The quick replies of chooseAudience, in its order. */
  audienceChoices: ['Tất cả đơn vị', 'Theo loại đơn vị', 'Theo tình trạng nộp'] as string[],
  chooseKind: (rows: Array<{ label: string; count: number }>) => ['Chọn loại đơn vị (gõ số):', ...rows.map((r, i) => `${i + 1}. ${r.label} — ${r.count} đơn vị`)].join('\n'),
  choosePeriod: (examples: string[]) => `Kỳ báo cáo nào? Gõ mã kỳ, ví dụ ${examples.slice(0, 3).join(', ')} (6 tháng: NĂM-H1; năm: NĂM-Y; tháng: NĂM-THÁNG).`,
  badPeriod: (input: string) => `Không có kỳ báo cáo "${input}". Gõ mã kỳ dạng 2027-H1, 2027-Y hoặc 2027-06.`,
  chooseStatus: (periodName: string) => [`${periodName}: gửi cho đơn vị nào? (gõ số)`, '1. Các đơn vị chưa nộp', '2. Các đơn vị đã nộp'].join('\n'),
  /** The quick replies of chooseStatus, in its order. */
  statusChoices: ['Chưa nộp', 'Đã nộp'] as string[],
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
  /** The quick replies of preview: their values are the words typed ("gửi", "nhập lại", "hủy"). */
  sendLabel: 'Gửi',
  editLabel: 'Nhập lại nội dung',
  cancelLabel: 'Hủy',
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
