/**
 * The channels this app knows: one line each. Everything that needs the list of channels reads
 * it from here through `AppContext.channels` (core/channel.ts); a new channel is one folder under
 * channels/ exporting a `ChannelDefinition`, plus one line below.
 */
import { consoleChannel } from '../channels/console/index.js';
import { teamsChannel } from '../channels/teams/index.js';
import { zaloChannel } from '../channels/zalo/index.js';
import type { ChannelDefinition } from '../core/channel.js';

export const channelRegistry: readonly ChannelDefinition[] = [teamsChannel, zaloChannel, consoleChannel];
