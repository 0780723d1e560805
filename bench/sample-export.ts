/**
 * Writes the exports of the tests' sample period (2027-H1 of the default regime, seeded as in
 * test/helpers/consolidation-scenario.ts, with 2026-H1 to compare with, seen on 8 July 2027) into
 * a folder, for a human to open: `node dist/bench/sample-export.js [--full] [OUTDIR]` (default: a
 * temp folder). With `--full` every one of the 19 filing units has submitted (none missing, none
 * in progress), the period whose page count issue 13 measures. Used by bench/render-docx.sh when
 * it is given no file (FULL=1 passes --full).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportFileName, loadExport, renderExport } from '../services/consolidation.js';
import { makePeriod } from '../regime/periods.js';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { defaultRegime, NOW, PERIOD, seedEarlierScenario, seedScenario } from '../test/helpers/consolidation-scenario.js';

const args = process.argv.slice(2);
const full = args.includes('--full');
const out = resolve(args.find((a) => a !== '--full') ?? mkdtempSync(join(tmpdir(), 'dondoc-sample-')));
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'dondoc-sample-store-'));
try {
  const regime = defaultRegime();
  const store = new Repositories(new SqliteStore(join(dir, 'dondoc.sqlite')));
  await store.init();
  await seedScenario(store, regime, { full });
  await seedEarlierScenario(store, regime);
  const input = await loadExport({ regime, store }, makePeriod(regime, PERIOD)!, NOW);
  for (const f of ['docx', 'xlsx', 'csv'] as const) {
    const file = join(out, exportFileName(PERIOD, f));
    writeFileSync(file, await renderExport(input, regime, f));
    process.stdout.write(`${file}\n`);
  }
  await store.db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
