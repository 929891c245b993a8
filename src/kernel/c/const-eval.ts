import type { Code } from '../../diagnostics/codes.js';
import type { Span } from '../../common/source.js';
import type { Expr, Ident } from './ast.js';
import type { Value } from './int-value.js';
import { binaryOp, convert, int, intType, truthy, unaryOp, wrap } from './int-value.js';

/** Resolves a name in a constant expression; reports and returns null when it cannot. */
export type ConstResolver = (name: Ident) => Value | null;
export type Report = (code: Code, span: Span, message: string) => void;

/**
 * Integer constant expressions: array dimensions, designators, enumerator
 * values and table cells. Anything with a side effect or a run-time value is
 * reported as not constant.
 */
export function constEval(expr: Expr, resolve: ConstResolver, report: Report): Value | null {
  switch (expr.kind) {
    case 'number': {
      // C11 6.4.4.1: the first of int, unsigned int, long, unsigned long that holds it (hex or U suffix allow unsigned).
      const t = expr.long ? (expr.unsigned ? 'ulong' : 'long') : expr.unsigned || expr.value > 0x7fffffffn ? (expr.value > 0xffffffffn ? 'ulong' : 'uint') : 'int';
      return wrap(t, Number(expr.value));
    }
    case 'name':
      return resolve(expr.name);
    case 'unary': {
      if (expr.op === '*' || expr.op === '&') break;
      const a = constEval(expr.operand, resolve, report);
      return a && unaryOp(expr.op, a);
    }
    case 'binary': {
      const a = constEval(expr.left, resolve, report);
      if (!a) return null;
      if (expr.op === '&&' && !truthy(a)) return int(0);
      if (expr.op === '||' && truthy(a)) return int(1);
      const b = constEval(expr.right, resolve, report);
      if (!b) return null;
      if (expr.op === '&&' || expr.op === '||') return int(truthy(b));
      const r = binaryOp(expr.op, a, b);
      if (!r.ok) {
        report('VF211', expr.span, `constant expression is undefined: ${r.reason}`);
        return null;
      }
      return r.value;
    }
    case 'cond': {
      const test = constEval(expr.test, resolve, report);
      if (!test) return null;
      return constEval(truthy(test) ? expr.then : expr.otherwise, resolve, report);
    }
    case 'cast': {
      const a = constEval(expr.operand, resolve, report);
      if (!a) return null;
      const t = intType(expr.type.specs.type);
      if (expr.type.pointer > 0 || t === 'void' || t === 'struct') break;
      return convert(a, t);
    }
    case 'call': {
      // BIT(n) is the one macro a uapi value or a flags table may be written with.
      if (expr.callee.kind !== 'name' || expr.callee.name.text !== 'BIT' || expr.args.length !== 1) break;
      const n = constEval(expr.args[0]!, resolve, report);
      if (!n) return null;
      if (n.v < 0 || n.v > 63) break;
      return wrap('ulong', 2 ** n.v);
    }
    default:
      break;
  }
  report('VF211', expr.span, 'not an integer constant expression');
  return null;
}
