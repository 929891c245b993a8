import type { Span } from '../../common/source.js';
import type * as c from './ast.js';

/**
 * The pieces of the syntax tree that take more than copying: shared by the
 * ohm semantics (parse.ts), kept apart so that the semantic actions stay
 * one line each.
 */

/** C's binary precedence, loosest first. */
const PRECEDENCE: Record<c.BinaryOp, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

/** `a op b op c ...` as the grammar lists it, grouped as C does: by precedence, then to the left. */
export function climb(operands: readonly c.Expr[], ops: readonly c.BinaryOp[]): c.Expr {
  let i = 0;
  // Extends `left` with every operator binding at least as tightly as `min`.
  const extend = (left: c.Expr, min: number): c.Expr => {
    let l = left;
    while (i < ops.length && PRECEDENCE[ops[i]!] >= min) {
      const op = ops[i++]!;
      let right = operands[i]!;
      while (i < ops.length && PRECEDENCE[ops[i]!] > PRECEDENCE[op]) right = extend(right, PRECEDENCE[op] + 1);
      l = { kind: 'binary', op, left: l, right, span: { start: l.span.start, end: right.span.end } };
    }
    return l;
  };
  return extend(operands[0]!, 1);
}

export function numberExpr(text: string, at: Span): c.Expr {
  const suffix = /[uUlL]*$/.exec(text)![0];
  const digits = text.slice(0, text.length - suffix.length);
  const value = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return { kind: 'number', value, unsigned: /u/i.test(suffix), long: /l/i.test(suffix), span: at };
}

/** A cell's word: a number when it starts with a digit, else a name. */
export function wordExpr(text: string, at: Span): c.Expr {
  if (/^[0-9]/.test(text)) return numberExpr(text, at);
  return { kind: 'name', name: { text, span: at }, span: at };
}

/** A character constant, `'x'` or `'\n'`, as the number it stands for. */
export function charExpr(literal: string, at: Span): c.Expr {
  const body = literal.slice(1, -1);
  const value = body.startsWith('\\') ? (({ n: 10, t: 9, r: 13, '0': 0 } as Record<string, number>)[body.charAt(1)] ?? body.charCodeAt(1)) : body.charCodeAt(0);
  return { kind: 'number', value: BigInt(value), unsigned: false, long: false, span: at };
}

/** `[index] = value`, the shape of nearly every table entry. */
export function cellElem(index: c.Expr, designatorSpan: Span, value: c.Expr, at: Span): c.InitElem {
  const designator: c.Designator = { kind: 'index', index, span: designatorSpan };
  return { kind: 'item', designators: [designator], value: { kind: 'expr', expr: value, span: value.span }, span: at };
}

export type PostfixPart = { kind: 'index'; index: c.Expr } | { kind: 'call'; args: c.Expr[] } | { kind: 'member'; field: c.Ident; arrow: boolean } | { kind: 'step'; op: '++' | '--' };

/** `e` with one postfix operator applied; the operator ends at `end`. */
export function applyPostfix(e: c.Expr, part: PostfixPart, end: number): c.Expr {
  const span: Span = { start: e.span.start, end };
  switch (part.kind) {
    case 'index':
      return { kind: 'index', base: e, index: part.index, span };
    case 'call':
      return { kind: 'call', callee: e, args: part.args, span };
    case 'member':
      return { kind: 'member', base: e, field: part.field, arrow: part.arrow, span };
    case 'step':
      return { kind: 'step', op: part.op, prefix: false, target: e, span };
  }
}

/** `unsigned`, `long unsigned int` and friends, spelled one way. */
function baseTypeName(words: readonly string[]): string {
  if (words.includes('void')) return 'void';
  if (words.includes('_Bool')) return '_Bool';
  const unsigned = words.includes('unsigned');
  const longs = words.filter((w) => w === 'long').length;
  const kind = words.includes('char') ? 'char' : words.includes('short') ? 'short' : longs >= 2 ? 'long long' : longs === 1 ? 'long' : 'int';
  return unsigned ? `unsigned ${kind}` : kind;
}

/** One declaration specifier: storage class, qualifier, a whole type, or a word of a built-in type. */
export type SpecPart = { storage: string } | { qualifier: string } | { type: c.TypeSpec } | { word: string; span: Span };

/** The specifiers of a declaration, in order, as one record; the last whole type wins. */
export function specifiers(parts: readonly SpecPart[], at: Span): c.Specifiers {
  const storage: string[] = [];
  const qualifiers: string[] = [];
  const words: string[] = [];
  let type: c.TypeSpec | null = null;
  let wordSpan: Span | null = null;
  for (const p of parts) {
    if ('storage' in p) storage.push(p.storage);
    else if ('qualifier' in p) qualifiers.push(p.qualifier);
    else if ('type' in p) type = p.type;
    else {
      words.push(p.word);
      wordSpan = wordSpan ? { start: wordSpan.start, end: p.span.end } : p.span;
    }
  }
  if (!type) type = { kind: 'base', name: baseTypeName(words), span: wordSpan ?? at };
  return { storage, qualifiers, type, span: at };
}
