import type { BoundFunction } from '../bind/bind-function.js';
import type * as c from '../c/ast.js';
import { convert, intType, truthy } from '../c/int-value.js';
import type { IntType } from '../c/int-value.js';
import type { Binding } from './compile-expression.js';
import { ExpressionCompiler } from './compile-expression.js';
import { LoopHeads } from './loop-cycle.js';
import type { RuntimeArray } from './outcome.js';
import type { Eval, Exec, RunState } from './run-state.js';
import { BREAK, CONTINUE, fault, Stop } from './run-state.js';

/**
 * The function's tree turned, once, into closures that interpret it: every
 * name is resolved to what it denotes before the first run (the scope it is
 * declared in follows from where it is written, as C's blocks nest), and
 * constants are evaluated once; running an input then walks the closures
 * instead of the tree. What each node does, in which order, and which step
 * of a run counts against the step bound is unchanged: only the lookups per
 * node are gone, which were most of a run.
 */

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

export function compileFunction(bound: BoundFunction, statics: ReadonlyMap<string, RuntimeArray>, state: RunState): Compiled {
  return new Compiler(bound, statics, state).compile();
}

class Compiler {
  private ids = 0;
  /** Innermost last, as the runs' blocks nest. */
  private readonly scopes: Map<string, Binding>[] = [];
  private readonly exprs: ExpressionCompiler;

  constructor(
    private readonly bound: BoundFunction,
    private readonly statics: ReadonlyMap<string, RuntimeArray>,
    private readonly state: RunState,
  ) {
    this.exprs = new ExpressionCompiler(bound, state, (name) => this.lookup(name));
  }

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
        const test = this.exprs.value(s.test);
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
        const loop = this.loop(s, this.exprs.value(s.test), s.body, null, s.kind === 'do');
        return () => {
          state.tick(at);
          return loop();
        };
      }
      case 'for': {
        this.scopes.push(new Map());
        const init = s.init === null ? null : s.init.kind === 'decl' ? this.declare(s.init) : this.exprs.value(s.init);
        const loop = this.loop(s, s.test ? this.exprs.value(s.test) : null, s.body, s.update ? this.exprs.value(s.update) : null, false);
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
        const value = s.value ? this.exprs.value(s.value) : null;
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
        const value = this.exprs.value(s.expr);
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
      // Driver statements: bind refuses them in the lookup function (VF213), so no run meets one.
      case 'switch':
      case 'case':
      case 'label':
      case 'goto': {
        const what = s.kind;
        return () => {
          state.tick(at);
          throw fault(`a ${what} statement is not evaluated`, at);
        };
      }
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
      const value = this.exprs.value(init.expr);
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
      const heads = new LoopHeads(s, state);
      for (let first = true; ; first = false) {
        if (!(bodyFirst && first)) {
          heads.visit();
          if (test && !truthy(test())) return undefined;
        }
        const done = body();
        if (done === BREAK) return undefined;
        if (done && done !== CONTINUE) return done;
        if (update) update();
      }
    };
  }
}
