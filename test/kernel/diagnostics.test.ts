// Every diagnostic the kernel reader can give, each on an input made to
// cause it, with its place and its words. The coverage test at the end fails
// when a VF2xx code of the registry has no test here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { CODES } from '../../src/diagnostics/codes.js';
import { FIXTURES, kernel } from './support.js';

const MAINLINE = 'spec/vfio-migration.fsm';
const FILE = `${FIXTURES}/linux-7.2.c`;
const TEXT = readFileSync(FILE, 'utf8');
const HEADER = `${FIXTURES}/uapi/vfio-7.2.h`;

function edited(from: string, to: string, text = TEXT): string {
  if (!text.includes(from)) throw new Error(`edit did not apply: ${from}`);
  return text.replace(from, to);
}

/** Line and column (1-based) of `needle` in `text`, at its `nth` occurrence. */
function at(text: string, needle: string, nth = 1): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k < nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}

async function diagnostics(text: string, inputs: { base?: string; uapi?: string; path?: string } = {}): Promise<readonly Diagnostic[]> {
  const r = await kernel(inputs.path ?? FILE, MAINLINE, { text, base: inputs.base, uapi: inputs.uapi });
  if (r.ok) throw new Error('expected diagnostics, got a report');
  return r.diagnostics;
}

async function one(text: string, inputs: { base?: string; uapi?: string; path?: string } = {}): Promise<Diagnostic> {
  const ds = await diagnostics(text, inputs);
  expect(ds).toHaveLength(1);
  return ds[0]!;
}

