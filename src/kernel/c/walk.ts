import type { Declarator, Expr, Initializer, Stmt } from './ast.js';

/**
 * The one walker over the C syntax tree. Every pass that looks at a whole
 * function (binding names, finding declarations, naming what a loop writes)
 * asks here for a node's children, so that none of them can forget one:
 * a `for` loop's update clause, a `do` loop's test, an initializer's
 * designators. Statement and expression kinds are disjoint, so one union
 * covers both.
 */
export type CNode = Stmt | Expr;

const EXPR_KINDS: ReadonlySet<string> = new Set<Expr['kind']>(['number', 'string', 'name', 'unary', 'binary', 'cond', 'assign', 'step', 'index', 'member', 'call', 'cast', 'sizeof', 'type']);

export function isExpr(node: CNode): node is Expr {
  return EXPR_KINDS.has(node.kind);
}

/** The nodes directly under `node`, in source order. */
export function children(node: CNode): CNode[] {
  switch (node.kind) {
    case 'decl':
      return node.declarators.flatMap(declaratorChildren);
    case 'block':
      return [...node.items];
    case 'if':
      return node.otherwise ? [node.test, node.then, node.otherwise] : [node.test, node.then];
    case 'while':
      return [node.test, node.body];
    case 'do':
      return [node.body, node.test];
    case 'for': {
      const out: CNode[] = [];
      if (node.init) out.push(node.init);
      if (node.test) out.push(node.test);
      if (node.update) out.push(node.update);
      out.push(node.body);
      return out;
    }
    case 'return':
      return node.value ? [node.value] : [];
    case 'expr':
      return [node.expr];
    case 'switch':
      return [node.test, node.body];
    case 'case':
      return node.value ? [node.value, node.body] : [node.body];
    case 'label':
      return [node.body];
    case 'goto':
    case 'hole':
    case 'break':
    case 'continue':
    case 'empty':
      return [];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'cond':
      return [node.test, node.then, node.otherwise];
    case 'assign':
      return [node.target, node.value];
    case 'step':
      return [node.target];
    case 'index':
      return [node.base, node.index];
    case 'member':
      return [node.base];
    case 'call':
      return [node.callee, ...node.args];
    case 'cast':
      return [node.operand];
    case 'number':
    case 'string':
    case 'name':
    case 'sizeof':
    case 'type':
      return [];
  }
}

/** A declarator's dimensions, then its initializer's designators and values. */
export function declaratorChildren(d: Declarator): Expr[] {
  const out: Expr[] = [];
  for (const dim of d.dims) if (dim) out.push(dim);
  if (d.init) initializerExprs(d.init, out);
  return out;
}

function initializerExprs(init: Initializer, out: Expr[]): void {
  // An explicit stack: an initializer nests as deep as its input does.
  const stack: Initializer[] = [init];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (next.kind === 'expr') {
      out.push(next.expr);
      continue;
    }
    const items: Initializer[] = [];
    for (const el of next.elems) {
      if (el.kind !== 'item') continue;
      for (const d of el.designators) if (d.kind === 'index') out.push(d.index);
      items.push(el.value);
    }
    // Reversed onto the stack, so values come out in source order.
    for (let k = items.length - 1; k >= 0; k--) stack.push(items[k]!);
  }
}

/**
 * Visits `root` and everything under it, parents before children, in source
 * order. `visit` returning false skips the node's children. Iterative, so a
 * deeply nested input cannot exhaust the call stack.
 */
export function walk(root: CNode, visit: (node: CNode) => boolean | void): void {
  const stack: CNode[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (visit(node) === false) continue;
    const under = children(node);
    for (let k = under.length - 1; k >= 0; k--) stack.push(under[k]!);
  }
}
