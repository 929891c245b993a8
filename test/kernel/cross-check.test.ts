import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, inputKey, refused, report } from './support.js';

const MAINLINE = 'spec/vfio-migration.fsm';
const FIXTURE = `${FIXTURES}/linux-7.2.c`;
const TEXT = readFileSync(FIXTURE, 'utf8');

/** The mainline fixture with one edit; the edit must apply. */
function edited(from: string | RegExp, to: string): string {
  const out = TEXT.replace(from, to);
  if (out === TEXT) throw new Error(`edit did not apply: ${String(from)}`);
  return out;
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('an unsized flags table is as long as its initializer says', () => {
  it('without its last entry it has 7 entries, and reading the eighth is undefined behaviour', async () => {
    const text = edited('state_flags_table[VFIO_DEVICE_NUM_STATES]', 'state_flags_table[]').replace('\t\t[VFIO_DEVICE_STATE_PRE_COPY_P2P] = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |\n\t\t\tVFIO_MIGRATION_PRE_COPY,\n', '');
    const r = await report(FIXTURE, MAINLINE, { text });
    expect(r.table.flagsTable?.dimension).toBe(7);
    expect(r.ok).toBe(false);
    expect(r.evaluation.mismatches.length).toBeGreaterThan(0);
    expect(r.evaluation.mismatches.every((m) => /reads state_flags_table\[7\], outside its 7 elements/.test(JSON.stringify(m)))).toBe(true);
  });
});

describe('formatting does not matter', () => {
  const variants: [string, string][] = [
    ['CRLF line ends', TEXT.replace(/\n/g, '\r\n')],
    ['no trailing commas', TEXT.replace(/,(\s*\n\s*})/g, '$1')],
    ['comments and preprocessor lines between tokens', edited('\t*next_fsm = vfio_from_fsm_table[cur_fsm][new_fsm];', '\t*next_fsm = /* first */ vfio_from_fsm_table[cur_fsm] // row\n#if 1\n\t\t[new_fsm];\n#endif')],
    ['the whole table on one line', TEXT.replace(/(VFIO_DEVICE_STATE_[A-Z_0-9]+,|\{|\},)\n\t+(?=[[\]}])/g, '$1 ')],
    // After [STOP] (1) the next row without a designator is row 2, RUNNING.
    ['a positional row after a designated one', edited('\t\t[VFIO_DEVICE_STATE_RUNNING] = {\n', '\t\t{\n')],
    // C sizes an unsized array by its largest designator, plus one: both tables read as declared with their sizes.
    ['the flags table declared unsized, `[]`', edited('state_flags_table[VFIO_DEVICE_NUM_STATES]', 'state_flags_table[]')],
    ['the table declared with an unsized row count, `[][N]`', edited('vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][VFIO_DEVICE_NUM_STATES]', 'vfio_from_fsm_table[][VFIO_DEVICE_NUM_STATES]')],
    ['a parenthesised, cast and ternary-wrapped lookup', edited('return *next_fsm == VFIO_DEVICE_STATE_ERROR ? -EINVAL : 0;', 'return (int)((*next_fsm != VFIO_DEVICE_STATE_ERROR) ? 0 : -(EINVAL));')],
  ];
  for (const [name, text] of variants) {
    it(name, async () => {
      const r = await report(FIXTURE, MAINLINE, { text });
      expect(r.table.differences).toEqual([]);
      expect(r.evaluation.mismatches).toEqual([]);
      expect(r.ok).toBe(true);
    });
  }

  it('the table may sit at file scope, as a generator might put it', async () => {
    const start = TEXT.indexOf('\tstatic const u8 vfio_from_fsm_table');
    const end = TEXT.indexOf('\t};\n', start) + 4;
    const decl = TEXT.slice(start, end).replace(/^\t/gm, '');
    const text = TEXT.slice(0, start) + TEXT.slice(end);
    const moved = text.replace('int vfio_mig_get_next_state(', `enum { VFIO_DEVICE_NUM_STATES = VFIO_DEVICE_STATE_PRE_COPY_P2P + 1 };\n${decl}\nint vfio_mig_get_next_state(`);
    const r = await report(FIXTURE, MAINLINE, { text: moved });
    expect(r.table.found).toBe(true);
    expect(r.evaluation.mismatches).toEqual([]);
  });
});

