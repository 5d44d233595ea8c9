/** Who may do what in the dashboard: each user has one role. */
export const ROLES = ['viewer', 'operations', 'legal-officer', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/**
 * What a role may change; every role may read. Legal officers act on cases (12 (d) deadlines, the
 * 12 (c) attention note, closing); operations run the campaign's cycle (sending again after a failure).
 */
export const PERMISSIONS = {
  'act-on-cases': ['legal-officer', 'administrator'],
  'run-campaigns': ['operations', 'administrator'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export const may = (role: Role, permission: Permission): boolean => (PERMISSIONS[permission] as readonly Role[]).includes(role);
