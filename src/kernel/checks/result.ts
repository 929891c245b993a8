/**
 * What `vfio-fsm kernel` found, in the shape `--json` prints: names, not
 * numbers, so a reader needs no table of values. Text output is rendered
 * from the same object.
 */
import type { FailedProperty } from '../../analysis/check-summary.js';
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
  /** The spec's states the kernel's table has no row or column for (an older kernel). */
  readonly missingStates: readonly string[];
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
  /** The cause in words: which cell of the table, or what the code does instead. */
  readonly explanation: string;
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

/**
 * A place where the comment above the table does not describe the table:
 * documentation, so a warning, never a disagreement (unless the user asks
 * for --strict-comment).
 */
export interface CommentWarning {
  readonly at: Where;
  /** The heading or line it read, as written. */
  readonly line: string;
  /** The flag condition a heading was taken as (`with P2P, without PRE_COPY`), when one was. */
  readonly readAs?: string;
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
  readonly warnings: readonly CommentWarning[];
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
  /** Read from a patch's hunks: only the lines it shows; the spec's names it does not show are listed. */
  readonly partial?: boolean;
  readonly notShown?: readonly string[];
}

export type Verdict = 'agree' | 'disagree' | 'inconclusive';

/** Something the cross-check could not decide, and what would decide it. */
export interface Unchecked {
  readonly what: string;
  readonly decide: string;
}

/** The verdict of one view (a file, a patched base, one mail's hunks) with its reasons. */
export interface Judgement {
  readonly verdict: Verdict;
  /** Why it disagrees, one line per kind of finding, in words. */
  readonly reasons: readonly string[];
  /** What was not checked; a verdict of agree has none. */
  readonly unchecked: readonly Unchecked[];
}

/** A bundled spec the code is equivalent to: same tables, same outcome on every input. */
export interface EraMatch {
  readonly name: string;
  /** The kernels the spec describes, e.g. "Linux 6.2 to 7.1". */
  readonly describes: string;
  readonly inputs: number;
}

/** The analysis of one view against the chosen spec, with its verdict. */
export interface ViewReport extends Judgement {
  readonly mode: 'file' | 'patch-applied' | 'patch-hunks';
  /** The file (or patched file) the function was read from, and where. */
  readonly source: string;
  readonly function: { readonly name: string; readonly at: Where | null };
  readonly notes: readonly string[];
  /** Names of states and flags the kernel has that the spec lacks (a newer kernel), and spec states the kernel's table lacks. */
  readonly states: { readonly kernelOnly: readonly string[]; readonly specOnly: readonly string[]; readonly kernelOnlyFlags: readonly string[] };
  /** Bundled specs this code is equivalent to (empty when it cannot be told, as from hunks alone). */
  readonly matches: readonly string[];
  readonly era: readonly EraMatch[];
  /** Changes between the era it matches and the chosen spec that the code lacks, e.g. "the 7.2 loop fix (commit a26b499b757c)". */
  readonly missingFixes: readonly string[];
  /** Patch mode without a base: the lines of the function's code (not its tables) the patch adds or removes. */
  readonly changedCode: readonly { readonly at: Where; readonly text: string }[];
  readonly table: TableReport;
  readonly evaluation: EvaluationReport;
  readonly comment: CommentReport;
  readonly uapi: UapiReport | null;
}

/** One mail of a series that touches the function or the uapi header. */
export interface PatchSection extends ViewReport {
  /** 1-based, in the order of the input. */
  readonly mail: number;
  readonly subject: string | null;
  /** Only its uapi hunks touch anything (no C hunk of the function). */
  readonly uapiOnly: boolean;
  /** With --base: the mail's hunks were already in the base (they apply in reverse). */
  readonly alreadyApplied: boolean;
}

export interface KernelReport extends ViewReport {
  /** True only for agree. */
  readonly ok: boolean;
  readonly spec: string;
  /** The bundled spec's name when the chosen spec is one. */
  readonly specName: string | null;
  readonly input: string;
  /** The chosen spec's own check: when it fails, the spec's lookup is no reference to agree with. */
  readonly specCheck: { readonly ok: boolean; readonly failed: readonly FailedProperty[] };
  /** One section per mail that touches the function or the uapi header; the overall verdict is the worst. */
  readonly patches: readonly PatchSection[];
}