describe('what the tables say', () => {
  it('a cell written twice: the duplicate is reported and the last one wins, as in C', async () => {
    const text = edited('\t\t\t[VFIO_DEVICE_STATE_RUNNING] = VFIO_DEVICE_STATE_RUNNING,\n', '\t\t\t[VFIO_DEVICE_STATE_RUNNING] = VFIO_DEVICE_STATE_RUNNING,\n\t\t\t[VFIO_DEVICE_STATE_RUNNING] = VFIO_DEVICE_STATE_STOP,\n');
    const r = await report(FIXTURE, MAINLINE, { text });
    expect(r.table.duplicates.map((d) => d.index)).toEqual([['RUNNING', 'RUNNING']]);
    expect(r.table.differences.map((d) => [d.row, d.column, d.kernel])).toEqual([['RUNNING', 'RUNNING', 'STOP']]);
    expect(r.ok).toBe(false);
  });

  it('a table of the wrong size: an older kernel against a newer spec', async () => {
    const r = await report(`${FIXTURES}/linux-5.18.c`, MAINLINE);
    expect(r.table.dimensions).toEqual({ kernel: [6, 6], spec: 8, agree: false });
    expect(r.table.flagsTable?.dimension).toBe(6);
    expect(r.evaluation.mismatches.every((m) => m.cause === 'table')).toBe(true);
    expect(r.ok).toBe(false);
  });

  it('a flags table entry that forgets a flag, and ERROR not all ones', async () => {
    const text = edited('[VFIO_DEVICE_STATE_RUNNING_P2P] = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P,', '[VFIO_DEVICE_STATE_RUNNING_P2P] = VFIO_MIGRATION_STOP_COPY,').replace('[VFIO_DEVICE_STATE_ERROR] = ~0U,', '[VFIO_DEVICE_STATE_ERROR] = 0xffff,');
    const r = await report(FIXTURE, MAINLINE, { text });
    expect(r.table.flagsTable?.differences.map((d) => [d.state, d.kernel, d.spec])).toEqual([
      ['RUNNING_P2P', 'STOP_COPY', 'STOP_COPY | P2P'],
      ['ERROR', 'STOP_COPY | P2P | PRE_COPY | 0xfff8', '~0U (all ones)'],
    ]);
    expect(r.evaluation.mismatches.length).toBeGreaterThan(0);
    expect(r.ok).toBe(false);
  });
});

