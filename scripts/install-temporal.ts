// Run by `npm install` (postinstall): puts the pinned Temporal binaries where the product finds them.
import { findProgram, installPrograms, PROGRAMS, type TemporalProgram } from '../workers/binaries';

const say = (line: string) => process.stderr.write(`obligations: ${line}\n`);
installPrograms(say);
for (const program of Object.keys(PROGRAMS) as TemporalProgram[]) {
  const found = findProgram(program);
  say(found ? `${PROGRAMS[program].command}: ${found.path} (${found.source})` : `${PROGRAMS[program].command}: not installed`);
}
