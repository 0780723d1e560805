/**
 * The coordinators' web console (web/): its sign-in link in chat, its pages, buttons, labels and
 * notices. Figures, dates and names come in already formatted; statuses and review states reuse
 * the chat's words (reporting/wording.ts statusText, dialogs/review.ts reviewStateText).
 */
import type { Org } from './org.js';

export const web = {
  /** `trợ giúp` line of `trang quản lý`. */
  help: 'trang quản lý — nhận đường liên kết đăng nhập trang quản lý trên web (bảng theo dõi, đọc và duyệt báo cáo, tải tài liệu)',
  /** The one-time sign-in link sent in chat. */
  signInLink: (url: string, minutes: number, until: string) =>
    `Đường liên kết đăng nhập trang quản lý (chỉ dùng được một lần, hiệu lực ${minutes} phút, đến ${until}):\n${url}\nKhông chuyển tiếp đường liên kết này cho người khác.`,

  product: 'dondoc · Trang quản lý',
  skipToContent: 'Bỏ qua, đến nội dung chính',
  nav: {
    label: 'Các trang',
    home: 'Tổng quan',
    board: 'Bảng theo dõi',
    documents: 'Tài liệu',
    outbox: 'Nhắc việc và thông báo',
    focalPoints: 'Đầu mối',
    regime: 'Chế độ báo cáo',
    audit: 'Nhật ký',
  },
  signedInAs: (name: string) => `Đang đăng nhập: ${name}`,
  signOut: 'Đăng xuất',
  nothing: '—',
  yes: 'Có',
  no: 'Không',
  show: 'Xem',
  filter: 'Lọc',
  period: 'Kỳ báo cáo',
  unit: 'Đơn vị',
  person: 'Người thực hiện',
  all: 'Tất cả',

  // --- sign-in pages ------------------------------------------------------------------------------
  login: {
    title: 'Đăng nhập trang quản lý',
    intro: 'Bấm nút dưới đây để vào trang quản lý. Đường liên kết chỉ dùng được một lần.',
    button: 'Đăng nhập',
  },
  /** Why a sign-in link does not work, and what to do. */
  linkRefused: {
    title: 'Đường liên kết không dùng được',
    invalid: 'Đường liên kết đăng nhập không đúng.',
    used: 'Đường liên kết đăng nhập này đã được dùng.',
    expired: 'Đường liên kết đăng nhập này đã hết hạn (mỗi đường liên kết chỉ có hiệu lực 15 phút).',
    not_coordinator: 'Tài khoản của bạn không còn quyền điều phối nên không vào được trang quản lý.',
    askAgain: 'Hãy nhắn "trang quản lý" cho trợ lý dondoc trên Teams hoặc Zalo để nhận đường liên kết mới.',
  },
  /** Anyone under /web/ without a session. */
  needSignIn: {
    title: 'Cần đăng nhập',
    intro: (org: Org) => `Trang quản lý dành cho cán bộ điều phối của ${org.name}.`,
    how: 'Để đăng nhập, hãy nhắn "trang quản lý" cho trợ lý dondoc trên Teams hoặc Zalo: trợ lý gửi lại một đường liên kết đăng nhập dùng một lần, hiệu lực 15 phút.',
    ended: 'Phiên làm việc đã kết thúc (đã đăng xuất, hết thời gian hoặc tài khoản không còn quyền điều phối).',
  },
  signedOut: 'Bạn đã đăng xuất khỏi trang quản lý.',
  forbidden: {
    title: 'Yêu cầu bị từ chối',
    csrf: 'Biểu mẫu đã cũ hoặc không gửi từ trang quản lý nên không được thực hiện. Hãy tải lại trang rồi làm lại.',
  },
  notFound: { title: 'Không tìm thấy', text: 'Không tìm thấy trang hoặc nội dung yêu cầu.' },
  error: { title: 'Có lỗi', text: 'Máy chủ gặp lỗi khi xử lý yêu cầu. Hãy thử lại sau ít phút.' },

  // --- home and board -----------------------------------------------------------------------------
  home: {
    title: 'Tổng quan',
    openPeriods: 'Các kỳ đang mở',
    noOpenPeriods: 'Hiện không có kỳ báo cáo nào đang mở.',
    columns: { period: 'Kỳ báo cáo', deadline: 'Hạn nộp', submitted: 'Đã nộp', approved: 'Đã duyệt', missing: 'Chưa nộp' },
    current: (period: string) => `Bảng theo dõi: ${period}`,
  },
  board: {
    title: (period: string) => `Bảng theo dõi · ${period}`,
    deadline: (words: string, passed: boolean) => `Hạn nộp: ${words}${passed ? ' (đã qua hạn)' : ''}.`,
    countsTitle: 'Số đơn vị theo trạng thái',
    countsAll: (n: number) => `Tất cả: ${n}`,
    filters: 'Lọc và sắp xếp',
    status: 'Trạng thái',
    kind: 'Loại đơn vị',
    search: 'Tên đơn vị có chứa',
    lateOnly: 'Chỉ đơn vị nộp muộn',
    sort: 'Sắp xếp',
    sorts: { urgency: 'Cần xử lý trước', name: 'Tên đơn vị', submitted: 'Thời gian nộp', activity: 'Hoạt động gần nhất', progress: 'Tiến độ' },
    shown: (n: number, total: number) => `Đang hiện ${n}/${total} đơn vị.`,
    caption: 'Trạng thái báo cáo của từng đơn vị',
    columns: { unit: 'Đơn vị', status: 'Trạng thái', progress: 'Tiến độ', focal: 'Đầu mối (kênh, liên lạc, lần nhắn cuối)', submitted: 'Nộp lúc', late: 'Muộn', review: 'Duyệt' },
    late: 'Muộn',
    noFocal: 'Chưa có đầu mối',
    reachable: 'liên lạc được',
    unreachable: 'không liên lạc được',
    lastSeen: (when: string) => `nhắn lần cuối ${when}`,
    revision: (n: number) => `lần nộp ${n}`,
    review: { approved: (rev: number) => `Đã duyệt lần nộp ${rev}`, needs_correction: 'Đã yêu cầu bổ sung', awaiting: 'Chờ duyệt', none: '—' },
    rates: 'Tỷ lệ mục II.2 so với chỉ tiêu',
    ratesColumns: { name: 'Chỉ tiêu', value: 'Kết quả', target: 'Chỉ tiêu', gap: 'Chênh lệch' },
    chartAlt: (period: string) => `Biểu đồ tỷ lệ mục II.2 so với chỉ tiêu, ${period}`,
    noPeriod: 'Chưa chọn được kỳ báo cáo.',
  },

  // --- a unit's report ------------------------------------------------------------------------------
  report: {
    title: (period: string, unit: string) => `${unit} · ${period}`,
    nothing: 'Đơn vị chưa nộp báo cáo kỳ này.',
    /** The files the unit attached (the signed copy), each a download link. */
    files: 'Tệp đính kèm (bản ký, đóng dấu)',
    fileBy: (who: string, when: string, channel: string) => `${who}, ${when} (qua ${channel})`,
    submitted: (when: string, who: string, channel: string, revision: number) => `Lần nộp ${revision}: ${when}, ${who} (qua ${channel}).`,
    lateWord: (late: boolean) => (late ? 'Nộp muộn (lần nộp đầu tiên sau hạn).' : 'Nộp đúng hạn.'),
    state: (words: string) => `Tình trạng: ${words}`,
    answers: 'Nội dung báo cáo',
    columns: { pick: 'Chọn', number: 'Số', label: 'Câu hỏi', value: 'Trả lời' },
    pickLabel: (number: string) => `Chọn câu ${number} để yêu cầu bổ sung`,
    actions: 'Duyệt báo cáo',
    approve: 'Duyệt báo cáo',
    approveComment: 'Nhận xét khi duyệt (không bắt buộc)',
    correction: 'Yêu cầu bổ sung',
    correctionHelp: 'Đánh dấu các câu cần bổ sung trong bảng nội dung ở trên, ghi nhận xét rồi bấm "Yêu cầu bổ sung".',
    correctionComment: 'Nhận xét gửi đơn vị (bắt buộc)',
    reopen: 'Mở lại để đơn vị sửa',
    reopenHelp: 'Sau khi khóa sổ, mở lại cho phép đơn vị sửa và nộp lại.',
    revisions: 'Các lần nộp',
    revisionLine: (n: number, when: string, who: string, channel: string, late: boolean) => `Lần ${n}: ${when}, ${who} (qua ${channel})${late ? ', sau hạn' : ''}`,
    changes: (n: number) => `Thay đổi so với lần ${n}`,
    noChanges: 'Không thay đổi câu trả lời nào.',
    changeColumns: { number: 'Số', label: 'Câu hỏi', before: 'Trước', after: 'Sau' },
    back: 'Về bảng theo dõi',
  },
  /** After a review action (the page shows the report again with this notice). */
  reviewDone: {
    approved: (rev: number, notified: number) => `Đã duyệt lần nộp ${rev}. Đã báo cho ${notified} đầu mối của đơn vị.`,
    needs_correction: (rev: number, refs: string[], notified: number) => `Đã yêu cầu bổ sung lần nộp ${rev}: ${refs.join(', ')}. Đã báo cho ${notified} đầu mối của đơn vị.`,
    reopened: 'Đã mở lại báo cáo để đơn vị sửa và nộp lại.',
  },
  /** Why a review action was not done. */
  reviewRefused: {
    not_submitted: 'Chưa thực hiện: đơn vị chưa nộp báo cáo.',
    already_approved: 'Chưa thực hiện: lần nộp này đã được duyệt.',
    awaiting_resubmission: 'Chưa thực hiện: báo cáo đang chờ đơn vị nộp lại sau yêu cầu bổ sung.',
    reopened: 'Chưa thực hiện: báo cáo đang được mở lại cho đơn vị sửa.',
    already_reopened: 'Báo cáo đã được mở lại từ trước.',
    superseded: 'Chưa thực hiện: đã có lần nộp mới hơn.',
    changed: 'Chưa thực hiện: báo cáo đã thay đổi từ khi bạn mở trang (có lần nộp mới hoặc người khác vừa xử lý). Hãy xem lại nội dung hiện tại.',
    noQuestions: 'Chưa thực hiện: hãy chọn ít nhất một câu cần bổ sung.',
    noComment: 'Chưa thực hiện: hãy ghi nhận xét gửi đơn vị.',
    badQuestions: (refs: string[]) => `Chưa thực hiện: không áp dụng được cho ${refs.join(', ')}.`,
  },

  // --- documents ----------------------------------------------------------------------------------
  documents: {
    title: 'Tài liệu tổng hợp',
    intro: 'Tải về bản tổng hợp của kỳ báo cáo, lập từ các báo cáo đã nộp tại thời điểm tải.',
    download: (label: string, name: string) => `Tải ${label} (${name})`,
  },

  // --- reminders and broadcasts ------------------------------------------------------------------------
  outbox: {
    title: 'Nhắc việc và thông báo',
    sent: 'Tin đã gửi gần đây',
    caption: (n: number) => `${n} tin gần nhất`,
    columns: { at: 'Lúc', purpose: 'Loại tin', to: 'Người nhận', unit: 'Đơn vị', channel: 'Kênh', status: 'Tình trạng', reason: 'Lý do không gửi được', text: 'Nội dung' },
    purposes: { reminder: 'Nhắc hạn', broadcast: 'Thông báo', review: 'Kết quả duyệt', notice: 'Thông tin cho điều phối', alert: 'Cảnh báo' } as Record<string, string>,
    statuses: { pending: 'Chờ gửi', sending: 'Đang gửi', sent: 'Đã gửi', failed: 'Gửi lỗi', undeliverable: 'Không gửi được', cancelled: 'Không cần gửi' } as Record<string, string>,
    statusFilter: 'Tình trạng',
    none: 'Chưa có tin nào.',
    broadcasts: 'Các thông báo đã gửi',
    broadcastColumns: { at: 'Lúc', audience: 'Gửi đến', text: 'Nội dung', people: 'Số người', sent: 'Đã gửi', failed: 'Lỗi', pending: 'Chờ' },
    compose: 'Soạn thông báo mới',
  },
  broadcast: {
    title: 'Soạn thông báo',
    audience: 'Gửi đến',
    audienceAll: 'Tất cả các đơn vị báo cáo',
    audienceKind: (kind: string) => `Các đơn vị loại: ${kind}`,
    audienceStatus: (status: 'not_submitted' | 'submitted') => (status === 'not_submitted' ? 'Các đơn vị chưa nộp kỳ' : 'Các đơn vị đã nộp kỳ'),
    text: (max: number) => `Nội dung (tối đa ${max} ký tự)`,
    preview: 'Xem trước',
    previewTitle: 'Xem trước thông báo',
    previewCount: (label: string, units: number, people: number) => `${label}: ${units} đơn vị, ${people} người nhận.`,
    unreachable: (names: string[]) => `Không có đầu mối liên lạc được: ${names.join(', ')}.`,
    nobody: 'Không có ai để gửi: chưa đơn vị nào trong nhóm này có đầu mối liên lạc được.',
    confirm: 'Gửi thông báo',
    edit: 'Sửa lại',
    queued: (people: number, units: number) => `Đã xếp hàng gửi thông báo đến ${people} người của ${units} đơn vị.`,
    empty: 'Hãy nhập nội dung thông báo.',
    tooLong: (n: number, max: number) => `Nội dung dài ${n} ký tự, quá giới hạn ${max} ký tự.`,
  },

  // --- focal points and enrolment codes ----------------------------------------------------------------
  focal: {
    title: 'Đầu mối các đơn vị',
    intro: 'Người đã đăng ký với từng đơn vị, trên kênh nào; tạo mã đăng ký cho người mới; thu hồi đăng ký.',
    caption: 'Đầu mối theo đơn vị',
    columns: { unit: 'Đơn vị', person: 'Người', role: 'Vai trò', channel: 'Kênh', reachable: 'Liên lạc', since: 'Đăng ký từ', action: 'Thao tác' },
    none: 'Chưa có ai đăng ký',
    revoke: (name: string) => `Thu hồi đăng ký của ${name}`,
    revokeButton: 'Thu hồi',
    revoked: (name: string, unit: string) => `Đã thu hồi đăng ký của ${name} với ${unit}.`,
    revokeRefused: { not_found: 'Không tìm thấy đăng ký này.', already_revoked: 'Đăng ký này đã được thu hồi từ trước.', self: 'Không thể tự thu hồi quyền điều phối của chính mình.' },
    newCode: 'Tạo mã đăng ký',
    codeUnit: 'Đơn vị',
    codeRole: 'Vai trò',
    codeDays: 'Hiệu lực (ngày)',
    createCode: 'Tạo mã',
    codeTitle: 'Mã đăng ký mới',
    code: (code: string, unit: string, role: string, until: string) => `Mã ${code}: ${role} của ${unit}, dùng được một lần đến ${until}.`,
    codeHow: (code: string) => `Người được giao nhắn "đăng ký ${code}" cho trợ lý dondoc trên Teams hoặc Zalo, hoặc quét mã QR dưới đây bằng điện thoại để chép lời nhắn.`,
    qrAlt: (code: string) => `Mã QR chứa lời nhắn "đăng ký ${code}"`,
    enrolText: (code: string) => `đăng ký ${code}`,
    coordinatorOnlyHere: (org: string) => `Vai trò điều phối chỉ dành cho ${org}.`,
    notReporting: (unit: string) => `${unit} không thuộc diện báo cáo nên không có đầu mối.`,
    /** A substitute's role in the table (`ủy quyền`). */
    substitute: (principal: string) => `người làm thay ${principal}`,
    delegationsCaption: 'Ủy quyền đang có hiệu lực (đầu mối gõ "ủy quyền" trong chat; chấm dứt bằng "hủy ủy quyền")',
    delegationColumns: { substitute: 'Người làm thay', principal: 'Làm thay cho', scope: 'Phạm vi', since: 'Từ' },
    delegationPending: 'chưa có (mã chưa được dùng)',
    noDelegations: 'Không có ủy quyền nào đang có hiệu lực.',
  },

  // --- audit log ------------------------------------------------------------------------------------------
  audit: {
    title: 'Nhật ký thao tác',
    caption: (n: number) => `${n} dòng gần nhất`,
    columns: { at: 'Lúc', actor: 'Người thực hiện', channel: 'Kênh', action: 'Thao tác', subject: 'Đối tượng', details: 'Chi tiết' },
    none: 'Không có dòng nào khớp.',
    personHint: 'Tên hoặc mã người dùng',
  },
  channelWeb: 'trang quản lý',
} as const;
