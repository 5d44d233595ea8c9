import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.obligationsDevServer?.stop();
  if (globalThis.obligationsTestFolder) rmSync(globalThis.obligationsTestFolder, { recursive: true, force: true });
}
