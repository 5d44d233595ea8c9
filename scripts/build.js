// `npm run build`: the release in dist/. The TypeScript compiled by tsc (incremental: with nothing
// changed it only checks), then the workflow bundle written once, unless its inputs are unchanged;
// last, the stamp bin/obligations.js compares the sources with. Plain Node, since `npm start` and
// `npm test` run it before anything is compiled.
//   --allow-type-errors: report type errors but keep what tsc emitted (the tests' own set-up, where
//   the type check is a step of its own).
const { spawnSync } = require('node:child_process');
const { mkdirSync, rmSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');

async function build({ allowTypeErrors = false, say = (line) => process.stderr.write(`obligations: ${line}\n`) } = {}) {
  // The stamp takes the time the build began: a source saved while it runs is newer, so not taken as built.
  const began = new Date();
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (tsc.error) throw tsc.error;
  const typeErrors = tsc.status !== 0;
  if (typeErrors && !allowTypeErrors) return false;
  if (typeErrors) say('type errors (above): the build goes on with what tsc emitted');
  // The compiled bundler, just written by tsc: the types cannot follow a path made at run time.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
  const bundler = /** @type {{ ensureWorkflowBundle: (say: (line: string) => void) => Promise<unknown> }} */ (require(join(dist, 'workers', 'bundle.js')));
  await bundler.ensureWorkflowBundle(say);
  mkdirSync(dist, { recursive: true });
  // The commands' compiled code (Node's compile cache, bin/obligations.js) is of the last build: let it start afresh rather than grow.
  rmSync(join(dist, '.compile-cache'), { recursive: true, force: true });
  const stamp = join(dist, 'build-stamp');
  writeFileSync(stamp, `${began.toISOString()}\n`);
  utimesSync(stamp, began, began);
  return !typeErrors;
}

module.exports = { build };

if (require.main === module) {
  build({ allowTypeErrors: process.argv.includes('--allow-type-errors') }).then(
    (ok) => { process.exitCode = ok ? 0 : 1; },
    (err) => { process.stderr.write(`obligations: the build failed: ${err instanceof Error ? err.stack : String(err)}\n`); process.exitCode = 1; },
  );
}
