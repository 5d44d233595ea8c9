/** Who may do what in the dashboard: each user has one role. */
export const ROLES = ['viewer', 'operations', 'legal-officer', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/**
 * What a role may do beyond reading the dashboard, which every role may. Legal officers act on cases
 * (12 (d) deadlines, the 12 (c) attention note, closing); operations run the campaign's cycle
 * (sending again after a failure); reading payloads is decrypting Temporal's raw history through the
 * codec endpoint (every input, reason and summary of every case, for the Web UI or the temporal CLI);
 * administrators alone move open cases onto another policy.
 */
export const PERMISSIONS = {
  'act-on-cases': ['legal-officer', 'administrator'],
  'run-campaigns': ['operations', 'administrator'],
  'read-payloads': ['legal-officer', 'administrator'],
  // Moving every open case onto another deadline policy or calendar.
  'change-policy': ['administrator'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export const may = (role: Role, permission: Permission): boolean => (PERMISSIONS[permission] as readonly Role[]).includes(role);
