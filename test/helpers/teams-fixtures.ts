/**
 * The Teams fixture payloads (test/fixtures/teams), loaded fresh for each use, with the
 * serviceUrl pointed at a fake connector and ids/text changed by the test (never in the files).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OutMessage } from '../../core/message.js';
import { FIXTURES_DIR } from './fixtures.js';

export const TEAMS_FIXTURES = resolve(FIXTURES_DIR, 'teams');

export type TeamsFixture = 'conversation-update-install' | 'message-personal' | 'message-card-submit' | 'invoke-adaptive-card-action';

/** A deep copy of a fixture, with `serviceUrl` set and the given fields overridden (shallowly). */
export function teamsFixture(name: TeamsFixture, serviceUrl: string, over: Record<string, unknown> = {}): Record<string, any> {
  const base = JSON.parse(readFileSync(resolve(TEAMS_FIXTURES, `${name}.json`), 'utf8')) as Record<string, any>;
  return { ...base, serviceUrl, ...over };
}

/** One simulated Teams user in a personal chat with the bot (ids in the documented shapes). */
export interface TeamsUser {
  userId: string;
  aadObjectId: string;
  name: string;
  conversationId: string;
  tenantId: string;
}

export function teamsUser(name = 'Nguyễn Văn An'): TeamsUser {
  const n = randomUUID();
  return {
    userId: `29:1${n}`,
    aadObjectId: randomUUID(),
    name,
    // A personal conversation id with characters a URL path may carry encoded or not (':' and ';').
    conversationId: `a:1${n.replace(/-/g, '')};messageid=1717171717000`,
    tenantId: '22222222-2222-2222-2222-222222222222',
  };
}

let seq = 0;
export const nextActivityId = () => `17${Date.now().toString().slice(-8)}${String(++seq).padStart(3, '0')}`;

/** The fixture with this user as sender and conversation. */
export function asUser(payload: Record<string, any>, u: TeamsUser, over: Record<string, unknown> = {}): Record<string, any> {
  return {
    ...payload,
    from: { ...payload.from, id: u.userId, aadObjectId: u.aadObjectId, ...(payload.from?.name !== undefined ? { name: u.name } : {}) },
    conversation: { ...payload.conversation, id: u.conversationId, tenantId: u.tenantId },
    ...(payload.membersAdded ? { membersAdded: payload.membersAdded.map((m: any) => (m.id.startsWith('29:') ? { ...m, id: u.userId, aadObjectId: u.aadObjectId } : m)) } : {}),
    ...over,
  };
}

/** POSTs an activity to the app's /api/messages. */
export async function postActivity(appUrl: string, activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep text */
  }
  return { status: res.status, body };
}

