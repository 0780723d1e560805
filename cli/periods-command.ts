import type { Command } from 'commander';
import { z } from 'zod';
import { vi } from '../i18n/vi.js';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { periodJson, periodsOfYear } from '../regime/periods.js';
import { loadRegimeFile } from '../regime/regime.js';

const Year = z.coerce.number().int().min(2000).max(2100);

export function registerPeriodsCommand(program: Command): void {
  program
    .command('periods')
    .description(vi.cli.periods.description)
    .requiredOption('--year <YYYY>', vi.cli.periods.yearOption)
    .action((opts: { year: string }) => {
      const year = Year.safeParse(opts.year);
      if (!year.success) {
        process.stderr.write(`${vi.cli.periods.badYear(opts.year)}\n`);
        process.exit(2);
      }
      const file = process.env.REGIME_FILE ?? DEFAULT_REGIME_FILE;
      const r = loadRegimeFile(file);
      if (!r.ok) {
        process.stderr.write(`${vi.cli.periods.badRegime(file, r.errors)}\n`);
        process.exit(1);
      }
      for (const p of periodsOfYear(r.regime, year.data)) process.stdout.write(`${JSON.stringify(periodJson(p))}\n`);
    });
}
