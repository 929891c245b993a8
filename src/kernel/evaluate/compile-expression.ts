import type { Span } from '../../common/source.js';
import type { BoundFunction } from '../bind/bind-function.js';
import type * as c from '../c/ast.js';
import type { Value } from '../c/int-value.js';
import { binaryOp, convert, int, intType, intValue, truthy, unaryOp, wrap } from '../c/int-value.js';
import { constEval } from '../c/const-eval.js';
import type { RuntimeArray } from './outcome.js';
import type { Eval, RunState } from './run-state.js';
import { fault, Slot, Stop } from './run-state.js';

/**
 * Expressions turned, once, into closures. Names are resolved through the
 * statement compiler's scopes (`lookup`), so each closure knows before the
 * first run which variable, constant or table it reads.
 */

/** What a name denotes where it is written. */
export type Binding =
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

const ONE_ULONG = wrap('ulong', 1);

export class ExpressionCompiler {
  constructor(
    private readonly bound: BoundFunction,
    private readonly state: RunState,
    private readonly lookup: (name: string) => Binding | undefined,
  ) {}

  value(e: c.Expr): Eval {
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
      // Only a macro takes a type, and bind refuses every call but the known macros (VF207).
      case 'type':
        return () => {
          state.tick(at);
          throw fault('a type argument is not evaluated', at);
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
