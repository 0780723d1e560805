/**
 * A real `dondoc chat` process (the compiled CLI) driven line by line: `say` types a line and
 * waits until the output after it matches (or the process exits, or 20 s pass: then it throws
 * with what was printed).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export class Chat {
  out = '';
  err = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: Array<() => void> = [];
  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d: string) => {
      this.out += d;
      for (const w of this.waiters.splice(0)) w();
    });
    proc.stderr.on('data', (d) => (this.err += String(d)));
    this.exited = new Promise((ok) => proc.once('exit', (code, signal) => ok({ code, signal })));
  }
  /** Types a line and waits until the output after it matches. */
  async say(line: string, until: RegExp): Promise<string> {
    const from = this.out.length;
    this.proc.stdin.write(`${line}\n`);
    for (;;) {
      const chunk = this.out.slice(from);
      if (until.test(chunk)) return chunk;
      const done = await Promise.race([
        new Promise<'data'>((ok) => this.waiters.push(() => ok('data'))),
        this.exited.then(() => 'exit' as const),
        new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 20_000)),
      ]);
      if (done !== 'data' && !until.test(this.out.slice(from))) throw new Error(`no ${until} after "${line}" (${done}); output:\n${chunk}\nstderr:\n${this.err}`);
    }
  }
}
