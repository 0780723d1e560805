/**
 * The console channel: a person types in a terminal, or a script pipes lines into stdin. Each
 * line is one inbound event (channel "console") handed to the same bot core as Teams and Zalo,
 * on the same store; the replies are printed as plain text. At the end of input (Ctrl+D or EOF)
 * it returns.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { BotCore, OutMessage } from '../../core/message.js';
import type { Clock } from '../../lib/clock.js';
import { vi } from '../../i18n/vi.js';

export interface ConsoleOptions {
  bot: BotCore;
  clock: Clock;
  userId: string;
  userName?: string;
  input: Readable;
  output: Writable;
  /** A person at a terminal: banner, "> " prompt and quick replies. Otherwise quiet (scripts). */
  interactive: boolean;
  /** Print each input line ("> …") before its replies: readable transcripts of scripted runs. */
  echo?: boolean;
}

/** Plain-text rendering of one reply; quick replies are listed for a person at a terminal. */
export function renderConsole(m: OutMessage, interactive: boolean): string {
  const parts = [m.text];
  if (interactive && m.choices?.length) parts.push(vi.console.choices(m.choices.map((c) => c.label)));
  if (m.file) parts.push(vi.console.file(m.file.name, m.file.url));
  return parts.join('\n');
}

export async function runConsole(o: ConsoleOptions): Promise<void> {
  const write = (s: string) => new Promise<void>((ok) => (o.output.write(s) ? ok() : o.output.once('drain', () => ok())));
  const rl = createInterface({ input: o.input, output: o.interactive ? o.output : undefined, terminal: o.interactive, prompt: vi.console.prompt });
  if (o.interactive) {
    await write(`${vi.console.banner(o.userId)}\n`);
    rl.prompt();
  }
  for await (const line of rl) {
    const text = line.trim();
    if (text) {
      if (o.echo && !o.interactive) await write(`${vi.console.prompt}${text}\n`);
      const replies = await o.bot.handle({
        channel: 'console',
        userId: o.userId,
        userName: o.userName,
        text,
        receivedAt: o.clock.now(),
      });
      for (const m of replies) await write(`${renderConsole(m, o.interactive)}\n\n`);
    }
    if (o.interactive) rl.prompt();
  }
  if (o.interactive) await write(`\n${vi.console.bye}\n`);
}
