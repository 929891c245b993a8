import type { Span } from '../../common/source.js';
import type { BoundFunction } from '../bind/bind-function.js';
import type * as c from '../c/ast.js';
import type { IntType, Value } from '../c/int-value.js';
import { binaryOp, convert, int, intType, intValue, truthy, unaryOp, wrap } from '../c/int-value.js';
import { constEval } from '../c/const-eval.js';
import type { KernelOutcome, RuntimeArray } from './evaluator.js';

/**
 * The function's tree turned, once, into closures that interpret it: every
 * name is resolved to what it denotes before the first run (the scope it is
 * declared in follows from where it is written, as C's blocks nest), and
 * constants are evaluated once; running an input then walks the closures
 * instead of the tree. What each node does, in which order, and which step
 * of a run counts against the step bound is unchanged: only the lookups per
 * node are gone, which were most of a run.
 */

export const STEP_BOUND = 100_000;

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
const BREAK = { kind: 'break' } as const;
const CONTINUE = { kind: 'continue' } as const;

export type Exec = () => Completion;
type Eval = () => Value;

/** The state of one run: what the closures read and write. */
export class RunState {
  steps = 0;
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
    if (++this.steps > STEP_BOUND) throw new Stop({ kind: 'diverges', cycle: [], at });
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

/** What a name denotes where it is written. */
type Binding =
  | { readonly kind: 'slot'; readonly id: number }
  | { readonly kind: 'pointer'; readonly id: number }
  | { readonly kind: 'device' }
  | { readonly kind: 'const'; readonly value: Value }
  | { readonly kind: 'array'; readonly name: string; readonly array: RuntimeArray };

/**
 * An array, or a row of one, as an expression names it. Which array and how
 * many indexes follow from the tree; only the offset is worked out per run.
 * `offset` evaluates the indexes (and fails as the tree walk did).
 */
interface ArrayPath {
  readonly name: string;
  readonly array: RuntimeArray;
  readonly depth: number;
  readonly offset: () => number;
}

/** A parameter the run sets up: the state values it gets, or the out pointer's target. */
export interface ParamSlot {
  readonly id: number;
  readonly name: string;
  readonly t: IntType;
  readonly role: 'current' | 'target' | 'out';
}

export interface Compiled {
  readonly params: readonly ParamSlot[];
  /** The body's items, run as the function's block (which, unlike inner blocks, costs no step). */
  readonly body: Exec;
}

const ONE_ULONG = wrap('ulong', 1);

function fault(message: string, at: Span): Stop {
  return new Stop({ kind: 'fault', message, at });
}

export function compileFunction(bound: BoundFunction, statics: ReadonlyMap<string, RuntimeArray>, state: RunState): Compiled {
  return new Compiler(bound, statics, state).compile();
}

class Compiler {
  private ids = 0;
  /** Innermost last, as the runs' blocks nest. */
  private readonly scopes: Map<string, Binding>[] = [];

  constructor(
    private readonly bound: BoundFunction,
    private readonly statics: ReadonlyMap<string, RuntimeArray>,
    private readonly state: RunState,
  ) {}

  compile(): Compiled {
    const { shape, fn } = this.bound;
    const top = new Map<string, Binding>();
    for (const [name, value] of this.bound.constants) top.set(name, { kind: 'const', value });
    const params: ParamSlot[] = [];
    for (const p of fn.params) {
      if (!p.name) continue;
      const name = p.name.text;
      const t = intType(p.specs.type);
      const held = t === 'void' || t === 'struct' ? 'uint' : t;
      if (name === shape.device) top.set(name, { kind: 'device' });
      else if (name === shape.out) {
        const id = this.ids++;
        params.push({ id, name: `*${name}`, t: held, role: 'out' });
        top.set(name, { kind: 'pointer', id });
      } else if (name === shape.current || name === shape.target) {
        const id = this.ids++;
        params.push({ id, name, t: held, role: name === shape.current ? 'current' : 'target' });
        top.set(name, { kind: 'slot', id });
      }
    }
    this.scopes.push(top);
    return { params, body: this.block(fn.body.items) };
  }

