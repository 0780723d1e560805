/**
 * The signed report attached (issue 18): a focal point sends the signed and stamped copy as a
 * file or photo while a report is open. Which report: the one in progress in this chat (the report
 * flow's), else the one last opened here (`memory.lastReport`: a report just submitted is no
 * longer in progress but is the one its signed copy belongs to). The acknowledgement names it, so
 * a file sent to the wrong report shows at once. No report: the person is told how to open one.
 * Each file is fetched, checked and stored by services/attachments.ts before it is acknowledged.
 */
import type { AttachmentHandler, CommandContext } from '../../core/commands.js';
import type { InboundAttachment, OutMessage } from '../../core/message.js';
import { vi } from '../../i18n/vi.js';
import { attachmentLabel, attachmentsOf, fetchAttachment, sha256, sizeText, sniffType, storeAttachment } from '../../services/attachments.js';
import { loadReport } from './load.js';
import { REPORT_FLOW, TargetSchema, type Target } from './state.js';

function openReport(c: CommandContext): Target | null {
  if (c.flow?.id === REPORT_FLOW) {
    const t = TargetSchema.safeParse({ unitCode: c.flow.state.unitCode, periodId: c.flow.state.periodId });
    if (t.success) return t.data;
  }
  const remembered = TargetSchema.safeParse(c.memory.lastReport);
  return remembered.success ? remembered.data : null;
}

async function attachOne(c: CommandContext, t: Target, title: string, file: InboundAttachment): Promise<OutMessage> {
  const cfg = c.app.config;
  const audit = (reason: string, details: Record<string, unknown>) =>
    c.app.store.writeAudit({
      at: c.now.getTime(),
      actor: c.actor.userKey,
      channel: c.actor.event.channel,
      action: 'attachment.refused',
      subject: `${t.unitCode}/${t.periodId}`,
      details: { reason, name: file.name ?? null, ...details },
    });
  const got = await fetchAttachment(file, { maxBytes: cfg.attachmentMaxBytes, production: cfg.production });
  if (!got.ok) {
    c.app.log.warn({ user: c.actor.userKey, reason: got.reason, detail: got.detail }, 'attachment not fetched');
    await audit(got.reason, { detail: got.detail });
    if (got.reason === 'too_large') return { text: vi.attachment.tooLarge(sizeText(cfg.attachmentMaxBytes)) };
    return { text: vi.attachment.fetchFailed };
  }
  const type = sniffType(got.data);
  if (!type) {
    await audit('type', { size: got.data.length });
    return { text: vi.attachment.badType };
  }
  // The same bytes already stored with this report (sent twice, or an event processed again after a crash): not stored again.
  const same = (await attachmentsOf(c.app, t.unitCode, t.periodId)).find((a) => a.sha256 === sha256(got.data));
  if (same) return { text: vi.attachment.already(attachmentLabel(same), title) };
  const rec = await storeAttachment(c.app, {
    ...t,
    userKey: c.actor.userKey,
    userName: c.actor.displayName,
    channel: c.actor.event.channel,
    name: file.name,
    type,
    data: got.data,
    at: c.now.getTime(),
  });
  return { text: vi.attachment.received(attachmentLabel(rec), title) };
}

export const reportAttachments: AttachmentHandler = {
  access: 'member',
  async run(c, files) {
    const t = openReport(c);
    if (!t) return [{ text: vi.attachment.noReport }];
    const r = await loadReport(c, t);
    if (Array.isArray(r)) return r;
    const out: OutMessage[] = [];
    for (const f of files) out.push(await attachOne(c, r.ids, r.title, f));
    return out;
  },
};
