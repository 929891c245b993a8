import type { Model } from '../../model/model.js';
import type * as c from '../c/ast.js';
import type { Value } from '../c/int-value.js';
import { int, intType } from '../c/int-value.js';
import type { ConstResolver, Report } from '../c/const-eval.js';
import { constEval } from '../c/const-eval.js';
import { meaning, meaningValue, unknownMessage } from './names.js';

/** The kernel macros the evaluator knows; any other call is reported. */
export const MACROS = new Set(['WARN_ON', 'WARN_ON_ONCE', 'likely', 'unlikely', 'ARRAY_SIZE', 'BIT']);

/** The one field of `struct vfio_device` the lookup reads. */
export const DEVICE_FIELD = 'migration_flags';

/** Which parameter carries what, read off the signature rather than assumed by position alone. */
export interface FunctionShape {
  readonly device: string | null;
  readonly current: string;
  readonly target: string;
  /** `enum ... *next_fsm` from 5.18 on; null when the next state is returned. */
  readonly out: string | null;
  /** 5.18 on: `int`, 0 or -errno. The seed: the next state itself, ERROR meaning refused. */
  readonly returnsErrno: boolean;
}

export interface TableDecl {
  readonly decl: c.Declaration;
  readonly declarator: c.Declarator;
}

export interface BoundFunction {
  readonly fn: c.FunctionDef;
  readonly shape: FunctionShape;
  readonly constants: ReadonlyMap<string, Value>;
  readonly resolve: ConstResolver;
  readonly table: TableDecl | null;
  readonly flagsTable: TableDecl | null;
}

/** Spec names and errno names, plus `locals`; unknown names are reported through `report`. */
export function constResolver(model: Model, locals: ReadonlyMap<string, Value>, report: Report): ConstResolver {
  return (id) => {
    const local = locals.get(id.text);
    if (local) return local;
    const m = meaning(model, id.text);
    if (m) {
      const v = meaningValue(m);
      if (v) return v;
      report(m.kind === 'unknown-state' ? 'VF205' : 'VF206', id.span, unknownMessage(model, id.text, m)!);
      return null;
    }
    report('VF204', id.span, `unknown name \`${id.text}\`: not a local, a parameter, or a state, flag or errno name`);
    return null;
  };
}

/** Local `enum { NAME = value, ... }` constants, in order, each one more than the last when not given. */
export function collectEnumConstants(model: Model, items: readonly c.Stmt[], report: Report, into: Map<string, Value>): void {
  const resolve = constResolver(model, into, report);
  for (const item of items) {
    if (item.kind === 'block') collectEnumConstants(model, item.items, report, into);
    if (item.kind !== 'decl' || item.specs.type.kind !== 'enum' || !item.specs.type.enumerators) continue;
    let next = int(0);
    for (const e of item.specs.type.enumerators) {
      const v = e.value ? constEval(e.value, resolve, report) : next;
      if (!v) continue;
      into.set(e.name.text, int(v.v));
      next = int(v.v + 1);
    }
  }
}

/**
 * Resolves everything the evaluator will meet: the parameters' roles, the
 * local enum, the two static tables, and every name, call and field in the
 * body. Returns null (with diagnostics) when something cannot be evaluated.
 */
export function bindFunction(model: Model, fn: c.FunctionDef, report: Report, outside: ReadonlyMap<string, Value> = new Map(), fileStatics: readonly string[] = []): BoundFunction | null {
  let ok = true;
  const fail: Report = (code, span, message) => {
    ok = false;
    report(code, span, message);
  };
  const shape = readShape(fn, fail);
  const constants = new Map<string, Value>(outside);
  collectEnumConstants(model, fn.body.items, fail, constants);
  const resolve = constResolver(model, constants, fail);
  const table = findDeclaration(fn.body.items, model.c.table);
  const flagsTable = findDeclaration(fn.body.items, model.c.flagsTable);
  const skip = new Set<c.Declarator>([table?.declarator, flagsTable?.declarator].filter((d): d is c.Declarator => d !== undefined));
  const scope = new Set<string>(fn.params.flatMap((p) => (p.name ? [p.name.text] : [])));
  for (const name of constants.keys()) scope.add(name);
  for (const name of fileStatics) scope.add(name);
  checkItems(model, fn.body.items, [scope], skip, shape, fail);
  if (!shape || !ok) return null;
  return { fn, shape, constants, resolve, table, flagsTable };
}

export function findDeclaration(items: readonly c.Stmt[], name: string): TableDecl | null {
  for (const item of items) {
    if (item.kind === 'block') {
      const inner = findDeclaration(item.items, name);
      if (inner) return inner;
    }
    if (item.kind !== 'decl') continue;
    const declarator = item.declarators.find((d) => d.name.text === name);
    if (declarator) return { decl: item, declarator };
  }
  return null;
}

