/**
 * Renders the `survey` sheet of a regime workbook with LibreOffice, as the pictures in this folder
 * were made: keeps only the survey sheet (exceljs), A3 landscape fitted to the width, then
 * `soffice --headless --convert-to pdf` and `pdftoppm -png`.
 *
 *   node tools/render-regime-survey.mjs WORKBOOK.xlsx OUT_PREFIX [DPI] [HEIGHT_PX]
 *
 * HEIGHT_PX keeps only the top of the page (a short sheet).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

const [src, out, dpi = '150', height] = process.argv.slice(2);
const wb = new ExcelJS.Workbook();
await wb.xlsx.readFile(src);
for (const ws of [...wb.worksheets]) if (ws.name !== 'survey') wb.removeWorksheet(ws.id);
const survey = wb.getWorksheet('survey');
survey.pageSetup = { ...survey.pageSetup, paperSize: 8 };
const dir = mkdtempSync(join(tmpdir(), 'regime-survey-'));
await wb.xlsx.writeFile(join(dir, 'survey.xlsx'));
execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'survey.xlsx')], { stdio: 'ignore' });
execFileSync('pdftoppm', ['-png', '-r', dpi, '-f', '1', '-l', '1', ...(height ? ['-y', '0', '-H', height, '-x', '0', '-W', '100000'] : []), join(dir, 'survey.pdf'), out]);
