import type { Where } from '../../common/source.js';
import type { FallbackKind } from './fallback.js';

/**
 * What `vfio-fsm driver` finds, as the report and --json print it. States
 * and flags are spec names; arcs in lists are `"A -> B"`; lines are 1-based
 * lines of the step function's file unless a `Where` names another.
 */

/** `undecided` > `missing` > `faulty-loop` > `conform`: the worst finding decides. */
export type DriverVerdict = 'conform' | 'missing' | 'faulty-loop' | 'undecided';

export interface HandledArc {
  readonly from: string;
  readonly to: string;
  readonly line: number;
  readonly column: number;
}

export interface FlagSetReport {
  /** In the spec's flag order. */
  readonly flags: readonly string[];
  /** The assignments to migration_flags that give this set; empty when --flags gave it. */
  readonly from: readonly Where[];
  /** The arcs the core can hand a driver with these flags, sorted as strings. */
  readonly required: readonly string[];
  /** Required and not handled: the driver would WARN and fail the request. */
  readonly missing: readonly string[];
  /** Handled and not required under these flags: information only. */
  readonly extra: readonly string[];
  /** For each extra arc: "blocked (must fail)", "never asked for", "reachable only with X" or "reachable only without Y". */
  readonly extraNotes: Readonly<Record<string, string>>;
}

export interface UndecidedReport {
  readonly line: number;
  readonly column: number;
  /** The condition, on one line. */
  readonly text: string;
  readonly reason: string;
}

export interface FallbackReport {
  readonly kind: FallbackKind;
  readonly line: number | null;
  readonly warning: string | null;
  readonly errno: string | null;
}

export interface LoopReport {
  readonly file: string;
  readonly function: string;
  /** The line of the loop function's name. */
  readonly line: number;
  /** Empty when the loop asks for arcs until the target is reached and stops at the first error. */
  readonly problems: readonly string[];
}

export interface StepFunctionReport {
  readonly name: string;
  readonly file: string;
  /** The line of the function's name in its definition. */
  readonly line: number;
  readonly column: number;
  /** The expressions read as the current and the requested state. */
  readonly current: string;
  readonly requested: string;
  /** In source order; an arc tested twice appears twice. */
  readonly handled: readonly HandledArc[];
  readonly flagSets: readonly FlagSetReport[];
  readonly fallback: FallbackReport;
  readonly undecided: readonly UndecidedReport[];
  readonly loop: LoopReport | null;
  readonly verdict: DriverVerdict;
}

export interface DriverReport {
  readonly verdict: DriverVerdict;
  readonly spec: string;
  readonly files: readonly string[];
  /** True when --flags gave the flag set, instead of the assignments in the files. */
  readonly flagsGiven: boolean;
  readonly functions: readonly StepFunctionReport[];
  readonly notes: readonly string[];
}

const RANK: Record<DriverVerdict, number> = { conform: 0, 'faulty-loop': 1, missing: 2, undecided: 3 };

export function worst(verdicts: readonly DriverVerdict[]): DriverVerdict {
  return verdicts.reduce<DriverVerdict>((a, v) => (RANK[v] > RANK[a] ? v : a), 'conform');
}
