/**
 * Who can be reached, read once per job pass: active memberships and contacts. A person is
 * reachable when their Contact is marked reachable and the deployment delivers on their channel
 * (core/channel.ts `deliveryChannels`, from the registered channels and the configuration: the
 * same in the server and in a `dondoc chat` process, whose queued messages the server's outbox
 * worker sends). A unit may have several focal points, on Teams and on Zalo. A substitute
 * (services/delegations.ts) counts as one of the unit's focal points while the delegation lasts,
 * judged at the directory's instant (`at`); `remindees` says who gets a unit's reminders then.
 */
import { deliveryChannels } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import { vi } from '../i18n/vi.js';
import { coordinatorUnit } from '../regime/regime.js';
import { currentMember, type Channel, type Contact, type Member, type MemberDelegation } from '../store/records.js';
import { principalWords, scopeWords, substituteWords } from './delegations.js';

export interface Recipient {
  userKey: string;
  channel: Channel;
  unitCode: string;
  name?: string;
  /** A substitute: the delegation they hold. */
  delegation?: MemberDelegation;
  /** A line put before a reminder to this person (a substitute's, or the replaced focal point's copy). */
  note?: string;
}

export class Directory {
  private constructor(
    private readonly ctx: Pick<AppContext, 'regime' | 'config'>,
    private readonly members: Member[],
    private readonly contacts: Map<string, Contact>,
    readonly channels: ReadonlySet<Channel>,
    private readonly coordinatorUnitCode: string,
  ) {}

  /**
   * `channels`: where proactive sends are possible (default: the deployment's delivery channels,
   * and any channel this process has a sender for).
   */
  static async load(ctx: AppContext, channels?: Iterable<Channel>, at: Date = ctx.clock.now()): Promise<Directory> {
    const [members, contacts] = await Promise.all([ctx.store.members.find({ active: true }), ctx.store.contacts.find({})]);
    const now = at.getTime();
    return new Directory(
      ctx,
      members.filter((m) => currentMember(m, now)),
      new Map(contacts.map((c) => [c._id, c])),
      new Set(channels ?? [...deliveryChannels(ctx), ...ctx.senders.keys()]),
      coordinatorUnit(ctx.regime).code,
    );
  }

  contact(userKey: string): Contact | undefined {
    return this.contacts.get(userKey);
  }

  reachable(userKey: string): boolean {
    const c = this.contacts.get(userKey);
    return Boolean(c && c.reachable && this.channels.has(c.channel));
  }

  private toRecipient(m: Member): Recipient {
    const c = this.contacts.get(m.userKey) as Contact;
    return { userKey: m.userKey, channel: c.channel, unitCode: m.unitCode, name: m.displayName ?? c.displayName, ...(m.delegation ? { delegation: m.delegation } : {}) };
  }

  /** The unit's active focal points (substitutes included; with `periodId`, those who may report it), and which of them are reachable now. */
  focal(unitCode: string, periodId?: string): { enrolled: number; recipients: Recipient[] } {
    const ms = this.members.filter((m) => m.unitCode === unitCode && m.role === 'focal' && (!periodId || !m.delegation?.periodId || m.delegation.periodId === periodId));
    return { enrolled: ms.length, recipients: ms.filter((m) => this.reachable(m.userKey)).map((m) => this.toRecipient(m)) };
  }

  /**
   * Who gets the unit's reminders for a period: its focal points, but while a substitute covers it
   * the substitute (with a note saying why), and the focal point replaced only as a copy (with a
   * note) when DELEGATION_COPY_TO_FOCAL is on. A coordinator's delegation replaces every focal point.
   */
  remindees(unitCode: string, periodId: string): { enrolled: number; recipients: Recipient[] } {
    const { enrolled, recipients } = this.focal(unitCode, periodId);
    const subs = recipients.filter((r) => r.delegation);
    if (!subs.length) return { enrolled, recipients };
    const replaced = (r: Recipient) => !r.delegation && subs.some((s) => s.delegation?.principal === null || s.delegation?.principal === r.userKey);
    const copy = this.ctx.config.delegationCopyToFocal;
    const out: Recipient[] = [];
    for (const r of recipients) {
      if (r.delegation) {
        const d = { principal: r.delegation.principal, principalName: r.delegation.principal ? this.displayName(r.delegation.principal) : undefined };
        out.push({ ...r, note: vi.delegation.reminderToSubstitute(principalWords(d)) });
      } else if (!replaced(r)) out.push(r);
      else if (copy) {
        const mine = subs.filter((s) => s.delegation?.principal === null || s.delegation?.principal === r.userKey);
        const words = mine.map((s) => vi.delegation.reminderCopy(substituteWords({ substituteName: s.name, substituteChannel: s.channel }), scopeWords(this.ctx, s.delegation as MemberDelegation)));
        out.push({ ...r, note: words.join('\n') });
      }
    }
    return { enrolled, recipients: out };
  }

  /** Coordinators (members of the coordinator unit with the coordinator role) who are reachable. */
  coordinators(): Recipient[] {
    return this.members.filter((m) => m.unitCode === this.coordinatorUnitCode && m.role === 'coordinator' && this.reachable(m.userKey)).map((m) => this.toRecipient(m));
  }

  /** Reachable focal points of the unit on channels other than `channel`. */
  focalElsewhere(unitCode: string, channel: Channel): Recipient[] {
    return this.focal(unitCode).recipients.filter((r) => r.channel !== channel);
  }

  displayName(userKey: string): string {
    const m = this.members.find((x) => x.userKey === userKey && x.displayName) ?? this.members.find((x) => x.userKey === userKey);
    return m?.displayName ?? this.contacts.get(userKey)?.displayName ?? userKey;
  }
}
