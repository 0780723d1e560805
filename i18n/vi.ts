/**
 * The one catalogue of everything dondoc says, in Vietnamese with diacritics: `vi.<namespace>.<key>`.
 * Code imports only `vi` (the files under i18n/vi/ are its parts). A template is a string or a
 * function of what it needs, in words already (numbers and dates formatted, names from the
 * regime); the helpers with logic that pick or format words (statusText, answerText,
 * milestoneText in reporting/wording.ts; channelName, reasonWords in services/delivery-words.ts)
 * stay next to the code that owns them and read their words from here. Every template is rendered
 * by test/messages.test.ts into test/snapshots/messages.txt, so a wording change shows as a diff.
 *
 * Layer: i18n/ sits just above config/ and lib/ (docs/layers.md): it imports nothing else.
 */
import { answer } from './vi/answer.js';
import { attachment } from './vi/attachment.js';
import { broadcast } from './vi/broadcast.js';
import { consoleChannel, teams, zalo } from './vi/channels.js';
import { enrolment, help, limits, roles, router } from './vi/chat.js';
import { cli } from './vi/cli.js';
import { comparison } from './vi/comparison.js';
import { admin, consolidation, review } from './vi/consolidation.js';
import { delegation } from './vi/delegation.js';
import { document } from './vi/document.js';
import { delivery, notice } from './vi/notice.js';
import { period, regime } from './vi/regime.js';
import { regimeChange } from './vi/regime-change.js';
import { report } from './vi/report.js';
import { app, config, store } from './vi/server.js';
import { web } from './vi/web.js';
import { workbook } from './vi/workbook.js';

export type { Org } from './vi/org.js';

export const vi = {
  /** The router: greeting, who may do what, errors of a turn. */
  router,
  /** `trợ giúp`: the frame of the command list (each command's line is in its own namespace). */
  help,
  /** `đăng ký MÃ` */
  enrolment,
  /** A stranger flooding the bot (services/throttle.ts). */
  limits,
  /** The two roles, by Role. */
  roles,
  /** `ủy quyền`, `hủy ủy quyền`: a focal point's substitute. */
  delegation,
  /** The form engine: prompts, how to answer, validation errors, unusual figures. */
  answer,
  /** The report dialog and a focal point's status. */
  report,
  /** The signed report attached: a file or photo sent with a report. */
  attachment,
  /** Reminders, digests, delivery notices, calendar warning (outbox). */
  notice,
  /** Channels and send failures named (services/delivery-words.ts). */
  delivery,
  /** `thông báo`: broadcasts and their delivery report. */
  broadcast,
  /** The coordinator's board, indicators and exports in chat. */
  consolidation,
  /** `xem`, `duyệt`, `cần bổ sung` and the notices they send. */
  review,
  /** The admin HTTP API and export links. */
  admin,
  /** XLSX, CSV and the DOCX draft report. */
  document,
  /** Comparison with earlier periods in the exports ("so với cùng kỳ năm trước"). */
  comparison,
  /** The regime loader's errors and warnings (operators). */
  regime,
  /** Changing the regime of a running server: the web console's page, its preview, `dondoc regime apply`. */
  regimeChange,
  /** How a period and its deadline are named. */
  period,
  /** The regime as an Excel workbook: column notes and the reader's errors (regime/workbook.ts). */
  workbook,
  /** The `dondoc` command line. */
  cli,
  /** Invalid settings (config/env.ts). */
  config,
  /** Server start-up and shutdown (app/). */
  app,
  /** The store unreachable. */
  store,
  /** The console channel's own furniture. */
  console: consoleChannel,
  /** The Teams channel's own text (card furniture, transport errors). */
  teams,
  /** The Zalo channel's own text. */
  zalo,
  /** The coordinators' web console (web/) and its sign-in link in chat. */
  web,
} as const;
