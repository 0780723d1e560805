/**
 * The `dondoc` command line (was reporting/consolidation-messages.ts `A.cli…`).
 */
import { formatNumber } from '../../lib/number.js';

export const cli = {
  badFormat: (s: string) => `--format: cần xlsx, docx hoặc csv, nhận được "${s}"`,
  written: (path: string, bytes: number) => `Đã ghi ${path} (${formatNumber(bytes)} byte).`,
  statusColumns: ['Mã', 'Đơn vị', 'Trạng thái', 'Lần nộp', 'Nộp gần nhất', 'Hoạt động gần nhất', 'Đầu mối'],
  counts: (parts: string) => `Cộng: ${parts}`,
} as const;
