import type { BinaryOp, TypeSpec } from './ast.js';

/**
 * Integer arithmetic as an LP64 kernel build does it: the types the function
 * uses, integer promotion, the usual arithmetic conversions and wrap-around
 * of unsigned values. Values are JS numbers: exact for every 32-bit type
 * (the evaluator runs a thousand calls, and bigints cost an allocation per
 * operation). 64-bit values are exact up to 2^53, which covers `size_t`
 * array sizes and indexes; beyond that they are rounded.
 */

export type IntType = 'bool' | 'u8' | 's8' | 'u16' | 's16' | 'int' | 'uint' | 'long' | 'ulong';

export interface Value {
  readonly t: IntType;
  readonly v: number;
}

const INFO: Record<IntType, { bits: number; signed: boolean; rank: number }> = {
  bool: { bits: 1, signed: false, rank: 0 },
  u8: { bits: 8, signed: false, rank: 1 },
  s8: { bits: 8, signed: true, rank: 1 },
  u16: { bits: 16, signed: false, rank: 2 },
  s16: { bits: 16, signed: true, rank: 2 },
  int: { bits: 32, signed: true, rank: 3 },
  uint: { bits: 32, signed: false, rank: 3 },
  long: { bits: 64, signed: true, rank: 4 },
  ulong: { bits: 64, signed: false, rank: 4 },
};

const TYPES = Object.keys(INFO) as IntType[];

const TYPEDEFS: Record<string, IntType> = {
  int: 'int',
  'unsigned int': 'uint',
  long: 'long',
  'long long': 'long',
  'unsigned long': 'ulong',
  'unsigned long long': 'ulong',
  char: 's8',
  'unsigned char': 'u8',
  short: 's16',
  'unsigned short': 'u16',
  _Bool: 'bool',
  bool: 'bool',
  u8: 'u8',
  __u8: 'u8',
  uint8_t: 'u8',
  s8: 's8',
  u16: 'u16',
  __u16: 'u16',
  uint16_t: 'u16',
  s16: 's16',
  u32: 'uint',
  __u32: 'uint',
  uint32_t: 'uint',
  s32: 'int',
  int32_t: 'int',
  u64: 'ulong',
  __u64: 'ulong',
  uint64_t: 'ulong',
  size_t: 'ulong',
  s64: 'long',
  int64_t: 'long',
};

/**
 * The integer type a specifier names. Enumerated types count as `unsigned
 * int`: every uapi state value is non-negative, which is what makes GCC pick
 * an unsigned underlying type for them.
 */
export function intType(spec: TypeSpec): IntType | 'void' | 'struct' {
  if (spec.kind === 'enum') return 'uint';
  if (spec.kind === 'struct') return 'struct';
  if (spec.name === 'void') return 'void';
  return TYPEDEFS[spec.name] ?? 'int';
}

const TWO64 = 2 ** 64;

/**
 * The values from -128 to 255 of every type, each made once, when first
 * needed. The evaluator makes a value per operation, thousands per run of
 * the command, nearly all of them small; values are never changed, so
 * sharing them is safe.
 */
const SMALL_MIN = -128;
const SMALL_MAX = 255;
const SMALL = {} as Record<IntType, { values: Value[]; results: Arith[] }>;
for (const t of TYPES) SMALL[t] = { values: [], results: [] };

/** The value `v` of type `t`, which must already lie in its range (a variable's contents). */
export function intValue(t: IntType, v: number): Value {
  // Integers only, and not -0 (a `long` negated), which keeps its own object as it always had.
  if (v < SMALL_MIN || v > SMALL_MAX || (v | 0) !== v || (v === 0 && 1 / v < 0)) return { t, v };
  return (SMALL[t].values[v - SMALL_MIN] ??= { t, v });
}

/** A successful result, shared for small values like the values themselves. */
function ok(v: Value): Arith {
  const s = SMALL[v.t];
  const k = v.v - SMALL_MIN;
  if (s.values[k] !== v) return { ok: true, value: v };
  return (s.results[k] ??= { ok: true, value: v });
}

/** Reduces an integer to the range of `t`, as a conversion to `t` does in C. */
export function wrap(t: IntType, v: number): Value {
  switch (t) {
    case 'bool':
      return intValue(t, v !== 0 ? 1 : 0);
    case 'u8':
      return intValue(t, v & 0xff);
    case 's8':
      return intValue(t, (v << 24) >> 24);
    case 'u16':
      return intValue(t, v & 0xffff);
    case 's16':
      return intValue(t, (v << 16) >> 16);
    case 'int':
      return intValue(t, v | 0);
    case 'uint':
      return intValue(t, v >>> 0);
    case 'long':
      return intValue(t, Number.isSafeInteger(v) ? v : Number(BigInt.asIntN(64, BigInt(Math.trunc(v)))));
    case 'ulong':
      return intValue(t, v >= 0 && v < TWO64 ? Math.trunc(v) : Number(BigInt.asUintN(64, BigInt(Math.trunc(v)))));
  }
}

