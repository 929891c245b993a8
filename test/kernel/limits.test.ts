// The kernel reader's limits (issue 16): every hostile input that used to
// crash it or keep it busy ends in a located diagnostic (exit 2) or an
// inconclusive report naming the budget that ran out (exit 3); no input can
// spell a hole; each bound holds at its limit and refuses one past it. The
// inputs are under test/fixtures/kernel/hostile/ (its README says what each
// did before). No assertion on time: a regression shows as a test that hangs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lex } from '../../src/kernel/c/lex.js';
import { MAX_NESTING, MAX_TABLE_SIDE, MAX_TREE_DEPTH, STEP_BOUND, TOTAL_STEP_BUDGET } from '../../src/kernel/c/limits.js';
import { literalProblem } from '../../src/kernel/c/literal.js';
import { tooDeep } from '../../src/kernel/c/nesting.js';
import { parseC, parseTokens } from '../../src/kernel/c/parse.js';
import { runCli } from '../support/run-cli.js';
import { FIXTURES, kernel, refused, report } from './support.js';

const MAINLINE = 'spec/vfio-migration.fsm';
const HOSTILE = `${FIXTURES}/hostile`;
const BASE = readFileSync(`${FIXTURES}/linux-7.2.c`, 'utf8');
const FIRST_STEP = '\t/* Step past the states this device does not have. */\n';

function edited(from: string, to: string, text = BASE): string {
  if (!text.includes(from)) throw new Error(`edit did not apply: ${from}`);
  return text.replace(from, to);
}

/** The mainline fixture with `code` put before the step loop. */
function withCode(code: string): string {
  return edited(FIRST_STEP, `\t${code}\n${FIRST_STEP}`);
}

/** Line and column (1-based) of `needle` in `text`. */
function at(text: string, needle: string): { line: number; column: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}

/** `path:line:col: error CODE: ` at the start of the first line of stderr. */
function firstError(stderr: string): { file: string; line: number; column: number; code: string; message: string } {
  const m = /^(.+?):(\d+):(\d+): error (VF\d{3}): (.*)$/m.exec(stderr);
  if (!m) throw new Error(`no located error in:\n${stderr}`);
  return { file: m[1]!, line: Number(m[2]), column: Number(m[3]), code: m[4]!, message: m[5]! };
}

