/**
 * The round trip the local fakes of the platforms add before answering (fake-bot-connector.ts,
 * fake-zalo.ts). Real Bot Connector and Zalo calls take 100–300 ms; a fake answering in 1 ms hides
 * what a sender waiting on each answer costs. Tests that need speed keep 0.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Milliseconds, or uniform between `minMs` and `maxMs` (jitter). */
export type Latency = number | { minMs: number; maxMs: number };

/** 150 ms ± 50 ms: what the benchmarks run against. */
export const REALISTIC_LATENCY: Latency = { minMs: 100, maxMs: 200 };

/** Waits one round trip of `latency` (nothing for 0). */
export function roundTrip(latency: Latency): Promise<void> | undefined {
  const ms = typeof latency === 'number' ? latency : latency.minMs + Math.random() * (latency.maxMs - latency.minMs);
  return ms > 0 ? sleep(ms) : undefined;
}
