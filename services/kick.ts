/**
 * Lets a chat flow (e.g. a confirmed broadcast) wake the outbox worker of this process at once
 * instead of waiting for its next tick. Without a running scheduler (tests, CLI) it does nothing.
 */
import type { AppContext } from '../core/context.js';

const kicks = new WeakMap<AppContext, () => void>();

export function onOutboxKick(ctx: AppContext, fn: (() => void) | null): void {
  if (fn) kicks.set(ctx, fn);
  else kicks.delete(ctx);
}

export function kickOutbox(ctx: AppContext): void {
  kicks.get(ctx)?.();
}
