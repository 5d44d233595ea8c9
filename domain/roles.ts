/** Who may do what in the dashboard: each user has one role. */
export const ROLES = ['viewer', 'operations', 'legal-officer', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);
