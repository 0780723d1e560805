/**
 * `dondoc regime apply FILE [--dry-run]`: what the web console's "Chế độ báo cáo" page does, from
 * the command line: reads the file as an upload is read, lists what changes, and applies it
 * (services/regime-change.ts: stored as the active regime; running servers pick it up within
 * seconds). Exit 1 for an invalid file (every error listed), 0 otherwise.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { vi } from '../i18n/vi.js';
import type { RegimeChangePreview } from '../services/regime-change.js';

function print(p: RegimeChangePreview, previewWords: typeof import('../services/regime-change.js').previewWords): void {
  const w = previewWords(p);
  const out = [...w.summary, ...w.forms.flatMap((f) => [f.heading, ...f.items.map((x) => `  • ${x}`)]), vi.regimeChange.affectedTitle, ...w.affected.map((x) => `  ${x}`)];
  process.stdout.write(`${out.join('\n')}\n`);
}

export function registerRegimeApply(regime: Command): void {
  regime
    .command('apply')
    .description(vi.regimeChange.cli.apply)
    .argument('<FILE>', vi.cli.regime.fileArg)
    .option('--dry-run', vi.regimeChange.cli.dryRun)
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      // The store and the services load only for this command (and `regime check` without a file).
      const { adoptStoredRegime, applyRegimeChange, parseUploadedRegime, previewRegimeChange, previewWords } = await import('../services/regime-change.js');
      const { openCliContext } = await import('./open-context.js');
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        process.stderr.write(`${vi.regime.unreadable(file, (e as Error).message)}\n`);
        process.exit(1);
      }
      const r = await parseUploadedRegime(basename(file), bytes);
      if (!r.ok) {
        process.stderr.write(`${vi.cli.regime.invalid(file, r.errors.length)}\n`);
        for (const e of r.errors) process.stderr.write(`  ${e}\n`);
        process.exit(1);
      }
      // A stored regime that no longer loads is what this command replaces: compared with the file's then.
      const ctx = await openCliContext({ storedRegime: false });
      try {
        const stored = await adoptStoredRegime(ctx);
        // Said, then replaced: the preview compares the file with REGIME_FILE's regime then.
        if (stored.errors) process.stderr.write(`${[vi.regimeChange.cli.storedInvalid(stored.errors.length), ...stored.errors.map((e) => `  ${e}`)].join('\n')}\n`);
        if (opts.dryRun) return print(await previewRegimeChange(ctx, r.regime), previewWords);
        const done = await applyRegimeChange(ctx, r.regime, { userKey: process.env.USER ? `cli:${process.env.USER}` : 'cli', channel: 'cli', fileName: basename(file) });
        if (!done.ok) {
          process.stdout.write(`${done.reason === 'unchanged' ? vi.regimeChange.refused.unchanged : vi.regimeChange.refused.stale}\n`);
          return;
        }
        print(done.preview, previewWords);
        process.stdout.write(`${vi.regimeChange.cli.applied(r.regime.id, r.regime.version)}\n`);
      } finally {
        await ctx.store.db.close();
      }
    });
}
