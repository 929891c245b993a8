import type { Span, Where } from '../../common/source.js';
import type { Code } from '../../diagnostics/codes.js';
import type { KernelTable } from '../../analysis/kernel-table.js';
import type { Model } from '../../model/model.js';
import { stateName } from '../../model/spelling.js';
import type { ForeignNames } from '../bind/names.js';

/** Where a span of the view lies in the input a person gave. */
export type Locate = (span: Span) => Where;

/** What every check of one view of kernel code against one spec shares. */
export interface CheckContext {
  readonly model: Model;
  /** The table the spec derives. */
  readonly spec: KernelTable;
  /** The flag words the spec's caller consults the lookup with; `skipped` are those it refuses first. */
  readonly words: readonly number[];
  /** The words the function is run with: `words`, and each again with the flags the spec mentions nowhere all set (see kernelFlagWords). */
  readonly evaluated: readonly number[];
  readonly skipped: readonly number[];
  readonly where: Locate;
  /** A state value as reports print it: the spec's name, else another era's (a newer kernel), else the number. */
  readonly state: (value: number) => string;
  /** States and flags of other eras the kernel may use (a newer kernel read against an older spec). */
  readonly foreign: ForeignNames;
  /** A located warning about the input (the comment's, say), for --json and the terminal. */
  readonly warn: (code: Code, span: Span, message: string) => void;
}

/** Names for state values: the spec's, then those of other eras the kernel may use. */
export function stateNamer(model: Model, foreign: ForeignNames): (value: number) => string {
  const byValue = new Map<number, string>();
  for (const [name, value] of foreign.states) byValue.set(value, name);
  return (value) => (model.states[value] ? stateName(model, value) : (byValue.get(value) ?? stateName(model, value)));
}
