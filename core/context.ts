import type { AppConfig } from '../config/env.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import type { Repositories } from '../store/repositories.js';
import type { Channel } from '../store/records.js';
import type { ChannelDefinition } from './channel.js';
import type { ChannelSender } from './message.js';

/** Everything a request, a job or a CLI command needs; built once at start-up. */
export interface AppContext {
  config: AppConfig;
  regime: ReportRegime;
  store: Repositories;
  clock: Clock;
  log: Logger;
  /**
   * The registered channels (app/channels.ts), enabled or not: the one list of channels anything
   * reads (see core/channel.ts `channelNames`, `deliveryChannels`, `channelOf`).
   */
  channels: readonly ChannelDefinition[];
  /** Outbound senders of the channels this process runs. */
  senders: Map<Channel, ChannelSender>;
  version: string;
}
