/**
 * `dondoc status PERIOD [--json]` — the status board of a period from the same store as the
 * server; `dondoc export PERIOD --format xlsx|docx|csv --out FILE` — the consolidation as a file.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { boardRowJson, exportFileName, isExportFormat, loadConsolidation, loadExport, renderExport } from '../services/consolidation.js';
import { vi } from '../i18n/vi.js';
import { fmtDateTime, statusText } from '../reporting/wording.js';
import { deadlineWords, makePeriod, parsePeriodId, type ReportingPeriod } from '../regime/periods.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { openCliContext } from './open-context.js';

function periodOrExit(regime: ReportRegime, id: string): ReportingPeriod {
  const p = parsePeriodId(id) ? makePeriod(regime, id) : undefined;
  if (!p) {
    process.stderr.write(`${parsePeriodId(id) ? vi.admin.unknownPeriod(id) : vi.admin.badPeriod(id)}\n`);
    process.exit(2);
  }
  return p;
}

/** A plain-text table with columns padded to their widest cell. */
export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(vi.cli.status.description)
    .argument('<PERIOD>', vi.cli.periodArg)
    .option('--json', vi.cli.status.jsonOption)
    .action(async (id: string, opts: { json?: boolean }) => {
      const ctx = await openCliContext();
      try {
        const p = periodOrExit(ctx.regime, id);
        const zone = ctx.regime.timezone;
        const cons = await loadConsolidation(ctx, p, ctx.clock.now());
        if (opts.json) {
          for (const b of cons.board) process.stdout.write(`${JSON.stringify(boardRowJson(b, zone))}\n`);
          return;
        }
        const rows = cons.board.map((b) => [
          b.unitCode,
          b.shortName,
          statusText(b),
          b.revision ? String(b.revision) : '',
          b.lastSubmittedAt ? fmtDateTime(b.lastSubmittedAt, zone) : '',
          b.lastActivityAt ? fmtDateTime(b.lastActivityAt, zone) : '',
          b.focalPoints.map((f) => f.name ?? f.userKey).join(', '),
        ]);
        process.stdout.write(`${vi.cli.status.heading(p.name, deadlineWords(p), cons.submittedCount, cons.expectedCount)}\n\n`);
        process.stdout.write(`${textTable([...vi.cli.statusColumns], rows)}\n\n`);
        const counts = Object.entries(cons.counts)
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${vi.consolidation.statusLabel[s as keyof typeof vi.consolidation.statusLabel]} ${n}`);
        process.stdout.write(`${vi.cli.counts(counts.join(' · '))}\n`);
      } finally {
        await ctx.store.db.close();
      }
    });

  program
    .command('export')
    .description(vi.cli.export.description)
    .argument('<PERIOD>', vi.cli.periodArg)
    .requiredOption('--format <format>', vi.cli.export.formatOption)
    .option('--out <FILE>', vi.cli.export.outOption)
    .action(async (id: string, opts: { format: string; out?: string }) => {
      const format = opts.format.trim().toLowerCase();
      if (!isExportFormat(format)) {
        process.stderr.write(`${vi.cli.badFormat(opts.format)}\n`);
        process.exit(2);
      }
      const ctx = await openCliContext();
      try {
        const p = periodOrExit(ctx.regime, id);
        const now = ctx.clock.now();
        const data = await renderExport(await loadExport(ctx, p, now), ctx.regime, format);
        const out = resolve(opts.out ?? exportFileName(p.id, format));
        await writeFile(out, data);
        await ctx.store.writeAudit({
          at: now.getTime(),
          actor: `cli:${process.env.USER ?? 'unknown'}`,
          channel: 'cli',
          action: 'export.created',
          subject: p.id,
          details: { format, bytes: data.length, via: 'cli', out },
        });
        process.stderr.write(`${vi.cli.written(out, data.length)}\n`);
      } finally {
        await ctx.store.db.close();
      }
    });
}
