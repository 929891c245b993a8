import type { Model } from '../../model/model.js';
import type * as c from '../c/ast.js';
import type { Value } from '../c/int-value.js';
import { int, intType } from '../c/int-value.js';
import type { ConstResolver, Report } from '../c/const-eval.js';
import { constEval } from '../c/const-eval.js';
import { children, declaratorChildren, isExpr, walk } from '../c/walk.js';
import type { ForeignNames } from './names.js';
import { errnoMeaning, meaning, meaningValue, NO_FOREIGN_NAMES, unknownMessage } from './names.js';

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

/**
 * Which names a constant expression may use besides its own locals. A uapi
 * header's enumerators are what is being checked against the spec, so there
 * the spec's state and flag names must not resolve: only errno names do.
 */
export interface NameScope {
  readonly specNames: boolean;
  /** Names of other eras the spec lacks, resolved but reported as the kernel's own (see ForeignNames). */
  readonly foreign?: ForeignNames;
}

const WITH_SPEC_NAMES: NameScope = { specNames: true };

/** Spec names (unless `scope` leaves them out) and errno names, plus `locals`; unknown names are reported through `report`. */
export function constResolver(model: Model, locals: ReadonlyMap<string, Value>, report: Report, scope: NameScope = WITH_SPEC_NAMES): ConstResolver {
  return (id) => {
    const local = locals.get(id.text);
    if (local) return local;
    const m = scope.specNames ? meaning(model, id.text, scope.foreign) : errnoMeaning(id.text);
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
export function collectEnumConstants(model: Model, items: readonly c.Stmt[], report: Report, into: Map<string, Value>, scope: NameScope = WITH_SPEC_NAMES): void {
  const resolve = constResolver(model, into, report, scope);
  for (const item of items) {
    walk(item, (node) => {
      if (node.kind !== 'decl') return node.kind === 'block';
      if (node.specs.type.kind !== 'enum' || !node.specs.type.enumerators) return false;
      let next = int(0);
      for (const e of node.specs.type.enumerators) {
        const v = e.value ? constEval(e.value, resolve, report) : next;
        if (!v) continue;
        into.set(e.name.text, int(v.v));
        next = int(v.v + 1);
      }
      return false;
    });
  }
}

/**
 * Resolves everything the evaluator will meet: the parameters' roles, the
 * local enum, the two static tables, and every name, call and field in the
 * body. Returns null (with diagnostics) when something cannot be evaluated.
 */
export function bindFunction(model: Model, fn: c.FunctionDef, report: Report, outside: ReadonlyMap<string, Value> = new Map(), fileStatics: readonly string[] = [], names: NameScope = WITH_SPEC_NAMES): BoundFunction | null {
  let ok = true;
  const fail: Report = (code, span, message) => {
    ok = false;
    report(code, span, message);
  };
  const shape = readShape(fn, fail);
  const constants = new Map<string, Value>(outside);
  collectEnumConstants(model, fn.body.items, fail, constants, names);
  const resolve = constResolver(model, constants, fail, names);
  const table = findDeclaration(fn.body.items, model.c.table);
  const flagsTable = findDeclaration(fn.body.items, model.c.flagsTable);
  const skip = new Set<c.Declarator>([table?.declarator, flagsTable?.declarator].filter((d): d is c.Declarator => d !== undefined));
  const scope = new Set<string>(fn.params.flatMap((p) => (p.name ? [p.name.text] : [])));
  for (const name of constants.keys()) scope.add(name);
  for (const name of fileStatics) scope.add(name);
  checkItems({ model, foreign: names.foreign ?? NO_FOREIGN_NAMES, skip, shape, report: fail }, fn.body.items, [scope]);
  if (!shape || !ok) return null;
  return { fn, shape, constants, resolve, table, flagsTable };
}

/** The first declaration of `name` in the items, or in blocks nested in them, in source order. */
export function findDeclaration(items: readonly c.Stmt[], name: string): TableDecl | null {
  let found: TableDecl | null = null;
  for (const item of items) {
    walk(item, (node) => {
      if (found) return false;
      if (node.kind !== 'decl') return node.kind === 'block';
      const declarator = node.declarators.find((d) => d.name.text === name);
      if (declarator) found = { decl: node, declarator };
      return false;
    });
    if (found) return found;
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

/** What the checks of a function body share. */
interface BodyCheck {
  readonly model: Model;
  readonly foreign: ForeignNames;
  /** The tables' declarators: their initializers are read as tables, not evaluated. */
  readonly skip: ReadonlySet<c.Declarator>;
  readonly shape: FunctionShape | null;
  readonly report: Report;
}

function checkItems(cx: BodyCheck, items: readonly c.Stmt[], scopes: Set<string>[]): void {
  const inner = new Set<string>();
  const stack = [...scopes, inner];
  for (const item of items) checkStmt(cx, item, stack);
}

/** Statements bring scopes (a block, a `for` with its own declaration); names are checked in the scope they are written in. */
function checkStmt(cx: BodyCheck, s: c.Stmt, scopes: Set<string>[]): void {
  switch (s.kind) {
    case 'decl':
      for (const d of s.declarators) {
        if (!cx.skip.has(d)) for (const e of declaratorChildren(d)) checkExpr(cx, e, scopes);
        scopes[scopes.length - 1]!.add(d.name.text);
      }
      return;
    case 'block':
      checkItems(cx, s.items, scopes);
      return;
    case 'switch':
    case 'case':
    case 'label':
    case 'goto': {
      // The grammar reads these for the driver reader; the lookup's evaluator does not run them.
      const word = s.kind === 'case' && !s.value ? 'default' : s.kind;
      cx.report('VF213', { start: s.span.start, end: s.span.start + (s.kind === 'label' ? s.name.text.length : word.length) }, `${s.kind === 'label' ? `the label \`${s.name.text}\`` : `\`${word}\``}: the evaluator does not run switch, case, goto or labelled statements, so this function is not evaluated`);
      for (const child of children(s)) {
        if (isExpr(child)) checkExpr(cx, child, scopes);
        else checkStmt(cx, child, scopes);
      }
      return;
    }
    default: {
      const stack = s.kind === 'for' ? [...scopes, new Set<string>()] : scopes;
      for (const child of children(s)) {
        if (isExpr(child)) checkExpr(cx, child, stack);
        else checkStmt(cx, child, stack);
      }
    }
  }
}

/** Every name, call and field the evaluator will meet; what it cannot evaluate is reported here, before any run. */
function checkExpr(cx: BodyCheck, root: c.Expr, scopes: readonly Set<string>[]): void {
  const { model, shape, report } = cx;
  walk(root, (e) => {
    switch (e.kind) {
      case 'name': {
        if (scopes.some((s) => s.has(e.name.text))) return false;
        const m = meaning(model, e.name.text, cx.foreign);
        if (!m) report('VF204', e.span, `unknown name \`${e.name.text}\`: not a local, a parameter, or a state, flag or errno name`);
        else {
          const message = unknownMessage(model, e.name.text, m);
          if (message) report(m.kind === 'unknown-state' ? 'VF205' : 'VF206', e.span, message);
        }
        return false;
      }
      case 'call': {
        if (e.callee.kind !== 'name' || !MACROS.has(e.callee.name.text)) {
          const what = e.callee.kind === 'name' ? `\`${e.callee.name.text}()\`` : 'this call';
          report('VF207', e.callee.span, `${what} is not one of the kernel macros the evaluator knows (${[...MACROS].join(', ')})`);
        }
        // The arguments, not the callee: a macro's name is no variable.
        for (const a of e.args) checkExpr(cx, a, scopes);
        return false;
      }
      case 'member':
        if (!e.arrow || e.base.kind !== 'name' || e.base.name.text !== shape?.device || e.field.text !== DEVICE_FIELD) {
          report('VF208', e.field.span, `\`${e.field.text}\`: the evaluator knows only ${shape?.device ?? 'device'}->${DEVICE_FIELD}`);
          return false;
        }
        return true;
      default:
        return true;
    }
  });
}
