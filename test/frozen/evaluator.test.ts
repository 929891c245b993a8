// The evaluator interprets the function through closures that resolve its
// names once (src/kernel/evaluate/compile-statement.ts and compile-expression.ts). These tests hold it to the
// tree-walking evaluator it replaced (fixtures/evaluate-reference.ts): the
// same outcome, fault message and location included, on every input of
// every era's fixture, mutant and generated file, and on functions edited to
// reach each kind of statement, fault and loop.
import { readdirSync, readFileSync } from 'node:fs';
import { sample } from '../support/depth.js';
import { describe, expect, it } from 'vitest';
import { allFlagSets } from '../../src/analysis/flag-sets.js';
import { bindFunction, findDeclaration } from '../../src/kernel/bind/bind-function.js';
import type { TableDecl } from '../../src/kernel/bind/bind-function.js';
import { lex } from '../../src/kernel/c/lex.js';
import { parseTokens } from '../../src/kernel/c/parse.js';
import { intType } from '../../src/kernel/c/int-value.js';
import type { RuntimeArray } from '../../src/kernel/evaluate/outcome.js';
import { Evaluator } from '../../src/kernel/evaluate/evaluator.js';
import { extractArray } from '../../src/kernel/bind/extract-array.js';
import { locateFunction } from '../../src/kernel/c/locate.js';
import { inputValues } from '../../src/kernel/checks/evaluation.js';
import type { Model } from '../../src/model/model.js';
import { bundled } from '../support/compile.js';
import { ReferenceEvaluator } from './fixtures/evaluate-reference.js';
import { ERAS } from '../kernel/support.js';

interface Prepared {
  readonly evaluator: Evaluator;
  readonly reference: ReferenceEvaluator;
  readonly size: number;
}

/** The function in `text`, bound and with its tables, as analyzeView prepares it in file mode; null if it cannot be evaluated. */
function prepare(model: Model, text: string): Prepared | null {
  const lexed = lex(text);
  const loc = locateFunction(lexed, model.c.function, text.length);
  if (!loc?.complete) return null;
  const parsed = parseTokens(
    text,
    lexed.tokens.filter((t) => t.start >= loc.span.start && t.end <= loc.span.end),
    'FunctionDef',
  );
  if (!parsed.ok) return null;
  const bound = bindFunction(model, parsed.ast, () => undefined);
  if (!bound) return null;
  const array = (d: TableDecl | null, rank: number, fallback: RuntimeArray['elem']): RuntimeArray | null => {
    const a = d && extractArray(d, rank, bound.resolve, () => undefined, null);
    if (!a) return null;
    const t = intType(d.decl.specs.type);
    const cells: number[] = [];
    const size = a.dims.reduce((x, y) => x * y, 1);
    for (let k = 0; k < size; k++) cells.push(a.entries.get(k)?.value ?? 0);
    return { elem: t === 'void' || t === 'struct' ? fallback : t, dims: a.dims, cells };
  };
  const table = array(findDeclaration(parsed.ast.body.items, model.c.table), 2, 'u8');
  if (!table) return null;
  const statics = new Map<string, RuntimeArray>([[model.c.table, table]]);
  const flags = array(findDeclaration(parsed.ast.body.items, model.c.flagsTable), 1, 'uint');
  if (flags) statics.set(model.c.flagsTable, flags);
  const sink = model.states.findIndex((s) => s.sink);
  return { evaluator: new Evaluator(bound, statics, sink), reference: new ReferenceEvaluator(bound, statics, sink), size: Math.max(table.dims[0]!, model.states.length) };
}

type Input = Parameters<Evaluator['run']>[0];

/** Every input the command runs, for every flag set and an all-ones word. */
function allInputs(model: Model, size: number): Input[] {
  const inputs: Input[] = [];
  for (const flags of [...allFlagSets(model), 0xffffffff]) for (const current of inputValues(size)) for (const target of inputValues(size)) inputs.push({ current, target, flags });
  return inputs;
}

/** Runs both evaluators on every input (or on `inputs`); expects the same outcomes. Returns what the runs came to, faults by message. */
function sameOutcomes(model: Model, text: string, inputs?: readonly Input[]): Set<string> {
  const p = prepare(model, text);
  expect(p, 'the function can be evaluated').not.toBeNull();
  const seen = new Set<string>();
  for (const input of inputs ?? allInputs(model, p!.size)) {
    const ours = p!.evaluator.run(input);
    const ref = p!.reference.run(input);
    // On purpose since (issue 16): a run that reaches the step bound is undecided, where the reference called it endless.
    if (ours.kind === 'step-bound') expect(ref).toEqual({ kind: 'diverges', cycle: [], at: ours.at });
    else expect(ours).toEqual(ref);
    seen.add(ours.kind === 'fault' ? ours.message : ours.kind === 'diverges' ? `diverges [${ours.cycle.join()}]` : ours.kind);
  }
  return seen;
}

function cFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? cFiles(`${dir}/${e.name}`) : e.name.endsWith('.c') ? [`${dir}/${e.name}`] : []));
}

describe('the evaluator against the reference evaluator', () => {
  // Each era's fixture always; its mutants all under test:deep, a tenth of them by default.
  const cases = ERAS.flatMap(({ fixture, spec }) => [
    [`test/fixtures/kernel/${fixture}.c`, spec] as const,
    ...sample(
      cFiles('test/fixtures/kernel/mutants')
        .filter((f) => f.includes(`/${fixture}-`))
        .map((f) => [f, spec] as const),
    ),
  ]);
  it.each(cases)('%s (%s)', (path, spec) => {
    sameOutcomes(bundled(spec), readFileSync(path, 'utf8'));
  });

  it.each(cFiles('generated'))('%s', (path) => {
    const spec = path.includes('/examples/') ? `spec/examples/${path.split('/').pop()!.replace(/\.c$/, '.fsm')}` : path.includes('/history/') ? `spec/history/${path.split('/').pop()!.replace(/\.c$/, '.fsm')}` : 'spec/vfio-migration.fsm';
    sameOutcomes(bundled(spec), readFileSync(path, 'utf8'));
  });
});

const MAINLINE = readFileSync('test/fixtures/kernel/linux-7.2.c', 'utf8');
const SPEC = bundled('spec/vfio-migration.fsm');
const FIRST_STEP = '\t/* Step past the states this device does not have. */\n';
const RETURN = '\treturn *next_fsm == VFIO_DEVICE_STATE_ERROR ? -EINVAL : 0;';

/**
 * Code put before the step loop (`before`) or in place of the final return
 * (`end`), and an outcome (or the start of a fault message) some input must
 * come to, so that each edit is known to reach what it is about.
 */