/** Plain text of a posted activity: its message text (Markdown escapes removed) or its card's text runs. */
export function activityText(a: any): string {
  const parts: string[] = [];
  if (typeof a?.text === 'string')
    parts.push(
      a.text
        .replace(/ {2}\n/g, '\n')
        .replace(/\\([\\`*_~[\]#>+\-.])/g, '$1')
        .replace(/&lt;/g, '<'),
    );
  for (const att of a?.attachments ?? []) parts.push(cardText(att.content));
  return parts.join('\n');
}

/** Every text a card shows (text runs, text blocks, fact sets, input labels, action titles). */
export function cardText(node: any): string {
  const out: string[] = [];
  // for…in rather than Object.entries (JSON objects: own keys only): the benchmark's simulated official reads replies with it, on the turn's path at 1 user.
  const walk = (n: any): void => {
    if (Array.isArray(n)) {
      for (let i = 0; i < n.length; i++) walk(n[i]);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const type = n.type;
    if ((type === 'TextRun' || type === 'TextBlock') && typeof n.text === 'string') out.push(n.text);
    if (typeof n.label === 'string') out.push(n.label);
    if (typeof type === 'string' && type.startsWith('Action.') && typeof n.title === 'string') out.push(n.title);
    if (type === 'FactSet') for (const f of n.facts ?? []) out.push(`${f.title}: ${f.value}`);
    for (const k in n) {
      if (k === 'fallback') continue;
      const v = n[k];
      if (typeof v === 'object') walk(v);
    }
  };
  walk(node);
  return out.join('\n');
}

/** All the inputs of a card, by id. */
export function cardInputs(card: any): Record<string, any> {
  const out: Record<string, any> = {};
  const walk = (n: any): void => {
    if (Array.isArray(n)) {
      for (let i = 0; i < n.length; i++) walk(n[i]);
      return;
    }
    if (!n || typeof n !== 'object') return;
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') out[n.id] = n;
    for (const k in n) {
      const v = n[k];
      if (typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return out;
}

/** The card of a posted activity (first attachment), if any. */
export const cardOf = (a: any): any => a?.attachments?.find((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;

/** One table a card shows as a grid (channels/teams/cards.ts: a ColumnSet per row, the header first). */
export interface CardGrid {
  /** The column names (a name's lines joined by "\n"). */
  header: string[];
  /** Each row's cells, a cell's lines joined by "\n". */
  rows: string[][];
  /** The colour of each row's cells (their first line), undefined when plain. */
  colors: Array<Array<string | undefined>>;
  /** The columns' widths as the card gives them ("stretch", "86px", a weight). */
  widths: unknown[];
  /** The headings shown across the grid, with the index of the row they come before. */
  headings: Array<{ before: number; text: string }>;
}

/** The grids of a card's body, in order: a header ColumnSet (no separator) starts one; rows and headings follow. */
export function cardGrids(card: any): CardGrid[] {
  const grids: CardGrid[] = [];
  const lines = (items: any[]) => items.map((b: any) => (b.inlines ?? []).map((r: any) => r.text).join('')).join('\n');
  for (const e of card?.body ?? []) {
    const g = grids[grids.length - 1];
    if (e.type === 'ColumnSet' && !e.separator) {
      grids.push({ header: e.columns.map((c: any) => lines(c.items)), rows: [], colors: [], widths: e.columns.map((c: any) => c.width), headings: [] });
    } else if (e.type === 'ColumnSet' && g) {
      g.rows.push(e.columns.map((c: any) => lines(c.items)));
      g.colors.push(e.columns.map((c: any) => c.items[0]?.inlines?.[0]?.color));
    } else if (g && e.type === 'RichTextBlock' && e.separator) {
      g.headings.push({ before: g.rows.length, text: lines([e]) });
    }
  }
  return grids;
}

/**
 * Replies of the kinds the bot sends in Teams, for tests of what the channel makes of them: a
 * section card (a title with characters JSON escapes), quick replies, a table, plain text, text
 * long enough to be split, a file link.
 */
export const SAMPLE_REPLIES: OutMessage[] = [
  {
    text: '✓ Đã lưu. Mục 1/2 · câu 2/3',
    form: {
      unitCode: 'BHXH',
      periodId: '2027-H1',
      sectionId: 'd1',
      title: 'Tuyên truyền "chính sách" <bảo hiểm>',
      progress: 'Mục 1/2',
      fields: [
        { key: 'd1/so_cuoc', label: 'Số cuộc', number: '1.1', type: 'number', required: true, value: 12 },
        { key: 'd1/ghi_chu', label: 'Ghi chú', number: '1.2', type: 'text', multiline: true },
      ],
      submitLabel: 'Lưu và tiếp tục',
    } as unknown as NonNullable<OutMessage['form']>,
  },
  {
    text: 'Chọn đơn vị:\n* một\n* hai',
    choices: [
      { value: 'a', label: 'Một' },
      { value: 'b', label: 'Hai' },
    ],
  },
  {
    text: 'Tình hình nộp báo cáo',
    table: {
      columns: ['Đơn vị', 'Trạng thái'],
      rows: [
        ['Ba Bể', 'Đã nộp'],
        ['Chợ Đồn', 'Chưa nộp'],
      ],
    } as unknown as NonNullable<OutMessage['table']>,
  },
  { text: 'Xin chào' },
  { text: 'Dòng dài. '.repeat(3000) },
  { text: 'Tải tệp', file: { url: 'https://x.example/f.xlsx', name: 'bao-cao.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
];

/** `setField`'s value that removes the field. */
export const DELETE = Symbol('delete');

/**
 * A copy of `o` (structuredClone) with the field at `path` (dot-separated; a number is an array
 * index) set to `v`, or removed when `v` is DELETE; missing or non-object parents are made on the way.
 */
export function setField(o: Record<string, unknown>, path: string, v: unknown): Record<string, unknown> {
  const copy = structuredClone(o);
  const keys = path.split('.');
  let cur = copy;
  for (const [i, k] of keys.slice(0, -1).entries()) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (v === DELETE) delete cur[last];
  else cur[last] = v;
  return copy;
}
