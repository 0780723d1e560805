#!/usr/bin/env node
/**
 * The importer rewrite of issue 12 ("one Vietnamese catalogue with descriptive keys"): every
 * module that imported one of the old one-letter catalogues (dialogs/messages.ts M, E, R,
 * LATE_RULE, roleName; jobs/messages.ts R, B; reporting/consolidation-messages.ts C, A, D,
 * STATUS_LABEL, MISSING_REASON, NOT_COMPUTED, NOT_REPORTED and its formatting helpers;
 * channels/console|teams|zalo/messages.ts C, teamsText, zaloText) is rewritten to the one
 * catalogue `vi` of i18n/vi.ts, and the helpers with logic are imported from their new homes.
 *
 *   node tools/i18n-codemod.mjs            rewrite every .ts file of the repository in place
 *   node tools/i18n-codemod.mjs --check    only list what would change (exit 1 if anything would)
 *   node tools/i18n-codemod.mjs FILE|DIR…  only these
 *
 * It is mechanical and idempotent (a second run changes nothing), so it can be run again after
 * merging branches that still use the old names (e.g. the report dialog split into
 * dialogs/report/*.ts): `M.welcome` becomes `vi.router.welcome`, `C.viewTitle` becomes
 * `vi.review.viewTitle`, `roleName(r)` becomes `vi.roles[r]`, `statusText` is imported from
 * reporting/wording.ts, and the old import lines are replaced by `import { vi } from
 * '…/i18n/vi.js'`. A key it does not know (a message added on another branch to a catalogue that
 * is split over several namespaces: M, C, A) or a use it cannot rewrite safely (a catalogue
 * passed as a whole, a local name shadowing an import) is reported with its file and line and the
 * file is left alone: add the key to i18n/vi/*.ts and to MAP below, then run it again. Keys of
 * catalogues moved whole (E → vi.answer, R → vi.report, …) are rewritten as they are; `tsc`
 * then says if one is missing from the new catalogue.
 *
 * Not rewritten: the old catalogue files themselves (deleted by hand) and test/messages.test.ts
 * (the wording snapshot, which walks `vi` itself).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `"ns": "a b c"` → { a: 'ns.a', b: 'ns.b', c: 'ns.c' } */
const byNamespace = (groups) =>
  Object.fromEntries(
    Object.entries(groups).flatMap(([ns, keys]) =>
      keys
        .trim()
        .split(/\s+/)
        .map((k) => [k, `${ns}.${k}`]),
    ),
  );

/**
 * Old module (path from the repository root, no extension) → exported name → what it becomes:
 *   { ns }          an object catalogue moved whole: X.key → vi.<ns>.key
 *   { keys }        an object catalogue split by key: X.key → vi.<keys[key]> (unknown key: error)
 *   { ns, keys }    moved whole, with a few keys renamed or moved elsewhere
 *   { value }       a constant: X → vi.<value>
 *   { index }       a function of a key: X(k) → vi.<index>[k]
 *   { helper }      a function with logic, imported from this module instead
 */
