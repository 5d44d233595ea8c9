import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../clients/errors';
import { authenticate, hashPassword, listUsers, passwordMatches, setUser, usersFile } from '../../clients/users';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'users-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the users of the dashboard', () => {
  it('keeps a slow salted hash, never the password, in a file only its owner reads', async () => {
    await setUser(dir, { name: 'Ada Lovelace', role: 'legal-officer', password: 'correct horse battery' });
    const text = readFileSync(usersFile(dir), 'utf8');
    expect(text).not.toContain('correct horse');
    expect(text).toMatch(/"password": "scrypt\$32768\$8\$1\$/);
    expect(statSync(usersFile(dir)).mode & 0o777).toBe(0o600);
    expect(await listUsers(dir)).toEqual([{ name: 'Ada Lovelace', role: 'legal-officer', updatedAt: expect.any(String) as unknown }]);
  });

  it('signs in with the right password only, and an unknown name the same way as a wrong password', async () => {
    await setUser(dir, { name: 'Ada Lovelace', role: 'viewer', password: 'correct horse battery' });
    await expect(authenticate(dir, 'Ada Lovelace', 'correct horse battery')).resolves.toMatchObject({ name: 'Ada Lovelace', role: 'viewer' });
    await expect(authenticate(dir, 'Ada Lovelace', 'correct horse batterY')).resolves.toBeUndefined();
    await expect(authenticate(dir, 'Nobody', 'correct horse battery')).resolves.toBeUndefined();
  });

  it('salts each hash: the same password twice gives two hashes, both matching', async () => {
    const [a, b] = [await hashPassword('same'), await hashPassword('same')];
    expect(a).not.toBe(b);
    await expect(passwordMatches(a, 'same')).resolves.toBe(true);
    await expect(passwordMatches(b, 'other')).resolves.toBe(false);
  });

  it('resets a password and role in place: one entry per name', async () => {
    await setUser(dir, { name: 'Ada Lovelace', role: 'viewer', password: 'first' });
    await expect(setUser(dir, { name: ' Ada Lovelace ', role: 'administrator', password: 'second' })).resolves.toMatchObject({ created: false, role: 'administrator' });
    expect(await listUsers(dir)).toHaveLength(1);
    await expect(authenticate(dir, 'Ada Lovelace', 'first')).resolves.toBeUndefined();
    await expect(authenticate(dir, 'Ada Lovelace', 'second')).resolves.toMatchObject({ role: 'administrator' });
  });

  it('refuses a bad role, an empty password or name, and says so; the file is left as it was', async () => {
    await setUser(dir, { name: 'Ada Lovelace', role: 'viewer', password: 'first' });
    const before = readFileSync(usersFile(dir), 'utf8');
    await expect(setUser(dir, { name: 'Bob', role: 'king', password: 'x' })).rejects.toThrow(new InputError('--role: "king" is not one of viewer, operations, legal-officer, administrator'));
    await expect(setUser(dir, { name: 'Bob', role: 'viewer', password: '' })).rejects.toThrow(/the password is empty/);
    await expect(setUser(dir, { name: '  ', role: 'viewer', password: 'x' })).rejects.toThrow(/the user name is empty/);
    await expect(setUser(dir, { name: 'n'.repeat(201), role: 'viewer', password: 'x' })).rejects.toThrow(/the user name is 201 characters long/);
    expect(readFileSync(usersFile(dir), 'utf8')).toBe(before);
  });

  it('names the file when it is not a list of users', async () => {
    writeFileSync(usersFile(dir), '[{"name": "Ada", "role": "emperor"}]');
    await expect(listUsers(dir)).rejects.toThrow(/users\.json is not a list of users:\n\[0\]\.role/);
  });
});
