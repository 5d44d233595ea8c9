import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine } from '../../clients/engine';
import { setUser } from '../../clients/users';
import { type Role, ROLES } from '../../domain/roles';
import { SESSION_COOKIE } from '../../dashboard/access';
import { type RunningDashboard, startDashboard } from '../../dashboard/server';
import { type SignInThrottle } from '../../dashboard/sign-in-throttle';

/** A password per role, known to the test only. */
export const passwordOf = (role: Role): string => `${role}-secret-passphrase`;
export const userOf = (role: Role): string => `${role} user`;

/** A dashboard on a free loopback port over the test's engine, with one user per role in a folder of its own. */
export async function testDashboard(engine: Engine, options: { codecOrigins?: string[]; throttle?: SignInThrottle } = {}): Promise<RunningDashboard & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'obligations-dashboard-'));
  for (const role of ROLES) await setUser(dataDir, { name: userOf(role), role, password: passwordOf(role) });
  const dashboard = await startDashboard({ engine, dataDir, sessionHours: 1, host: '127.0.0.1', port: 0, ...options });
  return { ...dashboard, dataDir };
}

/** A signed-in client of the API: its session cookie and CSRF token. */
export interface ApiSession {
  cookie: string;
  csrfToken: string;
  role: Role;
}

/** Sign in as the dashboard's page does: the session cookie and CSRF token, for the requests that follow. */
export async function signInAs(url: string, user: { name: string; password: string }): Promise<{ cookie: string; csrfToken: string }> {
  const response = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  if (response.status !== 200) throw new Error(`sign-in as ${user.name} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0] ?? '').find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`sign-in as ${user.name} set no ${SESSION_COOKIE} cookie`);
  const body = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

export async function signIn(url: string, role: Role): Promise<ApiSession> {
  return { ...(await signInAs(url, { name: userOf(role), password: passwordOf(role) })), role };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A request to the API as a signed-in user (or none), with the CSRF token unless told otherwise. */
export async function call<T = Record<string, unknown>>(url: string, method: string, path: string, session?: ApiSession, body?: unknown, options: { csrf?: string | false } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session) headers.cookie = session.cookie;
  const csrf = options.csrf === undefined ? session?.csrfToken : options.csrf;
  if (csrf) headers['x-csrf-token'] = csrf;
  const response = await fetch(`${url}${path}`, { method, headers, redirect: 'manual', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // a page, not JSON
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
