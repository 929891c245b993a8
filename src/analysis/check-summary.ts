import type { CheckResult, Property } from './check.js';

/** A spec that fails its own check, in a line: which properties, how many violations of each. */
export interface FailedProperty {
  readonly property: Property;
  readonly violations: number;
}

/** The properties a result violates, in the order their first violation was found. */
export function failedProperties(result: CheckResult): FailedProperty[] {
  const counts = new Map<Property, number>();
  for (const v of result.violations) counts.set(v.property, (counts.get(v.property) ?? 0) + 1);
  return [...counts].map(([property, violations]) => ({ property, violations }));
}

/** `termination, 3 violations` or `table, 6 violations; ambiguity, 3 violations`. */
export function failedText(failed: readonly FailedProperty[]): string {
  return failed.map((f) => `${f.property}, ${f.violations} violation${f.violations === 1 ? '' : 's'}`).join('; ');
}
