/**
 * The channel-neutral message model. The bot core produces these; each channel renders them
 * (Teams: Adaptive Cards; Zalo: text with buttons; console: plain text). No channel SDK here.
 */
import type { Condition, QuestionType } from '../regime/regime-schema.js';
import type { Channel, Contact } from '../store/records.js';

export interface ChoiceView {
  /** What the user sends back (as text) to pick it. */
  value: string;
  label: string;
}

export interface FieldView {
  /** Answer key, `${sectionId}/${questionName}`. */
  key: string;
  /** "2.3": the question's number, as `xem lại` and `sửa 2.3` name it (absent for a note). */
  number?: string;
  label: string;
  type: QuestionType;
  hint?: string;
  unitLabel?: string;
  required: boolean;
  choices?: ChoiceView[];
  /** Current answer, in the canonical text form the user would type. */
  value?: string;
  /** A validation error to show next to the field. */
  error?: string;
  /**
   * The question does not apply given the answers (the regime's skip logic): why, in a few words
   * ("vì câu 2.1 là "Chưa triển khai""). A form shows its number and label without an input, so
   * the numbering runs on; the section comes back with it when a later answer makes it apply.
   */
  notApplicable?: string;
  /** The previous period's answer ("Kỳ trước: 1.234 người"), or that the value shown was copied from it. */
  previous?: string;
  /** A valid but unusual figure, held back until confirmed: the question to show next to the field. */
  warning?: string;
  /**
   * A confirmation the person ticks to store that figure anyway; a submission carries `value`
   * under the field's key in `FormSubmission.confirmed` (it confirms that figure only).
   */
  confirm?: { label: string; value: string };
  /**
   * The question is asked only when this holds on the section's other answers (the regime's
   * skip logic; question names are the section's). A form that cannot hide a field as the
   * others change should not make such a field required: the core requires it when it applies.
   */
  relevant?: Condition;
}

/** A whole form section, for channels that can show a form (Teams cards). */
export interface FormView {
  /** Identifies what a submission answers: unit, period and section, plus the draft version. */
  unitCode: string;
  periodId: string;
  sectionId: string;
  title: string;
  /** "Mục 3/8 · 7 câu" */
  progress: string;
  /** The section's duty text (a form shows its start, the whole on demand). */
  description?: string;
  fields: FieldView[];
  submitLabel: string;
  /** Buttons beside the submit that run a command as typed ("Xem lại" sends "xem lại"); they send no answers. */
  actions?: ChoiceView[];
  /** The key of the field to answer first (the question the text asks): a form split over several cards starts at the card holding it. */
  focus?: string;
}

/** How a card colours a row's status (Adaptive Cards' colours): good (done), warning (late, in progress), attention (overdue, to correct). */
export type Tone = 'good' | 'warning' | 'attention' | 'accent';

export interface TableView {
  title?: string;
  /** One line above the table, the counts first ("2/19 đã nộp · 1 nộp muộn · 16 chưa nộp"). */
  summary?: string;
  columns: string[];
  /**
   * A cell (or a column's name) may hold several lines ("\n"): its text, then details a card shows
   * below it, subtle (a unit's focal point under its name). `text` has every line.
   */
  rows: string[][];
  /**
   * Per column: 'auto' fits its content (short columns: a number, a count, a date), 'stretch'
   * shares the rest (names, texts). Absent: every column stretches.
   */
  widths?: Array<'auto' | 'stretch'>;
  /** Per row (same order as `rows`): the tone of the row's status cell (`toneColumn`); undefined: plain. */
  tones?: Array<Tone | undefined>;
  /** The column whose cell `tones` colours. */
  toneColumn?: number;
  /** Group headings shown across the table before the row at index `before` (a summary's section titles). */
  groups?: Array<{ before: number; title: string }>;
  /**
   * The table is one page of a longer list: what the card says of it and the button for the next
   * page ("Xem tiếp"). The message's `choices` offer `next` too (for channels without cards); a
   * card shows it once, under the table.
   */
  page?: { label: string; next?: ChoiceView };
}

export interface OutMessage {
  /** Complete plain-text rendering; always present (Zalo and the console use it as is). */
  text: string;
  /**
   * With `form`: what leads the text's one question (acknowledgement, report title, error) — a
   * form channel shows it above the whole section instead of the question. Absent: the whole
   * text leads the form (e.g. a rejected section's error summary).
   */
  lead?: string;
  /** Quick replies. */
  choices?: ChoiceView[];
  form?: FormView;
  table?: TableView;
  /** A file to download (exports). */
  file?: { name: string; contentType: string; url: string };
}

/**
 * A button that runs a command as if typed: `{dondoc: 'command', text: 'nộp'}` in
 * `InboundEvent.value` is handled exactly like the text.
 */
export interface CommandValue {
  dondoc: 'command';
  text: string;
}

/**
 * What a form channel (Teams card) sends back for a section: it arrives as `InboundEvent.value`.
 * Values are the raw strings typed or chosen (select_multiple: comma-separated choice values);
 * the core validates them again.
 */
