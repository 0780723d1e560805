// ESLint (flat config): the recommended rules of ESLint and typescript-eslint (without type
// information, so it stays fast) over the sources, tests, benchmarks and tools. The layer rules
// are dependency-cruiser's (.dependency-cruiser.cjs); formatting is Prettier's (.prettierrc.json).
// `npm run lint` runs both linters.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'data/', '.tmp/', '.tools/', 'tools/ferretdb/', 'manifest/build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // A leading underscore marks a parameter kept for its signature (message templates take
      // the unit even when the wording does not use it).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  {
    // Tests, benchmarks and tools read JSON from fakes, cards and platforms: `any` is how they
    // reach into those payloads (87 places). Production code keeps the rule.
    files: ['test/**', 'bench/**', 'manifest/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['test/**'],
    rules: {
      // A scripted conversation sends a turn as `r = await p.say(…)` whether or not the next
      // line reads `r`: the assignment is the turn (10 places).
      'no-useless-assignment': 'off',
      // Expected texts match the two-space indent of listed choices literally: `/  2\. …/`.
      'no-regex-spaces': 'off',
      // A Zalo user id sent as a JSON number (beyond 2^53) is the malformed event two tests send
      // on purpose: the webhook must refuse it, ids are strings.
      'no-loss-of-precision': 'off',
    },
  },
);
