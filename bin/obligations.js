#!/usr/bin/env node
// The `obligations` command runs the compiled release in dist/ (`npm run build`; `npm start` and
// `npm test` build first). Where there is no build, or a source was saved after the last one began,
// it runs the TypeScript sources with tsx instead: slower to start, never older than the sources.
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const SOURCES = ['activities', 'cli', 'clients', 'config', 'dashboard', 'domain', 'observability', 'workers', 'workflows'];

/** Milliseconds of the last build's start, or -1 when there is none. */
function builtAt() {
  try {
    return statSync(join(root, 'dist', 'build-stamp')).mtimeMs;
  } catch {
    return -1;
  }
}

/** Whether any TypeScript source (or the package's settings) was saved after `since`. @param {number} since */
function changedSince(since) {
  if (statSync(join(root, 'package.json')).mtimeMs > since) return true;
  return SOURCES.some((folder) => savedAfter(join(root, folder), since));
}

/** @param {string} folder @param {number} since @returns {boolean} */
function savedAfter(folder, since) {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    // A folder the package does not have (yet).
    return false;
  }
  return entries.some((entry) => (entry.isDirectory()
    ? savedAfter(join(folder, entry.name), since)
    : entry.name.endsWith('.ts') && statSync(join(folder, entry.name)).mtimeMs > since));
}

// Output piped into a reader that has had enough (`obligations case list | head`) is not a failure.
process.stdout.on('error', (/** @type {NodeJS.ErrnoException} */ err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const since = builtAt();
if (since >= 0 && !changedSince(since)) {
  // Node 22.1 and later keep each module's compiled code between runs: most of a command's start is compiling the SDK.
  const { enableCompileCache } = /** @type {{ enableCompileCache?: (folder: string) => unknown }} */ (require('node:module'));
  if (typeof enableCompileCache === 'function') enableCompileCache(join(root, 'dist', '.compile-cache'));
  void require('../dist/cli/main.js').main(process.argv);
} else if (typeof require('node:module').register !== 'function') {
  // tsx's loader for each command's import() needs module.register (Node 20.6); the build needs nothing of the kind.
  process.stderr.write(`obligations: Node.js ${process.version} runs only the built release: run \`npm run build\` first\n`);
  process.exitCode = 1;
} else {
  if (process.stderr.isTTY) process.stderr.write(`obligations: running the TypeScript sources (${since < 0 ? 'no build in dist/' : 'changed since the last build'}); \`npm run build\` makes commands start faster\n`);
  // Both of tsx's hooks: require() for the static imports, the ESM loader for each command's import().
  require('tsx/cjs');
  void import('tsx/esm').then(() => require('../cli/main.ts').main(process.argv));
}
