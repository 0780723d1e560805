/**
 * The router's quick check of a stored session (router/router.ts quickSession) stands in for
 * SessionSchema on the common case only: whatever it accepts, SessionSchema accepts too and
 * returns the same data; anything else goes to SessionSchema as before. Checked on many stored
 * shapes, well-formed and not (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickSession, SessionSchema } from '../../router/router.js';

const field = fc.constantFrom('v', 'flow', 'memory', 'id', 'state', 'extra', '__proto__');
/** Values near what a session holds, and many that are not. */
const near: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, 0, 1, 2, -1, 1.5, Number.NaN, Infinity, 2 ** 60, '', 'report', 'report.pick', true, []),
    fc.jsonValue(),
    fc.dictionary(field, tie('value'), { maxKeys: 4 }),
    fc.record({ id: fc.oneof(fc.constant('report'), fc.string()), v: fc.oneof(fc.constant(1), fc.constant(undefined), fc.double()), state: tie('value') }, { requiredKeys: [] }),
  ),
}));
const session = fc.record(
  {
    v: fc.oneof(fc.constant(1), fc.constant(2), fc.constant(undefined), fc.constant(1.5), fc.constant('1')),
    flow: fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      near.value,
      fc.record(
        { id: fc.constantFrom('report', 'report.pick', ''), v: fc.constantFrom(1, 2, undefined, 0.5), state: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), near.value) },
        { requiredKeys: [] },
      ),
    ),
    memory: fc.oneof(fc.constant(undefined), fc.dictionary(fc.string(), fc.jsonValue()), near.value),
    other: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('quick check of a stored session', () => {
  it('accepts only what SessionSchema accepts, with the same data', () => {
    fc.assert(
      fc.property(fc.oneof(session, near.value), (stored) => {
        const quick = quickSession(stored);
        if (quick === undefined) return;
        const zod = SessionSchema.safeParse(stored);
        expect(zod.success).toBe(true);
        expect(quick).toEqual(zod.data);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the rows this version writes (so SessionSchema is not run on every turn)', () => {
    const rows = [
      { v: 1, flow: null, memory: {} },
      {
        v: 1,
        flow: { id: 'report', v: 1, state: { unitCode: 'BA-BE', periodId: '2027-H1', mode: 'answer', asking: 'd1/status' } },
        memory: { lastReport: { unitCode: 'BA-BE', periodId: '2027-H1' } },
      },
      { flow: { id: 'report', state: {} } },
    ];
    for (const row of JSON.parse(JSON.stringify(rows)) as unknown[]) {
      expect(quickSession(row)).toEqual(SessionSchema.parse(row));
    }
  });

  it('leaves anything unusual to SessionSchema', () => {
    for (const row of [null, [], 'x', { v: 1.5 }, { v: '1' }, { flow: { id: '', state: {} } }, { flow: { id: 'report', state: [] } }, { memory: [] }, JSON.parse('{"memory":{"__proto__":{"a":1}}}')])
      expect(quickSession(row)).toBeUndefined();
  });
});
