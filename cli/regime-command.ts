import type { Command } from 'commander';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { loadRegimeFile, regimeSummary } from '../reporting/regime.js';

export function registerRegimeCommand(program: Command): void {
  const regime = program.command('regime').description('chế độ báo cáo (đơn vị, nhiệm vụ, biểu mẫu, kỳ hạn, chỉ tiêu)');
  regime
    .command('check')
    .description('kiểm tra một tệp chế độ báo cáo (JSON hoặc YAML); mặc định: chế độ đang dùng (REGIME_FILE)')
    .argument('[FILE]', 'tệp cần kiểm tra')
    .action((file?: string) => {
      const path = file ?? process.env.REGIME_FILE ?? DEFAULT_REGIME_FILE;
      const r = loadRegimeFile(path);
      if (!r.ok) {
        process.stderr.write(`${path}: không hợp lệ, ${r.errors.length} lỗi:\n`);
        for (const e of r.errors) process.stderr.write(`  ${e}\n`);
        process.exit(1);
      }
      const s = regimeSummary(r.regime);
      process.stdout.write(
        `${path}: hợp lệ — ${r.regime.id} v${r.regime.version}: ${s.units} đơn vị (${s.reportingUnits} đơn vị báo cáo), ${s.duties} nhiệm vụ, ${s.questions} câu hỏi, ${r.regime.reportKinds.length} loại báo cáo, ${r.regime.indicators.length} chỉ tiêu\n`,
      );
    });
}
