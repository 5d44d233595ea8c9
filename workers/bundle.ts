import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { packagePath, PACKAGE_ROOT } from '../config/package-root';

/**
 * The workflow bundle of the release: written once by `npm run build`, loaded by every worker and
 * replayed by the replay test, so that production runs the very code the stored histories checked.
 */
export const WORKFLOW_BUNDLE_PATH = packagePath('dist', 'workflow-bundle.js');
/** Every file webpack read to make the bundle, with its digest: the bundle is current while they are unchanged. */
const INPUTS_PATH = packagePath('dist', 'workflow-bundle.inputs.json');
/** The workflow sources: always the TypeScript, which the SDK's bundler compiles itself. */
export const WORKFLOWS_PATH = packagePath('workflows', 'index.ts');

type Inputs = Record<string, string>;

const digest = (file: string): string | undefined => {
  try {
    return createHash('sha1').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
};

/** Whether the bundle on disk was made from the files as they are now (none added to it, none changed or gone). */
export function workflowBundleCurrent(): boolean {
  if (!existsSync(WORKFLOW_BUNDLE_PATH) || !existsSync(INPUTS_PATH)) return false;
  let inputs: Inputs;
  try {
    inputs = JSON.parse(readFileSync(INPUTS_PATH, 'utf8')) as Inputs;
  } catch {
    return false;
  }
  const files = Object.entries(inputs);
  return files.length > 0 && files.every(([file, sum]) => digest(resolve(PACKAGE_ROOT, file)) === sum);
}

/**
 * Write the bundle (and the list of its inputs) unless it is current; returns its path. Written
 * under a temporary name and renamed, so a worker starting meanwhile reads a whole bundle.
 */
export async function ensureWorkflowBundle(say: (line: string) => void = () => {}): Promise<{ path: string; rebuilt: boolean }> {
  if (workflowBundleCurrent()) return { path: WORKFLOW_BUNDLE_PATH, rebuilt: false };
  say(existsSync(WORKFLOW_BUNDLE_PATH) ? 'the workflow sources changed since the bundle was made: bundling them again' : 'bundling the workflows');
  // Loaded here only: webpack and the bundler are for the build, never for a command that only reads.
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const read = new Set<string>();
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quiet,
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [...(config.plugins ?? []), {
        apply: (compiler: { hooks: { afterCompile: { tap(name: string, fn: (compilation: { fileDependencies: Iterable<string> }) => void): void } } }) => {
          compiler.hooks.afterCompile.tap('obligations-bundle-inputs', (compilation) => {
            for (const file of compilation.fileDependencies) read.add(file);
          });
        },
      }],
    }),
  });
  // This file too: its bundler options are part of what the bundle is.
  read.add(packagePath('workers', 'bundle.ts'));
  const inputs: Inputs = {};
  // The bundler's generated entry point lives in memory only; every other input is a file on disk.
  for (const file of [...read].filter((f) => isAbsolute(f) && existsSync(f)).sort()) {
    const sum = digest(file);
    if (sum) inputs[relative(PACKAGE_ROOT, file)] = sum;
  }
  mkdirSync(dirname(WORKFLOW_BUNDLE_PATH), { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(WORKFLOW_BUNDLE_PATH + suffix, bundle.code);
  writeFileSync(INPUTS_PATH + suffix, `${JSON.stringify(inputs, null, 1)}\n`);
  renameSync(WORKFLOW_BUNDLE_PATH + suffix, WORKFLOW_BUNDLE_PATH);
  renameSync(INPUTS_PATH + suffix, INPUTS_PATH);
  return { path: WORKFLOW_BUNDLE_PATH, rebuilt: true };
}

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
