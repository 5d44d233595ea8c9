/** `obligations user add` and `user list`, spawned as a user runs them, the password piped in. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate } from '../../clients/users';
import { runCli } from '../support/cli';

const folder = mkdtempSync(join(tmpdir(), 'obligations-users-'));
const env: NodeJS.ProcessEnv = { OBLIGATIONS_DATA_DIR: folder, OBLIGATIONS_CONFIG: '' };
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('adds a user with the password from standard input, resets it, and lists users without their hashes', async () => {
  const added = await runCli(['--json', 'user', 'add', 'Ada Lovelace', '--role', 'legal-officer'], env, 'correct horse battery\n');
  expect(added).toMatchObject({ code: 0 });
  expect(JSON.parse(added.stdout)).toEqual({ name: 'Ada Lovelace', role: 'legal-officer', created: true });
  // The final line break is the terminal's, not the password's.
  await expect(authenticate(folder, 'Ada Lovelace', 'correct horse battery')).resolves.toMatchObject({ role: 'legal-officer' });

  const reset = await runCli(['user', 'add', 'Ada Lovelace', '--role', 'administrator'], env, 'another one');
  expect(reset.stdout).toMatch(/Password and role set for user Ada Lovelace \(administrator\)/);
  await expect(authenticate(folder, 'Ada Lovelace', 'another one')).resolves.toMatchObject({ role: 'administrator' });

  const listed = await runCli(['--json', 'user', 'list'], env);
  expect(JSON.parse(listed.stdout)).toEqual([{ name: 'Ada Lovelace', role: 'administrator', updatedAt: expect.any(String) as unknown }]);
  expect(listed.stdout).not.toContain('scrypt');
});

test('a bad role or an empty password is refused with exit code 2 and nothing is stored', async () => {
  const badRole = await runCli(['user', 'add', 'Bob', '--role', 'king'], env, 'pw');
  expect(badRole.code).toBe(2);
  expect(badRole.stderr).toMatch(/Allowed choices are viewer, operations, legal-officer, administrator/);
  const empty = await runCli(['--json', 'user', 'add', 'Bob', '--role', 'viewer'], env, '\n');
  expect(empty.code).toBe(2);
  expect(JSON.parse(empty.stdout)).toEqual({ error: { kind: 'InputError', message: 'the password is empty' } });
  const listed = await runCli(['--json', 'user', 'list'], env);
  expect((JSON.parse(listed.stdout) as { name: string }[]).map((u) => u.name)).not.toContain('Bob');
});