  private lookup(name: string): Binding | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i]!.get(name);
      if (b) return b;
    }
    const array = this.statics.get(name);
    return array ? { kind: 'array', name, array } : undefined;
  }

  /**
   * Locals die with their block, so a loop's state is the same size at every
   * head. (No `finally`: a Stop ends the run, and the next run starts with no
   * variables.)
   */
  private block(items: readonly c.Stmt[]): Exec {
    this.scopes.push(new Map());
    const execs = items.map((item) => this.stmt(item));
    this.scopes.pop();
    const state = this.state;
    return () => {
      const mark = state.live;
      // Indexed loops here and below: these closures run cold, where `for...of` allocates an iterator per pass.
      for (let k = 0; k < execs.length; k++) {
        const done = execs[k]!();
        if (done) {
          state.leave(mark);
          return done;
        }
      }
      state.leave(mark);
      return undefined;
    };
  }

  private stmt(s: c.Stmt): Exec {
    const state = this.state;
    const at = s.span;
    switch (s.kind) {
      case 'decl': {
        const declare = this.declare(s);
        return () => {
          state.tick(at);
          declare();
          return undefined;
        };
      }
      case 'block': {
        const block = this.block(s.items);
        return () => {
          state.tick(at);
          return block();
        };
      }
      case 'if': {
        const test = this.value(s.test);
        const then = this.stmt(s.then);
        const otherwise = s.otherwise ? this.stmt(s.otherwise) : null;
        return () => {
          state.tick(at);
          if (truthy(test())) return then();
          return otherwise ? otherwise() : undefined;
        };
      }
      case 'while':
      case 'do': {
        const loop = this.loop(s, this.value(s.test), s.body, null, s.kind === 'do');
        return () => {
          state.tick(at);
          return loop();
        };
      }
      case 'for': {
        this.scopes.push(new Map());
        const init = s.init === null ? null : s.init.kind === 'decl' ? this.declare(s.init) : this.value(s.init);
        const loop = this.loop(s, s.test ? this.value(s.test) : null, s.body, s.update ? this.value(s.update) : null, false);
        this.scopes.pop();
        return () => {
          state.tick(at);
          const mark = state.live;
          if (init) init();
          const done = loop();
          state.leave(mark);
          return done;
        };
      }
      case 'return': {
        const value = s.value ? this.value(s.value) : null;
        return () => {
          state.tick(at);
          return { kind: 'return', value: value ? value() : null };
        };
      }
      case 'break':
      case 'continue': {
        const done = s.kind === 'break' ? BREAK : CONTINUE;
        return () => {
          state.tick(at);
          return done;
        };
      }
      case 'expr': {
        const value = this.value(s.expr);
        return () => {
          state.tick(at);
          value();
          return undefined;
        };
      }
      case 'empty':
        return () => {
          state.tick(at);
          return undefined;
        };
      case 'hole':
        return () => {
          state.tick(at);
          throw new Stop({ kind: 'unknown', at });
        };
    }
  }

  /** Each declarator in turn: a new variable, visible from its own initializer on. */
  private declare(d: c.Declaration): () => void {
    const scope = this.scopes[this.scopes.length - 1]!;
    const t = intType(d.specs.type);
    const steps: (() => void)[] = [];
    for (const decl of d.declarators) {
      const name = decl.name.text;
      if (this.statics.has(name)) continue;
      if (decl.dims.length > 0 || decl.pointer > 0 || t === 'void' || t === 'struct') {
        const at = decl.span;
        steps.push(() => {
          throw fault(`the evaluator cannot hold the local \`${name}\``, at);
        });
        continue;
      }
      const id = this.ids++;
      scope.set(name, { kind: 'slot', id });
      const held = t;
      const init = decl.init;
      if (!init) {
        steps.push(() => void this.state.slot(id, name, held, undefined));
        continue;
      }
      if (init.kind !== 'expr') {
        steps.push(() => {
          this.state.slot(id, name, held, undefined);
          throw fault('a braced initializer for a scalar', init.span);
        });
        continue;
      }
      const value = this.value(init.expr);
      steps.push(() => {
        const slot = this.state.slot(id, name, held, undefined);
        slot.v = convert(value(), held).v;
      });
    }
    return () => {
      for (let k = 0; k < steps.length; k++) steps[k]!();
    };
  }

  /** `while`, `do` and `for`, with the repeated-state test at every head. */
  private loop(s: c.Stmt, test: Eval | null, bodyStmt: c.Stmt, update: Eval | null, bodyFirst: boolean): Exec {
    const body = this.stmt(bodyStmt);
    const state = this.state;
    return () => {
      // Where each state was first seen. Most loops here end at their first
      // or second head, so the map is made only when a second state comes.
      let firstKey: string | undefined;
      let seen: Map<string, number> | undefined;
      const history: (number | undefined)[][] = [];
      for (let first = true; ; first = false) {
        if (!(bodyFirst && first)) {
          const snapshot = state.values();
          const key = snapshot.join(',');
          const at = seen ? seen.get(key) : key === firstKey ? 0 : undefined;
          if (at !== undefined) throw new Stop({ kind: 'diverges', cycle: cycle(state.liveSlots(), history.slice(at), bodyStmt), at: s.span });
          if (firstKey === undefined) firstKey = key;
          else (seen ??= new Map([[firstKey, 0]])).set(key, history.length);
          history.push(snapshot);
          if (test && !truthy(test())) return undefined;
        }
        const done = body();
        if (done === BREAK) return undefined;
        if (done && done !== CONTINUE) return done;
        if (update) update();
      }
    };
  }

  private value(e: c.Expr): Eval {
    const state = this.state;
    const at = e.span;
    switch (e.kind) {
      case 'number': {
        const v = constEval(e, this.bound.resolve, () => undefined)!;
        return () => {
          state.tick(at);
          return v;
        };
      }
      case 'name':
        return this.name(e.name.text, e);
      case 'string':
        return () => {
          state.tick(at);
          return ONE_ULONG;
        };
      case 'sizeof':
        return () => {
          state.tick(at);
          throw fault('sizeof is not evaluated', at);
        };
      case 'unary': {
        if (e.op === '*') {
          const pointee = this.pointee(e.operand);
          return () => {
            state.tick(at);
            const slot = pointee();
            if (slot.v === undefined) throw fault(`reads ${slot.name} before it is set`, at);
            return intValue(slot.t, slot.v);
          };
        }
        if (e.op === '&') {
          return () => {
            state.tick(at);
            throw fault('taking an address is not evaluated', at);
          };
        }
        const op = e.op;
        const operand = this.value(e.operand);
        return () => {
          state.tick(at);
          return unaryOp(op, operand());
        };
      }
      case 'binary': {
        const left = this.value(e.left);
        const right = this.value(e.right);
        const op = e.op;
        if (op === '&&' || op === '||') {
          return () => {
            state.tick(at);
            const l = truthy(left());
            if (op === '&&' ? !l : l) return int(l);
            return int(truthy(right()));
          };
        }
        return () => {
          state.tick(at);
          const r = binaryOp(op, left(), right());
          if (!r.ok) throw fault(r.reason, at);
          return r.value;
        };
      }
      case 'cond': {
        const test = this.value(e.test);
        const then = this.value(e.then);
        const otherwise = this.value(e.otherwise);
        return () => {
          state.tick(at);
          return truthy(test()) ? then() : otherwise();
        };
      }
      case 'assign':
        return this.assign(e);
      case 'step': {
        const place = this.place(e.target);
        const targetAt = e.target.span;
        const delta = e.op === '++' ? 1 : -1;
        const prefix = e.prefix;
        return () => {
          state.tick(at);
          const slot = place();
          if (slot.v === undefined) throw fault(`reads ${slot.name} before it is set`, targetAt);
          const before = intValue(slot.t, slot.v);
          const after = wrap(slot.t, slot.v + delta);
          slot.v = after.v;
          return prefix ? after : before;
        };
      }
      case 'index': {
        const path = this.arrayPath(e);
        if (!path) return this.failing(e, at);
        const { name, array, depth, offset } = path;
        return () => {
          state.tick(at);
          const o = offset();
          if (depth < array.dims.length) throw fault(`\`${name}\` needs ${array.dims.length} indexes here`, at);
          const cell = array.cells[o];
          if (cell === null) throw new Stop({ kind: 'unknown', at });
          return wrap(array.elem, cell ?? 0);
        };
      }
      case 'member':
        return () => {
          state.tick(at);
          return wrap('uint', state.flags);
        };
      case 'call':
        return this.call(e);
      case 'cast': {
        const t = intType(e.type.specs.type);
        const pointer = e.type.pointer;
        const operand = this.value(e.operand);
        return () => {
          state.tick(at);
          const v = operand();
          if (pointer > 0 || t === 'struct') throw fault('pointer casts are not evaluated', at);
          return t === 'void' ? int(0) : convert(v, t);
        };
      }
    }
  }

  private name(name: string, e: c.Expr): Eval {
    const state = this.state;
    const at = e.span;
    const b = this.lookup(name);
    switch (b?.kind) {
      case 'slot': {
        const id = b.id;
        return () => {
          state.tick(at);
          const slot = state.env[id]!;
          if (slot.v === undefined) throw fault(`reads \`${name}\` before it is set`, at);
          return intValue(slot.t, slot.v);
        };
      }
      case 'const': {
        const value = b.value;
        return () => {
          state.tick(at);
          return value;
        };
      }
      case 'pointer':
        return () => {
          state.tick(at);
          return ONE_ULONG;
        };
      case 'device':
      case 'array':
        return () => {
          state.tick(at);
          throw fault(`\`${name}\` is not an integer here`, at);
        };
      case undefined: {
        // A spec name resolves the same way on every run: once, when first met, is enough.
        let known: Value | null = null;
        return () => {
          state.tick(at);
          known ??= constEval(e, this.bound.resolve, () => undefined);
          if (!known) throw fault('unresolved name', at);
          return known;
        };
      }
    }
  }

  private assign(e: Extract<c.Expr, { kind: 'assign' }>): Eval {
    const state = this.state;
    const at = e.span;
    const targetAt = e.target.span;
    const place = this.place(e.target);
    const value = this.value(e.value);
    const op = e.op === '=' ? null : (e.op.slice(0, -1) as Exclude<c.BinaryOp, '&&' | '||'>);
    return () => {
      state.tick(at);
      const slot = place();
      let v = value();
      if (op) {
        if (slot.v === undefined) throw fault(`reads ${slot.name} before it is set`, targetAt);
        const r = binaryOp(op, intValue(slot.t, slot.v), v);
        if (!r.ok) throw fault(r.reason, at);
        v = r.value;
      }
      const stored = convert(v, slot.t);
      slot.v = stored.v;
      return stored;
    };
  }

  private call(e: Extract<c.Expr, { kind: 'call' }>): Eval {
    const state = this.state;
    const at = e.span;
    const name = e.callee.kind === 'name' ? e.callee.name.text : '';
    const arg = e.args[0];
    if (!arg || e.args.length !== 1) {
      return () => {
        state.tick(at);
        throw fault(`${name}() takes one argument`, at);
      };
    }
    switch (name) {
      case 'WARN_ON':
      case 'WARN_ON_ONCE':
      case 'likely':
      case 'unlikely': {
        const value = this.value(arg);
        return () => {
          state.tick(at);
          return int(truthy(value()));
        };
      }
      case 'BIT': {
        const value = this.value(arg);
        return () => {
          state.tick(at);
          const n = value().v;
          if (n < 0 || n > 63) throw fault(`BIT(${n}) is outside 0..63`, at);
          return wrap('ulong', 2 ** n);
        };
      }
      case 'ARRAY_SIZE': {
        const path = this.arrayPath(arg);
        if (!path) return this.failing(arg, at);
        const { array, depth, offset } = path;
        const size = wrap('ulong', array.dims[depth] ?? 0);
        return () => {
          state.tick(at);
          offset();
          return size;
        };
      }
      default:
        return () => {
          state.tick(at);
          throw fault(`${name}() is not evaluated`, at);
        };
    }
  }

  /** Where an assignment writes: a variable or `*pointer`; tables are const. */
  private place(e: c.Expr): () => Slot {
    const state = this.state;
    if (e.kind === 'name') {
      const b = this.lookup(e.name.text);
      if (b?.kind === 'slot') {
        const id = b.id;
        return () => state.env[id]!;
      }
      const message = `cannot assign to \`${e.name.text}\``;
      return () => {
        throw fault(message, e.span);
      };
    }
    if (e.kind === 'unary' && e.op === '*') return this.pointee(e.operand);
    return () => {
      throw fault('cannot assign to this expression', e.span);
    };
  }

  private pointee(e: c.Expr): () => Slot {
    const state = this.state;
    const b = e.kind === 'name' ? this.lookup(e.name.text) : undefined;
    if (b?.kind === 'pointer') {
      const id = b.id;
      return () => state.env[id]!;
    }
    return () => {
      throw fault('only the out parameter can be dereferenced', e.span);
    };
  }

  /**
   * The array `e` names, with its indexes; null when it names none, and then
   * failing(e) throws what the tree walk threw, after the same steps.
   */
  private arrayPath(e: c.Expr): ArrayPath | null {
    if (e.kind === 'name') {
      const b = this.lookup(e.name.text);
      return b?.kind === 'array' ? { name: b.name, array: b.array, depth: 0, offset: () => 0 } : null;
    }
    if (e.kind !== 'index') return null;
    const outer = this.arrayPath(e.base);
    if (!outer || outer.depth >= outer.array.dims.length) return null;
    const { name, array, depth } = outer;
    const base = outer.offset;
    const index = this.value(e.index);
    const size = array.dims[depth]!;
    let stride = 1;
    for (let k = depth + 1; k < array.dims.length; k++) stride *= array.dims[k]!;
    const at = e.span;
    const offset = (): number => {
      const o = base();
      const i = index();
      const signed = i.t === 'int' || i.t === 'long' || i.t === 's8' || i.t === 's16';
      if ((signed && i.v < 0) || i.v >= size) throw fault(`reads ${name}${'[…]'.repeat(depth)}[${i.v}], outside its ${size} elements`, at);
      return o + i.v * stride;
    };
    return { name, array, depth: depth + 1, offset };
  }

  /**
   * For an expression that names no array where one is needed (the tick of
   * `tickAt` first): evaluates what the tree walk evaluated on the way, then
   * throws its fault.
   */
  private failing(e: c.Expr, tickAt: Span): Eval {
    const state = this.state;
    const fail = this.arrayFault(e);
    return () => {
      state.tick(tickAt);
      return fail();
    };
  }

  private arrayFault(e: c.Expr): () => never {
    if (e.kind === 'name') {
      const message = `\`${e.name.text}\` is not an array`;
      return () => {
        throw fault(message, e.span);
      };
    }
    if (e.kind !== 'index') {
      return () => {
        throw fault('not an array', e.span);
      };
    }
    const outer = this.arrayPath(e.base);
    if (!outer) return this.arrayFault(e.base);
    const { name, array, offset } = outer;
    return () => {
      offset();
      throw fault(`\`${name}\` has only ${array.dims.length} dimension(s)`, e.span);
    };
  }
}

/**
 * The states a never-ending loop goes round: the values of the variable
 * that changes in it, or, when nothing changes, of the one it keeps writing.
 */
function cycle(slots: readonly Slot[], history: readonly (readonly (number | undefined)[])[], body: c.Stmt): number[] {
  const changing = slots.findIndex((_, i) => history.some((h) => h[i] !== history[0]![i]));
  let index = changing;
  if (index < 0) {
    const written = assignedNames(body);
    index = slots.findIndex((x) => written.has(x.name));
  }
  if (index < 0) return [];
  const values: number[] = [];
  for (const h of history) {
    const v = h[index];
    if (v !== undefined && !values.includes(v)) values.push(v);
  }
  return values;
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
