/** The consolidation/export benchmark as a section of `npm run bench` (bench/run.ts): see ./export.ts. */
export { run } from './export.js';
