import type { Command } from 'commander';
import { z } from 'zod';
import { vi } from '../i18n/vi.js';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { calendarGap, calendarWarning } from '../regime/calendar.js';
import { loadRegimeFile, regimeSummary } from '../regime/regime.js';
import { registerRegimeApply } from './regime-apply.js';

const Instant = z.iso.datetime({ offset: true, error: vi.cli.isoInstant });

export function registerRegimeCommand(program: Command): void {
  const regime = program.command('regime').description(vi.cli.regime.description);
  regime
    .command('check')
    .description(vi.cli.regime.check)
    .argument('[FILE]', vi.cli.regime.fileArg)
    .option('--at <ISO_INSTANT>', vi.cli.regime.atOption)
    .action((file: string | undefined, opts: { at?: string }) => {
      let now = new Date();
      if (opts.at !== undefined) {
        const at = Instant.safeParse(opts.at.trim());
        if (!at.success) {
          process.stderr.write(`${vi.cli.badAt(at.error.issues[0].message, opts.at)}\n`);
          process.exit(2);
        }
        now = new Date(at.data);
      }
      const path = file ?? process.env.REGIME_FILE ?? DEFAULT_REGIME_FILE;
      const r = loadRegimeFile(path);
      if (!r.ok) {
        process.stderr.write(`${vi.cli.regime.invalid(path, r.errors.length)}\n`);
        for (const e of r.errors) process.stderr.write(`  ${e}\n`);
        process.exit(1);
      }
      const s = regimeSummary(r.regime);
      process.stdout.write(`${vi.cli.regime.valid(path, { ...s, id: r.regime.id, version: r.regime.version, kinds: r.regime.reportKinds.length, indicators: r.regime.indicators.length })}\n`);
      const gap = calendarGap(r.regime, now);
      if (gap) process.stderr.write(`${vi.cli.regime.warning(calendarWarning(gap))}\n`);
    });
  registerRegimeApply(regime);
}