export interface FormSubmission {
  dondoc: 'section';
  unitCode: string;
  periodId: string;
  sectionId: string;
  answers: Record<string, string>;
  /** Unusual figures confirmed on the form: answer key → the `FieldView.confirm.value` ticked. */
  confirmed?: Record<string, string>;
  /**
   * The answer keys the submitted form held, when it held only part of the section (a long
   * section split over several cards); absent: the whole section. A form leaves an emptied input
   * out of its submission, so this is how a field left empty is told from one on another card.
   */
  fields?: string[];
}

/**
 * A file or photo the person sent, as the platform's event names it (Zalo `user_send_file` /
 * `user_send_image`, a Teams file or pasted image): fetched by services/attachments.ts only from
 * this URL, and only while a report is open.
 */
export interface InboundAttachment {
  kind: 'file' | 'image';
  /** Where the platform serves the bytes (https in production; see services/attachments.ts). */
  url: string;
  /** The file's name as sent; a photo has none. */
  name?: string;
  /** The size the platform announced (bytes), when it did: a larger one is refused before downloading. */
  size?: number;
  /**
   * Headers the download needs, asked for when it starts: a Teams pasted image is served by the
   * Bot Connector only with the bot's own token. Absent: the URL alone suffices.
   */
  headers?: () => Promise<Record<string, string>>;
}

/** One normalised inbound event, whatever the channel. */
export interface InboundEvent {
  channel: Channel;
  /** The platform's user id (a string, never converted to a number). */
  userId: string;
  userName?: string;
  conversationId?: string;
  /**
   * How to reach the person later (Teams: the ConversationReference; Zalo: { userId }): the core
   * stores it on the person's Contact, beside displayName and lastInteractionAt.
   */
  conversationRef?: Record<string, unknown>;
  text?: string;
  /** A form submission (Teams card data). */
  value?: Record<string, unknown>;
  /** Files or photos sent with the event (the router hands them to `Registry.attachments`). */
  attachments?: InboundAttachment[];
  /**
   * The platform's id of the event (Teams: the activity id; Zalo: the message id). The core
   * takes one turn per id and person: a redelivery gets the first turn's replies, nothing more.
   */
  eventId?: string;
  /**
   * The channel keeps its own record of this event (its inbox: channels/teams/deliveries.ts, the
   * Zalo webhook and processor), leases it for the turn and answers its redeliveries itself, so
   * the core keeps no turn record of its own (two writes fewer per turn). Set only by a channel
   * that holds such a record for every event it marks so.
   */
  dedupedByChannel?: boolean;
  /**
   * When the person acted: the platform's own timestamp of the event when the channel has one
   * (see `eventTime`), not when it was processed. The core records it as the Contact's last
   * interaction (which opens Zalo's consultation window), never moving that back.
   */
  receivedAt: Date;
  raw?: unknown;
}

/** How far a platform's event time may lie behind our reception of it (a retried delivery) … */
export const EVENT_TIME_MAX_AGE_MS = 3 * 3600_000;
/** … or ahead of it (clock skew). */
export const EVENT_TIME_MAX_SKEW_MS = 5 * 60_000;

/**
 * The time of an event: the platform's timestamp (epoch ms, an ISO string or a Date), which a
 * retried delivery carries unchanged, when it is plausible against when we received it; anything
 * missing or implausible falls back to the reception time.
 */
export function eventTime(platform: number | string | Date | undefined | null, receivedAt: number | Date): Date {
  const rec = typeof receivedAt === 'number' ? receivedAt : receivedAt.getTime();
  const ts = platform instanceof Date ? platform.getTime() : typeof platform === 'string' && !/^\d+$/.test(platform) ? Date.parse(platform) : Number(platform ?? NaN);
  return new Date(Number.isFinite(ts) && ts <= rec + EVENT_TIME_MAX_SKEW_MS && ts >= rec - EVENT_TIME_MAX_AGE_MS ? ts : rec);
}

/** The single entry point every channel hands its events to. */
export interface BotCore {
  /**
   * The turn of one event; its replies once everything it wrote is stored. `meanwhile`: called with
   * those replies while the turn waits for its writes to reach the disk (DocStore.unitOfWork), so
   * that a channel can render them in that time; the replies returned are the same array unless
   * storing failed (then the apology is returned instead).
   */
  handle(ev: InboundEvent, opts?: { meanwhile?: (replies: OutMessage[]) => void }): Promise<OutMessage[]>;
}

export type SendResult = { status: 'sent'; id?: string } | { status: 'failed'; reason: string; retryable: boolean; retryAfterMs?: number } | { status: 'undeliverable'; reason: string };

/** Outbound delivery on one channel (used by the outbox for reminders and broadcasts). */
export interface ChannelSender {
  readonly channel: Channel;
  send(contact: Contact, msg: OutMessage): Promise<SendResult>;
}
