import type { Command } from 'commander';
import { z } from 'zod';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { periodJson, periodsOfYear } from '../regime/periods.js';
import { loadRegimeFile } from '../regime/regime.js';

const Year = z.coerce.number().int().min(2000).max(2100);

export function registerPeriodsCommand(program: Command): void {
  program
    .command('periods')
    .description('in mọi kỳ báo cáo của một năm, mỗi dòng một đối tượng JSON {id, kind, dataFrom, dataTo, deadline}')
    .requiredOption('--year <YYYY>', 'năm')
    .action((opts: { year: string }) => {
      const year = Year.safeParse(opts.year);
      if (!year.success) {
        process.stderr.write(`--year: cần một năm dạng YYYY (2000–2100), nhận được "${opts.year}"\n`);
        process.exit(2);
      }
      const file = process.env.REGIME_FILE ?? DEFAULT_REGIME_FILE;
      const r = loadRegimeFile(file);
      if (!r.ok) {
        process.stderr.write(`${file}: chế độ báo cáo không hợp lệ:\n  ${r.errors.join('\n  ')}\n`);
        process.exit(1);
      }
      for (const p of periodsOfYear(r.regime, year.data)) process.stdout.write(`${JSON.stringify(periodJson(p))}\n`);
    });
}
