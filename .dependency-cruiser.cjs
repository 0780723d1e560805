/**
 * The layer rules of docs/layers.md as code (issue 12). Run with `npm run lint:deps`.
 *
 * - Layers, top first: a folder imports only folders of its own layer or below. Any import counts
 *   (static, lazy `import()`, `import type`): type-only imports of a LOWER layer are fine because
 *   every downward import is; an upward one is refused whatever its kind.
 * - No cycles between folders (scope "folder"; channels/teams and channels/zalo are folders of
 *   their own), and no module imports a sibling channel's folder.
 * - Third-party SDKs stay in their one place: the Teams SDK (@microsoft/agents-*) and the JWT
 *   library (jose) under channels/teams/, axios under channels/zalo/, restify under app/.
 * - test/ and bench/ may import anything; nothing else imports them.
 */

/** Top first. Folders on one line are one layer (they may import each other one way only, see below). */
const LAYERS = [
  ['app', 'cli'],
  ['channels', 'web'],
  ['router'],
  ['dialogs'],
  ['jobs'],
  ['services'],
  ['reporting'],
  ['forms'],
  // The shared contracts (InboundEvent, OutMessage and its views, ChatCommand, AppContext): below
  // every folder that produces or consumes them; core/ itself needs only types from below it.
  ['core'],
  ['regime'],
  ['store'],
  // config/ words its errors with the catalogue; the catalogue needs only lib/.
  ['config'],
  ['i18n'],
  ['lib'],
];

const folders = (list) => `^(${list.join('|')})/`;

/** Outside the layers: tools and tests (they may import anything; nothing imports them). */
const OUTSIDE = ['test', 'bench', 'manifest', 'bin', 'tools'];

const layerRules = LAYERS.slice(1).map((_, i) => {
  const layer = LAYERS[i + 1];
  const above = LAYERS.slice(0, i + 1).flat();
  return {
    name: `layer-${layer.join('+')}`,
    severity: 'error',
    comment: `${layer.join('/, ')}/ must not import a folder above it (${above.join('/, ')}/): see docs/layers.md. Pass what you need down (a parameter, a type in core/) or move the code to the layer it belongs to.`,
    from: { path: folders(layer) },
    to: { path: folders(above) },
  };
});

/** Within a layer, one direction only, so two folders of one layer never form a cycle. */
const sameLayerRules = [
  {
    name: 'app-not-from-cli',
    severity: 'error',
    comment: "app/ is the server's composition; the CLI may use it (reminders run-once starts the app), not the reverse.",
    from: { path: '^app/' },
    to: { path: '^cli/' },
  },
];

/** A third-party package and the one folder allowed to import it (its @types too). */
const sdkRule = (name, pkg, home, why) => ({
  name,
  severity: 'error',
  comment: `${why} is imported only under ${home}/ (docs/layers.md).`,
  from: { path: '^(?!test/|bench/)', pathNot: `^${home}/` },
  to: { path: `(^|/)node_modules/(@types/)?${pkg}` },
});

module.exports = {
  forbidden: [
    ...layerRules,
    ...sameLayerRules,
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Folders form layers: no cycle between two folders (a lazy import() counts).',
      scope: 'folder',
      from: { pathNot: '^(test|bench)(/|$)' },
      to: { circular: true, pathNot: '^(test|bench)(/|$)' },
    },
    {
      name: 'channels-apart',
      severity: 'error',
      comment: 'A channel does not import another channel: what they share belongs in core/ (the contract) or lower.',
      from: { path: '^channels/([^/]+)/' },
      to: { path: '^channels/', pathNot: '^channels/$1/' },
    },
    sdkRule('teams-sdk-only-in-channels-teams', '(@microsoft/agents-[^/]*|jose)/', 'channels/teams', 'The Teams SDK (@microsoft/agents-*) and jose'),
    sdkRule('axios-only-in-channels-zalo', 'axios/', 'channels/zalo', 'axios (the Zalo OA API client)'),
    sdkRule('restify-only-in-app', 'restify/', 'app', 'restify (the HTTP server)'),
    {
      name: 'folder-in-a-layer',
      severity: 'error',
      comment: 'A new top-level folder gets a place in LAYERS above (and in docs/layers.md) before it imports anything.',
      from: { pathNot: `${folders([...LAYERS.flat(), ...OUTSIDE])}|^[^/]+$` },
      to: {},
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment: 'test/ and bench/ may import anything; nothing else imports them.',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file or an installed package.',
      // bin/dondoc.js loads the compiled dist/, which need not exist yet when linting.
      from: { pathNot: '^bin/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Sees `import type` (as type-only) and lazy `import()`; resolves NodeNext's '../x.js' to x.ts.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|data|\\.tmp|\\.tools|tools/ferretdb)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