describe('the kernel reader refuses what it cannot read, at its place', () => {
  it('VF200 a C syntax error', async () => {
    const text = edited('if (WARN_ON(cur_fsm >= ARRAY_SIZE(vfio_from_fsm_table)))', 'if (WARN_ON(cur_fsm >= ARRAY_SIZE(vfio_from_fsm_table))');
    const d = await one(text);
    expect(d.code).toBe('VF200');
    expect(d.message).toMatch(/^C syntax error: expected .*\)/);
  });

  it('VF201 no definition of the function', async () => {
    const d = await one('int main(void)\n{\n\treturn 0;\n}\n');
    expect(d).toMatchObject({ code: 'VF201', line: 1, column: 1, message: "no definition of vfio_mig_get_next_state() in this input (the spec's `emit c` names it `function vfio_mig_get_next_state`)" });
  });

  it('VF201 says what it found instead: an empty input, a prototype, the uapi header', async () => {
    const V = `${FIXTURES}/verdicts`;
    const empty = await one('', { path: `${V}/empty.c` });
    expect(empty).toMatchObject({ code: 'VF201', line: 1, column: 1, message: 'the input is empty: there is no vfio_mig_get_next_state() to check' });
    const prototype = await one(readFileSync(`${V}/prototype-only.c`, 'utf8'), { path: `${V}/prototype-only.c` });
    expect(prototype).toMatchObject({ code: 'VF201', line: 47, column: 5, message: 'the input declares vfio_mig_get_next_state() (a prototype without a body) but does not define it: give the file that defines it' });
    const header = await one(readFileSync(`${V}/header-given.h`, 'utf8'), { path: `${V}/header-given.h` });
    expect(header).toMatchObject({ code: 'VF201', line: 73, column: 1 });
    expect(header.message).toBe('this looks like the uapi header (it declares `enum vfio_device_mig_state` here) and defines no vfio_mig_get_next_state(): did you mean --uapi?');
  });

  it('VF202 an unterminated comment', async () => {
    // Every comment closer removed: the first comment runs to the end of the file, over the function.
    const text = TEXT.replace(/\*\//g, '  ');
    const ds = await diagnostics(text);
    expect(ds.map((d) => d.code)).toEqual(['VF202', 'VF201']);
    expect(ds[0]).toMatchObject({ ...at(text, '/*'), message: 'unterminated comment or literal: the rest of the file cannot be read' });
  });

  it('VF203 the function has no closing brace', async () => {
    const cut = TEXT.slice(0, TEXT.indexOf('\treturn *next_fsm'));
    const d = await one(cut);
    expect(d).toMatchObject({ code: 'VF203', ...at(cut, 'vfio_mig_get_next_state('), message: 'vfio_mig_get_next_state() has no closing brace' });
  });

  it('VF204 an unknown name', async () => {
    const text = edited('*next_fsm = vfio_from_fsm_table[cur_fsm][new_fsm];', '*next_fsm = vfio_from_fsm_table[cur_fsm][new_state];');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF204', ...at(text, 'new_state]'), message: 'unknown name `new_state`: not a local, a parameter, or a state, flag or errno name' });
  });

  it('VF205 a state the spec does not declare', async () => {
    const text = edited('[VFIO_DEVICE_STATE_STOP_COPY] = VFIO_DEVICE_STATE_STOP_COPY,', '[VFIO_DEVICE_STATE_STOP_COPY] = VFIO_DEVICE_STATE_POST_COPY,');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF205', ...at(text, 'VFIO_DEVICE_STATE_POST_COPY') });
    expect(d.message).toMatch(/^`VFIO_DEVICE_STATE_POST_COPY` names no state of spec\/vfio-migration\.fsm \(it declares ERROR, STOP, /);
  });

  it('VF206 a flag the spec does not declare', async () => {
    const text = edited('[VFIO_DEVICE_STATE_ERROR] = ~0U,', '[VFIO_DEVICE_STATE_ERROR] = VFIO_MIGRATION_POST_COPY,');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF206', ...at(text, 'VFIO_MIGRATION_POST_COPY'), message: '`VFIO_MIGRATION_POST_COPY` names no flag of spec/vfio-migration.fsm (it declares STOP_COPY, P2P, PRE_COPY)' });
  });

  it('VF207 a call the evaluator does not know', async () => {
    const text = edited('if (WARN_ON(cur_fsm >= ARRAY_SIZE(vfio_from_fsm_table)))', 'if (WARN_ON(cur_fsm >= fsm_table_size()))');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF207', ...at(text, 'fsm_table_size') });
    expect(d.message).toMatch(/^`fsm_table_size\(\)` is not one of the kernel macros the evaluator knows/);
  });

  it('VF208 a field the evaluator does not know', async () => {
    const text = edited('(device->migration_flags & state_flags_table[cur_fsm])', '(device->mig_flags & state_flags_table[cur_fsm])');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF208', ...at(text, 'mig_flags'), message: '`mig_flags`: the evaluator knows only device->migration_flags' });
  });

  it('VF209 a signature it cannot read', async () => {
    const text = edited('int vfio_mig_get_next_state(struct vfio_device *device,\n\t\t\t    enum vfio_device_mig_state cur_fsm,', 'void vfio_mig_get_next_state(struct vfio_device *device,\n\t\t\t    enum vfio_device_mig_state cur_fsm,');
    const ds = await diagnostics(text);
    expect(ds[0]).toMatchObject({ code: 'VF209', ...at(text, 'vfio_mig_get_next_state(') });
  });

  it('VF211 a designator outside the table', async () => {
    const text = edited('[VFIO_DEVICE_STATE_STOP_COPY] = VFIO_DEVICE_STATE_STOP_COPY,', '[42] = VFIO_DEVICE_STATE_STOP_COPY,');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF211', ...at(text, '[42]'), message: "designator [42] is outside the array's 8 element(s)" });
  });

  it('VF212 a table of the wrong shape', async () => {
    const text = edited('static const u8 vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][VFIO_DEVICE_NUM_STATES] = {', 'static const u8 vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES] = {');
    const ds = await diagnostics(text);
    expect(ds[0]).toMatchObject({ code: 'VF212', ...at(text, 'vfio_from_fsm_table['), message: '`vfio_from_fsm_table` has 1 dimension(s); expected 2' });
  });

  it('VF213 a switch in the lookup function: read, located, not evaluated', async () => {
    // The grammar reads switch statements for the driver reader (issue 12); the lookup's evaluator does not run them.
    const text = edited(
      '\tif (WARN_ON(cur_fsm >= ARRAY_SIZE(vfio_from_fsm_table)))\n\t\treturn -EINVAL;',
      '\tswitch (cur_fsm) {\n\tcase VFIO_DEVICE_STATE_ERROR:\n\t\treturn -EINVAL;\n\tdefault:\n\t\tbreak;\n\t}',
    );
    const ds = await diagnostics(text);
    expect(ds.map((d) => d.code)).toEqual(['VF213', 'VF213', 'VF213']);
    expect(ds[0]).toMatchObject({ ...at(text, 'switch (cur_fsm)'), message: '`switch`: the evaluator does not run switch, case, goto or labelled statements, so this function is not evaluated' });
    expect(ds[1]).toMatchObject({ ...at(text, 'case VFIO_DEVICE_STATE_ERROR'), message: expect.stringMatching(/^`case`: /) });
    expect(ds[2]).toMatchObject({ ...at(text, 'default:'), message: expect.stringMatching(/^`default`: /) });
  });

  it('VF220 a truncated patch', async () => {
    const path = `${FIXTURES}/patches/truncated.diff`;
    const d = await one(readFileSync(path, 'utf8'), { path });
    expect(d).toMatchObject({ code: 'VF220', line: 21, column: 1 });
    expect(d.message).toMatch(/^truncated patch: the input ends but/);
  });

  it('VF220 a mail without a patch (a cover letter)', async () => {
    const path = `${FIXTURES}/verdicts/series/0000-cover-letter.patch`;
    const d = await one(readFileSync(path, 'utf8'), { path });
    expect(d).toMatchObject({ code: 'VF220', line: 1, column: 1, message: 'this is a mail without a patch (it holds no diff): give the mails of the series that carry the changes' });
  });

  it('VF221 a patch that does not touch the function', async () => {
    const patch = ['--- a/drivers/vfio/vfio_main.c', '+++ b/drivers/vfio/vfio_main.c', '@@ -1,3 +1,3 @@', ' /*', '- * old words', '+ * new words', ' */', ''].join('\n');
    const d = await one(patch, { path: 'comment.diff' });
    expect(d).toMatchObject({ code: 'VF221', line: 1, column: 1, message: 'no hunk of this patch touches vfio_mig_get_next_state() or the uapi header' });
  });

  it('VF222 a patch that does not apply to its base', async () => {
    const path = `${FIXTURES}/patches/pre-copy.diff`;
    const d = await one(readFileSync(path, 'utf8'), { path, base: `${FIXTURES}/v2.c` });
    expect(d.code).toBe('VF222');
    expect(d.message).toMatch(/does not apply to test\/fixtures\/kernel\/v2\.c/);
  });

  it('VF230 a uapi header without the state enum', async () => {
    const d = await one(TEXT, { uapi: `${FIXTURES}/linux-5.18.c` });
    expect(d).toMatchObject({ code: 'VF230', line: 1, column: 1, message: 'no `enum vfio_device_mig_state { ... };` in this header' });
  });

  it('VF231 a flag macro whose value cannot be read', async () => {
    const header = edited('#define VFIO_MIGRATION_P2P\t\t(1 << 1)', '#define VFIO_MIGRATION_P2P\t\t(1 << )', readFileSync(HEADER, 'utf8'));
    const r = await kernel(FILE, MAINLINE, { uapiText: header });
    expect(r.ok).toBe(false);
    // Located where the reading stopped (the `)` that ends the value too early), with the reader's reason.
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code: 'VF231', line: at(header, '(1 << )').line, column: at(header, '(1 << )').column + '(1 << '.length, message: expect.stringMatching(/^the value of VFIO_MIGRATION_P2P cannot be read: C syntax error: expected .*a number.*, found "\)"$/) });
  });

  it('VF231 names the end of the value, and a malformed constant in it', async () => {
    const cut = edited('#define VFIO_MIGRATION_P2P\t\t(1 << 1)', '#define VFIO_MIGRATION_P2P\t\t(1 <<', readFileSync(HEADER, 'utf8'));
    const r1 = await kernel(FILE, MAINLINE, { uapiText: cut });
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.diagnostics[0]!.message).toMatch(/^the value of VFIO_MIGRATION_P2P cannot be read: C syntax error: expected .*, found the end of the expression$/);
    const digit = edited('#define VFIO_MIGRATION_P2P\t\t(1 << 1)', '#define VFIO_MIGRATION_P2P\t\t(1 << 01x)', readFileSync(HEADER, 'utf8'));
    const r2 = await kernel(FILE, MAINLINE, { uapiText: digit });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.diagnostics[0]).toMatchObject({ code: 'VF231', ...at(digit, '01x'), message: 'the value of VFIO_MIGRATION_P2P cannot be read: `01x` is not a valid integer constant' });
  });

  it('VF240 (warning) a second definition of the function', async () => {
    const start = TEXT.indexOf('int vfio_mig_get_next_state(');
    const end = TEXT.indexOf('EXPORT_SYMBOL_GPL(vfio_mig_get_next_state);');
    const second = TEXT.slice(start, end);
    const text = `${TEXT}\n#ifdef SECOND_COPY\n${second}#endif\n`;
    const r = await kernel(FILE, MAINLINE, { text });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatchObject({ code: 'VF240', severity: 'warning', line: at(text, `#ifdef SECOND_COPY\n${second}`).line + 1, column: 'int '.length + 1 });
    }
  });

  it('VF250 an integer constant that is no valid C', async () => {
    const text = edited('[VFIO_DEVICE_STATE_RUNNING] = VFIO_DEVICE_STATE_RUNNING,', '[08x] = VFIO_DEVICE_STATE_RUNNING,');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF250', ...at(text, '08x'), endColumn: at(text, '08x').column + 3, message: '`08x` is not a valid integer constant' });
  });

  it('VF250 an integer constant over 64 bits', async () => {
    const text = edited('? -EINVAL : 0;', '? -EINVAL : 18446744073709551616;');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF250', ...at(text, '18446744073709551616'), message: 'the integer constant `18446744073709551616` does not fit in 64 bits' });
  });

  it('VF251 brackets nested over the limit', async () => {
    const text = edited('? -EINVAL : 0;', `? -EINVAL : ${'('.repeat(70)}0${')'.repeat(70)};`);
    const d = await one(text);
    // The function's brace counts 2 and the `?` whose right side holds the parentheses 1, each parenthesis 2: the 31st reaches 65.
    const first = at(text, '('.repeat(70));
    expect(d).toMatchObject({ code: 'VF251', line: first.line, column: first.column + 30 });
    expect(d.message).toBe("nested too deeply: `(` reaches nesting level 65, over the reader's limit of 64 (a bracket counts two levels; a prefix operator, cast, assignment, `?` or statement body one)");
  });

  it('VF252 a table dimension over the limit', async () => {
    const text = edited('static const u8 vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][VFIO_DEVICE_NUM_STATES] = {', 'static const u8 vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][4096] = {');
    const d = await one(text);
    expect(d).toMatchObject({ code: 'VF252', ...at(text, '4096'), message: "dimension 4096 of `vfio_from_fsm_table` is over the reader's limit of 256 (the table's cells are u8 state values)" });
  });
});