function readShape(fn: c.FunctionDef, report: Report): FunctionShape | null {
  let device: string | null = null;
  let out: string | null = null;
  const states: string[] = [];
  for (const p of fn.params) {
    if (!p.name) continue;
    const t = intType(p.specs.type);
    if (t === 'struct' && p.pointer === 1) device ??= p.name.text;
    else if (t !== 'struct' && t !== 'void' && p.pointer === 0) states.push(p.name.text);
    else if (t !== 'struct' && t !== 'void' && p.pointer === 1) out ??= p.name.text;
  }
  const returns = intType(fn.returns.type);
  if (states.length < 2 || returns === 'void' || returns === 'struct' || fn.pointer > 0) {
    report('VF209', fn.name.span, `cannot read the signature of ${fn.name.text}(): expected the device, the current and the target state, and an \`int\` result with an out pointer or a state result`);
    return null;
  }
  const returnsErrno = out !== null && fn.returns.type.kind === 'base' && (returns === 'int' || returns === 'long');
  return { device, current: states[0]!, target: states[1]!, out: returnsErrno ? out : null, returnsErrno };
}

function checkItems(model: Model, items: readonly c.Stmt[], scopes: Set<string>[], skip: ReadonlySet<c.Declarator>, shape: FunctionShape | null, report: Report): void {
  const inner = new Set<string>();
  const stack = [...scopes, inner];
  for (const item of items) checkStmt(model, item, stack, skip, shape, report);
}

function checkStmt(model: Model, s: c.Stmt, scopes: Set<string>[], skip: ReadonlySet<c.Declarator>, shape: FunctionShape | null, report: Report): void {
  const expr = (e: c.Expr | null): void => {
    if (e) checkExpr(model, e, scopes, shape, report);
  };
  switch (s.kind) {
    case 'decl':
      for (const d of s.declarators) {
        if (!skip.has(d)) {
          for (const dim of d.dims) expr(dim);
          if (d.init) checkInit(d.init, expr);
        }
        scopes[scopes.length - 1]!.add(d.name.text);
      }
      return;
    case 'block':
      checkItems(model, s.items, scopes, skip, shape, report);
      return;
    case 'if':
      expr(s.test);
      checkStmt(model, s.then, scopes, skip, shape, report);
      if (s.otherwise) checkStmt(model, s.otherwise, scopes, skip, shape, report);
      return;
    case 'while':
    case 'do':
      expr(s.test);
      checkStmt(model, s.body, scopes, skip, shape, report);
      return;
    case 'for': {
      const stack = [...scopes, new Set<string>()];
      if (s.init && s.init.kind === 'decl') checkStmt(model, s.init, stack, skip, shape, report);
      else if (s.init) checkExpr(model, s.init, stack, shape, report);
      if (s.test) checkExpr(model, s.test, stack, shape, report);
      if (s.update) checkExpr(model, s.update, stack, shape, report);
      checkStmt(model, s.body, stack, skip, shape, report);
      return;
    }
    case 'return':
      expr(s.value);
      return;
    case 'expr':
      expr(s.expr);
      return;
    case 'hole':
    case 'break':
    case 'continue':
    case 'empty':
      return;
  }
}

function checkInit(init: c.Initializer, expr: (e: c.Expr) => void): void {
  if (init.kind === 'expr') expr(init.expr);
  else for (const e of init.elems) if (e.kind === 'item') checkInit(e.value, expr);
}

function checkExpr(model: Model, e: c.Expr, scopes: Set<string>[], shape: FunctionShape | null, report: Report): void {
  const sub = (x: c.Expr): void => checkExpr(model, x, scopes, shape, report);
  switch (e.kind) {
    case 'name': {
      if (scopes.some((s) => s.has(e.name.text))) return;
      const m = meaning(model, e.name.text);
      if (!m) report('VF204', e.span, `unknown name \`${e.name.text}\`: not a local, a parameter, or a state, flag or errno name`);
      else {
        const message = unknownMessage(model, e.name.text, m);
        if (message) report(m.kind === 'unknown-state' ? 'VF205' : 'VF206', e.span, message);
      }
      return;
    }
    case 'call': {
      if (e.callee.kind !== 'name' || !MACROS.has(e.callee.name.text)) {
        const what = e.callee.kind === 'name' ? `\`${e.callee.name.text}()\`` : 'this call';
        report('VF207', e.callee.span, `${what} is not one of the kernel macros the evaluator knows (${[...MACROS].join(', ')})`);
      }
      for (const a of e.args) sub(a);
      return;
    }
    case 'member':
      if (!e.arrow || e.base.kind !== 'name' || e.base.name.text !== shape?.device || e.field.text !== DEVICE_FIELD) {
        report('VF208', e.field.span, `\`${e.field.text}\`: the evaluator knows only ${shape?.device ?? 'device'}->${DEVICE_FIELD}`);
        return;
      }
      sub(e.base);
      return;
    case 'unary':
      sub(e.operand);
      return;
    case 'binary':
      sub(e.left);
      sub(e.right);
      return;
    case 'cond':
      sub(e.test);
      sub(e.then);
      sub(e.otherwise);
      return;
    case 'assign':
      sub(e.target);
      sub(e.value);
      return;
    case 'step':
      sub(e.target);
      return;
    case 'index':
      sub(e.base);
      sub(e.index);
      return;
    case 'cast':
      sub(e.operand);
      return;
    case 'number':
    case 'string':
    case 'sizeof':
      return;
  }
}
