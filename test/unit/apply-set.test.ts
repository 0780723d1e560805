/**
 * store/doc-store.ts applySet, the `$set` both stores and the repositories apply: dotted paths,
 * deletion by undefined, and the document given left exactly as it was (the result is copied
 * along the paths set and shares the rest).
 */
import { describe, expect, it } from 'vitest';
import { applySet } from '../../store/doc-store.js';

describe('applySet', () => {
  it('sets top-level and dotted paths, deletes with undefined, creates missing parents, and leaves the given document unchanged', () => {
    const doc = { _id: 'e', _v: 3, status: 'processing', leaseUntil: 9, payload: { type: 'message', deep: { a: 1 } }, list: [1, 2], other: { x: 1 } };
    const before = JSON.stringify(doc);
    const out = applySet(doc, { status: 'done', leaseUntil: undefined, 'payload.invokeResponse': '{}', 'payload.deep.b': 2, 'made.new': true, 'list.1': 5 });
    expect(out).toEqual({ _id: 'e', _v: 3, status: 'done', payload: { type: 'message', deep: { a: 1, b: 2 }, invokeResponse: '{}' }, list: [1, 5], other: { x: 1 }, made: { new: true } });
    expect(JSON.stringify(doc)).toBe(before);
    // What the change does not touch is shared, what it touches is new.
    expect(out.other).toBe(doc.other);
    expect(out.payload).not.toBe(doc.payload);
    expect(out.list).not.toBe(doc.list);
  });
});
