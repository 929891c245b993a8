import { check } from '../../src/analysis/check.js';
import { missingTools } from '../../src/cli/oracle-spin.js';
import { flagSetFacts } from '../../src/emit/facts.js';
import { emitPromela, promelaBounds } from '../../src/emit/promela.js';
import type { Model } from '../../src/model/model.js';

/** SPIN's tests run only where `spin` and `cc` are installed (.ci/run installs them). */
export const missing = missingTools();
export const hasSpin = missing.length === 0;
export const skipReason = hasSpin ? '' : ` (skipped: ${missing.join(' and ')} not installed)`;

/** The Promela model of a spec, as gen writes it, with the bounds the oracle gives pan. */
export function promela(m: Model) {
  const result = check(m);
  const facts = flagSetFacts(m, result);
  return { result, text: emitPromela(m, result, facts), bounds: promelaBounds(m, facts.length) };
}
