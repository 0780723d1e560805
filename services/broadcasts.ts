/**
 * Broadcasts (`thông báo`): resolving an audience to units and reachable focal points, enqueuing
 * one outbox message per person under a batch id, and the batch's delivery report by unit.
 * The chat dialog is dialogs/broadcast.ts; the outbox worker sends and reports.
 */
import { z } from 'zod';
import type { AppContext } from '../core/context.js';
import type { OutMessage } from '../core/message.js';
import { makePeriod } from '../regime/periods.js';
import { coordinatorUnit, findUnit, kindsForUnit, reportingUnits } from '../regime/regime.js';
import type { Unit } from '../regime/regime-schema.js';
import type { AuditEntry, Broadcast } from '../store/records.js';
import { newId } from '../store/repositories.js';
import { reasonWords } from './delivery-words.js';
import { Directory, type Recipient } from './directory.js';
import { vi } from '../i18n/vi.js';

export const UNIT_KINDS = ['department', 'agency', 'organisation', 'district', 'commune'] as const;
export type ReportingUnitKind = (typeof UNIT_KINDS)[number];

export const AudienceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }),
  z.object({ type: z.literal('kind'), kind: z.enum(UNIT_KINDS) }),
  z.object({ type: z.literal('status'), periodId: z.string(), status: z.enum(['not_submitted', 'submitted']) }),
]);
export type Audience = z.infer<typeof AudienceSchema>;

export function audienceLabel(ctx: AppContext, a: Audience): string {
  if (a.type === 'all') return vi.broadcast.audienceAll;
  if (a.type === 'kind') return vi.broadcast.kindWords[a.kind];
  const p = makePeriod(ctx.regime, a.periodId);
  return vi.broadcast.audienceStatus(a.status, p?.name ?? a.periodId);
}

/** The units an audience names, in regime order. */
export async function audienceUnits(ctx: AppContext, a: Audience): Promise<Unit[]> {
  const units = reportingUnits(ctx.regime);
  if (a.type === 'all') return units;
  if (a.type === 'kind') return units.filter((u) => u.kind === a.kind);
  const p = makePeriod(ctx.regime, a.periodId);
  if (!p) return [];
  const filers = units.filter((u) => kindsForUnit(ctx.regime, u).some((k) => k.id === p.kind));
  const states = await ctx.store.reportStates.find({ periodId: p.id });
  const done = new Set(states.map((s) => s.unitCode));
  return filers.filter((u) => (a.status === 'submitted' ? done.has(u.code) : !done.has(u.code)));
}

export interface AudiencePreview {
  audience: Audience;
  label: string;
  units: Unit[];
  /** One per person (a person who is focal point of two units in the audience gets one message). */
  recipients: Recipient[];
  unreachableUnits: Unit[];
}

export async function previewAudience(ctx: AppContext, a: Audience): Promise<AudiencePreview> {
  const units = await audienceUnits(ctx, a);
  const dir = await Directory.load(ctx);
  const seen = new Set<string>();
  const recipients: Recipient[] = [];
  const unreachableUnits: Unit[] = [];
  for (const u of units) {
    const { recipients: rs } = dir.focal(u.code);
    if (!rs.length) unreachableUnits.push(u);
    for (const r of rs)
      if (!seen.has(r.userKey)) {
        seen.add(r.userKey);
        recipients.push(r);
      }
  }
  return { audience: a, label: audienceLabel(ctx, a), units, recipients, unreachableUnits };
}

