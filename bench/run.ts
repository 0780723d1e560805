/**
 * `npm run bench`: runs every benchmark and writes bench/results.md with the machine and the
 * command used. Select some with arguments, e.g. `npm run bench -- startup turns`: only their
 * sections of bench/results.md are replaced, the others are kept as they were (each section says
 * when, how and on what machine it was measured).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../lib/paths.js';
import { VERSION } from '../lib/version.js';
import { machine, type BenchSection } from './lib.js';

type Bench = { name: string; load: () => Promise<{ run: () => Promise<BenchSection> }> };

const BENCHES: Bench[] = [
  { name: 'startup', load: () => import('./startup.js') },
  { name: 'turns', load: () => import('./turns.js') },
  { name: 'fanout', load: () => import('./fanout.js') },
  { name: 'export', load: () => import('./export-section.js') },
  { name: 'web', load: () => import('./web.js') },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
const selected = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
const command = `npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}`;
const host = machine();

/** A section of results.md: the benchmark's name (from its marker) and its markdown, heading included. */
interface Stored {
  name?: string;
  text: string;
}

const MARKER = /^<!-- bench:([\w-]+) -->$/m;

function readStored(file: string): Stored[] {
  if (!existsSync(file)) return [];
  const parts = readFileSync(file, 'utf8')
    .split(/^(?=## )/m)
    .slice(1);
  return parts.map((text) => ({ name: MARKER.exec(text)?.[1], text: text.trimEnd() }));
}

const file = join(projectRoot, 'bench', 'results.md');
const stored = readStored(file);
const fresh = new Map<string, string>();
for (const b of selected) {
  process.stderr.write(`bench: ${b.name}…\n`);
  const t0 = performance.now();
  const load0 = loadavg()[0];
  const section = await (await b.load()).run();
  const secs = (performance.now() - t0) / 1000;
  fresh.set(
    b.name,
    [
      `## ${section.title}`,
      `<!-- bench:${b.name} -->`,
      '',
      `_Measured ${new Date().toISOString()} with \`${command}\` (this part took ${secs.toFixed(0)} s; 1-minute load average ${load0.toFixed(1)} at its start, ${loadavg()[0].toFixed(1)} at its end); dondoc ${VERSION}; ${host}._`,
      '',
      section.body,
    ].join('\n'),
  );
  process.stderr.write(`bench: ${b.name} done in ${secs.toFixed(1)} s\n${section.body}\n\n`);
  // Written after each benchmark, so a later failure keeps what was measured.
  write();
}

function write(): void {
  // Benchmarks in their declared order (fresh or kept), then any section the runner no longer knows.
  const known = BENCHES.map((b) => fresh.get(b.name) ?? stored.find((s) => s.name === b.name)?.text).filter((t): t is string => Boolean(t));
  // An unmarked section (written before sections had markers) with the title of a current one is replaced by it.
  const titles = new Set(known.map((t) => t.split('\n')[0]));
  const others = stored.filter((s) => (!s.name || !BENCHES.some((b) => b.name === s.name)) && !titles.has(s.text.split('\n')[0])).map((s) => s.text);
  const out = [
    '# dondoc benchmark results',
    '',
    'Run all with `npm run bench`, or some with e.g. `npm run bench -- turns fanout` (only their sections below are replaced).',
    `Last run: \`${command}\` on ${host}.`,
    '',
    ...[...known, ...others].flatMap((t) => [t, '']),
  ].join('\n');
  writeFileSync(file, out);
}
process.stderr.write(`bench: wrote ${file}\n`);
