import type { Span } from '../../common/source.js';
import type { IntType, Value } from '../c/int-value.js';
import { STEP_BOUND } from '../c/limits.js';
import type { KernelOutcome } from './outcome.js';

/**
 * What one run of the compiled function reads and writes: its variables,
 * its step count, the flags word of the device, and how a statement
 * finished. Shared by the statement and expression compilers.
 */

export class Slot {
  constructor(
    readonly name: string,
    readonly t: IntType,
    public v: number | undefined,
  ) {}
}

/** Ends a run early with an outcome: a fault, a loop that never ends, a hidden cell. */
export class Stop {
  constructor(readonly outcome: KernelOutcome) {}
}

/**
 * How a statement finished. Control flow is returned, not thrown: a return
 * ends every one of the thousand runs, and unwinding by exception costs more
 * than the rest of a run.
 */
export type Completion = undefined | { readonly kind: 'return'; readonly value: Value | null } | typeof BREAK | typeof CONTINUE;
export const BREAK = { kind: 'break' } as const;
export const CONTINUE = { kind: 'continue' } as const;

export type Exec = () => Completion;
export type Eval = () => Value;

/** The state of one run: what the closures read and write. */
export class RunState {
  steps = 0;
  /** Steps this run may take (the step bound, or less when the evaluation's total budget is nearly spent). */
  limit = STEP_BOUND;
  flags = 0;
  /**
   * Live variables, oldest first, are the first `live` entries: a loop
   * head's state is their values. (Entries past `live` are dead; a count
   * rather than a shorter array, because shortening gives up the array's
   * storage and every run would grow it again.)
   */
  private readonly slots: Slot[] = [];
  live = 0;
  /** The variable each declaration (or parameter) made last, by its index. */
  readonly env: (Slot | undefined)[] = [];

  tick(at: Span): void {
    if (++this.steps > this.limit) throw new Stop({ kind: 'step-bound', at });
  }

  /** A new variable, live until its block ends. */
  slot(id: number, name: string, t: IntType, v: number | undefined): Slot {
    return this.enter(id, new Slot(name, t, v));
  }

  enter(id: number, slot: Slot): Slot {
    this.slots[this.live++] = slot;
    this.env[id] = slot;
    return slot;
  }

  /** Ends the variables made since `live` was `mark`. */
  leave(mark: number): void {
    this.live = mark;
  }

  /** The live variables' values, oldest first. */
  values(): (number | undefined)[] {
    const values: (number | undefined)[] = [];
    for (let k = 0; k < this.live; k++) values.push(this.slots[k]!.v);
    return values;
  }

  liveSlots(): Slot[] {
    return this.slots.slice(0, this.live);
  }
}

/** Ends the run with undefined behaviour at `at`. */
export function fault(message: string, at: Span): Stop {
  return new Stop({ kind: 'fault', message, at });
}
