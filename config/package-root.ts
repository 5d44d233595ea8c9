import { join } from 'node:path';

/**
 * The package's own folder, whether this module runs from the TypeScript sources (`config/`) or
 * from the compiled release (`dist/config/`). The data files it ships (config/*.yaml and *.json,
 * dashboard/static) are read from here, never copied into dist, so a build cannot leave them stale.
 */
export const PACKAGE_ROOT = join(__dirname, __filename.endsWith('.ts') ? '..' : '../..');

export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
