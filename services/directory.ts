/**
 * Who can be reached, read once per job pass: active memberships and contacts. A person is
 * reachable when their Contact is marked reachable and the deployment delivers on their channel
 * (core/channel.ts `deliveryChannels`, from the registered channels and the configuration: the
 * same in the server and in a `dondoc chat` process, whose queued messages the server's outbox
 * worker sends). A unit may have several focal points, on Teams and on Zalo.
 */
import { deliveryChannels } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import { coordinatorUnit } from '../regime/regime.js';
import type { Channel, Contact, Member } from '../store/records.js';

export interface Recipient {
  userKey: string;
  channel: Channel;
  unitCode: string;
  name?: string;
}

export class Directory {
  private constructor(
    private readonly members: Member[],
    private readonly contacts: Map<string, Contact>,
    readonly channels: ReadonlySet<Channel>,
    private readonly coordinatorUnitCode: string,
  ) {}

  /**
   * `channels`: where proactive sends are possible (default: the deployment's delivery channels,
   * and any channel this process has a sender for).
   */
  static async load(ctx: AppContext, channels?: Iterable<Channel>): Promise<Directory> {
    const [members, contacts] = await Promise.all([ctx.store.members.find({ active: true }), ctx.store.contacts.find({})]);
    return new Directory(members, new Map(contacts.map((c) => [c._id, c])), new Set(channels ?? [...deliveryChannels(ctx), ...ctx.senders.keys()]), coordinatorUnit(ctx.regime).code);
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
    return { userKey: m.userKey, channel: c.channel, unitCode: m.unitCode, name: m.displayName ?? c.displayName };
  }

  /** The unit's active focal points, and which of them are reachable now. */
  focal(unitCode: string): { enrolled: number; recipients: Recipient[] } {
    const ms = this.members.filter((m) => m.unitCode === unitCode && m.role === 'focal');
    return { enrolled: ms.length, recipients: ms.filter((m) => this.reachable(m.userKey)).map((m) => this.toRecipient(m)) };
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
    const m = this.members.find((x) => x.userKey === userKey);
    return m?.displayName ?? this.contacts.get(userKey)?.displayName ?? userKey;
  }
}
