import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LIMITS, lengthProblem } from '../domain/limits';
import { isRole, type Role, ROLES } from '../domain/roles';
import { issuesOf } from '../domain/schema';
import { InputError } from './errors';

/** The users of the dashboard, in the data folder: names, roles and slow salted hashes, nothing else. */
export const usersFile = (dataDir: string): string => join(dataDir, 'users.json');

/**
 * scrypt's cost: 2^15 rounds of 8 blocks (32 MiB of memory, some 100 ms here) per guess, so that a
 * copied file yields its passwords slowly; each password has its own 16-byte salt.
 */
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 64;
/** A passphrase may be long, but not unbounded: scrypt reads all of it. */
const MAX_PASSWORD = 1024;

/** A hash no password matches (its key is random), checked for unknown names so that they take as long. */
const UNKNOWN_USER_HASH = ['scrypt', COST.N, COST.r, COST.p, randomBytes(16).toString('base64'), randomBytes(KEY_BYTES).toString('base64')].join('$');

export interface UserEntry {
  name: string;
  role: Role;
  updatedAt: string;
}

interface StoredUser extends UserEntry {
  /** `scrypt$N$r$p$salt$key`, salt and key in base64. */
  password: string;
}

const STORED = z.array(z.strictObject({
  name: z.string().min(1),
  role: z.enum(ROLES),
  updatedAt: z.string(),
  password: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, { error: 'is not an scrypt hash' }),
}));

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem: COST.maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function passwordMatches(stored: string, password: string): Promise<boolean> {
  const [, N, r, p, salt, key] = stored.split('$');
  const expected = Buffer.from(key ?? '', 'base64');
  const actual = await derive(password, Buffer.from(salt ?? '', 'base64'), { N: Number(N), r: Number(r), p: Number(p) });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A user's name as the case timelines will show it: a person's name, trimmed and bounded like every actor. */
export function checkedUserName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new InputError('the user name is empty');
  if (/[\p{Cc}]/u.test(trimmed)) throw new InputError('the user name holds a control character');
  const tooLong = lengthProblem(trimmed, LIMITS.actor);
  if (tooLong) throw new InputError(`the user name ${tooLong}`);
  return trimmed;
}

function checkedPassword(password: string): string {
  if (password === '') throw new InputError('the password is empty');
  if (password.length > MAX_PASSWORD) throw new InputError(`the password is ${password.length} characters long; at most ${MAX_PASSWORD} are allowed`);
  return password;
}

/**
 * The users file as last read, by its identity on disk: the dashboard checks the signed-in user on
 * every request, and reads and checks the file again only once it has been replaced (each write
 * moves a new file into place, so its inode changes).
 */
const lastRead = new Map<string, { identity: string; users: StoredUser[] }>();

async function readUsers(dataDir: string): Promise<StoredUser[]> {
  const file = usersFile(dataDir);
  let text: string;
  let identity: string;
  try {
    const info = await stat(file, { bigint: true });
    identity = `${info.ino}:${info.size}:${info.mtimeNs}`;
    const known = lastRead.get(file);
    if (known?.identity === identity) return [...known.users];
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file} is not valid JSON (${(err as Error).message})`);
  }
  const parsed = STORED.safeParse(raw);
  if (!parsed.success) throw new InputError(`${file} is not a list of users:\n${issuesOf(parsed.error).map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('\n')}`);
  lastRead.set(file, { identity, users: parsed.data });
  return [...parsed.data];
}

/** Written whole to a file only its owner can read, then moved into place: never half a file. */
async function writeUsers(dataDir: string, users: StoredUser[]): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = usersFile(dataDir);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
    await chmod(file, 0o600);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Add a user, or give an existing one a new password and role. */
export async function setUser(dataDir: string, request: { name: string; role: string; password: string }, now = new Date()): Promise<UserEntry & { created: boolean }> {
  const name = checkedUserName(request.name);
  if (!isRole(request.role)) throw new InputError(`--role: "${request.role}" is not one of ${ROLES.join(', ')}`);
  const password = await hashPassword(checkedPassword(request.password));
  const users = await readUsers(dataDir);
  const entry: StoredUser = { name, role: request.role, updatedAt: now.toISOString(), password };
  const index = users.findIndex((user) => user.name === name);
  if (index >= 0) users[index] = entry;
  else users.push(entry);
  await writeUsers(dataDir, users);
  return { name, role: entry.role, updatedAt: entry.updatedAt, created: index < 0 };
}

export async function listUsers(dataDir: string): Promise<UserEntry[]> {
  return (await readUsers(dataDir)).map(({ name, role, updatedAt }) => ({ name, role, updatedAt })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The user a name and password sign in as, or undefined; an unknown name costs as much as a wrong password. */
export async function authenticate(dataDir: string, name: string, password: string): Promise<UserEntry | undefined> {
  const users = await readUsers(dataDir);
  const user = users.find((candidate) => candidate.name === name.trim());
  const matches = await passwordMatches(user?.password ?? UNKNOWN_USER_HASH, password.slice(0, MAX_PASSWORD));
  return user && matches ? { name: user.name, role: user.role, updatedAt: user.updatedAt } : undefined;
}

/**
 * The user a signed-in session belongs to, as the users file says now: gone when the user was
 * removed or given a new password or role since the session began (`updatedAt` differs).
 */
export async function currentUser(dataDir: string, name: string, updatedAt: string): Promise<UserEntry | undefined> {
  const user = (await readUsers(dataDir)).find((candidate) => candidate.name === name);
  return user && user.updatedAt === updatedAt ? { name: user.name, role: user.role, updatedAt: user.updatedAt } : undefined;
}

/** The first user of a new installation, with a generated password to be shown once. */
export const FIRST_USER = 'admin';

/**
 * Where no user exists yet, add the administrator `admin` with a fresh random password and return
 * it (it is stored only hashed); where users exist, nothing.
 */
export async function ensureFirstUser(dataDir: string): Promise<{ name: string; password: string } | undefined> {
  if ((await readUsers(dataDir)).length > 0) return undefined;
  const password = generatePassword();
  await setUser(dataDir, { name: FIRST_USER, role: 'administrator', password });
  return { name: FIRST_USER, password };
}

/** 20 characters from an alphabet without look-alikes (some 100 bits), in groups of five to copy by hand. */
function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((byte) => alphabet[byte % alphabet.length]);
  return [0, 5, 10, 15].map((start) => chars.slice(start, start + 5).join('')).join('-');
}
