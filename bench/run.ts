/**
 * `npm run bench`: runs every benchmark and writes bench/results.md with the machine and the
 * command used. Select some with arguments, e.g. `npm run bench -- startup turns`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/paths.js';
import { VERSION } from '../lib/version.js';
import { machine, type BenchSection } from './lib.js';

type Bench = { name: string; load: () => Promise<{ run: () => Promise<BenchSection> }> };

const BENCHES: Bench[] = [
  { name: 'startup', load: () => import('./startup.js') },
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
const sections: BenchSection[] = [];
for (const b of selected) {
  process.stderr.write(`bench: ${b.name}…\n`);
  const t0 = performance.now();
  const section = await (await b.load()).run();
  sections.push(section);
  process.stderr.write(`bench: ${b.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n${section.body}\n\n`);
}

const out = [
  '# dondoc benchmark results',
  '',
  `- dondoc ${VERSION}, measured ${new Date().toISOString()}`,
  `- machine: ${machine()}`,
  `- command: \`npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}\``,
  '',
  ...sections.flatMap((s) => [`## ${s.title}`, '', s.body, '']),
].join('\n');
const file = join(projectRoot, 'bench', 'results.md');
writeFileSync(file, out);
process.stderr.write(`bench: wrote ${file}\n`);