describe('the hostile inputs of issue 16, through the CLI', () => {
  it('156 nested parentheses: VF251 at the parenthesis that goes past the limit, exit 2', async () => {
    const path = `${HOSTILE}/nested-parens.c`;
    const r = await runCli(['kernel', path]);
    expect(r.code).toBe(2);
    const e = firstError(r.stderr);
    const text = readFileSync(path, 'utf8');
    // The function's brace counts 2, each parenthesis 2: the 32nd reaches 66.
    expect(e).toMatchObject({ file: path, code: 'VF251', line: at(text, '((((').line, column: at(text, '((((').column + 31 });
    expect(e.message).toMatch(/^nested too deeply: `\(` reaches nesting level 66, over the reader's limit of 64/);
  });

  it('a word starting with a digit as a designator: VF250 at `08x`, exit 2', async () => {
    const path = `${HOSTILE}/digit-word.c`;
    const r = await runCli(['kernel', path]);
    expect(r.code).toBe(2);
    expect(firstError(r.stderr)).toEqual({ file: path, code: 'VF250', ...at(readFileSync(path, 'utf8'), '08x'), message: '`08x` is not a valid integer constant' });
  });

  it('the same designator in the verdict fixture', async () => {
    const path = `${FIXTURES}/verdicts/digit-cell.c`;
    const r = await runCli(['kernel', path]);
    expect(r.code).toBe(2);
    expect(firstError(r.stderr)).toMatchObject({ file: path, code: 'VF250', line: 200, column: 5 });
  });

  it('a constant of 400 digits: VF250 at it, exit 2', async () => {
    const path = `${HOSTILE}/huge-literal.c`;
    const r = await runCli(['kernel', path]);
    expect(r.code).toBe(2);
    expect(firstError(r.stderr)).toEqual({ file: path, code: 'VF250', ...at(readFileSync(path, 'utf8'), '9999'), message: 'the integer constant `999999999999999999999999...` does not fit in 64 bits' });
  });

  it('an unsized row count with a huge designator: VF252 at the designator, exit 2', async () => {
    const path = `${HOSTILE}/unsized-huge-designator.c`;
    const r = await runCli(['kernel', path]);
    expect(r.code).toBe(2);
    expect(firstError(r.stderr)).toEqual({ file: path, code: 'VF252', ...at(readFileSync(path, 'utf8'), '[2000000000]'), message: "designator [2000000000] would give `[]` more than the reader's limit of 256 entries" });
  });

  it('a table declared 4096 wide: VF252 at the dimension, exit 2', async () => {
    const path = `${HOSTILE}/wide-table.c`;
    const r = await runCli(['kernel', path]);
    expect(r.code).toBe(2);
    expect(firstError(r.stderr)).toEqual({ file: path, code: 'VF252', ...at(readFileSync(path, 'utf8'), '4096'), message: "dimension 4096 of `vfio_from_fsm_table` is over the reader's limit of 256 (the table's cells are u8 state values)" });
  });

  it('a loop that runs to the step bound on every input: the total budget runs out, inconclusive, exit 3', async () => {
    const r = await runCli(['kernel', `${HOSTILE}/spin-every-input.c`]);
    expect(r.code).toBe(3);
    const inputs = TOTAL_STEP_BUDGET / STEP_BOUND;
    expect(r.stdout).toContain(`  ${inputs} inputs (current x target x flag set): 0 agree, ${inputs} undecided (no end within the step bound), 0 differ`);
    expect(r.stdout).toContain(`  evaluation stopped: the total step budget of ${TOTAL_STEP_BUDGET} ran out after ${inputs} of 1152 inputs; inconclusive`);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('verdict: inconclusive: the evaluation stopped: the total step budget of 2000000 ran out after 20 of 1152 inputs');
    const j = JSON.parse((await runCli(['kernel', `${HOSTILE}/spin-every-input.c`, '--json'])).stdout) as { ok: boolean; evaluation: { budget: unknown; nonTerminating: unknown[]; mismatches: unknown[] } };
    expect(j.ok).toBe(false);
    expect(j.evaluation.budget).toEqual({ kind: 'total-steps', limit: TOTAL_STEP_BUDGET, inputsRun: inputs, inputs: 1152, undecided: inputs });
    // A loop that was only cut short is no finding.
    expect(j.evaluation.nonTerminating).toEqual([]);
    expect(j.evaluation.mismatches).toEqual([]);
  });

  it('a loop that runs to the step bound on one request: every input run, those undecided, exit 3', async () => {
    const r = await runCli(['kernel', `${HOSTILE}/spin-one-request.c`, '--json']);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout) as { evaluation: { inputs: number; agreed: number; budget: unknown; mismatches: unknown[] } };
    // STOP -> RUNNING under each of the 8 flag words.
    expect(j.evaluation).toMatchObject({ inputs: 1152, agreed: 1144, mismatches: [], budget: { kind: 'per-input-steps', limit: STEP_BOUND, inputsRun: 1152, inputs: 1152, undecided: 8 } });
    const text = await runCli(['kernel', `${HOSTILE}/spin-one-request.c`]);
    expect(text.stdout).toContain(`  evaluation undecided: 8 of 1152 inputs reached the step bound of ${STEP_BOUND} steps per input without ending or repeating a state; inconclusive`);
  });

  it('`@hidden(1)` in place of a table entry of a plain C file: VF200 at the `@`, exit 2', async () => {
    const path = `${HOSTILE}/hidden-marker.c`;
    const r = await runCli(['kernel', path]);
    expect(r.code).toBe(2);
    const e = firstError(r.stderr);
    expect(e).toMatchObject({ file: path, code: 'VF200', ...at(readFileSync(path, 'utf8'), '@hidden(1)') });
    expect(e.message).toMatch(/^C syntax error: expected `}`, .*, found "@"$/);
    expect(e.message).not.toContain('hidden');
  });

  it('a hunk header with a line number past 2^64: VF220 at the header, exit 2', async () => {
    const path = `${HOSTILE}/huge-hunk-header.diff`;
    const r = await runCli(['kernel', path]);
    expect(r.code).toBe(2);
    expect(firstError(r.stderr)).toEqual({
      file: path,
      code: 'VF220',
      ...at(readFileSync(path, 'utf8'), '@@ -18446744073709551616'),
      message: 'malformed hunk header: the number 18446744073709551616 is larger than any line number (the largest this reader takes is 9007199254740991)',
    });
  });
});

