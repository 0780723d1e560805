/**
 * The consolidation tests' period: 2027-H1 of the default regime, seen on 8 July 2027 (after the
 * deadline). Every reporting unit has submitted except Sở Tài chính (nothing) and UBND huyện
 * Na Rì (a draft, 40 %); BA-BE and STP submitted late; Sở LĐTBXH's submission lacks the
 * social-pension figure (as one filed before the regime made every indicator figure required
 * could), so the pension rate cannot be computed. Figures for the other rates are realistic.
 *
 * `expected*` recompute what the documents must show straight from the stored submissions, with
 * integer arithmetic in hundredths (the seeded values have at most two decimals), independently
 * of reporting/consolidation.ts.
 */
import { DateTime } from 'luxon';
import { DEFAULT_REGIME_FILE } from '../../lib/paths.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { buildForm, loadRegimeFile } from '../../regime/regime.js';
import type { AnswerValue, Submission } from '../../store/records.js';
import type { Repositories } from '../../store/repositories.js';
import { filingUnits, seedDraft, seedSubmissions } from './seed-submissions.js';

export const PERIOD = '2027-H1';
/** 8 July 2027, 10:00 in Bắc Kạn. */
export const NOW = DateTime.fromISO('2027-07-08T10:00:00', { zone: 'Asia/Ho_Chi_Minh' }).toJSDate();
export const NOT_SUBMITTED = 'STC';
export const IN_PROGRESS = 'NA-RI';
export const LATE = ['BA-BE', 'STP'];

export const FIGURES = {
  CTK: { 'd1/labour_force_working_age': 187400, 'd1/population_past_retirement_age': 38650 },
  BHXH: {
    'd4/si_participants': 41230,
    'd4/vsi_participants': 4120,
    'd4/ui_participants': 30560,
    'd2/pension_recipients': 9870,
    'd2/monthly_benefit_recipients': 2140,
    'd2/satisfaction_index': 86.5,
  },
  LDTBXH: { 'd8/social_pension_recipients': null },
} satisfies Record<string, Record<string, AnswerValue>>;

export function defaultRegime(): ReportRegime {
  const r = loadRegimeFile(DEFAULT_REGIME_FILE);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.regime;
}

/** The same period with every filing unit in (FULL: bench/sample-export.ts --full): Sở LĐTBXH reports the social-pension figure too, so every rate is computed. */
export const FULL_FIGURES = { ...FIGURES, LDTBXH: { 'd8/social_pension_recipients': 4315 } } satisfies Record<string, Record<string, AnswerValue>>;

export async function seedScenario(
  repos: Repositories,
  regime: ReportRegime,
  opts: { figures?: Record<string, Record<string, AnswerValue>>; skipUnits?: string[]; full?: boolean } = {},
): Promise<Submission[]> {
  const skip = new Set(opts.full ? [] : [NOT_SUBMITTED, IN_PROGRESS, ...(opts.skipUnits ?? [])]);
  const figures = opts.figures ?? (opts.full ? FULL_FIGURES : FIGURES);
  const { submissions } = await seedSubmissions(repos, regime, PERIOD, {
    units: filingUnits(regime, PERIOD).filter((u) => !skip.has(u)),
    lateUnits: LATE,
    answers: Object.fromEntries(Object.entries(figures).map(([u, o]) => [u, { overrides: o }])),
  });
  if (!opts.full) await seedDraft(repos, regime, PERIOD, IN_PROGRESS, 0.4);
  return submissions;
}

/** The same period a year earlier (issue 13's comparison), seen from 2027-H1. */
export const EARLIER = '2026-H1';

/**
 * 2026-H1's figures for the rates: BHXH's participants grew since (41.230 from 39.800), the
 * voluntary ones fell (4.120 from 4.305), the unemployment-insured stayed at 30.560; Sở LĐTBXH
 * did report the social pension then, so that rate was computed in 2026 only.
 */
export const EARLIER_FIGURES = {
  CTK: { 'd1/labour_force_working_age': 186200, 'd1/population_past_retirement_age': 37900 },
  BHXH: {
    'd4/si_participants': 39800,
    'd4/vsi_participants': 4305,
    'd4/ui_participants': 30560,
    'd2/pension_recipients': 9500,
    'd2/monthly_benefit_recipients': 2100,
    'd2/satisfaction_index': 84.5,
  },
  LDTBXH: { 'd8/social_pension_recipients': 6120 },
} satisfies Record<string, Record<string, AnswerValue>>;

/**
 * Every reporting unit submitted 2026-H1, Sở Tài chính and UBND huyện Na Rì included: so in 2027
 * Sở Tài chính's figures have nothing to compare with, and the districts' sums are over 7 units
 * in 2027 against 8 in 2026 (not like-for-like).
 */
export async function seedEarlierScenario(repos: Repositories, regime: ReportRegime): Promise<Submission[]> {
  const { submissions } = await seedSubmissions(repos, regime, EARLIER, {
    seed: 2026,
    answers: Object.fromEntries(Object.entries(EARLIER_FIGURES).map(([u, o]) => [u, { overrides: o }])),
  });
  return submissions;
}

// --- independent expectations ----------------------------------------------------------------------

const cents = (v: number) => Math.round(v * 100);

/** Latest stored submission per unit, read back from the store. */
export async function storedLatest(repos: Repositories, periodId = PERIOD): Promise<Map<string, Submission>> {
  const out = new Map<string, Submission>();
  for (const s of await repos.submissions.find({ periodId })) if ((out.get(s.unitCode)?.revision ?? 0) < s.revision) out.set(s.unitCode, s);
  return out;
}

/** Each indicator's rate from stored answers, or null with the units whose figures are missing. */
export function expectedIndicators(regime: ReportRegime, latest: Map<string, Submission>): Record<string, { value: number | null; missingUnits: string[] }> {
  const out: Record<string, { value: number | null; missingUnits: string[] }> = {};
  for (const ind of regime.indicators) {
    const missingUnits: string[] = [];
    const sum = (refs: typeof ind.numerator) => {
      let c = 0;
      for (const f of refs) {
        const v = latest.get(f.unit)?.answers[`${f.duty}/${f.question}`];
        if (typeof v !== 'number') missingUnits.push(f.unit);
        else c += cents(v);
      }
      return c;
    };
    const n = sum(ind.numerator);
    const d = ind.denominator ? sum(ind.denominator) : undefined;
    out[ind.id] = { value: missingUnits.length ? null : d === undefined ? n / 100 : (n * 100) / d, missingUnits };
  }
  return out;
}

/** Sum of one question over the given units' stored answers (null when nobody reported it). */
export function expectedSum(latest: Map<string, Submission>, units: string[], key: string): number | null {
  let c = 0;
  let any = false;
  for (const u of units) {
    const v = latest.get(u)?.answers[key];
    if (typeof v === 'number') {
      c += cents(v);
      any = true;
    }
  }
  return any ? c / 100 : null;
}

/** Units that file the period and carry a duty of this owner (districts carry group m's). */
export function unitsWithDuty(regime: ReportRegime, owner: string, dutyId: string, periodId = PERIOD): string[] {
  const kind = periodId.endsWith('H1') ? 'H1' : periodId.endsWith('Y') ? 'Y' : 'M';
  return filingUnits(regime, periodId).filter((code) => {
    const u = regime.units.find((x) => x.code === code)!;
    const ownerCode = u.duties.length ? u.code : u.parent;
    return ownerCode === owner && buildForm(regime, code, kind)?.sections.some((s) => s.id === dutyId);
  });
}
