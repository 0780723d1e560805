/**
 * Renders the channel-neutral OutMessage as Zalo consultation messages: the plain text (forms and
 * tables are already rendered into `text` by the core) split at Zalo's 2,000-character limit on
 * sensible boundaries, and up to 5 quick-reply choices as `oa.query.hide` buttons (a tap comes
 * back as a `user_send_text` whose text is the payload). With more than 5 choices no buttons are
 * sent: the core's text already lists them numbered.
 */
import type { OutMessage } from '../../core/message.js';

export const MAX_TEXT_CHARS = 2000;
export const MAX_BUTTONS = 5;
export const MAX_BUTTON_PAYLOAD = 1000;
/** Zalo does not document a title limit we could confirm; long titles are shortened. */
export const MAX_BUTTON_TITLE = 100;

export interface ZaloButton {
  title: string;
  type: 'oa.query.hide';
  payload: string;
}

/** The `message` object of POST /v3.0/oa/message/cs. */
export interface ZaloCsMessage {
  text: string;
  attachment?: { type: 'template'; payload: { buttons: ZaloButton[] } };
}

const codePoints = (s: string) => Array.from(s);

/** Where to cut a window of text: the last paragraph, line, sentence or word break, or the end. */
function breakIndex(window: string): number {
  const minUseful = Math.floor(window.length * 0.3);
  const lastAt = (re: RegExp, after = 0): number => {
    let best = -1;
    for (const m of window.matchAll(re)) if (m.index !== undefined && m.index + after > minUseful) best = m.index + after;
    return best;
  };
  const para = lastAt(/\n[ \t]*\n/g);
  if (para > 0) return para;
  const line = lastAt(/\n/g);
  if (line > 0) return line;
  const sentence = lastAt(/[.!?…;:](?=\s)/g, 1);
  if (sentence > 0) return sentence;
  let space = -1;
  for (const m of window.matchAll(/\s/g)) if (m.index !== undefined && m.index > 0) space = m.index;
  if (space > 0) return space;
  return window.length;
}

/**
 * Splits text into parts of at most `max` characters (Unicode code points, after NFC so Vietnamese
 * letters count once), cutting at the last paragraph break, else line break, else sentence end,
 * else space; a single word longer than `max` is cut hard.
 */
export function splitText(text: string, max = MAX_TEXT_CHARS): string[] {
  const parts: string[] = [];
  let rest = text.normalize('NFC').trim();
  while (codePoints(rest).length > max) {
    const window = codePoints(rest).slice(0, max).join('');
    const cut = breakIndex(window);
    const head = rest.slice(0, cut).trimEnd();
    if (head) parts.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

function shorten(s: string, max: number): string {
  const cps = codePoints(s.trim());
  return cps.length <= max ? cps.join('') : `${cps.slice(0, max - 1).join('')}…`;
}

/** One OutMessage → the consultation messages to send, in order. */
export function renderOutMessage(m: OutMessage): ZaloCsMessage[] {
  const parts = splitText(m.text ?? '');
  const choices = m.choices ?? [];
  const buttonable = choices.length > 0 && choices.length <= MAX_BUTTONS && choices.every((c) => c.value && codePoints(c.value).length <= MAX_BUTTON_PAYLOAD);
  if (!parts.length && !buttonable) return [];
  const messages: ZaloCsMessage[] = parts.map((text) => ({ text }));
  if (buttonable) {
    if (!messages.length) messages.push({ text: choices.map((c) => c.label).join(' / ') });
    const last = messages[messages.length - 1];
    last.attachment = {
      type: 'template',
      payload: { buttons: choices.map((c) => ({ title: shorten(c.label || c.value, MAX_BUTTON_TITLE), type: 'oa.query.hide', payload: c.value })) },
    };
  }
  return messages;
}
