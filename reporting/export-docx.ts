/**
 * The draft consolidated report to the provincial People's Committee as a Word document (docx),
 * laid out after Decree 30/2020/NĐ-CP (Appendix I): A4, margins 20/15/20/30 mm, Times New Roman;
 * header with the issuing body (and its parent) on the left and the national motto on the
 * right, number and place-date line, title and summary, body in 14 pt, page numbers centred in
 * the header from page 2, closing with "Nơi nhận" and the signature block (authority, title,
 * space for signature and seal, name). Every name (body, abbreviation, place, province,
 * recipients, signer) comes from the regime. Sections: general assessment, results per duty
 * grouped by unit (from the narratives), the target-rate table with a chart (or, for a period
 * whose forms give no rate, such as a monthly report, the units' figures and their sums), units
 * late or missing, difficulties and proposals from every unit, and an appendix with one compact
 * table of figures per unit (a duty several units share: a row per unit and a total).
 */
import { AlignmentType, BorderStyle, Header, ImageRun, NoBreakHyphen, PageBreak, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from 'docx';
import { DateTime } from 'luxon';
import { indicatorChartPng } from './chart-png.js';
import { BODY, FONT, MM, NO_BORDERS, PARAGRAPH_STYLES, PT, body, centred, heading, rule, run, subheading, table, type TableCellInput } from './docx-parts.js';
import type { AnswerView, Consolidation, DutyTotals, IndicatorResult, UnitReport } from './consolidation.js';
import { vi } from '../i18n/vi.js';
import { answerText, fmtDateTime, fmtGap, fmtNumber, fmtPercent, fmtRate, milestoneText, withoutReportWord } from './wording.js';
import type { Comparison } from './comparison.js';
import type { Attachment } from '../store/records.js';
import { comparisonFigures, comparisonRates } from './docx-comparison.js';
import { packDocx, type Block } from './docx-pack.js';
import type { QuestionType, ReportRegime } from '../regime/regime-schema.js';
import { buildForm, coordinatorUnit, findUnit } from '../regime/regime.js';

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

/** The letter of a unit's j-th duty, as Vietnamese documents number items: a, b, c, d, đ, e, … (the same in section II and the appendix). */
const letterOf = (j: number): string => 'abcdđeghiklmnopqrstuvxy'[j] ?? String(j + 1);

function* unitResults(rep: UnitReport, n: number, trailing: Set<string>): Generator<Paragraph> {
  yield heading(vi.document.unitHeading(n, rep.unitName, rep.late));
  for (const [j, s] of rep.sections.entries()) {
    const letter = letterOf(j);
    const status = s.answers.find((a) => a.name === 'status' && a.choiceLabels);
    const texts = s.answers.filter((a) => a.type === 'text' && !trailing.has(a.name) && typeof a.value === 'string' && a.value.trim());
    const lead: ParagraphChild[] = [run(`${letter}) ${s.title}`, { italics: true, bold: true }), run(status ? `: ${status.choiceLabels!.join(', ')}.` : '.')];
    yield body(lead);
    for (const t of texts)
      for (const line of String(t.value)
        .split(/\r?\n/)
        .filter((l) => l.trim()))
        yield body(line);
  }
}

/** What the draft says of its issuing body, all from the regime (consolidator), with the defaults for what it leaves unset. */
function issuer(regime: ReportRegime) {
  const k = regime.consolidator;
  const coordinator = coordinatorUnit(regime);
  return {
    coordinator,
    /** In the number "Số:      /BC-…": the regime's, or the short name without "Sở" ("Sở LĐTBXH" → "LĐTBXH"). */
    abbr: k.abbreviation ?? (coordinator.shortName.replace(/^Sở\s+/i, '') || coordinator.code),
    place: k.place ?? k.province,
    recipients: k.recipients ?? vi.document.defaultRecipients(k.reportTo),
    archive: k.archive ?? vi.document.defaultArchive,
    signature: k.signature ?? { title: vi.document.defaultSignatureTitle },
  };
}

/** Who reports in the period, for the intro: "các sở, ban, ngành, đoàn thể tỉnh" and each group by its regime name ("Ủy ban nhân dân các huyện, thành phố"). */
function reportingBodies(c: Consolidation, regime: ReportRegime): string {
  const groups: string[] = [];
  let provincial = false;
  for (const b of c.board) {
    const parent = b.parent ? findUnit(regime, b.parent) : undefined;
    if (parent?.kind === 'group') {
      if (!groups.includes(parent.name)) groups.push(parent.name);
    } else provincial = true;
  }
  return vi.document.unitsAnd([...(provincial ? [vi.document.provincialUnits] : []), ...groups]);
}

/**
 * Whether the period's forms collect the inputs of at least one indicator (decided by data: an
 * input is "not_filing" when no form of the period asks it). A monthly report, which only the
 * districts file, gives no rate: its section III shows the figures instead.
 */
const ratesComputable = (c: Consolidation): boolean => c.indicators.some((i) => !i.missing.some((m) => m.missing === 'not_filing'));

/** The report kinds whose forms collect every indicator's inputs ("báo cáo 6 tháng, báo cáo năm"). */
function ratingKinds(regime: ReportRegime): string {
  const refs = regime.indicators.flatMap((i) => [...i.numerator, ...(i.denominator ?? [])]);
  return regime.reportKinds
    .filter((k) => refs.length && refs.every((f) => buildForm(regime, f.unit, k.id)?.sections.some((s) => s.id === f.duty)))
    .map((k) => k.name.charAt(0).toLocaleLowerCase('vi') + k.name.slice(1))
    .join(', ');
}

/** The figures of the appendix (and of a monthly report's section III): every answer that is not narrative. */
const FIGURE_TYPES = new Set<QuestionType>(['integer', 'decimal', 'percent', 'date', 'select_one', 'select_multiple']);
const ADDITIVE = new Set<QuestionType>(['integer', 'decimal']);
const given = (a: AnswerView | undefined): a is AnswerView => a !== undefined && a.value !== undefined && a.value !== null && !(Array.isArray(a.value) && !a.value.length);

/**
 * The units' figures: one compact table per unit (a line per duty, then its figures with their
 * values: only what the unit reported), and a duty several units share (the districts share
 * group m's) as one table, a row per unit (those that did not report say so), the figures as
 * columns and their exact sums (the consolidation's) in a total row. Then one line naming the
 * units that have not reported and the duties a unit reported no figure of.
 */
function* figureTables(c: Consolidation, template: Set<string>): Generator<Block> {
  const reports = new Map(c.reports.map((r) => [r.unitCode, r]));
  const shortName = new Map(c.board.map((b) => [b.unitCode, b.shortName]));
  const isFigure = (q: { name: string; type: QuestionType }) => FIGURE_TYPES.has(q.type) && !template.has(q.name);
  const withoutFigures: string[] = [];
  const owners = new Map<string, DutyTotals[]>();
  for (const d of c.duties) owners.set(d.ownerUnit, [...(owners.get(d.ownerUnit) ?? []), d]);
  let n = 0;
  for (const [owner, duties] of owners) {
    if (duties.every((d) => d.units.length === 1 && d.units[0] === owner)) {
      // a unit's own duties: one table, a line per duty, only the figures it reported
      const rep = reports.get(owner);
      if (!rep) continue;
      const rows: TableCellInput[][] = [];
      const empty: string[] = [];
      rep.sections.forEach((s, j) => {
        const figures = s.answers.filter(isFigure);
        const reported = figures.filter(given);
        if (figures.length && !reported.length) empty.push(s.title);
        if (!reported.length) return;
        rows.push([{ text: `${letterOf(j)}) ${s.title}`, span: 2, bold: true, italics: true }]);
        for (const a of reported) rows.push([a.label, answerText(a)]);
      });
      if (empty.length) withoutFigures.push(vi.document.dutiesWithoutFigures(rep.shortName, empty));
      if (!rows.length) continue;
      yield heading(`${++n}. ${rep.unitName}`);
      yield table([...vi.document.appendixHeaders], rows, [125, 40], [AlignmentType.LEFT, AlignmentType.RIGHT]);
      continue;
    }
    // duties several units share: a table per duty, a row per unit, a total row
    const blocks: Array<Block> = [];
    duties.forEach((d, j) => {
      const sectionOf = (unit: string) => reports.get(unit)?.sections.find((s) => s.id === d.dutyId);
      const columns =
        d.units
          .map(sectionOf)
          .find((s) => s)
          ?.answers.filter(isFigure) ?? [];
      if (!columns.length || !d.units.some((u) => columns.some((q) => given(sectionOf(u)?.answers.find((a) => a.name === q.name))))) return;
      const width = Math.floor(115 / columns.length);
      const rows: TableCellInput[][] = d.units.map((u) => {
        const s = sectionOf(u);
        const values = columns.map((q) => s?.answers.find((a) => a.name === q.name));
        if (!values.some(given)) return [shortName.get(u) ?? u, { text: s ? vi.document.unitNoFigures : vi.document.unitNotSubmitted, span: columns.length, italics: true }];
        return [shortName.get(u) ?? u, ...values.map((a) => (given(a) ? answerText({ ...a, unitLabel: undefined }) : '—'))];
      });
      const total = columns.map((q) => {
        if (!ADDITIVE.has(q.type)) return '';
        const sum = d.questions.find((x) => x.name === q.name)?.total;
        return typeof sum === 'number' ? fmtNumber(sum) : '—';
      });
      if (total.some(Boolean)) rows.push([{ text: vi.document.totalRow, bold: true }, ...total.map((t) => ({ text: t, bold: true }))]);
      blocks.push(subheading(`${letterOf(j)}) ${d.title}`));
      blocks.push(
        table(
          [vi.document.unitColumn, ...columns.map((q) => vi.document.labelWithUnit(q.label, q.unitLabel))],
          rows,
          [165 - width * columns.length, ...columns.map(() => width)],
          [AlignmentType.LEFT, ...columns.map((q) => (q.type === 'select_one' || q.type === 'select_multiple' ? AlignmentType.LEFT : AlignmentType.RIGHT))],
        ),
      );
    });
    if (!blocks.length) continue;
    yield heading(`${++n}. ${duties[0].ownerName}`);
    yield* blocks;
  }
  if (!n) yield body(vi.document.noFigures);
  const notSubmitted = c.board.filter((b) => !reports.has(b.unitCode)).map((b) => b.shortName);
  const parts = [...(notSubmitted.length ? [vi.document.notSubmittedUnits(notSubmitted)] : []), ...withoutFigures];
  if (parts.length) yield new Paragraph({ spacing: { before: 120 }, children: [run(vi.document.nothingReported(parts), { italics: true })] });
}

/** Decree 30: the authority ("KT. GIÁM ĐỐC") over the title ("PHÓ GIÁM ĐỐC"), bold uppercase; space for the signature and seal; the signer's name in bold (a visible placeholder until the regime gives it). */
function signatureBlock(sig: { authority?: string; title: string; name?: string }): Paragraph[] {
  const upper = (t: string) => t.toLocaleUpperCase('vi');
  return [
    ...(sig.authority ? [centred(upper(sig.authority), { bold: true, before: 120 })] : []),
    centred(upper(sig.title), { bold: true, before: sig.authority ? 0 : 120 }),
    centred(sig.name ?? vi.document.signerNamePlaceholder, { bold: true, before: MM(30) }),
  ];
}

/** `attachments`: the signed copies units attached, listed per unit after the appendix (none: nothing added). */
export async function renderDocx(c: Consolidation, regime: ReportRegime, comparison: Comparison, attachments: readonly Attachment[] = []): Promise<Buffer> {
  const zone = regime.timezone;
  const { coordinator, abbr, place, recipients, archive, signature } = issuer(regime);
  const now = DateTime.fromMillis(c.generatedAt, { zone });
  const rated = ratesComputable(c);
  const periodWords = withoutReportWord(c.period.name, false);
  // The body, in order; the long parts (section II, the figures' tables) as generators that
  // packDocx runs block by block as it writes them, so that they are never all in memory.
  const content: Array<Block | Iterable<Block>> = [];
  const trailing = new Set(regime.dutyTemplate.trailing.filter((q) => q.type === 'text').map((q) => q.name));
  const template = new Set([...regime.dutyTemplate.leading, ...regime.dutyTemplate.trailing].map((q) => q.name));

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
              children: [centred(vi.document.placeDate(place, vi.document.dateWords(now)), { size: PT(14), italics: true })],
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
  content.push(body(vi.document.intro(regime.source, coordinator.name, c.period.name, reportingBodies(c, regime))));

  // --- I. general assessment -------------------------------------------------------------------------
  content.push(heading(vi.document.h1General));
  const onTime = c.board.filter((b) => b.status !== 'not_started' && b.status !== 'in_progress' && !b.late).length;
  const late = c.board.filter((b) => b.status !== 'not_started' && b.status !== 'in_progress' && b.late).length;
  content.push(body(vi.document.generalSubmitted(c.submittedCount, c.expectedCount, onTime, late, c.counts.approved, c.counts.needs_correction)));
  const missing = c.board.filter((b) => b.status === 'not_started' || b.status === 'in_progress');
  if (missing.length) content.push(body(vi.document.generalMissing(missing.length, missing.map((m) => m.shortName).join(', '))));
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
  const notComputed = c.indicators.filter((i) => i.value === null);
  if (!rated) content.push(body(vi.document.targetsNotInKind(ratingKinds(regime))));
  else content.push(body(vi.document.generalTargets(met, computed.length, c.indicators.length, milestoneText(ms, c.period.year))));
  if (rated && notComputed.length) content.push(body(vi.document.generalTargetsMissing(notComputed.map((i) => i.name.charAt(0).toLocaleLowerCase('vi') + i.name.slice(1)).join('; '))));

  // --- II. results per duty, grouped by unit ----------------------------------------------------------
  content.push(heading(vi.document.h2Results));
  // The narratives here; the figures once, in their tables (the appendix, or section III when the period gives no rate).
  if (c.reports.length) content.push(body([run(rated ? vi.document.figuresInAppendix : vi.document.figuresInSection3, { italics: true })]));
  if (!c.reports.length) content.push(body(vi.document.noResults));
  content.push(
    (function* () {
      for (const [i, rep] of c.reports.entries()) yield* unitResults(rep, i + 1, trailing);
    })(),
  );

  // --- III. targets (or, when the period's forms give no rate, the units' figures) --------------------------
  if (!rated) {
    content.push(heading(vi.document.h3Figures));
    content.push(figureTables(c, template));
  } else {
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
  }

  // The rates against earlier periods, in sentences; the figures' comparison table follows the
  // figures (here when section III shows them, in the appendix otherwise).
  content.push(...comparisonRates(comparison));
  if (!rated) content.push(...comparisonFigures(comparison, regime));

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
  // As section II: a generator, its paragraphs made only as they are written.
  content.push(
    (function* () {
      for (const [i, q] of regime.dutyTemplate.trailing.filter((x) => x.type === 'text').entries()) {
        yield body([run(`${i + 1}. ${q.label}`, { bold: true, italics: true })]);
        let any = false;
        for (const rep of c.reports) {
          // A unit that states the same thing for several duties says it once, naming the duties.
          const byText = new Map<string, string[]>();
          for (const s of rep.sections) {
            const v = s.answers.find((a) => a.name === q.name)?.value;
            const text = typeof v === 'string' ? v.replace(/\s*\r?\n\s*/g, ' ').trim() : '';
            if (text) byText.set(text, [...(byText.get(text) ?? []), s.title]);
          }
          for (const [text, titles] of byText) {
            any = true;
            yield body([run(`- ${rep.shortName} (${titles.join('; ')}): `, { italics: true }), run(text)]);
          }
        }
        if (!any) yield body(vi.document.noneStated);
      }
    })(),
  );

  // The closing stays on the page of the signature block: never a page with the signature alone.
  content.push(body(vi.document.closing(regime.consolidator.reportTo), { keepNext: true }));

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
                ...[...recipients.map(vi.document.recipientLine), vi.document.archiveLine(archive)].map((l) => new Paragraph({ children: [run(l, { size: PT(11) })] })),
              ],
            }),
            new TableCell({
              borders: NO_BORDERS,
              width: { size: MM(85), type: WidthType.DXA },
              children: signatureBlock(signature),
            }),
          ],
        }),
      ],
    }),
  );

  // --- appendix: the units' figures (in section III already when the period gives no rate) ----------------
  if (rated && c.reports.length) {
    content.push(new Paragraph({ children: [new PageBreak()] }));
    content.push(centred(vi.document.hAppendix, { bold: true }));
    content.push(centred(vi.document.appendixTitle, { bold: true }));
    content.push(centred(vi.document.appendixOf(abbr, vi.document.dateWords(now), coordinator.name), { italics: true, after: 200 }));
    content.push(figureTables(c, template));
    content.push(...comparisonFigures(comparison, regime));
  }

  // --- the signed copies units attached (their names, types, sizes and SHA-256 fingerprints) ----------------
  if (attachments.length) {
    const names = new Map(c.board.map((b) => [b.unitCode, b.name]));
    content.push(new Paragraph({ spacing: { before: 240 }, children: [run(vi.document.attachmentsHeading, { bold: true })] }));
    const sorted = [...attachments].sort((a, b) => a.unitCode.localeCompare(b.unitCode) || a.at - b.at);
    for (const a of sorted)
      content.push(
        new Paragraph({
          children: [
            run(vi.document.attachmentLine(names.get(a.unitCode) ?? a.unitCode, a.name, vi.attachment.types[a.contentType], fmtNumber(a.size), fmtDateTime(a.at, zone), a.sha256), { size: PT(12) }),
          ],
        }),
      );
  }

  return packDocx(
    {
      creator: 'dondoc',
      title: `${vi.document.title} ${periodWords}`,
      styles: { default: { document: { run: { font: FONT, size: BODY } } }, paragraphStyles: PARAGRAPH_STYLES },
    },
    {
      properties: {
        // Decree 30: page numbers in Arabic numerals, centred in the header, from the second page.
        titlePage: true,
        page: {
          size: { width: MM(210), height: MM(297) },
          margin: { top: MM(20), bottom: MM(20), left: MM(30), right: MM(15) },
        },
      },
      headers: {
        first: new Header({ children: [new Paragraph({ children: [] })] }),
        default: new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: PT(14) })] })] }),
      },
    },
    content,
  );
}