export const MAP = {
  'dialogs/messages': {
    M: {
      keys: {
        ...byNamespace({ router: 'welcome notEnrolled coordinatorOnly notUnderstood internalError unsupportedValue flowGone sessionExpired sessionExpiredHow cancelled nothingToCancel' }),
        helpTitle: 'help.title',
        helpEnrol: 'help.enrol',
        helpHelp: 'help.help',
        helpFooterMember: 'help.footerMember',
        helpFooterGuest: 'help.footerGuest',
        enrolUsage: 'enrolment.usage',
        enrolInvalid: 'enrolment.invalid',
        enrolUsed: 'enrolment.used',
        enrolExpired: 'enrolment.expired',
        enrolled: 'enrolment.enrolled',
        enrolledAgain: 'enrolment.enrolledAgain',
      },
    },
    E: { ns: 'answer' },
    R: { ns: 'report' },
    LATE_RULE: { value: 'report.lateRule' },
    roleName: { index: 'roles' },
  },
  'jobs/messages': {
    R: { ns: 'notice' },
    B: { ns: 'broadcast' },
  },
  'reporting/consolidation-messages': {
    C: {
      keys: byNamespace({
        consolidation: `boardTitle boardCounts boardDeadline boardMore focalNone lastActivity boardColumns boardTableTitle
          indicatorsTitle indicatorsBasis indicatorLine indicatorMissingLine zeroDenominator missingFigure usageStatus usageExport
          badPeriod unknownUnit exportReady exportReadyRelative helpStatus helpStatusShared helpExport`,
        review: `usageApprove usageCorrection usageView notFiling notSubmitted alreadyApproved awaitingResubmission
          reopenedCannotReview changedMeanwhile newerSinceViewed currentState approved unknownQuestions notApplicable noQuestions
          noComment correctionRequested sectionLabel sectionRef viewTitle viewSubmitted viewState viewAwaiting viewApproved
          viewNeedsCorrection viewReopened viewResubmittedAfterCorrection viewResubmittedAfterApproval viewCorrectionMark viewNext
          viewNothing viewReopenedUnsubmitted viewTableTitle viewColumns sectionList notifyApproved notifyCorrection
          notifyCorrectionChoice helpView helpApprove helpCorrection`,
      }),
    },
    A: {
      ns: 'admin',
      keys: { cliBadFormat: 'cli.badFormat', cliWritten: 'cli.written', cliColumns: 'cli.statusColumns', cliCounts: 'cli.counts' },
    },
    D: { ns: 'document' },
    STATUS_LABEL: { value: 'consolidation.statusLabel' },
    MISSING_REASON: { value: 'consolidation.missingReason' },
    NOT_COMPUTED: { value: 'consolidation.notComputed' },
    NOT_REPORTED: { value: 'consolidation.notReported' },
    ...Object.fromEntries('fmtNumber fmtRate fmtPercent fmtGap fmtDateTime fmtDate fmtIsoDate statusText milestoneText answerText'.split(' ').map((h) => [h, { helper: 'reporting/wording' }])),
  },
  'channels/console/messages': { C: { ns: 'console' } },
  'channels/teams/messages': { teamsText: { ns: 'teams' } },
  'channels/zalo/messages': { zaloText: { ns: 'zalo' } },
};

const CATALOGUE = 'i18n/vi';
const SKIP = new Set([...Object.keys(MAP).map((m) => `${m}.ts`), 'test/messages.test.ts']);

/** Module path from the root, without extension, of an import specifier in `file`; null for packages. */
function moduleOf(file, spec) {
  if (!spec.startsWith('.')) return null;
  return relative(ROOT, resolve(dirname(file), spec))
    .split(sep)
    .join('/')
    .replace(/\.(js|ts|mjs)$/, '');
}
/** The specifier that imports root module `mod` from `file`. */
function specFor(file, mod) {
  let r = relative(dirname(file), join(ROOT, mod)).split(sep).join('/');
  if (!r.startsWith('.')) r = `./${r}`;
  return `${r}.js`;
}

const DECLARATION_KINDS = new Set([
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.TypeParameter,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.EnumDeclaration,
]);

