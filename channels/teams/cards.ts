/**
 * Rendering for Teams (pure: no I/O): the channel-neutral OutMessage becomes Bot Framework
 * activities — plain text, suggested actions, or Adaptive Cards (version 1.5, the highest Teams
 * renders). A form section becomes a card with typed inputs whose submit is an `Action.Execute`
 * (answered inline by the bot) with an `Action.Submit` fallback for older clients; both come back
 * as the same FormSubmission through `parseSectionSubmission`. Cards are kept under
 * MAX_CARD_BYTES: a long section is split over several cards, a long table over several tables.
 *
 * Dynamic text in cards goes into RichTextBlock/TextRun elements, which Teams does not parse as
 * Markdown, so nothing a user or the regime wrote needs escaping there.
 */
import { Activity, type Attachment, type CardAction } from '@microsoft/agents-activity';
import { CardFactory } from '@microsoft/agents-hosting';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ChoiceView, FieldView, FormSubmission, FormView, OutMessage, TableView } from '../../core/message.js';
import { formatIsoDay } from '../../lib/datetime.js';
import { fold } from '../../lib/text.js';
import { vi } from '../../i18n/vi.js';
import { markForFastActivity } from './sdk-activity.js';

export const CARD_VERSION = '1.5';
/** Budget for one card's JSON. Teams accepts larger bot messages, but 28 KB is the smallest limit it has documented. */
export const MAX_CARD_BYTES = 26 * 1024;
/** Budget for one plain text message. */
export const MAX_TEXT_BYTES = 24 * 1024;
/** The verb of the section submit (Action.Execute). */
export const SECTION_VERB = 'dondoc.section';
/** Teams shows at most three suggested actions; more choices become card buttons. */
export const MAX_SUGGESTED_ACTIONS = 3;
const ACTIONS_PER_SET = 5;

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width: 'Full' };
}

export const bytesOf = (x: unknown): number => Buffer.byteLength(JSON.stringify(x), 'utf8');

// --- text ------------------------------------------------------------------------------------

/**
 * Teams renders message text as Markdown: a single newline is dropped and `*`/`_` turn into
 * emphasis. Escape Markdown punctuation and make every newline a hard line break.
 */
export function toTeamsMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_~[\]]/g, (c) => `\\${c}`)
        .replace(/</g, '&lt;')
        .replace(/^(\s*)([#>+-])/, '$1\\$2')
        .replace(/^(\s*\d+)\.(\s)/, '$1\\.$2'),
    )
    .join('  \n');
}

/** Splits text at line boundaries into pieces of at most `maxBytes` (a single overlong line is cut). */
export function splitText(text: string, maxBytes = MAX_TEXT_BYTES): string[] {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return [text];
  const out: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur) out.push(cur);
    cur = '';
  };
  for (const line of text.split('\n')) {
    const candidate = cur ? `${cur}\n${line}` : line;
    if (Buffer.byteLength(candidate, 'utf8') <= maxBytes) {
      cur = candidate;
      continue;
    }
    flush();
    // An overlong line: cut by code points (never inside a surrogate pair), counting bytes as
    // they come (measuring each longer prefix again took seconds for a 60 KB line).
    const chars = Array.from(line);
    let start = 0;
    for (;;) {
      let end = start;
      let bytes = 0;
      while (end < chars.length) {
        const b = Buffer.byteLength(chars[end], 'utf8');
        if (bytes + b > maxBytes) break;
        bytes += b;
        end++;
      }
      if (end === chars.length) {
        cur = chars.slice(start).join('');
        break;
      }
      out.push(chars.slice(start, end).join(''));
      start = end;
    }
  }
  flush();
  return out;
}

const run = (text: string, style: Record<string, unknown> = {}): CardElement => ({ type: 'TextRun', text, ...style });
const para = (text: string, style: Record<string, unknown> = {}, block: Record<string, unknown> = {}): CardElement => ({
  type: 'RichTextBlock',
  inlines: [run(text, style)],
  ...block,
});

/** Lines of text as card elements (one block per line keeps line breaks on every client). */
function textElements(text: string): CardElement[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i, all) => (line.trim() ? para(line, {}, i > 0 && !all[i - 1].trim() ? { spacing: 'Medium' } : {}) : null))
    .filter((e): e is CardElement => e !== null);
}

const card = (body: CardElement[], actions?: CardElement[]): AdaptiveCard => ({
  type: 'AdaptiveCard',
  version: CARD_VERSION,
  body,
  ...(actions && actions.length ? { actions } : {}),
  msteams: { width: 'Full' },
});

// --- choices -----------------------------------------------------------------------------------

/**
 * A card button that makes Teams post the choice value as the user's own message (imBack), as if
 * typed. It sends no input of its card (a form's required fields do not stop it).
 */
const choiceAction = (c: ChoiceView): CardElement => ({ type: 'Action.Submit', title: c.label, data: { msteams: { type: 'imBack', value: c.value } }, associatedInputs: 'none' });

/**
 * The width a button takes, in px, in Teams' 14 px font (7.5 px a letter, a little more than
 * measured, with its padding and the gap to the next button): rows of buttons are laid out so that
 * they fit the mobile app.
 */
const buttonWidth = (title: string) => Math.ceil(Array.from(title).length * 7.5) + 38;
/** What one row of buttons may take: the mobile app's 360 px card less its padding (and the last button's gap). */
const BUTTON_ROW_PX = 336;
/** More choices than this, or more rows of buttons than MAX_BUTTON_ROWS, become a list to choose from. */
const MAX_CHOICE_BUTTONS = 10;
const MAX_BUTTON_ROWS = 4;
/** The id of the list input whose chosen value a choice card sends (see parseChoiceSubmission). */
const CHOICE_INPUT = 'choice';

/** Buttons in rows (ActionSets) that each fit BUTTON_ROW_PX. */
function buttonRows(actions: CardElement[], first: Record<string, unknown> = { spacing: 'Medium' }): CardElement[] {
  const rows: CardElement[][] = [];
  let width = Infinity;
  for (const a of actions) {
    const w = buttonWidth(String(a.title ?? ''));
    if (width + w > BUTTON_ROW_PX || (rows.length && rows[rows.length - 1].length >= ACTIONS_PER_SET)) {
      rows.push([]);
      width = 0;
    }
    rows[rows.length - 1].push(a);
    width += w;
  }
  return rows.map((row, i) => ({ type: 'ActionSet', actions: row, ...(i === 0 ? first : { spacing: 'Small' }) }));
}

