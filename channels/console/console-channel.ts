/**
 * The console channel's adapter (core/channel.ts): a person types in a terminal, or a script
 * pipes lines into stdin. Each line is one inbound event (channel "console") handed to the same
 * bot core as Teams and Zalo, on the same store; the replies are printed as plain text. It serves
 * no HTTP route; `dondoc chat` runs it (the server does not). Its sender prints a proactive
 * message in the running session of the person it is for. At the end of input (Ctrl+D or EOF)
 * `closed` resolves.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChannelAdapter, ChannelDeps } from '../../core/channel.js';
import type { ChannelSender, OutMessage } from '../../core/message.js';
import { userKey } from '../../store/records.js';
import { vi } from '../../i18n/vi.js';

export interface ConsoleOptions {
  userId: string;
  userName?: string;
  input: Readable;
  output: Writable;
  /** A person at a terminal: banner, "> " prompt and quick replies. Otherwise quiet (scripts). */
  interactive: boolean;
  /** Print each input line ("> …") before its replies: readable transcripts of scripted runs. */
  echo?: boolean;
}

export interface ConsoleChannel extends ChannelAdapter<string> {
  /**
   * One line as an inbound event: handed to the core, its replies printed and returned.
   * `eventId` identifies a line a driver may hand over twice (the core processes it once).
   */
  receive(text: string, opts?: { eventId?: string }): Promise<OutMessage[]>;
  /** Resolves when the input has ended and every line read was answered. */
  readonly closed: Promise<void>;
}

/** Plain-text rendering of one reply; quick replies are listed for a person at a terminal. */
export function renderConsole(m: OutMessage, interactive: boolean): string {
  const parts = [m.text];
  if (interactive && m.choices?.length) parts.push(vi.console.choices(m.choices.map((c) => c.label)));
  if (m.file) parts.push(vi.console.file(m.file.name, m.file.url));
  return parts.join('\n');
}

export function createConsoleAdapter(deps: ChannelDeps): ConsoleChannel {
  const { ctx, bot } = deps;
  const o = deps.options as ConsoleOptions;
  const me = userKey('console', o.userId);
  let ended = false;
  let output = Promise.resolve();
  /** Writes in order, waiting for the stream to drain when it asks to. */
  const write = (s: string): Promise<void> => (output = output.then(() => new Promise<void>((ok) => (o.output.write(s) ? ok() : o.output.once('drain', () => ok())))));
  const render = (m: OutMessage) => [renderConsole(m, o.interactive)];

  const receive = async (text: string, opts: { eventId?: string } = {}): Promise<OutMessage[]> => {
    const replies = await bot.handle({
      channel: 'console',
      userId: o.userId,
      userName: o.userName,
      text,
      ...(opts.eventId ? { eventId: opts.eventId } : {}),
      receivedAt: ctx.clock.now(),
    });
    for (const m of replies) await write(`${render(m).join('\n')}\n\n`);
    return replies;
  };

  const sender: ChannelSender = {
    channel: 'console',
    async send(contact, msg) {
      if (contact._id !== me) return { status: 'undeliverable', reason: 'console: not the person of this session' };
      if (ended) return { status: 'undeliverable', reason: 'console: session ended' };
      await write(`${render(msg).join('\n')}\n\n`);
      return { status: 'sent' };
    },
  };

  let done!: () => void;
  const closed = new Promise<void>((r) => (done = r));
  let started = false;
  let reader: Interface | undefined;

  async function loop(): Promise<void> {
    const rl = (reader = createInterface({ input: o.input, output: o.interactive ? o.output : undefined, terminal: o.interactive, prompt: vi.console.prompt }));
    if (o.interactive) {
      await write(`${vi.console.banner(o.userId)}\n`);
      rl.prompt();
    }
    for await (const line of rl) {
      const text = line.trim();
      if (text) {
        if (o.echo && !o.interactive) await write(`${vi.console.prompt}${text}\n`);
        await receive(text);
      }
      if (o.interactive) rl.prompt();
    }
    if (o.interactive) await write(`\n${vi.console.bye}\n`);
    await output;
  }

  return {
    channel: 'console',
    routes: [],
    sender,
    health: { name: 'console', check: async () => (ended ? { ok: false, detail: vi.console.health.ended } : { ok: true, detail: vi.console.health.open(o.userId) }) },
    warnings: [],
    render,
    receive,
    closed,
    async start() {
      if (started) return;
      started = true;
      void loop().finally(() => {
        ended = true;
        done();
      });
    },
    async stop() {
      if (!started) {
        ended = true;
        return;
      }
      // Ends the session as the end of input would (the line being answered is answered first).
      reader?.close();
      await closed;
    },
    idle: () => output,
  };
}
