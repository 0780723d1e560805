/**
 * The report flow's quick check of its stored state (dialogs/report/state.ts quickReportState)
 * stands in for ReportFlowStateSchema on the common case only: whatever it accepts, the schema
 * accepts too and returns the same data, keys in the same order; anything else goes to the schema
 * as before. Checked on many stored shapes, well-formed and not (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickReportState, ReportFlowStateSchema } from '../../dialogs/report/state.js';

const key = fc.constantFrom('unitCode', 'periodId', 'mode', 'asking', 'queue', 'returnTo', 'pending', 'key', 'value', 'extra', '__proto__');
/** Values near what a report state holds, and many that are not. */
const near: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, 0, 1, -1, 1.5, Number.NaN, Infinity, '', 'BA-BE', '2027-H1', 'answer', 'review', 'confirm', 'summary', 'd1/status', true, [], ['d1/a'], [1]),
    fc.jsonValue(),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    fc.record({ key: fc.oneof(fc.constant('d1/a'), fc.string()), value: fc.oneof(fc.double(), fc.constant('1')) }, { requiredKeys: [] }),
  ),
}));
const state = fc.record(
  {
    unitCode: fc.oneof(fc.constantFrom('BA-BE', ''), near.value),
    periodId: fc.oneof(fc.constantFrom('2027-H1', ''), near.value),
    mode: fc.oneof(fc.constantFrom('answer', 'review', 'confirm', 'Answer'), near.value),
    asking: fc.oneof(fc.constantFrom(undefined, 'd1/status', ''), near.value),
    queue: fc.oneof(fc.constant(undefined), fc.array(fc.string(), { maxLength: 3 }), near.value),
    returnTo: fc.oneof(fc.constantFrom(undefined, 'confirm', 'summary', 'other'), near.value),
    pending: fc.oneof(fc.constant(undefined), fc.record({ key: fc.string(), value: fc.double() }), near.value),
    other: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('quick check of a stored report flow state', () => {
  it('accepts only what ReportFlowStateSchema accepts, with the same data in the same order', () => {
    fc.assert(
      fc.property(fc.oneof(state, near.value), (stored) => {
        const quick = quickReportState(stored);
        if (quick === undefined) return;
        const zod = ReportFlowStateSchema.safeParse(stored);
        expect(zod.success).toBe(true);
        expect(quick).toStrictEqual(zod.data);
        expect(Object.keys(quick)).toEqual(Object.keys(zod.data as object));
        expect(JSON.stringify(quick)).toBe(JSON.stringify(zod.data));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the states the report flow writes (so the schema is not run on every turn)', () => {
    const rows = [
      { unitCode: 'BA-BE', periodId: '2027-H1', mode: 'answer', asking: 'd1/status' },
      { unitCode: 'BA-BE', periodId: '2027-06', mode: 'review', queue: ['d1/a', 'd2/b'], asking: 'd1/a', returnTo: 'summary' },
      { unitCode: 'NA-RI', periodId: '2027-Y', mode: 'answer', asking: 'd3/si_participants', pending: { key: 'd3/si_participants', value: 1500000 } },
      { unitCode: 'NA-RI', periodId: '2027-Y', mode: 'confirm' },
    ];
    for (const row of JSON.parse(JSON.stringify(rows)) as unknown[]) {
      expect(quickReportState(row)).toStrictEqual(ReportFlowStateSchema.parse(row));
    }
  });

  it('leaves anything unusual to the schema', () => {
    for (const row of [
      null,
      [],
      'x',
      { unitCode: 'BA-BE', periodId: '2027-H1', mode: 'answer', extra: 1 },
      { unitCode: '', periodId: '2027-H1', mode: 'answer' },
      { unitCode: 'BA-BE', periodId: '2027-H1', mode: 'done' },
      { unitCode: 'BA-BE', periodId: '2027-H1', mode: 'answer', queue: [1] },
      { unitCode: 'BA-BE', periodId: '2027-H1', mode: 'answer', pending: { key: 'a', value: 1, more: true } },
      JSON.parse('{"unitCode":"BA-BE","periodId":"2027-H1","mode":"answer","__proto__":{"a":1}}'),
    ])
      expect(quickReportState(row)).toBeUndefined();
  });
});
