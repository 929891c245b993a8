import type { Span } from '../../common/source.js';
import type { IntType } from '../c/int-value.js';

/** What one run of the kernel's lookup function ends in, and what it runs on. */

export type KernelOutcome =
  | { readonly kind: 'next'; readonly state: number }
  | { readonly kind: 'refused'; readonly detail: string }
  | { readonly kind: 'diverges'; readonly cycle: readonly number[]; readonly at: Span }
  /** Behaviour C leaves undefined (an out-of-bounds read, an unset variable...). */
  | { readonly kind: 'fault'; readonly message: string; readonly at: Span }
  /** Patch mode: the run read a cell the hunks do not show. */
  | { readonly kind: 'unknown'; readonly at: Span }
  /**
   * The run took every step it was allowed without ending or repeating a
   * state: not a finding (a loop may end after more steps), an input left
   * undecided.
   */
  | { readonly kind: 'step-bound'; readonly at: Span };

/** A static array as the evaluator reads it; `null` cells are not shown by the patch. */
export interface RuntimeArray {
  readonly elem: IntType;
  readonly dims: readonly number[];
  readonly cells: readonly (number | null)[];
}

export interface Input {
  readonly current: number;
  readonly target: number;
  readonly flags: number;
}
