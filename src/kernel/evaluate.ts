import type { Span } from '../syntax/source.js';
import type { BoundFunction } from './bind.js';
import type * as c from './c-ast.js';
import type { IntType, Value } from './c-value.js';
import { binaryOp, convert, int, intType, truthy, unaryOp, wrap } from './c-value.js';
import { constEval } from './const-eval.js';

/**
 * Runs the function's syntax tree on one input: nothing is compiled or
 * executed. The state it can change is finite (a few integers), so a loop
 * whose head is reached twice with the same state never ends; that is how
 * non-termination is found exactly, with a step bound only as a backstop.
 */

export type KernelOutcome =
  | { readonly kind: 'next'; readonly state: number }
  | { readonly kind: 'refused'; readonly detail: string }
  | { readonly kind: 'diverges'; readonly cycle: readonly number[]; readonly at: Span }
  /** Behaviour C leaves undefined (an out-of-bounds read, an unset variable...). */
  | { readonly kind: 'fault'; readonly message: string; readonly at: Span }
  /** Patch mode: the run read a cell the hunks do not show. */
  | { readonly kind: 'unknown'; readonly at: Span };

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

const STEP_BOUND = 100_000;
const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 22: 'EINVAL', 19: 'ENODEV', 95: 'EOPNOTSUPP', 25: 'ENOTTY', 16: 'EBUSY' };

class Slot {
  constructor(
    readonly name: string,
    readonly t: IntType,
    public v: number | undefined,
  ) {}
}

type Binding =
  | { readonly kind: 'slot'; readonly slot: Slot }
  | { readonly kind: 'array'; readonly name: string; readonly array: RuntimeArray }
  | { readonly kind: 'pointer'; readonly slot: Slot }
  | { readonly kind: 'device' }
  | { readonly kind: 'const'; readonly value: Value };

/** An array, or a row of one: where it starts and which dimension comes next. */
interface ArrayRef {
  readonly name: string;
  readonly array: RuntimeArray;
  readonly offset: number;
  readonly depth: number;
}

/** Ends a run early with an outcome: a fault, a loop that never ends, a hidden cell. */
class Stop {
  constructor(readonly outcome: KernelOutcome) {}
}

/**
 * How a statement finished. Control flow is returned, not thrown: a return
 * ends every one of the thousand runs, and unwinding by exception costs more
 * than the rest of a run.
 */
type Completion = undefined | { readonly kind: 'return'; readonly value: Value | null } | typeof BREAK | typeof CONTINUE;
const BREAK = { kind: 'break' } as const;
const CONTINUE = { kind: 'continue' } as const;

export class Evaluator {
  private scopes: Map<string, Binding>[] = [];
  private slots: Slot[] = [];
  private steps = 0;
  private flags = 0;
  private readonly returnType: IntType;
  private readonly constants = new Map<string, Value>();

  constructor(
    private readonly bound: BoundFunction,
    private readonly statics: ReadonlyMap<string, RuntimeArray>,
    private readonly sink: number,
  ) {
    const t = intType(bound.fn.returns.type);
    this.returnType = t === 'void' || t === 'struct' ? 'int' : t;
  }

  run(input: Input): KernelOutcome {
    const { shape, fn } = this.bound;
    this.steps = 0;
    this.flags = input.flags >>> 0;
    this.slots = [];
    const top = new Map<string, Binding>();
    for (const [name, value] of this.bound.constants) top.set(name, { kind: 'const', value });
    let out: Slot | null = null;
    for (const p of fn.params) {
      if (!p.name) continue;
      const name = p.name.text;
      const t = intType(p.specs.type);
      if (name === shape.device) top.set(name, { kind: 'device' });
      else if (name === shape.out) {
        out = this.slot(`*${name}`, t === 'void' || t === 'struct' ? 'uint' : t, undefined);
        top.set(name, { kind: 'pointer', slot: out });
      } else if (name === shape.current || name === shape.target) {
        const v = name === shape.current ? input.current >>> 0 : input.target >>> 0;
        top.set(name, { kind: 'slot', slot: this.slot(name, t === 'void' || t === 'struct' ? 'uint' : t, wrap(t === 'void' || t === 'struct' ? 'uint' : t, v).v) });
      }
    }
    this.scopes = [top];
    try {
      const done = this.block(fn.body.items);
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
      if (r !== 0) return { kind: 'refused', detail: r < 0 && ERRNO_NAMES[-r] ? `-${ERRNO_NAMES[-r]}` : `returns ${r}` };
      if (!out || out.v === undefined) return { kind: 'fault', message: `returns 0 without setting *${this.bound.shape.out}`, at };
      return { kind: 'next', state: out.v };
    }
    if (r === this.sink) return { kind: 'refused', detail: 'returns the sink state' };
    return { kind: 'next', state: r };
  }

