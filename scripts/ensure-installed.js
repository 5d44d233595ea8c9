// Runs before `npm start` and `npm test`: on a fresh clone (or after the lockfile changed) it installs
// the npm packages, whose postinstall installs the pinned Temporal binaries; otherwise it only checks
// that the binaries are there. Then it builds the release (scripts/build.js: quick when nothing
// changed), so neither command runs code older than the sources. Plain Node with no dependencies,
// since it runs before any are installed.
const { execFileSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const installed = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  process.stderr.write('obligations: installing npm packages (npm ci)\n');
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
} else {
  execFileSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'install-temporal.ts')], { cwd: root, stdio: 'inherit' });
}

require('./build').build().then(
  (ok) => { if (!ok) process.exitCode = 1; },
  (err) => { process.stderr.write(`obligations: the build failed: ${err instanceof Error ? err.stack : String(err)}\n`); process.exitCode = 1; },
);
