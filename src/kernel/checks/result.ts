/**
 * What `vfio-fsm kernel` found, in the shape `--json` prints: names, not
 * numbers, so a reader needs no table of values. Text output is rendered
 * from the same object.
 */
import type { Where } from '../../common/source.js';

export interface CellRef {
  readonly row: string;
  readonly column: string;
}

/** One request whose outcome a table difference changes. */
export interface RequestChange {
  readonly current: string;
  readonly target: string;
  readonly flags: readonly string[];
  readonly kernel: string;
  readonly spec: string;
}

export interface CellDifference extends CellRef {
  readonly kernel: string;
  readonly spec: string;
  /** True when the kernel's value is ERROR only because the cell is left out. */
  readonly implicit: boolean;
  readonly at: Where | null;
  readonly affects: readonly RequestChange[];
}

export interface DuplicateDesignator {
  readonly index: readonly string[];
  readonly first: Where;
  readonly second: Where;
}

export interface FlagsTableDifference {
  readonly state: string;
  readonly kernel: string;
  readonly spec: string;
  readonly implicit: boolean;
  readonly at: Where | null;
}

export interface FlagsTableReport {
  readonly name: string;
  readonly found: boolean;
  /** False when the spec's lookup never reads such a table (v2, seed). */
  readonly expected: boolean;
  readonly dimension: number | null;
  readonly differences: readonly FlagsTableDifference[];
  readonly implicit: readonly string[];
  readonly duplicates: readonly DuplicateDesignator[];
  readonly hidden: readonly string[];
}

export interface TableReport {
  readonly name: string;
  readonly found: boolean;
  readonly at: Where | null;
  readonly dimensions: { readonly kernel: readonly number[]; readonly spec: number; readonly agree: boolean };
  readonly differences: readonly CellDifference[];
  /** Cells left out of the initializer: zero, that is ERROR, by omission. */
  readonly implicit: readonly CellRef[];
  readonly duplicates: readonly DuplicateDesignator[];
  /** Patch mode without a base: cells the hunks show and cells they leave out. */
  readonly visibleCells?: readonly CellRef[];
  readonly hiddenCells?: readonly CellRef[];
  /** Entries after unseen lines whose row cannot be known. */
  readonly unplaced?: readonly Where[];
  readonly flagsTable: FlagsTableReport | null;
}

export interface NonTerminating {
  readonly current: string;
  readonly target: string;
  readonly flags: readonly string[];
  /** The states the loop goes round. */
  readonly cycle: readonly string[];
  /** The spec's lookup never ends here either (the 6.2-7.1 loop). */
  readonly expected: boolean;
}

export interface EvaluationMismatch {
  readonly current: string;
  readonly target: string;
  readonly flags: readonly string[];
  readonly kernel: string;
  readonly spec: string;
  /** `table`: the spec's lookup over the kernel's own table answers as the code does; `code`: it does not. */
  readonly cause: 'table' | 'code';
}

/**
 * Why an evaluation is inconclusive: a step budget ran out (src/kernel/c/limits.ts).
 * `total-steps`: the runs together used the evaluation's budget, and the
 * evaluation stopped after `inputsRun` of `inputs` inputs. `per-input-steps`:
 * every input was run, but `undecided` of them reached the step bound of one
 * run without ending or repeating a state, so what they come to is not known.
 * (With `total-steps`, `undecided` counts the inputs that reached the
 * per-input bound before the evaluation stopped.)
 */
export interface EvaluationBudget {
  readonly kind: 'total-steps' | 'per-input-steps';
  /** The budget that ran out, in steps. */
  readonly limit: number;
  readonly inputsRun: number;
  readonly inputs: number;
  readonly undecided: number;
}

export interface EvaluationReport {
  readonly performed: boolean;
  /** Why it was not, or what it assumed. */
  readonly note: string | null;
  readonly inputs: number;
  readonly agreed: number;
  /** Patch mode: runs that read a cell the hunks do not show. */
  readonly undetermined: number;
  /** Flag words the spec says the caller never passes on, so not run. */
  readonly skippedFlagSets: readonly (readonly string[])[];
  readonly nonTerminating: readonly NonTerminating[];
  readonly mismatches: readonly EvaluationMismatch[];
  /** Null when every input was run to its end; otherwise the budget that ran out, and the evaluation is inconclusive. */
  readonly budget: EvaluationBudget | null;
}

export interface CommentMismatch {
  readonly at: Where | null;
  readonly text: string;
  readonly message: string;
}

export interface CommentReport {
  readonly found: boolean;
  readonly at: Where | null;
  /** Patch mode: lines of the comment are not shown, so nothing is asked of what is missing. */
  readonly partial: boolean;
  readonly arcs: number;
  readonly paths: number;
  readonly blocked: number;
  readonly mismatches: readonly CommentMismatch[];
}

export interface UapiMismatch {
  readonly name: string;
  readonly kernel: string | null;
  readonly spec: string | null;
  readonly message: string;
  readonly at: Where | null;
}

export interface UapiReport {
  readonly file: string;
  readonly states: number;
  readonly flags: number;
  readonly mismatches: readonly UapiMismatch[];
}

export interface KernelReport {
  readonly ok: boolean;
  readonly spec: string;
  readonly input: string;
  readonly mode: 'file' | 'patch-applied' | 'patch-hunks';
  readonly function: { readonly name: string; readonly at: Where | null };
  readonly notes: readonly string[];
  readonly table: TableReport;
  readonly evaluation: EvaluationReport;
  readonly comment: CommentReport;
  readonly uapi: UapiReport | null;
}