describe('no input can spell a hole', () => {
  it('a patch whose added table line is `@hidden(2)`: VF200 at the `@`, read without a base', async () => {
    const path = `${FIXTURES}/patches/flip-cell.diff`;
    const text = edited('+\t\t\t[VFIO_DEVICE_STATE_RESUMING] = VFIO_DEVICE_STATE_RESUMING,', '+\t\t\t@hidden(2)', readFileSync(path, 'utf8'));
    const [d] = await refused(path, MAINLINE, { text });
    expect(d).toMatchObject({ code: 'VF200', ...at(text, '@hidden(2)'), message: 'C syntax error: found "@", which is no part of C' });
  });

  it('the character the grammar writes holes with, in a table: a syntax error that shows it escaped', async () => {
    const text = edited('\t\t\t[VFIO_DEVICE_STATE_STOP] = VFIO_DEVICE_STATE_STOP,\n', '\t\t\t\uE0001\uE000\n');
    const [d] = await refused(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text });
    expect(d).toMatchObject({ code: 'VF200', ...at(text, '\uE000') });
    expect(d!.message).toMatch(/found "\\ue000"$/);
  });

  it('that character in a character constant keeps its value', async () => {
    // The cell is STOP only if '\uE000' is 0xE000.
    const text = edited('[VFIO_DEVICE_STATE_STOP] = VFIO_DEVICE_STATE_STOP,', "[VFIO_DEVICE_STATE_STOP] = '\uE000' - 0xE000 + VFIO_DEVICE_STATE_STOP,");
    const r = await report(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text });
    expect(r.table.differences).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('`@hidden(` in the comment above the table of a plain C file: the comment is read whole, not as partly shown', async () => {
    const text = edited('\t * Every driver implements these arcs:\n', '\t * Every driver implements these arcs:\n\t *     @hidden(3)\n');
    const r = await report(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text });
    expect(r.comment.partial).toBe(false);
  });

  it('holes still come from what a patch leaves out', async () => {
    const r = await report(`${FIXTURES}/mails/p2p-seed-shape.mbox`, 'spec/history/seed-v6.fsm');
    expect(r.mode).toBe('patch-hunks');
    expect(r.table.hiddenCells).toEqual([
      { row: 'STOP_COPY', column: 'STOP' },
      { row: 'RESUMING', column: 'STOP' },
      { row: 'ERROR', column: 'STOP' },
    ]);
  });

  it('the lexer makes holes of gaps only: the same text lexes to no hole without them', () => {
    const text = 'x;\n\ny;';
    expect(lex(text).tokens.map((t) => t.kind)).toEqual(['ident', 'punct', 'ident', 'punct']);
    const withGap = lex(text, [{ start: 3, end: 4, lines: 7 }]).tokens;
    expect(withGap.map((t) => t.kind)).toEqual(['ident', 'punct', 'hole', 'ident', 'punct']);
    expect(withGap[2]).toMatchObject({ lines: 7, start: 3, end: 4 });
    // A gap inside a comment is swallowed by it.
    expect(lex('/* a\n\nb */ y;', [{ start: 5, end: 6, lines: 2 }]).tokens.map((t) => t.kind)).toEqual(['ident', 'punct']);
  });
});