  private slot(name: string, t: IntType, v: number | undefined): Slot {
    const s = new Slot(name, t, v);
    this.slots.push(s);
    return s;
  }

  private tick(at: Span): void {
    if (++this.steps > STEP_BOUND) throw new Stop({ kind: 'diverges', cycle: [], at });
  }

  private lookup(name: string): Binding | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i]!.get(name);
      if (b) return b;
    }
    const array = this.statics.get(name);
    return array ? { kind: 'array', name, array } : undefined;
  }

  /** Locals die with their block, so a loop's state is the same size at every head. */
  private block(items: readonly c.Stmt[]): Completion {
    this.scopes.push(new Map());
    const mark = this.slots.length;
    try {
      for (const item of items) {
        const done = this.stmt(item);
        if (done) return done;
      }
      return undefined;
    } finally {
      this.scopes.pop();
      this.slots.length = mark;
    }
  }

  private stmt(s: c.Stmt): Completion {
    this.tick(s.span);
    switch (s.kind) {
      case 'decl':
        this.declare(s);
        return undefined;
      case 'block':
        return this.block(s.items);
      case 'if':
        if (truthy(this.value(s.test))) return this.stmt(s.then);
        return s.otherwise ? this.stmt(s.otherwise) : undefined;
      case 'while':
        return this.loop(s, s.test, s.body, null, false);
      case 'do':
        return this.loop(s, s.test, s.body, null, true);
      case 'for': {
        this.scopes.push(new Map());
        const mark = this.slots.length;
        try {
          if (s.init && s.init.kind === 'decl') this.declare(s.init);
          else if (s.init) this.value(s.init);
          return this.loop(s, s.test, s.body, s.update, false);
        } finally {
          this.scopes.pop();
          this.slots.length = mark;
        }
      }
      case 'return':
        return { kind: 'return', value: s.value ? this.value(s.value) : null };
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      case 'expr':
        this.value(s.expr);
        return undefined;
      case 'empty':
        return undefined;
      case 'hole':
        throw new Stop({ kind: 'unknown', at: s.span });
    }
  }

  private declare(d: c.Declaration): void {
    const scope = this.scopes[this.scopes.length - 1]!;
    const t = intType(d.specs.type);
    for (const decl of d.declarators) {
      if (this.statics.has(decl.name.text)) continue;
      if (decl.dims.length > 0 || decl.pointer > 0 || t === 'void' || t === 'struct') {
        throw new Stop({ kind: 'fault', message: `the evaluator cannot hold the local \`${decl.name.text}\``, at: decl.span });
      }
      const slot = this.slot(decl.name.text, t, undefined);
      scope.set(decl.name.text, { kind: 'slot', slot });
      if (decl.init) {
        if (decl.init.kind !== 'expr') throw new Stop({ kind: 'fault', message: 'a braced initializer for a scalar', at: decl.init.span });
        slot.v = convert(this.value(decl.init.expr), t).v;
      }
    }
  }

  /** `while`, `do` and `for`, with the repeated-state test at every head. */
  private loop(s: c.Stmt, test: c.Expr | null, body: c.Stmt, update: c.Expr | null, bodyFirst: boolean): Completion {
    const seen = new Map<string, number>();
    const history: (number | undefined)[][] = [];
    for (let first = true; ; first = false) {
      if (!(bodyFirst && first)) {
        const snapshot = this.slots.map((x) => x.v);
        const key = snapshot.join(',');
        const at = seen.get(key);
        if (at !== undefined) throw new Stop({ kind: 'diverges', cycle: this.cycle(history.slice(at), body), at: s.span });
        seen.set(key, history.length);
        history.push(snapshot);
        if (test && !truthy(this.value(test))) return undefined;
      }
      const done = this.stmt(body);
      if (done === BREAK) return undefined;
      if (done && done !== CONTINUE) return done;
      if (update) this.value(update);
    }
  }

  /**
   * The states a never-ending loop goes round: the values of the variable
   * that changes in it, or, when nothing changes, of the one it keeps writing.
   */
  private cycle(history: readonly (readonly (number | undefined)[])[], body: c.Stmt): number[] {
    const changing = this.slots.findIndex((_, i) => history.some((h) => h[i] !== history[0]![i]));
    let index = changing;
    if (index < 0) {
      const written = assignedNames(body);
      index = this.slots.findIndex((x) => written.has(x.name));
    }
    if (index < 0) return [];
    const values: number[] = [];
    for (const h of history) {
      const v = h[index];
      if (v !== undefined && !values.includes(v)) values.push(v);
    }
    return values;
  }

  private value(e: c.Expr): Value {
    this.tick(e.span);
    switch (e.kind) {
      case 'number':
      case 'name': {
        if (e.kind === 'name') {
          const b = this.lookup(e.name.text);
          if (b?.kind === 'slot') {
            if (b.slot.v === undefined) throw this.fault(`reads \`${e.name.text}\` before it is set`, e.span);
            return { t: b.slot.t, v: b.slot.v };
          }
          if (b?.kind === 'const') return b.value;
          if (b?.kind === 'pointer') return wrap('ulong', 1);
          if (b) throw this.fault(`\`${e.name.text}\` is not an integer here`, e.span);
        }
        const key = e.kind === 'name' ? e.name.text : null;
        const known = key === null ? undefined : this.constants.get(key);
        if (known) return known;
        const v = constEval(e, this.bound.resolve, () => undefined);
        if (!v) throw this.fault('unresolved name', e.span);
        // Spec names resolve the same way on every run: once is enough.
        if (key !== null) this.constants.set(key, v);
        return v;
      }
      case 'string':
        return wrap('ulong', 1);
      case 'sizeof':
        throw this.fault('sizeof is not evaluated', e.span);
      case 'unary': {
        if (e.op === '*') {
          const slot = this.pointee(e.operand);
          if (slot.v === undefined) throw this.fault(`reads ${slot.name} before it is set`, e.span);
          return { t: slot.t, v: slot.v };
        }
        if (e.op === '&') throw this.fault('taking an address is not evaluated', e.span);
        return unaryOp(e.op, this.value(e.operand));
      }
      case 'binary': {
        if (e.op === '&&' || e.op === '||') {
          const left = truthy(this.value(e.left));
          if (e.op === '&&' ? !left : left) return int(left);
          return int(truthy(this.value(e.right)));
        }
        const r = binaryOp(e.op, this.value(e.left), this.value(e.right));
        if (!r.ok) throw this.fault(r.reason, e.span);
        return r.value;
      }
      case 'cond':
        return truthy(this.value(e.test)) ? this.value(e.then) : this.value(e.otherwise);
      case 'assign': {
        const slot = this.place(e.target);
        let v = this.value(e.value);
        if (e.op !== '=') {
          if (slot.v === undefined) throw this.fault(`reads ${slot.name} before it is set`, e.target.span);
          const r = binaryOp(e.op.slice(0, -1) as Exclude<c.BinaryOp, '&&' | '||'>, { t: slot.t, v: slot.v }, v);
          if (!r.ok) throw this.fault(r.reason, e.span);
          v = r.value;
        }
        const stored = convert(v, slot.t);
        slot.v = stored.v;
        return stored;
      }
      case 'step': {
        const slot = this.place(e.target);
        if (slot.v === undefined) throw this.fault(`reads ${slot.name} before it is set`, e.target.span);
        const before: Value = { t: slot.t, v: slot.v };
        const after = wrap(slot.t, slot.v + (e.op === '++' ? 1 : -1));
        slot.v = after.v;
        return e.prefix ? after : before;
      }
      case 'index': {
        const ref = this.arrayRef(e);
        if (ref.depth < ref.array.dims.length) throw this.fault(`\`${ref.name}\` needs ${ref.array.dims.length} indexes here`, e.span);
        const cell = ref.array.cells[ref.offset];
        if (cell === null) throw new Stop({ kind: 'unknown', at: e.span });
        return wrap(ref.array.elem, cell ?? 0);
      }
      case 'member':
        return wrap('uint', this.flags);
      case 'call':
        return this.call(e);
      case 'cast': {
        const t = intType(e.type.specs.type);
        const v = this.value(e.operand);
        if (e.type.pointer > 0 || t === 'struct') throw this.fault('pointer casts are not evaluated', e.span);
        return t === 'void' ? int(0) : convert(v, t);
      }
    }
  }

  private call(e: Extract<c.Expr, { kind: 'call' }>): Value {
    const name = e.callee.kind === 'name' ? e.callee.name.text : '';
    const arg = e.args[0];
    if (!arg || e.args.length !== 1) throw this.fault(`${name}() takes one argument`, e.span);
    switch (name) {
      case 'WARN_ON':
      case 'WARN_ON_ONCE':
      case 'likely':
      case 'unlikely':
        return int(truthy(this.value(arg)));
      case 'BIT': {
        const n = this.value(arg).v;
        if (n < 0 || n > 63) throw this.fault(`BIT(${n}) is outside 0..63`, e.span);
        return wrap('ulong', 2 ** n);
      }
      case 'ARRAY_SIZE': {
        const ref = this.arrayRef(arg);
        return wrap('ulong', ref.array.dims[ref.depth] ?? 0);
      }
      default:
        throw this.fault(`${name}() is not evaluated`, e.span);
    }
  }

  /** Where an assignment writes: a variable or `*pointer`; tables are const. */
  private place(e: c.Expr): Slot {
    if (e.kind === 'name') {
      const b = this.lookup(e.name.text);
      if (b?.kind === 'slot') return b.slot;
      throw this.fault(`cannot assign to \`${e.name.text}\``, e.span);
    }
    if (e.kind === 'unary' && e.op === '*') return this.pointee(e.operand);
    throw this.fault('cannot assign to this expression', e.span);
  }

  private pointee(e: c.Expr): Slot {
    if (e.kind === 'name') {
      const b = this.lookup(e.name.text);
      if (b?.kind === 'pointer') return b.slot;
    }
    throw this.fault('only the out parameter can be dereferenced', e.span);
  }

  private arrayRef(e: c.Expr): ArrayRef {
    if (e.kind === 'name') {
      const b = this.lookup(e.name.text);
      if (b?.kind === 'array') return { name: b.name, array: b.array, offset: 0, depth: 0 };
      throw this.fault(`\`${e.name.text}\` is not an array`, e.span);
    }
    if (e.kind === 'index') {
      const outer = this.arrayRef(e.base);
      const dims = outer.array.dims;
      if (outer.depth >= dims.length) throw this.fault(`\`${outer.name}\` has only ${dims.length} dimension(s)`, e.span);
      const i = this.value(e.index);
      const size = dims[outer.depth]!;
      const signed = i.t === 'int' || i.t === 'long' || i.t === 's8' || i.t === 's16';
      if ((signed && i.v < 0) || i.v >= size) {
        throw this.fault(`reads ${outer.name}${'[…]'.repeat(outer.depth)}[${i.v}], outside its ${size} elements`, e.span);
      }
      let stride = 1;
      for (let k = outer.depth + 1; k < dims.length; k++) stride *= dims[k]!;
      return { name: outer.name, array: outer.array, offset: outer.offset + i.v * stride, depth: outer.depth + 1 };
    }
    throw this.fault('not an array', e.span);
  }

  private fault(message: string, at: Span): Stop {
    return new Stop({ kind: 'fault', message, at });
  }
}

/** Names a statement assigns to, `*p` spelled with its star. */
function assignedNames(s: c.Stmt): Set<string> {
  const names = new Set<string>();
  const visitExpr = (e: c.Expr): void => {
    if (e.kind === 'assign' || e.kind === 'step') {
      const t = e.target;
      if (t.kind === 'name') names.add(t.name.text);
      else if (t.kind === 'unary' && t.op === '*' && t.operand.kind === 'name') names.add(`*${t.operand.name.text}`);
      if (e.kind === 'assign') visitExpr(e.value);
    }
  };
  const visit = (x: c.Stmt): void => {
    if (x.kind === 'expr') visitExpr(x.expr);
    else if (x.kind === 'block') x.items.forEach(visit);
    else if (x.kind === 'if') {
      visit(x.then);
      if (x.otherwise) visit(x.otherwise);
    } else if (x.kind === 'while' || x.kind === 'do' || x.kind === 'for') visit(x.body);
  };
  visit(s);
  return names;
}
