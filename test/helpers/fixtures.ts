/**
 * Where the channel payload fixtures live: test/fixtures in this repository (copied from the
 * platform captures), so a clone anywhere runs its tests. DONDOC_FIXTURES may point elsewhere.
 * Resolved from the project root, so it holds from sources and from dist/ (the benchmarks).
 */
import { resolve } from 'node:path';
import { projectRoot } from '../../lib/paths.js';

export const FIXTURES_DIR: string = process.env.DONDOC_FIXTURES ?? resolve(projectRoot, 'test', 'fixtures');