/**
 * Choices on a card: buttons when they fit a phone in a few rows; otherwise a list (radio buttons
 * up to ten, a dropdown beyond: e.g. nineteen units) with one button that sends the choice.
 */
function choiceSets(choices: ChoiceView[]): CardElement[] {
  if (!choices.length) return [];
  const rows = buttonRows(choices.map(choiceAction));
  const fits = choices.every((c) => buttonWidth(c.label) <= BUTTON_ROW_PX);
  if (choices.length <= MAX_CHOICE_BUTTONS && rows.length <= MAX_BUTTON_ROWS && fits) return rows;
  const list: CardElement = {
    type: 'Input.ChoiceSet',
    id: CHOICE_INPUT,
    label: vi.teams.chooseLabel,
    isRequired: true,
    errorMessage: vi.teams.chooseError,
    style: choices.length <= MAX_CHOICE_BUTTONS ? 'expanded' : 'compact',
    ...(choices.length > MAX_CHOICE_BUTTONS ? { placeholder: vi.teams.choosePlaceholder } : {}),
    wrap: true,
    choices: choices.map((c) => ({ title: c.label, value: c.value })),
    spacing: 'Medium',
  };
  return [list, { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: vi.teams.chooseButton, data: { dondoc: 'choice' }, associatedInputs: 'auto', style: 'positive' }], spacing: 'Small' }];
}

const ChoiceData = z.object({ dondoc: z.literal('choice'), [CHOICE_INPUT]: z.string().min(1).max(2000) });

/** The value a choice list sent (Action.Submit's message `value`): the words its choice stands for, as if typed. Null when it is not one. */
export function parseChoiceSubmission(data: unknown): string | null {
  const r = ChoiceData.safeParse(data);
  return r.success ? r.data[CHOICE_INPUT] : null;
}

/** `to` empty, as the SDK's MessageFactory.suggestedActions sends it (its schema requires the field). */
const suggestedActions = (choices: ChoiceView[]): { actions: CardAction[]; to: string[] } => ({
  actions: choices.map((c) => ({ type: 'imBack', title: c.label, value: c.value })),
  to: [],
});

// --- form sections -------------------------------------------------------------------------

/** Input ids carry the answer key and how to turn the card's value back into the text the core parses. */
const INPUT_KIND = { number: 'n', date: 'd', text: 't' } as const;
type InputKind = (typeof INPUT_KIND)[keyof typeof INPUT_KIND];
const inputKindOf = (f: FieldView): InputKind => (f.type === 'integer' || f.type === 'decimal' || f.type === 'percent' ? INPUT_KIND.number : f.type === 'date' ? INPUT_KIND.date : INPUT_KIND.text);
export const inputId = (f: FieldView): string => `${inputKindOf(f)}:${f.key}`;
/** The toggle confirming an unusual figure: its value (when ticked) is the figure it confirms. */
const CONFIRM_KIND = 'c';
export const confirmId = (key: string): string => `${CONFIRM_KIND}:${key}`;

/** "1.234,5" / "2,5%" (the core's canonical text) → 1234.5 for Input.Number. */
export function cardNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/[\s%]/g, '');
  let js: string | undefined;
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) js = t.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d+(,\d+)?$/.test(t)) js = t.replace(',', '.');
  else if (/^-?\d+\.\d+$/.test(t)) js = t;
  const n = js === undefined ? NaN : Number(js);
  return Number.isFinite(n) ? n : undefined;
}

/** Input.Number's value (a JS number, or its string form) → the Vietnamese text the core parses ("1234,5"). */
export function numberAnswer(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) {
    // Plain digits, never exponent notation (1e21, 1e-7): the core reads digits only.
    const plain = /e/i.test(String(v)) ? v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : String(v);
    return plain.replace('.', ',');
  }
  const s = typeof v === 'string' ? v.trim() : String(v ?? '');
  return /^-?\d+(\.\d+)?$/.test(s) ? s.replace('.', ',') : s;
}

/** "05/7/2027" (or an ISO date) → "2027-07-05" for Input.Date. */
export function cardDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(t) ? DateTime.fromISO(t) : DateTime.fromFormat(t, 'd/M/yyyy');
  return d.isValid ? (d.toISODate() ?? undefined) : undefined;
}

