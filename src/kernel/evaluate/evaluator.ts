import type { Span } from '../../common/source.js';
import type { BoundFunction } from '../bind/bind-function.js';
import { errnoText } from '../c/errno.js';
import type { IntType, Value } from '../c/int-value.js';
import { convert, intType, wrap } from '../c/int-value.js';
import { STEP_BOUND } from '../c/limits.js';
import type { ParamSlot } from './compile-statement.js';
import { compileFunction } from './compile-statement.js';
import type { Input, KernelOutcome, RuntimeArray } from './outcome.js';
import type { Exec } from './run-state.js';
import { RunState, Slot, Stop } from './run-state.js';

/**
 * Runs the function's syntax tree on one input: nothing is compiled to code
 * or executed; the tree is interpreted, through closures that resolve its
 * names once (compile-statement.ts, compile-expression.ts). The state it can change is finite (a few
 * integers), so a loop whose head is reached twice with the same state never
 * ends; that is how non-termination is found exactly. A run that reaches
 * the step bound first is left undecided ('step-bound'), not called endless.
 */

export class Evaluator {
  private readonly state = new RunState();
  private readonly body: Exec;
  /** The parameters' variables, set afresh by every run (nothing keeps them from one run to the next). */
  private readonly params: readonly (ParamSlot & { readonly slot: Slot })[];
  private readonly returnType: IntType;

  constructor(
    private readonly bound: BoundFunction,
    statics: ReadonlyMap<string, RuntimeArray>,
    private readonly sink: number,
  ) {
    const t = intType(bound.fn.returns.type);
    this.returnType = t === 'void' || t === 'struct' ? 'int' : t;
    const compiled = compileFunction(bound, statics, this.state);
    this.body = compiled.body;
    this.params = compiled.params.map((p) => ({ ...p, slot: new Slot(p.name, p.t, undefined) }));
  }

  /** Steps the last run took (one past its limit when it reached it). */
  get steps(): number {
    return this.state.steps;
  }

  /** One run on `input`, allowed `limit` steps (the step bound unless the caller's budget has less left). */
  run(input: Input, limit = STEP_BOUND): KernelOutcome {
    const { fn } = this.bound;
    const state = this.state;
    state.steps = 0;
    state.limit = limit;
    state.flags = input.flags >>> 0;
    state.leave(0);
    let out: Slot | null = null;
    const params = this.params;
    for (let k = 0; k < params.length; k++) {
      const p = params[k]!;
      p.slot.v = p.role === 'out' ? undefined : wrap(p.t, p.role === 'current' ? input.current >>> 0 : input.target >>> 0).v;
      state.enter(p.id, p.slot);
      if (p.role === 'out') out = p.slot;
    }
    try {
      const done = this.body();
      if (done?.kind === 'return') return this.outcome(done.value, out, fn.body.span);
      if (done) return { kind: 'fault', message: 'break or continue outside a loop', at: fn.body.span };
      return { kind: 'fault', message: `${fn.name.text}() ends without returning a value`, at: { start: fn.body.span.end - 1, end: fn.body.span.end } };
    } catch (e) {
      if (e instanceof Stop) return e.outcome;
      throw e;
    }
  }

  private outcome(value: Value | null, out: Slot | null, at: Span): KernelOutcome {
    if (!value) return { kind: 'fault', message: 'returns no value', at };
    const r = convert(value, this.returnType).v;
    if (this.bound.shape.returnsErrno) {
      if (r !== 0) return { kind: 'refused', detail: (r < 0 && errnoText(r)) || `returns ${r}` };
      if (!out || out.v === undefined) return { kind: 'fault', message: `returns 0 without setting *${this.bound.shape.out}`, at };
      return { kind: 'next', state: out.v };
    }
    if (r === this.sink) return { kind: 'refused', detail: 'returns the sink state' };
    return { kind: 'next', state: r };
  }
}