/** Conversion on assignment or cast: `bool` tests for non-zero, the rest wrap. */
export function convert(value: Value, t: IntType): Value {
  return value.t === t ? value : wrap(t, value.v);
}

export function promote(t: IntType): IntType {
  return INFO[t].rank < 3 ? 'int' : t;
}

/** C11 6.3.1.8 for the types above. */
export function common(a: IntType, b: IntType): IntType {
  const x = promote(a);
  const y = promote(b);
  if (x === y) return x;
  const ix = INFO[x];
  const iy = INFO[y];
  if (ix.signed === iy.signed) return ix.rank >= iy.rank ? x : y;
  // No destructuring here: in cold code it makes an array per operation.
  const u = ix.signed ? y : x;
  const s = ix.signed ? x : y;
  if (INFO[u].rank >= INFO[s].rank) return u;
  // A wider signed type holds every value of the narrower unsigned one.
  return s;
}

export function int(v: number | boolean): Value {
  return typeof v === 'boolean' ? intValue('int', v ? 1 : 0) : wrap('int', v);
}

export function truthy(v: Value): boolean {
  return v.v !== 0;
}

export type Arith = { ok: true; value: Value } | { ok: false; reason: string };

const TRUE: Arith = { ok: true, value: { t: 'int', v: 1 } };
const FALSE: Arith = { ok: true, value: { t: 'int', v: 0 } };

/** 64-bit bit operations go through bigints; they are rare in this function. */
function wide(op: '&' | '|' | '^', t: IntType, x: number, y: number): Value {
  const a = BigInt(Math.trunc(x));
  const b = BigInt(Math.trunc(y));
  return wrap(t, Number(op === '&' ? a & b : op === '|' ? a | b : a ^ b));
}

/** Every binary operator but the short-circuit ones, which the evaluator handles. */
export function binaryOp(op: Exclude<BinaryOp, '&&' | '||'>, a: Value, b: Value): Arith {
  if (op === '<<' || op === '>>') {
    const t = promote(a.t);
    const width = INFO[t].bits;
    if (b.v < 0 || b.v >= width) return { ok: false, reason: `shift by ${b.v} is outside 0..${width - 1}` };
    const x = wrap(t, a.v).v;
    if (width === 32) return ok(wrap(t, op === '<<' ? x << b.v : t === 'int' ? x >> b.v : x >>> b.v));
    return ok(wrap(t, op === '<<' ? x * 2 ** b.v : Math.floor(x / 2 ** b.v)));
  }
  // Two operands of one type that needs no promotion (most operations here) convert to nothing.
  const same = a.t === b.t && INFO[a.t].rank >= 3;
  const t = same ? a.t : common(a.t, b.t);
  const x = same || a.t === t ? a.v : wrap(t, a.v).v;
  const y = same || b.t === t ? b.v : wrap(t, b.v).v;
  const small = INFO[t].bits <= 32;
  switch (op) {
    case '==':
      return x === y ? TRUE : FALSE;
    case '!=':
      return x !== y ? TRUE : FALSE;
    case '<':
      return x < y ? TRUE : FALSE;
    case '>':
      return x > y ? TRUE : FALSE;
    case '<=':
      return x <= y ? TRUE : FALSE;
    case '>=':
      return x >= y ? TRUE : FALSE;
    case '&':
    case '|':
    case '^':
      if (!small) return ok(wide(op, t, x, y));
      return ok(wrap(t, op === '&' ? x & y : op === '|' ? x | y : x ^ y));
    case '+':
      return ok(wrap(t, x + y));
    case '-':
      return ok(wrap(t, x - y));
    case '*':
      return ok(wrap(t, small ? Math.imul(x, y) : x * y));
    case '/':
    case '%':
      if (y === 0) return { ok: false, reason: 'division by zero' };
      return ok(wrap(t, op === '/' ? Math.trunc(x / y) : x % y));
  }
}

export function unaryOp(op: '!' | '~' | '-' | '+', a: Value): Value {
  const t = promote(a.t);
  switch (op) {
    case '!':
      return int(a.v === 0);
    case '~':
      return INFO[t].bits <= 32 ? wrap(t, ~a.v) : wrap(t, -a.v - 1);
    case '-':
      return wrap(t, -a.v);
    case '+':
      return wrap(t, a.v);
  }
}
