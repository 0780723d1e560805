/**
 * restify 11 asks for find-my-way ^7 and send ^0.18, both with published advisories (find-my-way
 * GHSA-rrr8-f88r-h8q6, a ReDoS in routes with two parameters in one segment, fixed in 8.2.2;
 * send GHSA-m6fv-jmcg-4jfg, HTML in its redirect page, fixed in 0.19.0). package.json's
 * `overrides` gives restify the fixed lines (the ones restify 12 uses for find-my-way; 0.19 for
 * send, whose API restify 11's static-file plugin was written for), and the HTTP tests pass on
 * them. This checks what restify actually loads, so a lost override fails here.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const fromRestify = createRequire(createRequire(import.meta.url).resolve('restify'));
const version = (name: string) => (fromRestify(`${name}/package.json`) as { version: string }).version.split('.').map(Number);
const atLeast = (v: number[], min: number[]) => (v[0] !== min[0] ? v[0] > min[0] : v[1] !== min[1] ? v[1] > min[1] : v[2] >= min[2]);

describe('restify runs on the fixed find-my-way and send', () => {
  it('find-my-way ≥ 9.0.1 (fixed in 8.2.2 and 9.0.1)', () => {
    expect(atLeast(version('find-my-way'), [9, 0, 1]), version('find-my-way').join('.')).toBe(true);
  });
  it('send ≥ 0.19.0', () => {
    expect(atLeast(version('send'), [0, 19, 0]), version('send').join('.')).toBe(true);
  });
});
