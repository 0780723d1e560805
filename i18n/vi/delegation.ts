/**
 * `ủy quyền` and `hủy ủy quyền`: a focal point's substitute (dialogs/delegation.ts,
 * services/delegations.ts), what the substitute and the focal point are told, the notes on the
 * unit's reminders while it lasts, and the delegations listed for coordinators.
 */

export const delegation = {
  helpDelegate: 'ủy quyền [ĐƠN_VỊ] KỲ hoặc ủy quyền [ĐƠN_VỊ] đến NGÀY — cử người làm thay báo cáo khi vắng mặt',
  helpCancel: 'hủy ủy quyền — chấm dứt ủy quyền trước hạn',
  /** What the delegation covers: one period, or every report until a day. */
  scopePeriod: (periodName: string) => `đối với ${periodName}`,
  scopeUntil: (day: string) => `đến hết ngày ${day}`,
  usage: (units: string[]) =>
    'Cú pháp: ủy quyền [ĐƠN_VỊ] KỲ (một kỳ báo cáo) hoặc ủy quyền [ĐƠN_VỊ] đến NGÀY (mọi báo cáo đến hết ngày đó).\n' +
    'Ví dụ: ủy quyền T11/2026; ủy quyền đến 15/12/2026.\n' +
    'Thêm "cho HỌ TÊN" để ủy quyền ngay cho một người đã đăng ký với dondoc, ví dụ: ủy quyền T11/2026 cho Nguyễn Văn Bình.' +
    (units.length > 1 ? `\nBạn là đầu mối của nhiều đơn vị, hãy ghi rõ đơn vị: ${units.join('; ')}.` : ''),
  usageCoordinator:
    'Cán bộ điều phối cử người làm thay cho một đơn vị: ủy quyền ĐƠN_VỊ KỲ hoặc ủy quyền ĐƠN_VỊ đến NGÀY, thêm "cho HỌ TÊN" nếu người đó đã đăng ký với dondoc (ví dụ: ủy quyền BA-BE T11/2026 cho Nguyễn Văn Bình).',
  /** `ủy quyền … cho HỌ TÊN` */
  personNotEnrolled: (name: string) =>
    `Không tìm thấy người đã đăng ký với dondoc có tên "${name}". Người làm thay phải đăng ký trước; hoặc gõ lệnh không kèm tên để nhận mã ủy quyền và chuyển cho người đó.`,
  severalPeople: (name: string, names: string[]) => `Có ${names.length} người tên "${name}": ${names.join('; ')}. Vui lòng ghi đầy đủ họ tên.`,
  selfNamed: 'Không thể ủy quyền cho chính mình. Hãy ghi tên người sẽ làm thay.',
  personIsMember: (name: string, unitName: string) => `${name} đã là đầu mối của ${unitName}, không cần ủy quyền.`,
  assigned: (a: { substituteName: string; unitName: string; scope: string }) =>
    `Đã ủy quyền cho ${a.substituteName} làm thay báo cáo của ${a.unitName} ${a.scope}. Người này đã được thông báo; nhắc việc của đơn vị sẽ gửi cho người này.`,
  /** The substitute named, told through the outbox. */
  assignedNotice: (a: { by: string; principalName: string; unitName: string; scope: string; byPrincipal: boolean }) =>
    (a.byPrincipal ? `${a.by} (${a.unitName}) đã ủy quyền cho bạn làm thay mình ${a.scope}.\n` : `${a.by} đã ủy quyền cho bạn làm thay ${a.principalName} (${a.unitName}) ${a.scope}.\n`) +
    'Nhắc việc của đơn vị sẽ gửi cho bạn. Gõ "báo cáo" để làm báo cáo, "hủy ủy quyền" để chấm dứt.',
  bothScopes: 'Vui lòng ghi một kỳ báo cáo hoặc một ngày kết thúc, không ghi cả hai.',
  unknownUnit: (text: string) => `Không tìm thấy đơn vị "${text}". Ghi mã hoặc tên đơn vị, ví dụ: BA-BE hoặc Ba Bể.`,
  notYourUnit: (unitName: string) => `Bạn không phải đầu mối của ${unitName} nên không ủy quyền được cho đơn vị này.`,
  notFocal: 'Chỉ đầu mối báo cáo của đơn vị mới ủy quyền được. Người đang làm thay không ủy quyền tiếp cho người khác.',
  noSuchPeriod: (unitName: string, periodText: string) => `${unitName} không có kỳ báo cáo "${periodText}".`,
  periodLocked: (periodName: string, day: string) => `${periodName} đã khóa sổ từ ngày ${day}, không ủy quyền được.`,
  badDate: (text: string) => `"${text}" không phải là ngày hợp lệ. Ghi ngày theo dạng ngày/tháng/năm, ví dụ: đến 15/12/2026.`,
  endInPast: (day: string) => `Ngày ${day} đã qua. Vui lòng chọn ngày kết thúc từ hôm nay trở đi.`,
  alreadyActive: (name: string, scope: string) => `Đơn vị đang có ủy quyền cho ${name} ${scope}. Muốn đổi người hoặc đổi thời hạn, hãy gõ "hủy ủy quyền" trước.`,
  /** The code, said once to the one who asked (principal or coordinator). */
  created: (a: { unitName: string; scope: string; code: string; expires: string }) =>
    `Đã ghi nhận ủy quyền báo cáo của ${a.unitName} ${a.scope}.\n` +
    `Mã ủy quyền: ${a.code} (dùng một lần, hiệu lực đến ${a.expires}).\n` +
    `Hãy chuyển mã cho người làm thay; người đó gửi cho dondoc trên Teams hoặc Zalo: đăng ký ${a.code}`,
  /** Redeeming the code (`đăng ký MÃ`). */
  gone: 'Mã ủy quyền này không còn hiệu lực: việc ủy quyền đã bị hủy, đã thay bằng mã khác hoặc đã hết hạn.',
  self: 'Bạn không thể tự nhận ủy quyền của chính mình; mã này đã bị hủy. Hãy gõ "ủy quyền" để lấy mã mới và chuyển cho người làm thay.',
  alreadyMember: (unitName: string) => `Bạn đã là đầu mối của ${unitName} nên không cần nhận ủy quyền; mã này đã bị hủy.`,
  accepted: (a: { unitName: string; principalName: string; scope: string }) =>
    `Bạn đã nhận ủy quyền làm thay ${a.principalName} (${a.unitName}) ${a.scope}.\n` + 'Nhắc việc của đơn vị sẽ gửi cho bạn. Gõ "báo cáo" để làm báo cáo, "hủy ủy quyền" để chấm dứt.',
  /** The principal (or the coordinator who asked), told through the outbox. */
  acceptedNotice: (a: { substituteName?: string; channel: string; unitName: string; scope: string; copy: boolean }) =>
    `${a.substituteName ? `${a.substituteName} (${a.channel})` : `Người dùng ${a.channel}`} đã nhận ủy quyền làm thay báo cáo của ${a.unitName} ${a.scope}. ` +
    `Nhắc việc của đơn vị sẽ gửi cho người này${a.copy ? ', bạn vẫn nhận một bản sao' : ''}. Gõ "hủy ủy quyền" để chấm dứt trước hạn.`,
  /** `hủy ủy quyền` */
  nothingToCancel: 'Bạn không có ủy quyền nào đang có hiệu lực.',
  cancelled: (items: string[]) => `Đã hủy ủy quyền: ${items.join('; ')}.`,
  /** One delegation, in a list: "UBND huyện Ba Bể, Nguyễn Văn B làm thay Trần Thị A đến hết ngày 15/12/2026". */
  item: (a: { unitName: string; substituteName?: string; principalName: string; scope: string }) =>
    a.substituteName ? `${a.unitName}, ${a.substituteName} làm thay ${a.principalName} ${a.scope}` : `${a.unitName}, ${a.scope} (mã chưa được dùng)`,
  /** The other party, told through the outbox. */
  cancelledNotice: (a: { by: string; item: string; toSubstitute: boolean }) =>
    `${a.by} đã hủy ủy quyền: ${a.item}. ` + (a.toSubstitute ? 'Bạn không còn làm thay báo cáo của đơn vị này.' : 'Nhắc việc của đơn vị sẽ gửi lại cho đầu mối.'),
  /** On the unit's reminders while it lasts. */
  reminderToSubstitute: (principalName: string) => `(Bạn nhận nhắc việc này vì đang làm thay ${principalName}.)`,
  reminderCopy: (substituteName: string, scope: string) => `Bản sao để biết: ${substituteName} đang làm thay đầu mối ${scope} và đã nhận nhắc việc dưới đây.`,
  /** The focal point replaced, told through the outbox when the substitute submits. */
  submittedNotice: (a: { substituteName: string; title: string; revision: number; when: string }) =>
    `${a.substituteName} đã nộp thay bạn ${a.title}${a.revision > 1 ? ` (lần ${a.revision})` : ''} lúc ${a.when}. Gõ "trạng thái" để xem.`,
  /** Under the confirmation of a report a substitute submitted. */
  submittedOnBehalf: (principalName: string) => `Báo cáo được nộp thay ${principalName} (theo ủy quyền).`,
  /** Who a coordinator's delegation replaces (or a focal point whose name is not known). */
  unitFocalPoints: 'đầu mối của đơn vị',
  someone: 'người được ủy quyền',
  /** A substitute whose name the channel does not give (Zalo): "người dùng Zalo". */
  channelUser: (channel: string) => `người dùng ${channel}`,
  /** Who cancelled, when their name is not known. */
  bySubstitute: 'Người được ủy quyền',
  byPrincipal: 'Đầu mối báo cáo',
  byCoordinator: 'Cán bộ điều phối',
  /** The coordinators' lists (web console, `trạng thái`). */
  statusTitle: 'Ủy quyền đang có hiệu lực:',
} as const;