const EDITS: readonly (readonly [title: string, where: 'before' | 'end', code: string, reaches: string])[] = [
  ['a for loop with a local, break and continue', 'before', 'for (u32 i = 0, j = 1; i < 10; i++) { int k = i; if (k > 5) break; if (k & 1) continue; j += k; if (j == 7 && cur_fsm == 2) return -EPERM; }', 'refused'],
  ['nested blocks that shadow a local and a parameter', 'before', '{ int q = 1; { int q = 2; int new_fsm = q; *next_fsm = new_fsm; } if (q != 1) return -EPERM; }', 'next'],
  ['a local shadowing a spec name', 'before', '{ int VFIO_DEVICE_STATE_STOP = 3; if (VFIO_DEVICE_STATE_STOP != 3) return -EPERM; }', 'next'],
  ['uses before and after a shadowing declaration', 'before', '{ int s = VFIO_DEVICE_STATE_STOP; int VFIO_DEVICE_STATE_STOP = s + 1; if (VFIO_DEVICE_STATE_STOP != 2) return -ENODEV; }', 'next'],
  ['do-while, casts, narrow types and wrap-around', 'before', 'u8 a = 300; s8 b = -1; s16 c = (s16)70000; do { a++; b--; } while (b > -3); if ((u8)(a + 250 + cur_fsm) == 41 || c == 4464 + new_fsm) return -EBUSY;', 'next'],
  ['compound assignment on every operator', 'before', 'u32 w = 7; w <<= 2; w >>= 1; w |= 64; w &= ~1; w ^= 3; w += 5; w -= 2; w *= 3; w /= 2; w %= 50; if (w == cur_fsm + 40) return -EINVAL;', 'next'],
  ['conditional, logical and unary operators', 'before', 'int t = cur_fsm ? -(int)cur_fsm : !new_fsm; if (t < -3 && new_fsm || ~t == 0) return -EOPNOTSUPP;', 'next'],
  ['64-bit values', 'before', 'unsigned long u = BIT(40) | BIT(3); long s = -(long)u; if ((u & BIT(3)) && s < 0 && (u ^ 8) == BIT(40)) *next_fsm = VFIO_DEVICE_STATE_STOP;', 'next'],
  ['a read before the variable is set', 'before', 'int z; z += cur_fsm;', 'reads z before it is set'],
  ['a read of an unset local in a condition', 'before', 'int z; if (cur_fsm == 3) z = 1; if (z) return -EINVAL;', 'reads `z` before it is set'],
  ['a loop that never ends, writing one value', 'before', 'if (cur_fsm == 2) while (1) *next_fsm = cur_fsm;', 'diverges [2]'],
  ['a loop that goes round several values', 'before', 'if (new_fsm == 1) { u8 v = 0; while (1) v = (v + 1) % 3; }', 'diverges [0,1,2]'],
  ['a loop that never ends and changes nothing', 'before', 'if (new_fsm == 4) while (new_fsm) ;', 'diverges []'],
  ['division by zero', 'before', 'if (cur_fsm == new_fsm) return -EINVAL / (cur_fsm - new_fsm);', 'division by zero'],
  ['a shift too far', 'before', 'if (cur_fsm > 6) return cur_fsm << 40;', 'shift by 40'],
  ['BIT outside 0..63', 'end', 'return BIT(64 + cur_fsm);', 'BIT(65) is outside'],
  ['a table read outside its rows', 'end', 'return vfio_from_fsm_table[cur_fsm + 3][new_fsm];', 'reads vfio_from_fsm_table[8]'],
  ['a table read with one index', 'end', 'return vfio_from_fsm_table[cur_fsm];', '`vfio_from_fsm_table` needs 2 indexes'],
  ['a table row with too many indexes', 'end', 'return state_flags_table[cur_fsm][0];', '`state_flags_table` has only 1 dimension'],
  ['sizeof', 'end', 'if (cur_fsm == 1) return sizeof(int); return "x" ? 0 : 1;', 'sizeof is not evaluated'],
  ['the address of a variable', 'end', 'if (cur_fsm == 2) return &cur_fsm; return "x" ? 0 : 1;', 'taking an address'],
  ['assignment to a table', 'end', 'if (cur_fsm == 1) vfio_from_fsm_table = 0; return 0;', 'cannot assign to `vfio_from_fsm_table`'],
  ['assignment to the device', 'end', 'if (cur_fsm == 2) device = 0; return 0;', 'cannot assign to `device`'],
  ['ARRAY_SIZE of a row, and WARN_ON_ONCE', 'end', 'return WARN_ON_ONCE(ARRAY_SIZE(vfio_from_fsm_table[0]) != 8) ? -EINVAL : likely(0);', 'next'],
  ['a pointer cast', 'end', 'return (int *)cur_fsm == 0;', 'pointer casts'],
  ['ending without a return', 'end', 'if (cur_fsm == 1) return 0;', 'vfio_mig_get_next_state() ends without returning a value'],
  ['a return without a value', 'end', 'if (cur_fsm == 1) return 0; return;', 'returns no value'],
  ['break outside a loop', 'end', 'if (cur_fsm == 1) break; return 0;', 'break or continue outside a loop'],
  ['a local array', 'end', 'if (cur_fsm == 1) { int arr[2]; } return 0;', 'the evaluator cannot hold the local `arr`'],
  ['a pointer local', 'end', 'if (cur_fsm == 2) { u8 *p; } return 0;', 'the evaluator cannot hold the local `p`'],
  ['a braced initializer for a scalar', 'end', 'if (cur_fsm == 1) { int b = { 1 }; } return 0;', 'a braced initializer for a scalar'],
  ['the device used as a number', 'end', 'return device != 0;', '`device` is not an integer here'],
];

describe('the evaluator against the reference evaluator on edited functions', () => {
  it.each(EDITS)('%s', (_title, where, code, reaches) => {
    const text = where === 'before' ? MAINLINE.replace(FIRST_STEP, `\t${code}\n${FIRST_STEP}`) : MAINLINE.replace(RETURN, `\t${code}`);
    expect(text).not.toBe(MAINLINE);
    expect([...sameOutcomes(SPEC, text)].some((o) => o.startsWith(reaches))).toBe(true);
  });

  it('a run that reaches the step bound', () => {
    const text = MAINLINE.replace(FIRST_STEP, `\tu32 i = 0; while (i < 200000) i++;\n${FIRST_STEP}`);
    const inputs = [0, 1, 2].map((current) => ({ current, target: 3, flags: 0xffffffff }));
    expect(sameOutcomes(SPEC, text, inputs)).toEqual(new Set(['step-bound']));
  });
});
