/**
 * `thông báo`: a coordinator broadcasts a message to all reporting units, to units of a kind, or
 * to the units that have (not) submitted a period — audience → text → preview with the recipient
 * count → confirm → enqueued through the outbox under a batch id. `thông báo kết quả [MÃ]` shows
 * a batch's delivery report (sent / failed / undeliverable, by unit); the outbox worker also sends
 * it to the author when the batch has finished.
 *
 * Shortcuts: `thông báo tất cả`, `thông báo chưa nộp 2027-H1`, `thông báo đã nộp 2027-H1` go
 * straight to the text.
 */
import { z } from 'zod';
import { defineFlow, type ChatCommand, type ChatFlow, type CommandContext, type FlowResult } from '../core/commands.js';
import type { OutMessage } from '../core/message.js';
import { fold } from '../lib/text.js';
import { periodsOfYear, type ReportingPeriod } from '../regime/periods.js';
import { reportingUnits } from '../regime/regime.js';
import { AudienceSchema, UNIT_KINDS, deliveryReport, previewAudience, recentBroadcasts, sendBroadcast, type Audience } from '../services/broadcasts.js';
import { kickOutbox } from '../services/kick.js';
import { vi } from '../i18n/vi.js';

/** The longest broadcast text accepted (one Zalo bubble with its heading). */
export const TEXT_MAX = 1500;
import { parseTargetArgs } from './target-args.js';

const FLOW = 'broadcast';

/** What the flow keeps between turns, checked on load; bump STATE_VERSION when it changes. */
const StateSchema = z
  .object({
    step: z.enum(['audience', 'kind', 'period', 'status', 'text', 'confirm']),
    audience: AudienceSchema.optional(),
    periodId: z.string().optional(),
    text: z.string().optional(),
  })
  .strict();
type State = z.infer<typeof StateSchema>;
const STATE_VERSION = 1;

const num = (choices: string[]) => choices.map((label, i) => ({ value: String(i + 1), label }));
const say = (text: string, choices?: OutMessage['choices']): OutMessage => (choices ? { text, choices } : { text });
const CANCEL = new Set(['huy', 'thoat', 'cancel']);

function kindRows(c: CommandContext): Array<{ kind: (typeof UNIT_KINDS)[number]; label: string; count: number }> {
  const units = reportingUnits(c.app.regime);
  return UNIT_KINDS.map((kind) => ({ kind, label: vi.broadcast.kindWords[kind], count: units.filter((u) => u.kind === kind).length })).filter((r) => r.count > 0);
}

/** Period ids worth offering as examples: those whose deadline is nearest to now. */
function periodExamples(c: CommandContext): string[] {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: c.app.regime.timezone, year: 'numeric' }).format(c.now));
  const t = c.now.getTime();
  return [year - 1, year]
    .flatMap((y) => periodsOfYear(c.app.regime, y))
    .sort((a, b) => Math.abs(a.deadline.toMillis() - t) - Math.abs(b.deadline.toMillis() - t))
    .slice(0, 3)
    .map((p) => p.id);
}

async function askText(c: CommandContext, audience: Audience): Promise<FlowResult> {
  const p = await previewAudience(c.app, audience);
  if (!p.units.length) return { messages: [say(vi.broadcast.noUnits(p.label))], state: null };
  return { messages: [say(vi.broadcast.askText(p.label, p.units.length, p.recipients.length, TEXT_MAX))], state: { step: 'text', audience } };
}

async function preview(c: CommandContext, audience: Audience, text: string): Promise<FlowResult> {
  const p = await previewAudience(c.app, audience);
  if (!p.recipients.length) return { messages: [say(vi.broadcast.nobody(p.label))], state: null };
  const msg = vi.broadcast.preview({ label: p.label, units: p.units.length, people: p.recipients.length, unreachable: p.unreachableUnits.map((u) => u.shortName), text });
  return {
    messages: [
      say(msg, [
        { value: 'gửi', label: vi.broadcast.sendLabel },
        { value: 'nhập lại', label: vi.broadcast.editLabel },
        { value: 'hủy', label: vi.broadcast.cancelLabel },
      ]),
    ],
    state: { step: 'confirm', audience, text },
  };
}

/** A period and nothing else (dialogs/target-args.ts: 2027-H1, 06/2027, năm 2027…). */
function periodOnly(c: CommandContext, text: string): ReportingPeriod | undefined {
  const a = parseTargetArgs(c.app.regime, text);
  return a.unitText || a.rest.length ? undefined : a.period;
}

/** `tất cả` | `chưa nộp KỲ` | `đã nộp KỲ` → an audience. */
function parseShortcut(c: CommandContext, args: string): Audience | undefined {
  const a = fold(args);
  if (!a) return undefined;
  if (a === 'tat ca' || a === 'all') return { type: 'all' };
  const m = /^(chua nop|da nop)\s+(.+)$/.exec(a);
  if (m) {
    const p = periodOnly(c, m[2]);
    if (p) return { type: 'status', periodId: p.id, status: m[1] === 'chua nop' ? 'not_submitted' : 'submitted' };
  }
  return undefined;
}

