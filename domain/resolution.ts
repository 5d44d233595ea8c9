/**
 * The duties of the requesting resolution that notes and the report cite. Each sits in one paragraph, which every new
 * resolution on the item may renumber: the numbers are configuration (config/resolution.yaml), the duties are not.
 */
export const DUTIES = [
  'instruments', 'reports', 'violationReport', 'followUp', 'circular', 'circulation', 'attention', 'reminders', 'views', 'report', 'participation', 'observations',
] as const;
export type Duty = (typeof DUTIES)[number];