describe('warnings', () => {
  it('VF241 (warning) the comment above the table, read as prose: quoted, with the condition it was read as, at its line', async () => {
    const path = `${FIXTURES}/verdicts/fixed-era.c`;
    const r = await kernel(path, MAINLINE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ code: 'VF241', severity: 'warning', file: path, line: 112, column: 5 });
    expect(r.warnings[0]!.message).toBe(
      'the heading "Without P2P and precopy the driver must implement:" is read as: without P2P, without PRE_COPY; with {STOP_COPY, PRE_COPY} the table also takes STOP -> RUNNING, RUNNING -> STOP, which no heading that applies to those flags lists',
    );
    // Prose does not decide the verdict, unless asked.
    expect(r.report.verdict).toBe('agree');
    const strict = await kernel(path, MAINLINE, { strictComment: true });
    expect(strict.ok && strict.report.verdict).toBe('disagree');
  });
});

describe('coverage', () => {
  it('every VF2xx code of the registry has a test above', () => {
    const tested = new Set([...readFileSync(fileURLToPath(import.meta.url), 'utf8').matchAll(/it\('(VF2\d{2})/g)].map((m) => m[1]!));
    expect(Object.keys(CODES).filter((c) => c.startsWith('VF2') && !tested.has(c))).toEqual([]);
  });
});
