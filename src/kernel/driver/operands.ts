import type { Model } from '../../model/model.js';
import type * as c from '../c/ast.js';
import { walk } from '../c/walk.js';
import { meaning } from '../bind/names.js';

/**
 * Which expressions of a step function hold the current and the requested
 * state, whatever they are called: `cur`/`new`, `cur`/`next`, or a field
 * like `mdev_state->state` tested directly.
 */

/**
 * An expression as a key, for telling operands apart: `cur`,
 * `mdev_state->state`, `a.b->c`; casts are looked through. Null for anything
 * that is not a name or a chain of fields. Iterative: a chain is as long as
 * its input makes it.
 */
export function exprKey(e: c.Expr): string | null {
  const parts: string[] = [];
  let node: c.Expr = e;
  for (;;) {
    if (node.kind === 'cast') node = node.operand;
    else if (node.kind === 'member') {
      parts.push(`${node.arrow ? '->' : '.'}${node.field.text}`);
      node = node.base;
    } else if (node.kind === 'name') {
      parts.push(node.name.text);
      return parts.reverse().join('');
    } else return null;
  }
}

/** Does `e` contain the operand `key` anywhere (a call's argument, a field's base, ...)? */
export function mentions(e: c.Expr, key: string): boolean {
  const last = /(?:->|\.)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(key)?.[1] ?? key;
  let found = false;
  walk(e, (node) => {
    if (found) return false;
    // Only nodes that end in the key's last name can be it: a cheap test before the key is built.
    if ((node.kind === 'name' && node.name.text === last) || (node.kind === 'member' && node.field.text === last)) {
      if (exprKey(node as c.Expr) === key) found = true;
    }
    return !found;
  });
  return found;
}

/** A state constant of the spec (`VFIO_DEVICE_STATE_STOP`): its value; or, for a name with the prefix the spec does not declare, `unknown`. */
export function stateConstant(model: Model, e: c.Expr): number | 'unknown' | null {
  if (e.kind !== 'name') return null;
  const m = meaning(model, e.name.text);
  if (m?.kind === 'state') return m.value;
  if (m?.kind === 'unknown-state') return 'unknown';
  return null;
}

export interface Roles {
  /** The key of the expression holding the device's current state. */
  readonly current: string;
  /** The key of the parameter holding the requested (next) state. */
  readonly requested: string;
  /**
   * `device`: the current state is read from a field of the device (a field
   * tested directly, or a local copied from one) and the requested state is
   * a parameter, as in every step function. `positional`: two parameters,
   * the first taken as the current state (only for a function named with
   * --function).
   */
  readonly how: 'device' | 'positional';
}

/** How often each operand is compared with a state constant, in `if` tests and `switch` heads, in order of first use. */
export function stateComparisons(model: Model, fn: c.FunctionDef): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (e: c.Expr): void => {
    const key = exprKey(e);
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  walk(fn.body, (node) => {
    if (node.kind === 'if') {
      walk(node.test, (e) => {
        if (e.kind !== 'binary' || (e.op !== '==' && e.op !== '!=')) return;
        if (stateConstant(model, e.right) !== null) add(e.left);
        else if (stateConstant(model, e.left) !== null) add(e.right);
      });
    } else if (node.kind === 'switch') {
      let labelled = false;
      walk(node.body, (inner) => {
        if (inner.kind === 'switch') return false;
        if (inner.kind === 'case' && inner.value && stateConstant(model, inner.value) !== null) labelled = true;
        return !labelled;
      });
      if (labelled) add(node.test);
    }
  });
  return counts;
}

/** Locals copied from a field of a struct (`u32 cur = mvdev->mig_state;`, `cur = READ_ONCE(x->state);`). */
function copiedFromFields(fn: c.FunctionDef): Set<string> {
  const out = new Set<string>();
  const isField = (e: c.Expr): boolean => /->|\./.test(exprKey(e) ?? '');
  // A field read through a one-argument macro (READ_ONCE) is still the field.
  const fromField = (e: c.Expr | null): boolean => e !== null && (isField(e) || (e.kind === 'call' && e.args.length === 1 && isField(e.args[0]!)));
  walk(fn.body, (node) => {
    if (node.kind === 'decl') {
      for (const d of node.declarators) if (d.pointer === 0 && d.init?.kind === 'expr' && fromField(d.init.expr)) out.add(d.name.text);
    } else if (node.kind === 'assign' && node.op === '=' && node.target.kind === 'name' && fromField(node.value)) out.add(node.target.name.text);
  });
  return out;
}

/**
 * The current and requested operands of a function that compares states, or
 * null when it is not shaped like a step function. With `positional`, two
 * state parameters are accepted too, the first as the current state.
 */
export function findRoles(model: Model, fn: c.FunctionDef, positional: boolean): Roles | null {
  const counts = stateComparisons(model, fn);
  const params = fn.params.filter((p) => p.name && p.pointer === 0).map((p) => p.name!.text);
  const copied = copiedFromFields(fn);
  const isField = (k: string): boolean => k.includes('->') || k.includes('.');
  const best = (keys: string[]): string | undefined => keys.reduce<string | undefined>((a, k) => (a === undefined || counts.get(k)! > counts.get(a)! ? k : a), undefined);
  const keys = [...counts.keys()];
  const requested = best(keys.filter((k) => params.includes(k)));
  const current = best(keys.filter((k) => !params.includes(k) && (isField(k) || copied.has(k))));
  if (requested !== undefined && current !== undefined) return { current, requested, how: 'device' };
  if (!positional) return null;
  const stateParams = params.filter((p) => counts.has(p));
  if (stateParams.length >= 2) return { current: stateParams[0]!, requested: stateParams[1]!, how: 'positional' };
  return null;
}