/** Records the broadcast, enqueues one message per recipient under its batch id, and writes the audit entry. */
export async function sendBroadcast(ctx: AppContext, a: { audience: Audience; text: string; by: string; channel: AuditEntry['channel'] }): Promise<{ broadcast: Broadcast; preview: AudiencePreview }> {
  const now = ctx.clock.now().getTime();
  const preview = await previewAudience(ctx, a.audience);
  const id = `bc-${newId(now)}`;
  const broadcast: Broadcast = {
    _id: id,
    createdAt: now,
    createdBy: a.by,
    audience: a.audience as Record<string, unknown>,
    audienceLabel: preview.label,
    text: a.text,
    unitCodes: preview.units.map((u) => u.code),
    unreachableUnits: preview.unreachableUnits.map((u) => u.code),
    recipients: preview.recipients.length,
  };
  // The broadcast first: the worker reports a batch only once its record exists and nothing in it is pending.
  await ctx.store.broadcasts.insert(broadcast);
  const message = vi.notice.broadcastMessage(coordinatorUnit(ctx.regime).shortName, a.text);
  const key = `bc|${id}`;
  await ctx.store.enqueueEach(preview.recipients, { key, createdAt: now, message, purpose: 'broadcast', batch: id });
  await ctx.store.writeAudit({
    at: now,
    actor: a.by,
    channel: a.channel,
    action: 'broadcast.sent',
    subject: id,
    details: { audience: a.audience, units: broadcast.unitCodes, unreachableUnits: broadcast.unreachableUnits, recipients: broadcast.recipients, length: a.text.length },
  });
  return { broadcast, preview };
}

export interface UnitDelivery {
  unitCode: string;
  name: string;
  sent: number;
  failed: number;
  undeliverable: number;
  pending: number;
  reasons: string[];
}

export async function batchDeliveries(ctx: AppContext, b: Broadcast): Promise<{ byUnit: UnitDelivery[]; totals: Omit<UnitDelivery, 'unitCode' | 'name' | 'reasons'> }> {
  const entries = await ctx.store.outbox.find({ batch: b._id });
  const byUnit = new Map<string, UnitDelivery>();
  for (const code of b.unitCodes) byUnit.set(code, { unitCode: code, name: findUnit(ctx.regime, code)?.shortName ?? code, sent: 0, failed: 0, undeliverable: 0, pending: 0, reasons: [] });
  const totals = { sent: 0, failed: 0, undeliverable: 0, pending: 0 };
  for (const e of entries) {
    const code = e.unitCode ?? '?';
    const row = byUnit.get(code) ?? { unitCode: code, name: findUnit(ctx.regime, code)?.shortName ?? code, sent: 0, failed: 0, undeliverable: 0, pending: 0, reasons: [] };
    byUnit.set(code, row);
    const k = e.status === 'sent' ? 'sent' : e.status === 'failed' ? 'failed' : e.status === 'undeliverable' ? 'undeliverable' : e.status === 'cancelled' ? null : 'pending';
    if (!k) continue;
    row[k]++;
    totals[k]++;
    if ((k === 'failed' || k === 'undeliverable') && e.reason && !row.reasons.includes(e.reason)) row.reasons.push(e.reason);
  }
  return { byUnit: [...byUnit.values()], totals };
}

/** The delivery report of a broadcast, by unit. */
export async function deliveryReport(ctx: AppContext, b: Broadcast): Promise<OutMessage> {
  const { byUnit, totals } = await batchDeliveries(ctx, b);
  const zone = ctx.regime.timezone;
  return vi.broadcast.report({
    id: b._id,
    at: new Date(b.createdAt),
    zone,
    audienceLabel: b.audienceLabel,
    totals,
    rows: byUnit.map((u) => ({
      name: u.name,
      noOne: b.unreachableUnits.includes(u.unitCode) && u.sent + u.failed + u.undeliverable + u.pending === 0,
      sent: u.sent,
      failed: u.failed,
      undeliverable: u.undeliverable,
      pending: u.pending,
      reasons: u.reasons.map(reasonWords),
    })),
  });
}

/** The broadcasts a coordinator made, newest first. */
export function recentBroadcasts(ctx: AppContext, limit = 5): Promise<Broadcast[]> {
  return ctx.store.broadcasts.find({}, { sort: [['createdAt', -1]], limit });
}
