/**
 * `ủy quyền` (`uy quyen`) and `hủy ủy quyền`: the chat words of delegation (services/delegations.ts
 * holds the rules). A focal point names the unit (when they have several) and one period or an end
 * day, and gets a one-time code for the substitute, who sends it as `đăng ký MÃ`
 * (dialogs/enrolment.ts hands a delegation's code to `redeemDelegation`). A coordinator does the
 * same for any reporting unit, for the unit's focal points. Either party, or a coordinator for a
 * unit, ends it early with `hủy ủy quyền`.
 *
 *   ủy quyền [ĐƠN_VỊ] KỲ            one period (dialogs/target-args.ts: T11/2026, tháng 11/2026, 2026-11…)
 *   ủy quyền [ĐƠN_VỊ] đến NGÀY      every report of the unit until the end of that day (15/12/2026)
 *   hủy ủy quyền [ĐƠN_VỊ]
 */
import type { Actor, ChatCommand, CommandContext } from '../core/commands.js';
import type { OutMessage } from '../core/message.js';
import { parseDate } from '../forms/parse.js';
import { vi } from '../i18n/vi.js';
import { formatDay } from '../lib/datetime.js';
import { fold } from '../lib/text.js';
import { localDate, makePeriod } from '../regime/periods.js';
import { findUnit, kindsForUnit } from '../regime/regime.js';
import type { Unit } from '../regime/regime-schema.js';
import { acceptDelegation, cancelDelegations, endOfDay, enrolledByName, instantWords, itemWords, principalWords, requestDelegation, scopeWords, substituteWords } from '../services/delegations.js';
import type { AppContext } from '../core/context.js';
import { channelOf } from '../core/channel.js';
import type { Channel } from '../store/records.js';
import { parseTargetArgs, unreadWords } from './target-args.js';

/** Words that may stand before the end day: "đến 15/12/2026", "đến hết ngày 15/12/2026". */
const BEFORE_DAY = new Set(['den', 'het', 'ngay', 'toi', 'until']);

/** The end day typed ("đến 15/12/2026"), read out of the words: the other words, and the day or what failed to read as one. */
function readEndDay(args: string): { words: string; day?: string; bad?: string } {
  const words = args.split(/\s+/).filter(Boolean);
  const at = words.findIndex((w) => /^\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?$/.test(w));
  const marker = words.findIndex((w) => fold(w) === 'den' || fold(w) === 'toi');
  if (at < 0) return marker >= 0 ? { words: words.slice(0, marker).join(' '), bad: words.slice(marker + 1).join(' ') || words[marker] } : { words: args };
  let from = at;
  while (from > 0 && BEFORE_DAY.has(fold(words[from - 1]))) from--;
  const rest = [...words.slice(0, from), ...words.slice(at + 1)].join(' ');
  const parsed = parseDate(words[at]);
  return parsed.ok ? { words: rest, day: parsed.value } : { words: rest, bad: words[at] };
}

/**
 * `… cho HỌ TÊN`: the words after the first "cho" that leaves a period or an end day before it are
 * a person's name ("Chợ Đồn" is a unit, not "cho Đồn": a split must leave a period or a day before it).
 */
function splitPerson(ctx: AppContext, args: string): { target: string; person?: string } {
  const words = args.split(/\s+/).filter(Boolean);
  for (let i = 1; i < words.length - 1; i++) {
    if (fold(words[i]) !== 'cho') continue;
    const target = words.slice(0, i).join(' ');
    const end = readEndDay(target);
    if (end.day || parseTargetArgs(ctx.regime, end.words).periodId) return { target, person: words.slice(i + 1).join(' ') };
  }
  return { target: args };
}

/** The units a person is a focal point of in their own right (not as a substitute). */
function ownUnits(c: CommandContext): Unit[] {
  return c.actor.memberships.flatMap((m) => {
    const u = m.role === 'focal' && !m.delegation ? findUnit(c.app.regime, m.unitCode) : undefined;
    return u ? [u] : [];
  });
}