describe('the evaluator', () => {
  it('reads outside the table when the bound check is gone: undefined behaviour for values past it', async () => {
    const text = edited(/\tif \(WARN_ON\(cur_fsm >= ARRAY_SIZE\(vfio_from_fsm_table\)\)\)\n\t\treturn -EINVAL;\n/, '');
    const r = await report(FIXTURE, MAINLINE, { text });
    const bad = r.evaluation.mismatches;
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((m) => ['8', '255', '2147483647', '4294967295'].includes(m.current) && m.kernel.includes('outside its 8 elements'))).toBe(true);
    expect(bad.every((m) => m.cause === 'code' && m.spec === 'refused')).toBe(true);
  });

  it('an out pointer left unset on success is reported', async () => {
    const text = edited('return *next_fsm == VFIO_DEVICE_STATE_ERROR ? -EINVAL : 0;', 'return 0;').replace('\t*next_fsm = vfio_from_fsm_table[cur_fsm][new_fsm];\n', '\tif (cur_fsm == new_fsm)\n\t\treturn 0;\n\t*next_fsm = vfio_from_fsm_table[cur_fsm][new_fsm];\n');
    const r = await report(FIXTURE, MAINLINE, { text });
    expect(r.evaluation.mismatches.some((m) => m.current === m.target && m.kernel.includes('without setting *next_fsm'))).toBe(true);
  });

  it('follows a for loop, a counting local and compound assignment to the same answers', async () => {
    const text = edited(
      /\t\*next_fsm = vfio_from_fsm_table\[cur_fsm\]\[new_fsm\];\n\twhile \(([\s\S]*?)\)\n\t\t\*next_fsm = vfio_from_fsm_table\[\*next_fsm\]\[new_fsm\];\n/,
      '\tu32 steps = 0;\n\tfor (*next_fsm = vfio_from_fsm_table[cur_fsm][new_fsm]; $1; steps += 1) {\n\t\tif (steps > VFIO_DEVICE_NUM_STATES)\n\t\t\tbreak;\n\t\t*next_fsm = vfio_from_fsm_table[*next_fsm][new_fsm];\n\t}\n',
    );
    expect(text).toContain('for (*next_fsm');
    const r = await report(FIXTURE, MAINLINE, { text });
    expect(r.evaluation.mismatches).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('a loop that never ends reports the states it goes round', async () => {
    const text = edited('\t\t*next_fsm = vfio_from_fsm_table[*next_fsm][new_fsm];', '\t\t*next_fsm = vfio_from_fsm_table[*next_fsm][*next_fsm];');
    const r = await report(FIXTURE, MAINLINE, { text });
    const loop = r.evaluation.nonTerminating.find((n) => n.current === 'STOP' && n.target === 'RUNNING' && n.flags.join() === 'STOP_COPY');
    // T[STOP][RUNNING] is RUNNING_P2P, missing without P2P; T[RUNNING_P2P][RUNNING_P2P] stays there.
    expect(loop?.cycle).toEqual(['RUNNING_P2P']);
    expect(r.evaluation.mismatches.map(inputKey)).toContain('STOP -> RUNNING {STOP_COPY}');
  });
});

describe('input that cannot be read is a located error, never a crash', () => {
  it('mangled C: a parenthesis missing', async () => {
    const text = edited('if (WARN_ON(cur_fsm >= ARRAY_SIZE(vfio_from_fsm_table)))', 'if (WARN_ON(cur_fsm >= ARRAY_SIZE(vfio_from_fsm_table))');
    const [d] = await refused(FIXTURE, MAINLINE, { text });
    expect(d!.code).toBe('VF200');
    expect(d!.line).toBe(lineOf(text, 'if (WARN_ON(cur_fsm >= ARRAY_SIZE(vfio_from_fsm_table))') + 1);
    expect(d!.message).toMatch(/^C syntax error: expected/);
  });

  it('a state the spec does not have', async () => {
    const text = edited('[VFIO_DEVICE_STATE_RESUMING] = VFIO_DEVICE_STATE_RESUMING,', '[VFIO_DEVICE_STATE_RESUMING] = VFIO_DEVICE_STATE_RESUMED,');
    const [d] = await refused(FIXTURE, MAINLINE, { text });
    expect(d).toMatchObject({ code: 'VF205', line: lineOf(text, 'VFIO_DEVICE_STATE_RESUMED') });
    expect(d!.column).toBe(text.split('\n')[d!.line - 1]!.indexOf('VFIO_DEVICE_STATE_RESUMED') + 1);
  });

  it('an unknown name, an unknown macro and an unknown field', async () => {
    const text = edited('\treturn *next_fsm == VFIO_DEVICE_STATE_ERROR ? -EINVAL : 0;', '\tif (mystery || vfio_log(device->ops))\n\t\treturn -EINVAL;\n\treturn *next_fsm == VFIO_DEVICE_STATE_ERROR ? -EINVAL : 0;');
    const ds = await refused(FIXTURE, MAINLINE, { text });
    expect(ds.map((d) => d.code)).toEqual(['VF204', 'VF207', 'VF208']);
  });

  it('a file without the function', async () => {
    const [d] = await refused(`${FIXTURES}/uapi/vfio-6.2.h`, MAINLINE);
    expect(d!.code).toBe('VF201');
  });

  it('an unterminated comment swallowing the function', async () => {
    const text = edited('/*\n * vfio_mig_get_next_state - ', '/* never closed\n/*\n * vfio_mig_get_next_state - ').replace(/\*\/\nint vfio_mig_get_next_state/, ' \nint vfio_mig_get_next_state').replace(/\*\//g, '  ');
    const ds = await refused(FIXTURE, MAINLINE, { text });
    expect(ds.map((d) => d.code)).toEqual(['VF202', 'VF201']);
  });
});