describe('hostile input in patch mode, without a base', () => {
  const PATCH = `${FIXTURES}/patches/flip-cell.diff`;
  const patch = readFileSync(PATCH, 'utf8');

  it('`[08x] = A` in a hunk of the table: VF250 at `08x`', async () => {
    const text = edited('+\t\t\t[VFIO_DEVICE_STATE_RESUMING] = VFIO_DEVICE_STATE_RESUMING,', '+\t\t\t[08x] = VFIO_DEVICE_STATE_RESUMING,', patch);
    const [d] = await refused(PATCH, MAINLINE, { text });
    expect(d).toMatchObject({ code: 'VF250', ...at(text, '08x'), message: '`08x` is not a valid integer constant' });
  });

  it('a dimension over the limit in a hunk: VF252', async () => {
    const text = patch.replace(' int vfio_mig_get_next_state(struct vfio_device *device,\n', ' int vfio_mig_get_next_state(struct vfio_device *device,\n').replace(/@@ -171,7 \+172,7 @@ .*\n/, (h) => `${h}+\tstatic const u8 vfio_from_fsm_table[4096][4096] = {\n`).replace('@@ -171,7 +172,7 @@', '@@ -171,7 +172,8 @@');
    const [d] = await refused(PATCH, MAINLINE, { text });
    expect(d).toMatchObject({ code: 'VF252', ...at(text, '[4096]') });
  });

  it('a hunk that claims line 99999999 of the base: looked for from the end of the base, found or refused at once', async () => {
    const path = `${FIXTURES}/patches/flip-cell.diff`;
    const text = patch.replace('@@ -171,7 +172,7 @@', '@@ -99999999,7 +172,7 @@');
    const r = await kernel(path, MAINLINE, { text, base: `${FIXTURES}/linux-7.2.c` });
    // jsdiff looks for a hunk at any offset: its lines are there, so it applies.
    expect(r.ok).toBe(true);
  });

  it('a hunk whose NEW start is the largest line number, in a patch that does not apply: refused at once, at the hunk that does not fit', async () => {
    // Found by test:deep (kernel-patch fuzz, seed 16052242: `+99999999,4`, 1.4 s): a patch that
    // does not apply is tried in reverse, where the new start is the line jsdiff searches from.
    const path = `${FIXTURES}/patches/flip-cell.diff`;
    const text = edited(
      ' \t\t\t[VFIO_DEVICE_STATE_PRE_COPY] = VFIO_DEVICE_STATE_ERROR,',
      ' \t\t\t[VFIO_DEVICE_STATE_PRE_COPY] = VFIO_DEVICE_STATE_STOP,',
      edited('@@ -1,3 +1,4 @@', `@@ -1,3 +${Number.MAX_SAFE_INTEGER},4 @@`, patch),
    );
    const [d] = await refused(path, MAINLINE, { text, base: `${FIXTURES}/linux-7.2.c` });
    expect(d).toMatchObject({ code: 'VF222', ...at(text, '@@ -171,7 +172,7 @@') });
  });
});

