import type { Command } from 'commander';
import { z } from 'zod';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { calendarGap, calendarWarning } from '../regime/calendar.js';
import { loadRegimeFile, regimeSummary } from '../regime/regime.js';

const Instant = z.iso.datetime({ offset: true, error: 'cần một thời điểm ISO 8601 có múi giờ, ví dụ 2027-06-21T08:00:00+07:00' });

export function registerRegimeCommand(program: Command): void {
  const regime = program.command('regime').description('chế độ báo cáo (đơn vị, nhiệm vụ, biểu mẫu, kỳ hạn, chỉ tiêu)');
  regime
    .command('check')
    .description('kiểm tra một tệp chế độ báo cáo (JSON hoặc YAML); mặc định: chế độ đang dùng (REGIME_FILE). Cảnh báo khi lịch ngày nghỉ lễ không đủ cho các hạn nộp trong 12 tháng tới')
    .argument('[FILE]', 'tệp cần kiểm tra')
    .option('--at <ISO_INSTANT>', 'xét 12 tháng tới tính từ thời điểm này (mặc định: bây giờ)')
    .action((file: string | undefined, opts: { at?: string }) => {
      let now = new Date();
      if (opts.at !== undefined) {
        const at = Instant.safeParse(opts.at.trim());
        if (!at.success) {
          process.stderr.write(`--at: ${at.error.issues[0].message}; nhận được "${opts.at}"\n`);
          process.exit(2);
        }
        now = new Date(at.data);
      }
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
      const gap = calendarGap(r.regime, now);
      if (gap) process.stderr.write(`cảnh báo: ${calendarWarning(gap)}\n`);
    });
}