async function start(c: CommandContext): Promise<OutMessage[]> {
  const shortcut = parseShortcut(c, c.args);
  if (shortcut) {
    const r = await askText(c, shortcut);
    if (r.state) await c.startFlow(FLOW, r.state);
    return r.messages;
  }
  await c.startFlow(FLOW, { step: 'audience' } satisfies State);
  return [say(vi.broadcast.chooseAudience(reportingUnits(c.app.regime).length), num(vi.broadcast.audienceChoices))];
}

async function onInput(c: CommandContext, st: State): Promise<FlowResult> {
  const input = c.args.trim();
  const f = fold(input);
  if (CANCEL.has(f)) return { messages: [say(vi.broadcast.cancelled)], state: null };

  switch (st.step) {
    case 'audience': {
      if (f === '1') return askText(c, { type: 'all' });
      if (f === '2') {
        const rows = kindRows(c);
        return { messages: [say(vi.broadcast.chooseKind(rows), num(rows.map((r) => r.label)))], state: { step: 'kind' } };
      }
      if (f === '3')
        return {
          messages: [
            say(
              vi.broadcast.choosePeriod(periodExamples(c)),
              periodExamples(c).map((id) => ({ value: id, label: id })),
            ),
          ],
          state: { step: 'period' },
        };
      return { messages: [say(vi.broadcast.notUnderstoodChoice)], state: st };
    }
    case 'kind': {
      const rows = kindRows(c);
      const i = Number(f) - 1;
      if (!Number.isInteger(i) || !rows[i]) return { messages: [say(vi.broadcast.notUnderstoodChoice)], state: st };
      return askText(c, { type: 'kind', kind: rows[i].kind });
    }
    case 'period': {
      const p = periodOnly(c, input);
      if (!p) return { messages: [say(vi.broadcast.badPeriod(input))], state: st };
      return { messages: [say(vi.broadcast.chooseStatus(p.name), num(vi.broadcast.statusChoices))], state: { step: 'status', periodId: p.id } };
    }
    case 'status': {
      const status = f === '1' || f === 'chua nop' ? 'not_submitted' : f === '2' || f === 'da nop' ? 'submitted' : undefined;
      if (!status || !st.periodId) return { messages: [say(vi.broadcast.notUnderstoodChoice)], state: st };
      return askText(c, { type: 'status', periodId: st.periodId, status });
    }
    case 'text': {
      const audience = AudienceSchema.parse(st.audience);
      if (!input) return askText(c, audience);
      if (input.length > TEXT_MAX) return { messages: [say(vi.broadcast.textTooLong(input.length, TEXT_MAX))], state: st };
      return preview(c, audience, input);
    }
    case 'confirm': {
      const audience = AudienceSchema.parse(st.audience);
      if (vi.broadcast.editWords.includes(f)) return askText(c, audience);
      if (!vi.broadcast.confirmWords.includes(f)) return preview(c, audience, st.text as string);
      const { broadcast, preview: p } = await sendBroadcast(c.app, { audience, text: st.text as string, by: c.actor.userKey, channel: c.actor.event.channel });
      kickOutbox(c.app);
      return { messages: [say(vi.broadcast.queued({ id: broadcast._id, people: p.recipients.length, units: p.units.length }))], state: null };
    }
  }
}

export const broadcastCommand: ChatCommand = {
  id: 'broadcast',
  names: ['thong bao', 'broadcast'],
  access: 'coordinator',
  help: vi.broadcast.help,
  run: start,
};

export const broadcastReportCommand: ChatCommand = {
  id: 'broadcast-report',
  names: ['thong bao ket qua', 'ket qua thong bao'],
  access: 'coordinator',
  help: vi.broadcast.helpReport,
  async run(c) {
    const id = c.args.trim();
    const b = id ? await c.app.store.broadcasts.get(id) : (await recentBroadcasts(c.app, 1))[0];
    if (!b) return [say(id ? vi.broadcast.unknownBatch(id) : vi.broadcast.noBroadcasts)];
    return [await deliveryReport(c.app, b)];
  },
};

/** The message itself is free text ("Báo cáo tháng 6 nộp trước…"); every other step takes a number, a period or a word. */
export const broadcastFlow: ChatFlow = defineFlow<State>({
  id: FLOW,
  access: 'coordinator',
  state: { version: STATE_VERSION, schema: StateSchema },
  onInput,
  takesFreeText: (_c, s) => s.step === 'text',
  // Nothing of a broadcast is stored before it is sent: its stale state starts over at the audience.
  restart: (c) => start({ ...c, args: '' }),
});

export const broadcastCommands: ChatCommand[] = [broadcastCommand, broadcastReportCommand];
export const broadcastFlows: ChatFlow[] = [broadcastFlow];