async function delegate(c: CommandContext): Promise<OutMessage[]> {
  const say = (text: string): OutMessage[] => [{ text }];
  const regime = c.app.regime;
  const now = c.now.getTime();
  const mine = ownUnits(c);
  const { target, person } = splitPerson(c.app, c.args);
  const end = readEndDay(target);
  if (end.bad !== undefined) return say(vi.delegation.badDate(end.bad));
  const a = parseTargetArgs(regime, end.words);
  if (a.unitText && !a.unit) return say(vi.delegation.unknownUnit(a.unitText));
  const coordinatorFor = c.actor.isCoordinator && a.unit && !mine.some((u) => u.code === a.unit?.code);
  if (!mine.length && !c.actor.isCoordinator) return say(vi.delegation.notFocal);
  if (!mine.length && !a.unit) return say(vi.delegation.usageCoordinator);
  if (a.unit && !coordinatorFor && !mine.some((u) => u.code === a.unit?.code)) return say(vi.delegation.notYourUnit(a.unit.name));
  const unit = a.unit ?? (mine.length === 1 ? mine[0] : undefined);
  const usage = vi.delegation.usage(mine.map((u) => `${u.code} (${u.shortName})`));
  if (!unit || unreadWords(a).length || (!a.periodId && !end.day)) return say(coordinatorFor ? vi.delegation.usageCoordinator : usage);
  if (a.periodId && end.day) return say(vi.delegation.bothScopes);

  let periodId: string | null = null;
  let endsAt: number;
  if (a.periodId) {
    const p = makePeriod(regime, a.periodId);
    if (!p || !kindsForUnit(regime, unit).some((k) => k.id === p.kind)) return say(vi.delegation.noSuchPeriod(unit.name, a.periodText ?? a.periodId));
    if (p.locksAt.toMillis() <= now) return say(vi.delegation.periodLocked(p.name, localDate(p.locksAt)));
    periodId = p.id;
    endsAt = p.locksAt.toMillis();
  } else {
    endsAt = endOfDay(c.app, end.day as string);
    if (endsAt <= now) return say(vi.delegation.endInPast(formatDay(endsAt - 1, regime.timezone)));
  }

  // `cho HỌ TÊN`: a person enrolled with dondoc, made the substitute at once (no code).
  let named: { userKey: string; name: string; channel: Channel } | undefined;
  if (person !== undefined) {
    const found = await enrolledByName(c.app, person);
    if (!found.length) return say(vi.delegation.personNotEnrolled(person));
    if (found.length > 1)
      return say(
        vi.delegation.severalPeople(
          person,
          found.map((p) => p.name),
        ),
      );
    const channel = channelOf(c.app, found[0].userKey);
    if (!channel) return say(vi.delegation.personNotEnrolled(person));
    named = { ...found[0], channel };
    if (named.userKey === c.actor.userKey) return say(vi.delegation.selfNamed);
    if ((await c.app.store.membershipsOf(named.userKey)).some((m) => m.unitCode === unit.code && !m.delegation)) return say(vi.delegation.personIsMember(named.name, unit.name));
  }

  const principal = coordinatorFor ? null : c.actor.userKey;
  const r = await requestDelegation(c.app, {
    unitCode: unit.code,
    principal,
    principalName: principal ? c.actor.displayName : undefined,
    by: who(c.actor),
    periodId,
    endsAt,
    now,
    withCode: !named,
  });
  if (!r.ok) return say(vi.delegation.alreadyActive(substituteWords(r.current), scopeWords(c.app, r.current)));
  const scope = scopeWords(c.app, r.delegation);
  if (!named) return say(vi.delegation.created({ unitName: unit.name, scope, code: r.code as string, expires: instantWords(c.app, r.expiresAt as number) }));
  const memberships = await c.app.store.membershipsOf(named.userKey);
  const accepted = await acceptDelegation(c.app, {
    delegationId: r.delegation._id,
    who: { userKey: named.userKey, channel: named.channel, name: named.name },
    memberships,
    now,
    direct: { by: who(c.actor) },
  });
  if (!accepted.ok) return say(vi.delegation.gone);
  return say(vi.delegation.assigned({ substituteName: named.name, unitName: unit.name, scope }));
}

const who = (actor: Actor) => ({ userKey: actor.userKey, channel: actor.event.channel, name: actor.displayName });

async function cancel(c: CommandContext): Promise<OutMessage[]> {
  const a = parseTargetArgs(c.app.regime, c.args);
  if (a.unitText && !a.unit) return [{ text: vi.delegation.unknownUnit(a.unitText) }];
  const ended = await cancelDelegations(c.app, { who: who(c.actor), coordinator: c.actor.isCoordinator, unitCode: a.unit?.code, now: c.now.getTime() });
  if (!ended.length) return [{ text: vi.delegation.nothingToCancel }];
  return [{ text: vi.delegation.cancelled(ended.map((d) => itemWords(c.app, d))) }];
}

/** `đăng ký MÃ` with a delegation's code (dialogs/enrolment.ts): the person becomes the substitute. */
export async function redeemDelegation(ctx: AppContext, actor: Actor, delegationId: string, now: Date): Promise<OutMessage[]> {
  const r = await acceptDelegation(ctx, { delegationId, who: who(actor), memberships: actor.memberships, now: now.getTime() });
  if (!r.ok) return [{ text: r.reason === 'self' ? vi.delegation.self : r.reason === 'member' ? vi.delegation.alreadyMember(r.unitName) : vi.delegation.gone }];
  const d = r.delegation;
  return [{ text: vi.delegation.accepted({ unitName: findUnit(ctx.regime, d.unitCode)?.name ?? d.unitCode, principalName: principalWords(d), scope: scopeWords(ctx, d) }) }];
}

export const delegationCommands: ChatCommand[] = [
  { id: 'delegation.request', names: ['uy quyen'], access: 'member', help: vi.delegation.helpDelegate, run: delegate },
  { id: 'delegation.cancel', names: ['huy uy quyen'], access: 'member', help: vi.delegation.helpCancel, run: cancel },
];
