import { readFileSync, writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { vi } from '../i18n/vi.js';
import { formatInstant } from '../lib/datetime.js';
import { calendarGap, calendarWarning } from '../regime/calendar.js';
import { readRegimeBytes, regimeSummary, type RegimeResult } from '../regime/regime.js';
import { registerRegimeApply } from './regime-apply.js';

const Instant = z.iso.datetime({ offset: true, error: vi.cli.isoInstant });

const isWorkbook = (file: string) => extname(file).toLowerCase() === '.xlsx';

/** A regime from a JSON, YAML or Excel (.xlsx) file. */
async function loadAny(file: string): Promise<RegimeResult> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    return { ok: false, errors: [vi.regime.unreadable(file, (e as Error).message)] };
  }
  return readRegimeBytes(file, data);
}

/**
 * The regime the servers run: the one applied with `regime apply` or the web console when there is
 * one (services/regime-change.ts, kept in the store), otherwise REGIME_FILE or the default.
 */
async function activeRegime() {
  const { openCliContext } = await import('./open-context.js');
  const ctx = await openCliContext();
  try {
    return ctx.regime;
  } finally {
    await ctx.store.db.close();
  }
}

/**
 * `regime check` without FILE: the regime the servers run, as `activeRegime` finds it, but an
 * invalid stored one is listed with its errors (exit 1) instead of stopping start-up; `label`
 * says which one was checked (the stored one: when, by whom, from which file; else REGIME_FILE).
 */
async function activeForCheck(): Promise<{ label: string; result: RegimeResult }> {
  const { openCliContext } = await import('./open-context.js');
  const { loadActiveRegime } = await import('../services/regime-change.js');
  const ctx = await openCliContext({ storedRegime: false });
  try {
    const stored = await loadActiveRegime(ctx.store);
    if (!stored) return { label: vi.cli.regime.activeFile(ctx.config.regimeFile), result: { ok: true, regime: ctx.regime } };
    if ('errors' in stored) return { label: vi.cli.regime.activeStored(), result: { ok: false, errors: stored.errors } };
    const { appliedAt, appliedBy, fileName } = stored.info;
    return { label: vi.cli.regime.activeStored({ at: formatInstant(appliedAt, stored.regime.timezone), by: appliedBy, file: fileName }), result: { ok: true, regime: stored.regime } };
  } finally {
    await ctx.store.db.close();
  }
}

/** The regime of `r`, or its errors printed (named `label`) and exit 1. */
function regimeOrExit(label: string, r: RegimeResult) {
  if (!r.ok) {
    process.stderr.write(`${vi.cli.regime.invalid(label, r.errors.length)}\n`);
    for (const e of r.errors) process.stderr.write(`  ${e}\n`);
    process.exit(1);
  }
  return r.regime;
}

const loadOrExit = async (file: string) => regimeOrExit(file, await loadAny(file));

export function registerRegimeCommand(program: Command): void {
  const regime = program.command('regime').description(vi.cli.regime.description);
  regime
    .command('check')
    .description(vi.cli.regime.check)
    .argument('[FILE]', vi.cli.regime.fileArg)
    .option('--at <ISO_INSTANT>', vi.cli.regime.atOption)
    .action(async (file: string | undefined, opts: { at?: string }) => {
      let now = new Date();
      if (opts.at !== undefined) {
        const at = Instant.safeParse(opts.at.trim());
        if (!at.success) {
          process.stderr.write(`${vi.cli.badAt(at.error.issues[0].message, opts.at)}\n`);
          process.exit(2);
        }
        now = new Date(at.data);
      }
      const { label, result } = file !== undefined ? { label: file, result: await loadAny(file) } : await activeForCheck();
      const r = regimeOrExit(label, result);
      const s = regimeSummary(r);
      process.stdout.write(`${vi.cli.regime.valid(label, { ...s, id: r.id, version: r.version, kinds: r.reportKinds.length, indicators: r.indicators.length })}\n`);
      const gap = calendarGap(r, now);
      if (gap) process.stderr.write(`${vi.cli.regime.warning(calendarWarning(gap))}\n`);
    });
  registerRegimeApply(regime);

  regime
    .command('export')
    .description(vi.cli.regime.export)
    .requiredOption('--out <FILE>', vi.cli.regime.exportOut)
    .option('--format <FORMAT>', vi.cli.regime.exportFormat, 'xlsx')
    .option('--regime <FILE>', vi.cli.regime.regimeOption)
    .action(async (opts: { out: string; format: string; regime?: string }) => {
      const format = opts.format.trim().toLowerCase();
      if (format !== 'xlsx' && format !== 'json') {
        process.stderr.write(`${vi.cli.regime.badFormat(opts.format)}\n`);
        process.exit(2);
      }
      const r = opts.regime !== undefined ? await loadOrExit(opts.regime) : await activeRegime();
      const data = format === 'json' ? Buffer.from(`${JSON.stringify(r, null, 2)}\n`) : await (await import('../regime/workbook.js')).writeRegimeWorkbook(r);
      const out = resolve(opts.out);
      writeFileSync(out, data);
      process.stderr.write(`${vi.cli.written(out, data.length)}\n`);
    });

  regime
    .command('import')
    .description(vi.cli.regime.import)
    .argument('<FILE>', vi.cli.regime.workbookArg)
    .requiredOption('--out <FILE>', vi.cli.regime.importOut)
    .action(async (file: string, opts: { out: string }) => {
      if (!isWorkbook(file)) {
        process.stderr.write(`${vi.cli.regime.notWorkbook(file)}\n`);
        process.exit(2);
      }
      // Nothing is written unless the whole workbook is valid.
      const r = await loadOrExit(file);
      const out = resolve(opts.out);
      const data = Buffer.from(`${JSON.stringify(r, null, 2)}\n`);
      writeFileSync(out, data);
      const s = regimeSummary(r);
      process.stdout.write(`${vi.cli.regime.valid(file, { ...s, id: r.id, version: r.version, kinds: r.reportKinds.length, indicators: r.indicators.length })}\n`);
      process.stderr.write(`${vi.cli.written(out, data.length)}\n`);
    });
}
