import type * as c from '../c/ast.js';
import type { CNode } from '../c/walk.js';
import { children, walk } from '../c/walk.js';
import { exprKey } from './operands.js';

/**
 * The driver's set-state loop (the `migration_set_state` op): it must ask
 * the core's lookup for the next arc until the device is in the target
 * state, hand each arc to the step function, store the new state, and stop
 * at the first error of either. Each rule it breaks is one problem, in words.
 */

type Call = Extract<c.Expr, { kind: 'call' }>;

/** The first call to `name` in `fn`, with the nodes above it (outermost first). */
function findCall(root: CNode, name: string): { call: Call; above: CNode[] } | null {
  const parent = new Map<CNode, CNode>();
  let found: Call | null = null;
  walk(root, (node) => {
    if (found) return false;
    if (node.kind === 'call' && node.callee.kind === 'name' && node.callee.name.text === name) {
      found = node;
      return false;
    }
    for (const child of children(node)) parent.set(child, node);
    return true;
  });
  if (!found) return null;
  const above: CNode[] = [];
  for (let p = parent.get(found); p; p = parent.get(p)) above.unshift(p);
  return { call: found, above };
}

/** Does running `s` leave the loop it is in: a `return`, a `goto`, or a `break` of this loop? */
function leaves(s: c.Stmt): boolean {
  let out = false;
  walk(s, (node) => {
    if (out) return false;
    if (node.kind === 'return' || node.kind === 'goto') out = true;
    else if (node.kind === 'break') out = true;
    // A `break` inside an inner loop or switch leaves only that one.
    else if (node.kind === 'while' || node.kind === 'do' || node.kind === 'for' || node.kind === 'switch') return false;
    return !out;
  });
  return out;
}

/** The variable a call's result is stored in (`r = f(...)`, `int r = f(...)`), or null. */
function resultOf(call: Call, above: readonly CNode[]): string | null {
  for (let k = above.length - 1; k >= 0; k--) {
    const node = above[k]!;
    if (node.kind === 'assign' && node.op === '=' && node.value === call) return exprKey(node.target);
    if (node.kind === 'decl') {
      const d = node.declarators.find((x) => x.init?.kind === 'expr' && x.init.expr === call);
      if (d) return d.name.text;
    }
  }
  return null;
}

/** Is a failure of `call` (whose result lands in `result`) followed by leaving the loop? */
function stopsOnError(loop: c.Stmt, call: Call, above: readonly CNode[], result: string | null): boolean {
  // `if (f(...))` or `if (f(...) < 0)`: the test is the call.
  for (let k = above.length - 1; k >= 0; k--) {
    const node = above[k]!;
    if (node.kind === 'if' && containsNode(node.test, call)) return leaves(node.then);
  }
  if (result === null) return false;
  let ok = false;
  walk(loop, (node) => {
    if (ok) return false;
    if (node.kind === 'if' && isErrorTest(node.test, result) && leaves(node.then)) ok = true;
    return !ok;
  });
  return ok;
}

/** `r`, `r != 0`, `r < 0`, `IS_ERR(r)` or `IS_ERR_OR_NULL(r)`, maybe in `unlikely()` or `WARN_ON()`: a test that holds when `r` is an error. */
function isErrorTest(e: c.Expr, result: string): boolean {
  let x = e;
  while (x.kind === 'call' && x.callee.kind === 'name' && WRAPPERS.has(x.callee.name.text) && x.args.length === 1) x = x.args[0]!;
  if (exprKey(x) === result) return true;
  if (x.kind === 'call' && x.callee.kind === 'name' && (x.callee.name.text === 'IS_ERR' || x.callee.name.text === 'IS_ERR_OR_NULL')) {
    const arg = x.args[0];
    return x.args.length === 1 && arg !== undefined && exprKey(arg) === result;
  }
  if (x.kind === 'binary' && (x.op === '!=' || x.op === '<')) {
    const zero = (y: c.Expr): boolean => y.kind === 'number' && y.value === 0n;
    return (exprKey(x.left) === result && zero(x.right)) || (x.op === '!=' && zero(x.left) && exprKey(x.right) === result);
  }
  return false;
}

const WRAPPERS = new Set(['unlikely', 'likely', 'WARN_ON', 'WARN_ON_ONCE']);

function containsNode(root: c.Expr, target: c.Expr): boolean {
  let found = false;
  walk(root, (node) => {
    if (node === target) found = true;
    return !found;
  });
  return found;
}

export interface LoopReading {
  /** Where the loop function's `vfio_mig_get_next_state()` call starts. */
  readonly callAt: number;
  readonly problems: readonly string[];
}

/**
 * Reads a set-state loop: `fn` calls the core's `lookup` and the driver's
 * `step` function. Null when `fn` calls no `lookup`.
 */
export function readLoop(fn: c.FunctionDef, lookup: string, step: string): LoopReading | null {
  const found = findCall(fn.body, lookup);
  if (!found) return null;
  const { call, above } = found;
  const problems: string[] = [];
  const loop = [...above].reverse().find((n): n is Extract<c.Stmt, { kind: 'while' | 'do' | 'for' }> => n.kind === 'while' || n.kind === 'do' || n.kind === 'for');
  if (!loop) return { callAt: call.span.start, problems: [`it calls ${lookup}() once, not until the device reaches the target state`] };
  const [, currentArg, targetArg, nextArg] = call.args;
  const current = currentArg ? exprKey(currentArg) : null;
  const target = targetArg ? exprKey(targetArg) : null;
  const next = nextArg?.kind === 'unary' && nextArg.op === '&' ? exprKey(nextArg.operand) : null;
  if (current === null || target === null || next === null) {
    return { callAt: call.span.start, problems: [`its call to ${lookup}() does not pass the current state, the target and a place for the next state`] };
  }

  const compares = (e: c.Expr, op: '!=' | '=='): boolean => {
    let yes = false;
    walk(e, (node) => {
      if (node.kind === 'binary' && node.op === op) {
        const keys = [exprKey(node.left), exprKey(node.right)];
        if (keys.includes(current) && keys.includes(target)) yes = true;
      }
      return !yes;
    });
    return yes;
  };
  let untilTarget = loop.test !== null && compares(loop.test, '!=');
  // `for (;;)` with `if (cur == target) break;` inside says the same.
  if (!untilTarget) {
    walk(loop.body, (node) => {
      if (node.kind === 'if' && compares(node.test, '==') && leaves(node.then)) untilTarget = true;
      return !untilTarget;
    });
  }
  if (!untilTarget) problems.push(`its loop does not run until ${current} reaches ${target}`);

  if (!stopsOnError(loop, call, above, resultOf(call, above))) problems.push(`a failed ${lookup}() does not stop the loop`);

  const stepCall = findCall(loop.body, step);
  if (!stepCall) problems.push(`it does not call ${step}() inside the loop`);
  else if (!stopsOnError(loop, stepCall.call, stepCall.above, resultOf(stepCall.call, stepCall.above))) {
    problems.push(`a failed ${step}() does not stop the loop`);
  }

  let stores = false;
  walk(loop.body, (node) => {
    if (node.kind === 'assign' && node.op === '=' && exprKey(node.target) === current && exprKey(node.value) === next) stores = true;
    return !stores;
  });
  if (!stores) problems.push(`it never stores the new state (${next}) in ${current}`);
  return { callAt: call.span.start, problems };
}
