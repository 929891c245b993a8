import type { Violation } from '../analysis/check.js';
import type { SpinFinding } from './trail.js';

/** A violation both found, with each side's own account of it. */
export interface Match {
  readonly checker: Violation;
  readonly spin: SpinFinding;
}

export interface Comparison {
  readonly agree: boolean;
  /** Found by both, with the same counterexample. */
  readonly both: readonly Match[];
  /** Found by both for the same request, but with a different walk or loop. */
  readonly walkDiffers: readonly Match[];
  readonly onlyChecker: readonly Violation[];
  readonly onlySpin: readonly SpinFinding[];
}

/**
 * A violation's identity: property, flag word, undeclared bits, request. The
 * checker may report one identity twice (it probes a state value outside the
 * table against the sink and against state 0, which are often the same), and
 * SPIN once; the comparison is of sets.
 */
function key(property: string, flags: number, widened: number | undefined, current: number, target: number): string {
  return `${property}|${flags >>> 0}|${(widened ?? 0) >>> 0}|${current >>> 0}|${target >>> 0}`;
}

/** A cycle read from its smallest state on, so that two starting points compare equal. */
function rotated(cycle: readonly number[]): number[] {
  if (!cycle.length) return [];
  const at = cycle.indexOf(Math.min(...cycle));
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}

function sameWalk(v: Violation, f: SpinFinding): boolean {
  const a = v.property === 'termination' ? rotated(v.walk) : v.walk.map((x) => x >>> 0);
  const b = f.property === 'termination' ? rotated(f.walk) : [...f.walk];
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Violation set against violation set. `flags`, when given, restricts SPIN's
 * findings to the flag words the checker was asked about (`check --flags`);
 * the model itself always covers every word.
 */
export function compareFindings(violations: readonly Violation[], findings: readonly SpinFinding[], flags?: readonly number[]): Comparison {
  const words = flags?.map((w) => w >>> 0);
  const spin = new Map<string, SpinFinding>();
  for (const f of findings) {
    if (words && !words.includes(f.flags)) continue;
    const k = key(f.property, f.flags, f.widened, f.current, f.target);
    if (!spin.has(k)) spin.set(k, f);
  }
  const seen = new Set<string>();
  const both: Match[] = [];
  const walkDiffers: Match[] = [];
  const onlyChecker: Violation[] = [];
  for (const v of violations) {
    const k = key(v.property, v.flags, v.widened, v.current, v.target);
    if (seen.has(k)) continue;
    seen.add(k);
    const f = spin.get(k);
    if (!f) onlyChecker.push(v);
    else (sameWalk(v, f) ? both : walkDiffers).push({ checker: v, spin: f });
  }
  const onlySpin = [...spin.entries()].filter(([k]) => !seen.has(k)).map(([, f]) => f);
  return { agree: walkDiffers.length === 0 && onlyChecker.length === 0 && onlySpin.length === 0, both, walkDiffers, onlyChecker, onlySpin };
}