/** Rewrites one file's text; returns { text, problems } (text null when unchanged or refused). */
export function rewrite(file, text) {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems = [];
  const where = (node) => `${relative(ROOT, file)}:${src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1}`;

  // 1. Imports of the old catalogues: local name → rule.
  const bindings = new Map();
  const oldImports = [];
  for (const st of src.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const mod = moduleOf(file, st.moduleSpecifier.text);
    if (!mod || !MAP[mod]) continue;
    oldImports.push(st);
    const clause = st.importClause;
    if (!clause || clause.name || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) {
      problems.push(`${where(st)}: import of ${mod} is not a plain named import`);
      continue;
    }
    for (const el of clause.namedBindings.elements) {
      const exported = (el.propertyName ?? el.name).text;
      const rule = MAP[mod][exported];
      if (!rule) problems.push(`${where(el)}: ${mod} exports no ${exported} that the codemod knows`);
      else bindings.set(el.name.text, { ...rule, exported, mod });
    }
  }
  if (!oldImports.length) return { text: null, problems };

  // 2. Uses of those names.
  const edits = [];
  const helperImports = new Map(); // module → Set of "name" or "exported as local"
  let usesVi = false;
  const pathOf = (b, key, node) => {
    if (b.keys && b.keys[key]) return b.keys[key];
    if (b.ns) return `${b.ns}.${key}`;
    problems.push(`${where(node)}: ${b.exported}.${key} (${b.mod}) has no place in the new catalogue: add it to MAP`);
    return null;
  };
  const visit = (node) => {
    if (ts.isIdentifier(node) && bindings.has(node.text)) {
      const b = bindings.get(node.text);
      const parent = node.parent;
      if (ts.isImportSpecifier(parent)) return;
      if (DECLARATION_KINDS.has(parent.kind) && parent.name === node) {
        problems.push(`${where(node)}: a local ${node.text} shadows the import; rewrite this file by hand`);
        return;
      }
      if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)) return;
      if (ts.isQualifiedName(parent) && parent.right === node) return;
      if (ts.isShorthandPropertyAssignment(parent)) {
        problems.push(`${where(node)}: ${node.text} used as a shorthand property; rewrite by hand`);
        return;
      }
      if (b.helper) {
        if (!helperImports.has(b.helper)) helperImports.set(b.helper, new Set());
        helperImports.get(b.helper).add(b.exported === node.text ? node.text : `${b.exported} as ${node.text}`);
        return;
      }
      if (b.value) {
        edits.push([node.getStart(src), node.end, `vi.${b.value}`]);
        usesVi = true;
        return;
      }
      if (b.index) {
        if (ts.isCallExpression(parent) && parent.expression === node && parent.arguments.length === 1) {
          edits.push([node.getStart(src), parent.end, `vi.${b.index}[${parent.arguments[0].getText(src)}]`]);
          usesVi = true;
          return;
        }
        problems.push(`${where(node)}: ${node.text} not called with one argument; rewrite by hand`);
        return;
      }
      // An object catalogue: X.key or X['key'].
      let key = null;
      let end = node.end;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) [key, end] = [parent.name.text, parent.name.end];
      else if (ts.isQualifiedName(parent) && parent.left === node) [key, end] = [parent.right.text, parent.right.end];
      else if (ts.isElementAccessExpression(parent) && parent.expression === node && ts.isStringLiteralLike(parent.argumentExpression)) [key, end] = [parent.argumentExpression.text, parent.end];
      if (key === null) {
        if (b.ns && !b.keys) {
          edits.push([node.getStart(src), node.end, `vi.${b.ns}`]);
          usesVi = true;
        } else problems.push(`${where(node)}: ${node.text} (split over several namespaces) used as a whole; rewrite by hand`);
        return;
      }
      const path = pathOf(b, key, node);
      if (path) {
        edits.push([node.getStart(src), end, `vi.${path}`]);
        usesVi = true;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  for (const st of src.statements) if (!oldImports.includes(st)) visit(st);
  if (problems.length) return { text: null, problems };

  // 3. The imports: the old lines go; `vi` and the helpers' new homes come in their place.
  const alreadyVi = src.statements.some((st) => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && moduleOf(file, st.moduleSpecifier.text) === CATALOGUE);
  const lines = [];
  if (usesVi && !alreadyVi) lines.push(`import { vi } from '${specFor(file, CATALOGUE)}';`);
  for (const [mod, names] of helperImports) lines.push(`import { ${[...names].sort().join(', ')} } from '${specFor(file, mod)}';`);
  oldImports.forEach((st, i) => {
    // The whole line, with its newline.
    const start = st.getStart(src);
    let end = st.end;
    if (text[end] === '\n') end++;
    edits.push([start, end, i === 0 && lines.length ? `${lines.join('\n')}\n` : '']);
  });

  edits.sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [s, e, r] of edits) out = out.slice(0, s) + r + out.slice(e);
  return { text: out === text ? null : out, problems };
}

function* tsFiles(p) {
  const st = statSync(p);
  if (st.isFile()) {
    if (/\.(ts|mts)$/.test(p) && !p.endsWith('.d.ts')) yield p;
    return;
  }
  for (const name of readdirSync(p)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    yield* tsFiles(join(p, name));
  }
}

function main(argv) {
  const check = argv.includes('--check');
  const targets = argv.filter((a) => a !== '--check');
  let changed = 0;
  let failed = 0;
  for (const target of targets.length ? targets.map((t) => resolve(t)) : [ROOT]) {
    for (const file of tsFiles(target)) {
      const rel = relative(ROOT, file).split(sep).join('/');
      if (SKIP.has(rel)) continue;
      const { text, problems } = rewrite(file, readFileSync(file, 'utf8'));
      for (const p of problems) console.error(p);
      if (problems.length) failed++;
      if (text === null) continue;
      changed++;
      console.log(`${check ? 'would rewrite' : 'rewrote'} ${rel}`);
      if (!check) writeFileSync(file, text);
    }
  }
  console.log(`${changed} file(s) ${check ? 'to rewrite' : 'rewritten'}${failed ? `, ${failed} left for a hand rewrite (see above)` : ''}`);
  process.exitCode = failed || (check && changed) ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