describe('nesting: at the limit read, one past it refused (VF251)', () => {
  // Each: the construct n times, and the largest n the limit admits inside the fixture's function.
  const CASES: readonly (readonly [name: string, make: (n: number) => string, admitted: number])[] = [
    ['parentheses', (n) => `{ int x = ${'('.repeat(n)}1${')'.repeat(n)}; }`, 29],
    ['macro calls', (n) => `{ int x = ${'likely('.repeat(n)}1${')'.repeat(n)}; }`, 29],
    ['blocks', (n) => `${'{'.repeat(n)}${'}'.repeat(n)}`, 31],
    ['nested if', (n) => `${'if (cur_fsm) '.repeat(n)}{ int x = 1; }`, 59],
    ['else if', (n) => `if (cur_fsm == 99) { } ${'else if (cur_fsm == 98) { } '.repeat(n)}`, 59],
    ['prefix operators', (n) => `{ int x = ${'- '.repeat(n)}1; }`, 59],
    ['casts of negations', (n) => `{ int x = ${'(int)-'.repeat(n)}1; }`, 29],
    ['assignments', (n) => `{ int x; ${'x = '.repeat(n)}1; }`, 60],
    ['conditionals', (n) => `{ int x = ${'cur_fsm ? '.repeat(n)}1${' : 2'.repeat(n)}; }`, 59],
  ];
  it.each(CASES)('%s', async (_name, make, admitted) => {
    const ok = await kernel(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text: withCode(make(admitted)) });
    expect(ok.ok, 'read at the limit').toBe(true);
    const over = await refused(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text: withCode(make(admitted + 1)) });
    expect(over.map((d) => d.code)).toEqual(['VF251']);
  });

  it('a chain of 30 `else if` with braced bodies, as a driver writes it, is read', async () => {
    const chain = `if (cur_fsm == 99) { return -EINVAL; }${' else if (WARN_ON(cur_fsm == 98)) { return -EINVAL; }'.repeat(30)}`;
    const r = await report(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text: withCode(chain) });
    expect(r.ok).toBe(true);
  });

  it('an operator chain of up to the tree limit is read; past it VF251 (the syntax tree)', async () => {
    // The operand chain sits in a block and a declaration, two levels of the tree.
    const ok = await kernel(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text: withCode(`{ int x = ${'1 + '.repeat(MAX_TREE_DEPTH - 4)}1; }`) });
    expect(ok.ok).toBe(true);
    const text = withCode(`{ int x = ${'1 + '.repeat(MAX_TREE_DEPTH)}1; }`);
    const [d] = await refused(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text });
    expect(d).toMatchObject({ code: 'VF251', ...at(text, '1 + 1 + ') });
    expect(d!.message).toMatch(/^nested too deeply: the syntax tree is \d+ levels deep here \(a long chain of operators or indexes\), over the reader's limit of 256$/);
  });

  it('never lets through more than the limit, whatever the input: the count on tokens bounds the grammar', () => {
    expect(MAX_NESTING).toBe(64);
    for (const text of ['((((x))))', 'if (a) if (b) x; else y;', 'do do x; while (a); while (b);', '- - (u8)(u8) - x', 'a = b ? c = d : e;']) {
      expect(tooDeep(lex(text).tokens)).toBeNull();
      expect(tooDeep(lex(text).tokens, 1)).not.toBeNull();
    }
  });

  it('expressions alone (the hunk reader, the uapi header) are held to the same limits', () => {
    const deep = `${'('.repeat(40)}1${')'.repeat(40)}`;
    const r = parseC(deep, 0, deep.length, 'Expr');
    expect(r).toMatchObject({ ok: false, error: { code: 'VF251' } });
    const tokens = lex(deep).tokens;
    expect(parseTokens(deep, tokens, 'Expr')).toMatchObject({ ok: false, error: { code: 'VF251' } });
  });
});

