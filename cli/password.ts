import { InputError } from '../clients/errors';

/**
 * A password typed at a terminal, not echoed, asked twice; or, when standard input is not a
 * terminal (a script, a pipe), read from it whole, less one final line break.
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return (await readAll()).replace(/\r?\n$/, '');
  const first = await typed(prompt);
  const again = await typed('Again: ');
  if (first !== again) throw new InputError('the two passwords differ');
  return first;
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One line from the terminal with echo off: Enter ends it, Backspace takes back a character, Ctrl-C gives up. */
function typed(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const input = process.stdin;
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (finish: () => void) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      finish();
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(() => resolve(text));
        if (char === '\u0003') return done(() => reject(new Error('interrupted')));
        if (char === '\u007f' || char === '\b') text = [...text].slice(0, -1).join('');
        else text += char;
      }
    };
    input.on('data', onData);
  });
}