/** Input.Date's "2027-07-05" → "05/7/2027", the form the core echoes and parses. */
export function dateAnswer(v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : String(v ?? '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  return DateTime.fromISO(s).isValid ? formatIsoDay(s) : s;
}

/** The current answer of a select as the choices' values ("a,b"), matched by value or by label. */
function choiceValue(f: FieldView): string | undefined {
  if (!f.value || !f.choices?.length) return undefined;
  const picked: string[] = [];
  for (const token of f.value
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const ft = fold(token);
    const c = f.choices.find((c) => c.value === token || fold(c.value) === ft || fold(c.label) === ft);
    if (c && !picked.includes(c.value)) picked.push(c.value);
  }
  return picked.length ? picked.join(',') : undefined;
}

/** "2.3 Số văn bản đã ban hành (văn bản)", "1.4 Ngày ban hành (ngày/tháng/năm)": the question as the summary numbers it, with its unit or the date's order. */
function fieldLabel(f: FieldView): string {
  const unit = f.unitLabel && f.type !== 'percent' ? ` (${f.unitLabel})` : f.type === 'percent' ? ' (%)' : f.type === 'date' ? ` ${vi.teams.dateOrder}` : '';
  return `${f.number ? `${f.number} ` : ''}${f.label}${unit}`;
}

/**
 * The elements of one field: its label (number, question, unit or date order; a mark when
 * required), its hint (between the label and the input, at the size of the text), the input with
 * the current value, then its error, an unusual figure's question and the toggle confirming it.
 * The label is text above the input rather than the input's own `label`, which the client draws
 * right on the input, so that the hint sits between them. Without its own label an input cannot
 * be required on the card (Adaptive Cards requires a label for that), and the card does not need
 * it: the core checks the section when it arrives and sends it back with the reason beside each
 * field, the valid answers kept — as it does anyway for a question asked only under a condition on
 * other answers, which a card cannot require since it cannot hide an input as the others change.
 */
function fieldElements(f: FieldView, first: boolean): CardElement[] {
  const label = fieldLabel(f);
  const spacing = first ? {} : { spacing: 'Default' };
  // A text box shows its hint inside, until something is typed; other inputs between label and input.
  const hint = f.hint && f.type !== 'text' ? [para(f.hint, { isSubtle: true }, { spacing: 'Small' })] : [];
  if (f.type === 'note') return [para(f.label, { weight: 'Bolder' }, spacing), ...(f.hint ? [para(f.hint, { isSubtle: true }, { spacing: 'Small' })] : [])];
  // Not asked given the answers: the number and the question, and why, so the numbering runs on.
  if (f.notApplicable) return [{ type: 'RichTextBlock', inlines: [run(`${label}: `, { isSubtle: true }), run(f.notApplicable, { isSubtle: true, italic: true })], ...spacing }];

  const required = f.required && !f.relevant;
  const heading: CardElement = { type: 'RichTextBlock', inlines: [run(label, { weight: 'Bolder' }), ...(required ? [run(' *', { color: 'Attention', weight: 'Bolder' })] : [])], ...spacing };
  const base: CardElement = { id: inputId(f), spacing: 'Small' };
  let input: CardElement;
  switch (f.type) {
    case 'integer':
    case 'decimal':
    case 'percent': {
      const value = cardNumber(f.value);
      input = {
        type: 'Input.Number',
        ...base,
        ...(f.type === 'percent' ? { min: 0, max: 100 } : {}),
        ...(value !== undefined ? { value } : {}),
        errorMessage: f.type === 'percent' ? vi.teams.percentError : vi.teams.numberError,
      };
      break;
    }
    case 'date': {
      const value = cardDate(f.value);
      input = { type: 'Input.Date', ...base, ...(value ? { value } : {}), errorMessage: vi.teams.dateError };
      break;
    }
    case 'select_one':
    case 'select_multiple': {
      const choices = f.choices ?? [];
      const multi = f.type === 'select_multiple';
      const value = choiceValue(f);
      input = {
        type: 'Input.ChoiceSet',
        ...base,
        choices: choices.map((c) => ({ title: c.label, value: c.value })),
        isMultiSelect: multi,
        // Every option in sight while they are few (ticks for several); a dropdown for long lists.
        style: choices.length <= (multi ? MAX_EXPANDED_MULTI : MAX_EXPANDED_ONE) ? 'expanded' : 'compact',
        wrap: true,
        ...(value ? { value } : {}),
      };
      break;
    }
    default: {
      input = {
        type: 'Input.Text',
        ...base,
        isMultiline: true,
        ...(f.hint ? { placeholder: f.hint } : {}),
        ...(f.value ? { value: f.value } : {}),
      };
    }
  }
  // The previous period's answer (or that the value shown is still it), above the input, like the hint.
  const previous = f.previous ? [para(f.previous, { isSubtle: true, italic: true }, { spacing: 'Small' })] : [];
  const out: CardElement[] = [heading, ...hint, ...previous, input];
  if (f.error) out.push(para(`⚠ ${f.error}`, { color: 'Attention', weight: 'Bolder' }, { spacing: 'Small' }));
  // An unusual figure held back: the question, and a toggle that confirms exactly this figure.
  if (f.warning) out.push(para(`⚠ ${f.warning}`, { color: 'Warning', weight: 'Bolder' }, { spacing: 'Small' }));
  if (f.confirm) out.push({ type: 'Input.Toggle', id: confirmId(f.key), title: f.confirm.label, valueOn: f.confirm.value, valueOff: 'false', value: 'false', wrap: true, spacing: 'Small' });
  return out;
}

/** A multi-select shows its options as ticks up to this many (the regime's longest list has nine). */
const MAX_EXPANDED_MULTI = 10;
const MAX_EXPANDED_ONE = 5;

/** The data every submit of this section carries; input values are merged into it by the client. */
const sectionData = (form: FormView) => ({ dondoc: 'section' as const, unitCode: form.unitCode, periodId: form.periodId, sectionId: form.sectionId });

/** The fields a part's submit names: those with an input. */
const partFieldKeys = (fields: FieldView[]): string[] => fields.filter((f) => f.type !== 'note' && !f.notApplicable).map((f) => f.key);

/**
 * The section's submit. A part of a split section names its fields (`FormSubmission.fields`: an
 * input left empty is not sent, so this tells it from a field on another card) and says which
 * part it saves, the last one saying what the whole section's submit says.
 */
function submitAction(form: FormView, part?: { i: number; n: number; fields: FieldView[] }): CardElement {
  const data = { ...sectionData(form), ...(part ? { fields: partFieldKeys(part.fields) } : {}) };
  const title = part && part.i < part.n ? vi.teams.savePart(part.i, part.n) : form.submitLabel;
  return {
    type: 'Action.Execute',
    title,
    verb: SECTION_VERB,
    data,
    associatedInputs: 'auto',
    style: 'positive',
    fallback: { type: 'Action.Submit', title, data, associatedInputs: 'auto', style: 'positive' },
  };
}

/**
 * The commands a chat would type, as buttons (they send no answers), closing the card's body above
 * its submit (the card's own action, at the very bottom).
 */
function navElements(form: FormView): CardElement[] {
  return buttonRows((form.actions ?? []).map(choiceAction), { separator: true, spacing: 'Large' });
}

/** The duty's text up to this many characters (two or three lines on a phone), the rest behind a toggle. */
const DUTY_PREVIEW_CHARS = 130;

/** The start of `text` (whole words) within `max` characters, with "…"; undefined when it all fits with a little room. */
function preview(text: string, max: number): string | undefined {
  // Only as many characters as the decision needs: a duty may be pages long, and every form card shows one.
  const chars: string[] = [];
  for (const ch of text) if (chars.push(ch) > max + 30) break;
  if (chars.length <= max + 30) return undefined;
  const cut = chars.slice(0, max).join('');
  const at = cut.lastIndexOf(' ');
  return `${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** The duty: its start and a "Xem nội dung nhiệm vụ" link showing the whole text (a short duty is shown whole). */
function dutyElements(text: string): CardElement[] {
  const t = text.trim();
  if (!t) return [];
  const short = preview(t, DUTY_PREVIEW_CHARS);
  const lead = run(vi.teams.dutyLead, { weight: 'Bolder' });
  if (!short) return [{ type: 'RichTextBlock', inlines: [lead, run(t)], spacing: 'Medium' }];
  const ids = ['duty-short', 'duty-full'];
  // The toggle is a link at the end of the text: it swaps the start for the whole, and back.
  const toggle = (title: string) => run(title, { color: 'Accent', selectAction: { type: 'Action.ToggleVisibility', title, targetElements: ids } });
  return [
    { type: 'RichTextBlock', id: ids[0], inlines: [lead, run(`${short} `), toggle(vi.teams.dutyShow)], spacing: 'Medium' },
    { type: 'RichTextBlock', id: ids[1], isVisible: false, inlines: [lead, run(`${t} `), toggle(vi.teams.dutyHide)], spacing: 'Medium' },
  ];
}

/** The section's progress line, naming the part on a split section's card. */
const progressElement = (form: FormView, part?: { i: number; n: number }): CardElement => para(part ? `${form.progress}${partSuffix(part)}` : form.progress, { isSubtle: true }, { spacing: 'Small' });
const partSuffix = (part: { i: number; n: number }) => ` · ${vi.teams.part(part.i, part.n)}`;
/** The note closing the header of a split section's first card. */
const partNoteElement = (): CardElement => para(vi.teams.partNote, { isSubtle: true });

/**
 * The duty's elements by its text, made once per duty (the regime has a few dozen; every card of a
 * section shows its duty) and frozen, since every card showing that duty shares them.
 */
const dutiesMade = new Map<string, readonly CardElement[]>();
const MAX_DUTIES_KEPT = 256;
function dutyElementsOf(text: string): readonly CardElement[] {
  let els = dutiesMade.get(text);
  if (!els) {
    if (dutiesMade.size >= MAX_DUTIES_KEPT) dutiesMade.clear();
    dutiesMade.set(text, (els = shared(dutyElements(text))));
  }
  return els;
}

/**
 * The JSON of elements made once and shared (frozen): a duty's, a field's (fieldElementsOf). A
 * card's JSON is put together from them (cardJson) rather than serialising them again on every card.
 */
const elementJson = new WeakMap<object, string>();

/** `els` frozen, each with its JSON kept (elementJson). */
function shared(els: CardElement[]): readonly CardElement[] {
  for (const e of els) elementJson.set(deepFreeze(e), JSON.stringify(e));
  return Object.freeze(els);
}

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

/**
 * Small elements a section's every card shows (its title, progress line, buttons, submit), by a key
 * naming what they show, made once and shared like a duty's (frozen, their JSON kept). Bounded.
 */
const keptMade = new Map<string, readonly CardElement[]>();
const MAX_KEPT = 1024;
function kept(key: string, make: () => CardElement[]): readonly CardElement[] {
  let els = keptMade.get(key);
  if (!els) {
    if (keptMade.size >= MAX_KEPT) keptMade.clear();
    keptMade.set(key, (els = shared(make())));
  }
  return els;
}

/** The header's elements (lead, title, progress, duty, the note on parts), appended to `out`. */
function formHeader(form: FormView, intro: string, part: { i: number; n: number } | undefined, out: CardElement[]): CardElement[] {
  const first = !part || part.i === 1;
  const lead = intro.trim() ? textElements(intro) : [];
  for (const e of lead) out.push(e);
  const separated = lead.length > 0;
  out.push(kept(`t${separated ? 1 : 0}\u0000${form.title}`, () => [para(form.title, { weight: 'Bolder', size: 'Large' }, separated ? { separator: true, spacing: 'Medium' } : {})])[0]);
  out.push(part ? progressElement(form, part) : kept(`p\u0000${form.progress}`, () => [progressElement(form)])[0]);
  if (form.description && first) for (const e of dutyElementsOf(form.description)) out.push(e);
  if (part && part.i === 1) out.push(partNoteElement());
  return out;
}

/** The buttons under the fields, kept by the commands they send. */
function navOf(form: FormView): readonly CardElement[] {
  const actions = form.actions ?? [];
  let key = 'n';
  for (const a of actions) key += `\u0000${a.value}\u0001${a.label}`;
  return kept(key, () => navElements(form));
}

/** A card's body: the header, the fields' elements, the buttons. */
function formBody(
  form: FormView,
  intro: string,
  part: { i: number; n: number } | undefined,
  fields: FieldView[],
  elementsOf: (f: FieldView, first: boolean) => readonly CardElement[],
  nav: readonly CardElement[],
): CardElement[] {
  const body = formHeader(form, intro, part, []);
  for (let j = 0; j < fields.length; j++) for (const e of elementsOf(fields[j], j === 0)) body.push(e);
  for (const e of nav) body.push(e);
  return body;
}

/**
 * A field's elements by what they show, made once and shared (frozen, their JSON kept) while the
 * same question shows the same value and state: from one turn to the next a section's card
 * changes in a field or two (the answer just given), and the same question with the same answer
 * recurs across units. Keyed by the field's key, its place (first or not) and the value shown;
 * the entry is used only when every other thing the elements show is the same. Bounded (emptied
 * when full), like the duties'.
 */
interface FieldMade {
  f: FieldView;
  els: readonly CardElement[];
}
const fieldsMade = new Map<string, FieldMade>();
const MAX_FIELDS_KEPT = 1024;

/** The same things shown (fieldElements reads only these), choices by value and label. */
function sameField(a: FieldView, b: FieldView): boolean {
  if (
    a.key !== b.key ||
    a.number !== b.number ||
    a.label !== b.label ||
    a.type !== b.type ||
    a.hint !== b.hint ||
    a.unitLabel !== b.unitLabel ||
    a.required !== b.required ||
    a.value !== b.value ||
    a.error !== b.error ||
    a.notApplicable !== b.notApplicable ||
    a.previous !== b.previous ||
    a.warning !== b.warning ||
    a.confirm?.label !== b.confirm?.label ||
    a.confirm?.value !== b.confirm?.value ||
    (a.confirm === undefined) !== (b.confirm === undefined) ||
    (a.relevant === undefined) !== (b.relevant === undefined)
  )
    return false;
  const ca = a.choices;
  const cb = b.choices;
  if (ca === cb) return true;
  if (!ca || !cb || ca.length !== cb.length) return false;
  for (let i = 0; i < ca.length; i++) if (ca[i].value !== cb[i].value || ca[i].label !== cb[i].label) return false;
  return true;
}

function fieldElementsOf(f: FieldView, first: boolean): readonly CardElement[] {
  const id = `${first ? '1' : '0'}${f.key}\u0000${f.value ?? ''}`;
  const kept = fieldsMade.get(id);
  if (kept && sameField(kept.f, f)) return kept.els;
  const els = shared(fieldElements(f, first));
  if (!kept && fieldsMade.size >= MAX_FIELDS_KEPT) fieldsMade.clear();
  // A copy of what the elements show (the view's own objects are the caller's).
  fieldsMade.set(id, { f: { ...f, ...(f.choices ? { choices: f.choices.map((c) => ({ ...c })) } : {}), ...(f.confirm ? { confirm: { ...f.confirm } } : {}) }, els });
  return els;
}

/**
 * JSON.stringify(c) for a card as `card` makes it, the elements made once (elementJson) put in as
 * their kept JSON; any other card is serialised as it is.
 */
function cardJson(c: AdaptiveCard): string {
  const keys = Object.keys(c);
  const plain =
    keys.length === (c.actions ? 5 : 4) && keys[0] === 'type' && keys[1] === 'version' && keys[2] === 'body' && keys[keys.length - 1] === 'msteams' && (!c.actions || keys[3] === 'actions');
  if (!plain || !Array.isArray(c.body)) return JSON.stringify(c);
  let body = '';
  for (let i = 0; i < c.body.length; i++) {
    const e = c.body[i];
    body += (i ? ',' : '') + (elementJson.get(e) ?? JSON.stringify(e) ?? 'null');
  }
  let actions = '';
  if (c.actions) {
    if (!Array.isArray(c.actions)) return JSON.stringify(c);
    for (let i = 0; i < c.actions.length; i++) actions += (i ? ',' : '') + (elementJson.get(c.actions[i]) ?? JSON.stringify(c.actions[i]) ?? 'null');
    actions = `,"actions":[${actions}]`;
  }
  return `{"type":${JSON.stringify(c.type)},"version":${JSON.stringify(c.version)},"body":[${body}]${actions},"msteams":${JSON.stringify(c.msteams)}}`;
}

/**
 * The JSON of cards serialised while they were built (formCards measures a section card against
 * the budget with it): the connector client sends that text as it is (channel.ts wireJson) rather
 * than serialising the card a second time. Rendering is pure and nothing changes a card once built.
 */
const builtJson = new WeakMap<object, string>();

/** The JSON text of a card made when it was built, when it was kept (see builtJson). */
export const cardJsonOf = (c: unknown): string | undefined => (c !== null && typeof c === 'object' ? builtJson.get(c) : undefined);

/**
 * One card per part of the section; usually a single card. `intro` (acknowledgement, report
 * title, error summary) leads the first card. A section split over several cards starts at the
 * part holding the field to answer first (`focus`): the parts before it were just saved.
 */
export function formCards(form: FormView, intro = ''): AdaptiveCard[] {
  // A field's elements (pure), made once for the trial cards below and the cards built.
  const made = [new Map<FieldView, readonly CardElement[]>(), new Map<FieldView, readonly CardElement[]>()];
  const elementsOf = (f: FieldView, first: boolean): readonly CardElement[] => {
    const m = made[first ? 0 : 1];
    let els = m.get(f);
    if (!els) m.set(f, (els = fieldElementsOf(f, first)));
    return els;
  };
  const nav = navOf(form);
  const build = (parts: FieldView[][], from = 0): AdaptiveCard[] =>
    parts.slice(from).map((fs, k) => {
      const i = from + k;
      const part = parts.length > 1 ? { i: i + 1, n: parts.length } : undefined;
      const submit = part
        ? submitAction(form, { ...part, fields: fs })
        : kept(`s\u0000${form.unitCode}\u0000${form.periodId}\u0000${form.sectionId}\u0000${form.submitLabel}`, () => [submitAction(form)])[0];
      return card(formBody(form, k === 0 ? intro : '', part, fs, elementsOf, nav), [submit]);
    });

  // Greedy packing: a field joins the current card while that card stays under budget. The header
  // of a split card ("Phần i/n") and its list of fields are longer than the unsplit one's; the
  // slack covers them.
  const slack = 512;
  const trialBytes = (fs: FieldView[]) => bytesOf(card(formBody(form, intro, { i: 1, n: 2 }, fs, elementsOf, nav), [submitAction(form, { i: 1, n: 2, fields: fs })]));
  // A trial card only grows with each field, so when the one holding every field is under budget
  // no field starts a new part. That trial card is the whole section's card but for the few
  // elements that name a part (its progress line, the note on parts, the submit naming its
  // fields): its size is the whole card's plus theirs, so the whole card is serialised once, and
  // that JSON is what is sent.
  const [whole] = build([form.fields]);
  const json = cardJson(whole);
  // Counted only when it could matter: a UTF-16 unit of the text is at most 3 bytes of UTF-8.
  const fits = json.length * 3 + partBytesAtMost(form.fields) + slack <= MAX_CARD_BYTES || Buffer.byteLength(json, 'utf8') + partBytes(form, form.fields) + slack <= MAX_CARD_BYTES;
  if (form.fields.length <= 1 || fits) {
    builtJson.set(whole, json);
    return [whole];
  }
  const parts: FieldView[][] = [[]];
  for (const f of form.fields) {
    const cur = parts[parts.length - 1];
    if (cur.length > 0 && trialBytes([...cur, f]) + slack > MAX_CARD_BYTES) parts.push([f]);
    else cur.push(f);
  }
  const at = form.focus ? parts.findIndex((fs) => fs.some((f) => f.key === form.focus)) : 0;
  return build(parts, Math.max(0, at));
}

/** The bytes of a string in JSON (quoted, escaped). */
const jsonBytes = (s: string): number => Buffer.byteLength(JSON.stringify(s), 'utf8');
/** What partBytes adds whatever the section (its text is the catalogue's). */
let firstOfTwoBytes: number | undefined;

/**
 * What the first of two parts of a section holding `fields` takes beyond the whole section's card
 * (JSON bytes; test/unit/teams-card-wire-bytes.test.ts pins the edge to the byte): its progress
 * line names the part (JSON escapes each character on its own, so the bytes of a text made of two
 * are the sum, less the second's quotes); the note on parts is one more element of the body, with
 * its comma; the submit (formHeader, submitAction), in the action and in its fallback, is titled
 * with the part instead of the section's label and its data lists the fields.
 */
function partBytes(form: FormView, fields: FieldView[]): number {
  return firstOfTwo() + 2 * (',"fields":'.length + bytesOf(partFieldKeys(fields)) - jsonBytes(form.submitLabel));
}
const firstOfTwo = (): number => (firstOfTwoBytes ??= jsonBytes(partSuffix({ i: 1, n: 2 })) - 2 + bytesOf(partNoteElement()) + 1 + 2 * jsonBytes(vi.teams.savePart(1, 2)));

/** At least partBytes, worked out without serialising: every field's key listed, each UTF-16 unit of it 6 bytes at most in JSON (\u0001), and its quotes and comma. */
function partBytesAtMost(fields: FieldView[]): number {
  let keys = 2;
  for (const f of fields) keys += 6 * f.key.length + 3;
  return firstOfTwo() + 2 * (',"fields":'.length + keys);
}

// --- tables ------------------------------------------------------------------------------------

const isNumeric = (s: string) => /^[-+]?[\d.,\s]+%?(\s\S+)?$/.test(s.trim()) && /\d/.test(s);

/** Adaptive Cards' text colours for the tones of the message model. */
const TONE_COLOR = { good: 'Good', warning: 'Warning', attention: 'Attention', accent: 'Accent' } as const;

/** Teams' body text size (px); the widths below are estimates for Segoe UI / Roboto at that size. */
const BODY_PX = 14;
/** The widest a fitted ('auto') column may get, so the stretched ones keep room at 360 px. */
const MAX_AUTO_PX = 150;

/** About how wide a line of text is, in em of the body font (Segoe UI and Roboto, by character class). */
function textEm(s: string, bold: boolean): number {
  let em = 0;
  for (const ch of s.normalize('NFD').replace(/\p{M}/gu, '')) {
    if (/\d/.test(ch)) em += 0.56;
    else if (/[ilIjft.,:;'!|\s]/.test(ch)) em += 0.3;
    else if (/[/()\-–]/.test(ch)) em += 0.4;
    else if (/[mwMW—]/.test(ch)) em += 0.9;
    else if (/[A-ZĐ]/.test(ch)) em += 0.66;
    else em += 0.54;
  }
  return em * (bold ? 1.07 : 1);
}

/**
 * A fitted ('auto') column's width in pixels: its widest cell (the header in bold), with room to
 * spare. Each row of the grid is its own ColumnSet, so a column of `width: "auto"` would take a
 * different width in every row (a "—" row narrower than a date row) and the rows would not line
 * up; one pixel width for the whole column keeps them aligned. A client with wider glyphs wraps
 * the cell (card text wraps), it does not cut it.
 */
function fittedWidth(t: TableView, i: number): string {
  const em = Math.max(...cellLines(t.columns[i]).map((l) => textEm(l, true)), ...t.rows.flatMap((r) => cellLines(r[i]).map((l) => textEm(l, false))));
  return `${Math.min(MAX_AUTO_PX, Math.ceil(em * BODY_PX * 1.1) + 4)}px`;
}

/** A cell's lines: its text, then its details (TableView.rows). */
const cellLines = (cell: string | undefined): string[] => (cell ?? '').split('\n');

/** A column this short (every line of its header and cells, in characters) is fitted even when the table gives no widths: a number, a code, a short date. */
const SHORT_COLUMN_CHARS = 8;

/**
 * The widths of the grid's columns: the model's 'auto' (fitted) and 'stretch'; without them, short
 * columns fitted and the others weighted by the text they hold.
 */
function columnWidths(t: TableView): Array<number | string> {
  if (t.widths) return t.columns.map((_, i) => (t.widths![i] === 'auto' ? fittedWidth(t, i) : 'stretch'));
  return t.columns.map((c, i) => {
    const lines = [c, ...t.rows.map((r) => r[i] ?? '')].flatMap(cellLines);
    if (lines.every((l) => Array.from(l).length <= SHORT_COLUMN_CHARS)) return fittedWidth(t, i);
    const lens = [c, ...t.rows.map((r) => r[i] ?? '')].map((x) => Array.from(x).length);
    return Math.max(3, Math.min(40, Math.round(lens.reduce((a, b) => a + b, 0) / lens.length)));
  });
}

const titleElement = (title: string): CardElement => para(title.replace(/\s*:\s*$/, ''), { weight: 'Bolder', size: 'Medium' });
const summaryElement = (summary: string): CardElement => para(summary, { weight: 'Bolder' }, { spacing: 'Small' });
const groupElement = (title: string): CardElement => para(title, { weight: 'Bolder' }, { separator: true, spacing: 'Medium' });
/** The page line ("Trang 1/5 …") and its button for the next page. */
const pageElements = (page: NonNullable<TableView['page']>): CardElement[] => [
  para(page.label, { isSubtle: true }, { spacing: 'Medium' }),
  ...(page.next ? [{ type: 'ActionSet', actions: [choiceAction(page.next)], spacing: 'Small' }] : []),
];

/** What a part of a table shows besides its rows (a long table is cut over several cards). */
interface TablePart {
  title?: string;
  /** The counts line above the grid (false: shown elsewhere, or on an earlier card). */
  summary: boolean;
  /** The page line and button below the grid (false: shown elsewhere, or on a later card). */
  page: boolean;
  /** Index in the whole table of this part's first row (for the group headings). */
  offset: number;
}

function tableElements(t: TableView, part: TablePart): CardElement[] {
  const head = [...(part.title ? [titleElement(part.title)] : []), ...(part.summary && t.summary ? [summaryElement(t.summary)] : [])];
  const foot = part.page && t.page ? pageElements(t.page) : [];
  const plain = !t.widths && !t.tones && !t.groups?.length;
  if (t.columns.length === 2 && plain) return [...head, { type: 'FactSet', facts: t.rows.map((r) => ({ title: r[0] ?? '', value: r[1] ?? '' })) }, ...foot];
  const widths = columnWidths(t);
  // Numbers align right.
  const right = t.columns.map((_, i) => t.rows.length > 0 && t.rows.every((r) => !r[i] || isNumeric(r[i])));
  // A cell's first line in the row's style (bold in the header, the tone's colour in its column), its details below, subtle.
  const cell = (text: string, i: number, header: boolean, tone?: keyof typeof TONE_COLOR): CardElement[] => {
    const block = right[i] && !header ? { horizontalAlignment: 'Right' } : {};
    const [first, ...details] = cellLines(text);
    const style = header ? { weight: 'Bolder' } : tone && i === t.toneColumn ? { color: TONE_COLOR[tone] } : {};
    return [para(first, style, block), ...details.map((d) => para(d, { isSubtle: true }, { spacing: 'None', ...block }))];
  };
  const row = (cells: string[], header: boolean, tone?: keyof typeof TONE_COLOR): CardElement => ({
    type: 'ColumnSet',
    ...(header ? {} : { separator: true, spacing: 'Small' }),
    columns: t.columns.map((_, i) => ({ type: 'Column', width: widths[i], items: cell(cells[i] ?? '', i, header, tone) })),
  });
  const body: CardElement[] = [];
  t.rows.forEach((r, j) => {
    for (const g of t.groups ?? []) if (g.before === part.offset + j) body.push(groupElement(g.title));
    body.push(row(r, false, t.tones?.[j]));
  });
  return [...head, row(t.columns, true), ...body, ...foot];
}

/**
 * The text around a table (intro or outro) as card elements. A line that is the table's title,
 * counts line or page line is shown once, in its place and in its style (the text is the plain
 * rendering: it carries them too); `shown` records which were.
 */
function aroundElements(text: string, t: TableView, shown: { title?: boolean; summary?: boolean; page?: boolean }): CardElement[] {
  const out: CardElement[] = [];
  let plain: string[] = [];
  const flush = () => {
    if (plain.join('').trim()) out.push(...textElements(plain.join('\n')));
    plain = [];
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const l = line.trim();
    if (l && t.title && l === t.title.trim() && !shown.title) {
      flush();
      out.push(titleElement(t.title));
      shown.title = true;
    } else if (l && t.summary && l === t.summary.trim() && !shown.summary) {
      flush();
      out.push(summaryElement(t.summary));
      shown.summary = true;
    } else if (l && t.page && l === t.page.label.trim() && !shown.page) {
      flush();
      out.push(...pageElements(t.page));
      shown.page = true;
    } else plain.push(line);
  }
  flush();
  return out;
}

export function tableCards(t: TableView, extra: ChoiceView[] = [], around: { intro?: string; outro?: string } = {}): AdaptiveCard[] {
  const shown: { title?: boolean; summary?: boolean; page?: boolean } = {};
  const intro = around.intro?.trim() ? aroundElements(around.intro, t, shown) : [];
  const outro = around.outro?.trim() ? aroundElements(around.outro, t, shown) : [];
  // The page's button is under the table; the same choice among the message's is not repeated.
  const choices = extra.filter((c) => !t.page?.next || c.value !== t.page.next.value);
  const ownTitle = shown.title ? undefined : t.title;
  const part = (rows: number, offset: number, i: number, n: number): TablePart => ({
    title: n > 1 ? vi.teams.tableContinued(ownTitle ?? (i > 0 ? t.title : undefined), i + 1, n) : ownTitle,
    summary: i === 0 && !shown.summary,
    page: i === n - 1 && !shown.page,
    offset,
  });
  const chunks: string[][][] = [[]];
  for (const r of t.rows) {
    const cur = chunks[chunks.length - 1];
    const trial = card([...intro, ...tableElements({ ...t, rows: [...cur, r] }, { title: t.title, summary: true, page: true, offset: 0 }), ...outro, ...choiceSets(choices)]);
    if (cur.length > 0 && bytesOf(trial) + 256 > MAX_CARD_BYTES) chunks.push([r]);
    else cur.push(r);
  }
  let offset = 0;
  return chunks.map((rows, i) => {
    const last = i === chunks.length - 1;
    const tones = t.tones?.slice(offset, offset + rows.length);
    const els = tableElements({ ...t, rows, ...(tones ? { tones } : {}) }, part(rows.length, offset, i, chunks.length));
    offset += rows.length;
    return card([...(i === 0 ? intro : []), ...els, ...(last ? [...outro, ...choiceSets(choices)] : [])]);
  });
}

/** A cell that stands for nothing ("—", empty): a text need not show it. */
const placeholder = (c: string) => !c || /^[—–-]$/.test(c);

/**
 * The core's text for a table message is its full plain rendering: lead lines, the table as
 * lines, closing lines. The card shows the table as a grid, so the text keeps what surrounds it:
 * the paragraph(s) holding the rows (the rows in order, a line each, holding every line of the
 * row's cells, in any order and case; a "—" need not appear) are left out. Null when the rows cannot all be found in the text (then
 * nothing is left out).
 */
export function textAroundTable(text: string, t: TableView): { intro: string; outro: string } | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const lower = lines.map((l) => l.toLocaleLowerCase('vi'));
  const found: number[] = [];
  let from = 0;
  for (const r of t.rows) {
    const cells = r
      .flatMap(cellLines)
      .map((c) => c.trim().toLocaleLowerCase('vi'))
      .filter((c) => !placeholder(c));
    let at = -1;
    for (let i = from; i < lines.length && at < 0; i++) if (cells.every((c) => lower[i].includes(c))) at = i;
    if (at < 0) return null;
    found.push(at);
    from = at + 1;
  }
  if (!found.length) return null;
  // Widen to the paragraphs holding the rows (headings between rows go with them).
  let start = found[0];
  while (start > 0 && lines[start - 1].trim()) start--;
  let end = found[found.length - 1];
  while (end < lines.length - 1 && lines[end + 1].trim()) end++;
  return {
    intro: lines.slice(0, start).join('\n').trim(),
    outro: lines
      .slice(end + 1)
      .join('\n')
      .trim(),
  };
}

// --- messages → activities ---------------------------------------------------------------------

const attach = (c: AdaptiveCard): Attachment => CardFactory.adaptiveCard(c);
const cardActivity = (c: AdaptiveCard, summary?: string): Partial<Activity> => ({
  type: 'message',
  attachments: [attach(c)],
  ...(summary ? { summary } : {}),
});

/** A text reply as cards (used where only a card can answer, e.g. an Action.Execute invoke). */
export function textCards(text: string, choices: ChoiceView[] = []): AdaptiveCard[] {
  const pieces = splitText(text, MAX_CARD_BYTES - 2048);
  return pieces.map((p, i) => card([...textElements(p), ...(i === pieces.length - 1 ? choiceSets(choices) : [])]));
}

function fileCard(file: NonNullable<OutMessage['file']>): AdaptiveCard | null {
  if (!/^https?:\/\//.test(file.url)) return null;
  return card([para(file.name, { weight: 'Bolder' })], [{ type: 'Action.OpenUrl', title: vi.teams.downloadFile(file.name), url: file.url }]);
}

/** The cards a message needs, when it needs cards (a form or a table); otherwise null. */
export function messageCards(msg: OutMessage): AdaptiveCard[] | null {
  // A form card replaces the one question the text asks (the core says what leads it: `lead`),
  // so the text's quick replies go with it.
  if (msg.form) return formCards(msg.form, msg.lead ?? msg.text);
  if (msg.table) {
    const around = textAroundTable(msg.text, msg.table);
    // Rows not found in the text: keep the whole text above the grid rather than lose any of it.
    return tableCards(msg.table, msg.choices ?? [], around ?? { intro: msg.text });
  }
  return null;
}

/** Short preview text for notifications (the first line of the plain rendering). */
function summaryOf(msg: OutMessage): string | undefined {
  // Line by line up to the first that is not blank (a form's text is the whole section's prompt: not split whole).
  const t = msg.text;
  for (let i = 0; i <= t.length;) {
    let j = t.indexOf('\n', i);
    if (j < 0) j = t.length;
    const line = t.slice(i, j);
    if (line.trim()) return line.slice(0, 120);
    i = j + 1;
  }
  return undefined;
}

/**
 * OutMessage → activities. A form or a table becomes cards carrying what the text says around
 * them (the text's first line is the notification summary); text becomes a Markdown-safe message
 * with its choices as suggested actions (≤ 3) or card buttons.
 */
export function renderMessage(msg: OutMessage): Array<Partial<Activity>> {
  const cards = messageCards(msg);
  if (cards) return cards.map((c) => cardActivity(c, summaryOf(msg)));

  const out: Array<Partial<Activity>> = [];
  const choices = msg.choices ?? [];
  const pieces = splitText(msg.text);
  pieces.forEach((p, i) => {
    const last = i === pieces.length - 1;
    const a: Partial<Activity> = { type: 'message', text: toTeamsMarkdown(p), textFormat: 'markdown' };
    if (last && choices.length > 0 && choices.length <= MAX_SUGGESTED_ACTIONS) a.suggestedActions = suggestedActions(choices) as Activity['suggestedActions'];
    out.push(a);
  });
  if (choices.length > MAX_SUGGESTED_ACTIONS) out.push(cardActivity(card(choiceSets(choices)), summaryOf(msg)));
  if (msg.file) {
    const f = fileCard(msg.file);
    if (f) out.push(cardActivity(f));
  }
  return out;
}

/** OutMessage → cards only (for an invoke response, which must be a card to replace the clicked one). */
export function renderAsCards(msg: OutMessage): AdaptiveCard[] {
  const cards = messageCards(msg) ?? textCards(msg.text, msg.choices ?? []);
  if (msg.file && !msg.form && !msg.table) {
    const f = fileCard(msg.file);
    if (f) cards.push(f);
  }
  return cards;
}

export const activityOfCard = cardActivity;

/**
 * The SDK's Activity objects of rendered activities. Not through Activity.fromObject: the SDK's
 * sendActivities runs each through it anyway, and there (marked) without its schema when that
 * changes nothing (sdk-activity.ts).
 */
export const toActivities = (xs: Array<Partial<Activity>>): Activity[] =>
  xs.map((x) => {
    const a = Object.assign(new Activity(x.type ?? 'message'), x);
    markForFastActivity(a);
    return a;
  });

// --- card submissions → FormSubmission ------------------------------------------------------------

const SectionData = z.object({
  dondoc: z.literal('section'),
  unitCode: z.string().min(1).max(100),
  periodId: z.string().min(1).max(100),
  sectionId: z.string().min(1).max(200),
  fields: z.array(z.string().max(200)).max(200).optional(),
});

const INPUT_ID = /^([ndtc]):(.+)$/;

/**
 * The data of a section submit — Action.Execute's `action.data` or Action.Submit's message
 * `value`, both the card's `data` with every input's value merged in under the input's id —
 * back to the FormSubmission shape. Null when the data is not a section submit.
 */
export function parseSectionSubmission(data: unknown): FormSubmission | null {
  const head = SectionData.safeParse(data);
  if (!head.success) return null;
  const answers: Record<string, string> = {};
  const confirmed: Record<string, string> = {};
  for (const [id, raw] of Object.entries(data as Record<string, unknown>)) {
    const m = INPUT_ID.exec(id);
    if (!m) continue;
    if (raw !== null && typeof raw === 'object') continue;
    const [, kind, key] = m;
    if (kind === CONFIRM_KIND) {
      if (raw !== null && raw !== undefined && String(raw) !== '' && String(raw) !== 'false') confirmed[key] = String(raw);
      continue;
    }
    answers[key] = kind === INPUT_KIND.number ? numberAnswer(raw) : kind === INPUT_KIND.date ? dateAnswer(raw) : String(raw ?? '');
  }
  return { ...head.data, answers, ...(Object.keys(confirmed).length ? { confirmed } : {}) };
}