describe('integer constants (VF250)', () => {
  it.each(['0', '7', '07', '0x1F', '0X1f', '1u', '1U', '10ul', '10LU', '10ull', '10LLU', '0777', '18446744073709551615', '0xffffffffffffffff', '01777777777777777777777', '0000000000000000000000000000001'])('%s is read', (text) => {
    expect(literalProblem(text)).toBeNull();
  });

  it.each([
    ['08', '`08` is not a valid integer constant: an octal constant has only the digits 0 to 7'],
    ['09u', '`09u` is not a valid integer constant: an octal constant has only the digits 0 to 7'],
    ['08x', '`08x` is not a valid integer constant'],
    ['0x', '`0x` is not a valid integer constant'],
    ['1e5', '`1e5` is not a valid integer constant'],
    ['0b101', '`0b101` is not a valid integer constant'],
    ['1uu', '`1uu` is not a valid integer constant'],
    ['1lL', '`1lL` is not a valid integer constant'],
    ['9abc', '`9abc` is not a valid integer constant'],
    ['18446744073709551616', 'the integer constant `18446744073709551616` does not fit in 64 bits'],
    ['0x10000000000000000', 'the integer constant `0x10000000000000000` does not fit in 64 bits'],
    ['02000000000000000000000', 'the integer constant `02000000000000000000000` does not fit in 64 bits'],
  ])('%s is refused', (text, message) => {
    expect(literalProblem(text)).toBe(message);
  });

  it('a million-digit constant is refused without reading its value', () => {
    expect(literalProblem('7'.repeat(1_000_000))).toMatch(/does not fit in 64 bits$/);
  });
});

describe('tables', () => {
  it(`a dimension of ${MAX_TABLE_SIDE} is read; one more is VF252`, async () => {
    // The spec's states fit in any larger table; the cells past them are zero (ERROR).
    const ok = await kernel(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text: edited('vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][VFIO_DEVICE_NUM_STATES]', `vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][${MAX_TABLE_SIDE}]`) });
    expect(ok.ok).toBe(true);
    const [d] = await refused(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text: edited('vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][VFIO_DEVICE_NUM_STATES]', `vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][${MAX_TABLE_SIDE + 1}]`) });
    expect(d!.code).toBe('VF252');
  });

  it('an unsized dimension takes rows up to 255; row 256 is VF252', async () => {
    const unsized = (row: number): string => edited('vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][VFIO_DEVICE_NUM_STATES] = {', `vfio_from_fsm_table[][VFIO_DEVICE_NUM_STATES] = {\n\t\t[${row}] = { [0] = 0 },`);
    expect((await kernel(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text: unsized(255) })).ok).toBe(true);
    const text = unsized(256);
    const [d] = await refused(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text });
    expect(d).toMatchObject({ code: 'VF252', ...at(text, '[256]') });
  });
});

describe('messages say what C was expected, in words', () => {
  it.each([
    ['{ int x = (1; }', /^C syntax error: expected `\)`.*, found ";"$/],
    ['{ int x = 1 }', /^C syntax error: expected .*`;`.*, found "}"$/],
    ['{ if x) return 0; }', /^C syntax error: expected `\(`, found "x"$/],
    // A keyword where only a name goes: nothing to list but the name it is not.
    ['{ struct while x; }', /^C syntax error: "while" cannot stand here$/],
  ])('%s', async (code, message) => {
    const [d] = await refused(`${FIXTURES}/linux-7.2.c`, MAINLINE, { text: withCode(code) });
    expect(d!.code).toBe('VF200');
    expect(d!.message).toMatch(message);
    // Never a rule of the grammar, never the hole marker, never a character range.
    expect(d!.message).not.toMatch(/@hidden|\uE000|\.\.|[A-Z][a-z]+[A-Z]|identPart|_[a-z]+\b|something else/);
  });
});

describe('scans that could go quadratic stay linear', () => {
  it('a file of 20,000 unclosed calls of the function: no definition, at once', async () => {
    const text = 'int vfio_mig_get_next_state(\n'.repeat(20_000);
    const ds = await refused('many.c', MAINLINE, { text });
    expect(ds.map((d) => d.code)).toEqual(['VF201']);
  });

  it('20,000 unclosed brackets in the hunks of a table: read entry by entry, at once', async () => {
    const path = `${FIXTURES}/patches/flip-cell.diff`;
    const patch = readFileSync(path, 'utf8');
    const text = patch.replace(/@@ -171,7 \+172,7 @@ .*\n/, (h) => h.replace('+172,7', '+172,8') + `+${'['.repeat(20_000)}\n`);
    const r = await kernel(path, MAINLINE, { text });
    expect(r.ok).toBe(true);
  });
});
