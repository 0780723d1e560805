/**
 * The draft consolidated report to the provincial People's Committee as a Word document (docx),
 * laid out after Decree 30/2020/NĐ-CP (Appendix I): A4, margins 20/15/20/30 mm, Times New Roman;
 * header with the issuing body (and its parent) on the left and the national motto on the
 * right, number and place-date line, title and summary, body in 14 pt, closing with recipients
 * and signature block. Sections: general assessment, results per duty grouped by unit (from the
 * narratives), the target-rate table with a chart and the comparison with earlier periods
 * (docx-comparison.ts), units late or missing, difficulties and proposals from every unit, and
 * an appendix of the duties' summed figures.
 */
import { AlignmentType, BorderStyle, Document, ImageRun, NoBreakHyphen, Packer, PageBreak, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from 'docx';
import { DateTime } from 'luxon';
import { indicatorChartPng } from './chart-png.js';
import { BODY, FONT, MM, NO_BORDERS, PARAGRAPH_STYLES, PT, body, centred, heading, rule, run, table } from './docx-parts.js';
import type { Consolidation, IndicatorResult, UnitReport } from './consolidation.js';
import { vi } from '../i18n/vi.js';
import { answerText, fmtDateTime, fmtGap, fmtNumber, fmtPercent, fmtRate, milestoneText, withoutReportWord } from './wording.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import type { Comparison } from './comparison.js';
import { comparisonSection } from './docx-comparison.js';
import { coordinatorUnit } from '../regime/regime.js';

/** "16-CTr/TU" must not break at its hyphen: hyphens inside a word become non-breaking. */
function unbrokenHyphens(text: string): Array<string | NoBreakHyphen> {
  const out: Array<string | NoBreakHyphen> = [];
  text.split(/(?<=\S)-(?=\S)/).forEach((part, i) => {
    if (i) out.push(new NoBreakHyphen());
    out.push(part);
  });
  return out;
}

/** Breaks a long uppercase name into lines of at most `max` characters at spaces ("SỞ LAO ĐỘNG - THƯƠNG BINH" / "VÀ XÃ HỘI"). */
function headerLines(name: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of name.split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** " người" when every input counts the same thing. */
function unitOf(ind: IndicatorResult): string {
  const labels = new Set([...ind.numerator.parts, ...(ind.denominator?.parts ?? [])].map((p) => p.unitLabel ?? ''));
  const [only] = [...labels];
  return labels.size === 1 && only ? ` ${only}` : '';
}

function indicatorRow(ind: IndicatorResult, i: number): string[] {
  const name = ind.partOf ? vi.document.ofWhich(ind.name) : ind.name;
  const target = ind.milestone ? vi.document.targetOfYear(fmtPercent(ind.milestone.target), ind.milestone.year) : '—';
  if (ind.value === null) {
    const why = ind.zeroDenominator
      ? vi.document.zeroDenominatorNote
      : ind.missing.map((m) => `${vi.consolidation.missingFigure(m.unitName, m.label, vi.consolidation.missingReason[m.missing!])}.`).join('\n');
    return [String(i + 1), name, vi.consolidation.notComputed, target, '—', why];
  }
  const src = ind.direct
    ? `${vi.document.reportedBy(ind.numerator.parts.map((p) => p.unitName).join(', '))}.`
    : `${fmtNumber(ind.numerator.total!)} / ${fmtNumber(ind.denominator!.total!)}${unitOf(ind)}.`;
  return [String(i + 1), name, fmtRate(ind.value), target, fmtGap(ind.gap!), src];
}

function unitResults(rep: UnitReport, n: number, out: Array<Paragraph | Table>, trailing: Set<string>): void {
  out.push(heading(vi.document.unitHeading(n, rep.unitName, rep.late)));
  rep.sections.forEach((s, j) => {
    const letter = 'abcdefghiklmnopqrstuvxy'[j] ?? String(j + 1);
    const status = s.answers.find((a) => a.name === 'status' && a.choiceLabels);
    const texts = s.answers.filter((a) => a.type === 'text' && !trailing.has(a.name) && typeof a.value === 'string' && a.value.trim());
    const figures = s.answers.filter((a) => a.type !== 'text' && a.name !== 'status' && a.value !== undefined && a.value !== null);
    const lead: ParagraphChild[] = [run(`${letter}) ${s.title}`, { italics: true, bold: true }), run(status ? `: ${status.choiceLabels!.join(', ')}.` : '.')];
    out.push(body(lead));
    for (const t of texts)
      for (const line of String(t.value)
        .split(/\r?\n/)
        .filter((l) => l.trim()))
        out.push(body(line));
    if (figures.length) out.push(body([run(`${vi.document.figuresLabel}: `, { italics: true }), run(figures.map((a) => `${a.label}: ${answerText(a)}`).join('; ') + '.')]));
  });
}

export async function renderDocx(c: Consolidation, regime: ReportRegime, comparison: Comparison): Promise<Buffer> {
  const zone = regime.timezone;
  const coordinator = coordinatorUnit(regime);
  const abbr = coordinator.shortName.replace(/^Sở\s+/i, '') || coordinator.code;
  const now = DateTime.fromMillis(c.generatedAt, { zone });
  const periodWords = withoutReportWord(c.period.name, false);
  const content: Array<Paragraph | Table> = [];
  const trailing = new Set(regime.dutyTemplate.trailing.filter((q) => q.type === 'text').map((q) => q.name));

  // --- header (Decree 30: issuing body | national motto; number | place and date) ---------------
  // Two columns without cell margins: the issuing body (12 pt, "SỞ LAO ĐỘNG - THƯƠNG BINH" fits
  // 70 mm) and the national motto (12 pt, one line in 95 mm).
  const LEFT_MM = 70;
  const RIGHT_MM = 95;
  content.push(
    new Paragraph({
      spacing: { after: 120 },
      children: [new TextRun({ text: ` ${vi.document.draftMark} `, font: FONT, size: PT(12), bold: true, border: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } })],
    }),
  );
  content.push(
    new Table({
      width: { size: MM(LEFT_MM + RIGHT_MM), type: WidthType.DXA },
      columnWidths: [MM(LEFT_MM), MM(RIGHT_MM)],
      borders: NO_BORDERS,
      margins: { left: 0, right: 0, top: 0, bottom: 0 },
      rows: [
        new TableRow({
          children: [
            new TableCell({
              width: { size: MM(LEFT_MM), type: WidthType.DXA },
              borders: NO_BORDERS,
              children: [
                centred(vi.document.parentBody(regime.consolidator.province), { size: PT(12) }),
                ...headerLines(coordinator.name.toLocaleUpperCase('vi'), 25).map((l) => centred(l, { size: PT(12), bold: true })),
                rule(25, LEFT_MM),
              ],
            }),
            new TableCell({
              width: { size: MM(RIGHT_MM), type: WidthType.DXA },
              borders: NO_BORDERS,
              children: [centred(vi.document.motto1, { size: PT(12), bold: true }), centred(vi.document.motto2, { size: PT(13), bold: true }), rule(58, RIGHT_MM)],
            }),
          ],
        }),
        new TableRow({
          children: [
            new TableCell({ width: { size: MM(LEFT_MM), type: WidthType.DXA }, borders: NO_BORDERS, children: [centred(vi.document.number(abbr), { size: PT(13) })] }),
            new TableCell({
              width: { size: MM(RIGHT_MM), type: WidthType.DXA },
              borders: NO_BORDERS,
              children: [centred(vi.document.placeDate(regime.consolidator.province, now), { size: PT(14), italics: true })],
            }),
          ],
        }),
      ],
    }),
  );

  // --- title ---------------------------------------------------------------------------------------
  content.push(centred(vi.document.title, { bold: true, size: PT(14), before: 360 }));
  for (const line of vi.document.subtitle(withoutReportWord(regime.title, true), periodWords).split('\n'))
    content.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ bold: true, children: unbrokenHyphens(line) })] }));
  content.push(rule(40, 165));
  content.push(centred(vi.document.recipient(regime.consolidator.reportTo), { size: PT(14), after: 240 }));
  content.push(body(vi.document.intro(regime.source, coordinator.name, c.period.name)));

  // --- I. general assessment -------------------------------------------------------------------------
  content.push(heading(vi.document.h1General));
  const onTime = c.board.filter((b) => b.status !== 'not_started' && b.status !== 'in_progress' && !b.late).length;
  const late = c.board.filter((b) => b.status !== 'not_started' && b.status !== 'in_progress' && b.late).length;
  content.push(body(vi.document.generalSubmitted(c.submittedCount, c.expectedCount, onTime, late, c.counts.approved, c.counts.needs_correction)));
  const missing = c.board.filter((b) => b.status === 'not_started' || b.status === 'in_progress');
  content.push(body(missing.length ? vi.document.generalMissing(missing.length, missing.map((m) => m.shortName).join(', ')) : vi.document.generalAllIn));
  const statusCounts = new Map<string, number>();
  let dutyCount = 0;
  for (const r of c.reports)
    for (const s of r.sections) {
      const st = s.answers.find((a) => a.name === 'status' && a.choiceLabels?.length);
      if (!st) continue;
      dutyCount++;
      const label = st.choiceLabels!.join(', ');
      statusCounts.set(label, (statusCounts.get(label) ?? 0) + 1);
    }
  if (dutyCount) content.push(body(vi.document.generalDuties(dutyCount, [...statusCounts].map(([l, n]) => vi.document.dutiesInState(n, l.toLocaleLowerCase('vi'))).join(', '))));
  const computed = c.indicators.filter((i) => i.value !== null);
  const met = computed.filter((i) => i.gap !== null && i.gap >= 0).length;
  const ms = c.indicators.find((i) => i.milestone)?.milestone ?? null;
  content.push(body(vi.document.generalTargets(met, computed.length, c.indicators.length, milestoneText(ms, c.period.year))));
  const notComputed = c.indicators.filter((i) => i.value === null);
  if (notComputed.length) content.push(body(vi.document.generalTargetsMissing(notComputed.map((i) => i.name.charAt(0).toLocaleLowerCase('vi') + i.name.slice(1)).join('; '))));

  // --- II. results per duty, grouped by unit ----------------------------------------------------------
  content.push(heading(vi.document.h2Results));
  if (!c.reports.length) content.push(body(vi.document.noResults));
  c.reports.forEach((rep, i) => unitResults(rep, i + 1, content, trailing));

  // --- III. targets ------------------------------------------------------------------------------------
  content.push(heading(vi.document.h3Targets));
  content.push(body(vi.document.targetsNote(milestoneText(ms, c.period.year))));
  content.push(
    table(
      [...vi.document.targetsTableHeaders],
      c.indicators.map((ind, i) => indicatorRow(ind, i)),
      [9, 55, 20, 24, 22, 35],
      [AlignmentType.CENTER, AlignmentType.LEFT, AlignmentType.RIGHT, AlignmentType.RIGHT, AlignmentType.RIGHT, AlignmentType.LEFT],
    ),
  );
  const chart = await indicatorChartPng(c.indicators);
  content.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 200, after: 60 },
      keepNext: true,
      children: [
        new ImageRun({
          type: 'png',
          data: chart.png,
          transformation: { width: chart.width, height: chart.height },
          altText: { name: 'bieu-do-chi-tieu', title: vi.document.chartTitle, description: chart.description },
        }),
      ],
    }),
  );
  content.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 200 },
      children: [run(vi.document.chartCaption, { italics: true, size: PT(12) })],
    }),
  );
  for (const ind of c.indicators.filter((x) => x.districts)) {
    const b = ind.districts!;
    content.push(body([run(vi.document.districtTitle(b.label, b.unitLabel, ind.name), { italics: true })]));
    content.push(
      table(
        [...vi.document.docDistrictHeaders],
        [
          ...b.rows.map((r, i) => [
            String(i + 1),
            r.unitName,
            r.numerator === null ? vi.consolidation.notReported : `${fmtNumber(r.numerator)}${typeof r.value === 'number' ? ` (${fmtRate(r.value)})` : ''}`,
            r.missing.map((m) => vi.consolidation.missingReason[m.missing!]).join('; '),
          ]),
          ['', vi.document.sumRow, fmtNumber(b.reportedTotal), vi.document.unitsReported(b.reported, b.expected)],
        ],
        [10, 75, 35, 45],
        [AlignmentType.CENTER, AlignmentType.LEFT, AlignmentType.RIGHT, AlignmentType.LEFT],
      ),
    );
    content.push(new Paragraph({ spacing: { after: 120 }, children: [] }));
  }

  content.push(...comparisonSection(comparison, regime));

  // --- IV. late and missing ---------------------------------------------------------------------------
  content.push(heading(vi.document.h4Late));
  const lateRows = c.board.filter((b) => b.late && b.revision);
  content.push(
    body([
      run(`${vi.document.lateList}: `, { italics: true }),
      run(lateRows.length ? lateRows.map((b) => `${b.shortName} (${vi.document.submittedAtNote(fmtDateTime(b.firstSubmittedAt!, zone))})`).join('; ') + '.' : vi.document.noneLate),
    ]),
  );
  content.push(
    body([
      run(`${vi.document.missingList}: `, { italics: true }),
      run(
        missing.length
          ? missing
              .map((b) => `${b.shortName} — ${vi.consolidation.statusLabel[b.status].toLocaleLowerCase('vi')}${b.progress ? ` ${b.progress.percent}%` : ''}${b.overdue ? vi.document.overdueNote : ''}`)
              .join('; ') + '.'
          : vi.document.noneMissing,
      ),
    ]),
  );

  // --- V. difficulties and proposals -------------------------------------------------------------------
  content.push(heading(vi.document.h5Difficulties));
  regime.dutyTemplate.trailing
    .filter((q) => q.type === 'text')
    .forEach((q, i) => {
      content.push(body([run(`${i + 1}. ${q.label}`, { bold: true, italics: true })]));
      let any = false;
      for (const rep of c.reports) {
        const items = rep.sections.map((s) => ({ s, a: s.answers.find((a) => a.name === q.name) })).filter((x) => typeof x.a?.value === 'string' && (x.a.value as string).trim());
        for (const { s, a } of items) {
          any = true;
          content.push(body([run(`- ${rep.shortName} (${s.title}): `, { italics: true }), run(String(a!.value).replace(/\s*\r?\n\s*/g, ' '))]));
        }
      }
      if (!any) content.push(body(vi.document.noneStated));
    });

  content.push(body(vi.document.closing));

  // --- recipients and signature -------------------------------------------------------------------------
  content.push(
    new Table({
      width: { size: MM(165), type: WidthType.DXA },
      columnWidths: [MM(80), MM(85)],
      borders: NO_BORDERS,
      rows: [
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({
              borders: NO_BORDERS,
              width: { size: MM(80), type: WidthType.DXA },
              children: [
                new Paragraph({ spacing: { before: 120 }, children: [run(vi.document.recipientsTitle, { bold: true, italics: true, size: PT(12) })] }),
                ...vi.document.recipients(regime.consolidator.reportTo).map((l) => new Paragraph({ children: [run(l, { size: PT(11) })] })),
              ],
            }),
            new TableCell({
              borders: NO_BORDERS,
              width: { size: MM(85), type: WidthType.DXA },
              children: [centred(regime.consolidator.signer ?? vi.document.signer, { bold: true, size: PT(14), before: 120 })],
            }),
          ],
        }),
      ],
    }),
  );

  // --- appendix: the duties' summed figures -------------------------------------------------------------
  const appendixRows: string[][] = [];
  for (const d of c.duties)
    for (const q of d.questions)
      appendixRows.push([
        `${d.ownerName} — ${d.title}`,
        `${q.label}${q.unitLabel ? ` (${q.unitLabel})` : ''}`,
        q.total === null ? (q.type === 'percent' ? vi.document.notApplicable : vi.consolidation.notReported) : fmtNumber(q.total),
        `${q.reported}/${d.units.length}`,
      ]);
  if (appendixRows.length) {
    content.push(new Paragraph({ children: [new PageBreak()] }));
    content.push(centred(vi.document.hAppendix, { bold: true, after: 200 }));
    content.push(table([...vi.document.appendixHeaders], appendixRows, [55, 65, 25, 20], [AlignmentType.LEFT, AlignmentType.LEFT, AlignmentType.RIGHT, AlignmentType.CENTER]));
  }

  const doc = new Document({
    creator: 'dondoc',
    title: `${vi.document.title} ${periodWords}`,
    styles: { default: { document: { run: { font: FONT, size: BODY } } }, paragraphStyles: PARAGRAPH_STYLES },
    sections: [
      {
        properties: {
          page: {
            size: { width: MM(210), height: MM(297) },
            margin: { top: MM(20), bottom: MM(20), left: MM(30), right: MM(15) },
          },
        },
        children: content,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
